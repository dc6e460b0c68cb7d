"""Roll-ups kept current in the write transactions (migration 0009), so that the
overview reads about a hundred rows per programme — today and « au » any past date —
instead of 225 000 items, a million status events and 100 000 payments.

- ``programme_month``: per programme and month, what the month's status events and
  archivings changed in its counts (month 0001-01-01: each item once, status unknown).
  A status change adds its difference to its month's row (one statement on the hot
  path of every contributor); any other change to an item (created, archived,
  reweighted, moved) recomputes its programme's rows from the log.
- ``programme_day``: the same by day (migration 0027), kept by the same writes: a date
  inside a month adds its month's days up to it to the months before it.
- ``archive_side``: each archived item's state on its archiving day.
- ``budget_line_spent``: each budget line's payments, recomputed by any payment write.

``drift`` lists what differs from a recomputation (checked after every service)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import duckdb

from dashboard.tracker import catalogue, kept_rules, origins

ITEM_TABLES = catalogue.ITEM_TABLES
#: tables whose rows date the items that come from them (record_origin)
ORIGIN_TABLES = ("legal_act", "budget_line", "meeting", "decision")
#: the item columns whose change moves its programme's counts (others do not)
_COUNTED_FIELDS = {"weight", "archived_on", "programme_id"}
_STATUSES = ("planned", "in_progress", "delivered", "validated", "blocked", "cancelled")
COUNTS = (
    "phases_total", "phases_delivered", "phases_unknown", "orientations_total", "actions_total",
    "items_total", *_STATUSES, "status_unknown", "progress_known", "weight_known",
    "weighted_sum",
)  # fmt: skip


def effective_progress(status: str | None, progress: int | None) -> int | None:
    """The SQL macro effective_progress, for the difference a status change makes."""
    if status in ("delivered", "validated"):
        return 100
    if status == "planned":
        return progress or 0
    if status == "cancelled":
        return None
    return progress


def _state(kind: str, weight: Decimal, status: str | None, progress: int | None) -> dict:
    """What one item in one state adds to its programme's status counts (as the SQL
    macro counted_sides counts one side of an event)."""
    known = effective_progress(status, progress)
    row = dict.fromkeys(COUNTS, 0)
    row.update({s: int(status == s) for s in _STATUSES})
    row.update(
        phases_delivered=int(kind == "phase" and status in ("delivered", "validated")),
        phases_unknown=int(kind == "phase" and status is None),
        status_unknown=int(status is None),
        progress_known=int(known is not None),
        weight_known=weight if known is not None else Decimal(0),
        weighted_sum=weight * known if known is not None else Decimal(0),
    )
    return row


_NEW = f"insert into programme_month values ($programme, $month, $on, {', '.join('$' + c for c in COUNTS)})"
_NEW_DAY = (
    f"insert into programme_day values ($programme, $on, {', '.join('$' + c for c in COUNTS)})"
)
#: the month row of what holds at every date (the items themselves)
_ALWAYS = dt.date(1, 1, 1)
#: each kept table, the macro that recomputes its rows, the table its keys come from;
#: archive_side before programme_day, whose recomputation reads it, and programme_day
#: before programme_month, which sums its days by month
_KEPT = (
    ("archive_side", "archive_side_rows", "programme"),
    ("programme_day", "programme_day_rows", "programme"),
    ("programme_month", "programme_month_rows", "programme"),
    ("budget_line_spent", "budget_line_spent_rows", "budget_line"),
)


def status_changed(
    cur: duckdb.DuckDBPyConnection,
    item: dict,
    kind: str,
    before: tuple[str | None, int | None],
    after: tuple[str, int | None],
    on: dt.date,
) -> None:
    """Add to the month of ``on`` what the change makes to the item's programme:
    ``before`` and ``after`` are (status, progress as it stands). An archived item's
    event (a cancelled decision reverting it) recomputes its programme instead."""
    if item.get("archived_on") is not None or _reweighted_after(cur, kind, item["id"], on):
        refresh_programmes(cur, [item["programme_id"]])
        return
    old = _state(kind, item["weight"], *before)
    new = _state(kind, item["weight"], *after)
    _add(cur, item["programme_id"], on, {c: new[c] - old[c] for c in COUNTS})


def _reweighted_after(cur: duckdb.DuckDBPyConnection, kind: str, item_id: int, on: dt.date) -> bool:
    """Whether the item's weight changed after ``on`` (a backdated change then weighs
    with the weight of its day: its programme is recomputed). A weight counts from the
    day it is recorded, so a change dated today needs no look-up."""
    if on >= dt.date.today():
        return False
    return bool(
        cur.execute(
            "select count(*) from weight_change where item_kind = $k and item_id = $i"
            " and valid_from > $d",
            {"k": kind, "i": item_id, "d": on},
        ).fetchone()[0]
    )


def item_created(cur: duckdb.DuckDBPyConnection, kind: str, item: dict) -> None:
    """A new item counts once, status unknown, from the day it exists (record_start)."""
    deltas = dict.fromkeys(COUNTS, 0)
    deltas.update(
        {f"{kind}s_total": 1, "items_total": 1, "status_unknown": 1,
         "phases_unknown": int(kind == "phase")}
    )  # fmt: skip
    _add(cur, item["programme_id"], origins.start_day(cur, kind, item["id"]) or _ALWAYS, deltas)


def origins_moved(cur: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """An act, a budget line (which may date its act), a meeting or a decision was
    written: the items that exist from it may exist from another day now."""
    if table in ("legal_act", "meeting"):
        column, ids = (
            ("o.act_id", [r["id"] for r in rows])
            if table == "legal_act"
            else ("d.meeting_id", [r["id"] for r in rows])
        )
    elif table == "budget_line":
        column, ids = "o.act_id", [r["act_id"] for r in rows]
    else:  # decision
        column, ids = "o.decision_id", [r["id"] for r in rows]
    ids = sorted({int(i) for i in ids if i is not None})
    if not ids:
        return
    # column: one of three fixed names above
    found = cur.execute(
        "select distinct w.programme_id from record_origin as o"
        " left join decision as d on d.id = o.decision_id"
        " join (select 'phase' as k, id, programme_id from phase union all"
        " select 'orientation', id, programme_id from orientation union all"
        " select 'action', id, programme_id from action) as w"
        f" on w.k = o.entity and w.id = o.entity_id where {column} in (select unnest($ids))",
        {"ids": ids},
    ).fetchall()
    refresh_programmes(cur, (r[0] for r in found))


def _add(cur: duckdb.DuckDBPyConnection, programme_id: int, on: dt.date, deltas: dict) -> None:
    """Add ``deltas`` to the programme's rows of the month and of the day of ``on``."""
    key = {"programme": programme_id, "month": on.replace(day=1), "on": on}
    moved = [c for c in COUNTS if deltas[c]]
    # an update of the month's and the day's row (their key unchanged, only the counts
    # that move), else their first row: an upsert (insert … on conflict) costs four
    # times as much
    added = ", ".join(f"{c} = {c} + ${c}" for c in moved)  # columns: COUNTS
    changes = {c: deltas[c] for c in moved}
    statement = (
        f"update programme_month set last_on = greatest(last_on, $on){', ' if added else ''}"
        f"{added} where programme_id = $programme and month = $month"
    )
    if not cur.execute(statement, {**key, **changes}).fetchall()[0][0]:
        cur.execute(_NEW, {**key, **deltas})
    day = {"programme": programme_id, "on": on}
    where = "where programme_id = $programme and day = $on"
    found = (
        cur.execute(f"update programme_day set {added} {where}", {**day, **changes})
        if moved  # an event that moves nothing still has its day's row, as recomputed
        else cur.execute(f"select count(*) from programme_day {where}", day)
    ).fetchall()[0][0]
    if not found:
        cur.execute(_NEW_DAY, {**day, **deltas})


