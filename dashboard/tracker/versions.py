"""What each committed write changed, so that a cached read is recomputed only when
the data it shows changed.

Every write transaction notes, just before it commits, the audit rows and status
events it wrote (those after the watermarks it began with: ``changes_written``, one
round trip) and the programme each belongs to: the one its audit images name,
else its parent's (a clause or a party through its act, a meeting through its
committee, a decision through its meeting, a payment through its budget line), and a
status event its item's. A status change moves that programme's *status* counter, any
other write of one programme's records its *record* counter, and a write that is not
one programme's (a programme itself, an organisation, a person, a territory, an
account, a write without an audit row) the *shared* counter, which every read depends
on. A read of one programme is keyed on the shared counter and that programme's
counters, a read of every programme on the totals; a read whose SQL never reads a
status table (``reads_statuses``) ignores the status counters, and a read of statuses
« au » a date (its ``as_of``, or the ``until`` of a period) counts only the status
changes dated on or before it: the past does not move, so a change recorded today
leaves last quarter's reads warm (a change dated back to that quarter does not). Writes are placed only
where a read cache uses the counters (``watching``: the server, on a migrated base). The counters live in memory, one set per database file, shared by every
``Database`` of the process on that file (DuckDB lets one process hold it); they start
afresh with the process, as the read cache does."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import deque
from dataclasses import dataclass, field

import duckdb

from dashboard.tracker import composed, rules
from dashboard.tracker.catalogue import ITEM_TABLES
from dashboard.tracker.queries import header, sql, words

#: the tables a status change writes: a read that reads none of them (directly or
#: through the rules it calls) is not recomputed when a status changes
STATUS_TABLES = ("status_event", "item_status", "programme_month", "programme_day")

#: what a read's ``statuses`` header names besides kinds of item: whether items have a
#: status at all (known or « statut inconnu »), not which — moved only by an item's first
#: status by its day (``changes_written``'s ``first_status``)
KNOWN = "known"

#: the last status changes remembered item by item (``Versions.journal``): what a kept
#: read of statuses by item is brought up to date from (``read_cache.BY_ITEM``)
JOURNAL = 4096


@dataclass
class Versions:
    """The counters of one database file (see the module's docstring)."""

    shared: int = 0
    records: int = 0
    statuses: int = 0
    by_programme: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: the status changes per day they count from (an ordinal), of each programme and of
    #: all (code None), per kind of item (and ``KNOWN``: an item's first status): what a
    #: read « au » a date, or of the statuses of some kinds only (its ``statuses``
    #: header: ``status_kinds``), is keyed on
    kind_days: dict[tuple[str | None, str], dict[int, int]] = field(default_factory=dict)
    #: the status changes counted so far, and the last ``JOURNAL`` of them as
    #: (their number, programme code, item kind, item id): which items changed since a
    #: number (``changed_since``)
    changes: int = 0
    journal: deque = field(default_factory=lambda: deque(maxlen=JOURNAL), repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: a read cache uses these counters (a server): only then is each write placed
    #: (about 2 ms); otherwise every write just moves the shared counter
    watching: bool = False
    #: every committed transaction, those that move no other counter included (a
    #: session's last use, a notification): what reads of the tables written outside
    #: the versions are kept on — only where this process sees every commit on the
    #: store (``every_commit_seen``: a DuckDB file, which one process holds; never the
    #: shared store, whose other servers write too)
    commits: int = 0
    every_commit_seen: bool = False
    #: programme id -> code, and (item kind, item id) -> code: read once, kept (an
    #: item stays in its programme, a programme keeps its code)
    _codes: dict[int, str] = field(default_factory=dict, repr=False)
    _items: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)

    def key(
        self,
        programme_code: str | None,
        statuses: bool = True,
        until: dt.date | None = None,
        kinds: frozenset[str] | None = None,
    ) -> tuple:
        """What a read of ``programme_code`` (None: of every programme) is keyed on; a
        read of statuses up to ``until`` only on the status changes dated until then; a
        read of the statuses of some ``kinds`` of item only on theirs."""
        if programme_code is None:
            record, status = self.records, self.statuses
        else:
            record, status = self.by_programme.get(programme_code, (0, 0))
        if not statuses:
            return (self.shared, record, None)
        if kinds is None and until is None:
            return (self.shared, record, status)
        counted = self._counted(programme_code, kinds or ITEM_TABLES, until)
        if kinds is None:
            return (self.shared, record, "au", counted)
        return (self.shared, record, "of", tuple(sorted(kinds)), counted)

    def _counted(self, programme_code: str | None, kinds, until: dt.date | None) -> int:
        """The status changes of ``kinds`` of ``programme_code`` counted from ``until``
        or before (None: every day)."""
        last = until.toordinal() if until is not None else None
        with self.lock:
            return sum(n for kind in kinds
                       for day, n in self.kind_days.get((programme_code, kind), {}).items()
                       if last is None or day <= last)  # fmt: skip

    def committed(self) -> None:
        """A transaction committed (whatever it wrote)."""
        with self.lock:
            self.commits += 1

    def commit_key(self) -> tuple:
        """What a read of tables written outside the versions is keyed on: every commit
        (and the shared counter: a restore, a migration)."""
        return (self.shared, "commits", self.commits)

    def moved(self, touched: list[tuple]) -> None:
        """A transaction committed: ``touched`` as ``written`` returns it (programme
        code, kind of change, day, and for a status change its item's kind and id and
        whether it is the item's first status by that day), empty for a write that wrote
        no audit row nor status event."""
        with self.lock:
            if not touched or any(code is None for code, *_ in touched):
                self.shared += 1
                return
            for code, kind, day, *item in touched:
                record, status = self.by_programme.get(code, (0, 0))
                if kind == "status":
                    self.by_programme[code] = (record, status + 1)
                    self.statuses += 1
                    self.changes += 1
                    if item:
                        self.journal.append((self.changes, code, *item[:2]))
                    else:  # an item not said: nothing before it can be brought up to date
                        self.journal.clear()
                    kinds = _kinds_moved(item)
                    for counted in (code, None):
                        for kind in kinds:
                            days = self.kind_days.setdefault((counted, kind), {})
                            days[day.toordinal()] = days.get(day.toordinal(), 0) + 1
                else:
                    self.by_programme[code] = (record + 1, status)
                    self.records += 1

    def changed_since(self, number: int, programme_code: str | None) -> set | None:
        """The items (kind, id) of ``programme_code`` (None: of every programme) whose
        status changed after the status change numbered ``number`` (``changes`` then);
        None when the journal no longer reaches back that far."""
        with self.lock:
            if self.changes == number:
                return set()
            if not self.journal or self.journal[0][0] > number + 1:
                return None
            items = set()
            for counted, code, kind, item_id in reversed(self.journal):  # newest first
                if counted <= number:
                    break
                if programme_code in (None, code):
                    items.add((kind, item_id))
            return items

    def forget_places(self) -> None:
        """The file may be another one now (a restore): read the programmes' codes and
        the items' programmes again when next needed."""
        self._codes.clear()
        self._items.clear()

    def written(
        self, cur: duckdb.DuckDBPyConnection, marks: tuple[int, int]
    ) -> tuple[list[tuple], tuple[int, int]]:
        """What the transaction on ``cur`` wrote after ``marks`` (last audit row, last
        status event), as ``moved`` takes it (programme code, kind of change, the day a
        status change counts from and its item), and the marks after it."""
        written = cur.execute(
            sql("changes_written"), {"audit_after": marks[0], "event_after": marks[1]}
        ).fetchall()
        audited = [row[1:9] for row in written if row[0] == "audit"]
        events = [(row[1], *row[9:]) for row in written if row[0] == "status"]
        self._learn_items(cur, {(kind, item_id) for _, kind, item_id, _, _ in events})
        touched: set[tuple] = set()
        for _, kind, item_id, day, first in events:
            touched.add((self._item_code(cur, kind, item_id), "status", day, kind, item_id,
                         bool(first)))  # fmt: skip
        parents = self._parents(cur, [r[3:] for r in audited if r[1] is None and r[2] is None])
        for _, before, after, *parent in audited:
            if before is None and after is None:
                touched.add((_parent_code(parents, parent), "record", None))
            else:
                touched.update((self._code(cur, p), "record", None) for p in (before, after) if p)
        marks_after = (
            max((r[0] for r in audited), default=marks[0]),
            max((r[0] for r in events), default=marks[1]),
        )
        return sorted(touched, key=str), marks_after

    def _learn_items(self, cur: duckdb.DuckDBPyConnection, items: set[tuple[str, int]]) -> None:
        """Many items not met yet (a bulk write): their programmes in one pass."""
        unknown = [item for item in items if item not in self._items]
        if len(unknown) <= _BY_KEY:
            return
        lists = {k: sorted(i for kind, i in unknown if kind == k)
                 for k in ("phase", "orientation", "action")}  # fmt: skip
        found = cur.execute(
            sql("item_programmes"),
            {"phases": lists["phase"], "orientations": lists["orientation"],
             "actions": lists["action"]},
        ).fetchall()  # fmt: skip
        self._items.update({(kind, i): code for kind, i, code in found})

    def _item_code(self, cur: duckdb.DuckDBPyConnection, kind: str, item_id: int) -> str | None:
        """The programme of an item (read once by its key, then kept)."""
        if (kind, item_id) not in self._items:
            found = cur.execute(
                sql("status_programmes"), {"item_kind": kind, "item_id": item_id}
            ).fetchone()
            self._items[(kind, item_id)] = found[0] if found else None
        return self._items[(kind, item_id)]

    def _parents(self, cur: duckdb.DuckDBPyConnection, named: list[tuple]) -> dict:
        """(parent kind, id) -> programme code, for the parents audit rows name."""
        lists = {k: sorted({row[i] for row in named if row[i] is not None})
                 for i, k in enumerate(_PARENTS)}  # fmt: skip
        if not any(lists.values()):
            return {}
        found = cur.execute(sql("parent_programmes"), lists).fetchall()
        return {(parent, i): code for parent, i, code in found}

    def _code(self, cur: duckdb.DuckDBPyConnection, programme_id: int) -> str | None:
        if programme_id not in self._codes:
            self._codes.update(cur.execute(sql("programme_codes")).fetchall())
        return self._codes.get(programme_id)


#: the parents an audit image may name, in the order of ``changes_written``'s columns:
#: the parameter of ``parent_programmes`` that takes them -> the kind it returns
_PARENTS = {"acts": "act", "committees": "committee", "meetings": "meeting",
            "decisions": "decision", "lines": "line"}  # fmt: skip


def _parent_code(parents: dict, named: list) -> str | None:
    """The programme of the one parent an audit row names; None when it names none, or
    several of different programmes (then every read is recomputed)."""
    codes = {parents.get((kind, i)) for kind, i in zip(_PARENTS.values(), named, strict=True)
             if i is not None}  # fmt: skip
    return codes.pop() if len(codes) == 1 else None


#: up to this many items not met yet are read one by one, by their key; more in one pass
_BY_KEY = 16

_registry: dict[str, Versions] = {}
_registry_guard = threading.Lock()


def _kinds_moved(item: list) -> tuple[str, ...]:
    """What a status change of ``item`` (kind, id, whether it is its first status by its
    day) moves: its kind, and whether items have a status when it is its first; an item
    not said (or not said whether first): every kind, and whether items have one."""
    if not item:
        return (*ITEM_TABLES, KNOWN)
    if len(item) > 2 and not item[2]:
        return (item[0],)
    return (item[0], KNOWN)


def for_file(key: str) -> Versions:
    with _registry_guard:
        return _registry.setdefault(key, Versions())


@functools.cache
def _rule_reads_statuses(name: str) -> bool:
    """A rule reads statuses when its text names a status table or a rule it uses
    (its ``uses`` header) reads them."""
    return _names_status_table(rules.text(name)) or any(
        _rule_reads_statuses(used) for used in rules.uses(name)
    )


def read_until(params: dict) -> dt.date | None:
    """The day up to which a read of statuses reads them: its ``as_of``, or the
    ``until`` of a period; None (every change counts) when it names no such day."""
    day = params.get("as_of", params.get("until"))
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    if isinstance(day, str):
        try:
            return dt.date.fromisoformat(day)
        except ValueError:
            return None
    return None


def _names_status_table(text: str) -> bool:
    return bool(words(text).intersection(STATUS_TABLES))


@functools.cache
def status_kinds(query: str) -> frozenset[str] | None:
    """The kinds of item whose statuses the named read ``query`` reads, when its header
    says so (``-- statuses: phase``; ``known``: only whether items have a status, of
    every kind): a status change of an item of another kind (not an item's first) leaves
    its result as it was (``tests/tracker/test_versions.py`` makes such changes and reads
    it again); None: every kind (and a composed read)."""
    if query in composed.PARTS:
        return None
    said = header(sql(query)).get("statuses")
    if said is None:
        return None
    kinds = frozenset(k.strip() for k in said.split(","))
    if not kinds <= {*ITEM_TABLES, KNOWN}:
        raise ValueError(f"{query} : en-tête « statuses » inconnu : {said!r}")
    return kinds


@functools.cache
def reads_statuses(query: str) -> bool:
    """Whether the named read ``query`` reads a status table, directly or through a
    rule it calls (a view or macro of ``queries/rules/``); a composed read, when one of
    its parts does."""
    if query in composed.PARTS:
        return any(reads_statuses(part) for part in composed.PARTS[query])
    text = sql(query)
    called = words(text).intersection(rules.names())
    return _names_status_table(text) or any(_rule_reads_statuses(rule) for rule in called)
