"""A citation has one type and one way to print it: every page, slide, note, calendar
entry and correction note goes through ``citation.cite``; a missing source always reads
« source non renseignée »."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.tracker import fmt
from dashboard.tracker.citation import MISSING, Source, cite, cite_row, of

ROOT = Path(__file__).parent.parent


def test_a_source_is_printed_one_way():
    source = Source("Avenant n° 2", "Article 1", "Les orientations sont…")
    assert cite(source) == "Avenant n° 2, Article 1"
    assert cite(source, excerpt=True) == "Avenant n° 2, Article 1 — « Les orientations sont… »"
    assert cite(source, label=True) == "Source : Avenant n° 2, Article 1"
    assert cite(Source("Rapport", page=12)) == "Rapport, p. 12"
    assert cite(Source("Note interne")) == "Note interne"  # never « , None »


def test_a_missing_source_reads_the_same_everywhere():
    assert cite(None) == MISSING == "source non renseignée"
    assert cite(None, label=True) == "Source : non renseignée"
    assert cite_row({"source_document": None, "source_article": None}) == MISSING
    assert cite_row({"source": None}, label=True) == "Source : non renseignée"


def test_rows_carry_their_source_flat_or_nested():
    flat = {"source_document": "Convention", "source_article": "Article 4",
            "source_excerpt": "pourra donner lieu à avenant"}  # fmt: skip
    nested = {"source": {"document": "Convention", "article": "Article 4",
                         "excerpt": "pourra donner lieu à avenant"}}  # fmt: skip
    assert (
        of(flat) == of(nested) == Source("Convention", "Article 4", "pourra donner lieu à avenant")
    )
    assert of({"document": "Acte", "article": "Art. 2"}, prefix="") == Source("Acte", "Art. 2")
    assert of(None) is None


def test_no_module_prints_a_source_by_hand():
    """Outside citation.py, no f-string joins a source's document and article: they go
    through cite (and the sentinel date through fmt.EVERY_DATE)."""
    by_hand = re.compile(r"\{[^}]*\[?['\"]?(source_)?document['\"]?\]?\}, \{[^}]*article")
    offenders = []
    for path in (ROOT / "dashboard").rglob("*.py"):
        if path.name == "citation.py":
            continue
        text = path.read_text()
        if by_hand.search(text) or "date(2100, 12, 31)" in text and path.name != "fmt.py":
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    assert fmt.EVERY_DATE >= fmt.LATEST_DATE
