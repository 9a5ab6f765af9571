"""The HTTP endpoints of Snowflake's protocol (the ones snowflake-connector-python calls), over the local engine.

Every answer is HTTP 200 with Snowflake's JSON envelope (``success``, ``code``, ``message``, ``data``), failures
included: the connector retries an HTTP 5xx for minutes before giving up, so a failure that reached the client as
a 500 would look like an outage. An unexpected error is answered as Snowflake's internal error 000603.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..local import Engine
from .execute import Request, as_wire_error, run_request
from .queries import QUEUED, RUNNING, QueryRecord, QueryStore, WireError
from .sessions import MASTER_VALIDITY_S, SESSION_VALIDITY_S, SessionRegistry, WireSession

log = logging.getLogger("caves.wire")
access_log = logging.getLogger("caves.wire.access")

# What the server says it is: clients show it as the database version, some refuse versions they think too old.
SERVER_VERSION = "9.40.0"
IN_PROGRESS = "333333"
IN_PROGRESS_ASYNC = "333334"
BAD_LOGIN = WireError(390_100, "Incorrect username or password was specified.", "08004")
_TOKEN = re.compile(r'^\s*Snowflake\s+Token\s*=\s*"(?P<token>[^"]*)"\s*$', re.IGNORECASE)

Handler = Callable[[HttpRequest], Awaitable[JSONResponse]]


# --- envelopes ---------------------------------------------------------------------------------------------------


def ok(data: Any, *, code: str | None = None, message: str | None = None) -> JSONResponse:
    return JSONResponse({"data": data, "code": code, "message": message, "success": True})


def failure(error: WireError, query_id: str | None = None) -> JSONResponse:
    """A failure as Snowflake sends it: HTTP 200, ``success: false``, the code and the SQLSTATE."""
    code = f"{error.code:06d}"
    data = {"errorCode": code, "sqlState": error.sqlstate, "queryId": query_id, "internalError": error.code == 603}
    return JSONResponse({"data": data, "code": code, "message": error.message, "success": False, "headers": None})


def endpoint(handler: Handler) -> Handler:
    """Never an HTTP 500: Snowflake's errors as themselves, anything else as its internal error."""

    @functools.wraps(handler)
    async def wrapped(request: HttpRequest) -> JSONResponse:
        try:
            return await handler(request)
        except Exception as exc:
            return failure(as_wire_error(exc))

    return wrapped


class AccessLog:
    """ASGI middleware: one line per request with its HTTP status (tests read it to prove no 5xx was sent)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 0}

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            access_log.info("%s %s %d", scope["method"], scope["path"], status["code"] or 500)


async def read_json(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON body (the connector gzips it)."""
    body = await request.body()
    if request.headers.get("content-encoding", "").lower() == "gzip":
        body = gzip.decompress(body)
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except ValueError:
        raise WireError(390_400, "The request body is not valid JSON.", "08001") from None
    return parsed if isinstance(parsed, dict) else {}


def header_token(request: HttpRequest) -> str | None:
    match = _TOKEN.match(request.headers.get("authorization", ""))
    return match["token"] if match else None


def identifier(name: str | None) -> str | None:
    """A database/schema name of the login as Snowflake resolves it: unquoted upper-cased, quoted kept."""
    if not name:
        return None
    name = name.strip()
    if len(name) > 1 and name.startswith('"') and name.endswith('"'):
        return name[1:-1].replace('""', '"')
    return name.upper()


# --- the application ---------------------------------------------------------------------------------------------


