"""The evaluation report's model, read from the record as it stood « au » a date:
context (the acts and what they ask, the phases and their decisions), method (the
référentiel, the sources, the territories), one chapter per question (answer, criteria
and judgements, indicators with a figure and a table each, evidence, strength, limits),
recommendations, annexes (sources with article and excerpt, data, glossary).

A report is a publication: every count below the secrecy threshold shows « s », with
the secondary suppression that keeps it from being recomputed (``secrecy``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.tracker import citation, contours, fmt, judgements, periods, secrecy
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import NotFound
from dashboard.tracker.evaluation_report.model import Figure, MapFigure, Report, Section, Table
from dashboard.tracker.recommendations import state_label

WHOLE = "Ensemble du programme"
LAYERS = {"QPV 2024": ("qpv", 2024), "QPV 2015": ("qpv", 2015), "communes": ("commune", None)}
#: territories drawn in one figure (the whole programme first, then in the lists' order)
MAX_SERIES = 8
GLOSSARY = [
    ("Contrat de ville", "Contrat qui fixe, pour un territoire, les actions de la politique "
     "de la ville en faveur des quartiers prioritaires."),
    ("QPV", "Quartier prioritaire de la politique de la ville (géographie de 2015 ou de 2024)."),
    ("Référentiel d'évaluation", "Les questions évaluatives, leurs critères et les indicateurs "
     "qui les renseignent."),
    ("Critère", "Ce à quoi l'on juge la réponse à une question (efficacité, pertinence…)."),
    ("Jugement", "« Atteint », « partiellement atteint », « non atteint » ou « non évaluable », "
     "avec ses preuves."),
    ("Solidité de la preuve", "« Solide », « moyenne » ou « faible », selon le nombre de sources, "
     "de territoires et de périodes couverts et les valeurs corrigées."),
    ("Secret statistique (« s »)", "Effectif trop petit pour être publié, ou masqué pour qu'il ne "
     "puisse pas être déduit d'un total ou d'une différence."),
    ("Projet", "Version non encore validée par une décision de comité."),
]  # fmt: skip


@dataclass
class Read:
    programme: dict
    acts: list[dict]
    clauses: list[dict]
    items: list[dict]
    decisions: list[dict]
    questions: list[dict]
    indicators: list[dict]
    values: list[dict]
    territories: list[dict]
    answers: judgements.Answers
    recommendations: list[dict]
    fictional: bool
    #: the contours the maps draw, by layer name (only layers with contours)
    layers: dict[str, list[dict]]


def read(db: Database, code: str, as_of: dt.date) -> Read:
    found = db.records("programmes", as_of=as_of, programme_code=code)
    if not found:
        raise NotFound(f"Le programme « {code} » n'existe pas au {fmt.date_fr(as_of)}.")
    scope = {"programme_code": code, "as_of": as_of}
    got = db.gather(
        acts=lambda: db.records("acts", **scope),
        clauses=lambda: db.records("clauses", **scope),
        items=lambda: db.records("work_items", **scope, without_actions=True),
        decisions=lambda: db.records("decisions", programme_code=code, since=None, until=as_of),
        questions=lambda: db.records("eval_questions", **scope),
        indicators=lambda: db.records("indicators", **scope),
        values=lambda: db.records("indicator_values_known", **scope),
        territories=lambda: db.records("territories", as_of=as_of),
        recommendations=lambda: db.records("recommendations", **scope),
        fictional=lambda: bool(db.records("demo_flag")),
    )  # fmt: skip
    layers = {
        name: contours.contours(db, kind, generation) for name, (kind, generation) in LAYERS.items()
    }
    return Read(found[0], answers=judgements.answers(db, code, as_of),
                layers={k: v for k, v in layers.items() if v}, **got)  # fmt: skip


def build(
    db: Database, code: str, as_of: dt.date, *, draft: bool = True,
    validated_note: str | None = None,
) -> Report:  # fmt: skip
    data = read(db, code, as_of)
    limit = secrecy.threshold(db)
    counter = iter(range(1, 10_000))
    sections = [
        *context(data, as_of),
        *method(data, limit),
        *[s for q in data.questions for s in question(data, q, counter, limit, as_of)],
        recommendations(data, as_of),
        *annexes(data, limit),
    ]
    return Report(
        code, data.programme["title"], as_of, utcnow(), sections, draft=draft,
        validated_note=validated_note, fictional=data.fictional, threshold=limit,
    )  # fmt: skip


# -- context ------------------------------------------------------------------------------


def context(data: Read, as_of: dt.date) -> list[Section]:
    acts = [
        f"{a['title']} ({fmt.ACT_KIND_LABELS.get(a['kind'], a['kind'])}), "
        + (f"signé le {fmt.date_fr(a['signed_on'])}" if a["signed_on"] else "date de signature non renseignée")
        + (f", terme le {fmt.date_fr(a['term_on'])}" if a["term_on"] else "")
        + f" — {citation.cite_row(a)}"
        for a in data.acts
    ]  # fmt: skip
    asks = [
        f"{c['article'] or fmt.UNKNOWN} de « {c['act_title']} » : {c['summary']}"
        for c in data.clauses if not c["replaced_by"]
    ]  # fmt: skip
    phases = [i for i in data.items if i["item_kind"] == "phase"]
    phase_rows = [[i["title"], _day(i["starts_on"]), _day(i["ends_on"]),
                   fmt.STATUS_LABELS.get(i["status"], fmt.UNKNOWN)] for i in phases]  # fmt: skip
    decision_rows = [[fmt.date_fr(d["held_on"]), d["committee_name"], d["text"]]
                     for d in data.decisions]  # fmt: skip
    return [
        Section(1, "Contexte", [
            f"Ce rapport présente l'évaluation du programme « {data.programme['title']} » "
            f"({data.programme['code']}) telle qu'elle est enregistrée au {fmt.date_fr(as_of)}."
        ]),
        Section(2, "Les actes", [acts or "Aucun acte en vigueur à cette date."]),
        Section(2, "Ce que les actes demandent", [asks or "Aucune clause enregistrée."]),
        Section(2, "Les phases et leurs décisions"),
        Section(3, "Les phases", [Table(
            "Phases du programme", ["Phase", "Début", "Fin", f"Statut au {fmt.date_fr(as_of)}"],
            phase_rows, "cdv-tracker, journal des statuts et actes du programme",
        ) if phase_rows else "Aucune phase enregistrée."]),
        Section(3, "Les décisions", [Table(
            "Décisions des comités", ["Date", "Comité", "Décision"], decision_rows,
            "cdv-tracker, registre des décisions",
        ) if decision_rows else "Aucune décision enregistrée à cette date."]),
    ]  # fmt: skip


def _day(value: dt.date | None) -> str:
    return fmt.date_fr(value) if value else fmt.UNKNOWN


# -- method -------------------------------------------------------------------------------


def method(data: Read, limit: int) -> list[Section]:
    referential = [
        f"Q{q['position']}. {q['text']} — critères : "
        + ("; ".join(f"C{c['position']}. {c['text']}" for c in q["criteria"]) or "aucun")
        for q in data.questions
    ]  # fmt: skip
    indicator_rows = [
        [i["code"], i["name"], i["unit"], fmt.UNIT_KIND_LABELS[i["unit_kind"]],
         fmt.PERIODICITY_LABELS[i["periodicity"]],
         f"Q{i['question_position']} C{i['criterion_position']}" if i.get("criterion_position") else "—"]
        for i in data.indicators
    ]  # fmt: skip
    documents = sorted({v["source_document"] for v in data.values if v["source_document"]})
    used = {v["territory_id"] for v in data.values if v["territory_id"] is not None}
    places = [[fmt.TERRITORY_KIND_LABELS[t["kind"]], t["code"] or "code à compléter", t["name"],
               str(t["generation"] or ""), t["within_names"]]
              for t in data.territories if t["id"] in used]  # fmt: skip
    return [
        Section(1, "Méthode", [
            "Les réponses s'appuient sur le référentiel d'évaluation enregistré : chaque "
            "question a ses critères, chaque critère est jugé sur des preuves dont la "
            "solidité est dite. " + secrecy.LEGEND.format(threshold=limit)
        ]),
        Section(2, "Le référentiel", [referential or "Aucune question évaluative enregistrée."]),
        Section(3, "Les indicateurs", [Table(
            "Indicateurs du référentiel",
            ["Code", "Indicateur", "Unité", "Nature", "Périodicité", "Critère"], indicator_rows,
            "cdv-tracker, référentiel d'évaluation",
        ) if indicator_rows else "Aucun indicateur enregistré."]),
        Section(2, "Les sources", [
            (["Valeurs tirées de : " + ", ".join(documents)] if documents else [])
            + [f"{sum(1 for v in data.values if not v['source_document'])} valeur(s) saisie(s) "
               "sans document source (la personne qui les a saisies fait foi)."]
        ]),
        Section(2, "Les territoires", [Table(
            "Territoires observés", ["Type", "Code", "Nom", "Génération", "Situé dans"], places,
            "cdv-tracker, territoires enregistrés (listes officielles chargées par l'administrateur)",
        ) if places else "Aucune valeur par territoire enregistrée."]),
    ]  # fmt: skip


# -- one chapter per question -------------------------------------------------------------


def question(data: Read, q: dict, counter, limit: int, as_of: dt.date) -> list[Section]:
    in_force = data.answers.of_question(q["id"], "in_force")
    draft = data.answers.of_question(q["id"], "draft")
    shown = in_force or draft
    head = Section(1, f"Question {q['position']} : {q['text']}")
    if shown is None:
        head.blocks.append(f"Aucune réponse argumentée enregistrée au {fmt.date_fr(as_of)}.")
    else:
        head.blocks.append(("Réponse" if in_force else "Projet de réponse (non validé)")
                           + f" ({judgements.version_label(shown)}) : {shown['answer']}")  # fmt: skip
        head.blocks.append(
            f"Rédigée par {shown['written_by']} le {fmt.date_fr(shown['written_on'])}."
        )
    sections = [head, _criteria(data, shown)]
    sections.append(_indicators(data, q, counter, limit))
    sections.append(Section(2, "Limites", [
        (shown["limits"] if shown and shown["limits"] else "Aucune limite indiquée.")
    ]))  # fmt: skip
    return sections


def _criteria(data: Read, version: dict | None) -> Section:
    section = Section(2, "Critères et jugements")
    judged = data.answers.criteria_of(version["id"]) if version else []
    if not judged:
        section.blocks.append("Aucun critère jugé.")
    for c in judged:
        section.blocks.append(
            f"C{c['criterion_position']}. {c['criterion_text']} — {fmt.VERDICT_LABELS[c['verdict']]}"
            f" : {c['reasoning']}"
        )
        if c["strength"]:
            section.blocks.append(
                f"Solidité de la preuve : {fmt.STRENGTH_LABELS[c['strength']]} — "
                f"{c['strength_reason']} ({judgements.coverage_label(c)})."
            )
        pieces = [judgements.evidence_label(e) for e in data.answers.evidence_of(c["id"])]
        if pieces:
            section.blocks.append(pieces)
    return section


def _indicators(data: Read, q: dict, counter, limit: int) -> Section:
    section = Section(2, "Indicateurs")
    mine = [i for i in data.indicators if i.get("question_id") == q["id"]]
    if not mine:
        section.blocks.append("Aucun indicateur rattaché aux critères de cette question.")
    for indicator in mine:
        values = [v for v in data.values if v["indicator_id"] == indicator["id"]]
        if not values:
            section.blocks.append(f"{indicator['code']} — {indicator['name']} : aucune valeur "
                                  f"connue à cette date ({fmt.UNKNOWN}).")  # fmt: skip
            continue
        section.blocks.append(figure(next(counter), indicator, values, data.territories, limit))
        section.blocks.extend(maps(counter, indicator, values, data, limit))
    return section


def maps(counter, indicator: dict, values: list[dict], data: Read, limit: int) -> list[MapFigure]:
    """The indicator's latest values on each layer of contours that covers some of them."""
    secret = secrecy.hidden_values(values, data.territories, limit)
    drawn = []
    for name, rows in data.layers.items():
        ids = {r["territory_id"] for r in rows}
        here = [v for v in values if v["territory_id"] in ids]
        if not here:
            continue
        latest = max(v["period_start"] for v in here)
        now = {v["territory_id"]: v["value"] for v in here if v["period_start"] == latest}
        hidden = {v["territory_id"] for v in here if v["period_start"] == latest
                  and secrecy.value_key(v) in secret}  # fmt: skip
        areas = contours.areas(rows, now, hidden)
        period = periods.label(indicator["periodicity"], latest)
        title = f"{indicator['code']} — {indicator['name']}, {name}, {period} ({indicator['unit']})"
        number = next(counter)
        table = Table(f"Données de la carte {number}", ["Territoire", period],
                      [[a.label, secrecy.SECRET if a.secret else
                        (fmt.measure(a.value) if a.value is not None else "—")] for a in areas],
                      f"contours : {rows[0]['source_document']}, {rows[0]['vintage']} ; valeurs : "
                      "cdv-tracker")  # fmt: skip
        drawn.append(MapFigure(number, title, areas, indicator["unit"], contours.aspect(rows),
                               contours.describe(areas, title, indicator["unit"]), table))  # fmt: skip
    return drawn


