"""Plotly charts built from a query's ``chart`` hint (``{type, x, y, color}`` in its catalog header).

Plotly figures render with the plotly.js bundled in Streamlit's frontend: no external script, so they
work in Streamlit in Snowflake too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from caves.i18n import code_label, column_label
from caves.services import format as fmt
from caves.services import query_service
from caves.services.format import column_kind
from components.context import lang, t
from components.feedback import empty_state
from components.tables import table

# The console's colours: wine red, gold, vine green, cork, slate blue, plum, rosé, charcoal.
PALETTE = ("#7B1E3A", "#C9A227", "#4F6D3A", "#B5651D", "#5B7DA8", "#8E5572", "#D98695", "#3E3A39")
# Each wine category keeps its colour on every chart.
CATEGORY_COLORS = {
    "Rouge": "#7B1E3A",
    "Blanc": "#E0C45C",
    "Rosé": "#E58FA5",
    "Champagne": "#B8912A",
    "Effervescent": "#8FB3C9",
    "Liquoreux": "#D0803A",
    "Spiritueux": "#6B4226",
}
ABC_COLORS = {"A": "#7B1E3A", "B": "#C9A227", "C": "#B8AFA9"}
_FIXED_COLORS = {"PRODUCT_CATEGORY": CATEGORY_COLORS, "ABC_CLASS": ABC_COLORS}

# Category labels longer than this read better on horizontal bars, wrapped on lines of _LINE characters
# (at most _MAX_LINES, then cut at a word with "…"; the hover shows the full text).
_LONG_LABEL = 14
_LINE = 28
_MAX_LINES = 2
_HEIGHT = 340
_ROW_HEIGHT = 36  # a horizontal bar with a label on two lines
# No toolbar: on a phone it covered the legend, and the console's charts need no zoom or export tools.
_PLOTLY_CONFIG = {"displaylogo": False, "displayModeBar": False}


def _color(column: str | None, value: Any, index: int) -> str:
    fixed = _FIXED_COLORS.get(column or "", {})
    return fixed.get(str(value), PALETTE[index % len(PALETTE)])


def _series(frame: pd.DataFrame, ys: list[str], color: str | None) -> Iterator[tuple[str, pd.DataFrame, str, str]]:
    """``(legend name, rows, y column, colour)`` per trace: one per colour group, else one per y column."""
    if color:
        for index, (value, group) in enumerate(frame.groupby(color, sort=False)):
            yield str(code_label(color, value, lang())), group, ys[0], _color(color, value, index)
    else:
        for index, y in enumerate(ys):
            yield column_label(y, lang()), frame, y, PALETTE[index % len(PALETTE)]


def _axis_format(column: str, language: str) -> dict[str, Any]:
    """Tick format of a value axis; the separators come from the layout (:func:`fmt.separators`)."""
    kind = column_kind(column)
    if kind == "money":
        prefix, suffix = fmt.currency_affixes(language)
        return {"tickformat": ",.0f", "tickprefix": prefix, "ticksuffix": suffix}
    if kind in ("count", "stock"):
        return {"tickformat": ",.0f"}
    if kind == "percent":
        prefix, suffix = fmt.percent_affixes(language)
        return {"tickformat": ",~r", "tickprefix": prefix, "ticksuffix": suffix}
    if kind == "share":
        return {"tickformat": ".0%"}
    # never SI prefixes ("20k"): grouped digits, at most two decimals
    return {"tickformat": ",.2~f"}


def _hover_texts(column: str, values: pd.Series, language: str) -> list[str]:
    """Each value as a table cell shows it (Babel), for the hover label."""
    return [str(v) for v in values.map(fmt.cell_formatter(column, values, language))]


def _is_long_text(series: pd.Series) -> bool:
    return (
        not pd.api.types.is_numeric_dtype(series)
        and not pd.api.types.is_datetime64_any_dtype(series)
        and bool(series.astype(str).str.len().max() > _LONG_LABEL)
    )


def _wrapped(text: str) -> str:
    """A long label on up to two lines, broken between words, cut at a word with "…" beyond."""
    lines: list[str] = []
    current = ""
    words = text.split()
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= _LINE or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == _MAX_LINES:
            lines[-1] += " …" if index < len(words) else ""
            return "<br>".join(lines)
    lines.append(current)
    return "<br>".join(lines)


def _short_labels(series: pd.Series) -> pd.Series:
    """Category labels wrapped to fit beside a bar (the hover shows the full text)."""
    return series.astype(str).map(_wrapped)


def _is_monthly(series: pd.Series) -> bool:
    """Every date is the first of a month, over several months."""
    values = series.dropna()
    return not values.empty and bool((values.dt.day == 1).all()) and values.dt.month.nunique() > 1


def _date_axis(series: pd.Series, language: str) -> dict[str, Any]:
    """Day-first dates in French; months as ``11/2026`` when every value is the first of a month."""
    if _is_monthly(series):
        return {"tickformat": "%m/%Y" if language == "fr" else "%b %Y", "dtick": "M1"}
    return {"tickformat": "%d/%m" if language == "fr" else "%b %d"}


def _layout(fig: go.Figure, language: str, height: int, **extra: Any) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 28, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None, "traceorder": "normal"},
        separators=fmt.separators(language),
        colorway=list(PALETTE),
        hoverlabel={"namelength": -1},
        **extra,
    )
    return fig


def _display(column: str, values: pd.Series, language: str) -> pd.Series:
    """Axis values as the viewer reads them: codes as labels (numbers and dates stay values)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values
    return values.map(lambda value: code_label(column, value, language)).astype(str)


