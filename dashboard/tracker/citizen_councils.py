"""Conseils citoyens (loi n° 2014-173 du 21 février 2014, art. 7): a body of its own,
attached to one or more QPV; its members in two collèges — « habitants » (drawn by lot)
and « associations et acteurs locaux » — with the dates of appointment, renewal and
end; the members who represent it in a comité de pilotage, from and until a date; its
opinions, on the rapport annuel or on any other matter, as dated documents with their
files. A view « au » a date counts what was in force and recorded by then."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import files, fmt, validate
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
    require_row,
    update_versioned,
)

COLLEGES = {"residents": "habitants", "local_actors": "associations et acteurs locaux"}
ABOUT = {"annual_report": "le rapport annuel", "other": "un autre sujet"}

COUNCIL_FIELDS: Spec = {
    "name": lambda v: validate.text(v, "Nom du conseil citoyen", max_len=validate.MAX_TITLE),
    "established_on": lambda v: validate.date(v, "Constitué le", required=False),
}
MEMBER_FIELDS: Spec = {
    "full_name": lambda v: validate.text(v, "Nom du membre", max_len=200),
    "college": lambda v: validate.choice(v, COLLEGES, "Collège"),
    "appointed_on": lambda v: validate.date(v, "Désigné le"),
}
OPINION_FIELDS: Spec = {
    "subject": lambda v: validate.text(v, "Objet de l'avis", max_len=validate.MAX_TITLE),
    "about": lambda v: validate.choice(v, ABOUT, "L'avis porte sur"),
    "received_on": lambda v: validate.date(v, "Reçu le"),
}


def _not_future(day: dt.date | None, what: str) -> None:
    if day is not None and day > dt.date.today():
        raise ValidationError(f"{what} se date au plus tard aujourd'hui.")


def _qpvs(cur, qpv_ids: object) -> list[int]:
    if not isinstance(qpv_ids, list | tuple) or not qpv_ids:
        raise ValidationError("Un conseil citoyen est rattaché à au moins un quartier (QPV).")
    found = []
    for qpv_id in qpv_ids:
        territory = require_row(cur, "territory", qpv_id, "Quartier")
        if territory["kind"] != "qpv":
            raise ValidationError(
                f"« {territory['name']} » n'est pas un quartier prioritaire (QPV)."
            )
        if territory["id"] not in found:
            found.append(territory["id"])
    return found


def _link(cur, actor: Actor, council_id: int, qpv_ids: list[int]) -> None:
    for territory_id in qpv_ids:
        create(cur, actor, "citizen_council_qpv",
               {"council_id": council_id, "territory_id": territory_id})  # fmt: skip


@write_service("contributeur", "créer un conseil citoyen")
def create_council(
    db: Database,
    actor: Actor,
    *,
    name: str,
    qpv_ids: list[int],
    established_on: object = None,
    source: Source | None = None,
) -> int:
    values = clean({"name": name, "established_on": established_on}, COUNCIL_FIELDS)
    _not_future(values["established_on"], "La constitution")
    with db.transaction() as cur:
        qpvs = _qpvs(cur, qpv_ids)
        council_id = create(cur, actor, "citizen_council",
                            {**values, "source_id": add_source(cur, source)})  # fmt: skip
        _link(cur, actor, council_id, qpvs)
        return council_id


@write_service("contributeur", "corriger un conseil citoyen")
def update_council(
    db: Database,
    actor: Actor,
    council_id: int,
    *,
    expected_version: int,
    reason: str | None = None,
    qpv_ids: list[int] | None = None,
    **changes,
) -> dict:
    """Correct its name or date of constitution, or the QPV it is attached to (all
    audited)."""
    cleaned = clean(changes, COUNCIL_FIELDS)
    _not_future(cleaned.get("established_on"), "La constitution")
    with db.transaction() as cur:
        row = require_row(cur, "citizen_council", council_id, "Conseil citoyen")
        if qpv_ids is not None:
            wanted = _qpvs(cur, qpv_ids)
            current = [r[0] for r in cur.execute(
                "select territory_id from citizen_council_qpv where council_id = $c",
                {"c": row["id"]}).fetchall()]  # fmt: skip
            for gone in set(current) - set(wanted):
                cur.execute("delete from citizen_council_qpv where council_id = $c and"
                            " territory_id = $t", {"c": row["id"], "t": gone})  # fmt: skip
                audit(cur, actor, "delete", "citizen_council_qpv", f"{row['id']}/{gone}",
                      before={"council_id": row["id"], "territory_id": gone}, reason=reason)  # fmt: skip
            _link(cur, actor, row["id"], [t for t in wanted if t not in current])
            if not cleaned and set(current) != set(wanted):
                return row
        return update_versioned(cur, actor, "citizen_council", row["id"], expected_version,
                                cleaned, field="Conseil citoyen", reason=reason)[1]  # fmt: skip


archive_council = archive_service(
    "citizen_council", "contributeur", "archiver un conseil citoyen", "archive_council",
    field="Conseil citoyen",
)  # fmt: skip


@write_service("contributeur", "désigner un membre d'un conseil citoyen")
def add_member(
    db: Database,
    actor: Actor,
    *,
    council_id: int,
    full_name: str,
    college: str,
    appointed_on: object,
) -> int:
    values = clean({"full_name": full_name, "college": college, "appointed_on": appointed_on},
                   MEMBER_FIELDS)  # fmt: skip
    _not_future(values["appointed_on"], "Une désignation")
    with db.transaction() as cur:
        council = require_row(cur, "citizen_council", council_id, "Conseil citoyen")
        if council["archived_on"] is not None:
            raise ValidationError("Ce conseil citoyen est archivé.")
        return create(cur, actor, "citizen_council_member", {**values, "council_id": council["id"]})


def _member(cur, member_id: object) -> dict:
    member = require_row(cur, "citizen_council_member", member_id, "Membre")
    if member["ended_on"] is not None:
        raise ValidationError(
            f"{member['full_name']} n'est plus membre depuis le {fmt.date_fr(member['ended_on'])}."
        )
    return member


@write_service("contributeur", "renouveler un membre d'un conseil citoyen")
def renew_member(
    db: Database, actor: Actor, member_id: int, *, expected_version: int, renewed_on: object
) -> dict:
    """The member's mandate renewed on ``renewed_on`` (the latest renewal is kept; the
    journal keeps the earlier ones)."""
    on = validate.date(renewed_on, "Renouvelé le")
    _not_future(on, "Un renouvellement")
    with db.transaction() as cur:
        member = _member(cur, member_id)
        if on < (member["renewed_on"] or member["appointed_on"]):
            raise ValidationError(
                "Un renouvellement suit la désignation et le renouvellement précédent."
            )
        return update_versioned(cur, actor, "citizen_council_member", member["id"],
                                expected_version, {"renewed_on": on}, field="Membre")[1]  # fmt: skip


@write_service("contributeur", "clore le mandat d'un membre d'un conseil citoyen")
def end_member(
    db: Database,
    actor: Actor,
    member_id: int,
    *,
    expected_version: int,
    ended_on: object,
    reason: str,
) -> dict:
    """The member leaves the council on ``ended_on`` (démission, déménagement, fin de
    mandat…); their seats in comités end the same day."""
    on = validate.date(ended_on, "Fin du mandat le")
    why = validate.text(reason, "Motif de la fin du mandat", max_len=validate.MAX_TEXT)
    _not_future(on, "Une fin de mandat")
    with db.transaction() as cur:
        member = _member(cur, member_id)
        if on < member["appointed_on"]:
            raise ValidationError("Un mandat finit après la désignation.")
        for seat_id, from_on in cur.execute(
            "select id, from_on from citizen_council_seat where member_id = $m"
            " and (until_on is null or until_on > $on)", {"m": member["id"], "on": on},
        ).fetchall():  # fmt: skip
            _close_seat(cur, actor, seat_id, max(on, from_on))
        return update_versioned(cur, actor, "citizen_council_member", member["id"],
                                expected_version, {"ended_on": on, "end_reason": why},
                                field="Membre")[1]  # fmt: skip


@write_service("contributeur", "désigner un représentant du conseil citoyen dans un comité")
def seat_member(
    db: Database, actor: Actor, *, member_id: int, committee_id: int, from_on: object
) -> int:
    """The member represents the council in ``committee_id`` from ``from_on``."""
    on = validate.date(from_on, "Représente depuis le")
    _not_future(on, "Une représentation")
    with db.transaction() as cur:
        member = _member(cur, member_id)
        committee = require_row(cur, "committee", committee_id, "Comité")
        if on < member["appointed_on"]:
            raise ValidationError("Un membre représente le conseil après sa désignation.")
        if cur.execute(
            "select 1 from citizen_council_seat where member_id = $m and committee_id = $c"
            " and until_on is null", {"m": member["id"], "c": committee["id"]},
        ).fetchone():  # fmt: skip
            raise ValidationError(
                f"{member['full_name']} représente déjà le conseil dans ce comité."
            )
        return create(cur, actor, "citizen_council_seat", {
            "member_id": member["id"], "committee_id": committee["id"], "from_on": on,
            "recorded_by": actor.name, "recorded_at": utcnow(),
        })  # fmt: skip


@write_service("contributeur", "clore une représentation dans un comité")
def end_seat(db: Database, actor: Actor, seat_id: int, *, until_on: object) -> dict:
    on = validate.date(until_on, "Jusqu'au")
    _not_future(on, "La fin d'une représentation")
    with db.transaction() as cur:
        seat = require_row(cur, "citizen_council_seat", seat_id, "Représentation")
        if seat["until_on"] is not None:
            raise ValidationError("Cette représentation est déjà close.")
        if on < seat["from_on"]:
            raise ValidationError("Une représentation finit après son début.")
        return _close_seat(cur, actor, seat["id"], on)


def _close_seat(cur, actor: Actor, seat_id: int, on: dt.date) -> dict:
    before = require_row(cur, "citizen_council_seat", seat_id, "Représentation")
    cur.execute("update citizen_council_seat set until_on = $on where id = $id",
                {"on": on, "id": seat_id})  # fmt: skip
    after = require_row(cur, "citizen_council_seat", seat_id, "Représentation")
    audit(cur, actor, "update", "citizen_council_seat", seat_id, before=before, after=after)
    return after


@write_service("contributeur", "enregistrer l'avis d'un conseil citoyen")
def record_opinion(
    db: Database,
    actor: Actor,
    *,
    council_id: int,
    subject: str,
    about: str,
    received_on: object,
    upload: files.Upload | None = None,
) -> int:
    """An opinion received on ``received_on``, with its document (checked like every
    attachment: written first, its row in the same transaction as the opinion)."""
    values = clean({"subject": subject, "about": about, "received_on": received_on},
                   OPINION_FIELDS)  # fmt: skip
    _not_future(values["received_on"], "Un avis")
    checked = files.prepare(db, upload) if upload is not None else None
    with db.transaction() as cur:
        council = require_row(cur, "citizen_council", council_id, "Conseil citoyen")
        opinion_id = create(cur, actor, "citizen_council_opinion",
                            {**values, "council_id": council["id"]})  # fmt: skip
        if checked is not None:
            files.attach_in(cur, actor, "citizen_council_opinion", opinion_id, checked)
        return opinion_id


cancel_opinion = cancel_service(
    "citizen_council_opinion", "contributeur", "annuler un avis saisi par erreur",
    "cancel_opinion", field="Avis",
)  # fmt: skip


# -- reads ------------------------------------------------------------------------------
def councils(db: Database, as_of: dt.date) -> list[dict]:
    return db.records("citizen_councils", as_of=as_of)


def members(db: Database, council_id: int, as_of: dt.date) -> list[dict]:
    return db.records("citizen_council_members", council_id=council_id, as_of=as_of)


def opinions(db: Database, council_id: int, as_of: dt.date) -> list[dict]:
    return db.records("citizen_council_opinions", council_id=council_id, as_of=as_of)
