"""The quarterly meeting pack: what the deck, the PDF, the workbook and the
presentation mode show, computed once from the database as of the quarter's last day.

``build(db, "2022-T3", programme_code=None)`` returns a ``Pack``: slides (title, short
lines, an optional table and an optional chart, speaker notes naming each figure's
source) and the full tables of the workbook. The renderers in ``pack_pptx``,
``pack_pdf`` and ``pack_xlsx`` only lay it out."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from dashboard.tracker import completeness as completeness_module
from dashboard.tracker import deadlines as deadlines_module
from dashboard.tracker import fmt, history, overview, rules
from dashboard.tracker import pack_evaluation as evaluation_module
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.pack_model import Chart, Sheet, Slide

#: above this many programmes, slides show one line per programme rather than per phase
DETAILED_PROGRAMMES = 6
#: rows of a slide table; the rest is in the workbook
SLIDE_ROWS = 12
STATUS_LOG = "journal des statuts"


@dataclass
class Pack:
    year: int
    quarter: int
    programme_code: str | None
    programmes: list[dict]
    generated_at: dt.datetime
    meeting_on: dt.date | None
    slides: list[Slide]
    sheets: list[Sheet]
    #: made from a demonstration database: every page and slide says « données fictives »
    fictional: bool = False

    @property
    def label(self) -> str:
        return fmt.quarter_label(self.year, self.quarter)

    @property
    def span(self) -> str:
        return fmt.quarter_span(self.year, self.quarter)

    @property
    def as_of(self) -> dt.date:
        return fmt.quarter_bounds(self.year, self.quarter)[1]

    @property
    def stamp(self) -> str:
        """What every page and slide carries when the data are fictional."""
        return "DONNÉES FICTIVES (base de démonstration) · " if self.fictional else ""

    @property
    def file_stem(self) -> str:
        scope = self.programme_code or "tous-programmes"
        return f"cdv-{self.year}-T{self.quarter}-{scope}"


def parse_quarter(text: object) -> tuple[int, int]:
    """``2022-T3``, ``T3 2022``, ``2022-Q3`` or ``2022T3`` -> (2022, 3); French message otherwise."""
    value = str(text or "").strip().upper()
    match = re.fullmatch(r"(\d{4})\s*[-_ ]?\s*[TQ]([1-4])", value) or re.fullmatch(
        r"[TQ]([1-4])\s*[-_ ]?\s*(\d{4})", value
    )
    if not match:
        raise ValidationError(
            f"Trimestre « {text} » non reconnu : écrivez par exemple 2022-T3 (ou T3 2022)."
        )
    first, second = match.groups()
    year, quarter = (int(first), int(second)) if len(first) == 4 else (int(second), int(first))
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Année {year} hors de la période suivie (2000 à 2100).")
    return year, quarter


def _source(document: str | None, article: str | None) -> str:
    if not document:
        return "source non renseignée"
    return f"{document}, {article}" if article else document


def _item_label(item: dict) -> str:
    if item["item_kind"] == "phase":
        return f"Phase {item['position']}"
    if item["item_kind"] == "orientation":
        rank = f"Orientation {item['position']}" if item["position"] else "Orientation"
        return f"Ph. {item['phase_number']} · {rank.lower()}" if item["phase_number"] else rank
    return "Action"


@dataclass
class QuarterData:
    """Everything the pack shows, read once with the quarter's dates passed to SQL."""

    year: int
    quarter: int
    start: dt.date
    end: dt.date
    prev_end: dt.date
    horizon: dt.date
    programme_code: str | None
    programmes: list[dict]
    summaries: list[dict]
    previous: dict[str, dict]
    items: list[dict]
    budget_rows: list[dict]
    money: list[dict]
    lines: list[dict]
    payments: list[dict]
    #: each corrected payment's notes (« Corrigé le … par … ; motif : … »), by id
    payment_corrections: dict
    decisions: list[dict]
    meetings: list[dict]
    changes: list[dict]
    deadlines: list[dict]
    alerts: list[dict]
    gaps: list[dict]
    acts: list[dict]
    evaluation: evaluation_module.EvaluationData

    @property
    def codes(self) -> set[str]:
        return {p["code"] for p in self.programmes}

    @property
    def detailed(self) -> bool:
        return len(self.programmes) <= DETAILED_PROGRAMMES

    @property
    def label(self) -> str:
        return fmt.quarter_label(self.year, self.quarter)

    @property
    def prev_label(self) -> str:
        return fmt.quarter_label(*fmt.previous_quarter(self.year, self.quarter))


