"""AppTest: every page renders without exception and shows its key facts; filters
change what is shown; the read cache follows the data version."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file
from tests.helpers import page_text, plain

PAGES = {
    "overview": "app_pages/overview.py",
    "progress": "app_pages/progress.py",
    "budget": "app_pages/budget.py",
    "committees": "app_pages/committees.py",
    "deadlines": "app_pages/deadlines.py",
    "sources": "app_pages/sources.py",
    "programme": "app_pages/programme.py",
    "councils": "app_pages/citizen_councils.py",
}


@pytest.fixture
def app(db_path, monkeypatch):
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.setenv("CDV_PUBLIC_READ", "1")  # the read pages, as on a meeting-room screen
    return AppTest.from_file(str(app_file()), default_timeout=60)


def open_page(app: AppTest, page: str, **params) -> AppTest:
    for key, value in params.items():
        app.query_params[key] = value
    if page != "overview":
        app.run()
        app.switch_page(PAGES[page])
    return app.run()


def texts(at: AppTest) -> str:
    return page_text(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_its_header(app, page):
    at = open_page(app, page)
    assert not at.exception, at.exception
    shown = texts(at)
    assert "cdv-tracker" in shown and "données au" in shown


def test_overview_key_facts(app):
    at = open_page(app, "overview")
    shown = texts(at)
    assert "Évaluation des contrats de ville 2015-2020" in shown
    assert "Modernisation de la Politique de la ville" in shown
    assert "100 000 €" in shown
    assert "base HT/TTC non précisée" in shown and "toutes taxes comprises (TTC)" in shown
    assert "0 / 3" in shown and "3 au statut non renseigné" in shown  # phases delivered
    assert "avancement connu pour aucun des 7 éléments" in shown  # coverage, not a percentage
    assert "dernière : 21 mars 2019" in shown
    assert "terme des actes passé (31 décembre 2020) avec 7 éléments au statut" in shown
    assert "informations manquent au dossier" in shown
    assert len(at.get("plotly_chart")) == 2  # one timeline per programme


def test_overview_as_of_a_past_date(app, db_path):
    import datetime as dt

    from dashboard.tracker.db import Database
    from tests.helpers import start_phases

    with Database(db_path) as db:
        start_phases(db, 2)  # « en cours » from 1 April 2019
    at = open_page(app, "overview")
    at.date_input[0].set_value(dt.date(2019, 3, 20)).run()
    shown = texts(at)
    assert not at.exception
    assert "Vue reconstituée au 20 mars 2019" in shown
    assert "Modernisation de la Politique de la ville" not in shown  # its act came in 2022
    assert "100 000" not in shown  # the 2020 amount was not in force yet
    assert "non renseigné" in shown
    at.date_input[0].set_value(dt.date(2019, 4, 2)).run()
    # the 3 phases then (the 4 orientations of phase 3 come with avenant n° 2, in force
    # at the earliest on 19 December 2019): one status known, two still unknown
    assert "2 / 3" in texts(at)


def test_progress_shows_the_phases_with_their_history(app):
    at = open_page(app, "progress", programme="EVAL-CDV-2015-2020", element="phase-1")
    shown = texts(at)
    assert "Exploitation du référentiel d'évaluation" in shown
    assert (
        "Évaluation finale et mise en place d'éléments de prospective urbaine et sociale" in shown
    )
    assert "7 élément(s) affiché(s) sur 7" in shown
    # phase 1: no status (the acts establish none), the decision that concerns it
    assert "Aucun statut enregistré pour cet élément" in shown
    assert "21 mars 2019" in shown and "présentation" in shown
    assert "Présentation des résultats de l'évaluation à mi-parcours." in shown
    # no planned date and no status yet: the works calendar says what it waits for
    assert not at.get("plotly_chart") and "le calendrier apparaîtra" in shown


def test_progress_filters_come_from_the_url_and_change_the_view(app, db_path):
    from dashboard.tracker.db import Database
    from tests.helpers import start_phases

    with Database(db_path) as db:
        start_phases(db, 2, 3)
    at = open_page(app, "progress", programme="EVAL-CDV-2015-2020", statut="in_progress")
    shown = texts(at)
    assert "2 élément(s) affiché(s) sur 7" in shown
    at.multiselect(key="f-status").set_value(["unknown"]).run()
    assert "5 élément(s) affiché(s) sur 7" in texts(at)
    assert at.query_params["statut"] in ("unknown", ["unknown"])
    at.multiselect(key="f-status").set_value(["cancelled"]).run()
    assert "Aucun élément ne correspond à ces filtres" in texts(at)


def test_budget_page(app, db_path):
    at = open_page(app, "budget")
    shown = texts(at)
    assert "100 000 €" in shown and "non précisé" in shown and "TTC" in shown
    assert "bases différentes" in shown  # never mixed silently
    assert "Aucun paiement enregistré : les paiements saisis apparaîtront ici." in shown
    assert "engagé, mandaté et versé sont inconnus, pas nuls" in shown
    assert "Article 2 : Conditions financières" in shown
    # each chart says its key figures in words (its text alternative), unknown kept unknown
    assert (
        "En bref : 2 groupe(s) ; base HT/TTC non précisée : alloué 100 000 €, engagé non "
        "renseigné, mandaté non renseigné, versé non renseigné ; base TTC : alloué "
        "100 000 €"
    ) in plain(shown)
    # the subsidies' open data: the file to download and what it still lacks, never invented
    assert [b.proto.label for b in at.get("download_button")] == [
        "Grand livre (.xlsx)",
        "Grand livre (.csv)",
        "Subventions 2022 au schéma SCDL 2.1.1 (.csv)",
    ]
    assert "Ligne budgétaire n° 2 (exercice 2022) : SIRET de l'attribuant : non renseigné" in shown
    fresh = AppTest.from_file(str(app_file()), default_timeout=60)
    at = open_page(fresh, "budget", programme="MODERN-PV-2022")
    assert "bases différentes" not in texts(at)
    assert "Participation financière 2022" in texts(at)


def test_committees_page(app):
    at = open_page(app, "committees")
    shown = texts(at)
    assert "Comité de pilotage de l'évaluation des contrats de ville" in shown
    assert "Valider les orientations et l'ensemble des actions" in shown
    assert "21 mars 2019" in shown
    assert "Les phases 2 et 3 ont été validées." in shown
    assert "En bref : 1 réunion(s) du 21 mars 2019 au 21 mars 2019, 2 décision(s)" in shown
    assert "feu vert (lancement approuvé)" in shown  # a gate, not a delivery
    links = html.unescape("\n".join(h.proto.body for h in at.html))
    assert "avancement?programme=EVAL-CDV-2015-2020&element=phase-2" in links


def test_deadlines_page(app):
    at = open_page(app, "deadlines")
    shown = texts(at)
    assert "6 mois après une lettre recommandée" in shown  # undated until a letter
    assert "30 jours calendaires" in shown
    # article 4 allows an extension by avenant: said with the term, never as a deadline
    assert "Dernier jour pour signer" not in shown
    assert "règle générale (et non clause de l'acte)" in shown
    assert "31 décembre 2022" in shown and "31 décembre 2020" in shown
    assert at.get("download_button")


def test_sources_page(app):
    at = open_page(app, "sources")
    shown = texts(at)
    assert "Avenant n° 1" in shown and "Numéro de délibération" in shown
    assert "Article 6 Litige" in shown or "Article 6" in shown
    assert "La participation financière de la Métropole pour 2022 est de 100 000 € TTC." in shown


def test_programme_page(app):
    at = open_page(app, "programme")
    shown = texts(at)
    assert "alimente" in shown
    assert "Avenant n° 2 à la convention DEVT 013-2609/17/BM" in shown
    assert "L’absence de modèle unique" in shown


def test_a_write_shows_on_the_next_rerun(app, db_path):
    from dashboard.tracker import status
    from dashboard.tracker.db import Database
    from tests.conftest import LEAD

    at = open_page(app, "progress", programme="EVAL-CDV-2015-2020", statut="blocked")
    assert "Aucun élément ne correspond" in texts(at)
    from dashboard.ui import data

    db = data.database()  # the server's own connection: one process owns the file
    status.change_status(db, LEAD, "phase", 2, to_status="blocked", seen_event_id=None)
    at.run()
    assert "1 élément(s) affiché(s) sur 7" in texts(at)
    assert isinstance(db, Database) and db_path.exists()


def test_without_public_read_only_the_login_page_shows(db_path, monkeypatch):
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.delenv("CDV_PUBLIC_READ", raising=False)
    at = AppTest.from_file(str(app_file()), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Connexion"]
    assert "Créer le premier administrateur" in [s.value for s in at.header]
    assert "100 000" not in texts(at)  # no data before logging in


def test_first_administrator_then_login_and_logout(db_path, monkeypatch):
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.delenv("CDV_PUBLIC_READ", raising=False)
    at = AppTest.from_file(str(app_file()), default_timeout=60).run()
    at.text_input[0].input("marie")
    at.text_input[1].input("Marie Curie")
    at.text_input[2].input("une phrase assez longue")
    at.text_input[3].input("une phrase assez longue")
    at.button[0].click().run()
    assert not at.exception
    assert "Vue d'ensemble" in [t.value for t in at.title]
    assert any("Connecté : **Marie Curie** (administrateur)" in plain(m.value) for m in at.markdown)
    logout = [b for b in at.button if b.label == "Se déconnecter"][0]
    logout.click().run()
    assert [t.value for t in at.title] == ["Connexion"]
    assert "Créer le premier administrateur" not in [s.value for s in at.header]


def test_wrong_password_shows_a_french_message(db_path, monkeypatch):
    from dashboard.tracker import users
    from dashboard.tracker.db import Database
    from tests.conftest import ADMIN

    with Database(db_path) as db:
        users.add_user(
            db,
            ADMIN,
            login="paul",
            display_name="Paul",
            role="lecteur",
            password="le bon mot de passe",
            provisional=False,
        )
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.delenv("CDV_PUBLIC_READ", raising=False)
    at = AppTest.from_file(str(app_file()), default_timeout=60).run()
    at.text_input[0].input("paul")
    at.text_input[1].input("pas le bon")
    at.button[0].click().run()
    assert [plain(e.value) for e in at.error] == [
        "Identifiant ou mot de passe incorrect (4 essais avant un délai d'attente)."
    ]
    at.text_input[1].input("le bon mot de passe")
    at.button[0].click().run()
    assert any("Connecté : **Paul** (lecteur)" in plain(m.value) for m in at.markdown)


def test_changes_since_the_last_meeting_and_the_item_timeline(app):
    from dashboard.tracker import status, work
    from dashboard.ui import data
    from tests.conftest import LEAD

    at = open_page(app, "committees")
    assert "Depuis la réunion du 21 mars 2019 (exclue)" in texts(at)
    # since then: avenant n° 2 came into force (at the earliest on 19 December 2019)
    assert "Entrée en vigueur : Avenant n° 2" in texts(at)
    db = data.database()
    status.change_status(
        db, LEAD, "phase", 2, to_status="blocked", seen_event_id=None, comment="Attente"
    )
    work.update_phase(db, LEAD, 2, expected_version=1, lead="Équipe du CRPV")
    at.run()
    shown = texts(at)
    assert "Phase « Exploitation du référentiel d'évaluation » : non renseigné → bloqué" in shown
    assert "Attente" in shown
    at = open_page(app, "progress", programme="EVAL-CDV-2015-2020", element="phase-2")
    shown = texts(at)
    assert "statut : non renseigné → bloqué" in shown
    assert "responsable : non renseigné → Équipe du CRPV" in shown
    assert "création de la fiche" in shown


def test_a_corrected_payment_says_so_on_the_budget_page(app, db_path):
    """A project lead sees that a payment was corrected, by whom and why — not only the
    administrators' audit."""
    import datetime as dt

    from dashboard.tracker import budget
    from dashboard.tracker.db import Database
    from tests.conftest import LEAD

    with Database(db_path) as db:
        line = db.scalar("select min(id) from budget_line where fiscal_year = 2022")
        paid = budget.record_payment(db, LEAD, budget_line_id=line, stage="commitment",
                                     occurred_on=dt.date(2022, 11, 15), amount="1 000,50")  # fmt: skip
        budget.update_payment(db, LEAD, paid, expected_version=1, amount="1 200",
                              reason="Montant lu sur le bon d'engagement")  # fmt: skip
    at = open_page(app, "budget", programme="MODERN-PV-2022")
    shown = texts(at)
    assert "1 200 €" in shown.replace("\u202f", " ").replace("\xa0", " ")
    assert "Corrigé le" in shown and "Montant lu sur le bon d'engagement" in shown


