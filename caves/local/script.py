"""Splitting Snowflake SQL text into statements.

Uses sqlglot's Snowflake tokenizer so that a ``;`` inside a string, a ``$$...$$`` body, a comment or
a Snowflake Scripting ``BEGIN ... END`` block never splits a statement.
"""

from __future__ import annotations

from sqlglot.dialects.snowflake import Snowflake
from sqlglot.tokens import TokenType

_TOKENIZER = Snowflake().tokenizer_class()

# After BEGIN, these words make it a transaction start rather than a Scripting block.
_TRANSACTION_WORDS = {"TRANSACTION", "WORK", "NAME"}
_BLOCK_OPENERS = {"IF", "FOR", "WHILE", "LOOP", "REPEAT"}


def _is_block_begin(tokens: list, i: int) -> bool:
    """BEGIN opens a Scripting block unless it starts a transaction (``BEGIN;``, ``BEGIN TRANSACTION``)."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or nxt.token_type == TokenType.SEMICOLON:
        return False
    return nxt.text.upper() not in _TRANSACTION_WORDS


def split_statements(text: str) -> list[str]:
    """Return the statements of ``text``, each without its trailing semicolon, comments kept."""
    tokens = _TOKENIZER.tokenize(text)
    statements: list[str] = []
    depth = 0
    start = 0
    for i, tok in enumerate(tokens):
        word = tok.text.upper()
        if tok.token_type == TokenType.STRING:
            continue
        if (word == "BEGIN" and _is_block_begin(tokens, i)) or _opens_nested_block(tokens, i, depth):
            depth += 1
        elif word == "END" and depth > 0:
            depth -= 1
        elif tok.token_type == TokenType.SEMICOLON and depth == 0:
            piece = text[start : tok.start].strip()
            if piece:
                statements.append(piece)
            start = tok.end + 1
    tail = text[start:].strip()
    if tail and _has_code(tail):
        statements.append(tail)
    return [s for s in statements if _has_code(s)]


def _opens_nested_block(tokens: list, i: int, depth: int) -> bool:
    """CASE (anywhere) and Scripting IF/FOR/WHILE/LOOP/REPEAT (inside a block) are closed by an END.

    ``END IF`` / ``END CASE`` close one: an opener word right after END is not a new block, and
    ``IF NOT EXISTS`` / ``IF EXISTS`` in DDL is not a Scripting IF.
    """
    word = tokens[i].text.upper()
    if i > 0 and tokens[i - 1].text.upper() == "END":
        return False
    if word == "CASE":
        return True
    if depth == 0 or word not in _BLOCK_OPENERS:
        return False
    if word == "IF":
        nxt = tokens[i + 1].text.upper() if i + 1 < len(tokens) else ""
        return nxt not in {"NOT", "EXISTS"}
    return True


def _has_code(piece: str) -> bool:
    return bool(_TOKENIZER.tokenize(piece))
