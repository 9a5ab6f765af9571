"""caves.objects: CREATE TASK / CREATE STREAM read once, for the planner, the graph and the local engine."""

from __future__ import annotations

import pytest

from caves.local import Engine
from caves.local.errors import SnowflakeError
from caves.objects import ObjectSyntaxError, parse_create_stream, parse_create_task, parse_predecessors


def test_create_task_as_written():
    """Names keep their qualification as written (the engine resolves them against the session); every
    KEY = value option is kept, unquoted; WHEN and the body are the text between the keywords."""
    task = parse_create_task(
        "CREATE OR REPLACE TASK ops.child WAREHOUSE = wh COMMENT = 'it''s mine' "
        "AFTER ops.root, \"Other\" WHEN SYSTEM$STREAM_HAS_DATA('S') AS INSERT INTO T SELECT 1;"
    )
    assert (task.name, task.after, task.or_replace, task.if_not_exists) == (
        "OPS.CHILD",
        ("OPS.ROOT", '"Other"'),
        True,
        False,
    )
    assert task.params == {"WAREHOUSE": "wh", "COMMENT": "it's mine"}
    assert task.warehouse == "WH" and task.comment == "it's mine" and task.schedule is None
    assert task.when == "SYSTEM$STREAM_HAS_DATA('S')"
    assert task.body == "INSERT INTO T SELECT 1"


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TASK T SCHEDULE = '1 MINUTE'",  # no body
        "CREATE TASK T SCHEDULE = '1 MINUTE' WITH TAG (A = 'B') AS SELECT 1",  # a clause we do not read
        "CREATE TABLE T (A INT)",
    ],
)
def test_create_task_that_cannot_be_read_is_refused(sql):
    with pytest.raises(ObjectSyntaxError):
        parse_create_task(sql)


def test_create_stream_options_and_time_travel():
    stream = parse_create_stream(
        "CREATE STREAM IF NOT EXISTS S COPY GRANTS ON TABLE raw.T AT(STREAM => 'OLD') APPEND_ONLY = TRUE"
    )
    assert (stream.name, stream.on_table, stream.append_only, stream.if_not_exists) == ("S", "RAW.T", True, True)
    assert stream.at_stream == "OLD" and stream.time_travel is None
    travel = parse_create_stream("CREATE STREAM S ON TABLE T BEFORE(OFFSET => -60)")
    assert travel.time_travel == "BEFORE(OFFSET => -60)"


def test_the_engine_refuses_what_it_would_otherwise_ignore(tmp_path):
    """The emulator never lies: a task parameter or a stream option the engine does not emulate, and time
    travel on CREATE STREAM, are refused with an error instead of being dropped."""
    engine = Engine(str(tmp_path / "w.duckdb"))
    try:
        with engine.session() as s:
            s.execute("CREATE DATABASE D")
            s.execute("CREATE SCHEMA D.S")
            s.execute("CREATE TABLE D.S.T (A INT)")
            with pytest.raises(SnowflakeError, match="not supported by the local engine: task parameter STATEMENT_X"):
                s.execute("CREATE TASK D.S.K SCHEDULE = '1 MINUTE' STATEMENT_X = 5 AS SELECT 1")
            with pytest.raises(SnowflakeError, match="CREATE STREAM option FOO"):
                s.execute("CREATE STREAM D.S.ST ON TABLE D.S.T FOO = 1")
            with pytest.raises(SnowflakeError, match="no time travel"):
                s.execute("CREATE STREAM D.S.ST ON TABLE D.S.T AT(TIMESTAMP => CURRENT_TIMESTAMP())")
            s.execute("CREATE TASK D.S.K SCHEDULE = '1 MINUTE' COMMENT = 'ok' AS SELECT 1")
            assert s.execute("SHOW TASKS IN SCHEMA D.S").to_pandas()["comment"].tolist() == ["ok"]
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('["DB.S.A","DB.S.B"]', ("DB.S.A", "DB.S.B")),
        ("[]", ()),
        ("", ()),
        (None, ()),
        (float("nan"), ()),
        (["db.s.a"], ("DB.S.A",)),
        ("[db.s.a, db.s.b]", ("DB.S.A", "DB.S.B")),
    ],
)
def test_predecessors_in_every_shape_show_tasks_gives(value, expected):
    assert parse_predecessors(value) == expected