class WireServer:
    """The endpoints, with the engine, the sessions and the query records they share."""

    def __init__(
        self,
        engine: Engine,
        *,
        token: str | None = None,
        result_wait_s: float = 20.0,
        session_validity_s: float = SESSION_VALIDITY_S,
        master_validity_s: float = MASTER_VALIDITY_S,
    ) -> None:
        self.engine = engine
        self.token = token
        self.result_wait_s = result_wait_s
        self.sessions = SessionRegistry(
            engine, session_validity_s=session_validity_s, master_validity_s=master_validity_s
        )
        self.queries = QueryStore()

    # --- sessions --------------------------------------------------------------------------------------------

    def _check_credentials(self, data: dict[str, Any]) -> None:
        """With a configured token, the login must present it (as the password, or a programmatic access token)."""
        if self.token is None:
            return
        offered = [str(data.get(key) or "") for key in ("PASSWORD", "TOKEN")]
        if not any(candidate and hmac.compare_digest(candidate, self.token) for candidate in offered):
            raise BAD_LOGIN

    async def login(self, request: HttpRequest) -> JSONResponse:
        data = (await read_json(request)).get("data") or {}
        self._check_credentials(data)
        params = {str(k).upper(): v for k, v in (data.get("SESSION_PARAMETERS") or {}).items()}
        query = request.query_params
        wire = await run_in_threadpool(
            self.sessions.open,
            str(data.get("LOGIN_NAME") or "LOCAL"),
            identifier(query.get("databaseName")),
            identifier(query.get("schemaName")),
            role=identifier(query.get("roleName")) or "SYSADMIN",
            warehouse=identifier(query.get("warehouse")),
            autocommit=str(params.get("AUTOCOMMIT", True)).lower() not in ("false", "0", "off"),
            multi_statement_count=int(params.get("MULTI_STATEMENT_COUNT", 1)),
        )
        log.info("session %d opened for %s", wire.id, wire.user)
        return ok(self._login_data(wire))

    def _login_data(self, wire: WireSession) -> dict[str, Any]:
        return {
            "token": wire.token,
            "masterToken": wire.master_token,
            "validityInSeconds": int(self.sessions.session_validity_s),
            "masterValidityInSeconds": int(self.sessions.master_validity_s),
            "sessionId": wire.id,
            "serverVersion": SERVER_VERSION,
            "displayUserName": wire.user,
            "firstLogin": False,
            "healthCheckInterval": 45,
            "parameters": [
                {"name": "AUTOCOMMIT", "value": wire.autocommit},
                {"name": "TIMEZONE", "value": "UTC"},
                # 0: array binds always travel inline (no PUT of the binds to a stage, which the engine has not)
                {"name": "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", "value": 0},
                {"name": "CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", "value": 3600},
                {"name": "MULTI_STATEMENT_COUNT", "value": wire.multi_statement_count},
                {"name": "QUERY_CONTEXT_CACHE_SIZE", "value": 5},
            ],
            "sessionInfo": {
                "databaseName": wire.engine.database,
                "schemaName": wire.engine.schema,
                "warehouseName": wire.warehouse,
                "roleName": wire.role,
            },
        }

    async def renew(self, request: HttpRequest) -> JSONResponse:
        body = await read_json(request)
        wire = self.sessions.renew(header_token(request), body.get("oldSessionToken"))
        return ok(
            {
                "sessionToken": wire.token,
                "validityInSecondsST": int(self.sessions.session_validity_s),
                "masterToken": wire.master_token,
                "validityInSecondsMT": int(self.sessions.master_validity_s),
                "sessionId": wire.id,
            }
        )

    async def heartbeat(self, request: HttpRequest) -> JSONResponse:
        self.sessions.by_session_token(header_token(request))
        return ok(None)

    async def session(self, request: HttpRequest) -> JSONResponse:
        wire = self.sessions.by_session_token(header_token(request))
        if request.query_params.get("delete", "").lower() == "true":
            await run_in_threadpool(self.sessions.close, wire)
            log.info("session %d closed", wire.id)
        return ok(None)

    # --- queries ---------------------------------------------------------------------------------------------

    def _start(self, wire: WireSession, request: Request, request_id: str | None) -> QueryRecord:
        record = self.queries.add(QueryRecord(sql=request.sql, session_id=wire.id, request_id=request_id))

        def new_child(sql: str) -> QueryRecord:
            return self.queries.add(QueryRecord(sql=sql, session_id=wire.id))

        def work() -> None:
            record.status = RUNNING
            try:
                data = run_request(wire, self.queries, record, request, new_child)
            except Exception as exc:
                record.fail(as_wire_error(exc))
            else:
                record.succeed(data, record.result)
            wire.last_query_id = record.id

        wire.submit(record, work)
        return record

    async def _answer(self, record: QueryRecord) -> JSONResponse:
        """The record's answer once done; "in progress" (the client asks again) if it takes longer than the wait."""
        if not record.done and record.future is not None:
            await asyncio.wait({asyncio.wrap_future(record.future)}, timeout=self.result_wait_s)
        if not record.done:
            return ok(self._pending(record), code=IN_PROGRESS, message="Query execution in progress.")
        if record.data is not None and record.error is None:
            return ok(record.data)
        return failure(record.error or WireError(603, "SQL execution internal error", "XX000"), record.id)

    @staticmethod
    def _pending(record: QueryRecord) -> dict[str, Any]:
        return {"queryId": record.id, "getResultUrl": f"/queries/{record.id}/result", "progressDesc": None}

    async def query(self, request: HttpRequest) -> JSONResponse:
        wire = self.sessions.by_session_token(header_token(request))
        request_id = request.query_params.get("requestId")
        record = self.queries.by_request(wire.id, request_id)  # a retried request: the same query, not a second run
        if record is None:
            body = Request.from_body(await read_json(request))
            record = self._start(wire, body, request_id)
            if body.async_exec:
                message = "Asynchronous execution in progress. Use provided query id to perform query monitoring."
                return ok(self._pending(record), code=IN_PROGRESS_ASYNC, message=message)
        return await self._answer(record)

    async def result(self, request: HttpRequest) -> JSONResponse:
        self.sessions.by_session_token(header_token(request))
        query_id = request.path_params["query_id"]
        record = self.queries.get(query_id)
        if record is None:
            raise WireError(709, f"Statement {query_id} not found", "02000")
        return await self._answer(record)

    async def monitoring(self, request: HttpRequest) -> JSONResponse:
        self.sessions.by_session_token(header_token(request))
        record = self.queries.get(request.path_params["query_id"])
        return ok({"queries": [record.monitoring()] if record else []})

    def _abort(self, record: QueryRecord | None) -> JSONResponse:
        if record is None or record.done:
            raise WireError(605, "Identified SQL statement is not currently executing.", "01000")
        if record.status == QUEUED and record.future is not None and record.future.cancel():
            return ok(None)
        # The engine has no way to stop a statement it is running: say so rather than pretend it stopped.
        raise WireError(
            605, f"The local engine cannot interrupt a running statement: {record.id} runs to its end.", "01000"
        )

    async def abort_request(self, request: HttpRequest) -> JSONResponse:
        wire = self.sessions.by_session_token(header_token(request))
        body = await read_json(request)
        return self._abort(self.queries.by_request(wire.id, body.get("requestId")))

    async def abort_query(self, request: HttpRequest) -> JSONResponse:
        self.sessions.by_session_token(header_token(request))
        return self._abort(self.queries.get(request.path_params["query_id"]))

    async def telemetry(self, request: HttpRequest) -> JSONResponse:
        return ok(None)  # client telemetry: accepted, kept nowhere

    # --- assembly --------------------------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        table = [
            ("/session/v1/login-request", self.login, "POST"),
            ("/session/token-request", self.renew, "POST"),
            ("/session/heartbeat", self.heartbeat, "POST"),
            ("/session", self.session, "POST"),
            ("/queries/v1/query-request", self.query, "POST"),
            ("/queries/v1/abort-request", self.abort_request, "POST"),
            ("/queries/{query_id}/result", self.result, "GET"),
            ("/queries/{query_id}/abort-request", self.abort_query, "POST"),
            ("/monitoring/queries/{query_id}", self.monitoring, "GET"),
            ("/telemetry/send", self.telemetry, "POST"),
        ]
        return [Route(path, endpoint(handler), methods=[method]) for path, handler, method in table]

    def close(self) -> None:
        """Close every session (open transactions rolled back)."""
        with contextlib.suppress(Exception):
            self.sessions.forget_all()


def create_app(server: WireServer) -> Starlette:
    """The ASGI application of ``server`` (its sessions are closed when the application stops)."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette):
        yield
        await run_in_threadpool(server.close)

    app = Starlette(routes=server.routes(), lifespan=lifespan)
    app.add_middleware(AccessLog)
    app.state.wire = server
    return app
