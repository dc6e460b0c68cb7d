"""Golden tests for the named reads no other test names: each read runs on the tiny
dataset (completed here with territories, an indicator with its values and target, a
question with evidence, a deliverable with a file, an account that signed in once and
a session) and its rows must equal ``tests/golden/reads/<name>.json``. What depends on
the day the test runs (ids of nothing; times recorded today) is written « <aujourd'hui> »,
and secrets (hashes, keys) « <secret> ».

A read that changes on purpose: run ``CDV_UPDATE_GOLDEN=1 uv run pytest
tests/tracker/test_golden_reads.py``, then read the diff of the JSON before committing
it — a golden file is a result someone checked, not a recording."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard.tracker import (
    acts,
    auth,
    budget,
    citizen_councils,
    deliverables,
    evaluation,
    files,
    programmes,
    sessions,
    territories,
    users,
    work,
)
from dashboard.tracker.db import utcnow
from dashboard.tracker.files import Upload
from tests.conftest import ADMIN
from tests.helpers import SINCE_2019

GOLDEN = Path(__file__).parent.parent / "golden" / "reads"
TODAY = dt.date.today()
AS_OF = dt.date(2021, 6, 30)
#: moments an audit entry's before / after carries (as text): those of the run are marked
MOMENT_KEYS = ("updated_at", "created_at", "recorded_at", "occurred_at", "stored_at")
SECRET_KEYS = ("sha256", "token_hash", "login_key", "client_key", "password_hash", "path")


@pytest.fixture(scope="module")
def golden(tmp_path_factory, tiny_template):
    """The tiny dataset and what the evaluation, files and sessions add to it; ids are
    those of a fresh copy, so every run reads the same rows."""
    import shutil

    from dashboard.tracker.db import Database

    path = tmp_path_factory.mktemp("golden") / "golden.duckdb"
    shutil.copy(tiny_template, path)
    db = Database(path)
    t = territories.create_territory
    commune = t(db, ADMIN, kind="commune", code="13001", name="Aix-en-Provence")
    qpv = t(db, ADMIN, kind="qpv", code="QN01301M", name="Jas de Bouffan", generation=2024,
            within=[commune])  # fmt: skip
    codeless = t(db, ADMIN, kind="qpv", code=None, name="Encagnane", generation=2024,
                 within=[commune])  # fmt: skip
    territories.tag_territories(db, ADMIN, entity="action", entity_id=1, territory_ids=[qpv])
    territories.tag_territories(db, ADMIN, entity="budget_line", entity_id=1,
                                territory_ids=[codeless])  # fmt: skip
    indicator = evaluation.create_indicator(
        db, ADMIN, programme_id=1, code="IND-1", name="Jeunes accompagnés", unit="personnes",
        unit_kind="count", direction="up", periodicity="year", origin=SINCE_2019,
    )  # fmt: skip
    evaluation.record_values(db, ADMIN, [
        {"indicator_id": indicator, "period": "2019", "territory_id": qpv, "value": "12",
         "source_document": "Bilan 2019", "source_page": "4"},
        {"indicator_id": indicator, "period": "2020", "territory_id": qpv, "value": "15"},
        {"indicator_id": indicator, "period": "2020", "territory_id": codeless, "value": "7"},
    ])  # fmt: skip
    evaluation.set_target(db, ADMIN, indicator_id=indicator, period="2021", value="30",
                          source_document="Convention A")  # fmt: skip
    question = evaluation.create_question(
        db, ADMIN, programme_id=1, text="Les jeunes sont-ils mieux accompagnés ?",
        criteria=["Nombre de jeunes accompagnés"], origin=SINCE_2019,
    )  # fmt: skip
    evaluation.add_evidence(db, ADMIN, question_id=question, evidence_kind="indicator",
                            evidence_id=indicator, note="série annuelle")  # fmt: skip
    deliverable = deliverables.create_deliverable(
        db, ADMIN, programme_id=1, phase_id=1, title="Rapport de la phase un", kind="report",
        planned_on=dt.date(2020, 6, 30), origin=SINCE_2019,
    )  # fmt: skip
    files.attach_file(db, ADMIN, entity="deliverable", entity_id=deliverable,
                      upload=Upload("rapport.pdf", b"%PDF-1.4\n% rapport\n%%EOF\n"))  # fmt: skip
    budget.record_payment(db, ADMIN, budget_line_id=1, stage="payment_order",
                          occurred_on=dt.date(2020, 9, 1), amount="100")  # fmt: skip
    # a party represented by a person, an avenant that extends the convention, an action
    # created then archived on a past day
    person = programmes.create_person(db, ADMIN, full_name="Inès Martin", organisation_id=1,
                                      role_title="Présidente")  # fmt: skip
    acts.add_act_party(db, ADMIN, act_id=1, organisation_id=1, represented_by=person,
                       signatory_id=person)  # fmt: skip
    acts.create_act(db, ADMIN, programme_id=1, kind="amendment", number=4, title="Avenant 4",
                    amends_act_id=1, signed_on=dt.date(2019, 11, 10), effective_rule="at_signature",
                    extends_to=dt.date(2022, 6, 30))  # fmt: skip
    gone = work.create_action(db, ADMIN, orientation_id=1, title="Action abandonnée",
                              origin=SINCE_2019)  # fmt: skip
    work.archive_item(db, ADMIN, "action", gone, expected_version=1,
                      archived_on=dt.date(2021, 3, 1), reason="abandonnée par le COPIL")  # fmt: skip
    users.add_user(db, ADMIN, login="nina", display_name="Nina", role="contributeur",
                   password="une phrase de passe assez longue", provisional=False)  # fmt: skip
    nina = auth.login(db, "nina", "une phrase de passe assez longue", client="10.0.0.1",
                      browser="n" * 43)  # fmt: skip
    with pytest.raises(auth.LoginRefused):
        auth.login(db, "nina", "pas la bonne", client="10.0.0.1", browser="n" * 43)
    code = sessions.open_handoff(db, nina, "/avancement", browser="n" * 43)
    token, _ = sessions.redeem_handoff(db, code, "n" * 43)
    council = citizen_councils.create_council(db, ADMIN, name="Conseil citoyen du Jas",
                                              qpv_ids=[qpv, codeless],
                                              established_on=dt.date(2015, 10, 1))  # fmt: skip
    member = citizen_councils.add_member(db, ADMIN, council_id=council, full_name="Awa Diallo",
                                         college="residents", appointed_on=dt.date(2016, 1, 10))  # fmt: skip
    citizen_councils.add_member(db, ADMIN, council_id=council, full_name="Centre social",
                                college="local_actors", appointed_on=dt.date(2016, 1, 10))  # fmt: skip
    citizen_councils.seat_member(db, ADMIN, member_id=member, committee_id=1,
                                 from_on=dt.date(2017, 5, 1))  # fmt: skip
    citizen_councils.record_opinion(db, ADMIN, council_id=council, subject="Avis 2016",
                                    about="annual_report", received_on=dt.date(2017, 6, 2))  # fmt: skip
    values = {"indicator": indicator, "qpv": qpv, "question": question,
              "deliverable": deliverable, "token": token, "council": council}  # fmt: skip
    yield db, values
    db.close()


def _params(db, v: dict) -> dict[str, dict]:
    attachment = db.scalar("select max(id) from attachment")
    with db.reader() as cur:
        keys = cur.execute(
            "select login_key, client_key, browser_key from login_attempt order by id limit 1"
        ).fetchone()
    far = dt.datetime(2000, 1, 1)
    return {
        "act_parties": {"act_id": 1},
        "act_term_at": {"act_id": 1, "as_of": AS_OF},
        "action_versions": {"programme_code": "TEST-A"},
        "alert_items": {"as_of": AS_OF, "programme_code": None, "limit": 10},
        "archived_items": {"programme_code": "TEST-A"},
        "attached_records": {"entity": "deliverable"},
        "attachment_file": {"attachment_id": attachment},
        "attachments": {"entity": "deliverable", "entity_id": v["deliverable"]},
        "budget_line_history": {"budget_line_id": 1},
        "citizen_councils": {"as_of": TODAY},
        "clause_allowance": {"clause_id": 1, "fiscal_year": 2020, "without_line_id": None,
                             "replaced_line_id": None},
        "funding_by": {"as_of": TODAY, "programme_code": None, "fiscal_year": None},
        "multi_year_share": {"as_of": TODAY, "programme_code": None},
        "citizen_council_members": {"council_id": v["council"], "as_of": TODAY},
        "citizen_council_opinions": {"council_id": v["council"], "as_of": TODAY},
        "changes_between": {"since": dt.date(2019, 12, 31), "until": dt.date(2020, 12, 31),
                            "programme_code": None},
        "committee_records": {},
        "data_as_of": {},
        "demo_flag": {},
        "indicator_series": {"indicator_id": v["indicator"], "territory_id": None,
                             "as_of": TODAY},
        "indicator_targets": {"programme_code": None},
        "indicator_values": {"indicator_id": v["indicator"]},
        "indicator_values_known": {"programme_code": "TEST-A", "as_of": TODAY},
        "item_decisions": {"item_kind": "phase", "item_id": 1},
        "item_timeline": {"item_kind": "phase", "item_id": 1},
        "login_throttle": {"login_key": keys[0], "client_key": keys[1], "browser_key": keys[2],
                           "pair_since": far, "client_since": far},
        "open_sessions": {"now": utcnow()},
        "payment_flow": {"as_of": TODAY, "programme_code": "TEST-A", "territory_id": None},
        "programme_records": {},
        "question_evidence_records": {"programme_code": None},
        "session_of_token": {"token_hash": sessions._hash(v["token"])},
        "stored_files": {},
        "territory_scope": {"territory_id": 1},
        "territory_tags": {"entity": "budget_line"},
        "timeline_events": {"programme_code": "TEST-A", "as_of": AS_OF},
    }  # fmt: skip


def _plain(value: object, key: str = "") -> object:
    """A value as the golden file holds it: dates ISO, money as text, what depends on the
    day of the run or on a secret replaced by a marker."""
    if key in SECRET_KEYS and value is not None:
        return "<secret>"
    if isinstance(value, dt.datetime):  # a moment of the run (or a session's end after it)
        return (
            "<aujourd'hui>" if value.date() >= TODAY - dt.timedelta(days=1) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return "<aujourd'hui>" if abs((value - TODAY).days) <= 1 else value.isoformat()
    if isinstance(value, str) and key in MOMENT_KEYS:
        return (
            "<aujourd'hui>" if value[:10] >= (TODAY - dt.timedelta(days=1)).isoformat() else value
        )
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, key) for v in value]
    if isinstance(value, str) and value.startswith("{") and '"updated_at"' in value:
        return _plain(json.loads(value), key)  # an audit entry's before / after
    return value


READS = sorted(
    [
        "act_parties", "act_term_at", "action_versions", "alert_items", "archived_items",
        "attached_records", "attachment_file", "attachments", "budget_line_history",
        "changes_between", "citizen_council_members", "citizen_council_opinions",
        "citizen_councils", "clause_allowance", "committee_records", "data_as_of", "demo_flag", "funding_by", "indicator_series",
        "indicator_targets", "indicator_values", "indicator_values_known", "item_decisions",
        "item_timeline", "login_throttle", "multi_year_share", "open_sessions", "payment_flow", "programme_records",
        "question_evidence_records", "session_of_token", "stored_files", "territory_scope",
        "territory_tags", "timeline_events",
    ]
)  # fmt: skip


@pytest.mark.parametrize("name", READS)
def test_a_named_read_returns_its_golden_rows(golden, name):
    db, values = golden
    rows = _plain(db.records(name, **_params(db, values)[name]))
    expected_path = GOLDEN / f"{name}.json"
    text = json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("CDV_UPDATE_GOLDEN"):
        expected_path.write_text(text, encoding="utf-8")
    assert expected_path.exists(), f"pas de fichier de référence pour {name}"
    assert rows == json.loads(expected_path.read_text(encoding="utf-8")), name


def test_every_named_read_is_named_by_a_test():
    """No read is left without a test that names it (this file covers those no other
    test named)."""
    queries = Path(__file__).parents[2] / "queries"
    tests = Path(__file__).parents[1]
    text = "\n".join(p.read_text() for p in tests.rglob("*.py"))
    unnamed = [
        p.stem for p in sorted(queries.glob("*.sql"))
        if f'"{p.stem}"' not in text and f"'{p.stem}'" not in text
    ]  # fmt: skip
    assert unnamed == []
