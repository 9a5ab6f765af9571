"""Page render times with Streamlit's AppTest, for the benchmark (``caves bench --part pages``).

A seeded local warehouse (the default seed: 90 days x 200 orders/day through the real pipeline), the
scheduler and live simulator off. For each page: *cold* is its first render with empty data caches
(``st.cache_data`` cleared, a new AppTest), *warm* a rerun of the same page right after.

App layer, not ``caves``: it drives Streamlit. ``caves.bench`` runs it as ``python -m components.apptiming
WORKDIR`` (the figures as JSON on stdout), so nothing in ``caves`` imports the app.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.testing.v1 import AppTest

from caves.runtime import LocalRuntime
from caves.settings import PROJECT_ROOT, LocalSettings

PAGES = ["overview", "sales", "customers", "finance", "stock", "pipeline", "explorer", "admin"]


def _seed(path: Path) -> None:
    runtime = LocalRuntime(str(path), LocalSettings(live=False))
    try:
        runtime.prepare()
    finally:
        runtime.close()


def time_pages(workdir: Path, runs: int = 3) -> dict[str, Any]:
    """Seed a warehouse in ``workdir`` and time each page ``runs`` times (medians, in seconds)."""
    db = workdir / "pages.duckdb"
    start = time.perf_counter()
    _seed(db)
    seed_s = time.perf_counter() - start
    os.environ["CAVES_DB"] = str(db)
    os.environ["CAVES_BACKGROUND"] = "off"
    app = str(PROJECT_ROOT / "app.py")
    # The app's first run prepares the backend (deploy check, engine open): outside the page timings.
    AppTest.from_file(app, default_timeout=120).run()
    cold: dict[str, float] = {}
    warm: dict[str, float] = {}
    for page in PAGES:
        cold_runs, warm_runs = [], []
        for _ in range(runs):
            at = AppTest.from_file(app, default_timeout=120).run()
            st.cache_data.clear()  # after the first run, which renders the default page
            t0 = time.perf_counter()
            at.switch_page(f"app_pages/{page}.py").run()
            cold_runs.append(time.perf_counter() - t0)
            if at.exception:
                raise RuntimeError(f"page {page} raised: {at.exception[0].message}")
            t0 = time.perf_counter()
            at.run()
            warm_runs.append(time.perf_counter() - t0)
        cold[page] = statistics.median(cold_runs)
        warm[page] = statistics.median(warm_runs)
    return {
        "pages_seed_s": seed_s,
        "page_cold_s": cold,
        "page_warm_s": warm,
        "page_cold_s_max": max(cold.values()),
        "page_warm_s_max": max(warm.values()),
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m components.apptiming WORKDIR [--runs N]``: the figures as one JSON object on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(time_pages(args.workdir, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
