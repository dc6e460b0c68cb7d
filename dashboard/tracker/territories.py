"""Territories as records: the Métropole, its Conseils de Territoire, communes (INSEE
code), QPV (official code, generation 2015 or 2024) and quartiers en veille active,
linked by 'within' (a QPV lies in one or more communes) and 'succeeded_by' (a QPV of
2015 and its successor of 2024). A QPV or a quartier en veille active that an act
names without its official code is recorded as named, its code left to complete (the
completeness report lists it). Nothing is seeded: the administrator enters them or loads the official lists
as a CSV. Actions, deliverables and budget lines are tagged with territories."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import duckdb

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.records import (
    add_source,
    archive_service,
    audit,
    cancel_service,
    create,
    replace_links,
    require_row,
    update_versioned,
)

#: what may lie within what
PARENT_KIND = {
    "qpv": "commune", "watch": "commune", "commune": "council", "council": "metropole",
}  # fmt: skip
#: the kinds an act may name without a code (recorded as named, code to complete)
CODE_OPTIONAL = ("qpv", "watch")
TAGGABLE = {"action": "action", "deliverable": "deliverable", "budget_line": "budget_line"}
#: the CSV's columns, in order (the template has them with two example rows)
CSV_COLUMNS = ("type", "code", "nom", "generation", "situe_dans", "successeur")
CSV_KINDS = {
    "metropole": "metropole",
    "métropole": "metropole",
    "conseil de territoire": "council",
    "ct": "council",
    "commune": "commune",
    "qpv": "qpv",
    "quartier en veille active": "watch",
    "veille active": "watch",
    "veille": "watch",
}


def _code(kind: str, value: object) -> str | None:
    code = validate.text(value, "Code", max_len=40, required=kind not in CODE_OPTIONAL)
    if code is None:
        return None
    if kind == "commune" and not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", code):
        raise ValidationError(
            f"Le code INSEE d'une commune a cinq caractères (ex. « 13055 », « 2A004 ») "
            f"(reçu : « {fmt.shorten(code, 20)} »)."
        )
    if kind == "qpv" and not re.fullmatch(r"Q[A-Z]?[0-9][0-9A-Z]{4,8}", code.upper()):
        raise ValidationError(
            "Le code d'un QPV est son code officiel (ex. « QP013001 », « QN01301M ») "
            f"(reçu : « {fmt.shorten(code, 20)} »)."
        )
    return code.upper() if kind == "qpv" else code


def _generation(kind: str, value: object) -> int | None:
    if kind != "qpv":
        if value not in (None, ""):
            raise ValidationError("Seul un QPV a une génération (2015 ou 2024).")
        return None
    year = validate.integer(value, "Génération du QPV", low=2015, high=2024)
    if year not in (2015, 2024):
        raise ValidationError(f"La génération d'un QPV est 2015 ou 2024 (reçu : {year}).")
    return year


@write_service("administrateur", "créer un territoire")
def create_territory(
    db: Database,
    actor: Actor,
    *,
    kind: str,
    code: str | None,
    name: str,
    generation: int | None = None,
    within: list[int] = (),
    source: Source | None = None,
) -> int:
    kind = validate.choice(kind, fmt.TERRITORY_KIND_LABELS, "Type de territoire")
    values = {
        "kind": kind,
        "code": _code(kind, code),
        "name": validate.text(name, "Nom", max_len=200),
        "generation": _generation(kind, generation),
    }
    with db.transaction() as cur:
        _unique(cur, values["kind"], values["code"])
        if values["code"] is None and find_codeless(cur, kind, values["name"]):
            raise ValidationError(
                f"{fmt.capitalize_first(fmt.TERRITORY_KIND_LABELS[kind])} « {values['name']} » "
                "est déjà enregistré sans code : complétez-le plutôt que d'en créer un second."
            )
        values["source_id"] = add_source(cur, source)
        territory_id = create(cur, actor, "territory", values)
        for parent in within:
            _link(cur, actor, territory_id, parent, "within")
        return territory_id


def _unique(
    cur: duckdb.DuckDBPyConnection, kind: str, code: str | None, but: int | None = None
) -> None:
    if code is None:
        return
    row = cur.execute(
        "select name from territory where kind = $k and code = $c and id is distinct from $b",
        {"k": kind, "c": code, "b": but},
    ).fetchone()
    if row:
        raise ValidationError(
            f"Le code « {code} » est déjà celui de {fmt.TERRITORY_KIND_LABELS[kind]} « {row[0]} »."
        )


TERRITORY_FIELDS: Spec = {
    "name": lambda v: validate.text(v, "Nom", max_len=200),
}


@write_service("administrateur", "modifier un territoire")
def update_territory(
    db: Database,
    actor: Actor,
    territory_id: int,
    *,
    expected_version: int,
    reason: str | None = None,
    **changes,
) -> dict:
    code = changes.pop("code", None)
    generation = changes.pop("generation", None)
    cleaned = clean(changes, TERRITORY_FIELDS)
    with db.transaction() as cur:
        row = require_row(cur, "territory", territory_id, "Territoire")
        if code is not None and (code.strip() or row["code"] is not None):
            cleaned["code"] = _code(row["kind"], code)
            _unique(cur, row["kind"], cleaned["code"], row["id"])
        if generation is not None:
            cleaned["generation"] = _generation(row["kind"], generation)
        return update_versioned(
            cur, actor, "territory", territory_id, expected_version, cleaned,
            field="Territoire", reason=reason,
        )[1]  # fmt: skip


archive_territory = archive_service(
    "territory", "administrateur", "archiver un territoire", "archive_territory", field="Territoire"
)


@write_service("administrateur", "relier deux territoires")
def link_territories(
    db: Database, actor: Actor, *, from_id: int, to_id: int, kind: str = "within"
) -> int:
    """'within': a QPV in a commune, a commune in a Conseil de Territoire, a Conseil in
    the Métropole. 'succeeded_by': a QPV of 2015 and its successor of 2024."""
    kind = validate.choice(kind, fmt.TERRITORY_LINK_LABELS, "Type de lien")
    with db.transaction() as cur:
        return _link(cur, actor, from_id, to_id, kind)


def _link(cur: duckdb.DuckDBPyConnection, actor: Actor, from_id: object, to_id: object,
          kind: str) -> int:  # fmt: skip
    child = require_row(cur, "territory", from_id, "Territoire")
    parent = require_row(cur, "territory", to_id, "Territoire lié")
    if child["id"] == parent["id"]:
        raise ValidationError("Un territoire ne peut pas être lié à lui-même.")
    if kind == "within" and PARENT_KIND.get(child["kind"]) != parent["kind"]:
        raise ValidationError(
            f"{fmt.capitalize_first(fmt.TERRITORY_KIND_LABELS[child['kind']])} « {child['name']} »"
            f" ne peut pas être situé dans {fmt.TERRITORY_KIND_LABELS[parent['kind']]} "
            f"« {parent['name']} » : un QPV (ou un quartier en veille active) est dans une commune, une commune dans un Conseil "
            "de Territoire, un Conseil de Territoire dans la Métropole."
        )
    if kind == "succeeded_by" and not (
        child["kind"] == parent["kind"] == "qpv"
        and child["generation"] == 2015
        and parent["generation"] == 2024
    ):
        raise ValidationError("Seul un QPV de 2015 a pour successeur un QPV de 2024.")
    existing = cur.execute(
        "select id from territory_link where from_id = $f and to_id = $t and kind = $k "
        "and cancelled_at is null",
        {"f": child["id"], "t": parent["id"], "k": kind},
    ).fetchone()
    if existing:
        raise ValidationError(
            f"« {child['name']} » est déjà {fmt.TERRITORY_LINK_LABELS[kind]} « {parent['name']} »."
        )
    return create(
        cur,
        actor,
        "territory_link",
        {"from_id": child["id"], "to_id": parent["id"], "kind": kind,
         "recorded_by": actor.name, "recorded_at": utcnow()},
    )  # fmt: skip


unlink_territories = cancel_service(
    "territory_link",
    "administrateur",
    "retirer un lien entre territoires",
    "unlink_territories",
    field="Lien",
)


@write_service("contributeur", "associer des territoires")
def tag_territories(
    db: Database, actor: Actor, *, entity: str, entity_id: int, territory_ids: list[int]
) -> list[int]:
    """Set the territories of an action, a deliverable or a budget line: tags no longer
    wanted are cancelled (kept in the audit), new ones added. Returns the live ids."""
    table = validate.choice(entity, {k: k for k in TAGGABLE}, "Élément")
    wanted = [validate.identifier(t, "Territoire") for t in territory_ids]
    if len(set(wanted)) != len(wanted):
        raise ValidationError("Un même territoire est cité deux fois.")
    with db.transaction() as cur:
        owner = require_row(cur, TAGGABLE[table], entity_id, "Élément")
        for territory_id in wanted:
            require_row(cur, "territory", territory_id, "Territoire")
        return set_tags(cur, actor, table, owner["id"], wanted)


def set_tags(cur, actor: Actor, entity: str, entity_id: int, wanted: list[int]) -> list[int]:
    replace_links(
        cur, actor, "territory_tag", {"entity": entity, "entity_id": entity_id},
        "territory_id", wanted,
        unchanged="Rien à enregistrer : les territoires sont déjà ceux-là.",
        removed="Territoire retiré", field="Tag",
    )  # fmt: skip
    return sorted(wanted)


def territories(db: Database, as_of: dt.date | None = None) -> list[dict]:
    return db.records("territories", as_of=as_of or dt.date.today())


def scope(db: Database, territory_id: int | None) -> set[int] | None:
    """The territory and every territory within it; None: no filter."""
    if territory_id is None:
        return None
    return {row["id"] for row in db.records("territory_scope", territory_id=territory_id)}


def tags_of(db: Database, entity: str) -> dict[int, set[int]]:
    """entity id -> its live territory ids, for one kind of record."""
    return {
        row["entity_id"]: set(row["territory_ids"])
        for row in db.records("territory_tags", entity=entity)
    }


# -- CSV of territories -----------------------------------------------------------


def csv_template() -> str:
    """The CSV the administrator fills (UTF-8, « ; »), with fictional examples to replace."""
    rows = [
        CSV_COLUMNS,
        ("commune", "99001", "Commune exemple (à remplacer)", "", "", ""),
        ("qpv", "QN99001X", "Quartier exemple (à remplacer)", "2024", "99001", ""),
    ]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue()


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ValidationError("Le fichier est vide.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("Le fichier n'est ni en UTF-8 ni en Latin-1 (Windows-1252).")


def parse_csv(data: bytes) -> list[dict]:
    """The rows of a territories CSV (« ; » or « , »), each checked; every error is
    reported with its line, and one error refuses the whole file."""
    try:
        return _parse_csv(_decode(data))
    except csv.Error as error:
        raise ValidationError(
            "Le fichier n'est pas un CSV lisible (caractère nul ou guillemet mal fermé) : "
            "rien n'a été importé."
        ) from error


def _parse_csv(text: str) -> list[dict]:
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS[:3] if c not in header]
    if missing:
        raise ValidationError(
            f"Colonnes manquantes : {', '.join(missing)}. Attendu : {';'.join(CSV_COLUMNS)} "
            "(téléchargez le modèle)."
        )
    rows, errors = [], []
    for number, raw in enumerate(reader, start=2):
        record = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            rows.append(_csv_row(record))
        except ValidationError as error:
            errors.append(f"ligne {number} : {error.message}")
    if errors:
        raise ValidationError("Rien n'a été importé : " + " ; ".join(errors[:20]))
    if not rows:
        raise ValidationError("Le fichier n'a aucune ligne de territoire.")
    keys = [_row_key(r) for r in rows]
    doubles = sorted({f"{k} {c}" for k, c in keys if keys.count((k, c)) > 1})
    if doubles:
        raise ValidationError(f"Rien n'a été importé : code en double : {', '.join(doubles)}.")
    return rows


def _row_key(row: dict) -> tuple[str, str]:
    """A CSV row's territory: its kind and code, or its name when the act gave no code."""
    return row["kind"], row["code"] or f"« {row['name']} » (sans code)"


