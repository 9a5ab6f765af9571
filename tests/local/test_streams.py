"""Streams on the local engine: net change, append-only, offsets, transactions, staleness, SHOW STREAMS.

Each test mirrors a rule of /work/shared/reference/SNOWFLAKE_SEMANTICS.md §1 (streams) and the emulator
checklist §6; the docstring names the section.
"""

from __future__ import annotations

import datetime as dt

import pytest

from caves.local import SnowflakeError

META = ("METADATA$ACTION", "METADATA$ISUPDATE", "METADATA$ROW_ID")


def changes(s, stream: str) -> list[tuple]:
    """The stream's rows without ROW_ID, sorted: (source columns..., ACTION, ISUPDATE)."""
    r = s.execute(f"SELECT * FROM {stream}")
    assert r.columns[-3:] == list(META)
    return sorted(tuple(row[:-1]) for row in r.rows)


def row_ids(s, stream: str) -> dict[tuple, str]:
    r = s.execute(f"SELECT * FROM {stream}")
    return {tuple(row[:-1]): row[-1] for row in r.rows}


def has_data(s, stream: str) -> bool:
    return s.execute(f"SELECT SYSTEM$STREAM_HAS_DATA('{stream}')").scalar()


@pytest.fixture
def src(session):
    """TESTDB.PUBLIC.SRC (ID, V) with three committed rows, a standard stream S on it created afterwards."""
    session.execute("CREATE TABLE SRC (ID INT, V VARCHAR)")
    session.execute("INSERT INTO SRC VALUES (1, 'p1'), (2, 'p2'), (3, 'p3')")
    session.execute("CREATE STREAM S ON TABLE SRC")
    session.execute("CREATE TABLE SINK (ID INT, V VARCHAR)")
    return session


# --- §1.3 columns and net change -------------------------------------------------------------------


def test_stream_columns_are_source_columns_then_metadata(src):
    """§1.3 / §6.4: a stream returns the source's current columns, then ACTION, ISUPDATE, ROW_ID."""
    r = src.execute("SELECT * FROM S")
    assert r.columns == ["ID", "V", *META]
    assert r.rows == []


def test_new_stream_starts_empty_at_creation(src):
    """§1.1: a plain CREATE STREAM sets the offset to now, so rows committed before it are not changes."""
    assert changes(src, "S") == []
    assert src.execute("SELECT count(*) FROM SRC").scalar() == 3


def test_net_change_inserted_then_updated_row_is_one_insert_with_current_values(src):
    """§1.3 row 'absent -> present': INSERT with current values, ISUPDATE = FALSE, even if updated since."""
    src.execute("INSERT INTO SRC VALUES (10, 'new')")
    src.execute("UPDATE SRC SET V = 'new-2' WHERE ID = 10")
    src.execute("UPDATE SRC SET V = 'new-3' WHERE ID = 10")
    assert changes(src, "S") == [(10, "new-3", "INSERT", False)]


def test_net_change_deleted_row_reports_values_at_the_offset(src):
    """§1.3 row 'present -> absent': one DELETE carrying the values at the offset, ISUPDATE = FALSE."""
    src.execute("UPDATE SRC SET V = 'changed' WHERE ID = 2")
    src.execute("DELETE FROM SRC WHERE ID = 2")
    assert changes(src, "S") == [(2, "p2", "DELETE", False)]


def test_net_change_updated_row_is_delete_insert_pair_with_same_row_id(src):
    """§1.3 row 'present -> present, updated': DELETE (old) + INSERT (new), both ISUPDATE = TRUE, same ROW_ID.

    Several updates before consumption collapse into one pair: old = value at the offset, new = current.
    """
    src.execute("UPDATE SRC SET V = 'u1' WHERE ID = 1")
    src.execute("UPDATE SRC SET V = 'u2' WHERE ID = 1")
    assert changes(src, "S") == [(1, "p1", "DELETE", True), (1, "u2", "INSERT", True)]
    ids = row_ids(src, "S")
    assert ids[(1, "p1", "DELETE", True)] == ids[(1, "u2", "INSERT", True)]


