"""Benchmark: the whole comité opens the overview at once (run on demand, not part of
`uv run pytest`):

    uv run python -m tests.benchmarks.bench_sessions [--sessions 1,5,10,20] [--views 10]
                                                     [--seed] [--browser]

Against a real `cdv serve` over a copy of the synthetic national database (or the
seeded one with --seed), public reading off: every session is a signed-in member (its
session cookie, opened beforehand as the sign-in route opens it), so each view pays the
session check a member's view pays.

- **Cost per view**: every read page is opened ``--views`` times, one session after the
  other, after one warm-up visit (the read cache filled); reported: the server process's
  own CPU time (from /proc) per view. Target: <= 100 ms for every page.
- **Simultaneous sessions**: 1, 5, 10 then 20 sessions open the overview at the same
  moment. Each is a real Streamlit session: it fetches the page and the host
  configuration, opens the app's WebSocket and sends what the browser sends (the page,
  its query string) and is ready when the server has sent the whole run (its chart
  included) and « script finished ». Reported: median and p95 time-to-ready, server CPU
  per view. Target: 20 sessions <= 3 s median, <= 100 ms of CPU per view. These
  sessions do not draw: a member's browser draws on its own machine, whereas 20
  Chromium pages on this machine would share its two cores with the server
  (``--browser`` measures exactly that, for comparison: about 1 s of Chromium CPU per
  page, so 20 pages cannot be ready in 3 s on two cores whatever the server does).
- **A member's browser**: one real Chromium page (static assets in its cache, as for a
  member who has visited before) opens the overview alone, then at the same moment as
  the 20 sessions; time from navigation to the chart drawn. Reported beside them.

Prints tables and writes tests/benchmarks/results/bench_sessions.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from dashboard.ingest.seed import initialize
from dashboard.tracker.db import Database
from dashboard.ui.menu import READ_PAGES
from tests.benchmarks.bench_pages import serve
from tests.benchmarks.common import RESULTS, print_table, save
from tests.benchmarks.national import national_database
from tests.e2e.conftest import chromium_path, free_port

TARGET_MEDIAN_S = 3.0
TARGET_CPU_MS = 100.0
#: a cached view of the overview (server CPU), and the p95 to « script finished » of
#: 20 and 40 members opening it in the same second
TARGET_OVERVIEW_CPU_MS = 30.0
TARGET_P95_S = {20: 1.0, 40: 2.0}
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1"
PROGRAMME = "programme=FICTIF-0250"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class PageRunError(RuntimeError):
    pass


def _get(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()


#: one signed-in member's cookies per session (filled by ``sign_in_members``)
MEMBERS: list[str] = []


def sign_in_members(db_path: Path | str, count: int) -> None:
    """``count`` sessions of one member's account, opened as the sign-in route opens
    them (a one-use code redeemed by the browser that asked for it); ``db_path``: a
    DuckDB file or the URL of the PostgreSQL store."""
    from dashboard.tracker import sessions, users
    from dashboard.tracker.pg_db import PostgresDatabase

    opened = PostgresDatabase(db_path) if isinstance(db_path, str) else Database(db_path)
    with opened as db:
        users.create_first_admin(db, login="membre", display_name="Membre du comité",
                                 password="un mot de passe assez long")  # fmt: skip
        with db.reader() as cur:
            row = cur.execute(
                "select id, login, role, display_name, access_epoch from app_user"
                " where login = 'membre'"
            ).fetchone()
        account = dict(zip(["id", "login", "role", "display_name", "access_epoch"], row,
                           strict=True))  # fmt: skip
        actor = users.actor_of(account)
        for _ in range(count):
            browser = sessions.new_browser_token()
            code = sessions.open_handoff(db, actor, "/", browser=browser)
            token, _ = sessions.redeem_handoff(db, code, browser)
            MEMBERS.append(f"{sessions.COOKIE}={token}; {sessions.BROWSER_COOKIE}={browser}")


_next_member = 0


def _member() -> str:
    global _next_member
    _next_member += 1
    return MEMBERS[_next_member % len(MEMBERS)]


async def open_session(port: int, page: str = "", query: str = "") -> dict:
    """One Streamlit session as the browser opens it: the page's HTML and the host
    configuration, then the WebSocket, the first run requested for ``page`` with
    ``query``; returns once the server has sent « script finished »."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    base = f"127.0.0.1:{port}"
    cookie = _member()
    start = time.perf_counter()
    await asyncio.to_thread(_get, f"http://{base}/{page}?{query}", cookie)
    await asyncio.to_thread(_get, f"http://{base}/_stcore/host-config", cookie)
    async with websockets.connect(
        f"ws://{base}/_stcore/stream",
        subprotocols=["streamlit"],
        origin=f"http://{base}",
        max_size=None,
        additional_headers={"Cookie": cookie},
    ) as socket:
        request = BackMsg()
        request.rerun_script.page_name = page
        request.rerun_script.query_string = query
        await socket.send(request.SerializeToString())
        elements = charts = 0
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket.recv())
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element.WhichOneof("type")
                if element == "exception":
                    raise PageRunError(f"{page or 'accueil'} : {message.delta.new_element}")
                elements += 1
                charts += element == "plotly_chart"
            if kind == "script_finished":
                break
    if page == "" and charts < 1:
        raise PageRunError("la vue d'ensemble n'a pas été dessinée : session non reconnue ?")
    return {"seconds": time.perf_counter() - start, "elements": elements, "charts": charts}


