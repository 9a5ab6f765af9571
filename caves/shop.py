"""One shop per warehouse: the simulated shop whose story a warehouse holds, and its delivery into RAW.

The simulator (caves.simulate) is a deterministic story: a config and an opening time give every message the
shop will ever send, in order. A warehouse records the shop it was fed with (``OPS.SIMULATED_SHOP``) and how
many of the story's messages it holds; each message lands in RAW with ``SOURCE_TOPIC = 'simulator'`` and its
position in the story as ``SOURCE_OFFSET``, like a Kafka partition. So the seeded history, the console's
live simulator, a restart of the console and ``caves simulate --live`` are one shop continued, never a second
shop opened on top of the first (which would bring a second opening stock and colliding ids): the feed replays
the story silently up to what the warehouse holds and delivers only what comes after.

No Streamlit import here: the runtime and the CLI use it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from .ingest import Message, ingest
from .simulate import LiveSimulator, SimConfig
from .warehouse.base import Warehouse

log = logging.getLogger("caves.shop")

SHOP_ID = "caves-albert"
SHOP_TOPIC = "simulator"
# A catch-up of days or weeks lands in chunks, with progress reported between them.
DELIVERY_CHUNK = 20_000

_SHOP_TABLE = "CAVES_ALBERT_DB.OPS.SIMULATED_SHOP"
_RAW_TABLE = "CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM"

Progress = Callable[[float, str], None]


class ShopError(Exception):
    """The warehouse cannot be fed with the simulated shop (said in one readable line)."""


@dataclass(frozen=True)
class ShopRecord:
    """The shop a warehouse holds: its simulator settings, its opening and its accelerated-demo factor."""

    config: SimConfig
    opened_at: dt.datetime  # UTC, timezone-aware
    demo_factor: int = 1
    delivered: int = 0


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _aware_utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def read_shop(warehouse: Warehouse) -> ShopRecord | None:
    """The shop recorded in this warehouse, or None when it was never fed by the simulator."""
    rows = warehouse.query(
        f"SELECT SIM_CONFIG, OPENED_AT, DEMO_FACTOR, DELIVERED_MESSAGES FROM {_SHOP_TABLE} WHERE SHOP_ID = ?",
        [SHOP_ID],
    )
    if rows.empty:
        return None
    row = rows.iloc[0]
    config = SimConfig(**json.loads(row["SIM_CONFIG"]))
    opened = row["OPENED_AT"]
    opened = opened.to_pydatetime() if hasattr(opened, "to_pydatetime") else opened
    return ShopRecord(config, _aware_utc(opened), int(row["DEMO_FACTOR"]), int(row["DELIVERED_MESSAGES"]))


def raw_event_count(warehouse: Warehouse) -> int:
    """All the RAW rows of the warehouse, whatever their source."""
    return int(warehouse.query(f"SELECT COUNT(*) AS N FROM {_RAW_TABLE}").iloc[0, 0])


def open_shop(warehouse: Warehouse, config: SimConfig, opened_at: dt.datetime, demo_factor: int = 1) -> ShopRecord:
    """Record a new shop in an empty warehouse. Refused when the warehouse already holds a shop or other events."""
    existing = read_shop(warehouse)
    if existing is not None:
        raise ShopError(
            f"this warehouse already holds the shop opened on {existing.opened_at:%Y-%m-%d %H:%M} UTC "
            f"({existing.delivered:,} messages); it is continued, never opened a second time"
        )
    foreign = raw_event_count(warehouse)
    if foreign:
        raise ShopError(
            f"this warehouse already holds {foreign:,} events that are not from a recorded simulated shop; "
            "a simulated shop opens only on an empty warehouse (use another --db)"
        )
    if demo_factor < 1:
        raise ShopError("the accelerated demo factor must be a whole number >= 1")
    warehouse.execute(
        f"INSERT INTO {_SHOP_TABLE} (SHOP_ID, SIM_CONFIG, DEMO_FACTOR, OPENED_AT, DELIVERED_MESSAGES, UPDATED_AT) "
        "VALUES (?, ?, ?, ?, 0, ?)",
        [
            SHOP_ID,
            json.dumps(dataclasses.asdict(config), sort_keys=True),
            demo_factor,
            _naive_utc(opened_at),
            _naive_utc(dt.datetime.now(dt.UTC)),
        ],
    )
    return ShopRecord(config, _aware_utc(opened_at), demo_factor, 0)


def delivered_count(warehouse: Warehouse, record: ShopRecord) -> int:
    """How many of the story's messages the warehouse holds.

    The RAW rows are the truth (a message and its offset land in one insert); the shop row is a lower bound
    that survives RAW's retention purge.
    """
    rows = warehouse.query(
        f"SELECT MAX(SOURCE_OFFSET) AS LAST_OFFSET FROM {_RAW_TABLE} WHERE SOURCE_TOPIC = ? AND SOURCE_PARTITION = 0",
        [SHOP_TOPIC],
    )
    last = rows.iloc[0, 0]
    in_raw = 0 if last is None or last != last else int(last) + 1  # NULL or NaN: nothing in RAW
    return max(in_raw, record.delivered)


class ShopFeed:
    """Delivers a recorded shop's story into a warehouse, from where the warehouse stands to ``now``.

    The first ``deliver_until`` replays the story from the opening (a few seconds per year of history) and lands
    only the messages the warehouse does not hold yet: a console restarted after a day off catches up on that
    day, as the shop's Kafka topic would.
    """

    def __init__(self, warehouse: Warehouse, record: ShopRecord) -> None:
        self.warehouse = warehouse
        self.record = record
        self.delivered = delivered_count(warehouse, record)
        self._story: LiveSimulator | None = None
        self._position = 0  # messages of the story generated so far

    def deliver_until(self, now: dt.datetime, progress: Progress | None = None) -> int:
        """Land the story's messages sent up to ``now``; returns how many landed."""
        if self._story is None:
            self._story = LiveSimulator(self.record.config, start=self.record.opened_at)
        texts = self._story.next_batch(_aware_utc(now))
        first = self._position
        self._position += len(texts)
        # Another feed (the CLI beside the console) may have landed some already: skip what the warehouse holds.
        self.delivered = max(self.delivered, self._current_delivered())
        skip = max(0, self.delivered - first)
        fresh = texts[skip:]
        offset = first + skip
        for start in range(0, len(fresh), DELIVERY_CHUNK):
            chunk = fresh[start : start + DELIVERY_CHUNK]
            ingest(self.warehouse, (Message(t, SHOP_TOPIC, 0, offset + start + i) for i, t in enumerate(chunk)))
            self.delivered = offset + start + len(chunk)
            self._record_delivered()
            if progress is not None:
                progress(min(1.0, (start + len(chunk)) / len(fresh)), f"{start + len(chunk):,} / {len(fresh):,}")
        return len(fresh)

    def _current_delivered(self) -> int:
        rows = self.warehouse.query(
            f"SELECT DELIVERED_MESSAGES AS N FROM {_SHOP_TABLE} WHERE SHOP_ID = ?",
            [SHOP_ID],
        )
        return 0 if rows.empty else int(rows.iloc[0, 0])

    def _record_delivered(self) -> None:
        self.warehouse.execute(
            f"UPDATE {_SHOP_TABLE} SET DELIVERED_MESSAGES = GREATEST(DELIVERED_MESSAGES, ?), UPDATED_AT = ? "
            "WHERE SHOP_ID = ?",
            [self.delivered, _naive_utc(dt.datetime.now(dt.UTC)), SHOP_ID],
        )
