"""The computed deadlines as an iCalendar file, for members' agendas."""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event

from dashboard.tracker.citation import cite_row


def deadlines_ics(deadlines: list[dict], generated_at: dt.datetime) -> bytes:
    """One all-day event per dated deadline (relative delays have no date yet)."""
    calendar = Calendar()
    calendar.add("prodid", "-//cdv-tracker//Échéances des contrats de ville//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Échéances — contrats de ville")
    for deadline in deadlines:
        if deadline["date"] is None:
            continue
        event = Event()
        key = (
            f"{deadline['programme_code']}|{deadline['kind']}|{deadline['act_id']}|"
            f"{deadline.get('step_id')}|{deadline['date']}"
        )
        event.add("uid", hashlib.sha1(key.encode()).hexdigest() + "@cdv-tracker")
        event.add("summary", f"{deadline['kind_label']} ({deadline['programme_code']})")
        event.add(
            "description",
            deadline["label"]
            + f"\nComment elle est établie : {deadline['rule']}"
            + ("\n" + cite_row(deadline, label=True) if deadline["source"] else ""),
        )
        event.add("dtstart", deadline["date"])
        event.add("dtend", deadline["date"] + dt.timedelta(days=1))
        event.add("dtstamp", generated_at.replace(tzinfo=dt.UTC))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
