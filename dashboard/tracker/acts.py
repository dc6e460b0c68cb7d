"""Legal acts (conventions, avenants and other acts), their parties, their clauses,
registered letters and résiliation.

An avenant does not overwrite the act it amends: it carries its effects. Its
``extends_to`` is the amended act's new term; clauses it adds or replaces belong to
it with ``target_act_id`` (and ``replaces_clause_id``); the amounts it grants are
budget lines tied to it. What is in force at a date is read from the acts in force
then (queries: ``acts_in_force``): recording an act dated after D never changes a
view « au D »."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ConflictError, ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.queries import sql
from dashboard.tracker.records import (
    add_source,
    audit,
    cancel,
    cancel_service,
    create,
    require_row,
    update_versioned,
)

ACT_FIELDS: Spec = {
    "reference": lambda v: validate.text(v, "Référence", required=False, max_len=100),
    "number": lambda v: validate.integer(v, "Numéro", low=1, high=999, required=False),
    "title": lambda v: validate.text(v, "Intitulé"),
    "short_name": lambda v: validate.text(v, "Nom court (saisi)", required=False, max_len=80),
    "framework_act_id": lambda v: None if v in (None, "") else validate.identifier(v, "Acte cadre"),
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
    "extends_to": lambda v: validate.date(v, "Nouveau terme de l'acte modifié", required=False),
    "multi_year": lambda v: validate.yes_no(v, "Convention pluriannuelle d'objectifs (CPO)"),
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
    if values.get("extends_to") and values.get("kind") not in (None, "amendment"):
        raise ValidationError("Seul un avenant prolonge le terme d'un autre acte.")


def _amended(cur, amends_act_id: object, values: dict) -> dict:
    """The act an avenant amends, checked: it exists, can be amended, belongs to the
    same programme, and this avenant's number is free."""
    if amends_act_id is None:
        raise ValidationError("Un avenant doit indiquer l'acte qu'il modifie.")
    amended = require_row(cur, "legal_act", amends_act_id, "Acte modifié")
    if amended["kind"] not in fmt.AMENDABLE_KINDS:
        raise ValidationError(
            f"Un avenant modifie une convention, pas {fmt.ACT_KIND_WITH_ARTICLE[amended['kind']]}."
        )
    if amended["cancelled_at"] is not None:
        raise ValidationError("L'acte choisi a été annulé : il ne peut plus être modifié.")
    if amended["programme_id"] != values["programme_id"]:
        raise ValidationError("L'acte modifié appartient à un autre programme.")
    number = values.get("number")
    if (
        number is not None
        and cur.execute(
            "select 1 from legal_act where amends_act_id = $a and number = $n and cancelled_at is null",
            {"a": amended["id"], "n": number},
        ).fetchone()
    ):
        raise ValidationError(f"L'avenant n° {number} de cet acte existe déjà.")
    _check_extension(cur, amended, values)
    return amended


def _check_framework(cur, framework_id: int | None, act_id: int | None) -> None:
    """The act that frames this one (a contrat de ville framing a convention): recorded,
    not cancelled, not the act itself, nor framed by it."""
    if framework_id is None:
        return
    if framework_id == act_id:
        raise ValidationError("Un acte ne peut pas être son propre acte cadre.")
    row = cur.execute(
        "select cancelled_at, framework_act_id from legal_act where id = $i", {"i": framework_id}
    ).fetchone()
    if row is None or row[0] is not None:
        raise ValidationError(f"L'acte cadre n° {framework_id} n'existe pas (ou a été annulé).")
    if act_id is not None and row[1] == act_id:
        raise ValidationError(
            "Cet acte est lui-même encadré par l'acte choisi : choisissez l'autre sens."
        )


