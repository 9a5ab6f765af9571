"""The Snowflake deployment read from ``deploy_sql/``: statements, the task graph, the deploy plan.

``load_statements()`` reads the scripts in file order and splits them into :class:`DeployStatement`
objects with sqlglot's Snowflake tokenizer (a ``;`` inside a string, a ``$$...$$`` literal, a comment, a
``CASE ... END`` or a Snowflake Scripting ``BEGIN ... END`` block never splits a statement).
``CREATE STREAM`` and ``CREATE TASK`` are generic commands to sqlglot, so their options are read here
from the tokens: name, ``SCHEDULE``, ``WHEN``, the ``AFTER`` list, ``WAREHOUSE``, the other
``KEY = value`` parameters and the body.

``load_task_graph()`` builds the :class:`TaskGraph` (roots, children, orders for suspending and
resuming). ``plan_deploy(statements, state)`` turns the desired deployment and what exists
(:class:`DeployState`, read with :func:`read_state` through the Warehouse protocol) into the list of
statements to run, so that deploying again on a live pipeline loses nothing:

* databases, schemas, tables and streams are only created when missing: never replaced, never dropped
  (a replaced table would lose its data, a replaced stream its offset); a table that exists but lacks
  columns gets ``ALTER TABLE ... ADD COLUMN``;
* tasks and views are replaced (``CREATE OR REPLACE``); Snowflake refuses to change a graph whose root
  is started, so the plan first suspends the started roots of the graphs it replaces, and at the end
  resumes, for the graphs that were running, the children first and the root last.

Task names are identifiers (they cannot be bound as parameters): :meth:`TaskGraph.resolve` refuses any
name that is not a task of ``deploy_sql/`` before a caller pastes it into ``ALTER TASK`` or
``EXECUTE TASK``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.snowflake import Snowflake
from sqlglot.errors import ParseError
from sqlglot.tokens import Token, TokenType

DATABASE = "CAVES_ALBERT_DB"
DEPLOY_DIR = Path(os.environ.get("CAVES_DEPLOY_DIR") or Path(__file__).resolve().parent.parent / "deploy_sql")

KINDS = ("database", "schema", "table", "stream", "task", "view", "other")

_TOKENIZER = Snowflake().tokenizer_class()

# After BEGIN these words make it a transaction statement, not a Snowflake Scripting block.
_TRANSACTION_WORDS = {"TRANSACTION", "WORK", "NAME"}
# Scripting constructs closed by END IF / END FOR / ...: the opener is not counted, its END <word> is skipped.
_END_SUFFIXES = {"IF", "FOR", "LOOP", "WHILE", "REPEAT"}
# CREATE [OR REPLACE] <modifiers> <object type>
_CREATE_MODIFIERS = {"TRANSIENT", "TEMPORARY", "TEMP", "VOLATILE", "LOCAL", "GLOBAL", "SECURE", "RECURSIVE"}
_OBJECT_KINDS = {
    "DATABASE": "database",
    "SCHEMA": "schema",
    "TABLE": "table",
    "STREAM": "stream",
    "TASK": "task",
    "VIEW": "view",
}
_NAME_PARTS = {"database": 1, "schema": 2, "table": 3, "stream": 3, "task": 3, "view": 3}
_IDENTIFIER = re.compile(r'^(?:[A-Za-z_][A-Za-z0-9_$]*|"[^"]+")$')


class DeployError(ValueError):
    """deploy_sql/ is not what the planner expects (unparsable statement, broken task graph...)."""


class UnknownTaskError(DeployError, KeyError):
    """A task name that is not a task of deploy_sql/ (refused before it reaches any SQL text)."""

    def __str__(self) -> str:  # KeyError would print the repr of its argument
        return str(self.args[0]) if self.args else "unknown task"


# ---------------------------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskDef:
    """The options of one ``CREATE TASK`` (names fully qualified and upper-case)."""

    name: str
    schedule: str | None = None
    when: str | None = None
    after: tuple[str, ...] = ()
    warehouse: str | None = None
    comment: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)  # every other KEY = value, value unquoted
    body: str = ""

    @property
    def is_root(self) -> bool:
        return not self.after


@dataclass(frozen=True)
class StreamDef:
    """The options of one ``CREATE STREAM``."""

    name: str
    on_table: str
    source_type: str = "TABLE"
    append_only: bool = False
    show_initial_rows: bool = False
    comment: str | None = None


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

    def columns(self) -> list[Column]:
        """The columns of a ``CREATE TABLE``, in order."""
        if self.kind != "table" or self.verb != "CREATE":
            return []
        return table_columns(self.sql)


# ---------------------------------------------------------------------------------------------------------------
# Splitting and parsing
# ---------------------------------------------------------------------------------------------------------------


def tokenize(text: str) -> list[Token]:
    """Snowflake SQL tokens (sqlglot's tokenizer): strings, ``$$`` bodies and comments are never split."""
    return _TOKENIZER.tokenize(text)


def _word(tok: Token) -> str:
    """The upper-case keyword of a token (strings and quoted identifiers are never keywords)."""
    if tok.token_type in (TokenType.STRING, TokenType.RAW_STRING, TokenType.IDENTIFIER):
        return ""
    return tok.text.upper()


def split_statements(text: str) -> list[tuple[int, str]]:
    """Split Snowflake SQL text into statements: ``(line, text)`` pairs, text without the final ``;``.

    ``;`` only ends a statement outside every ``BEGIN ... END`` Scripting block and ``CASE ... END``
    expression (``BEGIN TRANSACTION`` / ``BEGIN;`` are statements, not blocks). Comments before a
    statement are not part of it; comments inside are kept.
    """
    tokens = tokenize(text)
    statements: list[tuple[int, str]] = []
    stack: list[str] = []
    first: Token | None = None
    last: Token | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = _word(tok)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.token_type == TokenType.SEMICOLON and not stack:
            if first is not None and last is not None:
                statements.append((first.line, text[first.start : last.end + 1]))
            first = last = None
            i += 1
            continue
        if first is None:
            first = tok
        last = tok
        if word == "BEGIN":
            if nxt is not None and nxt.token_type != TokenType.SEMICOLON and _word(nxt) not in _TRANSACTION_WORDS:
                if stack and stack[-1] == "DECLARE":
                    stack[-1] = "BEGIN"
                else:
                    stack.append("BEGIN")
        elif word == "DECLARE" and _declare_opens_block(tokens, i):
            stack.append("DECLARE")
        elif word == "CASE":
            stack.append("CASE")
        elif word == "END":
            suffix = _word(nxt) if nxt is not None else ""
            if suffix in _END_SUFFIXES:
                last = nxt
                i += 2
                continue
            if stack:
                stack.pop()
            if suffix == "CASE":  # END CASE closes a Scripting CASE statement
                last = nxt
                i += 2
                continue
        i += 1
    if first is not None and last is not None:
        statements.append((first.line, text[first.start : last.end + 1]))
    return statements


def statement_texts(text: str) -> list[str]:
    """The statements of ``text`` (see :func:`split_statements`), without their line numbers."""
    return [sql for _, sql in split_statements(text)]


def _declare_opens_block(tokens: list[Token], i: int) -> bool:
    """DECLARE opens a Scripting block at the start of a statement or of a task/procedure body (after AS)."""
    if i == 0:
        return True
    prev = tokens[i - 1]
    return prev.token_type == TokenType.SEMICOLON or _word(prev) == "AS"


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
    verb = _word(tokens[0])
    i = 1
    or_replace = if_not_exists = False
    if verb == "CREATE" and i + 1 < len(tokens) and _word(tokens[i]) == "OR" and _word(tokens[i + 1]) == "REPLACE":
        or_replace = True
        i += 2
    modifiers: list[str] = []
    while i < len(tokens) and _word(tokens[i]) in _CREATE_MODIFIERS:
        modifiers.append(_word(tokens[i]))
        i += 1
    object_type = _word(tokens[i]) if i < len(tokens) else ""
    i += 1
    if i + 2 < len(tokens) and [_word(t) for t in tokens[i : i + 3]] == ["IF", "NOT", "EXISTS"]:
        if_not_exists = True
        i += 3
    elif i + 1 < len(tokens) and [_word(t) for t in tokens[i : i + 2]] == ["IF", "EXISTS"]:
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


def _parse_task(tokens: list[Token], i: int, sql: str, name: str, file: str, line: int) -> TaskDef:
    db, schema, _ = name.split(".")
    schedule = when = warehouse = comment = None
    after: list[str] = []
    params: dict[str, str] = {}
    while i < len(tokens):
        tok = tokens[i]
        word = _word(tok)
        if word == "AS":
            body = sql[tok.end + 1 :].strip()
            if not body:
                raise DeployError(f"{file}:{line}: task {name} has no body")
            return TaskDef(
                name=name,
                schedule=schedule,
                when=when,
                after=tuple(after),
                warehouse=warehouse,
                comment=comment,
                params=params,
                body=body,
            )
        if word == "AFTER":
            i += 1
            while True:
                pred, i = _read_name(tokens, i)
                after.append(_qualify(pred, db, schema))
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
                elif depth == 0 and _word(t) == "AS":
                    break
                j += 1
            if j == i + 1 or j >= len(tokens):
                raise DeployError(f"{file}:{line}: task {name}: WHEN without a condition or without AS")
            when = sql[tokens[i + 1].start : tokens[j - 1].end + 1].strip()
            i = j
            continue
        if word and i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.EQ:
            value = _unquote(tokens[i + 2], sql)
            if word == "SCHEDULE":
                schedule = value
            elif word == "WAREHOUSE":
                warehouse = value.upper()
            elif word == "COMMENT":
                comment = value
            else:
                params[word] = value
            i += 3
            continue
        raise DeployError(f"{file}:{line}: task {name}: unexpected {tok.text!r} before AS")
    raise DeployError(f"{file}:{line}: task {name} has no AS <body>")


def _parse_stream(tokens: list[Token], i: int, sql: str, name: str, file: str, line: int) -> StreamDef:
    db, schema, _ = name.split(".")
    on_table = ""
    source_type = "TABLE"
    options: dict[str, str] = {}
    while i < len(tokens):
        word = _word(tokens[i])
        if word == "ON" and i + 1 < len(tokens):
            source_type = _word(tokens[i + 1])
            i += 2
            if source_type == "EXTERNAL" and i < len(tokens):  # ON EXTERNAL TABLE
                source_type = "EXTERNAL TABLE"
                i += 1
            table, i = _read_name(tokens, i)
            on_table = _qualify(table, db, schema)
            continue
        if word and i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.EQ:
            options[word] = _unquote(tokens[i + 2], sql)
            i += 3
            continue
        if word in {"COPY"}:  # COPY GRANTS
            i += 2
            continue
        raise DeployError(f"{file}:{line}: stream {name}: unexpected {tokens[i].text!r}")
    if not on_table:
        raise DeployError(f"{file}:{line}: stream {name} has no ON TABLE")
    return StreamDef(
        name=name,
        on_table=on_table,
        source_type=source_type,
        append_only=options.get("APPEND_ONLY", "FALSE").upper() == "TRUE",
        show_initial_rows=options.get("SHOW_INITIAL_ROWS", "FALSE").upper() == "TRUE",
        comment=options.get("COMMENT"),
    )


def block_statements(body: str) -> list[str]:
    """The statements inside a Snowflake Scripting block ``BEGIN ... [EXCEPTION ...] END`` (handlers left out).

    A body that is not a block is returned as one statement.
    """
    tokens = tokenize(body)
    if not tokens or _word(tokens[0]) != "BEGIN" or _word(tokens[-1]) != "END":
        return [body.strip()]
    inner_start = tokens[1].start if len(tokens) > 1 else tokens[0].end + 1
    inner_end = tokens[-1].start
    # cut at the block's own EXCEPTION (depth 0 inside the block)
    depth = 0
    for k, tok in enumerate(tokens[1:-1], start=1):
        word = _word(tok)
        following = tokens[k + 1]
        nxt = _word(following)
        opens_block = following.token_type != TokenType.SEMICOLON and nxt not in _TRANSACTION_WORDS
        if word == "CASE" or (word == "BEGIN" and opens_block):
            depth += 1
        elif word == "END" and nxt not in _END_SUFFIXES:
            depth -= 1
        elif word == "EXCEPTION" and depth == 0:
            inner_end = tok.start
            break
    return [sql for _, sql in split_statements(body[inner_start:inner_end])]


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


def load_task_graph(deploy_dir: str | Path | None = None) -> TaskGraph:
    """The task graph defined in deploy_sql/ (validated)."""
    graph = TaskGraph.from_statements(load_statements(deploy_dir))
    problems = graph.validate()
    if problems:
        raise DeployError("invalid task graph in deploy_sql/: " + "; ".join(problems))
    return graph


# ---------------------------------------------------------------------------------------------------------------
# Task graph
# ---------------------------------------------------------------------------------------------------------------


class TaskGraph:
    """The DAG of tasks: nodes are fully-qualified upper-case task names, edges go parent -> child."""

    def __init__(self, tasks: Iterable[TaskDef]) -> None:
        self.nodes: dict[str, TaskDef] = {}
        for task in tasks:
            if task.name in self.nodes:
                raise DeployError(f"task {task.name} is defined twice")
            self.nodes[task.name] = task
        self.edges: list[tuple[str, str]] = [(parent, t.name) for t in self.nodes.values() for parent in t.after]
        self._children: dict[str, list[str]] = {name: [] for name in self.nodes}
        for parent, child in self.edges:
            if parent in self._children:
                self._children[parent].append(child)

    @classmethod
    def from_statements(cls, statements: Iterable[DeployStatement]) -> TaskGraph:
        return cls(s.task for s in statements if s.kind == "task" and s.task is not None)

    # --- names ------------------------------------------------------------------------------------------------

    def resolve(self, name: str) -> str:
        """The fully-qualified name of a task of this graph, from its full, schema-qualified or short name.

        Case-insensitive for unquoted names. Anything else (an unknown task, or text that is not a plain
        identifier such as ``X; DROP TABLE Y``) raises :class:`UnknownTaskError`.
        """
        if not isinstance(name, str):
            raise UnknownTaskError(f"unknown task: {name!r}")
        parts = name.strip().split(".")
        if not parts or len(parts) > 3 or not all(_IDENTIFIER.match(p) for p in parts):
            raise UnknownTaskError(f"unknown task: {name!r}")
        wanted = [p[1:-1] if p.startswith('"') else p.upper() for p in parts]
        matches = [full for full in self.nodes if full.split(".")[-len(wanted) :] == wanted]
        if len(matches) != 1:
            raise UnknownTaskError(
                f"unknown task: {name!r}" if not matches else f"ambiguous task name {name!r}: {', '.join(matches)}"
            )
        return matches[0]

    def is_known(self, name: str) -> bool:
        try:
            self.resolve(name)
        except UnknownTaskError:
            return False
        return True

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.is_known(name)

    def __len__(self) -> int:
        return len(self.nodes)

    # --- structure --------------------------------------------------------------------------------------------

    def roots(self) -> list[str]:
        """Tasks without predecessors, in definition order."""
        return [name for name, task in self.nodes.items() if task.is_root]

    def parents(self, name: str) -> list[str]:
        return list(self.nodes[self.resolve(name)].after)

    def children(self, name: str) -> list[str]:
        return list(self._children[self.resolve(name)])

    def descendants(self, name: str) -> list[str]:
        """Every task downstream of ``name`` (not itself), parents before children."""
        start = self.resolve(name)
        seen: set[str] = set()
        stack = list(self._children[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(self._children.get(node, []))
        return [n for n in self.topological_order() if n in seen]

    def ancestors(self, name: str) -> list[str]:
        """Every task upstream of ``name`` (not itself), parents before children."""
        start = self.resolve(name)
        seen: set[str] = set()
        stack = list(self.nodes[start].after)
        while stack:
            node = stack.pop()
            if node not in seen and node in self.nodes:
                seen.add(node)
                stack.extend(self.nodes[node].after)
        return [n for n in self.topological_order() if n in seen]

    def root_of(self, name: str) -> str:
        """The root of the graph ``name`` belongs to (the first one if a task has several ancestries)."""
        node = self.resolve(name)
        seen = {node}
        while self.nodes[node].after:
            node = self.nodes[node].after[0]
            if node in seen or node not in self.nodes:
                raise DeployError(f"task {name} has no root (cycle or undefined predecessor)")
            seen.add(node)
        return node

    def graph_of(self, name: str) -> list[str]:
        """The whole graph of ``name``'s root: the root first, then its descendants (parents first)."""
        root = self.root_of(name)
        return [root, *self.descendants(root)]

    def topological_order(self) -> list[str]:
        """Every task, parents before children; ties keep the definition order (Kahn's algorithm)."""
        order_index = {name: k for k, name in enumerate(self.nodes)}
        indegree = {name: sum(1 for p in t.after if p in self.nodes) for name, t in self.nodes.items()}
        ready = [name for name, d in indegree.items() if d == 0]
        order: list[str] = []
        while ready:
            ready.sort(key=order_index.__getitem__)
            node = ready.pop(0)
            order.append(node)
            for child in self._children[node]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
        if len(order) != len(self.nodes):
            cyclic = sorted(set(self.nodes) - set(order))
            raise DeployError(f"the task graph has a cycle through {', '.join(cyclic)}")
        return order

    def children_first_order(self) -> list[str]:
        """Every task, children before parents, graph by graph: the order to resume in (roots last)."""
        order: list[str] = []
        for root in self.roots():
            order.extend(self.resume_order(root))
        return order

    def resume_order(self, name: str) -> list[str]:
        """The graph of ``name``, children first and the root last (Snowflake: resume children before the root)."""
        return list(reversed(self.graph_of(name)))

    def suspend_order(self, name: str) -> list[str]:
        """The graph of ``name``, root first: suspending the root stops the graph, then the children."""
        return self.graph_of(name)

    # --- checks -----------------------------------------------------------------------------------------------

    def validate(self) -> list[str]:
        """Snowflake's rules for a task graph; returns the problems found (empty when valid)."""
        problems: list[str] = []
        for name, task in self.nodes.items():
            for parent in task.after:
                if parent not in self.nodes:
                    problems.append(f"{name}: AFTER {parent} is not a task of deploy_sql/")
                elif parent.rsplit(".", 1)[0] != name.rsplit(".", 1)[0]:
                    problems.append(f"{name}: its predecessor {parent} is in another schema")
            if task.after and task.schedule:
                problems.append(f"{name}: a child task cannot have a SCHEDULE")
            if not task.after and not task.schedule and "FINALIZE" not in task.params:
                problems.append(f"{name}: a root task needs a SCHEDULE")
            if task.after and "SUSPEND_TASK_AFTER_NUM_FAILURES" in task.params:
                problems.append(f"{name}: SUSPEND_TASK_AFTER_NUM_FAILURES belongs on the root")
            if task.warehouse and "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE" in task.params:
                problems.append(f"{name}: WAREHOUSE and USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE are exclusive")
        try:
            self.topological_order()
        except DeployError as exc:
            problems.append(str(exc))
        return problems

    def to_dot(self) -> str:
        """The graph in Graphviz DOT (short names), e.g. for ``st.graphviz_chart``."""
        lines = ["digraph tasks {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
        for name, task in self.nodes.items():
            label = name.split(".")[-1]
            if task.schedule:
                label += f"\\n{task.schedule}"
            lines.append(f'  "{name.split(".")[-1]}" [label="{label}"];')
        for parent, child in self.edges:
            lines.append(f'  "{parent.split(".")[-1]}" -> "{child.split(".")[-1]}";')
        lines.append("}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------
# What exists, and the plan
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class TaskState:
    """A task as SHOW TASKS reports it."""

    name: str
    state: str = "suspended"  # 'started' | 'suspended'
    predecessors: tuple[str, ...] = ()

    @property
    def started(self) -> bool:
        return self.state.lower() == "started"


@dataclass
class StreamState:
    """A stream as SHOW STREAMS reports it."""

    name: str
    table_name: str | None = None
    mode: str | None = None
    stale: bool = False


@dataclass
class DeployState:
    """What already exists in the warehouse (fully-qualified upper-case names)."""

    database_exists: bool = False
    schemas: set[str] = field(default_factory=set)
    tables: dict[str, set[str]] = field(default_factory=dict)  # table -> its column names
    streams: dict[str, StreamState] = field(default_factory=dict)
    tasks: dict[str, TaskState] = field(default_factory=dict)

    @classmethod
    def coerce(cls, state: DeployState | Mapping[str, Any] | None) -> DeployState:
        """Accept a DeployState, None (nothing exists) or a plain mapping, e.g.::

        {"database_exists": True, "schemas": ["CAVES_ALBERT_DB.OPS"],
         "tables": {"CAVES_ALBERT_DB.OPS.T": ["A", "B"]},
         "streams": ["CAVES_ALBERT_DB.RAW_DATA.S"],           # or {name: {"stale": False, ...}}
         "tasks": {"CAVES_ALBERT_DB.OPS.ROOT": "started",      # or {"state": ..., "predecessors": [...]}
                   "CAVES_ALBERT_DB.OPS.CHILD": {"state": "started", "predecessors": ["CAVES_ALBERT_DB.OPS.ROOT"]}}}
        """
        if state is None:
            return cls()
        if isinstance(state, DeployState):
            return state
        tables = {_norm(k): {c.upper() for c in v} for k, v in dict(state.get("tables") or {}).items()}
        raw_streams = state.get("streams") or {}
        streams: dict[str, StreamState] = {}
        for key in raw_streams:
            info = raw_streams[key] if isinstance(raw_streams, Mapping) else {}
            info = info if isinstance(info, Mapping) else {}
            streams[_norm(key)] = StreamState(
                name=_norm(key),
                table_name=info.get("table_name"),
                mode=info.get("mode"),
                stale=_truthy(info.get("stale")),
            )
        tasks: dict[str, TaskState] = {}
        for key, info in dict(state.get("tasks") or {}).items():
            if isinstance(info, str):
                info = {"state": info}
            tasks[_norm(key)] = TaskState(
                name=_norm(key),
                state=str(info.get("state", "suspended")),
                predecessors=tuple(_norm(p) for p in info.get("predecessors") or ()),
            )
        schemas = {_norm(s) for s in state.get("schemas") or ()}
        database_exists = bool(state.get("database_exists", bool(schemas or tables or streams or tasks)))
        return cls(database_exists=database_exists, schemas=schemas, tables=tables, streams=streams, tasks=tasks)

    def state_root_of(self, name: str) -> str:
        """The root of ``name``'s graph as it exists now (following predecessors)."""
        node = name
        seen = {node}
        while node in self.tasks and self.tasks[node].predecessors:
            node = self.tasks[node].predecessors[0]
            if node in seen:
                break
            seen.add(node)
        return node

    def started_roots(self) -> list[str]:
        return [n for n, t in self.tasks.items() if t.started and not t.predecessors]


def _norm(name: str) -> str:
    return ".".join(p if p.startswith('"') else p.upper() for p in str(name).replace(" ", "").split("."))


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1"}
    return bool(value)


def add_column_sql(table: str, column: Column) -> str:
    """``ALTER TABLE ... ADD COLUMN`` for a column missing from an existing table.

    NOT NULL is left out (the table already has rows) and so is a non-constant default (Snowflake only
    accepts constant defaults when adding a column): existing rows get NULL, new rows get what the tasks write.
    """
    sql = f"alter table {table} add column {column.name} {column.type_sql}"
    if column.default_sql is not None and column.default_is_constant:
        sql += f" default {column.default_sql}"
    if column.comment:
        escaped = column.comment.replace("'", "''")
        sql += f" comment '{escaped}'"
    return sql


def _replace_stream_sql(stmt: DeployStatement) -> str:
    """CREATE OR REPLACE for a stale stream (its offset is lost anyway; only exit from STALE)."""
    return re.sub(
        r"^\s*create\s+stream\s+if\s+not\s+exists\s+",
        "create or replace stream ",
        stmt.sql,
        count=1,
        flags=re.IGNORECASE,
    )


def plan_deploy(
    statements: Sequence[DeployStatement],
    state: DeployState | Mapping[str, Any] | None = None,
    *,
    resume_all: bool = False,
    recreate_stale_streams: bool = False,
) -> list[str]:
    """The statements to run, in order, to bring the warehouse described by ``state`` to ``statements``.

    1. ``alter task <root> suspend`` for every started root whose graph is about to be replaced;
    2. deploy_sql/ in file order: database/schema/table/stream created only when missing (an existing table
       gets ``ADD COLUMN`` for its missing columns), tasks (parents before children) and views replaced,
       other statements (``ALTER TABLE ... SET``) as written; the ``ALTER TASK ... SUSPEND`` lines of the
       scripts are skipped, the plan handles task state itself;
    3. for each graph that was running (or every graph with ``resume_all``), ``alter task ... resume``
       children first and the root last. A child that exists and was suspended while its graph ran stays
       suspended (it was suspended on purpose); a new child of a running graph is resumed.

    Never emitted: ``DROP``, ``CREATE OR REPLACE TABLE``, ``CREATE OR REPLACE STREAM`` (except, when
    ``recreate_stale_streams`` is set, for a stream that SHOW STREAMS reports stale: its offset is already
    lost, and the pipeline's consumers are idempotent, see 50_streams.sql).
    """
    current = DeployState.coerce(state)
    graph = TaskGraph.from_statements(statements)
    problems = graph.validate()
    if problems:
        raise DeployError("invalid task graph: " + "; ".join(problems))

    # Graphs touched: every task of deploy_sql/ is replaced, so every existing graph holding one of them.
    replaced = set(graph.nodes)
    existing_graph_roots = {current.state_root_of(name) for name in replaced if name in current.tasks}
    order = {name: k for k, name in enumerate(graph.topological_order())}
    to_suspend = sorted(
        (r for r in current.started_roots() if r in existing_graph_roots), key=lambda r: (order.get(r, len(order)), r)
    )

    running_roots = set(current.started_roots())

    def was_running(root: str) -> bool:
        """Some task of this graph belongs, today, to a graph whose root is started."""
        return any(
            current.state_root_of(member) in running_roots for member in graph.graph_of(root) if member in current.tasks
        )

    plan: list[str] = [f"alter task {root} suspend" for root in to_suspend]
    task_statements = {s.name: s for s in statements if s.kind == "task"}
    emitted_tasks: set[str] = set()
    for stmt in statements:
        if stmt.kind == "database":
            if not current.database_exists:
                plan.append(stmt.sql)
        elif stmt.kind == "schema":
            if stmt.name not in current.schemas:
                plan.append(stmt.sql)
        elif stmt.kind == "table":
            if stmt.name not in current.tables:
                plan.append(stmt.sql)
            else:
                have = current.tables[stmt.name]
                plan.extend(add_column_sql(stmt.name, c) for c in stmt.columns() if c.name not in have)
        elif stmt.kind == "stream":
            existing = current.streams.get(stmt.name)
            if existing is None:
                plan.append(stmt.sql)
            elif existing.stale and recreate_stale_streams:
                plan.append(_replace_stream_sql(stmt))
        elif stmt.kind == "task":
            # parents before children, whatever the file order
            for name in [*graph.ancestors(stmt.name), stmt.name]:
                if name not in emitted_tasks:
                    plan.append(task_statements[name].sql)
                    emitted_tasks.add(name)
        elif stmt.kind == "view":
            plan.append(stmt.sql)
        elif stmt.is_task_control:
            continue
        else:
            plan.append(stmt.sql)

    for root in graph.roots():
        if not (resume_all or was_running(root)):
            continue
        for name in graph.resume_order(root):
            if name == root:
                continue
            before = current.tasks.get(name)
            if resume_all or before is None or before.started:
                plan.append(f"alter task {name} resume")
        plan.append(f"alter task {root} resume")
    return plan


# ---------------------------------------------------------------------------------------------------------------
# Reading what exists through the Warehouse protocol
# ---------------------------------------------------------------------------------------------------------------


def _records(frame: Any) -> list[dict[str, Any]]:
    """Rows of a query result (pandas DataFrame or list of mappings) with lower-case column names."""
    if frame is None:
        return []
    rows = frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)
    return [{str(k).lower(): v for k, v in row.items()} for row in rows]


def _missing_database(exc: Exception) -> bool:
    text = str(exc).lower()
    return "does not exist" in text or "not found" in text or "not authorized" in text


def _predecessors(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return ()
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = [v for v in value.strip("[]").split(",") if v.strip()]
    return tuple(_norm(str(v).replace('"', "").strip()) for v in value)


def read_state(warehouse: Any, database: str = DATABASE) -> DeployState:
    """What exists in ``database``, read with SHOW SCHEMAS/STREAMS/TASKS and INFORMATION_SCHEMA.COLUMNS.

    ``warehouse`` follows the Warehouse protocol (``query(sql) -> DataFrame``). A missing database gives an
    empty state (everything will be created).
    """
    try:
        schema_rows = _records(warehouse.query(f"show schemas in database {database}"))
    except Exception as exc:  # the warehouse's own error types differ by backend
        if _missing_database(exc):
            return DeployState()
        raise
    if not schema_rows:  # a Snowflake database always lists at least INFORMATION_SCHEMA
        return DeployState()
    state = DeployState(database_exists=True)
    state.schemas = {_norm(f"{database}.{r['name']}") for r in schema_rows if r.get("name")}
    column_rows = _records(
        warehouse.query(
            f"select C.TABLE_SCHEMA, C.TABLE_NAME, C.COLUMN_NAME "
            f"from {database}.INFORMATION_SCHEMA.COLUMNS as C "
            f"inner join {database}.INFORMATION_SCHEMA.TABLES as T "
            f"on C.TABLE_SCHEMA = T.TABLE_SCHEMA and C.TABLE_NAME = T.TABLE_NAME "
            f"where T.TABLE_TYPE = 'BASE TABLE' and C.TABLE_SCHEMA <> 'INFORMATION_SCHEMA'"
        )
    )
    for r in column_rows:
        table = _norm(f"{database}.{r['table_schema']}.{r['table_name']}")
        state.tables.setdefault(table, set()).add(str(r["column_name"]).upper())
    for r in _records(warehouse.query(f"show streams in database {database}")):
        name = _norm(f"{r.get('database_name') or database}.{r['schema_name']}.{r['name']}")
        state.streams[name] = StreamState(
            name=name,
            table_name=r.get("table_name"),
            mode=r.get("mode"),
            stale=_truthy(r.get("stale")),
        )
    for r in _records(warehouse.query(f"show tasks in database {database}")):
        name = _norm(f"{r.get('database_name') or database}.{r['schema_name']}.{r['name']}")
        state.tasks[name] = TaskState(
            name=name,
            state=str(r.get("state") or "suspended").lower(),
            predecessors=_predecessors(r.get("predecessors")),
        )
    return state
