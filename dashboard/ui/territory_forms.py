"""The forms of the Territoires page: the list, a territory added one by one, a CSV of
the official lists, links between territories, a correction or an archiving."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.tracker import contours, fmt, territories
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.errors import TrackerError
from dashboard.tracker.files import Upload
from dashboard.ui import forms
from dashboard.ui.widgets import data_table, escape_markdown, show_error


@dataclass
class Places:
    """What the page's forms read: the territories recorded today."""

    db: Database
    actor: Actor
    rows: list[dict]

    @property
    def by_id(self) -> dict[int, dict]:
        return {r["id"]: r for r in self.rows}

    def name_of(self, territory_id: int | None) -> str:
        return fmt.territory(self.by_id[territory_id], with_code=True)


def list_tab(e: Places) -> None:
    if not e.rows:
        st.info("Aucun territoire enregistré : ajoutez-en ou chargez un fichier CSV.")
    else:
        data_table(pd.DataFrame([{
            "Type": fmt.TERRITORY_KIND_LABELS[r["kind"]], "Code": r["code"] or "à compléter", "Nom": r["name"],
            "Génération": str(r["generation"] or ""), "Situé dans": r["within_names"],
            "Successeur": r["successor"] or "",
        } for r in e.rows]), hide_index=True, width="stretch")  # fmt: skip


def add_tab(e: Places) -> None:
    with st.form(forms.fresh("territory-new")):
        kind = st.selectbox("Type", list(fmt.TERRITORY_KIND_LABELS),
                            format_func=lambda k: fmt.capitalize_first(fmt.TERRITORY_KIND_LABELS[k]))  # fmt: skip
        code = st.text_input(
            "Code (INSEE pour une commune, code officiel pour un QPV)",
            help="Un QPV ou un quartier en veille active que l'acte nomme sans son code "
            "officiel s'enregistre tel que nommé, sans code : le rapport de complétude le "
            "signale jusqu'à ce qu'il soit complété.",
        )
        name = st.text_input("Nom")
        generation = st.selectbox("Génération (QPV seulement)", [None, 2015, 2024],
                                  format_func=lambda g: "—" if g is None else str(g))  # fmt: skip
        within = st.multiselect(
            "Situé dans", list(e.by_id), format_func=e.name_of, placeholder="Aucun"
        )
        if st.form_submit_button("Ajouter le territoire", type="primary"):
            forms.attempt("territories", "territory-new", f"Territoire « {name} » ajouté.",
                          lambda: territories.create_territory(
                              e.db, e.actor, kind=kind, code=code, name=name, generation=generation,
                              within=within))  # fmt: skip


def csv_tab(e: Places) -> None:
    st.markdown(
        "Colonnes : `type;code;nom;generation;situe_dans;successeur` (UTF-8 ou Latin-1, "
        "séparateur « ; » ou « , »). `situe_dans` : le ou les codes des territoires qui le "
        "contiennent, séparés par « | ». Un territoire déjà connu (même type et code) est mis "
        "à jour, jamais dupliqué ; une seule erreur et rien n'est importé."
    )
    st.download_button("Télécharger le modèle CSV", territories.csv_template().encode("utf-8"),
                       file_name="territoires-modele.csv", mime="text/csv",
                       icon=":material/download:")  # fmt: skip
    upload = st.file_uploader("Fichier CSV des territoires", type=["csv", "txt"],
                              key=forms.fresh("territory-csv"))  # fmt: skip
    if upload is not None and st.button("Importer", type="primary"):
        try:
            counts = territories.load_territories(e.db, e.actor, data=upload.getvalue())
        except TrackerError as error:
            show_error(error)
        else:
            forms.done("territories", "territory-csv",
                       f"Import terminé : {counts['added']} territoire(s) ajouté(s), "
                       f"{counts['updated']} mis à jour, {counts['links']} lien(s) ajouté(s).")  # fmt: skip


def link_tab(e: Places) -> None:
    if len(e.rows) < 2:
        st.info("Il faut au moins deux territoires pour les relier.")
    else:
        with st.form(forms.fresh("territory-link")):
            child = st.selectbox("Territoire", list(e.by_id), format_func=e.name_of)
            link = st.radio("Lien", list(fmt.TERRITORY_LINK_LABELS),
                            format_func=fmt.TERRITORY_LINK_LABELS.get, horizontal=True)  # fmt: skip
            parent = st.selectbox("Territoire lié", list(e.by_id), format_func=e.name_of, index=1)
            if st.form_submit_button("Relier", type="primary"):
                forms.attempt("territories", "territory-link", "Lien enregistré.",
                              lambda: territories.link_territories(
                                  e.db, e.actor, from_id=child, to_id=parent, kind=link))  # fmt: skip
        st.caption(escape_markdown(
            "Un QPV est situé dans une ou plusieurs communes, une commune dans un Conseil de "
            "Territoire, un Conseil de Territoire dans la Métropole ; un QPV de 2015 a pour "
            "successeur un QPV de 2024."))  # fmt: skip


