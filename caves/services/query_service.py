"""Run packaged catalog queries (``queries/``) through any Warehouse backend.

Pure: no Streamlit. The app reaches these functions through :mod:`components.cache`; the CLI and the
tests call them directly.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from caves.catalog import Catalog, ParameterError, Query, UnknownQueryError, load_catalog
from caves.warehouse.base import Warehouse

__all__ = [
    "ParameterError",
    "QueryFailed",
    "UnknownQueryError",
    "bind",
    "catalog",
    "normalize",
    "run_query",
    "run_sql",
]


class QueryFailed(RuntimeError):
    """The warehouse refused or failed a query. ``message`` is one readable line (no traceback)."""

    def __init__(self, query_id: str, message: str) -> None:
        self.query_id = query_id
        self.message = message
        super().__init__(f"{query_id}: {message}")


@functools.lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The packaged query catalog, loaded and validated once per process."""
    return load_catalog()


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a result set types that charts and tables handle: ``Decimal`` columns (NUMBER(p,s) from the
    warehouse) become floats, ``datetime.date`` columns become ``datetime64``. Other columns are untouched."""
    out = frame
    for column in frame.columns:
        series = frame[column]
        if series.dtype != object:
            continue
        sample = series.dropna()
        if sample.empty:
            continue
        first = sample.iloc[0]
        if isinstance(first, Decimal | int | float) and not isinstance(first, bool):
            converted: pd.Series = pd.to_numeric(series, errors="coerce").astype("float64")
        elif isinstance(first, dt.date):
            converted = pd.to_datetime(series, errors="coerce")
        else:
            continue
        if out is frame:
            out = frame.copy()
        out[column] = converted
    return out


def _readable(exc: Exception) -> str:
    """The first meaningful line of a backend error (the local engine and the connector are verbose)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def run_sql(warehouse: Warehouse, sql: str, params: list[Any] | None = None, *, label: str = "sql") -> pd.DataFrame:
    """Run one statement and return its normalized result; a backend error becomes :class:`QueryFailed`."""
    try:
        frame = warehouse.query(sql, params)
    except Exception as exc:  # every backend raises its own error types
        raise QueryFailed(label, _readable(exc)) from exc
    return normalize(frame)


def bind(query_id: str, params: Mapping[str, Any] | None = None) -> tuple[Query, str, list[Any]]:
    """The query, its SQL with ``?`` binds and the bound values. Raises :class:`UnknownQueryError` or
    :class:`ParameterError` (both readable) before anything reaches the warehouse."""
    query = catalog().get(query_id)
    sql, values = query.bind(params)
    return query, sql, values


def run_query(warehouse: Warehouse, query_id: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run the catalog query ``query_id`` with ``params`` (defaults for the rest) and return its result.

    Values are bound (``?``), never pasted into the SQL. Raises :class:`UnknownQueryError`,
    :class:`ParameterError` or :class:`QueryFailed`.
    """
    _, sql, values = bind(query_id, params)
    return run_sql(warehouse, sql, values, label=query_id)
