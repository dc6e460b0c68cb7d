"""Drill: a process killed (SIGKILL) in the middle of a bulk write. On reopening the
file, the write is all there or not at all — here, not at all, since it never committed;
and the same bulk run to its end is all there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from dashboard.tracker import work
from dashboard.tracker.db import Database
from tests.conftest import ADMIN

ROWS = 300

CHILD = textwrap.dedent(
    """
    import sys, time
    from dashboard.tracker import work
    from dashboard.tracker.access import Actor
    from dashboard.tracker.db import Database

    path, ids, stop = sys.argv[1], sys.argv[2].split(","), sys.argv[3] == "stop"
    real = work.audit_many

    def slow(*args, **kwargs):
        if stop:  # every row is updated inside the transaction, nothing committed yet
            print("MID", flush=True)
            time.sleep(120)
        return real(*args, **kwargs)

    work.audit_many = slow
    db = Database(path)
    rows = [{"action_id": int(i), "expected_version": 1, "lead": "Après"} for i in ids]
    count = work.bulk_update_actions(db, Actor("lot", "contributeur", "Lot"), rows)
    db.close()
    print("DONE", count, flush=True)
    """
)


def _actions(db_path) -> list[int]:
    with Database(db_path) as db:
        ids = [
            work.create_action(db, ADMIN, orientation_id=5, title=f"Action {n}")
            for n in range(ROWS)
        ]
        db.checkpoint()
    return ids


def _state(db_path, ids) -> tuple[list, int]:
    with Database(db_path) as db, db.reader() as cur:
        leads = cur.execute(
            "select lead, version from action where id in (select unnest($ids)) order by id",
            {"ids": ids},
        ).fetchall()
        audits = cur.execute("select count(*) from audit_log").fetchone()[0]
    return leads, audits


def _child(db_path, ids, stop: bool) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(db_path),
            ",".join(map(str, ids)),
            "stop" if stop else "run",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL n'existe pas ici")
def test_sigkill_in_the_middle_of_a_bulk_write_leaves_nothing(db_path):
    ids = _actions(db_path)
    before = _state(db_path, ids)
    assert before[0] == [(None, 1)] * ROWS
    child = _child(db_path, ids, stop=True)
    try:
        assert child.stdout.readline().strip() == "MID"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert _state(db_path, ids) == before  # none of the 300 updated rows survived


def test_the_same_bulk_write_run_to_its_end_is_all_there(db_path):
    ids = _actions(db_path)
    _, audits = _state(db_path, ids)
    child = _child(db_path, ids, stop=False)
    output, _ = child.communicate(timeout=120)
    assert output.strip() == f"DONE {ROWS}"
    leads, after_audits = _state(db_path, ids)
    assert leads == [("Après", 2)] * ROWS
    assert after_audits == audits + ROWS
