"""Valid scorecards in every form the spec allows load into the model they mean.

Each test writes a small scorecard folder into ``tmp_path`` (and runs from
there, so paths show as ``scorecard/...``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.errors import Severity, ValidationFailed
from generator.load import Loaded, load
from generator.model import DEFAULT_PERSPECTIVES, Direction, Frequency, InitiativeStatus, Tolerance
from generator.periods import Period

SPEC_EXAMPLE = """\
organization:
  id: acme
  name: Acme Coffee
  vision: Become the neighbourhood's favourite café.
  mission: Great coffee, served fast, by people who care.

perspectives:
  - id: financial
    name: Financial
    question: How do we look to our owners?
  - id: customer
    name: Customer
  - id: internal
  - id: learning
    name: Learning & Growth

themes:
  - id: loyalty
    name: Grow loyal customers

objectives:
  - id: grow-profit
    name: Grow profits
    perspective: financial
    themes: [loyalty]
    owner: Maria Lopez (CFO)
    weight: 2
    drives: []
  - id: delight-customers
    name: Delight customers
    perspective: customer
    themes: loyalty
    drives: [grow-profit]
  - id: faster-orders
    name: Serve faster
    perspective: internal
  - id: train-staff
    name: Train staff on customer service
    perspective: learning
    drives: [faster-orders]

kpis:
  - id: csat
    name: Customer satisfaction score
    objective: delight-customers
    unit: "%"
    direction: higher
    indicator: lagging
    frequency: monthly
    owner: 2026
    baseline: {period: 2025-12, value: 80}
    target:   {period: 2026, value: 90}
    targets:
      - {period: 2026-06, value: 85}
    tolerance: 10%
    visibility: restricted
  - id: wait-time
    name: Average wait
    objective: faster-orders
    direction: range
    frequency: weekly
    range: [3, 3]
    tolerance: 0.5

initiatives:
  - id: barista-training
    name: Barista training programme
    objectives: [train-staff, faster-orders]
    start: 2026-01-05
    end: 2026-06-30
    budget: 12000
    spent: 4000
    progress: 40
    status: on-track
    milestones:
      - {name: Curriculum ready, due: 2026-02-01, done: true}
  - id: new-menu
    name: New menu
    objectives: [delight-customers]
"""

MINIMAL = """\
organization: {id: acme, name: Acme}
objectives:
  - {id: grow, name: Grow, perspective: financial}
