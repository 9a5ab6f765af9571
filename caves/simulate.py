"""The shop simulator: a believable stream of events from Les Caves d'Albert's web shop and warehouse.

The story: ~120 wines in seven categories, ~2,000 customers of whom a few buy a lot (Pareto), orders that
peak in the evening and at the weekend (and in December, for Champagne), each living through
pending -> confirmed -> shipped -> delivered (or cancelled), a warehouse that records every stock change
(initial stock, sales, supplier restocks when stock gets low, breakage, returns, inventory corrections), and a
few wines no longer restocked, which sell out.

Everything is a pure function of the config and the times passed in: one `random.Random` drives the shop, a
second one (also from the seed) the delivery noise, so redeliveries, late and broken messages are added on top
of the very same shop story. Time is an integer count of UTC milliseconds inside the module.

Delivery noise (all off by default):
- `redelivery_rate`: a message is sent again, verbatim (same event_id), seconds to minutes later;
- `late_rate`: an order status event is held back and sent just after the next status of the same order;
- `broken_rate`: a malformed message (see BROKEN_KINDS) is sent next to a valid one, with its own event_id.
"""

import heapq
import json
import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from itertools import accumulate
from typing import Any

from caves.events import CATEGORIES, PAYMENT_METHODS, REQUIRED_FIELDS