def test_many_programmes_are_one_table_then_the_card_chosen(app, db_path):
    """Past four programmes in force, the overview lists them all in one table (kept as
    the grid's Arrow table from one view to the next) and shows the card of one; in
    « Tableaux simples », the same rows as an HTML table."""
    import datetime as dt

    from dashboard.tracker import acts, programmes
    from dashboard.tracker.db import Database
    from dashboard.ui.widgets import SIMPLE_TABLES
    from tests.conftest import ADMIN

    with Database(db_path) as db:
        for n in range(1, 5):
            programme = programmes.create_programme(
                db, ADMIN, code=f"FICTIF-{n}", title=f"Contrat de ville fictif {n}",
                kind="city_contract",
            )  # fmt: skip
            acts.create_act(db, ADMIN, programme_id=programme, kind="agreement",
                            title=f"Convention fictive {n}", concluded_on=dt.date(2019, 1, 15),
                            effective_rule="at_signature", ends_on=dt.date(2030, 12, 31))  # fmt: skip
    at = open_page(app, "overview", programme="FICTIF-3")
    assert not at.exception, at.exception
    assert "6 programmes" in [h.value for h in at.header]
    frame = at.dataframe[0].value
    assert {f"FICTIF-{n}" for n in range(1, 5)} | {"EVAL-CDV-2015-2020"} <= set(frame["Code"])
    [row] = frame[frame["Code"] == "FICTIF-3"].to_dict("records")
    assert row["Programme"] == "Contrat de ville fictif 3" and row["Versé"] == "non renseigné"
    assert "Contrat de ville fictif 3" in [h.value for h in at.header]  # its card
    assert "Contrat de ville fictif 2" not in [h.value for h in at.header]
    again = at.run()  # the same table again, from the kept one
    assert again.dataframe[0].value.equals(frame)
    at.session_state[SIMPLE_TABLES] = True
    simple = at.run()
    markup = "\n".join(h.proto.body for h in simple.html)
    assert (
        "<th scope='col'" in markup
        and "FICTIF-4" in markup
        and "Contrat de ville fictif 1" in markup
    )


