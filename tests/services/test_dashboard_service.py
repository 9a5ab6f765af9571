"""caves.services.dashboard_service: what the dashboard tiles and summaries say."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from caves.services import dashboard_service as ds
from caves.services import format as fmt

NB = fmt.NBSP
G = "\u202f"  # CLDR French groups thousands with a narrow no-break space


def test_today_tiles_follow_the_metric_order_with_deltas() -> None:
    versus = pd.DataFrame(
        {
            "METRIC": ["REVENUE", "ORDERS"],
            "TODAY": [1234.6, 12.0],
            "YESTERDAY": [1000.0, 0.0],
            "DELTA_PCT": [23.46, None],
            "METRIC_ORDER": [2, 1],
        }
    )
    orders, revenue = ds.today_tiles(versus, "fr")
    small = ds.today_tiles(versus.assign(TODAY=[987.65, 12.0]), "fr")[1]
    assert small.value == f"987,65{NB}€"  # below a thousand, the cents
    assert (orders.label, orders.value, orders.delta) == ("Commandes", "12", None)  # yesterday was zero
    assert revenue.value == f"1{G}235{NB}€"  # whole euros from a thousand on: the tile stays readable
    assert revenue.delta == f"+23,5{NB}% vs hier"
    assert revenue.help == f"Hier{NB}: 1{G}000{NB}€"
    assert ds.today_tiles(versus, "en")[0].label == "Orders"


def test_row_tiles_and_kpi_tiles() -> None:
    frame = pd.DataFrame({"PRODUCT_COUNT": [120], "REPEAT_RATE_PCT": [24.13], "AVG_BASKET": [58.3]})
    tiles = ds.row_tiles(frame, [("PRODUCT_COUNT", "stock.kpi.products", "count")], "fr")
    assert [(t.label, t.value) for t in tiles] == [("Références", "120")]
    auto = ds.kpi_tiles(frame, "fr")
    assert [t.value for t in auto] == ["120", f"24,1{NB}%", f"58,30{NB}€"]
    assert ds.row_tiles(frame.iloc[0:0], [], "fr") == [] and ds.kpi_tiles(frame.iloc[0:0], "fr") == []


def test_abc_summary_counts_every_class() -> None:
    abc = pd.DataFrame({"PRODUCT_ID": ["a", "b", "c"], "REVENUE": [80.0, 15.0, 5.0], "ABC_CLASS": ["A", "B", "C"]})
    summary = ds.abc_summary(abc[abc["ABC_CLASS"] != "B"])
    assert summary["ABC_CLASS"].tolist() == ["A", "B", "C"]
    assert summary["PRODUCTS"].tolist() == [1, 0, 1]
    assert summary["REVENUE_SHARE"].round(3).tolist() == [0.941, 0.0, 0.059]


def test_rfm_summary_biggest_segment_first() -> None:
    rfm = pd.DataFrame(
        {
            "CUSTOMER_ID": ["c1", "c2", "c3"],
            "MONETARY": [100.0, 300.0, 50.0],
            "RECENCY_DAYS": [1, 3, 40],
            "SEGMENT": ["Champions", "Champions", "At risk"],
        }
    )
    summary = ds.rfm_summary(rfm)
    assert summary.iloc[0].to_dict() == {
        "SEGMENT": "Champions",
        "CUSTOMER_COUNT": 2,
        "MONETARY": 400.0,
        "AVG_MONETARY": 200.0,
        "RECENCY_DAYS": 2.0,
    }


def test_stockout_within_keeps_the_soonest() -> None:
    forecast = pd.DataFrame({"PRODUCT_ID": ["a", "b", "c"], "DAYS_OF_STOCK_LEFT": [40.0, None, 3.5]})
    assert ds.stockout_within(forecast, 30)["PRODUCT_ID"].tolist() == ["c"]


def test_freshness_ages_with_the_clock() -> None:
    now = dt.datetime(2026, 11, 25, 12, 0, 0)
    latency = pd.DataFrame(
        {
            "LAST_RAW_INGESTION": [now - dt.timedelta(seconds=30)],
            "LAST_PROD_UPDATE": [now - dt.timedelta(seconds=200)],
            "IS_CAUGHT_UP": [False],
        }
    )
    fresh = ds.freshness(latency, 120, 300, now=now)
    assert (fresh.seconds_since_raw, fresh.seconds_since_production) == (30.0, 200.0)
    assert (fresh.lag_seconds, fresh.caught_up, fresh.grade) == (200.0, False, "warning")
    assert ds.freshness(latency.iloc[0:0], 120, 300).grade == "unknown"


def test_freshness_never_says_behind_beside_an_ok_grade() -> None:
    now = dt.datetime(2026, 11, 25, 12, 0, 0)
    latency = pd.DataFrame(
        {
            "LAST_RAW_INGESTION": [now - dt.timedelta(seconds=2)],
            "LAST_PROD_UPDATE": [now - dt.timedelta(seconds=3.6)],
            "IS_CAUGHT_UP": [False],
        }
    )
    fresh = ds.freshness(latency, 120, 300, now=now)
    assert (fresh.grade, fresh.state) == ("ok", "catching_up")
    assert ds.freshness(latency.assign(IS_CAUGHT_UP=[True]), 120, 300, now=now).state == "caught_up"
    late = latency.assign(LAST_PROD_UPDATE=[now - dt.timedelta(seconds=200)])
    assert ds.freshness(late, 120, 300, now=now).state == "behind"


def test_months_before_the_first_data_are_not_listed() -> None:
    months = pd.DataFrame(
        {"MONTH_START": pd.date_range("2026-01-01", periods=4, freq="MS"), "ORDER_COUNT": [0, 0, 5, 0]}
    )
    kept = ds.since_first_data(months, "ORDER_COUNT")
    assert kept["MONTH_START"].dt.month.tolist() == [3, 4]  # a quiet month after the first stays: it is a zero
    assert ds.since_first_data(months.assign(ORDER_COUNT=0), "ORDER_COUNT").empty


def test_a_change_reads_signed_and_a_moment_keeps_its_day() -> None:
    assert ds.format_value(80.0, "signed_percent", "fr") == f"+80,0{fmt.NBSP}%"
    assert ds.format_value(-12.5, "signed_percent", "en") == "-12.5%"
    this_year = dt.datetime.now(dt.UTC).year
    assert ds.format_value(dt.datetime(this_year, 12, 2, 20, 22), "datetime", "fr") == "2 déc. 20:22"
    assert ds.format_value(dt.datetime(this_year, 12, 2, 20, 22), "datetime", "en") == "2 Dec 20:22"
