"""The rapport annuel politique de la ville as a document (issue 24, part 1), in the
order the décret n° 2015-1118 du 3 septembre 2015 gives its content: the reminder of the
contract's orientations; how the situation of the quartiers prioritaires evolved
(indicators per QPV against the rest of the territory where recorded, the 2015 and 2024
geographies' comparability said); the actions of the year by the EPCI and by the
communes, with the credits mobilised by funder and by nature; the evaluation's progress
and findings (questions answered, recommendations and their state); the outlook; then
the consultation (each opinion, or its silence counted as favourable), the approving
deliberation with the follow-up it gives to the opinions, and the publication; the
opinions received in annex. Read from the record as it stood « au » a date, rendered by
the evaluation report's DOCX and PDF renderers; counts under the secrecy threshold show
« s »."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import annual_report, financing, fmt, secrecy
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import NotFound
from dashboard.tracker.evaluation_report.build import Read, figure, read, recommendations
from dashboard.tracker.evaluation_report.model import Report, Section, Table

SOURCE = "cdv-tracker, suivi du contrat de ville"


#: a year whose report is not opened in the tracker: its process is « non enregistré »
NOT_OPENED = {"report_id": None, "outlook": None, "approved_on": None, "planned_approval_on": None,
              "published_on": None, "deliberation_body": None, "deliberation_number": None,
              "follow_up": None, "files": [], "attachment_ids": []}  # fmt: skip


def report_row(db: Database, code: str, year: int, as_of: dt.date) -> dict:
    """The report of that year as recorded at ``as_of``, or NOT_OPENED."""
    found = [r for r in annual_report.reports(db, as_of, code) if r["year"] == year]
    return found[0] if found else NOT_OPENED


def build_annual(db: Database, code: str, year: int, as_of: dt.date | None = None) -> Report:
    """The rapport annuel ``year`` of the contrat de ville ``code``, as recorded at
    ``as_of`` (today by default). A year not opened in the tracker is still drafted
    from the record, its consultation said « non enregistrée »."""
    as_of = as_of or dt.date.today()
    data = read(db, code, as_of)
    if data.programme["kind"] != "city_contract":
        raise NotFound(
            f"« {code} » n'est pas un contrat de ville : le rapport annuel politique de la ville "
            "porte sur un contrat de ville."
        )
    report = report_row(db, code, year, as_of)
    limit = secrecy.threshold(db)
    counter = iter(range(1, 10_000))
    consulted = (annual_report.consultations(db, report["report_id"], as_of)
                 if report["report_id"] else [])  # fmt: skip
    sections = [
        _orientations(data, db, code, as_of),
        *_situation(data, year, counter, limit),
        *_actions(db, code, year, as_of),
        *_evaluation(data, as_of),
        Section(1, "Perspectives", [report["outlook"] or (
            f"Perspectives {fmt.UNKNOWN}s : aucune n'est enregistrée au {fmt.date_fr(as_of)}.")]),
        *_process(report, consulted),
        _annex(report, consulted),
    ]  # fmt: skip
    draft = report["approved_on"] is None
    return Report(
        code, data.programme["title"], as_of, utcnow(), sections, draft=draft,
        validated_note=None if draft else (
            f"Approuvé par délibération du {fmt.date_fr(report['approved_on'])}"
            + (f" ({report['deliberation_number']})" if report["deliberation_number"] else "")
            + "."),
        fictional=data.fictional, threshold=limit,
        heading=f"Rapport annuel politique de la ville {year}",
        stem=f"rapport-annuel-{year}", subject=f"Rapport annuel {year}",
        draft_note="PROJET — non approuvé par l'assemblée délibérante",
    )  # fmt: skip


def _orientations(data: Read, db: Database, code: str, as_of: dt.date) -> Section:
    orientations = [i["title"] for i in data.items if i["item_kind"] == "orientation"]
    objects = [f"{c['summary']} ({c['article']} de « {c['act_title']} »)"
               for c in data.clauses if c["kind"] == "object" and not c["replaced_by"]]  # fmt: skip
    acts = [f"{a['title']}" + (f", signé le {fmt.date_fr(a['signed_on'])}" if a["signed_on"]
            else "") for a in data.acts]  # fmt: skip
    return Section(1, "Rappel des principales orientations du contrat de ville", [
        f"Contrat de ville « {data.programme['title']} » ({code}), état au {fmt.date_fr(as_of)}.",
        acts or "Aucun acte en vigueur à cette date.",
        "Orientations :" if orientations or objects else
        f"Orientations {fmt.UNKNOWN}s : aucune n'est enregistrée.",
        *([orientations] if orientations else []),
        *([objects] if objects else []),
    ])  # fmt: skip


def _situation(data: Read, year: int, counter, limit: int) -> list[Section]:
    """Each indicator's values up to the year, one series per territory (QPV and the
    communes or the whole territory where recorded), its figure and its table."""
    section = Section(1, "Évolution de la situation dans les quartiers prioritaires")
    kinds = {t["id"]: t for t in data.territories}
    if not data.indicators:
        section.blocks.append(f"Aucun indicateur enregistré : situation {fmt.UNKNOWN}e.")
    for indicator in data.indicators:
        values = [v for v in data.values if v["indicator_id"] == indicator["id"]
                  and v["period_start"].year <= year]  # fmt: skip
        if not values:
            section.blocks.append(f"{indicator['code']} — {indicator['name']} : aucune valeur "
                                  f"connue jusqu'en {year} ({fmt.UNKNOWN}).")  # fmt: skip
            continue
        section.blocks.append(figure(next(counter), indicator, values, data.territories,
                                           limit))  # fmt: skip
        generations = {kinds[v["territory_id"]]["generation"] for v in values
                       if v["territory_id"] in kinds and kinds[v["territory_id"]]["kind"] == "qpv"}  # fmt: skip
        if len(generations) > 1:
            section.blocks.append(
                "Attention : ces valeurs portent sur des QPV de la géographie 2015 et de la "
                "géographie 2024 ; leurs contours diffèrent, elles ne se comparent pas terme à "
                "terme."
            )
        rest = [v for v in values if v["territory_id"] in kinds
                and kinds[v["territory_id"]]["kind"] in ("commune", "metropole", "council")]  # fmt: skip
        if not rest:
            section.blocks.append(
                "Aucune valeur du reste du territoire (commune, Conseil de Territoire, "
                f"Métropole) n'est enregistrée pour comparer : comparaison {fmt.UNKNOWN}e."
            )
    return [section]


def _money_rows(rows: list[dict]) -> list[list[str]]:
    return [[r["name"], fmt.TAX_BASIS_LABELS[r["tax_basis"]], fmt.money(r["granted"]),
             fmt.money(r["committed"]), fmt.money(r["paid"]), str(r["in_kind_lines"])]
            for r in rows]  # fmt: skip


MONEY_HEADERS = ["Accordé (numéraire)", "Engagé", "Versé", "Apports en nature"]


def _actions(db: Database, code: str, year: int, as_of: dt.date) -> list[Section]:
    """The actions of the year, by who funds them (the EPCI, the communes, the others),
    and the credits mobilised by funder and by nature."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    actions = [w for w in db.records("work_items", as_of=as_of, programme_code=code)
               if w["item_kind"] == "action"
               and (w["starts_on"] is None or w["starts_on"] <= end)
               and (w["ends_on"] is None or w["ends_on"] >= start)]  # fmt: skip
    lines = [b for b in db.records("budget_lines", as_of=as_of, programme_code=code)
             if b["fiscal_year"] == year]  # fmt: skip
    by_action: dict[int | None, list[dict]] = {}
    for line in lines:
        by_action.setdefault(line["action_id"], []).append(line)
    # an action the EPCI and a commune both fund is in both lists
    groups = {"metropole": [], "commune": [], "other": []}
    for action in actions:
        categories = {b["funder_category"] for b in by_action.get(action["item_id"], [])}
        for key in ("metropole", "commune"):
            if key in categories:
                groups[key].append(action)
        if not categories & {"metropole", "commune"}:
            groups["other"].append(action)
    titles = {"metropole": "Actions menées ou financées par l'EPCI",
              "commune": "Actions menées ou financées par les communes",
              "other": "Autres actions de l'année"}  # fmt: skip
    sections = [Section(1, f"Les actions de l'année {year} et les moyens mobilisés")]
    if not actions:
        sections[0].blocks.append(f"Aucune action enregistrée pour {year}.")
    for key, chosen in groups.items():
        if not chosen:
            continue
        rows = [[a["title"], a["lead"] or fmt.UNKNOWN, "; ".join(
            f"{b['funder'] or fmt.UNKNOWN} : " + (fmt.money(b["amount"]) + " " +
            fmt.TAX_BASIS_LABELS[b["tax_basis"]] if b["amount"] is not None
            else fmt.BUDGET_KIND_LABELS[b["kind"]])
            + f" ({fmt.FUNDING_NATURE_LABELS.get(b['funding_nature'], 'nature ' + fmt.UNKNOWN)})"
            for b in by_action.get(a["item_id"], [])) or "aucun financement enregistré"]
            for a in chosen]  # fmt: skip
        sections.append(Section(2, titles[key], [Table(
            f"{titles[key]} en {year}", ["Action", "Responsable", "Financements de l'exercice"],
            rows, f"{SOURCE} (actions et plans de financement)")]))  # fmt: skip
    views = financing.views(db, as_of, code, year)
    money = Section(2, f"Crédits mobilisés en {year}")
    for dimension in ("funder_category", "funder", "nature"):
        if dimension in views:
            money.blocks.append(Table(
                f"Crédits {year} — {financing.DIMENSIONS[dimension].lower()}",
                [financing.KEY_LABELS[dimension], "Base", *MONEY_HEADERS],
                _money_rows(views[dimension]), f"{SOURCE} (lignes budgétaires et paiements)",
                note="Les montants HT, TTC et de base non précisée ne s'additionnent pas.",
            ))  # fmt: skip
    shares = [s for s in financing.multi_year_shares(db, as_of, code) if s.fiscal_year == year]
    for share in shares:
        money.blocks.append(
            f"Part des crédits {year} sous convention pluriannuelle d'objectifs (base "
            f"{fmt.TAX_BASIS_LABELS[share.tax_basis]}) : {share.verdict}."
        )
    if len(money.blocks) == 0:
        money.blocks.append(f"Aucun crédit enregistré pour {year} : {fmt.UNKNOWN}.")
    sections.append(money)
    return sections


