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
    return {"migrations": applied, "seeded": seeded}


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