def _x_hover(column: str, values: pd.Series, language: str) -> list[str]:
    if pd.api.types.is_datetime64_any_dtype(values):
        monthly = _is_monthly(values)
        return [fmt.month(v, language) if monthly else fmt.date(v, language) for v in values]
    if pd.api.types.is_numeric_dtype(values):
        return _hover_texts(column, values, language)
    return list(_display(column, values, language))


def build_figure(
    hint: Mapping[str, Any], frame: pd.DataFrame, language: str, height: int = _HEIGHT
) -> go.Figure | None:
    """A figure for ``frame`` following ``hint``; None for the ``kpi`` and ``table`` hints (or a hint
    without axes), which are shown as tables. Codes read as labels, hovers and pie labels are formatted
    by Babel like the tables, axes use the language's separators."""
    kind = hint.get("type")
    x = hint.get("x")
    ys = hint.get("y")
    ys = [ys] if isinstance(ys, str) else list(ys or [])
    color = hint.get("color")
    if kind in (None, "kpi", "table") or not x or not ys:
        return None
    if kind == "pie":
        colors = [_color(x, value, i) for i, value in enumerate(frame[x])]
        values = frame[ys[0]].astype(float)
        total = float(values.sum())
        shares = [fmt.percent(v / total * 100 if total else None, language) for v in values]
        pie = go.Pie(
            labels=_display(x, frame[x], language),
            values=values,
            hole=0.45,
            sort=False,
            marker={"colors": colors},
            text=shares,
            textinfo="text",
            customdata=_hover_texts(ys[0], frame[ys[0]], language),
            hovertemplate="%{label}<br>%{customdata}<br>%{text}<extra></extra>",
        )
        return _layout(go.Figure(pie), language, height)

    horizontal = kind == "bar" and _is_long_text(frame[x])
    fig = go.Figure()
    for name, rows, y, trace_color in _series(frame, ys, color):
        x_values = _display(x, rows[x], language)
        hover = list(zip(_x_hover(x, rows[x], language), _hover_texts(y, rows[y], language), strict=True))
        common = {
            "name": name,
            "customdata": hover,
            "hovertemplate": f"%{{customdata[0]}}<br>%{{customdata[1]}}<extra>{name}</extra>",
        }
        if kind == "bar":
            if horizontal:
                fig.add_trace(
                    go.Bar(
                        x=rows[y],
                        y=x_values,
                        orientation="h",
                        marker_color=trace_color,
                        **common,
                    )
                )
            else:
                fig.add_trace(go.Bar(x=x_values, y=rows[y], marker_color=trace_color, **common))
        elif kind == "scatter":
            fig.add_trace(
                go.Scatter(x=x_values, y=rows[y], mode="markers", marker={"color": trace_color, "size": 7}, **common)
            )
        else:  # line, area
            area = {"stackgroup": "one"} if kind == "area" else {}
            # markers help read a single short series; on several series they only add noise
            mode = "lines+markers" if kind == "line" and len(rows) <= 31 and not color else "lines"
            fig.add_trace(go.Scatter(x=x_values, y=rows[y], mode=mode, line={"color": trace_color}, **area, **common))
    value_axis = {"title": None, **_axis_format(ys[0], language)}
    category_axis = {"title": None}
    if horizontal:
        # The full names stay the categories (two wines never merge into one bar), wrapped names are their tick
        # text, with room for two lines each; the catalog orders rows best first: keep the first row on top.
        names = _display(x, frame[x], language).drop_duplicates()
        labels = {
            **category_axis,
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": list(names),
            "ticktext": list(_short_labels(names)),
        }
        tall = max(height, _ROW_HEIGHT * len(names) + 60)
        # the long names take most of the width: a few value ticks, so that "1 000 €" labels never run together
        return _layout(fig, language, tall, barmode="stack", xaxis={**value_axis, "nticks": 4}, yaxis=labels)
    barmode = "group" if len(ys) > 1 else "stack"
    x_axis = {**category_axis, "title": column_label(x, language)} if kind == "scatter" else dict(category_axis)
    if pd.api.types.is_datetime64_any_dtype(frame[x]):
        x_axis.update(_date_axis(frame[x], language))
    elif pd.api.types.is_numeric_dtype(frame[x]):
        x_axis.update(_axis_format(x, language))
    if kind == "scatter":
        value_axis["title"] = column_label(ys[0], language)
    return _layout(fig, language, height, barmode=barmode, xaxis=x_axis, yaxis=value_axis, showlegend=len(fig.data) > 1)


