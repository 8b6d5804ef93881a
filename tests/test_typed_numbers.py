"""Numbers typed into another number: decimal commas, thousands separators, a stray ``%``.

Each of these used to load as a different number without a word (``2026-10,28,9``
was actual 28 with the comment "9"). Every case names its file and line, as
``check`` prints it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from generator.errors import ValidationFailed
from generator.load import load

ROOT = Path(__file__).resolve().parents[1]

SCORECARD = """\
organization: {id: acme, name: Acme}
objectives:
  - {id: delight, name: Delight customers, perspective: customer}
kpis:
  - {id: csat, name: Satisfaction, objective: delight, direction: higher, frequency: monthly, unit: "%",
     target: {period: 2026-12, value: 90}}
  - {id: revenue, name: Revenue, objective: delight, direction: higher, frequency: quarterly,
     target: {period: 2026-Q4, value: 5000}}
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in ``tmp_path``, so problems name ``scorecard/...`` as ``check`` shows them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(root: Path, data: dict[str, str]) -> Path:
    folder = root / "scorecard"
    for name, text in {"scorecard.yml": SCORECARD, **{f"data/{k}": v for k, v in data.items()}}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems(root: Path, data: dict[str, str]) -> list[str]:
    """Every problem ``check`` would print (errors and warnings) for these data files."""
    write(root, data)
    try:
        loaded = load(Path("scorecard"))
    except ValidationFailed as failure:
        return [str(problem) for problem in failure.problems]
    return [str(problem) for problem in loaded.warnings]


# (case id, data files, the exact line `check` prints)
SPLIT = [
    (
        "per-kpi-comment-column",
        {"csat.csv": "period,actual,comment\n2026-09,28.5,\n2026-10,28,9\n"},
        "scorecard/data/csat.csv:3: kpi 'csat': actual 28 with comment '9': did you mean 28.9? "
        "write decimals with a point",
    ),
    (
        "leading-zero-and-sign",
        {"csat.csv": "period,actual,comment\n2026-10,-3,05\n"},
        "scorecard/data/csat.csv:2: kpi 'csat': actual -3 with comment '05': did you mean -3.05? "
        "write decimals with a point",
    ),
    (
        "with-percent-sign",
        {"csat.csv": "period,actual,comment\n2026-10,84,5%\n"},
        "scorecard/data/csat.csv:2: kpi 'csat': actual 84 with comment '5%': did you mean 84.5%? "
        "write decimals with a point",
    ),
    (
        "long-form",
        {"all.csv": "kpi,period,actual,comment\ncsat,2026-09,80,fine\nrevenue,2026-Q3,4440,25\n"},
        "scorecard/data/all.csv:3: kpi 'revenue': actual 4440 with comment '25': did you mean 4440.25? "
        "write decimals with a point",
    ),
    (
        "three-digits-may-be-thousands",
        {"revenue.csv": "period,actual,comment\n2026-Q3,4,440\n"},
        "scorecard/data/revenue.csv:2: kpi 'revenue': actual 4 with comment '440': did you mean 4.440 or 4440? "
        "write decimals with a point and no thousands separator",
    ),
    (
        "one-cell-too-many-without-comment-column",
        {"csat.csv": "period,actual\n2026-10,28,9\n"},
        "scorecard/data/csat.csv:2: the row has 3 cells but the header has 2 columns "
        "(did you mean 28.9? write decimals with a point)",
    ),
    (
        "one-cell-too-many-with-comment",
        {"csat.csv": "period,actual,comment\n2026-10,28,9,survey late\n"},
        "scorecard/data/csat.csv:2: the row has 4 cells but the header has 3 columns "
        "(did you mean 28.9? write decimals with a point)",
    ),
    (
        "trailing-empty-cell-without-comment-column",
        {"all.csv": "kpi,period,actual\nrevenue,2026-Q3,4440,5,\n"},
        "scorecard/data/all.csv:2: the row has 5 cells but the header has 3 columns "
        "(did you mean 4440.5? write decimals with a point)",
    ),
    (
        "comment-with-spaces",
        {"csat.csv": "period,actual,comment\n2026-10, 28, 9 \n"},
        "scorecard/data/csat.csv:2: kpi 'csat': actual 28 with comment '9': did you mean 28.9? "
        "write decimals with a point",
    ),
    (
        "semicolon-separated-file",
        {"csat.csv": "period;actual;comment\n2026-10;28,9;\n"},
        "scorecard/data/csat.csv:1: the first row must be the header, e.g. period,actual,comment "
        "(found 'period;actual;comment'); this file separates its cells with semicolons: save it as CSV "
        "with commas and decimal points (e.g. 2026-10,28.9)",
    ),
    # -- quoted cells: the comma stays in the actual ---------------------------------------------
    (
        "quoted-with-no-break-space-thousands",
        {"revenue.csv": 'period,actual\n2026-Q3,"4\u00a0440,5"\n'},
        "scorecard/data/revenue.csv:2: kpi 'revenue': actual '4\\xa0440,5': did you mean 4440.5? "
        "write decimals with a point",
    ),
    (
        "quoted-decimal-comma",
        {"csat.csv": 'period,actual\n2026-10,"28,9"\n'},
        "scorecard/data/csat.csv:2: kpi 'csat': actual '28,9': did you mean 28.9? write decimals with a point",
    ),
    (
        "quoted-comma-then-three-digits",
        {"revenue.csv": 'period,actual\n2026-Q3,"1,234"\n'},
        "scorecard/data/revenue.csv:2: kpi 'revenue': actual '1,234' has a comma: write 1234 if it is a "
        "thousands separator, or 1.234 if it is a decimal comma (write decimals with a point)",
    ),
    (
        "quoted-continental-thousands",
        {"revenue.csv": 'period,actual\n2026-Q3,"1.234,5"\n'},
        "scorecard/data/revenue.csv:2: kpi 'revenue': actual '1.234,5': did you mean 1234.5? "
        "write decimals with a point",
    ),
    (
        "dotted-thousands",
        {"revenue.csv": "period,actual\n2026-Q3,1.234.567\n"},
        "scorecard/data/revenue.csv:2: kpi 'revenue': actual '1.234.567' has a thousands separator; "
        "write the digits only (e.g. 1234567)",
    ),
    (
        "quoted-thousands-comma",
        {"revenue.csv": 'period,actual\n2026-Q3,"1,234,567"\n'},
        "scorecard/data/revenue.csv:2: kpi 'revenue': actual '1,234,567' has a thousands separator; "
        "write the digits only (e.g. 1234567)",
    ),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in SPLIT], ids=[c[0] for c in SPLIT])
