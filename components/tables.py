"""Result tables: ``st.dataframe`` showing every cell in the session's language (euros, percents, durations,
dates, codes as labels, ``—`` for a missing value) while the columns keep their types, so sorting a column
sorts its numbers and dates, not their text.

The display text comes from :func:`caves.services.format.cell_formatter` through a pandas ``Styler`` (Streamlit
shows a Styler's display values and sorts on the data); the column configuration only gives headings, widths
and the stock / share bars.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from caves.i18n import column_label
from caves.services import format as fmt
from components.context import lang
from components.feedback import empty_state

_SMALL_TABLE_ROWS = 8
# Long texts get a width from their characters (in the grid's 14 px font: capitals and digits about 7.6 px,
# lower case 6.4, spaces and thin letters 3.5), up to _MAX_TEXT_WIDTH.
_LONG_TEXT = 24
_WIDE_CHAR = 7.6
_CHAR = 6.4
_NARROW_CHAR = 3.5
_CELL_PADDING = 24
_MAX_TEXT_WIDTH = 420
# Streamlit draws its own "None" in an empty cell, whatever the display value: newer versions take the text to draw
# instead (``placeholder``); with older ones (Streamlit in Snowflake 1.51) text cells are filled with the dash and
# an empty number or date cell stays blank-grey "None" (its column keeps its type, so it still sorts as numbers).
_PLACEHOLDER = {"placeholder": fmt.MISSING} if "placeholder" in inspect.signature(st.dataframe).parameters else {}


def column_config(frame: pd.DataFrame, *, stock_max: float | None = None) -> dict[str, Any]:
    """A ``column_config`` for every column of ``frame``: its translated heading, a bar for stock levels and
    shares (0–100 in ``frame``, see :func:`table`), a checkbox for booleans, a width for long texts."""
    language = lang()
    _, percent_suffix = fmt.percent_affixes(language)
    config: dict[str, Any] = {}
    for column in frame.columns:
        label = column_label(column, language)
        series = frame[column]
        kind = fmt.column_kind(column)
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        if pd.api.types.is_bool_dtype(series):
            config[column] = st.column_config.CheckboxColumn(label)
        elif numeric and kind == "stock":
            top = stock_max if stock_max is not None else float(series.max() if series.notna().any() else 0)
            config[column] = st.column_config.ProgressColumn(label, format="%d", min_value=0, max_value=max(top, 1))
        elif numeric and kind == "share":
            config[column] = st.column_config.ProgressColumn(
                label, format="%.0f" + percent_suffix.replace("%", "%%"), min_value=0, max_value=100
            )
        else:
            shown_text = series.map(fmt.cell_formatter(column, series, language))
            config[column] = st.column_config.Column(label, width=_text_width(shown_text))
    return config


def text_table(
    frame: pd.DataFrame | None, *, columns: Sequence[str] | None = None, hide_empty: Sequence[str] = ()
) -> None:
    """A short table of sentences (e.g. notification messages): a static table whose cells wrap, where a data grid
    would cut a long text at its column's width. Same display formats and headings as :func:`table`; not sortable,
    so for a few rows only."""
    if frame is None:
        return
    if frame.empty:
        empty_state()
        return
    shown = [c for c in (columns or frame.columns) if c not in hide_empty or frame[c].notna().any()]
    language = lang()
    # the display texts under translated headings (the formats are keyed on the catalog's column names)
    texts = pd.DataFrame(
        {
            column_label(c, language): frame[c].map(fmt.cell_formatter(c, frame[c], language)).fillna(fmt.MISSING)
            for c in shown
        }
    )
    st.table(texts.style.hide(axis="index"))


def _text_width(series: pd.Series) -> int | None:
    """Pixels for a column of long texts (the grid's own sizing samples a few rows and may cut the others);
    None leaves short texts and numbers to the grid."""
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        return None
    texts = series.dropna().astype(str)
    if texts.empty or int(texts.str.len().max()) <= _LONG_TEXT:
        return None
    return min(_MAX_TEXT_WIDTH, round(max(texts.map(_text_pixels))) + _CELL_PADDING)


def _text_pixels(text: str) -> float:
    """The width of ``text`` in the grid's font, estimated per kind of character."""
    return sum(
        _WIDE_CHAR
        if char.isupper() or char.isdigit() or char in "_—"
        else _NARROW_CHAR
        if char in " .,;:'|!il"
        else _CHAR
        for char in text
    )


def styled(frame: pd.DataFrame, language: str, percent_columns: Sequence[str] = ()) -> Styler:
    """``frame`` with each column's display format in ``language`` (the data itself unchanged);
    ``percent_columns`` already hold percentages (a share scaled to 0–100)."""
    formats = {column: fmt.cell_formatter(column, frame[column], language) for column in frame.columns}
    for column in percent_columns:
        formats[column] = lambda value: fmt.percent(value, language, decimals=0)
    return frame.style.format(formats, na_rep=fmt.MISSING)


def table(
    frame: pd.DataFrame | None,
    *,
    columns: Sequence[str] | None = None,
    stock_max: float | None = None,
    height: int | None = None,
    hide_empty: Sequence[str] = (),
) -> None:
    """A result table. ``columns`` picks and orders the columns (default: all but the ``*_ORDER`` sort
    keys and the empty columns; ``hide_empty`` names chosen columns to leave out while empty); ``stock_max`` scales
    the stock progress bars (e.g. the low-stock threshold); ``height`` (pixels)
    applies to tables of more than a few rows, which then scroll. Nothing is drawn
    for ``None`` (the error was already shown); an empty result shows an empty state."""
    if frame is None:
        return
    if frame.empty:
        empty_state()
        return
    # by default every column with something in it but the *_ORDER sort keys; chosen columns stay, unless listed
    # in ``hide_empty`` and empty
    if columns is None:
        shown = [c for c in frame.columns if not c.endswith("_ORDER") and frame[c].notna().any()]
    else:
        shown = [c for c in columns if c not in hide_empty or frame[c].notna().any()]
    data = frame.copy()
    for column in data.columns:  # missing text reads as a dash (the empty state of a number column: see above)
        values = data[column].dropna()
        # astype(bool): mapping an all-missing datetime column keeps its datetime dtype, which has no .all()
        if values.map(lambda value: isinstance(value, str)).astype(bool).all() and data[column].isna().any():
            data[column] = data[column].astype(object).where(data[column].notna(), fmt.MISSING)
    shares = [c for c in data.columns if fmt.column_kind(c) == "share" and pd.api.types.is_numeric_dtype(data[c])]
    for column in shares:  # shares are drawn as bars on a 0–100 scale
        data[column] = data[column].astype(float) * 100
    # A fixed height would leave empty rows under a short table: short tables take their own height.
    sized = {"height": height} if isinstance(height, int) and len(frame) > _SMALL_TABLE_ROWS else {}
    st.dataframe(
        styled(data, lang(), shares),
        column_order=shown,
        column_config=column_config(data[shown], stock_max=stock_max),
        hide_index=True,
        **sized,
        **_PLACEHOLDER,
    )
