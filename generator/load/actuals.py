"""KPI actuals from the files under ``data/`` (spec 3 and 8.6): CSV, and ``.xlsx`` workbooks.

A CSV file and each worksheet of a workbook are read the same way, as a
:class:`Table` of rows. CSV is read with the ``csv`` module rather than pandas
because every message must name the physical line of the row (the header being
line 1, blank lines counted but skipped); a worksheet row is named by its row number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Location, Problem, Severity, display_path
from generator.load.files import tree_files
from generator.load.hints import did_you_mean, one_of
from generator.load.workbook import Cell, read_workbook
from generator.load.yaml_source import read_text
from generator.model import Actual
from generator.periods import Frequency, Period, PeriodError

__all__ = ["Actuals", "read_actuals", "parse_actual", "COLUMNS"]

COLUMNS = ("kpi", "period", "actual", "comment")
# re.ASCII: `\d` would also take Arabic-Indic or full-width digits, which the contract does not.
_ACTUAL = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%?", re.ASCII)
_EXPONENT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+\s*%?", re.ASCII)
# Between thousands: a comma, an apostrophe (Swiss), a space, or the no-break spaces spreadsheets write.
_GROUPS = ",' \u00a0\u202f"
_THOUSANDS = re.compile(rf"[+-]?\d{{1,3}}([{_GROUPS}]\d{{3}})+(\.\d*)?\s*%?", re.ASCII)
# Continental forms: a decimal comma (`28,9`), with dots or spaces between thousands (`1.234,5`).
_DECIMAL_COMMA = re.compile(
    rf"([+-]?\d{{1,3}}(?:([.{_GROUPS[1:]}])\d{{3}})(?:\2\d{{3}})*|[+-]?\d+),(\d+)\s*(%?)", re.ASCII
)
_DOTTED_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3}){2,}\s*%?", re.ASCII)
# A decimal comma split by the CSV reader: an integer actual, then a cell of digits only.
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_FRACTION = re.compile(r"(\d+)\s*(%?)", re.ASCII)
_NOT_FINITE = {"inf", "infinity", "nan"}
_SPREADSHEET_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}
_WORKBOOKS = (".xlsx", ".xlsm")
_UNREAD = (".xls", ".ods", ".numbers")
_OWNER_FILE = "~$"  # what a spreadsheet program leaves beside a workbook it has open


@dataclass
class Actuals:
    """What the data files hold: rows per KPI (in file order), the files read, the problems."""

    rows: dict[str, list[Actual]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    first_seen: dict[tuple[str, Period], Location] = field(default_factory=dict)
    # Per KPI, each value's cell as written: a `%` on some rows only is checked at the end.
    written: dict[str, list[tuple[str, float, Location]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """The rows of one CSV file or one worksheet, and whose actuals they are without a ``kpi`` column.

    Attributes:
        path: the file.
        shown: the path as the user should see it (worked out once: it resolves the path).
        sheet: the worksheet's name (empty for CSV).
        rows: the non-blank rows, each with its line (CSV) or row number (worksheet).
        owners: the names that may be a KPI id, in the order they are tried: the
            file's stem, or the sheet's name then the workbook's stem.
    """

    path: Path
    shown: str
    sheet: str
    rows: list[tuple[int, list[Cell]]]
    owners: tuple[str, ...]

    def at(self, line: int | None = None) -> Location:
        return Location(self.shown, line, self.sheet)


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, Cell]
    split: str | None = None  # what to say when a decimal comma split the actual in two cells


def read_actuals(folder: Path, frequencies: dict[str, Frequency | None]) -> Actuals:
    """Read every CSV file and workbook under ``folder/data`` (sub-folders too, path order).

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
    for path in tree_files(data, _UNREAD):
        message = "this spreadsheet format is not read; save it as .xlsx, or export the sheet as CSV"
        found.problems.append(Problem(Location(display_path(path)), message, Severity.WARNING))
    for path in tree_files(data, (".csv", *_WORKBOOKS)):
        if path.name.startswith(_OWNER_FILE):
            continue
        found.files.append(path)
        for table in _csv_table(path, found) if path.suffix.lower() == ".csv" else _sheet_tables(path, found):
            _read_table(table, frequencies, found)
    for kpi_id in sorted(found.written):
        found.problems.extend(_mixed_percent(kpi_id, found.written[kpi_id]))
    return found


