"""Import d'un acte (administrateur): a convention or an avenant read from its text
(uploaded, or pasted), its facts proposed beside the text with the passage each comes
from highlighted, every field correctable, then the diff with what the database holds,
and one transaction on confirmation; nothing is written before."""

import pandas as pd
import streamlit as st

from dashboard.ingest import act_import, act_review, act_text
from dashboard.ingest.load import load
from dashboard.tracker import fmt
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, session
from dashboard.ui.layout import page_header
from dashboard.ui.widgets import escape_markdown, html, show_error

actor = session.require("administrateur")
page_header(
    "Import d'un acte",
    "Lire une convention ou un avenant depuis son texte : les faits proposés, chacun avec "
    "son article, se relisent et se corrigent ; rien n'est écrit avant la confirmation.",
)
db = data.database()
STATE = "act-import"


def read_input() -> tuple[str, str] | None:
    """(text, file name) from the upload or the pasted text, or None."""
    upload = st.file_uploader("Le texte de l'acte (.md, .txt, .docx, .pdf)",
                              type=["md", "txt", "docx", "pdf"], max_upload_size=10)  # fmt: skip
    pasted = st.text_area("… ou collez son texte", height=160, max_chars=200_000)
    if not st.button("Lire l'acte", type="primary"):
        return None
    if upload is not None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            return act_text.read_text(path), upload.name
    if pasted.strip():
        return pasted, "texte collé"
    st.warning("Téléversez un fichier ou collez le texte de l'acte.")
    return None


def programme_choice() -> str | None:
    codes = [p["code"] for p in data.programmes()]
    choice = st.selectbox(
        "Programme (une convention ; un avenant suit celui de sa convention)",
        [None, *codes, "__new__"],
        format_func=lambda c: "— choisir —" if c is None else (
            "Nouveau programme…" if c == "__new__" else c),
        key="import-programme",
    )  # fmt: skip
    if choice == "__new__":
        return st.text_input("Code du nouveau programme", key="import-new-code") or None
    return choice


def reviewed(extraction: act_text.Extraction) -> act_text.Extraction:
    """The tables of the extraction, as the reviewer corrects them."""
    st.markdown("**L'acte**")
    fields = st.data_editor(pd.DataFrame(act_review.fields_rows(extraction)), hide_index=True,
                            width="stretch", key="import-fields",
                            disabled=["Champ", "Article", "Extrait"])  # fmt: skip
    result = act_review.apply_fields(extraction, fields.fillna("").to_dict("records"))
    st.markdown("**Montants** (une ligne par exercice ; base HT, TTC ou non précisé)")
    amounts = st.data_editor(pd.DataFrame(act_review.amounts_rows(extraction),
                                          columns=["Montant (€)", "Exercice", "Base", "Extrait"]),
                             hide_index=True, width="stretch", num_rows="dynamic", placeholder="",
                             key="import-amounts")  # fmt: skip
    result = act_review.apply_amounts(result, amounts.to_dict("records"))
    for label, name, numbered in (
        ("Phases", "phases", True),
        ("Orientations", "orientations", False),
    ):
        st.markdown(f"**{label}**")
        rows = st.data_editor(pd.DataFrame(act_review.titles_rows(getattr(extraction, name), numbered),
                                           columns=["Phase", "Intitulé"]),
                              hide_index=True, width="stretch", num_rows="dynamic", placeholder="",
                              key=f"import-{name}")  # fmt: skip
        setattr(result, name, act_review.apply_titles(getattr(extraction, name),
                                                      rows.to_dict("records"), numbered))  # fmt: skip
    return result


def parties_and_clauses(extraction: act_text.Extraction) -> act_text.Extraction:
    st.markdown("**Parties, représentants et signataires**")
    parties = st.data_editor(pd.DataFrame(act_review.parties_rows(extraction),
                                          columns=["Organisation", "Représentée par", "Signataire",
                                                   "Remarque"]),
                             hide_index=True, width="stretch", num_rows="dynamic",
                             key="import-parties", placeholder="",
                             disabled=["Remarque"])  # fmt: skip
    result = act_review.apply_parties(extraction, parties.fillna("").to_dict("records"))
    st.markdown(
        "**Clauses** (type : durée, prolongation par avenant, règlement amiable des litiges…)"
    )
    clauses = st.data_editor(pd.DataFrame(act_review.clauses_rows(extraction),
                                          columns=["Type", "Article", "Jours", "Mois", "Extrait"]),
                             hide_index=True, width="stretch", num_rows="dynamic",
                             key="import-clauses", placeholder="",
                             column_config={"Type": st.column_config.SelectboxColumn(
                                 options=list(fmt.CLAUSE_KIND_LABELS.values()))})  # fmt: skip
    return act_review.apply_clauses(result, clauses.to_dict("records"))


def source_text(text: str, extraction: act_text.Extraction) -> None:
    facts = {label: getattr(extraction, name) for name, label in act_review.FIELD_LABELS.items()
             if getattr(extraction, name).excerpt}  # fmt: skip
    facts |= {f"Montant {i + 1}": a["amount"] for i, a in enumerate(extraction.amounts)}
    facts |= {f"Orientation {i + 1}": o["title"] for i, o in enumerate(extraction.orientations)}
    chosen = st.selectbox("Passage à montrer dans le texte", list(facts), key="import-passage")
    fact = facts.get(chosen)
    if fact is not None:
        st.caption(escape_markdown(f"{chosen} : {fact.article}"))
    with st.container(height=620, border=True):
        html("<div style='white-space:pre-wrap;font-size:0.9rem'>"
             + act_review.highlight(text, fact.excerpt if fact else None) + "</div>")  # fmt: skip


read = read_input()
if read is not None:
    try:
        st.session_state[STATE] = {"text": read[0], "origin": read[1],
                                   "extraction": act_text.extract(read[0])}  # fmt: skip
    except TrackerError as error:
        show_error(error, " Rien n'a été lu.")
current = st.session_state.get(STATE)
if current is None:
    st.stop()

programme = programme_choice()
left, right = st.columns([1, 1])
with left:
    source_text(current["text"], current["extraction"])
with right:
    try:
        corrected = parties_and_clauses(reviewed(current["extraction"]))
    except TrackerError as error:
        show_error(error, " Corrigez la valeur : rien n'a été écrit.")
        st.stop()

try:
    facts = act_import.plan(db, corrected, current["origin"], programme)
    preview = load(db, actor, facts, origin=current["origin"], dry_run=True)
except TrackerError as error:
    show_error(error, " Rien n'a été écrit.")
    st.stop()
st.header("Ce que l'import changerait")
if preview.empty:
    st.success("La base contient déjà tout ce que dit cet acte : rien à écrire.")
    st.stop()
st.markdown("\n".join(f"- {escape_markdown(line)}" for line in preview.lines()))
if st.button("Confirmer l'import", type="primary"):
    try:
        report = load(db, actor, facts, origin=current["origin"])
    except TrackerError as error:
        show_error(error, " Rien n'a été écrit.")
    else:
        st.session_state.pop(STATE, None)
        st.success(f"Import enregistré : {len(report.created)} création(s), "
                   f"{len(report.changed)} modification(s), en une transaction.")  # fmt: skip
