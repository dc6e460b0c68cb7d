"""Programmes, their links and context notes, organisations and persons."""

from __future__ import annotations

import re

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.origins import Origin
from dashboard.tracker.records import (
    add_source,
    archive_service,
    create,
    require_row,
    update_service,
)

_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")


def _code(value: object) -> str:
    code = validate.text(value, "Code", max_len=40)
    if not _CODE.fullmatch(code):
        raise ValidationError(
            f"Le code « {code} » ne convient pas : majuscules, chiffres et tirets, 2 à 40 caractères."
        )
    return code


PROGRAMME_FIELDS: Spec = {
    "title": lambda v: validate.text(v, "Intitulé"),
    "short_name": lambda v: validate.text(v, "Nom court (saisi)", required=False, max_len=80),
    "kind": lambda v: validate.choice(v, fmt.PROGRAMME_KIND_LABELS, "Type de programme"),
    "description": lambda v: validate.text(
        v, "Description", required=False, max_len=validate.MAX_TEXT
    ),
}


@write_service("administrateur", "créer un programme")
def create_programme(
    db: Database,
    actor: Actor,
    *,
    code: str,
    title: str,
    kind: str,
    description: str | None = None,
    predecessor_id: int | None = None,
    source: Source | None = None,
    origin: Origin | None = None,
    short_name: str | None = None,
) -> int:
    """A programme; ``predecessor_id`` names the programme it succeeds (a « précède » link).
    It is there from its first act; until it has one, from the day it is recorded, or
    from an earlier day given with its reason (``origin``)."""
    values = clean(
        {"title": title, "kind": kind, "description": description, "short_name": short_name},
        PROGRAMME_FIELDS,
    )
    values["code"] = _code(code)
    with db.transaction() as cur:
        taken = cur.execute(
            "select 1 from programme where code = $c", {"c": values["code"]}
        ).fetchone()
        if taken:
            raise ValidationError(
                f"Le code « {values['code']} » est déjà utilisé par un autre programme."
            )
        values["source_id"] = add_source(cur, source)
        new_id = create(cur, actor, "programme", values, origin=origin)
        if predecessor_id is not None:
            link_programmes(
                db, actor, from_programme_id=predecessor_id, to_programme_id=new_id,
                kind="precedes",
            )  # fmt: skip
        return new_id


update_programme = update_service(
    "programme",
    "administrateur",
    "modifier un programme",
    "update_programme",
    fields=PROGRAMME_FIELDS,
    field="Programme",
)


archive_programme = archive_service(
    "programme", "administrateur", "archiver un programme", "archive_programme", field="Programme"
)


