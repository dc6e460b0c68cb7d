"""Conseils citoyens page: a contributeur creates a council on two QPV, designates a
member and records an opinion; the page then shows them; a reader sees the council and
its members, an anonymous screen only the counts; a bad date writes nothing."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import citizen_councils as cc
from dashboard.tracker.access import Actor
from tests.conftest import ADMIN
from tests.helpers import page_text, plain, snapshot
from tests.tracker.evaluation_calls import qpv

LEAD = Actor("lea", "contributeur", "Léa")
READER = Actor("marc", "lecteur", "Marc")
PAGE = "app_pages/citizen_councils.py"


def field(at, label: str):
    return next(w for w in at.text_input if w.label == label)


def submit(at, label: str):
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def test_a_contributor_creates_a_council_and_designates_a_member(signed_in):
    from dashboard.ui import data

    qpv(data.database(), "QN01301M", "Quartier A")
    qpv(data.database(), "QN01302M", "Quartier B")
    at = signed_in(LEAD, PAGE)
    assert not at.exception, at.exception
    field(at, "Nom du conseil citoyen").input("Conseil citoyen Nord")
    at.multiselect[0].set_value([1, 2])
    at = submit(at, "Créer le conseil citoyen")
    assert not at.exception
    assert any(
        "Conseil citoyen « Conseil citoyen Nord » créé" in plain(s.value) for s in at.success
    )
    at = signed_in(LEAD, PAGE, onglet="Membre")
    at.selectbox(key=next(k for k in (s.key for s in at.selectbox) if "council-member" in str(k)
                          and k.endswith("-council"))).set_value(1)  # fmt: skip
    field(at, "Nom du membre (personne ou structure)").input("Awa Diallo")
    at.selectbox(key=next(s.key for s in at.selectbox if str(s.key).endswith("-college"))
                 ).set_value("residents")  # fmt: skip
    field(at, "Désigné le (JJ/MM/AAAA)").input("10/01/2016")
    at = submit(at, "Désigner ce membre")
    assert not at.exception
    shown = page_text(at)
    assert "Conseil citoyen Nord" in shown and "Quartier A, Quartier B" in shown
    assert "Awa Diallo" in shown and "habitants" in shown


def test_a_bad_date_writes_nothing(signed_in):
    from dashboard.ui import data

    council = cc.create_council(data.database(), ADMIN, name="Conseil citoyen Sud",
                                qpv_ids=[qpv(data.database())])  # fmt: skip
    at = signed_in(LEAD, PAGE, onglet="Membre")
    before = snapshot(data.database())
    at.selectbox(key=next(s.key for s in at.selectbox if str(s.key).startswith("council-member")
                          and str(s.key).endswith("-council"))).set_value(council)  # fmt: skip
    field(at, "Nom du membre (personne ou structure)").input("Jean Martin")
    at.selectbox(key=next(s.key for s in at.selectbox if str(s.key).endswith("-college"))
                 ).set_value("local_actors")  # fmt: skip
    field(at, "Désigné le (JJ/MM/AAAA)").input("31/02/2016")
    at = submit(at, "Désigner ce membre")
    assert not at.exception
    assert at.error and snapshot(data.database()) == before


def test_names_are_for_signed_in_people_only(signed_in, db_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.resources import app_file
    from dashboard.tracker.db import Database

    with Database(db_path) as db:
        council = cc.create_council(db, ADMIN, name="Conseil citoyen Est", qpv_ids=[qpv(db)])
        cc.add_member(db, ADMIN, council_id=council, full_name="Awa Diallo",
                      college="residents", appointed_on=dt.date(2016, 1, 10))  # fmt: skip
    at = signed_in(READER, PAGE)
    assert "Awa Diallo" in page_text(at)
    assert "Enregistrer l'avis" not in [b.label for b in at.button]  # no forms for a reader
    monkeypatch.setenv("CDV_PUBLIC_READ", "1")
    anonymous = AppTest.from_file(str(app_file()), default_timeout=60)
    anonymous.run()
    anonymous.switch_page(PAGE).run()
    shown = page_text(anonymous)
    assert "Conseil citoyen Est" in shown and "Awa Diallo" not in shown
