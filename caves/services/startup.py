"""Why the console could not start, said so that the reader knows what to check, without a secret.

Pure (no Streamlit): ``app.py`` catches any failure to choose, open or prepare the backend and shows
:func:`describe` as one readable error instead of Streamlit's exception page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from caves.redact import redact

__all__ = ["StartupProblem", "backend_kind", "describe"]

# The connector's wording for a refused sign-in (390100 wrong password, 390144 bad JWT, 390191/390318 MFA,
# 394304 bad key, ...), checked before the network's: its "Failed to connect to DB" also prefixes these.
_AUTH = re.compile(
    r"incorrect username or password|authenticat|\bjwt\b|private key|passphrase|password|"
    r"\b39[0-9]{4}\b|user .* (?:is|has been) (?:locked|disabled)|role .* (?:does not exist|not authorized)",
    re.IGNORECASE,
)
_UNREACHABLE = re.compile(
    r"could not connect|failed to connect|connection (?:refused|reset|aborted)|timed? ?out|"
    r"name or service not known|nodename nor servname|getaddrinfo|temporary failure in name resolution|"
    r"network is unreachable|no route to host|\b25000[1-3]\b|certificate|ssl",
    re.IGNORECASE,
)
_CONFIG = re.compile(r"no snowflake connection configured|unexpected keyword|invalid .*parameter", re.IGNORECASE)
_WHERE = re.compile(r"\((account [^)]*|no account set[^)]*)\)")


@dataclass(frozen=True)
class StartupProblem:
    """What to show: ``key`` is a text of :mod:`caves.i18n` (``startup.*``) formatted with ``values``;
    ``detail`` the failure's own first line, redacted."""

    key: str
    detail: str
    values: dict[str, str] = field(default_factory=dict)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def describe(exc: BaseException, backend: str | None, *, db_path: str | None = None) -> StartupProblem:
    """The start-up failure ``exc`` of ``backend`` (``local``, ``snowflake``, ``sis``; None when the backend
    could not even be chosen, e.g. a bad ``CAVES_BACKEND`` or settings file), with what to check."""
    detail = redact(_first_line(exc))[:500]
    if backend is None:
        return StartupProblem("startup.settings", detail)
    if backend == "local":
        return StartupProblem("startup.local", detail, {"path": db_path or "?"})
    if backend == "sis":
        return StartupProblem("startup.sis", detail)
    match = _WHERE.search(detail)
    where = match.group(1) if match else "?"
    if _CONFIG.search(detail) or isinstance(exc, (TypeError, KeyError)):
        return StartupProblem("startup.snowflake_config", detail)
    text = detail.split("):", 1)[-1] if match else detail  # the connector's words, not the account's name
    if _AUTH.search(text):
        return StartupProblem("startup.snowflake_auth", detail, {"where": where})
    if _UNREACHABLE.search(text):
        return StartupProblem("startup.snowflake_unreachable", detail, {"where": where})
    return StartupProblem("startup.snowflake", detail, {"where": where})


def backend_kind(secrets: Mapping[str, Any] | None, env: Mapping[str, str]) -> str | None:
    """The backend the console would choose (:func:`caves.warehouse.select.choose_backend`), or None when
    it cannot choose (``CAVES_BACKEND`` names no backend)."""
    from caves.warehouse.select import choose_backend

    try:
        return choose_backend(secrets, env)
    except Exception:  # a bad override is itself the start-up problem, said by describe(..., None)
        return None