def refresh_programmes(cur: duckdb.DuckDBPyConnection, programme_ids: Iterable[int]) -> None:
    """Recompute the rows of these programmes from their items, log and archivings."""
    _refresh(cur, [k for k in _KEPT if k[2] == "programme"], programme_ids)


def refresh_lines(cur: duckdb.DuckDBPyConnection, line_ids: Iterable[int]) -> None:
    """Recompute the rows of these budget lines from their payments."""
    _refresh(cur, [k for k in _KEPT if k[2] == "budget_line"], line_ids)


def refresh_all(cur: duckdb.DuckDBPyConnection) -> None:
    """Every row recomputed (after a restore, or rows written in SQL as the benchmarks'
    data set), from the existence rules' rows made again first (``kept_rules``)."""
    kept_rules.refresh_if_kept(cur)
    for source in ("programme", "budget_line"):  # fixed names
        ids = [r[0] for r in cur.execute(f"select id from {source}").fetchall()]
        _refresh(cur, [k for k in _KEPT if k[2] == source], ids)


def _refresh(cur: duckdb.DuckDBPyConnection, kept: list[tuple], keys: Iterable[int]) -> None:
    ids = sorted({int(i) for i in keys if i is not None})
    if not ids:
        return
    for table, rows, source in kept:  # names from _KEPT, nothing from outside
        column = "budget_line_id" if source == "budget_line" else "programme_id"
        cur.execute(f"delete from {table} where {column} in (select unnest($ids))", {"ids": ids})
        cur.execute(f"insert into {table} select * from {rows}($ids::integer[])", {"ids": ids})


