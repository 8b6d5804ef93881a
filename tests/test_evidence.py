"""Evidence for the map's arrows (``compute.evidence``): planted links in generated data give the right verdicts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from planted import kpi, lagged_effect, random_walk, rows, scorecard
from scipy import stats

from generator.compute import compute
from generator.compute.evidence import (
    ChangeSeries,
    _effective_n,
    _masked_ranks,
    arrow_evidence,
    holm,
    lag_correlations,
)
from generator.compute.export import scorecard_json
from generator.compute.results import Audience, Evidence
from generator.periods import Frequency

ARROW = [("cause", ["effect"]), ("effect", [])]


def _link(card, **kwargs):
    results = compute(card, **kwargs)
    assert len(results.links) == 1
    return results.links[0], results


def _pair_card(cause_values, effect_values, *, effect_fields=None, cause_fields=None):
    return scorecard(
        ARROW,
        [kpi("training", "cause", **(cause_fields or {})), kpi("quality", "effect", **(effect_fields or {}))],
        {"training": rows("training", cause_values), "quality": rows("quality", effect_values)},
    )


def test_a_lagged_link_is_found_at_its_lag() -> None:
    rng = np.random.default_rng(7)
    cause = random_walk(rng, 36)
    effect = lagged_effect(cause, lag=2, slope=0.8, noise=0.5, rng=rng)
    link, _ = _link(_pair_card(cause, effect))
    assert link.evidence is Evidence.SUPPORTED
    assert (link.best.cause_kpi, link.best.effect_kpi, link.best.lag) == ("training", "quality", 2)
    assert link.best.r > 0.5 and link.best.p_adjusted < 0.05
    assert link.best.n == 33  # 35 changes, two lost to the lag
    # The chart's series: the effect's change two months after each cause change.
    first = link.changes[0]
    assert (str(first.cause_period), str(first.effect_period)) == ("2024-02", "2024-04")
    assert first.cause == pytest.approx(cause[1] - cause[0], abs=1e-5)  # rows keep 6 decimals
    assert first.effect == pytest.approx(effect[3] - effect[2], abs=1e-5)


def test_a_negative_link_is_contradicted() -> None:
    rng = np.random.default_rng(11)
    cause = random_walk(rng, 36)
    effect = lagged_effect(cause, lag=0, slope=-0.9, noise=0.5, rng=rng)
    link, _ = _link(_pair_card(cause, effect))
    assert link.evidence is Evidence.CONTRADICTED
    assert link.best.lag == 0 and link.best.r < -0.5


def test_a_lower_is_better_effect_is_turned_the_good_way() -> None:
    """Defects fall as training rises: raw changes correlate negatively, which supports the arrow."""
    rng = np.random.default_rng(3)
    cause = random_walk(rng, 36)
    defects = lagged_effect(cause, lag=1, slope=-0.8, noise=0.5, rng=rng)
    lower = {"direction": "lower", "target": {"period": "2030-12", "value": 1}}
    link, _ = _link(_pair_card(cause, defects, effect_fields=lower))
    assert link.evidence is Evidence.SUPPORTED and link.best.lag == 1
    # The same numbers with a higher-is-better effect contradict the arrow.
    link, _ = _link(_pair_card(cause, defects))
    assert link.evidence is Evidence.CONTRADICTED


def test_levels_that_trend_together_without_linked_changes_are_no_evidence() -> None:
    rng = np.random.default_rng(5)
    months = np.arange(36)
    cause = 100 + 2.0 * months + rng.normal(0, 3, 36)
    effect = 40 + 1.5 * months + rng.normal(0, 3, 36)
    assert stats.pearsonr(cause, effect).statistic > 0.9  # the levels correlate strongly
    link, _ = _link(_pair_card(cause, effect))
    assert link.evidence is Evidence.NO_EVIDENCE
    assert link.tests == 7 and link.best is not None and link.best.p_adjusted >= 0.05


def test_too_short_series_are_insufficient_data() -> None:
    rng = np.random.default_rng(1)
    cause = random_walk(rng, 12)  # 11 changes: one short of a test
    link, _ = _link(_pair_card(cause, lagged_effect(cause, 0, 1.0, 0.1, rng)))
    assert link.evidence is Evidence.INSUFFICIENT_DATA
    assert link.best is None and link.tests == 0 and link.pairs == (("training", "quality"),)


def test_a_missing_value_breaks_the_changes_instead_of_being_interpolated() -> None:
    rng = np.random.default_rng(2)
    cause = random_walk(rng, 14)
    effect = lagged_effect(cause, 0, 1.0, 0.1, rng)
    whole, _ = _link(_pair_card(cause, effect))
    assert whole.best.n == 13 and whole.evidence is Evidence.SUPPORTED
    # One empty cell costs the two changes around it: 11 left, not enough for a test.
    gappy = [None if i == 7 else v for i, v in enumerate(effect)]
    broken, _ = _link(_pair_card(cause, gappy))
    assert broken.evidence is Evidence.INSUFFICIENT_DATA


def test_only_history_up_to_the_as_of_date_counts() -> None:
    rng = np.random.default_rng(7)
    cause = random_walk(rng, 36)
    card = _pair_card(cause, lagged_effect(cause, 2, 0.8, 0.5, rng))
    link, _ = _link(card, as_of=dt.date(2024, 12, 31))  # 12 months: 11 changes
    assert link.evidence is Evidence.INSUFFICIENT_DATA


def test_pairs_of_different_frequencies_and_range_kpis_are_skipped() -> None:
    rng = np.random.default_rng(4)
    cause = random_walk(rng, 36)
    quarterly = scorecard(
        ARROW,
        [kpi("training", "cause"), kpi("nps", "effect", frequency="quarterly"),
         kpi("temp", "effect", direction="range", range=[0, 200], target=None)],
        {"training": rows("training", cause), "nps": rows("nps", random_walk(rng, 12), first="2024-Q1"),
         "temp": rows("temp", cause)},
    )
    link, _ = _link(quarterly)
    assert link.evidence is Evidence.INSUFFICIENT_DATA and link.pairs == ()


def test_the_best_of_several_pairs_is_reported() -> None:
    rng = np.random.default_rng(9)
    cause = random_walk(rng, 48)
    card = scorecard(
        ARROW,
        [kpi("noise-a", "cause"), kpi("training", "cause"), kpi("noise-b", "effect"), kpi("quality", "effect")],
        {
            "noise-a": rows("noise-a", random_walk(rng, 48)),
            "training": rows("training", cause),
            "noise-b": rows("noise-b", random_walk(rng, 48)),
            "quality": rows("quality", lagged_effect(cause, 3, 0.8, 0.5, rng)),
        },
    )
    link, _ = _link(card)
    assert link.evidence is Evidence.SUPPORTED
    assert (link.best.cause_kpi, link.best.effect_kpi, link.best.lag) == ("training", "quality", 3)
    assert link.tests == 4 * 7


def test_restricted_kpis_never_enter_the_all_staff_evidence() -> None:
    rng = np.random.default_rng(7)
    cause = random_walk(rng, 36)
    card = _pair_card(cause, lagged_effect(cause, 2, 0.8, 0.5, rng), cause_fields={"visibility": "restricted"})
    staff, results = _link(card)
    assert staff.evidence is Evidence.INSUFFICIENT_DATA and staff.pairs == ()
    assert "training" not in str(scorecard_json(results)["links"])
    full, _ = _link(card, audience=Audience.RESTRICTED)
    assert full.evidence is Evidence.SUPPORTED and full.best.cause_kpi == "training"


def test_links_in_scorecard_json() -> None:
    rng = np.random.default_rng(7)
    cause = random_walk(rng, 36)
    results = compute(_pair_card(cause, lagged_effect(cause, 2, 0.8, 0.5, rng)))
    (entry,) = scorecard_json(results)["links"]
    best = results.links[0].best
    assert entry == {
        "from": "cause", "to": "effect", "evidence": "supported", "lag": 2, "r": best.r, "n": 33,
        "p": best.p_adjusted, "pair": ["training", "quality"], "frequency": "monthly", "tests": 7,
        "org_unit": "planted",
    }


def test_lag_correlations_agree_with_scipy_spearman() -> None:
    rng = np.random.default_rng(0)
    x = np.round(rng.normal(size=40), 1)  # rounding makes ties
    y = np.round(rng.normal(size=40), 1)
    x[5] = y[10] = np.nan
    r, n, p = lag_correlations(x, y, 6)
    for lag in range(7):
        a, b = x[: 40 - lag], y[lag:]
        keep = np.isfinite(a) & np.isfinite(b)
        expected = stats.spearmanr(a[keep], b[keep])
        assert n[lag] == keep.sum()
        assert r[lag] == pytest.approx(expected.statistic)
        # The p-value counts effective changes (never more than n), so it is never below scipy's.
        assert p[lag] >= expected.pvalue - 1e-12


def test_ranks_agree_with_scipy_rankdata() -> None:
    rng = np.random.default_rng(8)
    values = np.round(rng.normal(size=(40, 7, 30)), 1)  # many ties
    mask = rng.random(values.shape) > 0.2
    expected = stats.rankdata(np.where(mask, values, np.nan), axis=-1, nan_policy="omit")
    got = _masked_ranks(values, mask)
    assert np.array_equal(np.isnan(got), ~mask) and np.allclose(got[mask], expected[mask])


def test_autocorrelated_changes_count_as_fewer_changes() -> None:
    """Changes of white noise share every noise value with a neighbour: two such series are worth n / 1.5."""
    rng = np.random.default_rng(12)
    x = np.diff(rng.normal(size=(50, 401)), axis=1)
    y = np.diff(rng.normal(size=(50, 401)), axis=1)
    n = np.full((50, 1), 400)
    assert np.median(_effective_n(x, y, n)) == pytest.approx(400 / 1.5, rel=0.1)
    walks = rng.normal(size=(50, 400))  # independent steps: no correction beyond noise
    assert np.median(_effective_n(walks, rng.normal(size=(50, 400)), n)) > 0.9 * 400


def test_holm_adjusts_step_down() -> None:
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> kept non-decreasing: 0.06
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.9, 0.8]) == [1.0, 1.0]


def test_independent_random_walks_rarely_come_out_linked() -> None:
    """The false-positive rate stays near the 5 % family-wise level Holm promises (bench/evidence_fpr.py)."""
    rng = np.random.default_rng(2026)
    verdicts = []
    for _ in range(300):
        cause = ChangeSeries("a", Frequency.MONTHLY, 1, np.diff(random_walk(rng, 36)))
        effect = ChangeSeries("b", Frequency.MONTHLY, 1, np.diff(random_walk(rng, 36)))
        verdicts.append(arrow_evidence("x", "y", [cause], [effect]).evidence)
    linked = sum(v in (Evidence.SUPPORTED, Evidence.CONTRADICTED) for v in verdicts)
    assert linked <= 0.08 * len(verdicts)
