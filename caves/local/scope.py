"""Where a SHOW command looks: ``IN ACCOUNT | DATABASE [<db>] | [SCHEMA] [<db>.]<schema> | <name>``, resolved against
the session's current database and schema (https://docs.snowflake.com/en/sql-reference/sql/show-objects)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .names import INTERNAL_SCHEMA, quote, split_name

if TYPE_CHECKING:
    from .engine import Session

_S = quote(INTERNAL_SCHEMA)


def database_exists(session: Session, name: str) -> bool:
    """Whether the engine has a database named ``name`` (as stored: upper case unless quoted)."""
    return bool(session.query_internal(f"SELECT count(*) FROM {_S}.DATABASES WHERE NAME = ?", [name])[0][0])


def show_scope(session: Session, scope: str | None, target: str | None) -> tuple[str | None, str | None]:
    """The (database, schema) a SHOW reads, None for "all": ``IN ACCOUNT`` is every database; ``IN DATABASE [db]``
    a database (the current one without a name); a bare one-part name is a database if one has that name, else a
    schema of the current database; ``db.schema`` a schema; no IN the current schema."""
    scope = (scope or "").upper()
    if scope == "ACCOUNT":
        return None, None
    if target:
        parts = split_name(target)
        if scope == "DATABASE" or (not scope and len(parts) == 1 and database_exists(session, parts[0])):
            return parts[0], None
        if len(parts) == 2:
            return parts[0], parts[1]
        return session.database, parts[0]
    if scope == "DATABASE":
        return session.database, None
    return session.database, session.schema
