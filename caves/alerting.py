"""Snowflake ALERT objects, parsed once: ``CREATE [OR REPLACE] ALERT ... IF (EXISTS (<condition>)) THEN <action>``.

Importable without DuckDB (the deploy planner and Streamlit in Snowflake use it). The local engine's
``CREATE ALERT`` (caves/local/alerts.py) and the deploy planner (caves/deploy.py) both read alerts through
:func:`parse_create_alert`. Reference: https://docs.snowflake.com/en/sql-reference/sql/create-alert
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlglot.tokens import TokenType

from .objects import ObjectSyntaxError, _create_head, _unquote
from .sqlscript import keyword

__all__ = [
    "DEFAULT_NOTIFICATION_INTEGRATION",
    "AlertDef",
    "parse_create_alert",
    "render_notification_integration",
    "valid_integration_name",
]

# The integration the alerts of deploy_sql/ name; the deploy planner writes the configured one instead
# (config/caves.yaml, alerts.notification_integration).
DEFAULT_NOTIFICATION_INTEGRATION = "CAVES_ALERTS_NOTIFY"
_INTEGRATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,254}$")


@dataclass(frozen=True)
class AlertDef:
    """The parts of one ``CREATE ALERT``: name (unquoted parts upper-cased), ``KEY = value`` parameters
    (SCHEDULE, WAREHOUSE, COMMENT...), the condition (the text inside ``EXISTS ( )``) and the action."""

    name: str
    params: Mapping[str, str] = field(default_factory=dict)
    condition: str = ""
    action: str = ""
    or_replace: bool = False
    if_not_exists: bool = False

    @property
    def schedule(self) -> str | None:
        return self.params.get("SCHEDULE")


def _closing(tokens: list, i: int) -> int:
    """The index of the ``)`` matching the ``(`` at tokens[i]."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].token_type == TokenType.L_PAREN:
            depth += 1
        elif tokens[j].token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return j
    raise ObjectSyntaxError("unbalanced parentheses in the alert condition")


def parse_create_alert(sql: str) -> AlertDef:
    """Read a ``CREATE ALERT`` statement; ObjectSyntaxError when it does not have Snowflake's shape."""
    tokens, i, name, or_replace, if_not_exists = _create_head(sql, "ALERT")
    where = f"alert {name}"
    params: dict[str, str] = {}
    while i < len(tokens):
        tok = tokens[i]
        word = keyword(tok)
        if word == "IF":
            break
        if word in {"WITH", "TAG"}:
            raise ObjectSyntaxError(f"{where}: tags are not supported by the local engine")
        if word and i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.EQ:
            params[word] = _unquote(tokens[i + 2], sql)
            i += 3
            continue
        raise ObjectSyntaxError(f"{where}: unexpected {tok.text!r} before IF (EXISTS (...))")
    # IF ( EXISTS ( <condition> ) ) THEN <action>
    if i + 2 >= len(tokens) or tokens[i + 1].token_type != TokenType.L_PAREN or keyword(tokens[i + 2]) != "EXISTS":
        raise ObjectSyntaxError(f"{where} needs IF (EXISTS (<condition>)) THEN <action>")
    outer_close = _closing(tokens, i + 1)
    j = i + 3
    if j >= outer_close or tokens[j].token_type != TokenType.L_PAREN:
        raise ObjectSyntaxError(f"{where}: EXISTS needs a parenthesized condition")
    inner_close = _closing(tokens, j)
    if inner_close != outer_close - 1 or inner_close == j + 1:
        raise ObjectSyntaxError(f"{where}: IF (EXISTS (<condition>)) must hold one condition")
    condition = sql[tokens[j].end + 1 : tokens[inner_close].start].strip()
    k = outer_close + 1
    if k >= len(tokens) or keyword(tokens[k]) != "THEN":
        raise ObjectSyntaxError(f"{where} has no THEN <action>")
    action = sql[tokens[k].end + 1 :].strip().rstrip(";").strip()
    if not action:
        raise ObjectSyntaxError(f"{where} has no action after THEN")
    return AlertDef(name, params, condition, action, or_replace, if_not_exists)


def valid_integration_name(name: str) -> bool:
    """A notification integration name that can be written into the alerts' SQL (an unquoted identifier)."""
    return bool(_INTEGRATION_NAME.match(name or ""))


def render_notification_integration(sql: str, integration: str | None) -> str:
    """An alert of deploy_sql/ with the configured notification integration instead of the default one.

    Integration names are identifiers written as string literals in ``SNOWFLAKE.NOTIFICATION.INTEGRATION('...')``
    and cannot be bound in DDL: the name is checked to be a plain identifier first.
    """
    if not integration or integration.upper() == DEFAULT_NOTIFICATION_INTEGRATION:
        return sql
    if not valid_integration_name(integration):
        raise ValueError(f"alerts.notification_integration is not a plain identifier: {integration!r}")
    return sql.replace(f"'{DEFAULT_NOTIFICATION_INTEGRATION}'", f"'{integration.upper()}'")
