"""Session variables (``SET`` / ``UNSET`` / ``$name``) and the AUTOCOMMIT session parameter.

* ``SET x = <expr>`` / ``SET (a, b) = (<expr>, <expr>)`` evaluate the expressions once and keep the values in the
  session; ``$x`` in a statement reads them (https://docs.snowflake.com/en/sql-reference/sql/set). An undefined
  variable is an error, never a NULL. ``UNSET x`` / ``UNSET (a, b)`` drop them
  (https://docs.snowflake.com/en/sql-reference/sql/unset).
* ``ALTER SESSION SET AUTOCOMMIT = FALSE``: a DML statement outside a transaction opens one, which COMMIT or
  ROLLBACK ends (or DDL commits) (https://docs.snowflake.com/en/sql-reference/transactions, "Autocommit").

The translator turns ``$x`` into DuckDB's ``getvariable('CAVES_VAR_X')`` and lists the names it read
(``Translation.variables``); :func:`before_statement` sets them on the session's cursor just before the statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import SnowflakeError, UnsupportedStatement
from .model import Translation
from .names import normalize_part, quote
from .result import Result

if TYPE_CHECKING:
    from .engine import Session

Handler = Callable[["Session", str, Any], Result]

_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_SET_RE = re.compile(
    rf"^SET\s+(?P<lhs>\(\s*{_IDENT}(?:\s*,\s*{_IDENT})*\s*\)|{_IDENT})\s*=\s*(?P<rhs>.+)$", re.I | re.S
)
_UNSET_RE = re.compile(rf"^UNSET\s+(?P<names>\(\s*{_IDENT}(?:\s*,\s*{_IDENT})*\s*\)|{_IDENT})\s*$", re.I | re.S)
_AUTOCOMMIT_RE = re.compile(r"^ALTER\s+SESSION\s+SET\s+AUTOCOMMIT\s*=\s*(?P<value>TRUE|FALSE)\s*$", re.I)
_IDENT_RE = re.compile(_IDENT)


def duck_variable(name: str) -> str:
    """The DuckDB variable holding session variable ``name``."""
    return "CAVES_VAR_" + name


def _state(session: Session) -> dict[str, Any]:
    # Kept on the session object without a Session field of its own (engine.py stays as it is).
    return session.__dict__.setdefault("_caves_variables", {})


def autocommit(session: Session) -> bool:
    """The session's AUTOCOMMIT parameter (TRUE unless ALTER SESSION turned it off)."""
    return session.__dict__.get("_caves_autocommit", True)


def _names(text: str) -> list[str]:
    return [normalize_part(n) for n in _IDENT_RE.findall(text)]


def _split_top_level(text: str) -> list[str]:
    """``(1, f(2, 3), 'a,b')`` -> the three expressions (commas inside parentheses or quotes do not split)."""
    inner = text.strip()
    if not (inner.startswith("(") and inner.endswith(")")):
        return [inner]
    inner = inner[1:-1]
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(inner):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return [p.strip() for p in parts]


def _set(session: Session, text: str, params: Any) -> Result:
    match = _SET_RE.match(text)
    names = _names(match.group("lhs"))
    exprs = _split_top_level(match.group("rhs")) if len(names) > 1 else [match.group("rhs").strip()]
    if len(exprs) != len(names):
        raise SnowflakeError(
            f"SET: {len(names)} variables but {len(exprs)} values.", errno=2209, sqlstate="42601"
        )  # the counts must match (https://docs.snowflake.com/en/sql-reference/sql/set)
    row = session.execute("SELECT " + ", ".join(exprs), params).rows[0]
    _state(session).update(zip(names, row, strict=True))
    return Result.message("Statement executed successfully.")


def _unset(session: Session, text: str, params: Any) -> Result:
    state = _state(session)
    for name in _names(_UNSET_RE.match(text).group("names")):
        state.pop(name, None)
    return Result.message("Statement executed successfully.")


def _alter_autocommit(session: Session, text: str, params: Any) -> Result:
    value = _AUTOCOMMIT_RE.match(text).group("value").upper() == "TRUE"
    if session.in_transaction and value != autocommit(session):
        # What Snowflake does with the open transaction here is not stated where we could read it: refused.
        raise UnsupportedStatement("changing AUTOCOMMIT inside an open transaction (COMMIT or ROLLBACK first)")
    session.__dict__["_caves_autocommit"] = value
    return Result.message("Statement executed successfully.")


