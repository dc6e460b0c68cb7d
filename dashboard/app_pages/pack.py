"""Présentation trimestrielle: the quarterly pack of a chosen quarter (and programme):
preview, downloads (.pptx, .pdf, .xlsx) and a full-screen presentation mode driven
by the left / right arrow keys."""

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.tracker import fmt
from dashboard.tracker.errors import TrackerError
from dashboard.tracker.pack import pdf as pack_pdf
from dashboard.tracker.pack import pptx as pack_pptx
from dashboard.tracker.pack import xlsx as pack_xlsx
from dashboard.ui import data, session, slides
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import escape_markdown, html, show_error

today = dt.date.today()
current = fmt.quarter_of(today)
first_year = 2017
quarters = [(y, q) for y in range(first_year, current[0] + 1) for q in (1, 2, 3, 4)]
# a quarter is offered once it has ended: its figures are then « arrêtés »
quarters = [yq for yq in quarters if yq < current][::-1]
previous = quarters[0]

wanted = st.query_params.get("trimestre")
default = next((yq for yq in quarters if f"{yq[0]}-T{yq[1]}" == wanted), previous)
presenting = st.query_params.get("mode") == "presentation"

if not presenting:
    page_header(
        "Présentation trimestrielle",
        "Le dossier de la réunion trimestrielle, tiré des mêmes données que le tableau de bord : "
        "chiffres arrêtés au dernier jour du trimestre, sources de chaque chiffre en notes.",
    )
    left, right = st.columns([1, 2])
    quarter = left.selectbox(
        "Trimestre",
        quarters,
        index=quarters.index(default),
        format_func=lambda yq: f"{fmt.quarter_label(*yq)} ({fmt.quarter_span(*yq)})",
        key="pack-quarter",
    )
    with right:
        programme = programme_picker(allow_all=True, key="pack-programme")
    public = st.toggle(
        "Version publique (secret statistique)", key="pack-public",
        help="Pour une diffusion hors du comité : les effectifs inférieurs au seuil fixé par "
        "l'administrateur, et ceux qui permettraient de les retrouver, s'affichent « s ».",
    )  # fmt: skip
    st.query_params["trimestre"] = f"{quarter[0]}-T{quarter[1]}"
else:
    quarter = default
    programme = st.query_params.get("programme")
    public = False

try:
    content = data.pack(quarter, programme, public)
except TrackerError as error:
    show_error(error)
    st.stop()
total = len(content.slides)

if presenting:
    html(slides.PRESENTATION_CSS)
    index = min(max(int(st.session_state.get("pack-slide", 0)), 0), total - 1)
    nav = st.columns([1, 1, 6, 1])
    if nav[0].button("Précédente", icon=":material/arrow_back:", shortcut="Left", key="prev"):
        index = max(0, index - 1)
    if nav[1].button("Suivante", icon=":material/arrow_forward:", shortcut="Right", key="next"):
        index = min(total - 1, index + 1)
    if nav[3].button("Quitter", icon=":material/close:", shortcut="Esc", key="quit"):
        st.query_params.pop("mode", None)
        st.session_state["pack-slide"] = 0
        st.rerun()
    st.session_state["pack-slide"] = index
    slides.show(
        content.slides[index], number=index + 1, total=total, large=True, key=f"slide-{index}"
    )
    st.caption(
        f"{content.label} · chiffres au {fmt.date_fr(content.as_of)} · flèches ← → pour "
        "changer de diapositive, Échap pour quitter, F11 pour le plein écran du navigateur."
    )
    st.stop()

st.caption(
    f"{content.label} : {content.span} · chiffres au {fmt.date_fr(content.as_of)} · "
    f"{total} diapositives"
    + (f" · réunion du comité le {fmt.date_fr(content.meeting_on)}" if content.meeting_on else "")
)
if st.button("Mode présentation", icon=":material/slideshow:", type="primary"):
    st.query_params["mode"] = "presentation"
    if programme:
        st.query_params["programme"] = programme
    st.session_state["pack-slide"] = 0
    st.rerun()

st.header("Télécharger le dossier")
template_bytes = None
if session.current_actor() is not None:  # nobody uploads anything before signing in
    template = st.file_uploader(
        "Modèle PowerPoint (facultatif : logo, couleurs, polices)", type=["pptx"],
        key="pack-template",
    )  # fmt: skip
    template_bytes = template.getvalue() if template is not None else None


def deck() -> bytes:
    if template_bytes is None:
        return pack_pptx.deck_bytes(content)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "modele.pptx"
        path.write_bytes(template_bytes)
        return pack_pptx.deck_bytes(content, path)


if template_bytes is not None:
    # checked once per file sent (its archive, then a deck built on it), not per rerun
    checked = st.session_state.setdefault("pack-template-checked", {})
    if template.file_id not in checked:
        checked.clear()
        try:
            deck()
            checked[template.file_id] = None
        except TrackerError as error:
            checked[template.file_id] = error
    if checked[template.file_id] is not None:
        show_error(checked[template.file_id])
        template_bytes = None

try:
    pack_pdf.register_fonts()
    pdf_ready = True
except TrackerError as error:
    st.warning(escape_markdown(error.message))
    pdf_ready = False

columns = st.columns(3)
columns[0].download_button(
    "Présentation (.pptx)",
    data=deck,
    file_name=f"{content.file_stem}.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    icon=":material/co_present:",
    on_click="ignore",
)
columns[1].download_button(
    "Document (.pdf)",
    data=lambda: pack_pdf.pdf_bytes(content),
    file_name=f"{content.file_stem}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    disabled=not pdf_ready,
    on_click="ignore",
)
columns[2].download_button(
    "Classeur (.xlsx)",
    data=lambda: pack_xlsx.workbook_bytes(content),
    file_name=f"{content.file_stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table_view:",
    on_click="ignore",
)

st.header("Aperçu")
for number, slide in enumerate(content.slides, start=1):
    with st.container(border=True):
        slides.show(slide, number=number, total=total, large=False, key=f"preview-{number}")
