"""Write a checked spreadsheet (``sheets``) in one transaction: existing records found
by their key are updated, new ones added, identical ones left alone; one audit row
names the import (file, kind, counts) beside each record's own. Payments go in one
set-based insert (a hundred thousand rows); actions, meetings and decisions through
their write services."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from dashboard.ingest import sheets
from dashboard.tracker import committees, fmt, rollups, validate, work
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.budget import _STAGE_BEFORE
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.records import audit, update_versioned


class _DryRun(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


@write_service("contributeur", "importer un tableur")
def import_sheet(
    db: Database,
    actor: Actor,
    *,
    kind: str,
    data: bytes,
    file_name: str,
    mapping: dict[str, int | None] | None = None,
    dry_run: bool = False,
) -> dict[str, int]:
    """Import ``data`` (a .csv or .xlsx file) as records of ``kind``; ``mapping`` (field
    -> column index) defaults to the columns recognised by their headers. Returns the
    counts; a dry run checks and counts everything, then writes nothing."""
    spec = sheets.kind_of(kind)
    name = validate.text(file_name, "Nom du fichier", max_len=200)
    table = sheets.read_table(data, name)
    if mapping is not None and not isinstance(mapping, dict):
        raise ValidationError("Correspondance des colonnes mal formée.")
    chosen = mapping if mapping is not None else sheets.guess_mapping(spec, table.headers)
    rows = sheets.clean_rows(spec, table, chosen)
    del table  # the raw cells are no longer needed: a hundred thousand rows weigh
    counts: dict[str, int] = {}
    try:
        with db.transaction() as cur:
            counts = WRITERS[kind](db, cur, actor, rows, name)
            audit(cur, actor, "load", "import", name,
                  after={"type": spec.label, "fichier": name, **counts},
                  reason=f"Import du tableur {name} ({spec.label})")  # fmt: skip
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return counts


def _errors(problems: list[str]) -> None:
    if problems:
        problems.sort(key=lambda e: int(m.group(1)) if (m := re.match(r"ligne (\d+) ", e)) else 0)
        raise ValidationError("Rien n'a été importé. " + " ; ".join(problems[:30]) + ".")


# -- payments ------------------------------------------------------------------------------------


def _lines(cur, rows: list[tuple[int, dict]]) -> dict[tuple[str, int], dict]:
    codes = sorted({v["programme"] for _, v in rows})
    found = cur.execute(
        "select p.code, b.fiscal_year, arg_max(b.id, b.id), arg_max(b.amount, b.id), "
        "arg_max(b.kind, b.id) from budget_line b join programme p on p.id = b.programme_id "
        "where b.cancelled_at is null and p.code in (select unnest($codes::varchar[])) "
        "group by all", {"codes": codes},
    ).fetchall()  # fmt: skip
    return {(c, y): {"id": i, "amount": a, "kind": k} for c, y, i, a, k in found}


def _payment_key(line_id: int, values: dict) -> tuple:
    if values["reference"]:
        return (line_id, values["stage"], "ref", values["reference"])
    return (line_id, values["stage"], values["occurred_on"], values["amount"])


def _payments(db, cur, actor: Actor, rows, origin: str) -> dict[str, int]:
    lines = _lines(cur, rows)
    problems, keyed, first_line = [], [], {}
    today = dt.date.today()
    for number, values in rows:
        line = lines.get((values["programme"], values["fiscal_year"]))
        if line is None:
            problems.append(f"ligne {number} : aucune ligne budgétaire {values['fiscal_year']} "
                            f"pour le programme « {values['programme']} »")  # fmt: skip
            continue
        if line["kind"] != "financial":
            problems.append(f"ligne {number} : la ligne {values['fiscal_year']} est un apport en "
                            "nature, sans paiement")  # fmt: skip
            continue
        if values["occurred_on"] > today:
            problems.append(f"ligne {number} : date dans le futur : « "
                            f"{fmt.date_fr(values['occurred_on'])} »")  # fmt: skip
            continue
        key = _payment_key(line["id"], values)
        if key in first_line:
            problems.append(f"ligne {number} : même paiement que la ligne {first_line[key]}")
            continue
        first_line[key] = number
        keyed.append((number, line, key, values))
    _errors(problems)
    existing = _existing_payments(cur, sorted({line["id"] for _, line, _, _ in keyed}))
    new, changes, unchanged = [], [], 0
    for number, line, key, values in keyed:
        current = existing.get(key)
        if current is None:
            new.append((number, line, values))
        elif (current["occurred_on"], current["amount"]) == (values["occurred_on"],
                                                            values["amount"]):  # fmt: skip
            unchanged += 1
        else:
            changes.append((current, values))
    _check_chains(cur, new, changes, lines)
    for current, values in changes:
        update_versioned(cur, actor, "payment", current["id"], current["version"],
                         {"occurred_on": values["occurred_on"], "amount": values["amount"]},
                         field="Paiement", reason=f"Import de {origin}")  # fmt: skip
    _insert_payments(cur, actor, new)
    return {"ajouté(s)": len(new), "mis à jour": len(changes), "inchangé(s)": unchanged}


def _existing_payments(cur, line_ids: list[int]) -> dict[tuple, dict]:
    result = cur.execute(
        "select id, budget_line_id, stage, occurred_on, amount, reference, version from payment "
        "where cancelled_at is null and budget_line_id in (select unnest($ids::integer[]))",
        {"ids": line_ids},
    )
    names = [d[0] for d in result.description]
    found = {}
    for row in result.fetchall():
        payment = dict(zip(names, row, strict=True))
        found[_payment_key(payment["budget_line_id"], payment)] = payment
    return found


def _check_chains(cur, new: list, changes: list, lines: dict) -> None:
    """Per budget line, after the import: mandated <= committed, paid <= mandated, and
    commitments beyond the line's amount carry a reason on one of the imported rows."""
    by_id = {line["id"]: (f"{code} {year}", line) for (code, year), line in lines.items()}
    touched = {line["id"] for _, line, _ in new} | {c["budget_line_id"] for c, _ in changes}
    totals = defaultdict(lambda: defaultdict(Decimal))
    for line_id, stage, total in cur.execute(
        "select budget_line_id, stage, sum(amount) from payment where cancelled_at is null and "
        "budget_line_id in (select unnest($ids::integer[])) group by all",
        {"ids": sorted(touched)},
    ).fetchall():
        totals[line_id][stage] += total
    reasons = defaultdict(bool)
    for _, line, values in new:
        totals[line["id"]][values["stage"]] += values["amount"]
        reasons[line["id"]] |= bool(values["over_budget_reason"])
    for current, values in changes:
        totals[current["budget_line_id"]][current["stage"]] += values["amount"] - current["amount"]
    problems = []
    for line_id, stage_totals in totals.items():
        label, line = by_id[line_id]
        for later, earlier in _STAGE_BEFORE.items():
            if stage_totals[later] > stage_totals[earlier]:
                problems.append(
                    f"ligne budgétaire {label} : le total {fmt.STAGE_LABELS[later]} "
                    f"({fmt.money(stage_totals[later])}) dépasserait le total "
                    f"{fmt.STAGE_LABELS[earlier]} ({fmt.money(stage_totals[earlier])})")  # fmt: skip
        if (line["amount"] is not None and stage_totals["commitment"] > line["amount"]
                and not reasons[line_id]):  # fmt: skip
            problems.append(
                f"ligne budgétaire {label} : les engagements ({fmt.money(stage_totals['commitment'])}"
                f") dépasseraient son montant ({fmt.money(line['amount'])}) sans motif de "
                "dépassement")  # fmt: skip
    _errors(problems)


