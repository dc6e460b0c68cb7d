"""The tracker's SQL for PostgreSQL: each named read and each rule of ``queries/`` is
one text, written for DuckDB; this module gives its PostgreSQL form, translated by
sqlglot with the rewrites PostgreSQL needs (``arg_max`` and its kin, ``group by all``,
``qualify``, ``union all by name``, ``columns(*)`` and ``* exclude``, ``semi join …
using``, ``asof`` joins, structs, DuckDB's integer types), the functions DuckDB has and
PostgreSQL lacks being defined with DuckDB's meaning in ``queries/postgres/compat.sql``;
``shape`` gives a value back the type DuckDB gives it (a struct, a 128-bit integer).

A rule becomes a view, or a SQL function whose parameter types are those its header
declares and whose result columns are those DuckDB gives it. ``tests/tracker/test_pg_reads.py``
holds that every read and every rule gives DuckDB's rows on PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import threading
from decimal import Decimal
from pathlib import Path

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


def indexes() -> str:
    """The indexes only PostgreSQL needs (``queries/postgres/indexes.sql``)."""
    return (queries_dir() / "postgres" / "indexes.sql").read_text(encoding="utf-8")


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
    words (``arg_max_null``, which keeps a NULL ``x``, leaves out only a NULL ``y``)."""
    where = None
    if isinstance(node, exp.Filter) and _picks(node.this):
        where, node = node.expression.this, node.this
    if not _picks(node):
        return node
    if isinstance(node, exp.Anonymous):
        value, key = node.expressions
        largest, keeps_null = node.name.lower() == "arg_max_null", True
    else:
        value, key = node.this, node.expression
        largest, keeps_null = isinstance(node, exp.ArgMax), False
    ordered = exp.Order(this=value.copy(), expressions=[exp.Ordered(this=key.copy(), desc=largest)])
    known = exp.Not(this=exp.Is(this=key.copy(), expression=exp.Null()))
    if not keeps_null:  # DuckDB's arg_max leaves aside the rows where either is NULL
        known = exp.and_(exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null())), known)
    condition = known if where is None else exp.and_(known, where.copy())
    aggregate = exp.Filter(this=exp.ArrayAgg(this=ordered), expression=exp.Where(this=condition))
    return exp.Bracket(
        this=exp.Paren(this=aggregate), expressions=[exp.Literal.number(1)], offset=1
    )


