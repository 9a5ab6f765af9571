"""Shared helpers for the end-to-end pipeline tests (issue 3): the CLI as a subprocess, reads, comparisons.

The command line is always run as a child process (`python -m caves ... --db FILE`), the way ops and CI use
it. Reads used only to *check* a warehouse go through the local engine in-process, after the child process
has exited (one writer at a time on a DuckDB file).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DB = "CAVES_ALBERT_DB"
OPS = f"{DB}.OPS"

ROOT_ORDERS = "TASK_RAW_TO_STAGING_ORDERS"
CHILD_ORDERS = "TASK_STAGING_TO_PROD_ORDERS"
ROOT_INVENTORY = "TASK_RAW_TO_STAGING_INVENTORY"
CHILD_HISTORY = "TASK_STAGING_TO_PROD_INVENTORY_HISTORY"
CHILD_CURRENT = "TASK_STAGING_TO_PROD_INVENTORY_CURRENT"
RETENTION = "TASK_PURGE_RETENTION"
# The same tasks fully qualified, as deploy_sql/ names them.
T_RAW_ORDERS = f"{OPS}.{ROOT_ORDERS}"
T_PROD_ORDERS = f"{OPS}.{CHILD_ORDERS}"
T_RAW_INV = f"{OPS}.{ROOT_INVENTORY}"
T_HISTORY = f"{OPS}.{CHILD_HISTORY}"
T_CURRENT = f"{OPS}.{CHILD_CURRENT}"
T_RETENTION = f"{OPS}.{RETENTION}"
ROOTS = [T_RAW_ORDERS, T_RAW_INV, T_RETENTION]

STREAMS = (
    f"{DB}.RAW_DATA.STREAM_RAW_ORDERS",
    f"{DB}.RAW_DATA.STREAM_RAW_INVENTORY",
    f"{DB}.STAGING.STREAM_STG_ORDERS",
    f"{DB}.STAGING.STREAM_STG_INVENTORY",
    f"{DB}.PRODUCTION.STREAM_INVENTORY_HISTORY",
)

# Columns whose value is the wall-clock time of a write: they differ between two runs of the same data.
WRITE_TIME_COLUMNS = {"CREATED_AT", "UPDATED_AT", "LOADED_AT", "STAGED_AT", "REJECTED_AT", "ROUTED_AT"}

CLI_TIMINGS: list[tuple[str, float]] = []


def low(sql: str) -> str:
    """``sql`` lower-cased on one line (whitespace runs as one space), for text checks of deploy_sql/."""
    return " ".join(sql.lower().split())


def cli_env() -> dict[str, str]:
    """The child's environment: the repository importable, no stray warehouse setting, no bytecode litter."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("CAVES_DB", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def cli_argv(*args: str, db: str | Path | None) -> list[str]:
    argv = [sys.executable, "-m", "caves", *map(str, args)]
    if db is not None:
        argv += ["--db", str(db)]
    return argv


