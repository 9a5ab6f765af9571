"""What the local engine answers as Snowflake would, or refuses — never answers wrong ([Fidelity]).

- https://docs.snowflake.com/en/sql-reference/constructs/changes (SNOWFLAKE_SEMANTICS.md §1.8): the CHANGES clause
  returns a table's change records since a point, with the stream metadata columns, and never consumes a stream;
  INFORMATION => DEFAULT gives the net change, APPEND_ONLY the inserted rows only.
- https://docs.snowflake.com/en/sql-reference/constructs/at-before (time travel): the engine keeps no table history,
  so it refuses it instead of returning the current, whole table.
- https://docs.snowflake.com/en/sql-reference/constructs/sample: BERNOULLI / ROW samples are emulated (probability 0:
  no row, 100: every row, n ROWS: exactly n rows unless the table holds fewer); a seeded sample (Snowflake's own
  sequence) and SYSTEM / BLOCK sampling (Snowflake's blocks) are refused.
- https://docs.snowflake.com/en/sql-reference/operators-arithmetic: division by zero is an error ("Division by
  zero"); https://docs.snowflake.com/en/sql-reference/functions/div0 and div0null return 0 instead.
"""

from __future__ import annotations

import pytest

from caves.local import SnowflakeError


@pytest.fixture
def changed(session):
    """T with a DEFAULT and an APPEND_ONLY stream, then changes after their offsets: 3 inserts, 1 update, 1 delete."""
    session.execute("CREATE TABLE T (ID INT, V VARCHAR)")
    session.execute("INSERT INTO T VALUES (0, 'before')")
    session.execute("CREATE STREAM S ON TABLE T")
    session.execute("CREATE STREAM SA ON TABLE T APPEND_ONLY = TRUE")
    session.execute("INSERT INTO T VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    session.execute("UPDATE T SET V = 'b2' WHERE ID = 2")
    session.execute("DELETE FROM T WHERE ID IN (3, 0)")
    return session


def rows(session, sql: str) -> list[tuple]:
    return sorted(session.execute(sql).rows)


def test_changes_at_a_stream_reads_like_the_stream_without_consuming_it(changed):
    """CHANGES(INFORMATION => DEFAULT) AT(STREAM => 'S') gives the net change since S's offset (what S would
    give), and APPEND_ONLY the rows inserted since then, with their inserted values; neither moves S."""
    default = rows(changed, "SELECT ID, V, METADATA$ACTION FROM T CHANGES(INFORMATION => DEFAULT) AT(STREAM => 'S')")
    assert default == rows(changed, "SELECT ID, V, METADATA$ACTION FROM S")
    assert default == [(0, "before", "DELETE"), (1, "a", "INSERT"), (2, "b2", "INSERT")]
    appended = rows(changed, "SELECT ID, V FROM T CHANGES(INFORMATION => APPEND_ONLY) AT(STREAM => 'SA')")
    assert appended == [(1, "a"), (2, "b"), (3, "c")]
    changed.execute("CREATE TABLE SINK (ID INT)")
    changed.execute("INSERT INTO SINK SELECT ID FROM T CHANGES(INFORMATION => DEFAULT) AT(STREAM => 'S')")
    assert changed.execute("SELECT SYSTEM$STREAM_HAS_DATA('S')").scalar() is True  # a CHANGES read consumes nothing
    assert len(rows(changed, "SELECT * FROM S")) == 3


@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("SELECT * FROM T BEFORE(STATEMENT => '01a2b3c4-0000-0000-0000-000000000000')", "time travel"),
        ("SELECT * FROM T CHANGES(INFORMATION => DEFAULT) AT(STREAM => 'S') END(OFFSET => -10)", "CHANGES"),
        ("SELECT * FROM T SAMPLE (50) SEED (3)", "seeded sample"),
        ("SELECT * FROM T TABLESAMPLE SYSTEM (10)", "SYSTEM / BLOCK"),
        # https://docs.snowflake.com/en/sql-reference/sql/undrop-table: restores from Time Travel, which the
        # engine does not keep (it would otherwise say the table does not exist)
        ("UNDROP TABLE T", "UNDROP TABLE"),
        ("UNDROP SCHEMA PUBLIC", "UNDROP SCHEMA"),
    ],
)
def test_what_the_engine_cannot_answer_is_refused(changed, sql, what):
    with pytest.raises(SnowflakeError, match="Unsupported statement in the local engine") as raised:
        changed.execute(sql)
    assert what in str(raised.value)


