"""The integrity check of a warehouse file, run each time the engine opens it and before anything is written.

A warehouse file is refused (:class:`~caves.local.errors.DamagedWarehouse`, a one-line message saying how to
recover) when:

1. DuckDB cannot open it as a database: a header that is not DuckDB's, a metadata block whose checksum fails;
2. it is shorter than its blocks in use need (a truncated copy), checked when no write-ahead log is pending
   (a WAL's blocks are not in the file yet); a cut that spares that many bytes is found when a statement reads
   past the end (4.);
3. the engine's own catalog (the DuckDB schema ``_CAVES``) is missing from a file that holds other objects,
   lacks one of its core tables, has no single STATE row, or cannot be read back (each block read verifies its
   checksum);
4. later, any statement meets a block whose checksum fails or that the file is too short to hold: the statement
   fails with the same message and the engine refuses every further statement on that file.

A brand-new (empty) DuckDB file passes: the engine creates its catalog there. A damaged block that no statement
reads is found only when one does (DuckDB verifies checksums as it reads; reading the whole file at every open
would cost a full scan).
"""

from __future__ import annotations

import os

import duckdb

from .errors import DamagedWarehouse, is_damage
from .names import INTERNAL_SCHEMA, quote

# The engine catalog's tables that every warehouse has had; small enough to read back whole at each open.
CORE_TABLES = ("STATE", "DATABASES", "SCHEMAS", "TABLES", "STREAMS", "TASKS")
REQUIRED_TABLES = (*CORE_TABLES, "TASK_HISTORY")
_HEADER_BYTES = 3 * 4096  # DuckDB's main header and its two database headers


def wal_pending(path: str) -> bool:
    return os.path.exists(path + ".wal")


def check(conn: duckdb.DuckDBPyConnection, path: str, *, size_checked: bool) -> bool:
    """Raise DamagedWarehouse if the open file fails the check; return whether the engine catalog exists."""
    try:
        if size_checked:
            _check_size(conn, path)
        return _check_catalog(conn, path)
    except duckdb.Error as exc:
        if is_damage(exc):
            raise DamagedWarehouse(path, str(exc)) from None
        raise


def _check_size(conn: duckdb.DuckDBPyConnection, path: str) -> None:
    # Each block in use has its own place in the file, so the file holds at least that many (free blocks at the
    # end need not be in the file: DuckDB may have cut them off).
    row = conn.execute(
        "SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[1]:
        return
    block_size, used_blocks = int(row[0]), int(row[1])
    expected = _HEADER_BYTES + block_size * used_blocks
    actual = os.path.getsize(path)
    if actual < expected:
        raise DamagedWarehouse(
            path, f"the file has {actual} bytes, its {used_blocks} blocks in use need {expected}: it was truncated"
        )


def _check_catalog(conn: duckdb.DuckDBPyConnection, path: str) -> bool:
    present = {
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = ? AND database_name = current_database()",
            [INTERNAL_SCHEMA],
        ).fetchall()
    }
    if "STATE" not in present:
        others = conn.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "UNION ALL SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND NOT internal"
        ).fetchall()
        if sum(r[0] for r in others) or present:
            raise DamagedWarehouse(path, f"the engine's catalog {INTERNAL_SCHEMA}.STATE is missing")
        return False  # a new, empty file
    missing = [t for t in REQUIRED_TABLES if t not in present]
    if missing:
        names = ", ".join(f"{INTERNAL_SCHEMA}.{t}" for t in missing)
        raise DamagedWarehouse(path, f"the engine's catalog table(s) {names} missing")
    for table in CORE_TABLES:
        rows = conn.execute(f"SELECT * FROM {quote(INTERNAL_SCHEMA)}.{quote(table)}").fetchall()
        if table == "STATE" and len(rows) != 1:
            raise DamagedWarehouse(path, f"the engine's catalog {INTERNAL_SCHEMA}.STATE has {len(rows)} rows, not 1")
    return True
