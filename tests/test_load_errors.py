"""Broken scorecards: every one is refused with ``path:line: <item>: <message>``.

Each case is a small scorecard folder written into ``tmp_path`` from a dict of
file texts, so the broken input and the line it is expected at sit together.
Paths are shown relative to the working folder, so the tests run from
``tmp_path`` and expect ``scorecard/...``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import ValidationFailed
from generator.load import load

ROOT = Path(__file__).resolve().parents[1]

# Lines 1-4 of every scorecard.yml below; the cases add from line 5 on.
HEAD = """\
organization: {id: acme, name: Acme}
objectives:
  - {id: grow-profit, name: Grow profits, perspective: financial}
  - {id: delight, name: Delight customers, perspective: customer}
"""

# A valid KPI at lines 5-11 (after HEAD); cases replace or add lines.
KPI = """\
kpis:
  - id: csat
    name: Customer satisfaction
    objective: delight
    direction: higher
    frequency: monthly
    target: {period: 2026-12, value: 90}
"""


def kpi(**changes: str) -> str:
    """HEAD + KPI with some of the KPI's lines (9: direction, 10: frequency, 11: target) changed or added.

    A change to an existing key keeps its line; a new key is added at the end (line 12 on).
    """
    lines = KPI.splitlines()
    for key, value in changes.items():
        line = f"    {key}: {value}" if value else ""
        index = next((i for i, text in enumerate(lines) if text.startswith(f"    {key}:")), None)
        if index is None:
            lines.append(line)
        else:
            lines[index] = line
    return HEAD + "\n".join(lines) + "\n"


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a scorecard folder under ``root/scorecard``; returns that folder."""
    folder = root / "scorecard"
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    folder.mkdir(exist_ok=True)
    return folder


def refused(root: Path, files: dict[str, str | bytes]) -> list[str]:
    """The problems of a scorecard that must be refused, as ``check`` prints them."""
    folder = write(root, files)
    with pytest.raises(ValidationFailed) as failure:
        load(folder.relative_to(root))
    return [str(problem) for problem in failure.value.problems]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every case from ``tmp_path`` so paths show as ``scorecard/...``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def assert_reported(problems: list[str], expected: str) -> None:
    """``expected`` (starting with ``path:line:``) is in one of the problems."""
    assert any(expected in problem for problem in problems), "\n".join(problems)


CSV_KPIS = HEAD + KPI + """\
  - id: margin
    name: Gross margin
    objective: grow-profit
    direction: higher
    frequency: quarterly
    target: {period: 2026-Q4, value: 30}
"""

