"""The named reads' results kept in memory between writes, for a long-lived process
(the server): each result is keyed on the read, its parameters and the versions of
what it reads (``versions.py``), so a status change in one programme recomputes that
programme's reads of statuses and nothing else (of those « au » a date, only the reads
at or after the day the change counts from) — also inside the composed reads
(summaries, deadlines, alerts) that call several named reads.

A read of statuses by item (``BY_ITEM``: one row per item, each row depending on that
item alone) is not read again whole after status changes: the kept result is brought up
to date by reading only the items whose status changed since it was read (the
versions' journal), when nothing else of what it reads moved meanwhile — after one
change, the statuses of one item instead of the 450 of a programme.

A result is handed out as a fresh list of fresh dicts (a DataFrame: a copy), so a
caller changing what it got changes nothing kept. Reads of what is written outside
the versions (sessions, sign-in attempts, notifications) are kept until the next commit,
whatever it wrote, and only where this process sees every commit (a DuckDB file): a
member's session is checked at each view against the record as it is, a sign-out or a
right removed ends it at once; on the shared store, whose other servers write too, they
are read afresh each time."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from dashboard.tracker import composed
from dashboard.tracker.queries import sql, words
from dashboard.tracker.versions import Versions, read_until, reads_statuses, status_kinds

#: written by transactions that do not move the versions (``affects="none"``)
UNVERSIONED_TABLES = frozenset(
    {"user_session", "login_attempt", "notification", "notified_item", "subscription"}
)


#: reads of one row per item of the work tree, each row depending on that item alone,
#: and the parameters that restrict them to some items (kind -> parameter)
BY_ITEM = {
    "work_item_statuses": {
        "phase": "only_phases",
        "orientation": "only_orientations",
        "action": "only_actions",
    },
}


def only(name: str, items: set) -> dict:
    """The parameters that restrict the read by item ``name`` to ``items`` (kind, id)."""
    return {
        parameter: sorted(i for k, i in items if k == kind)
        for kind, parameter in BY_ITEM.get(name, {}).items()
    }


@functools.cache
def keepable(name: str) -> bool:
    """Whether the named read ``name`` reads only what the versions follow (a composed
    read: each of its parts does)."""
    if name in composed.PARTS:
        return all(keepable(part) for part in composed.PARTS[name])
    return not words(sql(name)).intersection(UNVERSIONED_TABLES)


def _moment(params: dict) -> bool:
    """Whether a read is asked as of a moment (a timestamp: the sessions open now, the
    sign-in attempts since a minute ago): each ask is its own, keeping it would only fill
    the cache."""
    return any(isinstance(value, dt.datetime) for value in params.values())


def _frozen(value: object) -> object:
    if isinstance(value, list | set | frozenset):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


class _Running:
    """A read being read: its result once ``done`` is set (``failed``: none)."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Any = None
        self.failed = False


