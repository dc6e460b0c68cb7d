"""Budget et dépenses: as of a date, the money allocated by the budget lines in force,
per tax basis and per funder, against what was committed, ordered and paid by then;
cumulative consumption; the lines and the payments. Totals are given per basis (the
SQL computes them), never mixed; an unknown amount says so."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.tracker import financing, fmt, ledger, scdl
from dashboard.tracker.citation import cite_row
from dashboard.ui import charts, data, filters
from dashboard.ui.layout import as_of_picker, page_header, programme_picker
from dashboard.ui.widgets import arrow_table, data_table, empty_state, escape_markdown

STAGES = (("Alloué", "allocated"), ("Engagé", "committed"), ("Mandaté", "ordered"),
          ("Versé", "paid"))  # fmt: skip
PAYMENT_ROWS = 200

page_header(
    "Budget et dépenses",
    "Montants alloués par les actes, puis la chaîne de la dépense : "
    "engagement → mandatement → versement.",
)
top = st.columns([2, 1, 1])
with top[0]:
    programme = programme_picker(allow_all=True)
as_of = as_of_picker(top[2], "Montants en vigueur et paiements datés jusqu'à cette date.")
territory, _ = filters.territory(top[1], key="budget-territory", as_of=as_of)
territory_id = territory["id"] if territory else None
if territory:
    st.caption(
        escape_markdown(
            f"Lignes budgétaires rattachées à {territory['name']} ou à un territoire situé "
            "dedans, et leurs paiements. Une ligne sans territoire n'apparaît pas ici."
        )
    )


def shown(value) -> str:
    return fmt.money(value) if value is not None else fmt.UNKNOWN


def _stage_summary(rows: list[dict]) -> str:
    """The chart's key figures in words: per tax basis (never added together), what was
    allocated and paid over the groups shown."""
    parts = []
    for basis in dict.fromkeys(r["tax_basis"] for r in rows):
        own = [r for r in rows if r["tax_basis"] == basis]
        figures = []
        for label, column in STAGES:
            known = [r[column] for r in own if r[column] is not None]
            figures.append(f"{label.lower()} {shown(sum(known)) if known else fmt.UNKNOWN}")
        parts.append(f"{fmt.basis_phrase(basis)} : " + ", ".join(figures))
    return f"{len(rows)} groupe(s) ; " + " ; ".join(parts) + "."


def _plan_summary(rows: list[dict]) -> str:
    largest = max(rows, key=lambda r: r["granted"])
    return (
        f"{len(rows)} financement(s) ; le plus élevé : {largest['name']} "
        f"({shown(largest['granted'])} accordés, {shown(largest['paid'])} versés, "
        f"{fmt.basis_phrase(largest['tax_basis'])})."
    )


money = data.records(
    "money_by_basis", as_of=as_of, programme_code=programme, territory_id=territory_id
)
years = data.records(
    "budget_by_year", as_of=as_of, programme_code=programme, territory_id=territory_id
)
if not money:
    empty_state(
        f"Aucune ligne budgétaire en vigueur au {fmt.date_fr(as_of)} : montants non renseignés."
    )
    st.stop()

st.header("Totaux par base fiscale")
data_table(
    pd.DataFrame(
        [
            {
                "Programme": m["programme_code"],
                "Base": fmt.TAX_BASIS_LABELS[m["tax_basis"]],
                **{label: shown(m[column]) for label, column in STAGES},
                "Lignes": m["lines"],
                "Apports en nature": m["in_kind_lines"],
                "Soutiens « financier et/ou matériel »": m["alternative_lines"],
                "Lignes avec paiements": m["lines_with_payments"],
            }
            for m in money
        ]
    ),
    hide_index=True,
    placeholder=fmt.UNKNOWN,
    width="stretch",
)
if len({m["tax_basis"] for m in money}) > 1:
    st.warning(
        "Les montants relèvent de bases différentes (HT, TTC ou non précisée) : ils sont présentés "
        "séparément et ne sont pas additionnés.",
        icon=":material/warning:",
    )
notes = ["« non précisé » : l'acte donne le montant sans dire s'il est HT ou TTC."] * any(
    m["tax_basis"] == "unspecified" for m in money
)
if any(m["start_estimated"] for m in money):
    notes.append(
        "La date de prise d'effet d'un acte n'est pas connue : sa ligne est comptée à partir du "
        "1er janvier de son exercice."
    )
if not any(m["payments"] for m in money):
    notes.append("Aucun paiement enregistré : engagé, mandaté et versé sont inconnus, pas nuls.")
for note in notes:
    st.caption(note)

lines = data.records(
    "budget_lines", as_of=as_of, programme_code=programme, territory_id=territory_id
)
st.header("Plans de financement", anchor=False)
st.caption(
    "Chaque financeur, pour chaque exercice et, quand elle est connue, chaque action : les "
    "lignes en vigueur lues par financeur, par nature des crédits, par exercice, par action "
    "ou par territoire. Ce que le dossier ne dit pas reste « non renseigné », jamais réparti."
)
plan_years = sorted({line["fiscal_year"] for line in lines}, reverse=True)
plan_year = st.selectbox(
    "Exercice", [None, *plan_years], key="budget-plan-year",
    format_func=lambda y: "tous les exercices" if y is None else str(y),
)  # fmt: skip
plans = financing.by_dimension(
    data.records("funding_by", as_of=as_of, programme_code=programme, fiscal_year=plan_year)
)
if plans:
    dimension = st.radio(
        "Lire les plans", list(plans), format_func=financing.DIMENSIONS.get, horizontal=True,
        key="budget-plan-dimension",
    )  # fmt: skip
    rows = plans[dimension]
    data_table(
        pd.DataFrame(
            [
                {
                    financing.KEY_LABELS[dimension]: r["name"],
                    "Base": fmt.TAX_BASIS_LABELS[r["tax_basis"]],
                    "Accordé (numéraire)": shown(r["granted"]),
                    "Engagé": shown(r["committed"]),
                    "Versé": shown(r["paid"]),
                    "Lignes en numéraire": r["lines"],
                    "Apports en nature": r["in_kind_lines"],
                }
                for r in rows
            ]
        ),
        hide_index=True,
        placeholder=fmt.UNKNOWN,
        width="stretch",
    )
    if dimension == "territory":
        st.caption(
            "Une ligne rattachée à plusieurs territoires compte dans chacun : ces lignes ne "
            "s'additionnent pas."
        )
    cash = [r for r in rows if r["granted"] is not None]
    if len(cash) > 1:
        frame = pd.DataFrame(
            [{"group": f"{r['name']} · {fmt.TAX_BASIS_LABELS[r['tax_basis']]}",
              "allocated": r["granted"], "committed": r["committed"], "ordered": None,
              "paid": r["paid"]} for r in cash]
        )  # fmt: skip
        charts.show(
            charts.money_bars(
                frame,
                f"Accordé, engagé et versé — {financing.DIMENSIONS[dimension].lower()}",
                stages=("allocated", "committed", "paid"),
            ),
            pd.DataFrame(
                [
                    {
                        financing.KEY_LABELS[dimension]: r["name"],
                        "Base": fmt.TAX_BASIS_LABELS[r["tax_basis"]],
                        "Accordé": shown(r["granted"]),
                        "Engagé": shown(r["committed"]),
                        "Versé": shown(r["paid"]),
                    }
                    for r in cash
                ]
            ),  # fmt: skip
            summary=_plan_summary(cash),
            key=f"plan-{dimension}",
            caption="Le mandaté n'est pas lu ici : voir les totaux par base fiscale. Une étape "
            "sans paiement enregistré n'a pas de barre : elle est inconnue, pas nulle.",
        )
shares = financing.shares(data.records("multi_year_share", as_of=as_of, programme_code=programme))
if shares:
    st.markdown("**Part des financements sous convention pluriannuelle d'objectifs (CPO)**")
    st.caption(
        f"La circulaire « Quartiers 2030 » vise {fmt.MULTI_YEAR_TARGET} % des crédits sous "
        "convention pluriannuelle. Une ligne dont l'acte ne dit pas s'il est pluriannuel (ou "
        "sans acte) est comptée à part : la part est calculée sur ce qui est connu."
    )
    data_table(
        pd.DataFrame(
            [
                {
                    "Exercice": str(s.fiscal_year),
                    "Base": fmt.TAX_BASIS_LABELS[s.tax_basis],
                    "Accordé": shown(s.granted),
                    "Sous CPO": shown(s.multi_year),
                    "Hors CPO": shown(s.single_year),
                    "Non renseigné": shown(s.not_said),
                    "Part sous CPO": s.verdict,
                }
                for s in shares
            ]
        ),
        hide_index=True,
        placeholder=fmt.UNKNOWN,
        width="stretch",
    )
flagged = [line for line in lines if line["over_act_reason"]]
for line in flagged:
    st.warning(
        escape_markdown(
            f"{line['label'] or 'Ligne'} ({line['fiscal_year']}) dépasse ce que l'article "
            f"{line['clause_article']} prévoit ({shown(line['clause_yearly_amount'])} pour "
            f"l'exercice) — motif : {line['over_act_reason']}"
        ),
        icon=":material/warning:",
    )

frame = pd.DataFrame(years)
if not frame.empty:
    frame["group"] = [
        f"{r['fiscal_year']} · {r['programme_code']} · {fmt.TAX_BASIS_LABELS[r['tax_basis']]}"
        for r in years
    ]
    figure = charts.money_bars(
        frame, "Alloué, engagé, mandaté et versé par exercice, programme et base"
    )
    table = pd.DataFrame(
        [
            {
                "Exercice": r["fiscal_year"],
                "Programme": r["programme_code"],
                "Base": fmt.TAX_BASIS_LABELS[r["tax_basis"]],
                **{label: shown(r[column]) for label, column in STAGES},
                "Consommation": fmt.percent(r["consumption_rate"], 1)
                if r["consumption_rate"] is not None
                else fmt.UNKNOWN,
            }
            for r in years
        ]
    )
    charts.show(
        figure,
        table,
        summary=_stage_summary(years),
        key="money-bars",
        caption="Une étape sans paiement enregistré n'a pas de barre : elle est inconnue, pas nulle.",
    )


def cumulative_parts(flow: pd.DataFrame) -> dict[str, dict]:
    """For each tax basis, the cumulative spending's lines, its table (the grid's Arrow
    table), the last cumulative amount of each stage and its date: made once per change
    of the data."""
    parts = {}
    for basis, part in flow.groupby("tax_basis"):
        table = pd.DataFrame(
            [
                {
                    "Date": fmt.date_fr(r.occurred_on),
                    "Étape": fmt.STAGE_LABELS[r.stage],
                    "Montant": fmt.money(r.amount),
                    "Cumul": fmt.money(r.cumulative),
                }
                for r in part.itertuples()
            ]
        )
        reached = {r.stage: r.cumulative for r in part.itertuples()}
        parts[basis] = {
            "lines": charts.cumulative_lines(
                part, f"Cumul engagé, mandaté et versé — base {fmt.TAX_BASIS_LABELS[basis]}"
            ),
            "table": arrow_table(table),
            # in the spending chain's order (engagement, mandatement, versement)
            "last": {stage: reached[stage] for stage in fmt.STAGE_LABELS if stage in reached},
            "until": part["occurred_on"].max(),
        }
    return parts


st.header("Consommation cumulée")
flow = data.kept_frame("payment_flow", as_of=as_of, programme_code=programme,
                       territory_id=territory_id)  # fmt: skip
if flow.empty:
    empty_state("Aucun paiement enregistré : les paiements saisis apparaîtront ici.")
else:
    allocated = {m["tax_basis"]: m["allocated"] for m in money}
    for basis, part in data.derived(flow, cumulative_parts).items():
        summary = (
            f"Au {fmt.date_fr(part['until'])}, {fmt.basis_phrase(basis)} : "
            + ", ".join(
                f"{fmt.STAGE_LABELS[stage].lower()} {fmt.money(amount)}"
                for stage, amount in part["last"].items()
            )
            + f" ; alloué {shown(allocated.get(basis))}."
        )
        figure = charts.cumulative(part["lines"], float(allocated.get(basis) or 0))
        charts.show(figure, part["table"], summary=summary, key=f"cumulative-{basis}")

st.header("Lignes budgétaires")
corrections = data.corrections("budget_line")
data_table(
    pd.DataFrame(
        [
            {
                "Programme": r["programme_code"],
                "Exercice": r["fiscal_year"],
                "Nature": fmt.BUDGET_KIND_LABELS[r["kind"]],
                "Libellé": r["label"] or r["description"] or "",
                "Montant": shown(r["amount"]) if r["kind"] == "financial" else "—",
                "Base": fmt.TAX_BASIS_LABELS[r["tax_basis"]],
                "Compte à partir du": fmt.date_fr(r["starts_on"])
                + fmt.LINE_START_NOTES.get(r["start_basis"], ""),
                "Financeur": r["funder"] or fmt.UNKNOWN,
                "Bénéficiaire": r["recipient"] or fmt.UNKNOWN,
                "Action financée": r["action_title"] or "le programme",
                "Nature des crédits": fmt.FUNDING_NATURE_LABELS.get(
                    r["funding_nature"], fmt.UNKNOWN
                ),
                "Source": cite_row(r, label=True),
                "Correction": " ; ".join(corrections.get(("budget_line", r["budget_line_id"]), [])),
            }
            for r in lines
        ]
    ),
    hide_index=True,
    placeholder=fmt.UNKNOWN,
    width="stretch",
)
for r in lines:
    if r["source_excerpt"]:
        st.caption(
            escape_markdown(f"{r['fiscal_year']} — « {r['source_excerpt']} » ({cite_row(r)})")
        )

st.header("Paiements")
payments = data.records(
    "payments", programme_code=programme, since=None, until=as_of, limit=PAYMENT_ROWS
)
if payments:
    if len(payments) == PAYMENT_ROWS:
        st.caption(f"Les {PAYMENT_ROWS} paiements les plus récents.")
    corrected = data.corrections("payment", any_record=True)
    data_table(
        pd.DataFrame(
            [
                {
                    "Date": fmt.date_fr(p["occurred_on"]),
                    "Étape": fmt.STAGE_LABELS[p["stage"]],
                    "Montant": fmt.money(p["amount"]),
                    "Base": fmt.TAX_BASIS_LABELS[p["tax_basis"]],
                    "Exercice": p["fiscal_year"],
                    "Référence": p["reference"] or "",
                    "Saisi par": p["recorded_by"],
                    # a corrected amount or date says so, as wherever a value is shown
                    "Correction": " ; ".join(corrected.get(("payment", p["payment_id"]), [])),
                }
                for p in payments
            ]
        ),
        hide_index=True,
        placeholder=fmt.UNKNOWN,
        width="stretch",
    )
else:
    empty_state(
        "Aucun paiement enregistré (engagement, mandatement ou versement) : la chaîne de la "
        "dépense se saisit sur la page Paiements."
    )

st.header("Grand livre des paiements", anchor=False)
st.caption(
    "Chaque engagement, mandatement et versement jamais saisi, du plus ancien au plus récent : "
    "programme, acte et article, financeur, exercice, base, montant, date, référence, "
    "corrections et annulations avec leur motif — pour le service financier, tel quel."
)
left, right = st.columns(2)
left.download_button("Grand livre (.xlsx)", data=lambda: ledger.to_xlsx(ledger.rows(data.database())),
                     file_name="grand-livre.xlsx", icon=":material/table_view:", on_click="ignore",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
right.download_button("Grand livre (.csv)", data=lambda: ledger.to_csv(ledger.rows(data.database())),
                      file_name="grand-livre.csv", mime="text/csv", icon=":material/download:",
                      on_click="ignore")  # fmt: skip


#: the incomplete subsidies listed on the page; the others are in the file to download
MISSING_SHOWN = 10


def missing_said(year: scdl.Year) -> str:
    said = "\n".join(f"- {escape_markdown(m)}" for m in year.missing[:MISSING_SHOWN])
    more = len(year.missing) - MISSING_SHOWN
    if more > 0:
        others = "autre ligne incomplète" if more == 1 else "autres lignes incomplètes"
        said += f"\n\n… et {more} {others} : la liste entière est à télécharger ci-dessous."
    return (
        "Ce que le dossier ne dit pas encore, et qu'une ligne valide demande (rien n'est "
        "inventé : ces cases restent vides dans le fichier) :\n\n" + said
    )


def csv_download(label: str, text: Callable[[], str], file_name: str) -> None:
    """A CSV to download, made when it is downloaded (not at every view)."""
    st.download_button(label, data=lambda: text().encode("utf-8"), file_name=file_name,
                       mime="text/csv", icon=":material/download:", on_click="ignore")  # fmt: skip


st.header("Données ouvertes : subventions (schéma SCDL)", anchor=False)
# the lines of every year and what they lack, made once per change of the data
subsidies = data.derived(data.kept_records("scdl_subsidies", fiscal_year=None), scdl.by_year)
if subsidies:
    year = st.selectbox("Exercice financé", list(subsidies), key="budget-scdl-year")
    chosen = subsidies[year]
    csv_download(f"Subventions {year} au schéma SCDL {scdl.VERSION} (.csv)",
                 lambda: scdl.to_csv(chosen.lines), f"subventions-{year}-scdl.csv")  # fmt: skip
    if chosen.missing:
        st.warning(data.derived(chosen, missing_said))
        if len(chosen.missing) > MISSING_SHOWN:
            csv_download(f"Ce qui manque aux subventions {year} (.csv)",
                         lambda: scdl.missing_csv(chosen.lines),
                         f"subventions-{year}-a-completer.csv")  # fmt: skip
else:
    empty_state("Aucune subvention enregistrée (ligne budgétaire avec un montant).")
