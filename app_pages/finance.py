"""Finance: month-end projection, payment methods, basket by category, month over month."""

from __future__ import annotations

import streamlit as st

from caves.i18n import payment_method
from caves.services import dashboard_service
from components import charts, kpi, tables
from components.context import lang, t
from components.data import description, load

language = lang()

st.title(t("page.finance"))
days = st.segmented_control(t("common.days"), (30, 90, 365), default=90, key="finance.days") or 90

st.subheader(t("finance.projection"))
projection = load("month_end_projection")
if projection is not None:
    kpi.kpi_row(
        dashboard_service.row_tiles(
            projection,
            [
                ("REVENUE_MTD", "finance.revenue_mtd", "money"),
                ("PROJECTED_REVENUE", "finance.projected", "money"),
                ("PREVIOUS_MONTH_REVENUE", "finance.previous_month", "money"),
                ("PROJECTED_DELTA_PCT", "finance.projected_delta", "signed_percent"),
            ],
            language,
        )
    )

# Charts side by side, their tables below across the page: a table in half a page cut its last columns.
payments = load("revenue_by_payment_method")
if payments is not None:
    payments = payments.assign(PAYMENT_METHOD=payments["PAYMENT_METHOD"].map(lambda c: payment_method(c, language)))
basket = load("basket_by_category", days=days)
payments_col, basket_col = st.columns(2, gap="large")
with payments_col:
    st.subheader(t("finance.payments"))
    charts.query_chart("revenue_by_payment_method", payments, height=300)
with basket_col:
    st.subheader(t("finance.basket"))
    charts.query_chart("basket_by_category", basket, height=300)
tables.table(payments)
tables.table(basket)

st.subheader(t("finance.mom"))
st.caption(description("month_over_month"))
months = st.slider(t("finance.months"), 2, 24, 12, key="finance.months")
month_over_month = load("month_over_month", months=months)
if month_over_month is not None:
    month_over_month = dashboard_service.since_first_data(month_over_month, "ORDER_COUNT")
charts.query_chart("month_over_month", month_over_month)
tables.table(month_over_month)
