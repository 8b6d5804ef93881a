"""Computing a cascaded organisation (spec 9.3-9.5): one as-of date, consolidated KPIs, ``scorecard.json``,
alignment both ways and the cascade lint.

The fixture ``tests/fixtures/units/acme`` is acme > sales > sales-emea and acme > operations;
acme's revenue sums sales, operations and sales-emea, sales-emea has not reported March.
Goldens: ``tests/golden/scorecard-units-*.json`` (regenerate with ``UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ACME, edit

from generator.compute import compute, default_as_of
from generator.compute.alignment import breadcrumb, cascade, supported, supporters, unit_names
from generator.compute.consolidate import combine
from generator.compute.export import dump_json, scorecard_json
from generator.compute.lint import lint
from generator.compute.results import Audience, Results, Status
from generator.load import load
from generator.model import ConsolidationMethod, Scorecard

GOLDEN = Path(__file__).parent / "golden"
D = dt.date


@pytest.fixture(scope="module")
def acme() -> Scorecard:
    return load(ACME).scorecard


@pytest.fixture(scope="module")
def restricted(acme: Scorecard) -> Results:
    return compute(acme, audience=Audience.RESTRICTED)


@pytest.fixture(scope="module")
def everyone(acme: Scorecard) -> Results:
    return compute(acme, audience=Audience.ALL)






def rows(results: Results, kpi_id: str) -> list[tuple[str, float | None]]:
    return [(str(row.period), row.actual) for row in results.kpis[kpi_id].history]


# -- consolidation arithmetic ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "values", "expected"),
    [
        ("sum", [500.0, 150.0, 200.0], 850.0),
        ("mean", [1.0, 2.0, 4.5], 2.5),
        ("min", [3.0, -1.5, 2.0], -1.5),
        ("max", [3.0, -1.5, 2.0], 3.0),
        ("sum", [500.0, None, 200.0], None),  # a missing unit: no value, never a partial total
        ("mean", [], None),
    ],
)
def test_combine(method: str, values: list[float | None], expected: float | None) -> None:
    assert combine(ConsolidationMethod(method), values) == expected


def test_a_total_has_a_value_only_when_every_source_reported(restricted: Results) -> None:
    # sales 500/520/540 + operations 150/160/170 + sales-emea 200/210/(empty)
    assert rows(restricted, "revenue") == [("2026-01", 850.0), ("2026-02", 890.0), ("2026-03", None)]
    revenue = restricted.kpis["revenue"]
    assert (str(revenue.current.period), revenue.current.actual) == ("2026-02", 890.0)
    assert revenue.history[-1].status is Status.NO_DATA
    # Scored like any KPI against its own goal (spec 9.3.5): target 1200 by 2026-12, 10% tolerance.
    assert revenue.status is Status.OFF_TRACK


def test_consolidated_rows_are_the_periods_any_source_has(org: Path) -> None:
    # sales reports April too: the total gets an April row, without a value.
    edit("scorecard/units/sales/data/revenue.csv", "2026-03,540,", "2026-03,540,\n2026-04,560,")
    results = compute(load(org).scorecard, as_of=D(2026, 4, 30))
    assert rows(results, "revenue")[-2:] == [("2026-03", None), ("2026-04", None)]
    assert results.consolidated["revenue"].waiting_for == ("operations", "sales-emea")


@pytest.mark.parametrize(("method", "expected"), [("sum", 890.0), ("mean", 890.0 / 3), ("min", 160.0), ("max", 520.0)])
def test_every_method_over_a_tree(org: Path, method: str, expected: float) -> None:
    edit("scorecard/scorecard.yml", "method: sum", f"method: {method}")
    results = compute(load(org).scorecard, audience=Audience.ALL)
    assert results.kpis["revenue"].current.actual == pytest.approx(expected)


def test_nested_consolidation_waits_for_the_unit_down_the_chain(org: Path) -> None:
    # acme takes sales' emea-revenue, itself the mean of sales-emea's revenue.
    edit("scorecard/scorecard.yml", "sales-emea/revenue]", "sales/emea-revenue]")
    results = compute(load(org).scorecard, audience=Audience.ALL)
    assert rows(results.unit("sales"), "emea-revenue") == [("2026-01", 200.0), ("2026-02", 210.0), ("2026-03", None)]
    assert rows(results, "revenue") == [("2026-01", 850.0), ("2026-02", 890.0), ("2026-03", None)]
    explained = results.consolidated["revenue"]
    assert explained.waiting_for == ("sales-emea",)  # not 'sales': the unit that has not reported
    march = explained.periods[-1]
    assert [(s.unit, s.kpi, s.actual) for s in march.sources] == [
        ("sales", "revenue", 540.0), ("operations", "service-revenue", 170.0), ("sales", "emea-revenue", None),
    ]
    assert unit_names(results, explained.waiting_for) == ["Sales EMEA"]


def test_each_source_value_is_kept_per_period(restricted: Results) -> None:
    explained = restricted.consolidated["revenue"]
    assert explained.method is ConsolidationMethod.SUM
    assert str(explained.latest) == "2026-03"
    assert [(str(p.period), p.actual, [s.actual for s in p.sources]) for p in explained.periods] == [
        ("2026-01", 850.0, [500.0, 150.0, 200.0]),
        ("2026-02", 890.0, [520.0, 160.0, 210.0]),
        ("2026-03", None, [540.0, 170.0, None]),
    ]
    # Comments travel up, named by unit.
    assert restricted.kpis["revenue"].history[1].comment == "Sales: Two new accounts"
    assert restricted.kpis["revenue"].history[2].comment == "Sales EMEA: Books close late"


def test_a_complete_latest_period_waits_for_nobody(restricted: Results) -> None:
    assert restricted.consolidated["pipeline-total"].waiting_for == ()
    assert restricted.kpis["pipeline-total"].current.actual == 350.0


# -- 9.4 one as-of date, each unit's own roll-ups -------------------------------------------


def test_one_as_of_date_is_the_latest_actual_in_any_unit(acme: Scorecard, restricted: Results) -> None:
    # Only sales' restricted pipeline reaches April: it moves the restricted build's date, not the all-staff one.
    assert default_as_of(acme, Audience.RESTRICTED) == D(2026, 4, 30)
    assert default_as_of(acme) == D(2026, 3, 31)
    assert {r.as_of for r in restricted.walk()} == {D(2026, 4, 30)}
    assert {r.as_of for r in compute(acme).walk()} == {D(2026, 3, 31)}


def test_as_of_given_holds_for_every_unit(acme: Scorecard) -> None:
    results = compute(acme, as_of=D(2026, 1, 31))
    assert {r.as_of for r in results.walk()} == {D(2026, 1, 31)}
    assert results.unit("sales-emea").kpis["revenue"].current.actual == 200.0
    assert results.kpis["revenue"].current.actual == 850.0


def test_units_do_not_enter_their_parents_roll_ups(everyone: Results) -> None:
    # acme's objectives are the means of acme's own KPIs; operations' run-service (which supports
    # delight-customers) and sales' scores are not in acme's.
    assert everyone.objectives["delight-customers"].score == everyone.kpis["csat"].score
    assert everyone.objectives["grow-revenue"].score == everyone.kpis["revenue"].score
    sales = everyone.unit("sales")
    assert sales.organization.score == sales.perspectives["financial"].score  # only financial has data


def test_the_all_staff_build_drops_restricted_kpis_in_every_unit(everyone: Results, restricted: Results) -> None:
    assert "pipeline" not in everyone.unit("sales").kpis
    assert "pipeline-total" not in everyone.kpis
    assert "pipeline" in restricted.unit("sales").kpis
    sales_all, sales_restricted = everyone.unit("sales"), restricted.unit("sales")
    assert sales_all.objectives["win-accounts"].score != sales_restricted.objectives["win-accounts"].score


def test_results_tree_follows_the_units(everyone: Results) -> None:
    assert [r.unit_id for r in everyone.walk()] == ["acme", "operations", "sales", "sales-emea"]
    assert [r.unit_id for r in everyone.units] == ["operations", "sales"]
    assert everyone.unit("sales-emea").scorecard.parent == "sales"


# -- 9.5 scorecard.json ----------------------------------------------------------------------


@pytest.mark.parametrize("audience", list(Audience))
def test_scorecard_json_matches_golden(acme: Scorecard, audience: Audience) -> None:
    text = dump_json(scorecard_json(compute(acme, audience=audience)))
    golden = GOLDEN / f"scorecard-units-{audience.value}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def _units(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {unit["id"]: unit for unit in data["units"]}


def test_json_units_carry_their_parent_score_and_items(everyone: Results) -> None:
    data = json.loads(dump_json(scorecard_json(everyone)))
    units = _units(data)
    assert set(units) == {"operations", "sales", "sales-emea"}  # every unit below the root, never the root
    emea = units["sales-emea"]
    assert (emea["parent"], emea["name"], emea["status"]) == ("sales", "Sales EMEA", "off-track")
    assert list(emea)[:5] == ["id", "parent", "name", "score", "status"]
    for key in ("perspectives", "themes", "objectives", "kpis", "initiatives"):
        assert isinstance(emea[key], list)
    assert emea["objectives"][0]["supports"] == ["sales/win-accounts", "acme/grow-revenue"]
    assert all(item["org_unit"] == "sales-emea" for item in emea["kpis"] + emea["objectives"])
    revenue = {k["id"]: k for k in data["kpis"]}["revenue"]
    assert revenue["consolidate"] == {
        "method": "sum",
        "from": ["sales/revenue", "operations/service-revenue", "sales-emea/revenue"],
        "waiting_for": ["sales-emea"],
    }
    assert revenue["history"][-1] | {"actual": None, "status": "no-data"} == revenue["history"][-1]


def test_json_all_staff_has_no_restricted_kpi_in_any_unit(everyone: Results, restricted: Results) -> None:
    text = dump_json(scorecard_json(everyone))
    assert "pipeline" not in text  # neither sales/pipeline nor the total over it, nor in 'from'
    restricted_units = _units(json.loads(dump_json(scorecard_json(restricted))))
    assert "pipeline" in {k["id"] for k in restricted_units["sales"]["kpis"]}


# -- alignment both ways -----------------------------------------------------------------------


def test_supporters_are_the_unit_objectives_that_support_an_objective(everyone: Results) -> None:
    assert [s.ref for s in supporters(everyone, "acme", "grow-revenue")] == [
        "sales/win-accounts", "sales-emea/win-emea"
    ]
    assert [s.ref for s in supporters(everyone, "acme", "delight-customers")] == ["operations/run-service"]
    assert [s.ref for s in supporters(everyone, "sales", "win-accounts")] == ["sales-emea/win-emea"]
    assert supporters(everyone, "sales-emea", "win-emea") == ()
    found = supporters(everyone, "acme", "grow-revenue")[0]
    assert (found.unit.unit_id, found.objective.name, found.rollup.status) == (
        "sales", "Win key accounts", everyone.unit("sales").objectives["win-accounts"].status,
    )
    with pytest.raises(KeyError):
        supporters(everyone, "acme", "grow-revenu")


def test_supported_lists_what_an_objective_serves_above(everyone: Results) -> None:
    assert [s.ref for s in supported(everyone, "sales-emea", "win-emea")] == ["sales/win-accounts", "acme/grow-revenue"]
    assert supported(everyone, "acme", "grow-revenue") == ()


def test_cascade_is_the_tree_down_to_the_teams(everyone: Results) -> None:
    def shape(node) -> tuple:
        return (node.aligned.ref, [shape(child) for child in node.children])

    assert shape(cascade(everyone, "acme", "grow-revenue")) == (
        "acme/grow-revenue",
        [("sales/win-accounts", [("sales-emea/win-emea", [])]), ("sales-emea/win-emea", [])],
    )


def test_breadcrumb_runs_from_the_organisation_down(everyone: Results) -> None:
    assert [r.scorecard.organization.name for r in breadcrumb(everyone, "sales-emea")] == [
        "Acme Coffee", "Sales", "Sales EMEA",
    ]
    assert [r.unit_id for r in breadcrumb(everyone, "acme")] == ["acme"]


# -- the cascade lint ---------------------------------------------------------------------------


def _cascade_warnings(folder: Path) -> list[str]:
    words = ("supported by no unit", "supports no objective", "differ from its parent")
    results = compute(load(folder).scorecard, audience=Audience.RESTRICTED)
    return [str(p) for p in lint(results) if any(w in p.message for w in words)]


def test_the_fixture_has_no_cascade_warning(org: Path) -> None:
    assert _cascade_warnings(org) == []


def test_a_corporate_objective_no_unit_supports(org: Path) -> None:
    edit(
        "scorecard/units/operations/scorecard.yml",
        "    supports: [acme/delight-customers]\n", "    supports: [acme/grow-revenue]\n",
    )
    assert _cascade_warnings(org) == [
        "scorecard/scorecard.yml:11: warning: objective 'delight-customers' is supported by no unit objective: "
        "add acme/delight-customers to the supports of the unit objectives that serve it",
    ]


def test_no_corporate_warning_without_units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ACME, tmp_path / "scorecard", ignore=shutil.ignore_patterns("units"))
    monkeypatch.chdir(tmp_path)
    edit("scorecard/scorecard.yml", "      from: [sales/revenue, operations/service-revenue, sales-emea/revenue]\n", "")
    edit("scorecard/scorecard.yml", "    consolidate:\n      method: sum\n", "")
    edit("scorecard/scorecard.yml", "    consolidate: {method: max, from: [sales/pipeline]}\n", "")
    assert _cascade_warnings(Path("scorecard")) == []


def test_a_unit_objective_that_supports_nothing(org: Path) -> None:
    edit("scorecard/units/sales/scorecard.yml", "    supports: [acme/grow-revenue]\n", "")
    assert _cascade_warnings(org) == [
        "scorecard/units/sales/scorecard.yml:19: warning: objective 'win-accounts' of unit 'sales' supports no "
        "objective above it: write supports: [acme/<objective-id>] naming the objective it serves",
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  - id: internal\n    name: Internal Process\n  - id: learning\n    name: Learning & Growth\n",
         "  - id: learning\n    name: Learning & Growth\n  - id: internal\n    name: Internal Process\n"),
        ("    name: Internal Process\n", "    name: Internal processes\n"),
    ],
)
def test_perspectives_copied_from_the_parent_and_drifted(org: Path, old: str, new: str) -> None:
    # sales-emea writes sales' perspectives, but for order or one name.
    sales = Path("scorecard/units/sales/scorecard.yml").read_text(encoding="utf-8")
    block = sales[sales.index("perspectives:"):sales.index("objectives:")]
    edit("scorecard/units/sales/units/sales-emea/scorecard.yml", "objectives:", block.replace(old, new) + "objectives:")
    assert _cascade_warnings(org) == [
        "scorecard/units/sales/units/sales-emea/scorecard.yml:6: warning: unit 'sales-emea' writes perspectives "
        "that differ from its parent 'sales''s only by order or name, which reads like a copy that drifted: remove "
        "its perspectives key to inherit them",
    ]


def test_own_perspectives_with_own_questions_or_an_exact_copy_are_fine(org: Path) -> None:
    sales = Path("scorecard/units/sales/scorecard.yml").read_text(encoding="utf-8")
    block = sales[sales.index("perspectives:"):sales.index("objectives:")]
    edit("scorecard/units/sales/units/sales-emea/scorecard.yml", "objectives:", block + "objectives:")
    assert _cascade_warnings(org) == []
    edit("scorecard/units/sales/units/sales-emea/scorecard.yml", "How do our sales grow", "How does EMEA grow")
    edit("scorecard/units/sales/units/sales-emea/scorecard.yml", "name: Internal Process", "name: Operations")
    assert _cascade_warnings(org) == []


def test_a_consolidated_kpi_without_data_names_its_sources(org: Path) -> None:
    results = compute(load(org).scorecard, as_of=D(2025, 12, 31), audience=Audience.RESTRICTED)
    found = [
        str(p) for p in lint(results) if "'revenue' has no actual" in p.message and "scorecard/scorecard" in str(p)
    ]
    assert found == [
        "scorecard/scorecard.yml:18: warning: kpi 'revenue' has no actual for a period ended by 2025-12-31: its "
        "sources (sales/revenue, operations/service-revenue, sales-emea/revenue) need monthly values for the same "
        "periods",
    ]


def test_units_are_linted_in_their_own_files_with_a_team_s_sizes(org: Path) -> None:
    results = compute(load(org).scorecard, audience=Audience.RESTRICTED)
    found = [str(p) for p in lint(results) if p.where.path.startswith("scorecard/units/operations/")]
    # operations inherits acme's perspectives: the warning points at operations' own file, not acme's.
    assert (
        "scorecard/units/operations/scorecard.yml:1: warning: perspective 'customer' has 0 objectives; a balanced "
        "scorecard has 1-5 per perspective: merge it into another perspective or add objectives"
    ) in found
    assert (
        "scorecard/units/operations/scorecard.yml:1: warning: the scorecard has 1 objective; a balanced scorecard "
        "has 4-18 in all: add the objectives the strategy is missing"
    ) in found
    # The root keeps the organisation's sizes.
    assert any(p.endswith("a balanced scorecard has 12-18 in all: add the objectives the strategy is missing")
               for p in map(str, lint(results)) if p.startswith("scorecard/scorecard.yml"))


def test_a_unit_mixes_leading_and_lagging_across_its_kpis(org: Path) -> None:
    edit("scorecard/units/operations/kpis/service.yml", "  unit: EUR k\n", "  unit: EUR k\n  indicator: lagging\n")

    def mix() -> list[str]:
        results = compute(load(org).scorecard, audience=Audience.RESTRICTED)
        return [str(p) for p in lint(results) if "leading" in p.message and "operations" in p.where.path]

    assert mix() == [
        "scorecard/units/operations/scorecard.yml:1: warning: unit 'operations' has only lagging KPIs: add a "
        "leading KPI so that it shows both results and what will drive the next ones",
    ]
    edit("scorecard/units/operations/kpis/service.yml", '  unit: "%"\n', '  unit: "%"\n  indicator: leading\n')
    assert mix() == []  # one of each across the unit, though both sit in one perspective


def test_heat_map_matches_units_by_perspective_id(org: Path) -> None:
    from generator.compute.alignment import heat_map

    # sales-emea writes its own perspectives: financial and a 'markets' band acme does not have.
    edit("scorecard/units/sales/units/sales-emea/scorecard.yml", "objectives:",
         "perspectives:\n  - id: markets\n    name: Markets\n  - id: financial\n\nobjectives:")
    edit("scorecard/units/sales/units/sales-emea/scorecard.yml", "perspective: customer", "perspective: markets")
    results = compute(load(org).scorecard, audience=Audience.ALL)
    found = heat_map(results)
    assert found.perspectives == (
        ("financial", "Financial"), ("customer", "Customer"), ("internal", "Internal Process"),
        ("learning", "Learning & Growth"), ("markets", "Markets"),
    )
    rows = {unit.unit_id: cells for unit, cells in found.rows}
    assert list(rows) == ["acme", "operations", "sales", "sales-emea"]
    assert set(rows["sales-emea"]) == {"markets", "financial"}
    assert rows["sales-emea"]["markets"] == results.unit("sales-emea").perspectives["markets"]
    assert rows["sales"]["financial"].status is results.unit("sales").perspectives["financial"].status
