"""The bench's set-based plain-DuckDB baseline applies the pipeline's rules (issue 16): on the hand-made pipeline
cases (tests/pipeline_cases/) it rejects the same lines with the same reasons and stages the same events as the
answers written by hand for the engine. No timing is asserted here."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from caves.bench_baseline import set_based_pipeline
from caves.ingest import Message

CASES_DIR = Path(__file__).resolve().parent / "pipeline_cases"
CASES = sorted(p.name[: -len(".jsonl")] for p in CASES_DIR.glob("*.jsonl"))


@pytest.mark.parametrize("name", CASES)
def test_baseline_gives_the_cases_answers(name: str, tmp_path: Path) -> None:
    lines = (CASES_DIR / f"{name}.jsonl").read_text(encoding="utf-8").split("\n")[:-1]
    expected = json.loads((CASES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
    messages = [Message(text=t, topic="case", partition=0, offset=i) for i, t in enumerate(lines)]
    db = str(tmp_path / "baseline.duckdb")
    set_based_pipeline(db, [messages])
    con = duckdb.connect(db, read_only=True)
    by_offset = dict(
        con.execute(
            "SELECT R.SOURCE_OFFSET, J.REJECT_REASON FROM REJECTED_EVENTS AS J JOIN RAW AS R USING (RAW_ID)"
        ).fetchall()
    )
    staged_orders = con.execute("SELECT count(*) FROM STG_ORDERS").fetchone()[0]
    staged_adjustments = con.execute("SELECT count(*) FROM STG_INVENTORY_ADJUSTMENTS").fetchone()[0]
    con.close()
    assert {r["line"]: r["reason"] for r in expected["rejected"]} == {o + 1: reason for o, reason in by_offset.items()}
    assert staged_orders == len(expected["staged_orders"])
    assert staged_adjustments == len(expected["staged_adjustments"])
