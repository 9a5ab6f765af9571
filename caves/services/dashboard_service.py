"""Shapes catalog results into what the dashboard pages show: KPI tiles, summaries, freshness.

Pure (no Streamlit): every function takes a query result and returns plain values or a small frame, so
the numbers on screen can be tested without a browser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from caves import i18n
from caves.services import format as fmt
from caves.services.pipeline_service import current_lag_seconds, grade

__all__ = [
    "Freshness",
    "KpiTile",
    "abc_summary",
    "format_value",
    "freshness",
    "kpi_tiles",
    "rfm_summary",
    "row_tiles",
    "since_first_data",
    "stockout_within",
    "today_tiles",
]

# kpi_today_vs_yesterday's METRIC values that are amounts (the others are counts).
_MONEY_METRICS = frozenset({"REVENUE", "AVG_BASKET"})
ABC_CLASSES = ("A", "B", "C")


@dataclass(frozen=True)
class KpiTile:
    """One ``st.metric``: label, formatted value, optional formatted delta (its sign gives the arrow)."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None


def format_value(value: object, kind: str, lang: str) -> str:
    """A value formatted by kind: ``money``, ``percent``, ``signed_percent`` (a change: ``+80,0 %``), ``count``,
    ``decimal``, ``days``, ``datetime`` (a day and a time, short, for a tile)."""
    if kind == "money":
        # A tile is narrow: whole euros from a thousand on (the cents are in the tables and the explorer).
        large = not fmt.is_missing(value) and abs(float(value)) >= 1000
        return fmt.euros(value, lang, decimals=0 if large else 2)
    if kind == "percent":
        return fmt.percent(value, lang)
    if kind == "signed_percent":
        return fmt.percent(value, lang, signed=True)
    if kind == "decimal":
        return fmt.number(value, lang, decimals=1)
    if kind == "days":
        if fmt.is_missing(value):
            return fmt.MISSING
        unit = "j" if lang == "fr" else "d"
        return f"{fmt.number(value, lang, decimals=1)}{fmt.NBSP}{unit}"
    if kind == "datetime":
        return fmt.day_time(value, lang)
    return fmt.number(value, lang)


def _yesterday_help(row: Any, kind: str, lang: str) -> str:
    """ "Hier jusqu'à 15:04 : 1 234,50 €": the tile compares today so far with yesterday up to the same time."""
    colon = f"{fmt.NBSP}:" if lang == "fr" else ":"
    until = getattr(row, "YESTERDAY_UNTIL", None)
    if fmt.is_missing(until):
        return f"{i18n.column_label('YESTERDAY', lang)}{colon} {format_value(row.YESTERDAY, kind, lang)}"
    label = i18n.t("kpi.yesterday_until", lang, time=f"{until:%H:%M}")
    return f"{label} (UTC){colon} {format_value(row.YESTERDAY, kind, lang)}"


def today_tiles(kpi_vs_yesterday: pd.DataFrame, lang: str) -> list[KpiTile]:
    """One tile per metric of ``kpi_today_vs_yesterday`` (in its METRIC_ORDER): today's value, and the change
    against yesterday up to the same time of day in percent (no delta when yesterday was zero)."""
    rows = kpi_vs_yesterday.sort_values("METRIC_ORDER") if "METRIC_ORDER" in kpi_vs_yesterday else kpi_vs_yesterday
    tiles = []
    for row in rows.itertuples():
        kind = "money" if row.METRIC in _MONEY_METRICS else "count"
        has_delta = not fmt.is_missing(row.DELTA_PCT)
        tiles.append(
            KpiTile(
                label=i18n.t(f"kpi.{row.METRIC}", lang),
                value=format_value(row.TODAY, kind, lang),
                # "+12,5 % vs hier": st.metric reads the direction from the leading sign
                delta=f"{fmt.percent(row.DELTA_PCT, lang, signed=True)} {i18n.t('common.vs_yesterday', lang)}"
                if has_delta
                else None,
                help=_yesterday_help(row, kind, lang),
            )
        )
    return tiles


def row_tiles(frame: pd.DataFrame, spec: Sequence[tuple[str, str, str]], lang: str) -> list[KpiTile]:
    """Tiles from the first row of a one-row KPI query: ``spec`` lists ``(column, text key, kind)``."""
    if frame.empty:
        return []
    row = frame.iloc[0]
    return [KpiTile(i18n.t(key, lang), format_value(row[column], kind, lang)) for column, key, kind in spec]


def _auto_format(column: str, value: object, lang: str) -> str:
    if fmt.is_missing(value):
        return fmt.MISSING
    if isinstance(value, str | bool):
        return str(value)
    if isinstance(value, dt.date):  # datetime, date and pandas' Timestamp
        return fmt.moment(value, lang)
    kind = fmt.column_kind(column)
    if kind == "money":
        return fmt.euros(value, lang)
    if kind == "percent":
        return fmt.percent(value, lang)
    if kind == "share":
        return fmt.percent(float(value) * 100, lang)
    return fmt.number(value, lang, decimals=0 if float(value).is_integer() else 1)


