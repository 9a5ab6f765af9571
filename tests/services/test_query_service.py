"""caves.services.query_service: catalog queries through the Warehouse protocol, typed results, readable errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from caves.services import query_service
from caves.warehouse.local import LocalWarehouse


def test_runs_a_catalog_query_with_its_declared_columns(seeded: LocalWarehouse) -> None:
    result = query_service.run_query(seeded, "top_products_by_revenue", {"limit": 3})
    assert list(result.columns[:4]) == ["PRODUCT_ID", "PRODUCT_NAME", "UNITS_SOLD", "REVENUE"]
    assert len(result) == 3
    assert result["REVENUE"].dtype == "float64"  # NUMBER(p,s) arrives as Decimal: turned into floats
    assert result["REVENUE"].is_monotonic_decreasing


def test_defaults_fill_the_missing_parameters(seeded: LocalWarehouse) -> None:
    assert len(query_service.run_query(seeded, "top_products_by_revenue")) == 10


def test_dates_become_datetimes(seeded: LocalWarehouse) -> None:
    days = query_service.run_query(seeded, "revenue_by_day", {"days": 3})
    assert pd.api.types.is_datetime64_any_dtype(days["ORDER_DAY"])


def test_values_are_bound_never_pasted() -> None:
    _, sql, values = query_service.bind("low_stock_alerts", {"threshold": 77})
    assert "77" not in sql and "?" in sql
    assert set(values) == {77}  # once per placeholder


def test_a_bad_parameter_is_refused_before_the_warehouse(seeded: LocalWarehouse) -> None:
    with pytest.raises(query_service.ParameterError, match="limit"):
        query_service.run_query(seeded, "top_products_by_revenue", {"limit": "many"})
    with pytest.raises(query_service.ParameterError, match="maximum"):
        query_service.run_query(seeded, "top_products_by_revenue", {"limit": 10**6})
    with pytest.raises(query_service.UnknownQueryError, match="did you mean"):
        query_service.run_query(seeded, "top_product_by_revenue")


def test_a_warehouse_error_is_one_readable_line(seeded: LocalWarehouse) -> None:
    with pytest.raises(query_service.QueryFailed) as failure:
        query_service.run_sql(seeded, "select * from CAVES_ALBERT_DB.PRODUCTION.NO_SUCH_TABLE", label="probe")
    assert failure.value.query_id == "probe"
    assert "\n" not in failure.value.message and "NO_SUCH_TABLE" in failure.value.message


def test_normalize_leaves_other_columns_alone() -> None:
    frame = pd.DataFrame(
        {
            "AMOUNT": [Decimal("1.50"), None],
            "DAY": [dt.date(2026, 1, 1), dt.date(2026, 1, 2)],
            "NAME": ["a", "b"],
            "EMPTY": [None, None],
        }
    )
    out = query_service.normalize(frame)
    assert out["AMOUNT"].tolist()[0] == 1.5 and pd.isna(out["AMOUNT"].tolist()[1])
    assert pd.api.types.is_datetime64_any_dtype(out["DAY"])
    assert out["NAME"].tolist() == ["a", "b"]
    assert frame["AMOUNT"].dtype == object  # the input is not modified