def figure(number: int, indicator: dict, values: list[dict], territories: list[dict],
           limit: int) -> Figure:  # fmt: skip
    """The indicator's values per territory and period, protected when they are counts."""
    grid, labels, periods_seen = value_grid(values, territories)
    hidden = {(k[1], k[2]) for k in secrecy.hidden_values(values, territories, limit)}
    rows = []
    series: dict[str, list[float | None]] = {}
    for key, label in labels.items():
        cells = [grid.get((key, p)) for p in periods_seen]
        shown = [None if (key, p) in hidden else grid.get((key, p)) for p in periods_seen]
        if len(series) < MAX_SERIES:  # a chart stays readable; the table holds every row
            series[label] = [float(v) if v is not None else None for v in shown]
        rows.append([label] + [_cell(v, (key, p) in hidden)
                               for v, p in zip(cells, periods_seen, strict=True)])  # fmt: skip
    names = [periods.label(indicator["periodicity"], p) for p in periods_seen]
    sources = sorted({citation.cite(citation.Source(v["source_document"], None, None, v["source_page"]))
                      for v in values if v["source_document"]})  # fmt: skip
    source = (
        "; ".join(sources) if sources else "valeurs saisies dans cdv-tracker (sans document source)"
    )
    title = f"{indicator['code']} — {indicator['name']} ({indicator['unit']})"
    table = Table(f"Données de la figure {number}", ["Territoire", *names], rows, source,
                  note=secrecy.LEGEND.format(threshold=limit) if hidden else None)  # fmt: skip
    alt = alt_text(title, series, names)
    if len(labels) > len(series):
        alt += (f" La figure montre {len(series)} des {len(labels)} territoires ; le tableau qui "
                "la suit les donne tous.")  # fmt: skip
        title += f" — {len(series)} premiers territoires sur {len(labels)}"
    return Figure(number, title, names, series, indicator["unit"], alt, table)


