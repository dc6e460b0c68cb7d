"""From an extraction (``act_text``) to the records ``cdv load`` reads, matched with what
the database holds: the organisations of the parties by their names, the persons by
organisation and name, an avenant's convention by its reference (and so its
programme), the clauses, committee and budget lines an existing act already has. The
load then says what it would create or change (the diff) and writes nothing before
confirmation; its dry run is the review."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.ingest import french
from dashboard.ingest.act_text import Extraction, Fact
from dashboard.tracker import fmt
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError

ACT_FIELDS = ("kind", "number", "title", "reference", "signed_on", "concluded_on",
              "effective_rule", "effective_on", "ends_on", "deliberation_body",
              "deliberation_number", "deliberation_date")  # fmt: skip
KEY = "acte-importe"


def squeeze(text: str) -> str:
    """Letters and digits only, lower case, accents dropped: names compared this way."""
    letters = re.sub(r"^(?:la|le|l')\s*", "", french.plain(text))
    return re.sub(r"[^a-z0-9]", "", letters)


def _source(fact: Fact, document: str) -> dict | None:
    if not fact.found or not fact.excerpt:
        return None
    return {
        "doc": document,
        "article": fact.article or "non précisé",
        "excerpt": fact.excerpt[:300],
    }


def _one(db: Database, statement: str, params: dict):
    with db.reader() as cur:
        row = cur.execute(statement, params).fetchone()
    return row[0] if row else None


class Planner:
    """Builds the ``cdv load`` records of one extraction against one database."""

    def __init__(self, db: Database, extraction: Extraction, origin: str, programme: str | None):
        self.db, self.x, self.origin = db, extraction, origin
        self.document = "acte"
        self.facts: dict = {"documents": {self.document: {"title": self._short_title(),
                                                           "file": origin}}}  # fmt: skip
        self.same = self._same_act()
        if self.same is not None:
            if programme and programme != self.same["programme"]:
                raise ValidationError(
                    f"Cet acte est déjà enregistré (« {fmt.shorten(self.same['title'], 80)} », "
                    f"programme {self.same['programme']}) : l'import le complète au lieu d'en "
                    f"créer un second. Choisissez le programme {self.same['programme']} (ou "
                    "aucun) pour voir ce qu'il ajouterait ou corrigerait."
                )
            programme = self.same["programme"]
        self.programme = self._programme(programme)
        self.existing_act = self._existing_act()

    def _short_title(self) -> str:
        title = self.x.title.value or self.origin
        return fmt.shorten(title, 120)

    # -- matching ---------------------------------------------------------------------------
    def _same_act(self) -> dict | None:
        """An act already recorded that is this one: the same reference, or the same kind,
        title (letters only) and parties. Its programme and title are then the import's,
        so that it completes that act (a difference to review) instead of doubling it."""
        with self.db.reader() as cur:
            rows = cur.execute(
                "select a.id, a.kind, a.title, a.reference, p.code,"
                " (select list(o.name) from act_party ap join organisation o"
                "  on o.id = ap.organisation_id where ap.act_id = a.id) as parties"
                " from legal_act a join programme p on p.id = a.programme_id"
                " where a.cancelled_at is null"
            ).fetchall()
        title = squeeze(self.x.title.value or "")
        names = {squeeze(p["organisation"].value) for p in self.x.parties
                 if p["organisation"].found}  # fmt: skip
        for act_id, kind, recorded, reference, code, parties in rows:
            if self.x.reference.found and reference == self.x.reference.value:
                return {"id": act_id, "programme": code, "title": recorded}
            same_parties = {squeeze(n) for n in parties or []}
            if (
                title
                and kind == (self.x.kind.value or "other")
                and squeeze(recorded) == title
                and names
                and all(any(n.startswith(k) or k.startswith(n) for k in same_parties)
                        for n in names)
            ):  # fmt: skip
                return {"id": act_id, "programme": code, "title": recorded}
        return None

    def _amended_act(self) -> tuple[int, str] | None:
        if not self.x.amends.found:
            return None
        with self.db.reader() as cur:
            row = cur.execute(
                "select a.id, p.code from legal_act a join programme p on p.id = a.programme_id "
                "where a.reference = $r and a.cancelled_at is null", {"r": self.x.amends.value},
            ).fetchone()  # fmt: skip
        return (row[0], row[1]) if row else None

    def _programme(self, wanted: str | None) -> str:
        amended = self._amended_act()
        if amended and wanted and wanted != amended[1]:
            raise ValidationError(
                f"L'avenant modifie la convention {self.x.amends.value}, qui relève du programme "
                f"{amended[1]} et non de {wanted}."
            )
        if amended:
            return amended[1]
        if self.x.kind.value == "amendment":
            raise ValidationError(
                "C'est un avenant, mais la convention qu'il modifie "
                + (f"({self.x.amends.value}) n'est pas dans la base"
                   if self.x.amends.found else "n'est pas nommée par une référence")
                + " : enregistrez-la d'abord, ou corrigez l'extraction (fichier TOML)."
            )  # fmt: skip
        if not wanted:
            raise ValidationError(
                "Indiquez le programme de cette convention (--programme CODE, ou le choix de la "
                "page) : un programme existant, ou le code d'un nouveau programme."
            )
        if not _one(self.db, "select id from programme where code = $c", {"c": wanted}):
            self.facts["programmes"] = [{"code": wanted, "title": self._short_title(),
                                         "kind": "other"}]  # fmt: skip
        return wanted

    def _existing_act(self) -> int | None:
        if self.x.reference.found:
            found = _one(self.db, "select id from legal_act where reference = $r and "
                         "cancelled_at is null", {"r": self.x.reference.value})  # fmt: skip
            if found:
                return found
        if self.x.kind.value == "amendment" and self.x.number.found:
            amended = self._amended_act()
            return _one(self.db, "select id from legal_act where amends_act_id = $a and number = $n"
                        " and cancelled_at is null", {"a": amended[0], "n": self.x.number.value})  # fmt: skip
        if self.x.title.found:
            return _one(self.db, "select a.id from legal_act a join programme p on "
                        "p.id = a.programme_id where p.code = $p and a.title = $t and "
                        "a.cancelled_at is null", {"p": self.programme, "t": self.x.title.value})  # fmt: skip
        return None

    def organisation(self, name: str, paragraph: str = "") -> str:
        """The code of the organisation named ``name`` (compared letters only), or a new
        organisation with a code made of its initials, of the kind its name or its
        paragraph says (« association », « Commune de … », « l'État »…), else « autre »."""
        with self.db.reader() as cur:
            rows = cur.execute("select code, name from organisation").fetchall()
        for code, known in rows:
            if squeeze(known) == squeeze(name) or squeeze(known).startswith(squeeze(name)):
                return code
        code = "".join(w[0] for w in re.findall(r"[A-Za-zÀ-ÿ]{3,}", name)).upper()[:12] or "ORG"
        self.facts.setdefault("organisations", []).append(
            {"code": code, "name": name, "kind": organisation_kind(name, paragraph)})  # fmt: skip
        return code

    def person(self, organisation: str, fact: Fact, role: Fact) -> dict | None:
        if not fact.found:
            return None
        exists = _one(self.db, "select p.id from person p join organisation o on "
                      "o.id = p.organisation_id where o.code = $o and lower(p.full_name) = "
                      "lower($n)", {"o": organisation, "n": fact.value})  # fmt: skip
        listed = [p for p in self.facts.get("persons", []) if p["full_name"] == fact.value]
        if not exists and not listed:
            title = re.sub(r"^(?:la|le|l')\s+", "", role.value or "", flags=re.I)
            self.facts.setdefault("persons", []).append({
                "full_name": fact.value, "organisation": organisation,
                "role_title": normalize_role(title) or fmt.UNKNOWN,
                "source": _source(fact, self.document)})  # fmt: skip
        return {"organisation": organisation, "name": fact.value}

    # -- records ----------------------------------------------------------------------------
    def plan(self) -> dict:
        act = self._act()
        self.facts["acts"] = [act]
        self.facts["phases"] = [
            {"programme": self.programme, "number": p["number"], "title": p["title"].value,
             "source": _source(p["title"], self.document)}
            for p in self.x.phases
        ]  # fmt: skip
        self.facts["orientations"] = [self._orientation(o) for o in self.x.orientations]
        self._committee()
        self._budget_lines(act)
        return {k: v for k, v in self.facts.items() if v}

    def _act(self) -> dict:
        act = {"key": KEY, "programme": self.programme}
        for name in ACT_FIELDS:
            fact = getattr(self.x, name)
            if fact.found:
                act[name] = fact.value
        act.setdefault("kind", "other")
        act.setdefault("title", self._short_title())
        if self.same is not None:  # the recorded act's own title: the load completes it
            act["title"] = self.same["title"]
        if self.x.amends.found:
            act["amends"] = self.x.amends.value
        act["source"] = _source(self.x.title, self.document)
        act["parties"] = [self._party(p) for p in self.x.parties if p["organisation"].found]
        act["clauses"] = self._clauses()
        return {k: v for k, v in act.items() if v is not None}

    def _party(self, party: dict) -> dict:
        code = self.organisation(party["organisation"].value, party["organisation"].excerpt or "")
        entry = {"organisation": code, "source": _source(party["organisation"], self.document)}
        represented = self.person(code, party["represented_by"], party["role"])
        signatory = self.person(code, party["signatory"], party["signatory_role"])
        if represented:
            entry["represented_by"] = represented
        if signatory:
            entry["signatory"] = signatory
        return entry

    def _clauses(self) -> list[dict]:
        """The clauses found, but for an act already recorded only the kinds it lacks (its
        own clauses were written by a person, the extraction does not replace them)."""
        known = set()
        if self.existing_act:
            with self.db.reader() as cur:
                known = {r[0] for r in cur.execute(
                    "select kind from clause where act_id = $a and cancelled_at is null",
                    {"a": self.existing_act}).fetchall()}  # fmt: skip
        clauses, seen = [], set()
        for clause in self.x.clauses:
            if clause["kind"] in known or clause["kind"] in seen:
                continue
            seen.add(clause["kind"])
            entry = {"kind": clause["kind"], "article": clause["article"],
                     "summary": clause["excerpt"],
                     "source": {"doc": self.document, "article": clause["article"],
                                "excerpt": clause["excerpt"][:300]}}  # fmt: skip
            for number in ("days", "months"):
                if clause.get(number):
                    entry[number] = clause[number]
            clauses.append(entry)
        return clauses

    def _orientation(self, orientation: dict) -> dict:
        entry = {"programme": self.programme, "title": orientation["title"].value,
                 "source": _source(orientation["title"], self.document)}  # fmt: skip
        if orientation["phase"] is not None:
            entry["phase"] = {"programme": self.programme, "number": orientation["phase"]}
            if not any(p["number"] == orientation["phase"] for p in self.x.phases) and not _one(
                self.db,
                "select ph.id from phase ph join programme p on p.id = ph.programme_id "
                "where p.code = $p and ph.number = $n",
                {"p": self.programme, "n": orientation["phase"]},
            ):
                del entry["phase"]  # a phase the record does not have: left to the reviewer
        return entry

    def _committee(self) -> None:
        if not self.x.committee.found:
            return
        kind = self.x.committee.value
        if _one(self.db, "select c.id from committee c join programme p on p.id = c.programme_id "
                "where p.code = $p and c.kind = $k and c.archived_on is null",
                {"p": self.programme, "k": kind}):  # fmt: skip
            return
        name = f"{fmt.capitalize_first(fmt.COMMITTEE_KIND_LABELS[kind])} — {self._short_title()}"
        self.facts["committees"] = [{"programme": self.programme, "kind": kind,
                                     "name": fmt.shorten(name, 200),
                                     "mandate": self.x.committee.excerpt,
                                     "source": _source(self.x.committee, self.document)}]  # fmt: skip

    def _budget_lines(self, act: dict) -> None:
        funder = act["parties"][0]["organisation"] if act["parties"] else None
        recipient = act["parties"][1]["organisation"] if len(act["parties"]) > 1 else None
        has_financing = any(c["kind"] == "financing" for c in act["clauses"])
        lines = []
        for amount in self.x.amounts:
            if not amount["fiscal_year"].found:
                continue  # an amount without its year: shown for review, not recorded
            line = {"programme": self.programme, "act": KEY,
                    "fiscal_year": amount["fiscal_year"].value,
                    "amount": f"{amount['amount'].value:.2f}", "tax_basis": amount["tax_basis"],
                    "label": f"Participation financière {amount['fiscal_year'].value}",
                    "source": _source(amount["amount"], self.document)}  # fmt: skip
            if has_financing:
                line["clause"] = [KEY, "financing"]
            if funder:
                line["funder"] = funder
            if recipient:
                line["recipient"] = recipient
            lines.append(line)
        self.facts["budget_lines"] = lines


#: how an organisation says what it is, in its name first, then in its paragraph
_KIND_WORDS = (
    ("association", r"\bassociation\b|loi du 1er juillet 1901"),
    ("public_interest_group", r"\bgip\b|groupement d.interet public"),
    ("housing_provider", r"\bbailleur\b|\bhlm\b|\boph\b|office public de l.habitat"),
    ("state", r"^l?.?etat\b|\bprefet|\bprefecture\b"),
    (
        "local_authority",
        r"^(?:la |le |l.)?(?:commune|ville|metropole|departement|region|communaute "
        r"(?:d.agglomeration|urbaine|de communes)|conseil (?:departemental|regional)|"
        r"etablissement public territorial|collectivite)\b",
    ),
)


def organisation_kind(name: str, paragraph: str = "") -> str:
    """The kind an organisation is named as (« L'association … », « La Commune de … »,
    « L'État »), read from its name, then from its paragraph; « other » when neither
    says."""
    for text in (french.plain(name), french.plain(paragraph)):
        for kind, pattern in _KIND_WORDS:
            if re.search(pattern, text):
                return kind
    return "other"


def normalize_role(role: str) -> str:
    role = re.sub(r"\s*[–—]\s*", "-", role.strip())
    return role[:1].upper() + role[1:]


def plan(db: Database, extraction: Extraction, origin: str, programme: str | None) -> dict:
    """The ``cdv load`` records of ``extraction`` against ``db``."""
    return Planner(db, extraction, Path(origin).name, programme).plan()
