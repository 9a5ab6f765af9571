"""caves.sqlscript: the one reader of Snowflake scripts (statements, Scripting blocks, exception handlers)."""

from __future__ import annotations

import pytest

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
