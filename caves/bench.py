"""``python -m caves bench``: the benchmark suite, each figure measured side by side with its baseline.

Parts (each runs in its own process, so that its peak RSS is its own):

1. pipeline: N simulated events ingested and pushed RAW -> PRODUCTION through the task graph on the
   local engine, side by side with the landing floor (the texts only, into a DuckDB file) and the best
   set-based plain-DuckDB implementation of the same rules (caves/bench_baseline.py), each variant in a
   fresh process; the engine's PRODUCTION tables are checked row for row against the baseline's.
2. queries: every catalog query on a warehouse of N orders, through the engine vs the same translated
   SQL executed directly on the same DuckDB connection.
3. e2e: the scheduler at a 1-second interval and the simulator at 200 events/s; time from a message's
   ingestion to its order being visible in PRODUCTION.ORDERS.
4. pages: AppTest render time of each page, cold and warm cache.

Figures go to stdout (``--json``: one JSON object) and are what BENCHMARKS.md reports.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .settings import PROJECT_ROOT

FULL = {"pipeline_events": 1_000_000, "query_orders": 1_000_000, "e2e_seconds": 30.0, "query_runs": 7}
QUICK = {"pipeline_events": 200_000, "query_orders": 200_000, "e2e_seconds": 12.0, "query_runs": 5}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100.0
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --- simulated input --------------------------------------------------------------------------------------


def write_events(path: Path, events: int, seed: int = 7) -> int:
    """Simulate about ``events`` messages (60 days of history) into a file, one per line."""
    from .simulate import EVENTS_PER_ORDER, SimConfig, generate_history

    days = 60
    config = SimConfig(seed=seed, orders_per_day=events / days / EVENTS_PER_ORDER)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for _, text in generate_history(config, days=days, end=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)):
            out.write(text + "\n")
            count += 1
    return count


def _message_batches(path: Path, size: int) -> Iterator[list]:
    from .ingest import batched, lines_as_messages

    with path.open(encoding="utf-8") as fh:
        yield from batched(lines_as_messages(fh, topic="bench"), size)


# --- 1. pipeline ------------------------------------------------------------------------------------------


def _engine_pipeline(db: str, events_file: Path) -> dict[str, float]:
    from .deploy import deploy
    from .ingest import load_batch
    from .local.scheduler import run_until_idle
    from .warehouse.local import LocalWarehouse

    wh = LocalWarehouse(db)
    deploy(wh, resume_new_graphs=True)
    start = time.perf_counter()
    for batch in _message_batches(events_file, 50_000):
        load_batch(wh, batch)
    ingested = time.perf_counter()
    outcomes = run_until_idle(wh.engine)
    done = time.perf_counter()
    failed = [o for o in outcomes if o.state.startswith("FAILED")]
    if failed:
        raise RuntimeError(f"pipeline failed during the benchmark: {failed}")
    orders = int(wh.query("SELECT COUNT(*) FROM CAVES_ALBERT_DB.PRODUCTION.ORDERS").iloc[0, 0])
    wh.close()
    return {"ingest_s": ingested - start, "transform_s": done - ingested, "total_s": done - start, "orders": orders}


def _variant(name: str, db: str, events_file: str, out: mp.Queue) -> None:
    """One variant of the pipeline part, in a process of its own (its peak RSS is its own)."""
    from . import bench_baseline

    try:
        batches = _message_batches(Path(events_file), 50_000)
        if name == "floor":
            figures = bench_baseline.land_floor(db, batches)
        elif name == "duckdb":
            figures = bench_baseline.set_based_pipeline(db, batches)
        else:
            figures = _engine_pipeline(db, Path(events_file))
        figures["peak_rss_mb"] = _peak_rss_mb()
        out.put((figures, None))
    except Exception as exc:  # reported by the parent, which fails the part
        out.put(({}, f"{type(exc).__name__}: {exc}"))


def _in_fresh_process(name: str, db: str, events_file: Path) -> dict[str, float]:
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_variant, args=(name, db, str(events_file), queue))
    proc.start()
    figures, error = queue.get()
    proc.join()
    if error:
        raise RuntimeError(f"pipeline variant {name}: {error}")
    return figures


def bench_pipeline(events: int, workdir: Path) -> dict[str, Any]:
    """The engine's pipeline, side by side with the set-based plain-DuckDB baseline and the landing floor."""
    from .bench_baseline import compare_production

    events_file = workdir / "events.jsonl"
    count = write_events(events_file, events)
    floor = _in_fresh_process("floor", str(workdir / "floor.duckdb"), events_file)
    plain = _in_fresh_process("duckdb", str(workdir / "plain.duckdb"), events_file)
    engine = _in_fresh_process("engine", str(workdir / "engine.duckdb"), events_file)
    compared = compare_production(str(workdir / "engine.duckdb"), str(workdir / "plain.duckdb"))
    if engine["orders"] != plain["orders"] or compared["ORDERS"] != engine["orders"]:
        raise RuntimeError(f"engine and baseline disagree: {engine['orders']} vs {plain['orders']} orders")
    return {
        "pipeline_events": count,
        "pipeline_events_per_s": count / engine["total_s"],
        "pipeline_transform_events_per_s": count / engine["transform_s"],
        "pipeline_ratio_vs_duckdb": engine["total_s"] / plain["total_s"],
        "pipeline_transform_ratio_vs_duckdb": engine["transform_s"] / plain["transform_s"],
        "pipeline_ratio_vs_floor": engine["total_s"] / floor["total_s"],
        "pipeline_duckdb_ratio_vs_floor": plain["total_s"] / floor["total_s"],
        "pipeline_floor_events_per_s": count / floor["total_s"],
        "pipeline_duckdb_events_per_s": count / plain["total_s"],
        "pipeline_rows_compared": compared,
        "pipeline_engine_s": engine,
        "pipeline_duckdb_s": plain,
        "pipeline_floor_s": floor,
        "pipeline_variant_peak_rss_mb": max(engine["peak_rss_mb"], plain["peak_rss_mb"], floor["peak_rss_mb"]),
    }


