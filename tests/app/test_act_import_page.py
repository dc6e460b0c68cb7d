"""AppTest: the review of an imported act. The text pasted, its facts proposed beside
it, the diff shown: nothing written before the confirmation, everything after, in
one transaction (one « load » in the audit)."""

from __future__ import annotations

from pathlib import Path

from dashboard.tracker.access import Actor
from tests.helpers import page_text, snapshot

ADMIN = Actor("admin", "administrateur", "Admin")
CONVENTION = (Path(__file__).parents[2] / "data" / "sources"
              / "convention-2022-modernisation-politique-de-la-ville.md")  # fmt: skip
AVENANT = (Path(__file__).parents[2] / "data" / "sources"
           / "avenant-2-evaluation-contrats-de-ville-2015-2020.md")  # fmt: skip
#: a convention the seeded database does not hold
OTHER = Path(__file__).parents[1] / "fixtures" / "actes" / "convention-tableau.txt"


def read_act(signed_in, path: Path):
    at = signed_in(ADMIN, "app_pages/act_import.py")
    assert not at.exception, at.exception
    at.text_area[0].input(path.read_text(encoding="utf-8"))
    [button] = [b for b in at.button if b.label == "Lire l'acte"]
    return button.click().run()


def test_nothing_is_written_before_the_confirmation_everything_after(signed_in):
    from dashboard.ui import data

    at = read_act(signed_in, OTHER)
    before = snapshot(data.database())
    loads = data.database().scalar("select count(*) from audit_log where operation = 'load'")
    assert not at.exception, at.exception
    assert "Indiquez le programme" in page_text(at)
    at.selectbox(key="import-programme").set_value("__new__").run()
    at.text_input(key="import-new-code").input("MODERNISATION-BIS").run()
    shown = page_text(at)
    assert "Ce que l'import changerait" in shown
    assert "création : programme « MODERNISATION-BIS »" in shown
    assert "création : ligne budgétaire 2023 (MODERNISATION-BIS)" in shown
    marked = [h.proto.body for h in at.html if '<mark id="passage">' in h.proto.body]
    assert marked and "CONVENTION" in marked[0].upper()  # the title's passage
    assert snapshot(data.database()) == before  # read and previewed: nothing written
    [confirm] = [b for b in at.button if b.label == "Confirmer l'import"]
    at = confirm.click().run()
    assert not at.exception, at.exception
    assert any("Import enregistré" in s.value for s in at.success)
    db = data.database()
    assert db.scalar("select count(*) from legal_act a join programme p on p.id = a.programme_id "
                     "where p.code = 'MODERNISATION-BIS'") == 1  # fmt: skip
    # one operation in the audit names the import (each record has its own row too)
    assert db.scalar("select count(*) from audit_log where operation = 'load'") == loads + 1


def test_the_source_avenant_is_already_in_the_seeded_database(signed_in):
    from dashboard.ui import data

    before = snapshot(data.database())
    at = read_act(signed_in, AVENANT)
    assert "rien à écrire" in page_text(at)
    assert snapshot(data.database()) == before


def test_an_act_already_recorded_is_completed_not_doubled(signed_in):
    """The 2022 convention read again: the import plans to complete the recorded act in
    its programme (here nothing to add), never a second copy in a new programme."""
    from dashboard.ui import data

    before = snapshot(data.database())
    at = read_act(signed_in, CONVENTION)
    assert not at.exception, at.exception
    assert "rien à écrire" in page_text(at)
    assert "Indiquez le programme" not in page_text(at)
    assert snapshot(data.database()) == before


def test_a_masked_name_is_said_masked_not_proposed(signed_in):
    """A published copy whose names are masks: the parties' table proposes no name and
    says, for each, that the text masks it — not an empty cell read as « non trouvé »."""
    masked = (Path(__file__).parents[1] / "fixtures" / "actes"
              / "reglage-21-mesure2-anonymise-occultations.txt")  # fmt: skip
    at = read_act(signed_in, masked)
    assert not at.exception, at.exception
    parties = next(t.value for t in at.dataframe if "Remarque" in t.value.columns)
    assert list(parties["Représentée par"]) == ["", ""]  # « [Nom Prénom] », « X... »
    assert list(parties["Remarque"]) == [
        "représentant : masqué dans le texte ; signataire : masqué dans le texte",
        "représentant : masqué dans le texte ; signataire : masqué dans le texte",
    ]
