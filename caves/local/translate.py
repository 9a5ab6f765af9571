"""Snowflake SQL -> DuckDB SQL, on sqlglot's Snowflake parser and DuckDB generator.

sqlglot does most of the dialect work. This module owns what needs the catalog:

* names: ``DB.SCHEMA.T`` (or a 1-/2-part name completed from the session) -> ``"DB.SCHEMA"."T"``;
* streams: a reference to a stream becomes its net-change query over the source's change log;
* tracked tables (a stream exists on them) carry a hidden ``METADATA$ROW_ID`` column, hidden from reads;
* DDL targets, DML pre-images, table functions.

Expression-level rewrites (VARIANT -> JSON, ``v:path::TYPE``, Snowflake functions DuckDB lacks, ...) are the
ordered chains of small named transforms in ``transforms.py``; ``Translator.translate`` shows the order of the
steps.

A translation depends only on the statement text, the session's current database/schema and the
catalog version, so the engine caches it and translates each distinct statement once.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

import sqlglot
from sqlglot import exp
from sqlglot.generators.snowflake import SnowflakeGenerator
from sqlglot.helper import seq_get
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.parsers.snowflake import SnowflakeParser

from . import coltypes, flatten, sequences, transforms
from .errors import ObjectNotFound, SnowflakeError, UnsupportedStatement
from .model import OVERWRITE_ROWS, ROW_ID, Catalog, ChangePoint, StreamInfo, TableInfo, Translation
from .names import ObjectName, quote, resolve, split_name
from .optimize import optimize
from .streams import has_data_variable, stream_has_data_sql, stream_read_sql, table_as_of_sql
from .transforms import Context

# Snowflake storage properties (CLUSTER BY, COMMENT, ...) have no DuckDB form; dropping them is intended.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

# sqlglot drops the second argument of TRY_PARSE_JSON when parsing, and of both PARSE_JSON and TRY_PARSE_JSON
# when writing Snowflake SQL; that argument decides whether duplicate keys are allowed ('d') or an error ('s',
# the default). Keep it both ways (the engine regenerates Snowflake text for pre-images).
SnowflakeParser.FUNCTIONS["TRY_PARSE_JSON"] = lambda args: exp.ParseJSON(
    this=seq_get(args, 0), expression=seq_get(args, 1), safe=True
)
SnowflakeGenerator.TRANSFORMS[exp.ParseJSON] = lambda self, e: self.func(
    f"{'TRY_' if e.args.get('safe') else ''}PARSE_JSON", e.this, e.args.get("expression")
)
# sqlglot fills REGEXP_SUBSTR's group_num with 0 when it is absent; Snowflake's default is 1 when the parameters
# hold 'e' (transforms.regexp_substr needs to know whether the group was written).
SnowflakeParser.FUNCTIONS["REGEXP_SUBSTR"] = lambda args: exp.RegexpExtract(
    this=seq_get(args, 0),
    expression=seq_get(args, 1),
    position=seq_get(args, 2),
    occurrence=seq_get(args, 3),
    parameters=seq_get(args, 4),
    group=seq_get(args, 5),
)


def _refuse_unemulated_table_clauses(table: exp.Table) -> None:
    """Clauses on a table reference that the engine would otherwise drop silently (the emulator never lies)."""
    when = table.args.get("when")
    if when is not None and (when.text("kind").upper() not in {"TIMESTAMP", "OFFSET"} or when.find(exp.Placeholder)):
        raise UnsupportedStatement(
            f"time travel {when.sql('snowflake')} (only AT/BEFORE(TIMESTAMP | OFFSET => ...) on a table that tracks "
            "changes; no statement ids are kept)"
        )
    changes = table.args.get("changes")
    if changes is not None:
        # changes: AT(TIMESTAMP | OFFSET | STATEMENT | STREAM) | BEFORE(STATEMENT), END(TIMESTAMP | OFFSET | STATEMENT).
        # Query ids are not kept, so STATEMENT cannot be answered; an END after AT(STREAM) is not either.
        at, end = changes.args.get("at_before"), changes.args.get("end")
        kinds = [p.text("kind").upper() for p in (at, end) if p is not None]
        if at is None or at.this != "AT" or "STATEMENT" in kinds or (kinds[0] == "STREAM" and end is not None):
            raise UnsupportedStatement(
                f"{changes.sql('snowflake')}: CHANGES AT(STREAM => ...), or AT/END(TIMESTAMP | OFFSET => ...) "
                "(no statement ids are kept)"
            )


def _constant_identifier(table: exp.Table) -> exp.Table:
    """``IDENTIFIER('db.schema.t')``: the object named by the constant
    (https://docs.snowflake.com/en/sql-reference/identifier-literal). ``IDENTIFIER(?)`` / ``IDENTIFIER($var)`` were
    replaced by the name they hold before translation (identifiers.py); any other form is refused."""
    name = table.this.this
    if not (isinstance(name, exp.Literal) and name.is_string):
        raise UnsupportedStatement(f"{table.this.sql('snowflake')} (IDENTIFIER of a variable or a bind)")
    try:
        parts = split_name(name.name)
    except ValueError as exc:
        raise SnowflakeError(f"invalid identifier {name.name!r}", errno=2003, sqlstate="42S02") from exc
    keys = ("catalog", "db", "this")[3 - len(parts) :]
    new = exp.Table(**{k: exp.to_identifier(p, quoted=True) for k, p in zip(keys, parts, strict=True)})
    for key in ("alias", "joins", "pivots", "when", "sample", "changes"):
        if table.args.get(key) is not None:
            new.set(key, table.args[key])
    return new  # the caller replaces the IDENTIFIER(...) reference with the storage table it maps ``new`` to


def _changes_information(changes: exp.Changes) -> str:
    """CHANGES(INFORMATION => DEFAULT | APPEND_ONLY); DEFAULT when not given."""
    information = changes.text("information").upper() or "DEFAULT"
    if information not in {"DEFAULT", "APPEND_ONLY"}:
        raise SnowflakeError(f"CHANGES: INFORMATION must be DEFAULT or APPEND_ONLY, not {information}.", errno=1003)
    return information


def _table_parts(table: exp.Table) -> list[str]:
    return [p.name for p in (table.args.get("catalog"), table.args.get("db"), table.this) if p is not None]


def _storage_table(name: ObjectName, alias: exp.TableAlias | None) -> exp.Table:
    table = exp.Table(
        this=exp.to_identifier(name.name, quoted=True),
        db=exp.to_identifier(name.storage_schema, quoted=True),
    )
    if alias is not None:
        table.set("alias", alias)
    return table


def _subquery(sql: str, alias_name: str, alias: exp.TableAlias | None) -> exp.Expression:
    sub = exp.paren(sqlglot.parse_one(sql, read="duckdb"), copy=False)
    return exp.Subquery(
        this=sub.this,
        alias=alias if alias is not None else exp.TableAlias(this=exp.to_identifier(alias_name, quoted=True)),
    )


class Translator:
    """Translates one parsed statement. Not thread-safe; one instance per call."""

    def __init__(
        self,
        catalog: Catalog,
        database: str | None,
        schema: str | None,
        stream_reader: Callable[[StreamInfo], str] | None = None,
    ) -> None:
        self.catalog = catalog
        self.database = database
        self.schema = schema
        # How a stream reference is read; the benchmark's plain-DuckDB baseline swaps in a direct table read.
        self.stream_reader = stream_reader
        self.streams: list[ObjectName] = []
        self.has_data: list[tuple[ObjectName, str]] = []
        self.change_points: list[ChangePoint] = []
        # Nanosecond timestamp columns of the tables and streams read, by alias (and name): see transforms.floor_ns_to_us.
        self.ns_columns: dict[str, frozenset[str]] = {}
        self.variables: list[str] = []  # session variables ($name) read
        self.date_columns: dict[str, frozenset[str]] = {}  # DATE columns of the tables read, by alias (and name)
        self.columns_read: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}  # (columns, VARCHAR ones), by alias

    # names ------------------------------------------------------------------------------------------

    def resolve(self, parts: list[str]) -> ObjectName:
        try:
            return resolve(parts, self.database, self.schema)
        except ValueError as exc:
            raise SnowflakeError(str(exc), errno=90105, sqlstate="22000") from exc

    def _rewrite_table(self, table: exp.Table, cte_names: set[str], dml_target: exp.Table | None) -> exp.Expression:
        if isinstance(table.this, exp.DynamicIdentifier):
            table = _constant_identifier(table)
        if not isinstance(table.this, exp.Identifier):
            return table  # a table function or similar: handled elsewhere
        parts = _table_parts(table)
        if (len(parts) == 1 and parts[0] in cte_names) or parts == ["$CAVES_BATCH"]:
            return table
        if len(parts) >= 2 and parts[-2] == "INFORMATION_SCHEMA":
            database = parts[0] if len(parts) == 3 else self.database
            return _storage_table(ObjectName(database or "", "INFORMATION_SCHEMA", parts[-1]), table.args.get("alias"))
        _refuse_unemulated_table_clauses(table)
        name = self.resolve(parts)
        alias = table.args.get("alias")
        if table.args.get("changes") is not None:
            return self._changes_read(table, name, alias)
        stream = self.catalog.stream(name)
        if stream is not None:
            if table is dml_target:
                raise SnowflakeError(f"Stream '{name}' cannot be the target of a DML statement.", errno=2201)
            self.streams.append(name)
            self._note_ns_columns(name, alias, stream.ns_columns)
            return _subquery((self.stream_reader or stream_read_sql)(stream), name.name, alias)
        info = self.catalog.table(name)
        if info is None:
            if not self.catalog.database_exists(name.database):
                raise ObjectNotFound("Database", name.database)
            raise ObjectNotFound("Object", name.fqn)
        self._note_ns_columns(name, alias, info.ns_columns)
        if info.date_columns:
            self.date_columns[alias.name if alias is not None and alias.name else name.name] = info.date_columns
        self.columns_read[alias.name if alias is not None and alias.name else name.name] = (
            info.columns,
            info.text_columns,
        )
        if table.args.get("when") is not None:
            return self._as_of(table, info, alias)
        if info.tracked and table is not dml_target:
            inner = f"SELECT * EXCLUDE ({quote(ROW_ID)}) FROM {name.duck}"
            return _subquery(inner, name.name, alias)
        stored = _storage_table(name, alias)
        stored.meta["caves_rowid"] = info.kind == "TABLE"  # a stored table's rows have DuckDB row ids (_flatten_seq)
        return stored

    def _changes_read(self, table: exp.Table, name: ObjectName, alias: exp.TableAlias | None) -> exp.Expression:
        """``t CHANGES(INFORMATION => DEFAULT|APPEND_ONLY) AT(STREAM => 's')``: the changes of ``t`` since the
        stream's offset, read like the stream in that mode, and never consumed (SNOWFLAKE_SEMANTICS.md §1.8)."""
        changes = table.args["changes"]
        if changes.args["at_before"].text("kind").upper() != "STREAM":
            return self._changes_between(changes, name, alias)
        stream_name = self.resolve(changes.args["at_before"].expression.name.split("."))
        stream = self.catalog.stream(stream_name)
        if stream is None:
            raise ObjectNotFound("Stream", stream_name.fqn)
        if stream.source != name:
            raise SnowflakeError(
                f"CHANGES AT(STREAM => '{stream_name.name}'): the stream is on {stream.source.fqn}, not {name.fqn}.",
                errno=2203,
            )
        information = _changes_information(changes)
        if information == "DEFAULT" and stream.mode == "APPEND_ONLY":
            # The change log of an append-only stream's table records inserts only: the net change of
            # updates and deletes is not there to read.
            raise UnsupportedStatement("CHANGES(INFORMATION => DEFAULT) at an append-only stream's offset")
        mode = "APPEND_ONLY" if information == "APPEND_ONLY" else stream.mode
        read = dataclasses.replace(stream, mode=mode)
        return _subquery((self.stream_reader or stream_read_sql)(read), name.name, alias)

    def _changes_between(self, changes: exp.Changes, name: ObjectName, alias: exp.TableAlias | None) -> exp.Expression:
        """``t CHANGES(...) AT(TIMESTAMP|OFFSET => ...) [END(...)]``: the log of ``t`` between two versions that
        the session resolves from the times before the statement runs (changes: "The results are inclusive of
        the end marker"). The table must track changes (a stream on it, or CHANGE_TRACKING = TRUE)."""
        info = self.catalog.table(name)
        if info is None:
            raise ObjectNotFound("Table", name.fqn)
        if not info.tracked:
            raise SnowflakeError(
                f"Change tracking is not enabled or has been missing for the time range requested on table '{name.fqn}'.",
                errno=2203,
            )
        information = _changes_information(changes)
        if information == "DEFAULT" and info.capture != "all":
            raise UnsupportedStatement("CHANGES(INFORMATION => DEFAULT) on a table whose streams are all append-only")
        bounds = {}
        for point in (changes.args["at_before"], changes.args.get("end")):
            if point is None:
                continue
            if point.find(exp.Placeholder):
                raise UnsupportedStatement("a bind variable in CHANGES AT/END")
            variable = f"CAVES_CHANGES_{len(self.change_points)}"
            value = sqlglot.transpile(point.expression.sql("snowflake"), read="snowflake", write="duckdb")[0]
            is_end = point.this.upper() == "END"
            kind = point.text("kind").upper()
            self.change_points.append(ChangePoint(variable, name, kind, value, inclusive=is_end, start=not is_end))
            bounds["upper_sql" if is_end else "lower_sql"] = f"getvariable('{variable}')"
        read = StreamInfo(
            name=name,
            source=name,
            mode="APPEND_ONLY" if information == "APPEND_ONLY" else "DEFAULT",
            columns=info.columns,
            ns_columns=info.ns_columns,
            **bounds,
        )
        return _subquery((self.stream_reader or stream_read_sql)(read), name.name, alias)

    def _as_of(self, table: exp.Table, info: TableInfo, alias: exp.TableAlias | None) -> exp.Expression:
        """``t AT|BEFORE(TIMESTAMP|OFFSET => ...)`` (at-before): the table as it was, rebuilt from its change log,
        which a table has once it tracks changes (a stream on it, or CHANGE_TRACKING = TRUE). AT includes the
        changes made at that time, BEFORE does not. Other tables keep no history: refused."""
        when = table.args["when"]
        if not info.tracked or info.capture != "all" or info.kind != "TABLE":
            raise UnsupportedStatement(
                f"time travel {when.sql('snowflake')} on {info.name.fqn}: the local engine keeps history only for "
                "tables that track all changes (ALTER TABLE ... SET CHANGE_TRACKING = TRUE, or a standard stream)"
            )
        variable = f"CAVES_CHANGES_{len(self.change_points)}"
        value = sqlglot.transpile(when.expression.sql("snowflake"), read="snowflake", write="duckdb")[0]
        inclusive = when.this.upper() == "AT"
        self.change_points.append(
            ChangePoint(variable, info.name, when.text("kind").upper(), value, inclusive=inclusive, start=True)
        )
        sql = table_as_of_sql(info.name, info.columns, f"getvariable('{variable}')")
        return _subquery(sql, info.name.name, alias)

    def _note_ns_columns(self, name: ObjectName, alias: exp.TableAlias | None, columns: frozenset[str]) -> None:
        if columns:
            self.ns_columns[alias.name if alias is not None and alias.name else name.name] = columns

    def context(self) -> Context:
        """The transforms' view of this translation (a new one per (sub)statement, sharing the column map)."""
        return Context(
            database=self.database,
            schema=self.schema,
            ns_columns=self.ns_columns,
            stream_has_data=self._stream_has_data,
            variables=self.variables,
            date_columns=self.date_columns,
            columns_read=self.columns_read,
        )

    def rewrite_expressions(self, tree: exp.Expression) -> exp.Expression:
        """The expression chain of transforms.py over the statement (after its tables are mapped)."""
        return transforms.rewrite_expressions(tree, self.context())

    def _stream_has_data(self, node: exp.Anonymous) -> exp.Expression:
        arg = node.expressions[0] if node.expressions else None
        if not isinstance(arg, exp.Literal) or not arg.is_string:
            raise SnowflakeError("SYSTEM$STREAM_HAS_DATA expects the stream name as a string literal.")
        name = self.resolve(split_name(arg.name))
        stream = self.catalog.stream(name)
        if stream is None:
            raise ObjectNotFound("Stream", name.fqn)
        # Evaluated by the session before the statement runs (see streams.prepare_stream_reads).
        self.has_data.append((name, stream_has_data_sql(stream)))
        return exp.func("getvariable", exp.Literal.string(has_data_variable(len(self.has_data) - 1)))

    def _rewrite_table_function(self, node: exp.TableFromRows) -> exp.Expression:
        """``TABLE(DB.INFORMATION_SCHEMA.TASK_HISTORY(K => v))`` -> the engine's table macro."""
        call = node.this
        database = self.database
        if isinstance(call, exp.Dot):
            chain = []
            cur = call
            while isinstance(cur, exp.Dot):
                chain.append(cur)
                cur = cur.this
            func = call.expression
            qualifiers = [cur.name] + [d.expression.name for d in reversed(chain[1:])] if chain else []
            qualifiers = [q.upper() for q in qualifiers if q]
            if len(qualifiers) >= 2:
                database = qualifiers[0]
        else:
            func = call
        if not isinstance(func, (exp.Anonymous, exp.Func)):
            raise SnowflakeError(f"Unsupported table function: {call.sql('snowflake')}")
        fname = func.name.upper() if isinstance(func, exp.Anonymous) else func.sql_name().upper()
        if fname not in {
            "TASK_HISTORY",
            "TASK_DEPENDENTS",
            "GENERATOR",
            "COMPLETE_TASK_GRAPHS",
            "CURRENT_TASK_GRAPHS",
            "ALERT_HISTORY",
            "NOTIFICATION_OUTBOX",
        }:
            raise SnowflakeError(f"Unsupported table function: {fname}")
        args: list[exp.Expression] = [exp.Literal.string(database or "")]
        if not isinstance(func, exp.Anonymous):
            # sqlglot models some table functions (GENERATOR) with named arguments of its own
            for key, value in func.args.items():
                if key != "expressions" and isinstance(value, exp.Expression):
                    args.append(exp.PropertyEQ(this=exp.to_identifier(key.upper()), expression=value))
        for arg in func.expressions:
            if isinstance(arg, exp.Kwarg):
                args.append(exp.PropertyEQ(this=exp.to_identifier(arg.this.name.upper()), expression=arg.expression))
            else:
                args.append(arg)
        table = exp.Table(this=exp.Anonymous(this=f"SF_{fname}", expressions=args))
        if node.args.get("alias") is not None:
            table.set("alias", node.args["alias"])
        return table

    # statements -------------------------------------------------------------------------------------

    def translate(self, tree: exp.Expression) -> Translation:
        tree = normalize_identifiers(tree, dialect="snowflake")
        declared = coltypes.declared_columns(tree)  # before CTAS column lists become casts (coltypes.py)
        for transform in transforms.STATEMENT_TRANSFORMS:
            tree = transform(tree)
        kind, target_node = _statement_kind(tree)
        cte_names = {cte.alias_or_name.upper() for cte in tree.find_all(exp.CTE)}

        if kind == "ddl":
            return self._translate_ddl(tree, cte_names, declared)

        target_info: TableInfo | None = None
        if target_node is not None and isinstance(target_node.this, exp.Identifier):
            target_name = self.resolve(_table_parts(target_node))
            target_info = self.catalog.table(target_name)
            if target_info is None:
                if self.catalog.stream(target_name) is not None:
                    raise SnowflakeError(f"Stream '{target_name}' cannot be the target of a DML statement.")
                raise ObjectNotFound("Table", target_name.fqn)

        # Pre-images must be read from the target before the change, with the source as written.
        pre_image_sql, pre_image_params = None, (0, 0)
        if target_info is not None and _needs_pre_image(target_info.capture, kind, tree):
            pre_image_sql, pre_image_params = self._pre_image_sql(tree, kind, target_node, cte_names)

        if kind == "select":
            transforms.name_unaliased_columns(tree)
        self._resolve_join_aliases(tree, cte_names)
        self._complete_insert_columns(tree, kind, target_info)
        nextvals = sequences.rewrite_nextval(tree, self.resolve, self.catalog.sequence)
        self._rewrite_tables(tree, cte_names, target_node)
        tree = self.rewrite_expressions(tree)
        for post in transforms.POST_NODE_TRANSFORMS:
            tree = post(tree)
        tree = optimize(tree)  # caves/local/optimize.py: result-preserving rewrites for DuckDB
        overwrite_sql = None
        if kind == "insert" and tree.args.get("overwrite"):
            overwrite_sql = _overwrite(tree)
            if target_info is not None and target_info.tracked:  # the emptied rows, for the change log
                pre_image_sql, pre_image_params = f"SELECT * FROM {target_info.name.duck}", (0, 0)

        # A MERGE reports its inserted/updated/deleted counts (and, on a table whose updates are
        # captured, which rows it touched).
        returning = kind == "merge"
        if returning:
            columns = [exp.column("merge_action")]
            if pre_image_sql is not None:
                columns.append(exp.column(ROW_ID, quoted=True))
            tree.set("returning", exp.Returning(expressions=columns))
        return Translation(
            sql=tree.sql(dialect="duckdb"),
            kind=kind,
            streams=tuple(dict.fromkeys(self.streams)),
            has_data=tuple(self.has_data),
            change_points=tuple(self.change_points),
            target=target_info,
            pre_image_sql=pre_image_sql,
            pre_image_params=pre_image_params,
            overwrite_sql=overwrite_sql,
            returning=returning,
            variables=tuple(dict.fromkeys(self.variables)),
            merge_actions=_merge_actions(tree) if kind == "merge" else (),
            after_sql=sequences.skip_sql(nextvals),
        )

    def _resolve_join_aliases(self, tree: exp.Expression, cte_names: set[str]) -> None:
        """A select-list alias named in a ``JOIN ... ON`` condition stands for its expression, as Snowflake resolves
        it (``SELECT SUBSTR(t.col, 4) AS alias ... JOIN j ON alias = j.col``), unless a column of a joined source
        has that name (a column comes first, as in WHERE). DuckDB knows no alias there. Only done when every
        source's columns are known (tables, views, subqueries and CTEs with named columns): otherwise the name is
        left to DuckDB, which finds the column or raises an error — never a guess."""
        for select in tree.find_all(exp.Select):
            joins = [j for j in select.args.get("joins") or [] if j.args.get("on") is not None]
            aliases = {a.alias.upper(): a.this for a in select.expressions if isinstance(a, exp.Alias)}
            if not joins or not aliases:
                continue
            sources = [select.args["from_"].this] if select.args.get("from_") else []
            sources += [j.this for j in select.args.get("joins") or []]
            known: set[str] = set()
            for source in sources:
                columns = self._source_columns(source, tree, cte_names)
                if columns is None:
                    break
                known |= columns
            else:
                for join in joins:
                    for column in list(join.args["on"].find_all(exp.Column)):
                        name = column.name.upper()
                        if not column.table and name in aliases and name not in known:
                            column.replace(aliases[name].copy())

    def _source_columns(self, source: exp.Expression, tree: exp.Expression, cte_names: set[str]) -> set[str] | None:
        """The column names a FROM / JOIN source offers, or None when they cannot be told here."""
        if isinstance(source, exp.Subquery):
            return _named_columns(source.this)
        if not isinstance(source, exp.Table) or not isinstance(source.this, exp.Identifier):
            return None
        if not source.args.get("db") and source.name.upper() in cte_names:
            ctes = (c for c in tree.find_all(exp.CTE) if c.alias_or_name.upper() == source.name.upper())
            return _named_columns(next(ctes).this)
        info = self.catalog.table(self.resolve(_table_parts(source)))
        return None if info is None else {c.upper() for c in info.columns}

    def _rewrite_tables(
        self, tree: exp.Expression, cte_names: set[str], target: exp.Table | None, done: exp.Table | None = None
    ) -> None:
        for sub in list(tree.find_all(exp.Subquery)):
            if sub.args.get("sample") is not None:  # SAMPLE on a derived table: as on a table
                sub.set("sample", transforms.row_sample(sub.args["sample"]))
        for table in list(tree.find_all(exp.Table)):
            if table is done or table.meta.get("caves_done"):
                continue
            sample = table.args.get("sample")
            replacement = self._rewrite_table(table, cte_names, target)
            if sample is not None:  # SAMPLE / TABLESAMPLE, on the table as stored (transforms.row_sample)
                replacement.set("sample", transforms.row_sample(sample))
            if replacement is not table:
                table.replace(replacement)
        self._rewrite_flattens(tree)
        for tf in list(tree.find_all(exp.TableFromRows)):
            tf.replace(self._rewrite_table_function(tf))

    def _rewrite_flattens(self, tree: exp.Expression) -> None:
        """``LATERAL FLATTEN(...)`` and ``TABLE(FLATTEN(...))``: flatten.py's subquery over json_each."""
        for node in list(tree.find_all(exp.Lateral, exp.TableFromRows)):
            if not flatten.is_flatten(node.this):
                continue
            alias = node.args.get("alias")
            alias_name = alias.name if alias is not None and alias.name else "FLATTEN"
            seq = _flatten_seq(node)
            if seq is None:
                flatten.refuse_seq_reads(tree, alias_name)
            node.replace(flatten.flatten_subquery(node.this, alias_name, seq))

    def _translate_ddl(
        self, tree: exp.Expression, cte_names: set[str], declared: list[coltypes.Declared] | None = None
    ) -> Translation:
        """CREATE/DROP/ALTER of tables and views: the named object maps to storage without a lookup."""
        obj, object_kind = _ddl_object(tree)
        name = self.resolve(_table_parts(obj))
        info = self.catalog.table(name)
        if isinstance(tree, exp.Drop) and info is None and not tree.args.get("exists"):
            raise ObjectNotFound(object_kind.title(), name.fqn)
        options: dict = {"declared": declared, "column_changes": coltypes.alter_changes(tree)}
        if isinstance(tree, exp.Create):
            options.update(self._column_sources(tree, cte_names))
            options.update(_create_options(tree))
        stored = _storage_table(name, None)
        _set_ddl_target(tree, stored)
        if isinstance(tree, exp.Alter):
            options.update(self._alter_options(tree, name, info))
        prelude = sequences.identity_columns(tree, name)
        nextvals = sequences.rewrite_nextval(tree, self.resolve, self.catalog.sequence)
        self._rewrite_tables(tree, cte_names, stored, done=stored)
        tree = self.rewrite_expressions(tree)
        sql = prelude + "; ".join(s.sql(dialect="duckdb") for s in _one_action_each(tree))
        created = name if isinstance(tree, exp.Create) else None
        if isinstance(tree, exp.Drop):
            dropped = name
        else:
            dropped = name if created is not None and tree.args.get("replace") and info is not None else None
        return Translation(
            sql=sql,
            kind="ddl",
            streams=tuple(dict.fromkeys(self.streams)),
            has_data=tuple(self.has_data),
            change_points=tuple(self.change_points),
            target=info,
            created_table=created,
            dropped_table=dropped,
            object_kind=object_kind,
            replaced=bool(tree.args.get("replace")),
            table_options=options,
            variables=tuple(dict.fromkeys(self.variables)),
            after_sql=sequences.skip_sql(nextvals),
        )

    def _column_sources(self, tree: exp.Create, cte_names: set[str]) -> dict:
        """Where a new table's columns come from: the table a CLONE copies, or the one table a CTAS / view reads
        (its columns keep their declared types, coltypes.py)."""
        clone = tree.args.get("clone")
        props = tree.args.get("properties")
        like = next((p for p in props.expressions if isinstance(p, exp.LikeProperty)), None) if props else None
        copied = clone.this if clone is not None else like.this if like is not None else None
        if isinstance(copied, exp.Table):
            # CLONE copies the rows too; CREATE TABLE ... LIKE only the column definitions
            # (https://docs.snowflake.com/en/sql-reference/sql/create-table, "CREATE TABLE ... LIKE")
            source = self.resolve(_table_parts(copied))
            info = self.catalog.table(source)
            if info is None:
                raise ObjectNotFound("Table", source.fqn)
            if info.kind != "TABLE":
                raise UnsupportedStatement(f"CREATE TABLE ... CLONE / LIKE of the view {source.fqn}")
            return {"clone_of": source, "clone_rows": clone is not None, "if_not_exists": bool(tree.args.get("exists"))}
        found = coltypes.source_columns(tree)
        if found is None:
            return {}
        sources = {a: self.resolve(_table_parts(t)) for a, t in found.tables.items() if t.name.upper() not in cte_names}
        mapping = {c: origin for c, origin in found.columns.items() if origin[0] in sources}
        return {"typed_columns": found.typed, "sources": sources, "source_mapping": mapping}

    def _alter_options(self, tree: exp.Alter, name: ObjectName, info: TableInfo | None) -> dict:
        """ALTER TABLE on a tracked table, and RENAME TO (DuckDB renames within the schema: the bare new name)."""
        options: dict = {}
        if info is not None and info.tracked:
            options["tracked_alter"] = True
        for action in tree.args.get("actions") or []:
            if isinstance(action, exp.AlterRename):
                new_parts = _table_parts(action.this)
                options["renamed_to"] = (
                    self.resolve(new_parts)
                    if len(new_parts) > 1
                    else ObjectName(name.database, name.schema, new_parts[-1])
                )
                action.set("this", exp.Table(this=exp.to_identifier(new_parts[-1], quoted=True)))
                action.this.meta["caves_done"] = True
        return options

    def _complete_insert_columns(self, tree: exp.Expression, kind: str, info: TableInfo | None) -> None:
        """A tracked table has a hidden row-id column: positional INSERTs must name their columns."""
        if info is None or not info.tracked:
            return
        cols = [exp.to_identifier(c, quoted=True) for c in info.columns]
        if kind == "insert" and isinstance(tree, exp.Insert) and not isinstance(tree.this, exp.Schema):
            tree.set("this", exp.Schema(this=tree.this, expressions=cols))
        if kind == "merge":
            for when in tree.find_all(exp.When):
                then = when.args.get("then")
                if isinstance(then, exp.Insert) and not then.this:
                    then.set("this", exp.Tuple(expressions=[c.copy() for c in cols]))

    def _pre_image_sql(
        self, tree: exp.Expression, kind: str, target: exp.Table, cte_names: set[str]
    ) -> tuple[str, tuple[int, int]]:
        """The target rows an UPDATE, DELETE or MERGE may change, as they are before it.

        Built as a SELECT over the same sources and condition, so its cost is that of the DML's own
        join. Also returns which of the statement's ``?`` binds it uses (a slice of them).
        """
        alias = target.alias_or_name
        target_sql = target.sql(dialect="snowflake")
        placeholders = list(tree.find_all(exp.Placeholder, bfs=False))
        if kind in {"update", "delete"}:
            sources = [target_sql]
            frm = tree.args.get("from_")
            if frm is not None:
                sources.append(frm.this.sql(dialect="snowflake"))
            sources.extend(u.sql(dialect="snowflake") for u in tree.args.get("using") or [])
            sources_sql = ", ".join(sources)
            joins = " ".join(j.sql(dialect="snowflake") for j in tree.args.get("joins") or [])
            where = tree.args.get("where")
            cond = f" WHERE {where.this.sql(dialect='snowflake')}" if where is not None else ""
            text = f"SELECT DISTINCT {alias}.* FROM {sources_sql} {joins}{cond}"
            set_binds = (
                sum(len(list(e.find_all(exp.Placeholder, bfs=False))) for e in tree.expressions)
                if kind == "update"
                else 0
            )
            binds = (set_binds, len(placeholders))
        else:
            using = tree.args["using"].sql(dialect="snowflake")
            on = tree.args["on"].sql(dialect="snowflake")
            text = f"SELECT DISTINCT {alias}.* FROM {target_sql} WHERE EXISTS (SELECT 1 FROM {using} WHERE {on})"
            used = len(list(tree.args["using"].find_all(exp.Placeholder, bfs=False))) + len(
                list(tree.args["on"].find_all(exp.Placeholder, bfs=False))
            )
            binds = (0, used)
        select = normalize_identifiers(sqlglot.parse_one(text, read="snowflake"), dialect="snowflake")
        for ph in select.find_all(exp.Placeholder, bfs=False):
            ph.set("this", str(int(ph.name) - binds[0]))  # the pre-image gets only its slice of the binds
        raw_target = select.args["from_"].this
        sub = Translator(self.catalog, self.database, self.schema)
        sub._rewrite_tables(select, cte_names, raw_target)
        select = sub.rewrite_expressions(select)
        return select.sql(dialect="duckdb"), binds


def _named_columns(query: exp.Expression) -> set[str] | None:
    """The output column names of a SELECT whose every column is named, else None (``*``, a set operation...)."""
    if not isinstance(query, exp.Select):
        return None
    names = query.named_selects
    return None if "*" in names or not names else {n.upper() for n in names}


def _overwrite(tree: exp.Insert) -> str:
    """``INSERT OVERWRITE INTO t ... <query>``: "the target table should be truncated before inserting the values"
    (https://docs.snowflake.com/en/sql-reference/sql/insert), in one statement. The query may read ``t`` itself, so
    its rows are saved first (the statement returned, run before the table is emptied: dml.py); ``tree`` becomes a
    plain INSERT of the saved rows."""
    source = tree.expression
    tree.set("overwrite", False)
    tree.set("expression", exp.select("*").from_(exp.to_table(OVERWRITE_ROWS)))
    return f"CREATE OR REPLACE TEMP TABLE {OVERWRITE_ROWS} AS SELECT * FROM ({source.sql(dialect='duckdb')})"


def _flatten_seq(node: exp.Lateral | exp.TableFromRows) -> exp.Expression | None:
    """FLATTEN's SEQ, the number of the input record: 1 for ``TABLE(FLATTEN(<constant>))`` (one record); for
    ``FROM t, LATERAL FLATTEN(INPUT => t.c ...)`` (the first join, over one stored table) the row's DuckDB row id
    plus one, unique per input row. None otherwise (no number is known for the input record)."""
    if isinstance(node, exp.TableFromRows):
        return None if list(node.this.find_all(exp.Column)) else exp.Literal.number(1)
    join = node.parent
    select = join.parent if isinstance(join, exp.Join) else None
    if not isinstance(select, exp.Select) or not select.args.get("joins") or select.args["joins"][0] is not join:
        return None
    source = select.args["from_"].this if select.args.get("from_") else None
    if not isinstance(source, exp.Table) or not source.meta.get("caves_rowid"):
        return None  # a view, a subquery, a stream, a tracked table's visible rows: no row id
    name = source.alias_or_name
    if any(c.table and c.table != name for c in node.this.find_all(exp.Column)):
        return None
    return exp.Add(
        this=exp.column("rowid", table=exp.to_identifier(name, quoted=True)), expression=exp.Literal.number(1)
    )


def _ddl_object(tree: exp.Expression) -> tuple[exp.Table, str]:
    """The table or view a CREATE/DROP/ALTER names, and its kind; other objects are refused."""
    obj = tree.this
    if isinstance(obj, exp.Schema):
        obj = obj.this
    dropped_list = tree.args.get("tables") if isinstance(tree, exp.Drop) else None
    if dropped_list:
        # sqlglot keeps the objects of DROP TABLE|VIEW in a list (DROP TABLE a, b is not Snowflake SQL)
        if len(dropped_list) != 1:
            raise SnowflakeError("SQL compilation error: DROP names one object.", errno=1003)
        obj = dropped_list[0]
    object_kind = str(tree.args.get("kind") or "").upper()
    if isinstance(obj, exp.Table) and isinstance(obj.this, exp.DynamicIdentifier):
        named = _constant_identifier(obj)
        obj.replace(named)
        obj = named
    if object_kind not in {"TABLE", "VIEW"} or not isinstance(obj, exp.Table):
        raise UnsupportedStatement(tree.sql("snowflake")[:80])
    return obj, object_kind


def _one_action_each(tree: exp.Expression) -> list[exp.Expression]:
    """``ALTER TABLE t ADD COLUMN a INT, b VARCHAR`` / ``DROP COLUMN a, b``
    (https://docs.snowflake.com/en/sql-reference/sql/alter-table): DuckDB takes one action per ALTER TABLE, so the
    statement becomes one ALTER per column, run in the DDL's one transaction (all or nothing)."""
    if not isinstance(tree, exp.Alter):
        return [tree]
    actions: list[exp.Expression] = []
    for action in tree.args.get("actions") or []:
        columns = action.args.get("tables") if isinstance(action, exp.Drop) else None
        for column in columns if columns and len(columns) > 1 else [None]:
            one = action.copy()
            if column is not None:
                one.set("tables", [column.copy()])
            actions.append(one)
    if len(actions) <= 1:
        return [tree]
    out = []
    for action in actions:
        single = tree.copy()
        single.set("actions", [action])
        out.append(single)
    return out


def _set_ddl_target(tree: exp.Expression, stored: exp.Table) -> None:
    if isinstance(tree, exp.Drop) and tree.args.get("tables"):
        tree.set("tables", [stored])
    elif isinstance(tree.this, exp.Schema):
        tree.this.set("this", stored)
    else:
        tree.set("this", stored)


def _create_options(tree: exp.Create) -> dict:
    """CLUSTER BY and COMMENT are kept for SHOW TABLES; TEMPORARY tables are ordinary ones dropped at session end
    (DuckDB's temp catalog has no "DB.SCHEMA" schemas); unenforced constraints are dropped."""
    options: dict = {}
    props = tree.args.get("properties")
    for prop in props.expressions if isinstance(props, exp.Properties) else []:
        if isinstance(prop, exp.Cluster):
            options["cluster_by"] = ", ".join(e.sql("snowflake") for e in prop.expressions)
        elif isinstance(prop, exp.SchemaCommentProperty):
            options["comment"] = prop.this.name
    transforms.drop_unenforced_constraints(tree)
    if isinstance(props, exp.Properties) and any(isinstance(p, exp.TemporaryProperty) for p in props.expressions):
        options["temporary"] = True
        props.set("expressions", [p for p in props.expressions if not isinstance(p, exp.TemporaryProperty)])
    return options


def _merge_actions(tree: exp.Expression) -> tuple[str, ...]:
    """The kinds of action of a MERGE's WHEN clauses, in Snowflake's column order: MERGE answers with one count column
    per kind it has (https://docs.snowflake.com/en/sql-reference/sql/merge, "Examples")."""
    kinds = set()
    for when in tree.find_all(exp.When):
        then = when.args.get("then")
        if isinstance(then, exp.Insert):
            kinds.add("INSERT")
        elif isinstance(then, exp.Update):
            kinds.add("UPDATE")
        elif isinstance(then, exp.Var) and then.name.upper() == "DELETE":
            kinds.add("DELETE")
    return tuple(k for k in ("INSERT", "UPDATE", "DELETE") if k in kinds)


def _needs_pre_image(capture: str, kind: str, tree: exp.Expression) -> bool:
    """Whether a DML statement must read the rows it changes before changing them.

    Capturing every change (a standard stream exists): UPDATE, DELETE and MERGE log the old values.
    Capturing inserts only (append-only streams): a DELETE must keep the values of rows that a
    stream has not returned yet (§1.2: an append-only stream still returns rows deleted since).
    """
    if capture == "all":
        return kind in {"update", "delete", "merge"}
    if capture == "inserts":
        deletes_in_merge = kind == "merge" and any(
            isinstance(w.args.get("then"), exp.Var) and w.args["then"].name.upper() == "DELETE"
            for w in tree.find_all(exp.When)
        )
        return kind == "delete" or deletes_in_merge
    return False


def number_binds(sql: str) -> str:
    """``?`` -> ``:1, :2, ...`` in the text, before parsing.

    sqlglot expands some functions at parse time (NULLIFZERO, DIV0 repeat their argument); numbered
    binds stay right when an expression, and the bind inside it, is repeated.
    """
    from sqlglot.dialects.snowflake import Snowflake
    from sqlglot.tokens import TokenType

    tokens = [
        t
        for t in Snowflake().tokenizer_class().tokenize(sql)
        if t.token_type == TokenType.PLACEHOLDER and t.text == "?"
    ]
    if not tokens:
        return sql
    out, last = [], 0
    for i, tok in enumerate(tokens, start=1):
        out.append(sql[last : tok.start])
        out.append(f":{i}")
        last = tok.end + 1
    out.append(sql[last:])
    return "".join(out)


def _statement_kind(tree: exp.Expression) -> tuple[str, exp.Table | None]:
    if isinstance(tree, exp.Insert):
        target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        return "insert", target if isinstance(target, exp.Table) else None
    if isinstance(tree, exp.Update):
        return "update", tree.this
    if isinstance(tree, exp.Delete):
        return "delete", tree.this
    if isinstance(tree, exp.Merge):
        return "merge", tree.this
    if isinstance(tree, (exp.Create, exp.Drop, exp.Alter, exp.TruncateTable)):
        return "ddl", None
    if isinstance(tree, (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Values)):
        return "select", None
    return "other", None


def parse(sql: str) -> exp.Expression:
    """Parse one Snowflake statement; a parse error becomes Snowflake's 001003 syntax error."""
    try:
        trees = sqlglot.parse(number_binds(sql), read="snowflake")
    except sqlglot.errors.ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        line, col = first.get("line", 1), first.get("col", 1)
        raise SnowflakeError(
            f"SQL compilation error: syntax error line {line} at position {col}: {first.get('description', exc)}",
            errno=1003,
        ) from None
    # A comment after the last statement (``INSERT ...;  -- note``) is parsed as an empty statement of its own.
    trees = [t for t in trees if t is not None and not isinstance(t, exp.Semicolon)]
    if len(trees) != 1:
        raise SnowflakeError("Expected exactly one statement.", errno=1003)
    return trees[0]
