"""Where things are (the project root, the default local warehouse) and the console settings from
``config/caves.yaml`` (or ``$CAVES_CONFIG``), with defaults for every key."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .identity import AuthSettings

if TYPE_CHECKING:
    from .cost import CostModel

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / ".caves" / "warehouse.duckdb"
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "caves.yaml"


def default_db_path() -> str:
    """The warehouse the app and the CLI share: ``$CAVES_DB`` or ``.caves/warehouse.duckdb`` in the project."""
    return os.environ.get("CAVES_DB") or str(DEFAULT_DB)


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
class CostSettings:
    """The ``cost:`` section: how the pipeline's task runs are billed (see caves/cost.py for the sources)."""

    # What one credit costs you, in euros: it depends on the edition, cloud and region of the contract
    # (https://www.snowflake.com/en/pricing-options/); set your own.
    price_per_credit: float = 3.0
    # serverless (the tasks of deploy_sql/ have no WAREHOUSE) or warehouse (a user-managed one).
    compute_model: str = "serverless"
    # The user-managed warehouse: deploy_sql/roles/roles.sql creates CAVES_WH as XSMALL with AUTO_SUSPEND = 60.
    warehouse_size: str = "XSMALL"
    auto_suspend_seconds: float = 60.0
    # Serverless compute-hours are billed at a multiplier listed in Snowflake's Service Consumption Table, which
    # the docs pages reference but do not state: 1.0 (an XSMALL warehouse-hour) until you set your table's value.
    serverless_multiplier: float = 1.0
    # What-if inputs: the fixed part of a run in seconds (None: each task's shortest working run), and the share
    # of a run's duration that halves per warehouse size step (Amdahl).
    per_run_overhead_seconds: float | None = None
    parallel_fraction: float = 1.0

    def model(self) -> CostModel:
        """The caves.cost.CostModel of these settings (validated)."""
        from .cost import CostModel

        return CostModel(
            compute_model=self.compute_model,
            warehouse_size=self.warehouse_size,
            auto_suspend_seconds=self.auto_suspend_seconds,
            serverless_multiplier=self.serverless_multiplier,
            price_per_credit=self.price_per_credit,
            per_run_overhead_seconds=self.per_run_overhead_seconds,
            parallel_fraction=self.parallel_fraction,
        )


def _cost(section: dict[str, Any]) -> CostSettings:
    defaults = CostSettings()
    overhead = section.get("per_run_overhead_seconds", defaults.per_run_overhead_seconds)
    try:
        settings = CostSettings(
            price_per_credit=float(section.get("price_per_credit", defaults.price_per_credit)),
            compute_model=str(section.get("compute_model", defaults.compute_model)).lower(),
            warehouse_size=str(section.get("warehouse_size", defaults.warehouse_size)),
            auto_suspend_seconds=float(section.get("auto_suspend_seconds", defaults.auto_suspend_seconds)),
            serverless_multiplier=float(section.get("serverless_multiplier", defaults.serverless_multiplier)),
            per_run_overhead_seconds=None if overhead is None else float(overhead),
            parallel_fraction=float(section.get("parallel_fraction", defaults.parallel_fraction)),
        )
        settings.model()
    except ValueError as exc:
        raise ValueError(f"settings: cost: {exc}") from None
    return settings


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
    cost: CostSettings = field(default_factory=CostSettings)


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
        cost=_cost(_section(data, "cost")),
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