# --- 2. queries -------------------------------------------------------------------------------------------

_SYNTHETIC_ORDERS = """
INSERT INTO CAVES_ALBERT_DB.PRODUCTION.ORDERS (
    ORDER_ID, CUSTOMER_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, QUANTITY, UNIT_PRICE, TOTAL_AMOUNT,
    PAYMENT_METHOD, ORDER_STATUS, ORDER_DATE, SHIPPING_COUNTRY, LAST_EVENT_ID, LAST_EVENT_TIMESTAMP,
    INGESTION_TIMESTAMP, CREATED_AT, UPDATED_AT
)
SELECT
    'ORD-' || LPAD(i::VARCHAR, 9, '0'),
    'CUST-' || LPAD(((i * 7919) % 20000)::VARCHAR, 5, '0'),
    'WINE-' || LPAD((1 + (i * 31) % 120)::VARCHAR, 4, '0'),
    'Vin ' || (1 + (i * 31) % 120)::VARCHAR,
    ['Rouge', 'Rouge', 'Rouge', 'Blanc', 'Blanc', 'Rosé', 'Champagne', 'Effervescent', 'Liquoreux', 'Spiritueux'][1 + (i % 10)],
    1 + (i % 3),
    10 + (i % 90),
    (1 + (i % 3)) * (10 + (i % 90)),
    ['card', 'card', 'card', 'paypal', 'apple_pay', 'bank_transfer'][1 + (i % 6)],
    -- statuses follow the order's age, as in the shop: only the last days' orders are still open
    CASE
        WHEN i % 20 = 0 THEN 'cancelled'
        WHEN (i * 97) % (365 * 86400) < 86400 THEN 'pending'
        WHEN (i * 97) % (365 * 86400) < 3 * 86400 THEN 'confirmed'
        WHEN (i * 97) % (365 * 86400) < 6 * 86400 THEN 'shipped'
        ELSE 'delivered'
    END,
    TIMESTAMP '2026-11-25 12:00:00' - to_seconds((i * 97) % (365 * 86400)),
    'FR', 'E-' || i::VARCHAR,
    TIMESTAMP '2026-11-25 12:00:00' - to_seconds((i * 97) % (365 * 86400)),
    TIMESTAMP '2026-11-25 12:00:00', TIMESTAMP '2026-11-25 12:00:00', TIMESTAMP '2026-11-25 12:00:00'
FROM range(?) AS t(i)
"""


