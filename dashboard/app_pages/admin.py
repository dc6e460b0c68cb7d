"""Administration (administrateur): accounts and roles, backup download, restore with a
preview of what it replaces, and the audit log."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.tracker import accessibility, backup, fmt, history, secrecy, users
from dashboard.tracker.db import resolve_path, utcnow
from dashboard.tracker.errors import TrackerError
from dashboard.ui import account_forms, data, session
from dashboard.ui.layout import page_header
from dashboard.ui.widgets import data_table, escape_markdown, show_error

actor = session.require("administrateur")
page_header(
    "Administration",
    "Comptes et rôles, sauvegarde et restauration, journal d'audit. Les actes, clauses et "
    "lignes budgétaires se saisissent sur la page « Saisie des actes ».",
)
if flash := st.session_state.pop("admin-flash", None):
    st.success(escape_markdown(flash))
db = data.database()
accounts, saving, publication, audit = st.tabs(
    ["Comptes", "Sauvegarde et restauration", "Publication", "Journal d'audit"], key="onglet",
    bind="query-params",
)  # fmt: skip

with publication:
    current = secrecy.threshold(db)
    st.markdown(
        "**Secret statistique.** Dans tout ce qui est destiné à la publication (rapport "
        "d'évaluation, dossier trimestriel et exports faits avec « --public »), un effectif "
        f"inférieur au seuil s'affiche « s » ; seuil actuel : **{current}**. Les vues internes "
        "gardent toutes les valeurs."
    )
    with st.form("secret-threshold"):
        wanted = st.number_input("Seuil du secret statistique", min_value=1, max_value=1000,
                                 value=current, step=1)  # fmt: skip
        if st.form_submit_button("Enregistrer le seuil", type="primary"):
            try:
                secrecy.set_secret_threshold(db, actor, value=wanted)
            except TrackerError as error:
                show_error(error)
            else:
                st.session_state["admin-flash"] = f"Seuil du secret statistique : {wanted}."
                st.rerun()

    st.markdown(
        "**Déclaration d'accessibilité.** Ses résultats viennent du dernier audit ; vous "
        "écrivez qui en répond, le contact et le schéma pluriannuel de mise en accessibilité."
    )
    said = accessibility.settings(db)
    with st.form("accessibility-statement"):
        entity = st.text_input("Entité responsable", value=said["accessibility_entity"] or "",
                               placeholder=accessibility.DEFAULT_ENTITY, max_chars=200)  # fmt: skip
        contact = st.text_input(
            "Contact (adresse électronique ou formulaire https://…)",
            value=said["accessibility_contact"] or "", max_chars=300,
        )  # fmt: skip
        plan = st.text_area("Schéma pluriannuel de mise en accessibilité",
                            value=said["accessibility_plan"] or "", height=160)  # fmt: skip
        if st.form_submit_button("Enregistrer la déclaration", type="primary"):
            try:
                accessibility.set_statement(db, actor, entity=entity, contact=contact, plan=plan)
            except TrackerError as error:
                show_error(error)
            else:
                st.session_state["admin-flash"] = "Déclaration d'accessibilité enregistrée."
                st.rerun()

with accounts:
    rows = users.list_users(db)
    data_table(
        pd.DataFrame(
            [
                {
                    "Identifiant": u["login"],
                    "Nom": u["display_name"],
                    "Rôle": fmt.ROLE_LABELS[u["role"]],
                    "Actif": "oui" if u["active"] else "non",
                    "Créé le": fmt.datetime_fr(u["created_at"]),
                }
                for u in rows
            ]
        ),
        hide_index=True,
        placeholder=fmt.UNKNOWN,
        width="stretch",
    )
    account_forms.new_account(db, actor)
    if rows:
        account_forms.change_account(db, actor, rows)

with saving:
    st.markdown(
        "**Sauvegarder** : un fichier .zip (Parquet) de toute la base, restaurable par cette page "
        "ou par `cdv restore`."
    )
    if st.button("Préparer la sauvegarde", icon=":material/backup:"):
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "sauvegarde.zip"
            counts = backup.backup(db, archive)
            st.session_state["admin-backup"] = archive.read_bytes()
            st.session_state["admin-backup-rows"] = sum(counts.values())
    if "admin-backup" in st.session_state:
        st.download_button(
            f"Télécharger la sauvegarde ({st.session_state['admin-backup-rows']} lignes)",
            data=st.session_state["admin-backup"],
            mime="application/zip",
            file_name=f"cdv-sauvegarde-{utcnow():%Y-%m-%d-%H%M}.zip",
        )
    st.markdown("**Restaurer** : remplace toute la base par le contenu d'une sauvegarde.")
    uploaded = st.file_uploader("Fichier de sauvegarde (.zip)", type=["zip"])
    if uploaded is not None:
        try:
            manifest = backup.read_manifest(uploaded)
        except TrackerError as error:
            show_error(error)
        else:
            for line in backup.preview(manifest, db):
                st.markdown(escape_markdown(line))
            st.warning(
                "La restauration remplace toute la base ; l'ancienne est gardée à côté "
                "(*.avant-restauration). Toutes les sessions ouvertes devront se reconnecter."
            )
            if st.button("Restaurer cette sauvegarde", type="primary"):
                path = resolve_path()

                def release() -> None:
                    db.checkpoint()
                    db.close()

                try:
                    counts = backup.restore(uploaded, path, release=release)
                except TrackerError as error:
                    show_error(error)
                else:
                    st.session_state["admin-flash"] = (
                        f"Base restaurée ({sum(counts.values())} lignes). Toutes les sessions, "
                        "la vôtre comprise, doivent se reconnecter."
                    )
                    st.cache_resource.clear()
                    st.cache_data.clear()
                    st.rerun()

with audit:
    kinds = {None: "toutes les fiches"} | {
        entity: fmt.capitalize_first(nouns[1]) for entity, nouns in fmt.ENTITY_NOUNS.items()
    }
    entity = st.selectbox("Fiches", list(kinds), format_func=kinds.get)
    entries = data.records("audit_trail", entity=entity, limit=200)
    if not entries:
        st.info("Aucune écriture enregistrée pour ces fiches.")
    else:
        data_table(
            pd.DataFrame(
                [
                    {
                        "Quand": fmt.datetime_fr(e["occurred_at"]),
                        "Qui": e["actor"],
                        "Opération": history.OPERATION_LABELS.get(e["operation"], e["operation"]),
                        "Fiche": history.describe_subject(e),
                        "Changement": history.describe_audit_entry(e),
                        "Motif": e["reason"] or "",
                    }
                    for e in entries
                ]
            ),
            hide_index=True,
            placeholder=fmt.UNKNOWN,
            width="stretch",
        )
