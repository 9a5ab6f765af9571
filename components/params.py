"""Typed input widgets for a catalog query's parameters (bounds and defaults from its header)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from caves.catalog import Parameter


def parameter_input(param: Parameter, lang: str, key: str, initial: Any = None) -> Any:
    """One widget for ``param``, by type: integer / number → number input, string → text, date → date
    picker, boolean → checkbox, enum → select box. It starts at ``initial`` (already coerced) or the
    parameter's default; returns the widget's value."""
    label = param.label_for(lang)
    help_text = (param.help or {}).get(lang)
    # The starting value goes through Session State (not value=): a value given both ways makes Streamlit warn.
    start = param.default_value() if initial is None else initial
    st.session_state.setdefault(key, float(start) if param.type == "number" else start)
    if param.type == "integer":
        return st.number_input(label, min_value=param.min, max_value=param.max, step=1, help=help_text, key=key)
    if param.type == "number":
        low = None if param.min is None else float(param.min)
        high = None if param.max is None else float(param.max)
        return st.number_input(label, min_value=low, max_value=high, help=help_text, key=key)
    if param.type == "date":
        low = None if param.min is None else param.coerce(param.min)
        high = None if param.max is None else param.coerce(param.max)
        return st.date_input(label, min_value=low, max_value=high, help=help_text, key=key)
    if param.type == "boolean":
        return st.checkbox(label, help=help_text, key=key)
    if param.type == "enum":
        return st.selectbox(label, list(param.choices or ()), help=help_text, key=key)
    return st.text_input(label, max_chars=param.max, help=help_text, key=key)
