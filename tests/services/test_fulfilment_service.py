"""caves.services.fulfilment_service: the orders to prepare."""

from __future__ import annotations

import pytest

from caves.services import fulfilment_service, query_service
from caves.warehouse.local import LocalWarehouse


def test_orders_to_prepare_are_placed_not_shipped_oldest_first(seeded: LocalWarehouse) -> None:
    orders = fulfilment_service.orders_to_prepare(seeded)
    assert not orders.empty
    assert set(orders["ORDER_STATUS"]) <= {"pending", "confirmed"}
    assert orders["ORDER_DATE"].is_monotonic_increasing
    expected = seeded.query(
        "select count(*) as N from CAVES_ALBERT_DB.PRODUCTION.ORDERS where ORDER_STATUS in ('pending', 'confirmed')"
    )
    assert len(orders) == min(500, int(expected.iloc[0, 0]))
    assert (orders["IN_STOCK"] == (orders["CURRENT_STOCK_LEVEL"] >= orders["QUANTITY"])).all()


def test_the_row_cap_is_bound(seeded: LocalWarehouse) -> None:
    assert len(fulfilment_service.orders_to_prepare(seeded, limit=2)) == 2
    with pytest.raises(query_service.ParameterError):
        fulfilment_service.orders_to_prepare(seeded, limit=0)