CHUNK = 20_000


def _insert_payments(cur, actor: Actor, new: list) -> None:
    """The new payments inserted from column tables, 20 000 rows at a time (no row-by-row
    binding; memory stays flat), each chunk's audit rows written by SQL from the rows
    inserted (the same JSON as a form's)."""
    now = utcnow()
    for start in range(0, len(new), CHUNK):
        _insert_chunk(cur, actor, new[start : start + CHUNK], now)


def _insert_chunk(cur, actor: Actor, chunk: list, now) -> None:
    import pandas as pd

    frame = pd.DataFrame({
        "budget_line_id": [line["id"] for _, line, _ in chunk],
        "stage": [v["stage"] for _, _, v in chunk],
        "occurred_on": [v["occurred_on"] for _, _, v in chunk],
        "amount": [str(v["amount"]) for _, _, v in chunk],
        "reference": [v["reference"] for _, _, v in chunk],
        "over_budget_reason": [v["over_budget_reason"] if v["stage"] == "commitment" else None
                               for _, _, v in chunk],
    })  # fmt: skip
    last = cur.execute("select coalesce(max(id), 0) from payment").fetchall()[0][0]
    cur.register("incoming_payments", frame)
    try:
        cur.execute(
            "insert into payment (budget_line_id, stage, occurred_on, amount, reference, "
            "over_budget_reason, recorded_by, recorded_at, updated_by, updated_at) "
            "select budget_line_id, stage, occurred_on, amount::decimal(14, 2), reference, "
            "over_budget_reason, $by, $at, $by, $at from incoming_payments",
            {"by": actor.name, "at": now},
        )
    finally:
        cur.unregister("incoming_payments")
    cur.execute(
        "insert into audit_log (occurred_at, actor, operation, entity, entity_id, after) "
        "select $at, $actor, 'create', 'payment', p.id::varchar, to_json({'id': p.id, "
        "'budget_line_id': p.budget_line_id, 'stage': p.stage, 'occurred_on': p.occurred_on, "
        "'amount': p.amount::varchar, 'reference': p.reference, "
        "'over_budget_reason': p.over_budget_reason, 'recorded_by': p.recorded_by, "
        "'recorded_at': p.recorded_at, 'version': p.version}) "
        "from payment as p where p.id > $last order by p.id",
        {"at": now, "actor": actor.name, "last": last},
    )
    rollups.refresh_lines(cur, {line["id"] for _, line, _ in chunk})