async def cost_per_view(port: int, pid: int, views: int) -> list[dict]:
    rows = []
    for spec in READ_PAGES:
        page = spec["url_path"]
        query = "" if spec.get("default") else PROGRAMME
        await open_session(port, page, query)  # warm-up: the read cache filled
        before = cpu_seconds(pid)
        runs = [await open_session(port, page, query) for _ in range(views)]
        cpu_ms = (cpu_seconds(pid) - before) * 1000 / views
        rows.append(
            {
                "page": spec["title"],
                "views": views,
                "elements": runs[-1]["elements"],
                "median_ms": round(statistics.median(r["seconds"] for r in runs) * 1000, 1),
                "server_cpu_ms_per_view": round(cpu_ms, 1),
                "meets_targets": cpu_ms
                <= (TARGET_OVERVIEW_CPU_MS if spec.get("default") else TARGET_CPU_MS),
            }
        )
    return rows


async def simultaneous(port: int, pid: int, sizes: list[int], browser_page=None) -> list[dict]:
    rows = []
    for sessions in sizes:
        before = cpu_seconds(pid)
        runs = await asyncio.gather(*(open_session(port) for _ in range(sessions)))
        cpu_ms = (cpu_seconds(pid) - before) * 1000 / sessions
        if any(r["charts"] < 1 for r in runs):
            raise PageRunError("une session n'a pas reçu le graphique de la vue d'ensemble")
        times = [r["seconds"] for r in runs]
        rows.append(
            {
                "sessions": sessions,
                "median_s": round(statistics.median(times), 2),
                "p95_s": round(p95(times), 2),
                "server_cpu_ms_per_view": round(cpu_ms, 1),
            }
        )
    return rows


async def signed_in_context(browser, url: str):
    """A Chromium profile holding one member's session cookies."""
    context = await browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    pairs = [part.split("=", 1) for part in _member().split("; ")]
    await context.add_cookies([{"name": k, "value": v, "url": url} for k, v in pairs])
    return context


async def _browser_view(browser, url: str, context=None) -> float:
    own = context is None
    context = context or await signed_in_context(browser, url)
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=300_000)
    await page.wait_for_selector(READY, timeout=300_000)
    await page.wait_for_function(CHART, timeout=300_000)
    seconds = time.perf_counter() - start
    await page.close()
    if own:
        await context.close()
    return seconds


async def member_browser(port: int, sessions: int) -> dict:
    """One real Chromium page (its cache warm) alone, then beside ``sessions`` others."""
    from playwright.async_api import async_playwright

    url = f"http://127.0.0.1:{port}/"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = await signed_in_context(browser, url)
        await _browser_view(browser, url, context)  # static assets now in its cache
        alone = statistics.median([await _browser_view(browser, url, context) for _ in range(3)])
        server = statistics.median([(await open_session(port))["seconds"] for _ in range(3)])
        crowded, *_ = await asyncio.gather(
            _browser_view(browser, url, context), *(open_session(port) for _ in range(sessions))
        )
        await browser.close()
    return {
        "alone_s": round(alone, 2),
        "server_until_script_finished_s": round(server, 2),
        "browser_drawing_s": round(alone - server, 2),
        f"with_{sessions}_sessions_s": round(crowded, 2),
    }