def test_net_change_inserted_then_deleted_row_is_nothing(src):
    """§1.3 row 'inserted then deleted': no output at all."""
    src.execute("INSERT INTO SRC VALUES (11, 'short-lived')")
    src.execute("DELETE FROM SRC WHERE ID = 11")
    assert changes(src, "S") == []


def test_net_change_table_all_rows_together(src):
    """§1.3 / §6.2: the whole net-change table at once, netted per ROW_ID between offset and now."""
    src.execute("INSERT INTO SRC VALUES (10, 'new')")
    src.execute("UPDATE SRC SET V = 'new2' WHERE ID = 10")
    src.execute("UPDATE SRC SET V = 'u1' WHERE ID = 1")
    src.execute("UPDATE SRC SET V = 'x2' WHERE ID = 2")
    src.execute("DELETE FROM SRC WHERE ID = 2")
    src.execute("INSERT INTO SRC VALUES (11, 'gone')")
    src.execute("DELETE FROM SRC WHERE ID = 11")
    assert changes(src, "S") == [
        (1, "p1", "DELETE", True),
        (1, "u1", "INSERT", True),
        (2, "p2", "DELETE", False),
        (10, "new2", "INSERT", False),
    ]


def test_net_change_is_relative_to_the_offset_after_consumption(src):
    """§1.3 / §1.4: after a consuming DML, a later update is a DELETE+INSERT pair against the consumed values."""
    src.execute("INSERT INTO SRC VALUES (10, 'new')")
    src.execute("INSERT INTO SINK SELECT ID, V FROM S")
    assert changes(src, "S") == []
    src.execute("UPDATE SRC SET V = 'newer' WHERE ID = 10")
    assert changes(src, "S") == [(10, "new", "DELETE", True), (10, "newer", "INSERT", True)]


def test_merge_changes_are_captured_as_net_change(src):
    """§1.3 / §6.2: a MERGE's updates, deletes and inserts appear in the stream like any other DML."""
    src.execute("CREATE TABLE CHG (ID INT, V VARCHAR, OP VARCHAR)")
    src.execute("INSERT INTO CHG VALUES (1, 'm1', 'U'), (2, NULL, 'D'), (4, 'm4', 'I')")
    r = src.execute(
        "MERGE INTO SRC t USING CHG c ON t.ID = c.ID "
        "WHEN MATCHED AND c.OP = 'D' THEN DELETE "
        "WHEN MATCHED THEN UPDATE SET t.V = c.V "
        "WHEN NOT MATCHED THEN INSERT (ID, V) VALUES (c.ID, c.V)"
    )
    assert r.rows == [(1, 1, 1)]
    assert changes(src, "S") == [
        (1, "m1", "INSERT", True),
        (1, "p1", "DELETE", True),
        (2, "p2", "DELETE", False),
        (4, "m4", "INSERT", False),
    ]


def test_row_id_is_the_same_across_streams_on_one_table(src):
    """§1.3: METADATA$ROW_ID is a stable row ID, the same across streams on one table."""
    src.execute("CREATE STREAM S2 ON TABLE SRC")
    src.execute("INSERT INTO SRC VALUES (20, 'a'), (21, 'b')")
    assert row_ids(src, "S") == row_ids(src, "S2")
    assert len(set(row_ids(src, "S").values())) == 2


def test_select_star_from_tracked_table_shows_only_its_columns(src):
    """§1.3: the stream's hidden change-tracking columns never show in the source table's own columns."""
    r = src.execute("SELECT * FROM SRC ORDER BY ID")
    assert r.columns == ["ID", "V"]
    assert r.rows == [(1, "p1"), (2, "p2"), (3, "p3")]


# --- §1.2 append-only and insert-only ----------------------------------------------------------------


