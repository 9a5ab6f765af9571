"""Explorateur: every packaged query, by section, with typed parameters, its chart, its table and a CSV.

The URL says what is shown (``?q=top_products_by_units&limit=5``), so a view can be shared; a value in the
URL that does not fit its parameter is explained and replaced by the default.
"""

from __future__ import annotations

import streamlit as st

from caves import i18n
from caves.catalog import ParameterError
from caves.services import dashboard_service, query_service
from caves.services import format as fmt
from components import charts, kpi, tables
from components.context import lang, t
from components.data import load
from components.feedback import error_box
from components.params import parameter_input

language = lang()
catalog = query_service.catalog()
sections = catalog.by_section()

# A shared link opens its query (once: afterwards the widgets lead).
linked = st.query_params.get("q")
if linked in catalog and "explorer.query" not in st.session_state:
    st.session_state["explorer.section"] = catalog.get(linked).section
    st.session_state["explorer.query"] = linked

st.title(t("page.explorer"))
section_col, query_col = st.columns([1, 2])
section = section_col.selectbox(
    t("explorer.section"),
    list(sections),
    format_func=lambda s: i18n.t(f"section.{s}", language),
    key="explorer.section",
)
query_id = query_col.selectbox(
    t("explorer.query"),
    [q.id for q in sections[section]],
    format_func=lambda qid: catalog.get(qid).title_for(language),
    key="explorer.query",
)
query = catalog.get(query_id)
st.caption(query.description_for(language))

# A form: the query runs again only when "Run" is pressed, not on every keystroke.
values = {}
with st.form(f"explorer.form.{query_id}"):
    columns = st.columns(min(len(query.parameters), 4) or 1)
    for index, param in enumerate(query.parameters):
        key = f"explorer.{query_id}.{param.name}"
        initial = None
        if key not in st.session_state and param.name in st.query_params and linked == query_id:
            try:
                initial = param.coerce(st.query_params[param.name])
            except ParameterError as exc:
                error_box(t("explorer.bad_parameter"), exc.localized(language))
        with columns[index % len(columns)]:
            values[param.name] = parameter_input(param, language, key, initial)
    if not query.parameters:
        st.caption(t("explorer.no_parameters"))
    st.form_submit_button(t("explorer.run"), type="primary", icon=":material/play_arrow:", key="explorer.run")
st.query_params.from_dict({"q": query_id, **{name: str(value) for name, value in values.items()}})

try:
    sql, bound = query.bind(values)
except ParameterError as exc:  # e.g. a date bound relative to today that moved since the value was picked
    error_box(t("explorer.bad_parameter"), exc.localized(language))
    st.stop()

result = load(query_id, **values)
if result is not None:
    st.caption(
        t("explorer.one_row") if len(result) == 1 else t("explorer.rows", count=fmt.number(len(result), language))
    )
    if query.chart.get("type") == "kpi" and len(result) == 1:
        kpi.kpi_row(dashboard_service.kpi_tiles(result, language))
    else:
        if query.chart.get("type") not in ("kpi", "table"):
            charts.query_chart(query_id, result)
        tables.table(result, height=400)
    st.download_button(
        t("explorer.download"),
        fmt.csv_bytes(result, language),
        file_name=f"{query_id}.csv",
        mime="text/csv",
        icon=":material/download:",
    )
with st.expander(t("explorer.sql")):
    st.code(sql, language="sql")
    if bound:
        st.caption(" · ".join(f"? = {value!r}" for value in bound))
