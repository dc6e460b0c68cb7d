"""The seed: every fact of the two acts, with its document, article and excerpt;
what the acts leave unknown stays NULL."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from dashboard.ingest.seed import initialize, load_facts
from dashboard.resources import resource_dir
from tests.helpers import snapshot

AVENANT = "Avenant n° 2 à la convention DEVT 013-2609/17/BM"
CONV22 = (
    "Convention de partenariat […] relative à la réalisation de l’accompagnement à l’évolution "
    "de la Politique de la ville et de ses dispositifs connexes"
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "").replace("#", "")).strip()


def fact(db, statement: str) -> tuple:
    """One row: the fact's columns, then its source's document and article."""
    with db.reader() as cur:
        rows = cur.execute(statement).fetchall()
    assert len(rows) == 1, f"{len(rows)} lignes pour : {statement}"
    return rows[0]


SRC = "join source_ref s on s.id = x.source_id"
FACTS = {
    "organisation AMP": (
        f"select x.name, x.kind, s.document, s.article from organisation x {SRC} where code = 'AMP'",
        ("Métropole Aix-Marseille-Provence", "local_authority", AVENANT, "Parties (« Entre »)"),
    ),
    "organisation CRPV": (
        f"select x.kind, s.document, s.article from organisation x {SRC} where code = 'GIP-CRPV-PACA'",
        ("public_interest_group", AVENANT, "Parties (« Et »)"),
    ),
    "présidente Martine Vassal": (
        f"select x.role_title, o.code, s.document from person x join organisation o on o.id = x.organisation_id {SRC} where full_name = 'Martine Vassal'",
        ("Présidente de la Métropole", "AMP", AVENANT),
    ),
    "vice-présidente Arlette Fructus signe l'avenant": (
        f"select x.role_title, s.article from person x {SRC} join act_party ap on ap.signatory_id = x.id join legal_act a on a.id = ap.act_id where full_name = 'Arlette Fructus' and a.kind = 'amendment'",
        ("Vice-Présidente Déléguée", "Signatures"),
    ),
    "vice-président Martial Alvarez signe la convention 2022": (
        f"select x.role_title, s.document from person x {SRC} join act_party ap on ap.signatory_id = x.id join legal_act a on a.id = ap.act_id where full_name = 'Martial Alvarez' and a.ends_on = date '2022-12-31'",
        ("Vice-Président Délégué", CONV22),
    ),
    "directeur-ordonnateur Mustapha Berra": (
        f"select x.role_title, o.code, count(distinct ap.act_id) from person x join organisation o on o.id = x.organisation_id join act_party ap on ap.signatory_id = x.id {SRC} where full_name = 'Mustapha Berra' group by all",
        ("Directeur-ordonnateur du CRPV PACA", "GIP-CRPV-PACA", 2),
    ),
    "convention DEVT 013-2609/17/BM conclue le 22 novembre 2017": (
        f"select x.kind, x.concluded_on, x.signed_on, x.ends_on, s.article from legal_act x {SRC} where reference = 'DEVT 013-2609/17/BM'",
        ("agreement", dt.date(2017, 11, 22), None, None, "Préambule"),
    ),
    "avenant n° 2 : délibération du Bureau du 19 décembre 2019, numéro inconnu": (
        f"select x.number, x.deliberation_body, x.deliberation_date, x.deliberation_number, s.document from legal_act x {SRC} where kind = 'amendment'",
        (2, "Bureau de la Métropole", dt.date(2019, 12, 19), None, AVENANT),
    ),
    "avenant n° 2 : effet à la signature, terme 31 décembre 2020, modifie DEVT": (
        "select x.effective_rule, x.signed_on, x.effective_on, x.ends_on, a.reference from legal_act x join legal_act a on a.id = x.amends_act_id where x.kind = 'amendment'",
        ("at_signature", None, None, dt.date(2020, 12, 31), "DEVT 013-2609/17/BM"),
    ),
    "convention 2022 : signature inconnue, effet à la signature, terme 31 décembre 2022": (
        f"select x.signed_on, x.effective_rule, x.ends_on, s.article from legal_act x {SRC} where x.kind = 'agreement' and x.reference is null",
        (None, "at_signature", dt.date(2022, 12, 31), "Intitulé"),
    ),
    "programme d'évaluation 2015-2020": (
        f"select x.title, x.kind, s.document, s.article from programme x {SRC} where code = 'EVAL-CDV-2015-2020'",
        ("Évaluation des contrats de ville 2015-2020", "evaluation", AVENANT, "Préambule"),
    ),
    "programme de modernisation 2022": (
        f"select x.title, x.kind, s.article from programme x {SRC} where code = 'MODERN-PV-2022'",
        (
            "Modernisation de la Politique de la ville",
            "modernisation",
            "Article 1 Objet de la convention",
        ),
    ),
    "l'évaluation finale alimente la stratégie 2022 (art. 1)": (
        f"select f.code, t.code, x.kind, s.document, s.article from programme_link x join programme f on f.id = x.from_programme_id join programme t on t.id = x.to_programme_id {SRC}",
        (
            "EVAL-CDV-2015-2020",
            "MODERN-PV-2022",
            "feeds",
            CONV22,
            "Article 1 Objet de la convention",
        ),
    ),
    "phase 1": (
        f"select x.title, s.article from phase x {SRC} where number = 1",
        (
            "Évaluation à mi-parcours des Contrats de Ville 2015-2020 et mise en place des éléments de référence de l'évaluation en continu",
            "Préambule",
        ),
    ),
    "phase 2": (
        f"select x.title, s.article from phase x {SRC} where number = 2",
        ("Exploitation du référentiel d'évaluation", "Préambule"),
    ),
    "phase 3": (
        f"select x.title, s.article from phase x {SRC} where number = 3",
        (
            "Évaluation finale et mise en place d'éléments de prospective urbaine et sociale",
            "Préambule",
        ),
    ),
    "quatre orientations de la phase 3 (avenant, art. 1)": (
        f"select count(*), min(s.article), max(s.article), min(s.document) from orientation x {SRC} join phase p on p.id = x.phase_id where p.number = 3",
        (4, "Article 1", "Article 1", AVENANT),
    ),
    "quatre orientations opérationnelles 2022 (art. 1)": (
        f"select count(*), min(s.article), count(x.phase_id) from orientation x {SRC} join programme p on p.id = x.programme_id where p.code = 'MODERN-PV-2022'",
        (4, "Article 1 Objet de la convention", 0),
    ),
    "comité de pilotage de l'évaluation (art. 3)": (
        f"select x.kind, x.name, s.article from committee x {SRC} where kind = 'copil'",
        (
            "copil",
            "Comité de pilotage de l'évaluation des contrats de ville",
            "Article 3 : Instance de pilotage",
        ),
    ),
    "comité technique 2022 : valide orientations et actions (art. 3)": (
        f"select x.kind, x.mandate like 'Valider les orientations et l''ensemble des actions%', s.document from committee x {SRC} where kind = 'cotech'",
        ("cotech", True, CONV22),
    ),
    "une seule réunion : COPIL du 21 mars 2019": (
        f"select x.held_on, c.kind, s.article from meeting x join committee c on c.id = x.committee_id {SRC}",
        (dt.date(2019, 3, 21), "copil", "Préambule"),
    ),
    "décision : lancement des phases 2 et 3 approuvé (un feu vert, pas une livraison)": (
        f"select x.kind, x.text, string_agg(p.number::varchar, ',' order by p.number), s.article from decision x join decision_item di on di.decision_id = x.id join phase p on p.id = di.item_id and di.item_kind = 'phase' {SRC} where x.kind = 'approves' group by all",
        ("approves", "Les phases 2 et 3 ont été validées.", "2,3", "Préambule"),
    ),
    "décision : résultats à mi-parcours présentés (phase 1)": (
        f"select x.kind, p.number, s.article from decision x join decision_item di on di.decision_id = x.id join phase p on p.id = di.item_id {SRC} where x.kind = 'presents'",
        ("presents", 1, "Article 1"),
    ),
    "les quatre orientations, validées « à la suite du » COPIL : pas une décision de la séance": (
        "select count(*) from decision_item where item_kind = 'orientation'",
        (0,),
    ),
    "article 1, premier alinéa : pour les Conseils de Territoire et Communes qui le souhaitent": (
        f"select count(*), min(s.article) from clause x {SRC} join legal_act a on a.id = x.act_id where a.kind = 'amendment' and x.summary like '%Conseils de Territoire et Communes qui le souhaitent%'",
        (1, "Article 1"),
    ),
    "avenant n° 2 cité par son intitulé, ses parties par leurs paragraphes": (
        f"select s.article, (select string_agg(sp.article, ' ; ' order by ap.organisation_id) from act_party ap join source_ref sp on sp.id = ap.source_id where ap.act_id = x.id) from legal_act x {SRC} where x.kind = 'amendment'",
        ("Intitulé", "Parties (« Entre ») ; Parties (« Et »)"),
    ),
    "convention 2022 : ses parties citées par leurs paragraphes": (
        "select (select string_agg(sp.article, ' ; ' order by ap.organisation_id) from act_party ap join source_ref sp on sp.id = ap.source_id where ap.act_id = x.id) from legal_act x where x.kind = 'agreement' and x.reference is null",
        ("Parties (« Entre ») ; Parties (« Et »)",),
    ),
    "COPIL : son mandat tel que l'article 3 le dit": (
        "select mandate from committee where kind = 'copil'",
        (
            "« La mise en place d'un comité de pilotage validera l'ensemble de cette démarche. » (avenant n° 2, article 3)",
        ),
    ),
    "ligne 2020 : aucun mot ajouté à l'acte": (
        "select label from budget_line where fiscal_year = 2020",
        ("Participation financière 2020",),
    ),
    "100 000 € pour 2020, base non précisée (avenant, art. 2)": (
        f"select x.amount, x.tax_basis, c.article, s.document, s.article from budget_line x join clause c on c.id = x.clause_id {SRC} where fiscal_year = 2020",
        (
            Decimal("100000.00"),
            "unspecified",
            "Article 2",
            AVENANT,
            "Article 2 : Conditions financières",
        ),
    ),
    "100 000 € TTC pour 2022 (convention, art. 2)": (
        f"select x.amount, x.tax_basis, s.document, s.article from budget_line x {SRC} where fiscal_year = 2022",
        (Decimal("100000.00"), "TTC", CONV22, "Article 2 Condition financière"),
    ),
    "clause : prolongation par avenant (art. 4)": (
        f"select x.article, s.document from clause x {SRC} where kind = 'extension_by_amendment'",
        ("Article 4", CONV22),
    ),
    "clause : modification par avenant écrit (art. 5)": (
        f"select x.article from clause x {SRC} join legal_act a on a.id = x.act_id where x.kind = 'modification_by_amendment' and a.ends_on = date '2022-12-31'",
        ("Article 5",),
    ),
    "clause : règlement amiable 30 jours calendaires (art. 6)": (
        f"select x.article, x.days, x.months, s.article from clause x {SRC} where kind = 'amicable_settlement'",
        ("Article 6", 30, None, "Article 6 Litige"),
    ),
    "clause : résiliation, préavis de 6 mois (art. 7)": (
        f"select x.article, x.months, x.days, s.article from clause x {SRC} where kind = 'termination_notice'",
        ("Article 7", 6, None, "Article 7 Résiliation"),
    ),
    "clauses de durée des deux actes": (
        f"select count(*), string_agg(x.article, ',' order by x.id) from clause x {SRC} where kind = 'duration'",
        (2, "Article 4,Article 4"),
    ),
    "sept constats du préambule 2022": (
        f"select count(*), min(s.document), count(distinct s.article) from programme_note x {SRC} where kind = 'finding'",
        (7, CONV22, 7),
    ),
}


@pytest.mark.parametrize("name", FACTS)
def test_seeded_fact(db, name):
    statement, expected = FACTS[name]
    assert fact(db, statement) == expected


@pytest.mark.parametrize("title", [n["title"] for n in load_facts()["notes"]])
def test_each_finding_of_the_2022_preamble(db, title):
    body, article = fact(
        db,
        "select x.body, s.article from programme_note x join source_ref s "
        f"on s.id = x.source_id where x.title = '{title.replace(chr(39), chr(39) * 2)}'",
    )
    source = normalise(
        (resource_dir("sources") / load_facts()["documents"]["conv2022"]["file"]).read_text()
    )
    assert normalise(body) in source
    assert article.startswith("Préambule (constat ")


def test_every_excerpt_is_in_its_document(db):
    docs = load_facts()["documents"]
    texts = {
        d["title"]: normalise((resource_dir("sources") / d["file"]).read_text())
        for d in docs.values()
    }
    with db.reader() as cur:
        refs = cur.execute("select document, article, excerpt from source_ref").fetchall()
    assert len(refs) > 50
    for document, article, excerpt in refs:
        assert 0 < len(excerpt) <= 300
        assert document in texts, document
        assert normalise(excerpt) in texts[document], f"{article}: {excerpt[:60]}"


def test_every_seeded_row_has_a_source(db):
    with db.reader() as cur:
        for table in (
            "organisation",
            "person",
            "programme",
            "programme_link",
            "programme_note",
            "legal_act",
            "act_party",
            "clause",
            "phase",
            "orientation",
            "committee",
            "meeting",
            "decision",
            "budget_line",
        ):
            missing = cur.execute(
                f"select count(*) from {table} where source_id is null"
            ).fetchone()[0]
            assert missing == 0, table


def test_no_status_beyond_what_the_acts_establish(db):
    """The acts establish no status of work: presented results and approved phases are
    decisions, not statuses; every status stays unknown."""
    with db.reader() as cur:
        assert cur.execute("select count(*) from status_event").fetchone()[0] == 0
        assert cur.execute("select count(*) from action").fetchone()[0] == 0


def test_no_word_added_to_the_acts(db):
    with db.reader() as cur:
        descriptions = [r[0] for r in cur.execute("select description from programme").fetchall()]
    assert not any("élaborée" in d or "en 2022" in d for d in descriptions)


def test_completeness_lists_what_the_acts_leave_out(db):
    from dashboard.tracker.completeness import completeness

    items = [g["item"] for g in completeness(db)]
    # the 2022 convention has no reference: it is named by its own title, cut at a word
    assert any(
        i.startswith("Délibération — Convention de partenariat entre la Métropole") for i in items
    )
    assert any(
        i.startswith("Référence — Convention de partenariat entre la Métropole") for i in items
    )
    assert not any("sans référence" in i for i in items)
    assert any(
        i.startswith("Représentant de Métropole Aix-Marseille-Provence — Convention DEVT")
        for i in items
    )
    assert any(i.startswith("Numéro de délibération — Avenant n° 2") for i in items)


def test_unknowns_stay_null(db):
    with db.reader() as cur:
        assert cur.execute("select count(*) from payment").fetchone()[0] == 0
        assert (
            cur.execute("select count(*) from budget_line where fiscal_year < 2020").fetchone()[0]
            == 0
        )
        assert (
            cur.execute(
                "select count(*) from legal_act where kind = 'amendment' and number = 1"
            ).fetchone()[0]
            == 0
        )
        assert (
            cur.execute("select count(*) from legal_act where signed_on is not null").fetchone()[0]
            == 0
        )
        assert cur.execute("select count(*) from meeting").fetchone()[0] == 1


def test_seed_goes_through_the_write_services(db):
    with db.reader() as cur:
        actors = cur.execute("select distinct actor from audit_log").fetchall()
        created = cur.execute(
            "select count(*) from audit_log where operation = 'create'"
        ).fetchone()[0]
    assert actors == [("Import des actes",)]
    assert created > 40


def test_initialize_is_idempotent(db):
    before = snapshot(db)
    assert initialize(db) == {"migrations": [], "seeded": False}
    assert snapshot(db) == before
    assert {"phase", "legal_act", "status_event", "audit_log"} <= set(before)
