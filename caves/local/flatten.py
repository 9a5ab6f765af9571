"""FLATTEN as a table function: ``LATERAL FLATTEN(INPUT => v)`` and ``TABLE(FLATTEN(INPUT => v))``.

https://docs.snowflake.com/en/sql-reference/functions/flatten: one row per element of an ARRAY or per key of an
OBJECT, with the columns SEQ, KEY (the object key, NULL for an array), PATH (``[0]``, ``name``, ``c.d``), INDEX (the
array index, NULL for an object), VALUE (a VARIANT) and THIS (the element being flattened). Emulated over DuckDB's
``json_each`` (``json_tree`` for ``RECURSIVE => TRUE``: every nested element, depth first, THIS its container), with
the options ``PATH => '<key>[.<key>...]'``, ``MODE => 'OBJECT' | 'ARRAY' | 'BOTH'`` (with RECURSIVE, only the
containers of that kind are descended into), ``OUTER => TRUE`` (an input that expands to no row — empty, NULL, a
scalar, an absent PATH — gives one row: KEY, INDEX and VALUE NULL, PATH the INPUT path) and ``RECURSIVE``.

SEQ numbers the input records ("not guaranteed to be gap-free or ordered in any particular way"): 1 for
``TABLE(FLATTEN(<constant>))`` (the page's examples), the input table's row id plus one for a LATERAL FLATTEN
directly over one table (unique per input row). Reading SEQ (or ``*``) from any other LATERAL FLATTEN (after a join,
over a subquery) is refused: the engine has no number for such an input record.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from .errors import UnsupportedStatement

COLUMNS = ("SEQ", "KEY", "PATH", "INDEX", "VALUE", "THIS")
_INPUT = "CAVES_FLATTEN_INPUT"
_TEMPLATE = f"""
SELECT __SEQ__ CASE WHEN json_type(__THIS__) = 'OBJECT' THEN e.key END AS "KEY",
       coalesce(CASE WHEN __PREFIX__ = '' THEN ltrim(substr(e.fullkey, 2), '.') ELSE __PREFIX__ || substr(e.fullkey, 2)
                END, __PREFIX__) AS "PATH",
       CASE WHEN json_type(__THIS__) = 'ARRAY' THEN CAST(e.key AS BIGINT) END AS "INDEX",
       e.value AS "VALUE",
       __THIS__ AS "THIS"
FROM (SELECT to_json({_INPUT}) AS x) AS s
__JOIN__ (SELECT e.* FROM __EACH__(CASE WHEN json_type(s.x) IN (__MODES__) THEN s.x END) AS e __WHERE__) AS e __ON__
ORDER BY e.id
"""
# RECURSIVE with MODE => 'OBJECT' | 'ARRAY': no container of the other kind between the input and the element.
_ONLY_MODE_CONTAINERS = """WHERE e.id > 0 AND NOT EXISTS (
    SELECT 1 FROM json_tree(s.x) AS a WHERE a.type IN ('OBJECT', 'ARRAY') AND a.type NOT IN (__MODES__)
    AND (e.path = a.fullkey OR starts_with(e.path, a.fullkey || '.') OR starts_with(e.path, a.fullkey || '[')))"""


def is_flatten(node: exp.Expression) -> bool:
    """A FLATTEN call, as sqlglot parses it (an Explode with Snowflake's named arguments)."""
    return isinstance(node, exp.Explode) and isinstance(node.this, exp.Kwarg)


def _options(call: exp.Explode) -> dict[str, exp.Expression]:
    options = {}
    for arg in (call.this, *call.expressions):
        if not isinstance(arg, exp.Kwarg):
            raise UnsupportedStatement(f"{call.sql('snowflake')[:60]} (FLATTEN takes named arguments)")
        options[arg.this.name.upper()] = arg.expression
    return options


def _flag(options: dict[str, exp.Expression], name: str) -> bool:
    value = options.get(name)
    if value is None:
        return False
    if isinstance(value, exp.Boolean):
        return bool(value.this)
    raise UnsupportedStatement(f"FLATTEN({name} => {value.sql('snowflake')})")


def _text(options: dict[str, exp.Expression], name: str, default: str) -> str:
    value = options.get(name)
    if value is None:
        return default
    if isinstance(value, exp.Literal) and value.is_string:
        return value.name
    raise UnsupportedStatement(f"FLATTEN({name} => {value.sql('snowflake')}) (a constant string is expected)")


def flatten_subquery(call: exp.Explode, alias_name: str, seq: exp.Expression | None) -> exp.Subquery:
    """The DuckDB subquery reading ``call``'s rows, aliased ``alias_name`` with FLATTEN's columns.

    ``seq``: the input record's number (see the module's docstring); None: no SEQ column (refuse_seq_reads)."""
    options = _options(call)
    if "INPUT" not in options:
        raise UnsupportedStatement("FLATTEN without INPUT =>")
    outer, recursive = _flag(options, "OUTER"), _flag(options, "RECURSIVE")
    mode = _text(options, "MODE", "BOTH").upper()
    modes = {"BOTH": "'OBJECT', 'ARRAY'", "OBJECT": "'OBJECT'", "ARRAY": "'ARRAY'"}.get(mode)
    if modes is None:
        raise UnsupportedStatement(f"FLATTEN(MODE => '{mode}')")
    source: exp.Expression = options["INPUT"].copy()
    path = _text(options, "PATH", "")
    if path:
        if not all(part.isidentifier() for part in path.split(".")):
            raise UnsupportedStatement(f"FLATTEN(PATH => '{path}') (only key.key paths)")
        source = exp.JSONExtract(this=source, expression=exp.Literal.string("$." + path))
    prefix = "'" + path.replace("'", "''") + "'"  # PATH is the INPUT path, then the element's ('b[0]', 'c.d')
    where = (_ONLY_MODE_CONTAINERS if mode != "BOTH" else "WHERE e.id > 0") if recursive else ""
    text = (
        _TEMPLATE.replace("__WHERE__", where)
        .replace("__MODES__", modes)
        .replace("__PREFIX__", prefix)
        .replace("__EACH__", "json_tree" if recursive else "json_each")
        .replace("__THIS__", "json_extract(s.x, e.path)" if recursive else "s.x")
        .replace("__JOIN__", "LEFT JOIN LATERAL" if outer else ", LATERAL")
        .replace("__ON__", "ON TRUE" if outer else "")
        .replace("__SEQ__", '__CAVES_SEQ__ AS "SEQ",' if seq is not None else "")
    )
    select = sqlglot.parse_one(text, read="duckdb")
    for column in list(select.find_all(exp.Column)):
        if column.name == _INPUT:
            column.replace(source.copy())
        elif column.name == "__CAVES_SEQ__" and seq is not None:
            column.replace(seq.copy())
    return exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(alias_name)))


def refuse_seq_reads(tree: exp.Expression, alias_name: str) -> None:
    """SEQ numbers the input records (and ``*`` includes it): without a number for them, refused."""
    for node in tree.find_all(exp.Column, exp.Star):
        if isinstance(node, exp.Star) and isinstance(node.parent, (exp.Select, exp.Column)):
            table = node.parent.table if isinstance(node.parent, exp.Column) else ""
            if not table or table.upper() == alias_name.upper():
                raise UnsupportedStatement("FLATTEN read with * (its SEQ column numbers the input records)")
        elif (
            isinstance(node, exp.Column)
            and node.name.upper() == "SEQ"
            and (not node.table or node.table.upper() == alias_name.upper())
        ):
            raise UnsupportedStatement("FLATTEN's SEQ column (it numbers the input records)")
