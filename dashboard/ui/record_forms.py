"""Administration forms over the legal record: correct an act, a clause, a budget
line, or add a budget line. Each form shows the current values, saves through the
domain services (which check the role again) and reports a conflict with both values."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import acts, budget, fmt
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ConflictError, TrackerError
from dashboard.ui import data
from dashboard.ui.widgets import escape_markdown, show_error

FLASH = "admin-flash"


def _seen(key: str, current: object) -> object:
    """What this session read when it opened the form: kept across reruns, so that a
    save made meanwhile by someone else is detected rather than silently absorbed."""
    return st.session_state.setdefault(f"seen-{key}", current)


def _saved(key: str, message: str) -> None:
    st.session_state.pop(f"seen-{key}", None)
    st.session_state[FLASH] = message
    st.rerun()


def _conflict(key: str, error: ConflictError, fields: dict[str, str]) -> None:
    show_error(error)
    current = error.current or {}
    st.markdown(
        escape_markdown(
            "Valeurs actuelles : "
            + " ; ".join(
                f"{label} : {current.get(k) or fmt.UNKNOWN}" for k, label in fields.items()
            )
        )
    )
    st.session_state[f"conflict-{key}"] = True


def _reload_button(key: str) -> None:
    if st.session_state.get(f"conflict-{key}") and st.button(
        "Recharger la valeur actuelle", key=f"reload-{key}"
    ):
        st.session_state.pop(f"seen-{key}", None)
        st.session_state.pop(f"conflict-{key}", None)
        st.rerun()


def _act_label(act: dict) -> str:
    kind = fmt.ACT_KIND_LABELS[act["kind"]]
    number = f" n° {act['number']}" if act["number"] else ""
    return f"{act['programme_code']} · {kind}{number} — {act['title'][:80]}"


def act_form(db: Database, actor: Actor) -> None:
    all_acts = data.records("acts", programme_code=None)
    if not all_acts:
        st.info("Aucun acte enregistré.")
        return
    act = st.selectbox("Acte", all_acts, format_func=_act_label, key="admin-act")
    st.caption(
        escape_markdown(
            f"Version {act['version']} · source : {act['source_document'] or fmt.UNKNOWN}"
            f"{', ' + act['source_article'] if act['source_article'] else ''}"
        )
    )
    key = f"act-{act['act_id']}"
    seen_version = _seen(key, act["version"])
    with st.form(key):
        title = st.text_input("Intitulé", value=act["title"], max_chars=500)
        reference = st.text_input("Référence", value=act["reference"] or "", max_chars=100)
        left, right = st.columns(2)
        signed_on = left.date_input(
            "Date de signature", value=act["signed_on"], format="DD/MM/YYYY"
        )
        effective_on = right.date_input(
            "Date de prise d'effet", value=act["effective_on"], format="DD/MM/YYYY"
        )
        ends_on = left.date_input("Date de fin", value=act["ends_on"], format="DD/MM/YYYY")
        deliberation_date = right.date_input(
            "Date de délibération", value=act["deliberation_date"], format="DD/MM/YYYY"
        )
        deliberation_number = st.text_input(
            "Numéro de délibération", value=act["deliberation_number"] or "", max_chars=100
        )
        if st.form_submit_button("Enregistrer l'acte"):
            try:
                acts.update_act(
                    db,
                    actor,
                    act["act_id"],
                    expected_version=seen_version,
                    title=title,
                    reference=reference or None,
                    signed_on=signed_on,
                    effective_on=effective_on,
                    ends_on=ends_on,
                    deliberation_date=deliberation_date,
                    deliberation_number=deliberation_number or None,
                )
            except ConflictError as error:
                _conflict(key, error, {"title": "intitulé", "signed_on": "signature"})
            except TrackerError as error:
                show_error(error)
            else:
                _saved(key, f"Acte « {title} » enregistré.")
    _reload_button(key)


def clause_form(db: Database, actor: Actor) -> None:
    clauses = data.records("clauses", programme_code=None)
    if not clauses:
        st.info("Aucune clause enregistrée.")
        return
    clause = st.selectbox(
        "Clause",
        clauses,
        format_func=lambda c: (
            f"{c['programme_code']} · {c['article']} ({fmt.CLAUSE_KIND_LABELS[c['kind']]})"
        ),
        key="admin-clause",
    )
    key = f"clause-{clause['clause_id']}"
    seen = _seen(key, {k: clause[k] for k in ("article", "summary", "days", "months")})
    with st.form(key):
        article = st.text_input("Article", value=clause["article"], max_chars=200)
        summary = st.text_area("Résumé", value=clause["summary"])
        left, right = st.columns(2)
        days = left.number_input("Délai (jours)", min_value=0, step=1, value=clause["days"])
        months = right.number_input("Délai (mois)", min_value=0, step=1, value=clause["months"])
        if st.form_submit_button("Enregistrer la clause"):
            try:
                acts.update_clause(
                    db,
                    actor,
                    clause["clause_id"],
                    seen=seen,
                    article=article,
                    summary=summary,
                    days=days,
                    months=months,
                )
            except ConflictError as error:
                _conflict(key, error, {"article": "article", "summary": "résumé"})
            except TrackerError as error:
                show_error(error)
            else:
                _saved(key, f"Clause « {article} » enregistrée.")
    _reload_button(key)


def _line_label(line: dict) -> str:
    return (
        f"{line['programme_code']} · {line['fiscal_year']} · {fmt.money(line['amount'])} "
        f"{fmt.TAX_BASIS_LABELS[line['tax_basis']]}"
        + (f" — {line['label']}" if line["label"] else "")
    )


def budget_line_forms(db: Database, actor: Actor) -> None:
    lines = data.records("budget_lines", programme_code=None)
    if lines:
        line = st.selectbox("Ligne budgétaire", lines, format_func=_line_label, key="admin-line")
        key = f"line-{line['budget_line_id']}"
        seen_version = _seen(key, line["version"])
        with st.form(key):
            amount = st.text_input(
                "Montant (ex. 1 000,50)", value=fmt.money(line["amount"]).removesuffix("\u00a0€")
            )
            basis = st.selectbox(
                "Base",
                list(fmt.TAX_BASIS_LABELS),
                index=list(fmt.TAX_BASIS_LABELS).index(line["tax_basis"]),
                format_func=fmt.TAX_BASIS_LABELS.get,
            )
            label = st.text_input("Libellé", value=line["label"] or "")
            if st.form_submit_button("Enregistrer la ligne"):
                try:
                    budget.update_budget_line(
                        db,
                        actor,
                        line["budget_line_id"],
                        expected_version=seen_version,
                        amount=amount,
                        tax_basis=basis,
                        label=label,
                    )
                except ConflictError as error:
                    _conflict(key, error, {"amount": "montant", "tax_basis": "base"})
                except TrackerError as error:
                    show_error(error)
                else:
                    _saved(key, "Ligne budgétaire enregistrée.")
        _reload_button(key)
    programmes = data.programmes()
    with st.form("new-line", clear_on_submit=True):
        st.markdown("**Nouvelle ligne budgétaire**")
        programme = st.selectbox(
            "Programme", programmes, format_func=lambda p: f"{p['code']} — {p['title'][:70]}"
        )
        year = st.number_input("Exercice", min_value=2000, max_value=2100, value=None, step=1)
        amount = st.text_input("Montant de la nouvelle ligne (ex. 1 000,50)")
        basis = st.selectbox(
            "Base de la nouvelle ligne",
            list(fmt.TAX_BASIS_LABELS),
            format_func=fmt.TAX_BASIS_LABELS.get,
        )
        label = st.text_input("Libellé de la nouvelle ligne")
        if st.form_submit_button("Créer la ligne"):
            try:
                budget.create_budget_line(
                    db,
                    actor,
                    programme_id=programme["programme_id"] if programme else None,
                    fiscal_year=year,
                    amount=amount,
                    tax_basis=basis,
                    label=label or None,
                )
            except TrackerError as error:
                show_error(error)
            else:
                st.session_state[FLASH] = f"Ligne budgétaire {int(year)} créée."
                st.rerun()
