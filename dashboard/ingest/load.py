"""``cdv load``: records written in the TOML format of ``data/seed/acts.toml`` loaded into
a database through the write services, in one transaction.

Records of the file refer to each other by their ``key``; records already in the
database are referred to by their codes and references (a programme by its code, an
act by its reference, or by ``{ programme, kind, number }``…). Each record is matched
to an existing one by its natural key (a programme's code, a phase's programme and
number…): missing ones are created, changed ones corrected (with the file named as the
reason), identical ones left alone, so loading the same file twice changes nothing.
``dry_run`` runs the same checks and writes in a transaction that is rolled back, and
reports what would be created or changed."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from dashboard.ingest import load_evaluation, load_judgements
from dashboard.resources import resource_dir
from dashboard.tracker import (
    acts,
    budget,
    committees,
    existence,
    fmt,
    origins,
    programmes,
    status,
    territories,
    validate,
    work,
)  # fmt: skip
from dashboard.tracker.access import Actor
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database
from dashboard.tracker.errors import TrackerError, ValidationError, os_reason
from dashboard.tracker.origins import Origin
from dashboard.tracker.records import audit


@dataclass
class Report:
    """What a load did (or would do): one French line per created or changed record."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def lines(self) -> list[str]:
        return [f"création : {c}" for c in self.created] + [
            f"modification : {c}" for c in self.changed
        ]

    @property
    def empty(self) -> bool:
        return not self.created and not self.changed


