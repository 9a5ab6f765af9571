"""Running one query-request on a session's engine session, and shaping its answer (the response's ``data``).

Called in the session's own worker thread only (see :mod:`caves.wire.sessions`), so the engine session is never
used from two threads at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..local import Result, SnowflakeError
from . import encode, statements
from .binds import BindError, positional
from .queries import QueryRecord, QueryStore, WireError

if TYPE_CHECKING:
    from .sessions import WireSession

log = logging.getLogger("caves.wire")

MULTI_STATEMENT_OK = "Multiple statements executed successfully."

# The result columns of a DML statement, for describe-only (Snowflake describes them without running anything).
_DML_COLUMNS = {
    statements.INSERT: ["number of rows inserted"],
    statements.UPDATE: ["number of rows updated", "number of multi-joined rows updated"],
    statements.DELETE: ["number of rows deleted"],
    statements.MERGE: ["number of rows inserted", "number of rows updated", "number of rows deleted"],
}


@dataclass
class Request:
    """What a query-request asks for (its JSON body, read once)."""

    sql: str
    bindings: dict[str, Any] | None = None
    describe_only: bool = False
    async_exec: bool = False
    parameters: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Request:
        return cls(
            sql=str(body.get("sqlText") or ""),
            bindings=body.get("bindings") or None,
            describe_only=bool(body.get("describeOnly")),
            async_exec=bool(body.get("asyncExec")),
            parameters={str(k).upper(): v for k, v in (body.get("parameters") or {}).items()},
        )


def as_wire_error(exc: BaseException) -> WireError:
    """Any failure as Snowflake's code and SQLSTATE; an unexpected one is Snowflake's internal error 000603."""
    if isinstance(exc, WireError):
        return exc
    if isinstance(exc, SnowflakeError):
        return WireError(int(exc.errno), exc.msg, exc.sqlstate or "42000")
    if isinstance(exc, BindError):
        return WireError(exc.errno, str(exc), exc.sqlstate)
    log.exception("internal error while running a statement")
    return WireError(603, f"SQL execution internal error: {type(exc).__name__}: {exc}", "XX000")


# --- answers -----------------------------------------------------------------------------------------------------


def session_parameters(wire: WireSession) -> list[dict[str, Any]]:
    """The session parameters every answer carries (the connector updates its copy from them)."""
    return [
        {"name": "AUTOCOMMIT", "value": wire.autocommit},
        {"name": "TIMEZONE", "value": "UTC"},
        {"name": "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", "value": 0},
    ]


def result_data(wire: WireSession, record: QueryRecord, result: Result, stype: int) -> dict[str, Any]:
    """A statement's answer: a JSON rowset for DML (clients read the row counts there), Arrow otherwise."""
    types = encode.column_types(result.columns, result.rows, result.types)
    data: dict[str, Any] = {
        "parameters": session_parameters(wire),
        "rowtype": [t.rowtype(name) for name, t in zip(result.columns, types, strict=True)],
        "total": len(result.rows),
        "returned": len(result.rows),
        "queryId": record.id,
        "statementTypeId": stype,
        "version": 1,
        "sendResultTime": record.ended_ms or 0,
        **wire.context(),
    }
    if stype in statements.DML_TYPES:
        data["queryResultFormat"] = "json"
        data["rowset"] = encode.json_rowset(result.rows)
    else:
        data["queryResultFormat"] = "arrow"
        data["rowsetBase64"] = encode.arrow_base64(result.columns, result.rows, types)
    return data


# --- running statements --------------------------------------------------------------------------------------------


def _result_scan(wire: WireSession, store: QueryStore, target: str) -> Result:
    query_id = wire.last_query_id if target == "LAST" else target
    record = store.get(query_id) if query_id else None
    if record is None or record.result is None:
        raise WireError(709, f"Statement {query_id} not found", "02000")
    return record.result


def run_statement(wire: WireSession, store: QueryStore, sql: str, params: Sequence[Any] | None) -> tuple[Result, int]:
    """One statement on the engine session: ``(result, statementTypeId)``."""
    stype = statements.statement_type(sql)
    target = statements.result_scan_target(sql)
    if target is not None:
        return _result_scan(wire, store, target), statements.SELECT
    count = statements.multi_statement_count_setting(sql)
    if count is not None:  # the session's default for requests that do not set it (the server applies it)
        wire.multi_statement_count = count
        return Result.message("Statement executed successfully."), stype
    autocommit = statements.autocommit_setting(sql)
    if autocommit is not None:
        if autocommit and wire.engine.in_transaction:
            wire.engine.commit()  # Snowflake commits the open transaction when AUTOCOMMIT is turned on
        wire.autocommit = autocommit
        return Result.message("Statement executed successfully."), stype
    if (
        not wire.autocommit
        and not wire.engine.in_transaction
        and (stype == statements.SELECT or stype in statements.DML_TYPES)
    ):
        wire.engine.begin()  # AUTOCOMMIT off: the first DML or query opens the transaction COMMIT ends
    return wire.engine.execute(sql, list(params) if params else None), stype