def _query_warehouse(db: str, orders: int, events_file: Path) -> None:
    """A warehouse with ``orders`` orders (synthetic, in PRODUCTION) plus a small real pipeline run."""
    import duckdb

    from .deploy import deploy
    from .ingest import load_batch
    from .local.scheduler import run_until_idle
    from .warehouse.local import LocalWarehouse

    wh = LocalWarehouse(db)
    deploy(wh, resume_new_graphs=True)
    for batch in _message_batches(events_file, 50_000):
        load_batch(wh, batch)
    run_until_idle(wh.engine)
    wh.close()
    # The bulk rows are written with plain DuckDB: the catalog queries, not the loading, are under test.
    con = duckdb.connect(db)
    con.execute(
        _SYNTHETIC_ORDERS.replace("CAVES_ALBERT_DB.PRODUCTION.ORDERS", '"CAVES_ALBERT_DB.PRODUCTION"."ORDERS"'),
        [orders],
    )
    con.close()


def bench_queries(orders: int, runs: int, workdir: Path) -> dict[str, Any]:
    from .catalog import load_catalog
    from .local import Engine

    events_file = workdir / "small_events.jsonl"
    write_events(events_file, 20_000, seed=11)
    db = str(workdir / "queries.duckdb")
    _query_warehouse(db, orders, events_file)
    engine = Engine(db)
    per_query: dict[str, dict[str, float]] = {}
    engine_samples: list[float] = []
    direct_samples: list[float] = []
    with engine.session() as session:
        for query in load_catalog():
            sql, params = query.bind({})
            session.execute(sql, params)  # warm-up: translation cached, pages in memory
            with session.cursor() as cur:
                translated = engine.translate(cur, sql, session.database, session.schema).sql
            e_times, d_times = [], []
            for _ in range(runs):
                t0 = time.perf_counter()
                session.execute(sql, params)
                e_times.append(time.perf_counter() - t0)
                with session.cursor() as cur:
                    t0 = time.perf_counter()
                    cur.execute(translated, params or None).fetchall()
                    d_times.append(time.perf_counter() - t0)
            engine_samples += e_times
            direct_samples += d_times
            per_query[query.id] = {
                "engine_p50_ms": statistics.median(e_times) * 1000,
                "duckdb_p50_ms": statistics.median(d_times) * 1000,
            }
    engine.close()
    return {
        "query_orders": orders,
        "query_count": len(per_query),
        "query_p50_ms": _percentile(engine_samples, 50) * 1000,
        "query_p95_ms": _percentile(engine_samples, 95) * 1000,
        "query_duckdb_p50_ms": _percentile(direct_samples, 50) * 1000,
        "query_duckdb_p95_ms": _percentile(direct_samples, 95) * 1000,
        "query_ratio_vs_duckdb": sum(engine_samples) / sum(direct_samples),
        "query_slowest": sorted(per_query.items(), key=lambda kv: -kv[1]["engine_p50_ms"])[:5],
    }


# --- 3. end-to-end latency --------------------------------------------------------------------------------


