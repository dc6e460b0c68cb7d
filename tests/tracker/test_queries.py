"""Golden tests: every named query on the tiny hand-made dataset (tests/helpers.py),
exact rows out; and every query file has its header and passes EXPLAIN."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from dashboard.tracker.queries import header, names, parameters, sql

D0 = D("0.00")
SAMPLE_PARAMS = {
    "audit_after": 0,
    "event_after": 0,
    "acts": [1],
    "committees": [1],
    "meetings": [1],
    "decisions": [1],
    "lines": [1],
    "phases": [1],
    "orientations": [1],
    "actions": [],
    "as_of": dt.date(2026, 1, 1),
    "item_kind": "phase",
    "item_id": 1,
    "entity": None,
    "limit": 10,
    "programme_code": None,
    "login_key": "k",
    "client_key": "c",
    "browser_key": "b",
    "pair_since": dt.datetime(2026, 1, 1),
    "client_since": dt.datetime(2026, 1, 1),
    "since": dt.date(2026, 1, 1),
    "until": dt.date(2026, 1, 1),
    "token_hash": "0" * 64,
    "now": dt.datetime(2026, 1, 1),
    "indicator_id": 1,
    "act_id": 1,
    "any_record": True,
    "territory_id": 1,
    "entity_id": 1,
    "attachment_id": 1,
    "budget_line_id": 1,
    "council_id": 1,
    "without_actions": False,
    "only_phases": [1],
    "only_orientations": [],
    "only_actions": [],
    "next_only": False,
    "kind": "qpv",
    "generation": 2024,
    "fiscal_year": 2022,
    "clause_id": 1,
    "without_line_id": None,
    "replaced_line_id": None,
    "report_id": 1,
    "user_id": 1,
    "login": "admin",
}


def pick(rows: list[dict], *keys: str) -> list[tuple]:
    return [tuple(row[k] for k in keys) for row in rows]


@pytest.mark.parametrize("name", names())
def test_query_file_has_header_and_explains(name, empty_db):
    text = sql(name)
    meta = header(text)
    assert meta.get("name") == name, f"{name}.sql: '-- name: {name}' attendu"
    assert len(meta.get("purpose", "")) > 20, f"{name}.sql: '-- purpose:' manquant ou trop court"
    assert "params" in meta, f"{name}.sql: '-- params:' manquant"
    for param in parameters(text):
        assert f"${param}" in meta["params"], f"{name}.sql: ${param} absent de l'en-tête"
    params = {p: SAMPLE_PARAMS[p] for p in parameters(text)}
    with empty_db.reader() as cur:
        plan = cur.execute("explain " + text, params).fetchall()
    assert plan, f"{name}: EXPLAIN n'a rien rendu"


@pytest.mark.parametrize("name", names())
def test_queries_use_named_parameters_only(name):
    text = sql(name)
    assert not re.search(r"\{[a-z_]+\}|%s|%\(|\?", text), f"{name}.sql: seuls les paramètres $nom"


#: a date after everything the tests record (TEST-B has no act: it is there from the
#: day it was recorded, today)
FAR = dt.date(2100, 1, 1)


def test_programme_overview(tiny):
    rows = tiny.records("programme_overview", as_of=FAR, programme_code=None)
    assert pick(
        rows,
        "code",
        "phases_total",
        "phases_delivered",
        "phases_unknown",
        "orientations_total",
        "actions_total",
        "in_progress",
        "validated",
        "blocked",
        "status_unknown",
        "progress_known",
        "weighted_progress",
    ) == [
        ("TEST-A", 2, 1, 0, 1, 1, 1, 1, 1, 1, 2, 76.7),
        ("TEST-B", 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, None),
    ]


def test_money_by_basis(tiny):
    rows = tiny.records("money_by_basis", as_of=FAR, programme_code=None)
    assert pick(
        rows,
        "programme_code",
        "tax_basis",
        "lines",
        "lines_with_payments",
        "payments",
        "allocated",
        "committed",
        "ordered",
        "paid",
        "consumption_rate",
    ) == [
        ("TEST-A", "HT", 1, 1, 3, D("1000.00"), D("800.00"), D("600.00"), D("500.00"), 50.0),
        # no payment recorded on the 2021 line: unknown, not zero
        ("TEST-A", "TTC", 1, 0, 0, D("500.50"), None, None, None, None),
    ]
    # 15 March 2020: the 2020 line counts from 1 January 2020 (its avenant's signature is
    # unknown), the 2021 line not yet; one engagement so far
    early = tiny.records("money_by_basis", as_of=dt.date(2020, 3, 15), programme_code="TEST-A")
    assert pick(early, "tax_basis", "allocated", "committed", "ordered", "paid") == [
        ("HT", D("1000.00"), D("800.00"), D0, D0)
    ]
    # mid 2019: the convention is in force, no line yet: no row, so « non renseigné »
    assert tiny.records("money_by_basis", as_of=dt.date(2019, 6, 30), programme_code=None) == []


def test_programme_overview_as_of_a_past_date(tiny):
    rows = tiny.records("programme_overview", as_of=dt.date(2020, 3, 15), programme_code=None)
    # TEST-B has no act: it did not exist then
    assert [r["code"] for r in rows] == ["TEST-A"]
    first = rows[0]
    # on 15 March 2020: phase 1 in progress at 40 %, phase 2 not yet blocked
    assert (
        first["in_progress"],
        first["blocked"],
        first["validated"],
        first["status_unknown"],
    ) == (1, 0, 0, 3)
    assert first["weighted_progress"] == 40.0
    # before its first act, a programme is in no view
    assert (
        tiny.records("programme_overview", as_of=dt.date(2018, 12, 31), programme_code=None) == []
    )


def test_archived_items_leave_the_views_from_their_date(tiny):
    from dashboard.tracker import work
    from tests.conftest import ADMIN

    work.archive_item(tiny, ADMIN, "action", 1, expected_version=1, archived_on=dt.date(2021, 1, 1),
                      reason="Action abandonnée")  # fmt: skip
    titles = [r["title"] for r in tiny.records("work_items", as_of=FAR, programme_code="TEST-A")]
    assert "Action un" not in titles
    before = tiny.records("work_items", as_of=dt.date(2020, 12, 31), programme_code="TEST-A")
    assert "Action un" in [r["title"] for r in before]
    overview = tiny.records("programme_overview", as_of=FAR, programme_code="TEST-A")[0]
    assert overview["actions_total"] == 0


def test_work_items(tiny):
    rows = tiny.records("work_items", as_of=FAR, programme_code=None)
    assert pick(
        rows,
        "programme_code",
        "item_kind",
        "title",
        "phase_number",
        "status",
        "progress",
        "effective_progress",
        "status_on",
    ) == [
        ("TEST-A", "phase", "Phase un", 1, "validated", 40, 100, dt.date(2020, 6, 15)),
        ("TEST-A", "orientation", "Orientation un", 1, "in_progress", 30, 30, dt.date(2020, 4, 1)),
        ("TEST-A", "action", "Action un", 1, None, None, None, None),
        ("TEST-A", "phase", "Phase deux", 2, "blocked", None, None, dt.date(2020, 5, 1)),
        ("TEST-B", "orientation", "Orientation B", None, None, None, None, None),
    ]
    action = rows[2]
    assert (action["orientation_title"], action["territory"], action["lead"]) == (
        "Orientation un",
        "Pays d'Aix",
        "Lina",
    )
    assert rows[0]["source_article"] == "article 3"


def test_budget_by_year(tiny):
    rows = tiny.records("budget_by_year", as_of=FAR, programme_code=None)
    assert pick(
        rows,
        "fiscal_year",
        "programme_code",
        "tax_basis",
        "allocated",
        "committed",
        "ordered",
        "paid",
        "consumption_rate",
    ) == [
        (2020, "TEST-A", "HT", D("1000.00"), D("800.00"), D("600.00"), D("500.00"), 50.0),
        (2021, "TEST-A", "TTC", D("500.50"), None, None, None, None),
    ]
    early = tiny.records("budget_by_year", as_of=dt.date(2020, 4, 15), programme_code="TEST-A")
    assert pick(early, "fiscal_year", "committed", "ordered", "paid") == [
        (2020, D("800.00"), D("600.00"), D0)
    ]


def test_budget_lines(tiny):
    rows = tiny.records("budget_lines", as_of=FAR, programme_code=None)
    assert pick(
        rows,
        "fiscal_year",
        "amount",
        "tax_basis",
        "act_title",
        "funder",
        "recipient",
        "starts_on",
        "start_basis",
        "committed",
        "ordered",
        "paid",
    ) == [
        (
            2020,
            D("1000.00"),
            "HT",
            "Avenant 3",
            "Financeur A",
            "Bénéficiaire B",
            dt.date(2020, 1, 1),
            "fiscal_year",
            D("800.00"),
            D("600.00"),
            D("500.00"),
        ),
        (2021, D("500.50"), "TTC", None, None, None, dt.date(2021, 1, 1), "fiscal_year", None,
         None, None),
    ]  # fmt: skip


def test_payments(tiny):
    rows = tiny.records("payments", programme_code=None, since=None, until=None, limit=None)
    assert pick(
        rows, "stage", "occurred_on", "amount", "reference", "fiscal_year", "tax_basis"
    ) == [
        ("disbursement", dt.date(2020, 5, 1), D("500.00"), "V-1", 2020, "HT"),
        ("payment_order", dt.date(2020, 4, 1), D("600.00"), None, 2020, "HT"),
        ("commitment", dt.date(2020, 3, 1), D("800.00"), None, 2020, "HT"),
    ]
    april = tiny.records("payments", programme_code="TEST-A", since=dt.date(2020, 4, 1),
                         until=dt.date(2020, 4, 30), limit=None)  # fmt: skip
    assert pick(april, "stage") == [("payment_order",)]


def test_cancelled_payments_leave_every_figure(tiny):
    from dashboard.tracker import budget
    from tests.conftest import ADMIN

    extra = budget.record_payment(tiny, ADMIN, budget_line_id=2, stage="commitment",
                                  occurred_on=dt.date(2021, 2, 1), amount="100")  # fmt: skip
    budget.cancel_payment(tiny, ADMIN, extra, expected_version=1, reason="Mauvaise ligne")
    rows = tiny.records("budget_by_year", as_of=FAR, programme_code=None)
    assert rows[1]["committed"] is None  # back to unknown: no live payment on that line
    assert len(tiny.records("payments", programme_code=None, since=None, until=None,
                            limit=None)) == 3  # fmt: skip


def test_committees_meetings_decisions(tiny):
    committees = tiny.records("committees", as_of=dt.date(2026, 1, 1), programme_code=None)
    assert pick(
        committees, "programme_code", "kind", "name", "mandate", "meetings", "last_meeting_on"
    ) == [("TEST-A", "copil", "COPIL A", "Valider", 1, dt.date(2020, 6, 15))]
    assert (
        tiny.records("committees", as_of=dt.date(2020, 1, 1), programme_code="TEST-A")[0][
            "last_meeting_on"
        ]
        is None
    )
    meetings = tiny.records("meetings", programme_code=None, since=None, until=None)
    assert pick(meetings, "committee_name", "held_on", "place", "decisions") == [
        ("COPIL A", dt.date(2020, 6, 15), "Marseille", 1)
    ]
    decisions = tiny.records("decisions", programme_code=None, since=None, until=None)
    assert pick(decisions, "committee_kind", "held_on", "kind", "text") == [
        ("copil", dt.date(2020, 6, 15), "validates", "Phase 1 validée")
    ]
    assert [(i["item_kind"], i["title"]) for i in decisions[0]["items"]] == [("phase", "Phase un")]
    assert (
        tiny.records("decisions", programme_code=None, since=dt.date(2020, 7, 1), until=None) == []
    )


def test_status_history(tiny):
    rows = tiny.records("status_history", item_kind="phase", item_id=1)
    assert pick(rows, "occurred_on", "from_status", "to_status", "progress", "actor") == [
        (dt.date(2020, 2, 1), None, "planned", None, "Constructeur"),
        (dt.date(2020, 3, 1), "planned", "in_progress", 40, "Constructeur"),
        (dt.date(2020, 6, 1), "in_progress", "delivered", None, "Constructeur"),
        (dt.date(2020, 6, 15), "delivered", "validated", None, "Constructeur"),
    ]
    assert rows[-1]["decision_text"] == "Phase 1 validée"
    assert tiny.records("status_history", item_kind="action", item_id=1) == []


def test_deadlines(tiny):
    rows = tiny.records("deadlines", as_of=FAR, programme_code=None)
    assert pick(rows, "due_on", "kind", "clause_article", "days", "months") == [
        (dt.date(2019, 12, 31), "term", None, None, None),
        # the financed year 2020's « compte rendu financier », six months after it (law)
        (dt.date(2021, 6, 30), "financial_report", None, None, None),
        # a clause allowing an extension by avenant (article 5) dates nothing of its own
        (dt.date(2021, 12, 31), "term", "Article 4", None, None),
        # both count from a registered letter: undated until one is recorded
        (None, "amicable_settlement_delay", "Article 6", 15, None),
        (None, "termination_effective", "Article 7", None, 2),
    ]
    # the term of the act that may be extended says by which article, as a rule
    assert [r["extension_article"] for r in rows if r["kind"] == "term"] == [None, "Article 5"]


def test_deadlines_follow_letters_and_extensions(tiny):
    from dashboard.tracker import acts
    from tests.conftest import ADMIN

    acts.record_letter(tiny, ADMIN, act_id=2, kind="dispute", sent_on=dt.date(2021, 3, 1),
                       received_on=dt.date(2021, 3, 3), subject="Litige")  # fmt: skip
    acts.record_letter(tiny, ADMIN, act_id=2, kind="termination", sent_on=dt.date(2021, 4, 1),
                       subject="Résiliation")  # fmt: skip
    dated = {
        r["kind"]: r["due_on"]
        for r in tiny.records("deadlines", as_of=FAR, programme_code=None)
        if r["act_id"] == 2
    }
    assert dated["amicable_settlement_delay"] == dt.date(2021, 3, 18)  # received + 15 days
    assert dated["termination_effective"] == dt.date(2021, 6, 1)  # sent + 2 months
    # an extension avenant signed on 1 December 2019 moves the convention's term
    acts.create_act(tiny, ADMIN, programme_id=1, kind="amendment", number=4, amends_act_id=1,
                    title="Avenant 4", signed_on=dt.date(2019, 12, 1), effective_rule="at_signature",
                    extends_to=dt.date(2020, 6, 30))  # fmt: skip
    terms = lambda day: [  # noqa: E731 - a local table
        r["due_on"]
        for r in tiny.records("deadlines", as_of=day, programme_code=None)
        if r["act_id"] == 1 and r["kind"] == "term"
    ]
    assert terms(dt.date(2019, 11, 30)) == [dt.date(2019, 12, 31)]  # the past does not move
    assert terms(dt.date(2019, 12, 1)) == [dt.date(2020, 6, 30)]


def test_next_deadline_is_the_earliest_dated_one_from_the_day_on(db):
    """next_by_programme (chosen in SQL) against every deadline read, day after day."""
    from dashboard.tracker.deadlines import deadlines, next_by_programme

    for day in (
        dt.date(2018, 6, 1),
        dt.date(2020, 12, 31),
        dt.date(2022, 1, 1),
        dt.date(2022, 6, 1),
    ):
        every = [d for d in deadlines(db, None, day) if d["date"] and d["date"] >= day]
        expected = {}
        for d in sorted(every, key=lambda d: d["date"]):
            expected.setdefault(d["programme_code"], d["date"])
        chosen = next_by_programme(db, day)
        assert {code: d["date"] for code, d in chosen.items()} == expected
        assert all(d["label"] and d["rule"] for d in chosen.values())
    assert next_by_programme(db, dt.date(2022, 1, 1))  # the 2022 convention's term lies ahead


def test_completeness(tiny):
    from dashboard.tracker.completeness import gaps

    rows = gaps(tiny, FAR, None)
    # the items without a known status are a read apart (a status change reads only it)
    assert {
        r["code"] for r in tiny.records("unknown_statuses", as_of=FAR, programme_code=None)
    } == {"status_unknown"}
    assert "status_unknown" not in {
        r["code"] for r in tiny.records("completeness", as_of=FAR, programme_code=None)
    }
    assert pick(rows, "programme_code", "code", "entity", "entity_id", "detail") == [
        ("TEST-A", "act_signature_unknown", "legal_act", 2, None),
        # authorised on 4 May 2020, after the convention's term (31 December 2019)
        ("TEST-A", "amendment_after_term", "legal_act", 2, "2019-12-31"),
        ("TEST-A", "amendment_missing", "legal_act", 1, "1"),
        ("TEST-A", "amendment_missing", "legal_act", 1, "2"),
        ("TEST-A", "deliberation_number_unknown", "legal_act", 2, "Bureau / 2020-05-04"),
        ("TEST-A", "deliberation_unknown", "legal_act", 1, None),
        ("TEST-A", "no_amount_for_years", "programme", 1, "2019-2019"),
        ("TEST-A", "no_payment", "budget_line", 2, "2021"),
        ("TEST-A", "status_unknown", "programme", 1, "1"),
        ("TEST-B", "status_unknown", "programme", 2, "1"),
    ]


def test_completeness_years_without_amount(tiny):
    from dashboard.tracker import budget
    from tests.conftest import ADMIN

    # the convention was concluded in 2019 but the first amount is for 2020
    gaps = [
        r
        for r in tiny.records("completeness", as_of=FAR, programme_code=None)
        if r["code"] == "no_amount_for_years"
    ]
    assert [g["detail"] for g in gaps] == ["2019-2019"]
    budget.create_budget_line(
        tiny, ADMIN, programme_id=1, fiscal_year=2019, amount="0", tax_basis="HT"
    )
    assert not [
        r
        for r in tiny.records("completeness", as_of=FAR, programme_code=None)
        if r["code"] == "no_amount_for_years"
    ]


def test_sources_acts_clauses_programmes(tiny):
    sources = tiny.records("sources")
    assert ("phase", 1, "Phase 1 : Phase un", "article 3") in pick(
        sources, "entity", "entity_id", "label", "article"
    )
    assert all(s["document"] == "Acte de test" for s in sources)
    acts = tiny.records("acts", as_of=FAR, programme_code=None)
    assert pick(
        acts, "kind", "reference", "number", "amends_reference", "starts_on", "start_basis"
    ) == [
        ("agreement", "REF-1", None, None, dt.date(2019, 1, 15), "concluded"),
        # no date of its own: at the earliest its deliberation's (4 May 2020)
        ("amendment", None, 3, "REF-1", dt.date(2020, 5, 4), "not_before"),
    ]
    clauses = tiny.records("clauses", as_of=FAR, programme_code=None)
    assert pick(clauses, "kind", "article", "days", "months") == [
        ("duration", "Article 4", None, None),
        ("termination_notice", "Article 7", None, 2),
        ("extension_by_amendment", "Article 5", None, None),
        ("amicable_settlement", "Article 6", 15, None),
    ]
    progs = tiny.records("programmes", as_of=FAR, programme_code=None)
    assert pick(progs, "code", "starts_on", "ends_on", "acts") == [
        ("TEST-A", dt.date(2019, 1, 15), dt.date(2021, 12, 31), 2),
        ("TEST-B", None, None, 0),
    ]
    links = tiny.records("programme_links")
    assert pick(links, "from_code", "to_code", "kind", "source_article") == [
        ("TEST-A", "TEST-B", "feeds", "article 9")
    ]
    assert tiny.records("programme_notes") == []


def test_users_and_audit_trail(tiny):
    from dashboard.tracker import users
    from tests.conftest import ADMIN

    users.add_user(
        tiny,
        ADMIN,
        login="zoe",
        display_name="Zoé",
        role="lecteur",
        password="correct horse battery",
        provisional=False,
    )
    rows = tiny.records("users")
    assert pick(rows, "login", "display_name", "role", "active") == [
        ("zoe", "Zoé", "lecteur", True)
    ]
    assert "password_hash" not in rows[0]
    audit = tiny.records("audit_trail", entity="app_user", limit=5)
    assert [(a["operation"], a["actor"]) for a in audit] == [("create", "Admin Test")]
    assert "$2" not in (audit[0]["after"] or "")
    assert len(tiny.records("audit_trail", entity=None, limit=3)) == 3
