"""Secrets out of text and structures, for logs, the audit table and the screen.

Its own module below everything else (it imports nothing of ``caves``): the warehouse adapters redact
connector errors, :mod:`caves.security` the audit rows, the app its messages, and none of them depends on
the others for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["redact", "redact_details"]

_MASK = "***"
_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.DOTALL)
# A key whose value is secret: password, pwd, passphrase, token, secret, api key, private key (not a path to it).
_SECRET_KEY = (
    r"[\w.-]*(?:passw(?:or)?d|pwd|passphrase|secret|token|api[_-]?key|private[_-]?key(?![_-]?(?:file|path)\b))[\w.-]*"
)
_QUOTED = r""""[^"]*"|'[^']*'"""
# key=value ends at a space (several settings on one line); key: value runs to the end of the line (YAML, logs)
_KEY_EQUALS = re.compile(
    rf"""(?P<key>["']?\b{_SECRET_KEY}["']?)(?P<sep>\s*=\s*)(?P<value>{_QUOTED}|[^\s,;&)}}\]]+)""", re.IGNORECASE
)
_KEY_COLON = re.compile(
    rf"""(?P<key>["']?\b{_SECRET_KEY}["']?)(?P<sep>[ \t]*:[ \t]*)(?P<value>{_QUOTED}|[^\n,;&)}}\]]*[^\s,;&)}}\]])""",
    re.IGNORECASE,
)
_AUTH_HEADER = re.compile(r"\b(?P<scheme>Bearer|Basic)\s+(?P<value>[A-Za-z0-9+/=._~-]{8,})", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)(?P<value>[^\s@/]+)(?=@)", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]+")


def _mask_value(value: str) -> str:
    # keep the quotes so a redacted JSON or TOML text stays well-formed
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[0] + _MASK + value[0]
    return _MASK


def redact(text: object) -> str:
    """``text`` (an error, a message, a dict's repr) without secrets, for logs, the audit table and the screen.

    Masks with ``***``: PEM private keys; the value of any ``key=value`` / ``key: value`` / ``"key": "value"``
    whose key names a secret (``password``, ``pwd``, ``private_key_file_pwd``, ``passphrase``, ``token``,
    ``secret``, ``api_key``, ``private_key``); ``Bearer``/``Basic`` credentials; the
    password of a ``scheme://user:password@host`` URL; JWTs. Paths (``private_key_file``), account and user
    names stay: they are what one needs to fix a connection, and they are not secret.
    """
    out = _PEM.sub("[private key redacted]", str(text))
    for pattern in (_KEY_COLON, _KEY_EQUALS):
        out = pattern.sub(lambda m: m.group("key") + m.group("sep") + _mask_value(m.group("value")), out)
    out = _AUTH_HEADER.sub(lambda m: m.group("scheme") + " " + _mask_value(m.group("value")), out)
    out = _URL_PASSWORD.sub(lambda m: m.group("head") + _MASK, out)
    return _JWT.sub(_MASK, out)


def redact_details(value: Any) -> Any:
    """Secrets out of a JSON-able structure: secret-named keys masked, every string redacted."""
    if isinstance(value, Mapping):
        return {
            str(k): _MASK if re.fullmatch(_SECRET_KEY, str(k), re.IGNORECASE) else redact_details(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple, set)):
        return [redact_details(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value
