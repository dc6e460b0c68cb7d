"""What the overview and the timeline show, composed from the named reads:
per-programme summaries as of a date (what was in force then), alerts and dated
events, all labelled in French."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.tracker.completeness import completeness
from dashboard.tracker.db import Database
from dashboard.tracker.deadlines import LATE_KINDS, deadlines, next_by_programme, upcoming
from dashboard.tracker.naming import act_name

ALERT_HORIZON_DAYS = 90
LANES = {"act": "Actes", "phase": "Phases", "meeting": "Comités", "deadline": "Échéances"}


def money(db: Database, as_of: dt.date, programme_code: str | None = None) -> dict[str, list]:
    """Each programme's money per tax basis as of a date (money_by_basis rows)."""
    grouped: dict[str, list] = defaultdict(list)
    for row in db.records("money_by_basis", as_of=as_of, programme_code=programme_code):
        grouped[row["programme_code"]].append(row)
    return grouped


def summaries(db: Database, as_of: dt.date, programme_code: str | None = None) -> list[dict]:
    """One dict per programme present at ``as_of`` (or that one): the overview read,
    its period and money per tax basis as in force then, and its next deadline."""
    read = db.gather(
        periods=lambda: db.records("programmes", as_of=as_of, programme_code=programme_code),
        upcoming=lambda: next_by_programme(db, as_of, programme_code),
        money=lambda: money(db, as_of, programme_code),
        overview=lambda: db.records("programme_overview", as_of=as_of,
                                    programme_code=programme_code),
    )  # fmt: skip
    periods = {p["code"]: p for p in read["periods"]}
    upcoming_by_programme, by_basis = read["upcoming"], read["money"]
    result = []
    for row in read["overview"]:
        programme = periods[row["code"]]
        result.append(
            {
                **row,
                "starts_on": programme["starts_on"],
                "ends_on": programme["ends_on"],
                "source": {
                    "document": programme["source_document"],
                    "article": programme["source_article"],
                },
                "money": by_basis.get(row["code"], []),
                "next_deadline": upcoming_by_programme.get(row["code"]),
            }
        )
    return result


def in_force_count(summaries: list[dict], as_of: dt.date) -> str:
    """How many programmes are in force at ``as_of``, counted from their terms: one whose
    term has passed is not, one whose term is unknown is said as such, never counted in
    force. « 2 programmes suivis : 1 en vigueur, 1 au terme passé »."""
    if not summaries:
        return "aucun programme suivi"
    live = sum(1 for s in summaries if s["ends_on"] is not None and s["ends_on"] >= as_of)
    ended = sum(1 for s in summaries if s["ends_on"] is not None and s["ends_on"] < as_of)
    unknown = len(summaries) - live - ended
    parts = [f"{live} en vigueur"]
    if ended:
        parts.append(f"{ended} au terme passé")
    if unknown:
        parts.append(f"{unknown} en vigueur : inconnu (terme non renseigné)")
    followed = "programme suivi" if len(summaries) == 1 else "programmes suivis"
    return f"{len(summaries)} {followed} : " + ", ".join(parts)


def progress_coverage(summary: dict) -> str:
    """The weighted progress said with what it rests on, coverage first:
    « avancement connu pour 1 élément sur 7 : 100 % »; unknown when none is known."""
    known, total = summary["progress_known"], summary["items_total"]
    element = "élément" if total <= 1 else "éléments"
    if not known:
        return f"avancement connu pour aucun des {total} {element}" if total else fmt.UNKNOWN
    return (
        f"avancement connu pour {known} {element[:-1] if known == 1 else element} sur {total} : "
        f"{fmt.percent(summary['weighted_progress'])}"
    )


