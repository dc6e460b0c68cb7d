"""Reads made of named reads, joined here rather than in SQL so that the read cache keeps
each part on its own.

``work_items`` is the work tree as it stood at a date (``work_item_rows``: items,
titles, dates, weights, sources — no status table) with each item's status then
(``work_item_statuses``). A status change moves only the statuses' version (see
``versions``): the next view re-reads the statuses of one programme, a few
milliseconds, while the tree stays kept (re-reading the whole tree took 30 to 40 ms, most
of it DuckDB planning the tree's query). Rows and columns are those of the tree's read,
then the status columns, NULL for an item without a status (« non renseigné »)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: the columns ``work_item_statuses`` adds to each row of ``work_item_rows``
STATUS_COLUMNS = ("status", "progress", "effective_progress", "status_on", "status_by",
                  "event_id", "started_on", "finished_on")  # fmt: skip


def _with_statuses(rows: list[dict], statuses: list[dict]) -> list[dict]:
    """Each row of the tree with its item's status columns (NULL when it has none)."""
    by_item = {(s["item_kind"], s["item_id"]): s for s in statuses}
    unknown = dict.fromkeys(STATUS_COLUMNS)
    return [{**row, **by_item.get((row["item_kind"], row["item_id"]), unknown)} for row in rows]


#: each composed read -> the named reads it is made of (what it depends on: theirs), and
#: how their rows are joined
COMPOSED: dict[str, tuple[tuple[str, ...], Callable[..., list[dict]]]] = {
    "work_items": (("work_item_rows", "work_item_statuses"), _with_statuses),
}
PARTS = {name: parts for name, (parts, _) in COMPOSED.items()}
#: composed reads of one row per item, each depending on that item alone (its row of
#: the first part, its status): a kept result is brought up to date after status changes
#: by joining again only the rows of the items changed (``read_cache``)
BY_ITEM = frozenset({"work_items"})


def read(db: Any, name: str, params: dict, items: set | None = None) -> list[dict]:
    """The composed read ``name`` with ``params``, each part through the read cache when
    there is one (as kept: the rows joined here are new ones, the parts' are not changed);
    with ``items`` (a read ``BY_ITEM``), only the rows of these items (kind, id)."""
    parts, join = COMPOSED[name]
    first, *others = (db.kept_records(part, **params) for part in parts)
    if items is not None:
        first = [row for row in first if (row["item_kind"], row["item_id"]) in items]
    return join(first, *others)
