"""String, numeric and conditional functions: Snowflake's documented examples (one case per query or result row)."""

from __future__ import annotations

import pytest

from .cases import ids, ok, run_case

_DOCS = "https://docs.snowflake.com/en/sql-reference/functions/"
SPLIT_PART = _DOCS + "split_part"
REPLACE = _DOCS + "replace"
LPAD = _DOCS + "lpad"
INITCAP = _DOCS + "initcap"
ROUND = _DOCS + "round"
IFF = _DOCS + "iff"
DECODE = _DOCS + "decode"
REGEXP_SUBSTR = _DOCS + "regexp_substr"
TRIM = _DOCS + "trim"
NVL2 = _DOCS + "nvl2"
COALESCE = _DOCS + "coalesce"
CEIL = _DOCS + "ceil"

_REPLACE_TABLE = (
    "CREATE OR REPLACE TABLE replace_example(subject VARCHAR(10), pattern VARCHAR(10), replacement VARCHAR(10))",
    "INSERT INTO replace_example VALUES ('old car', 'old car', 'new car'), ('sad face', 'sad', 'happy'), "
    "('snowman', 'snow', 'fire')",
)
_LPAD_IDS = (
    "CREATE OR REPLACE TABLE demo_lpad_ids (id VARCHAR)",
    "INSERT INTO demo_lpad_ids VALUES ('5'), ('50'), ('500')",
)
_PADDING = (
    "CREATE OR REPLACE TABLE padding_example (v VARCHAR)",
    "INSERT INTO padding_example (v) SELECT 'Hi'",
    "INSERT INTO padding_example (v) SELECT '-123.00'",
    "INSERT INTO padding_example (v) SELECT 'Twelve Dollars'",
)
_ROUND_TABLE = (
    "CREATE OR REPLACE TABLE test_ceiling (n FLOAT, scale INTEGER)",
    "INSERT INTO test_ceiling (n, scale) VALUES (-975.975, -1), (-975.975, 0), (-975.975, 2), (135.135, -2), "
    "(135.135, 0), (135.135, 1), (135.135, 3), (135.135, 50), (135.135, NULL)",
)
_DEMO2 = (
    "CREATE OR REPLACE TABLE demo2 (id INT, string1 VARCHAR)",
    "INSERT INTO demo2 (id, string1) VALUES (2, 'It was the best of times, it was the worst of times.'), "
    "(3, 'In    the   string   the   extra   spaces  are   redundant.'), (4, 'A thespian theater is nearby.')",
)
_AMAN = (
    "CREATE OR REPLACE TABLE test_regexp_substr (string1 VARCHAR)",
    "INSERT INTO test_regexp_substr (string1) VALUES ('A MAN A PLAN A CANAL')",
)
_MESSAGE = (
    "CREATE OR REPLACE TABLE message(body VARCHAR(255))",
    "INSERT INTO message VALUES ('Hellooo World'), ('How are you doing today?'), "
    "('the quick brown fox jumps over the lazy dog'), ('PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS')",
)
_MESSAGES = ["Hellooo World", "How are you doing today?", "the quick brown fox jumps over the lazy dog",
             "PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS"]  # fmt: skip
_DECODE_TABLE = ("CREATE OR REPLACE TABLE d (column1 INTEGER)", "INSERT INTO d (column1) VALUES (1), (2), (NULL), (4)")

