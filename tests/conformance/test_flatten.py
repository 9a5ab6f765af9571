"""FLATTEN: OUTER, RECURSIVE, MODE and SEQ, as the FLATTEN reference page documents them (caves/local/flatten.py).

(The page's TABLE(FLATTEN(<constant>)) examples are in test_semi_structured.py.)
"""

from __future__ import annotations

import pytest

from .cases import J, ids, ok, refused, run_case

FLATTEN = "https://docs.snowflake.com/en/sql-reference/functions/flatten"

_PERSONS = (
    "CREATE OR REPLACE TABLE persons AS SELECT column1 AS id, PARSE_JSON(column2) AS c FROM VALUES "
    '(12712555, \'{"name": {"first": "John", "last": "Smith"}, "contact": [{"business": ['
    '{"type": "phone", "content": "555-1234"}, {"type": "email", "content": "j.smith@example.com"}]}]}\'), '
    '(98127771, \'{"name": {"first": "Jane", "last": "Doe"}, "contact": [{"business": ['
    '{"type": "phone", "content": "555-1236"}, {"type": "email", "content": "j.doe@example.com"}]}]}\') v',
)
_SMITH = {"business": [{"type": "phone", "content": "555-1234"}, {"type": "email", "content": "j.smith@example.com"}]}
_DOE = {"business": [{"type": "phone", "content": "555-1236"}, {"type": "email", "content": "j.doe@example.com"}]}
_TAGS = (
    "CREATE OR REPLACE TABLE tagged (id INT, tags VARIANT)",
    'INSERT INTO tagged SELECT 1, PARSE_JSON(\'["x", "y"]\')',
    "INSERT INTO tagged SELECT 2, PARSE_JSON('[]')",
    "INSERT INTO tagged (id) VALUES (3)",
)

CASES = [
    # the page's LATERAL example: two FLATTENs, the second over the first's VALUE (rows in no stated order)
    ok(FLATTEN, 'SELECT id AS "ID", f.value AS "Contact", f1.value:type AS "Type", f1.value:content AS "Details" '
       "FROM persons p, LATERAL FLATTEN(INPUT => p.c, PATH => 'contact') f, LATERAL FLATTEN(INPUT => f.value:business) f1",
       (12712555, J(_SMITH), J("phone"), J("555-1234")), (12712555, J(_SMITH), J("email"), J("j.smith@example.com")),
       (98127771, J(_DOE), J("phone"), J("555-1236")), (98127771, J(_DOE), J("email"), J("j.doe@example.com")),
       setup=_PERSONS, ordered=False, columns=["ID", "Contact", "Type", "Details"]),
    # OUTER => FALSE (the default) omits the rows that expand to nothing; OUTER => TRUE keeps one, with NULL
    # KEY, INDEX and VALUE ("exactly one row is generated for zero-row expansions")
    ok(FLATTEN, "SELECT t.id, f.value FROM tagged t, LATERAL FLATTEN(INPUT => t.tags) f ORDER BY t.id, f.index",
       (1, J("x")), (1, J("y")), setup=_TAGS),
    ok(FLATTEN, "SELECT t.id, f.key, f.index, f.value FROM tagged t, LATERAL FLATTEN(INPUT => t.tags, OUTER => TRUE) f "
       "ORDER BY t.id, f.index", (1, None, 0, J("x")), (1, None, 1, J("y")), (2, None, None, None), (3, None, None, None),
       setup=_TAGS),
    ok(FLATTEN, "SELECT f.path, f.value FROM TABLE(FLATTEN(INPUT => PARSE_JSON('{\"a\": 1}'), PATH => 'b', OUTER => TRUE)) f",
       ("b", None)),
    ok(FLATTEN, "SELECT COUNT(*) FROM TABLE(FLATTEN(INPUT => PARSE_JSON('{\"a\": 1}'), PATH => 'b')) f", (0,)),
    # SEQ: one number per input record (unique; not gap-free or ordered): the same for the elements of one row
    ok(FLATTEN, "SELECT COUNT(DISTINCT f.seq), COUNT(*) FROM tagged t, LATERAL FLATTEN(INPUT => t.tags, OUTER => TRUE) f",
       (3, 4), setup=_TAGS),
    ok(FLATTEN, "SELECT COUNT(DISTINCT f.seq) FROM tagged t, LATERAL FLATTEN(INPUT => t.tags) f GROUP BY t.id", (1,),
       setup=_TAGS),
    ok(FLATTEN, "SELECT COUNT(DISTINCT seq) FROM persons p, LATERAL FLATTEN(INPUT => p.c:contact[0]:business) f",
       (2,), setup=_PERSONS),
    ok(FLATTEN, "SELECT id, key, path FROM persons p, LATERAL FLATTEN(INPUT => p.c:name) f WHERE id = 98127771 "
       "ORDER BY key", (98127771, "first", "first"), (98127771, "last", "last"), setup=_PERSONS),
    # RECURSIVE => TRUE with MODE => 'ARRAY': only arrays are descended into
    ok(FLATTEN, "SELECT path, index, value FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[1, [2, {\"x\": 3}]]'), "
       "RECURSIVE => TRUE, MODE => 'ARRAY')) f",
       ("[0]", 0, J(1)), ("[1]", 1, J([2, {"x": 3}])), ("[1][0]", 0, J(2)), ("[1][1]", 1, J({"x": 3}))),
    ok(FLATTEN, "SELECT t.id, f.path FROM tagged t, LATERAL FLATTEN(INPUT => PARSE_JSON('{\"k\": [1]}'), "
       "RECURSIVE => TRUE) f WHERE t.id = 1 ORDER BY f.path", (1, "k"), (1, "k[0]"), setup=_TAGS),
    # SEQ of a FLATTEN whose input record is a row of a join (here of two FLATTENs): no number is kept, refused
    refused(FLATTEN, "SELECT f1.seq FROM persons p, LATERAL FLATTEN(INPUT => p.c, PATH => 'contact') f, "
            "LATERAL FLATTEN(INPUT => f.value:business) f1", setup=_PERSONS),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
