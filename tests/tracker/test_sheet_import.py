"""Spreadsheet imports: each kind written, then updated by its key without duplicates;
every bad file refused in French with nothing written; one failing row and nothing is
imported; the import is one operation in the audit."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from dashboard.ingest import sheet_import, sheets
from dashboard.tracker.access import Actor
from dashboard.tracker.errors import PermissionDenied, ValidationError
from tests.helpers import snapshot

LEAD = Actor("lea", "contributeur", "Léa")
COPIL = "Comité de pilotage de l'évaluation des contrats de ville"
PAYMENTS = (
    "programme;exercice;etape;date;montant;reference\n"
    "MODERN-PV-2022;2022;engagement;15/03/2022;25 000,00;ENG-1\n"
    "MODERN-PV-2022;2022;mandatement;15/04/2022;10 000;MAN-1\n"
)


def run(db, kind: str, text: str | bytes, name: str = "fichier.csv", **options):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return sheet_import.import_sheet(db, LEAD, kind=kind, data=data, file_name=name, **options)


def xlsx(rows: list[list], *, merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_payments_are_added_then_updated_by_their_reference(db):
    assert run(db, "payments", PAYMENTS) == {"ajouté(s)": 2, "mis à jour": 0, "inchangé(s)": 0}
    assert run(db, "payments", PAYMENTS) == {"ajouté(s)": 0, "mis à jour": 0, "inchangé(s)": 2}
    changed = PAYMENTS.replace("25 000,00", "26 000,00")
    assert run(db, "payments", changed) == {"ajouté(s)": 0, "mis à jour": 1, "inchangé(s)": 1}
    assert db.scalar("select count(*) from payment where cancelled_at is null") == 2
    assert db.scalar("select amount from payment where reference = 'ENG-1'") == 26000
    reason = db.scalar("select reason from audit_log where entity = 'payment' and "
                       "operation = 'update'")  # fmt: skip
    assert reason == "Import de fichier.csv"


def test_the_same_payments_from_xlsx(db):
    rows = [["Programme", "Exercice", "Étape", "Date", "Montant (€)", "Référence"],
            ["MODERN-PV-2022", 2022, "engagement", "15/03/2022", 25000.5, "ENG-1"]]  # fmt: skip
    assert run(db, "payments", xlsx(rows), "paiements.xlsx")["ajouté(s)"] == 1
    assert str(db.scalar("select amount from payment where reference = 'ENG-1'")) == "25000.50"


def test_the_import_is_one_operation_in_the_audit(db):
    run(db, "payments", PAYMENTS, "paiements-mars.csv")
    [(entity_id, after)] = (
        db.cursor()
        .execute("select entity_id, after::varchar from audit_log where entity = 'import'")
        .fetchall()
    )
    assert entity_id == "paiements-mars.csv" and '"ajouté(s)": 2' in after


def test_a_dry_run_counts_and_writes_nothing(db):
    before = snapshot(db)
    assert run(db, "payments", PAYMENTS, dry_run=True)["ajouté(s)"] == 2
    assert snapshot(db) == before


def test_actions_meetings_and_decisions(db):
    actions = ("programme;titre;phase;debut;fin;responsable\n"
               "EVAL-CDV-2015-2020;Atelier (essai);3;01/02/2024;30/06/2024;Léa\n")  # fmt: skip
    assert run(db, "actions", actions)["ajoutée(s)"] == 1
    later = actions.replace("30/06/2024", "31/07/2024")
    assert run(db, "actions", later) == {"ajoutée(s)": 0, "mise(s) à jour": 1, "inchangée(s)": 0}
    assert db.scalar("select count(*) from action where title = 'Atelier (essai)'") == 1
    meetings = f"programme;comite;date;lieu\nEVAL-CDV-2015-2020;{COPIL};12/03/2024;Marseille\n"
    assert run(db, "meetings", meetings)["ajoutée(s)"] == 1
    moved = meetings.replace("Marseille", "Aix-en-Provence")
    assert run(db, "meetings", moved)["mise(s) à jour"] == 1
    decisions = ("programme;comite;date_reunion;nature;texte;elements\n"
                 f"EVAL-CDV-2015-2020;{COPIL};12/03/2024;adoption;Plan adopté (essai);phase 3\n")  # fmt: skip
    assert run(db, "decisions", decisions)["ajoutée(s)"] == 1
    assert run(db, "decisions", decisions)["inchangée(s)"] == 1


def test_errors_are_given_line_by_line_and_nothing_is_written(db):
    bad = ("programme;exercice;etape;date;montant\n"
           "MODERN-PV-2022;2022;engagement;15/03/2022;1 000\n"
           "MODERN-PV-2022;2022;engagement;15/03/2022;12,5,0\n"
           "MODERN-PV-2022;deux mille;paiement;hier;5\n")  # fmt: skip
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        run(db, "payments", bad)
    message = caught.value.message
    assert "ligne 3 : montant invalide : « 12,5,0 »" in message
    assert "ligne 4 : exercice invalide : « deux mille »" in message
    assert "ligne 4 : etape invalide : « paiement »" in message
    assert snapshot(db) == before


def test_one_failing_row_and_nothing_is_imported(db):
    rows = PAYMENTS + "INCONNU;2022;engagement;15/03/2022;5;ENG-9\n"
    before = snapshot(db)
    with pytest.raises(ValidationError, match="ligne 4 : aucune ligne budgétaire 2022"):
        run(db, "payments", rows)
    assert snapshot(db) == before


def test_the_spending_chain_is_checked_over_the_whole_file(db):
    rows = ("programme;exercice;etape;date;montant\n"
            "MODERN-PV-2022;2022;mandatement;15/04/2022;10 000\n")  # fmt: skip
    with pytest.raises(ValidationError, match="dépasserait le total engagement"):
        run(db, "payments", rows)
    over = ("programme;exercice;etape;date;montant;motif_depassement\n"
            "MODERN-PV-2022;2022;engagement;15/04/2022;150 000;\n")  # fmt: skip
    with pytest.raises(ValidationError, match="sans motif de dépassement"):
        run(db, "payments", over)
    assert run(db, "payments", over.replace(";\n", ";Avenant en cours\n"))["ajouté(s)"] == 1


@pytest.mark.parametrize(("name", "data", "words"), [
    ("vide.csv", b"", "vide"),
    ("entetes.csv", b"programme;exercice\n", "aucune ligne"),
    ("utf16.csv", "programme;exercice\nA;1\n".encode("utf-16"), "caractères nuls"),
    ("abime.xlsx", b"PK\x03\x04 pas un classeur", "pas un classeur"),
    ("image.png", b"\x89PNG\r\n", "Format non pris en charge"),
    ("gros.csv", b"programme;exercice\n" + b"x" * (sheets.MAX_BYTES + 1), "la limite est de 30 Mo"),
])  # fmt: skip
def test_bad_files_are_refused_in_french(db, name, data, words):
    before = snapshot(db)
    with pytest.raises(ValidationError, match=words):
        run(db, "payments", data, name)
    assert snapshot(db) == before


def test_formulas_and_merged_cells_are_refused(db):
    header = ["programme", "exercice", "etape", "date", "montant"]
    formula = xlsx([header, ["MODERN-PV-2022", 2022, "engagement", "15/03/2022", "=1000*2"]])
    with pytest.raises(ValidationError, match="ligne 2 : la cellule E2 contient une formule"):
        run(db, "payments", formula, "formule.xlsx")
    merged = xlsx([header, ["MODERN-PV-2022", 2022, "engagement", "15/03/2022", 1000],
                   ["", 2022, "engagement", "16/03/2022", 1000]], merge="A2:A3")  # fmt: skip
    with pytest.raises(ValidationError, match="cellules fusionnées"):
        run(db, "payments", merged, "fusion.xlsx")


def test_columns_are_recognised_by_their_headers_or_mapped_by_hand(db):
    odd = ("Code programme,Année,Nature,Date de l'opération,Somme,N°\n"
           "MODERN-PV-2022,2022,engagement,15/03/2022,\"1 000\",ENG-7\n")  # fmt: skip
    spec = sheets.KINDS["payments"]
    table = sheets.read_table(odd.encode(), "x.csv")
    assert sheets.guess_mapping(spec, table.headers) == {
        "programme": 0, "fiscal_year": 1, "stage": 2, "occurred_on": 3, "amount": 4,
        "reference": 5, "over_budget_reason": None}  # fmt: skip
    assert run(db, "payments", odd)["ajouté(s)"] == 1
    unmapped = {**sheets.guess_mapping(spec, table.headers), "amount": None}
    with pytest.raises(ValidationError, match="sans correspondance : montant"):
        run(db, "payments", odd, mapping=unmapped)


def test_templates_are_read_back(db):
    for spec in sheets.KINDS.values():
        csv_table = sheets.read_table(sheets.csv_template(spec).encode(), "modele.csv")
        xlsx_table = sheets.read_table(sheets.xlsx_template(spec), "modele.xlsx")
        for table in (csv_table, xlsx_table):
            assert table.headers == [c.header for c in spec.columns]
            assert all(v is not None for v in sheets.guess_mapping(spec, table.headers).values())


def test_a_lecteur_cannot_import(db):
    with pytest.raises(PermissionDenied):
        sheet_import.import_sheet(db, Actor("marc", "lecteur"), kind="payments",
                                  data=PAYMENTS.encode(), file_name="p.csv")  # fmt: skip


@pytest.mark.parametrize("kind", sorted(sheets.KINDS))
def test_a_templates_example_row_is_never_imported(db, kind):
    """Left in by mistake, the example row would import a fake 25 000 € engagement into a
    real programme: it is marked, and refused with its line, nothing written."""
    spec = sheets.KINDS[kind]
    before = snapshot(db)
    for data, name in ((sheets.csv_template(spec).encode(), "modele.csv"),
                       (sheets.xlsx_template(spec), "modele.xlsx")):  # fmt: skip
        with pytest.raises(ValidationError, match="ligne 2 : c'est la ligne d'exemple du modèle"):
            sheet_import.import_sheet(db, LEAD, kind=kind, data=data, file_name=name)
    assert snapshot(db) == before
