"""Administration safety, the same on every backend: who is an administrator, identifiers that are safe to
paste into SQL, and the audit trail of admin actions (secrets are redacted by :mod:`caves.redact`).

No Streamlit import: the app, the services and the CLI call these. Values are always bound; only
identifiers (which Snowflake cannot bind) go through :func:`quote_identifier`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from .redact import redact, redact_details
from .settings import Settings
from .warehouse.base import Warehouse

__all__ = [
    "AUDIT_OUTCOMES",
    "AUDIT_SOURCES",
    "AUDIT_TABLE",
    "audit",
    "audit_statement",
    "is_admin",
    "quote_identifier",
]

AUDIT_TABLE = "CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG"
AUDIT_OUTCOMES = ("started", "succeeded", "failed", "refused")
AUDIT_SOURCES = ("console", "cli")

# VALUES cannot hold PARSE_JSON in Snowflake, hence INSERT ... SELECT.
_AUDIT_SQL = (
    f"insert into {AUDIT_TABLE} "
    "(AUDIT_ID, ACTOR, ACTION, TARGET, DETAILS, OUTCOME, ERROR_MESSAGE, STARTED_AT, FINISHED_AT, SOURCE) "
    "select ?, ?, ?, ?, parse_json(?), ?, ?, ?, ?, ?"
)

_AUDIT_SQL_WITHOUT_SOURCE = (
    f"insert into {AUDIT_TABLE} "
    "(AUDIT_ID, ACTOR, ACTION, TARGET, DETAILS, OUTCOME, ERROR_MESSAGE, STARTED_AT, FINISHED_AT) "
    "select ?, ?, ?, ?, parse_json(?), ?, ?, ?, ?"
)
# Snowflake: "invalid identifier 'SOURCE'"; the local engine: 'does not have a column with name "SOURCE"'
_LACKS_SOURCE = re.compile(r"""invalid identifier '?"?SOURCE|column with name "?SOURCE""", re.IGNORECASE)

# ---------------------------------------------------------------------------------------------------- admins


def is_admin(
    user: str | None,
    roles: Iterable[str],
    settings: Settings,
    *,
    backend: str | None = None,
    local_viewer: bool = False,
) -> bool:
    """Whether this viewer may use the administration actions (deploy, suspend, resume, execute, retention).

    Args:
        user: the viewer's user name: ``st.user.user_name`` in Streamlit in Snowflake (``CURRENT_USER()`` is
            the app owner there), the Snowflake user of the connection standalone, the OS user for the CLI.
            ``None`` or empty when unknown.
        roles: the viewer's own Snowflake roles (standalone: the connection's ``CURRENT_ROLE()``); may be empty.
        settings: ``load_settings()``; its allow-list is ``admin.users``, ``admin.roles`` and
            ``admin.local_is_admin`` of ``config/caves.yaml``.
        backend: ``"local"``, ``"snowflake"`` or ``"sis"``: the backend the action would run on.
        local_viewer: whether ``user`` is the OS account of this machine, from a real source: a loopback
            viewer of a console without login, or the shell of a CLI command (:attr:`caves.identity.Viewer.local`).

    Rules, in order:

    * on the ``local`` backend with ``admin.local_is_admin``, the local viewer is an administrator (the
      developer's own machine and file); an anonymous or remote viewer is not;
    * a user listed in ``admin.users`` is one (case-insensitive, as Snowflake user names are);
    * a role listed in ``admin.roles`` makes one, **except in Streamlit in Snowflake**, where every viewer runs
      with the owner's role (owner's rights) so a role says nothing about who the viewer is: there, ``roles``
      is ignored and only ``admin.users`` counts.

    Anything else, including an unknown ``backend`` or no user at all, is refused (fail closed).
    """
    if backend == "local" and settings.local_is_admin and local_viewer and user:
        return True
    if user and user.strip().casefold() in {u.strip().casefold() for u in settings.admin_users}:
        return True
    if backend in ("local", "snowflake"):
        allowed_roles = {r.strip().upper() for r in settings.admin_roles}
        return any(str(role).strip().upper() in allowed_roles for role in roles)
    return False


# ----------------------------------------------------------------------------------------------- identifiers

_UNQUOTED_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_QUOTED_PART = re.compile(r'"((?:[^"]|"")+)"')
_MAX_IDENTIFIER = 255  # Snowflake's limit for one identifier