def test_append_only_returns_every_insert_even_when_deleted_before_consumption(session):
    """§1.2: APPEND_ONLY, insert 10 rows then delete 5 before consuming: all 10 are returned as inserts."""
    session.execute("CREATE TABLE T (ID INT)")
    session.execute("CREATE STREAM AO ON TABLE T APPEND_ONLY = TRUE")
    session.executemany("INSERT INTO T (ID) VALUES (?)", [(i,) for i in range(10)])
    session.execute("DELETE FROM T WHERE ID < 5")
    assert changes(session, "AO") == [(i, "INSERT", False) for i in range(10)]


def test_append_only_never_reports_updates_or_deletes(session):
    """§1.2 / §6.3: an append-only stream returns inserts only, never a DELETE; updates are not recorded."""
    session.execute("CREATE TABLE T (ID INT, V VARCHAR)")
    session.execute("INSERT INTO T VALUES (1, 'a'), (2, 'b')")
    session.execute("CREATE STREAM AO ON TABLE T APPEND_ONLY = TRUE")
    session.execute("UPDATE T SET V = 'z' WHERE ID = 1")
    session.execute("DELETE FROM T WHERE ID = 2")
    assert changes(session, "AO") == []
    session.execute("INSERT INTO T VALUES (3, 'c')")
    session.execute("UPDATE T SET V = 'c2' WHERE ID = 3")
    # The insert is reported; whether with the pre- or post-update value is the only open point.
    rows = changes(session, "AO")
    assert len(rows) == 1 and rows[0][0] == 3 and rows[0][2:] == ("INSERT", False)


def test_insert_only_on_an_ordinary_table_is_rejected(session):
    """§1.1 / §6.3: INSERT_ONLY on an ordinary table fails (only external tables)."""
    session.execute("CREATE TABLE T (ID INT)")
    with pytest.raises(SnowflakeError, match="INSERT_ONLY"):
        session.execute("CREATE STREAM IO ON TABLE T INSERT_ONLY = TRUE")


def test_show_initial_rows_first_read_returns_rows_present_at_creation(session):
    """§1.3: SHOW_INITIAL_ROWS = TRUE: the first consumption returns the rows present at creation as
    INSERT rows with ISUPDATE = FALSE; later reads are normal."""
    session.execute("CREATE TABLE T (ID INT, V VARCHAR)")
    session.execute("INSERT INTO T VALUES (1, 'a'), (2, 'b')")
    session.execute("CREATE STREAM SI ON TABLE T SHOW_INITIAL_ROWS = TRUE")
    session.execute("CREATE STREAM PLAIN ON TABLE T")
    assert changes(session, "SI") == [(1, "a", "INSERT", False), (2, "b", "INSERT", False)]
    assert changes(session, "SI") == [(1, "a", "INSERT", False), (2, "b", "INSERT", False)]  # SELECT again
    assert changes(session, "PLAIN") == []
    session.execute("CREATE TABLE SINK (ID INT, V VARCHAR)")
    session.execute("INSERT INTO SINK SELECT ID, V FROM SI")
    assert sorted(session.execute("SELECT * FROM SINK").rows) == [(1, "a"), (2, "b")]
    assert changes(session, "SI") == []
    session.execute("UPDATE T SET V = 'b2' WHERE ID = 2")
    assert changes(session, "SI") == [(2, "b", "DELETE", True), (2, "b2", "INSERT", True)]


# --- §1.4 offsets -------------------------------------------------------------------------------------


def test_select_never_advances_the_offset(src):
    """§1.4 / §6.5: a SELECT never advances the offset, however often it runs."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    for _ in range(3):
        assert changes(src, "S") == [(10, "x", "INSERT", False)]
    src.execute("SELECT count(*) FROM S WHERE METADATA$ACTION = 'INSERT'")
    assert changes(src, "S") == [(10, "x", "INSERT", False)]


def test_select_inside_an_explicit_transaction_does_not_advance_the_offset(src):
    """§1.4: a SELECT never advances the offset, not even inside an explicit transaction that commits."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("BEGIN")
    assert changes(src, "S") == [(10, "x", "INSERT", False)]
    src.execute("COMMIT")
    assert changes(src, "S") == [(10, "x", "INSERT", False)]