def load(db: Database, year: int, q: int, programme_code: str | None) -> QuarterData:
    """The quarter's data: figures as of its last day, events dated within it."""
    start, end = fmt.quarter_bounds(year, q)
    prev_end = start - dt.timedelta(days=1)
    horizon = fmt.quarter_bounds(*fmt.next_quarter(*fmt.next_quarter(year, q)))[1]
    code = programme_code
    if code is not None and not db.records(
        "programmes", as_of=dt.date(2100, 12, 31), programme_code=code
    ):
        raise ValidationError(f"Programme « {code} » inconnu.")
    read = db.gather(
        programmes=lambda: db.records("programmes", as_of=end, programme_code=code),
        summaries=lambda: overview.summaries(db, end, code),
        previous=lambda: overview.summaries(db, prev_end, code),
        deadlines=lambda: deadlines_module.deadlines(db, code, end),
        gaps=lambda: completeness_module.completeness(db, code, end),
        budget_rows=lambda: db.records("budget_by_year", as_of=end, programme_code=code),
        money=lambda: db.records("money_by_basis", as_of=end, programme_code=code),
        lines=lambda: db.records("budget_lines", as_of=end, programme_code=code),
        payments=lambda: db.records("payments", programme_code=code, since=start, until=end,
                                    limit=None),
        payment_corrections=lambda: history.corrections(db, "payment", any_record=True),
        decisions=lambda: db.records("decisions", programme_code=code, since=start, until=end),
        meetings=lambda: db.records("meetings", programme_code=code, since=start, until=end),
        changes=lambda: history.changes_between(db, prev_end, end, code),
        acts=lambda: db.records("acts", as_of=end, programme_code=code),
        evaluation=lambda: evaluation_module.load(db, code, start, end),
    )  # fmt: skip
    return QuarterData(
        year=year,
        quarter=q,
        start=start,
        end=end,
        prev_end=prev_end,
        horizon=horizon,
        programme_code=code,
        programmes=read["programmes"],
        summaries=read["summaries"],
        previous={s["code"]: s for s in read["previous"]},
        # many programmes: their packs list phases and orientations, never the actions
        items=db.records(
            "work_items",
            as_of=end,
            programme_code=code,
            without_actions=len(read["programmes"]) > DETAILED_PROGRAMMES,
        ),  # fmt: skip
        budget_rows=read["budget_rows"],
        money=read["money"],
        lines=read["lines"],
        payments=read["payments"],
        payment_corrections=read["payment_corrections"],
        decisions=read["decisions"],
        meetings=read["meetings"],
        changes=read["changes"],
        deadlines=read["deadlines"],
        alerts=overview.alerts(
            db, end, code, programme_summaries=read["summaries"], item_limit=SLIDE_ROWS,
            known={"deadlines": read["deadlines"], "gaps": read["gaps"], "acts": read["acts"]},
        ),  # the slide shows the first ones
        gaps=read["gaps"],
        acts=read["acts"],
        evaluation=read["evaluation"],
    )  # fmt: skip


def build(db: Database, quarter: str | tuple[int, int], programme_code: str | None = None) -> Pack:
    year, q = parse_quarter(quarter) if isinstance(quarter, str) else quarter
    data = load(db, year, q, programme_code)
    slides = [
        title_slide(data),
        kpi_slide(data),
        progress_slide(data),
        budget_slide(data),
        decisions_slide(data),
        evaluation_module.indicators_slide(data.evaluation),
        evaluation_module.deliverables_slide(data.evaluation),
        changes_slide(data),
        deadlines_slide(data),
        alerts_slide(data),
        completeness_slide(data),
        sources_slide(data),
    ]
    meeting_on = quarter_meeting(data)
    fictional = bool(db.records("demo_flag"))
    return Pack(
        year, q, programme_code, data.programmes, utcnow(), meeting_on, slides, _sheets(data),
        fictional,
    )  # fmt: skip


def quarter_meeting(data: QuarterData) -> dt.date | None:
    """The last committee meeting held this quarter (one held earlier and made known this
    quarter by an act is among the quarter's decisions, not on its cover)."""
    return max((m["held_on"] for m in data.meetings if m["held_on"] >= data.start), default=None)


