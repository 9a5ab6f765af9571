"""Issue 3, item 2: `caves deploy` on a live pipeline with changes pending in its streams loses nothing.

DESIGN.md, "Table contract": "Deploying again on a live pipeline must lose nothing: no table is replaced, no
stream offset is reset, tasks are suspended before the graph changes and resumed (children first) afterwards
if they were running." SNOWFLAKE_SEMANTICS.md §2.3: the root must be suspended before any task of its graph is
replaced; resume children before the root; a SELECT never moves a stream offset (§1.4).
"""

from __future__ import annotations

import re

from caves.sqlscript import split_statements

from .helpers import (
    CHILD_CURRENT,
    CHILD_HISTORY,
    CHILD_ORDERS,
    DB,
    OPS,
    RETENTION,
    ROOT_INVENTORY,
    ROOT_ORDERS,
    STREAMS,
    caves,
    copy_warehouse,
    print_timings,
    production_snapshot,
    read,
    read_many,
    routing_check,
    stream_counts,
    write_lines,
)

# DESIGN.md's task graph, written out: child -> parent.
PARENT = {CHILD_ORDERS: ROOT_ORDERS, CHILD_HISTORY: ROOT_INVENTORY, CHILD_CURRENT: CHILD_HISTORY}


def task_states(db) -> dict[str, tuple]:
    rows = read(db, f"show tasks in database {DB}")
    return {r["name"]: (r["state"], r["predecessors"], r["schedule"], r["condition"]) for r in rows}


def table_counts(db) -> dict[str, int]:
    tables = ["RAW_DATA.RAW_EVENTS_STREAM", "STAGING.STG_ORDERS", "STAGING.STG_INVENTORY_ADJUSTMENTS",
              "STAGING.REJECTED_EVENTS", "STAGING.EVENT_ROUTING_LOG", "PRODUCTION.ORDERS",
              "PRODUCTION.INVENTORY_HISTORY", "PRODUCTION.INVENTORY_CURRENT"]  # fmt: skip
    rows = read_many(db, {t: f"select count(*) as N from {DB}.{t}" for t in tables})
    return {t: r[0]["N"] for t, r in rows.items()}


def _head(sql: str) -> str:
    return " ".join(sql.split()).lower()