def test_consuming_dml_advances_the_offset(src):
    """§1.4: INSERT ... SELECT FROM the stream advances it once its (autocommit) transaction commits."""
    src.execute("INSERT INTO SRC VALUES (10, 'x'), (11, 'y')")
    r = src.execute("INSERT INTO SINK SELECT ID, V FROM S WHERE METADATA$ACTION = 'INSERT'")
    assert r.rows == [(2,)]
    assert changes(src, "S") == []
    assert sorted(src.execute("SELECT * FROM SINK").rows) == [(10, "x"), (11, "y")]
    src.execute("INSERT INTO SRC VALUES (12, 'z')")
    assert changes(src, "S") == [(12, "z", "INSERT", False)]


def test_dml_reading_zero_rows_still_consumes_the_whole_stream(src):
    """§1.4 / §6.6: a DML statement that reads the stream consumes all of it even when it matches no rows
    (``INSERT ... SELECT ... WHERE 1=0`` is the documented way to skip pending changes)."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("DELETE FROM SRC WHERE ID = 1")
    r = src.execute("INSERT INTO SINK SELECT ID, V FROM S WHERE 1 = 0")
    assert r.rows == [(0,)]
    assert changes(src, "S") == []
    assert src.execute("SELECT count(*) FROM SINK").scalar() == 0


def test_update_and_delete_using_the_stream_consume_it(src):
    """§1.4: UPDATE/DELETE with the stream as a source are consuming DML too."""
    src.execute("INSERT INTO SINK VALUES (1, 'old')")
    src.execute("UPDATE SRC SET V = 'p1-new' WHERE ID = 1")
    src.execute("UPDATE SINK SET V = S.V FROM S WHERE SINK.ID = S.ID AND S.METADATA$ACTION = 'INSERT'")
    assert src.execute("SELECT * FROM SINK").rows == [(1, "p1-new")]
    assert changes(src, "S") == []
    src.execute("DELETE FROM SRC WHERE ID = 1")
    src.execute("DELETE FROM SINK USING S WHERE SINK.ID = S.ID AND S.METADATA$ACTION = 'DELETE'")
    assert src.execute("SELECT count(*) FROM SINK").scalar() == 0
    assert changes(src, "S") == []


def test_merge_using_the_stream_consumes_it(src):
    """§1.4: MERGE ... USING <stream> is a consuming DML."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute(
        "MERGE INTO SINK t USING S s ON t.ID = s.ID "
        "WHEN NOT MATCHED AND s.METADATA$ACTION = 'INSERT' THEN INSERT (ID, V) VALUES (s.ID, s.V)"
    )
    assert src.execute("SELECT * FROM SINK").rows == [(10, "x")]
    assert changes(src, "S") == []


def test_ctas_from_the_stream_consumes_it(src):
    """§1.4: CTAS is a statement that reads the stream and advances it (here with WHERE 1=0)."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("CREATE TABLE SKIPPED AS SELECT * FROM S WHERE 1 = 0")
    assert changes(src, "S") == []


def test_create_temporary_table_as_select_where_false_consumes_the_stream(src):
    """§1.6: the documented idiom to consume a stream: CREATE TEMPORARY TABLE x AS SELECT * FROM s WHERE 1=0."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("CREATE TEMPORARY TABLE DRAIN AS SELECT * FROM S WHERE 1 = 0")
    assert changes(src, "S") == []
    assert has_data(src, "TESTDB.PUBLIC.S") is False


