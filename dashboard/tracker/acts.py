"""Legal acts (conventions and avenants), their parties and their clauses."""

from __future__ import annotations

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ConflictError, ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.records import (
    Source,
    add_source,
    audit,
    create,
    fetch,
    require_row,
    update_versioned,
)

ACT_FIELDS: Spec = {
    "reference": lambda v: validate.text(v, "Référence", required=False, max_len=100),
    "number": lambda v: validate.integer(v, "Numéro", low=1, high=999, required=False),
    "title": lambda v: validate.text(v, "Intitulé"),
    "concluded_on": lambda v: validate.date(v, "Date de conclusion", required=False),
    "signed_on": lambda v: validate.date(v, "Date de signature", required=False),
    "effective_rule": lambda v: validate.choice(v, fmt.EFFECTIVE_RULE_LABELS, "Prise d'effet"),
    "effective_on": lambda v: validate.date(v, "Date de prise d'effet", required=False),
    "ends_on": lambda v: validate.date(v, "Date de fin", required=False),
    "deliberation_body": lambda v: validate.text(
        v, "Instance de délibération", required=False, max_len=200
    ),
    "deliberation_number": lambda v: validate.text(
        v, "Numéro de délibération", required=False, max_len=100
    ),
    "deliberation_date": lambda v: validate.date(v, "Date de délibération", required=False),
}


def _check_act(values: dict) -> None:
    if values.get("effective_rule") == "at_signature" and values.get("signed_on"):
        if values.get("effective_on") is None:
            values["effective_on"] = values["signed_on"]
    for start_field, label in (
        ("signed_on", "Date de signature"),
        ("effective_on", "Date de prise d'effet"),
        ("concluded_on", "Date de conclusion"),
    ):
        validate.date_order(values.get(start_field), values.get("ends_on"), label, "Date de fin")


@write_service("administrateur", "enregistrer un acte")
def create_act(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    kind: str,
    title: str,
    amends_act_id: int | None = None,
    source: Source | None = None,
    **fields,
) -> int:
    values = clean({"title": title, **fields}, ACT_FIELDS)
    values["kind"] = validate.choice(kind, fmt.ACT_KIND_LABELS, "Type d'acte")
    values.setdefault("effective_rule", "unspecified")
    _check_act(values)
    with db.transaction() as cur:
        values["programme_id"] = require_row(cur, "programme", programme_id, "Programme")["id"]
        if values["kind"] == "amendment":
            if amends_act_id is None:
                raise ValidationError("Un avenant doit indiquer la convention qu'il modifie.")
            amended = require_row(cur, "legal_act", amends_act_id, "Convention modifiée")
            if amended["kind"] != "agreement":
                raise ValidationError("Un avenant modifie une convention, pas un autre avenant.")
            values["amends_act_id"] = amended["id"]
            if (
                values.get("number") is not None
                and cur.execute(
                    "select 1 from legal_act where amends_act_id = $a and number = $n",
                    {"a": amended["id"], "n": values["number"]},
                ).fetchone()
            ):
                raise ValidationError(
                    f"L'avenant n° {values['number']} de cette convention existe déjà."
                )
        elif amends_act_id is not None:
            raise ValidationError("Seul un avenant modifie une autre convention.")
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "legal_act", values)


@write_service("administrateur", "modifier un acte")
def update_act(
    db: Database, actor: Actor, act_id: int, *, expected_version: int, **changes
) -> dict:
    cleaned = clean(changes, ACT_FIELDS)
    with db.transaction() as cur:
        current = require_row(cur, "legal_act", act_id, "Acte")
        merged = {**current, **cleaned}
        _check_act(merged)
        if "effective_on" not in cleaned and merged["effective_on"] != current["effective_on"]:
            cleaned["effective_on"] = merged["effective_on"]
        return update_versioned(
            cur, actor, "legal_act", act_id, expected_version, cleaned, field="Acte"
        )[1]