def _check_extension(cur, amended: dict, values: dict, *, recorded: bool = False) -> None:
    """A new term must follow the amended act's term in force when the avenant is signed
    (as a first avenant may have extended it), not the term it was first signed with. For
    an avenant already recorded (``recorded``), the term in force the day before it, so
    that its own extension is not compared with itself."""
    extends_to = values.get("extends_to")
    if extends_to is None:
        return
    signed = next(
        (values[f] for f in ("signed_on", "effective_on", "concluded_on", "deliberation_date")
         if values.get(f)),
        dt.date.today(),
    )  # fmt: skip
    as_of = signed - dt.timedelta(days=1) if recorded else signed
    row = cur.execute(sql("act_term_at"), {"act_id": amended["id"], "as_of": as_of}).fetchone()
    term, first, by = row[1], row[2], row[3]
    if term is not None and extends_to <= term:
        how = (
            f"tel que prolongé par l'avenant n° {by}" if by is not None and term != first
            else "tel que signé"
        )  # fmt: skip
        raise ValidationError(
            f"Le nouveau terme ({fmt.date_fr(extends_to)}) doit suivre le terme de l'acte "
            f"modifié en vigueur au {fmt.date_fr(signed)}, date de cet avenant : "
            f"{fmt.date_fr(term)} ({how}). Un avenant qui avance le terme se saisit comme "
            "une résiliation ou une correction, pas comme une prolongation."
        )


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
            values["amends_act_id"] = _amended(cur, amends_act_id, values)["id"]
        elif amends_act_id is not None:
            raise ValidationError("Seul un avenant modifie un autre acte.")
        _check_framework(cur, values.get("framework_act_id"), None)
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "legal_act", values)


@write_service("administrateur", "corriger un acte")
def update_act(
    db: Database,
    actor: Actor,
    act_id: int,
    *,
    expected_version: int,
    reason: str | None = None,
    **changes,
) -> dict:
    """Correct what was recorded of an act (a typo, a date found later). An act that
    changes is amended by an avenant (``create_act(kind="amendment")``), not here."""
    cleaned = clean(changes, ACT_FIELDS)
    with db.transaction() as cur:
        current = require_row(cur, "legal_act", act_id, "Acte")
        merged = {**current, **cleaned}
        _check_act(merged)
        if "framework_act_id" in cleaned:
            _check_framework(cur, cleaned["framework_act_id"], current["id"])
        moved = {"extends_to", "signed_on", "effective_on", "concluded_on", "deliberation_date"}
        if merged["kind"] == "amendment" and merged["amends_act_id"] and moved & set(cleaned):
            amended = require_row(cur, "legal_act", merged["amends_act_id"], "Acte modifié")
            _check_extension(cur, amended, merged, recorded=True)
        if "effective_on" not in cleaned and merged["effective_on"] != current["effective_on"]:
            cleaned["effective_on"] = merged["effective_on"]
        return update_versioned(
            cur, actor, "legal_act", act_id, expected_version, cleaned, field="Acte",
            reason=reason,
        )[1]  # fmt: skip


@write_service("administrateur", "annuler un acte saisi par erreur")
def cancel_act(
    db: Database, actor: Actor, act_id: int, *, expected_version: int, reason: str
) -> dict:
    with db.transaction() as cur:
        act = require_row(cur, "legal_act", act_id, "Acte")
        live = cur.execute(
            "select (select count(*) from legal_act where amends_act_id = $a"
            " and cancelled_at is null)"
            " + (select count(*) from budget_line as b join payment as p on p.budget_line_id = b.id"
            " where b.act_id = $a and p.cancelled_at is null)",
            {"a": act["id"]},
        ).fetchone()[0]
        if live:
            raise ValidationError(
                "Cet acte a des avenants ou des paiements enregistrés : annulez-les d'abord."
            )
        cur.execute(
            "update budget_line set cancelled_at = $at, cancelled_by = $by, cancel_reason = $why"
            " where act_id = $a and cancelled_at is null",
            {"at": utcnow(), "by": actor.name, "why": f"Acte annulé : {reason}", "a": act["id"]},
        )
        return cancel(cur, actor, "legal_act", act_id, expected_version, reason, field="Acte")


