"""The tracker's SQL for PostgreSQL: each named read and each rule of ``queries/`` is
one text, written for DuckDB; this module gives its PostgreSQL form, translated by
sqlglot with the few rewrites PostgreSQL needs (``arg_max``/``arg_min``, DuckDB types),
the rest being functions ``queries/postgres/compat.sql`` defines with DuckDB's meaning.

A rule becomes a view, or a SQL function whose parameter types are those its header
declares and whose result columns are those DuckDB gives it. Which reads already give
the same rows on both stores is what ``tests/tracker/test_pg_reads.py`` holds."""

from __future__ import annotations

import functools
import re

import duckdb
import sqlglot
from sqlglot import exp

from dashboard.tracker import rules, store
from dashboard.tracker.queries import header, queries_dir, sql

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_DECLARED = re.compile(
    r"\$?([a-z_][a-z0-9_]*) \((integer\[\]|varchar\[\]|date|varchar|integer|bigint|boolean|"
    r"timestamp)(?![a-z\[])"
)
_RULE = re.compile(
    r"\s*create or replace (view|macro) ([a-z_]+)\s*(?:\(([^)]*)\))?\s*as( table)?\s*(.*)", re.S
)


class NotTranslated(Exception):
    """A text PostgreSQL cannot be given yet (what DuckDB-only construct, said)."""


def compat() -> str:
    return (queries_dir() / "postgres" / "compat.sql").read_text(encoding="utf-8")


def declared_types(text: str) -> dict[str, str]:
    """The parameters' types as the header declares them: ``$as_of (date)``."""
    return dict(_DECLARED.findall(header(text).get("params", "")))


def _code(text: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines())


def _typed(text: str, types: dict[str, str]) -> str:
    """Each ``$name`` cast to its declared type: PostgreSQL types a parameter from its
    first use, and ``$x is null`` alone says nothing."""

    def cast(match: re.Match) -> str:
        kind = types.get(match.group(1))
        return f"cast({match.group(0)} as {kind})" if kind else match.group(0)

    return _PARAM.sub(cast, text)


def _arg_pick(node: exp.Expression) -> exp.Expression:
    """``arg_max(x, y) [filter (where c)]`` -> ``(array_agg(x order by y desc)
    filter (where x and y are not null [and c]))[1]``: the same value, in PostgreSQL's
    words."""
    where = None
    if isinstance(node, exp.Filter) and isinstance(node.this, exp.ArgMax | exp.ArgMin):
        where, node = node.expression.this, node.this
    if not isinstance(node, exp.ArgMax | exp.ArgMin):
        return node
    value, key = node.this, node.expression
    ordered = exp.Order(
        this=value.copy(),
        expressions=[exp.Ordered(this=key.copy(), desc=isinstance(node, exp.ArgMax))],
    )
    # DuckDB's arg_max leaves aside the rows where either is NULL (arg_max_null does not)
    known = exp.and_(
        exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null())),
        exp.Not(this=exp.Is(this=key.copy(), expression=exp.Null())),
    )
    condition = known if where is None else exp.and_(known, where.copy())
    aggregate = exp.Filter(this=exp.ArrayAgg(this=ordered), expression=exp.Where(this=condition))
    return exp.Bracket(
        this=exp.Paren(this=aggregate), expressions=[exp.Literal.number(1)], offset=1
    )


def _types(node: exp.Expression) -> exp.Expression:
    """DuckDB's 128-bit integers (a sum of integers) as numeric; an empty list ``[]`` as
    ``'{}'``, an array whose type PostgreSQL takes from where it stands; ``any_value``
    as ``min`` (one of the non-NULL values: PostgreSQL 15 has no any_value)."""
    if isinstance(node, exp.Array) and not node.expressions:
        return exp.Literal.string("{}")
    if isinstance(node, exp.IgnoreNulls) and isinstance(node.this, exp.AnyValue):
        return exp.Min(this=node.this.this.copy())  # one of the non-NULL values
    if isinstance(node, exp.DataType) and node.this in (
        exp.DataType.Type.INT128,
        exp.DataType.Type.UINT128,
    ):
        return exp.DataType.build("numeric")
    return node


def _group_all(node: exp.Expression) -> exp.Expression:
    """``group by all`` -> the projections that are not aggregates (nor constants)."""
    group = node.args.get("group") if isinstance(node, exp.Select) else None
    if group is None or not group.args.get("all"):
        return node
    keys = [
        (p.this if isinstance(p, exp.Alias) else p).copy()
        for p in node.selects
        if not p.find(exp.AggFunc) and not isinstance(p.unalias(), exp.Literal | exp.Null)
    ]
    node.set("group", exp.Group(expressions=keys))
    return node


def _json_numbers(node: exp.Expression) -> exp.Expression:
    """A JSON value cast to a number or a text: its scalar text, cast (PostgreSQL casts
    no json to integer)."""
    if isinstance(node, exp.Cast | exp.TryCast) and isinstance(node.this, exp.JSONExtract):
        inner = node.this
        node.set("this", exp.JSONExtractScalar(this=inner.this.copy(),
                                               expression=inner.expression.copy()))  # fmt: skip
    return node


def translate(text: str) -> str:
    """A DuckDB SELECT (parameters ``$name``) in PostgreSQL (parameters ``%(name)s``)."""
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
        for rewrite in (_arg_pick, _types, _group_all, _json_numbers):
            tree = tree.transform(rewrite)
        return tree.sql(dialect="postgres", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.SqlglotError as error:
        raise NotTranslated(str(error).splitlines()[0][:200]) from error


@functools.cache
def read(name: str) -> str:
    """The named read ``name`` for PostgreSQL."""
    text = sql(name)
    return translate(_typed(_code(text), declared_types(text)))


def pg_type(duck_type: str) -> str:
    try:
        return store.pg_type(duck_type)
    except store.StoreError as error:
        raise NotTranslated(error.message) from error


def rule_ddl(name: str, duck: duckdb.DuckDBPyConnection) -> str:
    """The rule ``name`` as a PostgreSQL view or SQL function; ``duck``: a migrated
    DuckDB database, which says the types of what the rule returns."""
    text = rules.text(name)
    match = _RULE.match(_code(text))
    if match is None:
        raise NotTranslated(f"règle {name} : forme inattendue")
    kind, rule, args, is_table, body = match.groups()
    body = body.strip().rstrip(";")
    if kind == "view":
        return f"create or replace view {rule} as {translate(body)}"
    types = declared_types(text)
    names = [a.strip() for a in args.split(",")] if args else []
    missing = [a for a in names if a not in types]
    if missing:
        raise NotTranslated(f"règle {name} : type non déclaré pour {missing}")
    nulls = ", ".join(f"null::{types[a]}" for a in names)
    signature = ", ".join(f"{a} {pg_type(types[a].upper())}" for a in names)
    if is_table:
        columns = duck.execute(f"describe select * from {rule}({nulls})").fetchall()
        returns = "table(" + ", ".join(f'"{c[0]}" {pg_type(c[1])}' for c in columns) + ")"
        code = translate(body)
    else:
        returns = pg_type(duck.execute(f"describe select {rule}({nulls}) as x").fetchall()[0][1])
        code = translate(f"select {body}")
    return (
        f"create or replace function {rule}({signature}) returns {returns}"
        f" language sql stable as $rule$ {code} $rule$"
    )
