"""``cdv``: serve the tracker, initialise, export, back up and restore the
database, manage accounts. Every command takes ``--db PATH`` (else ``$CDV_DB``,
else ``data/cdv.duckdb``)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import tomllib
import traceback
from pathlib import Path

from dashboard import cli_fr
from dashboard.resources import resource_dir, server_file
from dashboard.tracker.access import ROLES, Actor
from dashboard.tracker.db import Database, open_target, resolve_path, resolve_target
from dashboard.tracker.errors import DatabaseLocked, TrackerError, os_reason

DESCRIPTION = (
    "cdv : lancer le suivi, créer la base, charger des fiches, exporter, produire le dossier "
    "trimestriel, sauvegarder et restaurer, gérer les comptes. Chaque commande accepte "
    "--db CHEMIN (sinon $CDV_DB, sinon data/cdv.duckdb)."
)


def _cli_actor() -> Actor:
    user = getpass.getuser()
    return Actor(f"cli-{user}", "administrateur", f"Ligne de commande ({user})")


def _open(args: argparse.Namespace, *, create: bool = True) -> Database:
    from dashboard.tracker.backup import clean_leftovers

    path = resolve_path(args.db)
    if not create and not path.exists():
        raise TrackerError(f"La base {path} n'existe pas : lancez d'abord « cdv init ».")
    clean_leftovers(path)
    return Database(path)


def _initialized(args: argparse.Namespace, *, create: bool = False) -> Database:
    """The database of ``--db`` (or CDV_DB), migrated and seeded: a DuckDB file, or the
    PostgreSQL store of a ``postgresql://`` URL. A file (or an empty PostgreSQL database)
    is made a new tracker only by ``cdv serve``/``cdv init`` or with ``--create``: a
    mistyped path must not silently become a new database that a load then fills."""
    target = resolve_target(args.db)
    create = create or getattr(args, "create", False)
    if isinstance(target, str):
        return open_target(target, create=create)
    if not target.exists() and not create:
        raise TrackerError(
            f"La base {target} n'existe pas (une faute de frappe dans --db ou CDV_DB ?) : "
            "rien n'a été créé ni écrit. Pour une base neuve, lancez « cdv init » ou "
            "ajoutez --create."
        )
    from dashboard.tracker.backup import clean_leftovers

    clean_leftovers(target)
    return open_target(target)


# -- commands -------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from dashboard.ingest.seed import SEED_FILE, initialize, missing_from_seed

    if isinstance(resolve_target(args.db), str):
        return _init_store(resolve_target(args.db))
    with _open(args) as db:
        result = initialize(db)
        missing = [] if result["seeded"] else missing_from_seed(db)
    path = resolve_path(args.db)
    if result["migrations"] or result["seeded"]:
        applied = ", ".join(f"{v:04d}" for v in result["migrations"]) or "aucune"
        seeded = "faits des deux actes chargés" if result["seeded"] else "données déjà présentes"
        print(f"Base {path} prête : migrations appliquées : {applied} ; {seeded}.")
    else:
        print(f"Base {path} déjà à jour : rien à faire.")
    if missing:
        print(
            f"data/seed/{SEED_FILE} contient {len(missing)} fiche(s) que cette base n'a pas "
            "encore, dont :"
        )
        for line in missing[:10]:
            print(f"  - {line}")
        print(f"Pour les charger : cdv load data/seed/{SEED_FILE} --dry-run, puis sans --dry-run.")
    return 0


def _init_store(url: str) -> int:
    from dashboard.tracker import pg_db, store

    existed = pg_db.has_tracker(url)
    with open_target(url, create=True):
        pass
    said = "déjà à jour : rien à faire" if existed else "créée à partir des deux actes"
    print(f"Base PostgreSQL {store.redacted(url)} {said}.")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from dashboard.ingest.load import load, read

    path = Path(args.file)
    facts = read(path)
    with _initialized(args) as db:
        report = load(db, _cli_actor(), facts, origin=path.name, dry_run=args.dry_run,
                      folder=path.parent)  # fmt: skip
    for line in report.lines():
        print(line)
    summary = (
        f"{len(report.created)} création(s), {len(report.changed)} modification(s), "
        f"{report.unchanged} fiche(s) déjà à jour."
    )
    print(("Simulation : rien n'a été écrit. " if args.dry_run else "") + summary)
    return 0


DEMO_FILES = ("referentiel-demo.toml", "contrat-de-ville-demo.toml")
DEMO_CONTOURS = "contours-demo.geojson"


def cmd_demo(args: argparse.Namespace) -> int:
    """A demonstration database beside the real one: the facts of the two acts, then the
    fictional examples; every page of the app then says « données fictives »."""
    from dashboard.ingest.load import is_demo, load, make_demo, read
    from dashboard.ingest.seed import initialize

    path = Path(args.db) if args.db else resolve_path(None).with_name("demo.duckdb")
    with Database(path) as db:
        fresh = initialize(db)["seeded"]
        if not fresh and not is_demo(db):
            raise TrackerError(
                f"La base {path} existe et n'est pas une base de démonstration : choisissez "
                "un autre fichier (--db), les données fictives n'y seront pas mêlées."
            )
        make_demo(db)
        for name in DEMO_FILES:
            report = load(db, _cli_actor(), read(resource_dir("examples") / name), origin=name)
            print(f"{name} : {len(report.created)} création(s), "
                  f"{len(report.changed)} modification(s), {report.unchanged} déjà à jour.")  # fmt: skip
        if not db.records("contour_sets"):
            from dashboard.tracker import contours
            from dashboard.tracker.files import Upload

            geojson = resource_dir("examples") / DEMO_CONTOURS
            contours.upload_contours(
                db, _cli_actor(), kind="qpv", generation=2024, upload=Upload(
                    geojson.name, geojson.read_bytes()),
                source_document="Contours fictifs de la démonstration", vintage="fictif",
            )  # fmt: skip
            print(f"{DEMO_CONTOURS} : contours de trois QPV fictifs chargés.")
        if _demo_council(db):
            print("Un conseil citoyen fictif : trois membres, un représentant au comité de "
                  "pilotage, un avis sur le rapport annuel.")  # fmt: skip
        if _demo_annual_report(db):
            print("Le rapport annuel 2024 du contrat de ville fictif : soumis pour avis à deux "
                  "conseils municipaux et au conseil citoyen (deux avis reçus, un silence "
                  "réputé favorable), approuvé, publié.")  # fmt: skip
    print(f"Base de démonstration prête : {path}. Lancez : cdv serve --db {path}")
    return 0


def _demo_council(db: Database) -> bool:
    """A fictional conseil citoyen on the demo's fictional QPV (once): members of both
    collèges, one representative in the evaluation's comité de pilotage, one opinion."""
    import datetime as dt

    from dashboard.tracker import citizen_councils as cc

    today = dt.date.today()
    qpvs = [t["id"] for t in db.records("territories", as_of=today)
            if t["kind"] == "qpv" and str(t["code"] or "").startswith("QN99")]  # fmt: skip
    if not qpvs or cc.councils(db, today):
        return False
    actor = _cli_actor()
    council = cc.create_council(db, actor, name="Conseil citoyen des quartiers fictifs",
                                qpv_ids=qpvs, established_on=dt.date(2015, 11, 5))  # fmt: skip
    members = [
        cc.add_member(
            db,
            actor,
            council_id=council,
            full_name=name,
            college=college,
            appointed_on=dt.date(2016, 1, 12),
        )  # fmt: skip
        for name, college in (
            ("Habitante fictive A", "residents"),
            ("Habitant fictif B", "residents"),
            ("Association fictive du Canal", "local_actors"),
        )  # fmt: skip
    ]
    cc.seat_member(db, actor, member_id=members[0], committee_id=1, from_on=dt.date(2016, 3, 1))
    cc.record_opinion(db, actor, council_id=council, about="annual_report",
                      subject="Avis fictif sur le projet de rapport annuel 2016",
                      received_on=dt.date(2017, 6, 2))  # fmt: skip
    return True


