"""What the local engine answers as Snowflake would, or refuses — never answers wrong ([Fidelity]).

- https://docs.snowflake.com/en/sql-reference/constructs/changes (SNOWFLAKE_SEMANTICS.md §1.8): the CHANGES clause
  returns a table's change records since a point, with the stream metadata columns, and never consumes a stream;
  INFORMATION => DEFAULT gives the net change, APPEND_ONLY the inserted rows only.
- https://docs.snowflake.com/en/sql-reference/constructs/at-before (time travel) and
  https://docs.snowflake.com/en/sql-reference/constructs/sample: the engine keeps no table history and does not
  sample, so it refuses them instead of returning the current, whole table.
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
        ("SELECT * FROM T AT(OFFSET => -60)", "time travel"),
        ("SELECT * FROM T BEFORE(STATEMENT => '01a2b3c4-0000-0000-0000-000000000000')", "time travel"),
        ("SELECT * FROM T AT(TIMESTAMP => '2026-01-01'::TIMESTAMP_NTZ)", "time travel"),
        ("SELECT * FROM T CHANGES(INFORMATION => DEFAULT) AT(OFFSET => -60)", "CHANGES"),
        ("SELECT * FROM T CHANGES(INFORMATION => DEFAULT) AT(STREAM => 'S') END(OFFSET => -10)", "CHANGES"),
        ("SELECT * FROM T SAMPLE (50)", "row sampling"),
        ("SELECT * FROM T TABLESAMPLE (0)", "row sampling"),
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


def test_truncate_is_dml_for_streams_and_insert_overwrite_is_refused(session):
    """https://docs.snowflake.com/en/sql-reference/sql/truncate-table: TRUNCATE empties the table and a standard
    stream records its rows as deleted, while an append-only stream keeps the rows inserted since its offset;
    INSERT OVERWRITE is not emulated and says so."""
    session.execute("CREATE TABLE T (A INT)")
    session.execute("INSERT INTO T VALUES (1)")
    session.execute("CREATE STREAM S ON TABLE T")
    session.execute("CREATE STREAM SA ON TABLE T APPEND_ONLY = TRUE")
    session.execute("INSERT INTO T VALUES (2)")
    session.execute("TRUNCATE TABLE T")
    assert session.execute("SELECT COUNT(*) FROM T").scalar() == 0
    assert session.execute("SELECT A, METADATA$ACTION FROM S").rows == [(1, "DELETE")]
    assert session.execute("SELECT A FROM SA").rows == [(2,)]
    with pytest.raises(SnowflakeError, match="Unsupported statement in the local engine: INSERT OVERWRITE"):
        session.execute("INSERT OVERWRITE INTO T SELECT 3")