def _picks(node: exp.Expression) -> bool:
    if isinstance(node, exp.ArgMax | exp.ArgMin):
        return True
    return isinstance(node, exp.Anonymous) and node.name.lower() in (
        "arg_max_null",
        "arg_min_null",
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


def _struct(node: exp.Expression) -> exp.Expression:
    """A DuckDB struct ``{'a': x}`` -> ``json_build_object('a', x)``: PostgreSQL has no
    anonymous record a driver can read by name; ``shape`` gives back DuckDB's values."""
    if not isinstance(node, exp.Struct):
        return node
    pairs: list[exp.Expression] = []
    for field in node.expressions:
        if not isinstance(field, exp.PropertyEQ):
            raise NotTranslated("struct sans noms de champs")
        pairs += [exp.Literal.string(field.this.name), field.expression.copy()]
    return exp.Anonymous(this="json_build_object", expressions=pairs)


def _by_name(tree: exp.Expression) -> exp.Expression:
    """``select * from a union all by name select * from b`` (``a``, ``b``: common
    table expressions of the query) -> both sides with every column of the two, by name,
    NULL where one side has none (what DuckDB does)."""
    ctes = {cte.alias: cte.this for cte in tree.find_all(exp.CTE)}

    def columns(side: exp.Expression) -> tuple[str, list[str]]:
        source = _from(side)
        if not (isinstance(side, exp.Select) and side.is_star and source is not None):
            raise NotTranslated("union by name d'autre chose que select * d'une CTE")
        name = source.this.name
        if name not in ctes or "*" in ctes[name].named_selects:
            raise NotTranslated(f"union by name : colonnes de {name} inconnues")
        return name, ctes[name].named_selects

    def rewrite(node: exp.Expression) -> exp.Expression:
        if not (isinstance(node, exp.Union) and node.args.get("by_name")):
            return node
        (left, left_columns), (right, right_columns) = columns(node.left), columns(node.right)
        every = left_columns + [c for c in right_columns if c not in left_columns]

        def side(name: str, has: list[str]) -> exp.Select:
            return exp.select(*[c if c in has else exp.alias_(exp.Null(), c) for c in every]).from_(
                name
            )

        return exp.union(side(left, left_columns), side(right, right_columns), distinct=False)

    return tree.transform(rewrite)


def _qualify(tree: exp.Expression) -> exp.Expression:
    """``select * from a … qualify c order by o`` -> ``select <a's columns> from (select *,
    <c's windows> … ) where c order by o``: PostgreSQL has no QUALIFY, and sqlglot's own
    rewrite would add its window's column to ``*``."""
    ctes = {cte.alias: cte.this for cte in tree.find_all(exp.CTE)}

    def rewrite(node: exp.Expression) -> exp.Expression:
        if not (isinstance(node, exp.Select) and node.args.get("qualify")):
            return node
        source = _from(node)
        name = source.this.name if source is not None else None
        if not node.is_star or name not in ctes or "*" in ctes[name].named_selects:
            raise NotTranslated("qualify d'autre chose que select * d'une CTE")
        condition = node.args["qualify"].this.copy()
        order = node.args.get("order")
        inner = node.copy()
        inner.set("qualify", None)
        inner.set("order", None)
        for number, window in enumerate(list(condition.find_all(exp.Window))):
            alias = f"_qualify_{number}"
            inner = inner.select(exp.alias_(window.copy(), alias), copy=False)
            window.replace(exp.column(alias))
        outer = (
            exp.select(*ctes[name].named_selects)
            .from_(exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("_q"))))
            .where(condition)
        )
        if order is not None:
            outer.set("order", order.copy())
        return outer

    return tree.transform(rewrite)