#: a fictional opinion's document (a one-page PDF), for the demo's annexes
_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _demo_annual_report(db: Database) -> bool:
    """The fictional contrat de ville's rapport annuel 2024 (once): sent to both communes'
    councils and to the conseil citoyen on 3 March 2025; Villefictive answers, the
    conseil citoyen answers with reserves, Exempleville is silent (deemed favourable on
    3 April); approved on 15 May, published on 2 June."""
    from dashboard.tracker import annual_report as ar
    from dashboard.tracker.files import Upload

    today = dt.date.today()
    programme = db.scalar("select id from programme where code = 'CDV-FICTIF-2024-2030'")
    councils = [c for c in db.records("citizen_councils", as_of=today)
                if c["name"] == "Conseil citoyen des quartiers fictifs"]  # fmt: skip
    if programme is None or not councils or ar.reports(db, today, "CDV-FICTIF-2024-2030"):
        return False
    actor = _cli_actor()
    report = ar.create_report(
        db, actor, programme_id=programme, year=2024,
        planned_approval_on=dt.date(2025, 5, 15), planned_publication_on=dt.date(2025, 6, 2),
        outlook="Renforcer la médiation dans le Quartier de la Gare et mobiliser davantage le "
        "droit commun pour l'emploi des jeunes (perspectives fictives).",
    )  # fmt: skip
    sent = dt.date(2025, 3, 3)
    communes = {code: db.scalar("select id from organisation where code = $c", {"c": code})
                for code in ("COMMUNE-99001", "COMMUNE-99002")}  # fmt: skip
    ville = ar.send_draft(db, actor, report_id=report, consulted="municipal_council",
                          sent_on=sent, organisation_id=communes["COMMUNE-99001"])  # fmt: skip
    ar.send_draft(db, actor, report_id=report, consulted="municipal_council", sent_on=sent,
                  organisation_id=communes["COMMUNE-99002"])  # fmt: skip
    council = ar.send_draft(db, actor, report_id=report, consulted="citizen_council",
                            sent_on=sent, council_id=councils[0]["id"])  # fmt: skip
    ar.record_answer(db, actor, ville, expected_version=1, answered_on=dt.date(2025, 3, 24),
                     opinion="favourable", summary="Délibération fictive du conseil municipal.",
                     upload=Upload("avis-villefictive-fictif.pdf", _DEMO_PDF))  # fmt: skip
    ar.record_answer(db, actor, council, expected_version=1, answered_on=dt.date(2025, 3, 28),
                     opinion="reserved",
                     summary="Demande plus d'actions pour les jeunes du Quartier de la Gare (fictif).",
                     upload=Upload("avis-conseil-citoyen-fictif.pdf", _DEMO_PDF))  # fmt: skip
    ar.approve(db, actor, report, expected_version=1, approved_on=dt.date(2025, 5, 15),
               deliberation_body="Conseil de la Métropole fictive",
               deliberation_number="DEL-FICTIVE-2025-042",
               follow_up="Les réserves du conseil citoyen sont reprises dans les perspectives : "
               "une action pour l'emploi des jeunes du Quartier de la Gare sera proposée en 2025 "
               "(suites fictives).")  # fmt: skip
    ar.publish(db, actor, report, expected_version=2, published_on=dt.date(2025, 6, 2))
    return True


