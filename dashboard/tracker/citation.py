"""How a fact's source is cited: one type (``Source``: document, article, excerpt, and
a page for a document without articles) and one way to print it (``cite``). A missing
source always reads « source non renseignée »."""

from __future__ import annotations

from dataclasses import dataclass

#: what a fact without a recorded source says
MISSING = "source non renseignée"


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: document, article and a short excerpt (<= 300
    characters); ``page`` for a document cited by page (an indicator's value)."""

    document: str
    article: str | None = None
    excerpt: str | None = None
    page: str | int | None = None


def of(row: dict | None, prefix: str = "source_") -> Source | None:
    """The source a read row carries: its ``source_document``, ``source_article``,
    ``source_excerpt`` (and ``source_page``) columns, or a nested ``source`` dict with
    ``document``, ``article``, ``excerpt``; None when it names no document."""
    if not row:
        return None
    nested = row.get("source")
    if isinstance(nested, dict):
        row, prefix = nested, ""
    document = row.get(f"{prefix}document")
    if not document:
        return None
    return Source(
        document,
        row.get(f"{prefix}article"),
        row.get(f"{prefix}excerpt"),
        row.get(f"{prefix}page"),
    )


def cite(source: Source | None, *, excerpt: bool = False, label: bool = False) -> str:
    """« Avenant n° 2 …, Article 1 » (« , p. 12 » for a page; with ``excerpt``, « — « … » »);
    ``label`` puts « Source : » before it. Without a source: « source non renseignée »."""
    if source is None or not source.document:
        return "Source : non renseignée" if label else MISSING
    text = source.document
    if source.article:
        text += f", {source.article}"
    if source.page:
        text += f", p. {source.page}"
    if excerpt and source.excerpt:
        text += f" — « {source.excerpt} »"
    return f"Source : {text}" if label else text


def cite_row(row: dict | None, prefix: str = "source_", **options) -> str:
    """``cite(of(row))``: the source of a read row, printed."""
    return cite(of(row, prefix), **options)
