"""caves.redact: secrets out of messages (moved from test_security.py with the module)."""

from __future__ import annotations

import pytest

from caves.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("password=hunter2 user=albert", "password=*** user=albert"),
        ("PASSWORD = 'p@ss w0rd'; role=X", "PASSWORD = '***'; role=X"),
        ("{'password': 'hunter2', 'user': 'albert'}", "{'password': '***', 'user': 'albert'}"),
        ('{"token": "abc.def", "n": 1}', '{"token": "***", "n": 1}'),
        ("SNOWFLAKE_PASSWORD=abc", "SNOWFLAKE_PASSWORD=***"),
        (
            "private_key_file=/keys/rsa_key.p8 private_key_file_pwd=s3cret",
            "private_key_file=/keys/rsa_key.p8 private_key_file_pwd=***",
        ),
        ("passphrase: correct horse battery\nnext line", "passphrase: ***\nnext line"),  # YAML: to end of line
        ("client_secret=xyz&grant=1", "client_secret=***&grant=1"),
        ('Authorization: Snowflake Token="ver:1-hint:123-ETMsDgAAAYa"', 'Authorization: Snowflake Token="***"'),
        ("Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer ***"),
        (
            "snowflake://albert:hunter2@myorg-caves/CAVES_ALBERT_DB",
            "snowflake://albert:***@myorg-caves/CAVES_ALBERT_DB",
        ),
        ("jwt eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl end", "jwt *** end"),
        ("Incorrect username or password was specified.", "Incorrect username or password was specified."),
        ("no secret here: 42", "no secret here: 42"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_removes_a_private_key_block() -> None:
    pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w\nQTApBgkqhkiG\n-----END ENCRYPTED PRIVATE KEY-----"
    assert redact(f"bad key: {pem} (check the file)") == "bad key: [private key redacted] (check the file)"
    assert "MIIF" not in redact("-----BEGIN RSA PRIVATE KEY-----\nMIIFHDBOBgkq truncated")  # even unterminated


def test_redact_accepts_any_object() -> None:
    assert redact({"password": "x"}) == "{'password': '***'}"
    assert redact(ValueError("token=abc")) == "token=***"