def title_slide(data: QuarterData) -> Slide:
    names = " ; ".join(p["title"] for p in data.programmes[:4]) + (
        f" et {len(data.programmes) - 4} autres programmes" if len(data.programmes) > 4 else ""
    )
    meeting_on = quarter_meeting(data)
    return Slide(
        "title",
        f"Point trimestriel — {data.label}",
        [
            names or "Aucun programme en vigueur à cette date",
            fmt.quarter_span(data.year, data.quarter),
            f"Réunion du comité : {fmt.date_fr(meeting_on)}"
            if meeting_on
            else "Aucune réunion de comité enregistrée ce trimestre",
            f"Chiffres arrêtés au {fmt.date_fr(data.end)} · généré le "
            f"{fmt.datetime_fr(utcnow())} par cdv-tracker",
        ],
        notes=[in_force_rule(data.end)],
    )


#: the rules of queries/rules/ whose wording says what a figure « au » a date counts
_AS_OF_RULES = (
    "act_start", "acts_in_force", "budget_line_start", "budget_lines_in_force",
    "budget_line_spent_rows", "status_at", "work_item", "meeting_start", "programme_start",
)  # fmt: skip


def in_force_rule(end: dt.date) -> str:
    """The one rule of every figure « au » a date, said on screen and in the pack: the
    current wording of each rule file, never a copy of it."""
    return (
        f"Chiffres arrêtés au {fmt.date_fr(end)}, d'après ce qui existait et était connu ce "
        "jour-là. "
        + " ".join(rules.wording(name) for name in _AS_OF_RULES)
        + " Un montant inconnu est dit « non renseigné », jamais 0 €."
    )


def kpi_slide(data: QuarterData) -> Slide:
    money = defaultdict(list)
    for row in data.money:
        money[row["programme_code"]].append(row)
    shown = data.summaries if data.detailed else data.summaries[:SLIDE_ROWS]
    rows, notes = [], []
    for s in shown:
        before = data.previous.get(s["code"])
        rows.append(
            [
                s["code"],
                _term_text(s, before),
                fmt.money_by_basis(money[s["code"]], "allocated"),
                fmt.money_by_basis(money[s["code"]], "committed"),
                fmt.money_by_basis(money[s["code"]], "paid"),
                _phases_text(s),
                overview.progress_coverage(s),
                overview.progress_coverage(before) if before else "programme absent",
            ]
        )
        notes.append(
            f"{s['code']} : alloué = lignes budgétaires en vigueur au {fmt.date_fr(data.end)} ; "
            "engagé et versé = paiements datés au plus tard ce jour-là (non renseigné si "
            f"aucun n'est enregistré) ; avancement d'après le {STATUS_LOG}."
        )
    unknown = sum(s["status_unknown"] for s in data.summaries)
    lines = [
        f"{overview.in_force_count(data.summaries, data.end)} · "
        f"{sum(s['items_total'] for s in data.summaries)} éléments suivis · "
        f"{sum(s['blocked'] for s in data.summaries)} bloqué(s) · "
        f"{unknown} statut(s) non renseigné(s)"
    ]
    if not data.detailed and len(data.summaries) > SLIDE_ROWS:
        lines.append(f"… et {len(data.summaries) - SLIDE_ROWS} autres programmes dans le classeur")
    header = ["Programme", "Terme des actes", "Alloué", "Engagé", "Versé", "Phases livrées",
              "Avancement", f"Fin {data.prev_label}"]  # fmt: skip
    return Slide(
        "kpis",
        f"Chiffres clés au {fmt.date_fr(data.end)}",
        lines,
        table=(header, rows),
        notes=notes[:SLIDE_ROWS],
    )


def _term_text(summary: dict, before: dict | None) -> str:
    """The term of the programme's acts as in force at the quarter's end, and what it was
    the quarter before when an act (an avenant) moved it."""
    term = fmt.date_fr(summary["ends_on"]) if summary["ends_on"] else fmt.UNKNOWN
    if before is None or before["ends_on"] == summary["ends_on"]:
        return term
    was = fmt.date_fr(before["ends_on"]) if before["ends_on"] else fmt.UNKNOWN
    return f"{term} (au lieu du {was} : modifié ce trimestre)"


def _phases_text(summary: dict) -> str:
    text = f"{summary['phases_delivered']} / {summary['phases_total']}"
    if summary["phases_unknown"]:
        text += f" ({summary['phases_unknown']} non renseignée(s))"
    return text


