"""Stock (warehouse team): alerts with an adjustable threshold, orders to prepare, stock-out forecast,
adjustment history and turnover."""

from __future__ import annotations

import streamlit as st

from caves.i18n import code_label
from caves.services import dashboard_service, query_service
from caves.services import format as fmt
from components import cache, charts, kpi, tables
from components.context import lang, t
from components.data import description, load, orders_to_prepare

language = lang()
settings = cache.settings()

st.title(t("page.stock"))
threshold = st.slider(t("stock.threshold"), 0, 500, settings.low_stock_threshold, step=5, key="stock.threshold")

inventory = load("inventory_now", threshold=threshold)
if inventory is not None:
    kpi.kpi_row(
        dashboard_service.row_tiles(
            inventory,
            [
                ("PRODUCT_COUNT", "stock.kpi.products", "count"),
                ("TOTAL_UNITS", "stock.kpi.units", "count"),
                ("OUT_OF_STOCK_COUNT", "stock.kpi.out", "count"),
                ("LOW_STOCK_COUNT", "stock.kpi.low", "count"),
            ],
            language,
        )
    )
    if not inventory.empty:  # a day and a time need more room than a tile has
        st.caption(t("stock.last_adjustment", when=fmt.datetime(inventory.iloc[0]["LAST_ADJUSTMENT_AT"], language)))

st.header(t("stock.alerts"))
# one under the other: side by side, the low-stock table cut its last columns
st.subheader(t("stock.low"))
tables.table(
    load("low_stock_alerts", threshold=threshold),
    # the level first: on a phone, the bar and the start of the name show without scrolling sideways
    columns=["CURRENT_STOCK_LEVEL", "PRODUCT_NAME", "WAREHOUSE_LOCATION", "PRODUCT_CATEGORY", "LAST_ADJUSTMENT_AT"],
    stock_max=threshold,
    height=320,
)
st.subheader(t("stock.out"))
tables.table(
    load("out_of_stock"),
    columns=["PRODUCT_NAME", "PRODUCT_CATEGORY", "WAREHOUSE_LOCATION", "LAST_ADJUSTMENT_AT"],
    height=320,
)

st.header(t("stock.to_prepare"))
st.caption(t("stock.to_prepare_caption"))
tables.table(
    orders_to_prepare(),
    columns=[
        "ORDER_ID",
        "ORDER_STATUS",
        "PRODUCT_NAME",
        "QUANTITY",
        "WAREHOUSE_LOCATION",
        "IN_STOCK",
        "SHIPPING_COUNTRY",
        "HOURS_WAITING",
    ],
    height=320,
)

st.header(t("stock.forecast"))
st.caption(description("stockout_forecast"))
basis_col, horizon_col = st.columns(2)
basis = basis_col.slider(t("stock.forecast_days"), 7, 90, 30, key="stock.forecast_days")
horizon = horizon_col.slider(t("stock.forecast_horizon"), 1, 180, 30, key="stock.forecast_horizon")
forecast = load("stockout_forecast", days=basis)
if forecast is not None:
    soon = dashboard_service.stockout_within(forecast, horizon)
    tables.table(
        soon,
        columns=[
            "PRODUCT_NAME",
            "CURRENT_STOCK_LEVEL",
            "AVG_DAILY_UNITS",
            "DAYS_OF_STOCK_LEFT",
            "STOCKOUT_DATE",
            "WAREHOUSE_LOCATION",
        ],
        height=320,
    )

st.header(t("stock.history"))
history_query = query_service.catalog().get("adjustment_history")
days_col, product_col, type_col = st.columns(3)
history_days = days_col.number_input(t("common.days"), 1, 3660, 7, key="stock.history_days")
product = product_col.text_input(t("stock.product_filter"), "", max_chars=100, key="stock.product")
kind = type_col.selectbox(
    t("stock.type_filter"),
    history_query.param("adjustment_type").choices or (),
    format_func=lambda code: str(code_label("ADJUSTMENT_TYPE", code, language)),
    key="stock.adjustment_type",
)
tables.table(
    load("adjustment_history", days=history_days, product_id=product.strip(), adjustment_type=kind, limit=500),
    columns=[
        "EVENT_TIMESTAMP",
        "PRODUCT_ID",
        "PRODUCT_NAME",
        "ADJUSTMENT_TYPE",
        "QUANTITY_CHANGE",
        "REASON",
    ],
    height=320,
)

st.header(t("stock.turnover"))
st.caption(description("inventory_turnover"))
turnover = load("inventory_turnover", days=30)
if turnover is not None and not turnover.empty:
    charts.query_chart("inventory_turnover", turnover.nlargest(15, "TURNOVER_RATIO"), height=420)
tables.table(
    turnover,
    columns=[
        "PRODUCT_NAME",
        "PRODUCT_CATEGORY",
        "UNITS_SOLD",
        "CURRENT_STOCK_LEVEL",
        "TURNOVER_RATIO",
        "DAYS_OF_COVER",
    ],
    height=320,
)
