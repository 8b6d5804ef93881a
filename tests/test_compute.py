"""The compute stage against hand-worked arithmetic (spec sections 4, 5, 8.4, 8.5, 8.8).

Every expected number is worked out in a comment next to it from the spec's
formulas, so a reader can check the test, not just the code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from generator.compute import compute, default_as_of
from generator.compute.goals import GoalPlan, goal_for, red_flag_for
from generator.compute.results import Audience, PeriodResult, Results, Status
from generator.compute.rollup import rollup_status
from generator.errors import Location, ValidationFailed
from generator.model import Actual, Initiative, Kpi, Objective, Organization, Perspective, Scorecard, Theme
from generator.periods import Period

D = dt.date


# -- builders -------------------------------------------------------------------------


def make_kpi(kpi_id: str = "k", objective: str = "o", **fields: Any) -> Kpi:
    """A KPI as the loader would give it; defaults: monthly, higher."""
    data = {"id": kpi_id, "name": kpi_id.upper(), "objective": objective}
    return Kpi.model_validate(data | {"direction": "higher", "frequency": "monthly"} | fields)


def rows(*pairs: tuple[str, float | None]) -> tuple[Actual, ...]:
    """CSV rows ``(period, actual)``; None is an empty cell."""
    return tuple(Actual(Period.parse(p), v, "", Location("data/k.csv", n + 2)) for n, (p, v) in enumerate(pairs))


def make_card(
    kpis: list[Kpi],
    actuals: dict[str, tuple[Actual, ...]],
    objectives: list[Objective] | None = None,
    themes: tuple[Theme, ...] = (),
    initiatives: tuple[Initiative, ...] = (),
) -> Scorecard:
    """A scorecard with the default perspectives and, unless given, one objective ``o`` (customer)."""
    objectives = objectives or [Objective(id="o", name="O", perspective="customer")]
    return Scorecard(
        organization=Organization(id="acme", name="Acme"),
        perspectives=tuple(Perspective(id=p) for p in ("financial", "customer", "internal", "learning")),
        themes=themes,
        objectives=tuple(objectives),
        kpis=tuple(kpis),
        initiatives=initiatives,
        actuals=actuals,
    )


def one_kpi(actual_rows: tuple[Actual, ...], as_of: dt.date | None = None, **fields: Any) -> Results:
    """Compute a scorecard holding a single KPI ``k``."""
    return compute(make_card([make_kpi(**fields)], {"k": actual_rows}), as_of)


def goal(period: str, **fields: Any) -> Any:
    """G(p) of a KPI made from ``fields``."""
    kpi = make_kpi(**fields)
    return goal_for(kpi, Period.parse(period))


GROWTH = {"baseline": {"period": "2025-12", "value": 80}, "target": {"period": "2026-12", "value": 90}}


# -- section 4: the goal of a period ------------------------------------------------


def test_interpolates_by_period_count_between_baseline_and_target() -> None:
    # G(2026-03) = 80 + (90-80)*(3-0)/(12-0) = 82.5 ; R = 82.5 - 10% of 82.5 = 74.25
    result = one_kpi(rows(("2026-03", 80)), **GROWTH).kpis["k"]
    assert result.current.goal == pytest.approx(82.5)
    assert result.current.red_flag == pytest.approx(74.25)
    # score = 20/3 + 10/3*(80-82.5)/(82.5-74.25) = 5.6566
    assert result.score == pytest.approx(20 / 3 + 10 / 3 * (80 - 82.5) / (82.5 - 74.25))
    assert result.status is Status.AT_RISK


def test_goal_is_the_baseline_before_it_and_the_target_after_it() -> None:
    assert goal("2025-06", **GROWTH) == 80  # before the baseline period: b
    assert goal("2025-12", **GROWTH) == 80  # at it: b + 0
    assert goal("2026-12", **GROWTH) == 90  # at the target: t
    assert goal("2027-05", **GROWTH) == 90  # after it: t


def test_explicit_targets_entry_wins_over_interpolation_for_that_period_only() -> None:
    fields = GROWTH | {"targets": [{"period": "2026-06", "value": 88}]}
    assert goal("2026-06", **fields) == 88
    # 2026-07 still interpolates (targets are not knots): 80 + 10*7/12
    assert goal("2026-07", **fields) == pytest.approx(80 + 10 * 7 / 12)


def test_yearly_target_on_a_monthly_kpi_stands_for_december() -> None:
    fields = {"baseline": {"period": "2025-12", "value": 0}, "target": {"period": 2026, "value": 120}}
    # target 2026 -> 2026-12, 12 months after the baseline: G(2026-04) = 0 + 120*4/12 = 40
    assert goal("2026-04", **fields) == pytest.approx(40)
    assert goal("2026-12", **fields) == 120


def test_quarterly_kpi_with_a_monthly_baseline_uses_the_quarter_holding_its_last_day() -> None:
    fields = {
        "frequency": "quarterly",
        "baseline": {"period": "2025-11", "value": 100},  # -> 2025-Q4
        "target": {"period": "2026-Q4", "value": 60},
    }
    # 2026-Q2 is 2 quarters after 2025-Q4, of 4: G = 100 + (60-100)*2/4 = 80
    assert goal("2026-Q2", **fields) == pytest.approx(80)
    assert goal("2025-Q4", **fields) == 100


def test_target_without_baseline_is_the_target_value_except_explicit_entries() -> None:
    fields = {"target": {"period": "2026-12", "value": 50}, "targets": [{"period": "2026-03", "value": 30}]}
    assert goal("2026-01", **fields) == 50
    assert goal("2026-03", **fields) == 30
    assert goal("2027-06", **fields) == 50


def test_targets_only_takes_the_latest_entry_at_or_before_else_the_earliest() -> None:
    fields = {"targets": [{"period": "2026-06", "value": 20}, {"period": "2026-Q1", "value": 10}]}  # Q1 -> 2026-03
    assert goal("2026-01", **fields) == 10  # nothing at or before: the earliest entry (2026-03)
    assert goal("2026-03", **fields) == 10
    assert goal("2026-05", **fields) == 10  # latest at or before is 2026-03
    assert goal("2026-06", **fields) == 20
    assert goal("2027-01", **fields) == 20


def test_absolute_tolerance_for_higher_and_lower() -> None:
    higher = make_kpi(target={"period": "2026-12", "value": 50}, tolerance=4)
    lower = make_kpi(target={"period": "2026-12", "value": 50}, tolerance=4, direction="lower")
    p = Period.parse("2026-05")
    assert red_flag_for(higher, p) == 46  # 50 - 4
    assert red_flag_for(lower, p) == 54  # 50 + 4


def test_percentage_tolerance_is_of_the_absolute_goal() -> None:
    kpi = make_kpi(target={"period": "2026-12", "value": -200}, tolerance="5%")
    # tol = 5% of |-200| = 10 ; R = -200 - 10
    assert red_flag_for(kpi, Period.parse("2026-12")) == -210


def test_range_goal_is_the_interval_and_tolerance_widens_it() -> None:
    absolute = make_kpi(direction="range", range=[30, 40], tolerance=2)
    percent = make_kpi(direction="range", range=[30, 40], tolerance="10%")
    p = Period.parse("2026-01")
    assert goal_for(absolute, p) == (30, 40)
    assert red_flag_for(absolute, p) == (28, 42)
    assert red_flag_for(percent, p) == (29, 41)  # 10% of the width 40-30 = 1


# -- section 5: scores and statuses (higher / lower) ---------------------------------------

TARGET_100 = {"target": {"period": "2026-12", "value": 100}}  # tol = 10% of 100 = 10


@pytest.mark.parametrize(
    ("actual", "score", "status"),
    [
        (100, 20 / 3, Status.ON_TRACK),  # A = G
        (105, 20 / 3 + 10 / 3 * 5 / 10, Status.ON_TRACK),  # 8.33
        (110, 10, Status.ON_TRACK),  # G + (G - R)
        (130, 10, Status.ON_TRACK),  # clipped to 10
        (95, 20 / 3 - 10 / 3 * 5 / 10, Status.AT_RISK),  # 5.0
        (90, 10 / 3, Status.AT_RISK),  # A = R still reaches R
        (85, 20 / 3 - 10 / 3 * 15 / 10, Status.OFF_TRACK),  # 1.67
        (60, 0, Status.OFF_TRACK),  # clipped to 0
    ],
)
def test_higher_kpi_scores(actual: float, score: float, status: Status) -> None:
    result = one_kpi(rows(("2026-04", actual)), **TARGET_100).kpis["k"]
    assert result.score == pytest.approx(score)
    assert result.status is status


@pytest.mark.parametrize(
    ("actual", "score", "status"),
    [
        # lower: R = 100 + 10 = 110, G - R = -10, so score = 20/3 + 10/3*(A-100)/(-10)
        (100, 20 / 3, Status.ON_TRACK),
        (96, 20 / 3 + 10 / 3 * (96 - 100) / -10, Status.ON_TRACK),  # 8.0: beating the goal scores higher
        (90, 10, Status.ON_TRACK),
        (40, 10, Status.ON_TRACK),  # clipped to 10
        (104, 20 / 3 + 10 / 3 * (104 - 100) / -10, Status.AT_RISK),  # 5.33
        (110, 10 / 3, Status.AT_RISK),  # A = R
        (115, 20 / 3 + 10 / 3 * (115 - 100) / -10, Status.OFF_TRACK),  # 1.67
        (150, 0, Status.OFF_TRACK),  # clipped to 0
    ],
)
def test_lower_kpi_scores(actual: float, score: float, status: Status) -> None:
    result = one_kpi(rows(("2026-04", actual)), direction="lower", **TARGET_100).kpis["k"]
    assert result.score == pytest.approx(score)
    assert result.status is status


def test_status_compares_the_actual_not_the_rounded_score() -> None:
    # A misses G by 1e-9: the score rounds to 6.6667 but the goal is not reached.
    result = one_kpi(rows(("2026-04", 100 - 1e-9)), **TARGET_100).kpis["k"]
    assert round(result.score, 4) == round(20 / 3, 4)
    assert result.status is Status.AT_RISK


# -- section 5: range KPIs --------------------------------------------------------------------

RANGE = {"direction": "range", "range": [30, 40], "tolerance": 4}  # mid 35, half-width 5, R = (26, 44)


@pytest.mark.parametrize(
    ("actual", "score", "status"),
    [
        (35, 10, Status.ON_TRACK),  # midpoint
        (37.5, 20 / 3 + 10 / 3 * (1 - 2.5 / 5), Status.ON_TRACK),  # 8.33, half-way from mid to end
        (30, 20 / 3, Status.ON_TRACK),  # an end
        (40, 20 / 3, Status.ON_TRACK),
        (42, 20 / 3 - 10 / 3 * 2 / 4, Status.AT_RISK),  # 5.0, half a tolerance out
        (26, 10 / 3, Status.AT_RISK),  # lo - tol: the red flag
        (23, 20 / 3 - 10 / 3 * 7 / 4, Status.OFF_TRACK),  # 0.83
        (48, 0, Status.OFF_TRACK),  # 2 * tol out
        (60, 0, Status.OFF_TRACK),  # farther: clipped
    ],
)
def test_range_kpi_scores(actual: float, score: float, status: Status) -> None:
    result = one_kpi(rows(("2026-04", actual)), **RANGE).kpis["k"]
    assert result.score == pytest.approx(score)
    assert result.status is status
    assert result.current.goal == (30, 40)
    assert result.current.red_flag == (26, 44)


def test_zero_width_range_scores_10_on_the_point_and_uses_its_absolute_tolerance_outside() -> None:
    point = {"direction": "range", "range": [5, 5], "tolerance": 1}
    on = one_kpi(rows(("2026-04", 5)), **point).kpis["k"]
    near = one_kpi(rows(("2026-04", 5.5)), **point).kpis["k"]
    assert (on.score, on.status) == (10, Status.ON_TRACK)
    assert near.score == pytest.approx(20 / 3 - 10 / 3 * 0.5 / 1)  # 5.0
    assert near.status is Status.AT_RISK


# -- percentage of a zero goal (spec 8.5) ----------------------------------------------------------


def test_percentage_tolerance_on_an_interpolated_zero_goal_is_an_error_naming_the_period() -> None:
    # G = -30 + (30 - -30) * p/6 is 0 at 2026-03 (3 months after the baseline).
    crossing = {"baseline": {"period": "2025-12", "value": -30}, "target": {"period": "2026-06", "value": 30}}
    card = make_card(
        [make_kpi("a", **crossing), make_kpi("b", **crossing), make_kpi("c", **crossing, tolerance=2)],
        {k: rows(("2026-03", 1)) for k in "abc"},
    )
    with pytest.raises(ValidationFailed) as failure:
        compute(card)
    messages = [p.message for p in failure.value.problems]
    assert messages == [
        f"kpi '{k}': goal for 2026-03 is 0, so a percentage tolerance is undefined; give an absolute tolerance"
        for k in "ab"  # both collected; c has an absolute tolerance
    ]


def test_zero_goal_after_the_as_of_date_is_not_scored_so_not_an_error() -> None:
    crossing = {"baseline": {"period": "2025-12", "value": -30}, "target": {"period": "2026-06", "value": 30}}
    result = one_kpi(rows(("2026-02", -9), ("2026-03", 1)), as_of=D(2026, 2, 28), **crossing).kpis["k"]
    assert result.current.goal == pytest.approx(-10)  # -30 + 60*2/6


def test_an_empty_row_on_a_zero_goal_is_not_scored_so_not_an_error() -> None:
    """A comment-only row (empty actual) is kept in the history with no red flag, not refused."""
    crossing = {"baseline": {"period": "2025-12", "value": -30}, "target": {"period": "2026-06", "value": 30}}
    result = one_kpi(rows(("2026-02", -9), ("2026-03", None)), as_of=D(2026, 3, 31), **crossing).kpis["k"]
    empty = result.history[-1]
    assert (str(empty.period), empty.actual, empty.goal, empty.red_flag) == ("2026-03", None, 0, None)
    assert empty.status is Status.NO_DATA and str(result.current.period) == "2026-02"


def test_goal_plan_asks_for_each_period_without_rescanning() -> None:
    plan = GoalPlan.of(make_kpi(**GROWTH))
    assert [plan.goal(Period.parse(p)) for p in ("2026-06", "2026-09")] == pytest.approx([85, 87.5])


# -- frequencies, current value, staleness, history --------------------------------------------------


def test_weekly_kpi_current_period_and_stale_boundary() -> None:
    # 2026-W02 is Mon 2026-01-05 .. Sun 2026-01-11; W04 ends Sun 2026-01-25.
    data = rows(("2026-W01", 7), ("2026-W02", 8))
    fresh = one_kpi(data, as_of=D(2026, 1, 24), frequency="weekly", **TARGET_100).kpis["k"]
    stale = one_kpi(data, as_of=D(2026, 1, 25), frequency="weekly", **TARGET_100).kpis["k"]
    assert str(fresh.current.period) == "2026-W02"
    assert (fresh.stale, stale.stale) == (False, True)


def test_quarterly_kpi_goes_stale_when_the_second_quarter_after_it_has_ended() -> None:
    data = rows(("2026-Q1", 7))
    # current 2026-Q1; Q1 + 2 = 2026-Q3 ends 2026-09-30
    assert one_kpi(data, as_of=D(2026, 9, 29), frequency="quarterly", **TARGET_100).kpis["k"].stale is False
    assert one_kpi(data, as_of=D(2026, 9, 30), frequency="quarterly", **TARGET_100).kpis["k"].stale is True


def test_yearly_kpi_interpolates_by_years() -> None:
    fields = {
        "frequency": "yearly",
        "baseline": {"period": "2024-12", "value": 10},  # -> 2024
        "target": {"period": "2028", "value": 30},
    }
    result = one_kpi(rows(("2026", 20)), **fields)
    assert result.as_of == D(2026, 12, 31)
    # G(2026) = 10 + 20*2/4 = 20 -> on-track at 20/3
    assert result.kpis["k"].current.goal == pytest.approx(20)
    assert result.kpis["k"].status is Status.ON_TRACK


def test_monthly_stale_boundary_is_the_end_of_the_second_month_after() -> None:
    data = rows(("2026-01", 100))
    # 2026-01 + 2 = 2026-03, which ends 2026-03-31
    assert one_kpi(data, as_of=D(2026, 3, 30), **TARGET_100).kpis["k"].stale is False
    assert one_kpi(data, as_of=D(2026, 3, 31), **TARGET_100).kpis["k"].stale is True


def test_empty_actual_rows_stay_in_history_but_are_never_current() -> None:
    data = rows(("2026-01", 95), ("2026-02", None), ("2026-03", None))
    result = one_kpi(data, as_of=D(2026, 3, 31), **TARGET_100).kpis["k"]
    assert [str(r.period) for r in result.history] == ["2026-01", "2026-02", "2026-03"]
    assert [r.status for r in result.history] == [Status.AT_RISK, Status.NO_DATA, Status.NO_DATA]
    assert result.history[1].actual is None and result.history[1].score is None
    assert result.history[1].goal == 100  # the goal is still known for an empty row
    assert str(result.current.period) == "2026-01"
    assert result.stale is True  # 2026-03 has ended


def test_default_as_of_is_the_end_of_the_latest_period_with_a_value() -> None:
    card = make_card(
        [make_kpi("a", **TARGET_100), make_kpi("b", frequency="quarterly", **TARGET_100)],
        {"a": rows(("2026-01", 1), ("2026-05", None)), "b": rows(("2026-Q1", 1))},
    )
    # a's latest value is 2026-01 (2026-05 is empty); b's 2026-Q1 ends 2026-03-31
    assert default_as_of(card) == D(2026, 3, 31)
    assert compute(card).as_of == D(2026, 3, 31)


def test_explicit_as_of_excludes_later_periods_and_periods_not_yet_ended() -> None:
    data = rows(("2026-01", 90), ("2026-02", 100), ("2026-03", 110))
    result = one_kpi(data, as_of=D(2026, 3, 15), **TARGET_100)
    kpi = result.kpis["k"]
    assert result.as_of == D(2026, 3, 15)
    assert str(kpi.current.period) == "2026-02"  # 2026-03 has not ended on the 15th
    assert [str(r.period) for r in kpi.history] == ["2026-01", "2026-02"]


def test_no_actual_anywhere_gives_no_as_of_and_no_data_everywhere() -> None:
    result = one_kpi(rows(("2026-01", None)), **TARGET_100)
    assert result.as_of is None
    assert result.kpis["k"].status is Status.NO_DATA
    assert result.kpis["k"].history == ()
    assert result.objectives["o"].status is Status.NO_DATA
    assert result.organization.score is None and result.organization.status is Status.NO_DATA


# -- roll-ups ----------------------------------------------------------------------------------------


def test_objective_is_the_weighted_mean_of_kpis_with_data() -> None:
    card = make_card(
        [
            make_kpi("a", weight=3, **TARGET_100),
            make_kpi("b", **TARGET_100),
            make_kpi("c", weight=5, **TARGET_100),  # no data: left out, not counted as 0
        ],
        {"a": rows(("2026-04", 110)), "b": rows(("2026-04", 90)), "c": rows(("2026-04", None))},
    )
    result = compute(card)
    # (3 * 10 + 1 * 10/3) / (3 + 1) = 8.33
    assert result.objectives["o"].score == pytest.approx((3 * 10 + 10 / 3) / 4)
    assert result.objectives["o"].status is Status.ON_TRACK


def test_stale_kpi_still_counts_in_its_objective() -> None:
    card = make_card(
        [make_kpi("a", **TARGET_100), make_kpi("b", **TARGET_100)],
        {"a": rows(("2026-01", 90)), "b": rows(("2026-06", 110))},
    )
    result = compute(card)
    assert result.kpis["a"].stale is True
    assert result.objectives["o"].score == pytest.approx((10 / 3 + 10) / 2)


def test_perspective_theme_and_organisation_roll_up() -> None:
    objectives = [
        Objective(id="o1", name="O1", perspective="customer", weight=2, themes=["t"]),
        Objective(id="o2", name="O2", perspective="customer", themes=["t"]),
        Objective(id="o3", name="O3", perspective="financial"),
        Objective(id="o4", name="O4", perspective="financial"),  # no KPI: no-data, left out
    ]
    kpis = [
        make_kpi("k1", objective="o1", **TARGET_100),
        make_kpi("k2", objective="o2", **TARGET_100),
        make_kpi("k3", objective="o3", **TARGET_100),
    ]
    actuals = {"k1": rows(("2026-04", 110)), "k2": rows(("2026-04", 85)), "k3": rows(("2026-04", 95))}
    result = compute(make_card(kpis, actuals, objectives, themes=(Theme(id="t"),)))
    o1, o2, o3 = 10, 20 / 3 - 10 / 3 * 1.5, 5  # scores of 110, 85, 95 against 100 (tol 10)
    customer = (2 * o1 + o2) / 3  # objective weights 2 and 1
    assert result.perspectives["customer"].score == pytest.approx(customer)
    assert result.themes["t"].score == pytest.approx(customer)
    assert result.perspectives["financial"].score == pytest.approx(o3)  # o4 left out
    assert result.objectives["o4"].status is Status.NO_DATA
    assert result.perspectives["internal"].status is Status.NO_DATA
    # plain mean of the perspectives with data (customer, financial), not weighted by objective count
    assert result.organization.score == pytest.approx((customer + o3) / 2)
    assert list(result.perspectives) == ["financial", "customer", "internal", "learning"]


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (20 / 3, Status.ON_TRACK),  # exactly at the goal score
        ((20 / 3 * 0.3 + 20 / 3 * 0.7) - 1e-15, Status.ON_TRACK),  # float noise below it
        (6.66, Status.AT_RISK),
        (10 / 3, Status.AT_RISK),
        (3.33, Status.OFF_TRACK),
        (None, Status.NO_DATA),
    ],
)
def test_rollup_status_thresholds(score: float | None, status: Status) -> None:
    assert rollup_status(score) is status


def test_kpi_exactly_at_goal_makes_an_on_track_objective() -> None:
    card = make_card(
        [make_kpi("a", **GROWTH), make_kpi("b", weight=0.7, **GROWTH)],
        {"a": rows(("2026-03", 82.5)), "b": rows(("2026-03", 82.5))},
    )
    assert compute(card).objectives["o"].status is Status.ON_TRACK


# -- audience (spec 8.8) -------------------------------------------------------------------------------


def restricted_card() -> Scorecard:
    return make_card(
        [make_kpi("open", **TARGET_100), make_kpi("secret", visibility="restricted", **TARGET_100)],
        {"open": rows(("2026-02", 110)), "secret": rows(("2026-05", 90))},
    )


def test_all_staff_build_is_computed_as_if_restricted_kpis_did_not_exist() -> None:
    result = compute(restricted_card())
    assert result.as_of == D(2026, 2, 28)  # secret's 2026-05 does not move the date
    assert list(result.kpis) == ["open"]
    assert [k.id for k in result.scorecard.kpis] == ["open"]
    assert result.objectives["o"].score == pytest.approx(10)  # only open's 10


def test_restricted_build_sees_every_kpi() -> None:
    result = compute(restricted_card(), audience=Audience.RESTRICTED)
    assert result.as_of == D(2026, 5, 31)
    assert result.objectives["o"].score == pytest.approx((10 + 10 / 3) / 2)


# -- initiatives ----------------------------------------------------------------------------------------


def make_initiative(**fields: Any) -> Initiative:
    return Initiative.model_validate({"id": "i", "name": "I", "objectives": ["o"]} | fields)


@pytest.mark.parametrize(
    ("fields", "late", "overdue"),
    [
        ({"end": "2026-03-31", "status": "on-track"}, True, 0),  # ends on the as-of date, not done
        ({"end": "2026-04-01"}, False, 0),
        ({"end": "2026-01-31", "status": "done"}, False, 0),
        ({}, False, 0),  # no end date
        (
            {
                "milestones": [
                    {"name": "a", "due": "2026-03-31"},
                    {"name": "b", "due": "2026-02-01", "done": True},
                    {"name": "c", "due": "2026-04-01"},
                    {"name": "d"},
                ]
            },
            False,
            1,
        ),
    ],
)
def test_initiative_late_and_overdue_milestones(fields: dict[str, Any], late: bool, overdue: int) -> None:
    card = make_card([make_kpi(**TARGET_100)], {"k": rows(("2026-03", 1))}, initiatives=(make_initiative(**fields),))
    result = compute(card).initiatives["i"]
    assert (result.late, result.overdue_milestones) == (late, overdue)


def test_nothing_is_late_without_an_as_of_date() -> None:
    card = make_card([make_kpi(**TARGET_100)], {}, initiatives=(make_initiative(end="2000-01-01"),))
    result = compute(card)
    assert result.as_of is None
    assert result.initiatives["i"].late is False


def test_matches_the_worked_figures_in_spec_section_6() -> None:
    # csat: baseline 2025-12 80, target 2026-12 90, targets 2026-06 85, tolerance 10%.
    fields = GROWTH | {"targets": [{"period": "2026-06", "value": 85}]}
    kpi = one_kpi(rows(("2026-05", 83), ("2026-06", 84)), **fields).kpis["k"]
    # 2026-06: G = 85 (explicit), R = 85 - 8.5 = 76.5, score = 20/3 + 10/3*(84-85)/8.5 = 6.2745
    assert (kpi.current.goal, kpi.current.red_flag) == (85, 76.5)
    assert round(kpi.score, 4) == 6.2745
    # 2026-05: G = 80 + 10*5/12 = 84.17, and 83 misses it
    assert round(kpi.history[0].goal, 2) == 84.17
    assert kpi.history[0].status is Status.AT_RISK


def test_default_as_of_follows_the_audience_like_compute() -> None:
    card = restricted_card()
    assert default_as_of(card) == compute(card).as_of == D(2026, 2, 28)
    assert default_as_of(card, Audience.RESTRICTED) == D(2026, 5, 31)


def test_zero_goal_problem_points_at_the_tolerance_line() -> None:
    kpi = make_kpi(baseline={"period": "2025-12", "value": -1}, target={"period": "2026-02", "value": 1})
    kpi.locate(Location("scorecard/kpis.yml", 10), {"tolerance": 17})  # tolerance written at line 17
    with pytest.raises(ValidationFailed) as failure:
        compute(make_card([kpi], {"k": rows(("2026-01", 0.5))}))  # G(2026-01) = -1 + 2*1/2 = 0
    assert [str(p) for p in failure.value.problems] == [
        "scorecard/kpis.yml:17: kpi 'k': goal for 2026-01 is 0, so a percentage tolerance is undefined; "
        "give an absolute tolerance"
    ]


def test_weekly_kpi_with_a_monthly_target_uses_the_week_holding_the_month_end() -> None:
    fields = {
        "frequency": "weekly",
        "baseline": {"period": "2026-W01", "value": 0},
        "target": {"period": "2026-01", "value": 40},  # 2026-01-31 is a Saturday in 2026-W05
    }
    # 4 weeks from W01 to W05: G(W03) = 0 + 40*2/4 = 20
    assert goal("2026-W03", **fields) == pytest.approx(20)
    assert goal("2026-W05", **fields) == 40


@pytest.mark.parametrize(
    ("direction", "actual", "goal", "gap"),
    [
        ("higher", 39.0, 42.0, (3.0, "below")),
        ("higher", 42.0, 42.0, (0.0, "")),  # exactly on goal is met, as its on-track status says
        ("lower", 5.5, 4.0, (1.5, "above")),
        ("lower", 3.0, 4.0, (0.0, "")),
        ("range", 87.5, (75.0, 85.0), (2.5, "above")),
        ("range", 70.0, (75.0, 85.0), (5.0, "below")),
        ("range", 80.0, (75.0, 85.0), (0.0, "")),
    ],
)
def test_the_gap_to_goal_is_zero_exactly_when_the_period_is_on_track(direction, actual, goal, gap) -> None:
    from generator.compute.scoring import goal_gap
    from generator.model import Direction
    from generator.periods import Period

    period = PeriodResult(Period.parse("2026-10"), actual, goal, None, None, Status.NO_DATA)
    size, side = goal_gap(period, Direction(direction))
    assert (round(size, 9), side) == gap