def _evaluation(data: Read, as_of: dt.date) -> list[Section]:
    rows = []
    for q in data.questions:
        shown = data.answers.of_question(q["id"], "in_force")
        draft = data.answers.of_question(q["id"], "draft")
        state = ("réponse validée" if shown else "projet de réponse" if draft
                 else "sans réponse argumentée")  # fmt: skip
        rows.append([f"Q{q['position']}", q["text"], state,
                     (shown or draft or {}).get("answer") or "—"])  # fmt: skip
    section = Section(1, "L'évaluation : avancement et enseignements", [Table(
        f"Questions évaluatives au {fmt.date_fr(as_of)}",
        ["Question", "Intitulé", "État", "Réponse"], rows,
        f"{SOURCE} (référentiel et réponses argumentées)",
    ) if rows else "Aucune question évaluative enregistrée pour ce contrat de ville."])  # fmt: skip
    advice = recommendations(data, as_of)
    advice.level = 2
    return [section, advice]


def _process(report: dict, consulted: list[dict]) -> list[Section]:
    rows = [[r["body"], fmt.CONSULTED_LABELS[r["consulted"]], fmt.date_fr(r["sent_on"]),
             fmt.date_fr(r["deadline_on"]), annual_report.state_label(r),
             r["summary"] or "—"] for r in consulted]  # fmt: skip
    approval = (
        f"Approuvé par délibération du {fmt.date_fr(report['approved_on'])}"
        + (f" de l'instance « {report['deliberation_body']} »" if report["deliberation_body"]
           else "")
        + (f" (n° {report['deliberation_number']})" if report["deliberation_number"] else "")
        + f". Suites données aux avis : {report['follow_up']}"
        if report["approved_on"] else
        "Délibération d'approbation : non enregistrée à cette date."
        + (f" Prévue le {fmt.date_fr(report['planned_approval_on'])}."
           if report["planned_approval_on"] else "")
    )  # fmt: skip
    published = (
        f"Rendu public le {fmt.date_fr(report['published_on'])}, annexes comprises."
        if report["published_on"]
        else "Publication : non enregistrée à cette date."
    )
    return [Section(1, "Consultation et approbation", [
        "Le projet de rapport est soumis pour avis aux conseils municipaux et aux conseils "
        "citoyens, qui disposent d'au moins un mois ; faute de réponse dans ce délai, l'avis "
        f"est réputé favorable ({annual_report.LAW}).",
        Table("Avis sur le projet de rapport",
              ["Instance", "Nature", "Envoyé le", "Échéance", "Avis", "Résumé"], rows,
              f"{SOURCE} (envois et avis reçus)")
        if rows else "Aucun envoi du projet n'est enregistré à cette date.",
        approval, published,
    ])]  # fmt: skip