def _csv_table(path: Path, found: Actuals) -> list[Table]:
    shown = display_path(path)
    text, problems = read_text(path, shown)
    found.problems.extend(problems)
    if text is None:
        return []
    rows = _rows(text, shown, found.problems)
    if not rows:
        found.problems.append(Problem(Location(shown), "the file is empty; write a header: period,actual,comment"))
        return []
    return [Table(path, shown, "", rows, (path.stem,))]


def _sheet_tables(path: Path, found: Actuals) -> list[Table]:
    """The worksheets that hold a table: an empty sheet is skipped, a sheet of notes is a warning."""
    shown = display_path(path)
    sheets, problems = read_workbook(path, shown)
    found.problems.extend(problems)
    tables = []
    for sheet in sheets:
        if not sheet.rows:
            continue
        table = Table(path, shown, sheet.name, sheet.rows, (sheet.name, path.stem))
        line, cells = sheet.rows[0]
        if {_text(cell).strip().lower() for cell in cells} & set(COLUMNS):
            tables.append(table)
        else:
            message = f"the sheet is not read: its first row is not a header ({','.join(COLUMNS)})"
            found.problems.append(Problem(table.at(line), message, Severity.WARNING))
    if not problems and not any(sheet.rows for sheet in sheets):
        found.problems.append(Problem(Location(shown), "the workbook is empty", Severity.WARNING))
    return tables


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.isoformat()


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
    if text.upper() in _SPREADSHEET_ERRORS:
        return f"actual {text!r} is a spreadsheet error; fix the formula, or leave the cell empty"
    if _EXPONENT.fullmatch(text):
        return f"actual {text!r} has an exponent; write the plain number (e.g. {_plain(text)})"
    if text.lower().lstrip("+-") in _NOT_FINITE:
        return f"actual {text!r} is not a number; leave the cell empty when there is no value"
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})\s*%?", text, re.ASCII):
        # `1,234` is a thousand and some in English, one and a bit in half of Europe: ask.
        whole, fraction = text.split(",")
        return (
            f"actual {text!r} has a comma: write {whole}{fraction} if it is a thousands separator, "
            f"or {whole}.{fraction} if it is a decimal comma (write decimals with a point)"
        )
    if _THOUSANDS.fullmatch(text):
        digits = re.sub(f"[{_GROUPS}]", "", text)
        return f"actual {text!r} has a thousands separator; write the digits only (e.g. {digits})"
    if _DOTTED_THOUSANDS.fullmatch(text):
        digits = text.replace(".", "")
        return f"actual {text!r} has a thousands separator; write the digits only (e.g. {digits})"
    comma = _DECIMAL_COMMA.fullmatch(text)
    if comma:
        whole = re.sub(f"[.{_GROUPS}]", "", comma.group(1))
        return f"actual {text!r}: did you mean {whole}.{comma.group(3)}{comma.group(4)}? write decimals with a point"
    return f"actual {_short(text)!r} is not a number (write e.g. 85 or 85.5)"


def _plain(text: str) -> str:
    try:
        return f"{float(text.rstrip('% ')):f}".rstrip("0").rstrip(".")
    except (ValueError, OverflowError):
        return "1234.5"