def alerts(
    db: Database,
    as_of: dt.date,
    programme_code: str | None = None,
    programme_summaries: list[dict] | None = None,
    item_limit: int | None = None,
    known: dict | None = None,
) -> list[dict]:
    """Blocked and late items, programmes past their term with open items, deadlines
    within 90 days, avenants signed after the term they amend, gaps in the record.
    ``programme_summaries`` (from ``summaries``) spares a second overview read;
    ``item_limit`` keeps only the first blocked and late items (a slide shows a dozen:
    a national pack need not spell out 150 000); ``known`` hands over the ``deadlines``,
    ``acts``, ``gaps``, ``recommendations`` and blocked or late ``items`` (``item_alerts``)
    a caller already read for the same date, so they are not read twice."""
    known = {k: v for k, v in (known or {}).items() if v is not None}
    if programme_summaries is not None:
        known["summaries"] = programme_summaries
    reads = {
        "items": lambda: item_alerts(db, as_of, programme_code, item_limit),
        "summaries": lambda: summaries(db, as_of, programme_code),
        "deadlines": lambda: deadlines(db, programme_code, as_of),
        "acts": lambda: db.records("acts", as_of=as_of, programme_code=programme_code),
        "gaps": lambda: completeness(db, programme_code, as_of),
        "recommendations": lambda: db.records(
            "recommendations", programme_code=programme_code, as_of=as_of
        ),
    }
    read = known | db.gather(**{name: fetch for name, fetch in reads.items() if name not in known})
    found = read["items"]
    found += _term_alerts(read["summaries"], as_of, programme_code)
    found += _deadline_alerts(read["deadlines"], as_of)
    found += _act_lifecycle_alerts(read["acts"], as_of)
    found += _recommendation_alerts(read["recommendations"])
    gaps = read["gaps"]
    if gaps:
        found.append(
            {
                "level": "info",
                "programme_code": programme_code,
                "text": f"{len(gaps)} information{'s' if len(gaps) > 1 else ''} "
                f"manque{'nt' if len(gaps) > 1 else ''} au dossier (détail : page "
                "« Sources et complétude »).",
            }
        )
    return found


def item_alerts(
    db: Database, as_of: dt.date, programme_code: str | None, limit: int | None = None
) -> list[dict]:
    """The blocked items and those past their planned end, as alerts (the first
    ``limit`` ones)."""
    found = []
    rows = db.records("alert_items", as_of=as_of, programme_code=programme_code, limit=limit)
    for item in rows:
        kind = fmt.ITEM_KIND_LABELS[item["item_kind"]].capitalize()
        if item["reason"] == "blocked":
            text, level = f"{kind} bloquée : « {item['title']} »", "error"
        else:
            level = "warning"
            text = (
                f"{kind} en retard : « {item['title']} » — fin prévue le "
                f"{fmt.date_fr(item['ends_on'])}, statut "
                f"« {fmt.label(fmt.STATUS_LABELS, item['status'])} »"
            )
        found.append({"level": level, "programme_code": item["programme_code"], "text": text})
    return found


def _recommendation_alerts(rows: list[dict]) -> list[dict]:
    """A recommendation past its due date, neither implemented nor abandoned."""
    return [
        {
            "level": "warning",
            "programme_code": r["programme_code"],
            "text": f"Recommandation en retard : « {fmt.shorten(r['text'], 90)} » — échéance le "
            f"{fmt.date_fr(r['due_on'])}, « {fmt.RECOMMENDATION_STATUS_LABELS[r['status']]} », "
            f"responsable : {r['owner'] or fmt.UNKNOWN}",
        }
        for r in rows
        if r["late"]
    ]


def _term_alerts(rows: list[dict], as_of: dt.date, programme_code: str | None) -> list[dict]:
    """A programme whose acts ended with work open or of unknown status."""
    found = []
    for row in rows:
        ends_on = row["ends_on"]
        open_items = row["planned"] + row["in_progress"] + row["blocked"]
        unknown = row["status_unknown"]
        if not (programme_code in (None, row["code"]) and ends_on and ends_on < as_of):
            continue
        parts = []
        if open_items:
            plural = "s" if open_items > 1 else ""
            parts.append(f"{open_items} élément{plural} ni livré{plural} ni abandonné{plural}")
        if unknown:
            parts.append(f"{unknown} élément{'s' if unknown > 1 else ''} au statut non renseigné")
        if parts:
            found.append(
                {
                    "level": "warning",
                    "programme_code": row["code"],
                    "text": f"{row['title']} : terme des actes passé ({fmt.date_fr(ends_on)}) "
                    f"avec {' et '.join(parts)}.",
                }
            )
    return found


