"""caves.sqlscript: the one reader of Snowflake scripts (statements, Scripting blocks, exception handlers)."""

from __future__ import annotations

import pytest

from caves import sqlscript
from caves.sqlscript import parse_block, statement_texts

HANDLED = """BEGIN
  BEGIN TRANSACTION;
  INSERT INTO T SELECT CASE WHEN A THEN 1 ELSE 2 END FROM S;
  IF (X > 1) THEN UPDATE T SET Y = 1; END IF;
  COMMIT;
EXCEPTION
  WHEN STATEMENT_ERROR OR EXPRESSION_ERROR THEN
    INSERT INTO LOG SELECT CASE WHEN 1 = 1 THEN 'a' END;
    RAISE;
  WHEN OTHER THEN
    ROLLBACK;
    RAISE;
END"""


def test_a_block_gives_its_statements_and_each_handler():
    """Snowflake Scripting: the block's statements run in order; EXCEPTION WHEN a OR b THEN ... names one
    handler for several exceptions; a CASE's WHEN inside a statement or a handler is not a handler clause."""
    block = parse_block(HANDLED + ";")
    assert block is not None
    assert block.statements == [
        "BEGIN TRANSACTION",
        "INSERT INTO T SELECT CASE WHEN A THEN 1 ELSE 2 END FROM S",
        "IF (X > 1) THEN UPDATE T SET Y = 1; END IF",
        "COMMIT",
    ]
    assert block.handlers == {
        "STATEMENT_ERROR": ["INSERT INTO LOG SELECT CASE WHEN 1 = 1 THEN 'a' END", "RAISE"],
        "EXPRESSION_ERROR": ["INSERT INTO LOG SELECT CASE WHEN 1 = 1 THEN 'a' END", "RAISE"],
        "OTHER": ["ROLLBACK", "RAISE"],
    }


@pytest.mark.parametrize("text", ["BEGIN TRANSACTION", "BEGIN WORK", "BEGIN", "select 1", "BEGIN; SELECT 1; END"])
def test_what_is_not_a_block(text):
    """BEGIN [TRANSACTION|WORK] starts a transaction, not a block; a plain statement is not a block."""
    assert parse_block(text) is None


def test_scripting_loops_and_ifs_are_one_statement_each():
    """Inside a block, IF (...) THEN ...; END IF and the loops (FOR ... DO|LOOP, WHILE, LOOP, REPEAT) hold
    their inner statements; DDL's IF NOT EXISTS opens nothing."""
    block = parse_block(
        "BEGIN CREATE TABLE IF NOT EXISTS T (A INT); "
        "FOR I IN 1 TO 3 DO INSERT INTO T VALUES (1); END FOR; "
        "WHILE (X < 3) LOOP X := X + 1; END LOOP; "
        "REPEAT X := X - 1; UNTIL (X = 0) END REPEAT; "
        "LOOP BREAK; END LOOP; SELECT 1; END"
    )
    assert block is not None
    assert block.statements == [
        "CREATE TABLE IF NOT EXISTS T (A INT)",
        "FOR I IN 1 TO 3 DO INSERT INTO T VALUES (1); END FOR",
        "WHILE (X < 3) LOOP X := X + 1; END LOOP",
        "REPEAT X := X - 1; UNTIL (X = 0) END REPEAT",
        "LOOP BREAK; END LOOP",
        "SELECT 1",
    ]


def test_nested_blocks_and_a_block_without_handler():
    block = parse_block("BEGIN INSERT INTO A VALUES (1); BEGIN INSERT INTO B VALUES (2); END; END")
    assert block is not None and block.handlers == {}
    assert block.statements == ["INSERT INTO A VALUES (1)", "BEGIN INSERT INTO B VALUES (2); END"]


def test_statements_keep_semicolons_inside_strings_and_dollar_bodies():
    text = "select ';' as A; create task T as $$select 1; select 2$$; -- done\nselect 3"
    assert statement_texts(text) == ["select ';' as A", "create task T as $$select 1; select 2$$", "select 3"]


# Splitting (moved from test_dag.py)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("select 1; select 2;", ["select 1", "select 2"]),
        ("select ';' as a; select 'it''s; fine'", ["select ';' as a", "select 'it''s; fine'"]),
        ("select $$ a; b $$; select 2", ["select $$ a; b $$", "select 2"]),
        ("-- a; comment\nselect 1 -- trailing; comment\n; /* x; y */ select 2", ["select 1", "select 2"]),
        ("select case when a then ';' end from t; select 2", ["select case when a then ';' end from t", "select 2"]),
        (
            "create task t as begin begin transaction; insert into x select case when 1 = 1 then 2 end; commit; "
            "exception when other then rollback; raise; end; select 3",
            [
                "create task t as begin begin transaction; insert into x select case when 1 = 1 then 2 end; commit; "
                "exception when other then rollback; raise; end",
                "select 3",
            ],
        ),
        (
            "execute immediate $$ declare x int; begin if (x > 1) then return 1; end if; end; $$; select 4",
            ["execute immediate $$ declare x int; begin if (x > 1) then return 1; end if; end; $$", "select 4"],
        ),
        (
            "begin let n := 1; if (n = 1) then select 1; end if; for i in 1 to 2 do select 2; end for; end; select 5",
            [
                "begin let n := 1; if (n = 1) then select 1; end if; for i in 1 to 2 do select 2; end for; end",
                "select 5",
            ],
        ),
        ("begin transaction; commit; begin; rollback", ["begin transaction", "commit", "begin", "rollback"]),
        ("select 1", ["select 1"]),
        ("  \n-- only a comment\n", []),
    ],
)
def test_split_statements(text, expected):
    assert [sql for _, sql in sqlscript.split_statements(text)] == expected


def test_split_reports_line_numbers():
    assert [line for line, _ in sqlscript.split_statements("\n\nselect 1;\n-- c\nselect\n 2;")] == [3, 5]