def _read_table(table: Table, frequencies: dict[str, Frequency | None], found: Actuals) -> None:
    columns = _columns(table.rows[0], table, found.problems)
    if columns is None:
        return
    owner = None if "kpi" in columns else _owner(table, frequencies, found.problems)
    if owner == "":
        return
    for line, cells in table.rows[1:]:
        split = None if table.sheet else _split_number(cells, columns)  # a worksheet cell is never split
        if len(cells) > len(columns) and any(_text(c).strip() for c in cells[len(columns) :]):
            why = "a value beside the table?" if table.sheet else split or (
                "a comma inside a value? write 8.5 for a decimal, and quote text that holds commas"
            )
            message = f"the row has {len(cells)} cells but the header has {len(columns)} columns ({why})"
            found.problems.append(Problem(table.at(line), message))
            continue
        # A short row is padded with empty cells; trailing empty cells past the
        # header (checked just above) are dropped, hence strict=False.
        padded = cells + [""] * (len(columns) - len(cells))
        row = _Row(line, dict(zip(columns, padded, strict=False)), split)
        kpi_id = owner or _text(row.cells["kpi"]).strip()
        _read_row(row, kpi_id, table.at(line), frequencies, found)


def _split_number(cells: list[Cell], columns: list[str]) -> str | None:
    """What to say when a decimal comma split the actual across two cells, else ``None``.

    ``2026-10,28,9`` under ``period,actual,comment`` reads as actual 28, comment
    "9". The rule is narrow so that it never fires on a real comment: the actual
    is a whole number, the cell right of it holds digits only (and an optional
    ``%``), and that cell is either the comment column or one cell too many.
    """
    at = columns.index("actual")
    filled = len(cells)
    while filled and not _text(cells[filled - 1]).strip():  # `2026-10,28,9,` has a trailing empty cell
        filled -= 1
    if at + 1 >= filled or not (filled == len(columns) + 1 or columns[at + 1 : at + 2] == ["comment"]):
        return None
    whole, rest = _text(cells[at]).strip(), _text(cells[at + 1]).strip()
    fraction = _FRACTION.fullmatch(rest)
    if not _INTEGER.fullmatch(whole) or fraction is None:
        return None
    digits, percent = fraction.groups()
    meant = f"{whole}.{digits}{percent}"
    if len(digits) == 3:  # `1,234` is a thousands separator as likely as a decimal comma
        thousands = f"{whole}{digits}{percent}"
        return f"did you mean {meant} or {thousands}? write decimals with a point and no thousands separator"
    return f"did you mean {meant}? write decimals with a point"


def _mixed_percent(kpi_id: str, written: list[tuple[str, float, Location]]) -> list[Problem]:
    """Warnings for the rows of a KPI written unlike the others: with a ``%`` where most have none, or not.

    ``85%`` and ``85`` are the same number, but ``0.85`` among ``85%`` rows is a
    fraction typed where a percentage was meant, and it would be read as 0.85.
    """
    marked = [row for row in written if row[0].endswith("%")]
    plain = [row for row in written if not row[0].endswith("%")]
    if not marked or not plain:
        return []
    # The rarer form is the odd one; on a tie, the form the KPI's first row does not use.
    marked_odd = len(marked) < len(plain) or (len(marked) == len(plain) and not written[0][0].endswith("%"))
    odd, usual = (marked, plain) if marked_odd else (plain, marked)
    others = f"unlike {len(usual)} other row{'s' if len(usual) > 1 else ''} of this KPI (e.g. {usual[0][2]})"
    problems = []
    for text, value, where in odd:
        if text.endswith("%"):
            message = f"actual {text!r} has a percent sign, {others}; write every row the same way"
        elif 0 < abs(value) <= 1:
            message = f"actual {text!r} has no percent sign, {others}; if it is a fraction, write {value * 100:g}%"
        else:
            message = f"actual {text!r} has no percent sign, {others}; write every row the same way"
        problems.append(Problem(where, f"kpi '{kpi_id}': {message}", Severity.WARNING))
    return problems


def _owner(table: Table, frequencies: dict[str, Frequency | None], problems: list[Problem]) -> str:
    """The KPI a table without a ``kpi`` column belongs to (``""`` after reporting that none fits)."""
    owner = next((name for name in table.owners if name in frequencies), "")
    if owner:
        return owner
    if table.sheet:
        message = (
            f"neither the sheet name {table.sheet!r} nor the file name {table.path.stem!r} is a KPI id"
            f"{did_you_mean(table.sheet, frequencies)}; name the sheet after its KPI or add a kpi column"
        )
    else:
        message = (
            f"file name {table.path.stem!r} is not a KPI id{did_you_mean(table.path.stem, frequencies)}; "
            f"name the file after its KPI (data/<kpi-id>.csv) or add a kpi column"
        )
    problems.append(Problem(table.at(), message))
    return ""


