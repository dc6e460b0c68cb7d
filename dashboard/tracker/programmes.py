"""Programmes, their links and context notes, organisations and persons."""

from __future__ import annotations

import re

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.records import Source, add_source, create, require_row, update_versioned

_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,39}")


def _code(value: object) -> str:
    code = validate.text(value, "Code", max_len=40)
    if not _CODE.fullmatch(code):
        raise ValidationError(
            f"Le code « {code} » ne convient pas : majuscules, chiffres et tirets, 2 à 40 caractères."
        )
    return code


@write_service("administrateur", "créer un programme")
def create_programme(
    db: Database,
    actor: Actor,
    *,
    code: str,
    title: str,
    kind: str,
    description: str | None = None,
    source: Source | None = None,
) -> int:
    values = {
        "code": _code(code),
        "title": validate.text(title, "Titre"),
        "kind": validate.choice(kind, fmt.PROGRAMME_KIND_LABELS, "Type de programme"),
        "description": validate.text(
            description, "Description", required=False, max_len=validate.MAX_TEXT
        ),
    }
    with db.transaction() as cur:
        taken = cur.execute(
            "select 1 from programme where code = $c", {"c": values["code"]}
        ).fetchone()
        if taken:
            raise ValidationError(
                f"Le code « {values['code']} » est déjà utilisé par un autre programme."
            )
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "programme", values)


@write_service("administrateur", "modifier un programme")
def update_programme(
    db: Database,
    actor: Actor,
    programme_id: int,
    *,
    expected_version: int,
    title: str | None = None,
    description: str | None = None,
) -> dict:
    changes = {}
    if title is not None:
        changes["title"] = validate.text(title, "Titre")
    if description is not None:
        changes["description"] = validate.text(
            description, "Description", required=False, max_len=validate.MAX_TEXT
        )
    with db.transaction() as cur:
        return update_versioned(
            cur, actor, "programme", programme_id, expected_version, changes, field="Programme"
        )[1]


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
    clean_kind = validate.choice(kind, {"feeds": "alimente"}, "Type de lien")
    text = validate.text(description, "Description", required=False, max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        origin = require_row(cur, "programme", from_programme_id, "Programme d'origine")
        target = require_row(cur, "programme", to_programme_id, "Programme alimenté")
        if origin["id"] == target["id"]:
            raise ValidationError("Un programme ne peut pas s'alimenter lui-même.")
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


@write_service("administrateur", "créer une organisation")
def create_organisation(
    db: Database, actor: Actor, *, code: str, name: str, kind: str, source: Source | None = None
) -> int:
    values = {
        "code": _code(code),
        "name": validate.text(name, "Nom"),
        "kind": validate.choice(kind, fmt.ORGANISATION_KIND_LABELS, "Type d'organisation"),
    }
    with db.transaction() as cur:
        if cur.execute(
            "select 1 from organisation where code = $c", {"c": values["code"]}
        ).fetchone():
            raise ValidationError(
                f"Le code « {values['code']} » est déjà utilisé par une autre organisation."
            )
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "organisation", values)


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
    values = {
        "full_name": validate.text(full_name, "Nom"),
        "role_title": validate.text(role_title, "Fonction", max_len=200),
    }
    with db.transaction() as cur:
        values["organisation_id"] = require_row(
            cur, "organisation", organisation_id, "Organisation"
        )["id"]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "person", values)
