"""Every funder's euros (issue 24, part 3): the financing plans (one budget line per
funder, year and action) read by funder, kind of funder, nature of credits, year, action
and territory add up, in SQL, to the lines and to the payments; what is not said stays
« non renseigné »; a line beyond what its article allows is flagged, never silently
accepted; the share under multi-year conventions is read against the 50 % target; the
migration keeps every existing line and payment; the past does not move."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboard.ingest.load import load, make_demo, read
from dashboard.resources import resource_dir
from dashboard.tracker import acts, budget, financing, fmt, programmes, work
from dashboard.tracker.db import Database, migrate, migration_files
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.origins import Origin
from tests.conftest import ADMIN, LEAD
from tests.helpers import snapshot
from tests.tracker.test_pack import pdf_font  # noqa: F401 - the fixture

TODAY = dt.date.today()
CDV = "CDV-FICTIF-2024-2030"
DIMENSIONS = ("funder", "funder_category", "nature", "fiscal_year", "action")


def _q(db: Database, statement: str, params: dict | None = None) -> list[tuple]:
    with db.reader() as cur:
        return cur.execute(statement, params or {}).fetchall()


@pytest.fixture
def demo(db):
    """The seed, then the demo's fictional territories and contrat de ville."""
    make_demo(db)
    for name in ("referentiel-demo.toml", "contrat-de-ville-demo.toml"):
        load(db, ADMIN, read(resource_dir("examples") / name), origin=name)
    return db


def _sql_totals(db: Database, as_of: dt.date, programme: str | None) -> dict[str, tuple]:
    """Per tax basis, the cash of the lines in force and what was committed and paid on
    them, straight from the tables (the oracle of the views)."""
    rows = _q(
        db,
        """
        select b.tax_basis, sum(b.amount) filter (where b.kind = 'financial'),
            (select sum(p.amount) from payment p where p.cancelled_at is null
               and p.stage = 'commitment' and p.occurred_on <= $d
               and p.budget_line_id in (select id from budget_lines_in_force($d) x
                                        where x.tax_basis = b.tax_basis and x.programme_id in
                                        (select id from programme where $p is null or code = $p))),
            (select sum(p.amount) from payment p where p.cancelled_at is null
               and p.stage = 'disbursement' and p.occurred_on <= $d
               and p.budget_line_id in (select id from budget_lines_in_force($d) x
                                        where x.tax_basis = b.tax_basis and x.programme_id in
                                        (select id from programme where $p is null or code = $p)))
        from budget_lines_in_force($d) as b
        join programme as pr on pr.id = b.programme_id
        where $p is null or pr.code = $p
        group by b.tax_basis
        """,
        {"d": as_of, "p": programme},
    )
    return {basis: (granted, committed, paid) for basis, granted, committed, paid in rows}


def _added(rows: list[dict], basis: str) -> tuple:
    def total(key):
        values = [r[key] for r in rows if r["tax_basis"] == basis and r[key] is not None]
        return sum(values, Decimal("0.00")) if values else None

    return total("granted"), total("committed"), total("paid")


@pytest.mark.parametrize("programme", [CDV, None])
def test_every_view_adds_up_to_the_lines_and_the_payments(demo, programme):
    for as_of in (dt.date(2024, 6, 30), dt.date(2024, 12, 31), TODAY):
        oracle = _sql_totals(demo, as_of, programme)
        views = financing.views(demo, as_of, programme)
        for dimension in DIMENSIONS:
            for basis, expected in oracle.items():
                assert _added(views[dimension], basis) == expected, (dimension, basis, as_of)


