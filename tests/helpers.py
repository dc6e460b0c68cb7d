"""Test helpers: a snapshot of every table (to prove a refused write changed
nothing) and the tiny hand-made dataset of the golden query tests."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

from dashboard.tracker import acts, budget, catalogue, committees, programmes, status, work
from dashboard.tracker.access import Actor
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database
from dashboard.tracker.origins import Origin

BUILDER = Actor("builder", "administrateur", "Constructeur")
#: an item of a test that existed before it was recorded (its status events are dated)
SINCE_2019 = Origin(stated_on=dt.date(2019, 1, 1), reason="Jeu de test : existe depuis 2019.")


def snapshot(db: Database) -> dict[str, tuple]:
    """Every table's row count and a checksum of all its rows (a hash of each row's
    every column, summed), read in one query: any row added, changed or removed changes
    it. The sequences' positions are implied by the ids."""
    with db.reader() as cur:
        present = {r[0] for r in cur.execute(
            "select table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()}  # fmt: skip
        # every table of the catalogue (sessions and migrations too) this database has yet
        tables = sorted(set(catalogue.TABLES) & present)
        # table names come from the database's own catalogue
        union = " union all ".join(
            f"select '{t}', count(*), coalesce(sum(hash(x::varchar)), 0) from {t} as x"
            for t in tables
        )
        return {name: (count, digest) for name, count, digest in cur.execute(union).fetchall()}


def src(article: str) -> Source:
    return Source("Acte de test", article, f"Extrait de l'{article}")


def build_tiny(db: Database) -> dict[str, int]:
    """A programme with two acts, two phases, an orientation and an action, a committee
    whose meeting validates phase 1, two budget lines in two tax bases and three payments."""
    a = BUILDER
    ids = {}
    ids["org_a"] = programmes.create_organisation(
        db, a, code="ORG-A", name="Financeur A", kind="local_authority"
    )
    ids["org_b"] = programmes.create_organisation(
        db, a, code="ORG-B", name="Bénéficiaire B", kind="public_interest_group"
    )
    ids["prog"] = programmes.create_programme(
        db, a, code="TEST-A", title="Programme A", kind="evaluation", source=src("article 0")
    )
    ids["prog_b"] = programmes.create_programme(
        db, a, code="TEST-B", title="Programme B", kind="modernisation"
    )
    programmes.link_programmes(
        db, a, from_programme_id=ids["prog"], to_programme_id=ids["prog_b"], source=src("article 9")
    )
    ids["conv"] = acts.create_act(
        db,
        a,
        programme_id=ids["prog"],
        kind="agreement",
        title="Convention A",
        reference="REF-1",
        concluded_on=dt.date(2019, 1, 15),
        ends_on=dt.date(2019, 12, 31),
        source=src("article 1"),
    )
    ids["amend"] = acts.create_act(
        db,
        a,
        programme_id=ids["prog"],
        kind="amendment",
        number=3,
        title="Avenant 3",
        amends_act_id=ids["conv"],
        effective_rule="at_signature",
        ends_on=dt.date(2021, 12, 31),
        deliberation_body="Bureau",
        deliberation_date=dt.date(2020, 5, 4),
        source=src("article 2"),
    )
    # the work tree is created by the convention (article 3): it exists from its conclusion
    by_conv = Origin(act_id=ids["conv"], article="article 3")
    ids["c_term"] = acts.add_clause(
        db,
        a,
        act_id=ids["amend"],
        kind="duration",
        article="Article 4",
        summary="Terme au 31/12/2021",
        source=src("article 4"),
    )
    ids["c_notice"] = acts.add_clause(
        db,
        a,
        act_id=ids["amend"],
        kind="termination_notice",
        article="Article 7",
        months=2,
        summary="Préavis de 2 mois",
        source=src("article 7"),
    )
    ids["c_ext"] = acts.add_clause(
        db,
        a,
        act_id=ids["amend"],
        kind="extension_by_amendment",
        article="Article 5",
        summary="Prolongation par avenant",
    )
    ids["c_settle"] = acts.add_clause(
        db,
        a,
        act_id=ids["amend"],
        kind="amicable_settlement",
        article="Article 6",
        days=15,
        summary="15 jours",
    )
    ids["p1"] = work.create_phase(
        db,
        a,
        programme_id=ids["prog"],
        number=1,
        title="Phase un",
        weight=2,
        source=src("article 3"),
        origin=by_conv,
    )
    ids["p2"] = work.create_phase(
        db, a, programme_id=ids["prog"], number=2, title="Phase deux", origin=by_conv
    )
    ids["o1"] = work.create_orientation(
        db, a, programme_id=ids["prog"], phase_id=ids["p1"], title="Orientation un", origin=by_conv
    )
    ids["a1"] = work.create_action(
        db, a, orientation_id=ids["o1"], title="Action un", territory="Pays d'Aix", lead="Lina",
        origin=by_conv,
    )  # fmt: skip
    ids["o_b"] = work.create_orientation(
        db, a, programme_id=ids["prog_b"], title="Orientation B", origin=SINCE_2019
    )

    e1 = status.change_status(
        db,
        a,
        "phase",
        ids["p1"],
        to_status="planned",
        seen_event_id=None,
        occurred_on=dt.date(2020, 2, 1),
    )
    e2 = status.change_status(
        db,
        a,
        "phase",
        ids["p1"],
        to_status="in_progress",
        seen_event_id=e1,
        progress=40,
        occurred_on=dt.date(2020, 3, 1),
    )
    ids["e_p1_delivered"] = status.change_status(
        db,
        a,
        "phase",
        ids["p1"],
        to_status="delivered",
        seen_event_id=e2,
        occurred_on=dt.date(2020, 6, 1),
    )
    status.change_status(
        db,
        a,
        "phase",
        ids["p2"],
        to_status="blocked",
        seen_event_id=None,
        occurred_on=dt.date(2020, 5, 1),
        comment="En attente",
    )
    status.change_status(
        db,
        a,
        "orientation",
        ids["o1"],
        to_status="in_progress",
        seen_event_id=None,
        progress=30,
        occurred_on=dt.date(2020, 4, 1),
    )

    ids["copil"] = committees.create_committee(
        db, a, programme_id=ids["prog"], kind="copil", name="COPIL A", mandate="Valider"
    )
    ids["meeting"] = committees.record_meeting(
        db,
        a,
        committee_id=ids["copil"],
        held_on=dt.date(2020, 6, 15),
        place="Marseille",
        decisions=[
            committees.DecisionInput("validates", "Phase 1 validée", [("phase", ids["p1"])])
        ],
    )
    ids["decision"] = db.scalar("select max(id) from decision")

    ids["line_2020"] = budget.create_budget_line(
        db,
        a,
        programme_id=ids["prog"],
        fiscal_year=2020,
        amount="1000.00",
        tax_basis="HT",
        act_id=ids["amend"],
        funder_id=ids["org_a"],
        recipient_id=ids["org_b"],
        label="Ligne 2020",
    )
    ids["line_2021"] = budget.create_budget_line(
        db,
        a,
        programme_id=ids["prog"],
        fiscal_year=2021,
        amount="500.50",
        tax_basis="TTC",
        label="Ligne 2021",
        # no act grants it: known since the budget's vote, said with its reason
        origin=Origin(stated_on=dt.date(2020, 12, 15), reason="Budget primitif 2021 voté"),
    )
    budget.record_payment(
        db,
        a,
        budget_line_id=ids["line_2020"],
        stage="commitment",
        occurred_on=dt.date(2020, 3, 1),
        amount="800",
    )
    budget.record_payment(
        db,
        a,
        budget_line_id=ids["line_2020"],
        stage="payment_order",
        occurred_on=dt.date(2020, 4, 1),
        amount="600",
    )
    budget.record_payment(
        db,
        a,
        budget_line_id=ids["line_2020"],
        stage="disbursement",
        occurred_on=dt.date(2020, 5, 1),
        amount="500",
        reference="V-1",
    )
    return ids


def item_status_matches_the_log(db: Database) -> bool:
    """item_status must equal the status_event log's latest row per item (with who
    recorded it, the first day in progress, the last day delivered or validated)."""
    with db.reader() as cur:
        kept = cur.execute("select * from item_status order by all").fetchall()
        derived = cur.execute(
            "select item_kind, item_id, max(id), arg_max(to_status, id), arg_max(progress, id),"
            " arg_max(occurred_on, id), arg_max(actor, id),"
            " min(occurred_on) filter (where to_status = 'in_progress'),"
            " max(occurred_on) filter (where to_status in ('delivered', 'validated'))"
            " from status_event group by all order by all"
        ).fetchall()
    return kept == derived


def rollup_drift(db: Database) -> list[tuple]:
    """The roll-up rows that differ from a recomputation: none when every writer kept
    them current (rollups.drift)."""
    from dashboard.tracker import rollups

    with db.reader() as cur:
        return rollups.drift(cur)


def plain(value: object) -> str:
    """A markdown element's text as the page shows it: backslash escapes and the
    invisible joiners that keep addresses from becoming links removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(value)).replace("\u2060", "")


def page_text(at) -> str:
    """Everything an AppTest page shows as text: markdown-like elements (escapes
    removed), our own HTML (tags stripped), expander labels and tables."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [t.value for t in at.title] + [s.value for s in at.subheader] + [h.value for h in at.header]
    )
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    parts += [e.value for e in at.error] + [e.value for e in at.success]
    parts += [e.label for e in at.expander]
    text = "\n".join(plain(p) for p in parts)
    text += "\n" + "\n".join(re.sub(r"<[^>]+>", " ", h.proto.body) for h in at.html)
    text += "\n" + "\n".join(frame.value.to_string() for frame in at.dataframe)
    return html.unescape(text).replace("\u202f", " ").replace("\u00a0", " ")


#: typed into every text field by a hostile user: markdown image and link, HTML image
#: and link, a Streamlit colour directive and icon, LaTeX and emphasis
PAYLOAD = (
    "![i](http://evil.example/md.png) <img src=http://evil.example/html.png> "
    "<a href=http://evil.example/a>lien</a> [clic](http://evil.example/b) :red[rouge] "
    ":material/warning: $x^2$ **gras** www.evil.example"
)


def build_payloads(db: Database) -> dict[str, int]:
    """A programme whose every stored text is ``PAYLOAD`` (codes and logins excepted:
    their format forbids it), with an act, clauses, the work tree, a committee, a
    meeting and its decision, money, a context note and sources."""
    a = BUILDER
    source = Source(PAYLOAD[:300], PAYLOAD[:200], PAYLOAD[:300])
    ids = {}
    ids["org"] = programmes.create_organisation(db, a, code="PIEGE", name=PAYLOAD, kind="other")
    ids["person"] = programmes.create_person(
        db, a, full_name=PAYLOAD, organisation_id=ids["org"], role_title=PAYLOAD[:200]
    )
    ids["prog"] = programmes.create_programme(
        db, a, code="PIEGE", title=PAYLOAD, kind="other", description=PAYLOAD, source=source
    )
    programmes.add_programme_note(db, a, programme_id=ids["prog"], title=PAYLOAD, body=PAYLOAD,
                                  source=source)  # fmt: skip
    ids["act"] = acts.create_act(
        db,
        a,
        programme_id=ids["prog"],
        kind="agreement",
        title=PAYLOAD,
        reference=PAYLOAD[:100],
        ends_on=dt.date(2030, 12, 31),
        deliberation_body=PAYLOAD[:200],
        deliberation_number=PAYLOAD[:100],
        source=source,
    )
    acts.add_act_party(db, a, act_id=ids["act"], organisation_id=ids["org"],
                       represented_by=ids["person"], signatory_id=ids["person"])  # fmt: skip
    for kind, extra in (("termination_notice", {"months": 6}), ("duration", {})):
        acts.add_clause(db, a, act_id=ids["act"], kind=kind, article=PAYLOAD[:200],
                        summary=PAYLOAD, source=source, **extra)  # fmt: skip
    # the hostile text as the reason of a date given: shown as text too
    since = Origin(stated_on=dt.date(2023, 1, 1), reason=PAYLOAD)
    ids["phase"] = work.create_phase(
        db, a, programme_id=ids["prog"], number=1, title=PAYLOAD, lead=PAYLOAD[:200],
        territory=PAYLOAD[:200], starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 6, 30),
        source=source, origin=since,
    )  # fmt: skip
    ids["orientation"] = work.create_orientation(
        db, a, programme_id=ids["prog"], phase_id=ids["phase"], title=PAYLOAD, source=source,
        origin=since,
    )  # fmt: skip
    ids["action"] = work.create_action(
        db, a, orientation_id=ids["orientation"], title=PAYLOAD, lead=PAYLOAD[:200],
        territory=PAYLOAD[:200], starts_on=dt.date(2024, 2, 1), ends_on=dt.date(2024, 3, 1),
        origin=since,
    )  # fmt: skip
    for kind, item in (("phase", ids["phase"]), ("action", ids["action"])):
        status.change_status(db, a, kind, item, to_status="blocked", seen_event_id=None,
                             occurred_on=dt.date(2024, 2, 15), comment=PAYLOAD,
                             source=source)  # fmt: skip
    ids["committee"] = committees.create_committee(
        db, a, programme_id=ids["prog"], kind="copil", name=PAYLOAD, mandate=PAYLOAD
    )
    ids["meeting"] = committees.record_meeting(
        db, a, committee_id=ids["committee"], held_on=dt.date(2024, 3, 5), place=PAYLOAD[:200],
        attendees=PAYLOAD, minutes=PAYLOAD,
        decisions=[committees.DecisionInput("adopts", PAYLOAD, [("phase", ids["phase"])],
                                            source)],
    )  # fmt: skip
    ids["line"] = budget.create_budget_line(
        db, a, programme_id=ids["prog"], fiscal_year=2024, amount="5000", tax_basis="HT",
        act_id=ids["act"], funder_id=ids["org"], recipient_id=ids["org"], label=PAYLOAD,
        source=source,
    )  # fmt: skip
    budget.record_payment(db, a, budget_line_id=ids["line"], stage="commitment",
                          occurred_on=dt.date(2024, 4, 1), amount="1000",
                          reference=PAYLOAD[:100])  # fmt: skip
    return ids


def start_phases(db: Database, *numbers: int) -> dict[int, int]:
    """Work under way: phases of the evaluation programme moved to « en cours » on
    1 April 2019 (the seed leaves every status unknown, as the acts do); their events."""
    lead = Actor("lead", "contributeur", "Chargée de mission")
    return {
        number: status.change_status(
            db,
            lead,
            "phase",
            number,
            to_status="in_progress",
            seen_event_id=None,
            occurred_on=dt.date(2019, 4, 1),
        )
        for number in numbers or (2, 3)
    }


def charts_sent(at) -> list[dict]:
    """The charts of an AppTest page as the browser receives them, each checked to be
    what plotly's own validated figure of it gives: the page hands plotly's dicts to
    Streamlit without building a Figure (``charts.Drawn``), so nothing may be sent that
    plotly would have refused or written otherwise."""
    import plotly.graph_objects as go
    import plotly.io as pio

    specs = [json.loads(element.proto.spec) for element in at.get("plotly_chart")]
    for spec in specs:
        assert json.loads(pio.to_json(go.Figure(spec), validate=True)) == spec
        assert spec["layout"]["template"]["layout"]  # plotly's default, as a Figure has it
    return specs
