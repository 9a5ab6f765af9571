"""The cost section of the pipeline page: cost per day and per task, the share of skipped runs, and a what-if.

Layout and widgets only: the figures come from :func:`caves.services.cost_service.cost_report` (formulas in
``caves/cost.py``), cached for the settings' query lifetime.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from caves import cost
from caves.cost import CostModel
from caves.services import cost_service
from caves.services import format as fmt
from caves.warehouse.base import Warehouse
from components import cache
from components.charts import build_figure
from components.context import lang, t
from components.feedback import empty_state, error_box

__all__ = ["WHAT_IF_CHOICES", "cost_section"]

# The what-if values offered (the CLI takes any value).
WHAT_IF_CHOICES: dict[str, tuple[str, ...]] = {
    "schedule": ("2m", "5m", "10m", "15m", "60m"),
    "size": cost.SIZES[:5],
    "model": cost.COMPUTE_MODELS,
    "auto_suspend": ("30", "60", "120", "300", "600"),
}
_DAYS = (1, 3, 7)


@st.cache_data(ttl=cache.settings().query_ttl_seconds, show_spinner=False, max_entries=64)
def _report(
    backend_key: str, model_fields: tuple, days: int, what_if: str | None, _warehouse: Warehouse
) -> cost_service.CostReport:
    return cost_service.cost_report(_warehouse, CostModel(*model_fields), days, what_if)


def _model_label(model: CostModel) -> str:
    if model.compute_model == "warehouse":
        return t("cost.model.warehouse", size=model.warehouse_size)
    return t("cost.model.serverless")


def _credits(value: float, language: str) -> str:
    return fmt.number(value, language, decimals=4)


def _euros(value: float, language: str) -> str:
    return fmt.euros(value, language, decimals=2 if abs(value) >= 1 else 4)


def _shown(frame: pd.DataFrame, key: str, language: str) -> pd.DataFrame:
    """An aggregate of caves.cost as text columns, French-formatted, with translated headings."""
    first = {"DAY": "cost.col.day", "NAME": "cost.col.task", "GRAPH_NAME": "cost.col.graph"}[key]
    values = {
        t(first): frame[key].map(lambda v: fmt.date(v, language)) if key == "DAY" else frame[key],
        t("cost.col.runs"): frame["RUNS"].map(lambda v: fmt.number(v, language)),
        t("cost.col.work_runs"): frame["WORK_RUNS"].map(lambda v: fmt.number(v, language)),
        t("cost.col.skipped_pct"): frame["SKIPPED_PCT"].map(lambda v: fmt.percent(v, language)),
        t("cost.col.busy"): frame["BUSY_SEC"].map(lambda v: fmt.duration(v, language)),
        t("cost.col.credits"): frame["CREDITS"].map(lambda v: _credits(v, language)),
        t("cost.col.cost"): frame["COST"].map(lambda v: _euros(v, language)),
    }
    return pd.DataFrame(values)


def _what_if_controls() -> str | None:
    # Options are the translated labels themselves (no format_func), so a widget's value is what it shows.
    labels = {t(f"cost.what_if.{k}"): k for k in WHAT_IF_CHOICES}
    left, right = st.columns(2)
    label = left.selectbox(t("cost.what_if.kind"), list(labels), key=f"cost.what_if.kind.{lang()}")
    kind = labels.get(label or "", "schedule")
    value = right.selectbox(t("cost.what_if.value"), WHAT_IF_CHOICES[kind], index=1, key=f"cost.what_if.{kind}")
    return f"{kind}={value}" if value else None


def cost_section(
    warehouse: Warehouse | None = None, model: CostModel | None = None, *, key: str = "cost"
) -> cost_service.CostReport | None:
    """Render the cost section (a subheader and its parts) and return the report shown (None on an error).

    ``warehouse`` and ``model`` default to the console's backend and the ``cost:`` settings.
    """
    language = lang()
    current = cache.backend()
    warehouse = warehouse or current.warehouse
    model = model or cache.settings().cost.model()
    st.subheader(t("cost.title"))
    days = st.segmented_control(t("cost.days"), _DAYS, default=1, key=f"{key}.days") or 1
    with st.expander(t("cost.what_if"), expanded=False):
        what_if = _what_if_controls()
    try:
        report = _report(current.key, dataclasses.astuple(model), int(days), what_if, warehouse)
    except Exception as exc:  # a refused history view must not blank the rest of the page
        error_box(t("cost.title"), exc)
        return None

    summary = report.summary
    hours = fmt.number(report.observed_days * 24, language, decimals=1)
    price = _euros(model.price_per_credit, language)
    source = "cost.source.billed" if report.source == "billed" else "cost.source.estimate"
    st.caption(t(source, model=_model_label(model), days=report.days, hours=hours, price=price))
    tiles = st.columns(4)
    tiles[0].metric(t("cost.per_day"), _euros(report.cost_per_day, language), border=True)
    tiles[1].metric(t("cost.credits_per_day"), _credits(report.credits_per_day, language), border=True)
    tiles[2].metric(
        t("cost.skipped_share"),
        fmt.percent(summary.skipped_share * 100, language),
        help=t("cost.skipped_help"),
        border=True,
    )
    tiles[3].metric(t("cost.work_runs"), fmt.number(summary.work_runs, language), border=True)
    if "no_work" in report.notes:
        empty_state(t("cost.no_work"))

    if not report.by_day.empty:
        st.markdown(f"**{t('cost.by_day')}**")
        # Days as dates (day-first ticks in French), one tick per day: a day's bar never reads as hours.
        by_day = report.by_day.assign(DAY=pd.to_datetime(report.by_day["DAY"]))
        figure = build_figure({"type": "bar", "x": "DAY", "y": "COST"}, by_day, language, height=260)
        if figure is not None:
            figure.update_layout(yaxis_title=t("cost.col.cost"), xaxis_title=t("cost.col.day"))
            figure.update_xaxes(dtick=86_400_000)
            st.plotly_chart(figure, config={"displayModeBar": False})
    # One table under the other: side by side, seven columns each were cut at 1440 px.
    st.markdown(f"**{t('cost.by_task')}**")
    st.dataframe(_shown(report.by_task, "NAME", language), hide_index=True)
    st.markdown(f"**{t('cost.by_graph')}**")
    st.dataframe(_shown(report.by_graph, "GRAPH_NAME", language), hide_index=True)
    if report.billed is not None and not report.billed.empty:
        with st.expander(t("cost.billed")):
            st.dataframe(report.billed, hide_index=True)

    if report.what_if is not None:
        change = report.what_if
        saving = change.saving(summary) * model.price_per_credit
        label = "cost.what_if.saving" if saving >= 0 else "cost.what_if.extra"
        st.metric(
            t("cost.what_if.result", change=f"{change.kind} = {change.value}"),
            _euros(change.summary.cost_per_day, language),
            delta=t(label, amount=_euros(abs(saving), language)),
            delta_color="normal" if saving >= 0 else "inverse",
            border=True,
        )
        st.caption(t("cost.what_if.assumptions", parallel=fmt.percent(model.parallel_fraction * 100, language, 0)))
    return report