def cmd_import_act(args: argparse.Namespace) -> int:
    """Read an act, propose its facts; --dry-run prints them as JSON, --toml writes them in
    the format of cdv load; otherwise the diff with the database, then the write."""
    import json

    from dashboard.ingest import act_import, act_text
    from dashboard.ingest.load import load

    path = Path(args.file)
    extraction = act_text.extract(act_text.read_text(path))
    if args.dry_run and not args.toml:
        print(json.dumps(extraction.as_json(), ensure_ascii=False, indent=2))
        return 0
    with _initialized(args) as db:
        facts = act_import.plan(db, extraction, path.name, args.programme)
        if args.toml:
            import tomli_w

            Path(args.toml).write_text(tomli_w.dumps(_without_none(facts)), encoding="utf-8")
            print(f"Extraction écrite au format de cdv load dans {args.toml} : relisez-la, "
                  f"corrigez-la, puis « cdv load {args.toml} ».")  # fmt: skip
            return 0
        report = load(db, _cli_actor(), facts, origin=path.name, dry_run=True)
        for line in report.lines():
            print(line)
        if report.empty:
            print("La base contient déjà tout ce que dit cet acte : rien à écrire.")
            return 0
        if not args.yes and (
            not sys.stdin.isatty()
            or input("Écrire ces changements ? (oui/non) ").strip().lower() != "oui"
        ):
            print("Import annulé : rien n'a été écrit. (Ajoutez --yes pour confirmer d'avance.)")
            return 1
        report = load(db, _cli_actor(), facts, origin=path.name)
    print(f"{len(report.created)} création(s), {len(report.changed)} modification(s).")
    return 0


def cmd_import_sheet(args: argparse.Namespace) -> int:
    """A spreadsheet of actions, payments, meetings or decisions: columns recognised by
    their headers, every row checked, existing records updated, all or nothing."""
    from dashboard.ingest import sheet_import

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TrackerError(f"Le fichier {path} est illisible ({error.strerror}).") from error
    with _initialized(args) as db:
        counts = sheet_import.import_sheet(db, _cli_actor(), kind=args.kind, data=data,
                                           file_name=path.name, dry_run=args.dry_run)  # fmt: skip
    summary = ", ".join(f"{n} {label}" for label, n in counts.items())
    print(
        ("Simulation : rien n'a été écrit. " if args.dry_run else "Import terminé : ")
        + summary
        + "."
    )
    return 0


def _without_none(value: object) -> object:
    """TOML has no null: an unknown is left out (and so stays unknown when loaded)."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value if v is not None]
    return value


def streamlit_flags() -> list[str]:
    """The bundled .streamlit/config.toml as command-line flags, so an installed
    wheel run from any folder gets the same theme and settings."""
    path = resource_dir("streamlit") / "config.toml"
    flags = []
    with open(path, "rb") as handle:
        for section, values in tomllib.load(handle).items():
            for key, value in values.items():
                # a list (the headings' sizes) as JSON: Streamlit reads it so from a flag
                text = (str(value).lower() if isinstance(value, bool)
                        else json.dumps(value) if isinstance(value, list) else str(value))  # fmt: skip
                flags += [f"--{section}.{key}", text]
    return flags


TRUSTED_PROXIES_ENV = "CDV_TRUSTED_PROXIES"


def trusted_proxies_env() -> dict[str, str]:
    """Who may say where a request comes from (X-Forwarded-For/-Proto): only the
    reverse proxies named in CDV_TRUSTED_PROXIES (addresses or networks, separated by
    commas), nobody by default — uvicorn would otherwise believe any local process.
    The login throttle counts per address, so a believed header must be the proxy's."""
    names = [n.strip() for n in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",") if n.strip()]
    if "*" in names:
        raise SystemExit(
            f"{TRUSTED_PROXIES_ENV} : « * » ferait croire n'importe qui ; nommez les "
            "adresses de vos serveurs mandataires (reverse proxies)."
        )
    return {"FORWARDED_ALLOW_IPS": ",".join(names)}


def _port_free(host: str, port: int) -> bool:
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _redacted(url: str) -> str:
    from dashboard.tracker import store

    return store.redacted(url)