class _DryRun(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


def read(path: Path) -> dict:
    """The file's records, or a French message on a file that is not TOML."""
    try:
        with open(path, "rb") as handle:
            if path.suffix.lower() == ".json":
                return _json(handle, path)
            return tomllib.load(handle)
    except OSError as error:
        raise ValidationError(f"Le fichier {path} est illisible ({os_reason(error)}).") from error
    except tomllib.TOMLDecodeError as error:
        raise ValidationError(
            f"Le fichier {path.name} n'est pas un TOML valide ({toml_place(error)})."
        ) from error


def _json(handle, path: Path) -> dict:
    """An export of ``cdv export --format json``: its sections are those of the TOML format."""
    try:
        facts = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(f"Le fichier {path.name} n'est pas un JSON valide.") from error
    if not isinstance(facts, dict):
        raise ValidationError(f"Le fichier {path.name} n'est pas un export cdv-tracker.")
    return facts


def toml_place(error: tomllib.TOMLDecodeError) -> str:
    """Where the TOML error is, in French (tomllib's own text is English)."""
    found = re.search(r"line (\d+), column (\d+)", str(error))
    if found is None:
        return "erreur de syntaxe"
    return f"erreur de syntaxe ligne {found[1]}, colonne {found[2]}"


def load(
    db: Database,
    actor: Actor,
    facts: dict,
    *,
    origin: str,
    dry_run: bool = False,
    folder: Path | None = None,
) -> Report:
    """Load ``facts`` (a parsed file) in one transaction; ``origin`` names the file in
    the audit and in the reason of every correction it makes; ``folder``, where it lies
    (the acts' texts it names are looked for there, then in ``data/sources/``)."""
    loader = _Loader(db, actor, facts, origin, folder)
    if facts.get("public"):
        raise ValidationError(
            f"{origin} est un export public : des valeurs y sont masquées (« s », secret "
            "statistique), il ne se recharge pas. Rechargez un export interne (sans "
            "--public). Rien n'a été enregistré."
        )
    if not isinstance(facts.get("fictional", False), bool):
        raise ValidationError(
            f"{origin} : « fictional » vaut true ou false, sans guillemets (lu : "
            f"{str(facts['fictional'])[:20]!r}). Rien n'a été enregistré."
        )
    if facts.get("fictional") and not is_demo(db):
        raise ValidationError(
            f"{origin} contient des données fictives : chargez-le dans une base de "
            "démonstration (« cdv demo »), jamais dans celle d'un vrai suivi. Rien n'a été "
            "enregistré."
        )
    try:
        with db.transaction() as cur:
            loader.run()
            if not loader.report.empty:
                audit(cur, actor, "load", "file", origin, after={"lines": loader.report.lines()},
                      reason=f"Chargement de {origin}")  # fmt: skip
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except KeyError as error:
        raise ValidationError(
            f"{origin} : champ ou référence manquante : {error.args[0]}. Rien n'a été enregistré."
        ) from error
    except TrackerError as error:
        raise type(error)(
            f"{origin} : {loader.where} : {error.message} Rien n'a été enregistré."
        ) from error
    return loader.report


DEMO_KEY = "demo_database"


def is_demo(db: Database) -> bool:
    """A demonstration database (made by ``cdv demo``): it holds fictional records and
    every page says so."""
    return bool(db.records("demo_flag"))


def make_demo(db: Database) -> None:
    """Mark a database as a demonstration one (before any fictional record enters it)."""
    if not is_demo(db):
        with db.transaction() as cur:
            cur.execute("insert into app_meta values ($k, $v)",
                        {"k": DEMO_KEY, "v": dt.datetime.now(dt.UTC).isoformat()})  # fmt: skip


class _Loader:
    def __init__(
        self, db: Database, actor: Actor, facts: dict, origin: str, folder: Path | None = None
    ):
        self.db, self.actor, self.facts, self.origin = db, actor, facts, origin
        self.docs = facts.get("documents", {})
        self.texts: dict[str, str | None] = {}  # each document's text, once read
        self.folder = folder
        self.keys: dict[tuple[str, str], int] = {}
        self.codes: dict[str, str] = {}  # a programme's key in the file -> its code
        self.report = Report()
        self.where = "début du fichier"
        self.reason = f"Chargement de {origin}"

    # -- plumbing -------------------------------------------------------------------
    def one(self, statement: str, params: dict):
        with self.db.reader() as cur:
            row = cur.execute(statement, params).fetchall()
        return row[0] if row else None

    def source(self, fact: dict) -> Source | None:
        ref = fact.get("source")
        if ref is None:
            return None
        document = self.docs[ref["doc"]]["title"] if "doc" in ref else ref["document"]
        return Source(document, ref["article"], ref["excerpt"])

    def check_excerpts(self, node: object) -> None:
        """Every source of the file that cites a document whose text is known, checked
        before anything is written (records already there included)."""
        if isinstance(node, dict):
            ref = node.get("source")
            if isinstance(ref, dict) and ref.get("doc") in self.docs and "excerpt" in ref:
                self._check_verbatim(ref["doc"], ref.get("article", ""), ref["excerpt"])
            for value in node.values():
                self.check_excerpts(value)
        elif isinstance(node, list):
            for value in node:
                self.check_excerpts(value)

    def _check_verbatim(self, doc: str, article: str, excerpt: str) -> None:
        """When the act's text is known (its file in ``data/sources/`` or beside the
        loaded file), an excerpt it does not contain word for word is refused."""
        if doc not in self.texts:
            self.texts[doc] = _document_text(self.docs[doc], self.folder)
        text = self.texts[doc]
        if text is not None and verbatim(excerpt) not in text:
            raise ValidationError(
                f"L'extrait cité pour « {article} » ne figure pas mot pour mot dans "
                f"« {fmt.shorten(self.docs[doc]['title'], 80)} » ({self.docs[doc]['file']}) : "
                f"« {fmt.shorten(excerpt, 80)} ». Recopiez-le depuis le texte de l'acte."
            )

    def origin_of(self, fact: dict) -> Origin | None:
        """Where a record comes from: ``origin = { act = "…", article = "…" }``, ``{
        decision = "…" }`` or ``{ on = 2024-01-15, reason = "…" }``; none: the day it is
        loaded."""
        given = fact.get("origin")
        if given is None:
            return None
        if not isinstance(given, dict) or not given.keys() <= {
            "act",
            "article",
            "decision",
            "on",
            "reason",
        }:
            raise ValidationError(
                "« origin » attend { act = …, article = … }, { decision = … } ou "
                "{ on = AAAA-MM-JJ, reason = … }."
            )
        return Origin(
            act_id=self.ref("legal_act", given["act"]) if "act" in given else None,
            article=given.get("article"),
            decision_id=self.ref("decision", given["decision"]) if "decision" in given else None,
            stated_on=_date(given["on"]) if "on" in given else None,
            reason=given.get("reason"),
        )

    def keep_origin(self, what: str, table: str, row_id: int, fact: dict) -> None:
        """An existing record's origin made what the file says (when it says one)."""
        wanted = self.origin_of(fact)
        if wanted is None:
            return
        with self.db.reader() as cur:
            current = origins.get(cur, table, row_id)
        now = origins.clean(wanted)
        if current is not None and all(
            current[k] == v for k, v in (
                ("act_id", now.act_id), ("article", now.article),
                ("decision_id", now.decision_id), ("stated_on", now.stated_on),
                ("reason", now.reason))
        ):  # fmt: skip
            return
        existence.set_origin(self.db, self.actor, table, row_id, origin=wanted)
        self.report.changed.append(f"{what} : origine → {fmt.origin_fr(now)}")

    def person_name(self, person_id: int | None) -> str:
        row = self.one("select full_name from person where id = $i", {"i": person_id})
        return row[0] if row else fmt.UNKNOWN

    def created(self, what: str) -> None:
        self.report.created.append(what)

    def compare(self, table: str, row_id: int, wanted: dict) -> dict:
        """The fields of ``wanted`` whose value differs from the row's."""
        columns = ", ".join(wanted)
        # table and columns come from this module's fixed lists below
        values = self.one(f"select {columns} from {table} where id = $id", {"id": row_id})
        current = dict(zip(wanted, values, strict=True))
        return {k: v for k, v in wanted.items() if _normal(current[k]) != _normal(v)}

    def update(self, what: str, table: str, row_id: int, wanted: dict, service, **kwargs) -> None:
        changes = self.compare(table, row_id, wanted) if wanted else {}
        if not changes:
            self.report.unchanged += 1
            return
        version = self.one(f"select version from {table} where id = $id", {"id": row_id})[0]
        service(self.db, self.actor, row_id, expected_version=version, reason=self.reason,
                **kwargs, **changes)  # fmt: skip
        self.report.changed.append(
            f"{what} : " + " ; ".join(f"{k} → {_shown(v)}" for k, v in changes.items())
        )

    # -- references -----------------------------------------------------------------
    def ref(self, kind: str, value: object) -> int:
        """The id of a record named by its key in the file, or by its code / reference
        in the database."""
        if isinstance(value, str) and (kind, value) in self.keys:
            return self.keys[(kind, value)]
        found = getattr(self, f"_find_{kind}")(value)
        if found is None:
            raise ValidationError(
                f"{fmt.ENTITY_NOUNS.get(kind, (kind,))[0]} « {value} » introuvable."
            )
        return found

    def _find_organisation(self, value) -> int | None:
        if not isinstance(value, str):
            return None
        row = self.one("select id from organisation where code = $c", {"c": value})
        return row and row[0]

    def _find_programme(self, value) -> int | None:
        if not isinstance(value, str):
            return None
        row = self.one("select id from programme where code = $c", {"c": value})
        return row and row[0]

    def _find_person(self, value) -> int | None:
        if not isinstance(value, dict):
            return None
        row = self.one(
            "select p.id from person p join organisation o on o.id = p.organisation_id"
            " where o.code = $o and p.full_name = $n",
            {"o": value["organisation"], "n": value["name"]},
        )
        return row and row[0]

    def _find_legal_act(self, value) -> int | None:
        if isinstance(value, str):
            row = self.one(
                "select id from legal_act where reference = $r and cancelled_at is null",
                {"r": value},
            )
            return row and row[0]
        programme = self.ref("programme", value["programme"])
        rows = self._rows(
            "select id from legal_act where programme_id = $p and kind = $k and cancelled_at is null"
            " and ($n is null or number = $n)",
            {"p": programme, "k": value["kind"], "n": value.get("number")},
        )
        if len(rows) > 1:
            raise ValidationError(
                f"« {value} » désigne {len(rows)} actes : précisez le numéro ou la référence."
            )
        return rows[0][0] if rows else None

    def _find_phase(self, value) -> int | None:
        if not isinstance(value, dict):
            return None
        row = self.one(
            "select id from phase where programme_id = $p and number = $n",
            {"p": self.ref("programme", value["programme"]), "n": value["number"]},
        )
        return row and row[0]

    def _find_orientation(self, value) -> int | None:
        if not isinstance(value, dict):
            return None
        row = self.one(
            "select id from orientation where programme_id = $p and title = $t",
            {"p": self.ref("programme", value["programme"]), "t": value["title"]},
        )
        return row and row[0]

    def _find_committee(self, value) -> int | None:
        if not isinstance(value, dict):
            return None
        row = self.one(
            "select id from committee where programme_id = $p and name = $n",
            {"p": self.ref("programme", value["programme"]), "n": value["name"]},
        )
        return row and row[0]

    def _find_action(self, value) -> int | None:
        """A live action named by ``{ programme, title }``."""
        if not isinstance(value, dict):
            return None
        rows = self._rows(
            "select id from action where programme_id = $p and title = $t and archived_on is null",
            {"p": self.ref("programme", value["programme"]), "t": value["title"]},
        )
        if len(rows) > 1:
            raise ValidationError(f"« {value['title']} » désigne {len(rows)} actions du programme.")
        return rows[0][0] if rows else None

    def _find_budget_line(self, value) -> int | None:
        if not isinstance(value, dict):
            return None
        row = self.one(
            "select id from budget_line where programme_id = $p and fiscal_year = $y"
            " and cancelled_at is null order by id desc limit 1",
            {"p": self.ref("programme", value["programme"]), "y": value["fiscal_year"]},
        )
        return row and row[0]

    def _rows(self, statement: str, params: dict) -> list:
        with self.db.reader() as cur:
            return cur.execute(statement, params).fetchall()

    # -- sections -------------------------------------------------------------------
    def run(self) -> None:
        self.check_excerpts({k: v for k, v in self.facts.items() if k != "documents"})
        for section in (
            "organisations", "persons", "programmes", "links", "acts", "phases",
            "orientations", "actions", "committees", "statuses", "budget_lines", "payments",
            "notes", *load_evaluation.SECTIONS, *load_judgements.SECTIONS,
        ):  # fmt: skip
            for index, fact in enumerate(self.facts.get(section, []), start=1):
                self.where = f"[[{section}]] n° {index}"
                handler = (load_evaluation.HANDLERS | load_judgements.HANDLERS).get(section)
                if handler is not None:
                    handler(self, fact)
                else:
                    getattr(self, f"_{section}")(fact)

    def _organisations(self, fact: dict) -> None:
        existing = self._find_organisation(fact["code"])
        wanted = {"name": fact["name"], "kind": fact["kind"], "siret": fact.get("siret"),
                  "rna": fact.get("rna")}  # fmt: skip
        if "funder_category" in fact:  # else: left as recorded (a file that does not say)
            wanted["funder_category"] = fact["funder_category"]
        if existing is None:
            existing = programmes.create_organisation(
                self.db, self.actor, code=fact["code"], source=self.source(fact), **wanted
            )
            self.created(f"organisation « {fact['name']} »")
        else:
            self.update(f"organisation « {fact['name']} »", "organisation", existing, wanted,
                        programmes.update_organisation)  # fmt: skip
        self.keys[("organisation", fact.get("key", fact["code"]))] = existing

    def _persons(self, fact: dict) -> None:
        organisation = self.ref("organisation", fact["organisation"])
        row = self.one(
            "select id from person where organisation_id = $o and full_name = $n",
            {"o": organisation, "n": fact["full_name"]},
        )
        if row is None:
            person = programmes.create_person(
                self.db, self.actor, full_name=fact["full_name"], organisation_id=organisation,
                role_title=fact["role_title"], source=self.source(fact),
            )  # fmt: skip
            self.created(f"personne « {fact['full_name']} »")
        else:
            person = row[0]
            self.update(f"personne « {fact['full_name']} »", "person", person,
                        {"role_title": fact["role_title"]}, programmes.update_person)  # fmt: skip
        self.keys[("person", fact.get("key", fact["full_name"]))] = person

    def _programmes(self, fact: dict) -> None:
        existing = self._find_programme(fact["code"])
        wanted = {"title": fact["title"], "kind": fact["kind"],
                  "description": fact.get("description")}  # fmt: skip
        if existing is None:
            existing = programmes.create_programme(
                self.db, self.actor, code=fact["code"], source=self.source(fact), **wanted
            )
            self.created(f"programme « {fact['code']} »")
        else:
            self.update(f"programme « {fact['code']} »", "programme", existing, wanted,
                        programmes.update_programme)  # fmt: skip
        self.keys[("programme", fact.get("key", fact["code"]))] = existing
        self.codes[fact.get("key", fact["code"])] = fact["code"]

    def _links(self, fact: dict) -> None:
        origin, target = self.ref("programme", fact["from"]), self.ref("programme", fact["to"])
        kind = fact.get("kind", "feeds")
        if self.one(
            "select 1 from programme_link where from_programme_id = $f and to_programme_id = $t"
            " and kind = $k",
            {"f": origin, "t": target, "k": kind},
        ):
            self.report.unchanged += 1
            return
        programmes.link_programmes(
            self.db, self.actor, from_programme_id=origin, to_programme_id=target, kind=kind,
            description=fact.get("description"), source=self.source(fact),
        )  # fmt: skip
        named = [self.codes.get(fact[end], fact[end]) for end in ("from", "to")]
        self.created(f"lien « {named[0]} {fmt.LINK_KIND_LABELS[kind]} {named[1]} »")

    ACT_FIELDS = tuple(acts.ACT_FIELDS)

    def _acts(self, fact: dict) -> None:
        programme = self.ref("programme", fact["programme"])
        amends = self.ref("legal_act", fact["amends"]) if "amends" in fact else None
        existing = self._existing_act(fact, programme, amends)
        fields = {k: _date(fact[k]) if k.endswith(("_on", "_date", "_to")) else fact[k]
                  for k in self.ACT_FIELDS if k in fact and k != "title"}  # fmt: skip
        if "framework" in fact:  # the act that frames it: a key of the file or a reference
            fields["framework_act_id"] = self.ref("legal_act", fact["framework"])
        label = f"acte « {fmt.shorten(fact['title'], 60)} »"
        if existing is None:
            existing = acts.create_act(
                self.db, self.actor, programme_id=programme, kind=fact["kind"],
                title=fact["title"], amends_act_id=amends, source=self.source(fact), **fields,
            )  # fmt: skip
            self.created(label)
        else:
            self.update(label, "legal_act", existing, {"title": fact["title"], **fields},
                        acts.update_act)  # fmt: skip
        self.keys[("legal_act", fact.get("key", fact.get("reference") or fact["title"]))] = existing
        for party in fact.get("parties", []):
            self._party(existing, party, fact)
        for clause in fact.get("clauses", []):
            self._clause(existing, clause, fact)

    def _existing_act(self, fact: dict, programme: int, amends: int | None) -> int | None:
        if fact.get("reference"):
            found = self._find_legal_act(fact["reference"])
            if found:
                return found
        if fact["kind"] == "amendment" and fact.get("number"):
            row = self.one(
                "select id from legal_act where amends_act_id = $a and number = $n"
                " and cancelled_at is null",
                {"a": amends, "n": fact["number"]},
            )
            return row and row[0]
        row = self.one(
            "select id from legal_act where programme_id = $p and kind = $k and title = $t"
            " and cancelled_at is null",
            {"p": programme, "k": fact["kind"], "t": fact["title"]},
        )
        return row and row[0]

    def _party(self, act: int, party: dict, fact: dict) -> None:
        organisation = self.ref("organisation", party["organisation"])
        people = {
            "represented_by": self.ref("person", party["represented_by"])
            if "represented_by" in party else None,
            "signatory_id": self.ref("person", party["signatory"]) if "signatory" in party else None,
        }  # fmt: skip
        existing = self.one(
            "select represented_by, signatory_id from act_party"
            " where act_id = $a and organisation_id = $o",
            {"a": act, "o": organisation},
        )
        if existing is not None:
            # a field the file gives is written (or refused by the service), never skipped
            seen = dict(zip(("represented_by", "signatory_id"), existing, strict=True))
            wanted = {k: (v if _PARTY_KEYS[k] in party else seen[k]) for k, v in people.items()}
            if wanted == seen:
                self.report.unchanged += 1
                return
            acts.update_act_party(self.db, self.actor, act_id=act, organisation_id=organisation,
                                  seen=seen, reason=self.reason, **wanted)  # fmt: skip
            self.report.changed.append(
                f"partie « {party['organisation']} » à l'acte « {fmt.shorten(fact['title'], 60)} » : "
                + " ; ".join(f"{_PARTY_LABELS[k]} → {self.person_name(v)}"
                             for k, v in wanted.items() if v != seen[k])
            )  # fmt: skip
            return
        acts.add_act_party(
            self.db, self.actor, act_id=act, organisation_id=organisation, **people,
            source=self.source(party if "source" in party else fact),
        )  # fmt: skip
        self.created(
            f"partie « {party['organisation']} » à l'acte « {fmt.shorten(fact['title'], 60)} »"
        )

    def _clause(self, act: int, clause: dict, fact: dict) -> None:
        row = self.one(
            "select id from clause where act_id = $a and kind = $k and article = $r"
            " and summary = $s and cancelled_at is null",
            {"a": act, "k": clause["kind"], "r": clause["article"], "s": clause["summary"]},
        )
        if row is None:
            target = (
                self.one("select amends_act_id from legal_act where id = $a", {"a": act})[0]
                if clause.get("applies_to_amended")
                else None
            )
            clause_id = acts.add_clause(
                self.db, self.actor, act_id=act, kind=clause["kind"], article=clause["article"],
                summary=clause["summary"], days=clause.get("days"), months=clause.get("months"),
                target_act_id=target, source=self.source(clause),
                yearly_amount=_amount(clause.get("yearly_amount")),
            )  # fmt: skip
            self.created(
                f"clause « {clause['article']} » de l'acte « {fmt.shorten(fact['title'], 60)} »"
            )
        else:
            clause_id = row[0]
            wanted = {k: _amount(clause[k]) for k in ("yearly_amount",) if k in clause}
            self.update(f"clause « {clause['article']} »", "clause", clause_id, wanted,
                        acts.update_clause)  # fmt: skip
        self.keys[("clause", f"{fact.get('key', act)}/{clause['kind']}")] = clause_id

    def _phases(self, fact: dict) -> None:
        programme = self.ref("programme", fact["programme"])
        row = self.one(
            "select id from phase where programme_id = $p and number = $n",
            {"p": programme, "n": fact["number"]},
        )
        wanted = _work_fields(fact)
        if row is None:
            phase = work.create_phase(self.db, self.actor, programme_id=programme,
                                      number=fact["number"], source=self.source(fact),
                                      origin=self.origin_of(fact), **wanted)  # fmt: skip
            self.created(f"phase {fact['number']} « {fmt.shorten(fact['title'], 60)} »")
        else:
            phase = row[0]
            self.update(f"phase {fact['number']}", "phase", phase, wanted, work.update_phase)
            self.keep_origin(f"phase {fact['number']}", "phase", phase, fact)
        self.keys[("phase", fact.get("key", str(fact["number"])))] = phase

    def _orientations(self, fact: dict) -> None:
        programme = self.ref("programme", fact["programme"])
        phase = self.ref("phase", fact["phase"]) if "phase" in fact else None
        row = self.one(
            "select id from orientation where programme_id = $p and title = $t",
            {"p": programme, "t": fact["title"]},
        )
        wanted = _work_fields(fact)
        if row is None:
            orientation = work.create_orientation(
                self.db, self.actor, programme_id=programme, phase_id=phase,
                source=self.source(fact), origin=self.origin_of(fact), **wanted,
            )  # fmt: skip
            self.created(f"orientation « {fmt.shorten(fact['title'], 60)} »")
        else:
            orientation = row[0]
            self.update("orientation", "orientation", orientation, wanted, work.update_orientation)
            self.keep_origin("orientation", "orientation", orientation, fact)
        self.keys[("orientation", fact.get("key", fact["title"]))] = orientation

    def _actions(self, fact: dict) -> None:
        parent = _action_parent(self, fact)
        column, parent_id = next(iter(parent.items()))
        # the column comes from _action_parent's fixed names
        row = self.one(
            f"select id from action where {column} = $p and title = $t and archived_on is null",
            {"p": parent_id, "t": fact["title"]},
        )
        wanted = _work_fields(fact)
        if row is None:
            action = work.create_action(self.db, self.actor, source=self.source(fact),
                                        origin=self.origin_of(fact), **parent, **wanted)  # fmt: skip
            self.created(f"action « {fmt.shorten(fact['title'], 60)} »")
        else:
            action = row[0]
            self.update("action", "action", action, wanted, work.update_action)
            self.keep_origin("action", "action", action, fact)
        self._axes(action, fact)
        self.keys[("action", fact.get("key", fact["title"]))] = action

    def _axes(self, action: int, fact: dict) -> None:
        """The axes or piliers the file gives an action (``axes = [...]``), written when
        they differ."""
        if "axes" not in fact:
            return
        current = (
            self.one(
                "select list(axis order by id) from action_axis"
                " where action_id = $a and cancelled_at is null",
                {"a": action},
            )[0]
            or []
        )
        if set(current) == set(fact["axes"]):
            return
        work.set_action_axes(self.db, self.actor, action, axes=list(fact["axes"]))
        self.report.changed.append(
            f"action « {fmt.shorten(fact['title'], 60)} » : axes → {' ; '.join(fact['axes'])}"
        )

    def _committees(self, fact: dict) -> None:
        programme = self.ref("programme", fact["programme"])
        row = self.one(
            "select id from committee where programme_id = $p and name = $n",
            {"p": programme, "n": fact["name"]},
        )
        if row is None:
            committee = committees.create_committee(
                self.db, self.actor, programme_id=programme, kind=fact["kind"], name=fact["name"],
                mandate=fact.get("mandate"), source=self.source(fact),
                origin=self.origin_of(fact),
            )  # fmt: skip
            self.created(f"comité « {fmt.shorten(fact['name'], 60)} »")
        else:
            committee = row[0]
            # a field the file leaves out is not said, never erased
            self.update("comité", "committee", committee,
                        {k: fact[k] for k in ("kind", "mandate") if k in fact},
                        committees.update_committee)  # fmt: skip
            self.keep_origin("comité", "committee", committee, fact)
        self.keys[("committee", fact.get("key", fact["name"]))] = committee
        for meeting in fact.get("meetings", []):
            self._meeting(committee, meeting)

    def _meeting(self, committee: int, fact: dict) -> None:
        held_on = _date(fact["held_on"])
        row = self.one(
            "select id from meeting where committee_id = $c and held_on = $d and cancelled_at is null",
            {"c": committee, "d": held_on},
        )
        if row is None:
            meeting = committees.record_meeting(
                self.db, self.actor, committee_id=committee, held_on=held_on,
                place=fact.get("place"), source=self.source(fact), origin=self.origin_of(fact),
            )  # fmt: skip
            self.created(f"réunion du {fmt.date_fr(held_on)}")
        else:
            meeting = row[0]
            self.report.unchanged += 1
            self.keep_origin(f"réunion du {fmt.date_fr(held_on)}", "meeting", meeting, fact)
        self.keys[("meeting", fact.get("key", str(held_on)))] = meeting
        for decision in fact.get("decisions", []):
            self._decision(meeting, decision)

    def _decision(self, meeting: int, fact: dict) -> None:
        row = self.one(
            "select id from decision where meeting_id = $m and text = $t and cancelled_at is null",
            {"m": meeting, "t": fact["text"]},
        )
        if row is None:
            decision = committees.add_decision(
                self.db, self.actor, meeting_id=meeting,
                decision=committees.DecisionInput(
                    fact["kind"], fact["text"],
                    [(kind, self.ref(kind, key)) for kind, key in fact.get("items", [])],
                    self.source(fact),
                ),
            )  # fmt: skip
            self.created(f"décision « {fmt.shorten(fact['text'], 60)} »")
        else:
            decision = row[0]
            self.report.unchanged += 1
        self.keys[("decision", fact.get("key", fact["text"]))] = decision

    def _statuses(self, fact: dict) -> None:
        kind, key = fact["item"]
        item = self.ref(kind, key)
        on = _date(fact["occurred_on"])
        if self.one(
            "select 1 from status_event where item_kind = $k and item_id = $i and occurred_on = $d"
            " and to_status = $s",
            {"k": kind, "i": item, "d": on, "s": fact["to_status"]},
        ):
            self.report.unchanged += 1
            return
        with self.db.reader() as cur:
            latest = status.latest_event(cur, kind, item)
        status.change_status(
            self.db, self.actor, kind, item, to_status=fact["to_status"],
            seen_event_id=latest["id"] if latest else None, occurred_on=on,
            progress=fact.get("progress"), comment=fact.get("comment"),
            decision_id=self.ref("decision", fact["decision"]) if "decision" in fact else None,
            source=self.source(fact),
        )  # fmt: skip
        self.created(f"statut « {fmt.STATUS_LABELS[fact['to_status']]} » le {fmt.date_fr(on)}")

    def _budget_lines(self, fact: dict) -> None:
        programme = self.ref("programme", fact["programme"])
        act = self.ref("legal_act", fact["act"]) if "act" in fact else None
        funder = self.ref("organisation", fact["funder"]) if "funder" in fact else None
        action = self.ref("action", fact["action"]) if "action" in fact else None
        # one funder's line for one action and year under one act (a financing plan has
        # several lines of one year and act: one per funder and action)
        row = self.one(
            "select id from budget_line where programme_id = $p and fiscal_year = $y"
            " and act_id is not distinct from $a and kind = $k and cancelled_at is null"
            " and ($f is null or funder_id = $f) and action_id is not distinct from $w",
            {"p": programme, "y": fact["fiscal_year"], "a": act,
             "k": fact.get("kind", "financial"), "f": funder, "w": action},
        )  # fmt: skip
        wanted = {"amount": _amount(fact.get("amount")), "tax_basis": fact["tax_basis"],
                  "label": fact.get("label"), "description": fact.get("description")}  # fmt: skip
        if "funding_nature" in fact:
            wanted["funding_nature"] = fact["funding_nature"]
        plan = {"over_act_reason": fact.get("over_act_reason"), "action_id": action}
        label = f"ligne budgétaire {fact['fiscal_year']} ({fact['programme']})"
        if row is None:
            clause = fact.get("clause")
            line = budget.create_budget_line(
                self.db, self.actor, programme_id=programme, fiscal_year=fact["fiscal_year"],
                kind=fact.get("kind", "financial"), act_id=act,
                clause_id=self.keys[("clause", "/".join(clause))] if clause else None,
                funder_id=funder,
                recipient_id=self.ref("organisation", fact["recipient"])
                if "recipient" in fact else None,
                supersedes_line_id=self.ref("budget_line", fact["supersedes"])
                if "supersedes" in fact else None,
                source=self.source(fact), origin=self.origin_of(fact), **plan, **wanted,
            )  # fmt: skip
            self.created(label)
        else:
            line = row[0]
            self.update(label, "budget_line", line, wanted, budget.update_budget_line,
                        over_act_reason=fact.get("over_act_reason"))  # fmt: skip
        if "territories" in fact:
            self._line_territories(line, label, fact["territories"])
        self.keys[("budget_line", fact.get("key", label))] = line

    def _line_territories(self, line: int, label: str, codes: list) -> None:
        """The territories a line finances, by their codes (``territories = [...]``),
        written when they differ."""
        wanted = []
        for code in codes:
            rows = self._rows("select id from territory where code = $c", {"c": str(code)})
            if len(rows) != 1:
                raise ValidationError(
                    f"Territoire « {code} » : {'introuvable' if not rows else 'ambigu'}."
                )
            wanted.append(rows[0][0])
        current = (
            self.one(
                "select list(territory_id order by territory_id) from territory_tag"
                " where entity = 'budget_line' and entity_id = $b and cancelled_at is null",
                {"b": line},
            )[0]
            or []
        )
        if sorted(wanted) == sorted(current):
            self.report.unchanged += 1
            return
        territories.tag_territories(self.db, self.actor, entity="budget_line", entity_id=line,
                                    territory_ids=wanted)  # fmt: skip
        said = f"{label} : territoires {', '.join(map(str, codes))}"
        if current:
            self.report.changed.append(said)
        else:
            self.created(said)

    def _payments(self, fact: dict) -> None:
        line = self.ref("budget_line", fact["budget_line"])
        on, amount = _date(fact["occurred_on"]), _amount(fact["amount"])
        if self.one(
            "select 1 from payment where budget_line_id = $b and stage = $s and occurred_on = $d"
            " and amount = $m and cancelled_at is null",
            {"b": line, "s": fact["stage"], "d": on, "m": amount},
        ):
            self.report.unchanged += 1
            return
        budget.record_payment(
            self.db, self.actor, budget_line_id=line, stage=fact["stage"], occurred_on=on,
            amount=amount, reference=fact.get("reference"),
            over_budget_reason=fact.get("over_budget_reason"),
        )  # fmt: skip
        self.created(
            f"{fmt.STAGE_LABELS[fact['stage']]} de {fmt.money(amount)} le {fmt.date_fr(on)}"
        )

    def _notes(self, fact: dict) -> None:
        programme = self.ref("programme", fact["programme"])
        if self.one(
            "select 1 from programme_note where programme_id = $p and title = $t",
            {"p": programme, "t": fact["title"]},
        ):
            self.report.unchanged += 1
            return
        programmes.add_programme_note(
            self.db, self.actor, programme_id=programme, title=fact["title"], body=fact["body"],
            kind=fact.get("kind", "finding"), source=self.source(fact),
        )  # fmt: skip
        self.created(f"note « {fmt.shorten(fact['title'], 60)} »")


WORK_FIELDS = ("title", "starts_on", "ends_on", "weight", "lead", "territory")


#: a party's columns, the file's key for each, and its French name
_PARTY_KEYS = {"represented_by": "represented_by", "signatory_id": "signatory"}
_PARTY_LABELS = {"represented_by": "représentant", "signatory_id": "signataire"}


def verbatim(text: str) -> str:
    """A text as compared word for word: spaces folded, Markdown's bold and headings off."""
    return re.sub(r"\s+", " ", text.replace("**", "").replace("#", "")).strip()


def _document_text(document: dict, folder: Path | None) -> str | None:
    """The text of a document the file names (``file``), from beside the loaded file,
    else from ``data/sources/``; None when it is not there (nothing to compare with)."""
    name = document.get("file")
    if not name or Path(name).name != name:  # a bare file name, never a path
        return None
    for place in (folder, resource_dir("sources")):
        if place is not None and (place / name).is_file():
            return verbatim((place / name).read_text(encoding="utf-8", errors="replace"))
    return None


def _work_fields(fact: dict) -> dict:
    values = {k: fact[k] for k in WORK_FIELDS if k in fact}
    for key in ("starts_on", "ends_on"):
        if key in values:
            values[key] = _date(values[key])
    if "weight" in values:
        values["weight"] = Decimal(str(values["weight"]))
    return values


def _action_parent(loader: _Loader, fact: dict) -> dict:
    for kind, column in (("orientation", "orientation_id"), ("phase", "phase_id"),
                         ("programme", "programme_id")):  # fmt: skip
        if kind in fact:
            return {column: loader.ref(kind, fact[kind])}
    raise ValidationError("Une action indique son orientation, sa phase ou son programme.")


def _date(value: object) -> object:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _amount(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise ValidationError(
            f"Montant « {value} » écrit comme un nombre à virgule : écrivez-le entre guillemets "
            '(« "50000.00" ») pour qu\'il reste exact.'
        )
    return validate.amount(value)


def _normal(value: object) -> object:
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


def _shown(value: object) -> str:
    if value is None:
        return fmt.UNKNOWN
    if isinstance(value, dt.date):
        return fmt.date_fr(value)
    return str(value)
