"""Optimisations of translated (DuckDB) statements: pure sqlglot rewrites that change no result.

Each optimisation is a function ``(exp.Expression) -> exp.Expression`` taking the tree the translator has
produced (DuckDB semantics, just before it is written out as DuckDB SQL) and returning an equivalent one that
DuckDB runs faster. They know nothing of the engine's catalog or streams, so they can be tested SQL in -> SQL out
(tests/local/test_optimize.py) and chained in any order by the translator (one call: :func:`optimize`).

* :func:`multi_path_extraction` - several ``col -> 'path'`` (or ``->>``) reads of one column in one SELECT list
  become one multi-path extraction ``col -> ['p1', 'p2', ...]`` indexed per path. DuckDB keeps VARIANT as JSON
  text, so every single-path read parses the whole document again; the list form parses it once, and DuckDB's
  common-subexpression elimination computes the list once per row for all the columns that index it. Measured on
  the routing statements' 17 paths per message: 3.3x faster than one read per path (BENCHMARKS.md).
* :func:`typeof_number_test` - ``TYPEOF(v) IN ('INTEGER', 'DECIMAL', 'DOUBLE')`` (is it a number?) reads DuckDB's
  json_type() instead of the SF_TYPEOF macro, whose regular expression on the number's text only matters to tell
  DECIMAL from DOUBLE.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlglot
from sqlglot import exp

# A group of reads only pays when it replaces at least this many parses of the same document.
_MIN_PATHS = 2

_Extract = exp.JSONExtract | exp.JSONExtractScalar


def _path_literal(node: _Extract) -> exp.Literal | None:
    """The read's path as a string literal (``'$.a.b'``), or None when it is not a constant path."""
    path = node.expression
    if isinstance(path, exp.Literal) and path.is_string:
        return path.copy()
    if isinstance(path, exp.JSONPath):
        literal = sqlglot.parse_one(path.sql(dialect="duckdb"), read="duckdb")
        return literal if isinstance(literal, exp.Literal) and literal.is_string else None
    return None


def _reads_in(projection: exp.Expression) -> list[_Extract]:
    """The JSON reads of one SELECT-list item that belong to its own SELECT (not to a nested query).

    The tree is walked from the item down, never up: the translator replaces some items in place, so a parent
    pointer cannot be trusted to find the SELECT a read belongs to.
    """
    found = []
    nested = (exp.Select, exp.Subquery, exp.Union, exp.Intersect, exp.Except)
    for node in projection.walk(prune=lambda n: isinstance(n, nested)):
        if isinstance(node, nested):
            continue
        if isinstance(node, _Extract) and isinstance(node.this, exp.Column) and not node.args.get("expressions"):
            found.append(node)
    return found


def multi_path_extraction(tree: exp.Expression) -> exp.Expression:
    """In each SELECT list, group the constant-path reads of one column into one multi-path extraction.

    ``SELECT j -> '$.a' AS A, j -> '$.b' AS B`` becomes ``SELECT list_extract(j -> ['$.a', '$.b'], 1) AS A,
    list_extract(j -> ['$.a', '$.b'], 2) AS B``: the same values (an absent key is NULL, a JSON null stays the JSON
    value ``null``; ``->>`` gives the text), with the document parsed once. Reads in other clauses (WHERE, ON,
    ...) are left as they are: DuckDB shares one expression's value only within one operator.
    """
    for select in list(tree.find_all(exp.Select)):
        groups: dict[tuple[str, str], list[tuple[_Extract, exp.Literal]]] = {}
        for projection in select.expressions:
            for node in _reads_in(projection):
                literal = _path_literal(node)
                if literal is None:
                    continue
                key = (type(node).__name__, node.this.sql(dialect="duckdb"))
                groups.setdefault(key, []).append((node, literal))
        for reads in groups.values():
            paths: list[str] = []
            for _, literal in reads:
                if literal.name not in paths:
                    paths.append(literal.name)
            if len(paths) < _MIN_PATHS:
                continue
            for node, literal in reads:
                many = node.__class__(
                    this=node.this.copy(),
                    expression=exp.Array(expressions=[exp.Literal.string(p) for p in paths]),
                )
                index = exp.Literal.number(paths.index(literal.name) + 1)
                node.replace(exp.func("list_extract", many, index))
    return tree


# SF_TYPEOF (meta.MACROS_SQL) names DuckDB's json_type() results the Snowflake way; it needs a regular
# expression on the number's text only to tell DECIMAL from DOUBLE.
_TYPEOF_AS_JSON_TYPES = {
    "INTEGER": ("BIGINT", "UBIGINT"),
    "DECIMAL": ("DOUBLE",),
    "DOUBLE": ("DOUBLE",),
    "NULL_VALUE": ("NULL",),
    "VARCHAR": ("VARCHAR",),
    "BOOLEAN": ("BOOLEAN",),
    "OBJECT": ("OBJECT",),
    "ARRAY": ("ARRAY",),
}


def typeof_number_test(tree: exp.Expression) -> exp.Expression:
    """``SF_TYPEOF(v) IN ('INTEGER', 'DECIMAL', 'DOUBLE')`` -> ``json_type(v) IN ('BIGINT', 'UBIGINT', 'DOUBLE')``.

    Snowflake's ``TYPEOF(v) IN (...)`` is how a rule asks "is this VARIANT a number": when the list holds both
    DECIMAL and DOUBLE, SF_TYPEOF's regular expression (which tells them apart) cannot change the answer, so the
    test reads json_type() directly, with SF_TYPEOF's own mapping (a NULL still gives NULL).
    """
    for node in list(tree.find_all(exp.In)):
        call = node.this
        if not (isinstance(call, exp.Anonymous) and call.name.upper() == "SF_TYPEOF" and len(call.expressions) == 1):
            continue
        values = node.expressions
        if node.args.get("query") is not None or not values:
            continue
        if not all(isinstance(v, exp.Literal) and v.is_string and v.name in _TYPEOF_AS_JSON_TYPES for v in values):
            continue
        names = {v.name for v in values}
        if ("DECIMAL" in names) != ("DOUBLE" in names):
            continue  # only one of the two: the regular expression decides
        mapped = list(dict.fromkeys(t for name in sorted(names) for t in _TYPEOF_AS_JSON_TYPES[name]))
        node.set("this", exp.func("json_type", call.expressions[0].copy()))
        node.set("expressions", [exp.Literal.string(t) for t in mapped])
    return tree


OPTIMIZATIONS: tuple[Callable[[exp.Expression], exp.Expression], ...] = (multi_path_extraction, typeof_number_test)


def optimize(tree: exp.Expression) -> exp.Expression:
    """Every optimisation of this module, in order, on a translated (DuckDB) tree."""
    for step in OPTIMIZATIONS:
        tree = step(tree)
    return tree
