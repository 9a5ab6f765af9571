"""The warehouse file: created where it is asked for, folders included (a fresh clone has no .caves/ yet)."""

from __future__ import annotations

from pathlib import Path

from caves.local import Engine


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