def test_redeploy_with_pending_changes_loses_nothing(fresh_db, tmp_path, small_traffic):
    """DESIGN.md: deploying again on a live pipeline loses nothing; task states after = before.

    Changes are pending at every layer when `caves deploy` runs: new RAW rows (both RAW streams), staged orders
    not yet merged (STREAM_STG_ORDERS) and history rows not yet summed (STREAM_INVENTORY_HISTORY). The dry run
    must show every ALTER TASK ... SUSPEND before any CREATE OR REPLACE TASK, the RESUMEs after them with
    children before their roots, only for the graphs that were running (the retention graph, suspended on
    purpose, stays suspended), and no CREATE OR REPLACE TABLE/STREAM, no CREATE TABLE/STREAM, no DROP. After the
    real deploy, then `pipeline run --until-idle`, every pending row is processed exactly once: the result
    equals a reference run of the same warehouse without the redeploy.
    """
    half = len(small_traffic) // 2
    first = write_lines(tmp_path / "first.jsonl", small_traffic[:half])
    second = write_lines(tmp_path / "second.jsonl", small_traffic[half:])

    # Make changes pending at the STAGING -> PRODUCTION layers: run the roots with those children suspended.
    # (`caves sql -f` runs the ALTER TASKs one by one: one process instead of one per task.)
    caves("ingest", str(first), db=fresh_db)
    # A child changes state only while its root is suspended (§2.3): roots, children, roots again.
    children = [f"{OPS}.{CHILD_ORDERS}", f"{OPS}.{CHILD_CURRENT}"]
    roots = [f"{OPS}.{ROOT_ORDERS}", f"{OPS}.{ROOT_INVENTORY}"]

    def set_children(action: str) -> None:
        statements = [f"alter task {r} suspend;" for r in roots] + [f"alter task {c} {action};" for c in children]
        statements += [f"alter task {r} resume;" for r in roots]
        caves("sql", "-f", str(write_lines(tmp_path / f"{action}.sql", statements)), db=fresh_db)

    set_children("suspend")
    caves("pipeline", "run", db=fresh_db)  # one pass (until-idle with a suspended child: test_task_failure.py)
    set_children("resume")
    out = caves("tasks", "suspend", RETENTION, db=fresh_db).stdout  # a graph an admin stopped on purpose
    assert f"ALTER TASK {OPS}.{RETENTION} SUSPEND" in out
    caves("ingest", str(second), db=fresh_db)  # and new RAW rows

    before_states = task_states(fresh_db)
    assert {n: s[0] for n, s in before_states.items()} == {
        ROOT_ORDERS: "started", CHILD_ORDERS: "started", ROOT_INVENTORY: "started", CHILD_HISTORY: "started",
        CHILD_CURRENT: "started", RETENTION: "suspended",
    }  # fmt: skip
    before_streams = stream_counts(fresh_db)
    # pending everywhere but STREAM_STG_INVENTORY (its consumer, the history task, was running)
    assert {s for s, n in before_streams.items() if n > 0} == set(STREAMS) - {f"{DB}.STAGING.STREAM_STG_INVENTORY"}
    before_counts = table_counts(fresh_db)
    reference = copy_warehouse(fresh_db, tmp_path / "reference.duckdb")

    # --- the dry run: the plan, in order, and nothing changed -----------------------------------------------
    dry = caves("deploy", "--dry-run", db=fresh_db).stdout
    statements = [_head(sql) for _, sql in split_statements(dry)]
    assert statements, dry[:500]
    suspend = {
        m.group(1).upper(): i for i, s in enumerate(statements) if (m := re.match(r"alter task (\S+) suspend$", s))
    }
    resume = {
        m.group(1).upper(): i for i, s in enumerate(statements) if (m := re.match(r"alter task (\S+) resume$", s))
    }
    create_task = [i for i, s in enumerate(statements) if s.startswith("create or replace task ")]
    short = lambda name: name.rsplit(".", 1)[-1]  # noqa: E731
    assert {short(n) for n in suspend} == {ROOT_ORDERS, ROOT_INVENTORY}  # the started roots, and only them
    assert len(create_task) == 6
    assert max(suspend.values()) < min(create_task), "a task is replaced before its root is suspended"
    assert {short(n) for n in resume} == set(before_states) - {RETENTION}  # only what was running
    assert min(resume.values()) > max(create_task), "a task is resumed before the graph is complete"
    by_short = {short(n): i for n, i in resume.items()}
    for child, parent in PARENT.items():
        assert by_short[child] < by_short[parent], f"{child} must be resumed before {parent}"
    for s in statements:
        assert not re.match(r"create\s+(or\s+replace\s+)?(transient\s+)?(table|stream)\b", s), s[:120]
        assert not s.startswith("drop "), s[:120]
    assert not re.search(r"\bdrop\s+(table|stream|task|view|schema|database)\b", dry, re.I)
    assert not re.search(r"\btruncate\b", dry, re.I)
    assert task_states(fresh_db) == before_states
    assert stream_counts(fresh_db) == before_streams

    # --- the real deploy ------------------------------------------------------------------------------------
    out = caves("deploy", db=fresh_db).stdout
    assert f"Deployed: {len(statements)} statements applied." in out
    assert task_states(fresh_db) == before_states
    assert stream_counts(fresh_db) == before_streams, "a stream offset moved or was reset"
    assert table_counts(fresh_db) == before_counts

    # --- then the pipeline: every pending row processed exactly once -------------------------------------------
    caves("pipeline", "run", "--until-idle", db=fresh_db)
    caves("pipeline", "run", "--until-idle", db=reference)
    assert set(stream_counts(fresh_db).values()) == {0}
    counts = routing_check(fresh_db)
    assert sum(counts.values()) == len(small_traffic)
    got, want = production_snapshot(fresh_db), production_snapshot(reference)
    for table in want:
        assert got[table] == want[table], f"{table} differs from the run without redeploy"
    assert len(got["ORDERS"]) > 100 and len(got["INVENTORY_HISTORY"]) > 100
    assert task_states(fresh_db) == before_states
    assert read(fresh_db, f"select count(*) as N from {OPS}.ADMIN_AUDIT_LOG where OUTCOME = 'failed'")[0]["N"] == 0
    print_timings("redeploy live")