def test_the_demo_year_reads_by_funder_nature_and_action(demo):
    views = financing.views(demo, dt.date(2024, 12, 31), CDV, 2024)
    by_category = {(r["name"], r["tax_basis"]): r for r in views["funder_category"]}
    assert {k: v["granted"] for k, v in by_category.items() if v["granted"]} == {
        ("État (programme 147 / ANCT)", "TTC"): Decimal("23000.00"),
        ("Métropole ou EPCI", "TTC"): Decimal("23000.00"),
        ("Commune", "TTC"): Decimal("16000.00"),
        ("CAF", "TTC"): Decimal("5000.00"),
    }
    # the room the CAF lends is in kind: counted apart, never given an amount
    assert by_category[("CAF", "unspecified")]["in_kind_lines"] == 1
    assert by_category[("CAF", "unspecified")]["granted"] is None
    nature = {r["name"]: r["granted"] for r in views["nature"] if r["tax_basis"] == "TTC"}
    assert nature == {
        "Crédits spécifiques de la politique de la ville": Decimal("46000.00"),
        "Droit commun": Decimal("21000.00"),
    }
    actions = {r["name"]: (r["granted"], r["paid"]) for r in views["action"]
               if r["tax_basis"] == "TTC"}  # fmt: skip
    assert actions["Médiation sociale de proximité (fictif)"] == (
        Decimal("50000.00"), Decimal("27500.00"))  # fmt: skip
    # nothing paid on the conseil citoyen's line: unknown, not zero
    assert actions["Soutien au conseil citoyen (fictif)"] == (Decimal("3000.00"), None)
    # a line tagged with two QPV counts in each
    territory = {r["name"]: r["granted"] for r in views["territory"] if r["tax_basis"] == "TTC"}
    assert territory["Quartier des Tilleuls (fictif)"] == Decimal("53000.00")
    assert sum(territory.values()) > Decimal("67000.00")


def test_the_multi_year_share_is_read_on_what_is_known(demo):
    [share] = [s for s in financing.multi_year_shares(demo, dt.date(2024, 12, 31), CDV)]
    assert (share.fiscal_year, share.multi_year, share.single_year, share.not_said) == (
        2024, Decimal("23000.00"), Decimal("8000.00"), Decimal("36000.00"))  # fmt: skip
    assert share.share == pytest.approx(74.2)
    assert share.meets_target is True
    assert share.verdict == (
        f"{fmt.percent(74.2, 1)} (objectif : 50\u00a0%), objectif atteint — sur la part connue "
        "seulement"
    )
    # the seed's acts do not say whether they are multi-year: « non renseigné », no share
    seed = financing.multi_year_shares(demo, TODAY, "MODERN-PV-2022")
    assert [(s.fiscal_year, s.share, s.meets_target) for s in seed] == [(2022, None, None)]
    assert seed[0].verdict.startswith("non renseigné")


def test_what_is_not_said_stays_non_renseigne(db):
    views = financing.views(db, TODAY)
    assert [r["name"] for r in views["nature"]] == [fmt.UNKNOWN, fmt.UNKNOWN]
    assert [r["name"] for r in views["action"]][0].startswith("le programme dans son ensemble")
    assert [r["name"] for r in views["territory"]] == ["aucun territoire rattaché"] * 2
    # the seed's funder is the Métropole, as the acts' parties say
    assert {r["name"] for r in views["funder_category"]} == {"Métropole ou EPCI"}


def _financing_clause(db: Database, programme: str) -> dict:
    return next(c for c in db.records("clauses", as_of=TODAY, programme_code=programme)
                if c["kind"] == "financing")  # fmt: skip