def test_row_samples(changed):
    """SAMPLE (0) returns no row, SAMPLE (100) every row, SAMPLE (n ROWS) n rows (all of them when fewer)."""
    total = changed.execute("SELECT COUNT(*) FROM T").scalar()
    assert changed.execute("SELECT COUNT(*) FROM T SAMPLE (0)").scalar() == 0
    assert changed.execute("SELECT COUNT(*) FROM T TABLESAMPLE BERNOULLI (100)").scalar() == total
    assert changed.execute("SELECT COUNT(*) FROM T SAMPLE ROW (1 ROWS)").scalar() == min(1, total)
    assert changed.execute("SELECT COUNT(*) FROM T SAMPLE (1000 ROWS)").scalar() == total


def test_changes_needs_a_stream_on_that_table(changed):
    changed.execute("CREATE TABLE U (ID INT)")
    with pytest.raises(SnowflakeError, match="the stream is on"):
        changed.execute("SELECT * FROM U CHANGES(INFORMATION => DEFAULT) AT(STREAM => 'S')")


def test_division_by_zero_is_an_error_and_div0_is_not(session):
    """Snowflake: x / 0 fails with "Division by zero" (a task whose body divides by zero fails); DIV0 and
    DIV0NULL give 0, NULLIFZERO makes the quotient NULL, and an IFF guard keeps its meaning."""
    session.execute("CREATE TABLE N (A INT, B INT)")
    session.execute("INSERT INTO N VALUES (1, 0), (4, 2)")
    for sql in ("SELECT 1/0", "SELECT A / B FROM N", "SELECT SUM(A) / MIN(B) FROM N"):
        with pytest.raises(SnowflakeError, match="Division by zero") as raised:
            session.execute(sql)
        assert raised.value.errno == 100051
    assert session.execute(
        "SELECT DIV0(A, B), DIV0NULL(A, B), A / NULLIFZERO(B), IFF(B = 0, -1, A / B) FROM N ORDER BY A"
    ).rows == [(0, 0, None, -1), (2, 2, 2, 2)]
    assert session.execute("SELECT 10 / 4").scalar() == 2.5


def test_drop_table_makes_its_streams_stale_and_drop_view_drops_it(session):
    """https://docs.snowflake.com/en/sql-reference/sql/drop-table and SNOWFLAKE_SEMANTICS.md §1.5: dropping a
    stream's source table makes the stream stale (reading it is an error that says to recreate it); DROP VIEW
    removes the view; dropping what does not exist is 002003 unless IF EXISTS."""
    session.execute("CREATE TABLE T (A INT)")
    session.execute("CREATE STREAM S ON TABLE T")
    session.execute("CREATE VIEW V AS SELECT A FROM T")
    session.execute("INSERT INTO T VALUES (1)")
    session.execute("DROP VIEW V")
    with pytest.raises(SnowflakeError, match="does not exist"):
        session.execute("SELECT * FROM V")
    session.execute("DROP TABLE T")
    stream = next(d for d in session.execute("SHOW STREAMS").dicts() if d["name"] == "S")
    assert stream["stale"] in ("true", True)
    with pytest.raises(SnowflakeError, match="stale"):
        session.execute("SELECT * FROM S")
    with pytest.raises(SnowflakeError, match="does not exist") as missing:
        session.execute("DROP TABLE T")
    assert missing.value.errno == 2003
    session.execute("DROP TABLE IF EXISTS T")


def test_truncate_is_dml_for_streams(session):
    """https://docs.snowflake.com/en/sql-reference/sql/truncate-table: TRUNCATE empties the table and a standard
    stream records its rows as deleted, while an append-only stream keeps the rows inserted since its offset."""
    session.execute("CREATE TABLE T (A INT)")
    session.execute("INSERT INTO T VALUES (1)")
    session.execute("CREATE STREAM S ON TABLE T")
    session.execute("CREATE STREAM SA ON TABLE T APPEND_ONLY = TRUE")
    session.execute("INSERT INTO T VALUES (2)")
    session.execute("TRUNCATE TABLE T")
    assert session.execute("SELECT COUNT(*) FROM T").scalar() == 0
    assert session.execute("SELECT A, METADATA$ACTION FROM S").rows == [(1, "DELETE")]
    assert session.execute("SELECT A FROM SA").rows == [(2,)]
    session.execute("DROP TABLE T")


