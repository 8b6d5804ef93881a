"""KPI actuals from CSV files under ``data/`` (spec 3 and 8.6).

Read with the ``csv`` module rather than pandas because every message must
name the physical line of the row (the header being line 1, blank lines
counted but skipped).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Location, Problem, Severity, display_path
from generator.load.files import tree_files
from generator.load.hints import did_you_mean, one_of
from generator.load.yaml_source import read_text
from generator.model import Actual
from generator.periods import Frequency, Period, PeriodError

__all__ = ["Actuals", "read_actuals", "parse_actual", "COLUMNS"]

COLUMNS = ("kpi", "period", "actual", "comment")
# re.ASCII: `\d` would also take Arabic-Indic or full-width digits, which the contract does not.
_ACTUAL = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%?", re.ASCII)
_EXPONENT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+\s*%?", re.ASCII)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}([,' ]\d{3})+(\.\d*)?\s*%?", re.ASCII)
_NOT_FINITE = {"inf", "infinity", "nan"}
_SPREADSHEETS = (".xlsx", ".xls", ".ods")


@dataclass
class Actuals:
    """What the CSV files hold: rows per KPI (in file order), the files read, the problems."""

    rows: dict[str, list[Actual]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    first_seen: dict[tuple[str, Period], Location] = field(default_factory=dict)


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]


def read_actuals(folder: Path, frequencies: dict[str, Frequency | None]) -> Actuals:
    """Read every CSV under ``folder/data`` (sub-folders too, path order).

    Args:
        folder: the scorecard folder.
        frequencies: every KPI id written in the YAML, with its frequency
            (``None`` when the KPI itself is invalid: its periods are then
            checked for form only).
    """
    found = Actuals()
    data = folder / "data"
    if not data.is_dir():
        return found
    for path in tree_files(data, _SPREADSHEETS):
        message = "spreadsheet files are not read; export the sheet as CSV (period,actual[,comment])"
        found.problems.append(Problem(Location(display_path(path)), message, Severity.WARNING))
    for path in tree_files(data, (".csv",)):
        found.files.append(path)
        _read_file(path, frequencies, found)
    return found


def parse_actual(text: str) -> tuple[float | None, str | None]:
    """An ``actual`` cell: ``(value, None)``, ``(None, None)`` when empty, or ``(None, why)``.

    ``[+-]digits[.digits]`` (``.5`` and ``5.`` too) with an optional trailing
    ``%`` (``85%`` is 85); anything else is refused with a hint.
    """
    text = text.strip()
    if not text:
        return None, None
    match = _ACTUAL.fullmatch(text)
    if match is None:
        return None, _why_not_a_number(text)
    value = float(match.group(1))
    if not math.isfinite(value):
        return None, f"actual {_short(text)!r} is too large to be a number"
    return value, None


def _short(text: str) -> str:
    """Long cells cut in the middle, so one bad cell does not flood the terminal."""
    return text if len(text) <= 40 else f"{text[:20]}...{text[-5:]}"


def _why_not_a_number(text: str) -> str:
    if _EXPONENT.fullmatch(text):
        return f"actual {text!r} has an exponent; write the plain number (e.g. {_plain(text)})"
    if text.lower().lstrip("+-") in _NOT_FINITE:
        return f"actual {text!r} is not a number; leave the cell empty when there is no value"
    if _THOUSANDS.fullmatch(text):
        digits = re.sub(r"[,' ]", "", text)
        return f"actual {text!r} has a thousands separator; write the digits only (e.g. {digits})"
    return f"actual {_short(text)!r} is not a number (write e.g. 85 or 85.5)"


def _plain(text: str) -> str:
    try:
        return f"{float(text.rstrip('% ')):f}".rstrip("0").rstrip(".")
    except (ValueError, OverflowError):
        return "1234.5"


def _read_file(path: Path, frequencies: dict[str, Frequency | None], found: Actuals) -> None:
    shown = display_path(path)
    text, problems = read_text(path, shown)
    found.problems.extend(problems)
    if text is None:
        return
    rows = _rows(text, shown, found.problems)
    if not rows:
        found.problems.append(Problem(Location(shown), "the file is empty; write a header: period,actual,comment"))
        return
    header = rows[0]
    columns = _columns(header, shown, found.problems)
    if columns is None:
        return
    long_form = "kpi" in columns
    if not long_form and path.stem not in frequencies:
        message = (
            f"file name {path.stem!r} is not a KPI id{did_you_mean(path.stem, frequencies)}; "
            f"name the file after its KPI (data/<kpi-id>.csv) or add a kpi column"
        )
        found.problems.append(Problem(Location(shown), message))
        return
    for line, cells in rows[1:]:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            message = (
                f"the row has {len(cells)} cells but the header has {len(columns)} columns "
                f"(a comma inside a value? write 8.5 for a decimal, and quote text that holds commas)"
            )
            found.problems.append(Problem(Location(shown, line), message))
            continue
        row = _Row(line, dict(zip(columns, cells + [""] * (len(columns) - len(cells)))))
        kpi_id = row.cells["kpi"].strip() if long_form else path.stem
        _read_row(row, kpi_id, Location(shown, line), frequencies, found)


def _rows(text: str, shown: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """Non-blank rows with the physical line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if any(cell.strip() for cell in cells):  # blank lines, and rows of empty cells (",,")
                rows.append((line, cells))
    except csv.Error as exc:
        problems.append(Problem(Location(shown, reader.line_num or None), f"the CSV cannot be read: {exc}"))
    return rows