def test_rollback_leaves_the_offset_unchanged(src):
    """§1.4 / §6.8: a ROLLBACK of the transaction whose DML read the stream leaves the offset unchanged."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("BEGIN")
    src.execute("INSERT INTO SINK SELECT ID, V FROM S")
    src.execute("ROLLBACK")
    assert changes(src, "S") == [(10, "x", "INSERT", False)]
    assert src.execute("SELECT count(*) FROM SINK").scalar() == 0


def test_failed_consuming_dml_leaves_the_offset_unchanged(src):
    """§1.4 / §6.8: a consuming DML that fails (here a runtime conversion error) leaves the offset unchanged."""
    src.execute("INSERT INTO SRC VALUES (10, 'not-a-number')")
    with pytest.raises(SnowflakeError):
        src.execute("INSERT INTO SINK (ID) SELECT CAST(V AS INT) FROM S")
    assert changes(src, "S") == [(10, "not-a-number", "INSERT", False)]
    assert src.execute("SELECT count(*) FROM SINK").scalar() == 0


def test_consuming_dml_in_explicit_transaction_advances_only_at_commit(src):
    """§1.4 / §6.6: the offset moves when the transaction whose DML read the stream commits."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    other = src.engine.session("TESTDB", "PUBLIC")
    try:
        src.execute("BEGIN")
        src.execute("INSERT INTO SINK SELECT ID, V FROM S")
        # Another session does not see the uncommitted consumption.
        assert changes(other, "S") == [(10, "x", "INSERT", False)]
        src.execute("COMMIT")
        assert changes(other, "S") == []
        assert other.execute("SELECT * FROM SINK").rows == [(10, "x")]
    finally:
        other.close()


def test_repeatable_read_inside_an_explicit_transaction(src):
    """§1.4 / §6.7: inside BEGIN…COMMIT every read of the stream returns the same rows, even after the
    transaction writes to the source; those writes show up after COMMIT."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("BEGIN")
    first = changes(src, "S")
    src.execute("INSERT INTO SRC VALUES (20, 'in-txn')")
    src.execute("UPDATE SRC SET V = 'upd-in-txn' WHERE ID = 3")
    assert changes(src, "S") == first == [(10, "x", "INSERT", False)]
    src.execute("COMMIT")
    assert changes(src, "S") == [
        (3, "p3", "DELETE", True),
        (3, "upd-in-txn", "INSERT", True),
        (10, "x", "INSERT", False),
        (20, "in-txn", "INSERT", False),
    ]


def test_new_offset_is_the_transaction_start_not_its_commit(src):
    """§1.4: the new offset is the transaction's start; a change another session commits while the
    consuming transaction is open is not consumed and comes back on the next read."""
    src.execute("INSERT INTO SRC VALUES (10, 'before')")
    other = src.engine.session("TESTDB", "PUBLIC")
    try:
        src.execute("BEGIN")
        assert changes(src, "S") == [(10, "before", "INSERT", False)]
        other.execute("INSERT INTO SRC VALUES (11, 'during')")  # autocommit, committed now
        src.execute("INSERT INTO SINK SELECT ID, V FROM S")
        assert changes(src, "S") == [(10, "before", "INSERT", False)]  # still the snapshot at BEGIN
        src.execute("COMMIT")
    finally:
        other.close()
    assert src.execute("SELECT * FROM SINK").rows == [(10, "before")]
    assert changes(src, "S") == [(11, "during", "INSERT", False)]


def test_ending_a_session_with_an_open_transaction_rolls_it_back(engine, src):
    """§1.4 / §6.8: a session that ends inside BEGIN is rolled back (as Snowflake does): its consuming DML
    does not advance the offset and its writes disappear."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    s2 = engine.session("TESTDB", "PUBLIC")
    s2.execute("BEGIN")
    s2.execute("INSERT INTO SINK SELECT ID, V FROM S")
    s2.execute("INSERT INTO SRC VALUES (30, 'lost')")
    s2.close()
    assert changes(src, "S") == [(10, "x", "INSERT", False)]
    assert src.execute("SELECT count(*) FROM SINK").scalar() == 0
    assert src.execute("SELECT count(*) FROM SRC WHERE ID = 30").scalar() == 0


