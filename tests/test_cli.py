"""The ``cdv`` command: init is idempotent, export matches the documented shape,
backup / restore round-trips, accounts, and the lock message while the file is held."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.tracker.db import Database
from tests.helpers import snapshot


def run(*args: str, stdin: str = "", monkeypatch=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = out, err, io.StringIO(stdin)
    try:
        code = cli.main(list(args))
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def test_init_creates_then_changes_nothing(tmp_path):
    path = tmp_path / "new.duckdb"
    code, out, _ = run("init", "--db", str(path))
    assert code == 0 and "migrations appliquées : 0001, 0002" in out
    with Database(path) as database:
        before = snapshot(database)
    code, out, _ = run("--db", str(path), "init")
    assert code == 0 and "déjà à jour" in out
    with Database(path) as database:
        assert snapshot(database) == before


def test_database_location_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "env.duckdb"
    monkeypatch.setenv("CDV_DB", str(path))
    assert run("init")[0] == 0
    assert path.exists()


SOURCE_KEYS = {"document", "article", "excerpt"}


def test_export_json_matches_the_documented_shape(db_path):
    code, out, _ = run("export", "--format", "json", "--db", str(db_path))
    assert code == 0
    doc = json.loads(out)
    assert doc["schema_version"] == 3
    assert {"programmes", "links", "completeness", "territories", "questions", "indicators",
            "targets", "values", "deliverables", "answers"} <= set(doc)  # fmt: skip
    assert "fictional" not in doc  # a real database's export
    evaluation, modernisation = doc["programmes"]
    assert (evaluation["code"], modernisation["code"]) == ("EVAL-CDV-2015-2020", "MODERN-PV-2022")
    for programme in doc["programmes"]:
        assert {
            "code",
            "title",
            "kind",
            "acts",
            "phases",
            "orientations",
            "budget_lines",
            "payments",
            "committees",
            "deadlines",
            "notes",
        } <= set(programme)
        for act in programme["acts"]:
            assert {
                "kind",
                "reference",
                "number",
                "title",
                "concluded_on",
                "signed_on",
                "ends_on",
                "deliberation",
                "clauses",
                "source",
            } <= set(act)
            assert set(act["source"]) == SOURCE_KEYS
            for clause in act["clauses"]:
                assert {"kind", "article", "days", "months"} <= set(clause)
        for deadline in programme["deadlines"]:
            assert set(deadline) == {"date", "kind", "label", "rule"}
        for committee in programme["committees"]:
            assert {"kind", "name", "mandate", "meetings"} <= set(committee)
            for meeting in committee["meetings"]:
                assert {"held_on", "decisions"} <= set(meeting)
                for decision in meeting["decisions"]:
                    assert {"text", "concerns"} <= set(decision)
    avenant = evaluation["acts"][1]
    assert avenant["deliberation"] == {
        "body": "Bureau de la Métropole",
        "number": None,
        "date": "2019-12-19",
    }
    assert evaluation["budget_lines"][0]["amount"] == "100000.00"
    assert evaluation["budget_lines"][0]["tax_basis"] == "unspecified"
    # the acts establish no status: unknown, exported as null
    assert [p["status"] for p in evaluation["phases"]] == [None, None, None]
    assert [o["phase_number"] for o in evaluation["orientations"]] == [3, 3, 3, 3]
    # article 4 allows an extension by avenant without dating it: the only dated
    # deadline is the term, whose rule names that article and the general rule as such
    assert {"date": "2022-12-31", "kind": "term"}.items() <= modernisation["deadlines"][0].items()
    assert "extension_deadline" not in {d["kind"] for d in modernisation["deadlines"]}
    assert "règle générale (et non clause de l'acte)" in modernisation["deadlines"][0]["rule"]
    assert "Martine Vassal" in modernisation["acts"][0]["representatives"]
    assert modernisation["acts"][0]["signed_on"] is None
    assert (
        doc["links"][0]["from"] == "EVAL-CDV-2015-2020"
        and doc["links"][0]["to"] == "MODERN-PV-2022"
    )
    assert all(set(gap) == {"item", "reason"} for gap in doc["completeness"])
    assert len(modernisation["notes"]) == 7


def test_export_json_to_a_file_and_xlsx_and_parquet(db_path, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "out.json"
    assert run("export", "--out", str(target), "--db", str(db_path))[0] == 0
    assert json.loads(target.read_text())["schema_version"] == 3

    workbook_path = tmp_path / "out.xlsx"
    assert (
        run("export", "--format", "xlsx", "--out", str(workbook_path), "--db", str(db_path))[0] == 0
    )
    workbook = load_workbook(workbook_path)
    lines = workbook["Lignes budgétaires"]
    header = [c.value for c in lines[1]]
    amount = lines.cell(row=2, column=header.index("Montant") + 1)
    assert amount.value == 100000 and isinstance(amount.value, float | int)
    assert lines.freeze_panes == "A2"
    assert "Comptes" in workbook.sheetnames

    folder = tmp_path / "parquet"
    assert run("export", "--format", "parquet", "--out", str(folder), "--db", str(db_path))[0] == 0
    import duckdb

    assert duckdb.sql(f"select count(*) from '{folder}/phase.parquet'").fetchall() == [(3,)]
    code, _, err = run("export", "--format", "parquet", "--db", str(db_path))
    assert code == 1 and "--out" in err


def test_backup_restore_round_trip(db_path, tmp_path):
    from dashboard.tracker import users, work
    from tests.conftest import ADMIN

    with Database(db_path) as database:
        users.add_user(database, ADMIN, login="chef", display_name="Chef",
                       role="administrateur", password="une phrase assez longue", provisional=False)  # fmt: skip
        work.update_phase(database, ADMIN, 1, expected_version=1, lead="Avant sauvegarde")
        original = snapshot(database)
    archive = tmp_path / "sauvegarde.zip"
    code, out, _ = run("backup", str(archive), "--db", str(db_path))
    assert code == 0 and archive.exists()

    with Database(db_path) as database:  # change something after the backup
        work.update_phase(database, ADMIN, 1, expected_version=2, lead="Après sauvegarde")
    code, out, _ = run("restore", str(archive), "--yes", "--db", str(db_path))
    assert code == 0, out
    with Database(db_path) as database:
        restored = snapshot(database)
        # every open session signs in again: each account's access epoch was raised
        assert database.scalar("select access_epoch from app_user where login = 'chef'") == 2
        # sequences were restored too: new rows do not collide
        work.create_action(database, ADMIN, orientation_id=1, title="Après restauration")
    rebuilt = {"app_user", "schema_migrations"}  # epochs raised; migrations re-applied
    assert {t: r for t, r in restored.items() if t not in rebuilt} == {
        t: r for t, r in original.items() if t not in rebuilt
    }


def test_restore_refuses_a_file_that_is_not_a_backup(db_path, tmp_path):
    bogus = tmp_path / "faux.zip"
    bogus.write_bytes(b"pas une archive")
    with Database(db_path) as database:
        before = snapshot(database)
    code, _, err = run("restore", str(bogus), "--yes", "--db", str(db_path))
    assert code == 1 and "n'est pas une sauvegarde" in err and "Rien n'a changé" in err
    with Database(db_path) as database:
        assert snapshot(database) == before


def test_restore_without_confirmation_changes_nothing(db_path, tmp_path):
    archive = tmp_path / "s.zip"
    run("backup", str(archive), "--db", str(db_path))
    code, out, _ = run("restore", str(archive), "--db", str(db_path))
    assert code == 1 and "annulée" in out


def test_user_commands(db_path):
    code, _, _ = run(
        "user",
        "add",
        "alice",
        "--name",
        "Alice Martin",
        "--role",
        "contributeur",
        "--db",
        str(db_path),
        stdin="une phrase de passe longue\n",
    )
    assert code == 0
    code, out, _ = run("user", "list", "--db", str(db_path))
    assert "alice" in out and "contributeur" in out and "$2" not in out
    assert run("user", "set-role", "alice", "administrateur", "--db", str(db_path))[0] == 0
    assert (
        run(
            "user",
            "reset-password",
            "alice",
            "--db",
            str(db_path),
            stdin="nouvelle phrase de passe\n",
        )[0]
        == 0
    )
    with Database(db_path) as database:
        from dashboard.tracker.users import authenticate

        actor = authenticate(database, "alice", "nouvelle phrase de passe")
        assert actor is not None and actor.role == "administrateur"
    code, _, err = run("user", "add", "bob", "--db", str(db_path), stdin="court\n")
    assert code == 1 and "12 caractères" in err


def test_a_writing_command_while_the_database_is_held(db_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('ok', flush=True); time.sleep(30)",
            str(db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
        result = subprocess.run(
            [cdv, "user", "add", "x1", "--db", str(db_path)],
            input="phrase assez longue\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        assert f"PID {holder.pid}" in result.stderr
        assert "page Administration" in result.stderr and "arrêtez le serveur" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_every_cli_command_is_in_the_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"cdv {name}" in readme, f"cdv {name} absent du README"
        if sub._subparsers:
            for action in sub._subparsers._group_actions[0].choices:
                assert f"cdv {name} {action}" in readme, f"cdv {name} {action} absent du README"


def test_streamlit_flags_come_from_the_bundled_config():
    flags = cli.streamlit_flags()
    assert flags[flags.index("--browser.gatherUsageStats") + 1] == "false"
    assert "--theme.primaryColor" in flags
    # the server takes no upload larger than the largest file the app accepts (issue 27)
    from dashboard.ingest import act_text, sheets
    from dashboard.tracker import contours, files

    largest = max(m.MAX_BYTES for m in (act_text, sheets, contours, files)) // (1024 * 1024)
    assert flags[flags.index("--server.maxUploadSize") + 1] == str(largest) == "30"
    # tables' own CSV download and copy are off: they would write formulas raw
    assert flags[flags.index("--client.disableDataExport") + 1] == "true"
    # sections are h2 at an h3's size (no heading level skipped, RGAA 9.1): a list is
    # passed as JSON, the form Streamlit reads from a flag
    sizes = json.loads(flags[flags.index("--theme.headingFontSizes") + 1])
    assert sizes[:3] == ["2.75rem", "1.75rem", "1.4rem"]


@pytest.mark.parametrize("args", [["export", "--format", "pdf"], ["frobnicate"]])
def test_bad_arguments_exit_with_usage(args):
    with pytest.raises(SystemExit) as caught:
        cli.build_parser().parse_args(args)
    assert caught.value.code == 2


def test_unexpected_errors_print_no_traceback(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "cmd_init", lambda args: 1 / 0)
    parser = cli.build_parser()
    parser._subparsers._group_actions[0].choices["init"].set_defaults(func=cli.cmd_init)
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    code, _, err = run("init", "--db", str(tmp_path / "x.duckdb"))
    assert code == 1 and "Erreur inattendue (ZeroDivisionError)" in err and "Traceback" not in err


#: English that argparse or a forgotten message could print
ENGLISH = re.compile(
    r"usage:|positional arguments|optional arguments|show this help|error:|\binvalid\b|"
    r"\brequired\b|choose from|unrecognized|\bexpected\b|Traceback|\bfile\b|\bnot\b|\bthe\b"
)
COMMANDS = [
    [], ["serve"], ["init"], ["load"], ["export"], ["report"], ["backup"], ["restore"],
    ["user"], ["user", "add"], ["user", "list"], ["user", "set-role"],
    ["user", "reset-password"], ["rapport"], ["rapport", "evaluation"],
]  # fmt: skip
ERRORS = [
    ["export", "--format", "csv"],
    ["frobnicate"],
    ["user"],
    ["user", "add"],
    ["user", "set-role", "lea", "chef"],
    ["serve", "--port", "abc"],
    ["report", "--quarter", "2022-T3"],
    ["rapport", "evaluation"],
    ["export", "--nimp"],
    ["--db"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "cdv")
def test_every_help_is_french(command, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main([*command, "--help"])
    out = capsys.readouterr().out
    assert caught.value.code == 0 and "usage : cdv" in out and "options:" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize("args", ERRORS, ids=lambda a: " ".join(a))
def test_every_argument_error_is_french(args, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(args)
    err = capsys.readouterr().err
    assert caught.value.code == 2 and " : erreur : " in err
    assert not ENGLISH.search(err), ENGLISH.search(err)


def test_runtime_errors_are_french(tmp_path):
    missing = tmp_path / "absente.duckdb"
    for args in (
        ["restore", str(tmp_path / "nulle-part.zip"), "--db", str(missing), "--yes"],
        ["load", str(tmp_path / "nulle-part.toml"), "--db", str(tmp_path / "b.duckdb")],
        ["report", "--quarter", "2022-T9", "--out", str(tmp_path), "--db", str(missing)],
    ):
        code, out, err = run(*args)
        assert code != 0 and err.strip(), args
        assert not ENGLISH.search(out + err), (args, out + err)


def test_the_evaluation_report_from_the_command_line(db_path, tmp_path):
    import docx
    from pypdf import PdfReader

    out = tmp_path / "rapport"
    code, _, err = run("--db", str(db_path), "rapport", "evaluation", "--programme",
                       "EVAL-CDV-2015-2020", "--au", "31/12/2019", "--out", str(out))  # fmt: skip
    assert code == 0, err
    stem = "rapport-evaluation-EVAL-CDV-2015-2020-2019-12-31"
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.docx", f"{stem}.pdf"]
    document = docx.Document(out / f"{stem}.docx")
    assert document.paragraphs[0].text == (
        "Rapport d'évaluation — Évaluation des contrats de ville 2015-2020"
    )
    assert "au 31 décembre 2019" in document.sections[0].footer.paragraphs[0].text
    assert "PROJET" in PdfReader(out / f"{stem}.pdf").pages[0].extract_text()
    code, _, err = run("--db", str(db_path), "rapport", "evaluation", "--programme", "NOPE",
                       "--out", str(tmp_path / "x"))  # fmt: skip
    assert code == 1 and "« NOPE » n'existe pas" in err and not (tmp_path / "x").exists()
    code, _, err = run("--db", str(db_path), "rapport", "evaluation", "--programme",
                       "EVAL-CDV-2015-2020", "--au", "31/02/2019", "--out", str(tmp_path / "y"))  # fmt: skip
    assert code == 1 and "pas une date valide" in err


def test_the_scdl_export_of_a_year(db_path, tmp_path):
    out = tmp_path / "subventions.csv"
    code, _, err = run("--db", str(db_path), "export", "--format", "scdl-subventions",
                       "--annee", "2022", "--out", str(out))  # fmt: skip
    assert code == 0, err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("nomAttribuant,idAttribuant,dateConvention") and len(lines) == 2
    assert "100000.00,aide en numéraire" in lines[1]
    assert "À compléter — Ligne budgétaire n° 2 (exercice 2022) : SIRET de l'attribuant" in err
    code, _, err = run("--db", str(db_path), "export", "--format", "json", "--annee", "2022")
    assert code == 1 and "--annee ne sert qu'aux exports scdl-subventions et grand-livre" in err


def test_the_payment_ledger_from_the_command_line(db_path, tmp_path):
    from openpyxl import load_workbook

    code, out, err = run("--db", str(db_path), "export", "--format", "grand-livre")
    assert code == 0, err
    assert out.startswith("\ufeffN° du paiement;Programme;Acte;Article;Financeur")
    book = tmp_path / "grand-livre.xlsx"
    code, _, err = run("--db", str(db_path), "export", "--format", "grand-livre", "--annee",
                       "2022", "--out", str(book))  # fmt: skip
    assert code == 0 and "Grand livre écrit dans" in err
    assert load_workbook(book)["Grand livre"]["A1"].value == "N° du paiement"


def test_forwarded_addresses_are_believed_from_named_proxies_only(monkeypatch):
    from dashboard import cli

    monkeypatch.delenv("CDV_TRUSTED_PROXIES", raising=False)
    assert cli.trusted_proxies_env() == {"FORWARDED_ALLOW_IPS": ""}  # nobody by default
    monkeypatch.setenv("CDV_TRUSTED_PROXIES", " 10.0.0.5, 192.168.1.0/24 ")
    assert cli.trusted_proxies_env() == {"FORWARDED_ALLOW_IPS": "10.0.0.5,192.168.1.0/24"}
    monkeypatch.setenv("CDV_TRUSTED_PROXIES", "*")
    with pytest.raises(SystemExit, match="nommez les adresses"):
        cli.trusted_proxies_env()


def test_a_mistyped_database_is_refused_not_created(tmp_path, db_path):
    """``cdv load`` with a mistyped --db used to create and seed a new database, then
    load into it; now nothing is created unless --create says so."""
    seed = Path(__file__).parents[1] / "data" / "seed" / "acts.toml"
    typo = tmp_path / "cdv-typo.duckdb"
    code, out, err = run("load", str(seed), "--db", str(typo))
    assert code != 0 and "n'existe pas" in out + err and "--create" in out + err
    assert not typo.exists()
    code, out, _ = run("load", str(seed), "--db", str(typo), "--create")
    assert code == 0 and typo.exists()
    assert run("load", str(seed), "--db", str(db_path))[0] == 0  # an existing base: as before


def test_errors_of_the_command_line_are_french(tmp_path, db_path):
    """« [Errno 2] … » and « Port … is not available » used to reach the user."""
    import socket

    code, out, err = run("load", str(tmp_path / "absent.toml"), "--db", str(db_path))
    assert code == 1 and "introuvable" in err and "Errno" not in err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run("serve", "--db", str(db_path), "--port", str(port),
                             "--host", "127.0.0.1")  # fmt: skip
    assert code == 1 and f"Le port {port} est déjà pris" in err and "available" not in err


def test_the_demo_has_a_fictional_conseil_citoyen(tmp_path):
    import datetime as dt

    from dashboard.tracker import citizen_councils
    from dashboard.tracker.db import Database

    path = tmp_path / "demo.duckdb"
    code, out, err = run("demo", "--db", str(path))
    assert code == 0, err
    assert "Un conseil citoyen fictif" in out
    assert run("demo", "--db", str(path))[0] == 0  # a second run adds nothing
    with Database(path) as db:
        [council] = citizen_councils.councils(db, dt.date.today())
        assert "fictif" in council["name"] and council["qpv_count"] == 3
        # its opinion on the 2016 report, and the one on the draft 2024 report
        assert (council["residents"], council["local_actors"], council["seats"],
                council["opinions"]) == (2, 1, 1, 2)  # fmt: skip