def edit_tab(e: Places) -> None:
    """Correct a territory's name or code, or archive it (it stays in the history and
    in the views of earlier dates)."""
    if not e.rows:
        st.info("Aucun territoire enregistré.")
        return
    chosen = st.selectbox("Territoire", list(e.by_id), format_func=e.name_of, key="territory-pick")
    row = e.by_id[chosen]
    version = forms.seen_version(f"territory-{chosen}", row["version"])
    with st.form(forms.fresh(f"territory-{chosen}")):
        name = st.text_input("Nom", value=row["name"])
        code = st.text_input("Code", value=row["code"] or "")
        reason = forms.reason_field(f"territory-reason-{chosen}", required=False)
        archive = st.checkbox("Archiver ce territoire (fusion, disparition) à la date du jour")
        if st.form_submit_button("Enregistrer", type="primary"):
            if archive:
                forms.attempt("territories", f"territory-{chosen}", "Territoire archivé.",
                              lambda: territories.archive_territory(
                                  e.db, e.actor, chosen, expected_version=version,
                                  archived_on=dt.date.today(), reason=reason))  # fmt: skip
            else:
                changes = {k: v for k, v in (("name", name), ("code", code)) if v != row[k]}
                forms.attempt("territories", f"territory-{chosen}", "Territoire corrigé.",
                              lambda: territories.update_territory(
                                  e.db, e.actor, chosen, expected_version=version,
                                  reason=reason or None, **changes))  # fmt: skip


def contours_tab(e: Places) -> None:
    """The official contours (GeoJSON) that the maps draw, checked before anything is kept."""
    st.markdown(
        "Les cartes de la page Évaluation dessinent les contours chargés ici, sans fond de "
        "carte ni réseau. Chargez le **GeoJSON officiel** des QPV d'une génération (publié "
        "par l'ANCT sur sig.ville.gouv.fr ou data.gouv.fr) ou celui des communes (IGN, Admin "
        "Express), en WGS 84 (degrés). Chaque contour doit porter le code d'un territoire "
        "enregistré (`code_qp`, `code_qpv`, `code` ou `insee_com`) ; une géométrie invalide, "
        "un code inconnu ou un fichier de plus de 20 Mo refuse tout le fichier."
    )
    sets = e.db.records("contour_sets")
    if sets:
        data_table(pd.DataFrame([{
            "Territoires": "QPV " + str(s["generation"]) if s["kind"] == "qpv" else "communes",
            "Source": s["source_document"], "Millésime": s["vintage"], "Contours": s["shapes"],
            "Fichier": s["file_name"], "Chargé le": fmt.datetime_fr(s["recorded_at"]),
            "Par": s["recorded_by"], "Utilisé par les cartes": "oui" if s["in_use"] else "non",
        } for s in sets]), hide_index=True, width="stretch")  # fmt: skip
    name = forms.fresh("contours")
    with st.form(name):
        layer = st.radio("Territoires", ["QPV 2024", "QPV 2015", "Communes"], horizontal=True)
        source = st.text_input("Source des contours",
                               placeholder="ANCT, contours des QPV 2024 (data.gouv.fr)")  # fmt: skip
        vintage = st.text_input("Millésime", placeholder="janvier 2024")
        upload = st.file_uploader("Fichier GeoJSON", type=["geojson", "json"], key=f"{name}-file")
        if st.form_submit_button("Charger les contours", type="primary"):
            kind, generation = {"QPV 2024": ("qpv", 2024), "QPV 2015": ("qpv", 2015),
                                "Communes": ("commune", None)}[layer]  # fmt: skip
            forms.attempt("territories", "contours", "Contours chargés : les cartes les utilisent.",
                          lambda: contours.upload_contours(
                              e.db, e.actor, kind=kind, generation=generation,
                              source_document=source, vintage=vintage,
                              upload=None if upload is None else Upload(upload.name, upload.getvalue())))  # fmt: skip
