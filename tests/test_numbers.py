"""Numbers read the same in a KPI's table, its chart label and its chart description."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.render.numbers import format_date, format_number, format_score, format_short_date, format_value


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
    assert format_value(84, "%") == "84 %"
    assert format_value((3, 5), "min") == "3 \u2013 5 min"
    assert format_value((10, 10), "min") == "10 min"  # a zero-width range is its one value
    assert format_value(None, "%") == "\u2013"


def test_scores_and_dates() -> None:
    assert format_score(20 / 3) == "6.7"
    assert format_score(None) == "\u2013"
    assert format_date(dt.date(2026, 10, 31)) == "31 October 2026"
    assert format_short_date(dt.date(2025, 1, 13)) == "13 Jan 2025"  # table cells
