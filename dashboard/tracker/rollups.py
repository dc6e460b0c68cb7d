"""Roll-ups kept current in the write transactions (migration 0009): one row per
programme (its items' status counts and weighted progress) and one per budget line
(its payments' sums), so that today's overview reads 502 rows instead of 225 000
items, a million status events and 100 000 payments.

A status change moves its programme's counts by the difference it makes (a few
additions, on the hot path of every contributor); any other change to an item or a
payment recomputes the rows of the programmes or lines it touches. Each row holds from
its ``valid_from`` day on: an « état au » an earlier day is computed from the log.
``drift`` lists the rows that differ from a recomputation (tests and ``cdv`` checks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import duckdb

ITEM_TABLES = ("phase", "orientation", "action")
_COUNTED = ("planned", "in_progress", "delivered", "validated", "blocked", "cancelled")


def effective_progress(status: str | None, progress: int | None) -> int | None:
    """The SQL macro effective_progress, for the deltas of a status change."""
    if status in ("delivered", "validated"):
        return 100
    if status == "planned":
        return progress or 0
    if status == "cancelled":
        return None
    return progress


def _contribution(kind: str, weight: Decimal, status: str | None, progress: int | None) -> dict:
    """What one live item adds to its programme's row (status counts, progress sums)."""
    known = effective_progress(status, progress)
    row = {column: int(status == column) for column in _COUNTED}
    row.update(
        phases_delivered=int(kind == "phase" and status in ("delivered", "validated")),
        phases_unknown=int(kind == "phase" and status is None),
        status_unknown=int(status is None),
        progress_known=int(known is not None),
        weight_known=weight if known is not None else Decimal(0),
        weighted_sum=weight * known if known is not None else Decimal(0),
    )
    return row


def status_changed(
    cur: duckdb.DuckDBPyConnection,
    item: dict,
    kind: str,
    before: tuple[str | None, int | None],
    after: tuple[str, int | None],
    on: dt.date,
) -> None:
    """Move the item's programme row by what the change makes: ``before`` and ``after``
    are (status, progress as item_status keeps it). An archived item counts nowhere."""
    if item.get("archived_on") is not None:  # counted nowhere, its dates neither
        return
    old = _contribution(kind, item["weight"], *before)
    new = _contribution(kind, item["weight"], *after)
    deltas = {c: new[c] - old[c] for c in new if new[c] != old[c]}
    assignments = "".join(f"{c} = {c} + $d_{c}, " for c in deltas)  # columns: _contribution's
    cur.execute(
        f"update programme_rollup set {assignments}valid_from = greatest(valid_from, $on) "
        "where programme_id = $p",
        {**{f"d_{c}": v for c, v in deltas.items()}, "on": on, "p": item["programme_id"]},
    )


def refresh_programmes(cur: duckdb.DuckDBPyConnection, programme_ids: Iterable[int]) -> None:
    """Recompute the rows of these programmes from their items and current statuses."""
    ids = sorted({int(i) for i in programme_ids if i is not None})
    if not ids:
        return
    cur.execute(
        "delete from programme_rollup where programme_id in (select unnest($ids))", {"ids": ids}
    )
    cur.execute(
        "insert into programme_rollup select * from programme_rollup_rows($ids::integer[])",
        {"ids": ids},
    )


def refresh_lines(cur: duckdb.DuckDBPyConnection, line_ids: Iterable[int]) -> None:
    """Recompute the rows of these budget lines from their payments."""
    ids = sorted({int(i) for i in line_ids if i is not None})
    if not ids:
        return
    cur.execute(
        "delete from budget_line_spent where budget_line_id in (select unnest($ids))",
        {"ids": ids},
    )
    cur.execute(
        "insert into budget_line_spent select * from budget_line_spent_rows($ids::integer[])",
        {"ids": ids},
    )


def refresh_all(cur: duckdb.DuckDBPyConnection) -> None:
    """Every row recomputed (after a restore or a bulk load written in SQL)."""
    cur.execute("delete from programme_rollup")
    cur.execute(
        "insert into programme_rollup select * from programme_rollup_rows("
        "(select coalesce(list(id), []::integer[]) from programme))"
    )
    cur.execute("delete from budget_line_spent")
    cur.execute(
        "insert into budget_line_spent select * from budget_line_spent_rows("
        "(select coalesce(list(id), []::integer[]) from budget_line))"
    )


def touched(cur: duckdb.DuckDBPyConnection, table: str, rows: Iterable[dict | None]) -> None:
    """A row of ``table`` was written (``rows``: before and after): recompute what it
    counts in. Called by the generic writers (records.create, updates, archiving,
    cancelling) and by the set-based ones."""
    present = [r for r in rows if r]
    if table in ITEM_TABLES:
        refresh_programmes(cur, (r.get("programme_id") for r in present))
    elif table == "programme":
        refresh_programmes(cur, (r.get("id") for r in present))
    elif table == "payment":
        refresh_lines(cur, (r.get("budget_line_id") for r in present))


_DRIFT = """
(select * from {table} except select * from {rows}((select coalesce(list(id), []::integer[]) from {source})))
union all
(select * from {rows}((select coalesce(list(id), []::integer[]) from {source})) except select * from {table})
"""


def drift(cur: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Rows that differ from a recomputation (none when every writer kept them)."""
    found = []
    for table, rows, source in (
        ("programme_rollup", "programme_rollup_rows", "programme"),
        ("budget_line_spent", "budget_line_spent_rows", "budget_line"),
    ):  # fixed names, nothing from outside
        statement = _DRIFT.format(table=table, rows=rows, source=source)
        found += [(table, *row) for row in cur.execute(statement).fetchall()]
    return found
