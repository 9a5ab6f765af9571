"""Catalog queries for the pages: cached, with a readable error box instead of an exception."""

from __future__ import annotations

from typing import Any

import pandas as pd

from caves.services import query_service
from components import cache
from components.context import lang, t
from components.feedback import error_box


def title(query_id: str) -> str:
    """The query's title in the session's language (from its catalog header)."""
    return query_service.catalog().get(query_id).title_for(lang())


def description(query_id: str) -> str:
    """The query's description in the session's language."""
    return query_service.catalog().get(query_id).description_for(lang())


def load(query_id: str, **params: Any) -> pd.DataFrame | None:
    """The result of a catalog query, or None after showing why it failed (bad parameter, warehouse
    error): a page goes on rendering its other sections."""
    try:
        return cache.query(query_id, params)
    except Exception as exc:  # any failure reaches the user as one readable line, the page keeps going
        error_box(t("common.query_failed", title=title(query_id)), exc)
        return None


def orders_to_prepare() -> pd.DataFrame | None:
    """The orders waiting to be prepared, or None after showing why they could not be read."""
    try:
        return cache.orders_to_prepare()
    except Exception as exc:  # same contract as load()
        error_box(t("common.query_failed", title=t("stock.to_prepare")), exc)
        return None
