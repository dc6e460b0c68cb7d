"""The « Déclaration d'accessibilité » (RGAA 4.1.2, loi n° 2005-102 art. 47, décret
n° 2019-768), generated from what was measured: the 106 criteria as judged for the
tracker (``data/accessibility/rgaa.toml``) and the latest automated audit
(``data/accessibility/audit.json``, written by the browser tests: axe-core on every page,
tab and role). A criterion judged through axe rules is « non conforme » as soon as one of
its rules fails in the latest audit, whatever the file says. The administrator sets who
is responsible, the contact and the « schéma pluriannuel » (kept in ``app_meta``,
audited)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import tomllib
from dataclasses import dataclass, field

from dashboard.resources import resource_dir
from dashboard.tracker import validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.records import audit

MET, NOT_MET, NOT_APPLICABLE = "conforme", "non conforme", "non applicable"
#: what the administrator sets: app_meta key -> (label, longest text)
SETTINGS = {
    "accessibility_entity": ("Entité responsable", 200),
    "accessibility_contact": ("Contact (adresse électronique ou formulaire)", 300),
    "accessibility_plan": ("Schéma pluriannuel de mise en accessibilité", validate.MAX_TEXT),
}
DEFAULT_ENTITY = "L'organisme qui exploite ce cdv-tracker"
#: the Défenseur des droits, as the RGAA's model statement gives it
RECOURSE = (
    "Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable "
    "du service un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à une "
    "fonctionnalité, et vous n'avez pas obtenu de réponse satisfaisante. Vous pouvez alors :",
    [
        "écrire un message au Défenseur des droits (formulaire en ligne sur "
        "defenseurdesdroits.fr) ;",
        "contacter le délégué du Défenseur des droits dans votre région ;",
        "envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des "
        "droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
    ],
)
_AXE_RULES = re.compile(r"axe : ([a-z0-9*, -]+)")


@dataclass(frozen=True)
class Criterion:
    id: str
    theme: str
    title: str
    status: str
    how: str
    #: the axe rules that failed in the latest audit (they make it « non conforme »)
    failing: tuple[str, ...] = ()


@dataclass
class Statement:
    entity: str
    contact: str | None
    plan: str | None
    audit_date: dt.date | None
    axe_version: str | None
    criteria: list[Criterion]
    #: the automated audit: walk -> places checked, places without violation, violations
    walks: dict[str, dict] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for c in self.criteria if c.status == status)

    @property
    def rate(self) -> float | None:
        """Criteria met over criteria applicable (met + not met), as the RGAA computes it."""
        applicable = self.count(MET) + self.count(NOT_MET)
        return None if applicable == 0 else self.count(MET) / applicable

    @property
    def compliance(self) -> str:
        """« totalement conforme » (all met), « partiellement conforme » (at least half),
        « non conforme » (less than half, or no audit)."""
        if self.audit_date is None or self.rate is None or self.rate < 0.5:
            return "non conforme"
        return "totalement conforme" if self.count(NOT_MET) == 0 else "partiellement conforme"

    @property
    def places(self) -> int:
        return sum(w.get("places", 0) for w in self.walks.values())

    @property
    def places_clean(self) -> int:
        return sum(w.get("places_without_violation", 0) for w in self.walks.values())

    def violations(self) -> dict[str, dict]:
        """Per axe rule, over every walk: impact, what it asks, places and elements."""
        rules: dict[str, dict] = {}
        for walk in self.walks.values():
            for rule, entry in walk.get("violations", {}).items():
                total = rules.setdefault(rule, {**entry, "places": 0, "nodes": 0})
                total["places"] += entry["places"]
                total["nodes"] += entry["nodes"]
        return rules


@functools.cache
def _measured() -> Statement:
    """What the files say (the criteria as judged, the latest audit), read once per
    process: they ship with the app; only the administrator's settings live in the base."""
    recorded = _audit_file()
    walks = recorded.get("walks", {})
    failing = {rule for walk in walks.values() for rule in walk.get("violations", {})}
    date = recorded.get("date")
    return Statement(
        entity=DEFAULT_ENTITY,
        contact=None,
        plan=None,
        audit_date=dt.date.fromisoformat(date) if date else None,
        axe_version=recorded.get("axe_version"),
        criteria=criteria(failing),
        walks=walks,
    )