def touched(cur: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """A row of ``table`` was written (``rows``: [after] for a creation, [before, after]
    for a change): move what it counts in, when it changes a count."""
    if table == "payment":
        refresh_lines(cur, (r["budget_line_id"] for r in rows))
    elif table in ORIGIN_TABLES:
        if len(rows) == 2 or table == "budget_line":
            origins_moved(cur, table, rows)
    elif table not in ITEM_TABLES:
        return
    elif len(rows) == 1 and rows[0]["archived_on"] is None:
        item_created(cur, table, rows[0])
    elif len(rows) == 1 or any(rows[0][f] != rows[1][f] for f in _COUNTED_FIELDS):
        # loaded already archived, reweighted, archived, restored, moved
        if len(rows) == 2:
            weights_changed(cur, table, [(rows[0], rows[1])])
        refresh_programmes(cur, (r["programme_id"] for r in rows))


def weights_changed(cur: duckdb.DuckDBPyConnection, kind: str, pairs: list[tuple]) -> None:
    """A new weight counts from the day it is recorded (weight_change), so that the
    weighted progress of an earlier date does not move; a second change the same day
    replaces the first (back to the day's first weight: no change left)."""
    today = dt.date.today()
    for before, after in pairs:
        if before["weight"] == after["weight"]:
            continue
        key = {"k": kind, "i": after["id"], "d": today}
        same_day = cur.execute(
            "select from_weight from weight_change"
            " where item_kind = $k and item_id = $i and valid_from = $d",
            key,
        ).fetchone()
        cur.execute(
            "delete from weight_change where item_kind = $k and item_id = $i and valid_from = $d",
            key,
        )
        first = same_day[0] if same_day else before["weight"]
        if first != after["weight"]:
            cur.execute(
                "insert into weight_change values ($k, $i, $d, $f, $w, $at)",
                {**key, "f": first, "w": after["weight"], "at": dt.datetime.now(dt.UTC)
                 .replace(tzinfo=None)},
            )  # fmt: skip


_DRIFT = """
(select * from {table} except select * from {rows}(
    (select coalesce(list(id), []::integer[]) from {source})))
union all
(select * from {rows}((select coalesce(list(id), []::integer[]) from {source}))
    except select * from {table})
"""


def drift(cur: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Rows that differ from a recomputation (none when every writer kept them)."""
    found = []
    for table, rows, source in _KEPT:  # fixed names, nothing from outside
        statement = _DRIFT.format(table=table, rows=rows, source=source)
        found += [(table, *row) for row in cur.execute(statement).fetchall()]
    return found
