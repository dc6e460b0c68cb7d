"""The rules as current text: the stateless views and macros that say what holds at a
date (« en vigueur au », status at a date, existence at a date, the roll-ups' readers)
are the files of ``queries/rules/``, one rule per file, each with the header of the
named reads (``name`` / ``purpose`` / ``params``), the rules it ``uses`` and, for the
rules a person reads, its French ``wording``. They are re-created after migrating, in
the order of what they use, whenever their text changed: the rule in force is always
the file's current text, never whichever migration defined it last."""

from __future__ import annotations

import functools
import hashlib
import re
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from dashboard.tracker import kept_rules
from dashboard.tracker.queries import header, queries_dir

_NAME = re.compile(r"[a-z0-9_]+")
#: the app_meta key holding the fingerprint of the rules last installed
META_KEY = "rules_sha256"


def rules_dir() -> Path:
    return queries_dir() / "rules"


@functools.cache
def _texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(rules_dir().glob("*.sql"))}


def names() -> list[str]:
    return sorted(_texts())


def text(name: str) -> str:
    if not _NAME.fullmatch(name) or name not in _texts():
        raise KeyError(f"règle inconnue : {name}")
    return _texts()[name]


def uses(name: str) -> list[str]:
    """The rules this rule reads (its ``uses`` header; ``none`` for none)."""
    listed = header(text(name)).get("uses", "none")
    return [] if listed in ("", "none") else listed.split()


def wording(name: str) -> str:
    """The rule in French, as the pages, the pack and the README say it."""
    return header(text(name)).get("wording", "")


def order() -> list[str]:
    """Every rule after the rules it uses (a view or macro is bound when created)."""
    return list(TopologicalSorter({n: uses(n) for n in names()}).static_order())


def fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(("kept: " + " ".join(kept_rules.KEPT) + "\0").encode())
    for name in names():
        digest.update(name.encode() + b"\0" + text(name).encode() + b"\0")
    return digest.hexdigest()


def installed(cur: duckdb.DuckDBPyConnection) -> str | None:
    row = cur.execute("select value from app_meta where key = $k", {"k": META_KEY}).fetchone()
    return row[0] if row else None


def install(cur: duckdb.DuckDBPyConnection) -> bool:
    """Re-create every rule from its current text when that text changed since the last
    install (inside the caller's transaction); True when it did."""
    current = fingerprint()
    if installed(cur) == current:
        return False
    kept_rules.install(cur, order(), text)
    cur.execute("delete from app_meta where key = $k", {"k": META_KEY})
    cur.execute("insert into app_meta values ($k, $v)", {"k": META_KEY, "v": current})
    return True
