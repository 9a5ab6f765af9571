"""A Snowflake-protocol HTTP server over the local engine, for Snowflake's own clients.

snowflake-connector-python (and the tools built on it: the Snowflake CLI, dbt-snowflake, SQLAlchemy) log in,
run statements and read results over HTTP; this package answers that protocol from :mod:`caves.local`:

- ``app``: the endpoints (login, token renewal, heartbeat, logout, query-request, results by query id,
  monitoring, abort) and the never-a-500 envelope;
- ``sessions``: one engine session per Snowflake session, its tokens and its worker;
- ``execute``: a query-request run on a session (binds, array binding, multi-statement, describe-only);
- ``encode``: results as Snowflake sends them (rowtype metadata, Arrow IPC, JSON rowset for DML);
- ``binds``, ``statements``, ``queries``: bind values, statement kinds, query records;
- ``server``: ``python -m caves serve`` (host checks, uvicorn).
"""

from .app import WireServer, create_app

__all__ = ["WireServer", "create_app"]
