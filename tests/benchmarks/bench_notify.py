"""Computing the notifications due at national scale (run on demand, not part of
`uv run pytest`):

    uv run python -m tests.benchmarks.bench_notify [--runs 3]

The national database of national.py (502 fictional programmes), to which 2 000 fictional
accounts are added with verified addresses, each following one programme (the one they
work on: reminders, alerts, weekly digest), and the pack of each quarter for every
account (not tied to a programme). Measured: ``notifications.due``
— every reminder, alert, digest and pack due today for every account — median of the
runs, in this process. Target (issue 25): <= 5 s. Also measured: a whole first run
(``notifications.run``, everything recorded, no mail server so nothing leaves), and how
many alerts it remembers. Prints a table, saves
results/bench_notify.json, exits 0 only when the target holds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import print_table, save
from tests.benchmarks.national import national_database

TARGET_S = 5.0
ACCOUNTS = 2_000


def prepare(db) -> None:
    """2 000 accounts (fictional addresses at example.org), verified, subscribed."""
    with db.transaction() as cur:
        cur.execute(
            "insert into app_user (login, display_name, role, password_hash, email,"
            " email_verified_at) select 'compte-' || i, 'Compte ' || i,"
            " (['lecteur', 'contributeur', 'administrateur'])[1 + i % 3],"
            " '$2b$12$fictif', 'compte-' || i || '@example.org', current_timestamp"
            " from range($n) as t(i)",
            {"n": ACCOUNTS},
        )
        programmes = [r[0] for r in cur.execute("select id from programme order by id").fetchall()]
        cur.execute(
            "insert into subscription (user_id, programme_id, kind, reminder_days)"
            " select u.id, case when k.kind <> 'pack' then $ids[1 + u.id % len($ids)] end,"
            " k.kind, case when k.kind = 'reminder' then '90,30,7,0' end"
            " from app_user as u cross join (select unnest(['reminder', 'alert', 'digest',"
            " 'pack']) as kind) as k where u.login like 'compte-%'",
            {"ids": programmes},
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from dashboard.tracker import mail, notifications
    from dashboard.tracker.db import Database, migrate

    folder = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    try:
        source = national_database(Path(tempfile.gettempdir()) / "cdv-bench")
        path = folder / "notify.duckdb"
        shutil.copy(source, path)
        with Database(path) as db:
            migrate(db)  # the cached national base may predate the latest migrations
            prepare(db)
            timings, count = [], 0
            for _ in range(args.runs):
                start = time.perf_counter()
                count = len(notifications.due(db, dt.date.today()))
                timings.append(time.perf_counter() - start)
            # a whole first run, recording everything (no mail server: nothing leaves)
            quiet = mail.MailSettings(None, 25, "none", None, None, None, "http://localhost")
            start = time.perf_counter()
            report = notifications.run(db, quiet, dt.date.today())
            recorded_s = time.perf_counter() - start
            with db.reader() as cur:
                items = cur.execute("select count(*) from notified_item").fetchone()[0]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = statistics.median(timings)
    ok = median <= TARGET_S
    print_table(["mesure", "valeur", "cible"],
                [["comptes", ACCOUNTS, ""], ["notifications dues", count, ""],
                 ["calcul (médiane, s)", round(median, 2), TARGET_S],
                 ["1er passage enregistré (s)", round(recorded_s, 2), ""],
                 ["notifications enregistrées", report.new, ""],
                 ["alertes retenues", items, ""]])  # fmt: skip
    save("bench_notify", {"accounts": ACCOUNTS, "due": count, "runs_s": timings,
                          "median_s": median, "target_s": TARGET_S, "ok": ok,
                          "first_run_s": recorded_s, "recorded": report.new,
                          "alert_items": items})  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