def cmd_serve(args: argparse.Namespace) -> int:
    if not _port_free(args.host, args.port):
        raise TrackerError(
            f"Le port {args.port} est déjà pris sur {args.host} (un autre « cdv serve » ?) : "
            "arrêtez-le, ou choisissez un autre port avec --port."
        )
    with _initialized(args, create=True):  # the first run creates the default database
        pass
    target = resolve_target(args.db)
    path = target if isinstance(target, str) else target.resolve()
    env = {**os.environ, "CDV_DB": str(path), **trusted_proxies_env()}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(server_file()),
        *streamlit_flags(),
        "--server.port",
        str(args.port),
        "--server.address",
        args.host,
    ]
    shown = path if isinstance(path, Path) else _redacted(path)
    print(f"cdv-tracker : base {shown}, http://{args.host}:{args.port}", flush=True)
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover - execve does not return


def cmd_export(args: argparse.Namespace) -> int:
    from dashboard.tracker import export

    if args.format == "scdl-subventions":
        return _export_scdl(args)
    if args.format == "grand-livre":
        return _export_ledger(args)
    if args.annee is not None:
        raise TrackerError("--annee ne sert qu'aux exports scdl-subventions et grand-livre.")
    if args.public and args.format != "json":
        raise TrackerError(
            "La version publique (--public) s'exporte en JSON : le classeur et les fichiers "
            "Parquet sont des copies complètes, pour un usage interne."
        )
    with _initialized(args) as db:
        if args.format == "json":
            text = export.to_json(db, public=args.public)
            if args.out:
                Path(args.out).write_text(text + "\n", encoding="utf-8")
                print(f"Export JSON écrit dans {args.out}.", file=sys.stderr)
            else:
                sys.stdout.write(text + "\n")
        elif args.format == "xlsx":
            out = Path(args.out or f"cdv-export-{dt.date.today():%Y-%m-%d}.xlsx")
            export.to_xlsx(db, out)
            print(f"Classeur écrit dans {out}.", file=sys.stderr)
        else:
            if not args.out:
                raise TrackerError(
                    "L'export Parquet écrit un dossier : indiquez-le avec --out DOSSIER."
                )
            written = export.to_parquet(db, Path(args.out))
            print(f"{len(written)} fichiers Parquet écrits dans {args.out}.", file=sys.stderr)
    return 0


def _export_scdl(args: argparse.Namespace) -> int:
    """The subsidies in the SCDL « subventions » schema: the CSV, and on the error output
    what each line still lacks to be valid (never invented)."""
    from dashboard.tracker import scdl

    with _initialized(args) as db:
        found = scdl.lines(db, args.annee)
    text = scdl.to_csv(found)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Export SCDL subventions {scdl.VERSION} écrit dans {args.out} "
              f"({len(found)} ligne(s)).", file=sys.stderr)  # fmt: skip
    else:
        sys.stdout.write(text)
    for line in scdl.report(found):
        print(f"À compléter — {line}", file=sys.stderr)
    return 0