def test_ddl_inside_a_transaction_commits_the_consumption(src):
    """§6.8: DDL is an implicit commit, so a consuming DML before it is committed (offset advanced)."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("BEGIN")
    src.execute("INSERT INTO SINK SELECT ID, V FROM S")
    src.execute("CREATE TABLE AFTER_DDL (A INT)")
    src.execute("ROLLBACK")  # nothing left to roll back
    assert changes(src, "S") == []
    assert src.execute("SELECT * FROM SINK").rows == [(10, "x")]


def test_two_streams_on_one_table_have_independent_offsets(src):
    """§1.4 'one stream per consumer': consuming one stream leaves another stream on the same table alone."""
    src.execute("CREATE STREAM S2 ON TABLE SRC")
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("INSERT INTO SINK SELECT ID, V FROM S")
    assert changes(src, "S") == []
    assert changes(src, "S2") == [(10, "x", "INSERT", False)]


# --- §1.1 replace, AT(STREAM), staleness on replacing the source ----------------------------------------


def test_or_replace_resets_the_offset_to_now(src):
    """§1.1 / §6.9: a plain CREATE OR REPLACE STREAM starts the offset at now and drops unconsumed changes."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("CREATE OR REPLACE STREAM S ON TABLE SRC")
    assert changes(src, "S") == []
    src.execute("INSERT INTO SRC VALUES (11, 'y')")
    assert changes(src, "S") == [(11, "y", "INSERT", False)]


def test_or_replace_at_stream_self_keeps_the_offset(src):
    """§1.1 / §6.9: CREATE OR REPLACE STREAM s ON TABLE t AT(STREAM => 's') recreates s keeping its offset."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("UPDATE SRC SET V = 'p1b' WHERE ID = 1")
    before = changes(src, "S")
    src.execute("CREATE OR REPLACE STREAM S ON TABLE SRC AT(STREAM => 'S')")
    assert changes(src, "S") == before
    assert len(before) == 3


def test_at_stream_other_copies_its_offset(src):
    """§1.1: AT(STREAM => 's2') starts a new stream at another stream's offset."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("CREATE STREAM COPY_OF_S ON TABLE SRC AT(STREAM => 'S')")
    assert changes(src, "COPY_OF_S") == changes(src, "S") == [(10, "x", "INSERT", False)]


def test_or_replace_and_if_not_exists_cannot_be_combined(src):
    """§1.1: OR REPLACE and IF NOT EXISTS can't be combined."""
    with pytest.raises(SnowflakeError):
        src.execute("CREATE OR REPLACE STREAM IF NOT EXISTS S ON TABLE SRC")


def test_if_not_exists_keeps_the_existing_stream_and_its_offset(src):
    """§1.1: CREATE STREAM IF NOT EXISTS on an existing stream succeeds and changes nothing."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("CREATE STREAM IF NOT EXISTS S ON TABLE SRC")
    assert changes(src, "S") == [(10, "x", "INSERT", False)]
    with pytest.raises(SnowflakeError) as err:
        src.execute("CREATE STREAM S ON TABLE SRC")
    assert err.value.errno == 2002


def test_replacing_the_source_table_makes_the_stream_stale(src):
    """§1.1 / §6.9: replacing the source table makes its streams stale: reading one raises, SHOW STREAMS
    says stale, and CREATE OR REPLACE STREAM is the way out."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("CREATE OR REPLACE TABLE SRC (ID INT, V VARCHAR)")
    with pytest.raises(SnowflakeError):
        src.execute("SELECT * FROM S")
    show = src.execute("SHOW STREAMS LIKE 'S'").dicts()
    assert show[0]["stale"] == "true"
    src.execute("CREATE OR REPLACE STREAM S ON TABLE SRC")
    src.execute("INSERT INTO SRC VALUES (1, 'fresh')")
    assert changes(src, "S") == [(1, "fresh", "INSERT", False)]


def test_renaming_the_source_table_is_harmless(src):
    """§1.1: renaming the source table is harmless: the stream keeps its pending changes and tracks the table."""
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    src.execute("ALTER TABLE SRC RENAME TO SRC_RENAMED")
    assert changes(src, "S") == [(10, "x", "INSERT", False)]
    src.execute("INSERT INTO SRC_RENAMED VALUES (11, 'y')")
    assert changes(src, "S") == [(10, "x", "INSERT", False), (11, "y", "INSERT", False)]