def value_grid(values: list[dict], territories: list[dict]) -> tuple[dict, dict, list[dt.date]]:
    """Values by (territory id, 0 for the whole programme; period), the rows' labels
    (« Quartier A (QPV 2024) »), the periods in order."""
    by_id = {t["id"]: t for t in territories}
    grid = {((v["territory_id"] or 0), v["period_start"]): v["value"] for v in values}
    labels = {0: WHOLE} if any(v["territory_id"] is None for v in values) else {}
    for v in sorted(values, key=lambda v: by_id.get(v["territory_id"], {}).get("level", 0)):
        if v["territory_id"] is not None:
            labels[v["territory_id"]] = fmt.territory(by_id.get(v["territory_id"]) or {
                "name": v["territory_name"], "kind": v["territory_kind"]})  # fmt: skip
    return grid, labels, sorted({v["period_start"] for v in values})


def _cell(value: object, hidden: bool) -> str:
    if hidden:
        return secrecy.SECRET
    return fmt.measure(value) if value is not None else "—"


def alt_text(title: str, series: dict[str, list[float | None]], names: list[str]) -> str:
    """What the figure shows, in words: its key figures, not only its title."""
    parts = []
    for label, values in series.items():
        known = [(n, v) for n, v in zip(names, values, strict=True) if v is not None]
        if known:
            first, last = known[0], known[-1]
            parts.append(f"{label} : {fmt.measure(first[1])} en {first[0]}"
                         + (f", {fmt.measure(last[1])} en {last[0]}" if len(known) > 1 else ""))  # fmt: skip
        else:
            parts.append(f"{label} : valeurs non publiées ou non renseignées")
    return f"Diagramme en barres, {title}, par période et territoire. " + " ; ".join(parts) + "."