def _deadline_alerts(every_deadline: list[dict], as_of: dt.date) -> list[dict]:
    found = [
        {
            "level": "error",
            "programme_code": d["programme_code"],
            "text": f"En retard depuis le {fmt.date_fr(d['date'])} : {d['label']}",
        }
        for d in every_deadline
        if d["kind"] in LATE_KINDS and d["date"] and d["date"] < as_of and not d.get("met_on")
    ]
    for deadline in upcoming(every_deadline, as_of, ALERT_HORIZON_DAYS):
        days = (deadline["date"] - as_of).days
        when = "aujourd'hui" if days == 0 else f"dans {days} jour{'s' if days > 1 else ''}"
        found.append(
            {
                "level": "warning",
                "programme_code": deadline["programme_code"],
                "text": f"Échéance {when} ({fmt.date_fr(deadline['date'])}) : {deadline['label']}",
            }
        )
    return found


def _act_lifecycle_alerts(acts: list[dict], as_of: dt.date) -> list[dict]:
    """Avenants that start after the term they amend; résiliations (``acts``: the acts
    read)."""
    found = []
    for act in acts:
        if act["starts_after_amended_term"]:
            text = (
                f"{_act_label(act)} prend effet après le terme de l'acte qu'il modifie : "
                "il ne peut pas le prolonger."
            )
            found.append({"level": "error", "programme_code": act["programme_code"], "text": text})
        if act["terminated_on"] is not None:
            ended = act["terminated_on"] <= as_of
            text = (
                f"{_act_label(act)} : résilié{'' if ended else ', prendra fin'} le "
                f"{fmt.date_fr(act['terminated_on'])} ({act['termination_reason']})."
            )
            found.append({"level": "warning", "programme_code": act["programme_code"],
                          "text": text})  # fmt: skip
    return found


def _act_label(act: dict) -> str:
    return act_name(act)


ACT_VERBS = {
    "act_concluded": "Conclusion",
    "act_signed": "Signature",
    "act_deliberation": "Délibération autorisant la signature",
    "act_term": "Terme",
    "act_extension": "Nouveau terme donné par",
    "act_terminated": "Résiliation",
    "letter_dispute": "Lettre recommandée (litige)",
    "letter_termination": "Lettre recommandée (résiliation)",
}


def timeline(db: Database, programme_code: str, as_of: dt.date | None = None) -> list[dict]:
    """Dated events of one programme as known at ``as_of`` (today by default): acts,
    letters, phase status changes, meetings, deadlines."""
    as_of = as_of or dt.date.today()
    read = db.gather(
        acts=lambda: db.records("acts", as_of=as_of, programme_code=programme_code),
        events=lambda: db.records("timeline_events", programme_code=programme_code, as_of=as_of),
        deadlines=lambda: deadlines(db, programme_code, as_of),
    )
    acts = {a["act_id"]: a for a in read["acts"]}
    rows = []
    for event in read["events"]:
        kind = event["kind"]
        source = cite_row(event, prefix="")
        if kind in ACT_VERBS:
            act = acts.get(event["ref_id"])
            name = _act_label(act) if act else event["title"]
            label, lane = f"{ACT_VERBS[kind]} : {name}", LANES["act"]
        elif kind == "phase_status":
            label = f"Phase {event['ref_id']} : {fmt.label(fmt.STATUS_LABELS, event['detail'])}"
            lane = LANES["phase"]
        else:
            label, lane = f"Réunion : {event['title']}", LANES["meeting"]
        rows.append({"date": event["on_date"], "lane": lane, "label": label, "source": source})
    for deadline in read["deadlines"]:
        if deadline["date"] and deadline["kind"] != "term":
            rows.append(
                {
                    "date": deadline["date"],
                    "lane": LANES["deadline"],
                    "label": deadline["label"],
                    "source": cite_row(deadline),
                }
            )
    return sorted(rows, key=lambda r: (r["date"], r["lane"]))