def caves(
    *args: str, db: str | Path | None, stdin: str | None = None, check: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m caves ARGS --db DB` to completion; with `check`, a non-zero exit fails the test."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cli_argv(*args, db=db),
            cwd=REPO_ROOT,
            env=cli_env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"caves {' '.join(map(str, args))} did not finish within {timeout:.0f} s") from None
    CLI_TIMINGS.append((" ".join(map(str, args))[:80], time.perf_counter() - start))
    if check and proc.returncode != 0:
        raise AssertionError(
            f"caves {' '.join(map(str, args))} exited {proc.returncode}\nstdout: {proc.stdout[-3000:]}\n"
            f"stderr: {proc.stderr[-3000:]}"
        )
    return proc


def caves_json(*args: str, db: str | Path) -> list[dict[str, Any]]:
    """`caves sql|query|tasks ... --format json`: one JSON array of objects keyed by upper-case column."""
    out = caves(*args, "--format", "json", db=db).stdout
    return json.loads(out)


def read(db: str | Path, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """Rows of one statement, read in-process through the local engine (only while no child holds the file)."""
    from caves.local import Engine

    engine = Engine(str(db))
    try:
        with engine.session() as s:
            result = s.execute(sql, list(params) if params is not None else None)
            return [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    finally:
        engine.close()


def read_many(db: str | Path, statements: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Several reads with one engine open: {key: rows}."""
    from caves.local import Engine

    engine = Engine(str(db))
    try:
        out = {}
        with engine.session() as s:
            for key, sql in statements.items():
                result = s.execute(sql)
                out[key] = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        return out
    finally:
        engine.close()


def copy_warehouse(src: str | Path, dst: str | Path) -> Path:
    """Copy a closed warehouse file (and its WAL if one is left) to `dst`."""
    src, dst = Path(src), Path(dst)
    shutil.copyfile(src, dst)
    wal, dst_wal = src.with_name(src.name + ".wal"), dst.with_name(dst.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dst_wal)
    elif dst_wal.exists():
        dst_wal.unlink()  # a WAL left by an earlier writer of `dst` belongs to the old file
    return dst


def write_lines(path: Path, lines: Iterable[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def utc(text: str) -> dt.datetime:
    """An ISO-8601 text (any offset, 'Z' allowed) as a naive UTC datetime, like TIMESTAMP_NTZ in UTC."""
    value = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def money(value: Any) -> decimal.Decimal:
    """A money amount as NUMBER(18, 2) holds it."""
    return decimal.Decimal(str(value)).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


def without(rows: Iterable[dict[str, Any]], columns: set[str] = WRITE_TIME_COLUMNS) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in columns} for r in rows]


def keyed(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    for r in rows:
        assert r[key] not in out, f"{key} {r[key]!r} appears twice"
        out[r[key]] = r
    return out


def production_snapshot(db: str | Path) -> dict[str, list[dict[str, Any]]]:
    """PRODUCTION and STAGING contents without write-time columns, sorted: two runs of the same data compare equal."""
    rows = read_many(
        db,
        {
            "ORDERS": f"select * from {DB}.PRODUCTION.ORDERS order by ORDER_ID",
            "INVENTORY_HISTORY": f"select * from {DB}.PRODUCTION.INVENTORY_HISTORY order by ADJUSTMENT_ID",
            "INVENTORY_CURRENT": f"select * from {DB}.PRODUCTION.INVENTORY_CURRENT order by PRODUCT_ID",
            "STG_ORDERS": f"select * from {DB}.STAGING.STG_ORDERS order by RAW_ID",
            "STG_INVENTORY_ADJUSTMENTS": f"select * from {DB}.STAGING.STG_INVENTORY_ADJUSTMENTS order by RAW_ID",
            "REJECTED_EVENTS": f"select * from {DB}.STAGING.REJECTED_EVENTS order by RAW_ID",
            "EVENT_ROUTING_LOG": f"select * from {DB}.STAGING.EVENT_ROUTING_LOG order by RAW_ID",
        },
    )
    return {k: without(v) for k, v in rows.items()}


def stream_counts(db: str | Path) -> dict[str, int]:
    """Rows pending in each pipeline stream (a SELECT never advances an offset, §1.4)."""
    rows = read_many(db, {s: f"select count(*) as N from {s}" for s in STREAMS})
    return {s: int(r[0]["N"]) for s, r in rows.items()}


def routing_check(db: str | Path) -> dict[str, int]:
    """Every RAW row lands in exactly one of STG_ORDERS / STG_INVENTORY_ADJUSTMENTS / REJECTED_EVENTS.

    Returns the count per destination; fails on a RAW row routed nowhere, twice, or to two places, and on a
    staging/rejected row pointing at no RAW row.
    """
    rows = read(
        db,
        f"""
        with DEST as (
            select RAW_ID, 'STG_ORDERS' as D from {DB}.STAGING.STG_ORDERS
            union all select RAW_ID, 'STG_INVENTORY_ADJUSTMENTS' from {DB}.STAGING.STG_INVENTORY_ADJUSTMENTS
            union all select RAW_ID, 'REJECTED_EVENTS' from {DB}.STAGING.REJECTED_EVENTS
        )
        select R.RAW_ID as RAW_ID, count(D.RAW_ID) as N, min(D.D) as DEST, (R.RAW_ID is null) as ORPHAN
        from {DB}.RAW_DATA.RAW_EVENTS_STREAM as R
        full outer join DEST as D on R.RAW_ID = D.RAW_ID
        group by R.RAW_ID
        """,
    )
    orphans = [r for r in rows if r["ORPHAN"]]
    assert not orphans, f"staging/rejected rows with no RAW row: {orphans[:5]}"
    wrong = [r for r in rows if r["N"] != 1]
    assert not wrong, f"{len(wrong)} RAW rows not routed exactly once, e.g. {wrong[:5]}"
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["DEST"]] = counts.get(r["DEST"], 0) + 1
    return counts


def print_timings(title: str) -> None:
    print(f"\n[{title}] CLI calls:")
    for label, seconds in CLI_TIMINGS:
        print(f"  {seconds:6.2f} s  caves {label}")
    CLI_TIMINGS.clear()


def check_production_against_staging(db: str | Path) -> None:
    """PRODUCTION equals a plain-Python fold of STAGING, and holds every staged event exactly once.

    ORDERS: one row per ORDER_ID, the staged event with the latest EVENT_TIMESTAMP (ties: the greater EVENT_ID).
    INVENTORY_HISTORY: one row per distinct ADJUSTMENT_ID. INVENTORY_CURRENT: per product, the sum of
    QUANTITY_CHANGE over INVENTORY_HISTORY and the number of adjustments.
    """
    rows = read_many(
        db,
        {
            "stg": f"select * from {DB}.STAGING.STG_ORDERS",
            "orders": f"select * from {DB}.PRODUCTION.ORDERS",
            "stg_adj": f"select * from {DB}.STAGING.STG_INVENTORY_ADJUSTMENTS",
            "history": f"select * from {DB}.PRODUCTION.INVENTORY_HISTORY",
            "current": f"select * from {DB}.PRODUCTION.INVENTORY_CURRENT",
        },
    )
    latest: dict[str, dict[str, Any]] = {}
    for r in rows["stg"]:
        best = latest.get(r["ORDER_ID"])
        if best is None or (r["EVENT_TIMESTAMP"], r["EVENT_ID"]) > (best["EVENT_TIMESTAMP"], best["EVENT_ID"]):
            latest[r["ORDER_ID"]] = r
    orders = keyed(rows["orders"], "ORDER_ID")
    assert set(orders) == set(latest), "ORDERS does not hold exactly the staged orders"
    for order_id, s in latest.items():
        o = orders[order_id]
        assert (o["LAST_EVENT_ID"], o["LAST_EVENT_TIMESTAMP"], o["ORDER_STATUS"], o["TOTAL_AMOUNT"]) == (
            s["EVENT_ID"], s["EVENT_TIMESTAMP"], s["ORDER_STATUS"], s["TOTAL_AMOUNT"],
        ), order_id  # fmt: skip
    history = keyed(rows["history"], "ADJUSTMENT_ID")
    assert set(history) == {r["ADJUSTMENT_ID"] for r in rows["stg_adj"]}
    stock: dict[str, list[int]] = {}
    for h in history.values():
        stock.setdefault(h["PRODUCT_ID"], []).append(h["QUANTITY_CHANGE"])
    current = keyed(rows["current"], "PRODUCT_ID")
    assert {k: (v["CURRENT_STOCK_LEVEL"], v["ADJUSTMENT_COUNT"]) for k, v in current.items()} == {
        k: (sum(v), len(v)) for k, v in stock.items()
    }