@functools.cache
def catalogue() -> dict[str, tuple[str, ...]]:
    """Every table and view of the current schema with its columns in order, read from
    an empty migrated DuckDB database (what ``columns(*)`` and ``*`` stand for)."""
    from dashboard.tracker.db import Database, migrate

    with Database() as db:
        migrate(db)
        with db.reader() as cur:
            rows = cur.execute(
                "select table_name, column_name from information_schema.columns"
                " where table_schema = 'main' order by table_name, ordinal_position"
            ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return {table: tuple(columns) for table, columns in found.items()}


def _written_out(node: exp.Expression) -> bool:
    """A ``columns(…)`` or a ``* exclude (…)``: what ``_expand_columns`` writes out."""
    return isinstance(node, exp.Columns) or (
        isinstance(node, exp.Star) and bool(node.args.get("except_"))
    )


def _from(select: exp.Select) -> exp.From | None:
    """A select's FROM (sqlglot names the argument ``from_`` in recent versions)."""
    return select.args.get("from") or select.args.get("from_")


def _expand_columns(tree: exp.Expression) -> exp.Expression:
    """DuckDB's ``f(columns(* exclude (a)))`` and ``* exclude (a)`` written out column by
    column (``f(x) as x``, …), the columns known from the common table expressions and
    the catalogue, as DuckDB names them."""
    if not any(_written_out(n) for n in tree.walk()):
        return tree
    ctes = {cte.alias: cte.this for cte in tree.find_all(exp.CTE)}

    def names_of(query: exp.Expression) -> list[str]:
        if isinstance(query, exp.Union):
            return names_of(query.left)
        out: list[str] = []
        for projection in query.selects:
            out += [name for name, _ in expanded(projection, query)]
        return out

    def source(select: exp.Select) -> list[str]:
        joins = [j for j in select.args.get("joins") or [] if j.kind not in ("SEMI", "ANTI")]
        start = _from(select)
        if joins or start is None or not isinstance(start.this, exp.Table):
            raise NotTranslated("columns(*) sur plusieurs sources")
        name = start.this.name
        if name in ctes:
            return names_of(ctes[name])
        if name in catalogue():
            return list(catalogue()[name])
        raise NotTranslated(f"columns(*) : colonnes de {name} inconnues")

    def expanded(projection: exp.Expression, select: exp.Select) -> list[tuple[str, object]]:
        star = projection if isinstance(projection, exp.Star) else None
        if isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            star = projection.this
        columns = projection.find(exp.Columns)
        if star is None and columns is None:
            return [(projection.alias_or_name, projection)]
        inner = star if star is not None else columns.this
        if not isinstance(inner, exp.Star):
            raise NotTranslated("columns() sans *")
        left_out = {c.name for c in inner.args.get("except_") or []}
        kept = [c for c in source(select) if c not in left_out]
        if star is not None:
            return [(c, exp.column(c)) for c in kept]
        made = []
        for name in kept:
            copy = projection.copy()
            copy.find(exp.Columns).replace(exp.column(name))
            made.append((name, exp.alias_(copy, name)))
        return made

    def rewrite(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Select) or not any(
            _written_out(n) for p in node.selects for n in p.walk()
        ):
            return node
        projections = [made for p in node.selects for _, made in expanded(p, node)]
        node.set("expressions", projections)
        return node

    return tree.transform(rewrite)


def _semi_using(node: exp.Expression) -> exp.Expression:
    """``from a semi join b using (k)`` -> ``… on a.k = b.k`` (which sqlglot writes as
    EXISTS for PostgreSQL; it leaves USING as it is)."""
    if not isinstance(node, exp.Select):
        return node
    start = _from(node)
    for join in node.args.get("joins") or []:
        using = join.args.get("using")
        if join.kind not in ("SEMI", "ANTI") or not using or start is None:
            continue
        left, right = start.this.alias_or_name, join.this.alias_or_name
        condition = exp.and_(
            *[exp.column(k.name, table=left).eq(exp.column(k.name, table=right)) for k in using]
        )
        join.set("using", None)
        join.set("on", condition)
    return node


def _asof(node: exp.Expression) -> exp.Expression:
    """``asof [left] join t as w on <equalities> and x >= w.c`` -> ``[left] join lateral
    (select * from t as w where <the same> order by w.c desc limit 1) as w on true``:
    the one row of ``t`` DuckDB's ASOF join picks, nearest below (or above)."""
    if not (isinstance(node, exp.Join) and node.args.get("method") == "ASOF"):
        return node
    table = node.this
    alias = table.alias_or_name
    condition = node.args["on"]
    nearest = None
    for part in condition.flatten() if isinstance(condition, exp.And) else [condition]:
        if isinstance(part, exp.GTE | exp.GT | exp.LTE | exp.LT):
            mine = part.this if part.this.table == alias else part.expression
            below = (mine is part.expression) == isinstance(part, exp.GTE | exp.GT)
            nearest = exp.Ordered(this=mine.copy(), desc=below)
    if nearest is None:
        raise NotTranslated("asof join sans inégalité")
    chosen = exp.select("*").from_(table.copy()).where(condition.copy())
    chosen = chosen.order_by(nearest).limit(1)
    lateral = exp.Lateral(
        this=exp.Subquery(this=chosen), alias=exp.TableAlias(this=exp.to_identifier(alias))
    )
    return exp.Join(this=lateral, side=node.side or None, on=exp.true())


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


def _order_all(node: exp.Expression) -> exp.Expression:
    """``order by all`` -> every column by its position (a ``*`` counted from the
    catalogue)."""
    if not isinstance(node, exp.Select):
        return node
    order = node.args.get("order")
    if order is None or len(order.expressions) != 1:
        return node
    ordered = order.expressions[0]
    if not (isinstance(ordered.this, exp.Var) and ordered.this.name.upper() == "ALL"):
        return node
    keys: list[exp.Expression] = []
    for projection in node.selects:
        if isinstance(projection, exp.Star):
            source = _from(node)
            name = source.this.name if source is not None else None
            if name not in catalogue():
                raise NotTranslated(f"order by all : colonnes de {name} inconnues")
            # a JSON value by its text (PostgreSQL does not order json)
            start = len(keys) + 1
            keys += [
                exp.cast(exp.column(c), "text") if (name, c) in json_columns()
                else exp.Literal.number(start + i)
                for i, c in enumerate(catalogue()[name])
            ]  # fmt: skip
        else:
            keys.append(exp.Literal.number(len(keys) + 1))
    desc = ordered.args.get("desc")
    order.set("expressions", [exp.Ordered(this=key, desc=desc) for key in keys])
    return node


@functools.cache
def json_columns() -> frozenset[tuple[str, str]]:
    """The (table, column) pairs of the current schema whose type is JSON."""
    from dashboard.tracker.pg_db import _empty

    with _empty().cursor() as cur:
        rows = cur.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = 'main' and data_type = 'JSON'"
        ).fetchall()
    return frozenset((t, c) for t, c in rows)