class ReadCache:
    """At most ``max_entries`` results, the least recently used dropped first."""

    def __init__(self, versions: Versions, max_entries: int = 4096):
        self.versions = versions
        self.max_entries = max_entries
        self._kept: OrderedDict[tuple, Any] = OrderedDict()
        #: the reads being read now, by key: a second page asking for the same read at
        #: the same versions waits for that result instead of reading it again (after a
        #: change, the pages of everyone who follows that programme ask at once)
        self._running: dict[tuple, _Running] = {}
        #: of each read by item (``BY_ITEM``) with its parameters: the key of its latest
        #: result and the number of status changes counted when it was read
        self._latest: dict[tuple, tuple[tuple, int]] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = self.brought_up = 0

    def get(
        self,
        kind: str,
        name: str,
        params: dict,
        compute: Callable[[], Any],
        copy: bool = True,
        of_items: Callable[[set], Any] | None = None,
    ) -> Any:
        """The result of ``compute()`` (the read ``name`` with ``params``), kept; handed
        as a copy, or (``copy=False``) as kept, for a caller that changes nothing of it.
        ``of_items(items)``: the same read of these items only, for a read by item
        (``BY_ITEM``, or a composed read of one row per item: ``composed.BY_ITEM``)."""
        hand = _handed if copy else _as_kept
        versioned = keepable(name)
        if not versioned and (not self.versions.every_commit_seen or _moment(params)):
            return compute()
        changes = self.versions.changes  # before the key: a change after it is read again
        try:
            read = (kind, name, _frozen(params))
            key = (*read, self.versions.key(params.get("programme_code"), reads_statuses(name),
                                            read_until(params), status_kinds(name))
                   if versioned else self.versions.commit_key())  # fmt: skip
            hash(key)
        except TypeError:  # a parameter that cannot be a key: read it afresh
            return compute()
        by_item = of_items is not None and kind == "records"
        if by_item:  # on a miss only: a kept result is handed without looking further
            whole = compute

            def compute() -> Any:
                return self._by_item(read, key, changes, params.get("programme_code"),
                                     whole, of_items)  # fmt: skip

        while True:
            with self._lock:
                kept = self._kept.get(key)
                if kept is not None:
                    self._kept.move_to_end(key)
                    self.hits += 1
                    return hand(kept)
                running = self._running.get(key)
                if running is None:  # this one reads it
                    running = self._running[key] = _Running()
                    break
            # the same read, at the same versions, is being read: its result (if that
            # one failed, ask again: this one may read it)
            running.done.wait()
            if not running.failed:
                with self._lock:
                    self.hits += 1
                return hand(running.result)
        try:
            kept = running.result = compute()
        except BaseException:
            running.failed = True
            raise
        finally:
            with self._lock:
                del self._running[key]
                if not running.failed:
                    self.misses += 1
                    self._kept[key] = kept
                    if by_item:
                        self._latest.pop(read, None)  # the newest last, the oldest dropped
                        self._latest[read] = (key, changes)
                        if len(self._latest) > self.max_entries:
                            del self._latest[next(iter(self._latest))]
                    while len(self._kept) > self.max_entries:
                        self._kept.popitem(last=False)
            running.done.set()
        return hand(kept)

    def _by_item(
        self,
        read: tuple,
        key: tuple,
        changes: int,
        programme_code: str | None,
        whole: Callable[[], Any],
        of_items: Callable[[set], Any],
    ) -> Any:
        """The read ``key`` afresh: its latest kept result with the items changed since
        read again, when only statuses moved since (``_statuses_only``) and the journal
        reaches back to it; else ``whole()``."""
        with self._lock:
            latest = self._latest.get(read)
            base = self._kept.get(latest[0]) if latest is not None else None
        if base is None or not _statuses_only(latest[0], key):
            return whole()
        items = self.versions.changed_since(latest[1], programme_code)
        if items is None:
            return whole()
        self.brought_up += 1
        return _with_items(base, of_items(items) if items else [], items)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._latest.clear()


def _statuses_only(before: tuple, after: tuple) -> bool:
    """Whether two keys of one read differ in their status counters alone (the same
    shared and records versions, the same kind of status key)."""
    old, new = before[-1], after[-1]
    return old[:2] == new[:2] and len(old) == len(new)


def _with_items(base: list[dict], fresh: list[dict], items: set) -> list[dict]:
    """``base`` with the rows of ``items`` replaced by ``fresh`` ones (in place; an item
    without a fresh row left out, one without a row before added at the end)."""
    by_item = {(row["item_kind"], row["item_id"]): row for row in fresh}
    ids = {item_id for _, item_id in items}
    changed = [n for n, row in enumerate(base)
               if row["item_id"] in ids and (row["item_kind"], row["item_id"]) in items]  # fmt: skip
    rows = list(base)
    for n in reversed(changed):
        row = by_item.pop((rows[n]["item_kind"], rows[n]["item_id"]), None)
        if row is None:
            del rows[n]
        else:
            rows[n] = row
    return rows + list(by_item.values())


def _as_kept(kept: Any) -> Any:
    return kept


def _handed(kept: Any) -> Any:
    if isinstance(kept, list):
        return [row.copy() if isinstance(row, dict) else row for row in kept]
    copy = getattr(kept, "copy", None)  # a DataFrame
    return copy() if copy is not None else kept
