"""Reporting periods: ``2026-W05``, ``2026-03``, ``2026-Q1``, ``2026``.

A :class:`Period` knows its frequency, its first and last day, and its place
on a count of periods of that frequency, so goal interpolation is plain
integer arithmetic (spec section 4) and never depends on the wall clock.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from dataclasses import dataclass
from functools import total_ordering


class Frequency(str, enum.Enum):
    """How often a KPI is measured; also the form its periods are written in."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


_FORMS: dict[Frequency, re.Pattern[str]] = {
    Frequency.WEEKLY: re.compile(r"(\d{4})-W(\d{2})", re.ASCII),
    Frequency.MONTHLY: re.compile(r"(\d{4})-(\d{2})", re.ASCII),
    Frequency.QUARTERLY: re.compile(r"(\d{4})-Q(\d)", re.ASCII),
    Frequency.YEARLY: re.compile(r"(\d{4})", re.ASCII),
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

EXAMPLES = {
    Frequency.WEEKLY: "2026-W05",
    Frequency.MONTHLY: "2026-03",
    Frequency.QUARTERLY: "2026-Q1",
    Frequency.YEARLY: "2026",
}


MIN_YEAR, MAX_YEAR = 1000, 9990
"""Years a period may have; the margin below 9999 keeps "two periods later" (stale) a real date."""


class PeriodError(ValueError):
    """Text that is not a period (or not one of the expected frequency)."""


@total_ordering
@dataclass(frozen=True)
class Period:
    """One period of one frequency.

    ``index`` counts periods from year 0: months as ``year * 12 + month - 1``,
    quarters as ``year * 4 + quarter - 1``, years as the year, and ISO weeks as
    the number of weeks since the Monday of ISO week 1 of year 1.
    """

    frequency: Frequency
    index: int

    # -- construction -------------------------------------------------------

    @classmethod
    def parse(cls, value: object, frequency: Frequency | None = None) -> Period:
        """Read a period as written in YAML or CSV.

        Args:
            value: ``"2026-03"``, ``"2026-Q1"``, ``"2026-W05"``, ``"2026"`` or the
                YAML integer ``2026``.
            frequency: when given, the period must be written in this frequency.

        Raises:
            PeriodError: with a message fit for the user.
        """
        if isinstance(value, dt.date):
            raise PeriodError(f"{value.isoformat()} is a date, not a period (write e.g. {value.isoformat()[:7]})")
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise PeriodError(f"{_show(value)} is not a period (write e.g. 2026-03, 2026-Q1, 2026-W05 or 2026)")
        period = _parse_text(str(value).strip())
        if frequency is not None and period.frequency is not frequency:
            raise PeriodError(
                f"period {str(value).strip()!r} is {period.frequency.value}, but this KPI is {frequency.value} "
                f"(write e.g. {EXAMPLES[frequency]})"
            )
        return period

    @classmethod
    def _from_parts(cls, freq: Frequency, year: int, part: int = 1, *, text: str) -> Period:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(f"{text!r}: the year must be between {MIN_YEAR} and {MAX_YEAR}")
        if freq is Frequency.MONTHLY:
            if not 1 <= part <= 12:
                raise PeriodError(f"{text!r}: month must be 01-12")
            return cls(freq, year * 12 + part - 1)
        if freq is Frequency.QUARTERLY:
            if not 1 <= part <= 4:
                raise PeriodError(f"{text!r}: quarter must be Q1-Q4")
            return cls(freq, year * 4 + part - 1)
        if freq is Frequency.WEEKLY:
            try:
                monday = dt.date.fromisocalendar(year, part, 1)
            except ValueError:
                raise PeriodError(f"{text!r}: {year} has no ISO week {part}") from None
            return cls(freq, _week_index(monday))
        return cls(freq, year)

    @classmethod
    def containing(cls, day: dt.date, frequency: Frequency) -> Period:
        """The period of ``frequency`` that contains ``day``."""
        if frequency is Frequency.MONTHLY:
            return cls(frequency, day.year * 12 + day.month - 1)
        if frequency is Frequency.QUARTERLY:
            return cls(frequency, day.year * 4 + (day.month - 1) // 3)
        if frequency is Frequency.WEEKLY:
            return cls(frequency, _week_index(day - dt.timedelta(days=day.weekday())))
        return cls(frequency, day.year)

    # -- calendar -----------------------------------------------------------

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        return _start(self.frequency, self.index)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return _end(self.frequency, self.index)

    def as_frequency(self, frequency: Frequency) -> Period:
        """The period of ``frequency`` that contains this period's last day (spec section 4)."""
        return Period.containing(self.end, frequency)

    # -- arithmetic ---------------------------------------------------------

    def __add__(self, periods: int) -> Period:
        return Period(self.frequency, self.index + periods)

    def __sub__(self, other: Period) -> int:
        if other.frequency is not self.frequency:
            raise ValueError("periods of different frequencies")
        return self.index - other.index

    def __lt__(self, other: Period) -> bool:
        if other.frequency is not self.frequency:
            return self.end < other.end
        return self.index < other.index

    # -- text ---------------------------------------------------------------

    def __str__(self) -> str:
        f, i = self.frequency, self.index
        if f is Frequency.MONTHLY:
            return f"{i // 12:04d}-{i % 12 + 1:02d}"
        if f is Frequency.QUARTERLY:
            return f"{i // 4:04d}-Q{i % 4 + 1}"
        if f is Frequency.WEEKLY:
            year, week, _ = self.start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return f"{i:04d}"

    def __repr__(self) -> str:
        return f"Period({str(self)!r})"


_WEEK_ZERO = dt.date.fromisocalendar(1, 1, 1)


def _week_index(monday: dt.date) -> int:
    return (monday - _WEEK_ZERO).days // 7


# Cached: a scorecard writes the same few dozen periods thousands of times (one per KPI and
# row), and statuses ask every period for its days. Periods are immutable, so sharing is safe.


@functools.lru_cache(maxsize=8192)
def _parse_text(text: str) -> Period:
    if _DATE.fullmatch(text):
        raise PeriodError(f"{text!r} is a date, not a period (write e.g. {text[:7]})")
    for freq, form in _FORMS.items():
        match = form.fullmatch(text)
        if match:
            return Period._from_parts(freq, *(int(g) for g in match.groups()), text=text)
    raise PeriodError(f"{text!r} is not a period (write e.g. 2026-03, 2026-Q1, 2026-W05 or 2026)")


@functools.lru_cache(maxsize=65536)
def _start(frequency: Frequency, index: int) -> dt.date:
    if frequency is Frequency.MONTHLY:
        return dt.date(index // 12, index % 12 + 1, 1)
    if frequency is Frequency.QUARTERLY:
        return dt.date(index // 4, (index % 4) * 3 + 1, 1)
    if frequency is Frequency.WEEKLY:
        return _WEEK_ZERO + dt.timedelta(weeks=index)
    return dt.date(index, 1, 1)


@functools.lru_cache(maxsize=65536)
def _end(frequency: Frequency, index: int) -> dt.date:
    if frequency is Frequency.WEEKLY:
        return _start(frequency, index) + dt.timedelta(days=6)
    return _start(frequency, index + 1) - dt.timedelta(days=1)


def parse_as_of(value: str) -> dt.date:
    """The as-of date from ``--as-of``: any period form (its last day) or ``YYYY-MM-DD``.

    Raises:
        PeriodError: the text is neither.
    """
    text = value.strip()
    if _DATE.fullmatch(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise PeriodError(f"{text!r} is not a real date") from None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise PeriodError(f"{text!r}: the year must be between {MIN_YEAR} and {MAX_YEAR}")
        return day
    return Period.parse(text).end


def _show(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)
