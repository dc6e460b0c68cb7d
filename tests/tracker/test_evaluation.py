"""The evaluation: territories and their scope, roll-ups (a sum for counts and
amounts, never for rates), « on track » by direction, values as known at a date,
deliverables' status from recorded facts, questions' état de la réponse over time,
the territories CSV, and the demonstration file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from dashboard.ingest.load import is_demo, load, make_demo, read
from dashboard.tracker import committees, deliverables, evaluation, periods, territories, validate
from dashboard.tracker.errors import ValidationError
from tests.conftest import ADMIN
from tests.helpers import SINCE_2019, snapshot

TODAY = dt.date.today()
DEMO = Path(__file__).parents[2] / "data" / "examples" / "referentiel-demo.toml"


@pytest.fixture
def places(db):
    """CT > two communes; QPV A and B in commune 1, QPV C in commune 2, QPV D in both."""
    t = territories.create_territory
    ct = t(db, ADMIN, kind="council", code="CT1", name="Conseil 1")
    c1 = t(db, ADMIN, kind="commune", code="13001", name="Commune 1", within=[ct])
    c2 = t(db, ADMIN, kind="commune", code="13002", name="Commune 2", within=[ct])
    qpv = {
        name: t(db, ADMIN, kind="qpv", code=f"QN0130{i}M", name=f"QPV {name}", generation=2024,
                within=within)
        for i, (name, within) in enumerate(
            [("A", [c1]), ("B", [c1]), ("C", [c2]), ("D", [c1, c2])], start=1)
    }  # fmt: skip
    return {"ct": ct, "c1": c1, "c2": c2, **qpv}


def indicator(db, code: str, unit_kind: str, direction: str = "up") -> int:
    return evaluation.create_indicator(
        db, ADMIN, programme_id=1, code=code, name=code, unit="u", unit_kind=unit_kind,
        direction=direction, periodicity="year", origin=SINCE_2019,
    )  # fmt: skip


def values(db, indicator_id: int, rows: list[tuple]) -> None:
    evaluation.record_values(db, ADMIN, [
        {"indicator_id": indicator_id, "period": period, "territory_id": place, "value": value}
        for period, place, value in rows
    ])  # fmt: skip


def totals(db, indicator_id: int, territory_id: int | None, as_of: dt.date | None = None) -> dict:
    rows = evaluation.series(db, indicator_id, territory_id, as_of or TODAY)
    return {r["period"]: r["value"] for r in rows if r["row_kind"] == "total"}


def test_scope_takes_every_territory_within(db, places):
    assert territories.scope(db, places["c1"]) == {places[k] for k in ("c1", "A", "B", "D")}
    assert territories.scope(db, places["ct"]) == set(places.values())
    assert territories.scope(db, places["A"]) == {places["A"]}


def test_counts_roll_up_from_qpv_and_a_qpv_in_two_communes_counts_once(db, places):
    count = indicator(db, "COUNT", "count")
    values(db, count, [("2023", places[q], v) for q, v in (("A", 10), ("B", 20), ("C", 30),
                                                            ("D", 5))])  # fmt: skip
    assert totals(db, count, places["c1"]) == {"2023": D("35")}  # A + B + D
    assert totals(db, count, places["c2"]) == {"2023": D("35")}  # C + D
    assert totals(db, count, places["ct"]) == {"2023": D("65")}  # D once
    assert totals(db, count, None) == {"2023": D("65")}


def test_a_value_entered_for_the_territory_itself_wins_over_the_sum(db, places):
    count = indicator(db, "COUNT", "count")
    values(db, count, [("2023", places["A"], 10), ("2023", places["B"], 20),
                       ("2023", places["c1"], 40)])  # fmt: skip
    rows = evaluation.series(db, count, places["c1"], TODAY)
    total = next(r for r in rows if r["row_kind"] == "total")
    assert total["value"] == D("40") and total["own"]
    assert evaluation.value_source(total) == "saisie pour l'ensemble"


def test_rates_are_never_summed(db, places):
    rate = indicator(db, "RATE", "rate")
    values(db, rate, [("2023", places["A"], "12,5"), ("2023", places["B"], "20")])
    rows = evaluation.series(db, rate, places["c1"], TODAY)
    assert [r["value"] for r in rows if r["row_kind"] == "total"] == [None]
    assert sorted(r["value"] for r in rows if r["row_kind"] == "detail") == [D("12.5"), D("20")]


def test_on_track_follows_the_direction(db, places):
    up, down = indicator(db, "UP", "count", "up"), indicator(db, "DOWN", "rate", "down")
    for code in (up, down):
        evaluation.set_target(db, ADMIN, indicator_id=code, period="2024", value="20")
    values(db, up, [("2024", places["A"], 8), ("2024", places["C"], 12)])  # total 20 = target
    values(db, down, [("2024", places["A"], 19), ("2024", places["C"], "20,5")])
    status = {
        r["code"]: r for r in db.records("indicator_status", programme_code=None, as_of=TODAY)
    }
    assert status["UP"]["track"] == "on_track"  # 20 >= 20
    assert (status["DOWN"]["met"], status["DOWN"]["judged"]) == (1, 2)  # 20,5 > 20
    assert status["DOWN"]["track"] == "off_track"
    evaluation.set_target(db, ADMIN, indicator_id=down, period="2024", value="21",
                          territory_id=places["C"])  # fmt: skip
    status = {
        r["code"]: r for r in db.records("indicator_status", programme_code=None, as_of=TODAY)
    }
    assert status["DOWN"]["track"] == "on_track"  # C's own target applies to C


def test_without_value_or_target_it_says_so(db, places):
    none, no_target = indicator(db, "NONE", "count"), indicator(db, "NOTARGET", "count")
    values(db, no_target, [("2024", places["A"], 3)])
    status = {r["code"]: r["track"] for r in db.records("indicator_status", programme_code=None,
                                                          as_of=TODAY)}  # fmt: skip
    assert status == {"NONE": "no_value", "NOTARGET": "no_target"}
    assert none


def test_a_value_counts_from_the_end_of_its_period(db, places):
    count = indicator(db, "COUNT", "count")
    values(db, count, [("2023", places["A"], 10)])
    assert evaluation.series(db, count, None, dt.date(2023, 12, 30)) == []
    assert db.records("indicator_status", programme_code=None, as_of=dt.date(2023, 12, 30))[0][
        "track"] == "no_value"  # fmt: skip
    assert totals(db, count, None, dt.date(2023, 12, 31)) == {"2023": D("10")}


def test_a_value_of_a_period_not_yet_ended_is_refused(db):
    count = indicator(db, "COUNT", "count")
    with pytest.raises(ValidationError, match="n'est pas terminée"):
        values(db, count, [(str(TODAY.year), None, 10)])


def test_a_corrected_value_says_so_and_the_audit_keeps_the_old_one(db, places):
    count = indicator(db, "COUNT", "count")
    values(db, count, [("2023", places["A"], 10)])
    value_id = db.scalar("select id from indicator_value")
    evaluation.correct_value(db, ADMIN, value_id, expected_version=1, value="12",
                             reason="Erreur de report")  # fmt: skip
    detail = next(r for r in evaluation.series(db, count, None, TODAY) if r["row_kind"] == "detail")
    assert detail["value"] == D("12") and detail["corrected"]
    assert "corrigée par" in evaluation.value_source(detail)
    before = db.scalar("select before::varchar from audit_log where entity = 'indicator_value' "
                       "and operation = 'update'")  # fmt: skip
    assert '"value": "10.0000"' in before


def test_table_entry_is_all_or_nothing_with_errors_per_line(db, places):
    count = indicator(db, "COUNT", "count")
    values(db, count, [("2023", places["A"], 10)])
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        evaluation.record_values(db, ADMIN, [
            {"indicator_id": count, "period": "2024", "territory_id": places["A"], "value": "1"},
            {"indicator_id": count, "period": "2023", "territory_id": places["A"], "value": "2"},
            {"indicator_id": count, "period": "2024", "territory_id": places["A"], "value": "3"},
            {"indicator_id": count, "period": "S1 2024", "value": "12,5,0"},
        ])  # fmt: skip
    message = caught.value.message
    assert "ligne 2 : une valeur est déjà saisie" in message
    assert "ligne 3 : même indicateur, période et territoire que la ligne 1" in message
    assert "ligne 4 : " in message
    assert message.index("ligne 2") < message.index("ligne 3") < message.index("ligne 4")
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("periodicity", "typed", "start"),
    [
        ("year", "2023", dt.date(2023, 1, 1)),
        ("semester", "S2 2023", dt.date(2023, 7, 1)),
        ("semester", "2023-S1", dt.date(2023, 1, 1)),
        ("quarter", "T4 2023", dt.date(2023, 10, 1)),
        ("quarter", "2023-Q2", dt.date(2023, 4, 1)),
        ("quarter", dt.date(2023, 7, 1), dt.date(2023, 7, 1)),
    ],
)
def test_periods_are_read_in_french(periodicity, typed, start):
    assert periods.parse(typed, periodicity) == start
    assert periods.parse(periods.label(periodicity, start), periodicity) == start


@pytest.mark.parametrize(
    ("periodicity", "typed"),
    [("year", "S1 2023"), ("semester", "S3 2023"), ("quarter", "T5 2023"), ("year", "23"),
     ("quarter", dt.date(2023, 8, 1)), ("year", "")],
)  # fmt: skip
def test_other_periods_are_refused(periodicity, typed):
    with pytest.raises(ValidationError, match="Période"):
        periods.parse(typed, periodicity)


@pytest.mark.parametrize(("typed", "read"), [("0,125", D("0.125")), ("12,5", D("12.5")),
                                             ("1 250", D("1250")), ("-3", D("-3")),
                                             ("45 %", D("45"))])  # fmt: skip
def test_measures(typed, read):
    assert validate.measure(typed, "Valeur") == read


def test_ambiguous_measures_are_refused():
    for typed in ("1,000", "1.000", "12,5,0", "0,00001"):
        with pytest.raises(ValidationError):
            validate.measure(typed, "Valeur")


def test_deliverable_status_comes_from_recorded_facts(db, places):
    planned = deliverables.create_deliverable(
        db, ADMIN, programme_id=1, kind="report", title="Rapport", phase_id=1,
        planned_on=dt.date(2019, 1, 31), territory_ids=[places["A"]], origin=SINCE_2019,
    )  # fmt: skip
    rows = deliverables.deliverables(db, None, TODAY)
    assert (rows[0]["status"], rows[0]["late"]) == ("planned", True)
    deliverables.update_deliverable(db, ADMIN, planned, expected_version=1,
                                    delivered_on=dt.date(2019, 2, 15))  # fmt: skip
    assert deliverables.deliverables(db, None, TODAY)[0]["status"] == "delivered"
    assert deliverables.deliverables(db, None, dt.date(2019, 2, 1))[0]["status"] == "planned"
    committee = db.scalar("select id from committee where programme_id = 1 order by id limit 1")
    committees.record_meeting(db, ADMIN, committee_id=committee, held_on=dt.date(2019, 3, 1),
                              decisions=[committees.DecisionInput(
                                  "validates", "Rapport validé", [("deliverable", planned)])])  # fmt: skip
    row = deliverables.deliverables(db, None, TODAY)[0]
    assert (row["status"], row["validated_on"]) == ("validated", dt.date(2019, 3, 1))
    assert deliverables.deliverables(db, None, dt.date(2019, 2, 20))[0]["status"] == "delivered"
    in_c2 = evaluation.in_scope(deliverables.deliverables(db, None, TODAY),
                                territories.scope(db, places["c2"]))  # fmt: skip
    assert in_c2 == []
    in_c1 = evaluation.in_scope(deliverables.deliverables(db, None, TODAY),
                                territories.scope(db, places["c1"]))  # fmt: skip
    assert [d["id"] for d in in_c1] == [planned]


def test_the_answer_state_of_a_past_date_is_the_one_recorded_by_then(db):
    question = evaluation.create_question(db, ADMIN, programme_id=1, text="Q ?",
                                          origin=SINCE_2019)  # fmt: skip
    evaluation.set_answer_state(db, ADMIN, question, answer_state="in_progress")
    now = db.records("eval_questions", programme_code=None, as_of=TODAY)[0]
    assert now["answer_state"] == "in_progress"
    yesterday = TODAY - dt.timedelta(days=1)
    then = db.records("eval_questions", programme_code=None, as_of=yesterday)
    assert then[0]["answer_state"] == "not_started"  # set today: not yet on the day before
    with pytest.raises(ValidationError, match="au moins un indicateur"):
        evaluation.set_answer_state(db, ADMIN, question, answer_state="answered", answer="Oui")


def test_territories_csv_updates_by_key_and_refuses_a_bad_file_whole(db):
    first = (b"type;code;nom;generation;situe_dans;successeur\n"
             b"commune;13001;Marseille 1er;;;\n"
             b"qpv;QN01301M;Belsunce;2024;13001;\n")  # fmt: skip
    assert territories.load_territories(db, ADMIN, data=first) == {
        "added": 2, "updated": 0, "links": 1}  # fmt: skip
    latin = ("type,code,nom,generation,situe_dans,successeur\n"
             "commune,13001,Marseille 1er arrondissement,,,\n"
             "qpv,QP013001,Centre-Ville (2015),2015,13001,QN01301M\n").encode("cp1252")  # fmt: skip
    assert territories.load_territories(db, ADMIN, data=latin) == {
        "added": 1, "updated": 1, "links": 2}  # fmt: skip
    rows = {r["code"]: r for r in territories.territories(db)}
    assert len(rows) == 3 and rows["13001"]["name"] == "Marseille 1er arrondissement"
    assert rows["QP013001"]["successor"] == "Belsunce (QN01301M)"
    before = snapshot(db)
    bad = (b"type;code;nom;generation;situe_dans\n"
           b"commune;13055;Marseille;;\n"
           b"qpv;QN01399M;Nouveau;2019;13055\n"
           b"ville;1;X;;\n")  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        territories.load_territories(db, ADMIN, data=bad)
    assert "ligne 3 : " in caught.value.message and "ligne 4 : type inconnu" in caught.value.message
    assert snapshot(db) == before


def test_the_demo_file_loads_only_into_a_demo_database_and_twice_changes_nothing(db):
    facts = read(DEMO)
    assert facts["fictional"] is True
    with pytest.raises(ValidationError, match="données fictives"):
        load(db, ADMIN, facts, origin=DEMO.name)
    assert not is_demo(db)
    make_demo(db)
    report = load(db, ADMIN, facts, origin=DEMO.name)
    assert db.scalar("select count(*) from eval_question") == 2
    assert db.scalar("select count(*) from indicator") == 4
    assert db.scalar("select count(*) from deliverable") == 2
    qpv_values = db.scalar(
        "select count(distinct (v.territory_id, v.period_start)) from indicator_value v "
        "join territory t on t.id = v.territory_id where t.kind = 'qpv'")  # fmt: skip
    assert qpv_values == 3 * 3  # three QPV over three years
    assert db.scalar("select count(*) from judgement") == 2  # two questions judged
    assert db.scalar("select count(distinct status) from recommendation_event"
                     " where id in (select max(id) from recommendation_event"
                     " group by recommendation_id)") == 3  # three states  # fmt: skip
    again = load(db, ADMIN, facts, origin=DEMO.name)
    assert again.empty
    assert again.unchanged == len(report.created) + len(report.changed) + report.unchanged
    assert all("fictif" in r["name"] or r["kind"] != "qpv" for r in territories.territories(db))


def test_the_json_export_carries_the_evaluation_and_loads_into_another_database(db, tmp_path):
    from dashboard.ingest.seed import initialize
    from dashboard.tracker import export
    from dashboard.tracker.db import Database

    make_demo(db)
    load(db, ADMIN, read(DEMO), origin=DEMO.name)
    exported = tmp_path / "export.json"
    exported.write_text(export.to_json(db), encoding="utf-8")
    document = read(exported)
    assert document["schema_version"] == 3 and document["fictional"] is True
    assert len(document["values"]) == 24 and document["values"][0]["value"] == "80"
    # every version of every answer, every recommendation with its states
    assert (
        len(db.records("judgement_records", programme_code=None))
        == len(document["judgements"])
        == 2
    )
    assert len(db.records("recommendation_records", programme_code=None)) == 3
    assert [len(r["states"]) for r in document["recommendations"]] == [0, 1, 2]
    with Database(tmp_path / "real.duckdb") as real:
        initialize(real)
        with pytest.raises(ValidationError, match="données fictives"):
            load(real, ADMIN, document, origin="export.json")
    with Database(tmp_path / "copy.duckdb") as copy:
        initialize(copy)
        make_demo(copy)
        # the answers and recommendations cite a decision: refused until it is recorded
        before = snapshot(copy)
        with pytest.raises(ValidationError, match="décision du 2025-12-04 .* introuvable"):
            load(copy, ADMIN, document, origin="export.json")
        assert snapshot(copy) == before
        committees.record_meeting(copy, ADMIN, committee_id=1, held_on=dt.date(2025, 12, 4),
                                  decisions=[committees.DecisionInput("other", DEMO_DECISION, [])])  # fmt: skip
        load(copy, ADMIN, document, origin="export.json")
        again = read_json(export.to_json(copy))
    keys = ("territories", "questions", "indicators", "targets", "values", "deliverables",
            "answers", "judgements", "recommendations")  # fmt: skip
    assert {k: again[k] for k in keys} == {k: read_json(export.to_json(db))[k] for k in keys}


DEMO_DECISION = (
    "La réponse à la question 2 et la recommandation sur les conseils citoyens sont "
    "validées (fictif)."
)


def read_json(text: str) -> dict:
    import json

    return json.loads(text)


def test_a_territorys_target_is_read_the_same_by_its_chart_and_its_status(db, places):
    """Issue 21: « sans cible » in the table while the commune's chart drew its target.
    A count with a target only for commune 1 (150 in 2025) and its QPV totalling 145:
    the chart and the status both judge 145 against 150."""
    count = indicator(db, "COUNT", "count")
    evaluation.set_target(db, ADMIN, indicator_id=count, period="2025", value="150",
                          territory_id=places["c1"])  # fmt: skip
    values(db, count, [("2025", places["A"], 100), ("2025", places["B"], 45)])
    chart = [
        r for r in evaluation.series(db, count, places["c1"], TODAY) if r["row_kind"] == "total"
    ]
    assert [(r["value"], r["target"]) for r in chart] == [(D("145"), D("150"))]
    [status] = db.records("indicator_status", programme_code=None, as_of=TODAY)
    assert (status["track"], status["judged"], status["met"]) == ("off_track", 1, 0)
    # the programme's total has no target of its own: it is not judged against the commune's
    assert status["total_target"] is None
    values(db, count, [("2025", places["D"], 10)])  # a QPV of both communes: 155 in commune 1
    [status] = db.records("indicator_status", programme_code=None, as_of=TODAY)
    assert status["track"] == "on_track"
