"""The local default, alive: a deployed warehouse with history, the task scheduler and a live simulator.

``streamlit run app.py`` with no Snowflake configuration uses this: the first start creates the
warehouse, deploys ``deploy_sql/``, seeds simulated history through the real pipeline (ingest, then
the task graphs), and from then on the scheduler runs the graphs while the simulator feeds RAW, so
the console's numbers move while you watch. No Streamlit import here: the app wraps it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .config import default_db_path
from .ingest import Message, ingest
from .local import Engine
from .local.scheduler import Scheduler, run_until_idle
from .settings import LocalSettings
from .simulate import LiveSimulator, SimConfig, generate_history
from .warehouse.local import LocalWarehouse

log = logging.getLogger("caves.runtime")

Progress = Callable[[float, str], None]

RAW_COUNT_SQL = "SELECT COUNT(*) AS N FROM CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM"


def _noop(_fraction: float, _message: str) -> None:
    return None


@dataclass
class SeedReport:
    messages: int = 0
    seconds: float = 0.0


class LocalRuntime:
    """Owns the local warehouse of this process and its background activity."""

    def __init__(self, path: str | None = None, settings: LocalSettings | None = None) -> None:
        self.settings = settings or LocalSettings()
        self.path = path or default_db_path()
        self.engine = Engine(self.path)
        self.warehouse = LocalWarehouse(self.path, engine=self.engine)
        self.scheduler = Scheduler(
            self.engine, time_scale=self.settings.time_scale, poll_s=self.settings.scheduler_poll_seconds
        )
        self._stop = threading.Event()
        self._simulator_thread: threading.Thread | None = None
        self.simulated_messages = 0
        self.last_error: str | None = None

    # --- first start ---------------------------------------------------------------------------------

    def prepare(self, progress: Progress = _noop) -> SeedReport:
        """Deploy (idempotent) and, on an empty warehouse, seed history through the pipeline."""
        from .deploy import deploy

        progress(0.02, "Déploiement du SQL…")
        deploy(self.warehouse, resume_new_graphs=True)
        report = SeedReport()
        if int(self.warehouse.query(RAW_COUNT_SQL).iloc[0, 0]) > 0:
            progress(1.0, "Entrepôt prêt.")
            return report
        start = dt.datetime.now(dt.UTC)
        config = SimConfig(seed=self.settings.seed, orders_per_day=self.settings.seed_orders_per_day)
        progress(0.1, f"Simulation de {self.settings.seed_days} jours d'historique…")
        texts = [text for _, text in generate_history(config, days=self.settings.seed_days, end=start)]
        total = len(texts)
        chunk = 20_000
        for i in range(0, total, chunk):
            ingest(self.warehouse, (Message(t, "simulator", 0, i + j) for j, t in enumerate(texts[i : i + chunk])))
            progress(0.1 + 0.5 * min(1.0, (i + chunk) / total), f"Ingestion : {min(i + chunk, total):,} messages")
        progress(0.65, "Exécution du pipeline RAW → STAGING → PRODUCTION…")
        run_until_idle(self.engine)
        report.messages = total
        report.seconds = (dt.datetime.now(dt.UTC) - start).total_seconds()
        progress(1.0, "Entrepôt prêt.")
        return report

    # --- background activity -------------------------------------------------------------------------

    def start_background(self) -> None:
        """Start the task scheduler and, if configured, the live simulator."""
        self.scheduler.start()
        if self.settings.live_rate > 0 and (self._simulator_thread is None or not self._simulator_thread.is_alive()):
            self._stop.clear()
            self._simulator_thread = threading.Thread(target=self._simulate_live, name="caves-live-sim", daemon=True)
            self._simulator_thread.start()

    def _simulate_live(self) -> None:
        now = dt.datetime.now(dt.UTC)
        # A second shop on the same warehouse: its own seed, and ids tagged so they never collide with
        # the seeded history's orders and adjustments.
        config = SimConfig(seed=self.settings.seed + 1, rate=self.settings.live_rate, id_tag=f"L{now:%H%M%S}-")
        live = LiveSimulator(config, start=now)
        writer = LocalWarehouse(self.path, engine=self.engine)
        while not self._stop.wait(1.0):
            try:
                texts = live.next_batch(dt.datetime.now(dt.UTC))
                if texts:
                    offset = self.simulated_messages
                    ingest(writer, (Message(t, "live-simulator", 0, offset + i) for i, t in enumerate(texts)))
                    self.simulated_messages += len(texts)
                self.last_error = None
            except Exception as exc:  # keep simulating; the console shows the last error
                self.last_error = str(exc)
                log.warning("live simulator: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        self.scheduler.stop()
        if self._simulator_thread is not None:
            self._simulator_thread.join(5)

    def close(self) -> None:
        self.stop()
        self.warehouse.close()
