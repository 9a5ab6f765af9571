"""Snowflake's own documented examples, run on the local engine with their documented results asserted.

* Streams: https://docs.snowflake.com/en/user-guide/streams-examples, "Basic example" (gym MEMBERS,
  MEMBER_CHECK stream, SIGNUP) including its explicit-transaction part, and the standard vs append-only
  example that follows it on the same page. SQL is copied verbatim; the documented output tables are
  transcribed below (METADATA$ROW_ID values are Snowflake-internal hashes, so only their consistency is
  asserted). Rows are compared without order: the documented queries have no ORDER BY.
* Tasks: https://docs.snowflake.com/en/user-guide/tasks-graphs ("Create a task graph": task_root, task_a,
  task_b, task_c) and https://docs.snowflake.com/en/sql-reference/sql/create-task (mytask1, a task gated
  on SYSTEM$STREAM_HAS_DATA).
* The gym example once more through the CLI, each step a separate ``python -m caves sql -f`` process
  (a new session on the same warehouse file), reading the JSON output.

Docstrings name the SNOWFLAKE_SEMANTICS.md sections each example demonstrates.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from caves.local import Engine

# --- the documented gym example (streams-examples, "Basic example") -----------------------------------

CREATE_MEMBERS = """-- Create a table to store the names and fees paid by members of a gym
CREATE OR REPLACE TABLE members (
  id number(8) NOT NULL,
  name varchar(255) default NULL,
  fee number(3) NULL
)"""
CREATE_MEMBER_CHECK = """-- Create a stream to track changes to date in the MEMBERS table
CREATE OR REPLACE STREAM member_check ON TABLE members"""
CREATE_SIGNUP = """-- Create a table to store the dates when gym members joined
CREATE OR REPLACE TABLE signup (
  id number(8),
  dt DATE
  )"""
INSERT_MEMBERS = """INSERT INTO members (id,name,fee)
VALUES
(1,'Joe',0),
(2,'Jane',0),
(3,'George',0),
(4,'Betty',0),
(5,'Sally',0)"""
INSERT_SIGNUP = """INSERT INTO signup
VALUES
(1,'2018-01-01'),
(2,'2018-02-15'),
(3,'2018-05-01'),
(4,'2018-07-16'),
(5,'2018-08-21')"""
SELECT_STREAM = "SELECT * FROM member_check"
MERGE_FEE = """-- Apply a $90 fee to members who joined the gym after a free trial period ended:
MERGE INTO members m
  USING (
    SELECT id, dt
    FROM signup s
    WHERE DATEDIFF(day, '2018-08-15'::date, s.dt::DATE) < -30) s
    ON m.id = s.id
  WHEN MATCHED THEN UPDATE SET m.fee = 90"""
SELECT_MEMBERS = "SELECT * FROM members"
CREATE_MEMBERS_PROD = """-- Create a table to store member details in production
CREATE OR REPLACE TABLE members_prod (
  id number(8) NOT NULL,
  name varchar(255) default NULL,
  fee number(3) NULL
)"""
INSERT_MEMBERS_PROD = (
    "INSERT INTO members_prod(id,name,fee) SELECT id, name, fee FROM member_check WHERE METADATA$ACTION = 'INSERT'"
)
SELECT_STREAM_LOWER = "select * from member_check"
UPDATE_FEE = "UPDATE members SET fee = fee + 15 where fee > 0"

STREAM_COLUMNS = ["ID", "NAME", "FEE", "METADATA$ACTION", "METADATA$ISUPDATE", "METADATA$ROW_ID"]

# Documented outputs (ID, NAME, FEE, ACTION, ISUPDATE), METADATA$ROW_ID left out.
DOC_STREAM_AFTER_INSERTS = [
    (1, "Joe", 0, "INSERT", False),
    (2, "Jane", 0, "INSERT", False),
    (3, "George", 0, "INSERT", False),
    (4, "Betty", 0, "INSERT", False),
    (5, "Sally", 0, "INSERT", False),
]
DOC_MEMBERS_AFTER_MERGE = [(1, "Joe", 90), (2, "Jane", 90), (3, "George", 90), (4, "Betty", 0), (5, "Sally", 0)]
DOC_STREAM_AFTER_MERGE = [
    (1, "Joe", 90, "INSERT", False),
    (2, "Jane", 90, "INSERT", False),
    (3, "George", 90, "INSERT", False),
    (4, "Betty", 0, "INSERT", False),
    (5, "Sally", 0, "INSERT", False),
]
DOC_STREAM_AFTER_COMMIT = [
    (1, "Joe", 105, "INSERT", True),
    (2, "Jane", 105, "INSERT", True),
    (3, "George", 105, "INSERT", True),
    (1, "Joe", 90, "DELETE", True),
    (2, "Jane", 90, "DELETE", True),
    (3, "George", 90, "DELETE", True),
]


def same_rows(actual, expected) -> bool:
    return Counter(map(tuple, actual)) == Counter(map(tuple, expected))


def without_row_id(rows) -> list[tuple]:
    return [tuple(r[:5]) for r in rows]


def assert_update_pairs_share_row_ids(rows) -> None:
    """§1.3: a DELETE+INSERT pair for one updated row carries the same METADATA$ROW_ID; different rows differ."""
    by_id: dict[int, set] = {}
    for r in rows:
        assert r[5] is not None
        by_id.setdefault(r[0], set()).add(r[5])
    assert all(len(ids) == 1 for ids in by_id.values()), by_id
    assert len({next(iter(ids)) for ids in by_id.values()}) == len(by_id)


def test_gym_members_stream_example_step_by_step(session):
    """§1.3, §1.4: the documented gym example: inserts show as INSERT rows; an update before consumption is
    still a plain INSERT with the new value; INSERT…SELECT from the stream consumes it; changes made inside
    BEGIN…COMMIT are invisible to the stream in that transaction (its interval ends at the transaction
    start) and surface after COMMIT as DELETE+INSERT pairs with METADATA$ISUPDATE = TRUE."""
    s = session
    for stmt in (CREATE_MEMBERS, CREATE_MEMBER_CHECK, CREATE_SIGNUP, INSERT_MEMBERS, INSERT_SIGNUP):
        s.execute(stmt)

    # -- The stream records the inserted rows
    r = s.execute(SELECT_STREAM)
    assert r.columns == STREAM_COLUMNS
    assert same_rows(without_row_id(r.rows), DOC_STREAM_AFTER_INSERTS)

    # Apply a $90 fee ... ; SELECT * FROM members
    s.execute(MERGE_FEE)
    r = s.execute(SELECT_MEMBERS)
    assert r.columns == ["ID", "NAME", "FEE"]
    assert same_rows(r.rows, DOC_MEMBERS_AFTER_MERGE)

    # -- The stream records the updated FEE column as a set of inserts ... not been consumed yet
    r = s.execute(SELECT_STREAM)
    assert same_rows(without_row_id(r.rows), DOC_STREAM_AFTER_MERGE)

    # -- Insert the first batch of stream data into the production table
    s.execute(CREATE_MEMBERS_PROD)
    s.execute(INSERT_MEMBERS_PROD)
    assert same_rows(s.execute("SELECT * FROM members_prod").rows, DOC_MEMBERS_AFTER_MERGE)

    # -- The stream position is advanced
    r = s.execute(SELECT_STREAM_LOWER)
    assert r.columns == STREAM_COLUMNS
    assert r.rows == []

    # -- Access and lock the stream
    s.execute("BEGIN")
    # -- Increase the fee paid by paying members
    r = s.execute(UPDATE_FEE)
    assert r.columns == ["number of rows updated", "number of multi-joined rows updated"]
    assert r.rows == [(3, 0)]
    # -- These changes are not visible because the change interval of the stream object starts at the
    # -- current offset and ends at the current transactional time point, which is the beginning time
    # -- of the transaction
    assert s.execute(SELECT_STREAM).rows == []
    # -- Commit changes
    s.execute("COMMIT")

    # -- The changes surface now ...
    r = s.execute(SELECT_STREAM)
    assert same_rows(without_row_id(r.rows), DOC_STREAM_AFTER_COMMIT)
    assert_update_pairs_share_row_ids(r.rows)


def test_standard_versus_append_only_stream_example(session):
    """§1.2, §1.3: the documented example after the gym one: the standard stream nets an insert+delete to
    nothing while the append-only stream still returns the insert; after consuming both, an update shows
    as a DELETE+INSERT pair in the standard stream and not at all in the append-only one."""
    s = session
    s.execute("create or replace table t(id int, name string)")
    s.execute("create or replace  stream delta_s on table t")
    s.execute("create or replace  stream append_only_s on table t append_only=true")
    s.execute("insert into t values (0, 'charlie brown')")
    s.execute("insert into t values (1, 'lucy')")
    s.execute("insert into t values (2, 'linus')")
    s.execute("delete from t where id = '0'")

    # -- The standard stream removes the deleted row.
    r = s.execute("select * from delta_s order by id")
    assert r.columns == ["ID", "NAME", "METADATA$ACTION", "METADATA$ISUPDATE", "METADATA$ROW_ID"]
    assert [tuple(x[:4]) for x in r.rows] == [(1, "lucy", "INSERT", False), (2, "linus", "INSERT", False)]
    delta_ids = {x[0]: x[4] for x in r.rows}

    # -- The append-only stream does not remove the deleted row.
    r = s.execute("select * from append_only_s order by id")
    assert [tuple(x[:4]) for x in r.rows] == [
        (0, "charlie brown", "INSERT", False),
        (1, "lucy", "INSERT", False),
        (2, "linus", "INSERT", False),
    ]
    assert {x[0]: x[4] for x in r.rows if x[0] in delta_ids} == delta_ids  # same ROW_IDs in both streams

    s.execute("create or replace  table t2(id int, name string, stream_type string default NULL)")
    s.execute("insert into t2(id,name,stream_type) select id, name, 'delta stream' from delta_s")
    s.execute("insert into t2(id,name,stream_type) select id, name, 'append_only stream' from append_only_s")
    s.execute("update t set name = 'sally' where name = 'linus'")

    # -- The standard stream records the update operation.
    r = s.execute("select * from delta_s order by id")
    assert same_rows([tuple(x[:4]) for x in r.rows], [(2, "sally", "INSERT", True), (2, "linus", "DELETE", True)])
    assert r.rows[0][4] == r.rows[1][4] == delta_ids[2]

    # -- The append-only stream does not record the update operation.
    assert s.execute("select * from append_only_s order by id").rows == []
    assert s.execute("SELECT count(*) FROM t2").scalar() == 5


# --- documented task examples ---------------------------------------------------------------------------

TASK_GRAPH = """CREATE TASK task_root
  SCHEDULE = '1 MINUTE'
  AS SELECT 1;