def progress_slide(data: QuarterData) -> Slide:
    if not data.detailed:
        return _progress_by_programme(data)
    shown = [i for i in data.items if i["item_kind"] in ("phase", "orientation")]
    known = [i for i in shown if i["effective_progress"] is not None]
    several = len(data.codes) > 1
    chart = Chart(
        "Avancement par phase et orientation (%)",
        [f"{i['programme_code']} · {_item_label(i)}" if several else _item_label(i) for i in known],
        {"Avancement (%)": [float(i["effective_progress"]) for i in known]},
        "percent",
        horizontal=True,
    )
    missing = len(shown) - len(known)
    table_rows = [
        [
            _item_label(i),
            fmt.shorten(fmt.capitalize_first(i["title"]), 70),
            fmt.label(fmt.STATUS_LABELS, i["status"]),
            fmt.percent(i["effective_progress"])
            if i["effective_progress"] is not None
            else fmt.UNKNOWN,
        ]
        for i in shown[:SLIDE_ROWS]
    ]
    return Slide(
        "progress",
        "Avancement des phases et orientations",
        [
            f"Avancement connu pour {len(known)} élément(s) sur {len(shown)}"
            + (f" ; {missing} non renseigné(s), absents du graphique." if missing else ".")
        ],
        table=(["Élément", "Intitulé", "Statut", "Avancement"], table_rows) if table_rows else None,
        chart=chart if chart.categories else None,
        notes=[
            f"Statuts et avancements au {fmt.date_fr(data.end)} d'après le {STATUS_LOG} ; "
            "« livré » et « validé » comptent pour 100 %."
        ]
        + sorted(
            {
                "Intitulés : " + _source(i["source_document"], i["source_article"])
                for i in shown
                if i["source_document"]
            }
        ),
    )


def _progress_by_programme(data: QuarterData) -> Slide:
    ranked = sorted(data.summaries, key=lambda s: s["code"])[: SLIDE_ROWS * 2]
    known = [s for s in ranked if s["weighted_progress"] is not None]
    chart = Chart(
        "Progression pondérée par programme (%)",
        [s["code"] for s in known],
        {"Progression (%)": [float(s["weighted_progress"]) for s in known]},
        "percent",
        horizontal=True,
    )
    return Slide(
        "progress",
        "Avancement des phases et orientations",
        [
            f"{len(data.summaries)} programmes : les {len(ranked)} premiers (par code) ; "
            f"avancement connu pour {len(known)} d'entre eux ; le détail par élément est dans "
            "le classeur."
        ],
        chart=chart if chart.categories else None,
        notes=[f"Progression pondérée au {fmt.date_fr(data.end)} d'après le {STATUS_LOG}."],
    )


STAGES = (("Alloué", "allocated"), ("Engagé", "committed"), ("Mandaté", "ordered"),
          ("Versé", "paid"))  # fmt: skip


def budget_slide(data: QuarterData) -> Slide:
    several = len(data.codes) > 1
    rows = sorted(data.budget_rows, key=lambda r: (r["fiscal_year"], r["programme_code"]))
    charted = rows[: SLIDE_ROWS * 2]
    chart = Chart(
        "Alloué, engagé, mandaté et versé par exercice (€)",
        [
            f"{r['fiscal_year']} {fmt.TAX_BASIS_LABELS[r['tax_basis']]}"
            + (f" · {r['programme_code']}" if several else "")
            for r in charted
        ],
        # an unknown figure is no bar (None), never a bar at 0
        {name: [_float(r[column]) for r in charted] for name, column in STAGES},
        "euro",
    )
    lines = [
        f"{_basis_title(row['tax_basis'])} ({row['programme_code']}) : "
        + ", ".join(
            f"{name.lower()} "
            + (fmt.money(row[column]) if row[column] is not None else fmt.UNKNOWN)
            for name, column in STAGES
        )
        for row in data.money
        if row["lines"]
    ]
    if len({r["tax_basis"] for r in data.money}) > 1:
        lines.append("Les montants HT, TTC et « non précisé » ne sont jamais additionnés.")
    if lines and not any(r["payments"] for r in data.money):
        lines.append(
            "Aucun paiement enregistré à cette date : engagé, mandaté et versé non renseignés."
        )
    lines += _corrected_payments(data)
    table = [
        [str(r["fiscal_year"]), r["programme_code"], fmt.TAX_BASIS_LABELS[r["tax_basis"]]]
        + [fmt.money(r[c]) if r[c] is not None else fmt.UNKNOWN for _, c in STAGES]
        for r in rows[:SLIDE_ROWS]
    ]
    return Slide(
        "budget",
        "Budget et dépenses",
        lines or ["Aucune ligne budgétaire en vigueur à cette date : montants non renseignés."],
        table=(["Exercice", "Programme", "Base", "Alloué", "Engagé", "Mandaté", "Versé"], table),
        chart=chart if charted else None,
        notes=[
            f"Alloué : lignes budgétaires en vigueur au {fmt.date_fr(data.end)} ; engagé, "
            f"mandaté, versé : paiements datés au plus tard ce jour-là."
        ]
        + sorted(
            {
                f"Ligne {line['fiscal_year']} ({line['programme_code']}) : "
                f"{_source(line['source_document'], line['source_article'])}"
                for line in data.lines
            }
        )[:SLIDE_ROWS],
    )


