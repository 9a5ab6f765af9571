"""Fuzz: random strings for every catalog parameter through ``caves query ID --param k=v``.

A value that cannot be used exits 1 with one line on stderr that names the query and the parameter (the
catalog's own message), never a traceback; a usable one prints the result as JSON.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caves.catalog import ParameterError, Query, load_catalog
from caves.cli import main

# Random on a developer's machine (new cases each run); the same cases in CI, so that a build is reproducible.
CI = bool(os.environ.get("CI"))
REPO_ROOT = Path(__file__).resolve().parents[1]
QUERIES = [q for q in load_catalog() if q.parameters]
VALUES = st.one_of(
    st.text(max_size=40).filter(lambda s: "\x00" not in s),
    st.from_regex(r"\Atoday ?[+-] ?[0-9]{1,22}\Z"),
    st.integers().map(str),
    st.floats().map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(["1e999", "nan", "12,5", "１２", "1" * 5000, "today-3000000", "9007199254740993"]),
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = str(tmp_path_factory.mktemp("cli-fuzz") / "warehouse.duckdb")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["init", "--db", path]) == 0
    yield path


def query_cli(db: str, query: Query, values: dict[str, str]) -> tuple[int, str, str]:
    argv = ["query", query.id, "--db", db, "--format", "json"]
    for name, value in values.items():
        argv += ["--param", f"{name}={value}"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def expected_error(query: Query, values: dict[str, str]) -> ParameterError | None:
    try:
        query.bind(values)
    except ParameterError as exc:
        return exc
    return None


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=CI,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_parameter_values_give_a_result_or_one_readable_line(db: str, data: st.DataObject) -> None:
    query = data.draw(st.sampled_from(QUERIES), label="query")
    values = data.draw(st.fixed_dictionaries({p.name: VALUES for p in query.parameters}), label="values")
    code, out, err = query_cli(db, query, values)
    error = expected_error(query, values)
    if error is None:
        assert code == 0, err
        assert isinstance(json.loads(out), list)
    else:
        assert code == 1
        assert err == f"error: {error}\n"
        assert f"query {query.id}: parameter {error.parameter!r}" in err  # names the query and the parameter
        assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("value", ["today-99999999999", "today-3000000"])
def test_the_issues_overflow_names_the_parameter_in_a_real_process(db: str, value: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "caves", "query", "daily_sales_report", "--param", f"report_date={value}", "--db", db],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"error: query daily_sales_report: parameter 'report_date' (date): {value!r} is outside the dates that "
        "exist (0001-01-01 to 9999-12-31)\n"
    )
    assert result.stdout == ""


def test_an_integer_beyond_the_safe_range_is_refused_in_a_real_process(db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "caves", "query", "top_customers", "--param", "limit=" + "9" * 30, "--db", db],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: query top_customers: parameter 'limit' (integer): ")
    assert "beyond ±9007199254740991" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["simulate", "--days", "99999999999", "--output", "-"], "--days"),
        (["simulate", "--days", "1", "--orders-per-day", "1e308", "--output", "-"], "--orders-per-day"),
        (["simulate", "--days", "1", "--orders-per-day", "nan", "--output", "-"], "--orders-per-day"),
        (["simulate", "--days", "1", "--broken-rate", "2", "--output", "-"], "--broken-rate"),
        (["simulate", "--seed", "9" * 40, "--output", "-"], "--seed"),
        (["simulate", "--live", "--rate", "inf", "--output", "-"], "--rate"),
        (["tasks", "history", "--limit", "99999999999999999999"], "--limit"),
        (["ingest", "-", "--batch-size", "0"], "--batch-size"),
    ],
)
def test_an_unusable_flag_is_refused_naming_it(argv: list[str], flag: str) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    assert f"error: argument {flag}: " in err.getvalue() and "Traceback" not in err.getvalue()
