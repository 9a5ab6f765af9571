"""Result tables: ``st.dataframe`` with a column configuration derived from the catalog's column names
(euros, percentages, stock as progress bars, French dates)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from caves.i18n import column_label
from caves.services.format import column_kind
from components.context import lang
from components.feedback import empty_state

_SMALL_TABLE_ROWS = 8


def _is_date_only(series: pd.Series) -> bool:
    values = series.dropna()
    return not values.empty and bool((values == values.dt.normalize()).all())


def column_config(frame: pd.DataFrame, *, stock_max: float | None = None) -> dict[str, Any]:
    """A ``column_config`` for every column of ``frame``: translated heading and a format by kind."""
    language = lang()
    datetime_format = "DD/MM/YYYY HH:mm" if language == "fr" else "YYYY-MM-DD HH:mm"
    date_format = "DD/MM/YYYY" if language == "fr" else "YYYY-MM-DD"
    config: dict[str, Any] = {}
    for column in frame.columns:
        label = column_label(column, language)
        series = frame[column]
        kind = column_kind(column)
        if pd.api.types.is_datetime64_any_dtype(series):
            fmt = date_format if _is_date_only(series) else datetime_format
            config[column] = st.column_config.DatetimeColumn(label, format=fmt)
        elif pd.api.types.is_bool_dtype(series):
            config[column] = st.column_config.CheckboxColumn(label)
        elif not pd.api.types.is_numeric_dtype(series):
            config[column] = st.column_config.TextColumn(label)
        elif kind == "money":
            config[column] = st.column_config.NumberColumn(label, format="euro")
        elif kind == "percent":
            config[column] = st.column_config.NumberColumn(label, format="%.1f %%")
        elif kind == "share":
            config[column] = st.column_config.ProgressColumn(label, format="percent", min_value=0.0, max_value=1.0)
        elif kind == "stock":
            top = stock_max if stock_max is not None else float(series.max() if series.notna().any() else 0)
            config[column] = st.column_config.ProgressColumn(label, format="%d", min_value=0, max_value=max(top, 1))
        elif kind == "seconds":
            config[column] = st.column_config.NumberColumn(label, format="%.2f s")
        else:
            config[column] = st.column_config.NumberColumn(label, format="localized")
    return config


def table(
    frame: pd.DataFrame | None,
    *,
    columns: Sequence[str] | None = None,
    stock_max: float | None = None,
    height: int | None = None,
) -> None:
    """A result table. ``columns`` picks and orders the columns (default: all but the ``*_ORDER`` sort
    keys); ``stock_max`` scales the stock progress bars (e.g. the low-stock threshold); ``height`` (pixels)
    applies to tables of more than a few rows, which then scroll. Nothing is drawn
    for ``None`` (the error was already shown); an empty result shows an empty state."""
    if frame is None:
        return
    if frame.empty:
        empty_state()
        return
    shown = list(columns) if columns is not None else [c for c in frame.columns if not c.endswith("_ORDER")]
    # A fixed height would leave empty rows under a short table: short tables take their own height.
    sized = {"height": height} if isinstance(height, int) and len(frame) > _SMALL_TABLE_ROWS else {}
    st.dataframe(
        frame,
        column_order=shown,
        column_config=column_config(frame[shown], stock_max=stock_max),
        hide_index=True,
        **sized,
    )
