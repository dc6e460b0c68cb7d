"""Forms over programmes, organisations and persons, and committees: create, correct,
archive (and bring back). Each saves through the tracker's write services, which check
the role again."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.tracker import committees, fmt, programmes
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.ui import data
from dashboard.ui.forms import (
    attempt,
    choose,
    date_field,
    fresh,
    reason_field,
    seen_version,
    short,
    source_fields,
)
from dashboard.ui.widgets import data_table

PAGE = "records"


def _programme_labels() -> dict[int, str]:
    return {
        p["programme_id"]: f"{p['code']} — {short(p['title'], 70)}"
        + (" (archivé)" if p["archived_on"] else "")
        for p in data.records("programme_records")
    }


#: what a short name is, said beside the field
SHORT_NAME_HELP = "Un nom que l'acte ne donne pas, pour le désigner partout ; il est signalé comme saisi. Vide : le nom vient de l'acte (type, numéro, référence, sinon son intitulé)."


def create_programme(db: Database, actor: Actor) -> None:
    name = fresh("new-programme")
    with st.form(name):
        st.markdown("**Nouveau programme**")
        code = st.text_input("Code (majuscules, chiffres, tirets)")
        title = st.text_input("Intitulé")
        short_name = st.text_input("Nom court (facultatif)", help=SHORT_NAME_HELP)
        kind = choose("Type", fmt.PROGRAMME_KIND_LABELS, key=f"{name}-kind")
        description = st.text_area("Description", max_chars=5000)
        predecessor = choose(
            "Succède au programme", _programme_labels(), key=f"{name}-pred", none="aucun"
        )
        source = source_fields(name)
        if st.form_submit_button("Créer le programme", type="primary"):
            attempt(
                PAGE,
                "new-programme",
                f"Programme « {code} » créé.",
                lambda: programmes.create_programme(
                    db, actor, code=code, title=title, kind=kind, description=description or None,
                    predecessor_id=predecessor, source=source, short_name=short_name or None,
                ),
            )  # fmt: skip


def edit_programme(db: Database, actor: Actor) -> None:
    rows = {p["programme_id"]: p for p in data.records("programme_records")}
    if not rows:
        return
    chosen = choose("Programme à modifier", _programme_labels(), key="edit-programme-pick")
    row = rows[chosen]
    key = f"programme-{chosen}"
    version = seen_version(key, row["version"])
    name = fresh(key)
    with st.form(name):
        title = st.text_input("Intitulé", value=row["title"])
        short_name = st.text_input("Nom court (facultatif)", value=row.get("short_name") or "",
                                   help=SHORT_NAME_HELP)  # fmt: skip
        kind = choose(
            "Type", fmt.PROGRAMME_KIND_LABELS, key=f"{name}-kind",
            index=list(fmt.PROGRAMME_KIND_LABELS).index(row["kind"]),
        )  # fmt: skip
        description = st.text_area("Description", value=row["description"] or "", max_chars=5000)
        reason = reason_field(f"{name}-reason", required=False)
        if st.form_submit_button("Enregistrer le programme"):
            attempt(
                PAGE, key, f"Programme « {row['code']} » enregistré.",
                lambda: programmes.update_programme(
                    db, actor, chosen, expected_version=version, title=title, kind=kind,
                    description=description or None, reason=reason or None,
                    short_name=short_name or None,
                ),
            )  # fmt: skip
    _archive_form(
        key,
        row,
        "ce programme",
        lambda on, why, v: programmes.archive_programme(
            db, actor, chosen, expected_version=v, archived_on=on, reason=why
        ),
    )


def _archive_form(key: str, row: dict, what: str, action) -> None:
    """Archive from a date (or bring back an archived record), with a reason."""
    archived = row["archived_on"] is not None
    with st.form(fresh(f"archive-{key}")):
        if archived:
            st.caption(f"Archivé depuis le {fmt.date_fr(row['archived_on'])}.")
            on = None
        else:
            on = date_field(
                f"Archiver {what} à partir du", dt.date.today(), key=f"archive-{key}-on",
                help="Il quitte les vues actuelles ; il reste dans l'historique et dans les "
                "vues « état au » d'avant cette date. Rien n'est supprimé.",
            )  # fmt: skip
        why = st.text_input("Motif", key=f"archive-{key}-why")
        label = "Sortir des archives" if archived else "Archiver"
        if st.form_submit_button(label):
            attempt(PAGE, f"archive-{key}", "Archivage enregistré." if not archived else
                    "Retiré des archives.", lambda: action(on, why, row["version"]))  # fmt: skip


def organisations(db: Database, actor: Actor) -> None:
    name = fresh("new-org")
    with st.form(name):
        st.markdown("**Nouvelle organisation**")
        code = st.text_input("Code (majuscules, chiffres, tirets)")
        org_name = st.text_input("Nom")
        kind = choose("Type", fmt.ORGANISATION_KIND_LABELS, key=f"{name}-kind")
        category = choose("Catégorie de financeur", fmt.FUNDER_CATEGORY_LABELS,
                          key=f"{name}-category", none="non renseigné")  # fmt: skip
        siret = st.text_input("SIRET (14 chiffres, pour une association)")
        rna = st.text_input("Numéro RNA (association : W suivi de 9 chiffres)")
        source = source_fields(name)
        if st.form_submit_button("Créer l'organisation", type="primary"):
            attempt(
                PAGE, "new-org", f"Organisation « {org_name} » créée.",
                lambda: programmes.create_organisation(
                    db, actor, code=code, name=org_name, kind=kind, siret=siret or None,
                    rna=rna or None, source=source, funder_category=category,
                ),
            )  # fmt: skip
    rows = {o["organisation_id"]: o for o in data.records("organisation_records")}
    if not rows:
        return
    labels = {
        i: f"{o['name']} ({fmt.ORGANISATION_KIND_LABELS[o['kind']]})"
        + (" — archivée" if o["archived_on"] else "")
        for i, o in rows.items()
    }
    chosen = choose("Organisation", labels, key="org-pick")
    row = rows[chosen]
    key = f"org-{chosen}"
    version = seen_version(key, row["version"])
    name = fresh(key)
    with st.form(name):
        st.markdown("**Modifier l'organisation**")
        org_name = st.text_input("Nom", value=row["name"])
        kind = choose(
            "Type", fmt.ORGANISATION_KIND_LABELS, key=f"{name}-kind",
            index=list(fmt.ORGANISATION_KIND_LABELS).index(row["kind"]),
        )  # fmt: skip
        category = choose(
            "Catégorie de financeur", fmt.FUNDER_CATEGORY_LABELS, key=f"{name}-category",
            none="non renseigné",
            index=[None, *fmt.FUNDER_CATEGORY_LABELS].index(row["funder_category"]),
        )  # fmt: skip
        siret = st.text_input("SIRET", value=row["siret"] or "")
        rna = st.text_input("Numéro RNA", value=row.get("rna") or "")
        reason = reason_field(f"{name}-reason", required=False)
        if st.form_submit_button("Enregistrer l'organisation"):
            attempt(
                PAGE, key, f"Organisation « {org_name} » enregistrée.",
                lambda: programmes.update_organisation(
                    db, actor, chosen, expected_version=version, name=org_name, kind=kind,
                    siret=siret or None, rna=rna or None, reason=reason or None,
                    funder_category=category,
                ),
            )  # fmt: skip
    _archive_form(
        key,
        row,
        "cette organisation",
        lambda on, why, v: programmes.archive_organisation(
            db, actor, chosen, expected_version=v, archived_on=on, reason=why
        ),
    )
    _persons(db, actor, row)


def _persons(db: Database, actor: Actor, org: dict) -> None:
    st.markdown(f"**Personnes de {org['name']}**")
    if org["persons"]:
        data_table(
            [{"Nom": p["full_name"], "Fonction": p["role_title"]} for p in org["persons"]],
            hide_index=True,
            placeholder=fmt.UNKNOWN,
            width="stretch",
        )
    name = fresh(f"new-person-{org['organisation_id']}")
    with st.form(name):
        full_name = st.text_input("Nom de la personne")
        role_title = st.text_input("Fonction (présidente, directeur-ordonnateur…)")
        source = source_fields(name)
        if st.form_submit_button("Ajouter la personne"):
            attempt(
                PAGE, f"new-person-{org['organisation_id']}", f"{full_name} ajouté(e).",
                lambda: programmes.create_person(
                    db, actor, full_name=full_name, organisation_id=org["organisation_id"],
                    role_title=role_title, source=source,
                ),
            )  # fmt: skip


def create_committee(db: Database, actor: Actor) -> None:
    name = fresh("new-committee")
    with st.form(name):
        st.markdown("**Nouveau comité ou instance**")
        programme = choose("Programme", _programme_labels(), key=f"{name}-prog")
        kind = choose("Type", fmt.COMMITTEE_KIND_LABELS, key=f"{name}-kind")
        committee_name = st.text_input("Nom")
        mandate = st.text_area("Mandat", max_chars=5000)
        source = source_fields(name)
        if st.form_submit_button("Créer le comité", type="primary"):
            attempt(
                PAGE, "new-committee", f"Comité « {committee_name} » créé.",
                lambda: committees.create_committee(
                    db, actor, programme_id=programme, kind=kind, name=committee_name,
                    mandate=mandate or None, source=source,
                ),
            )  # fmt: skip


def edit_committee(db: Database, actor: Actor) -> None:
    rows = {c["committee_id"]: c for c in data.records("committee_records")}
    if not rows:
        return
    labels = {
        i: f"{c['programme_code']} · {short(c['name'], 70)}"
        + (" — archivé" if c["archived_on"] else "")
        for i, c in rows.items()
    }
    chosen = choose("Comité à modifier", labels, key="committee-pick")
    row = rows[chosen]
    key = f"committee-{chosen}"
    version = seen_version(key, row["version"])
    name = fresh(key)
    with st.form(name):
        kind = choose(
            "Type", fmt.COMMITTEE_KIND_LABELS, key=f"{name}-kind",
            index=list(fmt.COMMITTEE_KIND_LABELS).index(row["kind"]),
        )  # fmt: skip
        committee_name = st.text_input("Nom", value=row["name"])
        mandate = st.text_area("Mandat", value=row["mandate"] or "", max_chars=5000)
        reason = reason_field(f"{name}-reason", required=False)
        if st.form_submit_button("Enregistrer le comité"):
            attempt(
                PAGE, key, "Comité enregistré.",
                lambda: committees.update_committee(
                    db, actor, chosen, expected_version=version, kind=kind, name=committee_name,
                    mandate=mandate or None, reason=reason or None,
                ),
            )  # fmt: skip
    _archive_form(
        key,
        row,
        "ce comité",
        lambda on, why, v: committees.archive_committee(
            db, actor, chosen, expected_version=v, archived_on=on, reason=why
        ),
    )
