"""Snowflake object names: parsing, normalisation and their DuckDB storage names.

Snowflake's ``DATABASE.SCHEMA.OBJECT`` is stored in one DuckDB file as schema ``"DATABASE.SCHEMA"``
and object ``"OBJECT"``. Keeping every database in one DuckDB catalog is what lets a single DuckDB
transaction span them all (DuckDB refuses writes to two attached files in one transaction), so a
consuming DML statement and the stream offset it advances always commit together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_NAME_RE = re.compile(rf"^\s*({_PART})(?:\s*\.\s*({_PART}))?(?:\s*\.\s*({_PART}))?\s*$")

INTERNAL_SCHEMA = "_CAVES"


def normalize_part(part: str) -> str:
    """Snowflake identifier rules: unquoted names are upper-cased, quoted ones kept as written."""
    part = part.strip()
    if part.startswith('"') and part.endswith('"') and len(part) >= 2:
        return part[1:-1].replace('""', '"')
    return part.upper()


def split_name(text: str) -> list[str]:
    """Split ``a.b."C d"`` into normalised parts; raise ValueError for anything that is not a name."""
    match = _NAME_RE.match(text)
    if not match:
        raise ValueError(f"invalid object name: {text!r}")
    return [normalize_part(p) for p in match.groups() if p is not None]


def quote(ident: str) -> str:
    """Quote one identifier for DuckDB."""
    return '"' + ident.replace('"', '""') + '"'


@dataclass(frozen=True, order=True)
class ObjectName:
    """A fully-qualified Snowflake object name."""

    database: str
    schema: str
    name: str

    @property
    def storage_schema(self) -> str:
        return f"{self.database}.{self.schema}"

    @property
    def duck(self) -> str:
        """The DuckDB reference to the object."""
        return f"{quote(self.storage_schema)}.{quote(self.name)}"

    @property
    def fqn(self) -> str:
        return f"{self.database}.{self.schema}.{self.name}"

    def __str__(self) -> str:
        return self.fqn


def resolve(parts: list[str], database: str | None, schema: str | None) -> ObjectName:
    """Complete a 1-, 2- or 3-part name with the session's current database and schema."""
    if len(parts) == 3:
        return ObjectName(*parts)
    if len(parts) == 2:
        if not database:
            raise ValueError(
                f"Cannot perform operation on {'.'.join(parts)}: this session does not have a current database."
            )
        return ObjectName(database, parts[0], parts[1])
    if not database or not schema:
        raise ValueError(
            f"Cannot resolve {parts[0]}: this session does not have a current database and schema. "
            "Call 'USE SCHEMA', or use a qualified name."
        )
    return ObjectName(database, schema, parts[0])


def like_matches(value: str, pattern: str | None) -> bool:
    """``SHOW ... LIKE 'pattern'``: case-insensitive, ``%`` any run, ``_`` one character; no pattern matches all."""
    if not pattern:
        return True
    regex = "^" + re.escape(pattern.replace("''", "'")).replace("%", ".*").replace("_", ".") + "$"
    return re.match(regex, value, re.I) is not None
