"""Vue d'ensemble: today against yesterday, the revenue trend, today's best sellers, data freshness. It refreshes
itself (a fragment), like the pipeline page, so that "il y a 2 s" does not freeze."""

from __future__ import annotations

import streamlit as st

from caves.services import dashboard_service
from caves.services import format as fmt
from components import cache, charts, kpi
from components.context import lang, t
from components.data import load, title
from components.status import dot, grade_badge

settings = cache.settings()
language = lang()

st.title(t("page.overview"))
st.caption(t("pipeline.refresh_every", seconds=fmt.number(settings.pipeline_health_refresh_seconds, language)))


@st.fragment(run_every=settings.pipeline_health_refresh_seconds)
def overview() -> None:
    st.subheader(t("overview.today"))
    st.caption(t("overview.caption"))

    today = load("kpi_today_vs_yesterday")
    if today is not None:
        kpi.kpi_row(dashboard_service.today_tiles(today, language))

    trend_col, top_col = st.columns([3, 2], gap="large")
    with trend_col:
        st.subheader(title("revenue_moving_average"))
        trend = load("revenue_moving_average", days=30)
        if trend is not None:  # the days before the shop's first order are not zeros to draw
            trend = dashboard_service.since_first_data(trend, "ORDER_COUNT")
        charts.query_chart("revenue_moving_average", trend)
    with top_col:
        st.subheader(title("top_products_today"))
        charts.query_chart("top_products_today", load("top_products_today", limit=5))

    st.subheader(t("overview.freshness"))
    latency = load("pipeline_latency")
    if latency is not None:
        fresh = dashboard_service.freshness(
            latency,
            settings.latency_warning_seconds,
            settings.latency_stale_seconds,
            backlog=load("stream_backlog"),
        )
        raw_col, prod_col, lag_col = st.columns(3)
        for column, label, seconds, when in (
            (raw_col, "overview.last_raw", fresh.seconds_since_raw, fresh.last_raw),
            (prod_col, "overview.last_prod", fresh.seconds_since_production, fresh.last_production),
        ):
            column.metric(
                t(label),
                fmt.MISSING if seconds is None else t("overview.ago", duration=fmt.duration(seconds, language)),
                help=fmt.datetime(when, language, seconds=True) + " (UTC)" if when else None,
                border=True,
            )
        lag_col.metric(
            f"{grade_badge(fresh.grade)} " + t(f"overview.{fresh.state}"),
            fmt.duration(fresh.lag_seconds, language),
            help=t("pipeline.current_lag"),
            border=True,
        )

    st.subheader(t("overview.alerts"))
    alerts = load("alert_overview", threshold=settings.low_stock_threshold)
    if alerts is not None and not alerts.empty:
        for column, alert in zip(st.columns(len(alerts)), alerts.itertuples(), strict=True):
            label = f"{dot(alert.STATUS == 'ok')} {t('alert.' + alert.ALERT_NAME)}"
            column.metric(label, fmt.number(alert.ITEM_COUNT, language), border=True)


overview()
