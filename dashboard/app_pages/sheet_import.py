"""Import d'un tableur (contributeur): actions, payments, meetings or decisions from a
.xlsx or .csv file. A template per kind; the columns of the file mapped to the fields
(guessed from the headers, changeable); a preview; every row checked; what would be
added and updated, then the import in one transaction."""

import pandas as pd
import streamlit as st

from dashboard.ingest import sheet_import, sheets
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, session
from dashboard.ui.layout import page_header
from dashboard.ui.widgets import data_table, escape_markdown, show_error

actor = session.require("contributeur")
page_header(
    "Import d'un tableur",
    "Des actions, des paiements, des réunions ou des décisions depuis un fichier .xlsx ou .csv. "
    "Une fiche déjà présente (même clé) est mise à jour, jamais dupliquée ; une seule erreur "
    "et rien n'est importé.",
)
if flash := st.session_state.pop("sheet-flash", None):
    st.success(escape_markdown(flash))
db = data.database()
KEYS = {
    "payments": "programme, exercice, étape et référence (sans référence : date et montant)",
    "actions": "programme et titre",
    "meetings": "comité et date",
    "decisions": "comité, date de la réunion et texte",
}
kind = st.selectbox("Type de fiches", list(sheets.KINDS),
                    format_func=lambda k: sheets.KINDS[k].label.capitalize(), key="sheet-kind")  # fmt: skip
spec = sheets.KINDS[kind]
st.caption(escape_markdown(
    f"Colonnes du modèle : {', '.join(c.header + (' (obligatoire)' if c.required else '') for c in spec.columns)}. "
    f"Une fiche est reconnue par : {KEYS[kind]}."))  # fmt: skip
left, right = st.columns(2)
left.download_button("Modèle .xlsx", sheets.xlsx_template(spec), file_name=f"modele-{spec.label.replace(' ', '-')}.xlsx",
                     icon=":material/download:",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
right.download_button("Modèle .csv", sheets.csv_template(spec).encode("utf-8"),
                      file_name=f"modele-{spec.label.replace(' ', '-')}.csv", mime="text/csv", icon=":material/download:")  # fmt: skip

# a new uploader after each import: the file just imported is not shown as still pending
generation = st.session_state.get("sheet-imported", 0)
upload = st.file_uploader("Le tableur (.xlsx ou .csv, 30 Mo au plus)", type=["xlsx", "csv"],
                          max_upload_size=30, key=f"sheet-file-{kind}-{generation}")  # fmt: skip
if upload is None:
    st.stop()
content = upload.getvalue()
try:
    table = sheets.read_table(content, upload.name)
except TrackerError as error:
    show_error(error, " Rien n'a été importé.")
    st.stop()

st.header("Correspondance des colonnes")
guessed = sheets.guess_mapping(spec, table.headers)
options = [None, *range(len(table.headers))]
mapping = {}
columns = st.columns(3)
for index, column in enumerate(spec.columns):
    chosen = guessed.get(column.name)
    mapping[column.name] = columns[index % 3].selectbox(
        spec.heading(column) + (" *" if column.required else ""), options,
        index=options.index(chosen), key=f"map-{kind}-{column.name}", placeholder="— aucune —",
        format_func=lambda i: "— aucune —" if i is None else f"{table.headers[i]} (col. {i + 1})",
    )  # fmt: skip
st.header("Aperçu")
preview = pd.DataFrame([
    {spec.heading(c): (row[mapping[c.name]] if mapping[c.name] is not None
                and mapping[c.name] < len(row) else None) for c in spec.columns}
    for row in table.rows[:20]
])  # fmt: skip
data_table(preview, hide_index=True, width="stretch", placeholder="")
st.caption("Les champs marqués d’un astérisque (\\*) sont obligatoires.")
st.caption(f"{len(table.rows)} ligne(s) dans le fichier ; les 20 premières ci-dessus.")
try:
    counts = sheet_import.import_sheet(db, actor, kind=kind, data=content, file_name=upload.name,
                                       mapping=mapping, dry_run=True)  # fmt: skip
except TrackerError as error:
    show_error(error)
    st.stop()
summary = ", ".join(f"{n} {label}" for label, n in counts.items())
st.info(escape_markdown(f"Vérifié : {summary}. Rien n'est encore écrit."))
if st.button("Importer", type="primary"):
    try:
        counts = sheet_import.import_sheet(db, actor, kind=kind, data=content,
                                           file_name=upload.name, mapping=mapping)  # fmt: skip
    except TrackerError as error:
        show_error(error, " Rien n'a été importé.")
    else:
        st.session_state["sheet-flash"] = (
            f"Import de « {upload.name} » terminé en une transaction : "
            + ", ".join(f"{n} {label}" for label, n in counts.items()) + ".")  # fmt: skip
        st.session_state["sheet-imported"] = generation + 1
        st.rerun()
