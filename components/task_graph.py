"""The task graph, drawn by Graphviz in the browser (no external script: fine in Streamlit in Snowflake)."""

from __future__ import annotations

import streamlit as st


def task_graph(dot: str) -> None:
    """Draw a DOT graph across the page width."""
    st.graphviz_chart(dot, width="stretch")