def bench_e2e(seconds: float, workdir: Path, rate: float = 200.0) -> dict[str, Any]:
    """Scheduler at a 1-second interval ('1 MINUTE' at time scale 60), simulator at ``rate`` events/s."""
    from .deploy import deploy
    from .ingest import Message, ingest
    from .local.scheduler import Scheduler
    from .simulate import LiveSimulator, SimConfig
    from .warehouse.local import LocalWarehouse

    db = str(workdir / "e2e.duckdb")
    wh = LocalWarehouse(db)
    deploy(wh, resume_new_graphs=True)
    scheduler = Scheduler(wh.engine, time_scale=60.0, poll_s=0.05).start()
    stop = threading.Event()
    sent_at: dict[str, float] = {}
    seen_at: dict[str, float] = {}
    lock = threading.Lock()

    def produce() -> None:
        writer = LocalWarehouse(db, engine=wh.engine)
        live = LiveSimulator(SimConfig(seed=5, rate=rate, id_tag="E2E-"), start=dt.datetime.now(dt.UTC))
        offset = 0
        while not stop.wait(0.1):
            texts = live.next_batch(dt.datetime.now(dt.UTC))
            now = time.perf_counter()
            ingest(writer, (Message(t, "bench", 0, offset + i) for i, t in enumerate(texts)))
            offset += len(texts)
            with lock:
                for text in texts:
                    event = json.loads(text)
                    if event.get("event_type") == "order":
                        sent_at[event["event_id"]] = now

    def observe() -> None:
        reader = LocalWarehouse(db, engine=wh.engine)
        while not stop.wait(0.05):
            ids = reader.query("SELECT LAST_EVENT_ID FROM CAVES_ALBERT_DB.PRODUCTION.ORDERS")["LAST_EVENT_ID"]
            now = time.perf_counter()
            for event_id in ids:
                seen_at.setdefault(event_id, now)

    threads = [threading.Thread(target=produce, daemon=True), threading.Thread(target=observe, daemon=True)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(10)
    scheduler.stop()
    wh.close()
    with lock:
        latencies = [seen_at[e] - sent_at[e] for e in sent_at if e in seen_at]
    return {
        "e2e_seconds": seconds,
        "e2e_orders_seen": len(latencies),
        "e2e_orders_sent": len(sent_at),
        "e2e_latency_p50_s": _percentile(latencies, 50),
        "e2e_latency_p95_s": _percentile(latencies, 95),
    }


# --- 4. pages ---------------------------------------------------------------------------------------------


def bench_pages(workdir: Path) -> dict[str, Any]:
    """AppTest render time of each page on a seeded warehouse: cold (new app, empty caches) and warm (rerun).

    The timing drives Streamlit, so it lives in the app layer (``components/apptiming.py``) and runs in its own
    process: ``caves`` never imports Streamlit or the app (ruff's TID251 enforces it).
    """
    done = subprocess.run(
        [sys.executable, "-m", "components.apptiming", str(workdir)],
        cwd=str(PROJECT_ROOT),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"page timing failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- 5. the engine's own costs ----------------------------------------------------------------------------


def _interleaved_ms(
    session: Any, point: str, translated: str, statements: int, blocks: int = 10
) -> tuple[float, float]:
    """Median milliseconds of one cached engine statement and of its translated SQL on plain DuckDB (the engine's
    own connection: same file, same settings), in alternating blocks so that both see the same machine load."""
    engine_times: list[float] = []
    plain_times: list[float] = []
    per_block = max(1, statements // blocks)
    for block in range(blocks):
        for i in range(per_block):
            t0 = time.perf_counter()
            session.execute(point, [(block * per_block + i) % 1000])
            engine_times.append(time.perf_counter() - t0)
        with session.cursor() as cur:
            for i in range(per_block):
                t0 = time.perf_counter()
                cur.execute(translated, [(block * per_block + i) % 1000]).fetchall()
                plain_times.append(time.perf_counter() - t0)
    return statistics.median(engine_times) * 1000, statistics.median(plain_times) * 1000


def bench_engine(workdir: Path, statements: int = 1000) -> dict[str, Any]:
    """Per-statement overhead against plain DuckDB, and the cost of a stream read on a large table."""

    from .local import Engine

    db = str(workdir / "engine_costs.duckdb")
    engine = Engine(db)
    with engine.session() as s:
        s.execute("CREATE DATABASE B")
        s.execute("CREATE TABLE T (ID NUMBER, V STRING, J VARIANT)")
        s.execute(
            "INSERT INTO T SELECT SEQ8(), 'v' || SEQ8(), PARSE_JSON('{\"k\": \"x\"}') FROM TABLE(GENERATOR(ROWCOUNT => 1000))"
        )
        point = "SELECT V, J:k::STRING AS K FROM B.PUBLIC.T WHERE ID = ?"
        # First run of each distinct text: parse + translate (sqlglot) + execute.
        t0 = time.perf_counter()
        for i in range(statements // 10):
            s.execute(f"SELECT V, J:k::STRING AS K FROM B.PUBLIC.T WHERE ID = ? AND {i} = {i}", [i])
        first_ms = (time.perf_counter() - t0) / (statements // 10) * 1000
        with s.cursor() as cur:
            translated = engine.translate(cur, point, None, None).sql
        cached_ms, plain_ms = _interleaved_ms(s, point, translated, statements)
        # The big table and its stream: 1M rows, then 100 changes.
        s.execute("CREATE TABLE BIG (ID NUMBER, V STRING)")
        s.execute("INSERT INTO BIG SELECT SEQ8(), 'v' || SEQ8() FROM TABLE(GENERATOR(ROWCOUNT => 1000000))")
        s.execute("CREATE STREAM BIG_S ON TABLE BIG")
        s.execute("CREATE STREAM BIG_APPEND ON TABLE BIG APPEND_ONLY = TRUE")
        s.execute("UPDATE BIG SET V = 'changed' WHERE ID < 50")
        s.execute("INSERT INTO BIG SELECT 2000000 + SEQ8(), 'new' FROM TABLE(GENERATOR(ROWCOUNT => 50))")
        reads = {}
        for name in ("BIG_S", "BIG_APPEND"):
            times = []
            for _ in range(20):
                t0 = time.perf_counter()
                rows = s.execute(f"SELECT COUNT(*) FROM {name}").scalar()
                times.append(time.perf_counter() - t0)
            reads[name] = (statistics.median(times) * 1000, rows)
        t0 = time.perf_counter()
        for _ in range(20):
            s.execute("SELECT COUNT(*) FROM BIG WHERE V = 'changed'").scalar()
        scan_ms = (time.perf_counter() - t0) / 20 * 1000
    engine.close()
    return {
        "engine_statement_plain_duckdb_ms": plain_ms,
        "engine_statement_first_run_ms": first_ms,
        "engine_statement_cached_ms": cached_ms,
        "engine_statement_overhead_cached_ms": cached_ms - plain_ms,
        "engine_stream_read_100_changes_1m_rows_ms": reads["BIG_S"][0],
        "engine_stream_read_rows": reads["BIG_S"][1],
        "engine_append_only_read_50_inserts_1m_rows_ms": reads["BIG_APPEND"][0],
        "engine_full_scan_1m_rows_ms": scan_ms,
    }


# --- orchestration ----------------------------------------------------------------------------------------

PARTS: dict[str, Callable[[dict, Path], dict[str, Any]]] = {
    "pipeline": lambda cfg, wd: bench_pipeline(cfg["pipeline_events"], wd),
    "queries": lambda cfg, wd: bench_queries(cfg["query_orders"], cfg["query_runs"], wd),
    "e2e": lambda cfg, wd: bench_e2e(cfg["e2e_seconds"], wd),
    "pages": lambda cfg, wd: bench_pages(wd),
    "engine": lambda cfg, wd: bench_engine(wd),
}


def _run_part(name: str, cfg: dict, workdir: str, out: mp.Queue) -> None:
    try:
        figures = PARTS[name](cfg, Path(workdir))
        figures[f"{name}_peak_rss_mb"] = _peak_rss_mb()
        out.put((name, figures, None))
    except Exception as exc:  # reported in the results, the other parts still run
        out.put((name, {}, f"{type(exc).__name__}: {exc}"))


def run(quick: bool, parts: list[str] | None = None, progress: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the parts, each in a fresh process; returns the figures (and the errors, if any)."""
    cfg = QUICK if quick else FULL
    results: dict[str, Any] = {"mode": "quick" if quick else "full", "cpu_count": os.cpu_count()}
    errors: dict[str, str] = {}
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="caves-bench-") as workdir:
        for name in parts or list(PARTS):
            progress(f"bench: {name}…")
            queue: mp.Queue = ctx.Queue()
            proc = ctx.Process(target=_run_part, args=(name, cfg, workdir, queue))
            start = time.perf_counter()
            proc.start()
            _, figures, error = queue.get()
            proc.join()
            results.update(figures)
            results[f"{name}_wall_s"] = time.perf_counter() - start
            if error:
                errors[name] = error
    rss = [v for k, v in results.items() if k.endswith("_peak_rss_mb")]
    results["peak_rss_mb"] = max(rss) if rss else None
    if errors:
        results["errors"] = errors
    return results