def _inline_once_read(tree: exp.Expression) -> exp.Expression:
    """A common table expression made of a UNION ALL and read once, written in place as a
    subquery: PostgreSQL then reads each part of the union through its indexes with the
    filters and joins of the query around it (it does not through the CTE, measured: the
    work tree of one programme read whole, 225 000 rows for 450)."""
    for cte in list(tree.find_all(exp.CTE)):
        if not isinstance(cte.this, exp.Union) or cte.parent.args.get("recursive"):
            continue
        name = cte.alias
        scope = cte.parent.parent if cte.parent is not None else None
        if scope is None:
            continue
        uses = [
            t for t in scope.find_all(exp.Table)
            if t.name == name and not t.args.get("db") and t.find_ancestor(exp.CTE) is not cte
        ]  # fmt: skip
        if len(uses) != 1:
            continue
        use = uses[0]
        alias = use.alias or name
        use.replace(
            exp.Subquery(this=cte.this.copy(), alias=exp.TableAlias(this=exp.to_identifier(alias)))
        )
        with_ = cte.parent
        cte.pop()
        if not with_.expressions:
            with_.pop()
    return tree


_TRANSLATING = threading.Lock()


def translate(text: str) -> str:
    """A DuckDB SELECT (parameters ``$name``) in PostgreSQL (parameters ``%(name)s``).

    Translating every read takes sqlglot about 12 s (1.6 s for the overview's): each
    translation is kept on disk (``cache_dir``), keyed on the text and on what makes the
    translation (this module, sqlglot's version, the schema and the rules), so a new
    process — ``cdv report``, a replica started again — reads it instead. One translation
    at a time: sqlglot was seen to mix two texts translated at once by reads gathered side
    by side."""
    return on_disk(text, lambda: _translate_alone(text))


def _translate_alone(text: str) -> str:
    with _TRANSLATING:
        return _translate(text)


def on_disk(text: str, make) -> str:
    """``make()``'s text for ``text``, kept in ``cache_dir`` (see ``translate``): read
    from there when a process made it already, else made and written whole (a
    read-only disk: made again next time)."""
    kept = cache_dir() / f"{_key(text)}.txt"
    try:
        return kept.read_text(encoding="utf-8")
    except OSError:
        pass
    result = make()
    with contextlib.suppress(OSError):
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f".{kept.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_text(result, encoding="utf-8")
        os.replace(partial, kept)
    return result