"""

KPI_CSAT = (
    "- {id: csat, name: CSAT, objective: grow, direction: higher, frequency: monthly,"
    " target: {period: 2026, value: 90}}\n"
)
KPI_MARGIN = (
    "- {id: margin, name: Margin, objective: grow, direction: lower, frequency: quarterly,"
    " target: {period: 2026-Q4, value: 5}}\n"
)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def load_files(files: dict[str, str | bytes]) -> Loaded:
    """Write ``scorecard/<name>`` for each file and load the folder."""
    for name, content in files.items():
        path = Path("scorecard") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return load(Path("scorecard"))


def test_the_spec_example_loads_with_every_value() -> None:
    loaded = load_files({"scorecard.yml": SPEC_EXAMPLE})
    card = loaded.scorecard
    assert loaded.warnings == []
    assert card.organization.name == "Acme Coffee"
    assert [p.id for p in card.perspectives] == ["financial", "customer", "internal", "learning"]
    assert card.perspectives[2].title == "internal"  # a perspective's name defaults to its id
    assert card.objective("delight-customers").themes == ("loyalty",)  # `themes: loyalty` is a one-item list
    assert card.objective("grow-profit").weight == 2.0
    csat = card.kpi("csat")
    assert csat.owner == "2026"  # text fields accept numbers
    assert csat.target.period == Period.parse("2026") and csat.baseline.value == 80
    assert csat.targets[0].period == Period.parse("2026-06")
    assert csat.tolerance == Tolerance(10.0, True) and csat.restricted
    wait = card.kpi("wait-time")
    assert wait.direction is Direction.RANGE and wait.range == (3.0, 3.0) and wait.tolerance == Tolerance(0.5, False)
    training, menu = card.initiatives
    assert training.start == dt.date(2026, 1, 5) and training.status is InitiativeStatus.ON_TRACK
    assert training.milestones[0].done is True and training.milestones[0].due == dt.date(2026, 2, 1)
    assert (menu.status, menu.progress, menu.budget) == (None, None, None)
    assert card.actuals == {"csat": (), "wait-time": ()}
    assert card.files == ("scorecard/scorecard.yml",)


def test_items_know_the_line_of_each_key() -> None:
    card = load_files({"scorecard.yml": SPEC_EXAMPLE}).scorecard
    csat = card.kpi("csat")
    assert str(csat.where()) == "scorecard/scorecard.yml:43"
    assert str(csat.where("target")) == "scorecard/scorecard.yml:52"
    assert str(card.organization.where("name")) == "scorecard/scorecard.yml:3"


@pytest.mark.parametrize("written", ["", "perspectives: []\n", "perspectives:\n"])
def test_default_perspectives_when_absent_or_empty(written: str) -> None:
    card = load_files({"scorecard.yml": MINIMAL + written}).scorecard
    assert [(p.id, p.name) for p in card.perspectives] == list(DEFAULT_PERSPECTIVES)


def test_split_files_by_folder_by_name_and_as_mapping_in_path_order() -> None:
    card = load_files(
        {
            "scorecard.yml": MINIMAL + "kpis:\n  - {id: first, name: F, objective: grow, direction: higher, "
            "frequency: yearly, target: {period: 2026, value: 1}}\n",
            "kpis/b.yml": KPI_MARGIN,
            "kpis/a.yaml": KPI_CSAT,
            "objectives.yml": "- {id: serve, name: Serve, perspective: customer}\n",
            "more/extra.yml": "initiatives:\n  - {id: pilot, name: Pilot, objectives: [serve]}\n",
        }
    ).scorecard
    assert [k.id for k in card.kpis] == ["first", "csat", "margin"]  # scorecard.yml first, then path order
    assert [o.id for o in card.objectives] == ["grow", "serve"]
    assert card.initiatives[0].objectives == ("serve",)
    assert str(card.kpi("margin").where()) == "scorecard/kpis/b.yml:1"
    assert card.files == (
        "scorecard/kpis/a.yaml",
        "scorecard/kpis/b.yml",
        "scorecard/more/extra.yml",
        "scorecard/objectives.yml",
        "scorecard/scorecard.yml",
    )


def test_yaml_under_data_units_and_hidden_folders_is_not_a_split_file() -> None:
    card = load_files(
        {
            "scorecard.yml": MINIMAL,
            "data/notes.yml": "- not a kpi\n",
            "units/sales/scorecard.yml": "organization: {id: sales, name: Sales}\n",
            ".github/workflows/ci.yml": "on: push\n",
        }
    ).scorecard
    assert card.files == ("scorecard/scorecard.yml",)


def test_empty_split_file_adds_nothing() -> None:
    card = load_files({"scorecard.yml": MINIMAL, "kpis.yml": "# none yet\n"}).scorecard
    assert card.kpis == ()


def test_per_kpi_and_long_csv_in_sub_folders_sorted_by_period() -> None:
    card = load_files(
        {
            "scorecard.yml": MINIMAL,
            "kpis.yml": KPI_CSAT + KPI_MARGIN,
            "data/csat.csv": "period,actual,comment\n2026-03,86,\n2026-01,84.5,first survey\n",
            "data/finance/all.csv": "kpi,period,actual\nmargin,2026-Q1,-2.5\ncsat,2026-02,.5\n",
        }
    ).scorecard
    csat = card.actuals["csat"]
    assert [(str(a.period), a.value, a.comment) for a in csat] == [
        ("2026-01", 84.5, "first survey"),
        ("2026-02", 0.5, ""),
        ("2026-03", 86.0, ""),
    ]
    assert str(csat[1].where) == "scorecard/data/finance/all.csv:3"
    assert [(str(a.period), a.value) for a in card.actuals["margin"]] == [("2026-Q1", -2.5)]
    assert card.files == (
        "scorecard/data/csat.csv", "scorecard/data/finance/all.csv", "scorecard/kpis.yml", "scorecard/scorecard.yml"
    )


def test_csv_percentages_empty_actuals_headers_blank_lines() -> None:
    card = load_files(
        {
            "scorecard.yml": MINIMAL,
            "kpis.yml": KPI_CSAT,
            "data/csat.csv": " Period , ACTUAL ,Comment\n\n2026-01,85%,\n2026-02,,survey postponed\n2026-03,5.,\n,,\n",
        }
    ).scorecard
    rows = card.actuals["csat"]
    assert [(a.value, a.comment, a.where.line) for a in rows] == [
        (85.0, "", 3),
        (None, "survey postponed", 4),
        (5.0, "", 5),
    ]


def test_bom_and_crlf_in_yaml_and_csv() -> None:
    yaml_text = (MINIMAL + "kpis:\n  " + KPI_CSAT).replace("\n", "\r\n").encode("utf-8")
    loaded = load_files(
        {
            "scorecard.yml": b"\xef\xbb\xbf" + yaml_text,
            "data/csat.csv": b"\xef\xbb\xbfperiod,actual\r\n2026-01,84\r\n\r\n2026-02,85\r\n",
        }
    )
    card = loaded.scorecard
    assert card.organization.id == "acme"
    assert str(card.kpi("csat").where()) == "scorecard/scorecard.yml:5"
    assert [(a.value, a.where.line) for a in card.actuals["csat"]] == [(84.0, 2), (85.0, 4)]


def test_unquoted_year_is_a_period_in_yaml_and_csv() -> None:
    card = load_files(
        {
            "scorecard.yml": MINIMAL,
            "kpis.yml": "- {id: revenue, name: Revenue, objective: grow, direction: higher, frequency: yearly, "
            "baseline: {period: 2025, value: 1}, target: {period: 2027, value: 2}}\n",
            "data/revenue.csv": "period,actual\n2026,1.5\n",
        }
    ).scorecard
    revenue = card.kpi("revenue")
    assert revenue.frequency is Frequency.YEARLY
    assert str(revenue.baseline.period) == "2025" and str(card.actuals["revenue"][0].period) == "2026"


def test_weekly_targets_and_yaml_merge_keys() -> None:
    text = MINIMAL + """\