@write_service("administrateur", "enregistrer une résiliation")
def terminate_act(
    db: Database,
    actor: Actor,
    act_id: int,
    *,
    expected_version: int,
    terminated_on: object,
    reason: str,
) -> dict:
    """The résiliation of an act, from the date it takes effect (after its notice)."""
    on = validate.date(terminated_on, "Date d'effet de la résiliation")
    why = validate.text(reason, "Motif", max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        act = require_row(cur, "legal_act", act_id, "Acte")
        if act["terminated_on"] is not None:
            raise ValidationError(
                f"Cet acte est déjà résilié depuis le {fmt.date_fr(act['terminated_on'])}."
            )
        return update_versioned(
            cur, actor, "legal_act", act_id, expected_version,
            {"terminated_on": on, "termination_reason": why}, field="Acte", reason=why,
        )[1]  # fmt: skip


@write_service("administrateur", "enregistrer une lettre recommandée")
def record_letter(
    db: Database,
    actor: Actor,
    *,
    act_id: int,
    kind: str,
    sent_on: object,
    subject: str,
    received_on: object = None,
    sender_id: int | None = None,
    source: Source | None = None,
) -> int:
    """A registered letter (litige or résiliation): it dates the delays of the act's
    clauses (amicable settlement from its receipt, termination notice from the letter)."""
    values = {
        "kind": validate.choice(kind, fmt.LETTER_KIND_LABELS, "Type de lettre"),
        "sent_on": validate.date(sent_on, "Date de la lettre"),
        "received_on": validate.date(received_on, "Date de réception", required=False),
        "subject": validate.text(subject, "Objet", max_len=validate.MAX_TEXT),
    }
    validate.date_order(
        values["sent_on"], values["received_on"], "Date de la lettre", "Date de réception"
    )
    if values["sent_on"] > dt.date.today():
        raise ValidationError(
            "La date de la lettre est dans le futur : on enregistre une lettre envoyée."
        )
    with db.transaction() as cur:
        act = require_row(cur, "legal_act", act_id, "Acte")
        if act["cancelled_at"] is not None:
            raise ValidationError("Cet acte a été annulé.")
        values["act_id"] = act["id"]
        if sender_id is not None:
            values["sender_id"] = require_row(cur, "organisation", sender_id, "Expéditeur")["id"]
        values.update(
            source_id=add_source(cur, source), recorded_by=actor.name, recorded_at=utcnow()
        )
        return create(cur, actor, "act_letter", values)


cancel_letter = cancel_service(
    "act_letter",
    "administrateur",
    "annuler une lettre saisie par erreur",
    "cancel_letter",
    field="Lettre",
)


def _party_people(cur, org: dict, represented_by: object, signatory_id: object) -> dict:
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
        else:
            people[key] = None
    return people


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
        people = _party_people(cur, org, represented_by, signatory_id)
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


@write_service("administrateur", "modifier une partie à un acte")
def update_act_party(
    db: Database,
    actor: Actor,
    *,
    act_id: int,
    organisation_id: int,
    seen: dict,
    represented_by: int | None = None,
    signatory_id: int | None = None,
    reason: str | None = None,
) -> dict:
    """Who represents and who signed for a party. ``seen``: the values read (the row has
    no version of its own)."""
    if not isinstance(seen, dict) or set(seen) != {"represented_by", "signatory_id"}:
        raise ValidationError("Valeurs lues de la partie manquantes.")
    why = validate.text(reason, "Motif", required=False, max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        act = require_row(cur, "legal_act", act_id, "Acte")
        org = require_row(cur, "organisation", organisation_id, "Organisation")
        result = cur.execute(
            "select * from act_party where act_id = $a and organisation_id = $o",
            {"a": act["id"], "o": org["id"]},
        )
        row = result.fetchone()
        if row is None:
            raise ValidationError(f"{org['name']} n'est pas partie à cet acte.")
        before = dict(zip([d[0] for d in result.description], row, strict=True))
        if any(
            before.get(k) != v for k, v in seen.items() if k in ("represented_by", "signatory_id")
        ):
            raise ConflictError(
                "Cette partie a été modifiée après votre lecture : rien n'a été enregistré. "
                "Rechargez pour voir la valeur actuelle.",
                before,
            )
        people = _party_people(cur, org, represented_by, signatory_id)
        if all(before[k] == v for k, v in people.items()):
            raise ValidationError("Rien à enregistrer : aucune valeur ne change.")
        cur.execute(
            "update act_party set represented_by = $r, signatory_id = $s"
            " where act_id = $a and organisation_id = $o",
            {"r": people["represented_by"], "s": people["signatory_id"], "a": act["id"],
             "o": org["id"]},
        )  # fmt: skip
        after = {**before, **people}
        audit(cur, actor, "update", "act_party", f"{act['id']}/{org['id']}", before=before,
              after=after, reason=why)  # fmt: skip
        return after


CLAUSE_FIELDS: Spec = {
    "article": lambda v: validate.text(v, "Article", max_len=200),
    "summary": lambda v: validate.text(v, "Résumé", max_len=validate.MAX_TEXT),
    "days": lambda v: validate.integer(v, "Délai (jours)", low=0, high=3650, required=False),
    "months": lambda v: validate.integer(v, "Délai (mois)", low=0, high=120, required=False),
    "yearly_amount": lambda v: (
        None
        if v is None or (isinstance(v, str) and not v.strip())
        else validate.amount(v, "Montant annuel prévu par l'article")
    ),
}


def _check_clause_delays(values: dict) -> None:
    if values["kind"] == "amicable_settlement" and values.get("days") is None:
        raise ValidationError("Une clause de règlement amiable indique son délai en jours.")
    if (
        values["kind"] == "termination_notice"
        and values.get("days") is None
        and values.get("months") is None
    ):
        raise ValidationError("Une clause de résiliation indique son préavis (jours ou mois).")


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
    target_act_id: int | None = None,
    replaces_clause_id: int | None = None,
    source: Source | None = None,
    yearly_amount: object = None,
) -> int:
    """A clause of an act. A clause of an avenant is about the avenant itself (its own
    duration), unless it names the act it amends (``target_act_id``): then it adds to
    that act's terms from the avenant's start, or replaces one of its clauses
    (``replaces_clause_id``)."""
    values = clean({"article": article, "summary": summary, "days": days, "months": months,
                    "yearly_amount": yearly_amount}, CLAUSE_FIELDS)  # fmt: skip
    values["kind"] = validate.choice(kind, fmt.CLAUSE_KIND_LABELS, "Type de clause")
    _check_clause_delays(values)
    with db.transaction() as cur:
        act = require_row(cur, "legal_act", act_id, "Acte")
        if act["cancelled_at"] is not None:
            raise ValidationError("Cet acte a été annulé.")
        values["act_id"] = act["id"]
        if replaces_clause_id is not None:
            replaced = require_row(cur, "clause", replaces_clause_id, "Clause remplacée")
            target_act_id = replaced["act_id"]
            values["replaces_clause_id"] = replaced["id"]
        if target_act_id is not None:
            if act["kind"] != "amendment" or target_act_id != act["amends_act_id"]:
                raise ValidationError(
                    "Seul un avenant modifie les clauses d'un autre acte, et seulement celles "
                    "de l'acte qu'il modifie."
                )
            values["target_act_id"] = target_act_id
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "clause", values)


@write_service("administrateur", "corriger une clause")
def update_clause(
    db: Database,
    actor: Actor,
    clause_id: int,
    *,
    expected_version: int,
    reason: str | None = None,
    **changes,
) -> dict:
    cleaned = clean(changes, CLAUSE_FIELDS)
    with db.transaction() as cur:
        current = require_row(cur, "clause", clause_id, "Clause")
        _check_clause_delays({**current, **cleaned})
        return update_versioned(
            cur, actor, "clause", clause_id, expected_version, cleaned, field="Clause",
            reason=reason,
        )[1]  # fmt: skip


cancel_clause = cancel_service(
    "clause",
    "administrateur",
    "annuler une clause saisie par erreur",
    "cancel_clause",
    field="Clause",
)
