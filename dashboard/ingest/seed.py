"""Load the facts of the two source acts (data/seed/acts.toml) through the write
services, once, in one transaction: a database is either fully seeded or not at all."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dashboard.resources import resource_dir
from dashboard.tracker import acts, budget, committees, programmes, status, work
from dashboard.tracker.access import SEED_ACTOR, Actor
from dashboard.tracker.db import Database, migrate, utcnow
from dashboard.tracker.records import Source

SEED_FILE = "acts.toml"


def load_facts(path: Path | None = None) -> dict:
    with open(path or resource_dir("seed") / SEED_FILE, "rb") as handle:
        return tomllib.load(handle)


def is_seeded(db: Database) -> bool:
    return db.scalar("select count(*) from app_meta where key = 'seeded_at'") > 0


def initialize(db: Database) -> dict:
    """Migrate, then seed if never seeded. Idempotent: a second call changes nothing."""
    applied = migrate(db)
    seeded = False
    if not is_seeded(db):
        seed(db)
        seeded = True
    return {"migrations": applied, "seeded": seeded}


def seed(db: Database, facts: dict | None = None, actor: Actor = SEED_ACTOR) -> dict[str, int]:
    facts = facts or load_facts()
    docs = facts["documents"]

    def source(fact: dict) -> Source:
        ref = fact["source"]
        return Source(docs[ref["doc"]]["title"], ref["article"], ref["excerpt"])

    ids: dict[str, int] = {}
    with db.transaction() as cur:
        for org in facts["organisations"]:
            ids[org["key"]] = programmes.create_organisation(
                db, actor, code=org["code"], name=org["name"], kind=org["kind"], source=source(org)
            )
        for person in facts["persons"]:
            ids[person["key"]] = programmes.create_person(
                db,
                actor,
                full_name=person["full_name"],
                organisation_id=ids[person["organisation"]],
                role_title=person["role_title"],
                source=source(person),
            )
        for prog in facts["programmes"]:
            ids[prog["key"]] = programmes.create_programme(
                db,
                actor,
                code=prog["code"],
                title=prog["title"],
                kind=prog["kind"],
                description=prog.get("description"),
                source=source(prog),
            )
        for link in facts["links"]:
            programmes.link_programmes(
                db,
                actor,
                from_programme_id=ids[link["from"]],
                to_programme_id=ids[link["to"]],
                kind=link["kind"],
                description=link.get("description"),
                source=source(link),
            )
        clause_ids: dict[tuple[str, str], int] = {}
        for act in facts["acts"]:
            fields = {k: act[k] for k in acts.ACT_FIELDS if k in act and k != "title"}
            ids[act["key"]] = acts.create_act(
                db,
                actor,
                programme_id=ids[act["programme"]],
                kind=act["kind"],
                title=act["title"],
                amends_act_id=ids[act["amends"]] if "amends" in act else None,
                source=source(act),
                **fields,
            )
            for party in act.get("parties", []):
                acts.add_act_party(
                    db,
                    actor,
                    act_id=ids[act["key"]],
                    organisation_id=ids[party["organisation"]],
                    represented_by=ids.get(party.get("represented_by")),
                    signatory_id=ids.get(party.get("signatory")),
                    source=source(act),
                )
            for clause in act.get("clauses", []):
                clause_ids[(act["key"], clause["kind"])] = acts.add_clause(
                    db,
                    actor,
                    act_id=ids[act["key"]],
                    kind=clause["kind"],
                    article=clause["article"],
                    summary=clause["summary"],
                    days=clause.get("days"),
                    months=clause.get("months"),
                    source=source(clause),
                )
        for phase in facts["phases"]:
            ids[phase["key"]] = work.create_phase(
                db,
                actor,
                programme_id=ids[phase["programme"]],
                number=phase["number"],
                title=phase["title"],
                source=source(phase),
            )
        for orientation in facts["orientations"]:
            ids[orientation["key"]] = work.create_orientation(
                db,
                actor,
                programme_id=ids[orientation["programme"]],
                title=orientation["title"],
                phase_id=ids.get(orientation.get("phase")),
                source=source(orientation),
            )
        for committee in facts["committees"]:
            ids[committee["key"]] = committees.create_committee(
                db,
                actor,
                programme_id=ids[committee["programme"]],
                kind=committee["kind"],
                name=committee["name"],
                mandate=committee.get("mandate"),
                source=source(committee),
            )
            for meeting in committee.get("meetings", []):
                ids[meeting["key"]] = committees.record_meeting(
                    db,
                    actor,
                    committee_id=ids[committee["key"]],
                    held_on=meeting["held_on"],
                    source=source(meeting),
                )
                for decision in meeting.get("decisions", []):
                    ids[decision["key"]] = committees.add_decision(
                        db,
                        actor,
                        meeting_id=ids[meeting["key"]],
                        decision=committees.DecisionInput(
                            decision["kind"],
                            decision["text"],
                            [(kind, ids[key]) for kind, key in decision["items"]],
                            source(decision),
                        ),
                    )
        for event in facts["statuses"]:
            kind, key = event["item"]
            status.change_status(
                db,
                actor,
                kind,
                ids[key],
                to_status=event["to_status"],
                seen_event_id=None,
                occurred_on=event["occurred_on"],
                comment=event.get("comment"),
                decision_id=ids.get(event.get("decision")),
                source=source(event),
            )
        for line in facts["budget_lines"]:
            budget.create_budget_line(
                db,
                actor,
                programme_id=ids[line["programme"]],
                fiscal_year=line["fiscal_year"],
                amount=line["amount"],
                tax_basis=line["tax_basis"],
                act_id=ids[line["act"]],
                clause_id=clause_ids[tuple(line["clause"])],
                funder_id=ids[line["funder"]],
                recipient_id=ids[line["recipient"]],
                label=line.get("label"),
                source=source(line),
            )
        for note in facts["notes"]:
            programmes.add_programme_note(
                db,
                actor,
                programme_id=ids[note["programme"]],
                title=note["title"],
                body=note["body"],
                source=source(note),
            )
        cur.execute("insert into app_meta values ('seeded_at', $t)", {"t": utcnow().isoformat()})
    return ids
