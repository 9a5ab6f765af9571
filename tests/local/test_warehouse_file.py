"""The warehouse file: created where it is asked for, folders included (a fresh clone has no .caves/ yet), and
refused when it fails its integrity check (caves/local/integrity.py says what is checked). Not a Snowflake
behaviour: the local engine's own file, which it must never silently re-create or keep writing when damaged."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from caves.local import Engine
from caves.local.errors import DamagedWarehouse
from caves.local.names import INTERNAL_SCHEMA

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_engine_creates_the_missing_folders_of_its_file(tmp_path: Path) -> None:
    """`streamlit run app.py` on a fresh clone opens `.caves/warehouse.duckdb` before the folder exists."""
    path = tmp_path / "not" / "yet" / "there" / "warehouse.duckdb"
    engine = Engine(str(path))
    try:
        with engine.session() as s:
            s.execute("CREATE DATABASE D")
            assert s.execute("SELECT CURRENT_DATABASE()").scalar() == "D"
    finally:
        engine.close()
    assert path.exists()


# --- the integrity check (issue 13): a damaged file is refused, with one line saying how to recover ---------------


def _warehouse(path: Path) -> Path:
    """A real warehouse file: a database, a tracked table with a stream, rows; closed (checkpointed)."""
    engine = Engine(str(path))
    with engine.session() as s:
        s.execute("CREATE DATABASE D")
        s.execute("CREATE TABLE D.PUBLIC.T (ID STRING, N INTEGER)")
        s.execute("CREATE STREAM D.PUBLIC.S ON TABLE D.PUBLIC.T")
        s.execute("INSERT INTO D.PUBLIC.T SELECT 'row-' || SEQ8(), SEQ8() FROM TABLE(GENERATOR(ROWCOUNT => 200000))")
    engine.close()
    assert not Path(str(path) + ".wal").exists()
    return path


def _block_of(path: Path, schema: str, table: str) -> int:
    """The file offset of a data block of `table` (DuckDB's storage_info)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
        block = con.execute(
            f'SELECT max(block_id) FROM pragma_storage_info(\'"{schema}"."{table}"\') WHERE block_id IS NOT NULL'
        ).fetchone()[0]
    finally:
        con.close()
    assert block is not None
    return 3 * 4096 + int(block) * int(size)


def _garble(path: Path, offset: int, length: int = 512) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset + 64)
        fh.write(os.urandom(length))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(path: Path, detail: str) -> DamagedWarehouse:
    before = _digest(path)
    with pytest.raises(DamagedWarehouse) as info:
        Engine(str(path))
    message = str(info.value)
    assert detail in message and "\n" not in message
    assert "restore it from a backup" in message and "python -m caves init" in message
    assert _digest(path) == before  # nothing was written
    return info.value


def test_a_truncated_warehouse_is_refused(tmp_path: Path) -> None:
    """A copy cut short (shorter than the blocks its header counts) is refused before anything is written."""
    path = _warehouse(tmp_path / "w.duckdb")
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)
    _refused(path, "truncated")


def test_a_garbled_header_is_refused(tmp_path: Path) -> None:
    """A file whose header is not DuckDB's is refused (not replaced by a new warehouse)."""
    path = _warehouse(tmp_path / "w.duckdb")
    with open(path, "r+b") as fh:
        fh.write(bytes(4096))  # the magic bytes and the main header gone
    _refused(path, "not a valid DuckDB database file")


def test_a_garbled_engine_catalog_is_refused(tmp_path: Path) -> None:
    """A checksum that fails in the engine's own catalog (read back at every open) is refused."""
    path = _warehouse(tmp_path / "w.duckdb")
    _garble(path, _block_of(path, INTERNAL_SCHEMA, "TABLES"))
    _refused(path, "checksum")


@pytest.mark.parametrize("drop", ["TABLE TASKS", "TABLE STATE", "SCHEMA"])
def test_a_warehouse_missing_engine_tables_is_refused(tmp_path: Path, drop: str) -> None:
    """A file whose engine catalog (_CAVES) lost a table, or entirely, while holding data is not re-created."""
    path = _warehouse(tmp_path / "w.duckdb")
    con = duckdb.connect(str(path))
    con.execute(
        f'DROP SCHEMA "{INTERNAL_SCHEMA}" CASCADE'
        if drop == "SCHEMA"
        else f'DROP TABLE "{INTERNAL_SCHEMA}".{drop.split()[1]}'
    )
    con.close()
    _refused(path, "engine's catalog")


def test_an_empty_duckdb_file_becomes_a_warehouse(tmp_path: Path) -> None:
    """An empty DuckDB file (no object at all) passes the check: the engine creates its catalog there."""
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    engine = Engine(str(path))
    try:
        with engine.session() as s:
            s.execute("CREATE DATABASE D")
    finally:
        engine.close()


def test_a_checksum_failing_on_read_stops_every_write(tmp_path: Path) -> None:
    """A damaged data block found by a statement fails it with the one-line message; nothing is written after."""
    path = _warehouse(tmp_path / "w.duckdb")
    _garble(path, _block_of(path, "D.PUBLIC", "T"))
    before = _digest(path)
    engine = Engine(str(path))  # the open checks do not read the table's data
    try:
        with engine.session() as s:
            with pytest.raises(DamagedWarehouse, match="checksum"):
                s.execute("SELECT ID, N FROM D.PUBLIC.T")
            with pytest.raises(DamagedWarehouse, match="python -m caves init"):
                s.execute("INSERT INTO D.PUBLIC.T SELECT 'x', 1")
            with pytest.raises(DamagedWarehouse):
                s.execute("CREATE TABLE D.PUBLIC.U (X INT)")
    finally:
        engine.close()
    assert _digest(path) == before


def test_the_cli_refuses_a_damaged_warehouse_in_one_line(tmp_path: Path) -> None:
    """`caves init|ingest|pipeline run|sql` on a truncated file: exit 1, one line on stderr, no traceback."""
    path = _warehouse(tmp_path / "w.duckdb")
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 3)
    before = _digest(path)
    messages = tmp_path / "m.jsonl"
    messages.write_text("{}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CAVES_DB", None)
    for args in (["init"], ["ingest", str(messages)], ["pipeline", "run"], ["sql", "SELECT 1"]):
        proc = subprocess.run(
            [sys.executable, "-m", "caves", *args, "--db", str(path)],
            capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 1, (args, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert lines[0].startswith("error: ") and "failed its integrity check" in lines[0], lines[0]
        assert "python -m caves init" in lines[0]
    assert _digest(path) == before