def test_a_line_beyond_its_article_is_flagged_never_silently_accepted(db):
    clause = _financing_clause(db, "MODERN-PV-2022")
    assert clause["yearly_amount"] == Decimal("100000.00")
    programme = db.scalar("select id from programme where code = 'MODERN-PV-2022'")
    before = snapshot(db)
    with pytest.raises(ValidationError, match=f"au-delà des {fmt.money(100000)} qu'il prévoit"):
        budget.create_budget_line(db, ADMIN, programme_id=programme, fiscal_year=2022,
                                  amount="5 000", tax_basis="TTC", act_id=clause["act_id"],
                                  clause_id=clause["clause_id"])  # fmt: skip
    assert snapshot(db) == before
    # another year of the same article is not this year's excess
    budget.create_budget_line(db, ADMIN, programme_id=programme, fiscal_year=2023,
                              amount="5 000", tax_basis="TTC", act_id=clause["act_id"],
                              clause_id=clause["clause_id"])  # fmt: skip
    line = budget.create_budget_line(
        db, ADMIN, programme_id=programme, fiscal_year=2022, amount="5 000", tax_basis="TTC",
        act_id=clause["act_id"], clause_id=clause["clause_id"],
        over_act_reason="Complément voté en cours d'année, avenant en préparation",
    )  # fmt: skip
    [row] = [r for r in db.records("budget_lines", as_of=TODAY, programme_code="MODERN-PV-2022")
             if r["budget_line_id"] == line]  # fmt: skip
    assert row["over_act_reason"].startswith("Complément voté")
    assert row["clause_yearly_amount"] == Decimal("100000.00")
    audit = _q(
        db,
        "select reason from audit_log where entity = 'budget_line' and entity_id = $i",
        {"i": str(line)},
    )
    assert audit == [("Complément voté en cours d'année, avenant en préparation",)]
    # a correction that raises the seed's own line beyond the article is flagged too
    seed_line = _q(db, "select id, version from budget_line where fiscal_year = 2022 order by id")[
        0
    ]
    before = snapshot(db)
    with pytest.raises(ValidationError, match="indiquez le motif du dépassement"):
        budget.update_budget_line(db, ADMIN, seed_line[0], expected_version=seed_line[1],
                                  amount="100 000,01", reason="essai")  # fmt: skip
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: programmes.create_organisation(db, ADMIN, code="BANQUE", name="Banque",
                                                   kind="other", funder_category="banque"),
         "Catégorie de financeur"),
        (lambda db: budget.create_budget_line(db, ADMIN, programme_id=1, fiscal_year=2022,
                                              amount="1", tax_basis="TTC",
                                              funding_nature="mécénat"),
         "Nature des crédits"),
        (lambda db: acts.update_act(db, ADMIN, 1, expected_version=1, multi_year="peut-être"),
         "« oui », « non » ou reste non renseigné"),
        (lambda db: acts.update_clause(db, ADMIN, 1, expected_version=1, yearly_amount="beaucoup"),
         "Montant annuel prévu"),
    ],
)  # fmt: skip
def test_bad_funding_input_is_refused_in_french_and_changes_nothing(db, call, message):
    before = snapshot(db)
    with pytest.raises(ValidationError, match=message):
        call(db)
    assert snapshot(db) == before


def test_an_action_of_another_programme_is_refused(db):
    action = work.create_action(db, ADMIN, programme_id=1, title="Action de l'évaluation")
    before = snapshot(db)
    with pytest.raises(ValidationError, match="L'action financée appartient à un autre programme"):
        budget.create_budget_line(db, ADMIN, programme_id=2, fiscal_year=2022, amount="1",
                                  tax_basis="TTC", action_id=action)  # fmt: skip
    assert snapshot(db) == before


def test_a_line_recorded_today_leaves_the_past_unchanged(db):
    """A line without a dated act counts from 1 January of its year, but never before it
    was recorded; an earlier date needs its reason."""
    programme = db.scalar("select id from programme where code = 'MODERN-PV-2022'")
    action = work.create_action(db, ADMIN, programme_id=programme, title="Ateliers (test)",
                                origin=Origin(stated_on=dt.date(2022, 1, 10), reason="lettre"))  # fmt: skip
    past = dt.date(2022, 12, 31)
    views_before = financing.views(db, past)
    shares_before = financing.multi_year_shares(db, past)
    budget.create_budget_line(db, ADMIN, programme_id=programme, fiscal_year=2022, amount="900",
                              tax_basis="TTC", action_id=action, funding_nature="ordinary")  # fmt: skip
    assert financing.views(db, past) == views_before
    assert financing.multi_year_shares(db, past) == shares_before
    [row] = [r for r in db.records("budget_lines", as_of=TODAY, programme_code="MODERN-PV-2022")
             if r["action_id"] == action]  # fmt: skip
    assert (row["starts_on"], row["start_basis"]) == (TODAY, "recorded")
    assert fmt.LINE_START_NOTES[row["start_basis"]] == " (date d'enregistrement)"
    # stated earlier, with its reason: it counts from then
    budget.create_budget_line(db, ADMIN, programme_id=programme, fiscal_year=2022, amount="100",
                              tax_basis="TTC", action_id=action,
                              origin=Origin(stated_on=dt.date(2022, 3, 1),
                                            reason="Notifié par courrier du 1er mars 2022"))  # fmt: skip
    counted = {r["name"]: r["granted"] for r in financing.views(db, past)["action"]}
    assert counted["Ateliers (test)"] == Decimal("100.00")