# --- §1.6 SYSTEM$STREAM_HAS_DATA ----------------------------------------------------------------------


def test_stream_has_data_follows_pending_changes_and_never_consumes(src):
    """§1.6 / §6.5: SYSTEM$STREAM_HAS_DATA('db.schema.stream') is FALSE with nothing pending, TRUE once a change
    is committed, never advances the offset, and FALSE again after a consuming DML."""
    name = "TESTDB.PUBLIC.S"
    assert has_data(src, name) is False
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    assert has_data(src, name) is True
    assert has_data(src, name) is True
    assert changes(src, "S") == [(10, "x", "INSERT", False)]
    assert has_data(src, "S") is True  # unqualified name, resolved in the session's schema
    src.execute("INSERT INTO SINK SELECT ID, V FROM S")
    assert has_data(src, name) is False


def test_stream_has_data_never_gives_a_false_negative_for_each_kind_of_change(src):
    """§1.6: no false negatives: an update or a delete alone makes it TRUE."""
    name = "TESTDB.PUBLIC.S"
    src.execute("UPDATE SRC SET V = 'u' WHERE ID = 1")
    assert has_data(src, name) is True
    src.execute("INSERT INTO SINK SELECT ID, V FROM S WHERE 1 = 0")
    src.execute("DELETE FROM SRC WHERE ID = 2")
    assert has_data(src, name) is True


def test_stream_has_data_on_unknown_stream_raises(src):
    """§1.6: the argument names an existing stream; an unknown one is an error (002003-style)."""
    with pytest.raises(SnowflakeError):
        src.execute("SELECT SYSTEM$STREAM_HAS_DATA('TESTDB.PUBLIC.NO_SUCH_STREAM')")


def test_stream_has_data_inside_a_transaction_sees_the_transaction_snapshot(src):
    """§1.4 / §1.6: inside BEGIN the function answers for the same snapshot the stream reads return."""
    src.execute("BEGIN")
    src.execute("INSERT INTO SRC VALUES (10, 'x')")
    assert changes(src, "S") == []
    src.execute("COMMIT")
    assert has_data(src, "TESTDB.PUBLIC.S") is True


# --- §1.7 SHOW STREAMS ---------------------------------------------------------------------------------

SHOW_STREAMS_COLUMNS = [
    "created_on", "name", "database_name", "schema_name", "owner", "comment", "table_name", "source_type",
    "base_tables", "type", "stale", "mode", "stale_after", "invalid_reason", "owner_role_type",
]  # fmt: skip


def test_show_streams_columns_exactly(src):
    """§1.7 / §6.11: SHOW STREAMS has exactly Snowflake's columns, in order."""
    src.execute("CREATE STREAM AO ON TABLE SRC APPEND_ONLY = TRUE COMMENT = 'inserts only'")
    r = src.execute("SHOW STREAMS")
    assert r.columns == SHOW_STREAMS_COLUMNS
    rows = {d["name"]: d for d in r.dicts()}
    assert set(rows) == {"S", "AO"}
    s_row, ao = rows["S"], rows["AO"]
    assert (s_row["database_name"], s_row["schema_name"]) == ("TESTDB", "PUBLIC")
    assert s_row["table_name"] == "TESTDB.PUBLIC.SRC"
    assert s_row["type"] == "DELTA"
    assert s_row["stale"] == "false"
    assert s_row["mode"] == "DEFAULT"
    assert ao["mode"] == "APPEND_ONLY"
    assert ao["comment"] == "inserts only"
    assert isinstance(s_row["created_on"], dt.datetime)