def _corrected_payments(data: QuarterData) -> list[str]:
    """A payment of the quarter corrected since it was recorded says so on the slide (and
    so in the PDF), as in the workbook: the figures above hold its corrected value."""
    corrected = [
        (p, data.payment_corrections[("payment", p["payment_id"])])
        for p in data.payments
        if ("payment", p["payment_id"]) in data.payment_corrections
    ]
    return [
        f"{fmt.capitalize_first(fmt.STAGE_LABELS[p['stage']])} du {fmt.date_fr(p['occurred_on'])} "
        f"({fmt.money(p['amount'])}, {p['programme_code']}) : {notes[0]}"
        for p, notes in corrected[:3]
    ] + ([f"… et {len(corrected) - 3} autres paiements corrigés (voir le classeur)"]
         if len(corrected) > 3 else [])  # fmt: skip


def _float(value) -> float | None:
    return None if value is None else float(value)


def decisions_slide(data: QuarterData) -> Slide:
    decisions = data.decisions
    lines = [
        f"{fmt.date_fr(d['held_on'])} · {d['committee_name']} · "
        f"{fmt.DECISION_KIND_LABELS[d['kind']]} : {d['text']}"
        for d in decisions[:SLIDE_ROWS]
    ]
    if len(decisions) > SLIDE_ROWS:
        lines.append(f"… et {len(decisions) - SLIDE_ROWS} autres (voir le classeur)")
    return Slide(
        "decisions",
        f"Décisions du trimestre ({data.label})",
        lines or ["Aucune décision ce trimestre."],
        notes=[
            f"Décision du {fmt.date_fr(d['held_on'])} : "
            f"{_source(d['source_document'], d['source_article'])}"
            for d in decisions[:SLIDE_ROWS]
        ]
        or [
            f"Relevé des décisions : aucune séance tenue du {fmt.date_fr(data.start)} au "
            f"{fmt.date_fr(data.end)}."
        ],
    )


def changes_slide(data: QuarterData) -> Slide:
    lines = []
    for s in data.summaries[:SLIDE_ROWS]:
        before = data.previous.get(s["code"])
        if before is None:
            lines.append(f"{s['code']} : programme en vigueur depuis ce trimestre")
            continue
        deltas = []
        if (before["progress_known"], before["weighted_progress"]) != (
            s["progress_known"],
            s["weighted_progress"],
        ):
            deltas.append(f"{overview.progress_coverage(before)} → {overview.progress_coverage(s)}")
        if before["phases_delivered"] != s["phases_delivered"]:
            deltas.append(f"phases livrées {before['phases_delivered']} → {s['phases_delivered']}")
        if deltas:
            lines.append(f"{s['code']} : " + " ; ".join(deltas))
    lines += [f"{fmt.date_fr(c['occurred_on'])} · {c['what']}" for c in data.changes[:SLIDE_ROWS]]
    if len(data.changes) > SLIDE_ROWS:
        lines.append(f"… et {len(data.changes) - SLIDE_ROWS} autres changements (voir le classeur)")
    return Slide(
        "changes",
        f"Ce qui a changé depuis {data.prev_label}",
        lines or [f"Aucun changement enregistré depuis la fin du {data.prev_label}."],
        notes=[
            f"Comparaison des chiffres au {fmt.date_fr(data.prev_end)} et au "
            f"{fmt.date_fr(data.end)} ; changements de statut ({STATUS_LOG}), décisions et "
            f"paiements datés du {fmt.date_fr(data.start)} au {fmt.date_fr(data.end)}."
        ],
    )


