"""Orders the warehouse team has to prepare: placed (pending or confirmed) and not shipped yet.

Pure (no Streamlit). The catalog has counts per status (``order_status_breakdown``) but no order list,
so the statement lives here, written for Snowflake like the catalog's, with the row cap bound.
"""

from __future__ import annotations

import pandas as pd

from caves.services import query_service
from caves.warehouse.base import Warehouse

__all__ = ["ORDERS_TO_PREPARE_SQL", "orders_to_prepare"]

# Oldest first: the order that has waited longest is prepared first. IN_STOCK tells the picker whether the
# shelf holds enough bottles (a product never adjusted has no INVENTORY_CURRENT row: treated as 0).
ORDERS_TO_PREPARE_SQL = """
select
    O.ORDER_ID,
    O.ORDER_DATE,
    O.ORDER_STATUS,
    O.CUSTOMER_ID,
    O.PRODUCT_ID,
    O.PRODUCT_NAME,
    O.QUANTITY,
    O.TOTAL_AMOUNT,
    O.SHIPPING_COUNTRY,
    I.WAREHOUSE_LOCATION,
    coalesce(I.CURRENT_STOCK_LEVEL, 0) as CURRENT_STOCK_LEVEL,
    coalesce(I.CURRENT_STOCK_LEVEL, 0) >= O.QUANTITY as IN_STOCK,
    datediff(hour, O.ORDER_DATE, convert_timezone('UTC', current_timestamp())::timestamp_ntz) as HOURS_WAITING
from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
left join CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
    on O.PRODUCT_ID = I.PRODUCT_ID
where O.ORDER_STATUS in ('pending', 'confirmed')
qualify row_number() over (order by O.ORDER_DATE asc, O.ORDER_ID asc) <= ?
order by O.ORDER_DATE asc, O.ORDER_ID asc
"""


def orders_to_prepare(warehouse: Warehouse, limit: int = 500) -> pd.DataFrame:
    """Up to ``limit`` orders waiting to be prepared, oldest first, with the stock on their shelf."""
    if limit < 1:
        raise query_service.ParameterError(f"limit must be at least 1, got {limit}", "limit")
    return query_service.run_sql(warehouse, ORDERS_TO_PREPARE_SQL, [int(limit)], label="orders_to_prepare")
