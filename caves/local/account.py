"""SHOW WAREHOUSES and SHOW USERS: the local engine's one warehouse and one user.

``CURRENT_WAREHOUSE()`` is LOCAL_WH and ``CURRENT_USER()`` the operating-system user (transforms.context_functions);
these commands list exactly those, with Snowflake's output columns. A column with no local counterpart (a size,
credit quotas, logins) is NULL rather than a made-up value.
"""

from __future__ import annotations

import re

from .names import like_matches
from .result import Result
from .transforms import local_user

WAREHOUSE = "LOCAL_WH"
ROLE = "SYSADMIN"

_LIKE = r"(?:\s+LIKE\s+'(?P<like>(?:[^']|'')*)')?"
SHOW_WAREHOUSES = re.compile(r"^SHOW\s+WAREHOUSES" + _LIKE + r"\s*$", re.I | re.S)
SHOW_USERS = re.compile(r"^SHOW\s+(?P<terse>TERSE\s+)?USERS" + _LIKE + r"\s*$", re.I | re.S)

# https://docs.snowflake.com/en/sql-reference/sql/show-warehouses ("Output")
_WAREHOUSE_COLUMNS = ["name", "state", "type", "size", "min_cluster_count", "max_cluster_count", "started_clusters",
                      "running", "queued", "is_default", "is_current", "auto_suspend", "auto_resume", "available",
                      "provisioning", "quiescing", "other", "created_on", "resumed_on", "updated_on", "owner",
                      "comment", "resource_monitor", "owner_role_type"]  # fmt: skip
# https://docs.snowflake.com/en/sql-reference/sql/show-users ("Output"; TERSE: the parameter's list)
_USER_COLUMNS = ["name", "created_on", "login_name", "display_name", "first_name", "last_name", "email",
                 "mins_to_unlock", "days_to_expiry", "comment", "disabled", "must_change_password", "snowflake_lock",
                 "default_warehouse", "default_namespace", "default_role", "default_secondary_roles", "owner",
                 "has_password", "has_rsa_public_key", "type", "has_mfa"]  # fmt: skip
_TERSE_USER_COLUMNS = ["name", "created_on", "display_name", "first_name", "last_name", "email", "comment",
                       "has_password", "has_rsa_public_key", "type", "has_mfa"]  # fmt: skip


def show_warehouses(text: str) -> Result:
    """One single-cluster warehouse, always started, the session's current and the user's default."""
    like = SHOW_WAREHOUSES.match(text).group("like")
    row = {name: None for name in _WAREHOUSE_COLUMNS}
    row.update(name=WAREHOUSE, state="STARTED", type="STANDARD", min_cluster_count=1, max_cluster_count=1,
               started_clusters=1, is_default="Y", is_current="Y", owner=ROLE, comment="",
               owner_role_type="ROLE")  # fmt: skip
    rows = [tuple(row.values())] if like_matches(WAREHOUSE, like) else []
    return Result.of(_WAREHOUSE_COLUMNS, rows)


def show_users(text: str) -> Result:
    """The one local user: no password or key (the engine has no login), role SYSADMIN and LOCAL_WH by default."""
    match = SHOW_USERS.match(text)
    user = local_user()
    row = {name: None for name in _USER_COLUMNS}
    row.update(name=user, login_name=user, display_name=user, disabled="false", must_change_password="false",
               snowflake_lock="false", default_warehouse=WAREHOUSE, default_role=ROLE, has_password="false",
               has_rsa_public_key="false", has_mfa="false")  # fmt: skip
    columns = _TERSE_USER_COLUMNS if match.group("terse") else _USER_COLUMNS
    rows = [tuple(row[c] for c in columns)] if like_matches(user, match.group("like")) else []
    return Result.of(columns, rows)