@write_service("administrateur", "enregistrer une partie à un acte")
def add_act_party(
    db: Database,
    actor: Actor,
    *,
    act_id: int,
    organisation_id: int,
    represented_by: int | None = None,
    signatory_id: int | None = None,
    source: Source | None = None,
) -> None:
    with db.transaction() as cur:
        act = require_row(cur, "legal_act", act_id, "Acte")
        org = require_row(cur, "organisation", organisation_id, "Organisation")
        people = {}
        for key, value, label in (
            ("represented_by", represented_by, "Représentant"),
            ("signatory_id", signatory_id, "Signataire"),
        ):
            if value is not None:
                person = require_row(cur, "person", value, label)
                if person["organisation_id"] != org["id"]:
                    raise ValidationError(
                        f"{label} : {person['full_name']} n'appartient pas à {org['name']}."
                    )
                people[key] = person["id"]
        if cur.execute(
            "select 1 from act_party where act_id = $a and organisation_id = $o",
            {"a": act["id"], "o": org["id"]},
        ).fetchone():
            raise ValidationError(f"{org['name']} est déjà partie à cet acte.")
        create(
            cur,
            actor,
            "act_party",
            {
                "act_id": act["id"],
                "organisation_id": org["id"],
                **people,
                "source_id": add_source(cur, source),
            },
        )


@write_service("administrateur", "enregistrer une clause")
def add_clause(
    db: Database,
    actor: Actor,
    *,
    act_id: int,
    kind: str,
    article: str,
    summary: str,
    days: int | None = None,
    months: int | None = None,
    source: Source | None = None,
) -> int:
    values = {
        "kind": validate.choice(kind, fmt.CLAUSE_KIND_LABELS, "Type de clause"),
        "article": validate.text(article, "Article", max_len=200),
        "summary": validate.text(summary, "Résumé", max_len=validate.MAX_TEXT),
        "days": validate.integer(days, "Délai (jours)", low=0, high=3650, required=False),
        "months": validate.integer(months, "Délai (mois)", low=0, high=120, required=False),
    }
    if values["kind"] == "amicable_settlement" and values["days"] is None:
        raise ValidationError("Une clause de règlement amiable indique son délai en jours.")
    if (
        values["kind"] == "termination_notice"
        and values["days"] is None
        and values["months"] is None
    ):
        raise ValidationError("Une clause de résiliation indique son préavis (jours ou mois).")
    with db.transaction() as cur:
        values["act_id"] = require_row(cur, "legal_act", act_id, "Acte")["id"]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "clause", values)


#: The fields of a clause an administrator can correct.
CLAUSE_FIELDS: Spec = {
    "article": lambda v: validate.text(v, "Article", max_len=200),
    "summary": lambda v: validate.text(v, "Résumé", max_len=validate.MAX_TEXT),
    "days": lambda v: validate.integer(v, "Délai (jours)", low=0, high=3650, required=False),
    "months": lambda v: validate.integer(v, "Délai (mois)", low=0, high=120, required=False),
}


@write_service("administrateur", "modifier une clause")
def update_clause(db: Database, actor: Actor, clause_id: int, *, seen: dict, **changes) -> dict:
    """Correct a clause. Clauses carry no version column, so the values read (``seen``)
    play its part: if the clause no longer has them, someone saved first."""
    cleaned = clean(changes, CLAUSE_FIELDS)
    if not isinstance(seen, dict):
        raise ValidationError("Valeurs lues de la clause manquantes.")
    with db.transaction() as cur:
        before = require_row(cur, "clause", clause_id, "Clause")
        if any(before.get(k) != v for k, v in seen.items() if k in CLAUSE_FIELDS):
            last = cur.execute(
                "select actor, occurred_at from audit_log where entity = 'clause' "
                "and entity_id = $id order by id desc limit 1",
                {"id": str(before["id"])},
            ).fetchone()
            who = f"par {last[0]} le {fmt.datetime_fr(last[1])}" if last else ""
            raise ConflictError(
                f"La clause « {before['article']} » a été modifiée {who} après votre lecture : "
                "rien n'a été enregistré. Rechargez pour voir la valeur actuelle, puis "
                "réappliquez votre modification.",
                before,
            )
        merged = {**before, **cleaned}
        if merged["kind"] == "amicable_settlement" and merged["days"] is None:
            raise ValidationError("Une clause de règlement amiable indique son délai en jours.")
        if (
            merged["kind"] == "termination_notice"
            and merged["days"] is None
            and merged["months"] is None
        ):
            raise ValidationError("Une clause de résiliation indique son préavis (jours ou mois).")
        changed = {k: v for k, v in cleaned.items() if before.get(k) != v}
        if changed:
            assignments = ", ".join(f"{c} = ${c}" for c in changed)
            # column names come from CLAUSE_FIELDS (fixed above); values are bound
            cur.execute(
                f"update clause set {assignments} where id = $id", {**changed, "id": before["id"]}
            )
        after = fetch(cur, "clause", before["id"])
        audit(cur, actor, "update", "clause", before["id"], before=before, after=after)
        return after