def run_array(wire: WireSession, sql: str, rows: list[list[Any]]) -> tuple[Result, int]:
    """An array binding (``executemany``): one statement for every row, as Snowflake runs it."""
    stype = statements.statement_type(sql)
    if not wire.autocommit and not wire.engine.in_transaction:
        wire.engine.begin()
    return wire.engine.executemany(sql, rows), stype


def describe(wire: WireSession, record: QueryRecord, sql: str) -> dict[str, Any]:
    """describeOnly: the result's columns without running a statement that changes anything."""
    stype = statements.statement_type(sql)
    binds = [None] * statements.placeholder_count(sql)
    if stype in _DML_COLUMNS:
        result = Result(columns=_DML_COLUMNS[stype], rows=[], types=["BIGINT"] * len(_DML_COLUMNS[stype]))
    elif stype == statements.SELECT:
        try:  # the same columns, no row computed
            # on lines of their own: a trailing -- comment of the statement must not swallow the ")"
            result = wire.engine.execute(f"SELECT * FROM (\n{sql}\n) LIMIT 0", binds or None)
        except SnowflakeError:
            result = wire.engine.execute(sql, binds or None)
        result = Result(columns=result.columns, rows=[], types=result.types)
    elif stype in (statements.SHOW, statements.DESCRIBE):
        result = wire.engine.execute(sql)  # read-only
        result = Result(columns=result.columns, rows=[], types=encode_types(result))
    else:
        result = Result(columns=["status"], rows=[], types=["VARCHAR"])
    data = result_data(wire, record, result, stype)
    data["numberOfBinds"] = len(binds)
    data["arrayBindSupported"] = stype == statements.INSERT
    return data


def encode_types(result: Result) -> list[str]:
    """DuckDB-like type names for a result known only by its values (so that no row is needed to type it)."""
    names = {"fixed": "BIGINT", "real": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE", "time": "TIME"}
    names |= {"timestamp_ntz": "TIMESTAMP", "timestamp_tz": "TIMESTAMPTZ", "binary": "BLOB", "variant": "JSON"}
    types = encode.column_types(result.columns, result.rows, result.types)
    return [
        names.get(t.type, "VARCHAR") if t.type != "fixed" or not t.scale else f"DECIMAL(38,{t.scale})" for t in types
    ]


def statement_count(request: Request, wire: WireSession, found: int) -> None:
    """Snowflake's MULTI_STATEMENT_COUNT rule: 1 (the default) allows one statement, 0 any number, N exactly N."""
    wanted = request.parameters.get("MULTI_STATEMENT_COUNT", wire.multi_statement_count)
    try:
        wanted = int(wanted)
    except (TypeError, ValueError):
        raise WireError(1008, f"Invalid value [{wanted}] for parameter 'MULTI_STATEMENT_COUNT'", "22023") from None
    if wanted not in (0, found):
        raise WireError(
            8, f"Actual statement count {found} did not match the desired statement count {wanted}.", "0A000"
        )


def run_request(
    wire: WireSession,
    store: QueryStore,
    record: QueryRecord,
    request: Request,
    new_record: Callable[[str], QueryRecord],
) -> dict[str, Any]:
    """A whole query-request: one statement, an array binding, a multi-statement request or a describe."""
    texts = statements.split(request.sql)
    if not texts:
        raise WireError(900, "Empty SQL statement.", "42000")
    params, rows = positional(request.bindings)
    if request.describe_only:
        return describe(wire, record, texts[0])
    if len(texts) > 1 or "MULTI_STATEMENT_COUNT" in request.parameters:
        statement_count(request, wire, len(texts))
    if len(texts) > 1:
        return run_multi(wire, store, record, texts, params, new_record)
    if rows is not None:
        result, stype = run_array(wire, texts[0], rows)
    else:
        result, stype = run_statement(wire, store, texts[0], params)
    record.result = result
    return result_data(wire, record, result, stype)


def run_multi(
    wire: WireSession,
    store: QueryStore,
    record: QueryRecord,
    texts: list[str],
    params: list[Any] | None,
    new_record: Callable[[str], QueryRecord],
) -> dict[str, Any]:
    """Statements one after the other, each with its own query id (``resultIds``); the first error stops them."""
    children = []
    for sql, share in zip(texts, statements.distribute(texts, params), strict=True):
        child = new_record(sql)
        children.append(child)
        try:
            result, stype = run_statement(wire, store, sql, share)
        except Exception as exc:
            child.fail(as_wire_error(exc))
            raise child.error from None
        child.succeed({}, result)
        child.data = result_data(wire, child, result, stype)
        wire.last_query_id = child.id
    summary = Result(columns=["multiple statement execution"], rows=[(MULTI_STATEMENT_OK,)], types=["VARCHAR"])
    record.result = summary
    data = result_data(wire, record, summary, statements.SELECT)
    data["resultIds"] = ",".join(c.id for c in children)
    data["resultTypes"] = ",".join(str(c.data["statementTypeId"]) for c in children)
    return data
