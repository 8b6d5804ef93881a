"""The sample organisation (Northwind Digital Services) is the portal's showcase.

It must load cleanly, lint clean, use every feature of the format at least
once, and give a town hall something to talk about: a mix of statuses and
nothing stale at the default as-of date.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.compute import compute
from generator.compute.lint import lint
from generator.compute.results import Audience, Results, Status
from generator.load import Loaded, load
from generator.model import Direction, Frequency, Indicator, Scorecard

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "scorecard"
AS_OF = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load(SAMPLE)


@pytest.fixture(scope="module")
def card(loaded: Loaded) -> Scorecard:
    return loaded.scorecard


@pytest.fixture(scope="module")
def restricted(card: Scorecard) -> Results:
    return compute(card, audience=Audience.RESTRICTED)


def test_loads_without_warnings(loaded: Loaded) -> None:
    assert [str(w) for w in loaded.warnings] == []


@pytest.mark.parametrize("audience", list(Audience))
def test_lints_clean_for_every_audience(card: Scorecard, audience: Audience) -> None:
    assert [str(p) for p in lint(compute(card, audience=audience))] == []


def test_check_strict_prints_nothing_and_succeeds() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--strict"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_default_as_of_is_the_end_of_october_2026(restricted: Results) -> None:
    assert restricted.as_of == AS_OF
    assert compute(restricted.scorecard, audience=Audience.ALL).as_of == AS_OF


def test_counts_are_those_of_a_balanced_scorecard(card: Scorecard) -> None:
    assert card.organization.name == "Northwind Digital Services"
    assert card.organization.vision and card.organization.mission
    assert [p.id for p in card.perspectives] == ["financial", "customer", "internal", "learning"]
    assert all(p.question for p in card.perspectives)
    assert len(card.themes) == 3 and all(t.description for t in card.themes)
    assert 14 <= len(card.objectives) <= 16
    per_perspective = Counter(o.perspective for o in card.objectives)
    assert all(3 <= per_perspective[p.id] <= 5 for p in card.perspectives), per_perspective
    assert 17 <= len(card.kpis) < 20
    assert all(1 <= len(card.kpis_of(o.id)) <= 2 for o in card.objectives)
    assert len(card.initiatives) == 5


def test_every_item_is_owned_and_explained(card: Scorecard) -> None:
    for objective in card.objectives:
        assert "(" in objective.owner, f"{objective.id}: owner should give a name and a role"
        assert objective.description and objective.themes, objective.id
    for kpi in card.kpis:
        assert kpi.owner and kpi.unit and kpi.source and kpi.formula and kpi.indicator, kpi.id
    for initiative in card.initiatives:
        assert initiative.owner and initiative.start and initiative.end, initiative.id
        assert initiative.budget and initiative.spent is not None and initiative.progress is not None
        assert 2 <= len(initiative.milestones) <= 4, initiative.id


def test_every_format_feature_is_shown(card: Scorecard) -> None:
    assert {k.direction for k in card.kpis} == set(Direction)
    assert {k.frequency for k in card.kpis} == set(Frequency)
    assert any(k.restricted for k in card.kpis)
    assert any(k.targets for k in card.kpis)
    assert any(k.baseline and k.target for k in card.kpis)
    assert {k.tolerance.percent for k in card.kpis} == {True, False}
    assert any(k.weight != 1 for k in card.kpis) or any(o.weight != 1 for o in card.objectives)
    assert any(m.done for i in card.initiatives for m in i.milestones)
    assert any(not m.done for i in card.initiatives for m in i.milestones)


def test_every_perspective_mixes_leading_and_lagging(card: Scorecard) -> None:
    for perspective in card.perspectives:
        objective_ids = {o.id for o in card.objectives_in(perspective.id)}
        kinds = {k.indicator for k in card.kpis if k.objective in objective_ids}
        assert kinds == set(Indicator), perspective.id


def test_cause_and_effect_goes_up_the_map(card: Scorecard) -> None:
    rank = {p.id: i for i, p in enumerate(card.perspectives)}
    driven = {target for o in card.objectives for target in o.drives}
    for cause in card.objectives:
        assert cause.drives or cause.id in driven, f"{cause.id} is not linked"
        for effect_id in cause.drives:
            assert rank[card.objective(effect_id).perspective] <= rank[cause.perspective], (cause.id, effect_id)
    tops = [o.id for o in card.objectives if not o.drives]
    assert tops == ["grow-revenue"], "every chain should end in the financial result"


def test_every_kpi_is_current_and_none_stale(restricted: Results) -> None:
    for result in restricted.kpis.values():
        assert result.current is not None, result.id
        assert not result.stale, f"{result.id} is stale at {restricted.as_of}"


def test_statuses_make_a_town_hall_story(restricted: Results) -> None:
    kpi_statuses = Counter(r.status for r in restricted.kpis.values())
    assert {Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK} <= set(kpi_statuses), kpi_statuses
    assert min(kpi_statuses[s] for s in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)) >= 3
    perspective_statuses = {r.status for r in restricted.perspectives.values()}
    assert {Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK} <= perspective_statuses


def test_no_initiative_is_late_but_some_milestones_slip(restricted: Results) -> None:
    assert not any(r.late for r in restricted.initiatives.values())
    assert any(r.overdue_milestones for r in restricted.initiatives.values())


def test_actuals_cover_two_years_in_both_csv_forms(card: Scorecard, restricted: Results) -> None:
    monthly = [k for k in card.kpis if k.frequency is Frequency.MONTHLY]
    # A consolidated KPI (revenue) has no rows of its own: they come from its sources when computed.
    assert all(len(restricted.scorecard.actuals[k.id]) >= 24 for k in monthly)
    assert all(len(card.actuals[k.id]) >= 24 for k in monthly if not k.consolidated)
    yearly = next(k for k in card.kpis if k.frequency is Frequency.YEARLY)
    assert [str(a.period) for a in card.actuals[yearly.id]] == ["2024", "2025"]
    quarterly_last = {str(card.actuals[k.id][-1].period) for k in card.kpis if k.frequency is Frequency.QUARTERLY}
    assert quarterly_last == {"2026-Q3"}
    with (SAMPLE / "data" / "finance" / "monthly.csv").open(encoding="utf-8") as long_file:
        assert len({row["kpi"] for row in csv.DictReader(long_file)}) >= 2
    assert len(list((SAMPLE / "data").glob("*.csv"))) >= 5


def test_some_rows_are_annotated_and_one_is_empty(card: Scorecard) -> None:
    rows = [a for actuals in card.actuals.values() for a in actuals]
    assert sum(1 for a in rows if a.comment) >= 5
    empty = [a for a in rows if a.value is None]
    assert len(empty) == 1 and "postponed" in empty[0].comment.lower()


def test_all_staff_build_hides_the_margin(card: Scorecard) -> None:
    everyone = compute(card, audience=Audience.ALL)
    hidden = {k.id for k in card.kpis if k.restricted}
    assert hidden and not hidden & set(everyone.kpis)
    assert everyone.objectives["improve-margin"].status is not Status.NO_DATA


# -- the cascade (spec 9) ---------------------------------------------------------------


def test_the_organisation_cascades_to_departments_and_a_team(card: Scorecard) -> None:
    assert [(u.id, u.parent) for u in card.walk()] == [
        ("northwind", None),
        ("cloud-consulting", "northwind"),
        ("managed-services", "northwind"),
        ("service-desk", "managed-services"),
    ]
    consulting, managed, desk = (card.unit(u) for u in ("cloud-consulting", "managed-services", "service-desk"))
    # One department writes its own perspectives (same ids, its own questions), one inherits, and so does its team.
    assert not consulting.inherits_perspectives and managed.inherits_perspectives and desk.inherits_perspectives
    assert [p.id for p in consulting.perspectives] == [p.id for p in card.perspectives]
    assert [p.question for p in consulting.perspectives] != [p.question for p in card.perspectives]
    assert [p.question for p in desk.perspectives] == [p.question for p in card.perspectives]
    # Every unit objective says what it serves; every corporate objective is served.
    units = card.walk()[1:]
    assert all(o.supports for u in units for o in u.objectives)
    served = {ref for u in units for o in u.objectives for ref in o.supports}
    assert {f"northwind/{o.id}" for o in card.objectives} <= served
    assert any(ref.startswith("managed-services/") for ref in served)  # the team supports its department
    assert card.kpi("revenue").consolidated and managed.kpi("desk-satisfaction").consolidated


def test_every_unit_is_current_and_a_total_waits_for_the_service_desk(restricted: Results) -> None:
    for unit in restricted.walk():
        assert unit.as_of == AS_OF
        for result in unit.kpis.values():
            assert result.current is not None and not result.stale, (unit.unit_id, result.id)
    # Revenue is the sum of the departments, every month complete.
    assert restricted.consolidated["revenue"].waiting_for == ()
    assert restricted.kpis["revenue"].current.actual == 4440.0
    # The service desk's October survey is not in yet: Managed Services' total waits for it.
    waiting = restricted.unit("managed-services").consolidated["desk-satisfaction"]
    assert (str(waiting.latest), waiting.waiting_for) == ("2026-10", ("service-desk",))
    statuses = {unit.organization.status for unit in restricted.walk()[1:]}
    assert statuses and Status.NO_DATA not in statuses