def test_the_migration_keeps_every_line_and_payment(tmp_path):
    """A database at schema 21 holding the seed's two lines and a payment: after 0022,
    every old value is still there, the new columns say « non renseigné », except a
    funder whose kind already says it is the État."""
    path = tmp_path / "old.duckdb"
    old = Database(path)
    migrate(old, target=21)
    with old.transaction() as cur:
        cur.execute("""
            insert into organisation (id, code, name, kind, updated_by) values
                (1, 'AMP', 'Métropole Aix-Marseille-Provence', 'local_authority', 's'),
                (2, 'ETAT', 'Préfecture', 'state', 's');
            insert into programme (id, code, title, kind, updated_by) values
                (1, 'MODERN-PV-2022', 'Modernisation', 'modernisation', 's');
            insert into legal_act (id, programme_id, kind, title, signed_on, updated_by) values
                (1, 1, 'agreement', 'Convention 2022', date '2022-05-01', 's');
            insert into budget_line (id, programme_id, act_id, fiscal_year, amount, tax_basis,
                                     funder_id, label, updated_by) values
                (1, 1, 1, 2022, 100000, 'TTC', 1, 'Participation financière 2022', 's'),
                (2, 1, null, 2023, 5000, 'HT', 2, 'Sans acte', 's');
            insert into payment (budget_line_id, stage, occurred_on, amount, recorded_by,
                                 updated_by) values
                (1, 'commitment', date '2022-06-01', 100000, 's', 's');
        """)  # fmt: skip
    before = {t: _q(old, f"select * from {t} order by id") for t in
              ("budget_line", "payment", "organisation", "legal_act")}  # fmt: skip
    old.close()
    upgraded = Database(path)
    assert migrate(upgraded) == [v for v, _, _ in migration_files() if v > 21]
    for table, rows in before.items():
        width = len(rows[0])
        assert [r[:width] for r in _q(upgraded, f"select * from {table} order by id")] == rows
    assert _q(upgraded, "select funder_category from organisation order by id") == [
        (None,), ("state",)]  # fmt: skip
    assert (
        _q(
            upgraded,
            "select action_id, funding_nature, over_act_reason from budget_line order by id",
        )
        == [(None, None, None)] * 2
    )
    # a line recorded before existence dates keeps counting from 1 January of its year
    lines = upgraded.records("budget_lines", as_of=dt.date(2023, 1, 1), programme_code=None)
    assert [(r["budget_line_id"], r["start_basis"]) for r in lines] == [
        (1, "signed"), (2, "fiscal_year")]  # fmt: skip
    upgraded.close()


@pytest.mark.usefixtures("pdf_font")
def test_financing_plans_and_a_rapport_annuel_recorded_today_leave_past_packs_unchanged(db):
    """Two past quarters' packs (slide text, PDF text, workbook cells) before and after a
    financing plan of 2022 and 2020 recorded today, an organisation's kind of funder
    said, a contrat de ville with its rapport annuel opened and sent."""
    from dashboard.tracker import annual_report as ar
    from tests.tracker.test_existence import renderings

    quarters = ["2020-T4", "2022-T3"]
    before = {q: renderings(db, q) for q in quarters}
    modern = db.scalar("select id from programme where code = 'MODERN-PV-2022'")
    action = work.create_action(db, LEAD, programme_id=modern, title="Ateliers de quartier")
    caf = programmes.create_organisation(db, ADMIN, code="CAF-13", name="CAF des Bouches-du-Rhône",
                                         kind="other", funder_category="caf")  # fmt: skip
    for year, amount in ((2022, "12 000"), (2020, "3 000")):
        budget.create_budget_line(db, ADMIN, programme_id=modern, fiscal_year=year,
                                  amount=amount, tax_basis="TTC", funder_id=caf,
                                  action_id=action, funding_nature="ordinary")  # fmt: skip
    cdv = programmes.create_programme(db, ADMIN, code="CDV-TEST", kind="city_contract",
                                      title="Contrat de ville de test")  # fmt: skip
    report = ar.create_report(db, ADMIN, programme_id=cdv, year=2022)
    ar.send_draft(db, ADMIN, report_id=report, consulted="other_party", organisation_id=caf,
                  sent_on=TODAY)  # fmt: skip
    for quarter in quarters:
        assert renderings(db, quarter) == before[quarter], quarter
    # today's views do show them
    assert "CAF" in {r["name"] for r in financing.views(db, TODAY)["funder_category"]}
