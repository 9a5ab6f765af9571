"""deploy_sql/'s business rules (static checks of the task bodies) and the hand-made pipeline cases
(tests/pipeline_cases/, answers written by hand): self-consistent, agreeing with the reference validator, and
run on the local engine (slow: a few seconds). Moved from tests/test_dag.py.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from pathlib import Path

import pytest

from caves import events
from caves.ingest import Message, ingest, load_batch
from caves.local.scheduler import run_until_idle
from pipeline.helpers import DB, T_PROD_ORDERS, T_RAW_INV, T_RAW_ORDERS, T_RETENTION, low

CASES_DIR = Path(__file__).resolve().parents[1] / "pipeline_cases"
CASES = sorted(p.name[: -len(".jsonl")] for p in CASES_DIR.glob("*.jsonl"))


OWNERSHIP = (
    "coalesce( is_object(r.event_data) and iff(is_varchar(r.event_data:event_type), "
    "r.event_data:event_type::varchar, null) = 'inventory_adjustment', false )"
)


def test_every_raw_row_has_exactly_one_owner(graph):
    """Both RAW->STAGING tasks use the same ownership expression, negated for orders: complementary, never NULL."""
    orders, inventory = low(graph.nodes[T_RAW_ORDERS].body), low(graph.nodes[T_RAW_INV].body)
    assert orders.count("and not " + OWNERSHIP) == 1 and OWNERSHIP not in orders.replace("and not " + OWNERSHIP, "")
    assert inventory.count("and " + OWNERSHIP) == 1 and "not " + OWNERSHIP not in inventory


def test_stream_reads_are_transactional_and_insert_only(graph):
    for task in graph.nodes.values():
        body = low(task.body)
        for stream in re.findall(r"from (caves_albert_db\.\w+\.stream_\w+) as (\w+)", body):
            assert f"{stream[1]}.metadata$action = 'insert'" in body, (task.name, stream)


def load_case(name: str) -> tuple[list[str], dict]:
    lines = (CASES_DIR / f"{name}.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and "" not in lines[:-1]  # one message per line, no empty line
    return lines[:-1], json.loads((CASES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))


def test_cases_exist():
    assert set(CASES) >= {"orders_lifecycle", "orders_cancelled_kpi", "inventory_out_of_order", "rejected_messages"}


@pytest.mark.parametrize("name", CASES)
def test_case_is_self_consistent(name):
    lines, expected = load_case(name)
    assert sum(expected["batches"]) == len(lines) == expected["raw_rows"]
    rejected_lines = [r["line"] for r in expected["rejected"]]
    assert len(set(rejected_lines)) == len(rejected_lines) and all(1 <= n <= len(lines) for n in rejected_lines)
    staged = len(expected["staged_orders"]) + len(expected["staged_adjustments"])
    assert staged + len(rejected_lines) == len(lines)
    rec = expected["reconciliation"]
    assert rec == {
        "RAW_ROWS": len(lines),
        "STAGED_ORDERS": len(expected["staged_orders"]),
        "STAGED_ADJUSTMENTS": len(expected["staged_adjustments"]),
        "REJECTED": len(rejected_lines),
        "UNACCOUNTED": 0,
    }
    for r in expected["rejected"]:
        if r["reason"] == "duplicate event_id":  # a redelivery repeats an earlier line verbatim
            assert lines[r["line"] - 1] in lines[: r["line"] - 1]


@pytest.mark.parametrize("name", CASES)
def test_case_reasons_agree_with_the_reference_validator(name):
    """The SQL's REJECT_REASON vocabulary and rule order are those of caves/events.py validate_message."""
    lines, expected = load_case(name)
    by_line = {r["line"]: r for r in expected["rejected"]}
    for number, text in enumerate(lines, start=1):
        r = by_line.get(number)
        if r is None or r["reason"] == "duplicate event_id":
            assert events.validate_message(text) is None, (number, text[:80])
        elif r.get("beyond_contract"):
            assert events.validate_message(text) is None, number
        else:
            assert events.validate_message(text) == r["reason"], (number, text[:80])