CASES = [
    # SPLIT_PART: one case per documented part number
    *[
        ok(SPLIT_PART, f"SELECT SPLIT_PART('11.22.33', '.', {n})", (part,))
        for n, part in [(0, "11"), (1, "11"), (2, "22"), (3, "33"), (4, ""), (-1, "33"), (-2, "22"), (-3, "11"), (-4, "")]
    ],
    ok(SPLIT_PART, "SELECT SPLIT_PART('127.0.0.1', '.', 1) AS first_part, SPLIT_PART('127.0.0.1', '.', -1) AS last_part",
       ("127", "1")),
    ok(SPLIT_PART, "SELECT SPLIT_PART('aaa--bbb-BBB--ccc', '--', 2) AS multi_character_delimiter", ("bbb-BBB",)),
    *[
        ok(SPLIT_PART, f"SELECT SPLIT_PART('user@snowflake.com', '', {n})", (part,))
        for n, part in [(1, "user@snowflake.com"), (-1, "user@snowflake.com"), (2, ""), (-2, "")]
    ],
    # REPLACE
    ok(REPLACE, "SELECT REPLACE('down', 'down', 'up')", ("up",)),
    ok(REPLACE, "SELECT REPLACE('Vacation in Athens', 'Athens', 'Rome')", ("Vacation in Rome",)),
    ok(REPLACE, "SELECT REPLACE('abcd', 'bc')", ("ad",)),
    ok(REPLACE, "SELECT subject, pattern, replacement, REPLACE(subject, pattern, replacement) AS new FROM replace_example "
       "ORDER BY subject",
       ("old car", "old car", "new car", "new car"), ("sad face", "sad", "happy", "happy face"),
       ("snowman", "snow", "fire", "fireman"), setup=_REPLACE_TABLE),
    # LPAD
    ok(LPAD, "SELECT id, LPAD(id, 8, '0') AS padded_ids FROM demo_lpad_ids ORDER BY id",
       ("5", "00000005"), ("50", "00000050"), ("500", "00000500"), setup=_LPAD_IDS),
    ok(LPAD, "SELECT v, LPAD(v, 10, ' ') AS pad_with_blank, LPAD(v, 10, '$') AS pad_with_dollar_sign FROM padding_example "
       "ORDER BY v",
       ("-123.00", "   -123.00", "$$$-123.00"), ("Hi", "        Hi", "$$$$$$$$Hi"),
       ("Twelve Dollars", "Twelve Dol", "Twelve Dol"), setup=_PADDING),
    ok(LPAD, "SELECT LPAD('123.50', 19, '*_')", ("*_*_*_*_*_*_*123.50",)),
    # INITCAP (the default delimiters)
    *[
        ok(INITCAP, f"SELECT INITCAP('{text}')", (want,))
        for text, want in [
            ("The Quick Gray Fox", "The Quick Gray Fox"),
            ("the sky is blue", "The Sky Is Blue"),
            ("OVER the River 2 Times", "Over The River 2 Times"),
            ("WE CAN HANDLE THIS", "We Can Handle This"),
            ("HelL0_hi+therE", "Hell0_Hi+There"),
            ("Hi,are?you!there", "Hi,Are?You!There"),
            ("to je dobré", "To Je Dobré"),
            ("νησί του ποταμού", "Νησί Του Ποταμού"),
            ("ÄäÖößÜü", "Ääöößüü"),
            ("ĄąĆ ćĘęŁ łŃńÓ óŚśŹźŻż", "Ąąć Ćęęł Łńńó Óśśźźżż"),
        ]
    ],
    ok(INITCAP, "SELECT INITCAP('this is the new Frame+work', '') AS initcap_result", ("This is the new frame+work",)),
    ok(INITCAP, "SELECT INITCAP('iqamqinterestedqinqthisqtopic','q') AS initcap_result", ("IqAmqInterestedqInqThisqTopic",)),
    ok(INITCAP, "SELECT INITCAP('lion☂fRog potato⨊cLoUD', '⨊☂') AS initcap_result", ("Lion☂Frog potato⨊Cloud",)),
    ok(INITCAP, "SELECT INITCAP('apple is僉sweetandballIsROUND', '僉a b') AS initcap_result", ("aPple Is僉SweetaNdbaLlisround",)),
    # ROUND
    ok(ROUND, "SELECT ROUND(135.135), ROUND(-975.975)", (135, -976)),
    *[
        ok(ROUND, f"SELECT n, scale, ROUND(n, scale) FROM test_ceiling WHERE n = {n} AND scale IS NOT DISTINCT FROM {sc}",
           (n, None if sc == "NULL" else int(sc), want), setup=_ROUND_TABLE)
        for n, sc, want in [
            (-975.975, "-1", -980), (-975.975, "0", -976), (-975.975, "2", -975.98), (135.135, "-2", 100),
            (135.135, "0", 135), (135.135, "1", 135.1), (135.135, "3", 135.135), (135.135, "50", 135.135),
            (135.135, "NULL", None),
        ]
    ],
    ok(ROUND, "SELECT ROUND(2.5, 0), ROUND(2.5, 0, 'HALF_TO_EVEN')", (3, 2)),
    ok(ROUND, "SELECT ROUND(-2.5, 0), ROUND(-2.5, 0, 'HALF_TO_EVEN')", (-3, -2)),
    # IFF
    ok(IFF, "SELECT IFF(TRUE, 'true', 'false')", ("true",)),
    ok(IFF, "SELECT IFF(FALSE, 'true', 'false')", ("false",)),
    ok(IFF, "SELECT IFF(NULL, 'true', 'false')", ("false",)),
    ok(IFF, "SELECT IFF(TRUE, NULL, 'false')", (None,)),
    ok(IFF, "SELECT value, IFF(value::INT = value, 'integer', 'non-integer') FROM ( SELECT column1 AS value "
       "FROM VALUES(1.0), (1.1), (-3.1415), (-5.000), (NULL) ) ORDER BY value DESC",
       (None, "non-integer"), (1.1, "non-integer"), (1.0, "integer"), (-3.1415, "non-integer"), (-5.0, "integer")),
    ok(IFF, "SELECT value, IFF(value > 50, 'High', 'Low') FROM ( SELECT column1 AS value FROM VALUES(22), (63), (5), (99), (NULL) )",
       (22, "Low"), (63, "High"), (5, "Low"), (99, "High"), (None, "Low"), ordered=False),
    # REGEXP_SUBSTR
    ok(REGEXP_SUBSTR, "SELECT id, REGEXP_SUBSTR(string1, 'the\\\\W+\\\\w+') AS result FROM demo2 ORDER BY id",
       (2, "the best"), (3, "the   string"), (4, None), setup=_DEMO2),
    ok(REGEXP_SUBSTR, "SELECT id, REGEXP_SUBSTR(string1, 'the\\\\W+\\\\w+', 1, 2) AS result FROM demo2 ORDER BY id",
       (2, "the worst"), (3, "the   extra"), (4, None), setup=_DEMO2),
    ok(REGEXP_SUBSTR, "SELECT id, REGEXP_SUBSTR(string1, 'the\\\\W+(\\\\w+)', 1, 2, 'e', 1) AS result FROM demo2 ORDER BY id",
       (2, "worst"), (3, "extra"), (4, None), setup=_DEMO2),
    *[
        ok(REGEXP_SUBSTR, f"SELECT REGEXP_SUBSTR(string1, 'A\\\\W+(\\\\w+)', 1, {n}, 'e', 1) FROM test_regexp_substr",
           (want,), setup=_AMAN)
        for n, want in [(1, "MAN"), (2, "PLAN"), (3, "CANAL"), (4, None)]
    ],
    *[
        ok(REGEXP_SUBSTR, f"SELECT REGEXP_SUBSTR(string1, 'A\\\\W+(\\\\w)(\\\\w)(\\\\w)', 1, 1, 'e', {g}) FROM test_regexp_substr",
           (want,), setup=_AMAN)
        for g, want in [(1, "M"), (2, "A"), (3, "N")]
    ],
    ok(REGEXP_SUBSTR, "SELECT body, REGEXP_SUBSTR(body, '\\\\b\\\\S*o\\\\S*\\\\b') AS result FROM message",
       *zip(_MESSAGES, ["Hellooo", "How", "brown", None], strict=True), setup=_MESSAGE, ordered=False),
    ok(REGEXP_SUBSTR, "SELECT body, REGEXP_SUBSTR(body, '\\\\b\\\\S*o\\\\S*\\\\b', 3) AS result FROM message",
       *zip(_MESSAGES, ["llooo", "you", "brown", None], strict=True), setup=_MESSAGE, ordered=False),
    ok(REGEXP_SUBSTR, "SELECT body, REGEXP_SUBSTR(body, '\\\\b\\\\S*o\\\\S*\\\\b', 3, 3) AS result FROM message",
       *zip(_MESSAGES, [None, "today", "over", None], strict=True), setup=_MESSAGE, ordered=False),
    ok(REGEXP_SUBSTR, "SELECT body, REGEXP_SUBSTR(body, '\\\\b\\\\S*o\\\\S*\\\\b', 3, 3, 'i') AS result FROM message",
       *zip(_MESSAGES, [None, "today", "over", "LIQUOR"], strict=True), setup=_MESSAGE, ordered=False),
    ok(REGEXP_SUBSTR, "SELECT body, REGEXP_SUBSTR(body, '(H\\\\S*o\\\\S*\\\\b).*', 1, 1, '') AS result FROM message",
       *zip(_MESSAGES, ["Hellooo World", "How are you doing today?", None, None], strict=True), setup=_MESSAGE, ordered=False),
    # TRIM
    ok(TRIM, "SELECT '*-*ABC-*-' AS original, TRIM('*-*ABC-*-', '*-') AS trimmed", ("*-*ABC-*-", "ABC")),
    ok(TRIM, "SELECT CONCAT('>', CONCAT('ABC\\n', '<')) AS original, CONCAT('>', CONCAT(TRIM('ABC\\n', '\\n'), '<')) AS trimmed",
       (">ABC\n<", ">ABC<")),
    ok(TRIM, "SELECT CONCAT('>', CONCAT(column1, '<')) AS original_values, CONCAT('>', CONCAT(TRIM(column1), '<')) AS trimmed_values "
       "FROM test_trim_function",
       (">  Leading Spaces<", ">Leading Spaces<"), (">Trailing Spaces  <", ">Trailing Spaces<"), (None, None),
       setup=("CREATE OR REPLACE TABLE test_trim_function(column1 VARCHAR)",
              "INSERT INTO test_trim_function VALUES ('  Leading Spaces'), ('Trailing Spaces  '), (NULL)"), ordered=False),
    # NVL2: one case per documented row of table i2
    *[
        ok(NVL2, f"SELECT a, b, c, NVL2(a, b, c) FROM i2 WHERE a IS NOT DISTINCT FROM {a} AND b IS NOT DISTINCT FROM {b} "
           f"AND c IS NOT DISTINCT FROM {c}", (ra, rb, rc, want),
           setup=("CREATE OR REPLACE TABLE i2 (a INT, b INT, c INT)",
                  "INSERT INTO i2 VALUES (0, 5, 3), (0, 5, NULL), (0, NULL, 3), (0, NULL, NULL), (NULL, 5, 3), "
                  "(NULL, 5, NULL), (NULL, NULL, 3), (NULL, NULL, NULL)"))
        for (a, b, c), (ra, rb, rc, want) in [
            (("0", "5", "3"), (0, 5, 3, 5)), (("0", "5", "NULL"), (0, 5, None, 5)), (("0", "NULL", "3"), (0, None, 3, None)),
            (("0", "NULL", "NULL"), (0, None, None, None)), (("NULL", "5", "3"), (None, 5, 3, 3)),
            (("NULL", "5", "NULL"), (None, 5, None, None)), (("NULL", "NULL", "3"), (None, None, 3, 3)),
            (("NULL", "NULL", "NULL"), (None, None, None, None)),
        ]
    ],
    # COALESCE: one case per documented row
    *[
        ok(COALESCE, f"SELECT column1, column2, column3, COALESCE(column1, column2, column3) AS coalesce_result "
           f"FROM (values ({row})) v", (*tuple(None if x == "null" else int(x) for x in row.split(", ")), want))
        for row, want in [
            ("1, 2, 3", 1), ("null, 2, 3", 2), ("null, null, 3", 3), ("null, null, null", None), ("1, null, 3", 1),
            ("1, null, null", 1), ("1, 2, null", 1),
        ]
    ],
    ok(COALESCE, "SELECT COALESCE('17', 1)", (17,)),
    # CEIL
    ok(CEIL, "SELECT CEIL(135.135), CEIL(-975.975)", (136, -975)),
    *[
        ok(CEIL, f"SELECT n, scale, ceil(n, scale) FROM test_ceiling WHERE n = {n} AND scale IS NOT DISTINCT FROM {sc}",
           (n, None if sc == "NULL" else int(sc), want), setup=_ROUND_TABLE)
        for n, sc, want in [
            (-975.975, "-1", -970), (-975.975, "0", -975), (-975.975, "2", -975.97), (135.135, "-2", 200),
            (135.135, "0", 136), (135.135, "1", 135.2), (135.135, "3", 135.135), (135.135, "50", 135.135),
            (135.135, "NULL", None),
        ]
    ],
    # DECODE
    *[
        ok(DECODE, f"SELECT column1, decode(column1, 1, 'one', 2, 'two', NULL, '-NULL-', 'other') AS decode_result FROM d "
           f"WHERE column1 IS NOT DISTINCT FROM {v}", (None if v == "NULL" else int(v), want), setup=_DECODE_TABLE)
        for v, want in [("1", "one"), ("2", "two"), ("NULL", "-NULL-"), ("4", "other")]
    ],
    *[
        ok(DECODE, f"SELECT column1, decode(column1, 1, 'one', 2, 'two', NULL, '-NULL-') AS decode_result FROM d "
           f"WHERE column1 IS NOT DISTINCT FROM {v}", (None if v == "NULL" else int(v), want), setup=_DECODE_TABLE)
        for v, want in [("1", "one"), ("2", "two"), ("NULL", "-NULL-"), ("4", None)]
    ],
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