def _csv_row(record: dict) -> dict:
    kind = CSV_KINDS.get(record.get("type", "").lower())
    if kind is None:
        raise ValidationError(
            f"type inconnu « {fmt.shorten(record.get('type', ''), 30)} » (metropole, "
            "conseil de territoire, commune, qpv ou quartier en veille active)"
        )
    return {
        "kind": kind,
        "code": _code(kind, record.get("code")),
        "name": validate.text(record.get("nom"), "Nom", max_len=200),
        "generation": _generation(kind, record.get("generation") or None),
        "within": [c.strip() for c in re.split(r"[|,]", record.get("situe_dans", "")) if c.strip()],
        "successor": record.get("successeur") or None,
    }


@write_service("administrateur", "charger une liste de territoires")
def load_territories(db: Database, actor: Actor, *, data: bytes) -> dict[str, int]:
    """Load a CSV of territories in one transaction: a territory found by its kind and
    code is updated (its name), a new one added, its links added; all or nothing."""
    rows = parse_csv(data)
    counts = {"added": 0, "updated": 0, "links": 0}
    with db.transaction() as cur:
        ids = {}
        for row in rows:
            ids[_row_key(row)] = _upsert(cur, actor, row, counts)
        for number, row in enumerate(rows, start=2):
            counts["links"] += _csv_links(cur, actor, ids[_row_key(row)], row, number)
        audit(cur, actor, "load", "territory", "csv", after=counts)
    return counts