@write_service("administrateur", "relier deux programmes")
def link_programmes(
    db: Database,
    actor: Actor,
    *,
    from_programme_id: int,
    to_programme_id: int,
    kind: str = "feeds",
    description: str | None = None,
    source: Source | None = None,
) -> None:
    clean_kind = validate.choice(kind, fmt.LINK_KIND_LABELS, "Type de lien")
    text = validate.text(description, "Description", required=False, max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        origin = require_row(cur, "programme", from_programme_id, "Programme d'origine")
        target = require_row(cur, "programme", to_programme_id, "Programme lié")
        if origin["id"] == target["id"]:
            raise ValidationError("Un programme ne peut pas être relié à lui-même.")
        exists = cur.execute(
            "select 1 from programme_link where from_programme_id = $f and to_programme_id = $t"
            " and kind = $k",
            {"f": origin["id"], "t": target["id"], "k": clean_kind},
        ).fetchone()
        if exists:
            raise ValidationError("Ce lien entre programmes existe déjà.")
        create(
            cur,
            actor,
            "programme_link",
            {
                "from_programme_id": origin["id"],
                "to_programme_id": target["id"],
                "kind": clean_kind,
                "description": text,
                "source_id": add_source(cur, source),
            },
        )


@write_service("administrateur", "ajouter une note de contexte")
def add_programme_note(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    title: str,
    body: str,
    kind: str = "finding",
    source: Source | None = None,
) -> int:
    values = {
        "kind": validate.choice(
            kind, {"finding": "constat", "context": "contexte"}, "Type de note"
        ),
        "title": validate.text(title, "Titre"),
        "body": validate.text(body, "Texte", max_len=validate.MAX_TEXT),
    }
    with db.transaction() as cur:
        programme = require_row(cur, "programme", programme_id, "Programme")
        position = cur.execute(
            "select coalesce(max(position), 0) + 1 from programme_note where programme_id = $p",
            {"p": programme["id"]},
        ).fetchone()[0]
        values.update(
            programme_id=programme["id"], position=position, source_id=add_source(cur, source)
        )
        return create(cur, actor, "programme_note", values)


def _siret(value: object) -> str | None:
    text = validate.text(value, "SIRET", required=False, max_len=30)
    if text is None:
        return None
    digits = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not re.fullmatch(r"[0-9]{14}", digits):
        raise ValidationError(f"Le SIRET s'écrit avec 14 chiffres (reçu : « {text} »).")
    if not validate.siret_valid(digits):
        raise ValidationError(
            f"Le SIRET « {text} » n'existe pas : sa clé de contrôle est fausse (une faute de "
            "frappe ?)."
        )
    return digits


def _rna(value: object) -> str | None:
    """An association's RNA number: « W » and nine digits (« W133012345 »)."""
    text = validate.text(value, "Numéro RNA", required=False, max_len=30)
    if text is None:
        return None
    number = re.sub(r"[\s\u00a0\u202f]", "", text).upper()
    if not re.fullmatch(r"W[0-9]{9}", number):
        raise ValidationError(
            f"Le numéro RNA s'écrit « W » suivi de 9 chiffres (reçu : « {text} »)."
        )
    return number


ORGANISATION_FIELDS: Spec = {
    "name": lambda v: validate.text(v, "Nom"),
    "kind": lambda v: validate.choice(v, fmt.ORGANISATION_KIND_LABELS, "Type d'organisation"),
    "siret": _siret,
    "rna": _rna,
    "funder_category": lambda v: validate.optional_choice(
        v, fmt.FUNDER_CATEGORY_LABELS, "Catégorie de financeur"
    ),
}


@write_service("administrateur", "créer une organisation")
def create_organisation(
    db: Database,
    actor: Actor,
    *,
    code: str,
    name: str,
    kind: str,
    siret: str | None = None,
    source: Source | None = None,
    rna: str | None = None,
    funder_category: str | None = None,
) -> int:
    values = clean(
        {"name": name, "kind": kind, "siret": siret, "rna": rna,
         "funder_category": funder_category},
        ORGANISATION_FIELDS,
    )  # fmt: skip
    values["code"] = _code(code)
    with db.transaction() as cur:
        if cur.execute(
            "select 1 from organisation where code = $c", {"c": values["code"]}
        ).fetchone():
            raise ValidationError(
                f"Le code « {values['code']} » est déjà utilisé par une autre organisation."
            )
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "organisation", values)


update_organisation = update_service(
    "organisation",
    "administrateur",
    "modifier une organisation",
    "update_organisation",
    fields=ORGANISATION_FIELDS,
    field="Organisation",
)


archive_organisation = archive_service(
    "organisation",
    "administrateur",
    "archiver une organisation",
    "archive_organisation",
    field="Organisation",
)


PERSON_FIELDS: Spec = {
    "full_name": lambda v: validate.text(v, "Nom"),
    "role_title": lambda v: validate.text(v, "Fonction", max_len=200),
}


@write_service("administrateur", "enregistrer une personne")
def create_person(
    db: Database,
    actor: Actor,
    *,
    full_name: str,
    organisation_id: int,
    role_title: str,
    source: Source | None = None,
) -> int:
    values = clean({"full_name": full_name, "role_title": role_title}, PERSON_FIELDS)
    with db.transaction() as cur:
        values["organisation_id"] = require_row(
            cur, "organisation", organisation_id, "Organisation"
        )["id"]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "person", values)


update_person = update_service(
    "person",
    "administrateur",
    "modifier une personne",
    "update_person",
    fields=PERSON_FIELDS,
    field="Personne",
)