async def browser_batches(port: int, pid: int, sizes: list[int]) -> list[dict]:
    """--browser: the batches as Chromium pages on this machine, each its own profile."""
    from playwright.async_api import async_playwright

    url = f"http://127.0.0.1:{port}/"
    rows = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for sessions in sizes:
            before = cpu_seconds(pid)
            times = await asyncio.gather(*(_browser_view(browser, url) for _ in range(sessions)))
            rows.append(
                {
                    "sessions": sessions,
                    "median_s": round(statistics.median(times), 2),
                    "p95_s": round(p95(times), 2),
                    "server_cpu_ms_per_view": round(
                        (cpu_seconds(pid) - before) * 1000 / sessions, 1
                    ),
                }
            )
        await browser.close()
    return rows


def database_copy(folder: Path, seed: bool) -> Path:
    target = folder / "cdv.duckdb"
    if seed:
        with Database(target) as db:
            initialize(db)
    else:
        shutil.copy(national_database(RESULTS), target)
    return target


async def measure(port: int, pid: int, args) -> dict:
    sizes = [int(n) for n in args.sessions.split(",")]
    await open_session(port)  # the first run pays the imports and fills the cache
    if args.browser:
        return {"batches": await browser_batches(port, pid, sizes)}
    pages = await cost_per_view(port, pid, args.views)
    batches = await simultaneous(port, pid, sizes)
    found = chromium_path() is not None
    member = await member_browser(port, max(sizes)) if found else None
    return {"pages": pages, "batches": batches, "browser": member}


def judge(result: dict) -> bool:
    for row in result["batches"]:
        row["meets_targets"] = (
            row["server_cpu_ms_per_view"] <= TARGET_CPU_MS
            and (row["sessions"] < 20 or row["median_s"] <= TARGET_MEDIAN_S)
            and row["p95_s"] <= TARGET_P95_S.get(row["sessions"], float("inf"))
        )
    rows = result["batches"] + result.get("pages", [])
    return all(r["meets_targets"] for r in rows)


def report(result: dict) -> None:
    verdict = {True: "tenu", False: "MANQUÉ"}
    if result.get("pages"):
        print("Coût d'une vue, page par page (données en cache)")
        print_table(
            ["page", "vues", "éléments", "médiane (ms)", "CPU serveur par vue (ms)", "objectif"],
            [
                [r["page"], r["views"], r["elements"], r["median_ms"],
                 r["server_cpu_ms_per_view"], verdict[r["meets_targets"]]]
                for r in result["pages"]
            ],
        )  # fmt: skip
        print()
    print("Sessions simultanées sur la vue d'ensemble")
    print_table(
        ["sessions", "médiane (s)", "p95 (s)", "CPU serveur par vue (ms)", "objectifs"],
        [
            [r["sessions"], f"{r['median_s']:.2f}", f"{r['p95_s']:.2f}", r["server_cpu_ms_per_view"],
             verdict[r["meets_targets"]]]
            for r in result["batches"]
        ],
    )  # fmt: skip
    if result.get("browser"):
        print("\nNavigateur réel (Chromium, cache chaud), prêt avec son graphique :")
        for key, value in result["browser"].items():
            print(f"  {key} : {value} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10,20,40")
    parser.add_argument("--views", type=int, default=10, help="vues par page (coût d'une vue)")
    parser.add_argument("--seed", action="store_true", help="base d'amorçage, pas nationale")
    parser.add_argument(
        "--browser", action="store_true", help="sessions ouvertes par Chromium sur cette machine"
    )
    args = parser.parse_args(argv)
    if args.browser and chromium_path() is None:
        print("Chromium introuvable (apt-get install chromium).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db_path = database_copy(Path(tmp), args.seed)
        # one session of its own per simultaneous member (never two on one cookie)
        sign_in_members(db_path, max(50, *(int(n) for n in args.sessions.split(","))))
        port = free_port()
        cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
        env = {**os.environ, "CDV_PUBLIC_READ": "0"}
        command = [cdv, "serve", "--db", str(db_path), "--port", str(port), "--host", "127.0.0.1"]
        process = serve(command, port, env)
        try:
            result = asyncio.run(measure(port, process.pid, args))
        finally:
            process.terminate()
            process.wait(timeout=30)
    met = judge(result)
    report(result)
    scale = "amorçage" if args.seed else "nationale"
    mode = "chromium" if args.browser else "sessions"
    path = save(
        "bench_sessions" + ("-browser" if args.browser else ""),
        {
            "scale": scale,
            "mode": mode,
            "targets": {
                "median_20_s": TARGET_MEDIAN_S,
                "server_cpu_ms_per_view": TARGET_CPU_MS,
                "overview_cpu_ms_per_view": TARGET_OVERVIEW_CPU_MS,
                "p95_s": TARGET_P95_S,
            },
            **result,
            "meets_targets": met,
        },
    )
    print(f"\nRésultats : {path}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