CREATE TASK task_a
  AFTER task_root
  AS SELECT 1;

CREATE TASK task_b
  AFTER task_root
  AS SELECT 1;

CREATE TASK task_c
  AFTER task_a, task_b
  AS SELECT 1;
"""


def test_task_graph_example_resume_execute_history(session):
    """§2.2, §2.3, §3: the documented task graph (tasks-graphs): tasks are created suspended;
    TASK_DEPENDENTS lists the graph root first; SYSTEM$TASK_DEPENDENTS_ENABLE resumes it all; EXECUTE TASK runs
    it once: TASK_HISTORY has one SUCCEEDED row per task in one graph run, task_c after task_a and task_b."""
    s = session
    s.execute_script(TASK_GRAPH)
    shown = {d["name"]: d for d in s.execute("SHOW TASKS").dicts()}
    assert set(shown) == {"TASK_ROOT", "TASK_A", "TASK_B", "TASK_C"}
    assert {d["state"] for d in shown.values()} == {"suspended"}
    assert json.loads(shown["TASK_C"]["predecessors"]) == ["TESTDB.PUBLIC.TASK_A", "TESTDB.PUBLIC.TASK_B"]

    dependents = s.execute(
        "select * from table(information_schema.task_dependents(task_name => 'TESTDB.PUBLIC.task_root'))"
    ).dicts()
    assert dependents[0]["name"] == "TASK_ROOT"
    assert sorted(d["name"] for d in dependents) == ["TASK_A", "TASK_B", "TASK_C", "TASK_ROOT"]
    direct = s.execute(
        "select * from table(information_schema.task_dependents(task_name => 'TESTDB.PUBLIC.task_root', "
        "recursive => false))"
    ).dicts()
    assert {"TASK_A", "TASK_B"} <= {d["name"] for d in direct}
    assert "TASK_C" not in {d["name"] for d in direct}

    s.execute("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('TESTDB.PUBLIC.task_root')")
    assert {d["state"] for d in s.execute("SHOW TASKS").dicts()} == {"started"}

    s.execute("EXECUTE TASK task_root")
    rows = s.execute(
        "SELECT NAME, STATE, SCHEDULED_FROM, ATTEMPT_NUMBER, GRAPH_RUN_GROUP_ID, QUERY_START_TIME, COMPLETED_TIME "
        "FROM TABLE(TESTDB.INFORMATION_SCHEMA.TASK_HISTORY()) ORDER BY QUERY_START_TIME"
    ).dicts()
    # The started root's next scheduled run is listed too, as SCHEDULED (task_history: "SCHEDULED").
    assert [r["NAME"] for r in rows if r["STATE"] == "SCHEDULED"] == ["TASK_ROOT"]
    rows = [r for r in rows if r["STATE"] != "SCHEDULED"]
    assert sorted((r["NAME"], r["STATE"]) for r in rows) == [
        ("TASK_A", "SUCCEEDED"),
        ("TASK_B", "SUCCEEDED"),
        ("TASK_C", "SUCCEEDED"),
        ("TASK_ROOT", "SUCCEEDED"),
    ]
    assert {r["SCHEDULED_FROM"] for r in rows} == {"EXECUTE_TASK"}
    assert {r["ATTEMPT_NUMBER"] for r in rows} == {1}
    assert len({r["GRAPH_RUN_GROUP_ID"] for r in rows}) == 1
    by_name = {r["NAME"]: r for r in rows}
    assert by_name["TASK_A"]["QUERY_START_TIME"] >= by_name["TASK_ROOT"]["COMPLETED_TIME"]
    assert by_name["TASK_C"]["QUERY_START_TIME"] >= max(
        by_name["TASK_A"]["COMPLETED_TIME"], by_name["TASK_B"]["COMPLETED_TIME"]
    )


def test_create_task_stream_gated_example(session):
    """§2.1, §1.6: the documented mytask1 (CREATE TASK examples): a task WHEN SYSTEM$STREAM_HAS_DATA('MYSTREAM')
    is SKIPPED while the stream is empty, and otherwise copies the stream's inserts, consuming it."""
    s = session
    s.execute("CREATE TABLE mysource (id INT, name VARCHAR)")
    s.execute("CREATE STREAM mystream ON TABLE mysource")
    s.execute("CREATE TABLE mytable1 (id INT, name VARCHAR)")
    s.execute(
        """CREATE TASK mytask1
  WAREHOUSE = mywh
  SCHEDULE = '5 MINUTES'
  WHEN
    SYSTEM$STREAM_HAS_DATA('MYSTREAM')
  AS
    INSERT INTO mytable1(id,name) SELECT id, name FROM mystream WHERE METADATA$ACTION = 'INSERT'"""
    )
    s.execute("ALTER TASK mytask1 RESUME")
    s.execute("EXECUTE TASK mytask1")
    s.execute("INSERT INTO mysource VALUES (1, 'a'), (2, 'b')")
    s.execute("EXECUTE TASK mytask1")
    s.execute("EXECUTE TASK mytask1")
    states = [
        r[0]
        for r in s.execute(
            "SELECT STATE FROM TABLE(TESTDB.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'MYTASK1')) "
            "WHERE STATE <> 'SCHEDULED' ORDER BY RUN_ID"
        ).rows
    ]
    assert states == ["SKIPPED", "SUCCEEDED", "SKIPPED"]
    assert sorted(s.execute("SELECT id, name FROM mytable1").rows) == [(1, "a"), (2, "b")]


