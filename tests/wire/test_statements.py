"""caves/wire/statements.py: what the server reads of a statement (its kind, its statements, its binds).

Statement type ids are Snowflake's (snowflake-connector-python ``STATEMENT_TYPE_ID_*``): clients read a DML
statement's row counts, and a query's result set. MULTI_STATEMENT_COUNT:
https://docs.snowflake.com/en/sql-reference/parameters#multi-statement-count.
"""

from __future__ import annotations

import pytest

from caves.wire import statements as st


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("select 1", st.SELECT),
        ("-- a comment\n  WITH x AS (select 1) select * from x", st.SELECT),
        ("(select 1)", st.SELECT),
        ("insert into t values (1)", st.INSERT),
        ("insert all into t values (1) select 1", st.MULTI_INSERT),
        ("update t set a = 1", st.UPDATE),
        ("delete from t", st.DELETE),
        ("merge into t using s on t.a = s.a when matched then delete", st.MERGE),
        ("create table t (a int)", st.DDL),
        ("alter task t resume", st.DDL),
        ("alter session set timezone = 'UTC'", st.ALTER_SESSION),
        ("use schema d.s", st.USE),
        ("show tasks", st.SHOW),
        ("begin", st.BEGIN),
        ("begin transaction", st.BEGIN),
        ("commit", st.COMMIT),
        ("rollback", st.ROLLBACK),
        ("execute task t", st.UNKNOWN),
        ("begin let x := 1; return x; end", st.UNKNOWN),  # a Scripting block, not a transaction
    ],
)
def test_statement_type(sql: str, kind: int) -> None:
    assert st.statement_type(sql) == kind


def test_binds_are_shared_out_to_the_statements_of_a_request() -> None:
    texts = st.split("insert into t values (?, '?'); select 1; -- ?\nselect ? + ?")
    assert len(texts) == 3
    assert st.distribute(texts, [1, 2, 3]) == [[1], None, [2, 3]]  # '?' in a string or a comment is no bind


def test_statements_the_server_answers_itself() -> None:
    assert st.result_scan_target("SELECT * FROM TABLE(RESULT_SCAN('01b2-x'))") == "01b2-x"
    assert st.result_scan_target("select * from table(result_scan(last_query_id()))") == "LAST"
    assert st.result_scan_target("select * from t") is None
    assert st.autocommit_setting("ALTER SESSION SET AUTOCOMMIT = FALSE") is False
    assert st.autocommit_setting("alter session set autocommit=true") is True
    assert st.multi_statement_count_setting("alter session set MULTI_STATEMENT_COUNT = 0") == 0
    assert st.autocommit_setting("alter session set timezone = 'UTC'") is None
