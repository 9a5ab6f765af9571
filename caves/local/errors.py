"""Errors raised by the local engine, shaped like Snowflake's (an error code and a message)."""

from __future__ import annotations


class SnowflakeError(Exception):
    """A statement failed. ``errno`` follows Snowflake's numeric codes where one is known.

    The message is what a user sees on stderr (CLI) or in the app, so it says what went wrong
    in Snowflake's words, never a DuckDB internal detail alone.
    """

    def __init__(self, message: str, errno: int = 100_000, sqlstate: str = "42000") -> None:
        super().__init__(message)
        self.msg = message
        self.errno = errno
        self.sqlstate = sqlstate

    def __str__(self) -> str:
        return f"{self.errno:06d} ({self.sqlstate}): {self.msg}"


class ObjectNotFound(SnowflakeError):
    """Snowflake's 002003: the object does not exist or is not authorized (SQLSTATE 42S02, as the Snowflake
    connectors report it: https://docs.snowflake.com/en/developer-guide/python-connector/python-connector-api)."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"{kind} '{name}' does not exist or not authorized.", errno=2003, sqlstate="42S02")


class AlreadyExists(SnowflakeError):
    """Snowflake's 002002: the object already exists."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"Object '{name}' already exists.", errno=2002, sqlstate="42710")
        self.kind = kind


# How every refusal starts; also the text a refusal raised inside DuckDB (a macro's error()) carries back.
UNSUPPORTED = "Unsupported statement in the local engine: "


class UnsupportedStatement(SnowflakeError):
    """A statement the local engine does not emulate (it would run on Snowflake)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{UNSUPPORTED}{what}", errno=1003, sqlstate="0A000")


class WarehouseBusy(SnowflakeError):
    """Another process holds the warehouse file for longer than we were willing to wait."""

    def __init__(self, path: str, waited_s: float, holder: str) -> None:
        super().__init__(
            f"The local warehouse {path} is busy ({holder}); gave up after waiting {waited_s:.0f} s.",
            errno=390_400,
            sqlstate="57P03",
        )


# DuckDB's words for a file it cannot trust: a block whose checksum fails, a file shorter than its blocks, a header
# that is not DuckDB's.
_DAMAGE_MARKERS = (
    "Corrupt database file",
    "does not match stored checksum",
    "Could not read enough bytes",
    "not a valid DuckDB database file",
)


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error says the warehouse file itself is damaged (not the statement)."""
    return any(marker in str(exc) for marker in _DAMAGE_MARKERS)


class DamagedWarehouse(SnowflakeError):
    """The warehouse file failed its integrity check: the engine writes nothing more to it (one line, with the fix)."""

    def __init__(self, path: str, detail: str) -> None:
        first = (detail.strip().splitlines() or ["damaged"])[0]
        if len(first) > 160:
            first = first[:159] + "…"
        super().__init__(
            f"The local warehouse {path} failed its integrity check ({first}); nothing is written to it. "
            f"To recover, restore it from a backup, or move it aside (mv {path} {path}.damaged) "
            "and run `python -m caves init` to create a new one.",
            errno=390_410,
            sqlstate="XX001",
        )
        self.path = path
        self.detail = first