def kpi_tiles(frame: pd.DataFrame, lang: str) -> list[KpiTile]:
    """One tile per column of a one-row result (a ``kpi`` chart hint), labelled and formatted by column."""
    if frame.empty:
        return []
    row = frame.iloc[0]
    return [
        KpiTile(i18n.column_label(column, lang), _auto_format(column, row[column], lang)) for column in frame.columns
    ]


def abc_summary(abc: pd.DataFrame) -> pd.DataFrame:
    """Per ABC class: number of products, revenue and share of the total revenue (0–1)."""
    grouped = abc.groupby("ABC_CLASS", observed=True).agg(PRODUCTS=("PRODUCT_ID", "count"), REVENUE=("REVENUE", "sum"))
    grouped = grouped.reindex(list(ABC_CLASSES), fill_value=0)
    total = float(grouped["REVENUE"].sum())
    grouped["REVENUE_SHARE"] = grouped["REVENUE"] / total if total else 0.0
    return grouped.reset_index()


def rfm_summary(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per RFM segment: customers, total and average spend, average recency; biggest segments first."""
    summary = (
        rfm.groupby("SEGMENT", observed=True)
        .agg(
            CUSTOMER_COUNT=("CUSTOMER_ID", "count"),
            MONETARY=("MONETARY", "sum"),
            AVG_MONETARY=("MONETARY", "mean"),
            RECENCY_DAYS=("RECENCY_DAYS", "mean"),
        )
        .sort_values(["CUSTOMER_COUNT", "MONETARY"], ascending=False)
        .reset_index()
    )
    summary["RECENCY_DAYS"] = summary["RECENCY_DAYS"].round(1)
    return summary


def since_first_data(frame: pd.DataFrame, count_column: str) -> pd.DataFrame:
    """``frame`` (periods in order) from its first period with data on: the calendar months before the shop's first
    order are not zeros to show. An empty frame when no period has data."""
    has_data = frame[count_column].fillna(0) > 0
    if not has_data.any():
        return frame.iloc[0:0]
    return frame.loc[has_data.idxmax() :].reset_index(drop=True)


def stockout_within(forecast: pd.DataFrame, days: float) -> pd.DataFrame:
    """Products of ``stockout_forecast`` expected to run out within ``days`` days (soonest first); a product
    that does not sell (no forecast) is left out."""
    soon = forecast[forecast["DAYS_OF_STOCK_LEFT"].notna() & (forecast["DAYS_OF_STOCK_LEFT"] <= days)]
    return soon.sort_values("DAYS_OF_STOCK_LEFT", ignore_index=True)


@dataclass(frozen=True)
class Freshness:
    """How fresh the dashboards are, from ``pipeline_latency``."""

    last_raw: dt.datetime | None
    last_production: dt.datetime | None
    seconds_since_raw: float | None
    seconds_since_production: float | None
    lag_seconds: float | None
    caught_up: bool
    grade: str

    @property
    def state(self) -> str:
        """``caught_up`` (nothing waits), ``catching_up`` (newer data waits, within the warning threshold) or
        ``behind`` (beyond it): a tile never reads "behind" beside an OK grade."""
        if self.caught_up:
            return "caught_up"
        return "behind" if self.grade in ("warning", "stale") else "catching_up"


def freshness(
    latency: pd.DataFrame,
    warning: float,
    stale: float,
    now: dt.datetime | None = None,
    backlog: pd.DataFrame | None = None,
) -> Freshness:
    """The newest message received, the newest production write, how long ago (at ``now``, UTC: a cached
    result still ages), and the current lag graded against the thresholds (``unknown`` when empty); with
    ``stream_backlog``, the lag is the age of the oldest change still waiting."""
    if latency.empty:
        return Freshness(None, None, None, None, None, False, "unknown")
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    row = latency.iloc[0]

    def moment(value: object) -> dt.datetime | None:
        return None if fmt.is_missing(value) else pd.Timestamp(value).to_pydatetime()

    def since(value: dt.datetime | None) -> float | None:
        return None if value is None else max(0.0, (now - value).total_seconds())

    last_raw = moment(row["LAST_RAW_INGESTION"])
    last_production = moment(row["LAST_PROD_UPDATE"])
    lag = current_lag_seconds(latency, now, backlog)
    return Freshness(
        last_raw=last_raw,
        last_production=last_production,
        seconds_since_raw=since(last_raw),
        seconds_since_production=since(last_production),
        lag_seconds=lag,
        caught_up=lag == 0.0,
        grade=grade(lag, warning, stale),
    )
