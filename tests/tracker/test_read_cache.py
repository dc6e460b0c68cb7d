"""The read cache reads a result once for everyone who asks for it at the same versions:
pages asking at the same moment wait for the one read in flight, a failed read is read
again by the next, and a read asked after a change is never given the older one."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from dashboard.tracker.read_cache import ReadCache
from dashboard.tracker.versions import JOURNAL, Versions

READ = "work_item_rows"  # any named read the versions follow
PARAMS = {"as_of": None, "programme_code": "P1"}


def _cache() -> ReadCache:
    return ReadCache(Versions(watching=True))


def _slow(started: threading.Event, release: threading.Event, calls: list, value):
    def compute():
        calls.append(value)
        started.set()
        assert release.wait(30), "jamais relâchée"
        return [{"value": value}]

    return compute


def test_pages_asking_at_once_share_the_one_read_in_flight():
    cache, calls, results = _cache(), [], []
    started, release = threading.Event(), threading.Event()
    compute = _slow(started, release, calls, 1)

    def ask():
        results.append(cache.get("records", READ, PARAMS, compute))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(30)
    others = [threading.Thread(target=ask) for _ in range(5)]
    for thread in others:
        thread.start()
    release.set()
    for thread in (first, *others):
        thread.join(30)
    assert calls == [1]  # read once
    assert results == [[{"value": 1}]] * 6
    assert (cache.misses, cache.hits) == (1, 5)
    results[0][0]["value"] = 99  # each one got its own copy
    assert cache.get("records", READ, PARAMS, lambda: pytest.fail("relue")) == [{"value": 1}]


def test_a_read_asked_after_a_change_is_read_again_not_shared():
    cache, calls = _cache(), []
    started, release = threading.Event(), threading.Event()
    old = threading.Thread(
        target=cache.get, args=("records", READ, PARAMS, _slow(started, release, calls, "avant"))
    )
    old.start()
    assert started.wait(30)
    cache.versions.moved([("P1", "record", None)])  # a write in P1 commits meanwhile
    after = cache.get("records", READ, PARAMS, lambda: calls.append("après") or [{"v": 2}])
    release.set()
    old.join(30)
    assert after == [{"v": 2}]
    assert calls == ["avant", "après"]


def test_a_failed_read_is_read_again_by_who_waited():
    cache, calls, results = _cache(), [], []
    started, release = threading.Event(), threading.Event()

    def failing():
        calls.append("échec")
        started.set()
        assert release.wait(30)
        raise RuntimeError("base indisponible")

    def first():
        with pytest.raises(RuntimeError):
            cache.get("records", READ, PARAMS, failing)

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(30)
    waiting = threading.Thread(
        target=lambda: results.append(
            cache.get("records", READ, PARAMS, lambda: calls.append("relue") or [{"v": 3}])
        )
    )
    waiting.start()
    release.set()
    thread.join(30)
    waiting.join(30)
    assert results == [[{"v": 3}]]
    assert calls[0] == "échec" and "relue" in calls
    assert cache.get("records", READ, PARAMS, lambda: pytest.fail("relue")) == [{"v": 3}]


BY_ITEM_READ = "work_item_statuses"
DAY = dt.date(2026, 1, 5)
ROWS = [{"item_kind": "action", "item_id": i, "status": "planned"} for i in (1, 2, 3)]


def _by_item(cache: ReadCache, asked: list):
    """The read by item through ``cache``: its whole rows, or those of the items asked."""

    def of_items(items):
        asked.append(items)
        return [{"item_kind": k, "item_id": i, "status": "in_progress"} for k, i in items
                if i != 2]  # fmt: skip

    return cache.get("records", BY_ITEM_READ, PARAMS, lambda: asked.append("tout") or ROWS,
                     of_items=of_items)  # fmt: skip


def test_a_read_by_item_is_brought_up_with_the_changed_items_of_its_programme_only():
    cache, asked = _cache(), []
    assert _by_item(cache, asked) == ROWS
    cache.versions.moved([("P1", "status", DAY, "action", 3), ("P1", "status", DAY, "action", 4),
                          ("P2", "status", DAY, "action", 1)])  # fmt: skip
    rows = _by_item(cache, asked)
    assert asked == ["tout", {("action", 3), ("action", 4)}]  # P2's item: not P1's read
    assert rows == [ROWS[0], ROWS[1], {"item_kind": "action", "item_id": 3, "status": "in_progress"},
                    {"item_kind": "action", "item_id": 4, "status": "in_progress"}]  # fmt: skip
    assert ROWS[2]["status"] == "planned"  # the kept rows are not changed, replaced
    cache.versions.moved([("P1", "status", DAY, "action", 2)])
    assert [r["item_id"] for r in _by_item(cache, asked)] == [1, 3, 4]  # no row now: left out
    assert cache.brought_up == 2


def test_a_read_by_item_is_read_whole_after_another_write_or_beyond_the_journal():
    cache, asked = _cache(), []
    _by_item(cache, asked)
    cache.versions.moved([("P1", "record", None)])  # not a status: the tree may have moved
    _by_item(cache, asked)
    cache.versions.moved([("P1", "status", DAY, "action", n) for n in range(JOURNAL + 1)])
    _by_item(cache, asked)  # the journal no longer reaches the kept result
    cache.versions.moved([("P1", "status", DAY)])  # a change whose item is not said
    _by_item(cache, asked)
    assert asked == ["tout"] * 4
    assert cache.brought_up == 0


def test_the_latest_result_of_each_read_by_item_is_remembered_within_the_cache_s_bound():
    cache, asked = ReadCache(Versions(watching=True), max_entries=2), []
    for code in ("P1", "P2", "P3"):
        cache.get("records", BY_ITEM_READ, {"as_of": None, "programme_code": code},
                  lambda: ROWS, of_items=lambda items: asked.append(items) or [])  # fmt: skip
    assert [dict(read[2])["programme_code"] for read in cache._latest] == ["P2", "P3"]


def test_a_kept_read_by_item_is_handed_without_looking_at_the_journal(monkeypatch):
    cache, asked = _cache(), []
    _by_item(cache, asked)

    def looked(*_args):
        raise AssertionError("journal lu pour un résultat gardé")

    monkeypatch.setattr(cache.versions, "changed_since", looked)
    assert _by_item(cache, asked) == ROWS  # a hit: nothing else read
    assert asked == ["tout"] and cache.hits == 1


def test_a_read_of_what_is_written_outside_the_versions_is_kept_until_the_next_commit():
    """Sessions, notifications: kept until any transaction commits, and only where this
    process sees every commit (a DuckDB file); read afresh each time otherwise."""
    asked = []

    def read(cache):
        return cache.get("records", "session_of_token", {"token_hash": "h"},
                         lambda: asked.append("lue") or [{"revoked_at": None}])  # fmt: skip

    file_cache = ReadCache(Versions(watching=True, every_commit_seen=True))
    read(file_cache), read(file_cache)
    assert asked == ["lue"]
    file_cache.versions.committed()  # a sign-out, a session's last use: nothing else moves
    read(file_cache)
    assert asked == ["lue", "lue"]
    shared_cache = ReadCache(Versions(watching=True))  # the shared store: never kept
    read(shared_cache), read(shared_cache)
    assert asked == ["lue"] * 4
    moment = {"now": dt.datetime(2026, 12, 7, 16, 30)}  # asked as of a moment: its own
    for _ in range(2):
        file_cache.get("records", "open_sessions", moment, lambda: asked.append("maintenant"))
    assert asked.count("maintenant") == 2