def test_a_number_typed_into_another_is_refused(in_tmp: Path, data: dict[str, str], expected: str) -> None:
    assert problems(in_tmp, data) == [expected]


@pytest.mark.parametrize("row", [
    "2026-10,28,9 stores",  # a comment with a word is a comment
    "2026-10,28.5,9",  # the actual already has its decimals
    "2026-10,28,",  # no comment
    '2026-10,28,"nine"',
    "2026-10,,9",  # no actual: the comment stays a comment
])
def test_a_real_comment_is_not_taken_for_decimals(in_tmp: Path, row: str) -> None:
    assert problems(in_tmp, {"csat.csv": f"period,actual,comment\n{row}\n"}) == []


def test_a_stray_fraction_among_percentages_is_a_warning(in_tmp: Path) -> None:
    data = {"csat.csv": "period,actual\n2026-08,84%\n2026-09,85%\n2026-10,0.86\n"}
    assert problems(in_tmp, data) == [
        "scorecard/data/csat.csv:4: warning: kpi 'csat': actual '0.86' has no percent sign, unlike 2 other rows "
        "of this KPI (e.g. scorecard/data/csat.csv:2); if it is a fraction, write 86%"
    ]


def test_a_stray_percent_sign_is_a_warning_across_files(in_tmp: Path) -> None:
    data = {
        "csat.csv": "period,actual\n2026-08,84\n2026-09,85\n",
        "late.csv": "kpi,period,actual\ncsat,2026-10,86 %\n",
    }
    assert problems(in_tmp, data) == [
        "scorecard/data/late.csv:2: warning: kpi 'csat': actual '86 %' has a percent sign, unlike 2 other rows "
        "of this KPI (e.g. scorecard/data/csat.csv:2); write every row the same way"
    ]


def test_the_same_form_on_every_row_is_fine(in_tmp: Path) -> None:
    assert problems(in_tmp, {"csat.csv": "period,actual\n2026-08,84%\n2026-09,85%\n2026-10,\n"}) == []


def check(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "scorecard", *options],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )


def test_check_refuses_a_decimal_comma_without_a_traceback(in_tmp: Path) -> None:
    write(in_tmp, {"csat.csv": "period,actual,comment\n2026-09,28.5,\n2026-10,28,9\n"})
    result = check(in_tmp)
    assert result.returncode == 1
    assert "scorecard/data/csat.csv:3: kpi 'csat': actual 28 with comment '9': did you mean 28.9?" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_strict_refuses_a_stray_fraction(in_tmp: Path) -> None:
    write(in_tmp, {"csat.csv": "period,actual\n2026-09,85%\n2026-10,0.86\n"})
    relaxed, strict = check(in_tmp), check(in_tmp, "--strict")
    assert relaxed.returncode == 0 and "csat.csv:3: warning: kpi 'csat': actual '0.86' has no percent" in relaxed.stdout
    assert strict.returncode == 1 and "csat.csv:3: warning:" in strict.stdout
    assert "Traceback" not in relaxed.stderr + strict.stderr


def test_a_fraction_typed_among_percentage_cells_of_a_workbook_is_a_warning(in_tmp: Path) -> None:
    """A spreadsheet shows 0.86 formatted as a number and 84% formatted as a percentage side by side."""
    (write(in_tmp, {}) / "data").mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "csat"
    sheet.append(["period", "actual"])
    cells = [("2026-08", 0.84, "0%"), ("2026-09", 0.85, "0.0%"), ("2026-10", 0.86, "General")]
    for period, value, number_format in cells:
        sheet.append([period, value])
        sheet.cell(sheet.max_row, 2).number_format = number_format
    book.save(in_tmp / "scorecard" / "data" / "survey.xlsx")
    assert problems(in_tmp, {}) == [
        "scorecard/data/survey.xlsx[csat]:4: warning: kpi 'csat': actual '0.86' has no percent sign, unlike 2 other "
        "rows of this KPI (e.g. scorecard/data/survey.xlsx[csat]:2); if it is a fraction, write 86%"
    ]
