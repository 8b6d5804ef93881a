"""Numbers read the same in a KPI's table, its chart label and its chart description."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.render.numbers import (
    format_date,
    format_number,
    format_score,
    format_short_date,
    format_value,
    goal_decimals,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12000, "12,000"),
        (84.1666, "84.17"),  # two decimals from 1 up
        (1234.56, "1,234.6"),  # one from 100 up
        (4132.5, "4,132.5"),
        (0.0456, "0.046"),  # two significant digits below 1
        (2.675, "2.68"),  # half up from the written decimal (the float is 2.67499...)
        (-3.5, "-3.5"),
        (-0.0001, "-0.0001"),
        (0.0, "0"),
        (None, "\u2013"),
        (float("nan"), "\u2013"),
    ],
)
def test_numbers_are_rounded_for_humans(value: float | None, text: str) -> None:
    assert format_number(value) == text


def test_values_carry_their_unit_and_ranges_read_as_ranges() -> None:
    # A number and its unit are joined by a no-break space: they never wrap apart.
    assert format_value(84, "%") == "84\u00a0%"
    assert format_value((3, 5), "min") == "3 \u2013 5\u00a0min"
    assert format_value((10, 10), "min") == "10\u00a0min"  # a zero-width range is its one value
    assert format_value(None, "%") == "\u2013"
    assert format_value(4440, "EUR / k") == "4,440\u00a0EUR\u00a0/\u00a0k"  # not even inside the unit


def test_scores_and_dates() -> None:
    assert format_score(20 / 3) == "6.7"
    assert format_score(None) == "\u2013"
    assert format_date(dt.date(2026, 10, 31)) == "31 October 2026"
    assert format_short_date(dt.date(2025, 1, 13)) == "13 Jan 2025"  # table cells


@pytest.mark.parametrize(
    ("actuals", "places"),
    [([39.0, 41.0, 37.0], 0), ([93.6, 92.85, 94.0], 2), ([1200.0, None], 0), ([0.5], 1), ([], None), ([None], None)],
)
def test_goal_precision_is_the_most_decimals_among_the_written_actuals(
    actuals: list[float | None], places: int | None
) -> None:
    assert goal_decimals(actuals) == places


def test_an_interpolated_goal_shows_the_precision_of_the_actuals() -> None:
    assert format_value(41.75, "points", decimals=0) == "42\u00a0points"
    assert format_value(84.1667, "%", decimals=0) == "84\u00a0%"
    assert format_value(93.25, "%", decimals=1) == "93.3\u00a0%"  # half up, as people round
    assert format_value((74.25, 85.5), "%", decimals=0) == "74 \u2013 86\u00a0%"
    assert format_value(41.75, "points", decimals=None) == "41.75\u00a0points"  # no actuals yet: the usual rule
    assert format_number(1234.56, decimals=4) == "1,234.6"  # never more than the general rule
