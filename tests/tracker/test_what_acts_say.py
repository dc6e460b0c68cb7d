"""What real acts contain can be recorded as they say it (issue 21, part 4): a QPV named
without its official code (code to complete, flagged in completeness), a quartier en
veille active, a support stated « financier et/ou matériel » that asserts neither."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from dashboard.tracker import budget, fmt, territories, work
from dashboard.tracker.completeness import completeness
from dashboard.tracker.db import Database, migrate, migration_files
from dashboard.tracker.errors import ValidationError
from dashboard.ui.filters import territory_key
from tests.conftest import ADMIN
from tests.helpers import snapshot

EVAL = "EVAL-CDV-2015-2020"
TODAY = dt.date.today()


def _programme_id(db, code: str = EVAL) -> int:
    return db.scalar("select id from programme where code = $c", {"c": code})


def test_a_qpv_named_without_its_code_is_recorded_as_named_and_flagged(db):
    commune = territories.create_territory(db, ADMIN, kind="commune", code="13055",
                                           name="Marseille")  # fmt: skip
    qpv = territories.create_territory(db, ADMIN, kind="qpv", code="", name="Les Flamants",
                                       generation=2024, within=[commune])  # fmt: skip
    [row] = [t for t in territories.territories(db) if t["id"] == qpv]
    assert row["code"] is None and row["within_names"] == "Marseille"
    assert fmt.territory(row, with_code=True) == "Les Flamants (QPV 2024, code à compléter)"
    assert territory_key(row) == f"qpv-n{qpv}"
    # a second one of that name without a code is refused: complete the first instead
    before = snapshot(db)
    with pytest.raises(ValidationError, match="déjà enregistré sans code"):
        territories.create_territory(db, ADMIN, kind="qpv", code=None, name="Les Flamants",
                                     generation=2024)  # fmt: skip
    assert snapshot(db) == before
    # a commune still needs its INSEE code
    with pytest.raises(ValidationError, match="« Code » est obligatoire"):
        territories.create_territory(db, ADMIN, kind="commune", code="", name="Sans code")

    # flagged once without a programme while nothing uses it …
    gaps = [g for g in completeness(db) if g["code"] == "territory_code_unknown"]
    assert [(g["programme_code"], g["item"]) for g in gaps] == [
        (None, "Code officiel — Les Flamants")
    ]
    # … then under the programme whose action is tagged with it
    action = work.create_action(db, ADMIN, programme_id=_programme_id(db), title="Action Flamants")
    territories.tag_territories(db, ADMIN, entity="action", entity_id=action, territory_ids=[qpv])
    gaps = [g for g in completeness(db, EVAL) if g["code"] == "territory_code_unknown"]
    assert [g["entity_id"] for g in gaps] == [qpv]
    # not before it was recorded
    assert not [g for g in completeness(db, as_of=dt.date(2022, 9, 30))
                if g["code"] == "territory_code_unknown"]  # fmt: skip
    # completed: the gap goes
    version = db.scalar("select version from territory where id = $i", {"i": qpv})
    territories.update_territory(db, ADMIN, qpv, expected_version=version, code="qn01306m")
    assert db.scalar("select code from territory where id = $i", {"i": qpv}) == "QN01306M"
    assert not [g for g in completeness(db) if g["code"] == "territory_code_unknown"]


def test_a_quartier_en_veille_active_lies_in_a_commune_without_a_generation(db):
    commune = territories.create_territory(db, ADMIN, kind="commune", code="13055",
                                           name="Marseille")  # fmt: skip
    watch = territories.create_territory(db, ADMIN, kind="watch", code=None,
                                         name="La Savine", within=[commune])  # fmt: skip
    [row] = [t for t in territories.territories(db) if t["id"] == watch]
    assert fmt.territory(row) == "La Savine (quartier en veille active)"
    with pytest.raises(ValidationError, match="Seul un QPV a une génération"):
        territories.create_territory(db, ADMIN, kind="watch", code=None, name="Autre",
                                     generation=2015)  # fmt: skip
    council = territories.create_territory(db, ADMIN, kind="council", code="CT1", name="CT 1")
    with pytest.raises(ValidationError, match="ne peut pas être situé dans"):
        territories.link_territories(db, ADMIN, from_id=watch, to_id=council)


def test_the_territories_csv_takes_codeless_quarters_and_reloads_them_without_doubles(db):
    data = (
        b"type;code;nom;generation;situe_dans;successeur\n"
        b"commune;13055;Marseille;;;\n"
        b"qpv;;Les Flamants;2024;13055;\n"
        b"quartier en veille active;;La Savine;;13055;\n"
    )
    assert territories.load_territories(db, ADMIN, data=data) == {
        "added": 3, "updated": 0, "links": 2,
    }  # fmt: skip
    assert territories.load_territories(db, ADMIN, data=data) == {
        "added": 0, "updated": 0, "links": 0,
    }  # fmt: skip
    kinds = sorted((t["kind"], t["code"], t["name"]) for t in territories.territories(db))
    assert kinds == [
        ("commune", "13055", "Marseille"),
        ("qpv", None, "Les Flamants"),
        ("watch", None, "La Savine"),
    ]
    # the same codeless quarter twice in one file is refused whole
    before = snapshot(db)
    twice = data + b"qpv;;Les Flamants;2024;13055;\n"
    with pytest.raises(ValidationError, match="en double"):
        territories.load_territories(db, ADMIN, data=twice)
    assert snapshot(db) == before


def test_a_support_stated_financial_and_or_in_kind_asserts_neither(db):
    programme = _programme_id(db, "MODERN-PV-2022")
    before_money = db.records("money_by_basis", as_of=dt.date(2100, 1, 1), programme_code=None)
    line = budget.create_budget_line(
        db, ADMIN, programme_id=programme, fiscal_year=2022, tax_basis="unspecified",
        kind="financial_or_in_kind", description="« un soutien financier et/ou matériel »",
    )  # fmt: skip
    [row] = [b for b in db.records("budget_line_records", programme_code=None)
             if b["budget_line_id"] == line]  # fmt: skip
    assert row["kind"] == "financial_or_in_kind" and row["amount"] is None
    assert "et/ou" in fmt.BUDGET_KIND_LABELS[row["kind"]]
    after_money = db.records("money_by_basis", as_of=dt.date(2100, 1, 1), programme_code=None)
    # the amounts do not move; the line is counted apart
    assert sum(m["alternative_lines"] for m in after_money) == 1
    assert sum(m["allocated"] or D(0) for m in after_money) == sum(
        m["allocated"] or D(0) for m in before_money
    )
    # stated as an alternative, it carries no amount (that would assert the financial side)
    before = snapshot(db)
    with pytest.raises(ValidationError, match="tel que l'acte le dit, sans montant"):
        budget.create_budget_line(
            db, ADMIN, programme_id=programme, fiscal_year=2023, tax_basis="unspecified",
            kind="financial_or_in_kind", amount="5000",
        )  # fmt: skip
    assert snapshot(db) == before


#: the seed's tables a schema-10 database is given, parents first
SEEDED_TABLES = ("source_ref", "organisation", "person", "programme", "legal_act", "act_party",
                 "clause", "budget_line")  # fmt: skip


def _copy_seed(old, seeded_path) -> None:
    """The seed's rows as a schema-10 database holds them: every column it has, copied
    from a seeded database of today (its later columns left behind); the services of
    today write today's schema, not that one."""
    with old.transaction() as cur:
        cur.execute(f"attach '{seeded_path}' as seeded (read_only)")
        for table in SEEDED_TABLES:
            columns = [r[0] for r in cur.execute(
                "select column_name from information_schema.columns where table_catalog ="
                " current_database() and table_name = $t order by ordinal_position",
                {"t": table},
            ).fetchall()]  # fmt: skip
            listed = ", ".join(columns)
            cur.execute(f"insert into {table} ({listed}) select {listed} from seeded.{table}")
        for table in SEEDED_TABLES:  # each sequence goes past the copied ids
            if cur.execute(
                "select 1 from duckdb_sequences() where sequence_name = $s",
                {"s": f"{table}_id_seq"},
            ).fetchone():
                cur.execute(f"select nextval('{table}_id_seq') from {table}").fetchall()
    with old.transaction() as cur:
        cur.execute("detach seeded")


