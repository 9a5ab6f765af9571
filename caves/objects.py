"""The objects of a Snowflake deployment, parsed once: tasks, streams, tables, and the statements of deploy_sql/.

``CREATE TASK`` and ``CREATE STREAM`` are generic commands to sqlglot, so their options are read here from the
Snowflake tokens (caves.sqlscript): name, ``AFTER`` list, ``WHEN``, every ``KEY = value`` parameter and the body
(:class:`TaskDef`); source table and mode (:class:`StreamDef`). The deploy planner (caves.deploy), the task graph
(caves.dag), the local engine's ``CREATE TASK`` and the services all read tasks through :func:`parse_create_task`
/ :func:`parse_statement` and predecessor lists through :func:`parse_predecessors`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.tokens import Token, TokenType

from .sqlscript import keyword, split_statements, tokenize

DATABASE = "CAVES_ALBERT_DB"
DEPLOY_DIR = Path(os.environ.get("CAVES_DEPLOY_DIR") or Path(__file__).resolve().parent.parent / "deploy_sql")

KINDS = ("database", "schema", "table", "stream", "task", "view", "alert", "other")

# CREATE [OR REPLACE] <modifiers> <object type>
_CREATE_MODIFIERS = {"TRANSIENT", "TEMPORARY", "TEMP", "VOLATILE", "LOCAL", "GLOBAL", "SECURE", "RECURSIVE"}
_OBJECT_KINDS = {
    "DATABASE": "database",
    "SCHEMA": "schema",
    "TABLE": "table",
    "STREAM": "stream",
    "TASK": "task",
    "VIEW": "view",
    "ALERT": "alert",
}
_NAME_PARTS = {"database": 1, "schema": 2, "table": 3, "stream": 3, "task": 3, "view": 3, "alert": 3}


class DeployError(ValueError):
    """deploy_sql/ is not what the planner expects (unparsable statement, broken task graph...)."""


class ObjectSyntaxError(DeployError):
    """A CREATE TASK / CREATE STREAM whose text cannot be read (the engine reports it as a compilation error)."""


@dataclass(frozen=True)
class TaskDef:
    """The options of one ``CREATE TASK``.

    ``name`` and the ``after`` names are as written, unquoted parts upper-cased (deploy_sql/'s are fully
    qualified); ``params`` holds every ``KEY = value`` option, value unquoted (SCHEDULE, WAREHOUSE, COMMENT,
    SUSPEND_TASK_AFTER_NUM_FAILURES, ...); ``when`` the condition text; ``body`` the text after AS.
    """

    name: str
    after: tuple[str, ...] = ()
    when: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    body: str = ""
    or_replace: bool = False
    if_not_exists: bool = False

    @property
    def is_root(self) -> bool:
        return not self.after

    @property
    def schedule(self) -> str | None:
        return self.params.get("SCHEDULE")

    @property
    def warehouse(self) -> str | None:
        value = self.params.get("WAREHOUSE")
        return value.upper() if value else None

    @property
    def comment(self) -> str | None:
        return self.params.get("COMMENT")


@dataclass(frozen=True)
class StreamDef:
    """The options of one ``CREATE STREAM`` (names as written, unquoted parts upper-cased).

    ``at_stream`` is the stream named by ``AT(STREAM => '...')``; ``time_travel`` the text of any other
    ``AT``/``BEFORE`` clause (TIMESTAMP, OFFSET, STATEMENT), which the local engine cannot answer.
    """

    name: str
    on_table: str
    source_type: str = "TABLE"
    append_only: bool = False
    insert_only: bool = False
    show_initial_rows: bool = False
    comment: str | None = None
    or_replace: bool = False
    if_not_exists: bool = False
    at_stream: str | None = None
    time_travel: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)  # every KEY = value option, value unquoted


@dataclass(frozen=True)
class Column:
    """One column of a ``CREATE TABLE`` (as sqlglot parsed it)."""

    name: str
    type_sql: str
    not_null: bool = False
    default_sql: str | None = None
    default_is_constant: bool = True
    comment: str | None = None


@dataclass(frozen=True)
class DeployStatement:
    """One statement of deploy_sql/.

    ``kind`` is database | schema | table | stream | task | view | other; ``name`` is the fully-qualified,
    upper-case name of the object it creates or alters ('' when there is none); ``verb`` is its first word
    (CREATE, ALTER, ...); ``sql`` the statement text without its final ``;``.
    """

    kind: str
    name: str
    sql: str
    file: str = ""
    line: int = 0
    verb: str = ""
    object_type: str = ""
    or_replace: bool = False
    if_not_exists: bool = False
    task: TaskDef | None = None
    stream: StreamDef | None = None

    @property
    def is_task_control(self) -> bool:
        """``ALTER TASK ... SUSPEND|RESUME``: the planner emits its own, in the right order."""
        return self.verb == "ALTER" and self.object_type == "TASK"

    @property
    def is_alert_control(self) -> bool:
        """``ALTER ALERT ... SUSPEND|RESUME``: the planner emits its own (suspend before, resume after)."""
        return self.verb == "ALTER" and self.object_type == "ALERT"

    def columns(self) -> list[Column]:
        """The columns of a ``CREATE TABLE``, in order."""
        if self.kind != "table" or self.verb != "CREATE":
            return []
        return table_columns(self.sql)


def _read_name(tokens: list[Token], i: int) -> tuple[str, int]:
    """Read a (dotted) object name starting at tokens[i]; return it upper-cased (quoted parts kept) and the next i."""
    parts: list[str] = []
    while i < len(tokens):
        tok = tokens[i]
        if tok.token_type == TokenType.IDENTIFIER:
            parts.append(f'"{tok.text}"')
        elif tok.token_type in (TokenType.STRING, TokenType.RAW_STRING):
            break
        else:
            parts.append(tok.text.upper())
        i += 1
        if i < len(tokens) and tokens[i].token_type == TokenType.DOT:
            i += 1
            continue
        break
    return ".".join(parts), i


def _unquote(tok: Token, text: str) -> str:
    """An option's value: a string's content ('' and $$ quoting removed), else the token as written."""
    if tok.token_type in (TokenType.STRING, TokenType.RAW_STRING):
        return tok.text
    return text[tok.start : tok.end + 1]


def _qualify(name: str, default_db: str, default_schema: str | None) -> str:
    parts = name.split(".")
    if len(parts) == 1 and default_schema:
        return f"{default_db}.{default_schema}.{name}"
    if len(parts) == 2:
        return f"{default_db}.{name}"
    return name


def parse_statement(sql: str, *, file: str = "", line: int = 0) -> DeployStatement:
    """Classify one statement and parse the options of CREATE STREAM / CREATE TASK."""
    tokens = tokenize(sql)
    if not tokens:
        raise DeployError(f"{file}:{line}: empty statement")
    verb = keyword(tokens[0])
    i = 1
    or_replace = if_not_exists = False
    if verb == "CREATE" and i + 1 < len(tokens) and keyword(tokens[i]) == "OR" and keyword(tokens[i + 1]) == "REPLACE":
        or_replace = True
        i += 2
    modifiers: list[str] = []
    while i < len(tokens) and keyword(tokens[i]) in _CREATE_MODIFIERS:
        modifiers.append(keyword(tokens[i]))
        i += 1
    object_type = keyword(tokens[i]) if i < len(tokens) else ""
    i += 1
    if i + 2 < len(tokens) and [keyword(t) for t in tokens[i : i + 3]] == ["IF", "NOT", "EXISTS"]:
        if_not_exists = True
        i += 3
    elif i + 1 < len(tokens) and [keyword(t) for t in tokens[i : i + 2]] == ["IF", "EXISTS"]:
        i += 2
    kind = _OBJECT_KINDS.get(object_type, "other") if verb == "CREATE" else "other"
    name = ""
    if object_type in _OBJECT_KINDS and verb in {"CREATE", "ALTER", "DROP", "EXECUTE"}:
        name, i = _read_name(tokens, i)
        if kind != "other" and len(name.split(".")) != _NAME_PARTS[kind]:
            raise DeployError(f"{file}:{line}: {object_type} {name} must be fully qualified")
    task = _parse_task(tokens, i, sql, name, file, line) if kind == "task" else None
    stream = _parse_stream(tokens, i, sql, name, file, line) if kind == "stream" else None
    return DeployStatement(
        kind=kind,
        name=name,
        sql=sql,
        file=file,
        line=line,
        verb=verb,
        object_type=" ".join([*modifiers, object_type]) if modifiers else object_type,
        or_replace=or_replace,
        if_not_exists=if_not_exists,
        task=task,
        stream=stream,
    )


def _task_options(tokens: list[Token], i: int, sql: str, where: str) -> tuple[list[str], str | None, dict, str]:
    """From tokens[i] (after the task's name) to the body: (AFTER names, WHEN text, KEY = value params, body)."""
    when: str | None = None
    after: list[str] = []
    params: dict[str, str] = {}
    while i < len(tokens):
        tok = tokens[i]
        word = keyword(tok)
        if word == "AS":
            body = sql[tok.end + 1 :].strip().rstrip(";").strip()
            if not body:
                raise ObjectSyntaxError(f"{where} has no body after AS")
            return after, when, params, body
        if word == "AFTER":
            i += 1
            while True:
                pred, i = _read_name(tokens, i)
                after.append(pred)
                if i < len(tokens) and tokens[i].token_type == TokenType.COMMA:
                    i += 1
                    continue
                break
            continue
        if word == "WHEN":
            depth = 0
            j = i + 1
            while j < len(tokens):
                t = tokens[j]
                if t.token_type == TokenType.L_PAREN:
                    depth += 1
                elif t.token_type == TokenType.R_PAREN:
                    depth -= 1
                elif depth == 0 and keyword(t) == "AS":
                    break
                j += 1
            if j == i + 1 or j >= len(tokens):
                raise ObjectSyntaxError(f"{where}: WHEN without a condition or without AS")
            when = sql[tokens[i + 1].start : tokens[j - 1].end + 1].strip()
            i = j
            continue
        if word and i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.EQ:
            params[word] = _unquote(tokens[i + 2], sql)
            i += 3
            continue
        raise ObjectSyntaxError(f"{where}: unexpected {tok.text!r} before AS")
    raise ObjectSyntaxError(f"{where} has no AS <body>")


def _create_head(sql: str, object_type: str) -> tuple[list[Token], int, str, bool, bool]:
    """``CREATE [OR REPLACE] <type> [IF NOT EXISTS] name``: (tokens, index after the name, name, or_replace,
    if_not_exists)."""
    tokens = tokenize(sql)
    words = [keyword(t) for t in tokens[:6]]
    or_replace = words[1:3] == ["OR", "REPLACE"]
    i = 3 if or_replace else 1
    if i >= len(words) or words[0] != "CREATE" or words[i] != object_type:
        raise ObjectSyntaxError(f"not a CREATE {object_type} statement")
    i += 1
    if_not_exists = [keyword(t) for t in tokens[i : i + 3]] == ["IF", "NOT", "EXISTS"]
    if if_not_exists:
        i += 3
    name, i = _read_name(tokens, i)
    if not name:
        raise ObjectSyntaxError(f"CREATE {object_type} needs a name")
    return tokens, i, name, or_replace, if_not_exists


def parse_create_task(sql: str) -> TaskDef:
    """Read one ``CREATE [OR REPLACE] TASK [IF NOT EXISTS] name ... AS body`` (names as written)."""
    tokens, i, name, or_replace, if_not_exists = _create_head(sql, "TASK")
    after, when, params, body = _task_options(tokens, i, sql, f"task {name}")
    return TaskDef(name, tuple(after), when, params, body, or_replace, if_not_exists)


def _parse_task(tokens: list[Token], i: int, sql: str, name: str, file: str, line: int) -> TaskDef:
    db, schema, _ = name.split(".")
    try:
        after, when, params, body = _task_options(tokens, i, sql, f"task {name}")
    except ObjectSyntaxError as exc:
        raise DeployError(f"{file}:{line}: {exc}") from None
    return TaskDef(name=name, after=tuple(_qualify(p, db, schema) for p in after), when=when, params=params, body=body)


def normalize_name(name: str) -> str:
    """An object name with unquoted parts upper-cased and spaces removed (quoted parts kept as written)."""
    return ".".join(p if p.startswith('"') else p.upper() for p in str(name).replace(" ", "").split("."))


def parse_predecessors(value: Any) -> tuple[str, ...]:
    """SHOW TASKS' ``predecessors`` (a JSON array of names, a comma list, a list, or empty) as normalized names."""
    if value is None or (isinstance(value, float) and value != value):
        return ()
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return ()
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = [part for part in text.strip("[]").split(",") if part.strip()]
    return tuple(normalize_name(str(v).replace('"', "").strip()) for v in value)


def _stream_options(tokens: list[Token], i: int, sql: str, where: str) -> dict[str, Any]:
    """From tokens[i] (after the stream's name): ON <kind> <table>, COPY GRANTS, AT|BEFORE(...), KEY = value."""
    found: dict[str, Any] = {"source_type": "TABLE", "on_table": "", "options": {}}
    while i < len(tokens):
        word = keyword(tokens[i])
        if word == "ON" and i + 1 < len(tokens):
            found["source_type"] = keyword(tokens[i + 1])
            i += 2
            if found["source_type"] in {"EXTERNAL", "DYNAMIC"} and i < len(tokens):  # ON EXTERNAL|DYNAMIC TABLE
                found["source_type"] += " TABLE"
                i += 1
            found["on_table"], i = _read_name(tokens, i)
            continue
        if word in {"AT", "BEFORE"} and i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.L_PAREN:
            depth, j = 0, i + 1
            while j < len(tokens):
                depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(tokens[j].token_type, 0)
                if depth == 0:
                    break
                j += 1
            inner = tokens[i + 2 : j]
            if word == "AT" and len(inner) == 3 and keyword(inner[0]) == "STREAM" and inner[1].text == "=>":
                found["at_stream"] = _unquote(inner[2], sql)
            else:
                found["time_travel"] = sql[tokens[i].start : tokens[min(j, len(tokens) - 1)].end + 1]
            i = j + 1
            continue
        if word and i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.EQ:
            found["options"][word] = _unquote(tokens[i + 2], sql)
            i += 3
            continue
        if word == "COPY" and i + 1 < len(tokens) and keyword(tokens[i + 1]) == "GRANTS":
            i += 2
            continue
        raise ObjectSyntaxError(f"{where}: unexpected {tokens[i].text!r}")
    if not found["on_table"]:
        raise ObjectSyntaxError(f"{where} has no ON TABLE")
    return found


def _stream_def(name: str, found: dict[str, Any], on_table: str, **flags: bool) -> StreamDef:
    options = found["options"]
    return StreamDef(
        name=name,
        on_table=on_table,
        source_type=found["source_type"],
        append_only=options.get("APPEND_ONLY", "FALSE").upper() == "TRUE",
        insert_only=options.get("INSERT_ONLY", "FALSE").upper() == "TRUE",
        show_initial_rows=options.get("SHOW_INITIAL_ROWS", "FALSE").upper() == "TRUE",
        comment=options.get("COMMENT"),
        at_stream=found.get("at_stream"),
        time_travel=found.get("time_travel"),
        params=options,
        **flags,
    )


def parse_create_stream(sql: str) -> StreamDef:
    """Read one ``CREATE [OR REPLACE] STREAM [IF NOT EXISTS] name ... ON TABLE t ...`` (names as written)."""
    tokens, i, name, or_replace, if_not_exists = _create_head(sql, "STREAM")
    found = _stream_options(tokens, i, sql, f"stream {name}")
    return _stream_def(name, found, found["on_table"], or_replace=or_replace, if_not_exists=if_not_exists)


def _parse_stream(tokens: list[Token], i: int, sql: str, name: str, file: str, line: int) -> StreamDef:
    db, schema, _ = name.split(".")
    try:
        found = _stream_options(tokens, i, sql, f"stream {name}")
    except ObjectSyntaxError as exc:
        raise DeployError(f"{file}:{line}: {exc}") from None
    return _stream_def(name, found, _qualify(found["on_table"], db, schema))


def table_columns(create_table_sql: str) -> list[Column]:
    """The columns of a CREATE TABLE statement, parsed with sqlglot (Snowflake dialect)."""
    try:
        tree = sqlglot.parse_one(create_table_sql, read="snowflake")
    except ParseError as exc:
        raise DeployError(f"cannot parse CREATE TABLE: {exc}") from exc
    schema = tree.this if isinstance(tree, exp.Create) else None
    if not isinstance(schema, exp.Schema):
        raise DeployError("CREATE TABLE without a column list")
    columns: list[Column] = []
    for col in schema.expressions:
        if not isinstance(col, exp.ColumnDef):
            continue
        not_null = False
        default_sql = comment = None
        default_is_constant = True
        for constraint in col.constraints:
            kind = constraint.kind
            if isinstance(kind, exp.NotNullColumnConstraint) and not kind.args.get("allow_null"):
                not_null = True
            elif isinstance(kind, exp.DefaultColumnConstraint):
                default_sql = kind.this.sql(dialect="snowflake")
                default_is_constant = isinstance(kind.this, (exp.Literal, exp.Boolean, exp.Null))
            elif isinstance(kind, exp.CommentColumnConstraint):
                comment = kind.this.name
        columns.append(
            Column(
                name=col.name.upper(),
                type_sql=col.kind.sql(dialect="snowflake") if col.kind else "VARIANT",
                not_null=not_null,
                default_sql=default_sql,
                default_is_constant=default_is_constant,
                comment=comment,
            )
        )
    return columns


def parse_script(text: str, *, file: str = "") -> list[DeployStatement]:
    """All the statements of one script, in order."""
    return [parse_statement(sql, file=file, line=line) for line, sql in split_statements(text)]


def load_statements(deploy_dir: str | Path | None = None) -> list[DeployStatement]:
    """Every statement of deploy_sql/ (``*.sql`` in file-name order)."""
    directory = Path(deploy_dir) if deploy_dir is not None else DEPLOY_DIR
    files = sorted(directory.glob("*.sql"))
    if not files:
        raise DeployError(f"no .sql file in {directory}")
    statements: list[DeployStatement] = []
    for path in files:
        statements.extend(parse_script(path.read_text(encoding="utf-8"), file=path.name))
    return statements