def test_show_streams_like_and_in_schema(src):
    """§1.7: SHOW STREAMS LIKE '<pattern>' and IN SCHEMA filter like Snowflake's SHOW."""
    src.execute("CREATE SCHEMA OTHER")
    src.execute("CREATE TABLE OTHER.T (A INT)")
    src.execute("CREATE STREAM OTHER.S_OTHER ON TABLE OTHER.T")
    assert [d["name"] for d in src.execute("SHOW STREAMS LIKE 's_oth%' IN SCHEMA TESTDB.OTHER").dicts()] == ["S_OTHER"]
    assert [d["name"] for d in src.execute("SHOW STREAMS IN SCHEMA TESTDB.PUBLIC").dicts()] == ["S"]


def test_show_terse_streams_columns(src):
    """§1.7: SHOW TERSE STREAMS returns created_on, name, kind, database_name, schema_name, tableOn."""
    r = src.execute("SHOW TERSE STREAMS")
    assert r.columns == ["created_on", "name", "kind", "database_name", "schema_name", "tableOn"]
    # show-streams: kind is the full set's `type` renamed (DELTA), tableOn its `table_name`
    # (https://docs.snowflake.com/en/sql-reference/sql/show-streams)
    (terse,) = r.dicts()
    (full,) = src.execute("SHOW STREAMS").dicts()
    assert (terse["kind"], terse["tableOn"]) == (full["type"], full["table_name"]) == ("DELTA", "TESTDB.PUBLIC.SRC")


# --- §1.5 staleness on an injectable clock ---------------------------------------------------------------


def test_stale_after_is_last_consumption_plus_fourteen_days(clocked_session, clock):
    """§1.5: STALE_AFTER = last consumption + max(retention 1 day, MAX_DATA_EXTENSION 14 days) = 14 days,
    and it moves forward when the stream is consumed."""
    s = clocked_session
    s.execute("CREATE TABLE T (ID INT)")
    s.execute("CREATE STREAM ST ON TABLE T")
    created = clock.now
    assert s.execute("SHOW STREAMS LIKE 'ST'").dicts()[0]["stale_after"] == created + dt.timedelta(days=14)
    clock.advance(days=3)
    s.execute("INSERT INTO T VALUES (1)")
    s.execute("CREATE TABLE SINK (ID INT)")
    s.execute("INSERT INTO SINK SELECT ID FROM ST")
    row = s.execute("SHOW STREAMS LIKE 'ST'").dicts()[0]
    assert row["stale_after"] == clock.now + dt.timedelta(days=14)
    assert row["stale"] == "false"


def test_stream_unconsumed_past_stale_after_is_stale_and_reading_raises(clocked_session, clock):
    """§1.5 / §6.10: once STALE_AFTER has passed the stream may be stale; the emulator drives this from its
    clock: SHOW STREAMS says stale and reading it raises an error."""
    s = clocked_session
    s.execute("CREATE TABLE T (ID INT)")
    s.execute("CREATE STREAM ST ON TABLE T")
    s.execute("INSERT INTO T VALUES (1)")
    clock.advance(days=15)
    assert s.execute("SHOW STREAMS LIKE 'ST'").dicts()[0]["stale"] == "true"
    with pytest.raises(SnowflakeError):
        s.execute("SELECT * FROM ST")


def test_stream_has_data_returning_false_keeps_the_stream_from_going_stale(clocked_session, clock):
    """§1.5 / §6.10: a SYSTEM$STREAM_HAS_DATA call that returns FALSE keeps the stream from going stale:
    of two idle streams created together, the one checked at day 10 is still fresh at day 20, the other stale."""
    s = clocked_session
    s.execute("CREATE TABLE T (ID INT)")
    s.execute("CREATE STREAM CHECKED ON TABLE T")
    s.execute("CREATE STREAM IDLE ON TABLE T")
    clock.advance(days=10)
    assert has_data(s, "TESTDB.PUBLIC.CHECKED") is False
    clock.advance(days=10)  # 20 days after creation, 10 after the check
    stale = {d["name"]: d["stale"] for d in s.execute("SHOW STREAMS").dicts()}
    assert stale == {"CHECKED": "false", "IDLE": "true"}
    assert changes(s, "CHECKED") == []
    with pytest.raises(SnowflakeError):
        s.execute("SELECT * FROM IDLE")