def deadlines_slide(data: QuarterData) -> Slide:
    coming = [
        d for d in data.deadlines if d["date"] is not None and data.end < d["date"] <= data.horizon
    ]
    return Slide(
        "deadlines",
        "Échéances des deux trimestres suivants",
        [f"{fmt.date_fr(d['date'])} · {d['label']} ({d['rule']})" for d in coming[:SLIDE_ROWS]]
        or [
            f"Aucune échéance datée entre le {fmt.date_fr(data.end + dt.timedelta(days=1))} "
            f"et le {fmt.date_fr(data.horizon)}."
        ],
        notes=[
            f"{fmt.date_fr(d['date'])} : {_source(d['source']['document'], d['source']['article'])}"
            for d in coming[:SLIDE_ROWS]
            if d.get("source")
        ]
        or ["Échéances calculées à partir des clauses des actes en vigueur (termes, délais)."],
    )


def alerts_slide(data: QuarterData) -> Slide:
    late = [a for a in data.alerts if a["level"] in ("error", "warning")]
    return Slide(
        "alerts",
        "Éléments bloqués ou en retard",
        [a["text"] for a in late[:SLIDE_ROWS]]
        or [f"Aucun élément bloqué ni en retard au {fmt.date_fr(data.end)}."],
        notes=[
            f"Statuts au {fmt.date_fr(data.end)} ({STATUS_LOG}), dates de fin prévues des "
            "éléments et termes des actes en vigueur."
        ],
    )


def completeness_slide(data: QuarterData) -> Slide:
    gaps = data.gaps
    return Slide(
        "completeness",
        "Ce que le dossier ne dit pas encore",
        [f"{g['item']} — {g['reason']}" for g in gaps[:8]]
        + ([f"… et {len(gaps) - 8} autres (voir le classeur)"] if len(gaps) > 8 else [])
        or ["Aucun manque relevé dans le dossier."],
        notes=["Relevé automatique des informations absentes des actes et de la base."],
    )


def sources_slide(data: QuarterData) -> Slide:
    documents = sorted(
        {(a["source_document"], a["source_article"]) for a in data.acts if a["source_document"]}
    )
    return Slide(
        "sources",
        "Sources",
        [f"{a['title']} ({fmt.ACT_KIND_LABELS[a['kind']]})" for a in data.acts[:SLIDE_ROWS]]
        + [
            f"Journal des statuts et des paiements de cdv-tracker, arrêté au {fmt.date_fr(data.end)}",
        ],
        notes=[_source(d, a) for d, a in documents][:SLIDE_ROWS]
        + [
            f"{fmt.shorten(a['title'], 60)} — parties et représentants : "
            f"{a['representatives'] or fmt.UNKNOWN} ; signataires : {a['signatories'] or fmt.UNKNOWN}"
            for a in data.acts[:SLIDE_ROWS]
        ],
    )


def _progress_text(summary: dict) -> str:
    value = summary.get("weighted_progress")
    return fmt.percent(value) if value is not None else fmt.UNKNOWN


def _progress_with_base(summary: dict) -> str:
    """``100 % (1 sur 7 renseignés)``: a weighted progress says what it rests on."""
    if summary.get("weighted_progress") is None:
        return fmt.UNKNOWN
    return (
        f"{_progress_text(summary)} ({summary['progress_known']} sur "
        f"{summary['items_total']} renseignés)"
    )


def _basis_title(basis: str) -> str:
    return "Base HT/TTC non précisée" if basis == "unspecified" else f"Base {basis}"