def _columns(header: tuple[int, list[str]], shown: str, problems: list[Problem]) -> list[str] | None:
    """The header's column names (trimmed, lower case), or ``None`` after reporting what is wrong."""
    line, cells = header
    names = [cell.strip().lower() for cell in cells]
    where = Location(shown, line)
    before = len(problems)
    if not set(names) & set(COLUMNS):
        message = f"the first row must be the header, e.g. period,actual,comment (found {','.join(cells)!r})"
        problems.append(Problem(where, message))
        return None
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(Problem(where, f"column {position} of the header has no name (columns are {one_of(COLUMNS)})"))
        elif name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS) or f" (columns are {one_of(COLUMNS)})"
            problems.append(Problem(where, f"unknown column {cells[position - 1].strip()!r}{hint}"))
        elif names.index(name) != position - 1:
            problems.append(Problem(where, f"column {name!r} appears twice in the header"))
    for required in ("period", "actual"):
        if required not in names:
            problems.append(Problem(where, f"the header has no {required!r} column (columns are {one_of(COLUMNS)})"))
    return names if len(problems) == before else None


def _read_row(
    row: _Row, kpi_id: str, where: Location, frequencies: dict[str, Frequency | None], found: Actuals
) -> None:
    if not kpi_id:
        found.problems.append(Problem(where, "kpi is empty (write the KPI id)"))
        return
    if kpi_id not in frequencies:
        found.problems.append(Problem(where, f"unknown kpi {kpi_id!r}{did_you_mean(kpi_id, frequencies)}"))
        return
    label = f"kpi '{kpi_id}'"
    period = _period(row.cells["period"], frequencies[kpi_id], where, label, found.problems)
    value, why = parse_actual(row.cells["actual"])
    if why is not None:
        found.problems.append(Problem(where, f"{label}: {why}"))
    if period is None or why is not None:
        return
    first = found.first_seen.setdefault((kpi_id, period), where)
    if first is not where:
        message = f"{label}: period {period} appears twice (first at {first})"
        found.problems.append(Problem(where, message))
        return
    actual = Actual(period=period, value=value, comment=row.cells.get("comment", "").strip(), where=where)
    found.rows.setdefault(kpi_id, []).append(actual)


def _period(
    text: str, frequency: Frequency | None, where: Location, label: str, problems: list[Problem]
) -> Period | None:
    text = text.strip()
    if not text:
        problems.append(Problem(where, f"{label}: period is empty"))
        return None
    try:
        return Period.parse(text, frequency)
    except PeriodError as exc:
        message = str(exc)
        if text.upper() != text and _parses(text.upper()):
            message += f"; write {text.upper()!r} (upper case)"
        prefix = "" if message.startswith("period") else "period "
        problems.append(Problem(where, f"{label}: {prefix}{message}"))
        return None


def _parses(text: str) -> bool:
    try:
        Period.parse(text)
    except PeriodError:
        return False
    return True
