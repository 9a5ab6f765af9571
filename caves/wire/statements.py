"""What the wire needs to know about a statement before or after the engine runs it.

- ``statementTypeId``: clients decide from it whether a result is a row count (DML) or a result set; the values
  are Snowflake's (snowflake-connector-python ``STATEMENT_TYPE_ID_*``, JDBC ``SFStatementType``). The engine does
  not report a statement's kind, so it is read here from the statement's first keywords (sqlglot's Snowflake
  tokenizer, so comments and strings are skipped correctly).
- multi-statement requests: the statements of a request, and the ``?`` binds that belong to each.
- the statements the server answers itself: ``RESULT_SCAN`` of an earlier query's result (the connector's
  ``get_results_from_sfqid`` runs one) and ``ALTER SESSION SET AUTOCOMMIT``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlglot.tokens import TokenType

from ..sqlscript import statement_texts, tokenize

UNKNOWN = 0x0000
SELECT = 0x1000
DML = 0x3000
INSERT = DML + 0x100
UPDATE = DML + 0x200
DELETE = DML + 0x300
MERGE = DML + 0x400
MULTI_INSERT = DML + 0x500
COPY = DML + 0x600
SCL = 0x4000
ALTER_SESSION = SCL + 0x100
USE = SCL + 0x300
SHOW = SCL + 0x400
DESCRIBE = SCL + 0x500
TCL = 0x5000
BEGIN = TCL + 0x100
COMMIT = TCL + 0x200
ROLLBACK = TCL + 0x300
DDL = 0x6000

# What the connector treats as a row count (cursor.STATEMENT_TYPE_ID_DML_SET).
DML_TYPES = frozenset({DML, INSERT, UPDATE, DELETE, MERGE, MULTI_INSERT})

_FIRST = {
    "SELECT": SELECT,
    "WITH": SELECT,
    "VALUES": SELECT,
    "INSERT": INSERT,
    "UPDATE": UPDATE,
    "DELETE": DELETE,
    "MERGE": MERGE,
    "COPY": COPY,
    "USE": USE,
    "SHOW": SHOW,
    "DESCRIBE": DESCRIBE,
    "DESC": DESCRIBE,
    "COMMIT": COMMIT,
    "ROLLBACK": ROLLBACK,
    "START": BEGIN,
    "CREATE": DDL,
    "DROP": DDL,
    "ALTER": DDL,
    "TRUNCATE": DDL,
    "UNDROP": DDL,
    "COMMENT": DDL,
    "GRANT": DDL,
    "REVOKE": DDL,
}

_RESULT_SCAN = re.compile(
    r"^\s*select\s+\*\s+from\s+table\s*\(\s*result_scan\s*\(\s*(?:'(?P<id>[^']+)'|(?P<last>last_query_id\s*\(\s*\)))"
    r"\s*\)\s*\)\s*;?\s*$",
    re.IGNORECASE,
)
_AUTOCOMMIT = re.compile(
    r"^\s*alter\s+session\s+set\s+autocommit\s*=\s*'?(?P<value>true|false|on|off|1|0)'?\s*;?\s*$", re.IGNORECASE
)
_MULTI_STATEMENT_COUNT = re.compile(
    r"^\s*alter\s+session\s+set\s+multi_statement_count\s*=\s*'?(?P<value>\d+)'?\s*;?\s*$", re.IGNORECASE
)


def _words(sql: str, count: int) -> list[str]:
    words = []
    for tok in tokenize(sql):
        if tok.token_type in (TokenType.STRING, TokenType.RAW_STRING, TokenType.IDENTIFIER):
            break
        words.append(tok.text.upper())
        if len(words) == count:
            break
    return words


def statement_type(sql: str) -> int:
    """Snowflake's ``statementTypeId`` for one statement (``UNKNOWN`` for CALL, EXECUTE TASK, scripts...)."""
    try:
        words = _words(sql, 3)
    except Exception:  # a statement the tokenizer refuses is reported by the engine, not here
        return UNKNOWN
    if not words:
        return UNKNOWN
    first = words[0]
    if first == "(":
        return SELECT  # a parenthesised query
    if first == "ALTER" and len(words) > 1 and words[1] == "SESSION":
        return ALTER_SESSION
    if first == "BEGIN" and (len(words) == 1 or words[1] in ("TRANSACTION", "WORK", "NAME", ";")):
        return BEGIN
    if first == "INSERT" and len(words) > 1 and words[1] in ("ALL", "FIRST"):
        return MULTI_INSERT
    return _FIRST.get(first, UNKNOWN)


def split(sql: str) -> list[str]:
    """The statements of a request, in order (``;`` inside strings, ``$$`` bodies and Scripting blocks kept)."""
    return statement_texts(sql)


def placeholder_count(sql: str) -> int:
    """How many ``?`` binds a statement has (``?`` inside a string or a comment is no bind)."""
    return sum(1 for tok in tokenize(sql) if tok.token_type == TokenType.PLACEHOLDER and tok.text == "?")


def distribute(statements: Sequence[str], params: Sequence[Any] | None) -> list[list[Any] | None]:
    """Each statement's share of a multi-statement request's ``?`` binds, in order."""
    if not params:
        return [None] * len(statements)
    shares: list[list[Any] | None] = []
    at = 0
    for sql in statements:
        n = placeholder_count(sql)
        shares.append(list(params[at : at + n]) if n else None)
        at += n
    return shares


def result_scan_target(sql: str) -> str | None:
    """``"<query id>"`` or ``"LAST"`` for ``SELECT * FROM TABLE(RESULT_SCAN(...))``, else None."""
    match = _RESULT_SCAN.match(sql)
    if match is None:
        return None
    return match["id"] or "LAST"


def multi_statement_count_setting(sql: str) -> int | None:
    """The value of ``ALTER SESSION SET MULTI_STATEMENT_COUNT = n``, else None."""
    match = _MULTI_STATEMENT_COUNT.match(sql)
    return int(match["value"]) if match else None


def autocommit_setting(sql: str) -> bool | None:
    """The value of ``ALTER SESSION SET AUTOCOMMIT = ...``, else None."""
    match = _AUTOCOMMIT.match(sql)
    if match is None:
        return None
    return match["value"].lower() in ("true", "on", "1")
