"""Acts read from their text: the two source acts give back the curated seed facts
field by field, and importing them into the seeded database changes nothing; French
forms (articles, amounts, dates, blanks), .docx and PDF, the command line, and the
precision and recall on documents of other layouts."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import tomllib
from decimal import Decimal as D
from pathlib import Path

import pytest

from dashboard.ingest import act_import, act_text, french
from dashboard.ingest.load import load
from dashboard.tracker.errors import ValidationError
from tests.conftest import ADMIN
from tests.ingest_quality import measure, ratios

ROOT = Path(__file__).parents[2]
SOURCES = ROOT / "data" / "sources"
AVENANT = SOURCES / "avenant-2-evaluation-contrats-de-ville-2015-2020.md"
CONVENTION = SOURCES / "convention-2022-modernisation-politique-de-la-ville.md"
FIXTURES = ROOT / "tests" / "fixtures" / "actes"
SEED = tomllib.load(open(ROOT / "data" / "seed" / "acts.toml", "rb"))
PEOPLE = {p["key"]: p["full_name"] for p in SEED["persons"]}
ORGS = {o["key"]: o["code"] for o in SEED["organisations"]}


def seed_act(key: str) -> dict:
    return next(a for a in SEED["acts"] if a["key"] == key)


def extracted(path: Path) -> act_text.Extraction:
    return act_text.extract(act_text.read_text(path))


@pytest.mark.parametrize(("path", "key", "programme"), [
    (AVENANT, "avenant2", "eval"), (CONVENTION, "conv2022", "modern")])  # fmt: skip
def test_the_source_acts_give_back_the_seed_field_by_field(path, key, programme):
    act, found = seed_act(key), extracted(path)
    for name in ("kind", "number", "title", "effective_rule", "ends_on", "deliberation_body",
                 "deliberation_date", "deliberation_number", "signed_on", "concluded_on"):  # fmt: skip
        assert getattr(found, name).value == act.get(name), name
    assert found.amends.value == (seed_act(act["amends"])["reference"] if "amends" in act else None)
    assert [p["represented_by"].value for p in found.parties] == [
        PEOPLE[p["represented_by"]] for p in act["parties"]]  # fmt: skip
    assert [p["signatory"].value for p in found.parties] == [
        PEOPLE[p["signatory"]] for p in act["parties"]]  # fmt: skip
    [line] = [b for b in SEED["budget_lines"] if b["act"] == key]
    [amount] = found.amounts
    assert (amount["amount"].value, amount["fiscal_year"].value, amount["tax_basis"]) == (
        D(line["amount"]), line["fiscal_year"], line["tax_basis"])  # fmt: skip
    seed_kinds = {(c["kind"], c.get("days"), c.get("months")) for c in act["clauses"]}
    found_kinds = {(c["kind"], c.get("days"), c.get("months")) for c in found.clauses}
    assert found_kinds == seed_kinds
    orientations = [o for o in SEED["orientations"] if o["programme"] == programme]
    assert [o["title"].value for o in found.orientations] == [o["title"] for o in orientations]
    phase_of = {p["key"]: p["number"] for p in SEED["phases"]}
    assert [o["phase"] for o in found.orientations] == [phase_of.get(o.get("phase"))
                                                         for o in orientations]  # fmt: skip
    [committee] = [c for c in SEED["committees"] if c["programme"] == programme]
    assert found.committee.value == committee["kind"]
    if key == "avenant2":
        assert [(p["number"], p["title"].value) for p in found.phases] == [
            (p["number"], p["title"]) for p in SEED["phases"]]  # fmt: skip
        assert found.amends_concluded_on.value == seed_act("conv2017")["concluded_on"]


def test_every_fact_cites_its_article_and_a_verbatim_excerpt():
    for path in (AVENANT, CONVENTION):
        text = " ".join(act_text.read_text(path).split()).replace("**", "")
        found = extracted(path)
        facts = [found.title, found.ends_on, found.effective_rule, found.committee,
                 *[a["amount"] for a in found.amounts], *[o["title"] for o in found.orientations]]  # fmt: skip
        for fact in facts:
            assert fact.article and fact.excerpt and len(fact.excerpt) <= 300
            assert " ".join(fact.excerpt.split()) in text, fact.excerpt


@pytest.mark.parametrize("path", [AVENANT, CONVENTION])
def test_importing_a_source_act_into_the_seeded_database_changes_nothing(db, path):
    programme = "MODERN-PV-2022" if path is CONVENTION else None
    facts = act_import.plan(db, extracted(path), path.name, programme)
    report = load(db, ADMIN, facts, origin=path.name, dry_run=True)
    assert report.empty, report.lines()


def test_a_new_convention_is_written_with_its_facts(empty_db):
    facts = act_import.plan(empty_db, extracted(CONVENTION), CONVENTION.name, "MODERNISATION-BIS")
    report = load(empty_db, ADMIN, facts, origin=CONVENTION.name)
    assert "programme « MODERNISATION-BIS »" in " ".join(report.created)
    act = empty_db.records("acts", as_of=dt.date(2022, 12, 31), programme_code="MODERNISATION-BIS")
    assert [(a["kind"], a["ends_on"]) for a in act] == [("agreement", dt.date(2022, 12, 31))]
    lines = empty_db.records("budget_lines", as_of=dt.date(2022, 12, 31),
                             programme_code="MODERNISATION-BIS")  # fmt: skip
    assert [(line["amount"], line["tax_basis"]) for line in lines] == [(D("100000.00"), "TTC")]
    assert empty_db.scalar("select count(*) from orientation") == 4
    assert empty_db.scalar("select days from clause where kind = 'amicable_settlement'") == 30
    assert empty_db.scalar("select months from clause where kind = 'termination_notice'") == 6
    again = load(empty_db, ADMIN, act_import.plan(empty_db, extracted(CONVENTION),
                                                 CONVENTION.name, "MODERNISATION-BIS"),
                 origin=CONVENTION.name, dry_run=True)  # fmt: skip
    assert again.empty, again.lines()


def test_an_avenant_to_a_convention_the_database_lacks_is_refused(empty_db):
    with pytest.raises(ValidationError, match="DEVT 013-2609/17/BM.*pas dans la base"):
        act_import.plan(empty_db, extracted(AVENANT), AVENANT.name, None)


@pytest.mark.parametrize(("line", "number"), [
    ("Article 1er", 1), ("Article 2 :", 2), ("ARTICLE II", 2), ("Article premier – Objet", 1),
    ("**Article 4 : Durée**", 4), ("ARTICLE IV - DURÉE", 4), ("Art. 12", 12)])  # fmt: skip
def test_article_headings(line, number):
    heading = french.ARTICLE.match(act_text.clean_line(line))
    assert heading and french.article_number(heading.group(1)) == number


@pytest.mark.parametrize(("text", "value", "basis"), [
    ("un montant de 100 000 € pour 2020", D("100000"), "unspecified"),
    ("une subvention de 100.000 euros", D("100000"), "unspecified"),
    ("soit 100 000,00 € HT", D("100000.00"), "HT"),
    ("la somme de cent mille euros", D("100000"), "unspecified"),
    ("deux cent cinquante mille euros TTC", D("250000"), "TTC"),
    ("est de 100 000 € TTC.", D("100000"), "TTC"),
    ("1 250 000 EUR hors taxes", D("1250000"), "HT")])  # fmt: skip
def test_amounts(text, value, basis):
    [(_, found, found_basis, _)] = french.amounts(text)
    assert (found, found_basis) == (value, basis)


@pytest.mark.parametrize(("text", "day"), [
    ("à compter du 1er janvier 2021", dt.date(2021, 1, 1)),
    ("prend fin le 31/12/2022", dt.date(2022, 12, 31)),
    ("conclue le 22 novembre 2017", dt.date(2017, 11, 22)),
    ("le 21 Mars 2019", dt.date(2019, 3, 21)),
    ("le 31 février 2021", None)])  # fmt: skip
def test_dates(text, day):
    assert french.date(text) == day


@pytest.mark.parametrize("text", ["Fait à Marseille, le.....en 2 exemplaires",
                                  "Fait à Marseille, le …… ", "Fait à Aix, le ____"])  # fmt: skip
def test_a_blank_date_is_unknown_never_a_value(text):
    found = act_text.extract(f"Convention test\n\nArticle 1 Objet\n\nTexte.\n\n{text}\n")
    assert found.signed_on.value is None and french.is_blank(text)


def test_a_blank_deliberation_number_is_unknown():
    found = extracted(AVENANT)
    assert found.deliberation_number.value is None
    assert "n°....." in found.deliberation_date.excerpt


def test_docx_and_pdf_give_the_same_facts(tmp_path):
    import docx
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines = [act_text.clean_line(x) for x in act_text.read_text(CONVENTION).splitlines()]
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(tmp_path / "acte.docx")
    pdf = canvas.Canvas(str(tmp_path / "acte.pdf"), pagesize=A4)
    y = 800
    for line in lines:  # wrapped at words, as a word processor does
        for piece in textwrap.wrap(line, 95) or [""]:
            pdf.drawString(40, y, piece.replace("’", "'"))
            y -= 14
            if y < 40:
                pdf.showPage()
                y = 800
        if not line:
            y -= 8
    pdf.save()
    reference = extracted(CONVENTION)
    for name in ("acte.docx", "acte.pdf"):
        found = extracted(tmp_path / name)
        assert (found.kind.value, found.ends_on.value, found.effective_rule.value) == (
            reference.kind.value, reference.ends_on.value, reference.effective_rule.value), name  # fmt: skip
        assert [(a["amount"].value, a["tax_basis"]) for a in found.amounts] == [
            (D("100000"), "TTC")], name  # fmt: skip
        assert {c["kind"] for c in found.clauses} >= {"financing", "duration", "termination_notice"}


def test_unreadable_files_get_a_french_message(tmp_path):
    (tmp_path / "faux.docx").write_bytes(b"pas un document")
    (tmp_path / "faux.pdf").write_bytes(b"%PDF-1.4 tronque")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    for name, words in (("faux.docx", "Word"), ("faux.pdf", "PDF"), ("image.png", "Format")):
        with pytest.raises(ValidationError, match=words):
            act_text.read_text(tmp_path / name)


def test_precision_and_recall_on_other_layouts():
    rows = measure()
    tuned = [r for r in rows if not r["held_out"]]
    issue_21 = [r for r in rows if r["document"].startswith("tenu-a-l-ecart-21")]
    held_out = [r for r in rows if r["held_out"] and r not in issue_21]
    assert ratios(tuned) == (1.0, 1.0)
    precision, recall = ratios(held_out)
    assert precision == 1.0  # what it proposes is right: it never invents
    assert recall >= 0.7  # what it misses stays « non trouvé » for the reviewer
    # issue 21's last held-out set: eight documents written before this version was run
    # on them and never used to tune it, measured as found (the README gives the figures
    # of every set: 88 to 99 % precision at their first reading for the eight before it)
    precision, recall = ratios(issue_21)
    assert len(issue_21) == 8
    assert precision == 1.0 and recall >= 0.85


def test_the_command_line_prints_json_writes_toml_and_imports(db_path, tmp_path, capsys):
    from dashboard.cli import main

    assert main(["import", "act", str(CONVENTION), "--dry-run", "--db", str(db_path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["ends_on"]["value"] == "2022-12-31" and printed["signed_on"] == "non trouvé"
    out = tmp_path / "extraction.toml"
    # the 2022 convention is already recorded: importing it again completes that act (here:
    # nothing to add) instead of creating a second one in another programme
    assert main(["import", "act", str(CONVENTION), "--programme", "COPIE-2022", "--toml",
                 str(out), "--db", str(db_path)]) == 1  # fmt: skip
    assert "Cet acte est déjà enregistré" in capsys.readouterr().err
    assert main(["import", "act", str(CONVENTION), "--toml", str(out), "--db", str(db_path)]) == 0
    planned = tomllib.loads(out.read_text())["acts"][0]
    assert planned["programme"] == "MODERN-PV-2022"
    assert planned["ends_on"] == dt.date(2022, 12, 31)
    capsys.readouterr()
    assert main(["load", str(out), "--db", str(db_path)]) == 0
    assert "0 création(s), 0 modification(s)" in capsys.readouterr().out
    assert main(["import", "act", str(AVENANT), "--yes", "--db", str(db_path)]) == 0
    assert "rien à écrire" in capsys.readouterr().out


def test_the_reviewer_corrects_any_field_and_the_import_follows(empty_db):
    from dashboard.ingest import act_review

    found = extracted(CONVENTION)
    fields = act_review.fields_rows(found)
    for row in fields:
        if row["Champ"] == "Terme":
            row["Valeur"] = "30/06/2023"
        if row["Champ"] == "Signé le":
            row["Valeur"] = "14 février 2022"
    corrected = act_review.apply_fields(found, fields)
    parties = act_review.parties_rows(corrected)
    parties[1]["Signataire"] = "Claire Exemple"
    corrected = act_review.apply_parties(corrected, parties)
    clauses = act_review.clauses_rows(corrected)
    next(c for c in clauses if c["Type"] == "règlement amiable des litiges")["Jours"] = 45
    corrected = act_review.apply_clauses(corrected, clauses)
    amounts = act_review.amounts_rows(corrected)
    amounts.append({"Montant (€)": "20000", "Exercice": 2023, "Base": "TTC", "Extrait": ""})
    corrected = act_review.apply_amounts(corrected, amounts)
    assert corrected.ends_on.value == dt.date(2023, 6, 30)
    assert corrected.ends_on.article == "Article 4"  # the passage it corrects stays cited
    facts = act_import.plan(empty_db, corrected, CONVENTION.name, "REVU-2022")
    load(empty_db, ADMIN, facts, origin=CONVENTION.name)
    act = empty_db.records("acts", as_of=dt.date(2023, 1, 1), programme_code="REVU-2022")[0]
    assert (act["ends_on"], act["signed_on"]) == (dt.date(2023, 6, 30), dt.date(2022, 2, 14))
    assert empty_db.scalar("select days from clause where kind = 'amicable_settlement'") == 45
    assert empty_db.scalar("select count(*) from person where full_name = 'Claire Exemple'") == 1
    assert empty_db.scalar("select count(*) from budget_line where fiscal_year = 2023") == 1


def test_a_value_the_reviewer_mistypes_is_refused_in_french():
    from dashboard.ingest import act_review

    found = extracted(CONVENTION)
    fields = act_review.fields_rows(found)
    next(r for r in fields if r["Champ"] == "Terme")["Valeur"] = "fin 2022"
    with pytest.raises(ValidationError, match="Terme.*date non reconnue"):
        act_review.apply_fields(found, fields)


def test_a_mask_is_never_proposed_as_a_name(empty_db):
    """An anonymised copy: « XXXXXX », « Xxxxxx Xxxxxxx » and « [...] » are masks, left
    « masqué dans le texte » for the reviewer, never a person."""
    text = (FIXTURES / "reglage-21-masques.txt").read_text()
    found = act_text.extract(text)
    people = [p[k] for p in found.parties for k in ("represented_by", "signatory")]
    assert all(not fact.found for fact in people)
    assert {fact.note for fact in people} == {act_text.MASKED}
    planned = act_import.plan(empty_db, found, "copie.txt", "ANONYME")
    assert "persons" not in planned
    assert act_text.Extraction.as_json(found)["parties"][0]["represented_by"] == act_text.MASKED


def test_names_roles_and_deliberations_as_real_acts_write_them():
    found = act_text.extract((FIXTURES / "reglage-21-prenoms.txt").read_text())
    first, second = found.parties
    assert first["represented_by"].value == "Marie Claire Durand"  # not « Marie Claire »
    assert first["role"].value == "vice-présidente déléguée"
    assert second["represented_by"].value == "Jean-Baptiste Leblanc-Moreau"
    assert second["role"].value == "directeur"  # stops before « d'autre part »
    assert found.kind.value == "cpo"  # « convention pluriannuelle d'objectifs »
    masked = act_text.extract((FIXTURES / "reglage-21-masques.txt").read_text())
    # cited in a party's paragraph, without the body that took it
    assert (masked.deliberation_number.value, masked.deliberation_date.value) == (
        "22-45",
        dt.date(2022, 3, 3),
    )
    assert masked.deliberation_body.value is None


def test_an_association_or_a_collectivite_gets_its_kind(empty_db):
    found = act_text.extract((FIXTURES / "reglage-21-masques.txt").read_text())
    planned = act_import.plan(empty_db, found, "copie.txt", "ANONYME")
    kinds = {o["name"]: o["kind"] for o in planned["organisations"]}
    assert kinds == {
        "Ville fictive de Champvert": "local_authority",
        "association Ateliers du quartier fictive": "association",
    }
