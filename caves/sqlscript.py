"""Reading Snowflake SQL scripts: tokens, statements, and Snowflake Scripting blocks.

One reader for every place that splits Snowflake text (the deploy planner, the local engine, the CLI's
``sql -f``, the Snowflake backends' ``execute_script``): sqlglot's Snowflake tokenizer, so a ``;`` inside a
string, a ``$$...$$`` literal, a comment, a ``CASE ... END`` or a ``BEGIN ... END`` block never splits a
statement. :func:`parse_block` reads a Scripting block into its statements and its exception handlers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot.dialects.snowflake import Snowflake
from sqlglot.tokens import Token, TokenType

_TOKENIZER = Snowflake().tokenizer_class()

# After BEGIN these words make it a transaction statement, not a Snowflake Scripting block.
_TRANSACTION_WORDS = {"TRANSACTION", "WORK", "NAME"}
# Scripting constructs closed by END IF / END FOR / ...: the opener is not counted, its END <word> is skipped.
_END_SUFFIXES = {"IF", "FOR", "LOOP", "WHILE", "REPEAT"}
_LOOP_OPENERS = {"IF", "FOR", "WHILE", "LOOP", "REPEAT"}


def tokenize(text: str) -> list[Token]:
    """Snowflake SQL tokens (sqlglot's tokenizer): strings, ``$$`` bodies and comments are never split."""
    return _TOKENIZER.tokenize(text)


def keyword(tok: Token) -> str:
    """The upper-case keyword of a token (strings and quoted identifiers are never keywords)."""
    if tok.token_type in (TokenType.STRING, TokenType.RAW_STRING, TokenType.IDENTIFIER):
        return ""
    return tok.text.upper()


def split_statements(text: str, *, scripting: bool = False) -> list[tuple[int, str]]:
    """Split Snowflake SQL text into statements: ``(line, text)`` pairs, text without the final ``;``.

    ``;`` only ends a statement outside every ``BEGIN ... END`` Scripting block and ``CASE ... END``
    expression (``BEGIN TRANSACTION`` / ``BEGIN;`` are statements, not blocks), and inside a block outside
    every ``IF (...) THEN ... END IF``, ``FOR ... DO|LOOP ... END FOR|LOOP``, ``WHILE``, ``LOOP`` and ``REPEAT``.
    Comments before a statement are not part of it; comments inside are kept. ``scripting`` says that
    ``text`` is the inside of a block (Scripting statements such as IF or FOR may start there).
    """
    tokens = tokenize(text)
    statements: list[tuple[int, str]] = []
    stack: list[str] = []  # the blocks open at this token
    first: Token | None = None
    last: Token | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.token_type == TokenType.SEMICOLON and not stack:
            if first is not None and last is not None:
                statements.append((first.line, text[first.start : last.end + 1]))
            first = last = None
            i += 1
            continue
        if first is None:
            first = tok
        last = tok
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if keyword(tok) != "END":
            _open_block(stack, tokens, i, scripting)
        elif _close_block(stack, nxt):
            last = nxt  # END IF / END FOR / END CASE ...: the word after END belongs to it
            i += 1
        i += 1
    if first is not None and last is not None:
        statements.append((first.line, text[first.start : last.end + 1]))
    return statements


def _open_block(stack: list[str], tokens: list[Token], i: int, scripting: bool) -> None:
    """Push (or complete) the block that ``tokens[i]`` opens, if any: a Scripting BEGIN or DECLARE, a CASE, and
    inside a block (or a ``scripting`` text) IF (...), FOR/WHILE (their header up to DO or LOOP), LOOP, REPEAT."""
    word = keyword(tokens[i])
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    in_script = bool(stack) or scripting
    if word == "BEGIN":
        if nxt is not None and nxt.token_type != TokenType.SEMICOLON and keyword(nxt) not in _TRANSACTION_WORDS:
            if stack and stack[-1] == "DECLARE":
                stack[-1] = "BEGIN"
            else:
                stack.append("BEGIN")
    elif word == "DECLARE" and _declare_opens_block(tokens, i):
        stack.append("DECLARE")
    elif word == "CASE":
        stack.append("CASE")
    elif in_script and word == "IF" and nxt is not None and nxt.token_type == TokenType.L_PAREN:
        stack.append("IF")  # Scripting IF (condition) THEN; DDL's IF [NOT] EXISTS has no parenthesis
    elif in_script and word in {"FOR", "WHILE"}:
        stack.append(word + "?")  # its header, up to the DO or LOOP that opens its body
    elif stack and word in {"DO", "LOOP"} and stack[-1].endswith("?"):
        stack[-1] = stack[-1][:-1]
    elif in_script and word in {"LOOP", "REPEAT"}:
        stack.append(word)


def _close_block(stack: list[str], nxt: Token | None) -> bool:
    """Close the block an END ends; True when the word after END is part of it (END IF, END LOOP, END CASE)."""
    suffix = keyword(nxt) if nxt is not None else ""
    if suffix in _END_SUFFIXES:
        if stack and stack[-1] in _LOOP_OPENERS:
            stack.pop()
        return True
    if stack:
        stack.pop()
    return suffix == "CASE"  # END CASE closes a Scripting CASE statement


def statement_texts(text: str, *, scripting: bool = False) -> list[str]:
    """The statements of ``text`` (see :func:`split_statements`), without their line numbers."""
    return [sql for _, sql in split_statements(text, scripting=scripting)]


def _declare_opens_block(tokens: list[Token], i: int) -> bool:
    """DECLARE opens a Scripting block at the start of a statement or of a task/procedure body (after AS)."""
    if i == 0:
        return True
    prev = tokens[i - 1]
    return prev.token_type == TokenType.SEMICOLON or keyword(prev) == "AS"


@dataclass(frozen=True)
class ScriptBlock:
    """A Snowflake Scripting ``BEGIN ... [EXCEPTION WHEN ... THEN ...] END`` block.

    ``handlers`` maps each exception name of a ``WHEN`` clause (``OTHER``, ``STATEMENT_ERROR``, a declared
    exception...), upper-cased, to the statements of its handler.
    """

    statements: list[str]
    handlers: dict[str, list[str]] = field(default_factory=dict)


def _opens_block(tokens: list[Token], k: int) -> bool:
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    return (
        following is not None
        and following.token_type != TokenType.SEMICOLON
        and (keyword(following) not in _TRANSACTION_WORDS)
    )


def parse_block(body: str) -> ScriptBlock | None:
    """The statements and exception handlers of a Scripting block; None when ``body`` is not a block."""
    text = body.strip().rstrip(";").strip()
    tokens = tokenize(text)
    if len(tokens) < 2 or keyword(tokens[0]) != "BEGIN" or keyword(tokens[-1]) != "END":
        return None
    if not _opens_block(tokens, 0):
        return None  # BEGIN TRANSACTION / BEGIN WORK
    inner_start = tokens[1].start
    inner_end = tokens[-1].start
    exception_at: int | None = None
    depth = 0
    for k in range(1, len(tokens) - 1):
        tok = tokens[k]
        word = keyword(tok)
        nxt = keyword(tokens[k + 1])
        if word == "CASE" or (word == "BEGIN" and _opens_block(tokens, k)):
            depth += 1
        elif word == "END" and nxt not in _END_SUFFIXES:
            depth -= 1
        elif word == "EXCEPTION" and depth == 0:
            exception_at = k
            inner_end = tok.start
            break
    statements = statement_texts(text[inner_start:inner_end], scripting=True)
    handlers: dict[str, list[str]] = {}
    if exception_at is not None:
        handlers = _handlers(text, tokens[exception_at + 1 : -1])
    return ScriptBlock(statements, handlers)


def _handlers(text: str, tokens: list[Token]) -> dict[str, list[str]]:
    """``WHEN a [OR b] THEN stmts WHEN c THEN stmts``: the WHENs at depth 0 (a CASE's WHEN is nested)."""
    clauses: list[tuple[int, list[str], int]] = []  # (index of WHEN, exception names, index after THEN)
    depth = 0
    k = 0
    while k < len(tokens):
        word = keyword(tokens[k])
        if word == "CASE" or (word == "BEGIN" and _opens_block(tokens, k)):
            depth += 1
        elif word == "END" and (k + 1 >= len(tokens) or keyword(tokens[k + 1]) not in _END_SUFFIXES):
            depth -= 1
        elif word == "WHEN" and depth == 0:
            when_at, names = k, []
            k += 1
            while k < len(tokens) and keyword(tokens[k]) != "THEN":
                if keyword(tokens[k]) != "OR":
                    names.append(tokens[k].text.upper())
                k += 1
            clauses.append((when_at, names, k + 1))
        k += 1
    handlers: dict[str, list[str]] = {}
    for n, (_when_at, names, first) in enumerate(clauses):
        stop = tokens[clauses[n + 1][0]].start if n + 1 < len(clauses) else tokens[-1].end + 1
        statements = statement_texts(text[tokens[first].start : stop], scripting=True) if first < len(tokens) else []
        for name in names:
            handlers[name] = statements
    return handlers