def test_the_cumulative_spending_is_drawn_with_its_table_and_said_in_words(app, db_path):
    """Payments on the 2022 participation (budget line 2): the stepped lines of each stage
    and the allocated amount, its table and its words — made once per change of the data
    and drawn the same at the next view."""
    import datetime as dt

    from dashboard.tracker import budget, fmt
    from dashboard.tracker.db import Database
    from tests.conftest import ADMIN
    from tests.helpers import charts_sent

    with Database(db_path) as db:
        for stage, day, amount in (("commitment", dt.date(2022, 3, 1), "60000"),
                                   ("payment_order", dt.date(2022, 6, 1), "40000"),
                                   ("disbursement", dt.date(2022, 7, 1), "40000")):  # fmt: skip
            budget.record_payment(db, ADMIN, budget_line_id=2, stage=stage, occurred_on=day,
                                  amount=amount)  # fmt: skip
    at = open_page(app, "budget", programme="MODERN-PV-2022")
    assert not at.exception, at.exception
    shown = plain(texts(at))
    assert "Cumul engagé, mandaté et versé — base TTC" in shown
    assert (
        "En bref : Au 1er juillet 2022, base TTC : engagement 60 000 €, mandatement 40 000 €, "
        "versement 40 000 € ; alloué 100 000 €."
    ) in shown

    def drawn(page):
        return [s for s in charts_sent(page) if "(cumul)" in s["data"][0]["name"]]

    [cumulative] = drawn(at)
    assert [t["name"] for t in cumulative["data"]] == ["Engagé (cumul)", "Mandaté (cumul)",
                                                       "Versé (cumul)"]  # fmt: skip
    assert [a["text"] for a in cumulative["layout"]["annotations"]] == [
        "Alloué : 100\u202f000\u00a0€"
    ]

    def flow_table(page):
        [found] = [t for t in (d.value for d in page.dataframe)
                   if list(t.columns) == ["Date", "Étape", "Montant", "Cumul"]]  # fmt: skip
        return found

    flow = flow_table(at)
    assert set(flow["Cumul"]) == {fmt.money(60000), fmt.money(40000)} and len(flow) == 3
    again = at.run()  # the next view: the same chart and table, from the kept parts
    assert drawn(again) == [cumulative]
    assert flow_table(again).equals(flow)


def test_many_incomplete_subsidies_are_listed_ten_then_downloaded(app, db_path):
    """Twelve subsidies of 2022 that the record does not complete: the page lists ten
    and offers the whole list as a file, rather than hundreds of lines in one warning."""
    from dashboard.tracker import budget
    from dashboard.tracker.db import Database
    from tests.conftest import ADMIN

    with Database(db_path) as db:
        programme = db.scalar("select id from programme where code = 'MODERN-PV-2022'")
        for n in range(11):
            budget.create_budget_line(db, ADMIN, programme_id=programme, fiscal_year=2022,
                                      tax_basis="TTC", amount="1000", label=f"Fictive {n}")  # fmt: skip
    at = open_page(app, "budget", programme="MODERN-PV-2022")
    assert not at.exception, at.exception
    [warning] = [w.value for w in at.warning if "Ce que le dossier ne dit pas encore" in w.value]
    assert plain(warning).count("- Ligne budgétaire n°") == 10
    assert "… et 2 autres lignes incomplètes : la liste entière est à télécharger" in plain(warning)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ce qui manque aux subventions 2022 (.csv)" in labels
