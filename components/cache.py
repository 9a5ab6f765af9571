"""The thin caching adapter between Streamlit and the services (``caves`` itself never imports Streamlit).

* the settings and the backend are resources, created once per process (``st.cache_resource``);
* query results are cached data keyed on the backend, the query id and its parameters, for
  ``query_ttl_seconds``; the pipeline-health snapshot for ``pipeline_health_refresh_seconds`` so each
  automatic refresh reads fresh figures. The warehouse is passed as ``_warehouse``: Streamlit does not
  hash arguments whose name starts with an underscore, and a connection is not hashable anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from caves.services import fulfilment_service, pipeline_service, query_service
from caves.services.backend import Backend, get_backend
from caves.settings import Settings, load_settings
from caves.warehouse.base import Warehouse

__all__ = ["backend", "clear", "health", "orders_to_prepare", "query", "settings"]

# Read at import: the cache lifetimes below are fixed when the decorators run.
_SETTINGS = load_settings()


def settings() -> Settings:
    """The console settings (config/caves.yaml or $CAVES_CONFIG), read once per process."""
    return _SETTINGS


def _secrets() -> dict[str, Any] | None:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets file: the local backend needs none
        return None


@st.cache_resource(show_spinner=False)
def backend() -> Backend:
    """The process's backend (see :func:`caves.services.backend.get_backend`); prepared by app.py."""
    return get_backend(_SETTINGS, _secrets())


@st.cache_data(ttl=_SETTINGS.query_ttl_seconds, show_spinner=False, max_entries=512)
def _query(backend_key: str, query_id: str, params: tuple[tuple[str, Any], ...], _warehouse: Warehouse) -> pd.DataFrame:
    return query_service.run_query(_warehouse, query_id, dict(params))


def query(query_id: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A catalog query's result (cached). Raises the query service's readable errors."""
    current = backend()
    return _query(current.key, query_id, tuple(sorted((params or {}).items())), current.warehouse)


@st.cache_data(ttl=_SETTINGS.query_ttl_seconds, show_spinner=False, max_entries=16)
def _orders_to_prepare(backend_key: str, limit: int, _warehouse: Warehouse) -> pd.DataFrame:
    return fulfilment_service.orders_to_prepare(_warehouse, limit)


def orders_to_prepare(limit: int = 500) -> pd.DataFrame:
    """Orders waiting to be prepared (cached)."""
    current = backend()
    return _orders_to_prepare(current.key, limit, current.warehouse)


@st.cache_data(ttl=_SETTINGS.pipeline_health_refresh_seconds, show_spinner=False, max_entries=16)
def _health(backend_key: str, hours: int, _warehouse: Warehouse) -> pipeline_service.HealthSnapshot:
    return pipeline_service.health_snapshot(
        _warehouse,
        hours=hours,
        warning_seconds=_SETTINGS.latency_warning_seconds,
        stale_seconds=_SETTINGS.latency_stale_seconds,
    )


def health(hours: int = 24) -> pipeline_service.HealthSnapshot:
    """The pipeline-health snapshot, at most one refresh period old."""
    current = backend()
    return _health(current.key, hours, current.warehouse)


def clear() -> None:
    """Forget every cached result (after an admin action, or on the user's "refresh" click)."""
    _query.clear()
    _orders_to_prepare.clear()
    _health.clear()
