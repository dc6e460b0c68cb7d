"""« État au » a date, one rule: at every quarter end from 2017 to 2023 the overview of
each programme equals a table written by hand from the two acts; and recording facts
dated later (an avenant, a payment, a status) never changes what is shown « au » an
earlier date, in the overview or in a quarter's pack."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboard.ingest.load import load
from dashboard.tracker import budget, fmt, pack, status
from dashboard.tracker.overview import summaries
from tests.conftest import ADMIN, LEAD
from tests.tracker.test_load import demo_example


@pytest.fixture(
    params=["fichier", pytest.param("postgresql", marks=pytest.mark.xdist_group("postgres"))]
)
def db(request):
    """The seeded tracker in its DuckDB file, and on PostgreSQL: the past holds on both."""
    return request.getfixturevalue("pg_db" if request.param == "postgresql" else "file_db")


EVAL, MODERN = "EVAL-CDV-2015-2020", "MODERN-PV-2022"
K = Decimal("100000.00")

# What the acts say, read by hand:
# - the 2017 convention was concluded on 22 November 2017: the evaluation programme is
#   there from then, with the 3 phases it creates (recalled in avenant n° 2's preamble);
# - avenant n° 2 takes effect at its signature, whose date the act does not give: it is
#   in force at the earliest from the deliberation that authorises its signature, on
#   19 December 2019. The 4 orientations of phase 3 are created by its article 1 and the
#   COPIL of 21 March 2019 is known only from it: both count from that day (7 items);
#   its term, 31 December 2020, too; its 100 000 € for 2020 (tax basis not stated)
#   count from 1 January 2020 (a budget line starts with its act's known date, else its
#   fiscal year); the 2017 convention's own term is not known;
# - the 2022 convention's signature date is blank too: its 100 000 € TTC for 2022, the
#   programme itself and its 4 orientations (article 1) count from 1 January 2022;
#   term 31 December 2022;
# - no act establishes a status or a payment: every status and every spent amount is
#   unknown (never 0 %, never 0 €).
#
# quarter end -> {programme: (items, unknown statuses, allocated by basis, term, last meeting)}
NONE: dict = {}
AVENANT_2 = dt.date(2019, 12, 19)


def expected(day: dt.date) -> dict:
    rows = {}
    if day >= dt.date(2017, 11, 22):
        items = 7 if day >= AVENANT_2 else 3
        money = {"unspecified": K} if day >= dt.date(2020, 1, 1) else NONE
        term = dt.date(2020, 12, 31) if day >= AVENANT_2 else None
        meeting = dt.date(2019, 3, 21) if day >= AVENANT_2 else None
        rows[EVAL] = (items, items, money, term, meeting)
    if day >= dt.date(2022, 1, 1):
        rows[MODERN] = (4, 4, {"TTC": K}, dt.date(2022, 12, 31), None)
    return rows


QUARTER_ENDS = [fmt.quarter_bounds(y, q)[1] for y in range(2017, 2024) for q in (1, 2, 3, 4)]


def observed(db, day: dt.date) -> dict:
    return {
        s["code"]: (
            s["items_total"],
            s["status_unknown"],
            {m["tax_basis"]: m["allocated"] for m in s["money"] if m["lines"]},
            s["ends_on"],
            s["last_meeting_on"],
        )
        for s in summaries(db, day)
    }


@pytest.mark.parametrize("day", QUARTER_ENDS, ids=[d.isoformat() for d in QUARTER_ENDS])
def test_overview_at_each_quarter_end_is_what_the_acts_say(db, day):
    assert observed(db, day) == expected(day)
    for summary in summaries(db, day):
        # unknown is never shown as zero: no payment was ever recorded
        assert all(m["committed"] is None and m["paid"] is None for m in summary["money"])
        assert summary["weighted_progress"] is None and summary["progress_known"] == 0


def pack_text(db, quarter: str) -> list[tuple[str, list[str], tuple | None]]:
    """What a pack says, but the line that gives the time it was generated."""
    content = pack.build(db, quarter)
    return [
        (
            s.title,
            [line for line in s.lines if "généré le" not in line],
            None if s.chart is None else (tuple(s.chart.categories), str(s.chart.series)),
        )
        for s in content.slides
    ]


def test_later_facts_never_change_an_earlier_view(db):
    t3 = pack_text(db, "2022-T3")
    before = {day: observed(db, day) for day in QUARTER_ENDS}
    # a week of work, all dated after 30 September 2022: the extension avenant signed
    # on 12 December 2022 (and its 2023 amount), a payment, a status
    load(db, ADMIN, demo_example(db), origin="semaine-type.toml")
    line = db.records("budget_lines", as_of=dt.date(2022, 12, 31), programme_code=MODERN)[0]
    budget.record_payment(db, LEAD, budget_line_id=line["budget_line_id"], stage="commitment",
                          occurred_on=dt.date(2022, 11, 15), amount="20 000")  # fmt: skip
    status.change_status(db, LEAD, "orientation", 5, to_status="in_progress", seen_event_id=None,
                         progress=30, occurred_on=dt.date(2022, 10, 3))  # fmt: skip
    assert pack_text(db, "2022-T3") == t3
    for day in QUARTER_ENDS:
        if day < dt.date(2022, 10, 3):
            assert observed(db, day) == before[day], day
    # T4 2022 shows the extended term, the 2023 amount and the engagement
    t4 = {s["code"]: s for s in summaries(db, dt.date(2022, 12, 31))}[MODERN]
    assert t4["ends_on"] == dt.date(2023, 12, 31)
    money = {m["tax_basis"]: m for m in t4["money"]}
    assert money["TTC"]["allocated"] == Decimal("150000.00")
    assert money["TTC"]["committed"] == Decimal("20000.00")
    deck = pack.build(db, "2022-T4", MODERN)
    [budget_slide] = [s for s in deck.slides if s.key == "budget"]
    assert [row[0] for row in budget_slide.table[1]] == ["2022", "2023"]
    said = " ".join(budget_slide.lines).replace("\u202f", " ").replace("\xa0", " ")
    assert "alloué 150 000 €" in said and "engagé 20 000 €" in said