# (case id, files, the expected `path:line: message` start)
CASES: list[tuple[str, dict[str, str | bytes], str]] = [
    # -- YAML itself ------------------------------------------------------------------------
    (
        "syntax-error",
        {"scorecard.yml": HEAD + "kpis:\n  - id: csat\n    name: [unclosed\n"},
        "scorecard/scorecard.yml:8: YAML syntax error",
    ),
    (
        "tab-indentation",
        {"scorecard.yml": HEAD + "kpis:\n\t- id: csat\n"},
        "scorecard/scorecard.yml:6: YAML syntax error",
    ),
    (
        "duplicate-key",
        {"scorecard.yml": kpi(unit="'%'") + "    direction: lower\n"},
        "scorecard/scorecard.yml:13: duplicate key 'direction' (first at line 9",
    ),
    (
        "duplicate-top-level-section",
        {"scorecard.yml": HEAD + "objectives: []\n"},
        "scorecard/scorecard.yml:5: duplicate key 'objectives' (first at line 2",
    ),
    (
        "top-level-list",
        {"scorecard.yml": "- id: acme\n"},
        "scorecard/scorecard.yml:1: scorecard.yml must be a mapping",
    ),
    (
        "empty-scorecard",
        {"scorecard.yml": ""},
        "scorecard/scorecard.yml: scorecard.yml must be a mapping",
    ),
    (
        "invalid-utf8",
        {"scorecard.yml": HEAD.encode() + b"themes:\n  - {id: caf\xe9, name: x}\n"},
        "scorecard/scorecard.yml:6: the file is not valid UTF-8 (byte 0xe9)",
    ),
    (
        "python-tag",
        {"scorecard.yml": HEAD + "themes: !!python/object/apply:os.system ['echo hi']\n"},
        "scorecard/scorecard.yml:5: unsupported YAML tag",
    ),
    (
        "custom-tag",
        {"scorecard.yml": HEAD + "themes:\n  - {id: t, name: !secret x}\n"},
        "scorecard/scorecard.yml:6: unsupported YAML tag '!secret'",
    ),
    (
        "self-referencing-alias",
        {"scorecard.yml": HEAD + "themes: &loop\n  - *loop\n"},
        "scorecard/scorecard.yml:5: an alias refers to the value it is inside",
    ),
    (
        "two-documents",
        {"scorecard.yml": HEAD + "---\nkpis: []\n"},
        "scorecard/scorecard.yml:5: YAML syntax error",
    ),
    (
        "organization-missing",
        {"scorecard.yml": "objectives: []\n"},
        "scorecard/scorecard.yml:1: missing required key 'organization'",
    ),
    # -- one item against its model -------------------------------------------------------------
    (
        "enum-direction",
        {"scorecard.yml": kpi(direction="up")},
        "scorecard/scorecard.yml:9: kpi 'csat': direction must be one of higher, lower, range (got 'up')",
    ),
    (
        "enum-frequency-typo",
        {"scorecard.yml": kpi(frequency="montly")},
        "scorecard/scorecard.yml:10: kpi 'csat': frequency must be one of weekly, monthly, quarterly, yearly "
        "(got 'montly') (did you mean 'monthly'?)",
    ),
    (
        "missing-perspective",
        {"scorecard.yml": "organization: {id: acme, name: Acme}\nobjectives:\n  - id: grow-profit\n    name: Grow\n"},
        "scorecard/scorecard.yml:3: objective 'grow-profit': missing required key 'perspective'",
    ),
    (
        "missing-id",
        {"scorecard.yml": HEAD + "kpis:\n  - name: Customer satisfaction\n    objective: delight\n"},
        "scorecard/scorecard.yml:6: kpi #1: missing required key 'id'",
    ),
    (
        "id-path-traversal",
        {"scorecard.yml": HEAD + KPI.replace("id: csat", "id: ../x")},
        "scorecard/scorecard.yml:6: kpi #1: id: '../x' is not a valid id",
    ),
    (
        "id-with-space-and-capitals",
        {"scorecard.yml": HEAD + "themes:\n  - {id: ok}\n  - {id: Foo Bar}\n"},
        "scorecard/scorecard.yml:7: theme #2: id: 'Foo Bar' is not a valid id",
    ),
    (
        "name-is-a-list",
        {"scorecard.yml": kpi(name="[a, b]")},
        "scorecard/scorecard.yml:7: kpi 'csat': name must be text, not a list",
    ),
    (
        "name-empty",
        {"scorecard.yml": kpi(name="''")},
        "scorecard/scorecard.yml:7: kpi 'csat': name is empty",
    ),
    (
        "item-not-a-mapping",
        {"scorecard.yml": HEAD + "themes:\n  - loyalty\n"},
        "scorecard/scorecard.yml:6: theme #1: must be a mapping",
    ),
    (
        "weight-zero",
        {"scorecard.yml": kpi(weight="0")},
        "scorecard/scorecard.yml:12: kpi 'csat': weight must be greater than 0",
    ),
    (
        "tolerance-negative",
        {"scorecard.yml": kpi(tolerance="-5%")},
        "scorecard/scorecard.yml:12: kpi 'csat': tolerance must be a number greater than 0",
    ),
    (
        "target-not-a-mapping",
        {"scorecard.yml": kpi(target="90")},
        "scorecard/scorecard.yml:11: kpi 'csat': target must be a mapping like {period: 2026-12, value: 90}",
    ),
    (
        "target-bad-month",
        {"scorecard.yml": kpi(target="\n      period: 2026-13\n      value: 90")},
        "scorecard/scorecard.yml:12: kpi 'csat': target period: '2026-13': month must be 01-12",
    ),
    (
        "target-period-is-a-date",
        {"scorecard.yml": kpi(target="{period: 2026-12-31, value: 90}")},
        "scorecard/scorecard.yml:11: kpi 'csat': target period: 2026-12-31 is a date, not a period",
    ),
    (
        "target-value-text",
        {"scorecard.yml": kpi(target="{period: 2026-12, value: lots}")},
        "scorecard/scorecard.yml:11: kpi 'csat': target value must be a number, not 'lots'",
    ),
    (
        "progress-above-100",
        {"scorecard.yml": HEAD + "initiatives:\n  - {id: pilot, name: Pilot, objectives: [delight], progress: 120}\n"},
        "scorecard/scorecard.yml:6: initiative 'pilot': progress must be between 0 and 100",
    ),
    (
        "milestone-done-not-boolean",
        {
            "scorecard.yml": HEAD
            + "initiatives:\n  - id: pilot\n    name: Pilot\n    objectives: [delight]\n    milestones:\n"
            + "      - {name: Kick-off, done: true}\n      - name: Pilot live\n        done: 'yes'\n"
        },
        "scorecard/scorecard.yml:12: initiative 'pilot': milestones #2 done must be true or false, not 'yes'",
    ),
    (
        "impossible-date",
        {
            "scorecard.yml": HEAD
            + "initiatives:\n  - id: pilot\n    name: Pilot\n    objectives: [delight]\n    start: 2026-02-30\n"
        },
        "scorecard/scorecard.yml:9: initiative 'pilot': start: '2026-02-30' is not a real date",
    ),
    (
        "status-unknown",
        {"scorecard.yml": HEAD + "initiatives:\n  - {id: pilot, name: Pilot, objectives: [delight], status: green}\n"},
        "scorecard/scorecard.yml:6: initiative 'pilot': status must be one of not-started, on-track, at-risk, "
        "off-track, done (got 'green')",
    ),
    (
        "target-period-lower-case-week",
        {"scorecard.yml": kpi(frequency="weekly", target="{period: 2026-w05, value: 90}")},
        "scorecard/scorecard.yml:11: kpi 'csat': target period: '2026-w05' is not a period "
        "(write e.g. 2026-03, 2026-Q1, 2026-W05 or 2026); write '2026-W05' (upper case)",
    ),
    (
        "targets-not-a-list",
        {"scorecard.yml": kpi(targets="{period: 2026-06, value: 85}")},
        "scorecard/scorecard.yml:12: kpi 'csat': targets must be a list, not a mapping",
    ),
    (
        "organization-not-a-mapping",
        {"scorecard.yml": "organization: acme\n"},
        "scorecard/scorecard.yml:1: organization: must be a mapping of keys (id, name, ...), not 'acme'",
    ),
    (
        "key-is-a-list",
        {"scorecard.yml": HEAD + "themes:\n  - {id: t, [a]: b}\n"},
        "scorecard/scorecard.yml:6: a key must be plain text, not a list or a mapping",
    ),
    # -- across items ---------------------------------------------------------------------------
    (
        "unknown-perspective",
        {
            "scorecard.yml": "organization: {id: acme, name: Acme}\n"
            "objectives:\n  - id: grow\n    name: Grow\n    perspective: finance\n"
        },
        "scorecard/scorecard.yml:5: objective 'grow': perspective 'finance' does not exist (did you mean 'financial'?)",
    ),
    (
        "unknown-theme",
        {"scorecard.yml": HEAD + "  - {id: lean, name: Lean, perspective: internal, themes: [loyalty]}\n"},
        "scorecard/scorecard.yml:5: objective 'lean': themes 'loyalty' does not exist (no themes are defined)",
    ),
    (
        "unknown-drives",
        {
            "scorecard.yml": HEAD
            + "  - id: lean\n    name: Lean\n    perspective: internal\n"
            "    drives:\n      - delight\n      - grow-profits\n"
        },
        "scorecard/scorecard.yml:10: objective 'lean': drives 'grow-profits' does not exist"
        " (did you mean 'grow-profit'?)",
    ),
    (
        "unknown-kpi-objective",
        {"scorecard.yml": kpi(objective="delighted")},
        "scorecard/scorecard.yml:8: kpi 'csat': objective 'delighted' does not exist (did you mean 'delight'?)",
    ),
    (
        "unknown-initiative-objective",
        {"scorecard.yml": HEAD + "initiatives:\n  - {id: pilot, name: Pilot, objectives: [delight, growth]}\n"},
        "scorecard/scorecard.yml:6: initiative 'pilot': objectives 'growth' does not exist",
    ),
    (
        "duplicate-id-same-file",
        {"scorecard.yml": HEAD + "  - {id: delight, name: Again, perspective: customer}\n"},
        "scorecard/scorecard.yml:5: objective 'delight': id used twice (first at line 4)",
    ),
    (
        "duplicate-id-across-split-files",
        {
            "scorecard.yml": kpi(),
            "kpis/more.yml": "- id: nps\n  name: NPS\n  objective: delight\n  direction: higher\n  frequency: monthly\n"
            "  target: {period: 2026-12, value: 40}\n- id: csat\n  name: Again\n  objective: delight\n"
            "  direction: higher\n  frequency: monthly\n  target: {period: 2026-12, value: 90}\n",
        },
        "scorecard/kpis/more.yml:7: kpi 'csat': id used twice (first at scorecard/scorecard.yml:6)",
    ),
    (
        "baseline-without-target",
        {
            "scorecard.yml": kpi(
                target="", baseline="{period: 2025-12, value: 80}", targets="[{period: 2026-06, value: 85}]"
            )
        },
        "scorecard/scorecard.yml:12: kpi 'csat': baseline needs a target",
    ),
    (
        "baseline-not-before-target",
        {"scorecard.yml": kpi(baseline="{period: 2026, value: 80}")},
        "scorecard/scorecard.yml:12: kpi 'csat': baseline period 2026 (= 2026-12)"
        " must come before the target period 2026-12",
    ),
    (
        "two-targets-same-period",
        {
            "scorecard.yml": kpi(
                frequency="quarterly",
                targets="\n      - {period: 2026-Q1, value: 85}\n      - {period: 2026-03, value: 86}",
            )
        },
        "scorecard/scorecard.yml:14: kpi 'csat': targets #2 (2026-03) falls in the same quarterly period 2026-Q1 "
        "as targets #1 (at line 13)",
    ),
    (
        "range-with-direction-higher",
        {"scorecard.yml": kpi(range="[30, 40]")},
        "scorecard/scorecard.yml:12: kpi 'csat': range goes only with direction: range",
    ),
    (
        "direction-range-without-range",
        {"scorecard.yml": kpi(direction="range", target="")},
        "scorecard/scorecard.yml:9: kpi 'csat': direction range needs range: [lo, hi]",
    ),
    (
        "direction-range-with-target",
        {"scorecard.yml": kpi(direction="range", range="[30, 40]")},
        "scorecard/scorecard.yml:11: kpi 'csat': direction range takes no target",
    ),
    (
        "no-goal",
        {"scorecard.yml": kpi(target="")},
        "scorecard/scorecard.yml:6: kpi 'csat': needs a goal: target, targets or range",
    ),
    (
        "zero-width-range-percent-tolerance",
        {"scorecard.yml": kpi(direction="range", target="", range="[5, 5]")},
        "scorecard/scorecard.yml:12: kpi 'csat': range [5, 5] has zero width,"
        " so a percentage tolerance (10%) of it is 0",
    ),
    (
        "zero-target-percent-tolerance",
        {"scorecard.yml": kpi(direction="lower", target="{period: 2026-12, value: 0}", tolerance="5%")},
        "scorecard/scorecard.yml:11: kpi 'csat': target value is 0, so a percentage tolerance (5%) of it is 0",
    ),
    (
        "zero-targets-entry-default-tolerance",
        {"scorecard.yml": kpi(targets="\n      - {period: 2026-03, value: 10}\n      - {period: 2026-06, value: 0}")},
        "scorecard/scorecard.yml:14: kpi 'csat': targets #2 value is 0, so a percentage tolerance (10%) of it is 0",
    ),
    (
        "start-after-end",
        {"scorecard.yml": HEAD + "initiatives:\n  - id: pilot\n    name: Pilot\n    objectives: [delight]\n"
         "    start: 2026-07-01\n    end: 2026-06-30\n"},
        "scorecard/scorecard.yml:9: initiative 'pilot': start 2026-07-01 is after end 2026-06-30",
    ),
    (
        "negative-budget",
        {"scorecard.yml": HEAD + "initiatives:\n  - {id: pilot, name: Pilot, objectives: [delight], budget: -100}\n"},
        "scorecard/scorecard.yml:6: initiative 'pilot': budget must not be negative (got -100)",
    ),
    # -- split files ----------------------------------------------------------------------------
    (
        "list-file-without-kind",
        {"scorecard.yml": HEAD, "misc/stuff.yml": "- {id: x, name: X}\n"},
        "scorecard/misc/stuff.yml:1: a list file must sit in a folder named objectives, kpis, initiatives",
    ),
    (
        "split-mapping-with-organization",
        {"scorecard.yml": HEAD, "more.yml": "objectives: []\norganization: {id: other, name: Other}\n"},
        "scorecard/more.yml:2: a split file may hold only objectives, kpis, initiatives (found 'organization')",
    ),
    (
        "section-not-a-list",
        {"scorecard.yml": HEAD + "kpis:\n  id: csat\n"},
        "scorecard/scorecard.yml:5: 'kpis' must be a list of kpis, not a mapping",
    ),
    (
        "bad-item-in-split-file",
        {
            "scorecard.yml": HEAD,
            "objectives/learning.yml": "- id: train\n  name: Train\n  perspective: learning\n  weight: heavy\n",
        },
        "scorecard/objectives/learning.yml:4: objective 'train': weight must be a number, not 'heavy'",
    ),
    # -- CSV actuals ----------------------------------------------------------------------------
    (
        "actual-decimal-comma",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "period,actual\n2026-01,85\n2026-02,8,5\n"},
        "scorecard/data/csat.csv:3: the row has 3 cells but the header has 2 columns",
    ),
    (
        "actual-decimal-comma-quoted",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": 'period,actual\n2026-01,85\n2026-02,"8,5"\n'},
        "scorecard/data/csat.csv:3: kpi 'csat': actual '8,5': did you mean 8.5? write decimals with a point",
    ),
    (
        "actual-exponent",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "period,actual\n2026-01,1e5\n"},
        "scorecard/data/csat.csv:2: kpi 'csat': actual '1e5' has an exponent; write the plain number (e.g. 100000)",
    ),
    (
        "actual-thousands-separator",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": 'period,actual\n2026-01,"1,234.5"\n'},
        "scorecard/data/csat.csv:2: kpi 'csat': actual '1,234.5' has a thousands separator",
    ),
    (
        "actual-nan",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "period,actual\n2026-01,nan\n2026-02,inf\n"},
        "scorecard/data/csat.csv:3: kpi 'csat': actual 'inf' is not a number",
    ),
    (
        "actual-beyond-float",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "period,actual\n2026-01," + "9" * 400 + "\n"},
        "scorecard/data/csat.csv:2: kpi 'csat': actual '99999999999999999999...99999' is too large to be a number",
    ),
    (
        "actual-text",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "period,actual,comment\n\n\n2026-01,n/a,survey late\n"},
        "scorecard/data/csat.csv:4: kpi 'csat': actual 'n/a' is not a number",
    ),
    (
        "unknown-column",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "period,actual,note\n2026-01,85,x\n"},
        "scorecard/data/csat.csv:1: unknown column 'note'",
    ),
    (
        "no-header",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "2026-01,85\n2026-02,86\n"},
        "scorecard/data/csat.csv:1: the first row must be the header, e.g. period,actual,comment (found '2026-01,85')",
    ),
    (
        "file-name-not-a-kpi",
        {"scorecard.yml": CSV_KPIS, "data/cast.csv": "period,actual\n2026-01,85\n"},
        "scorecard/data/cast.csv: file name 'cast' is not a KPI id (did you mean 'csat'?)",
    ),
    (
        # The KPI itself is invalid (bad direction), yet its CSV is still checked in the same run.
        "wrong-frequency-in-csv-of-invalid-kpi",
        {"scorecard.yml": kpi(direction="up"), "data/csat.csv": "period,actual\n2026-01,85\n2026-Q1,86\n"},
        "scorecard/data/csat.csv:3: kpi 'csat': period '2026-Q1' is quarterly, but this KPI is monthly",
    ),
    (
        # A mapping where the frequency word should be must not crash the CSV check.
        "frequency-is-a-mapping",
        {"scorecard.yml": kpi(frequency="{a: 1}"), "data/csat.csv": "period,actual\n2026-01,85\n"},
        "scorecard/scorecard.yml:10: kpi 'csat': frequency must be one of weekly, monthly, quarterly, yearly",
    ),
    (
        # An integer too large for a float is refused like any other bad number, not a crash.
        "target-value-beyond-float-range",
        {"scorecard.yml": kpi(target="{period: 2026-12, value: " + "9" * 400 + "}")},
        "scorecard/scorecard.yml:11: kpi 'csat': target value must be a finite number",
    ),
    (
        "year-beyond-the-calendar",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "period,actual\n9999-12,85\n"},
        "scorecard/data/csat.csv:2: kpi 'csat': period '9999-12': the year must be between 1000 and 9990",
    ),
    (
        # `\d` would take Arabic-Indic or full-width digits; the contract means 0-9.
        "non-ascii-digits",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": "period,actual\n2026-03,\uff15\n"},
        "scorecard/data/csat.csv:2: kpi 'csat': actual '\uff15' is not a number",
    ),
    (
        "long-file-unknown-kpi",
        {"scorecard.yml": CSV_KPIS, "data/all.csv": "KPI , Period,Actual\ncsat,2026-01,85\nnps,2026-01,40\n"},
        "scorecard/data/all.csv:3: unknown kpi 'nps'",
    ),
    (
        "period-wrong-frequency",
        {"scorecard.yml": CSV_KPIS, "data/margin.csv": "period,actual\n2026-Q1,30\n2026-06,31\n"},
        "scorecard/data/margin.csv:3: kpi 'margin': period '2026-06' is monthly, but this KPI is quarterly",
    ),
    (
        "period-lower-case-q",
        {"scorecard.yml": CSV_KPIS, "data/margin.csv": "period,actual\n2026-q1,30\n"},
        "scorecard/data/margin.csv:2: kpi 'margin': period '2026-q1' is not a period",
    ),
    (
        "period-duplicated-across-files",
        {
            "scorecard.yml": CSV_KPIS,
            "data/csat.csv": "period,actual\n2026-01,85\n2026-02,86\n",
            "data/later/all.csv": "kpi,period,actual\nmargin,2026-Q1,30\ncsat,2026-02,87\n",
        },
        "scorecard/data/later/all.csv:3: kpi 'csat': period 2026-02 appears twice (first at scorecard/data/csat.csv:3)",
    ),
    (
        "csv-crlf-and-bom-line-numbers",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": b"\xef\xbb\xbfperiod,actual\r\n2026-01,85\r\n\r\n2026-02,x\r\n"},
        "scorecard/data/csat.csv:4: kpi 'csat': actual 'x' is not a number",
    ),
    (
        "csv-invalid-utf8",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": b"period,actual,comment\n2026-01,85,caf\xe9\n"},
        "scorecard/data/csat.csv:2: the file is not valid UTF-8",
    ),
    (
        "csv-multiline-comment-keeps-physical-lines",
        {"scorecard.yml": CSV_KPIS, "data/csat.csv": 'period,actual,comment\n2026-01,85,"two\nlines"\n2026-02,oops,\n'},
        "scorecard/data/csat.csv:4: kpi 'csat': actual 'oops' is not a number",
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_input_is_refused_at_its_line(in_tmp: Path, files: dict[str, str | bytes], expected: str) -> None:
    assert_reported(refused(in_tmp, files), expected)


def test_there_are_many_distinct_cases() -> None:
    assert len({c[0] for c in CASES}) == len(CASES) >= 30


def test_one_bad_item_does_not_hide_the_others(in_tmp: Path) -> None:
    text = HEAD + KPI + "  - {id: nps, name: NPS, objective: nowhere, direction: higher, frequency: monthly}\n"
    text += "  - {name: Unnamed, objective: delight, direction: up, frequency: monthly}\n"
    problems = refused(in_tmp, {"scorecard.yml": kpi(direction="sideways") + text.split(KPI)[1]})
    assert_reported(problems, "scorecard/scorecard.yml:9: kpi 'csat': direction must be one of")
    assert_reported(problems, "scorecard/scorecard.yml:12: kpi 'nps': objective 'nowhere' does not exist")
    assert_reported(problems, "scorecard/scorecard.yml:12: kpi 'nps': needs a goal")
    assert_reported(problems, "scorecard/scorecard.yml:13: kpi #3: missing required key 'id'")
    assert_reported(problems, "scorecard/scorecard.yml:13: kpi #3: direction must be one of")


def test_csv_is_not_checked_against_a_yaml_that_could_not_be_read(in_tmp: Path) -> None:
    problems = refused(in_tmp, {"scorecard.yml": kpi(name="[unclosed"), "data/csat.csv": "period,actual\n2026-01,85\n"})
    assert len(problems) == 1 and "YAML syntax error" in problems[0]



def test_a_syntax_error_is_not_buried_under_references_into_the_unread_file(in_tmp: Path) -> None:
    """The objectives' file cannot be read, so the KPIs' references into it are not judged."""
    split = "- {id: csat, name: Customer satisfaction, objective: delight, direction: higher, frequency: monthly,\n"
    split += "   target: {period: 2026-12, value: 90}}\n"
    broken = HEAD.replace("name: Delight customers", "name: [Delight customers")
    problems = refused(in_tmp, {"scorecard.yml": broken, "kpis/customer.yml": split})
    assert len(problems) == 1 and problems[0].startswith("scorecard/scorecard.yml:"), problems
    assert "YAML syntax error" in problems[0]


def test_an_objective_without_id_gets_the_error_not_its_references(in_tmp: Path) -> None:
    """References may be meant for the id-less objective: "did you mean" on each would mislead."""
    text = HEAD.replace("{id: delight,", "{ids: delight,") + KPI
    problems = [p for p in refused(in_tmp, {"scorecard.yml": text}) if "warning" not in p]
    assert problems == ["scorecard/scorecard.yml:4: objective #2: missing required key 'id'"]

def test_problems_come_sorted_by_file_and_line(in_tmp: Path) -> None:
    problems = refused(
        in_tmp,
        {"scorecard.yml": kpi(direction="up", weight="-1"), "data/csat.csv": "period,actual\n2026-01,x\n"},
    )
    assert problems == sorted(problems, key=lambda p: (p.split(":")[0], int(p.split(":")[1])))
    assert problems[0].startswith("scorecard/data/csat.csv:2:")


def test_a_warning_travels_with_the_errors(in_tmp: Path) -> None:
    problems = refused(in_tmp, {"scorecard.yml": kpi(direction="up", trget="{period: 2026-12, value: 90}")})
    assert_reported(
        problems, "scorecard/scorecard.yml:12: warning: kpi 'csat': unknown key 'trget' (did you mean 'target'?)"
    )


def test_alias_bomb_is_refused_without_expanding_it(in_tmp: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    # 9**10 "lol"s if expanded; the anchors come first (YAML needs them before use).
    bomb = "\n".join(lines) + "\n" + HEAD + "themes:\n  - id: bomb\n    description: *a9\n"
    problems = refused(in_tmp, {"scorecard.yml": bomb})
    assert len(problems) == 1
    assert "expands to more than 100,000 values" in problems[0]
    assert problems[0].startswith("scorecard/scorecard.yml:")


def test_deep_nesting_is_refused_without_crashing(in_tmp: Path) -> None:
    depth = 200_000  # enough to crash the C composer if it ever saw it
    problems = refused(in_tmp, {"scorecard.yml": HEAD + "themes: " + "[" * depth + "]" * depth + "\n"})
    assert problems == ["scorecard/scorecard.yml:5: the YAML is nested too deeply (more than 64 levels)"]


def test_missing_scorecard_yml(in_tmp: Path) -> None:
    problems = refused(in_tmp, {"kpis.yml": "[]\n"})
    assert problems == ["scorecard/scorecard.yml: missing: every scorecard folder needs scorecard.yml"]


def test_folder_that_does_not_exist(in_tmp: Path) -> None:
    with pytest.raises(ValidationFailed) as failure:
        load(Path("nowhere"))
    assert [str(p) for p in failure.value.problems] == ["nowhere: the scorecard folder does not exist"]


def test_folders_named_like_yaml_and_dangling_links_are_not_read(in_tmp: Path) -> None:
    write(in_tmp, {"scorecard.yml": HEAD})
    (in_tmp / "scorecard" / "kpis.yml").mkdir()
    (in_tmp / "scorecard" / "objectives.yml").symlink_to(in_tmp / "gone.yml")
    assert load(Path("scorecard")).scorecard.files == ("scorecard/scorecard.yml",)


# -- the command line (the lead's cli.py prints these problems) ----------------------------


def run_check(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "scorecard"],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )


CLI_CASES = [c for c in CASES if c[0] in {
    "duplicate-key", "enum-direction", "id-path-traversal", "impossible-date", "actual-decimal-comma-quoted",
    "period-duplicated-across-files", "invalid-utf8",
}]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_check_prints_the_problem_and_exits_1(in_tmp: Path, files: dict[str, str | bytes], expected: str) -> None:
    write(in_tmp, files)
    result = run_check(in_tmp)
    assert result.returncode == 1, result.stderr
    assert any(line.startswith(expected) for line in result.stdout.splitlines()), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_refuses_the_alias_bomb_cleanly(in_tmp: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    write(in_tmp, {"scorecard.yml": "\n".join(lines) + "\n" + HEAD + "themes:\n  - {id: bomb, description: *a9}\n"})
    result = run_check(in_tmp)
    assert result.returncode == 1
    assert "expands to more than 100,000 values" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
