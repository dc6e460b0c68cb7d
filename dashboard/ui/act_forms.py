"""Forms over the legal record: record a convention, an avenant (with the new term it
gives the act it amends) or another act; correct an act (with a reason) or cancel one
recorded by mistake; record a registered letter or a résiliation; parties with their
representative and signatory; clauses (an avenant's may add to or replace the amended
act's)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.tracker import acts, fmt
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.naming import act_name
from dashboard.ui import attachments, data
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
from dashboard.ui.programme_forms import SHORT_NAME_HELP
from dashboard.ui.widgets import escape_markdown

PAGE = "records"


def _acts() -> dict[int, dict]:
    return {a["act_id"]: a for a in data.records("acts", as_of=fmt.EVERY_DATE, programme_code=None)}


def act_label(act: dict) -> str:
    name = act_name(act)
    return f"{act['programme_code']} · {short(name, 90)}"


YEARLY_LABEL = "Montant prévu par l'article pour un exercice (conditions financières)"
YEARLY_HELP = (
    "Le plafond annuel que l'article accorde (ex. 100 000) : une ligne budgétaire qui le "
    "dépasse demande le motif du dépassement. Vide : l'article ne fixe pas de montant."
)


def _programmes() -> dict[int, str]:
    return {
        p["programme_id"]: f"{p['code']} — {short(p['title'], 70)}"
        for p in data.records("programme_records")
        if p["archived_on"] is None
    }


def _dates(key: str, row: dict | None = None) -> dict:
    row = row or {}
    left, right = st.columns(2)
    with left:
        concluded = date_field("Date de conclusion", row.get("concluded_on"), key=f"{key}-conc")
        signed = date_field(
            "Date de signature", row.get("signed_on"), key=f"{key}-sig",
            help="Laissez vide si l'acte la laisse en blanc : elle restera « non renseignée ».",
        )  # fmt: skip
        ends = date_field("Terme (fin de l'acte)", row.get("ends_on"), key=f"{key}-end")
    with right:
        rule = choose(
            "Prise d'effet", fmt.EFFECTIVE_RULE_LABELS, key=f"{key}-rule",
            index=list(fmt.EFFECTIVE_RULE_LABELS).index(row.get("effective_rule", "unspecified")),
        )  # fmt: skip
        effective = date_field(
            "Date de prise d'effet, si l'acte la fixe", row.get("effective_on"), key=f"{key}-eff"
        )
    body = st.text_input(
        "Délibération : instance (Bureau, Conseil…)", value=row.get("deliberation_body") or "",
        key=f"{key}-delib-body",
    )  # fmt: skip
    left, right = st.columns(2)
    number = left.text_input(
        "Délibération : numéro", value=row.get("deliberation_number") or "",
        key=f"{key}-delib-number",
    )  # fmt: skip
    with right:
        delib_date = date_field(
            "Délibération : date", row.get("deliberation_date"), key=f"{key}-delib-date"
        )
    short_name = st.text_input(
        "Nom court (facultatif)", value=row.get("short_name") or "", key=f"{key}-short",
        help=SHORT_NAME_HELP,
    )  # fmt: skip
    framing = {i: act_label(a) for i, a in _acts().items() if i != row.get("act_id")}
    framework = choose(
        "Acte cadre (un contrat de ville qui encadre cette convention…)", framing,
        key=f"{key}-framework", none="aucun",
        index=([None, *framing].index(row.get("framework_act_id"))
               if row.get("framework_act_id") in framing else 0),
    )  # fmt: skip
    said = {None: "non renseigné", True: "oui", False: "non"}
    multi_year = choose(
        "Convention pluriannuelle d'objectifs (CPO)", {True: "oui", False: "non"},
        key=f"{key}-cpo", none=said[None], index=list(said).index(row.get("multi_year")),
    )  # fmt: skip
    return {
        "short_name": short_name or None,
        "framework_act_id": framework,
        "multi_year": multi_year,
        "concluded_on": concluded,
        "signed_on": signed,
        "ends_on": ends,
        "effective_rule": rule,
        "effective_on": effective,
        "deliberation_body": body or None,
        "deliberation_number": number or None,
        "deliberation_date": delib_date,
    }


def create_act(db: Database, actor: Actor) -> None:
    """A convention, another act, or an avenant to one of the acts recorded."""
    every = _acts()
    amendable = {i: act_label(a) for i, a in every.items() if a["kind"] in fmt.AMENDABLE_KINDS}
    kind = choose("Type d'acte", fmt.ACT_KIND_LABELS, key="new-act-kind")
    name = fresh(f"new-act-{kind}")
    with st.form(name):
        st.markdown(f"**Enregistrer {fmt.ACT_KIND_WITH_ARTICLE[kind]}**")
        amends = number = extends_to = None
        if kind == "amendment":
            amends = choose("Acte modifié", amendable, key=f"{name}-amends")
            left, right = st.columns(2)
            number = left.number_input("Numéro de l'avenant", min_value=1, max_value=999,
                                       value=None, step=1)  # fmt: skip
            with right:
                extends_to = date_field(
                    "Nouveau terme de l'acte modifié, si l'avenant le prolonge", None,
                    key=f"{name}-ext",
                )  # fmt: skip
            programme = every[amends]["programme_code"] if amends else None
            programme_id = _programme_id(programme)
        else:
            programme_id = choose("Programme", _programmes(), key=f"{name}-prog")
        title = st.text_input("Intitulé (tel qu'il figure sur l'acte)")
        reference = st.text_input("Référence (ex. DEVT 013-2609/17/BM)")
        dates = _dates(name)
        source = source_fields(name)
        if st.form_submit_button("Enregistrer l'acte", type="primary"):
            attempt(
                PAGE, f"new-act-{kind}", f"Acte « {short(title, 60)} » enregistré.",
                lambda: acts.create_act(
                    db, actor, programme_id=programme_id, kind=kind, title=title,
                    amends_act_id=amends, reference=reference or None,
                    number=None if number is None else int(number), extends_to=extends_to,
                    source=source, **dates,
                ),
            )  # fmt: skip


def _programme_id(code: str | None) -> int | None:
    return next(
        (p["programme_id"] for p in data.records("programme_records") if p["code"] == code), None
    )


def correct_act(db: Database, actor: Actor) -> None:
    every = _acts()
    if not every:
        st.info("Aucun acte enregistré.")
        return
    chosen = choose("Acte", {i: act_label(a) for i, a in every.items()}, key="correct-act-pick")
    act = every[chosen]
    key = f"act-{chosen}"
    version = seen_version(key, act["version"])
    name = fresh(key)
    st.caption(
        "Corriger, c'est rectifier ce qui a été mal saisi (l'acte l'a toujours dit) : le motif "
        "est gardé et affiché avec la valeur. Un acte qui change se modifie par un avenant."
    )
    with st.form(name):
        title = st.text_input("Intitulé", value=act["title"], key=f"{name}-title")
        reference = st.text_input("Référence", value=act["reference"] or "", key=f"{name}-ref")
        dates = _dates(name, act)
        reason = reason_field(f"{name}-reason", required=False)
        if st.form_submit_button("Enregistrer la correction"):
            attempt(
                PAGE, key, "Acte corrigé.",
                lambda: acts.update_act(
                    db, actor, chosen, expected_version=version, title=title,
                    reference=reference or None, reason=reason or None, **dates,
                ),
            )  # fmt: skip
    with st.form(fresh(f"cancel-{key}")):
        st.markdown("**Annuler cet acte (saisi par erreur)**")
        why = st.text_input("Motif de l'annulation", key=f"cancel-{key}-why")
        if st.form_submit_button("Annuler l'acte"):
            attempt(
                PAGE, f"cancel-{key}", "Acte annulé (il reste au journal d'audit).",
                lambda: acts.cancel_act(db, actor, chosen, expected_version=act["version"],
                                        reason=why),
            )  # fmt: skip
    st.markdown("**Exemplaire signé et pièces de l'acte**")
    attachments.downloads("legal_act", chosen, act_label(act))
    attachments.uploader("legal_act", chosen, actor, key=f"attach-act-{chosen}")


def lifecycle(db: Database, actor: Actor) -> None:
    """Registered letters (dispute, termination) and the résiliation of an act."""
    every = _acts()
    if not every:
        return
    chosen = choose("Acte", {i: act_label(a) for i, a in every.items()}, key="letter-act-pick")
    act = every[chosen]
    name = fresh(f"letter-{chosen}")
    with st.form(name):
        st.markdown("**Lettre recommandée**")
        kind = choose("Objet de la lettre", fmt.LETTER_KIND_LABELS, key=f"{name}-kind")
        left, right = st.columns(2)
        with left:
            sent = date_field("Date d'envoi", dt.date.today(), key=f"{name}-sent")
        with right:
            received = date_field("Date de réception de l'avis", None, key=f"{name}-received")
        subject = st.text_area("Objet, en quelques mots", max_chars=2000)
        source = source_fields(name)
        if st.form_submit_button("Enregistrer la lettre"):
            attempt(
                PAGE, f"letter-{chosen}", "Lettre enregistrée : les délais qu'elle ouvre sont datés.",
                lambda: acts.record_letter(
                    db, actor, act_id=chosen, kind=kind, sent_on=sent, received_on=received,
                    subject=subject, source=source,
                ),
            )  # fmt: skip
    name = fresh(f"terminate-{chosen}")
    with st.form(name):
        st.markdown("**Résiliation**")
        if act["terminated_on"]:
            st.caption(f"Résilié à effet du {fmt.date_fr(act['terminated_on'])}.")
        on = date_field("Date d'effet de la résiliation", None, key=f"{name}-on")
        why = st.text_input("Motif", key=f"{name}-why")
        if st.form_submit_button("Enregistrer la résiliation"):
            attempt(
                PAGE, f"terminate-{chosen}", "Résiliation enregistrée.",
                lambda: acts.terminate_act(db, actor, chosen, expected_version=act["version"],
                                           terminated_on=on, reason=why),
            )  # fmt: skip


def _organisations() -> dict[int, dict]:
    return {o["organisation_id"]: o for o in data.records("organisation_records")}


def parties(db: Database, actor: Actor) -> None:
    every = _acts()
    if not every:
        return
    chosen = choose("Acte", {i: act_label(a) for i, a in every.items()}, key="party-act-pick")
    st.caption(f"Parties et représentants : {every[chosen]['representatives'] or fmt.UNKNOWN}")
    orgs = _organisations()
    org_id = choose("Organisation", {i: o["name"] for i, o in orgs.items()}, key="party-org")
    people = {p["person_id"]: f"{p['full_name']} ({p['role_title']})"
              for p in orgs[org_id]["persons"]} if org_id else {}  # fmt: skip
    current = {p["organisation_id"]: p for p in data.records("act_parties", act_id=chosen)}
    if org_id in current:
        _correct_party(db, actor, chosen, current[org_id], people)
        return
    name = fresh(f"party-{chosen}-{org_id}")
    with st.form(name):
        represented = choose("Représentée par", people, key=f"{name}-rep", none="non renseigné")
        signatory = choose("Signataire", people, key=f"{name}-sig", none="non renseigné")
        source = source_fields(name)
        if st.form_submit_button("Ajouter cette partie à l'acte"):
            attempt(
                PAGE, f"party-{chosen}-{org_id}", "Partie enregistrée.",
                lambda: acts.add_act_party(
                    db, actor, act_id=chosen, organisation_id=org_id,
                    represented_by=represented, signatory_id=signatory, source=source,
                ),
            )  # fmt: skip


def _correct_party(db: Database, actor: Actor, act_id: int, party: dict, people: dict) -> None:
    """Who represents a party already recorded, and who signed for it: corrected with a
    reason (a load that gives them writes them the same way)."""
    key = f"party-fix-{act_id}-{party['organisation_id']}"
    seen = st.session_state.setdefault(
        f"seen-{key}", {k: party[k] for k in ("represented_by", "signatory_id")}
    )
    options = [None, *people]
    name = fresh(key)
    with st.form(name):
        st.markdown(f"**Corriger la partie « {escape_markdown(party['organisation_name'])} »**")
        represented = choose("Représentée par", people, key=f"{name}-rep", none="non renseigné",
                             index=options.index(party["represented_by"])
                             if party["represented_by"] in options else 0)  # fmt: skip
        signatory = choose("Signataire", people, key=f"{name}-sig", none="non renseigné",
                           index=options.index(party["signatory_id"])
                           if party["signatory_id"] in options else 0)  # fmt: skip
        reason = reason_field(f"{name}-reason", required=False)
        if st.form_submit_button("Corriger cette partie"):
            attempt(
                PAGE, key, "Partie corrigée.",
                lambda: acts.update_act_party(
                    db, actor, act_id=act_id, organisation_id=party["organisation_id"],
                    seen=seen, represented_by=represented, signatory_id=signatory,
                    reason=reason or None,
                ),
            )  # fmt: skip


def clauses(db: Database, actor: Actor) -> None:
    every = _acts()
    if not every:
        return
    chosen = choose("Acte", {i: act_label(a) for i, a in every.items()}, key="clause-act-pick")
    act = every[chosen]
    existing = data.records("clauses", as_of=fmt.EVERY_DATE, programme_code=act["programme_code"])
    name = fresh(f"clause-{chosen}")
    with st.form(name):
        st.markdown("**Nouvelle clause**")
        kind = choose("Type de clause", fmt.CLAUSE_KIND_LABELS, key=f"{name}-kind")
        article = st.text_input("Article (ex. Article 7)")
        summary = st.text_area("Ce que dit la clause", max_chars=5000)
        left, right = st.columns(2)
        days = left.number_input("Délai (jours)", min_value=0, value=None, step=1)
        months = right.number_input("Délai (mois)", min_value=0, value=None, step=1)
        yearly = st.text_input(YEARLY_LABEL, help=YEARLY_HELP)
        target = replaces = None
        if act["kind"] == "amendment":
            applies = st.checkbox(
                "Elle modifie l'acte amendé (sinon : elle concerne l'avenant lui-même)"
            )
            target = act["amends_act_id"] if applies else None
            replaced = {c["clause_id"]: f"{c['article']} — {short(c['summary'], 60)}"
                        for c in existing if c["act_id"] == act["amends_act_id"]}  # fmt: skip
            replaces = choose(
                "Elle remplace la clause", replaced, key=f"{name}-repl", none="aucune"
            )
        source = source_fields(name)
        if st.form_submit_button("Ajouter la clause"):
            attempt(
                PAGE, f"clause-{chosen}", f"Clause « {article} » enregistrée.",
                lambda: acts.add_clause(
                    db, actor, act_id=chosen, kind=kind, article=article, summary=summary,
                    days=None if days is None else int(days),
                    months=None if months is None else int(months), target_act_id=target,
                    replaces_clause_id=replaces, source=source, yearly_amount=yearly or None,
                ),
            )  # fmt: skip
    own = {c["clause_id"]: c for c in existing if c["act_id"] == chosen}
    if own:
        _correct_clause(db, actor, own)


def _correct_clause(db: Database, actor: Actor, own: dict[int, dict]) -> None:
    labels = {i: f"{c['article']} ({fmt.CLAUSE_KIND_LABELS[c['kind']]})" for i, c in own.items()}
    chosen = choose("Clause à corriger ou annuler", labels, key="clause-pick")
    clause = own[chosen]
    key = f"clause-edit-{chosen}"
    version = seen_version(key, clause["version"])
    name = fresh(key)
    with st.form(name):
        article = st.text_input("Article", value=clause["article"])
        summary = st.text_area("Résumé", value=clause["summary"], max_chars=5000)
        left, right = st.columns(2)
        days = left.number_input("Délai (jours)", min_value=0, value=clause["days"], step=1)
        months = right.number_input("Délai (mois)", min_value=0, value=clause["months"], step=1)
        yearly = st.text_input(
            YEARLY_LABEL, help=YEARLY_HELP,
            value="" if clause["yearly_amount"] is None else fmt.number(clause["yearly_amount"], 2),
        )  # fmt: skip
        reason = reason_field(f"{name}-reason", required=False)
        left, right = st.columns(2)
        if left.form_submit_button("Enregistrer la clause"):
            attempt(
                PAGE, key, f"Clause « {article} » enregistrée.",
                lambda: acts.update_clause(
                    db, actor, chosen, expected_version=version, article=article,
                    summary=summary, days=None if days is None else int(days),
                    months=None if months is None else int(months), reason=reason or None,
                    yearly_amount=yearly or None,
                ),
            )  # fmt: skip
        if right.form_submit_button("Annuler la clause (saisie par erreur)"):
            attempt(
                PAGE, key, "Clause annulée.",
                lambda: acts.cancel_clause(db, actor, chosen, expected_version=version,
                                           reason=reason),
            )  # fmt: skip
