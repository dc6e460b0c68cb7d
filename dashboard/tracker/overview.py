"""What the overview and the timeline show, composed from the named reads:
per-programme summaries, alerts and dated events, all labelled in French."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import fmt
from dashboard.tracker.completeness import completeness
from dashboard.tracker.db import Database
from dashboard.tracker.deadlines import deadlines, next_by_programme, upcoming
from dashboard.tracker.naming import act_name

ALERT_HORIZON_DAYS = 90
LANES = {"act": "Actes", "phase": "Phases", "meeting": "Comités", "deadline": "Échéances"}


def summaries(db: Database, as_of: dt.date) -> list[dict]:
    """One dict per programme: the overview read, its period and its next deadline."""
    periods = {p["code"]: p for p in db.records("programmes")}
    upcoming_by_programme = next_by_programme(db, as_of)
    result = []
    for row in db.records("programme_overview", as_of=as_of):
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
                "next_deadline": upcoming_by_programme.get(row["code"]),
            }
        )
    return result


def alerts(
    db: Database,
    as_of: dt.date,
    programme_code: str | None = None,
    programme_summaries: list[dict] | None = None,
) -> list[dict]:
    """Blocked and late items, programmes past their term with open items, deadlines
    within 90 days, gaps in the record. ``programme_summaries`` (from ``summaries``)
    spares a second overview read when the caller has it already."""
    found = []
    for item in db.records("alert_items", as_of=as_of, programme_code=programme_code):
        kind = fmt.ITEM_KIND_LABELS[item["item_kind"]].capitalize()
        if item["reason"] == "blocked":
            found.append(
                {
                    "level": "error",
                    "programme_code": item["programme_code"],
                    "text": f"{kind} bloquée : « {item['title']} »",
                }
            )
        else:
            found.append(
                {
                    "level": "warning",
                    "programme_code": item["programme_code"],
                    "text": f"{kind} en retard : « {item['title']} » — fin prévue le "
                    f"{fmt.date_fr(item['ends_on'])}, statut "
                    f"« {fmt.label(fmt.STATUS_LABELS, item['status'])} »",
                }
            )
    for row in programme_summaries if programme_summaries is not None else summaries(db, as_of):
        ends_on = row["ends_on"]
        open_items = row["planned"] + row["in_progress"] + row["blocked"]
        if (programme_code in (None, row["code"])) and ends_on and ends_on < as_of and open_items:
            found.append(
                {
                    "level": "warning",
                    "programme_code": row["code"],
                    "text": f"{row['title']} : terme des actes passé ({fmt.date_fr(ends_on)}) avec "
                    f"{open_items} élément{'s' if open_items > 1 else ''} ni livré"
                    f"{'s' if open_items > 1 else ''} ni abandonné"
                    f"{'s' if open_items > 1 else ''}.",
                }
            )
    for deadline in upcoming(deadlines(db, programme_code), as_of, ALERT_HORIZON_DAYS):
        days = (deadline["date"] - as_of).days
        found.append(
            {
                "level": "warning",
                "programme_code": deadline["programme_code"],
                "text": f"Échéance dans {days} jour{'s' if days > 1 else ''} "
                f"({fmt.date_fr(deadline['date'])}) : {deadline['label']}",
            }
        )
    gaps = completeness(db, programme_code)
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


def timeline(db: Database, programme_code: str) -> list[dict]:
    """Dated events of one programme: acts, phase status changes, meetings, deadlines."""
    acts = {a["act_id"]: a for a in db.records("acts", programme_code=programme_code)}
    rows = []
    for event in db.records("timeline_events", programme_code=programme_code):
        kind = event["kind"]
        source = f"{event['document']}, {event['article']}" if event["document"] else fmt.UNKNOWN
        if kind.startswith("act_"):
            act = acts[event["ref_id"]]
            name = act_name(
                act["kind"],
                act["number"],
                act["reference"],
                act["amends_reference"],
                act["programme_title"],
            )
            verb = {
                "act_concluded": "Conclusion",
                "act_signed": "Signature",
                "act_deliberation": "Délibération autorisant la signature",
                "act_term": "Terme",
            }[kind]
            rows.append(
                {
                    "date": event["on_date"],
                    "lane": LANES["act"],
                    "label": f"{verb} : {name}",
                    "source": source,
                }
            )
        elif kind == "phase_status":
            rows.append(
                {
                    "date": event["on_date"],
                    "lane": LANES["phase"],
                    "label": f"Phase {event['ref_id']} : "
                    f"{fmt.label(fmt.STATUS_LABELS, event['detail'])}",
                    "source": source,
                }
            )
        else:
            rows.append(
                {
                    "date": event["on_date"],
                    "lane": LANES["meeting"],
                    "label": f"Réunion : {event['title']}",
                    "source": source,
                }
            )
    for deadline in deadlines(db, programme_code):
        if deadline["date"] and deadline["kind"] != "term":
            source = deadline["source"]
            rows.append(
                {
                    "date": deadline["date"],
                    "lane": LANES["deadline"],
                    "label": deadline["label"],
                    "source": f"{source['document']}, {source['article']}"
                    if source
                    else fmt.UNKNOWN,
                }
            )
    return sorted(rows, key=lambda r: (r["date"], r["lane"]))
