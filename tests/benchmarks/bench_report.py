"""The evaluation report at national scale (run on demand, not part of `uv run pytest`):

    uv run python -m tests.benchmarks.bench_report [--runs 3]

The database of bench_evaluation (national.py's 502 fictional programmes, plus 2 000
indicators and 500 000 values over 1 500 fictional QPV), to which one fictional
programme gets a référentiel: two questions, four criteria, its four indicators attached,
a validated answer and a draft judged on their evidence, three recommendations. Measured,
each run in a fresh process as a person runs `cdv rapport evaluation` (opening the
database, reading, drawing the figures, writing the DOCX and the PDF): wall time and peak
RSS. Also measured: the same report at the seed's scale. Targets: <= 10 s and <= 500 MB
at national scale. Prints a table, saves results/bench_report.json, exits 0 only when the
targets hold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import print_table, save

TARGETS = {"national_s": 10.0, "national_peak_mib": 500.0}
PROGRAMME = "FICTIF-0007"


def peak_kib() -> int:
    """This process's peak resident memory. VmHWM belongs to the process image (reset by
    exec); getrusage's ru_maxrss survives exec on Linux and would report the parent's
    peak at fork time (the parent holds the national database it just prepared)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(db_path: str, programme: str, out: str) -> None:
    """One report, as the command line makes it (the timer starts before the imports)."""
    start = time.perf_counter()
    from dashboard.tracker.db import Database
    from dashboard.tracker.evaluation_report import build
    from dashboard.tracker.evaluation_report.docx import docx_bytes
    from dashboard.tracker.evaluation_report.pdf import pdf_bytes

    with Database(db_path) as db:
        report = build(db, programme, dt.date.today())
    sizes = {}
    for kind, render in (("docx", docx_bytes), ("pdf", pdf_bytes)):
        data = render(report)
        (Path(out) / f"r.{kind}").write_bytes(data)
        sizes[kind] = len(data)
    print(json.dumps({
        "seconds": round(time.perf_counter() - start, 2),
        "peak_rss_mib": round(peak_kib() / 1024),
        "figures": len(report.figures), "bytes": sizes,
    }))  # fmt: skip


def prepare(path: Path, programme: str) -> dict:
    """Give ``programme`` a référentiel judged on its indicators (through the services)."""
    from dashboard.tracker import committees, evaluation, judgements, recommendations
    from dashboard.tracker.access import Actor
    from dashboard.tracker.db import Database

    lead = Actor("bench", "administrateur", "Banc d'essai")
    today = dt.date.today()
    with Database(path) as db:
        pid = db.scalar("select id from programme where code = $c", {"c": programme})
        with db.reader() as cur:
            indicators = [r[0] for r in cur.execute(
                "select id from indicator where programme_id = $p order by id", {"p": pid}
            ).fetchall()]  # fmt: skip
        questions = [
            evaluation.create_question(db, lead, programme_id=pid, text=f"Question fictive {n} ?",
                                       criteria=[f"Critère fictif {n}.1", f"Critère fictif {n}.2"])
            for n in (1, 2)
        ]  # fmt: skip
        found = db.records("eval_questions", programme_code=programme, as_of=today)
        criteria = {q["id"]: [c["id"] for c in q["criteria"]] for q in found}
        for indicator, criterion in zip(indicators, [c for q in questions for c in criteria[q]],
                                        strict=False):  # fmt: skip
            version = db.scalar("select version from indicator where id = $i", {"i": indicator})
            evaluation.update_indicator(db, lead, indicator, expected_version=version,
                                        criterion_id=criterion)  # fmt: skip
        committee = committees.create_committee(db, lead, programme_id=pid, kind="copil",
                                                name="Comité fictif")  # fmt: skip
        committees.record_meeting(db, lead, committee_id=committee, held_on=today, decisions=[
            committees.DecisionInput("other", "Validée (fictif)", [])])  # fmt: skip
        decision = db.scalar("select max(id) from decision")
        for q, validated in zip(questions, (True, False), strict=True):
            j = judgements.draft_judgement(db, lead, question_id=q, answer="Réponse fictive")
            for criterion in criteria[q]:
                judgements.judge_criterion(
                    db, lead, judgement_id=j, criterion_id=criterion, verdict="met",
                    reasoning="Argumentaire fictif", strength="medium",
                    strength_reason="Raison fictive",
                    evidence=[judgements.Evidence("indicator", indicator_id=indicators[0])],
                )  # fmt: skip
            if validated:
                judgements.validate_judgement(db, lead, j, expected_version=1, decision_id=decision)
        for n in range(3):
            recommendations.create_recommendation(
                db, lead, programme_id=pid, question_id=questions[n % 2],
                text=f"Recommandation fictive {n}", due_on=dt.date(2030, 1, 1),
                owner_organisation_id=1,
            )  # fmt: skip
        return {"programme_indicators": len(indicators),
                "indicators": db.scalar("select count(*) from indicator"),
                "values": db.scalar("select count(*) from indicator_value")}  # fmt: skip


def run_child(db_path: Path, programme: str) -> dict:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_report", "--child", str(db_path),
             programme, out], capture_output=True, text=True, check=True,
        )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def seed_database(folder: Path) -> Path:
    from dashboard.ingest.load import load, make_demo, read
    from dashboard.ingest.seed import initialize
    from dashboard.tracker.access import Actor
    from dashboard.tracker.db import Database

    path = folder / "seed.duckdb"
    demo = Path(__file__).parents[2] / "data" / "examples" / "referentiel-demo.toml"
    with Database(path) as db:
        initialize(db)
        make_demo(db)
        load(db, Actor("bench", "administrateur", "Banc d'essai"), read(demo), origin=demo.name)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("DB", "PROGRAMME", "OUT"))
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    from tests.benchmarks.bench_evaluation import evaluation_database

    with tempfile.TemporaryDirectory() as folder:
        national = Path(folder) / "national.duckdb"
        shutil.copy(evaluation_database(), national)
        scale = prepare(national, PROGRAMME)
        seed = seed_database(Path(folder))
        runs = {"national": [run_child(national, PROGRAMME) for _ in range(args.runs)],
                "seed": [run_child(seed, "EVAL-CDV-2015-2020") for _ in range(args.runs)]}  # fmt: skip
    result = {
        "scale": scale,
        "national_s": statistics.median(r["seconds"] for r in runs["national"]),
        "national_peak_mib": max(r["peak_rss_mib"] for r in runs["national"]),
        "seed_s": statistics.median(r["seconds"] for r in runs["seed"]),
        "seed_peak_mib": max(r["peak_rss_mib"] for r in runs["seed"]),
        "figures_national": runs["national"][0]["figures"],
        "bytes_national": runs["national"][0]["bytes"],
        "runs": runs,
        "targets": TARGETS,
    }
    ok = all(result[k] <= v for k, v in TARGETS.items())
    print_table(["rapport d'évaluation (processus neuf, médiane)", "mesuré", "cible"], [
        ["échelle nationale : durée (s)", result["national_s"], TARGETS["national_s"]],
        ["échelle nationale : pic mémoire (Mio)", result["national_peak_mib"],
         TARGETS["national_peak_mib"]],
        ["échelle des actes (démo) : durée (s)", result["seed_s"], "—"],
        ["échelle des actes (démo) : pic mémoire (Mio)", result["seed_peak_mib"], "—"],
    ])  # fmt: skip
    save("bench_report", {**result, "ok": ok})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
