"""Named SQL: ``sql("name")`` is the text of ``queries/name.sql``."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from dashboard.resources import resource_dir
from dashboard.tracker import composed

_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
_HEADER = re.compile(r"^--\s*(name|purpose|params|uses|wording|statuses):\s*(.*)$", re.MULTILINE)


def queries_dir() -> Path:
    return resource_dir("queries")


@functools.cache
def sql(name: str) -> str:
    """The text of a named query; its name is its file name."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"nom de requête invalide : {name!r}")
    path = queries_dir() / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"requête inconnue : {name}")
    return path.read_text(encoding="utf-8")


_WORD = re.compile(r"[a-z_][a-z0-9_]*")


@functools.cache
def words(text: str) -> frozenset[str]:
    """Every name a SQL text mentions (tables, views, macros, columns; its comments too),
    lower-cased: what it may read, as the read cache and the benchmarks ask."""
    return frozenset(_WORD.findall(text.lower()))


def parameters(text: str) -> list[str]:
    """The ``$name`` parameters a query uses, in order of first use."""
    seen: dict[str, None] = {}
    for match in _PARAM.finditer(_strip_comments(text)):
        seen.setdefault(match.group(1), None)
    return list(seen)


def read_parameters(name: str) -> list[str]:
    """The parameters of the named read ``name``; of a composed read (``composed.PARTS``),
    those of its parts."""
    found: dict[str, None] = {}
    for part in composed.PARTS.get(name, (name,)):
        found.update(dict.fromkeys(parameters(sql(part))))
    return list(found)


def header(text: str) -> dict[str, str]:
    return {key: value.strip() for key, value in _HEADER.findall(text)}


def names() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.sql"))


_OPTIONAL = re.compile(r"\$([a-z_][a-z0-9_]*) \([^)]*\boptional\b")


def optional(text: str) -> set[str]:
    """Parameters the header marks ``optional`` (NULL when not given)."""
    return set(_OPTIONAL.findall(header(text).get("params", "")))


def bind(name: str, params: dict) -> dict:
    """Exactly the parameters the query uses; a missing one is a programming error,
    unless the header marks it optional (then it is NULL)."""
    text = sql(name)
    wanted = parameters(text)
    params = {**dict.fromkeys(optional(text)), **params}
    missing = [p for p in wanted if p not in params]
    if missing:
        raise TypeError(f"requête {name} : paramètres manquants {missing}")
    return {p: params[p] for p in wanted}


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines())
