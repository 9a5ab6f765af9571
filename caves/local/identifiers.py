"""``IDENTIFIER(?)`` and ``IDENTIFIER($var)``: an object named by a bound value or a session variable.

https://docs.snowflake.com/en/sql-reference/identifier-literal: ``IDENTIFIER(...)`` takes a string literal, a session
variable or a bind variable holding the object's name. The name is known only when the statement runs (and the
engine caches translations by statement text), so before anything else the session replaces each such
``IDENTIFIER(...)`` by the name it holds — validated as a (1- to 3-part) Snowflake identifier and written back quoted,
part by part, never as raw text — and drops the bind it used. ``IDENTIFIER('<name>')`` is the translator's
(translate._constant_identifier).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlglot.dialects.snowflake import Snowflake
from sqlglot.tokens import TokenType

from . import variables
from .errors import SnowflakeError
from .names import quote, split_name

if TYPE_CHECKING:
    from .engine import Session


def _as_identifier(value: Any, written: str) -> str:
    if not isinstance(value, str):
        raise SnowflakeError(
            f"IDENTIFIER({written}): the value {value!r} is not a string.", errno=2003, sqlstate="42S02"
        )
    try:
        parts = split_name(value)
    except ValueError:
        raise SnowflakeError(f"invalid identifier {value!r}", errno=2003, sqlstate="42S02") from None
    return ".".join(quote(p) for p in parts)


def bind_identifiers(session: Session, text: str, params: Sequence[Any] | None) -> tuple[str, Sequence[Any] | None]:
    """``text`` with each ``IDENTIFIER(?)`` / ``IDENTIFIER($var)`` replaced by the quoted name it holds, and the binds
    without those ``IDENTIFIER(?)`` used."""
    if "IDENTIFIER" not in text.upper():
        return text, params
    tokens = Snowflake().tokenizer_class().tokenize(text)
    out, last, used, binds = [], 0, set(), 0
    for i, tok in enumerate(tokens):
        if tok.token_type == TokenType.PLACEHOLDER and tok.text == "?":
            binds += 1
        if tok.token_type != TokenType.VAR or tok.text.upper() != "IDENTIFIER":
            continue
        inner = tokens[i + 2 : i + 5]
        if i + 1 >= len(tokens) or tokens[i + 1].token_type != TokenType.L_PAREN or not inner:
            continue
        if (
            inner[0].token_type == TokenType.PLACEHOLDER
            and inner[0].text == "?"
            and inner[1:2]
            and (inner[1].token_type == TokenType.R_PAREN)
        ):
            if params is None or binds >= len(params):
                raise SnowflakeError("IDENTIFIER(?): no value is bound to the variable.", errno=2049, sqlstate="42601")
            name, end = _as_identifier(params[binds], "?"), inner[1].end
            used.add(binds)
        elif (
            inner[0].token_type == TokenType.PARAMETER
            and len(inner) == 3
            and inner[1].token_type == TokenType.VAR
            and inner[2].token_type == TokenType.R_PAREN
        ):
            name, end = (
                _as_identifier(variables.value(session, inner[1].text.upper()), "$" + inner[1].text),
                inner[2].end,
            )
        else:
            continue
        out.append(text[last : tok.start])
        out.append(name)
        last = end + 1
    if not out:
        return text, params
    out.append(text[last:])
    kept = None if params is None else [p for i, p in enumerate(params) if i not in used] or None
    return "".join(out), kept
