"""caves.services.format: euros, numbers, percents, dates and durations, French first."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import pytest

from caves.i18n import code_label, reject_reason, schedule_label
from caves.services import format as fmt

NB = fmt.NBSP
# CLDR French groups thousands with a narrow no-break space (U+202F) and keeps a no-break space before € and %.
G = "\u202f"


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (1234.56, "fr", f"1{G}234,56{NB}€"),
        (Decimal("1234.565"), "fr", f"1{G}234,57{NB}€"),
        (0, "fr", f"0,00{NB}€"),
        (-1234567.891, "fr", f"-1{G}234{G}567,89{NB}€"),
        (1234.56, "en", "€1,234.56"),
        (-5, "en", "-€5.00"),
    ],
)
def test_euros(value: object, lang: str, text: str) -> None:
    assert fmt.euros(value, lang) == text


def test_the_french_euro_reads_as_written_in_the_brief() -> None:
    # no-break spaces (narrow between the digits): the amount never wraps, and reads "1 234,56 €"
    assert fmt.euros(1234.56).replace(NB, " ").replace(G, " ") == "1 234,56 €"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT])
def test_missing_values_print_as_a_dash(missing: object) -> None:
    assert fmt.euros(missing) == fmt.MISSING
    assert fmt.number(missing) == fmt.MISSING
    assert fmt.percent(missing) == fmt.MISSING
    assert fmt.datetime(missing) == fmt.MISSING
    assert fmt.duration(missing) == fmt.MISSING


def test_numbers_and_percents() -> None:
    assert fmt.number(1234567) == f"1{G}234{G}567"
    assert fmt.number(1234.5, "en", decimals=1) == "1,234.5"
    assert fmt.percent(12.345) == f"12,3{NB}%"
    assert fmt.percent(12.345, signed=True) == f"+12,3{NB}%"
    assert fmt.percent(-3, "en", signed=True) == "-3.0%"
    assert fmt.percent(0, signed=True) == f"0,0{NB}%"


def test_dates_day_first_in_french() -> None:
    moment = dt.datetime(2026, 11, 25, 14, 3, 9)
    assert fmt.datetime(moment) == "25/11/2026 14:03"
    assert fmt.datetime(pd.Timestamp(moment), seconds=True) == "25/11/2026 14:03:09"
    assert fmt.datetime(moment, "en") == "2026-11-25 14:03"
    assert fmt.date(dt.date(2026, 1, 5)) == "05/01/2026"


def test_moment_is_short_for_recent_timestamps() -> None:
    now = dt.datetime(2026, 11, 25, 18, 0)
    assert fmt.moment(dt.datetime(2026, 11, 25, 14, 3), now=now) == "14:03"
    assert fmt.moment(dt.datetime(2026, 3, 2, 9, 30), now=now) == "02/03 09:30"
    assert fmt.moment(dt.datetime(2025, 3, 2, 9, 30), now=now) == "02/03/2025"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, f"0{NB}s"),
        (0.44, f"0,4{NB}s"),
        (42, f"42{NB}s"),
        (120, f"2{NB}min"),
        (185, f"3{NB}min 05{NB}s"),
        (7620, f"2{NB}h 07{NB}min"),
        (3 * 86400 + 4 * 3600, f"3{NB}j 4{NB}h"),
        (math.inf, fmt.MISSING),
    ],
)
def test_duration(seconds: float, text: str) -> None:
    assert fmt.duration(seconds) == text


def test_duration_in_english_uses_days() -> None:
    assert fmt.duration(2 * 86400 + 3600, "en") == f"2{NB}d 1{NB}h"
    assert fmt.duration(2 * 86400, "en") == f"2{NB}d"


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("REVENUE", "money"),
        ("LIFETIME_VALUE", "money"),
        ("AVG_BASKET", "money"),
        ("REVENUE_SHARE_PCT", "percent"),
        ("CUMULATIVE_SHARE", "share"),
        ("REVENUE_RANK", "other"),
        ("CURRENT_STOCK_LEVEL", "stock"),
        ("DURATION_SEC", "seconds"),
        ("ORDER_COUNT", "count"),
        ("UNITS_SOLD", "count"),
        ("PRODUCT_NAME", "other"),
    ],
)
def test_column_kind(column: str, kind: str) -> None:
    assert fmt.column_kind(column) == kind


def test_one_place_gives_charts_the_same_separators_and_affixes() -> None:
    assert fmt.separators("fr") == f",{G}" and fmt.separators("en") == ".,"
    assert fmt.currency_affixes("fr") == ("", f"{NB}€") and fmt.currency_affixes("en") == ("€", "")
    assert fmt.percent_affixes("fr") == ("", f"{NB}%") and fmt.percent_affixes("en") == ("", "%")


def test_months_in_words_and_long_durations_grouped() -> None:
    assert fmt.month(dt.date(2026, 11, 1)) == "nov. 2026"
    assert fmt.month(dt.date(2026, 11, 1), "en") == "Nov 2026"
    # a 43-day delay (a backfilled event) reads in days, never as millions of seconds
    assert fmt.duration(3776232.96) == f"43{NB}j 16{NB}h"
    assert fmt.duration(1500 * 86400, "en") == f"1,500{NB}d"


def test_a_csv_opens_as_numbers_in_the_viewers_spreadsheet() -> None:
    frame = pd.DataFrame({"PRODUCT_ID": ["WINE-1"], "REVENUE": [1234.5], "ORDER_COUNT": [3]})
    french = fmt.csv_bytes(frame, "fr").decode("utf-8")
    assert french == "\ufeffPRODUCT_ID;REVENUE;ORDER_COUNT\nWINE-1;1234,5;3\n"
    assert fmt.csv_bytes(frame, "en").decode("utf-8") == "PRODUCT_ID,REVENUE,ORDER_COUNT\nWINE-1,1234.5,3\n"


def test_table_cells_read_in_the_language_and_keep_codes_as_labels() -> None:
    frame = pd.DataFrame(
        {
            "STATE": ["SUCCEEDED", "SKIPPED"],
            "DURATION_SEC": [0.14, 3776232.96],
            "REVENUE": [69452.9, None],
            "DELTA_PCT": [-97.4, None],
            "ORDER_COUNT": [10401, 14592],
        }
    )
    french = fmt.display_frame(frame, "fr")
    assert french.to_dict("list") == {
        "STATE": ["Réussie", "Ignorée"],
        "DURATION_SEC": [f"0,1{NB}s", f"43{NB}j 16{NB}h"],
        "REVENUE": [f"69{G}452,90{NB}€", fmt.MISSING],
        "DELTA_PCT": [f"-97,4{NB}%", fmt.MISSING],
        "ORDER_COUNT": [f"10{G}401", f"14{G}592"],
    }
    english = fmt.display_frame(frame, "en")
    assert english["REVENUE"].tolist() == ["€69,452.90", fmt.MISSING]
    assert english["STATE"].tolist() == ["Succeeded", "Skipped"]


def test_codes_read_as_words() -> None:
    assert schedule_label("1 MINUTE") == "chaque minute" and schedule_label("5 MINUTES", "en") == "every 5 min"
    assert schedule_label("USING CRON 0 3 * * * UTC") == "chaque jour à 03:00 (UTC)"
    assert schedule_label("USING CRON 0 3 * * 1 UTC", "en") == "USING CRON 0 3 * * 1 UTC"  # no guess
    assert reject_reason("missing field payload.quantity") == "champ payload.quantity manquant"
    assert reject_reason("duplicate event_id", "en") == "duplicate event_id"
    assert code_label("LAST_SUSPENDED_REASON", "USER_SUSPENDED") == "Suspendue par un utilisateur"
    assert code_label("STATE", "started", "en") == "started" and code_label("STATE", "EXECUTING") == "En cours"
    assert code_label("PRODUCT_CATEGORY", "Effervescent", "en") == "Sparkling"
    assert code_label("PRODUCT_NAME", "Blanc de Blancs", "en") == "Blanc de Blancs"  # not a code column


def test_table_dates_read_as_months_days_or_moments() -> None:
    months = pd.Series(pd.to_datetime(["2026-11-01", "2026-12-01"]))
    assert [fmt.cell_formatter("MONTH_START", months, "fr")(v) for v in months] == ["nov. 2026", "déc. 2026"]
    days = pd.Series(pd.to_datetime(["2026-11-01", "2026-11-02"]))
    assert [fmt.cell_formatter("ORDER_DAY", days, "en")(v) for v in days] == ["2026-11-01", "2026-11-02"]
    old = pd.Series(pd.to_datetime(["2025-11-01 14:03", "2026-01-02 09:30"]))
    assert fmt.cell_formatter("LAST_ORDER_AT", old, "fr")(old[0]) == "01/11/2025 14:03"
