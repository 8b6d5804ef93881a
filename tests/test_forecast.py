"""Forecasts to the target period (``compute.forecast``): trends in generated data give the right odds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from planted import kpi, rows, scorecard
from scipy import stats

from generator.compute import compute
from generator.compute.export import scorecard_json
from generator.compute.forecast import MIN_POINTS, WINDOW
from generator.compute.results import Audience


def _card(values, first="2024-01", **fields):
    return scorecard([("grow", [])], [kpi("sales", "grow", **fields)], {"sales": rows("sales", values, first)})


def _forecast(values, first="2024-01", **fields):
    results = compute(_card(values, first, **fields))
    return results.forecasts.get("sales"), results


def test_a_steady_trend_that_will_pass_its_target_is_likely_to_hit() -> None:
    rng = np.random.default_rng(1)
    values = 100 + 2.0 * np.arange(24) + rng.normal(0, 1.0, 24)  # 2024-01 .. 2025-12
    found, results = _forecast(values, target={"period": "2026-12", "value": 150})
    assert str(found.period) == "2026-12" and found.goal == 150
    assert found.value == pytest.approx(100 + 2.0 * 35, abs=3)  # 12 months on from 146
    assert found.low < found.value < found.high
    assert found.p_hit > 0.95
    assert "sales" not in results.likely_to_miss and not found.likely_to_miss
    # The chart's projection: every month after the last actual, up to the target period.
    assert [str(p.period) for p in found.points] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert found.points[-1].value == found.value
    widths = [p.high - p.low for p in found.points]
    assert widths == sorted(widths)  # the further ahead, the less sure


def test_a_flat_series_far_from_its_target_is_likely_to_miss() -> None:
    rng = np.random.default_rng(2)
    values = 100 + rng.normal(0, 2.0, 24)
    found, results = _forecast(values, target={"period": "2026-12", "value": 150})
    assert found.value == pytest.approx(100, abs=5)
    assert found.p_hit < 0.05 and found.likely_to_miss
    assert results.likely_to_miss == ("sales",)


def test_lower_is_better_counts_meeting_the_goal_from_below() -> None:
    rng = np.random.default_rng(3)
    falling = 50 - 1.0 * np.arange(24) + rng.normal(0, 0.5, 24)
    found, _ = _forecast(falling, direction="lower", target={"period": "2026-06", "value": 25})
    assert found.value == pytest.approx(50 - 29, abs=2) and found.p_hit > 0.95
    rising = 50 + 1.0 * np.arange(24) + rng.normal(0, 0.5, 24)
    found, _ = _forecast(rising, direction="lower", target={"period": "2026-06", "value": 25})
    assert found.p_hit < 0.01


def test_interval_and_probability_match_an_independent_ols() -> None:
    rng = np.random.default_rng(4)
    values = np.round(20 + 0.5 * np.arange(18) + rng.normal(0, 1.5, 18), 2)
    found, _ = _forecast(values, target={"period": "2026-03", "value": 32})
    fit = stats.linregress(np.arange(18), values)
    x0 = 18 - 1 + 9  # 2025-06 is month 17; 2026-03 is nine months later
    residuals = values - (fit.intercept + fit.slope * np.arange(18))
    s = np.sqrt((residuals**2).sum() / 16)
    se = s * np.sqrt(1 + 1 / 18 + (x0 - 8.5) ** 2 / ((np.arange(18) - 8.5) ** 2).sum())
    value = fit.intercept + fit.slope * x0
    assert found.value == pytest.approx(value)
    assert found.high - found.value == pytest.approx(stats.t.ppf(0.9, 16) * se)
    assert found.p_hit == pytest.approx(stats.t.sf((32 - value) / se, 16))
    assert found.slope == pytest.approx(fit.slope) and found.fitted == 18


def test_p_hit_is_calibrated_on_linear_trends_with_noise() -> None:
    """Among many KPIs, the share that really meet the goal matches the mean p_hit."""
    rng = np.random.default_rng(5)
    count, history, ahead = 300, 24, 6
    kpis, actuals, hits = [], {}, []
    for i in range(count):
        slope, noise = rng.normal(0, 1), rng.uniform(0.5, 3)
        line = 100 + slope * np.arange(history + ahead)
        values = line + rng.normal(0, noise, history + ahead)
        goal = float(line[-1] + rng.normal(0, 3 * noise))
        kpis.append(kpi(f"k{i}", "grow", target={"period": "2026-06", "value": goal}))
        actuals[f"k{i}"] = rows(f"k{i}", values[:history])
        hits.append(values[-1] >= goal)
    results = compute(scorecard([("grow", [])], kpis, actuals))
    p_hit = np.array([results.forecasts[f"k{i}"].p_hit for i in range(count)])
    assert abs(p_hit.mean() - np.mean(hits)) < 0.06
    sure = p_hit > 0.8
    assert np.mean(np.array(hits)[sure]) > 0.8


def test_only_the_last_window_of_periods_is_fitted() -> None:
    values = [0.0] * 24 + [100 + 3.0 * i + (i % 2) for i in range(WINDOW)]  # flat for two years, then rising
    found, _ = _forecast(values, target={"period": "2028-12", "value": 150})
    assert found.fitted == WINDOW and str(found.first) == "2026-01"
    assert found.slope == pytest.approx(3.0, abs=0.1)


def test_gaps_are_left_out_not_filled() -> None:
    values = [10.0 + i if i % 3 else None for i in range(24)]  # every third month empty: 16 actuals
    found, _ = _forecast(values, target={"period": "2026-12", "value": 40})
    assert found.fitted == 16 and found.slope == pytest.approx(1.0)
    assert found.p_hit == 1.0  # exactly on a line: no doubt left; 10 + 35 = 45 meets 40


@pytest.mark.parametrize(
    ("values", "fields", "why"),
    [
        ([10.0] * (MIN_POINTS - 1), {}, "too few actuals"),
        ([10.0] * 24, {"target": {"period": "2025-12", "value": 20}}, "target is the current period"),
        ([10.0] * 24, {"target": {"period": "2025-06", "value": 20}}, "target in the past"),
        ([10.0] * 24, {"direction": "range", "range": [5, 15], "target": None}, "a range KPI"),
        ([None] * 24, {}, "no current value"),
    ],
)
def test_no_forecast(values, fields, why) -> None:
    found, results = _forecast(values, **fields)
    assert found is None, why
    assert scorecard_json(results)["kpis"][0]["forecast"] is None


def test_a_targets_only_kpi_aims_at_its_last_entry() -> None:
    values = 10 + 1.0 * np.arange(24)
    targets = [{"period": "2026-09", "value": 40}, {"period": "2026-Q1", "value": 30}]  # 2026-Q1 is 2026-03
    found, _ = _forecast(values, target=None, targets=targets)
    assert str(found.period) == "2026-09" and found.goal == 40


def test_only_history_up_to_the_as_of_date_is_used() -> None:
    values = 10 + 1.0 * np.arange(24)
    results = compute(_card(values, target={"period": "2026-12", "value": 100}), as_of=dt.date(2024, 12, 31))
    assert results.forecasts["sales"].fitted == 12 and len(results.forecasts["sales"].points) == 24


def test_forecast_in_scorecard_json() -> None:
    rng = np.random.default_rng(1)
    found, results = _forecast(100 + 2.0 * np.arange(24) + rng.normal(0, 1.0, 24),
                               target={"period": "2026-12", "value": 150})
    entry = scorecard_json(results)["kpis"][0]["forecast"]
    assert entry == {"period": "2026-12", "value": found.value, "low": found.low, "high": found.high,
                     "p_hit": found.p_hit}


def test_restricted_kpis_get_no_all_staff_forecast() -> None:
    rng = np.random.default_rng(2)
    card = _card(100 + rng.normal(0, 2.0, 24), target={"period": "2026-12", "value": 150}, visibility="restricted")
    staff = compute(card)
    assert staff.forecasts == {} and staff.likely_to_miss == ()
    full = compute(card, audience=Audience.RESTRICTED)
    assert full.likely_to_miss == ("sales",)
