"""A row of KPI tiles (``st.metric``)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from caves.services.dashboard_service import KpiTile


def kpi_row(tiles: Sequence[KpiTile]) -> None:
    """One bordered ``st.metric`` per tile, side by side."""
    if not tiles:
        return
    for column, tile in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(
            tile.label,
            tile.value,
            delta=tile.delta,
            help=tile.help,
            border=True,
        )