def cache_dir() -> Path:
    """Where translations are kept: ``$CDV_SQL_CACHE``, else the user's cache folder."""
    chosen = os.environ.get("CDV_SQL_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cdv-tracker" / "sql-postgres"


@functools.cache
def _translator() -> str:
    """What a translation depends on besides its text."""
    from dashboard.tracker.db import migration_files

    digest = hashlib.sha256(Path(__file__).read_bytes() + sqlglot.__version__.encode())
    for _, _, path in migration_files():
        digest.update(path.read_bytes())
    digest.update(rules.fingerprint().encode())
    return digest.hexdigest()


def _key(text: str) -> str:
    return hashlib.sha256((_translator() + "\0" + text).encode()).hexdigest()


def _translate(text: str) -> str:
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
        rewrites = (_arg_pick, _types, _group_all, _json_numbers, _struct, _semi_using, _asof)
        for rewrite in rewrites:
            tree = tree.transform(rewrite)
        tree = _qualify(_by_name(_expand_columns(tree)))
        tree = _inline_once_read(tree.transform(_order_all))
        for part in list(tree.find_all(exp.Year, exp.Month, exp.Day, exp.Quarter)):
            if not isinstance(part.parent, exp.Cast):  # DuckDB's are BIGINT, not numeric
                part.replace(exp.cast(part.copy(), "bigint"))
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
    # the rule's name is one of queries/rules/ (rules.text checked it), the types those
    # _DECLARED admits: the only text put into these statements
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


# -- values as DuckDB gives them ---------------------------------------------------------
def parse_type(text: str) -> tuple:
    """A DuckDB type as it prints (``STRUCT(a INTEGER, "b" DATE)[]``):
    ``("list", inner)``, ``("struct", ((name, type), …))`` or ``("scalar", NAME)``."""
    kind, rest = _parse(text.strip())
    if rest.strip():
        raise ValueError(f"type DuckDB illisible : {text}")
    return kind


def _parse(text: str) -> tuple[tuple, str]:
    if text.startswith("STRUCT("):
        rest, fields = text[len("STRUCT(") :], []
        while True:
            match = re.match(r'\s*(?:"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_]*))\s+', rest)
            name = (
                match.group(1).replace('""', '"') if match.group(1) is not None else match.group(2)
            )
            inner, rest = _parse(rest[match.end() :])
            fields.append((name, inner))
            rest = rest.lstrip()
            if rest.startswith(","):
                rest = rest[1:]
                continue
            rest = rest[1:]  # the closing parenthesis
            break
        kind: tuple = ("struct", tuple(fields))
    else:
        match = re.match(r"[A-Z_]+[0-9]*(\(\d+,\s*\d+\))?", text)
        kind, rest = ("scalar", match.group(0)), text[match.end() :]
    while rest.startswith("[]"):
        kind, rest = ("list", kind), rest[2:]
    return kind, rest


def shape(value, kind: tuple):
    """A value PostgreSQL gave (JSON text where DuckDB has a struct or a list of them) as
    DuckDB gives it: dicts with their fields in order, dates as dates, money as Decimal."""
    if value is None:
        return None
    if kind[0] == "list":
        items = json.loads(value, parse_float=Decimal) if isinstance(value, str) else value
        return [shape(item, kind[1]) for item in items]
    if kind[0] == "struct":
        fields = json.loads(value, parse_float=Decimal) if isinstance(value, str) else value
        return {name: shape(fields.get(name), inner) for name, inner in kind[1]}
    return _scalar(value, kind[1])


def _scalar(value, name: str):
    if name in ("HUGEINT", "BIGINT", "INTEGER") and value is not None:
        return int(value)
    if name == "DATE" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if name.startswith("TIMESTAMP") and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if name.startswith("DECIMAL") and not isinstance(value, Decimal):
        return Decimal(str(value))
    if name.startswith("DECIMAL"):
        scale = int(re.search(r",\s*(\d+)", name).group(1))
        return value.quantize(Decimal(1).scaleb(-scale))
    return value


def shape_rows(rows: list[tuple], description) -> list[tuple]:
    """Rows PostgreSQL gave for a query, as DuckDB gives them; ``description``: the
    DuckDB cursor's, whose types say which columns to shape."""
    kinds = [parse_type(str(c[1])) if needs_shape(str(c[1])) else None for c in description]
    return [
        tuple(v if k is None else shape(v, k) for v, k in zip(row, kinds, strict=True))
        for row in rows
    ]


def needs_shape(type_text: str) -> bool:
    """Whether PostgreSQL gives a value of this DuckDB type otherwise (a struct as JSON, a
    128-bit integer as numeric)."""
    return "STRUCT(" in type_text or "HUGEINT" in type_text


def rule_call(name: str, call: str) -> str:
    """A DuckDB query calling rule ``name`` (``select * from status_at($as_of)``) in
    PostgreSQL, its parameters cast to the types the rule's header declares."""
    return translate(_typed(call, declared_types(rules.text(name))))