def _rows(text: str, shown: str, problems: list[Problem]) -> list[tuple[int, list[Cell]]]:
    """Non-blank rows with the physical line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[Cell]]] = []
    previous = 0
    try:
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if "".join(cells).strip():  # blank lines, and rows of empty cells (",,")
                rows.append((line, list(cells)))  # a list of Cell, as a worksheet's rows are
    except csv.Error as exc:
        problems.append(Problem(Location(shown, reader.line_num or None), f"the CSV cannot be read: {exc}"))
    return rows


def _columns(header: tuple[int, list[Cell]], table: Table, problems: list[Problem]) -> list[str] | None:
    """The header's column names (trimmed, lower case), or ``None`` after reporting what is wrong."""
    line, cells = header[0], [_text(cell) for cell in header[1]]
    names = [cell.strip().lower() for cell in cells]
    where = table.at(line)
    before = len(problems)
    if not set(names) & set(COLUMNS):
        message = f"the first row must be the header, e.g. period,actual,comment (found {','.join(cells)!r})"
        problems.append(Problem(where, message + _separator_hint(names)))
        return None
    for position, name in enumerate(names, start=1):
        if not name:
            message = f"column {position} of the header has no name (columns are {one_of(COLUMNS)})"
            problems.append(Problem(where, message))
        elif name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS) or f" (columns are {one_of(COLUMNS)})"
            problems.append(Problem(where, f"unknown column {cells[position - 1].strip()!r}{hint}"))
        elif names.index(name) != position - 1:
            problems.append(Problem(where, f"column {name!r} appears twice in the header"))
    for required in ("period", "actual"):
        if required not in names:
            problems.append(Problem(where, f"the header has no {required!r} column (columns are {one_of(COLUMNS)})"))
    return names if len(problems) == before else None


def _separator_hint(names: list[str]) -> str:
    """A header like ``period;actual``: the file was saved with another separator (and decimal commas, likely)."""
    for separator, called in ((";", "semicolons"), ("\t", "tabs")):
        if len(names) == 1 and set(names[0].split(separator)) & {"period", "actual"}:
            return (
                f"; this file separates its cells with {called}: save it as CSV with commas "
                f"and decimal points (e.g. 2026-10,28.9)"
            )
    return ""


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
    value, why = _actual(row.cells["actual"])
    if why is None and row.split is not None:
        written = _text(row.cells["actual"]).strip()
        why = f"actual {written} with comment {_text(row.cells['comment']).strip()!r}: {row.split}"
    if why is not None:
        found.problems.append(Problem(where, f"{label}: {why}"))
    if period is None or why is not None:
        return
    first = found.first_seen.setdefault((kpi_id, period), where)
    if first is not where:
        message = f"{label}: period {period} appears twice (first at {first})"
        found.problems.append(Problem(where, message))
        return
    actual = Actual(period=period, value=value, comment=_text(row.cells.get("comment", "")).strip(), where=where)
    found.rows.setdefault(kpi_id, []).append(actual)
    if value is not None:
        found.written.setdefault(kpi_id, []).append((_text(row.cells["actual"]).strip(), value, where))


def _actual(cell: Cell) -> tuple[float | None, str | None]:
    if isinstance(cell, dt.date):
        return None, f"actual is a date ({cell.isoformat()}); format the cell as a number"
    return parse_actual(cell)


def _period(
    cell: Cell, frequency: Frequency | None, where: Location, label: str, problems: list[Problem]
) -> Period | None:
    if isinstance(cell, dt.date):
        # A spreadsheet turns a typed 2026-03 into the date 2026-03-01: the period that holds it.
        return Period.containing(cell, frequency) if frequency else None
    text = cell.strip()
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
