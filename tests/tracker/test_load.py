"""``cdv load``: a file in the seed's TOML format loads through the write services in
one transaction; a dry run says what would change and writes nothing; loading twice
changes nothing; a changed value is corrected with the file as its reason; a bad file
is refused whole; ``cdv init`` names the seed's records a database lacks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard.ingest.load import load, make_demo, read
from dashboard.ingest.seed import missing_from_seed
from dashboard.tracker.errors import ValidationError
from tests.conftest import ADMIN
from tests.helpers import snapshot

EXAMPLE = Path(__file__).parents[2] / "data" / "examples" / "semaine-type.toml"


def demo_example(db) -> dict:
    """The fictional example's facts, for ``db`` made a demonstration database (the
    only kind that takes them)."""
    make_demo(db)
    return read(EXAMPLE)


def test_the_example_week_loads_then_changes_nothing(db):
    facts = demo_example(db)
    before = snapshot(db)
    dry = load(db, ADMIN, facts, origin="semaine-type.toml", dry_run=True)
    assert dry.created and snapshot(db) == before  # a dry run reports and writes nothing
    report = load(db, ADMIN, facts, origin="semaine-type.toml")
    assert report.lines() == dry.lines()
    assert "création : programme « EVAL-CDV-2024-2030 »" in report.lines()
    again = load(db, ADMIN, facts, origin="semaine-type.toml")
    assert again.empty and again.unchanged == len(report.created)


def test_the_extension_moves_the_term_from_its_signature_only(db):
    load(db, ADMIN, demo_example(db), origin="semaine-type.toml")

    def term(day: dt.date) -> dt.date:
        [convention] = [
            a for a in db.records("acts", as_of=day, programme_code="MODERN-PV-2022")
            if a["kind"] == "agreement"
        ]  # fmt: skip
        return convention["term_on"]

    assert term(dt.date(2022, 9, 30)) == dt.date(2022, 12, 31)  # the past does not move
    assert term(dt.date(2022, 12, 12)) == dt.date(2023, 12, 31)
    lines = db.records("budget_lines", as_of=dt.date(2022, 12, 31), programme_code="MODERN-PV-2022")
    assert [(r["fiscal_year"], r["amount"]) for r in lines] == [
        (2022, Decimal("100000.00")),
        (2023, Decimal("50000.00")),  # counts from the avenant's signature
    ]
    summer = db.records("budget_lines", as_of=dt.date(2022, 9, 30), programme_code="MODERN-PV-2022")
    assert [r["fiscal_year"] for r in summer] == [2022]


def test_a_changed_value_is_corrected_with_the_file_as_reason(db, tmp_path):
    facts = demo_example(db)
    load(db, ADMIN, facts, origin="semaine-type.toml")
    facts["budget_lines"][0]["amount"] = "55000.00"
    report = load(db, ADMIN, facts, origin="semaine-type-v2.toml")
    assert report.changed == ["ligne budgétaire 2023 (MODERN-PV-2022) : amount → 55000.00"]
    [entry] = db.records("corrections", entity="budget_line")[:1] or [None]
    audit = db.records("audit_trail", entity="budget_line", limit=1)[0]
    assert audit["reason"] == "Chargement de semaine-type-v2.toml"
    assert entry is None  # the line has no source: not a correction of what an act says


def test_a_bad_record_refuses_the_whole_file(db):
    facts = demo_example(db)
    facts["actions"][2]["ends_on"] = "2020-01-01"  # before its start
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        load(db, ADMIN, facts, origin="semaine-type.toml")
    message = caught.value.message
    assert "[[actions]] n° 3" in message and "précède" in message
    assert "Rien n'a été enregistré" in message
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda f: f["acts"][0].update(amends={"programme": "INCONNU", "kind": "agreement"}),
         "introuvable"),
        (lambda f: f["budget_lines"][0].update(amount=50000.5), "entre guillemets"),
        (lambda f: f["budget_lines"][0].update(amount="50.000"), "ambigu"),
        (lambda f: f["actions"][0].pop("programme"), "orientation, sa phase ou son programme"),
        (lambda f: f["programmes"][0].pop("code"), "code"),
    ],
    ids=["référence inconnue", "montant flottant", "montant ambigu", "action sans parent",
         "champ manquant"],
)  # fmt: skip
def test_bad_files_are_refused_in_french(db, change, fragment):
    facts = demo_example(db)
    change(facts)
    before = snapshot(db)
    with pytest.raises(ValidationError, match=fragment):
        load(db, ADMIN, facts, origin="semaine-type.toml")
    assert snapshot(db) == before


def test_a_file_that_is_not_toml(tmp_path):
    path = tmp_path / "faux.toml"
    path.write_text("[[acts]\ntitle = ", encoding="utf-8")
    with pytest.raises(ValidationError, match="n'est pas un TOML valide"):
        read(path)


def test_init_names_the_seed_records_a_database_lacks(db):
    assert missing_from_seed(db) == []
    with db.transaction() as cur:  # as if the 2022 findings had never been loaded
        cur.execute("delete from programme_note where position = 7")
    assert missing_from_seed(db) == [
        "note « De nouvelles préoccupations nées avec de nouveaux sujets »"
    ]


def test_a_party_that_exists_gets_the_representative_and_signatory_the_file_gives(db):
    """Was « déjà à jour » while skipping them: every field given is written, or refused."""
    from dashboard.ingest.seed import load_facts

    facts = load_facts()
    [conv2017] = [a for a in facts["acts"] if a["key"] == "conv2017"]
    conv2017["parties"][0]["represented_by"] = "vassal"  # the 2017 convention's, newly known
    conv2017["parties"][0]["signatory"] = "fructus"
    report = load(db, ADMIN, facts, origin="acts-v2.toml")
    assert any(
        line.startswith("modification : partie « amp » à l'acte")
        and "représentant → Martine Vassal" in line
        and "signataire → Arlette Fructus" in line
        for line in report.lines()
    ), report.lines()
    row = db.records("acts", as_of=dt.date(2018, 1, 1), programme_code="EVAL-CDV-2015-2020")[0]
    assert "Martine Vassal" in row["representatives"]
    again = load(db, ADMIN, facts, origin="acts-v2.toml")
    assert again.empty  # now it is up to date


def test_an_excerpt_not_in_the_acts_text_is_refused_with_its_article(db):
    from dashboard.ingest.seed import load_facts

    facts = load_facts()
    facts["acts"][1]["clauses"][2]["source"]["excerpt"] = (
        "La Métropole versera 150 000 € pour 2020."  # not what article 2 says
    )
    before = snapshot(db)
    with pytest.raises(ValidationError) as refused:
        load(db, ADMIN, facts, origin="acts-faux.toml")
    said = refused.value.message
    assert "« Article 2 : Conditions financières » ne figure pas mot pour mot" in said
    assert "avenant-2-evaluation-contrats-de-ville-2015-2020.md" in said
    assert snapshot(db) == before


def test_an_origin_in_the_file_dates_the_record_it_creates(empty_db):
    facts = {
        "programmes": [{"key": "p", "code": "PROG-ORIG", "title": "Programme", "kind": "other"}],
        "phases": [
            {"programme": "p", "number": 1, "title": "Phase lancée en 2021",
             "origin": {"on": dt.date(2021, 3, 1), "reason": "Compte rendu du 1er mars 2021"}},
        ],
    }  # fmt: skip
    load(empty_db, ADMIN, facts, origin="origine.toml")
    [row] = empty_db.records("record_origin", entity="phase", entity_id=1)
    assert (row["starts_on"], row["basis"]) == (dt.date(2021, 3, 1), "stated")
    facts["phases"][0]["origin"] = {"oops": 1}
    with pytest.raises(ValidationError, match="« origin » attend"):
        load(empty_db, ADMIN, facts, origin="origine.toml")


def test_an_action_carries_the_axes_of_its_contrat_de_ville(db):
    """A contrat de ville's « axes » or « piliers », as the act names them: tags an action
    carries, loaded from a file, changed, removed (kept in the audit)."""
    from dashboard.tracker import work

    facts = {"actions": [{"programme": "MODERN-PV-2022", "title": "Ateliers emploi (fictif)",
                          "axes": ["Emploi et développement économique", "Cohésion sociale"]}]}  # fmt: skip
    report = load(db, ADMIN, facts, origin="axes.toml")
    assert "création : action « Ateliers emploi (fictif) »" in report.lines()
    [row] = db.records("action_axes", programme_code="MODERN-PV-2022")
    assert row["axes"] == ["Emploi et développement économique", "Cohésion sociale"]
    assert load(db, ADMIN, facts, origin="axes.toml").empty  # loading twice changes nothing
    work.set_action_axes(db, ADMIN, row["action_id"], axes=["Cohésion sociale"])
    [row] = db.records("action_axes", programme_code="MODERN-PV-2022")
    assert row["axes"] == ["Cohésion sociale"]
    cancelled = db.scalar("select count(*) from action_axis where cancelled_at is not null")
    assert cancelled == 1


@pytest.mark.parametrize("flag", ['"true"', '"oui"', "1"])
def test_a_fictional_flag_that_is_not_a_boolean_is_refused(db, tmp_path, flag):
    """« fictional = "true" » (a string) used to pass the demo-only guard."""
    path = tmp_path / "faux.toml"
    path.write_text(f"fictional = {flag}\n" + EXAMPLE.read_text(encoding="utf-8").replace(
        "fictional = true\n", ""), encoding="utf-8")  # fmt: skip
    before = snapshot(db)
    with pytest.raises(ValidationError, match="sans guillemets"):
        load(db, ADMIN, read(path), origin=path.name)
    assert snapshot(db) == before


def test_the_fictional_example_is_refused_by_a_real_database(db):
    before = snapshot(db)
    with pytest.raises(ValidationError, match="données fictives"):
        load(db, ADMIN, read(EXAMPLE), origin="semaine-type.toml")
    assert snapshot(db) == before
