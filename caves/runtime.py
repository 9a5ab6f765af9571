"""The local default, alive: a deployed warehouse with history, the task scheduler and a live simulator.

``streamlit run app.py`` with no Snowflake configuration uses this: the first start creates the
warehouse, deploys ``deploy_sql/``, seeds simulated history through the real pipeline (ingest, then
the task graphs), and from then on the scheduler runs the graphs while the simulator feeds RAW, so
the console's numbers move while you watch. The live simulator is the seeded shop continued (caves.shop) at
the shop's own daily and weekly rhythm. No Streamlit import here: the app wraps it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .local import Engine
from .local.scheduler import Scheduler, run_until_idle
from .objects import load_statements
from .settings import LocalSettings, default_db_path
from .shop import ShopError, ShopFeed, ShopRecord, open_shop, raw_event_count, read_shop
from .simulate import SimConfig
from .warehouse.local import LocalWarehouse

log = logging.getLogger("caves.runtime")

Progress = Callable[[float, str], None]

Clock = Callable[[], dt.datetime]


def _noop(_fraction: float, _message: str) -> None:
    return None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class SeedReport:
    messages: int = 0
    seconds: float = 0.0


def check_alerts_now(warehouse: LocalWarehouse) -> None:
    """A console that starts checks at once: each alert of deploy_sql/ runs now (EXECUTE ALERT) instead of after
    its first interval counted from the resume (an hourly stock-out check would stay silent for an hour)."""
    for statement in load_statements():
        if statement.kind == "alert":
            warehouse.execute(f"EXECUTE ALERT {statement.name}")  # a name of deploy_sql/, not user input


class LocalRuntime:
    """Owns the local warehouse of this process and its background activity.

    ``clock`` (UTC, timezone-aware) is when "now" is for the live simulator: tests pass a clock they move.
    """

    def __init__(self, path: str | None = None, settings: LocalSettings | None = None, clock: Clock = _utc_now) -> None:
        self.settings = settings or LocalSettings()
        self.path = path or default_db_path()
        self.clock = clock
        self.engine = Engine(self.path)
        self.warehouse = LocalWarehouse(self.path, engine=self.engine)
        self.scheduler = Scheduler(
            self.engine, time_scale=self.settings.time_scale, poll_s=self.settings.scheduler_poll_seconds
        )
        self._stop = threading.Event()
        self._simulator_thread: threading.Thread | None = None
        self.feed: ShopFeed | None = None
        self.shop: ShopRecord | None = None
        self.simulated_messages = 0
        self.last_error: str | None = None
        # Why the live simulator does not run, when it does not (shown in the console's sidebar).
        self.simulator_blocked: str | None = None

    # --- first start ---------------------------------------------------------------------------------

    def prepare(self, progress: Progress = _noop, *, catch_up: bool = True) -> SeedReport:
        """Deploy (idempotent); open the shop on an empty warehouse, else catch its story up to now.

        A new warehouse gets ``seed_days`` of history (the shop opened that long ago); an existing one gets
        the messages its shop sent while the console was stopped, unless ``catch_up`` is False (the live
        simulator is off: the figures stay as they are). Either way through the real pipeline.
        """
        from .deploy import deploy

        progress(0.02, "Déploiement du SQL…")
        deploy(self.warehouse, resume_new_graphs=True)
        report = SeedReport()
        started = time.perf_counter()
        now = self.clock()
        self.shop = read_shop(self.warehouse)
        if self.shop is None:
            if raw_event_count(self.warehouse):
                self.simulator_blocked = (
                    "this warehouse holds events that are not from a recorded simulated shop (an older version's "
                    "warehouse, or ingested files): the live simulator stays off so as not to open a second shop; "
                    "move the warehouse file aside to start a fresh shop"
                )
                progress(1.0, "Entrepôt prêt.")
                return report
            factor = self.settings.demo_factor
            config = SimConfig(seed=self.settings.seed, orders_per_day=self.settings.seed_orders_per_day * factor)
            self.shop = open_shop(self.warehouse, config, now - dt.timedelta(days=self.settings.seed_days), factor)
            progress(0.1, f"Simulation de {self.settings.seed_days} jours d'historique…")
        else:
            progress(0.1, f"Reprise de la boutique ouverte le {self.shop.opened_at:%d/%m/%Y}…")
        self.feed = ShopFeed(self.warehouse, self.shop)
        if not catch_up and self.feed.delivered:
            progress(1.0, "Entrepôt prêt.")
            return report
        report.messages = self.feed.deliver_until(
            now, lambda fraction, done: progress(0.1 + 0.5 * fraction, f"Ingestion : {done} messages")
        )
        self.simulated_messages = self.feed.delivered
        progress(0.65, "Exécution du pipeline RAW → STAGING → PRODUCTION…")
        run_until_idle(self.engine)
        progress(0.9, "Premier contrôle des alertes…")
        check_alerts_now(self.warehouse)
        report.seconds = time.perf_counter() - started
        progress(1.0, "Entrepôt prêt.")
        return report

    # --- background activity -------------------------------------------------------------------------

    def start_background(self) -> None:
        """Start the task scheduler and, if configured, the live simulator."""
        self.scheduler.start()
        live = self.settings.live and self.feed is not None
        if live and (self._simulator_thread is None or not self._simulator_thread.is_alive()):
            self._stop.clear()
            self._simulator_thread = threading.Thread(target=self._simulate_live, name="caves-live-sim", daemon=True)
            self._simulator_thread.start()

    def simulate_until(self, now: dt.datetime) -> int:
        """Land what the shop sent up to ``now`` (the live simulator's step); returns the messages landed."""
        if self.feed is None:
            raise ShopError(self.simulator_blocked or "the runtime was not prepared: no shop to continue")
        landed = self.feed.deliver_until(now)
        self.simulated_messages = self.feed.delivered
        return landed

    def _simulate_live(self) -> None:
        # Its own connection to the file, so that the console's reads never wait on a simulator insert.
        # The feed prepare() built goes on writing there: its story is already replayed up to now (a second
        # ShopFeed would replay the shop's whole history again).
        assert self.feed is not None
        self.feed.warehouse = LocalWarehouse(self.path, engine=self.engine)
        while not self._stop.wait(1.0):
            try:
                self.simulate_until(self.clock())
                self.last_error = None
            except Exception as exc:  # keep simulating; the console shows the last error
                self.last_error = str(exc)
                log.warning("live simulator: %s", exc)

    @property
    def demo_factor(self) -> int:
        """The accelerated-demo factor of the shop this warehouse holds (1: the shop's real rhythm)."""
        return self.shop.demo_factor if self.shop is not None else 1

    def stop(self) -> None:
        self._stop.set()
        self.scheduler.stop()
        if self._simulator_thread is not None:
            self._simulator_thread.join(5)

    def close(self) -> None:
        self.stop()
        self.warehouse.close()