SECOND = 1_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Long-run number of messages per order (4 statuses + 1 sale, fewer when cancelled, plus restocks, returns,
# breakage and corrections), measured on 90 days of history: turns a `rate` in events/s into orders/s.
EVENTS_PER_ORDER = 4.9


@dataclass(frozen=True)
class SimConfig:
    """What to simulate.

    `orders_per_day` is the volume of an ordinary month (December is 30 % busier, January 15 % quieter);
    `rate`, in messages per second, replaces it with a flat rate (no daily, weekly or monthly profile).
    The `*_rate` fields are probabilities per message (delivery noise) or per order (cancel, return).
    """

    seed: int = 42
    orders_per_day: float = 200.0
    rate: float | None = None
    redelivery_rate: float = 0.0
    late_rate: float = 0.0
    broken_rate: float = 0.0
    cancel_rate: float = 0.05
    return_rate: float = 0.02
    customers: int = 2000
    # Put into order and adjustment ids (ORD-<tag><date>-n): a second shop run on the same warehouse,
    # such as the console's live simulator after the seeded history, must not reuse the first run's ids.
    id_tag: str = ""

    def __post_init__(self) -> None:
        for name in ("redelivery_rate", "late_rate", "broken_rate", "cancel_rate", "return_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.orders_per_day <= 0 or (self.rate is not None and self.rate <= 0):
            raise ValueError("orders_per_day and rate must be > 0")
        if self.customers < 1:
            raise ValueError("customers must be >= 1")


# --- the catalogue -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wine:
    """One product of the catalogue. `popularity` is its weight within its category."""

    product_id: str
    name: str
    category: str
    unit_price: float
    warehouse_location: str
    popularity: float
    discontinued: bool


_CHATEAUX = (
    "Château Bel-Air",
    "Château La Garde",
    "Château Haut-Brisson",
    "Château Les Tuileries",
    "Château Le Prieuré",
    "Château Beauséjour-Lacoste",
    "Château La Tour Saint-Vincent",
    "Château Roc de Lussac",
    "Château Fontenelle",
    "Château Peyrelongue",
)
_DOMAINES = (
    "Domaine Albert Moreau",
    "Domaine des Tilleuls",
    "Domaine Lefèvre Père & Fils",
    "Domaine de la Croix Blanche",
    "Domaine Girard",
    "Domaine du Clos Fontaine",
    "Domaine Rousseau-Chevalier",
    "Domaine des Marnes",
    "Domaine Bertrand",
    "Domaine de l'Ermitage Saint-Roch",
    "Domaine Vidal-Faure",
    "Domaine Les Genêts",
    "Domaine Mercier",
    "Domaine du Vieux Puits",
)
_MAISONS = (
    "Champagne Albert Morel",
    "Champagne Lacroix-Dumont",
    "Champagne Veuve Perrard",
    "Champagne Gaston Réville",
    "Champagne Delaunay Père & Fils",
    "Champagne Marchand-Blanchard",
)
_DISTILLERIES = (
    "Maison Renaud",
    "Domaine de Jaurrey",
    "Maison Boyer",
    "Château de Lassalle",
    "Maison Lambert",
    "Domaine du Pressoir",
)
_PRODUCERS = {"chateau": _CHATEAUX, "domaine": _DOMAINES, "maison": _MAISONS, "distillerie": _DISTILLERIES}
_VINTAGE_NAME = "{producer} {label} {vintage}"
_HOUSE_NAME = "{producer} {label}"
_SPIRIT_NAME = "{label} {producer}"

# (category, label, price range in EUR, producers, vintages or None, name template)
_APPELLATIONS: tuple[tuple[str, str, tuple[int, int], str, tuple[int, int] | None, str], ...] = (
    ("Rouge", "Saint-Émilion Grand Cru", (25, 70), "chateau", (2014, 2021), _VINTAGE_NAME),
    ("Rouge", "Pauillac", (45, 90), "chateau", (2012, 2020), _VINTAGE_NAME),
    ("Rouge", "Margaux", (40, 90), "chateau", (2012, 2020), _VINTAGE_NAME),
    ("Rouge", "Pessac-Léognan", (30, 70), "chateau", (2014, 2021), _VINTAGE_NAME),
    ("Rouge", "Pomerol", (50, 90), "chateau", (2012, 2020), _VINTAGE_NAME),
    ("Rouge", "Haut-Médoc", (15, 30), "chateau", (2016, 2022), _VINTAGE_NAME),
    ("Rouge", "Bordeaux Supérieur", (9, 16), "chateau", (2019, 2023), _VINTAGE_NAME),
    ("Rouge", "Gevrey-Chambertin", (45, 90), "domaine", (2015, 2022), _VINTAGE_NAME),
    ("Rouge", "Pommard", (45, 85), "domaine", (2015, 2022), _VINTAGE_NAME),
    ("Rouge", "Bourgogne Pinot Noir", (15, 28), "domaine", (2019, 2023), _VINTAGE_NAME),
    ("Rouge", "Mercurey", (22, 35), "domaine", (2018, 2022), _VINTAGE_NAME),
    ("Rouge", "Châteauneuf-du-Pape", (35, 70), "domaine", (2015, 2022), _VINTAGE_NAME),
    ("Rouge", "Côte-Rôtie", (50, 90), "domaine", (2015, 2021), _VINTAGE_NAME),
    ("Rouge", "Crozes-Hermitage", (18, 32), "domaine", (2018, 2022), _VINTAGE_NAME),
    ("Rouge", "Gigondas", (22, 38), "domaine", (2017, 2022), _VINTAGE_NAME),
    ("Rouge", "Côtes du Rhône", (9, 15), "domaine", (2020, 2023), _VINTAGE_NAME),
    ("Rouge", "Chinon", (12, 22), "domaine", (2019, 2023), _VINTAGE_NAME),
    ("Rouge", "Saumur-Champigny", (12, 22), "domaine", (2019, 2023), _VINTAGE_NAME),
    ("Rouge", "Pic Saint-Loup", (14, 28), "domaine", (2018, 2022), _VINTAGE_NAME),
    ("Rouge", "Corbières", (9, 16), "domaine", (2020, 2023), _VINTAGE_NAME),
    ("Rouge", "Cahors", (11, 25), "chateau", (2017, 2022), _VINTAGE_NAME),
    ("Rouge", "Morgon", (13, 22), "domaine", (2020, 2023), _VINTAGE_NAME),
    ("Rouge", "Bandol", (25, 40), "domaine", (2016, 2021), _VINTAGE_NAME),
    ("Blanc", "Chablis", (16, 25), "domaine", (2020, 2023), _VINTAGE_NAME),
    ("Blanc", "Chablis Premier Cru", (25, 40), "domaine", (2018, 2022), _VINTAGE_NAME),
    ("Blanc", "Meursault", (45, 80), "domaine", (2017, 2022), _VINTAGE_NAME),
    ("Blanc", "Puligny-Montrachet", (55, 90), "domaine", (2017, 2022), _VINTAGE_NAME),
    ("Blanc", "Pouilly-Fuissé", (22, 35), "domaine", (2019, 2023), _VINTAGE_NAME),
    ("Blanc", "Mâcon-Villages", (11, 16), "domaine", (2021, 2023), _VINTAGE_NAME),
    ("Blanc", "Sancerre", (18, 28), "domaine", (2021, 2023), _VINTAGE_NAME),
    ("Blanc", "Pouilly-Fumé", (18, 30), "domaine", (2021, 2023), _VINTAGE_NAME),
    ("Blanc", "Vouvray", (14, 24), "domaine", (2019, 2023), _VINTAGE_NAME),
    ("Blanc", "Muscadet Sèvre-et-Maine", (8, 14), "domaine", (2022, 2024), _VINTAGE_NAME),
    ("Blanc", "Alsace Riesling", (12, 22), "domaine", (2019, 2023), _VINTAGE_NAME),
    ("Blanc", "Alsace Gewurztraminer", (13, 24), "domaine", (2019, 2023), _VINTAGE_NAME),
    ("Blanc", "Condrieu", (40, 65), "domaine", (2019, 2022), _VINTAGE_NAME),
    ("Blanc", "Pessac-Léognan blanc", (30, 60), "chateau", (2017, 2022), _VINTAGE_NAME),
    ("Blanc", "Picpoul de Pinet", (8, 13), "domaine", (2022, 2024), _VINTAGE_NAME),
    ("Rosé", "Côtes de Provence", (10, 22), "domaine", (2023, 2024), _VINTAGE_NAME),
    ("Rosé", "Bandol rosé", (18, 25), "domaine", (2022, 2024), _VINTAGE_NAME),
    ("Rosé", "Tavel", (12, 20), "domaine", (2022, 2024), _VINTAGE_NAME),
    ("Rosé", "Coteaux d'Aix-en-Provence", (10, 18), "domaine", (2023, 2024), _VINTAGE_NAME),
    ("Rosé", "Côtes du Rhône rosé", (8, 12), "domaine", (2023, 2024), _VINTAGE_NAME),
    ("Rosé", "Sancerre rosé", (16, 24), "domaine", (2022, 2024), _VINTAGE_NAME),
    ("Champagne", "Brut Réserve", (28, 45), "maison", None, _HOUSE_NAME),
    ("Champagne", "Blanc de Blancs", (40, 70), "maison", None, _HOUSE_NAME),
    ("Champagne", "Rosé Brut", (40, 65), "maison", None, _HOUSE_NAME),
    ("Champagne", "Extra Brut", (35, 55), "maison", None, _HOUSE_NAME),
    ("Champagne", "Millésime", (55, 95), "maison", (2008, 2016), _VINTAGE_NAME),
    ("Champagne", "Cuvée Prestige", (80, 120), "maison", None, _HOUSE_NAME),
    ("Champagne", "Blanc de Noirs", (40, 60), "maison", None, _HOUSE_NAME),
    ("Effervescent", "Crémant de Bourgogne", (11, 20), "domaine", None, _HOUSE_NAME),
    ("Effervescent", "Crémant d'Alsace", (11, 20), "domaine", None, _HOUSE_NAME),
    ("Effervescent", "Crémant de Loire", (10, 18), "domaine", None, _HOUSE_NAME),
    ("Effervescent", "Crémant de Limoux", (10, 18), "domaine", None, _HOUSE_NAME),
    ("Effervescent", "Blanquette de Limoux", (9, 15), "domaine", None, _HOUSE_NAME),
    ("Effervescent", "Vouvray pétillant", (13, 22), "domaine", (2019, 2022), _VINTAGE_NAME),
    ("Liquoreux", "Sauternes", (25, 90), "chateau", (2009, 2019), _VINTAGE_NAME),
    ("Liquoreux", "Barsac", (22, 60), "chateau", (2010, 2019), _VINTAGE_NAME),
    ("Liquoreux", "Monbazillac", (12, 25), "chateau", (2015, 2021), _VINTAGE_NAME),
    ("Liquoreux", "Coteaux du Layon", (14, 30), "domaine", (2015, 2021), _VINTAGE_NAME),
    ("Liquoreux", "Jurançon", (18, 35), "domaine", (2016, 2021), _VINTAGE_NAME),
    ("Liquoreux", "Alsace Vendanges Tardives", (30, 55), "domaine", (2012, 2019), _VINTAGE_NAME),
    ("Spiritueux", "Cognac VSOP", (45, 70), "distillerie", None, _SPIRIT_NAME),
    ("Spiritueux", "Cognac XO", (90, 150), "distillerie", None, _SPIRIT_NAME),
    ("Spiritueux", "Fine Champagne Cognac", (50, 80), "distillerie", None, _SPIRIT_NAME),
    ("Spiritueux", "Bas-Armagnac 10 ans", (45, 70), "distillerie", None, _SPIRIT_NAME),
    ("Spiritueux", "Bas-Armagnac Hors d'Âge", (60, 110), "distillerie", None, _SPIRIT_NAME),
    ("Spiritueux", "Armagnac Millésime", (90, 150), "distillerie", (1985, 2005), "{label} {vintage} {producer}"),
    ("Spiritueux", "Calvados Pays d'Auge VSOP", (35, 55), "distillerie", None, _SPIRIT_NAME),
    ("Spiritueux", "Calvados XO", (60, 95), "distillerie", None, _SPIRIT_NAME),
    ("Spiritueux", "Marc de Bourgogne", (35, 50), "distillerie", None, _SPIRIT_NAME),
)
_WINES_PER_CATEGORY = {
    "Rouge": 40,
    "Blanc": 24,
    "Rosé": 12,
    "Champagne": 14,
    "Effervescent": 10,
    "Liquoreux": 8,
    "Spiritueux": 12,
}
# Each category has its own cellar aisle.
_AISLES = {"Rouge": "A", "Blanc": "B", "Rosé": "C", "Champagne": "D", "Effervescent": "E", "Liquoreux": "F"}
_CATALOGUE_SEED = 1979  # the catalogue is the shop itself: the same whatever the simulation seed
_DISCONTINUED_COUNT = 6  # end-of-vintage wines the supplier no longer delivers: they sell out


def _price(rng: random.Random, low: int, high: int) -> float:
    # Skewed towards the low end of the range; shelf prices end in .50 or .90.
    raw = low + (high - low) * rng.betavariate(1.6, 2.4)
    return max(low + 0.5, math.floor(raw) + rng.choice((0.5, 0.9)))


def _wines_of(category: str, rng: random.Random, taken: set[str]) -> list[tuple[str, float]]:
    specs = [spec for spec in _APPELLATIONS if spec[0] == category]
    wines = []
    while len(wines) < _WINES_PER_CATEGORY[category]:
        _, label, (low, high), producers, vintages, template = specs[len(wines) % len(specs)]
        vintage = rng.randint(*vintages) if vintages else ""
        name = template.format(producer=rng.choice(_PRODUCERS[producers]), label=label, vintage=vintage)
        if name not in taken:
            taken.add(name)
            wines.append((name, _price(rng, low, high)))
    return wines


def _build_catalogue() -> tuple[Wine, ...]:
    rng = random.Random(_CATALOGUE_SEED)
    taken: set[str] = set()
    drafts = [(category, name, price) for category in CATEGORIES for name, price in _wines_of(category, rng, taken)]
    rng.shuffle(drafts)
    discontinued = set(rng.sample(range(len(drafts)), _DISCONTINUED_COUNT))
    slots: Counter[str] = Counter()
    wines = []
    for index, (category, name, price) in enumerate(drafts):
        aisle = _AISLES.get(category, "G")
        slots[aisle] += 1
        # A long tail within each category; cheaper bottles sell more often.
        popularity = rng.lognormvariate(0.0, 0.9) * (30.0 / price) ** 0.5
        wines.append(
            Wine(
                product_id=f"WINE-{index + 1:04d}",
                name=name,
                category=category,
                unit_price=price,
                warehouse_location=f"CAVE-{aisle}-{slots[aisle]:02d}",
                popularity=round(popularity, 4),
                discontinued=index in discontinued,
            )
        )
    return tuple(wines)


CATALOGUE: tuple[Wine, ...] = _build_catalogue()
_CATALOGUE_INDEX = {wine.product_id: index for index, wine in enumerate(CATALOGUE)}

# Share of orders per category in an ordinary month, and the seasonal boosts on top.
_CATEGORY_SHARE = {
    "Rouge": 0.40,
    "Blanc": 0.20,
    "Rosé": 0.10,
    "Champagne": 0.11,
    "Effervescent": 0.06,
    "Liquoreux": 0.05,
    "Spiritueux": 0.08,
}
_SEASON_BOOST = {
    "Champagne": {11: 1.4, 12: 3.0},
    "Effervescent": {12: 2.0},
    "Liquoreux": {12: 2.0},
    "Spiritueux": {12: 1.5},
    "Rosé": {5: 2.0, 6: 2.5, 7: 2.5, 8: 2.2, 11: 0.5, 12: 0.4, 1: 0.4, 2: 0.5},
}


@cache
def _monthly_shares(month: int) -> tuple[float, ...]:
    """Each wine's share of the orders placed in `month` (1-12), in catalogue order."""
    category_popularity = Counter[str]()
    for wine in CATALOGUE:
        category_popularity[wine.category] += wine.popularity
    weights = [
        _CATEGORY_SHARE[wine.category]
        * _SEASON_BOOST.get(wine.category, {}).get(month, 1.0)
        * wine.popularity
        / category_popularity[wine.category]
        for wine in CATALOGUE
    ]
    total = sum(weights)
    return tuple(weight / total for weight in weights)


@cache
def _monthly_cumulative(month: int) -> tuple[float, ...]:
    return tuple(accumulate(_monthly_shares(month)))


# --- customers and ordering habits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    """A customer; `weight` is their relative propensity to order."""

    customer_id: str
    country: str
    weight: float


_COUNTRIES = ("FR", "BE", "CH", "DE", "LU", "GB", "NL")
_COUNTRY_WEIGHTS = (82, 6, 4, 3, 2, 2, 1)
_PAYMENT_SHARE = {"card": 60, "paypal": 20, "apple_pay": 12, "bank_transfer": 8}
_PAYMENT_WEIGHTS = tuple(_PAYMENT_SHARE[method] for method in PAYMENT_METHODS)
_QUANTITIES = (1, 2, 3, 4, 5, 6)
_QUANTITY_WEIGHTS = (48, 27, 9, 5, 2, 9)  # 6 is a case
_MEAN_QUANTITY = sum(q * w for q, w in zip(_QUANTITIES, _QUANTITY_WEIGHTS, strict=True)) / sum(_QUANTITY_WEIGHTS)
_DISCOUNTS = (0.05, 0.10, 0.15)
_DISCOUNT_RATE = 0.07

# Orders by hour of day (UTC, as the dashboards show it): quiet nights, a lunch bump, the evening peak 19-21h.
_HOUR_WEIGHTS = (
    *(0.6, 0.3, 0.2, 0.15, 0.15, 0.25, 0.6, 1.2, 1.8, 2.2, 2.4, 2.6),  # 0h-11h
    *(3.0, 2.8, 2.4, 2.3, 2.4, 2.8, 3.6, 4.6, 5.0, 4.4, 3.0, 1.6),  # 12h-23h
)
_WEEKDAY_WEIGHTS = (0.85, 0.85, 0.9, 0.95, 1.1, 1.35, 1.25)  # Monday .. Sunday
_HOUR_FACTOR = tuple(24 * w / sum(_HOUR_WEIGHTS) for w in _HOUR_WEIGHTS)
_WEEKDAY_FACTOR = tuple(7 * w / sum(_WEEKDAY_WEIGHTS) for w in _WEEKDAY_WEIGHTS)
_MONTH_VOLUME = {12: 1.3, 1: 0.85}  # Christmas, then the "Dry January"


def _make_customers(rng: random.Random, count: int) -> tuple[Customer, ...]:
    # Pareto propensity, capped so that the most loyal customers order about twice a week, not hourly.
    return tuple(
        Customer(
            customer_id=f"CUST-{number:05d}",
            country=rng.choices(_COUNTRIES, _COUNTRY_WEIGHTS)[0],
            weight=min(rng.paretovariate(1.2), 8.0),
        )
        for number in range(1, count + 1)
    )


# --- time ----------------------------------------------------------------------------------------------------


def _to_ms(moment: datetime) -> int:
    """UTC milliseconds of `moment` (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def _to_datetime(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def _iso(ms: int) -> str:
    return f"{_to_datetime(ms):%Y-%m-%dT%H:%M:%S}.{ms % SECOND:03d}Z"


def _weekday(ms: int) -> int:
    return (ms // DAY + 3) % 7  # 1970-01-01 was a Thursday


@cache
def _month_of_day(day: int) -> int:
    return date.fromordinal(_EPOCH_ORDINAL + day).month


def _month(ms: int) -> int:
    return _month_of_day(ms // DAY)


# --- events --------------------------------------------------------------------------------------------------


def _dumps(event: dict[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def _event_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _money(amount: Decimal) -> float:
    return float(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class _Order:
    order_id: str
    customer: Customer
    wine: Wine
    quantity: int
    total_amount: float
    payment_method: str
    order_date: int
    cancel_after: str | None  # None, "pending" (never paid) or "confirmed" (customer changed their mind)
    held: list[str] = field(default_factory=list)


def _order_event(event_id: str, ms: int, order: _Order, status: str) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_type": "order",
        "event_timestamp": _iso(ms),
        "source": "webshop",
        "payload": {
            "order_id": order.order_id,
            "customer_id": order.customer.customer_id,
            "product_id": order.wine.product_id,
            "product_name": order.wine.name,
            "product_category": order.wine.category,
            "quantity": order.quantity,
            "unit_price": order.wine.unit_price,
            "total_amount": order.total_amount,
            "currency": "EUR",
            "payment_method": order.payment_method,
            "order_status": status,
            "order_date": _iso(order.order_date),
            "shipping_country": order.customer.country,
        },
    }


def _adjustment_event(
    event_id: str, ms: int, adjustment_id: str, wine: Wine, kind: str, change: int, reason: str
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_type": "inventory_adjustment",
        "event_timestamp": _iso(ms),
        "source": "webshop" if kind == "sale" else "warehouse-scanner",
        "payload": {
            "adjustment_id": adjustment_id,
            "product_id": wine.product_id,
            "product_name": wine.name,
            "product_category": wine.category,
            "warehouse_location": wine.warehouse_location,
            "adjustment_type": kind,
            "quantity_change": change,
            "reason": reason,
        },
    }


# --- broken messages -----------------------------------------------------------------------------------------

_COMMON_KINDS = (
    "not_json",
    "truncated_json",
    "json_array",
    "unknown_event_type",
    "missing_field",
    "wrong_type",
    "bad_timestamp",
    "bad_category",
    "empty_event_id",
)
BROKEN_KINDS: dict[str, tuple[str, ...]] = {
    "order": (*_COMMON_KINDS, "quantity_zero", "negative_price", "total_too_high"),
    "inventory_adjustment": (*_COMMON_KINDS, "quantity_change_zero", "wrong_sign"),
}
_BAD_TIMESTAMPS = (
    "2026-02-30T10:00:00Z",
    "yesterday",
    "2026-13-01T08:00:00Z",
    "20/11/2026 10:00",
    "2026-11-20 25:61:00",
    "2026-11-20T10:00:00",  # no time zone
)
_BAD_CATEGORIES = ("Vin", "Orange", "rouge", "Bière", "Cidre", "")


def _break_type(event: dict[str, Any], rng: random.Random) -> None:
    payload = event["payload"]
    if event["event_type"] == "inventory_adjustment":
        change = payload["quantity_change"]
        payload["quantity_change"] = rng.choice((str(change), change + 0.5))
        return
    name = rng.choice(("quantity", "unit_price", "total_amount"))
    payload[name] = str(payload[name]).replace(".", ",")


def _break_sign(payload: dict[str, Any]) -> None:
    if payload["adjustment_type"] == "correction":
        payload["adjustment_type"] = "sale"
        payload["quantity_change"] = abs(payload["quantity_change"])
    else:
        payload["quantity_change"] = -payload["quantity_change"]


def _drop_field(broken: dict[str, Any], rng: random.Random) -> None:
    if rng.random() < 0.3:
        del broken[rng.choice(("event_id", "event_type", "event_timestamp", "payload"))]
    else:
        del broken["payload"][rng.choice(REQUIRED_FIELDS[broken["event_type"]])]


def _break_timestamp(broken: dict[str, Any], rng: random.Random) -> None:
    if "order_date" in broken["payload"] and rng.random() < 0.3:
        broken["payload"]["order_date"] = rng.choice(_BAD_TIMESTAMPS)
    else:
        broken["event_timestamp"] = rng.choice(_BAD_TIMESTAMPS)


def _unknown_event_type(broken: dict[str, Any], rng: random.Random) -> None:
    broken["event_type"] = rng.choice(("refund", "order_v2", "Order", "stock_update"))


def _empty_event_id(broken: dict[str, Any], _rng: random.Random) -> None:
    broken["event_id"] = ""


def _wrong_sign(broken: dict[str, Any], _rng: random.Random) -> None:
    _break_sign(broken["payload"])


def _set_payload(
    name: str, make: Callable[[dict[str, Any], random.Random], Any]
) -> Callable[[dict[str, Any], random.Random], None]:
    """A mutation setting the payload field ``name`` to ``make(payload, rng)``."""

    def mutate(broken: dict[str, Any], rng: random.Random) -> None:
        broken["payload"][name] = make(broken["payload"], rng)

    return mutate


# The broken kinds that change a valid event (a copy) in place; the message is then its JSON. Each draws from the
# generator in a fixed order, so a seed always gives the same messages.
_MUTATIONS: dict[str, Callable[[dict[str, Any], random.Random], None]] = {
    "unknown_event_type": _unknown_event_type,
    "missing_field": _drop_field,
    "wrong_type": _break_type,
    "bad_timestamp": _break_timestamp,
    "bad_category": _set_payload("product_category", lambda _p, rng: rng.choice(_BAD_CATEGORIES)),
    "empty_event_id": _empty_event_id,
    "quantity_zero": _set_payload("quantity", lambda _p, _rng: 0),
    "negative_price": _set_payload("unit_price", lambda p, _rng: -p["unit_price"]),
    "total_too_high": _set_payload(
        "total_amount", lambda p, rng: round(p["quantity"] * p["unit_price"] + rng.choice((1, 5, 10.5)), 2)
    ),
    "quantity_change_zero": _set_payload("quantity_change", lambda _p, _rng: 0),
    "wrong_sign": _wrong_sign,
}


def _broken_text(kind: str, broken: dict[str, Any], rng: random.Random) -> str | None:
    """The broken kinds that are not JSON of an event at all; None for the others."""
    if kind == "not_json":
        # str() of a dict is what a careless Python producer sends: single quotes, not JSON.
        return rng.choice(("ceci n'est pas du JSON", "", "<html><body>502 Bad Gateway</body></html>", str(broken)))
    if kind == "truncated_json":
        text = _dumps(broken)
        return text[: rng.randrange(1, len(text) - 1)]
    if kind == "json_array":
        return f"[{_dumps(broken)}]"
    return None


def make_broken(kind: str, event: dict[str, Any], rng: random.Random) -> str:
    """A malformed message of `kind` (one of BROKEN_KINDS[event type]) made from the valid `event`."""
    if kind not in BROKEN_KINDS[event["event_type"]]:
        raise ValueError(f"no broken kind {kind!r} for a {event['event_type']} event")
    broken = json.loads(json.dumps(event))
    text = _broken_text(kind, broken, rng)
    if text is not None:
        return text
    mutate = _MUTATIONS.get(kind)
    if mutate is not None:
        mutate(broken, rng)
    return _dumps(broken)


# --- the shop ------------------------------------------------------------------------------------------------

_LATE_RELEASE = (SECOND, 2 * MINUTE)
_REDELIVERY_MEAN = 5 * MINUTE
_BREAKAGE_PER_ORDER = 0.01
_BREAKAGE_REASONS = ("bouteille cassée", "casse lors de la préparation", "carton endommagé", "bouchon défectueux")
_FINAL_STATUSES = frozenset({"delivered", "cancelled"})


def _case_of_six(units: float) -> int:
    return max(6, 6 * math.ceil(units / 6))


class _Shop:
    """The shop as a discrete-event simulation: a time-ordered queue of actions, each emitting messages."""

    def __init__(self, config: SimConfig, start: int) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.noise = random.Random(f"noise-{config.seed}")
        self.customers = _make_customers(self.rng, config.customers)
        self.customer_weights = tuple(accumulate(c.weight for c in self.customers))
        self.stock = dict.fromkeys((wine.product_id for wine in CATALOGUE), 0)  # sellable units
        self.restocking: set[str] = set()
        self.serials: Counter[tuple[str, int]] = Counter()
        self.queue: list[tuple[int, int, Callable[..., None], tuple[Any, ...]]] = []
        self.sequence = 0
        self.now = start
        self.sent: list[tuple[int, str]] = []
        self.at(start, self.open_shop)

    # -- the queue --

    def at(self, ms: int, action: Callable[..., None], *args: Any) -> None:
        self.sequence += 1  # ties run in scheduling order
        heapq.heappush(self.queue, (ms, self.sequence, action, args))

    def run_until(self, end: int) -> list[tuple[int, str]]:
        """Run every action before `end`; return the messages sent, in sending order."""
        while self.queue and self.queue[0][0] < end:
            self.now, _, action, args = heapq.heappop(self.queue)
            action(*args)
        sent, self.sent = self.sent, []
        return sent

    # -- sending, with the delivery noise --

    def send(self, event: dict[str, Any]) -> None:
        text = _dumps(event)
        self.sent.append((self.now, text))
        if self.noise.random() < self.config.redelivery_rate:
            self.at(self.now + 1 + int(self.noise.expovariate(1 / _REDELIVERY_MEAN)), self.resend, text)
        if self.noise.random() < self.config.broken_rate:
            broken = dict(event, event_id=_event_id(self.noise))
            kind = self.noise.choice(BROKEN_KINDS[event["event_type"]])
            self.sent.append((self.now, make_broken(kind, broken, self.noise)))

    def resend(self, text: str) -> None:
        self.sent.append((self.now, text))

    # -- time and rates --

    def orders_per_day(self, ms: int) -> float:
        """The day's expected orders, before the hour and weekday profile."""
        if self.config.rate is not None:
            return self.config.rate / EVENTS_PER_ORDER * (DAY / SECOND)
        return self.config.orders_per_day * _MONTH_VOLUME.get(_month(ms), 1.0)

    def orders_per_ms(self, ms: int) -> float:
        if self.config.rate is not None:
            return self.orders_per_day(ms) / DAY
        profile = _HOUR_FACTOR[ms % DAY // HOUR] * _WEEKDAY_FACTOR[_weekday(ms)]
        return self.orders_per_day(ms) / DAY * profile

    def next_arrival(self, ms: int) -> int:
        """Next order of a Poisson process whose rate is constant within each hour."""
        need = self.rng.expovariate(1.0)
        moment = float(ms)
        while True:
            hour_end = (moment // HOUR + 1) * HOUR
            rate = self.orders_per_ms(int(moment))
            if rate * (hour_end - moment) >= need:
                return math.floor(moment + need / rate)
            need -= rate * (hour_end - moment)
            moment = hour_end

    def working_time(self, ms: int) -> int:
        """The first warehouse working moment at or after `ms` (8h-18h UTC, Monday to Saturday)."""
        day, clock = divmod(ms, DAY)
        if clock >= 18 * HOUR:
            day, clock = day + 1, 8 * HOUR + self.rng.randrange(2 * HOUR)
        elif clock < 8 * HOUR:
            clock = 8 * HOUR + self.rng.randrange(2 * HOUR)
        if (day + 3) % 7 == 6:
            day += 1
        return day * DAY + clock

    def daily_units(self, wine: Wine) -> float:
        """The units of `wine` expected to sell per day this month."""
        share = _monthly_shares(_month(self.now))[_CATALOGUE_INDEX[wine.product_id]]
        return self.orders_per_day(self.now) * share * _MEAN_QUANTITY

    def serial(self, prefix: str) -> int:
        self.serials[prefix, self.now // DAY] += 1
        return self.serials[prefix, self.now // DAY]

    # -- the stock --

    def adjust(self, wine: Wine, kind: str, change: int, reason: str) -> None:
        """Record a stock change. Units leave the sellable stock when decided, and join it when recorded."""
        if change > 0:
            self.stock[wine.product_id] += change
        adjustment_id = f"ADJ-{self.config.id_tag}{_iso(self.now)[:10]}-{self.serial('ADJ'):04d}"
        self.send(_adjustment_event(_event_id(self.rng), self.now, adjustment_id, wine, kind, change, reason))

    def reorder_if_low(self, wine: Wine) -> None:
        reorder_point = max(30.0, 12 * self.daily_units(wine))
        if wine.discontinued or wine.product_id in self.restocking or self.stock[wine.product_id] >= reorder_point:
            return
        self.restocking.add(wine.product_id)
        lead_time = self.rng.randint(2 * DAY, 6 * DAY)
        self.at(self.working_time(self.now + lead_time), self.restock, wine)

    def restock(self, wine: Wine) -> None:
        self.restocking.discard(wine.product_id)
        target = max(72.0, self.daily_units(wine) * self.rng.uniform(35, 55))
        units = _case_of_six(target - self.stock[wine.product_id])
        self.adjust(wine, "restock", units, "livraison fournisseur")

    def open_shop(self) -> None:
        """The opening inventory, then the first order and the first night's warehouse planning."""
        moment = self.now
        for wine in CATALOGUE:
            days_of_stock = self.rng.uniform(20, 60) if wine.discontinued else self.rng.uniform(30, 60)
            floor = 6 if wine.discontinued else 72
            units = _case_of_six(max(floor, self.daily_units(wine) * days_of_stock))
            self.at(moment, self.adjust, wine, "restock", units, "stock initial")
            moment += self.rng.randint(5, 20)  # one scan after the other, a few milliseconds apart
        self.at(self.next_arrival(moment), self.place_order)
        self.at((self.now // DAY + 1) * DAY, self.plan_day)

    def plan_day(self) -> None:
        """At midnight: today's breakages and, on Mondays, the rolling inventory count."""
        self.at(self.now + DAY, self.plan_day)
        if _weekday(self.now) == 6:
            return
        for _ in range(self.poisson(self.orders_per_day(self.now) * _BREAKAGE_PER_ORDER)):
            self.at(self.now + self.rng.randint(8 * HOUR, 18 * HOUR), self.break_bottles)
        if _weekday(self.now) == 0:
            for wine in self.rng.sample(CATALOGUE, self.rng.randint(3, 6)):
                self.at(self.now + self.rng.randint(7 * HOUR, 9 * HOUR), self.count_stock, wine)

    def poisson(self, mean: float) -> int:
        if mean > 30:
            return max(0, round(self.rng.gauss(mean, math.sqrt(mean))))
        threshold, count, product = math.exp(-mean), 0, self.rng.random()
        while product > threshold:
            count += 1
            product *= self.rng.random()
        return count

    def break_bottles(self) -> None:
        wine = self.rng.choice(CATALOGUE)
        units = min(self.stock[wine.product_id], self.rng.choices((1, 2, 6), (85, 12, 3))[0])
        if units == 0:
            return
        self.stock[wine.product_id] -= units
        self.adjust(wine, "breakage", -units, self.rng.choice(_BREAKAGE_REASONS))
        self.reorder_if_low(wine)

    def count_stock(self, wine: Wine) -> None:
        change = self.rng.choice((-3, -2, -1, -1, 1, 1, 2))
        if change < 0 and self.stock[wine.product_id] < -change:
            change = -change  # a shelf can't be short of bottles it doesn't have: the count found extra ones
        if change < 0:
            self.stock[wine.product_id] += change
        self.adjust(wine, "correction", change, "inventaire tournant")
        self.reorder_if_low(wine)

    # -- orders --

    def choose_wine(self) -> tuple[Wine, int] | None:
        """A wine in stock and a quantity; a customer who finds three wines sold out in a row gives up."""
        cumulative = _monthly_cumulative(_month(self.now))
        for _ in range(3):
            wine = self.rng.choices(CATALOGUE, cum_weights=cumulative)[0]
            available = self.stock[wine.product_id]
            if available > 0:
                return wine, min(available, self.rng.choices(_QUANTITIES, _QUANTITY_WEIGHTS)[0])
        return None

    def place_order(self) -> None:
        self.at(self.next_arrival(self.now), self.place_order)
        customer = self.rng.choices(self.customers, cum_weights=self.customer_weights)[0]
        choice = self.choose_wine()
        if choice is None:
            return
        wine, quantity = choice
        self.stock[wine.product_id] -= quantity
        amount = Decimal(str(wine.unit_price)) * quantity
        if self.rng.random() < _DISCOUNT_RATE:
            amount *= 1 - Decimal(str(self.rng.choice(_DISCOUNTS)))
        cancel_after = None
        if self.rng.random() < self.config.cancel_rate:
            cancel_after = "pending" if self.rng.random() < 0.6 else "confirmed"
        order = _Order(
            order_id=f"ORD-{self.config.id_tag}{_iso(self.now)[:10].replace('-', '')}-{self.serial('ORD'):06d}",
            customer=customer,
            wine=wine,
            quantity=quantity,
            total_amount=_money(amount),
            payment_method=self.rng.choices(PAYMENT_METHODS, _PAYMENT_WEIGHTS)[0],
            order_date=self.now,
            cancel_after=cancel_after,
        )
        self.change_status(order, "pending")
        self.reorder_if_low(wine)

    def change_status(self, order: _Order, status: str) -> None:
        """Send the order's new snapshot, then schedule what happens next to it."""
        event = _order_event(_event_id(self.rng), self.now, order, status)
        if status not in _FINAL_STATUSES and self.noise.random() < self.config.late_rate:
            order.held.append(_dumps(event))  # sent just after the next status: a late, older event
        else:
            self.send(event)
            for text in order.held:
                self.at(self.now + self.noise.randint(*_LATE_RELEASE), self.resend, text)
            order.held.clear()
        getattr(self, f"after_{status}")(order)

    def after_pending(self, order: _Order) -> None:
        if order.cancel_after == "pending":
            self.at(self.now + self.rng.randint(20 * MINUTE, 3 * HOUR), self.cancel, order)
            return
        # A bank transfer is confirmed when the money arrives, hours later; the others in minutes.
        delay = (4 * HOUR, 36 * HOUR) if order.payment_method == "bank_transfer" else (MINUTE, 15 * MINUTE)
        self.at(self.now + self.rng.randint(*delay), self.change_status, order, "confirmed")

    def after_confirmed(self, order: _Order) -> None:
        sale_at = self.now + self.rng.randint(2 * SECOND, MINUTE)
        self.at(sale_at, self.adjust, order.wine, "sale", -order.quantity, f"commande {order.order_id}")
        if order.cancel_after == "confirmed":
            self.at(sale_at + self.rng.randint(HOUR, 20 * HOUR), self.cancel, order)
        else:
            ship_at = self.working_time(self.now + self.rng.randint(DAY, 2 * DAY))
            self.at(ship_at, self.change_status, order, "shipped")

    def after_shipped(self, order: _Order) -> None:
        transit = (DAY, 3 * DAY) if order.customer.country == "FR" else (2 * DAY, 4 * DAY)
        self.at(self.working_time(self.now + self.rng.randint(*transit)), self.change_status, order, "delivered")

    def after_delivered(self, order: _Order) -> None:
        if self.rng.random() < self.config.return_rate:
            units = self.rng.randint(1, order.quantity)
            return_at = self.working_time(self.now + self.rng.randint(3 * DAY, 14 * DAY))
            self.at(return_at, self.adjust, order.wine, "return", units, f"retour client {order.order_id}")

    def after_cancelled(self, order: _Order) -> None:
        if order.cancel_after == "pending":
            self.stock[order.wine.product_id] += order.quantity  # reserved, never sold
        else:
            undo_at = self.now + self.rng.randint(MINUTE, 10 * MINUTE)
            self.at(undo_at, self.adjust, order.wine, "correction", order.quantity, f"annulation {order.order_id}")

    def cancel(self, order: _Order) -> None:
        self.change_status(order, "cancelled")


# --- the public API ------------------------------------------------------------------------------------------


def generate_history(config: SimConfig, days: int, end: datetime) -> Iterator[tuple[datetime, str]]:
    """The messages the shop sent during the `days` days before `end`, as (sent at, message text), in order.

    "Sent at" is the event's `event_timestamp`, except for redelivered and late messages, which are sent after
    they happened. Datetimes are timezone-aware UTC; a naive `end` is taken as UTC.
    """
    end_ms = _to_ms(end)
    start = end_ms - days * DAY
    shop = _Shop(config, start)
    for bound in [*range(start + DAY, end_ms, DAY), end_ms]:
        for ms, text in shop.run_until(bound):
            yield _to_datetime(ms), text


class LiveSimulator:
    """The shop running from `start` on; each `next_batch(now)` returns the messages sent since the last call.

    With `opened_at` (before `start`), the shop opened then and first lives silently up to `start`, so the live
    stream continues exactly where `generate_history(config, days, start)` stopped for a shop opened `days`
    before `start` (same orders, same stock, same ids). `sent` counts the messages returned so far.
    """

    def __init__(self, config: SimConfig, start: datetime, opened_at: datetime | None = None) -> None:
        start_ms = _to_ms(start)
        self._shop = _Shop(config, _to_ms(opened_at) if opened_at is not None else start_ms)
        self._shop.run_until(start_ms)
        self.sent = 0

    def next_batch(self, now: datetime) -> list[str]:
        """The messages sent after the previous call (or `start`) and up to `now` included."""
        texts = [text for _, text in self._shop.run_until(_to_ms(now) + 1)]
        self.sent += len(texts)
        return texts