def _export_ledger(args: argparse.Namespace) -> int:
    """The payment ledger: CSV (« ; », UTF-8) on the standard output or in a .csv file,
    a workbook for a .xlsx file."""
    from dashboard.tracker import ledger

    with _initialized(args) as db:
        found = ledger.rows(db, year=args.annee)
    if args.out and args.out.lower().endswith(".xlsx"):
        Path(args.out).write_bytes(ledger.to_xlsx(found))
    elif args.out:
        Path(args.out).write_text(ledger.to_csv(found), encoding="utf-8")
    else:
        sys.stdout.write(ledger.to_csv(found))
    if args.out:
        print(f"Grand livre écrit dans {args.out} ({len(found)} ligne(s)).", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from dashboard.tracker.report import write_pack

    with _initialized(args) as db:
        written = write_pack(
            db,
            args.quarter,
            Path(args.out),
            programme_code=args.programme,
            template=Path(args.template) if args.template else None,
            public=args.public,
            # Linux only: elsewhere forking a process that holds threads is not safe
            side_by_side=(os.cpu_count() or 1) > 1 and sys.platform.startswith("linux"),
        )
    for kind, path in written.items():
        print(f"{kind.upper():5} {path}", file=sys.stderr)
    return 0


def cmd_evaluation_report(args: argparse.Namespace) -> int:
    """The evaluation report of a programme « au » a date, as DOCX and PDF (« Projet »:
    the validated version is the one kept when a committee decision validates it)."""
    from dashboard.tracker import validate
    from dashboard.tracker.evaluation_report import build
    from dashboard.tracker.evaluation_report.docx import docx_bytes
    from dashboard.tracker.evaluation_report.pdf import pdf_bytes

    as_of = validate.date(args.au, "Date (--au)") if args.au else dt.date.today()
    out = Path(args.out)
    with _initialized(args) as db:
        report = build(db, args.programme, as_of)
    out.mkdir(parents=True, exist_ok=True)
    for kind, render in (("docx", docx_bytes), ("pdf", pdf_bytes)):
        path = out / f"{report.file_stem}.{kind}"
        path.write_bytes(render(report))
        print(f"{kind.upper():5} {path}", file=sys.stderr)
    return 0


def cmd_annual_report(args: argparse.Namespace) -> int:
    """The rapport annuel politique de la ville of a year, for one contrat de ville or
    every one recorded: DOCX, PDF and the opinions annexed (décret n° 2015-1118)."""
    from dashboard.tracker import validate
    from dashboard.tracker.evaluation_report import annual
    from dashboard.tracker.evaluation_report.docx import docx_bytes
    from dashboard.tracker.evaluation_report.pdf import pdf_bytes

    year = validate.integer(args.annee, "Année (--annee)", low=2015, high=dt.date.today().year)
    as_of = validate.date(args.au, "Date (--au)") if args.au else dt.date.today()
    out = Path(args.out)
    with _initialized(args) as db:
        codes = [args.programme] if args.programme else annual.contracts(db, as_of)
        if not codes:
            raise TrackerError(
                f"Aucun contrat de ville n'est enregistré au {as_of:%d/%m/%Y} : rien à écrire."
            )
        built = [(annual.build_annual(db, code, year, as_of), annual.annexed(db, code, year, as_of))
                 for code in codes]  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    for report, annexes in built:
        for kind, render in (("docx", docx_bytes), ("pdf", pdf_bytes)):
            path = out / f"{report.file_stem}.{kind}"
            path.write_bytes(render(report))
            print(f"{kind.upper():5} {path}", file=sys.stderr)
        if annexes:
            folder = out / f"{report.file_stem}-annexes"
            folder.mkdir(exist_ok=True)
            for name, data in annexes:
                path = folder / _safe_name(name)
                path.write_bytes(data)
                print(f"ANNEXE {path}", file=sys.stderr)
    return 0


def _safe_name(name: str) -> str:
    """A file name a user gave, made safe to write in a folder (no path, no control)."""
    cleaned = "".join(c if c.isprintable() and c not in '/\\:*?"<>|' else "_" for c in name)
    return cleaned.strip(" .")[:150] or "annexe"


def cmd_backup(args: argparse.Namespace) -> int:
    from dashboard.tracker.backup import backup

    target = resolve_target(args.db)
    if isinstance(target, str):  # the shared store: copied into a file, compared, saved
        counts = _backup_store(target, Path(args.file))
    else:
        with _open(args, create=False) as db:
            counts = backup(db, Path(args.file))
    print(
        f"Sauvegarde écrite dans {args.file} ({sum(counts.values())} lignes, {len(counts)} tables)."
    )
    return 0


def _backup_store(url: str, out: Path) -> dict[str, int]:
    """The shared store's backup, in the same format as a file's: the store copied into a
    temporary DuckDB file (each table compared), that file saved."""
    import tempfile

    from dashboard.tracker import store
    from dashboard.tracker.backup import backup

    with tempfile.TemporaryDirectory(prefix="cdv-sauvegarde-") as folder:
        copy = Path(folder) / "cdv.duckdb"
        store.copy(url, str(copy))
        with Database(copy) as db:
            return backup(db, out)


def cmd_restore(args: argparse.Namespace) -> int:
    from dashboard.tracker.backup import preview, read_manifest, restore

    target = resolve_path(args.db)
    manifest = read_manifest(Path(args.file))
    if target.exists():
        with Database(target) as current:  # refuses clearly while the server holds the file
            lines = preview(manifest, current)
    else:
        lines = []
    if not args.yes:
        print(f"La restauration remplacera {target} par le contenu de {args.file} :")
        for line in lines:
            print(f"  {line}")
        if not sys.stdin.isatty() or input("Confirmer ? (oui/non) ").strip().lower() != "oui":
            print(
                "Restauration annulée : rien n'a changé. (Ajoutez --yes pour confirmer d'avance.)"
            )
            return 1
    counts = restore(Path(args.file), target)
    print(
        f"Base {target} restaurée ({sum(counts.values())} lignes). "
        f"L'ancienne est conservée dans {target.name}.avant-restauration."
    )
    return 0


def cmd_store_copy(args: argparse.Namespace) -> int:
    from dashboard.tracker import store

    copied = store.copy(args.source, args.target)
    target = store.redacted(args.target) if store.is_url(args.target) else args.target
    files = f", {copied.files} pièce(s) jointe(s)" if copied.files else ""
    print(
        f"Copie faite vers {target} : {sum(copied.rows.values())} lignes dans "
        f"{len(copied.rows)} tables{files}, chaque table comparée (lignes et somme de "
        "contrôle)."
    )
    if copied.missing_files:
        print(
            f"Attention : {copied.missing_files} pièce(s) jointe(s) manquaient déjà dans le "
            "dossier de la base source (voir la page Administration) : non copiées."
        )
    return 0


def cmd_proxy_config(args: argparse.Namespace) -> int:
    from dashboard import proxy

    text = proxy.nginx_config(args.listen, args.replica)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Configuration nginx écrite dans {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mot de passe (12 caractères au moins) : ")
    if getpass.getpass("Confirmez le mot de passe : ") != first:
        raise TrackerError("Les deux mots de passe diffèrent : rien n'a été enregistré.")
    return first


_PROVISIONAL_NOTE = {
    False: " : mot de passe provisoire, à changer à la première connexion.",
    True: ".",
}


def cmd_user(args: argparse.Namespace) -> int:
    from dashboard.tracker import users

    with _initialized(args) as db:
        actor = _cli_actor()
        if args.user_command == "add":
            users.add_user(
                db,
                actor,
                login=args.login,
                display_name=args.name or args.login,
                role=args.role,
                password=_password(args),
                provisional=not args.definitif,
            )
            print(f"Compte « {args.login} » créé ({args.role})" + _PROVISIONAL_NOTE[args.definitif])
        elif args.user_command == "list":
            rows = users.list_users(db)
            if not rows:
                print(
                    "Aucun compte. Créez le premier administrateur : "
                    "cdv user add LOGIN --role administrateur"
                )
            for row in rows:
                state = "actif" if row["active"] else "désactivé"
                print(f"{row['login']:<24} {row['role']:<15} {state:<10} {row['display_name']}")
        elif args.user_command == "set-role":
            users.set_role(db, actor, login=args.login, role=args.role)
            print(f"Rôle de « {args.login} » : {args.role}.")
        elif args.user_command == "email":
            from dashboard.tracker import mail, notifications

            mailed, said = notifications.send_verification(db, actor, mail.settings(),
                                                           email=args.email, login=args.login)  # fmt: skip
            print(said, file=sys.stdout if mailed else sys.stderr)
            if not mailed:
                return 1
        elif args.user_command == "reset-password":
            users.reset_password(db, actor, login=args.login, password=_password(args),
                                 provisional=not args.definitif)  # fmt: skip
            print(f"Mot de passe de « {args.login} » changé" + _PROVISIONAL_NOTE[args.definitif])
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    """The notifications due today: recorded once each, mailed to verified addresses
    (retried later when the server refuses); ``--test`` sends a test message."""
    from dashboard.tracker import mail, notifications, validate

    config = mail.settings()
    with _initialized(args) as db:
        if args.test:
            print(
                f"Message d'essai envoyé à {args.test} : {notifications.test_mail(db, config, args.test)}."
            )
            return 0
        today = validate.date(args.date, "Date (--date)") if args.date else dt.date.today()
        if not config.configured and not args.dry_run:
            print("Aucun serveur de messagerie configuré (CDV_SMTP_HOST, CDV_SMTP_FROM) : les "
                  "notifications sont gardées dans le centre de notifications, sans courriel.",
                  file=sys.stderr)  # fmt: skip
        report = notifications.run(db, config, today, dry_run=args.dry_run)
    for line in report.lines:
        print(line)
    if args.dry_run:
        print(f"{report.new} notification(s) seraient enregistrée(s) (sur {report.planned} dues).")
        return 0
    print(f"{report.new} nouvelle(s), {report.sent} envoyée(s), {report.failed} refusée(s) "
          f"(nouvel essai plus tard), {report.uncertain} incertaine(s).")  # fmt: skip
    return 1 if report.failed else 0


# -- parser -----------------------------------------------------------------------
DEFINITIVE_HELP = (
    "le mot de passe est celui que la personne a choisi (le sien, tapé par elle) : pas de "
    "changement demandé à la première connexion (sinon, il est provisoire)"
)


def entier(value: str) -> int:
    """A whole number (argparse names the type by this function's name)."""
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    db_help = "fichier DuckDB (défaut : $CDV_DB, sinon data/cdv.duckdb)"
    # --db is accepted before or after the command; subparsers must not reset it to None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="CHEMIN", help=db_help)
    common.add_argument(
        "--create", action="store_true", default=argparse.SUPPRESS,
        help="créer la base si elle n'existe pas (sinon refusé : faute de frappe ?)",
    )  # fmt: skip
    cli_fr.install()
    parser = argparse.ArgumentParser(prog="cdv", description=DESCRIPTION)
    parser.add_argument("--db", default=None, metavar="CHEMIN", help=db_help)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    serve = sub.add_parser(
        "serve", parents=[common], help="créer la base si besoin et lancer l'application"
    )
    serve.add_argument("--port", type=entier, default=8501, help="port (défaut : 8501)")
    serve.add_argument(
        "--host",
        default="localhost",
        metavar="ADRESSE",
        help="adresse d'écoute (défaut : localhost)",
    )
    serve.set_defaults(func=cmd_serve)

    init = sub.add_parser(
        "init", parents=[common], help="créer ou mettre à jour la base (idempotent)"
    )
    init.set_defaults(func=cmd_init)

    load_cmd = sub.add_parser(
        "load",
        parents=[common],
        help="charger des fiches écrites en TOML (format de data/seed/acts.toml)",
    )
    load_cmd.add_argument("file", metavar="FICHIER", help="fichier .toml")
    load_cmd.add_argument(
        "--dry-run", action="store_true", help="dire ce qui serait créé ou modifié, sans écrire"
    )
    load_cmd.set_defaults(func=cmd_load)

    importing = sub.add_parser(
        "import", parents=[common], help="importer un acte depuis son texte (ou un tableur)"
    )
    import_sub = importing.add_subparsers(dest="import_command", required=True, metavar="QUOI")
    act_cmd = import_sub.add_parser(
        "act", parents=[common], help="lire une convention ou un avenant (.md, .txt, .docx, .pdf)"
    )
    act_cmd.add_argument("file", metavar="FICHIER", help="le texte de l'acte")
    act_cmd.add_argument("--programme", metavar="CODE",
                         help="programme de l'acte (un avenant : celui de sa convention)")  # fmt: skip
    act_cmd.add_argument("--dry-run", action="store_true",
                         help="afficher l'extraction en JSON, sans rien écrire")  # fmt: skip
    act_cmd.add_argument("--toml", metavar="SORTIE",
                         help="écrire l'extraction au format de cdv load, sans rien écrire en base")  # fmt: skip
    act_cmd.add_argument("--yes", action="store_true",
                         help="écrire sans demander de confirmation")  # fmt: skip
    act_cmd.set_defaults(func=cmd_import_act)
    sheet_cmd = import_sub.add_parser(
        "sheet", parents=[common],
        help="importer un tableur (.xlsx ou .csv) d'actions, paiements, réunions ou décisions",
    )  # fmt: skip
    sheet_cmd.add_argument("kind", choices=("actions", "payments", "meetings", "decisions"),
                           metavar="TYPE", help="actions, payments, meetings ou decisions")  # fmt: skip
    sheet_cmd.add_argument("file", metavar="FICHIER", help="le tableur (.xlsx ou .csv)")
    sheet_cmd.add_argument("--dry-run", action="store_true",
                           help="vérifier et compter sans rien écrire")  # fmt: skip
    sheet_cmd.set_defaults(func=cmd_import_sheet)

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="créer une base de démonstration aux données fictives (défaut : data/demo.duckdb)",
    )
    demo.set_defaults(func=cmd_demo)

    export = sub.add_parser(
        "export", parents=[common], help="exporter les données (json, xlsx, parquet)"
    )
    export.add_argument(
        "--format",
        choices=("json", "xlsx", "parquet", "scdl-subventions", "grand-livre"),
        default="json",
        help="format (défaut : json) ; scdl-subventions : les subventions au schéma SCDL (CSV) ;"
        " grand-livre : chaque engagement, mandatement et versement (CSV, ou .xlsx)",
    )
    export.add_argument("--annee", type=entier, metavar="AAAA",
                        help="scdl-subventions, grand-livre : l'exercice financé (défaut : tous)")  # fmt: skip
    export.add_argument(
        "--out",
        metavar="CHEMIN",
        help="fichier (json, xlsx) ou dossier (parquet) ; json : sortie standard par défaut",
    )
    export.add_argument(
        "--public", action="store_true",
        help="version destinée à la publication (JSON) : effectifs trop petits masqués",
    )  # fmt: skip
    export.set_defaults(func=cmd_export)

    report = sub.add_parser(
        "report",
        parents=[common],
        help="dossier de la réunion trimestrielle (.pptx, .pdf, .xlsx)",
    )
    report.add_argument(
        "--quarter", required=True, metavar="TRIMESTRE", help="trimestre, par exemple 2022-T3"
    )
    report.add_argument("--programme", metavar="CODE", help="code d'un programme (défaut : tous)")
    report.add_argument(
        "--template", metavar="MODELE", help="modèle PowerPoint (.pptx) : logo, couleurs, polices"
    )
    report.add_argument(
        "--out", required=True, metavar="DOSSIER", help="dossier où écrire les trois fichiers"
    )
    report.add_argument(
        "--public", action="store_true",
        help="version destinée à la publication : effectifs trop petits masqués (secret statistique)",
    )  # fmt: skip
    report.set_defaults(func=cmd_report)

    rapport = sub.add_parser(
        "rapport", parents=[common], help="rapports tirés du suivi (.docx, .pdf)"
    )
    rapport_sub = rapport.add_subparsers(dest="rapport_command", required=True, metavar="QUEL")
    evaluation_cmd = rapport_sub.add_parser(
        "evaluation", parents=[common],
        help="rapport d'évaluation d'un programme à une date (projet, .docx et .pdf)",
    )  # fmt: skip
    evaluation_cmd.add_argument("--programme", required=True, metavar="CODE",
                                help="code du programme")  # fmt: skip
    evaluation_cmd.add_argument("--au", metavar="JJ/MM/AAAA",
                                help="état au (défaut : aujourd'hui)")  # fmt: skip
    evaluation_cmd.add_argument("--out", required=True, metavar="DOSSIER",
                                help="dossier où écrire le .docx et le .pdf")  # fmt: skip
    evaluation_cmd.set_defaults(func=cmd_evaluation_report)
    annual_cmd = rapport_sub.add_parser(
        "annuel", parents=[common],
        help="rapport annuel politique de la ville d'une année (.docx, .pdf et avis annexés)",
    )  # fmt: skip
    annual_cmd.add_argument("--annee", required=True, metavar="AAAA",
                            help="l'année sur laquelle porte le rapport")  # fmt: skip
    annual_cmd.add_argument("--programme", metavar="CODE",
                            help="code du contrat de ville (défaut : chaque contrat de ville)")  # fmt: skip
    annual_cmd.add_argument("--au", metavar="JJ/MM/AAAA",
                            help="état au (défaut : aujourd'hui)")  # fmt: skip
    annual_cmd.add_argument("--out", required=True, metavar="DOSSIER",
                            help="dossier où écrire le .docx, le .pdf et les annexes")  # fmt: skip
    annual_cmd.set_defaults(func=cmd_annual_report)

    backup = sub.add_parser(
        "backup", parents=[common], help="sauvegarder la base dans un fichier .zip"
    )
    backup.add_argument("file", metavar="FICHIER", help="fichier .zip à écrire")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore", parents=[common], help="remplacer la base par une sauvegarde"
    )
    restore.add_argument("file", metavar="FICHIER", help="sauvegarde .zip à restaurer")
    restore.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")
    restore.set_defaults(func=cmd_restore)

    store_cmd = sub.add_parser(
        "store", help="déplacer le suivi entre un fichier DuckDB et une base PostgreSQL"
    )
    store_sub = store_cmd.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    copy_cmd = store_sub.add_parser(
        "copy",
        help="copier tout le suivi (tables, séquences, pièces jointes) vers une cible vide, "
        "chaque table comparée ; en une fois ou pas du tout",
    )
    copy_cmd.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="SOURCE",
        help="fichier DuckDB, ou postgresql://utilisateur@hôte:port/base",
    )
    copy_cmd.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="CIBLE",
        help="base PostgreSQL vide, ou fichier DuckDB qui n'existe pas",
    )
    copy_cmd.set_defaults(func=cmd_store_copy)

    proxy_cmd = sub.add_parser(
        "proxy-config",
        help="écrire la configuration nginx livrée (sessions collantes, WebSocket) devant "
        "plusieurs réplicas « cdv serve » d'une même base PostgreSQL",
    )
    proxy_cmd.add_argument(
        "--replica", action="append", default=[], metavar="HÔTE:PORT", required=True,
        help="un réplica (répétez l'option pour chacun)",
    )  # fmt: skip
    proxy_cmd.add_argument(
        "--listen", default="80", metavar="[HÔTE:]PORT",
        help="où nginx écoute (80 par défaut)",
    )  # fmt: skip
    proxy_cmd.add_argument("--out", metavar="FICHIER", help="fichier à écrire (sinon la sortie)")
    proxy_cmd.set_defaults(func=cmd_proxy_config)

    user = sub.add_parser("user", parents=[common], help="gérer les comptes")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_sub.add_parser("add", parents=[common], help="créer un compte")
    add.add_argument("login", metavar="IDENTIFIANT")
    add.add_argument("--name", metavar="NOM", help="nom affiché")
    add.add_argument("--role", choices=ROLES, default="lecteur", help="rôle (défaut : lecteur)")
    add.add_argument(
        "--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard"
    )
    add.add_argument("--definitif", action="store_true", help=DEFINITIVE_HELP)
    user_sub.add_parser("list", parents=[common], help="lister les comptes")
    set_role = user_sub.add_parser("set-role", parents=[common], help="changer le rôle d'un compte")
    set_role.add_argument("login", metavar="IDENTIFIANT")
    set_role.add_argument(
        "role", choices=ROLES, metavar="ROLE", help="lecteur, contributeur ou administrateur"
    )
    reset = user_sub.add_parser("reset-password", parents=[common], help="changer un mot de passe")
    reset.add_argument("login", metavar="IDENTIFIANT")
    reset.add_argument(
        "--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard"
    )
    reset.add_argument("--definitif", action="store_true", help=DEFINITIVE_HELP)
    email = user_sub.add_parser(
        "email", parents=[common],
        help="donner l'adresse électronique d'un compte (un lien de vérification lui est envoyé)",
    )  # fmt: skip
    email.add_argument("login", metavar="IDENTIFIANT")
    email.add_argument("email", metavar="ADRESSE")
    user.set_defaults(func=cmd_user)

    notify = sub.add_parser(
        "notify", parents=[common],
        help="calculer et envoyer les notifications dues (rappels, alertes, résumé, dossier)",
    )  # fmt: skip
    notify.add_argument("--dry-run", action="store_true",
                        help="dire ce qui serait envoyé, sans rien envoyer ni enregistrer")  # fmt: skip
    notify.add_argument("--test", metavar="ADRESSE",
                        help="envoyer un message d'essai et dire ce que le serveur a répondu")  # fmt: skip
    notify.add_argument(
        "--date", metavar="JJ/MM/AAAA", help="le jour du calcul (défaut : aujourd'hui)"
    )
    notify.set_defaults(func=cmd_notify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DatabaseLocked as error:
        print(f"Erreur : {error.message}", file=sys.stderr)
        return 2
    except TrackerError as error:
        print(f"Erreur : {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrompu : rien n'a été enregistré.", file=sys.stderr)
        return 130
    except OSError as error:  # a file named on the command line: said in French
        where = f" ({error.filename})" if error.filename else ""
        print(f"Erreur : {os_reason(error)}{where}.", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - the last net: a message, not a traceback
        if os.environ.get("CDV_DEBUG"):
            traceback.print_exc()
        print(
            f"Erreur inattendue ({type(error).__name__}) : {error}. "
            "Relancez avec CDV_DEBUG=1 pour le détail.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