def _annex(report: dict, consulted: list[dict]) -> Section:
    received = [f"{r['body']} : {', '.join(r['files'])}" for r in consulted if r["files"]]
    own = [f"Rapport : {', '.join(report['files'])}"] if report["files"] else []
    return Section(1, "Annexe — avis et documents joints", [
        "Les avis reçus sont annexés au rapport : leurs fichiers accompagnent ce document "
        "(dossier « annexes » de l'export).",
        received + own if received or own else "Aucun avis écrit reçu à cette date.",
    ])  # fmt: skip


def annexed(db: Database, code: str, year: int, as_of: dt.date) -> list[tuple[str, bytes]]:
    """The files annexed to the report (opinions received, deliberation, final report),
    as (name, bytes), each name prefixed by the body it comes from."""
    from dashboard.tracker import files

    report = report_row(db, code, year, as_of)
    if report["report_id"] is None:
        return []
    out = []
    for row in annual_report.consultations(db, report["report_id"], as_of):
        for attachment_id in row["attachment_ids"]:
            name, _, data = files.read(db, attachment_id)
            out.append((f"avis - {row['body']} - {name}", data))
    for attachment_id in report["attachment_ids"]:
        name, _, data = files.read(db, attachment_id)
        out.append((f"rapport - {name}", data))
    return out


def contracts(db: Database, as_of: dt.date) -> list[str]:
    """Every contrat de ville recorded at ``as_of`` (their codes)."""
    return [p["code"] for p in db.records("programmes", as_of=as_of, programme_code=None)
            if p["kind"] == "city_contract"]  # fmt: skip