def test_insert_overwrite_empties_the_table_then_inserts_in_one_statement(session):
    """https://docs.snowflake.com/en/sql-reference/sql/insert: OVERWRITE "Specifies that the target table should be
    truncated before inserting the values into the table" — one statement answering the rows inserted; its query may
    read the table itself (it sees the rows before); streams see what TRUNCATE then INSERT would give them: a standard
    stream the old rows deleted and the new ones inserted, an append-only stream its pending and new inserts."""
    session.execute("CREATE TABLE T (A INT, B VARCHAR)")
    session.execute("INSERT INTO T VALUES (1, 'one'), (2, 'two')")
    session.execute("CREATE STREAM S ON TABLE T")
    session.execute("CREATE STREAM SA ON TABLE T APPEND_ONLY = TRUE")
    session.execute("INSERT INTO T VALUES (3, 'three')")
    result = session.execute("INSERT OVERWRITE INTO T SELECT A * 10, B FROM T WHERE A > ?", [1])
    assert result.columns == ["number of rows inserted"] and result.rows == [(2,)]
    assert session.execute("SELECT A, B FROM T ORDER BY A").rows == [(20, "two"), (30, "three")]
    assert session.execute("SELECT A, METADATA$ACTION FROM S ORDER BY A").rows == [
        (1, "DELETE"), (2, "DELETE"), (20, "INSERT"), (30, "INSERT"),
    ]  # fmt: skip
    assert session.execute("SELECT A FROM SA ORDER BY A").rows == [(3,), (20,), (30,)]
    # VALUES, a column list, and a failing query that leaves the table as it was (one statement: all or nothing)
    assert session.execute("INSERT OVERWRITE INTO T (B, A) VALUES ('x', 7)").rows == [(1,)]
    assert session.execute("SELECT A, B FROM T").rows == [(7, "x")]
    with pytest.raises(SnowflakeError):
        session.execute("INSERT OVERWRITE INTO T SELECT 1 / 0, 'boom'")
    assert session.execute("SELECT A, B FROM T").rows == [(7, "x")]
    # an untracked table (no stream) too
    session.execute("CREATE TABLE U (A INT)")
    session.execute("INSERT INTO U VALUES (1), (2)")
    assert session.execute("INSERT OVERWRITE INTO U SELECT max(A) + 1 FROM U").rows == [(1,)]
    assert session.execute("SELECT A FROM U").rows == [(3,)]
    session.execute("DROP TABLE T")
    session.execute("DROP TABLE U")


# --- CHANGES between two times (https://docs.snowflake.com/en/sql-reference/constructs/changes) -----------------
# AT(TIMESTAMP | OFFSET => ...) includes the changes taken at that time; END(...) "The results are inclusive of
# the end marker"; change tracking must be enabled (a stream, or ALTER TABLE ... SET CHANGE_TRACKING = TRUE)
# for the whole range, else "Change tracking is not enabled or has been missing for the time range requested".


@pytest.fixture
def timeline(clocked_session, clock):
    """T tracked from 12:00; an insert at 12:10, an update at 12:20, a delete at 12:30 (FakeClock)."""
    s = clocked_session
    s.execute("CREATE TABLE T (ID INT, V VARCHAR)")
    s.execute("ALTER TABLE T SET CHANGE_TRACKING = TRUE")
    clock.advance(minutes=10)
    s.execute("INSERT INTO T VALUES (1, 'a'), (2, 'b')")
    clock.advance(minutes=10)
    s.execute("UPDATE T SET V = 'b2' WHERE ID = 2")
    clock.advance(minutes=10)
    s.execute("DELETE FROM T WHERE ID = 1")
    clock.advance(minutes=5)  # now 12:35
    return s


def changes(s, clause: str, information: str = "DEFAULT") -> list[tuple]:
    return rows(s, f"SELECT ID, V, METADATA$ACTION FROM T CHANGES(INFORMATION => {information}) {clause}")


def test_changes_at_a_timestamp_until_now(timeline):
    at = "AT(TIMESTAMP => '2024-01-01 12:20:00'::TIMESTAMP_NTZ)"
    # from 12:20 on (included): b became b2, 1 was deleted — the net change since 12:20's state
    assert changes(timeline, at) == [(1, "a", "DELETE"), (2, "b", "DELETE"), (2, "b2", "INSERT")]
    assert changes(timeline, "AT(TIMESTAMP => '2024-01-01 12:31:00'::TIMESTAMP_NTZ)") == []


def test_changes_between_a_timestamp_and_an_end_marker(timeline):
    window = (
        "AT(TIMESTAMP => '2024-01-01 12:05:00'::TIMESTAMP_NTZ) END(TIMESTAMP => '2024-01-01 12:20:00'::TIMESTAMP_NTZ)"
    )
    # the insert at 12:10 and the update at 12:20 (the end marker is included), netted: both rows inserted
    assert changes(timeline, window) == [(1, "a", "INSERT"), (2, "b2", "INSERT")]
    assert changes(timeline, window.replace("12:20:00", "12:19:59")) == [(1, "a", "INSERT"), (2, "b", "INSERT")]
    assert changes(timeline, window, "APPEND_ONLY") == [(1, "a", "INSERT"), (2, "b", "INSERT")]