def _parts(name: str) -> list[str]:
    """Split ``db.schema."Odd.Name"`` into its parts (dots inside double quotes don't split)."""
    parts: list[str] = []
    pos = 0
    while True:
        match = _QUOTED_PART.match(name, pos) or _UNQUOTED_PART.match(name, pos)
        if match is None:
            raise ValueError(f"not a Snowflake identifier: {name!r}")
        parts.append(match.group(0))
        pos = match.end()
        if pos == len(name):
            return parts
        if name[pos] != ".":
            raise ValueError(f"not a Snowflake identifier: {name!r}")
        pos += 1


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted identifier (or a dotted name of up to three), safe to paste into SQL.

    Snowflake's rules decide what the name means:

    * an unquoted identifier (a letter or ``_``, then letters, digits, ``_`` or ``$``) is case-insensitive and
      stands for its upper-case form: ``my_task`` -> ``"MY_TASK"``;
    * a double-quoted identifier is taken exactly, inner quotes doubled: ``"Ma Cave"`` -> ``"Ma Cave"``;
    * ``db.schema.object`` is quoted part by part: ``caves_albert_db.ops.t`` -> ``"CAVES_ALBERT_DB"."OPS"."T"``.

    Raises ValueError for anything else (empty, spaces or punctuation outside quotes, a stray quote, control
    characters, more than three parts, a part longer than 255 characters): such text is refused, never
    "cleaned", so a typo cannot silently name another object.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"not a Snowflake identifier: {name!r}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ValueError(f"not a Snowflake identifier (control character): {name!r}")
    parts = _parts(name)
    if len(parts) > 3:
        raise ValueError(f"not a Snowflake identifier (more than database.schema.object): {name!r}")
    quoted: list[str] = []
    for part in parts:
        exact = part[1:-1].replace('""', '"') if part.startswith('"') else part.upper()
        if len(exact) > _MAX_IDENTIFIER:
            raise ValueError(f"identifier longer than {_MAX_IDENTIFIER} characters: {part[:40]!r}...")
        quoted.append('"' + exact.replace('"', '""') + '"')
    return ".".join(quoted)


# ----------------------------------------------------------------------------------------------------- audit


def _utc_naive(value: dt.datetime | None) -> dt.datetime | None:
    """TIMESTAMP_NTZ in UTC, like every timestamp of the warehouse: aware values are converted first."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def audit_statement(
    actor: str,
    action: str,
    target: str | None,
    outcome: str,
    error: str | None,
    started_at: dt.datetime,
    finished_at: dt.datetime | None,
    details: Mapping[str, Any] | None = None,
    *,
    audit_id: str | None = None,
    source: str = "console",
) -> tuple[str, list[Any]]:
    """The INSERT that :func:`audit` runs and its bound values (exposed so the SQL can be shown and tested)."""
    if not actor or not str(actor).strip():
        raise ValueError("audit: the actor is required (who did it)")
    if not action or not str(action).strip():
        raise ValueError("audit: the action is required")
    if outcome not in AUDIT_OUTCOMES:
        raise ValueError(f"audit: outcome must be one of {', '.join(AUDIT_OUTCOMES)}, not {outcome!r}")
    if source not in AUDIT_SOURCES:
        raise ValueError(f"audit: source must be one of {', '.join(AUDIT_SOURCES)}, not {source!r}")
    payload = json.dumps(redact_details(dict(details or {})), default=str, sort_keys=True)
    return _AUDIT_SQL, [
        audit_id or str(uuid.uuid4()),
        str(actor).strip(),
        str(action).strip(),
        target,
        payload,
        outcome,
        redact(error) if error else None,
        _utc_naive(started_at),
        _utc_naive(finished_at),
        source,
    ]


def audit(
    warehouse: Warehouse,
    actor: str,
    action: str,
    target: str | None,
    outcome: str,
    error: str | None,
    started_at: dt.datetime,
    finished_at: dt.datetime | None,
    details: Mapping[str, Any] | None = None,
    *,
    source: str = "console",
) -> str:
    """Write one row of ``CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG`` and return its ``AUDIT_ID``.

    Args:
        warehouse: any backend (the row goes where the action ran).
        actor: who did it (``st.user.user_name`` in Streamlit in Snowflake, never ``CURRENT_USER()``, which is
            the app owner there); required.
        action: ``deploy``, ``suspend``, ``resume``, ``execute``, ``retry_last``, ``retention``, ``sql``, ...
        target: the object acted upon, e.g. a fully-qualified task name; may be None.
        outcome: ``started``, ``succeeded``, ``failed`` or ``refused``.
        error: the error message of a failed or refused action (redacted before it is stored).
        started_at / finished_at: when it began and ended; naive values are taken as UTC, aware ones are
            converted to UTC (the table holds TIMESTAMP_NTZ in UTC). ``finished_at`` may be None.
        details: free-form JSON (parameters, the statements run, row counts); keys naming a secret are
            masked and strings redacted before it is stored.
        source: where the action was taken: ``console`` (the Administration page) or ``cli``.

    Every value is a bound parameter. Raises ValueError for a missing actor or action or an unknown outcome,
    and the backend's own error if the INSERT fails: an admin action whose audit cannot be written should
    not be reported as done.
    """
    sql, params = audit_statement(
        actor, action, target, outcome, error, started_at, finished_at, details, source=source
    )
    try:
        warehouse.execute(sql, params)
    except Exception as exc:
        if not _LACKS_SOURCE.search(str(exc)):
            raise
        # A table deployed before the SOURCE column (the next deployment adds it): keep the row all the same,
        # its source in DETAILS.
        payload = json.loads(params[4])
        payload["source"] = source
        warehouse.execute(_AUDIT_SQL_WITHOUT_SOURCE, [*params[:4], json.dumps(payload, sort_keys=True), *params[5:-1]])
    return params[0]
