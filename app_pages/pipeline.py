"""Santé du pipeline (ops): latency per layer, the task graph and its runs, streams, reconciliation,
rejected events, row counts. The health section refreshes itself (a fragment) without rerunning the page."""

from __future__ import annotations

import streamlit as st

from caves.i18n import code_label, column_label, schedule_label
from caves.services import format as fmt
from caves.services import pipeline_service
from components import cache, charts, tables, task_graph
from components.context import lang, t
from components.cost import cost_section
from components.data import title
from components.feedback import empty_state, error_box
from components.status import dot, grade_badge, grade_label

settings = cache.settings()
language = lang()
HISTORY_ROWS = 100

st.title(t("page.pipeline"))
st.caption(t("pipeline.refresh_every", seconds=fmt.number(settings.pipeline_health_refresh_seconds, language)))


@st.fragment(run_every=settings.pipeline_health_refresh_seconds)
def health() -> None:
    hours = st.segmented_control(t("pipeline.hours"), (1, 6, 24, 168), default=24, key="pipeline.hours") or 24
    snapshot = cache.health(hours)
    st.caption(t("common.as_of", when=fmt.datetime(snapshot.as_of, language, seconds=True)))
    for part, message in snapshot.errors.items():
        error_box(t("common.query_failed", title=part), message)

    # --- latency: the first question ops ask
    st.subheader(t("pipeline.latency"))
    st.caption(
        t(
            "pipeline.latency_caption_one" if hours == 1 else "pipeline.latency_caption",
            hours=fmt.number(hours, language),
            warning=fmt.duration(settings.latency_warning_seconds, language),
            stale=fmt.duration(settings.latency_stale_seconds, language),
        )
    )
    lag = pipeline_service.current_lag_seconds(snapshot.current, backlog=snapshot.streams)
    lag_grade = pipeline_service.grade(lag, settings.latency_warning_seconds, settings.latency_stale_seconds)
    layers = pipeline_service.worst_by_layer(snapshot.latency) if not snapshot.latency.empty else snapshot.latency
    graded_layers = [row for row in layers.itertuples() if row.LAYER not in pipeline_service.UNGRADED_LAYERS]
    tiles = st.columns(1 + len(graded_layers))
    tiles[0].metric(f"{grade_badge(lag_grade)} {t('pipeline.current_lag')}", fmt.duration(lag, language), border=True)
    for column, row in zip(tiles[1:], graded_layers, strict=True):
        column.metric(
            f"{grade_badge(row.GRADE)} {t('layer.' + row.LAYER)}",
            fmt.duration(row.MAX_LATENCY_SEC, language),
            help=column_label("MAX_LATENCY_SEC", language),
            border=True,
        )
    if not snapshot.latency.empty:
        with st.expander(title("latency_per_layer")):
            st.caption(t("pipeline.latency_detail_caption"))
            tables.table(snapshot.latency.assign(GRADE=snapshot.latency["GRADE"].map(grade_label)))

    # --- the task graph, each task with its state and its latest meaningful run
    st.subheader(t("pipeline.graph"))
    if snapshot.tasks.empty:
        empty_state()
    else:
        task_graph.task_graph(
            pipeline_service.graph_dot(
                snapshot.tasks,
                snapshot.run_states(),
                lambda state: str(code_label("STATE", state, language)),
                lambda schedule: schedule_label(schedule, language),
            )
        )
        st.caption(t("pipeline.graph_legend"))

    # --- graph runs, as Snowsight lists them: running and next, then the last hour's complete runs
    st.markdown(f"**{t('pipeline.graphs_current')}**")
    tables.table(
        snapshot.graphs_current,
        columns=["ROOT_TASK_NAME", "STATE", "SCHEDULED_FROM", "SCHEDULED_TIME", "QUERY_START_TIME"],
    )
    st.markdown(f"**{t('pipeline.graph_runs')}**")
    tables.table(
        snapshot.graph_runs,
        columns=[
            "COMPLETED_TIME",
            "ROOT_TASK_NAME",
            "STATE",
            "SCHEDULED_FROM",
            "DURATION_SEC",
            "FIRST_ERROR_TASK_NAME",
            "FIRST_ERROR_MESSAGE",
        ],
        height=240,
    )

    st.subheader(t("pipeline.history"))
    st.markdown(f"**{t('pipeline.summary')}**")
    tables.table(
        snapshot.run_summary,
        columns=[
            "NAME",
            "LAST_STATE",
            "LAST_SCHEDULED_TIME",
            "RUNS",
            "FAILED",
            "SKIPPED",
            "SUCCESS_RATE_PCT",
            "AVG_DURATION_SEC",
        ],
    )
    show_skipped = st.toggle(t("pipeline.show_skipped"), value=False, key="pipeline.show_skipped")
    history = snapshot.history
    if not history.empty and not show_skipped:
        history = history[history["STATE"] != "SKIPPED"]
    tables.table(
        history.head(HISTORY_ROWS),
        columns=["SCHEDULED_TIME", "NAME", "STATE", "DURATION_SEC", "COMPLETED_TIME", "ERROR_MESSAGE"],
        height=320,
    )

    st.subheader(t("pipeline.streams"))
    st.caption(t("pipeline.backlog_caption"))
    tables.table(
        snapshot.streams,
        columns=[
            "STREAM_NAME",
            "PENDING_CHANGES",
            "OLDEST_PENDING_AGE_SEC",
            "OLDEST_PENDING_AT",
            "CONSUMER_TASK",
            "STALE_AFTER",
        ],
    )

    st.subheader(t("pipeline.reconciliation"))
    recon = snapshot.reconciliation
    if recon is None:
        empty_state()
    else:
        st.markdown(
            f"{dot(recon.balanced)} " + t("pipeline.recon_window", when=fmt.datetime(recon.window_start, language))
        )
        threshold = fmt.duration(recon.in_flight_seconds, language)
        staged = [
            ("pipeline.recon_raw", recon.raw_rows, None),
            ("pipeline.recon_orders", recon.staged_orders, None),
            ("pipeline.recon_adjustments", recon.staged_adjustments, None),
            ("pipeline.recon_rejected", recon.rejected, None),
            ("pipeline.recon_in_flight", recon.in_flight, t("pipeline.recon_in_flight_help", seconds=threshold)),
            ("pipeline.recon_unaccounted", recon.unaccounted, t("pipeline.recon_unaccounted_help", seconds=threshold)),
        ]
        # two rows of three: six tiles side by side cut their labels
        columns = [*st.columns(3), *st.columns(3)]
        for column, (key, value, help_text) in zip(columns, staged, strict=True):
            label = t(key)
            if key == "pipeline.recon_unaccounted":
                label = f"{dot(recon.balanced)} {label}"
            column.metric(label, fmt.number(value, language), help=help_text, border=True)
        st.caption(
            t(
                "pipeline.recon_production",
                orders=fmt.number(recon.production_orders, language),
                adjustments=fmt.number(recon.production_adjustments, language),
            )
        )

    rejected_col, counts_col = st.columns(2, gap="large")
    with rejected_col:
        st.subheader(t("pipeline.rejected"))
        charts.query_chart("rejected_events_by_reason", snapshot.rejected, height=300)
    with counts_col:
        st.subheader(t("pipeline.row_counts"))
        charts.query_chart("pipeline_row_counts", snapshot.row_counts, height=300)


health()

# What the pipeline costs in Snowflake credits (outside the self-refreshing health fragment).
cost_section()
