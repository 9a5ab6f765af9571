"""Ventes & produits: top performers, trends and seasonality, ABC / Pareto, declining products."""

from __future__ import annotations

import streamlit as st

from caves.i18n import weekday
from caves.services import dashboard_service
from caves.services import format as fmt
from components import charts, tables
from components.context import lang, t
from components.data import description, load, title

language = lang()
PERIODS = (7, 30, 90, 365)

st.title(t("page.sales"))
days = st.segmented_control(t("common.days"), PERIODS, default=30, key="sales.days") or 30

st.header(t("sales.top"))
products_col, categories_col = st.columns([3, 2], gap="large")
with products_col:
    st.subheader(title("top_products_by_revenue"))
    charts.query_chart("top_products_by_revenue", load("top_products_by_revenue", limit=10))
with categories_col:
    st.subheader(title("top_categories"))
    charts.query_chart("top_categories", load("top_categories", days=days))

st.header(t("sales.trends"))
week_col, category_col = st.columns(2, gap="large")
with week_col:
    st.subheader(title("revenue_by_week"))
    charts.query_chart("revenue_by_week", load("revenue_by_week", weeks=max(1, days // 7)))
with category_col:
    st.subheader(title("trend_by_category"))
    charts.query_chart("trend_by_category", load("trend_by_category", days=days))
weekday_col, hour_col = st.columns(2, gap="large")
with weekday_col:
    st.subheader(title("seasonality_by_weekday"))
    weekdays = load("seasonality_by_weekday", days=days)
    if weekdays is not None:
        weekdays = weekdays.assign(WEEKDAY_NAME=weekdays["WEEKDAY_ISO"].map(lambda d: weekday(d, language)))
    charts.query_chart("seasonality_by_weekday", weekdays, height=280)
with hour_col:
    st.subheader(title("seasonality_by_hour"))
    charts.query_chart("seasonality_by_hour", load("seasonality_by_hour", days=days), height=280)

st.header(t("sales.abc"))
abc = load("abc_analysis")
if abc is not None and not abc.empty:
    summary = dashboard_service.abc_summary(abc)
    for column, row in zip(st.columns(len(summary)), summary.itertuples(), strict=True):
        column.markdown(
            t(
                "sales.abc_summary",
                cls=f"**{row.ABC_CLASS}**",
                products=row.PRODUCTS,
                share=fmt.percent(row.REVENUE_SHARE * 100, language, decimals=0),
            )
        )
charts.pareto_chart(abc)

st.header(t("sales.declining"))
min_drop = st.slider(t("sales.min_drop"), 0, 100, 20, step=5, key="sales.min_drop")
st.caption(description("declining_products"))
# the wine's name is what a manager reads (its id is on the Stock page): the table keeps to the page's width
tables.table(
    load("declining_products", days=days, min_drop_pct=min_drop),
    columns=["PRODUCT_NAME", "REVENUE_PREVIOUS", "REVENUE_CURRENT", "DELTA_PCT", "UNITS_PREVIOUS", "UNITS_CURRENT"],
)