def query_chart(
    query_id: str, frame: pd.DataFrame | None, *, hint: Mapping[str, Any] | None = None, height: int = _HEIGHT
) -> None:
    """Chart a catalog query's result as its header suggests (``hint`` overrides it). A ``kpi`` or
    ``table`` hint gives a table; nothing is drawn for ``None`` (its error was already shown)."""
    if frame is None:
        return
    if frame.empty:
        empty_state()
        return
    figure = build_figure(hint or query_service.catalog().get(query_id).chart, frame, lang(), height)
    if figure is None:
        table(frame)
        return
    st.plotly_chart(figure, config=_PLOTLY_CONFIG)


def pareto_chart(abc: pd.DataFrame | None, height: int = 380) -> None:
    """The ABC analysis as a Pareto chart: revenue per product (coloured by class, best first) and the
    cumulative share of revenue, with the 80 % and 95 % class limits."""
    if abc is None:
        return
    if abc.empty:
        empty_state()
        return
    language = lang()
    fig = go.Figure()
    for cls, rows in abc.groupby("ABC_CLASS", sort=True):
        fig.add_trace(
            go.Bar(
                x=rows["PRODUCT_NAME"],
                y=rows["REVENUE"],
                name=f"{column_label('ABC_CLASS', language)} {cls}",
                marker_color=ABC_COLORS.get(str(cls), PALETTE[0]),
                customdata=_hover_texts("REVENUE", rows["REVENUE"], language),
                hovertemplate=f"%{{x}}<br>%{{customdata}}<extra>{cls}</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=abc["PRODUCT_NAME"],
            y=abc["CUMULATIVE_SHARE"],
            name=t("sales.cumulative"),
            yaxis="y2",
            mode="lines",
            line={"color": PALETTE[7], "width": 2},
            customdata=_hover_texts("CUMULATIVE_SHARE", abc["CUMULATIVE_SHARE"], language),
            hovertemplate="%{x}<br>%{customdata}<extra></extra>",
        )
    )
    for limit in (0.8, 0.95):
        fig.add_shape(
            type="line",
            xref="paper",
            x0=0,
            x1=1,
            yref="y2",
            y0=limit,
            y1=limit,
            line={"dash": "dot", "color": "#8A817C", "width": 1},
        )
    _layout(
        fig,
        language,
        height,
        barmode="stack",
        bargap=0.05,
        xaxis={"title": None, "showticklabels": False, "categoryorder": "array", "categoryarray": abc["PRODUCT_NAME"]},
        yaxis={"title": None, **_axis_format("REVENUE", language)},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.02],
            "dtick": 0.2,
            "tickformat": ".0%",
            "showgrid": False,
        },
    )
    st.plotly_chart(fig, config=_PLOTLY_CONFIG)
