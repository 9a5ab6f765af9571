"""The local backend: the embedded engine on a DuckDB warehouse file."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from caves.local import Engine, Session


class LocalWarehouse:
    """Warehouse protocol over the local engine. One engine per file; one session per thread."""

    backend = "local"

    def __init__(self, path: str | Path, *, engine: Engine | None = None) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.engine = engine or Engine(self.path)
        self._local = threading.local()

    def session(self) -> Session:
        """This thread's session (sessions are not shared between threads)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self.engine.session()
            self._local.session = session
        return session

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        return self.session().execute(sql, params).to_pandas()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.session().execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        return self.session().executemany(sql, rows).rowcount or 0

    def execute_script(self, text: str) -> pd.DataFrame | None:
        results = self.session().execute_script(text)
        return results[-1].to_pandas() if results else None

    def close(self) -> None:
        session = getattr(self._local, "session", None)
        if session is not None:
            session.close()
        self.engine.close()