kpi-defaults: &weekly
  objective: grow
  direction: lower
  frequency: weekly
  tolerance: 2
kpis:
  - <<: *weekly
    id: wait
    name: Wait
    target: {period: 2026-W10, value: 3}
    targets: [{period: 2026-03, value: 4}]
"""
    loaded = load_files({"scorecard.yml": text, "data/wait.csv": "period,actual\n2026-W05,3.5\n"})
    wait = loaded.scorecard.kpi("wait")
    assert wait.frequency is Frequency.WEEKLY and wait.tolerance == Tolerance(2.0, False)
    assert str(wait.where("frequency")) == "scorecard/scorecard.yml:7"  # where the merged key was written
    assert [str(w) for w in loaded.warnings] == [
        "scorecard/scorecard.yml:4: warning: unknown top-level key 'kpi-defaults'"
    ]


def test_unknown_keys_are_warnings_naming_the_key() -> None:
    text = MINIMAL + """\
kpis:
  - id: csat
    name: CSAT
    objective: grow
    direction: higher
    frequency: monthly
    target: {period: 2026-12, value: 90, perod: 2026-06}
    trget: 5
initiatives:
  - id: pilot
    name: Pilot
    objectives: [grow]
    milestones:
      - {name: Go, dew: 2026-01-01}
obejctives: []
"""
    loaded = load_files({"scorecard.yml": text})
    assert all(w.severity is Severity.WARNING for w in loaded.warnings)
    assert [str(w) for w in loaded.warnings] == [
        "scorecard/scorecard.yml:10: warning: kpi 'csat': unknown key 'perod' in target (did you mean 'period'?)",
        "scorecard/scorecard.yml:11: warning: kpi 'csat': unknown key 'trget' (did you mean 'target'?)",
        "scorecard/scorecard.yml:17: warning: initiative 'pilot': unknown key 'dew' in milestones #1"
        " (did you mean 'due'?)",
        "scorecard/scorecard.yml:18: warning: unknown top-level key 'obejctives' (did you mean 'objectives'?)",
    ]


def test_lo_equal_hi_with_absolute_tolerance_and_zero_goal_with_absolute_tolerance() -> None:
    card = load_files(
        {
            "scorecard.yml": MINIMAL,
            "kpis.yml": "- {id: defects, name: Defects, objective: grow, direction: lower, frequency: monthly, "
            "target: {period: 2026-12, value: 0}, baseline: {period: 2025-12, value: 0}, tolerance: 1}\n",
        }
    ).scorecard
    assert card.kpi("defects").target.value == 0  # a zero baseline is fine too: baseline is not a goal


def test_loading_is_deterministic() -> None:
    files = {"scorecard.yml": SPEC_EXAMPLE, "data/csat.csv": "period,actual\n2026-02,81\n2026-01,80\n"}
    first = load_files(files).scorecard
    second = load(Path("scorecard")).scorecard
    assert first == second


def test_names_are_one_line_and_descriptions_keep_their_paragraphs() -> None:
    """A block-scalar name (or one with a bidi override that would flip the page) reads as one plain line."""
    card = load_files({
        "scorecard.yml": (
            "organization: {id: acme, name: Acme}\n"
            "objectives:\n"
            "  - id: grow\n"
            "    name: |\n"
            "      Grow the\n"
            "      business\n"
            "    owner: \"Ann \\u202eevil\"\n"
            "    perspective: financial\n"
            "    description: |\n"
            "      First paragraph.\n"
            "\n"
            "      Second paragraph.\n"
        ),
    }).scorecard
    grow = card.objective("grow")
    assert (grow.name, grow.owner) == ("Grow the business", "Ann evil")
    assert grow.description == "First paragraph.\n\nSecond paragraph.\n"


def test_text_fields_keep_numbers_as_written() -> None:
    """`unit: 1.50` or `owner: 010` are text as typed, not YAML 1.1's reading (1.5, 8); numbers stay numbers."""
    card = load_files({
        "scorecard.yml": (
            "organization: {id: acme, name: 2026}\n"
            "objectives: [{id: grow, name: Grow, perspective: financial, owner: 010}]\n"
            "kpis:\n"
            "  - {id: k, name: K, objective: grow, direction: higher, frequency: monthly,\n"
            "     unit: 1.50, source: 12:30, target: {period: 2026, value: 1_000}}\n"
        ),
    }).scorecard
    kpi = card.kpi("k")
    written = (card.organization.name, card.objective("grow").owner, kpi.unit, kpi.source)
    assert written == ("2026", "010", "1.50", "12:30")
    assert kpi.target.value == 1000.0 and str(kpi.target.period) == "2026"