def test_changes_at_an_offset_counts_back_from_the_engine_clock(timeline):
    # now 12:35: -1200 s is 12:15, so the update at 12:20 and the delete at 12:30
    assert changes(timeline, "AT(OFFSET => -1200)") == [(1, "a", "DELETE"), (2, "b", "DELETE"), (2, "b2", "INSERT")]
    assert changes(timeline, "AT(OFFSET => -20*60) END(OFFSET => -10*60)") == [(2, "b", "DELETE"), (2, "b2", "INSERT")]


def test_changes_before_tracking_started_or_without_tracking_are_refused(timeline):
    with pytest.raises(SnowflakeError, match="Change tracking is not enabled or has been missing"):
        changes(timeline, "AT(TIMESTAMP => '2024-01-01 11:00:00'::TIMESTAMP_NTZ)")
    timeline.execute("CREATE TABLE U (ID INT, V VARCHAR)")
    with pytest.raises(SnowflakeError, match="Change tracking is not enabled"):
        timeline.execute("SELECT * FROM U CHANGES(INFORMATION => DEFAULT) AT(OFFSET => -60)")


def test_changes_cannot_read_log_entries_a_stream_consumption_pruned(timeline, clock):
    """The engine keeps a table's log back to its streams' lowest offset: older ranges are refused, not answered
    from a shortened log."""
    s = timeline
    s.execute("CREATE STREAM S ON TABLE T")
    s.execute("INSERT INTO T VALUES (3, 'c')")
    clock.advance(minutes=1)
    s.execute("CREATE TABLE SINK AS SELECT ID FROM S")  # consumes S: the log is pruned up to its new offset
    with pytest.raises(SnowflakeError, match="missing for the time range"):
        changes(s, "AT(TIMESTAMP => '2024-01-01 12:05:00'::TIMESTAMP_NTZ)")
    assert changes(s, "AT(OFFSET => -10)") == []


def test_changes_at_a_statement_is_refused(timeline):
    with pytest.raises(SnowflakeError, match="no statement ids are kept"):
        changes(timeline, "AT(STATEMENT => '01a2b3c4-0000-0000-0000-000000000000')")
    with pytest.raises(SnowflakeError, match="no statement ids are kept"):
        changes(timeline, "BEFORE(STATEMENT => '01a2b3c4-0000-0000-0000-000000000000')")


# --- time travel where the change log can answer (https://docs.snowflake.com/en/sql-reference/constructs/at-before)
# AT(TIMESTAMP | OFFSET => ...) "is inclusive of any changes made by a statement or transaction with a timestamp
# equal to the specified parameter"; BEFORE(...) excludes them. Locally a table has history once it tracks changes.


def test_time_travel_rebuilds_a_tracked_table_at_a_time(timeline):
    def at(clause: str) -> list[tuple]:
        return rows(timeline, f"SELECT ID, V FROM T {clause}")

    assert at("AT(TIMESTAMP => '2024-01-01 12:05:00'::TIMESTAMP_NTZ)") == []
    assert at("AT(TIMESTAMP => '2024-01-01 12:10:00'::TIMESTAMP_NTZ)") == [(1, "a"), (2, "b")]
    assert at("BEFORE(TIMESTAMP => '2024-01-01 12:20:00'::TIMESTAMP_NTZ)") == [(1, "a"), (2, "b")]
    assert at("AT(TIMESTAMP => '2024-01-01 12:20:00'::TIMESTAMP_NTZ)") == [(1, "a"), (2, "b2")]
    assert at("AT(OFFSET => -10*60)") == [(1, "a"), (2, "b2")]  # now 12:35: 12:25
    assert at("AT(OFFSET => -1)") == rows(timeline, "SELECT ID, V FROM T") == [(2, "b2")]
    joined = timeline.execute(
        "SELECT old.V, new.V FROM T AT(OFFSET => -20*60) AS old JOIN T AS new ON old.ID = new.ID"
    ).rows
    assert joined == [("b", "b2")]


def test_time_travel_is_refused_where_no_history_is_kept(timeline):
    with pytest.raises(SnowflakeError, match="missing for the time range"):
        timeline.execute("SELECT * FROM T AT(TIMESTAMP => '2024-01-01 11:59:00'::TIMESTAMP_NTZ)")
    timeline.execute("CREATE TABLE U (ID INT)")
    with pytest.raises(SnowflakeError, match="keeps history only for tables that track all changes"):
        timeline.execute("SELECT * FROM U AT(OFFSET => -60)")
    with pytest.raises(SnowflakeError, match="no statement ids are kept"):
        timeline.execute("SELECT * FROM T BEFORE(STATEMENT => '01a2b3c4-0000-0000-0000-000000000000')")
