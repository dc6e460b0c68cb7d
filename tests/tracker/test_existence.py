"""Existence is a fact with a date: an item, a committee, a meeting exists (or is known)
from the act or decision that creates it, from a date given with a reason, else from
the day it was recorded; a view « au » a date shows only what existed and was known
then, and recording anything today leaves every past quarter's pack as it was."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.tracker import existence, fmt, origins, overview, pack, status, work
from dashboard.tracker.completeness import completeness
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.origins import Origin
from dashboard.tracker.pack.pdf import pdf_bytes
from dashboard.tracker.pack.xlsx import workbook_bytes
from tests.conftest import ADMIN, LEAD
from tests.helpers import snapshot
from tests.tracker.test_as_of import pack_text
from tests.tracker.test_pack import pdf_font  # noqa: F401 - the fixture

EVAL = "EVAL-CDV-2015-2020"
PHASE_3_ORIENTATIONS = 4


def kinds_at(db, day: dt.date) -> list[str]:
    return [r["item_kind"] for r in db.records("work_items", as_of=day, programme_code=EVAL)]


@pytest.mark.parametrize(
    ("day", "orientations"),
    [
        (dt.date(2018, 6, 30), 0),  # created by avenant n° 2 (article 1), signed later
        (dt.date(2019, 6, 30), 0),  # validated « à la suite du » COPIL, known only from it
        (
            dt.date(2019, 12, 31),
            PHASE_3_ORIENTATIONS,
        ),  # avenant n° 2 in force at the earliest 19/12
    ],
)
def test_the_phase_3_orientations_exist_from_avenant_2(db, day, orientations):
    assert kinds_at(db, day).count("phase") == 3  # created by the 2017 convention
    assert kinds_at(db, day).count("orientation") == orientations
    [summary] = [s for s in overview.summaries(db, day) if s["code"] == EVAL]
    assert summary["items_total"] == 3 + orientations


def test_an_items_origin_is_said_with_its_act_and_article(db):
    orientation = db.scalar("select min(id) from orientation where phase_id = 3")
    said = origins.described(db, "orientation", orientation)
    assert said.startswith("existe au plus tôt depuis le 19 décembre 2019 (acte de création : ")
    assert "Avenant n° 2 à la convention DEVT 013-2609/17/BM, Article 1" in said
    assert "au plus tôt la délibération qui autorise sa signature" in said
    phase = origins.described(db, "phase", 1)
    assert phase.startswith("existe depuis le 22 novembre 2017 (acte de création : Convention")
    action = work.create_action(db, LEAD, phase_id=1, title="Action du jour")
    assert origins.described(db, "action", action) == (
        f"existe depuis le {fmt.date_fr(dt.date.today())} (date d'enregistrement)"
    )


def test_the_completeness_of_t2_2018_lists_only_what_existed(db):
    gaps = completeness(db, as_of=dt.date(2018, 6, 30))
    unknown = [g for g in gaps if g["code"] == "status_unknown"]
    assert [g["programme_code"] for g in unknown] == [EVAL]
    said = " ".join(g["item"] + " " + g["reason"] for g in unknown).lower()
    assert "phase" in said and "orientation" not in said


def test_a_meeting_known_only_from_a_later_act_is_not_shown_before_it(db):
    def meetings(day):
        [summary] = [s for s in overview.summaries(db, day) if s["code"] == EVAL]
        return summary["last_meeting_on"], summary["next_meeting_on"]

    assert meetings(dt.date(2018, 6, 30)) == (None, None)  # was « 21 mars 2019 »
    assert meetings(dt.date(2019, 6, 30)) == (None, None)
    assert meetings(dt.date(2019, 12, 31)) == (dt.date(2019, 3, 21), None)
    assert db.records("committees", as_of=dt.date(2018, 6, 30), programme_code=EVAL) == []
    assert db.records("meetings", programme_code=EVAL, since=None, until=dt.date(2019, 6, 30)) == []
    # the T4 2019 pack is the first to tell of it, in its decisions and its changes
    t4 = pack.build(db, "2019-T4", EVAL)
    said = " ".join(" ".join(s.lines) for s in t4.slides)
    assert "Les phases 2 et 3 ont été validées." in said
    t1 = pack.build(db, "2019-T1", EVAL)
    assert "21 mars 2019" not in " ".join(" ".join(s.lines) for s in t1.slides[1:])


def test_the_chronology_at_a_date_lists_only_what_was_known(db):
    events = overview.timeline(db, EVAL, dt.date(2018, 6, 30))
    dates = {e["date"] for e in events}
    assert dt.date(2017, 11, 22) in dates  # the 2017 convention's conclusion
    assert dt.date(2019, 12, 19) not in dates  # the deliberation of avenant n° 2
    assert dt.date(2020, 12, 31) not in dates  # its term
    assert dt.date(2019, 3, 21) not in dates  # the COPIL known from it
    later = {e["date"] for e in overview.timeline(db, EVAL, dt.date(2020, 6, 30))}
    assert {dt.date(2019, 12, 19), dt.date(2020, 12, 31), dt.date(2019, 3, 21)} <= later


def test_a_status_before_an_item_exists_is_refused_until_its_date_is_given(db):
    action = work.create_action(db, LEAD, phase_id=1, title="Ateliers de 2021")
    with pytest.raises(ValidationError, match="n'existe qu'à partir du"):
        status.change_status(db, LEAD, "action", action, to_status="in_progress",
                             seen_event_id=None, occurred_on=dt.date(2021, 3, 1))  # fmt: skip
    with pytest.raises(ValidationError, match="motif"):
        existence.set_origin(db, LEAD, "action", action,
                             origin=Origin(stated_on=dt.date(2021, 1, 4)))  # fmt: skip
    existence.set_origin(
        db, LEAD, "action", action,
        origin=Origin(stated_on=dt.date(2021, 1, 4), reason="Lancée en janvier 2021 (compte rendu)"),
    )  # fmt: skip
    status.change_status(db, LEAD, "action", action, to_status="in_progress",
                         seen_event_id=None, occurred_on=dt.date(2021, 3, 1))  # fmt: skip
    assert "action" in kinds_at(db, dt.date(2021, 6, 30))
    assert "action" not in kinds_at(db, dt.date(2020, 12, 31))
    audit = db.records("audit_trail", entity="record_origin", limit=5)
    assert any(
        r["reason"] == "Lancée en janvier 2021 (compte rendu)"
        and r["entity_id"] == f"action/{action}"
        for r in audit
    )


def test_a_new_weight_counts_from_the_day_it_is_recorded(db):
    # phase 2 half done in 2019, phase 3 not started: then phase 2 weighs three times more
    status.change_status(db, LEAD, "phase", 2, to_status="in_progress", seen_event_id=None,
                         progress=50, occurred_on=dt.date(2019, 4, 1))  # fmt: skip
    status.change_status(db, LEAD, "phase", 3, to_status="planned", seen_event_id=None,
                         occurred_on=dt.date(2019, 4, 1))  # fmt: skip

    def weighted(day):
        [summary] = [s for s in overview.summaries(db, day) if s["code"] == EVAL]
        return summary["weighted_progress"]

    before = {day: weighted(day) for day in (dt.date(2019, 6, 30), dt.date(2022, 9, 30))}
    assert before[dt.date(2019, 6, 30)] == 25
    version = db.scalar("select version from phase where id = 2")
    work.update_phase(db, LEAD, 2, expected_version=version, weight="3")
    assert {day: weighted(day) for day in before} == before
    assert weighted(dt.date.today()) == pytest.approx(37.5, abs=0.05)


def renderings(db, quarter: str) -> tuple[list, str, list]:
    """What a reader sees of a quarter's pack in its three renderings, the generation
    time set aside: slide texts, the PDF's text, the workbook's cells."""
    content = pack.build(db, quarter)
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes(content))).pages)
    book = load_workbook(io.BytesIO(workbook_bytes(content)), read_only=True)
    cells = [
        (sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)])
        for sheet in book.worksheets
    ]
    return (
        pack_text(db, quarter),
        "\n".join(line for line in pdf.splitlines() if "généré le" not in line),
        [(title, [r for r in rows if not any("généré le" in str(c).lower() for c in r)])
         for title, rows in cells],
    )  # fmt: skip


PAST_QUARTERS = ["2018-T2", "2019-T4", "2020-T4", "2022-T3", "2022-T4"]


@pytest.mark.usefixtures("pdf_font")
@pytest.mark.slow  # an oracle over every quarter: run in CI, left out by -m "not slow"
def test_a_new_action_and_a_new_weight_leave_every_past_pack_unchanged(db):
    every = [f"{y}-T{q}" for y in range(2017, 2026) for q in (1, 2, 3, 4)]
    slides = {q: pack_text(db, q) for q in every}
    full = {q: renderings(db, q) for q in PAST_QUARTERS}
    work.create_action(db, LEAD, phase_id=1, title="Action enregistrée aujourd'hui")
    version = db.scalar("select version from phase where id = 1")
    work.update_phase(db, LEAD, 1, expected_version=version, weight="5")
    version = db.scalar("select version from orientation where id = 5")
    work.update_orientation(db, ADMIN, 5, expected_version=version, weight="2")
    for quarter in every:
        assert pack_text(db, quarter) == slides[quarter], quarter
    for quarter in PAST_QUARTERS:
        assert renderings(db, quarter) == full[quarter], quarter


def test_a_deliberation_without_a_body_never_prints_none():
    assert fmt.deliberation(None, None, dt.date(2019, 12, 19)) == "délibération du 19 décembre 2019"
    assert fmt.deliberation("Bureau de la Métropole", None, None) == (
        "délibération du Bureau de la Métropole"
    )
    assert fmt.deliberation(None, None, None) is None


def test_an_avenant_term_is_checked_against_the_term_in_force_when_it_is_signed(db):
    from dashboard.tracker import acts

    convention = db.scalar("select id from legal_act where programme_id = 2 and kind = 'agreement'")
    first = dict(
        programme_id=2, kind="amendment", amends_act_id=convention, effective_rule="at_signature"
    )
    acts.create_act(db, ADMIN, **first, number=1, title="Avenant n° 1 (fictif)",
                    signed_on=dt.date(2022, 12, 12), extends_to=dt.date(2023, 12, 31))  # fmt: skip
    before = db.scalar("select count(*) from legal_act")
    # a second avenant that would bring the term back before the first one's
    with pytest.raises(ValidationError) as refused:
        acts.create_act(db, ADMIN, **first, number=2, title="Avenant n° 2 (fictif)",
                        signed_on=dt.date(2023, 6, 1), extends_to=dt.date(2023, 9, 30))  # fmt: skip
    said = refused.value.message
    assert "en vigueur au 1er juin 2023" in said
    assert "31 décembre 2023 (tel que prolongé par l'avenant n° 1)" in said
    assert db.scalar("select count(*) from legal_act") == before
    # one that does extend it is recorded
    acts.create_act(db, ADMIN, **first, number=2, title="Avenant n° 2 (fictif)",
                    signed_on=dt.date(2023, 6, 1), extends_to=dt.date(2024, 6, 30))  # fmt: skip


def test_a_contrat_de_ville_frames_the_conventions_recorded_under_it(db):
    """A « cadre » link from a contrat de ville to a convention it frames: recorded,
    checked (no act frames itself, no loop), shown with both acts."""
    from dashboard.tracker import acts, programmes

    cdv = programmes.create_programme(db, ADMIN, code="CDV-2024-2030", title="Contrat de ville",
                                      kind="city_contract")  # fmt: skip
    frame = acts.create_act(db, ADMIN, programme_id=cdv, kind="agreement",
                            title="Contrat de ville « Engagements Quartiers 2030 » (fictif)",
                            signed_on=dt.date(2024, 5, 30))  # fmt: skip
    convention = db.scalar("select id from legal_act where programme_id = 2 and kind = 'agreement'")
    version = db.scalar("select version from legal_act where id = $i", {"i": convention})
    acts.update_act(db, ADMIN, convention, expected_version=version, framework_act_id=frame,
                    reason="Le contrat de ville la cite parmi les conventions qu'il encadre")  # fmt: skip
    [row] = [a for a in db.records("acts", as_of=dt.date(2100, 1, 1), programme_code=None)
             if a["act_id"] == convention]  # fmt: skip
    assert row["framework_act_id"] == frame
    version = db.scalar("select version from legal_act where id = $i", {"i": frame})
    with pytest.raises(ValidationError, match="encadré par l'acte choisi"):
        acts.update_act(db, ADMIN, frame, expected_version=version, framework_act_id=convention)
    with pytest.raises(ValidationError, match="son propre acte cadre"):
        acts.update_act(db, ADMIN, frame, expected_version=version, framework_act_id=frame)


def test_a_programme_recorded_without_an_act_reaches_the_packs_from_its_first_act(db):
    """Recorded today without an act, a programme is in no past pack; once its first act
    (signed 1 February 2024) is recorded, it is in the key figures of T1 2024 on, and its
    action recorded today is not counted before today."""
    from dashboard.tracker import acts, programmes

    def figures(quarter):
        [kpis] = [s for s in pack.build(db, quarter).slides if s.key == "kpis"]
        return kpis.lines[0], "EVAL-CDV-2024-2030" in str(kpis.table)

    before = {q: figures(q) for q in ("2023-T4", "2024-T1")}
    new = programmes.create_programme(db, ADMIN, code="EVAL-CDV-2024-2030", kind="evaluation",
                                      title="Évaluation du contrat de ville 2024-2030")  # fmt: skip
    work.create_action(db, LEAD, programme_id=new, title="Atelier de cadrage")
    assert {q: figures(q) for q in before} == before
    acts.create_act(db, ADMIN, programme_id=new, kind="agreement", title="Convention 2024-2030",
                    signed_on=dt.date(2024, 2, 1), ends_on=dt.date(2030, 12, 31))  # fmt: skip
    assert figures("2023-T4") == before["2023-T4"]
    line, listed = figures("2024-T1")
    assert listed and line.startswith("3 programmes suivis : 1 en vigueur, 2 au terme passé")
    assert "11 éléments suivis" in line  # its action exists from today, not from 2024


def test_a_corrected_payment_says_so_in_the_quarters_workbook(db):
    from dashboard.tracker import budget

    line = db.scalar("select min(id) from budget_line where fiscal_year = 2022")
    paid = budget.record_payment(db, LEAD, budget_line_id=line, stage="commitment",
                                 occurred_on=dt.date(2022, 11, 15), amount="1 000,50")  # fmt: skip
    budget.update_payment(db, LEAD, paid, expected_version=1, amount="1 200",
                          reason="Montant lu sur le bon d'engagement")  # fmt: skip
    book = load_workbook(io.BytesIO(workbook_bytes(pack.build(db, "2022-T4"))), read_only=True)
    rows = list(book["Paiements du trimestre"].iter_rows(values_only=True))
    header, [row] = rows[0], rows[1:]
    said = dict(zip(header, row, strict=True))
    assert said["Montant"] == 1200
    assert said["Correction"].startswith("Corrigé le ")
    assert "Montant lu sur le bon d'engagement" in said["Correction"]


def test_upgrading_a_seeded_database_dates_its_seed_records_from_the_acts(db):
    """A database seeded before migration 0010 had no origins: its records counted from
    the day they were recorded, so the past views would have lost the seed's phases.
    Upgrading gives them the acts the seed names; a record given an origin since keeps it."""
    from dashboard.ingest.seed import date_seed_records

    with db.transaction() as cur:  # as migration 0010 left such a database
        cur.execute(
            "delete from record_origin where entity in ('phase', 'orientation', 'committee', 'meeting')"
        )
        cur.execute("insert into record_origin (entity, entity_id, recorded_on)"
                    " select 'phase', id, current_date from phase union all"
                    " select 'orientation', id, current_date from orientation union all"
                    " select 'committee', id, current_date from committee")  # fmt: skip
    assert kinds_at(db, dt.date(2018, 6, 30)) == []  # the past emptied: what was to be avoided
    existence.set_origin(db, ADMIN, "phase", 1, origin=Origin(
        stated_on=dt.date(2017, 12, 1), reason="Date retenue par le comité"))  # fmt: skip
    assert date_seed_records(db) == 2 + 8 + 2 + 1  # phases 2-3, orientations, committees, meeting
    assert kinds_at(db, dt.date(2018, 6, 30)) == ["phase", "phase", "phase"]
    assert kinds_at(db, dt.date(2019, 12, 31)).count("orientation") == PHASE_3_ORIENTATIONS
    [first] = db.records("record_origin", entity="phase", entity_id=1)
    assert first["basis"] == "stated"  # given since: kept
    assert date_seed_records(db) == 0  # once is enough


def test_correcting_an_avenants_term_checks_it_the_same_way(db):
    """A correction cannot bring a second avenant's term back before the first one's."""
    from dashboard.tracker import acts

    convention = db.scalar("select id from legal_act where programme_id = 2 and kind = 'agreement'")
    common = dict(programme_id=2, kind="amendment", amends_act_id=convention,
                  effective_rule="at_signature")  # fmt: skip
    acts.create_act(db, ADMIN, **common, number=1, title="Avenant n° 1 (fictif)",
                    signed_on=dt.date(2022, 12, 12), extends_to=dt.date(2023, 12, 31))  # fmt: skip
    second = acts.create_act(db, ADMIN, **common, number=2, title="Avenant n° 2 (fictif)",
                             signed_on=dt.date(2023, 6, 1), extends_to=dt.date(2024, 6, 30))  # fmt: skip
    before = snapshot(db)
    with pytest.raises(ValidationError, match="tel que prolongé par l'avenant n° 1"):
        acts.update_act(db, ADMIN, second, expected_version=1, extends_to=dt.date(2023, 9, 30),
                        reason="Relecture")  # fmt: skip
    assert snapshot(db) == before
    after = acts.update_act(db, ADMIN, second, expected_version=1,
                            extends_to=dt.date(2024, 12, 31), reason="Relecture")  # fmt: skip
    assert after["extends_to"] == dt.date(2024, 12, 31)


@pytest.mark.usefixtures("pdf_font")
def test_a_corrected_payment_says_so_on_the_budget_slide_and_in_the_pdf(db):
    """A payment of the quarter corrected since it was recorded: the budget slide, and so
    the PDF, says « Corrigé le … par … ; motif : … » beside its corrected amount."""
    from dashboard.tracker import budget

    line = db.scalar(
        "select b.id from budget_line b join programme p on p.id = b.programme_id "
        "where p.code = 'MODERN-PV-2022' order by b.fiscal_year limit 1"
    )
    paid = budget.record_payment(db, ADMIN, budget_line_id=line, stage="commitment",
                                 occurred_on=dt.date(2022, 11, 15), amount="1000")  # fmt: skip
    [budget_slide] = [s for s in pack.build(db, "2022-T4").slides if s.key == "budget"]
    assert not any("Corrigé le" in line for line in budget_slide.lines)
    budget.update_payment(db, ADMIN, paid, expected_version=1, amount="1000,50",
                          reason="montant de l'arrêté")  # fmt: skip
    content = pack.build(db, "2022-T4")
    [budget_slide] = [s for s in content.slides if s.key == "budget"]
    [said] = [line for line in budget_slide.lines if "Corrigé le" in line]
    assert said.startswith("Engagement du 15 novembre 2022 (1\u202f000,50\u00a0€, MODERN-PV-2022)")
    assert f"par {ADMIN.name}" in said and "motif : montant de l'arrêté" in said
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(pdf_bytes(content))).pages
    )
    assert "Corrigé le" in text and "montant de l'arrêté" in text
    # the quarter before holds no such payment: its slide says nothing of it
    [t3] = [s for s in pack.build(db, "2022-T3").slides if s.key == "budget"]
    assert not any("Corrigé le" in line for line in t3.lines)