# -- recommendations and annexes ----------------------------------------------------------


def recommendations(data: Read, as_of: dt.date) -> Section:
    rows = [[f"Q{r['question_position']}" + (f" C{r['criterion_position']}" if r.get("criterion_position") else ""),
             r["text"], r["owner"] or fmt.UNKNOWN, fmt.date_fr(r["due_on"]), state_label(r)]
            for r in data.recommendations]  # fmt: skip
    return Section(1, "Recommandations", [Table(
        f"Recommandations au {fmt.date_fr(as_of)}",
        ["Question", "Recommandation", "Responsable", "Échéance", "État"], rows,
        "cdv-tracker, suivi des recommandations (état retenu par décision de comité)",
    ) if rows else "Aucune recommandation enregistrée à cette date."])  # fmt: skip


def annexes(data: Read, limit: int) -> list[Section]:
    sources = [[a["title"], a["source_article"] or "", a["source_excerpt"] or ""]
               for a in data.acts if a["source_document"]]  # fmt: skip
    sources += [[c["source_document"], c["source_article"] or "", c["source_excerpt"] or ""]
                for c in data.clauses if c["source_document"]]  # fmt: skip
    sources += [[e["source_document"], e["source_article"] or "", e["source_excerpt"] or ""]
                for e in data.answers.evidence if e["kind"] == "document"]  # fmt: skip
    covered = [
        [i["code"], i["name"], i["unit"],
         str(sum(1 for v in data.values if v["indicator_id"] == i["id"])),
         str(len({v["territory_id"] for v in data.values if v["indicator_id"] == i["id"]})),
         ", ".join(sorted({periods.label(i["periodicity"], v["period_start"])
                           for v in data.values if v["indicator_id"] == i["id"]})) or "—"]
        for i in data.indicators
    ]  # fmt: skip
    return [
        Section(1, "Annexes"),
        Section(2, "Sources", [Table(
            "Sources citées", ["Document", "Article ou page", "Extrait"], sources,
            "actes et documents enregistrés dans cdv-tracker",
        ) if sources else citation.MISSING]),
        Section(2, "Données", [
            "Le tableau de chaque figure et de chaque carte la suit ; voici ce que couvrent les "
            "valeurs de chaque indicateur (l'export du suivi les donne toutes).",
            Table("Valeurs connues par indicateur",
                  ["Code", "Indicateur", "Unité", "Valeurs", "Territoires", "Périodes"], covered,
                  "cdv-tracker, valeurs des indicateurs connues à la date du rapport")
            if covered else "Aucun indicateur enregistré.",
        ]),
        Section(2, "Glossaire", [[f"{term} : {meaning}" for term, meaning in GLOSSARY]]),
    ]  # fmt: skip