# -- actions, meetings, decisions ----------------------------------------------------------------


def _id(cur, statement: str, params: dict) -> int | None:
    row = cur.execute(statement, params).fetchone()
    return row[0] if row else None


def _programme(cur, code: str, number: int) -> int:
    found = _id(cur, "select id from programme where code = $c", {"c": code})
    if found is None:
        raise ValidationError(f"ligne {number} : programme « {code} » inconnu")
    return found


def _action(db, cur, actor, number: int, v: dict, counts: dict, origin: str) -> None:
    programme = _programme(cur, v["programme"], number)
    existing = cur.execute(
        "select id, version, starts_on, ends_on, lead from action where programme_id = $p and "
        "title = $t and archived_on is null", {"p": programme, "t": v["title"]},
    ).fetchone()  # fmt: skip
    wanted = {k: v[k] for k in ("starts_on", "ends_on", "lead") if v[k] is not None}
    if existing:
        current = dict(zip(("starts_on", "ends_on", "lead"), existing[2:], strict=True))
        changed = {k: val for k, val in wanted.items() if current[k] != val}
        if changed:
            work.update_action(db, actor, existing[0], expected_version=existing[1],
                               reason=f"Import de {origin}", **changed)  # fmt: skip
            counts["mise(s) à jour"] += 1
        else:
            counts["inchangée(s)"] += 1
        return
    parent = {"programme_id": programme}
    if v["orientation"]:
        orientation = _id(cur, "select id from orientation where programme_id = $p and title = $t",
                          {"p": programme, "t": v["orientation"]})  # fmt: skip
        if orientation is None:
            raise ValidationError(
                f"ligne {number} : orientation « {v['orientation'][:60]} » inconnue"
            )
        parent = {"orientation_id": orientation}
    elif v["phase"]:
        phase = _id(cur, "select id from phase where programme_id = $p and number = $n",
                    {"p": programme, "n": v["phase"]})  # fmt: skip
        if phase is None:
            raise ValidationError(f"ligne {number} : phase {v['phase']} inconnue")
        parent = {"phase_id": phase}
    work.create_action(db, actor, title=v["title"], **parent, **wanted)
    counts["ajoutée(s)"] += 1


