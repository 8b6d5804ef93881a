"""Actuals kept in ``.xlsx`` workbooks: read as the spreadsheet shows them, errors located by sheet and row.

Workbooks are written with openpyxl the way a spreadsheet program stores what a
user typed: numbers as numbers, ``2026-03`` as a date, ``85%`` as 0.85 with a
percentage format.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from generator.compute import compute
from generator.compute.export import scorecard_json
from generator.errors import Severity, ValidationFailed
from generator.load import Loaded, load
from generator.periods import Frequency, Period

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "scorecard"

SCORECARD = """\
organization: {id: acme, name: Acme}
objectives:
  - {id: delight, name: Delight customers, perspective: customer}
kpis:
  - {id: csat, name: Customer satisfaction, objective: delight, direction: higher,
     frequency: monthly, unit: '%', target: {period: 2026-12, value: 90}}
  - {id: nps, name: Net promoter score, objective: delight, direction: higher,
     frequency: quarterly, target: {period: 2026-Q4, value: 40}}
"""

Rows = list[list[object]]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every case from ``tmp_path`` so paths show as ``scorecard/...``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


class Percent(float):
    """A cell value shown as a percentage: 0.853 with the format ``0.0%`` reads 85.3%."""


def workbook(path: Path, sheets: dict[str, Rows]) -> Path:
    """Write ``sheets`` (name -> rows) to ``path``; a :class:`Percent` cell gets a percentage format."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Percent) else v for v in row])
            # A sheet row runs to the sheet's widest row: this row's cells come first.
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                cell.number_format = "0.0%" if isinstance(value, Percent) else cell.number_format
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def folder(workbooks: dict[str, dict[str, Rows]] | None = None, **files: str) -> Path:
    """A scorecard folder with SCORECARD, ``workbooks`` under data/ and other text ``files``."""
    root = Path("scorecard")
    (root / "data").mkdir(parents=True)
    (root / "scorecard.yml").write_text(SCORECARD, encoding="utf-8")
    for name, sheets in (workbooks or {}).items():
        workbook(root / "data" / name, sheets)
    for name, text in files.items():
        (root / "data" / name.replace("__", "/")).write_text(text, encoding="utf-8")
    return root


