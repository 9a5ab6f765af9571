"""The benchmark suite runs to the end (issue 8: CI runs ``bench --quick`` as a smoke test, never a timed assertion)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

KEYS = [
    "pipeline_events_per_s",
    "pipeline_ratio_vs_duckdb",
    "query_p50_ms",
    "query_p95_ms",
    "query_ratio_vs_duckdb",
    "e2e_latency_p50_s",
    "e2e_latency_p95_s",
    "page_cold_s_max",
    "page_warm_s_max",
    "peak_rss_mb",
    "engine_statement_overhead_cached_ms",
    "engine_stream_read_100_changes_1m_rows_ms",
]


@pytest.mark.slow
def test_bench_quick_completes_with_every_figure(tmp_path: Path) -> None:
    """`caves bench --quick --json` prints one JSON object holding every key BENCHMARKS.md reports."""
    proc = subprocess.run(
        [sys.executable, "-m", "caves", "bench", "--quick", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout)
    assert "errors" not in figures
    for key in KEYS:
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    # The engine and its baseline did the same work.
    assert figures["pipeline_engine_s"]["orders"] == figures["pipeline_duckdb_s"]["orders"] > 0
    assert figures["query_count"] >= 50
