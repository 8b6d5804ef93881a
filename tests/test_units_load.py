"""Loading a cascaded organisation (spec 9.1-9.3): every broken cascade is refused at its file and line.

Each test copies the cascaded fixture (``tests/fixtures/units/acme``: acme > sales >
sales-emea, acme > operations) into a temporary ``scorecard/`` folder, breaks one thing
and asserts the exact ``path:line: message`` that ``check`` prints, unit paths included.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import edit

from generator.cli import main
from generator.errors import ValidationFailed
from generator.load import load
from generator.model import DEFAULT_PERSPECTIVES

SALES = "scorecard/units/sales"
EMEA = "scorecard/units/sales/units/sales-emea"
OPS = "scorecard/units/operations"






def problems(folder: Path, errors_only: bool = True) -> list[str]:
    with pytest.raises(ValidationFailed) as failed:
        load(folder)
    return [str(p) for p in failed.value.problems if p.is_error or not errors_only]


# -- the fixture itself ---------------------------------------------------------------


def test_the_fixture_loads_as_a_tree(org: Path) -> None:
    root = load(org).scorecard
    assert [card.id for card in root.walk()] == ["acme", "operations", "sales", "sales-emea"]
    assert [u.id for u in root.units] == ["operations", "sales"]
    sales = root.unit("sales")
    assert (sales.parent, sales.folder, [u.id for u in sales.units]) == ("acme", SALES, ["sales-emea"])
    assert root.unit("sales-emea").parent == "sales"
    assert root.parent is None and root.folder == "scorecard"
    # A unit's files are its own: split files and data, never its units'.
    assert sales.files == (f"{SALES}/data/pipeline.csv", f"{SALES}/data/revenue.csv", f"{SALES}/scorecard.yml")
    assert root.unit("operations").files == (
        f"{OPS}/data/actuals.csv", f"{OPS}/kpis/service.yml", f"{OPS}/scorecard.yml",
    )
    assert not any("units/" in f for f in root.files)


def test_objectives_keep_supports_and_kpis_consolidate_as_written(org: Path) -> None:
    root = load(org).scorecard
    assert root.unit("sales-emea").objective("win-emea").supports == ("sales/win-accounts", "acme/grow-revenue")
    revenue = root.kpi("revenue")
    assert revenue.consolidated and revenue.consolidate is not None
    assert revenue.consolidate.method.value == "sum"
    assert revenue.consolidate.sources == ("sales/revenue", "operations/service-revenue", "sales-emea/revenue")
    assert root.actuals["revenue"] == ()  # its rows come at compute time, from its sources


# -- 9.1 units ---------------------------------------------------------------------------


def test_perspectives_are_inherited_all_the_way_up_unless_written(org: Path) -> None:
    root = load(org).scorecard
    defaults = [pid for pid, _ in DEFAULT_PERSPECTIVES]
    assert [p.id for p in root.perspectives] == defaults
    operations, sales, emea = root.unit("operations"), root.unit("sales"), root.unit("sales-emea")
    assert operations.inherits_perspectives and [p.id for p in operations.perspectives] == defaults
    assert not sales.inherits_perspectives
    # sales-emea writes none: it takes its parent's, which sales wrote (questions included).
    assert emea.inherits_perspectives
    assert [(p.id, p.name, p.question) for p in emea.perspectives] == [
        (p.id, p.name, p.question) for p in sales.perspectives
    ]
    assert emea.perspectives[0].question == "How do our sales grow the business?"


def test_an_empty_perspectives_list_in_a_unit_means_the_default_four(org: Path) -> None:
    edit(f"{EMEA}/scorecard.yml", "objectives:", "perspectives: []\n\nobjectives:")
    emea = load(org).scorecard.unit("sales-emea")
    assert not emea.inherits_perspectives
    assert [p.question for p in emea.perspectives] == ["", "", "", ""]


def test_a_unit_writing_its_own_perspectives_is_checked_against_them(org: Path) -> None:
    # Own perspectives without 'customer': sales' win-accounts is financial (fine), and sales-emea
    # inherits them, so its customer objective no longer has a perspective.
    edit(f"{SALES}/scorecard.yml", "  - id: customer\n    name: Customer\n", "  - id: clients\n    name: Clients\n")
    assert problems(org) == [
        f"{EMEA}/scorecard.yml:8: objective 'win-emea': perspective 'customer' does not exist "
        "(perspectives: financial, clients, internal, learning)",
    ]


def test_a_unit_id_must_equal_its_folder_name(org: Path) -> None:
    edit(f"{SALES}/scorecard.yml", "id: sales\n", "id: sales-team\n")
    assert problems(org) == [
        f"{SALES}/scorecard.yml:2: organization: id 'sales-team' must equal the unit's folder name 'sales' "
        "(write id: sales, or rename the folder)",
    ]


def test_a_written_parent_must_be_the_unit_above(org: Path) -> None:
    edit(f"{EMEA}/scorecard.yml", "  name: Sales EMEA\n", "  name: Sales EMEA\n  parent: acme\n")
    assert problems(org) == [
        f"{EMEA}/scorecard.yml:4: organization: parent 'acme' is not the unit whose units/ folder holds this one "
        "('sales'); write parent: sales, or leave parent out",
    ]


def test_the_root_has_no_parent(org: Path) -> None:
    edit("scorecard/scorecard.yml", "  name: Acme Coffee\n", "  name: Acme Coffee\n  parent: holding\n")
    assert problems(org) == [
        "scorecard/scorecard.yml:4: organization: parent 'holding' is written in the root unit; the organisation "
        "has no parent (remove parent, or check the organisation's folder, which holds this one in units/)",
    ]


def test_unit_ids_are_unique_across_the_organisation(org: Path) -> None:
    # A second 'sales-emea', this time under operations: same folder name, same id. The later
    # one in path order is reported (as a period duplicated across CSV files is).
    shutil.copytree(f"{EMEA}", f"{OPS}/units/sales-emea")
    edit(f"{OPS}/units/sales-emea/scorecard.yml", "sales/win-accounts, ", "")
    assert problems(org) == [
        f"{EMEA}/scorecard.yml:2: organization: unit id 'sales-emea' is used twice "
        f"(first at {OPS}/units/sales-emea/scorecard.yml:2); unit ids are unique across the organisation: "
        "rename one unit's folder and id"
    ]


def test_a_unit_may_not_reuse_the_organisations_id(org: Path) -> None:
    shutil.copytree(f"{EMEA}", f"{OPS}/units/acme")
    edit(f"{OPS}/units/acme/scorecard.yml", "id: sales-emea", "id: acme")
    edit(f"{OPS}/units/acme/scorecard.yml", "sales/win-accounts, ", "")
    assert problems(org) == [
        f"{OPS}/units/acme/scorecard.yml:2: organization: unit id 'acme' is used twice (first at "
        "scorecard/scorecard.yml:2); unit ids are unique across the organisation: rename one unit's folder and id"
    ]


def test_a_folder_under_units_without_scorecard_yml_is_an_error(org: Path) -> None:
    Path(f"{SALES}/units/sales-apac/data").mkdir(parents=True)
    Path(f"{SALES}/units/.drafts").mkdir()  # hidden: not a unit
    assert problems(org) == [
        f"{SALES}/units/sales-apac/scorecard.yml: every folder under units/ is a unit and needs scorecard.yml; "
        "add it, or move the folder out of units/",
    ]


def test_files_directly_under_units_are_ignored_with_a_warning(org: Path) -> None:
    Path("scorecard/units/README.md").write_text("Our departments\n", encoding="utf-8")
    loaded = load(org)
    assert [str(w) for w in loaded.warnings] == [
        "scorecard/units/README.md: warning: ignored: a unit is a folder holding scorecard.yml "
        "(move this file into a unit's folder)",
    ]


def test_ids_and_references_stay_inside_their_unit(org: Path) -> None:
    # 'grow-revenue' is acme's objective: a sales KPI cannot measure it.
    edit(
        f"{SALES}/scorecard.yml", "objective: win-accounts\n    unit: EUR k", "objective: grow-revenue\n    unit: EUR k"
    )
    assert problems(org) == [
        f"{SALES}/scorecard.yml:28: kpi 'revenue': objective 'grow-revenue' does not exist (objectives: win-accounts)",
    ]


def test_split_files_of_a_unit_exclude_its_data_and_units(org: Path) -> None:
    # A YAML file in sales' data/ is not a split file; one in sales' own kpis/ is.
    Path(f"{SALES}/data/notes.yml").write_text("- not: a kpi\n", encoding="utf-8")
    Path(f"{SALES}/kpis").mkdir()
    Path(f"{SALES}/kpis/more.yml").write_text("- id: revenue\n  name: Twice\n", encoding="utf-8")
    found = problems(org)
    assert found[0].startswith(f"{SALES}/kpis/more.yml:1: kpi 'revenue': ")
    assert not any("notes.yml" in p for p in found)


def test_errors_in_every_unit_come_in_one_run_with_unit_paths(org: Path) -> None:
    edit(f"{EMEA}/data/revenue.csv", "2026-02,210,", "2026-02,21o,")
    edit(f"{OPS}/kpis/service.yml", "direction: higher\n  frequency: monthly\n  target: {period: 2026-12, value: 99.5}",
         "direction: up\n  frequency: monthly\n  target: {period: 2026-12, value: 99.5}")
    edit("scorecard/data/csat.csv", "2026-03,88", "2026-3,88")
    assert problems(org) == [
        "scorecard/data/csat.csv:4: kpi 'csat': period '2026-3' is not a period"
        " (write e.g. 2026-03, 2026-Q1, 2026-W05 or 2026)",
        f"{OPS}/kpis/service.yml:12: kpi 'uptime': direction must be one of higher, lower, range (got 'up')",
        f"{EMEA}/data/revenue.csv:3: kpi 'revenue': actual '21o' is not a number (write e.g. 85 or 85.5)",
    ]


def test_check_prints_unit_problems_without_a_traceback(org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(f"{EMEA}/data/revenue.csv", "2026-02,210,", "2026-02,21o,")
    assert main(["check", "scorecard"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{EMEA}/data/revenue.csv:3: kpi 'revenue': actual '21o' is not a number (write e.g. 85 or 85.5)",
    ]
    assert "Traceback" not in err


# -- 9.2 alignment -------------------------------------------------------------------------

SUPPORTS = f"{EMEA}/scorecard.yml:10: objective 'win-emea': supports"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("grow-revenue", "supports #1: 'grow-revenue' names no unit: write unit-id/grow-revenue"),
        ("sales-emea/win-emea", "supports 'sales-emea/win-emea': names its own unit; supports names objectives of "
         "the units above (sales, acme), while drives links objectives of the same unit"),
        ("operations/run-service", "supports 'operations/run-service': unit 'operations' is not above this unit; "
         "supports names objectives of the units above it (sales, acme)"),
        ("acme/grow-revenu", "supports 'acme/grow-revenu': unit 'acme' has no objective 'grow-revenu' "
         "(did you mean 'grow-revenue'?)"),
        ("marketing/grow", "supports 'marketing/grow': unit 'marketing' does not exist "
         "(units above this one: sales, acme)"),
    ],
)
def test_supports_must_name_an_objective_of_an_ancestor(org: Path, written: str, message: str) -> None:
    edit(f"{EMEA}/scorecard.yml", "supports: [sales/win-accounts,", f"supports: [{written},")
    assert problems(org) == [f"{EMEA}/scorecard.yml:10: objective 'win-emea': {message}"]


def test_supports_may_not_name_a_descendant(org: Path) -> None:
    edit(f"{SALES}/scorecard.yml", "supports: [acme/grow-revenue]", "supports: [sales-emea/win-emea]")
    assert problems(org) == [
        f"{SALES}/scorecard.yml:23: objective 'win-accounts': supports 'sales-emea/win-emea': unit 'sales-emea' "
        "is below this unit; supports names objectives of the units above it (acme)",
    ]


def test_supports_in_the_root_is_an_error(org: Path) -> None:
    edit(
        "scorecard/scorecard.yml",
        "    drives: [grow-revenue]\n", "    drives: [grow-revenue]\n    supports: [acme/grow-revenue]\n",
    )
    assert problems(org) == [
        "scorecard/scorecard.yml:16: objective 'delight-customers': supports is written in the root unit, which "
        "has no unit above it; remove it (supports names objectives of the units above a unit)",
    ]


def test_each_wrong_supports_entry_is_reported_at_its_own_line(org: Path) -> None:
    edit(f"{EMEA}/scorecard.yml", "supports: [sales/win-accounts, acme/grow-revenue]",
         "supports:\n      - sales/win-account\n      - acme/grow-revenue\n      - acme/nothing")
    assert problems(org) == [
        f"{EMEA}/scorecard.yml:11: objective 'win-emea': supports 'sales/win-account': unit 'sales' has no "
        "objective 'win-account' (did you mean 'win-accounts'?)",
        f"{EMEA}/scorecard.yml:13: objective 'win-emea': supports 'acme/nothing': unit 'acme' has no objective "
        "'nothing' (objectives there: grow-revenue, delight-customers)",
    ]


# -- 9.3 consolidated KPIs -------------------------------------------------------------------

ROOT_FROM = "from: [sales/revenue, operations/service-revenue, sales-emea/revenue]"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("acme/csat", "consolidate from 'acme/csat': names its own unit; consolidate takes KPIs of units below "
         "(the units below this one: operations, sales, sales-emea)"),
        ("sales/revenu", "consolidate from 'sales/revenu': unit 'sales' has no kpi 'revenu' "
         "(did you mean 'revenue'?)"),
        ("finance/revenue", "consolidate from 'finance/revenue': unit 'finance' does not exist "
         "(the units below this one: operations, sales, sales-emea)"),
        ("operations/uptime, operations/uptime", "consolidate from #2 'operations/uptime' is listed twice "
         "(first as #1)"),
    ],
)
def test_consolidate_sources_are_kpis_of_units_below(org: Path, written: str, message: str) -> None:
    edit("scorecard/scorecard.yml", ROOT_FROM, f"from: [{written}]")
    assert problems(org) == [f"scorecard/scorecard.yml:27: kpi 'revenue': {message}"]


def test_consolidate_may_not_reach_up_or_sideways(org: Path) -> None:
    edit(f"{SALES}/scorecard.yml", "from: [sales-emea/revenue]", "from: [acme/csat, operations/uptime]")
    assert problems(org) == [
        f"{SALES}/scorecard.yml:46: kpi 'emea-revenue': consolidate from 'acme/csat': unit 'acme' is not below "
        "this unit; consolidate takes KPIs of units below (the units below this one: sales-emea)",
        f"{SALES}/scorecard.yml:46: kpi 'emea-revenue': consolidate from 'operations/uptime': unit 'operations' "
        "is not below this unit; consolidate takes KPIs of units below (the units below this one: sales-emea)",
    ]


def test_a_unit_without_units_cannot_consolidate(org: Path) -> None:
    edit(f"{EMEA}/scorecard.yml", "    target: {period: 2026-12, value: 300}",
         "    target: {period: 2026-12, value: 300}\n    consolidate: {method: sum, from: [sales/revenue]}")
    assert problems(org) == [
        f"{EMEA}/data/revenue.csv:2: kpi 'revenue' is consolidated (from sales/revenue), so it takes no actuals "
        "of its own: remove its rows (its value comes from its sources)",
        f"{EMEA}/scorecard.yml:20: kpi 'revenue': consolidate from 'sales/revenue': unit 'sales' is not below this "
        "unit; consolidate takes KPIs of units below (this unit has no units below it)",
    ]


def test_consolidate_sources_share_the_frequency(org: Path) -> None:
    edit(f"{OPS}/kpis/service.yml", "frequency: monthly\n  target: {period: 2026-12, value: 250}",
         "frequency: quarterly\n  target: {period: 2026-12, value: 250}")
    edit(f"{OPS}/data/actuals.csv", "service-revenue,2026-01,150,\nservice-revenue,2026-02,160,\n"
         "service-revenue,2026-03,170,", "service-revenue,2026-Q1,480,")
    assert problems(org) == [
        "scorecard/scorecard.yml:27: kpi 'revenue': consolidate from 'operations/service-revenue': is quarterly "
        "but this KPI is monthly; a consolidated KPI and its sources share one frequency",
    ]


def test_consolidate_needs_a_source_and_a_known_method(org: Path) -> None:
    edit("scorecard/scorecard.yml", "      method: sum\n      " + ROOT_FROM, "      method: median\n      from: []")
    assert problems(org) == [
        "scorecard/scorecard.yml:26: kpi 'revenue': consolidate method must be one of sum, mean, min, max "
        "(got 'median') (did you mean 'mean'?)",
    ]
    edit("scorecard/scorecard.yml", "method: median", "method: sum")
    assert problems(org) == [
        "scorecard/scorecard.yml:27: kpi 'revenue': consolidate from must list at least one KPI "
        "(unit-id/kpi-id of a unit below)",
    ]


def test_a_source_without_a_unit_is_refused_at_its_entry(org: Path) -> None:
    edit("scorecard/scorecard.yml", ROOT_FROM, "from:\n        - sales/revenue\n        - uptime")
    assert problems(org) == [
        "scorecard/scorecard.yml:29: kpi 'revenue': consolidate from #2: 'uptime' names no unit: "
        "write unit-id/uptime",
    ]


def test_unknown_keys_in_consolidate_are_warnings(org: Path) -> None:
    edit("scorecard/scorecard.yml", "      method: sum\n", "      method: sum\n      weights: [1, 2]\n")
    assert [str(w) for w in load(org).warnings] == [
        "scorecard/scorecard.yml:27: warning: kpi 'revenue': unknown key 'weights' in consolidate",
    ]


def test_a_consolidated_kpi_has_no_actuals_of_its_own(org: Path) -> None:
    Path("scorecard/data/revenue.csv").write_text("period,actual\n2026-01,850\n2026-02,890\n", encoding="utf-8")
    edit(f"{SALES}/data/pipeline.csv", "2026-04,350", "2026-04,350\n")
    Path(f"{SALES}/data/more.csv").write_text("kpi,period,actual\nrevenue,2026-04,1\nemea-revenue,2026-04,2\n",
                                              encoding="utf-8")
    assert problems(org) == [
        "scorecard/data/revenue.csv:2: kpi 'revenue' is consolidated (from sales/revenue, operations/service-revenue, "
        "sales-emea/revenue), so it takes no actuals of its own: remove its rows (its value comes from its sources)",
        f"{SALES}/data/more.csv:3: kpi 'emea-revenue' is consolidated (from sales-emea/revenue), so it takes no "
        "actuals of its own: remove its rows (its value comes from its sources)",
    ]


def test_a_total_over_a_restricted_source_must_be_restricted(org: Path) -> None:
    edit("scorecard/scorecard.yml", "    visibility: restricted\n", "")
    assert problems(org) == [
        "scorecard/scorecard.yml:41: kpi 'pipeline-total': consolidates the restricted KPI 'sales/pipeline', so its "
        "value would reveal it; write visibility: restricted",
    ]


def test_a_total_over_a_restricted_source_two_levels_down_must_be_restricted(org: Path) -> None:
    # sales-emea's revenue turns restricted: sales' emea-revenue (its total) must be, and so must
    # acme's revenue, which takes it directly and (were it listed) through emea-revenue.
    edit(f"{EMEA}/scorecard.yml", "    target: {period: 2026-12, value: 300}",
         "    target: {period: 2026-12, value: 300}\n    visibility: restricted")
    edit("scorecard/scorecard.yml", "sales-emea/revenue]", "sales/emea-revenue]")
    assert problems(org) == [
        "scorecard/scorecard.yml:27: kpi 'revenue': consolidates the restricted KPI 'sales-emea/revenue' (through "
        "sales/emea-revenue -> sales-emea/revenue), so its value would reveal it; write visibility: restricted",
        f"{SALES}/scorecard.yml:46: kpi 'emea-revenue': consolidates the restricted KPI 'sales-emea/revenue', so its "
        "value would reveal it; write visibility: restricted",
    ]


def test_a_consolidated_source_may_itself_be_consolidated(org: Path) -> None:
    edit("scorecard/scorecard.yml", "sales-emea/revenue]", "sales/emea-revenue]")
    assert load(org).scorecard.kpi("revenue").consolidate.sources[-1] == "sales/emea-revenue"


# -- broken units do not hide each other's problems -----------------------------------------------


def test_a_unit_whose_yaml_cannot_be_read_still_lets_the_others_be_checked(org: Path) -> None:
    edit(f"{SALES}/scorecard.yml", "  parent: acme\n", "  parent: [acme\n")
    edit(f"{OPS}/data/actuals.csv", "uptime,2026-03,99.6,", "uptime,2026-03,high,")
    found = problems(org)
    assert found[0].startswith(f"{OPS}/data/actuals.csv:7: kpi 'uptime': actual 'high' is not a number")
    assert found[1].startswith(f"{SALES}/scorecard.yml:")
    assert len(found) == 2  # no false 'does not exist' for what supports and consolidate name in sales


def test_a_unit_folder_that_is_not_a_valid_id_asks_for_a_rename(org: Path) -> None:
    Path(f"{OPS}").rename("scorecard/units/Operations")
    edit("scorecard/scorecard.yml", ROOT_FROM, "from: [sales/revenue, sales-emea/revenue]")
    assert problems(org) == [
        "scorecard/units/Operations/scorecard.yml:2: organization: a unit's id equals its folder's name, and "
        "'Operations' is not a valid id; rename the folder to 'operations'",
    ]


def test_a_unit_file_that_is_not_a_mapping_is_one_clear_error(org: Path) -> None:
    Path(f"{EMEA}/scorecard.yml").write_text("- just a list\n", encoding="utf-8")
    found = problems(org)
    assert f"{EMEA}/scorecard.yml:1: scorecard.yml must be a mapping with organization, objectives, kpis, ... " \
        "(it is a list)" in found
    # What acme and sales name in it is not reported missing: its ids are unknown, not absent.
    assert not [p for p in found if "has no" in p]


def test_all_files_lists_every_unit_s_files(org: Path) -> None:
    root = load(org).scorecard
    files = root.all_files()
    assert files[: len(root.files)] == root.files
    assert f"{EMEA}/data/revenue.csv" in files and f"{OPS}/kpis/service.yml" in files
    assert len(files) == len(set(files)) == sum(len(card.files) for card in root.walk())


def test_a_folder_link_loop_under_a_unit_does_not_hang(org: Path) -> None:
    Path(f"{SALES}/kpis").mkdir()
    Path(f"{SALES}/kpis/loop").symlink_to(Path(f"{SALES}/kpis").resolve())
    assert [c.id for c in load(org).scorecard.walk()] == ["acme", "operations", "sales", "sales-emea"]


def test_the_root_does_not_read_a_unit_s_yaml_as_its_split_file(org: Path) -> None:
    # Were operations' kpis/service.yml read as the root's, 'uptime' would be an acme KPI too.
    root = load(org).scorecard
    assert [k.id for k in root.kpis] == ["revenue", "csat", "pipeline-total"]
    assert [k.id for k in root.unit("operations").kpis] == ["service-revenue", "uptime"]
