"""FLATTEN as a table function: ``LATERAL FLATTEN(INPUT => v)`` and ``TABLE(FLATTEN(INPUT => v))``.

https://docs.snowflake.com/en/sql-reference/functions/flatten: one row per element of an ARRAY or per key of an
OBJECT, with the columns KEY (the object key, NULL for an array), PATH (``[0]``, ``name``), INDEX (the array
index, NULL for an object), VALUE (a VARIANT) and THIS (the element being flattened). Emulated over DuckDB's
``json_each``, with the options ``PATH => '<key>[.<key>...]'``, ``MODE => 'OBJECT' | 'ARRAY' | 'BOTH'`` and
``OUTER => FALSE``, ``RECURSIVE => FALSE``.

Refused (never answered differently): ``OUTER => TRUE``, ``RECURSIVE => TRUE``, and a query that reads the SEQ
column (or ``*``): Snowflake numbers the input records, which a lateral read of one record cannot do.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from .errors import UnsupportedStatement

COLUMNS = ("SEQ", "KEY", "PATH", "INDEX", "VALUE", "THIS")
_INPUT = "CAVES_FLATTEN_INPUT"
_TEMPLATE = f"""
SELECT __SEQ__ CASE WHEN json_type(s.x) = 'OBJECT' THEN e.key END AS "KEY",
       CASE WHEN __PREFIX__ = '' THEN ltrim(substr(e.fullkey, 2), '.') ELSE __PREFIX__ || substr(e.fullkey, 2) END
           AS "PATH",
       CASE WHEN json_type(s.x) = 'ARRAY' THEN CAST(e.key AS BIGINT) END AS "INDEX",
       e.value AS "VALUE",
       s.x AS "THIS"
FROM (SELECT to_json({_INPUT}) AS x) AS s, json_each(s.x) AS e
WHERE json_type(s.x) IN (__MODES__)
ORDER BY e.id
"""


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


def flatten_subquery(call: exp.Explode, alias_name: str, single_record: bool) -> exp.Subquery:
    """The DuckDB subquery reading ``call``'s rows, aliased ``alias_name`` with FLATTEN's columns.

    ``single_record``: ``TABLE(FLATTEN(...))`` of an expression that reads no table flattens one input record,
    whose SEQ is 1 (as the reference page shows); a LATERAL FLATTEN has no SEQ column here (refuse_seq_reads)."""
    options = _options(call)
    if "INPUT" not in options:
        raise UnsupportedStatement("FLATTEN without INPUT =>")
    for refused_flag in ("OUTER", "RECURSIVE"):
        if _flag(options, refused_flag):
            raise UnsupportedStatement(f"FLATTEN({refused_flag} => TRUE)")
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
    text = _TEMPLATE.replace("__MODES__", modes).replace("__PREFIX__", prefix)
    select = sqlglot.parse_one(text.replace("__SEQ__", '1 AS "SEQ",' if single_record else ""), read="duckdb")
    for column in list(select.find_all(exp.Column)):
        if column.name == _INPUT:
            column.replace(source.copy())
    return exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(alias_name)))


def refuse_seq_reads(tree: exp.Expression, alias_name: str) -> None:
    """SEQ numbers the input records (and ``*`` includes it): not emulated, so refused."""
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
