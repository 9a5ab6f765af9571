"""Console settings from ``config/caves.yaml`` (or ``$CAVES_CONFIG``), with defaults for every key."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import PROJECT_ROOT
from .identity import AuthSettings

DEFAULT_CONFIG = PROJECT_ROOT / "config" / "caves.yaml"


@dataclass(frozen=True)
class LocalSettings:
    seed_days: int = 90
    seed_orders_per_day: float = 200.0
    seed: int = 42
    # The live simulator continues the seeded shop at its own rhythm while the console runs.
    live: bool = True
    # Accelerated demo: a new warehouse's shop runs at this many times the seeded volume (1 = the real rhythm).
    demo_factor: int = 1
    time_scale: float = 12.0
    scheduler_poll_seconds: float = 1.0


@dataclass(frozen=True)
class Settings:
    local: LocalSettings = field(default_factory=LocalSettings)
    latency_warning_seconds: float = 120.0
    latency_stale_seconds: float = 300.0
    pipeline_health_refresh_seconds: float = 10.0
    query_ttl_seconds: float = 30.0
    low_stock_threshold: int = 50
    admin_users: tuple[str, ...] = ()
    admin_roles: tuple[str, ...] = ()
    local_is_admin: bool = True
    auth: AuthSettings = field(default_factory=AuthSettings)


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name) or {}
    if not isinstance(value, dict):
        raise ValueError(f"settings: '{name}' must be a mapping")
    return value


def _live(local: dict[str, Any], default: bool) -> bool:
    if "live_rate" in local:
        # The flat live rate of earlier versions made a second, 260x busier shop; the live simulator now follows
        # the shop's own rhythm, and an accelerated demo is `demo_factor`.
        raise ValueError("settings: 'local.live_rate' is gone: use 'local.live' (on/off) and 'local.demo_factor'")
    return bool(local.get("live", default))


def _demo_factor(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ValueError("settings: 'local.demo_factor' must be a whole number from 1 (the real rhythm) to 1000")
    return value


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the YAML settings; a missing file gives the defaults, a malformed one a readable error."""
    path = Path(path or os.environ.get("CAVES_CONFIG") or DEFAULT_CONFIG)
    if not path.exists():
        return Settings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"settings file {path} is not valid YAML: {exc}") from None
    local = _section(data, "local")
    pipeline = _section(data, "pipeline")
    refresh = _section(data, "refresh")
    stock = _section(data, "stock")
    admin = _section(data, "admin")
    auth = _section(data, "auth")
    defaults = LocalSettings()
    return Settings(
        local=LocalSettings(
            seed_days=int(local.get("seed_days", defaults.seed_days)),
            seed_orders_per_day=float(local.get("seed_orders_per_day", defaults.seed_orders_per_day)),
            seed=int(local.get("seed", defaults.seed)),
            live=_live(local, defaults.live),
            demo_factor=_demo_factor(local.get("demo_factor", defaults.demo_factor)),
            time_scale=float(local.get("time_scale", defaults.time_scale)),
            scheduler_poll_seconds=float(local.get("scheduler_poll_seconds", defaults.scheduler_poll_seconds)),
        ),
        latency_warning_seconds=float(pipeline.get("latency_warning_seconds", 120)),
        latency_stale_seconds=float(pipeline.get("latency_stale_seconds", 300)),
        pipeline_health_refresh_seconds=float(refresh.get("pipeline_health_seconds", 10)),
        query_ttl_seconds=float(refresh.get("query_ttl_seconds", 30)),
        low_stock_threshold=int(stock.get("low_stock_threshold", 50)),
        admin_users=tuple(str(u) for u in admin.get("users") or ()),
        admin_roles=tuple(str(r).upper() for r in admin.get("roles") or ()),
        local_is_admin=bool(admin.get("local_is_admin", True)),
        auth=_auth_settings(auth),
    )


def _auth_settings(auth: dict[str, Any]) -> AuthSettings:
    """The ``auth`` section: who the viewer is on a standalone console (see :mod:`caves.identity`)."""
    defaults = AuthSettings()
    header = auth.get("trusted_header") or ""
    if not isinstance(header, str) or (header and not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", header.strip())):
        raise ValueError(f"settings: auth.trusted_header must be an HTTP header name, not {header!r}")
    proxies = auth.get("trusted_proxies", defaults.trusted_proxies)
    if isinstance(proxies, str) or not isinstance(proxies, (list, tuple)):
        raise ValueError("settings: auth.trusted_proxies must be a list of addresses or networks")
    return AuthSettings(
        trusted_header=header.strip(),
        trusted_proxies=tuple(str(p).strip() for p in proxies),
        local_user=bool(auth.get("local_user", defaults.local_user)),
    )