def refused(root: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as failure:
        load(root)
    return [str(problem) for problem in failure.value.problems]


def values(loaded: Loaded, kpi: str) -> dict[str, float | None]:
    return {str(row.period): row.value for row in loaded.scorecard.actuals[kpi]}


# -- what a workbook holds ----------------------------------------------------------------


def test_the_sample_kept_in_workbooks_scores_exactly_as_the_csv_sample(tmp_path: Path) -> None:
    """Every CSV of the sample turned into workbook sheets, as a spreadsheet would store them."""
    copy = tmp_path / "scorecard"
    shutil.copytree(SAMPLE, copy)
    percent_kpis = {kpi.id for kpi in load(SAMPLE).scorecard.kpis if kpi.unit == "%"}
    per_kpi: dict[str, Rows] = {}
    for path in sorted((copy / "data").rglob("*.csv")):
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        if rows[0][0] == "kpi":  # the long form: a workbook of its own, one sheet
            typed = [_typed(r, r[0] in percent_kpis) for r in rows[1:]]
            workbook(path.with_suffix(".xlsx"), {"Sheet1": [rows[0], *typed]})
        else:
            typed = [_typed(["", *r], path.stem in percent_kpis)[1:] for r in rows[1:]]
            per_kpi[path.stem] = [rows[0], *typed]
        path.unlink()
    workbook(copy / "data" / "actuals.xlsx", per_kpi)

    from_csv = scorecard_json(compute(load(SAMPLE).scorecard))
    from_workbooks = scorecard_json(compute(load(copy).scorecard))
    assert from_workbooks == from_csv
    assert len(per_kpi) >= 10 and percent_kpis, "the sample exercises per-KPI sheets and percentages"


def _typed(row: list[str], percent: bool) -> list[object]:
    """A long-form CSV row as a spreadsheet stores it: monthly periods become dates, numbers numbers."""
    kpi, period, actual, *comment = row
    cell: object = period
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        cell = dt.datetime(int(period[:4]), int(period[5:]), 1)
    elif period.isdigit():
        cell = int(period)
    number: object = None
    if actual.strip():
        value = Decimal(actual.rstrip("%"))
        number = Percent(value / 100) if percent else float(value)
    return [kpi, cell, number, *comment]


def test_dates_percentages_and_plain_numbers_read_as_the_sheet_shows_them() -> None:
    root = folder()
    workbook(
        root / "data" / "figures.xlsx",
        {
            "csat": [
                ["Period", "Actual", "Comment"],
                [dt.datetime(2026, 1, 1), Percent(0.853), "typed 85.3%"],
                [dt.datetime(2026, 2, 28), Percent(0.9), None],  # a month-end date is that month
                ["2026-03", None, "survey skipped"],
            ],
        },
    )
    workbook(
        root / "data" / "nps.xlsx",
        {"Sheet1": [["period", "actual"], [dt.datetime(2026, 2, 15), 31], ["2026-Q2", 33.5]]},
    )
    loaded = load(root)
    assert values(loaded, "csat") == {"2026-01": 85.3, "2026-02": 90.0, "2026-03": None}
    assert values(loaded, "nps") == {"2026-Q1": 31.0, "2026-Q2": 33.5}
    assert [row.comment for row in loaded.scorecard.actuals["csat"]] == ["typed 85.3%", "", "survey skipped"]
    assert loaded.warnings == []
    assert "scorecard/data/figures.xlsx" in loaded.scorecard.files, "an input file: provenance hashes it"


@pytest.mark.parametrize(
    ("number_format", "expected"), [("0%", 85.0), ('0"%"', 0.85), ("0\\%", 0.85), ("General", 0.85)]
)
def test_only_a_percentage_format_scales_the_number(number_format: str, expected: float) -> None:
    """``0"%"`` and ``0\\%`` show a literal % sign beside the number as stored; they do not scale it."""
    root = folder({"csat.xlsx": {"csat": [["period", "actual"], ["2026-01", 0.85]]}})
    book = load_workbook(root / "data" / "csat.xlsx")
    book["csat"]["B2"].number_format = number_format
    book.save(root / "data" / "csat.xlsx")
    assert values(load(root), "csat") == {"2026-01": expected}


def test_empty_sheets_lock_files_and_notes_sheets() -> None:
    root = folder({"actuals.xlsx": {"Notes": [["Figures from the finance system, checked by Ann"]],
                                    "Long": [["kpi", "period", "actual"], ["csat", "2026-01", 80]],
                                    "Sheet2": []}})
    (root / "data" / "~$actuals.xlsx").write_bytes(b"owner file of an open workbook")
    loaded = load(root)
    assert values(loaded, "csat") == {"2026-01": 80.0}
    assert [str(w) for w in loaded.warnings] == [
        "scorecard/data/actuals.xlsx[Notes]:1: warning: the sheet is not read: "
        "its first row is not a header (kpi,period,actual,comment)"
    ]


def test_a_workbook_and_a_csv_may_not_both_give_a_period() -> None:
    root = folder({"actuals.xlsx": {"csat": [["period", "actual"], ["2026-01", 80], ["2026-02", 81]]}},
                  **{"csat.csv": "period,actual\n2026-02,81\n"})
    assert refused(root) == [
        "scorecard/data/csat.csv:2: kpi 'csat': period 2026-02 appears twice"
        " (first at scorecard/data/actuals.xlsx[csat]:3)"
    ]


# -- refused, with the sheet and row ------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["kpi", "period", "actual"], ["csat", "2026-01", "n/a"]],
         "scorecard/data/book.xlsx[Long]:2: kpi 'csat': actual 'n/a' is not a number"),
        ([["kpi", "period", "actual"], ["csat", "2026-01", "#DIV/0!"]],
         "scorecard/data/book.xlsx[Long]:2: kpi 'csat': actual '#DIV/0!' is a spreadsheet error; fix the formula"),
        ([["kpi", "period", "actual"], ["csat", "2026-01", dt.datetime(2026, 1, 5)]],
         "scorecard/data/book.xlsx[Long]:2: kpi 'csat': actual is a date (2026-01-05); format the cell as a number"),
        ([["kpi", "period", "actual"], [], ["csta", "2026-01", 80]],
         "scorecard/data/book.xlsx[Long]:3: unknown kpi 'csta' (did you mean 'csat'?)"),
        ([["kpi", "period", "actual"], ["nps", "2026-01", 30]],
         "scorecard/data/book.xlsx[Long]:2: kpi 'nps': period '2026-01' is monthly"),
        ([["kpi", "period", "actual"], ["csat", "2026-01", 80], ["csat", dt.datetime(2026, 1, 31), 81]],
         "scorecard/data/book.xlsx[Long]:3: kpi 'csat': period 2026-01 appears twice"
         " (first at scorecard/data/book.xlsx[Long]:2)"),
        ([["kpi", "periode", "actual"]],
         "scorecard/data/book.xlsx[Long]:1: unknown column 'periode' (did you mean 'period'?)"),
        ([["period", "actual"], ["2026-01", 80]],
         "scorecard/data/book.xlsx[Long]: neither the sheet name 'Long' nor the file name 'book' is a KPI id"),
    ],
    ids=["text", "spreadsheet-error", "date-actual", "unknown-kpi", "wrong-frequency", "duplicate-by-date",
         "unknown-column", "no-kpi"],
)
def test_bad_cells_are_refused_naming_the_sheet_and_row(rows: Rows, expected: str) -> None:
    problems = refused(folder({"book.xlsx": {"Long": rows}}))
    assert any(problem.startswith(expected) for problem in problems), "\n".join(problems)


def test_a_formula_never_calculated_is_an_error_not_an_empty_cell() -> None:
    root = folder({"book.xlsx": {"Long": [["kpi", "period", "actual"], ["csat", "2026-01", "=80+1"]]}})
    assert refused(root) == [
        "scorecard/data/book.xlsx[Long]:2: cell C2 holds a formula with no saved value; "
        "open the workbook in a spreadsheet program and save it"
    ]


def test_a_broken_workbook_is_refused_by_check_without_a_traceback() -> None:
    root = folder()
    (root / "data" / "actuals.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "check", str(root)], capture_output=True, text=True, env=env
    )
    assert run.returncode == 1
    assert run.stdout.startswith("scorecard/data/actuals.xlsx: cannot read the workbook (BadZipFile"), run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_old_spreadsheet_formats_are_a_warning_asking_for_xlsx() -> None:
    root = folder(**{"actuals.xls": "binary"})
    assert [(str(w.where), w.severity) for w in load(root).warnings] == [
        ("scorecard/data/actuals.xls", Severity.WARNING)
    ]


def test_a_date_stands_for_the_period_that_holds_it() -> None:
    """The rule the reader relies on, for every frequency a sheet may hold."""
    day = dt.date(2026, 3, 31)
    assert [str(Period.containing(day, f)) for f in Frequency] == ["2026-W14", "2026-03", "2026-Q1", "2026"]