def _sheets(data: QuarterData) -> list[Sheet]:
    """The workbook: many programmes list phases and orientations (a programme's own
    pack lists its actions too); payments are those of the quarter, the budget lines
    carrying their totals as of its last day."""
    items = data.items if data.detailed else [i for i in data.items if i["item_kind"] != "action"]
    lines, payments, decisions = data.lines, data.payments, data.decisions
    corrected = data.payment_corrections
    deadlines, gaps, changes = data.deadlines, data.gaps, data.changes
    return [
        Sheet(
            "Éléments",
            [
                ("Programme", "text"),
                ("Type", "text"),
                ("Phase", "int"),
                ("Rang", "int"),
                ("Intitulé", "text"),
                ("Statut", "text"),
                ("Avancement", "percent"),
                ("Statut posé le", "date"),
                ("Début prévu", "date"),
                ("Fin prévue", "date"),
                ("Responsable", "text"),
                ("Territoire", "text"),
                ("Source", "text"),
            ],
            [
                [
                    i["programme_code"],
                    fmt.ITEM_KIND_LABELS[i["item_kind"]],
                    i["phase_number"],
                    i["position"],
                    i["title"],
                    fmt.label(fmt.STATUS_LABELS, i["status"]),
                    None if i["effective_progress"] is None else i["effective_progress"] / 100,
                    i["status_on"],
                    i["starts_on"],
                    i["ends_on"],
                    i["lead"],
                    i["territory"],
                    _source(i["source_document"], i["source_article"])
                    if i["source_document"]
                    else None,
                ]
                for i in items
            ],
        ),
        Sheet(
            "Lignes budgétaires",
            [
                ("Programme", "text"),
                ("Exercice", "int"),
                ("Base", "text"),
                ("Libellé", "text"),
                ("Alloué", "euro"),
                ("Engagé", "euro"),
                ("Mandaté", "euro"),
                ("Versé", "euro"),
                ("Source", "text"),
            ],
            [
                [
                    line["programme_code"],
                    line["fiscal_year"],
                    fmt.TAX_BASIS_LABELS[line["tax_basis"]],
                    line["label"],
                    line["amount"],
                    line["committed"],
                    line["ordered"],
                    line["paid"],
                    _source(line["source_document"], line["source_article"]),
                ]
                for line in lines
            ],
        ),
        Sheet(
            "Paiements du trimestre",
            [
                ("Programme", "text"),
                ("Exercice", "int"),
                ("Base", "text"),
                ("Étape", "text"),
                ("Date", "date"),
                ("Montant", "euro"),
                ("Référence", "text"),
                ("Motif de dépassement", "text"),
                ("Saisi par", "text"),
                ("Correction", "text"),
            ],
            [
                [
                    p["programme_code"],
                    p["fiscal_year"],
                    fmt.TAX_BASIS_LABELS[p["tax_basis"]],
                    fmt.STAGE_LABELS[p["stage"]],
                    p["occurred_on"],
                    p["amount"],
                    p["reference"],
                    p["over_budget_reason"],
                    p["recorded_by"],
                    # a corrected amount or date says so here too
                    " ; ".join(corrected.get(("payment", p["payment_id"]), [])) or None,
                ]
                for p in payments
            ],
        ),
        Sheet(
            "Décisions",
            [
                ("Programme", "text"),
                ("Date", "date"),
                ("Comité", "text"),
                ("Nature", "text"),
                ("Décision", "text"),
                ("Éléments concernés", "text"),
                ("Source", "text"),
            ],
            [
                [
                    d["programme_code"],
                    d["held_on"],
                    d["committee_name"],
                    fmt.DECISION_KIND_LABELS[d["kind"]],
                    d["text"],
                    " ; ".join(i["title"] or "" for i in d["items"]),
                    _source(d["source_document"], d["source_article"])
                    if d["source_document"]
                    else None,
                ]
                for d in decisions
            ],
        ),
        evaluation_module.values_sheet(data.evaluation),
        evaluation_module.deliverables_sheet(data.evaluation),
        Sheet(
            "Changements",
            [("Date", "date"), ("Programme", "text"), ("Changement", "text"), ("Par", "text")],
            [[c["occurred_on"], c["programme_code"], c["what"], c["actor"]] for c in changes],
        ),
        Sheet(
            "Échéances",
            [
                ("Date", "date"),
                ("Programme", "text"),
                ("Échéance", "text"),
                ("Type", "text"),
                ("Source", "text"),
            ],
            [
                [
                    d["date"],
                    d["programme_code"],
                    d["label"],
                    d["kind_label"],
                    _source(d["source"]["document"], d["source"]["article"])
                    if d.get("source")
                    else None,
                ]
                for d in deadlines
            ],
        ),
        Sheet(
            "Complétude",
            [("Programme", "text"), ("Manque", "text"), ("Pourquoi c'est important", "text")],
            [[g["programme_code"], g["item"], g["reason"]] for g in gaps],
        ),
    ]