def test_aliases_are_one_line_names_on_kpis_and_objectives() -> None:
    """`aliases` lets search find "NPS" when the KPI is named "Net Promoter Score" (issue 11)."""
    card = load_files({
        "scorecard.yml": (
            "organization: {id: acme, name: Acme}\n"
            "objectives:\n"
            "  - {id: grow, name: Grow, perspective: financial, aliases: [growth, 2030 plan]}\n"
            "kpis:\n"
            "  - {id: nps, name: Net Promoter Score, objective: grow, direction: higher, frequency: monthly,\n"
            "     target: {period: 2026, value: 40}, aliases: NPS}\n"
            "  - id: csat\n"
            "    name: CSAT\n"
            "    objective: grow\n"
            "    direction: higher\n"
            "    frequency: monthly\n"
            "    target: {period: 2026, value: 90}\n"
            "    aliases:\n"
            "      - >\n"
            "        customer\n"
            "        satisfaction\n"
        ),
    }).scorecard
    assert card.objective("grow").aliases == ("growth", "2030 plan")
    assert [kpi.aliases for kpi in card.kpis] == [("NPS",), ("customer satisfaction",)]


def test_aliases_that_are_not_a_list_of_distinct_names_are_refused() -> None:
    head = "organization: {id: acme, name: Acme}\nobjectives:\n"
    cases = {
        "aliases: [NPS, nps]": "scorecard/scorecard.yml:3: objective 'grow': aliases must not list 'nps' twice",
        "aliases: [NPS, {a: 1}]": "scorecard/scorecard.yml:3: objective 'grow': aliases must be a list of names; "
                                  "entry 2 is a mapping",
        "aliases: ['', NPS]": "scorecard/scorecard.yml:3: objective 'grow': aliases must be a list of names; "
                              "entry 1 is empty",
        "aliases: {nps: 1}": "scorecard/scorecard.yml:3: objective 'grow': aliases must be a list of names, "
                             "like [NPS], not a mapping",
    }
    for written, expected in cases.items():
        with pytest.raises(ValidationFailed) as failure:
            objective = "  - {id: grow, name: Grow, perspective: financial, " + written + "}\n"
            load_files({"scorecard.yml": head + objective})
        assert [str(p) for p in failure.value.problems] == [expected], written


def test_the_format_page_example_loads_without_a_warning() -> None:
    """content/about/format.md documents the format: its complete example and its CSV must stay valid."""
    page = (Path(__file__).resolve().parents[1] / "content" / "about" / "format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(\w*)\n(.*?)```", page, flags=re.S)
    example = next(text for kind, text in blocks if kind == "yaml" and "organization:" in text)
    per_kpi = next(text for kind, text in blocks if text.startswith("period,actual,comment\n"))
    loaded = load_files({"scorecard.yml": example, "data/nps.csv": per_kpi})
    assert loaded.warnings == []
    nps = next(kpi for kpi in loaded.scorecard.kpis if kpi.id == "nps")
    assert nps.aliases == ("NPS",) and len(loaded.scorecard.actuals["nps"]) == 3
