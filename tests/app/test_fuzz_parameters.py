"""Fuzz: random strings for every catalog parameter through the Explorer's URL (AppTest with query params).

Whatever the link holds, the Explorer renders: no exception reaches Streamlit's exception page; a value that
cannot be used is explained in French, naming the parameter (exactly ``ParameterError.localized``), and its
default stands in; a value that can be used reaches the widget as the catalog coerces it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from caves.catalog import ParameterError, Query
from caves.services import query_service
from components import cache

# Random on a developer's machine (new cases each run); the same cases in CI, so that a build is reproducible.
CI = bool(os.environ.get("CI"))
APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT_S = 60
QUERIES = [q for q in query_service.catalog() if q.parameters]

# Strings a link could hold: anything at all, and the shapes that reach the edges of each type.
HOSTILE = [
    "",
    " ",
    "today-99999999999",
    "today-3000000",
    "today+3000000",
    "today - 1",
    "TODAY",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "1e999",
    "-1e999",
    "nan",
    "inf",
    "12,5",
    "1_000",
    "１２",
    "٣",
    "9007199254740993",
    "-9007199254740993",
    "1" * 400,
    "oui",
    "faux",
    "null",
    "'; drop table x; --",
    "<script>alert(1)</script>",
    "\x00",
    "é" * 201,
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE),
    st.from_regex(r"\Atoday ?[+-] ?[0-9]{1,22}\Z"),
    st.integers().map(str),
    st.floats().map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
)


@pytest.fixture(autouse=True)
def fresh_cache(seeded_db: Path) -> None:
    cache.clear()


def expectations(query: Query, values: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """The French messages the page must show and the widget values it must start from."""
    messages: list[str] = []
    widgets: dict[str, Any] = {}
    for param in query.parameters:
        key = f"explorer.{query.id}.{param.name}"
        try:
            value = param.coerce(values[param.name])
        except ParameterError as exc:
            messages.append(f"**Paramètre invalide**  \n{exc.localized('fr')}")
            value = param.default_value()
        widgets[key] = float(value) if param.type == "number" else value
    return messages, widgets


def open_link(query: Query, values: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    at.switch_page("app_pages/explorer.py")
    at.query_params.update({"q": query.id, **values})
    at.run()
    return at


def check(query: Query, values: dict[str, str]) -> None:
    at = open_link(query, values)
    assert not at.exception, (query.id, values, [e.value for e in at.exception])
    assert at.title[0].value == "Explorateur"
    messages, widgets = expectations(query, values)
    assert [e.value for e in at.error] == messages, (query.id, values)
    for key, value in widgets.items():
        assert at.session_state[key] == value, (key, values)
    # the query ran with the usable values and the defaults: the row count is shown
    assert any(c.value == "1 ligne" or c.value.endswith(" lignes") for c in at.caption), (query.id, values)


@pytest.mark.parametrize("index", range(len(QUERIES)), ids=[q.id for q in QUERIES])
def test_every_parameter_of_every_query_survives_a_hostile_link(index: int) -> None:
    query = QUERIES[index]
    check(query, {p.name: "today-99999999999" for p in query.parameters})  # the link, on every parameter
    # then a different hostile string for each parameter, so that over the catalog each shape meets each type
    check(query, {p.name: HOSTILE[(3 * index + i) % len(HOSTILE)] for i, p in enumerate(query.parameters)})


@settings(max_examples=40, deadline=None, database=None, derandomize=CI, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_strings_in_the_explorer_url_never_crash_the_page(data: st.DataObject) -> None:
    query = data.draw(st.sampled_from(QUERIES), label="query")
    values = data.draw(st.fixed_dictionaries({p.name: VALUES for p in query.parameters}), label="values")
    check(query, values)