def test_every_expected_reason_is_one_the_sql_can_produce(graph):
    sql = (graph.nodes[T_RAW_ORDERS].body + graph.nodes[T_RAW_INV].body).replace("''", "'")
    for name in CASES:
        for r in load_case(name)[1]["rejected"]:
            rule = r["reason"]
            if rule.startswith("unknown "):  # the SQL appends the offending value
                rule = " ".join(rule.split(" ")[:2])
            rule = re.sub(r" for a \w+$", " for a ", rule)
            assert f"'{rule}'" in sql or f"'{rule}' ||" in sql, r["reason"]


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _same(got, want) -> bool:
    if isinstance(want, str) and isinstance(got, dt.datetime):
        return got == dt.datetime.fromisoformat(want)
    if isinstance(want, float) or isinstance(got, float):
        return got is not None and want is not None and abs(float(got) - float(want)) < 1e-9
    return got == want


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_case_on_the_local_engine(local_warehouse_factory, name):

    lines, expected = load_case(name)
    wh = local_warehouse_factory()

    def rows(table: str, key: str) -> dict:
        frame = wh.query(f"select * from {DB}.{table}")
        return {_plain(r[key]): {k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")}

    def check(section: str, table: str, key: str, wanted: dict) -> None:
        got = rows(table, key)
        for ident, columns in wanted.items():
            assert ident in got, (section, ident)
            for column, value in columns.items():
                assert _same(got[ident][column], value), (section, ident, column, got[ident][column], value)

    try:
        done = 0
        for number, size in enumerate(expected["batches"], start=1):
            ingest(wh, [Message(text, "case", 0, done + i) for i, text in enumerate(lines[done : done + size])])
            done += size
            outcomes = run_until_idle(wh.engine)
            assert not [o for o in outcomes if o.state.startswith("FAILED")], outcomes
            for checkpoint in expected.get("checkpoints", []):
                if checkpoint["after_batch"] == number:
                    check("checkpoint orders", "PRODUCTION.ORDERS", "ORDER_ID", checkpoint.get("orders", {}))
                    check("checkpoint stock", "PRODUCTION.INVENTORY_CURRENT", "PRODUCT_ID",
                          checkpoint.get("inventory_current", {}))  # fmt: skip

        def ids(table):
            return sorted(wh.query(f"select EVENT_ID from {DB}.{table}")["EVENT_ID"])

        assert len(wh.query(f"select 1 from {DB}.RAW_DATA.RAW_EVENTS_STREAM")) == expected["raw_rows"]
        assert ids("STAGING.STG_ORDERS") == sorted(expected["staged_orders"])
        assert ids("STAGING.STG_INVENTORY_ADJUSTMENTS") == sorted(expected["staged_adjustments"])
        rejected = wh.query(
            f"select RAW_MESSAGE, REJECT_REASON, REJECTED_BY, EVENT_ID from {DB}.STAGING.REJECTED_EVENTS"
        )
        got = sorted(zip(rejected["RAW_MESSAGE"], rejected["REJECT_REASON"], rejected["REJECTED_BY"], strict=True))
        want = sorted((lines[r["line"] - 1], r["reason"], r["rejected_by"]) for r in expected["rejected"])
        assert got == want
        event_ids = {m: _plain(e) for m, e in zip(rejected["RAW_MESSAGE"], rejected["EVENT_ID"], strict=True)}
        for r in expected["rejected"]:
            if "event_id" in r:
                assert event_ids[lines[r["line"] - 1]] == r["event_id"], r
        ledger = wh.query(f"select RAW_ID from {DB}.STAGING.EVENT_ROUTING_LOG")["RAW_ID"]
        assert len(ledger) == len(set(ledger)) == expected["raw_rows"]  # every RAW row routed exactly once

        for section, table, key in [
            ("stg_orders", "STAGING.STG_ORDERS", "EVENT_ID"),
            ("orders", "PRODUCTION.ORDERS", "ORDER_ID"),
            ("inventory_history", "PRODUCTION.INVENTORY_HISTORY", "ADJUSTMENT_ID"),
            ("inventory_current", "PRODUCTION.INVENTORY_CURRENT", "PRODUCT_ID"),
            ("product_performance", "PRODUCTION.VW_PRODUCT_PERFORMANCE", "PRODUCT_ID"),
            ("inventory_alerts", "PRODUCTION.VW_INVENTORY_ALERTS", "PRODUCT_ID"),
        ]:
            if section in expected:
                check(section, table, key, expected[section])
            for absent in expected.get(section + "_absent", []):
                assert absent not in rows(table, key), (section, absent)
        if "inventory_history_rows" in expected:
            assert len(rows("PRODUCTION.INVENTORY_HISTORY", "ADJUSTMENT_ID")) == expected["inventory_history_rows"]
        if "daily_kpi" in expected:
            kpi = rows("PRODUCTION.VW_DAILY_KPI", "ORDER_DAY")
            assert sorted(kpi) == sorted(k["ORDER_DAY"] for k in expected["daily_kpi"])
            check(
                "daily_kpi", "PRODUCTION.VW_DAILY_KPI", "ORDER_DAY", {k["ORDER_DAY"]: k for k in expected["daily_kpi"]}
            )
    finally:
        wh.close()


@pytest.mark.slow
def test_retention_purges_only_processed_rows(local_warehouse_factory):
    """Old (40-day) rows: routed RAW rows and merged staging rows go; unrouted RAW and unmerged staging rows stay.

    Expected values worked out by hand from orders_lifecycle.jsonl (see its expected file for the events).
    """

    lines, _ = load_case("orders_lifecycle")
    old = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=40)
    wh = local_warehouse_factory()

    def ingest(first: int, last: int) -> None:  # lines first+1..last, ingested 40 days ago
        load_batch(wh, [Message(t, "case", 0, first + i) for i, t in enumerate(lines[first:last])], old)

    def count(table: str) -> int:
        return len(wh.query(f"select 1 from {DB}.{table}"))

    def ids(table: str) -> list[str]:
        return sorted(wh.query(f"select EVENT_ID from {DB}.{table}")["EVENT_ID"])

    def purge() -> None:
        wh.execute(f"execute task {T_RETENTION}")

    try:
        wh.execute(f"alter task {T_RETENTION} suspend")  # run it only when the test says so
        ingest(0, 5)  # E-O1-1, E-O1-2, E-O1-1 again, E-O2-2, E-O2-1: routed and merged
        run_until_idle(wh.engine)
        # A child is suspended only while its root is (SNOWFLAKE_SEMANTICS.md §2.3): root, child, root again.
        wh.execute(f"alter task {T_RAW_ORDERS} suspend")
        wh.execute(f"alter task {T_PROD_ORDERS} suspend")
        wh.execute(f"alter task {T_RAW_ORDERS} resume")
        ingest(5, 8)  # E-O1-3, E-O2-1 again, E-O3-1: routed, not merged
        run_until_idle(wh.engine)
        assert count("RAW_DATA.RAW_EVENTS_STREAM") == count("STAGING.EVENT_ROUTING_LOG") == 8
        purge()
        assert count("RAW_DATA.RAW_EVENTS_STREAM") == count("STAGING.EVENT_ROUTING_LOG") == 0  # all were routed
        # E-O3-1 is not in PRODUCTION yet: kept. E-O1-3 (09:00) is older than ORD-1's E-O1-2 (09:05): nothing to do.
        assert ids("STAGING.STG_ORDERS") == ["E-O3-1"]
        assert ids("STAGING.REJECTED_EVENTS") == ["E-O1-1", "E-O2-1"]  # 40 days < 90

        wh.execute(f"alter task {T_RAW_ORDERS} suspend")
        ingest(8, 11)  # E-O1-4, E-O3-2, E-O1-2 again: not routed yet
        purge()
        assert count("RAW_DATA.RAW_EVENTS_STREAM") == 3  # unrouted: kept however old
        wh.execute(f"alter task {T_PROD_ORDERS} resume")
        wh.execute(f"alter task {T_RAW_ORDERS} resume")
        run_until_idle(wh.engine)
        # E-O1-2's ledger row went with its RAW row: its redelivery is staged again, and changes nothing
        assert ids("STAGING.STG_ORDERS") == ["E-O1-2", "E-O1-4", "E-O3-1", "E-O3-2"]
        orders = wh.query(f"select ORDER_ID, ORDER_STATUS, LAST_EVENT_ID from {DB}.PRODUCTION.ORDERS order by 1")
        assert [tuple(r) for r in orders.itertuples(index=False)] == [
            ("ORD-1", "delivered", "E-O1-4"),
            ("ORD-2", "shipped", "E-O2-2"),
            ("ORD-3", "cancelled", "E-O3-2"),
        ]
        purge()
        assert count("RAW_DATA.RAW_EVENTS_STREAM") == count("STAGING.EVENT_ROUTING_LOG") == 0
        assert count("STAGING.STG_ORDERS") == 0  # every staged event is now reflected in PRODUCTION.ORDERS
        assert count("PRODUCTION.ORDERS") == 3
    finally:
        wh.close()