def _committee(cur, v: dict, number: int) -> int:
    programme = _programme(cur, v["programme"], number)
    found = _id(cur, "select id from committee where programme_id = $p and name = $n",
                {"p": programme, "n": v["committee"]})  # fmt: skip
    if found is None:
        raise ValidationError(f"ligne {number} : comité « {v['committee'][:60]} » inconnu pour "
                              f"ce programme")  # fmt: skip
    return found


def _per_row(function) -> callable:
    def run(db, cur, actor, rows, origin):
        counts = {"ajoutée(s)": 0, "mise(s) à jour": 0, "inchangée(s)": 0}
        for number, values in rows:
            try:
                function(db, cur, actor, number, values, counts, origin)
            except ValidationError as error:
                message = error.message if error.message.startswith("ligne ") else (
                    f"ligne {number} : {error.message}")  # fmt: skip
                raise ValidationError(f"Rien n'a été importé. {message}") from error
        return counts

    return run


def _meeting(db, cur, actor, number: int, v: dict, counts: dict, origin: str) -> None:
    committee = _committee(cur, v, number)
    existing = cur.execute(
        "select id, version, place, attendees, minutes from meeting where committee_id = $c and "
        "held_on = $d and cancelled_at is null", {"c": committee, "d": v["held_on"]},
    ).fetchone()  # fmt: skip
    if existing is None:
        committees.record_meeting(db, actor, committee_id=committee, held_on=v["held_on"],
                                  place=v["place"], attendees=v["attendees"],
                                  minutes=v["minutes"])  # fmt: skip
        counts["ajoutée(s)"] += 1
        return
    current = dict(zip(("place", "attendees", "minutes"), existing[2:], strict=True))
    changed = {k: v[k] for k in current if v[k] is not None and v[k] != current[k]}
    if changed:
        committees.update_meeting(db, actor, existing[0], expected_version=existing[1],
                                  reason=f"Import de {origin}", **changed)  # fmt: skip
        counts["mise(s) à jour"] += 1
    else:
        counts["inchangée(s)"] += 1


def _decision(db, cur, actor, number: int, v: dict, counts: dict, origin: str) -> None:
    committee = _committee(cur, v, number)
    meeting = _id(cur, "select id from meeting where committee_id = $c and held_on = $d and "
                  "cancelled_at is null", {"c": committee, "d": v["held_on"]})  # fmt: skip
    if meeting is None:
        raise ValidationError(f"ligne {number} : aucune réunion de ce comité le "
                              f"{fmt.date_fr(v['held_on'])} (importez d'abord les réunions)")  # fmt: skip
    if _id(cur, "select id from decision where meeting_id = $m and text = $t and "
           "cancelled_at is null", {"m": meeting, "t": v["text"]}):  # fmt: skip
        counts["inchangée(s)"] += 1
        return
    items = _items(cur, v, number)
    committees.add_decision(db, actor, meeting_id=meeting,
                            decision=committees.DecisionInput(v["kind"], v["text"], items))  # fmt: skip
    counts["ajoutée(s)"] += 1


def _items(cur, v: dict, number: int) -> list[tuple[str, int]]:
    """« phase 2 ; phase 3 » -> the phases of the programme (other forms refused)."""
    items = []
    for part in filter(None, (p.strip() for p in (v["items"] or "").replace(",", ";").split(";"))):
        words = part.lower().split()
        if len(words) != 2 or words[0] != "phase" or not words[1].isdigit():
            raise ValidationError(f"ligne {number} : élément « {part[:40]} » non reconnu (écrivez "
                                  "« phase 2 », séparés par « ; »)")  # fmt: skip
        phase = _id(cur, "select ph.id from phase ph join programme p on p.id = ph.programme_id "
                    "where p.code = $c and ph.number = $n",
                    {"c": v["programme"], "n": int(words[1])})  # fmt: skip
        if phase is None:
            raise ValidationError(f"ligne {number} : {part} inconnue")
        items.append(("phase", phase))
    return items


WRITERS = {
    "payments": _payments,
    "actions": _per_row(_action),
    "meetings": _per_row(_meeting),
    "decisions": _per_row(_decision),
}
