"""Where things are: the project root, the default local warehouse, settings."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / ".caves" / "warehouse.duckdb"


def default_db_path() -> str:
    """The warehouse the app and the CLI share: ``$CAVES_DB`` or ``.caves/warehouse.duckdb`` in the project."""
    return os.environ.get("CAVES_DB") or str(DEFAULT_DB)