# --- the gym example through the CLI, one process per step -----------------------------------------------

PREAMBLE = "USE SCHEMA GYM.PUBLIC;\n"


def run_cli(tmp_path, db: str, env: dict, sql: str, step: int) -> list[dict]:
    script = tmp_path / f"step{step:02d}.sql"
    script.write_text(sql if sql.startswith("CREATE DATABASE") else PREAMBLE + sql + ";\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "caves", "sql", "-f", str(script), "--db", db, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=str(tmp_path),
    )
    assert proc.returncode == 0, f"step {step} failed: {proc.stderr}\n{sql}"
    return json.loads(proc.stdout)


def stream_rows(out: list[dict]) -> list[tuple]:
    return [(d["ID"], d["NAME"], d["FEE"], d["METADATA$ACTION"], d["METADATA$ISUPDATE"]) for d in out]


def test_gym_members_stream_example_through_the_cli(tmp_path, child_env):
    """§1.3, §1.4: the documented gym example through ``python -m caves sql -f script.sql --db wh.duckdb
    --format json``, every step a new process and session on the same warehouse file: stream offsets and
    table contents persist across sessions. The CLI prints the last statement's result, so the in-transaction
    read is checked in the step that opens the transaction; that session ends without COMMIT, which rolls the
    transaction back (§6.8), and the COMMIT step repeats BEGIN/UPDATE/COMMIT in one session."""
    db = str(tmp_path / "wh.duckdb")
    step = iter(range(100))

    def cli(sql: str) -> list[dict]:
        return run_cli(tmp_path, db, child_env, sql, next(step))

    cli("CREATE DATABASE GYM;\n")
    for stmt in (CREATE_MEMBERS, CREATE_MEMBER_CHECK, CREATE_SIGNUP):
        cli(stmt)
    assert cli(INSERT_MEMBERS) == [{"NUMBER OF ROWS INSERTED": 5}]
    assert cli(INSERT_SIGNUP) == [{"NUMBER OF ROWS INSERTED": 5}]

    out = cli(SELECT_STREAM)
    assert list(out[0]) == STREAM_COLUMNS
    assert same_rows(stream_rows(out), DOC_STREAM_AFTER_INSERTS)

    cli(MERGE_FEE)
    out = cli(SELECT_MEMBERS)
    assert same_rows([(d["ID"], d["NAME"], d["FEE"]) for d in out], DOC_MEMBERS_AFTER_MERGE)
    assert same_rows(stream_rows(cli(SELECT_STREAM)), DOC_STREAM_AFTER_MERGE)

    cli(CREATE_MEMBERS_PROD)
    assert cli(INSERT_MEMBERS_PROD) == [{"NUMBER OF ROWS INSERTED": 5}]
    assert cli(SELECT_STREAM_LOWER) == []

    # BEGIN; UPDATE; SELECT FROM the stream in one session: the change is not visible inside it.
    assert cli(f"BEGIN;\n{UPDATE_FEE};\n{SELECT_STREAM}") == []
    # That session ended without COMMIT: rolled back.
    assert same_rows([(d["ID"], d["FEE"]) for d in cli(SELECT_MEMBERS)], [(1, 90), (2, 90), (3, 90), (4, 0), (5, 0)])
    assert cli(SELECT_STREAM) == []

    cli(f"BEGIN;\n{UPDATE_FEE};\nCOMMIT")
    out = cli(SELECT_STREAM)
    assert same_rows(stream_rows(out), DOC_STREAM_AFTER_COMMIT)
    assert_update_pairs_share_row_ids([tuple(d.values()) for d in out])

    # The same warehouse file opened in this process agrees with what the CLI reported.
    eng = Engine(db)
    try:
        with eng.session("GYM", "PUBLIC") as s:
            assert s.execute("SELECT count(*) FROM member_check").scalar() == 6
            assert s.execute("SELECT sum(fee) FROM members").scalar() == 315
    finally:
        eng.close()
