"""Clients: repeat purchases, RFM segments, VIP, loyal and inactive customers."""

from __future__ import annotations

import streamlit as st

from caves.i18n import code_label
from caves.services import dashboard_service
from components import charts, kpi, tables
from components.context import lang, t
from components.data import description, load

language = lang()

st.title(t("page.customers"))

repeat = load("repeat_purchase_rate")
if repeat is not None:
    kpi.kpi_row(
        dashboard_service.row_tiles(
            repeat,
            [
                ("CUSTOMER_COUNT", "customers.customers", "count"),
                ("REPEAT_CUSTOMERS", "customers.repeat", "count"),
                ("REPEAT_RATE_PCT", "customers.repeat_rate", "percent"),
                ("AVG_ORDERS_PER_CUSTOMER", "customers.orders_per_customer", "decimal"),
                ("AVG_DAYS_BETWEEN_ORDERS", "customers.days_between", "days"),
            ],
            language,
        )
    )

st.header(t("customers.rfm"))
st.caption(description("rfm_segments"))
rfm = load("rfm_segments")
if rfm is not None and not rfm.empty:
    summary = dashboard_service.rfm_summary(rfm)
    charts.query_chart("rfm_segments", summary, hint={"type": "bar", "x": "SEGMENT", "y": "CUSTOMER_COUNT"}, height=300)
    tables.table(summary)
    segments = [t("customers.all_segments"), *summary["SEGMENT"]]
    chosen = st.selectbox(
        t("customers.segment"),
        segments,
        format_func=lambda code: str(code_label("SEGMENT", code, language)),
        key="customers.segment",
    )
    members = rfm if chosen == segments[0] else rfm[rfm["SEGMENT"] == chosen]
    tables.table(members, height=300)
else:
    tables.table(rfm)

vip_tab, loyal_tab, inactive_tab = st.tabs([t("customers.vip"), t("customers.loyal"), t("customers.inactive")])
with vip_tab:
    st.caption(description("vip_customers"))
    min_value = st.number_input(t("customers.min_value"), 0, 100_000_000, 1000, step=100, key="customers.min_value")
    tables.table(load("vip_customers", min_value=min_value))
with loyal_tab:
    st.caption(description("loyal_customers"))
    min_orders = st.number_input(t("customers.min_orders"), 1, 10_000, 5, key="customers.min_orders")
    tables.table(load("loyal_customers", min_orders=min_orders))
with inactive_tab:
    st.caption(description("inactive_customers"))
    inactive_days = st.number_input(t("customers.inactive_days"), 1, 3660, 30, key="customers.inactive_days")
    tables.table(load("inactive_customers", days=inactive_days))
