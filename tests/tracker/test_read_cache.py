"""The read cache reads a result once for everyone who asks for it at the same versions:
pages asking at the same moment wait for the one read in flight, a failed read is read
again by the next, and a read asked after a change is never given the older one."""

from __future__ import annotations

import threading

import pytest

from dashboard.tracker.read_cache import ReadCache
from dashboard.tracker.versions import Versions

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