def _upsert(cur, actor: Actor, row: dict, counts: dict) -> int:
    found = (
        cur.execute(
            "select id, name, generation, version from territory where kind = $k and code = $c",
            {"k": row["kind"], "c": row["code"]},
        ).fetchone()
        if row["code"] is not None
        else find_codeless(cur, row["kind"], row["name"])
    )
    values = {k: row[k] for k in ("kind", "code", "name", "generation")}
    if found is None:
        counts["added"] += 1
        return create(cur, actor, "territory", values)
    if (found[1], found[2]) != (row["name"], row["generation"]):
        counts["updated"] += 1
        update_versioned(
            cur, actor, "territory", found[0], found[3],
            {"name": row["name"], "generation": row["generation"]}, field="Territoire",
        )  # fmt: skip
    return found[0]


def find_codeless(cur, kind: str, name: str) -> tuple | None:
    """A territory named without its code (id, name, generation, version): the one of
    that kind and name still without a code, if there is exactly one; two of the same
    name are ambiguous and refused. The CSV, ``cdv load`` and a creation read it."""
    found = cur.execute(
        "select id, name, generation, version from territory where kind = $k and code is null"
        " and lower(name) = lower($n)",
        {"k": kind, "n": str(name)},
    ).fetchall()
    if len(found) > 1:
        raise ValidationError(
            f"Plusieurs {fmt.TERRITORY_KIND_LABELS[kind]} sans code s'appellent « {name} » : "
            "donnez leur code pour les distinguer. Rien n'a été importé."
        )
    return found[0] if found else None


def _csv_links(cur, actor: Actor, territory_id: int, row: dict, number: int) -> int:
    added = 0
    targets = [(code, PARENT_KIND.get(row["kind"]), "within") for code in row["within"]]
    if row["successor"]:
        targets.append((row["successor"], "qpv", "succeeded_by"))
    for code, kind, link in targets:
        if kind is None:
            raise ValidationError(f"ligne {number} : la Métropole n'est située dans rien.")
        found = cur.execute(
            "select id from territory where kind = $k and code = $c", {"k": kind, "c": code}
        ).fetchone()
        if found is None:
            raise ValidationError(
                f"ligne {number} : {fmt.TERRITORY_KIND_LABELS[kind]} de code « {code} » "
                "introuvable (ni dans la base ni dans le fichier). Rien n'a été importé."
            )
        exists = cur.execute(
            "select 1 from territory_link where from_id = $f and to_id = $t and kind = $k "
            "and cancelled_at is null",
            {"f": territory_id, "t": found[0], "k": link},
        ).fetchone()
        if not exists:
            try:
                _link(cur, actor, territory_id, found[0], link)
            except ValidationError as error:
                raise ValidationError(f"ligne {number} : {error.message}") from error
            added += 1
    return added