def _rows(db, table: str) -> list[dict]:
    with db.reader() as cur:
        rel = cur.execute(f"select * from {table} order by id")  # a fixed table name
        names = [d[0] for d in rel.description]
        return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]


#: rules that read tables created after migration 0010 (programme_month_rows: programme_day)
LATER_RULES = {"judgements_at", "council_members_at", "council_seats_at", "consultation_state_at",
               "programme_month_rows"}  # fmt: skip


def test_migration_0011_keeps_every_row_of_the_tables_it_rebuilds(tmp_path, seeded_template):
    """Territories, budget lines and payments are rebuilt for their new kinds: a database
    at 0010 keeps every row and every id, and its sequences go on."""
    path = tmp_path / "at10.duckdb"
    old = Database(path)
    migrate(old, target=10)
    import duckdb

    from dashboard.tracker import rules

    for name in rules.order():  # today's rules, but those over later tables
        try:
            with old.transaction() as cur:
                cur.execute(rules.text(name))
        except duckdb.CatalogException:
            assert name in LATER_RULES, name
    _copy_seed(old, seeded_template)
    territories.create_territory(old, ADMIN, kind="commune", code="13055", name="Marseille")
    budget.record_payment(old, ADMIN, budget_line_id=1, stage="commitment",
                          occurred_on=dt.date(2022, 10, 3), amount="1000")  # fmt: skip
    tables = ("territory", "budget_line", "payment")
    before = {t: _rows(old, t) for t in tables}
    assert before["budget_line"] and before["payment"]
    old.close()

    new = Database(path)
    assert migrate(new) == [v for v, _, _ in migration_files() if v > 10]
    after = {t: _rows(new, t) for t in tables}
    # every value of every old column is kept (0022 adds the financing plans' columns)
    assert {
        t: [{k: r[k] for k in before[t][0]} for r in rows] for t, rows in after.items()
    } == before
    line = budget.create_budget_line(
        new, ADMIN, programme_id=_programme_id(new), fiscal_year=2030, tax_basis="HT",
        amount="10",
    )  # fmt: skip
    assert line > max(r["id"] for r in before["budget_line"])
    new.close()


