"""Load the facts of the two source acts (data/seed/acts.toml) through the write
services (``cdv load``'s loader), once, in one transaction: a database is either fully
seeded or not at all."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dashboard.ingest.load import Report, load
from dashboard.resources import resource_dir
from dashboard.tracker.access import SEED_ACTOR, Actor
from dashboard.tracker.db import Database, migrate, utcnow

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
    elif ORIGINS_MIGRATION in applied:
        date_seed_records(db)
    return {"migrations": applied, "seeded": seeded}


#: the migration that gave every record the date from which it exists
ORIGINS_MIGRATION = 10
#: the seed's sections whose records say which act creates them, and how each is found
_SEEDED_ORIGINS = {
    "phases": ("phase", "select ph.id from phase ph join programme p on p.id = ph.programme_id"
               " where p.code = $programme and ph.number = $number"),
    "orientations": ("orientation", "select o.id from orientation o join programme p"
                     " on p.id = o.programme_id where p.code = $programme and o.title = $title"),
    "committees": ("committee", "select c.id from committee c join programme p"
                   " on p.id = c.programme_id where p.code = $programme and c.name = $name"),
}  # fmt: skip


def date_seed_records(db: Database, actor: Actor = SEED_ACTOR) -> int:
    """A database seeded before records had an origin (migration 0010): its seed records
    that still count from the day they were recorded are given the acts the seed names
    (the 2017 convention's phases, avenant n° 2's orientations…), so that upgrading does
    not empty the past views. Records given an origin since are left as they are. The
    number of records dated."""
    from dashboard.tracker import origins, rollups

    facts = load_facts()
    codes = {p["key"]: p["code"] for p in facts["programmes"]}
    dated = 0
    with db.transaction() as cur:
        acts = {a["key"]: _act_id(cur, a, codes) for a in facts["acts"]}
        for section, (table, find) in _SEEDED_ORIGINS.items():
            for fact in facts.get(section, []):
                origin = fact.get("origin")
                found = cur.execute(find, {k: v for k, v in {
                    "programme": codes[fact["programme"]], "number": fact.get("number"),
                    "title": fact.get("title"), "name": fact.get("name"),
                }.items() if "$" + k in find}).fetchone()  # fmt: skip
                if not origin or found is None or acts.get(origin["act"]) is None:
                    continue
                current = origins.get(cur, table, found[0])
                if current and (
                    current["act_id"] or current["decision_id"] or current["stated_on"]
                ):
                    continue
                dated += _date(cur, actor, table, found[0], acts[origin["act"]], origin)
        for committee in facts.get("committees", []):
            for meeting in committee.get("meetings", []):
                origin = meeting.get("origin")
                found = cur.execute(
                    "select m.id from meeting m join committee c on c.id = m.committee_id"
                    " join programme p on p.id = c.programme_id where p.code = $p"
                    " and c.name = $n and m.held_on = $d and m.cancelled_at is null",
                    {"p": codes[committee["programme"]], "n": committee["name"],
                     "d": meeting["held_on"]},
                ).fetchone()  # fmt: skip
                if (
                    origin
                    and found
                    and acts.get(origin["act"])
                    and not origins.get(cur, "meeting", found[0])
                ):
                    dated += _date(cur, actor, "meeting", found[0], acts[origin["act"]], origin)
        rollups.refresh_all(cur)
    return dated


def _date(cur, actor: Actor, table: str, row_id: int, act_id: int, origin: dict) -> int:
    from dashboard.tracker import origins
    from dashboard.tracker.records import audit

    before, after = origins.replace(
        cur, actor, table, row_id, origins.Origin(act_id, origin.get("article"))
    )
    audit(cur, actor, "update", "record_origin", f"{table}/{row_id}", before=before, after=after,
          reason="Mise à niveau : origine tirée des actes (data/seed/acts.toml)")  # fmt: skip
    return 1


def _act_id(cur, fact: dict, codes: dict) -> int | None:
    """A seed act in the database: by its reference, else by its programme, kind and title."""
    row = cur.execute(
        "select a.id from legal_act a join programme p on p.id = a.programme_id"
        " where a.cancelled_at is null and p.code = $p and a.kind = $k"
        " and (a.reference = $r or a.title = $t) order by a.id limit 1",
        {"p": codes[fact["programme"]], "k": fact["kind"], "r": fact.get("reference"),
         "t": fact["title"]},
    ).fetchone()  # fmt: skip
    return row[0] if row else None


def seed(db: Database, facts: dict | None = None, actor: Actor = SEED_ACTOR) -> Report:
    """The facts of the acts through ``cdv load``'s loader (the same write services), in
    one transaction, and the mark that the database was seeded."""
    with db.transaction() as cur:
        report = load(db, actor, facts or load_facts(), origin=f"data/seed/{SEED_FILE}")
        cur.execute("insert into app_meta values ('seeded_at', $t)", {"t": utcnow().isoformat()})
    return report


def missing_from_seed(db: Database) -> list[str]:
    """The records of data/seed/ this database does not hold yet (what ``cdv load`` of
    the seed file would create; what it would change is left out: those may be the
    users' corrections)."""
    report = load(db, SEED_ACTOR, load_facts(), origin=f"data/seed/{SEED_FILE}", dry_run=True)
    return report.created
