"""Orders the warehouse team has to prepare: placed (pending or confirmed) and not shipped yet.

Pure (no Streamlit). The statement is the catalog query ``preparation_queue`` (queries/05_inventory/): linted,
run on the local engine and checked against an oracle like every catalog query; the row cap is bound.
"""

from __future__ import annotations

import pandas as pd

from caves.services import query_service
from caves.warehouse.base import Warehouse

__all__ = ["QUERY_ID", "orders_to_prepare"]

QUERY_ID = "preparation_queue"


def orders_to_prepare(warehouse: Warehouse, limit: int = 500) -> pd.DataFrame:
    """Up to ``limit`` orders waiting to be prepared, oldest first, with the stock on their shelf.

    Raises :class:`~caves.catalog.ParameterError` for a ``limit`` out of the query's bounds (1..100000)."""
    return query_service.run_query(warehouse, QUERY_ID, {"limit": limit})