def compliance() -> str:
    """The state of compliance the footer of every page states."""
    return _measured().compliance


def _audit_file() -> dict:
    path = resource_dir("accessibility") / "audit.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"walks": {}}


def criteria(failing_rules: set[str]) -> list[Criterion]:
    """The 106 criteria as judged, with the audit's failing rules applied."""
    with open(resource_dir("accessibility") / "rgaa.toml", "rb") as handle:
        rows = tomllib.load(handle)["criterion"]
    found = []
    for row in rows:
        named = _AXE_RULES.search(row["how"])
        rules = {r.strip() for r in named.group(1).split(",")} if named else set()
        failing = tuple(sorted(rules & failing_rules))
        status = NOT_MET if failing else row["status"]
        found.append(Criterion(row["id"], row["theme"], row["title"], status, row["how"], failing))
    return found


def settings(db: Database) -> dict[str, str | None]:
    with db.reader() as cur:
        rows = cur.execute(
            "select key, value from app_meta where key in (select unnest($keys::varchar[]))",
            {"keys": list(SETTINGS)},
        ).fetchall()
    found = dict(rows)
    return {key: found.get(key) for key in SETTINGS}


def statement(db: Database) -> Statement:
    chosen = settings(db)
    return dataclasses.replace(
        _measured(),
        entity=chosen["accessibility_entity"] or DEFAULT_ENTITY,
        contact=chosen["accessibility_contact"],
        plan=chosen["accessibility_plan"],
    )


@write_service("administrateur", "modifier la déclaration d'accessibilité")
def set_statement(db: Database, actor: Actor, **values: object) -> dict[str, str | None]:
    """Record the entity, the contact and the multi-year plan (an empty text removes
    it); audited. Unknown fields are refused."""
    unknown = sorted(set(values) - {k.removeprefix("accessibility_") for k in SETTINGS})
    if unknown:
        raise ValidationError(f"Champ inconnu de la déclaration d'accessibilité : {unknown[0]}.")
    wanted = {}
    for name, value in values.items():
        key = f"accessibility_{name}"
        label, longest = SETTINGS[key]
        wanted[key] = validate.text(value, label, required=False, max_len=longest)
    if "accessibility_contact" in wanted and wanted["accessibility_contact"]:
        _check_contact(wanted["accessibility_contact"])
    with db.transaction() as cur:
        before = dict(cur.execute(
            "select key, value from app_meta where key in (select unnest($keys::varchar[]))", {"keys": list(wanted)}
        ).fetchall())  # fmt: skip
        changed = {k: v for k, v in wanted.items() if before.get(k) != v}
        if not changed:
            raise ValidationError("Rien à enregistrer : la déclaration ne change pas.")
        for key, value in changed.items():
            cur.execute("delete from app_meta where key = $k", {"k": key})
            if value is not None:
                cur.execute("insert into app_meta values ($k, $v)", {"k": key, "v": value})
        audit(cur, actor, "update", "app_meta", "accessibility_statement",
              before={k: before.get(k) for k in changed}, after=changed)  # fmt: skip
    return changed


def _check_contact(text: str) -> None:
    """An address (« accessibilite@exemple.fr ») or a web form (« https://… »)."""
    if "@" in text and " " not in text.strip():
        from dashboard.tracker.notifications import clean_email

        clean_email(text)
    elif not re.fullmatch(r"https://[^\s<>\"']+", text.strip()):
        raise ValidationError(
            "Le contact est une adresse électronique (accessibilite@exemple.fr) ou l'adresse "
            "d'un formulaire (https://…)."
        )