# Session parameters that change no result the engine returns (display formats, tags, client settings)...
_NO_EFFECT_PARAMETERS = {
    "QUERY_TAG", "DATE_OUTPUT_FORMAT", "TIME_OUTPUT_FORMAT", "TIMESTAMP_OUTPUT_FORMAT", "TIMESTAMP_NTZ_OUTPUT_FORMAT",
    "TIMESTAMP_LTZ_OUTPUT_FORMAT", "TIMESTAMP_TZ_OUTPUT_FORMAT", "STATEMENT_TIMEOUT_IN_SECONDS", "LOCK_TIMEOUT",
    "USE_CACHED_RESULT", "ABORT_DETACHED_QUERY", "ROWS_PER_RESULTSET", "BINARY_OUTPUT_FORMAT",
    "STATEMENT_QUEUED_TIMEOUT_IN_SECONDS", "PYTHON_CONNECTOR_QUERY_RESULT_FORMAT", "CLIENT_SESSION_KEEP_ALIVE",
}  # fmt: skip
# ... and those the engine honours only at their default value (https://docs.snowflake.com/en/sql-reference/parameters).
_DEFAULT_ONLY = {
    "TIMEZONE": {"UTC", "ETC/UTC"},  # the engine's clock and TIMESTAMP_LTZ are UTC
    "WEEK_START": {"0"},
    "WEEK_OF_YEAR_POLICY": {"0"},
    "TIMESTAMP_TYPE_MAPPING": {"TIMESTAMP_NTZ"},
}
_ASSIGNMENT_RE = re.compile(r"\s*([A-Za-z_][\w]*)\s*=\s*('(?:[^']|'')*'|[^\s,]+)\s*(?:,|$)")
_ALTER_SESSION_RE = re.compile(r"^ALTER\s+SESSION\s+(?P<verb>SET|UNSET)\s+(?P<rest>.+)$", re.I | re.S)


def _alter_session(session: Session, text: str, params: Any) -> Result:
    """ALTER SESSION SET / UNSET: parameters without a local effect are accepted; one that would change results
    is accepted at its default value only, refused otherwise (never silently ignored)."""
    match = _ALTER_SESSION_RE.match(text)
    if match.group("verb").upper() == "UNSET":
        return Result.message("Statement executed successfully.")  # back to the defaults, which the engine keeps
    for name, value in _ASSIGNMENT_RE.findall(match.group("rest")):
        name, plain = name.upper(), value.strip("'").upper()
        if name in _NO_EFFECT_PARAMETERS or plain in _DEFAULT_ONLY.get(name, ()):
            continue
        raise UnsupportedStatement(
            f"ALTER SESSION SET {name} = {value} (the local engine runs with one fixed value of this parameter)"
        )
    return Result.message("Statement executed successfully.")


# Checked by commands.find before its own handlers.
HANDLERS: list[tuple[re.Pattern, Handler]] = [
    (_AUTOCOMMIT_RE, _alter_autocommit),
    (_ALTER_SESSION_RE, _alter_session),
    (re.compile(r"^SET\s+(\(|[A-Za-z_\"])", re.I), _set),
    (re.compile(r"^UNSET\s+", re.I), _unset),
]


def before_statement(session: Session, translation: Translation) -> None:
    """Set the variables the statement reads on the session's cursor; open the implicit transaction of a DML
    statement when AUTOCOMMIT is off."""
    names = getattr(translation, "variables", ())
    if names:
        state = _state(session)
        missing = [n for n in names if n not in state]
        if missing:
            raise SnowflakeError(f"Session variable '${missing[0]}' does not exist", errno=2211, sqlstate="42000")
        with session.cursor() as cur:
            for name in names:
                cur.execute(f"SET VARIABLE {quote(duck_variable(name))} = ?", [state[name]])
    if translation.is_dml and not session.in_transaction and not autocommit(session):
        session.begin()


def value(session: Session, name: str) -> Any:
    """The value of session variable ``name`` (as normalised); an undefined variable is an error, never a NULL."""
    state = _state(session)
    if name not in state:
        raise SnowflakeError(f"Session variable '${name}' does not exist", errno=2211, sqlstate="42000")
    return state[name]
