"""KPI actuals kept in ``.xlsx`` workbooks: every worksheet read as rows of cells.

A strategy office often keeps its figures in a spreadsheet; reading the
workbook spares an export step that is easy to forget. A cell is read as the
spreadsheet shows it, so the same rules as for CSV then apply
(:mod:`generator.load.actuals`):

- a number formatted as a percentage (``85%``, stored as 0.85) reads as 85,
  as ``85%`` does in a CSV;
- a date, which is what a spreadsheet makes of a typed ``2026-03``, is kept
  as a date: it stands for the KPI's period that contains it;
- a formula reads as its value saved in the file; a formula with no saved
  value (a file written by a program, never opened) is an error, not an
  empty cell.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.errors import Location, Problem

__all__ = ["Cell", "Sheet", "read_workbook"]

Cell = str | dt.date
"""A cell as text, or a date (only a workbook has typed dates)."""


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name and its non-blank rows, each with its row number."""

    name: str
    rows: list[tuple[int, list[Cell]]]


def read_workbook(path: Path, shown: str) -> tuple[list[Sheet], list[Problem]]:
    """Every worksheet of ``path``, in the workbook's order (chart sheets have no cells).

    Args:
        path: the ``.xlsx`` file.
        shown: the path as the user should see it.

    Returns:
        The sheets, and the problems found (an unreadable file, formulas without values).
    """
    try:
        values = _open(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a parser of arbitrary bytes: any failure is the file's
        message = f"cannot read the workbook ({type(exc).__name__}: {exc}); save it again as .xlsx"
        return [], [Problem(Location(shown), message)]
    sheets, empty = [], []
    for ws in values.worksheets:
        rows, blanks = _rows(ws)
        sheets.append(Sheet(ws.title, rows))
        empty += [(ws.title, row, column) for row, column in blanks]
    return sheets, _unsaved_formulas(path, shown, empty) if empty else []


def _open(path: Path, data_only: bool) -> Any:
    # openpyxl warns about workbook features it skips (styles, data validation); they never hold actuals.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from openpyxl import load_workbook  # loads only for a scorecard that has workbooks

        return load_workbook(path, data_only=data_only)


def _rows(ws: Any) -> tuple[list[tuple[int, list[Cell]]], list[tuple[int, int]]]:
    """The non-blank rows (trailing blank cells dropped), and where the empty cells are."""
    rows, empty = [], []
    for cells in ws.iter_rows():
        texts = [_cell(cell) for cell in cells]
        empty += [(cell.row, cell.column) for cell in cells if cell.value is None]
        while texts and isinstance(texts[-1], str) and not texts[-1].strip():
            texts.pop()
        if texts:
            rows.append((cells[0].row, texts))
    return rows, empty


def _cell(cell: Any) -> Cell:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _number(value, percent=_is_percentage(cell.number_format or ""))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return str(value)


def _is_percentage(number_format: str) -> bool:
    """A ``%`` that scales the number: not one in quotes or escaped (``0"%"`` shows 85 as 85%)."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def _number(value: int | float, percent: bool) -> str:
    """The number as plain digits (no exponent, no ``.0``); a percentage times 100, with its ``%``.

    The ``%`` stays so that a cell typed as a fraction (0.85) among cells formatted
    as percentages (85%) is told apart, as in a CSV file.
    """
    number = Decimal(repr(value)) * (100 if percent else 1)
    return format(number.normalize(), "f") + ("%" if percent else "")


def _unsaved_formulas(path: Path, shown: str, empty: list[tuple[str, int, int]]) -> list[Problem]:
    """A located error for each empty cell that holds a formula: the file was never saved by a spreadsheet."""
    formulas = _open(path, data_only=False)
    problems = []
    for sheet, row, column in empty:
        cell = formulas[sheet].cell(row=row, column=column)
        if cell.data_type == "f":
            message = (
                f"cell {cell.coordinate} holds a formula with no saved value; "
                "open the workbook in a spreadsheet program and save it"
            )
            problems.append(Problem(Location(shown, row, sheet), message))
    return problems