def test_a_codeless_quarter_leaves_in_the_export_and_comes_back_by_its_name(db, tmp_path):
    """A value, a target and a deliverable of a QPV named without its code are exported
    with ``{ kind, name }`` and loaded back onto that quarter, never onto the whole
    programme."""
    import json

    from dashboard.ingest.load import load, make_demo
    from dashboard.ingest.seed import initialize
    from dashboard.tracker import deliverables, evaluation, export
    from tests.helpers import SINCE_2019

    make_demo(db)
    commune = territories.create_territory(db, ADMIN, kind="commune", code="13055",
                                           name="Marseille")  # fmt: skip
    qpv = territories.create_territory(db, ADMIN, kind="qpv", code=None, name="Les Flamants",
                                       generation=2024, within=[commune])  # fmt: skip
    indicator = evaluation.create_indicator(
        db, ADMIN, programme_id=1, code="HAB", name="Habitants suivis", unit="personnes",
        unit_kind="count", direction="up", periodicity="year", origin=SINCE_2019,
    )  # fmt: skip
    evaluation.record_values(db, ADMIN, [
        {"indicator_id": indicator, "period": "2023", "territory_id": qpv, "value": "40"},
    ])  # fmt: skip
    evaluation.set_target(db, ADMIN, indicator_id=indicator, period="2025", territory_id=qpv,
                          value="50")  # fmt: skip
    deliverable = deliverables.create_deliverable(
        db, ADMIN, programme_id=1, phase_id=1, title="Portrait des Flamants", kind="report",
        origin=SINCE_2019,
    )  # fmt: skip
    territories.tag_territories(db, ADMIN, entity="deliverable", entity_id=deliverable,
                                territory_ids=[qpv])  # fmt: skip
    document = json.loads(export.to_json(db))
    flamants = {"kind": "qpv", "name": "Les Flamants"}
    assert [v["territory"] for v in document["values"]] == [flamants]
    assert [t["territory"] for t in document["targets"]] == [flamants]
    assert [d["territories"] for d in document["deliverables"]] == [[flamants]]

    with Database(tmp_path / "copy.duckdb") as copy:
        initialize(copy)
        make_demo(copy)
        load(copy, ADMIN, document, origin="export.json")
        again = json.loads(export.to_json(copy))
        [row] = [t for t in territories.territories(copy) if t["kind"] == "qpv"]
        assert row["code"] is None and row["name"] == "Les Flamants"
    for section in ("territories", "targets", "values", "deliverables"):
        assert again[section] == document[section], section
