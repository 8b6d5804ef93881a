"""Is the strategy working? The data's evidence for every ``drives`` arrow of the map.

An arrow ``cause -> effect`` says that moving the cause objective moves the
effect objective. For every pair of a cause KPI and an effect KPI of the same
frequency, each series is pointed the good way (a lower-is-better KPI flips its
sign) and turned into period-over-period changes: two KPIs that both trend
upward correlate in level whatever their link, their changes do not. The
effect's changes are then correlated with the cause's, the effect lagging by 0
to :data:`MAX_LAG` periods.

Method, and why:

* **Spearman's rank correlation**, with the usual t-distribution p-value
  (two-sided). KPI changes are often heavy-tailed (a restatement, a one-off
  spike makes two huge changes in a row); ranks stop one such period from
  making a link on its own, and a monotone link need not be linear.
* The t-test counts **effective** changes (Pyper and Peterman's correction for
  autocorrelation, :func:`_effective_n`): the changes of a level series with
  independent noise are negatively autocorrelated, and two such series would
  otherwise come out linked about three times as often as the level promises.
* A (pair, lag) is tested only with at least :data:`MIN_CHANGES` overlapping
  changes. A missing actual breaks the change series (no interpolation): the
  changes on both sides of a gap are not computed.
* **Holm's correction** across every (pair, lag) test of the arrow, at
  :data:`ALPHA` family-wise: a wrong "supported" is worse than none, and Holm
  holds its error rate whatever the dependence between the tests.
* Verdict: the test with the smallest adjusted p-value decides; significant
  and positive is ``supported`` (its lag reported), significant and negative
  ``contradicted``; nothing significant is ``no-evidence``; no test with
  enough data is ``insufficient-data``.
* Pairs of **different frequencies** are skipped (they cannot be aligned
  period by period without inventing values). **Range KPIs** are skipped:
  "more is better" does not hold for them, so a positive link has no meaning.
* Only history up to the as-of date is used (the KPI results hold exactly that).

Every lag of every pair of every arrow is correlated in a few vectorised
batches (:func:`_batch_correlations`), so the 1,000-KPI benchmark organisation
(368 arrows, 27,700 tests) takes about 0.2 s. scipy gives the t distribution.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from generator.compute.results import ChangePoint, Evidence, KpiResult, LinkEvidence, LinkTest
from generator.model import Direction, Scorecard
from generator.periods import Frequency, Period

__all__ = [
    "ALPHA",
    "MAX_LAG",
    "MIN_CHANGES",
    "ChangeSeries",
    "arrow_evidence",
    "change_series",
    "holm",
    "lag_correlations",
    "link_evidences",
]

MAX_LAG = 6
"""The effect may lag the cause by 0 to this many periods."""

MIN_CHANGES = 12
"""Overlapping changes a (pair, lag) needs to be tested."""

ALPHA = 0.05
"""Family-wise error rate per arrow (Holm)."""


@dataclass(frozen=True)
class ChangeSeries:
    """A KPI's period-over-period changes, pointed the good way.

    ``values[i]`` is the change into period ``start + i`` (from the period
    before); NaN where either period has no actual.
    """

    kpi: str
    frequency: Frequency
    start: int
    values: np.ndarray

    @property
    def stop(self) -> int:
        """One past the index of the last change."""
        return self.start + len(self.values)


def change_series(result: KpiResult) -> ChangeSeries | None:
    """The changes of a KPI's actuals up to the as-of date; None for a range KPI or under two actuals."""
    kpi = result.kpi
    if kpi.direction is Direction.RANGE:
        return None
    rows = [(row.period.index, row.actual) for row in result.history if row.actual is not None]
    if len(rows) < 2:
        return None
    first = rows[0][0]
    levels = np.full(rows[-1][0] - first + 1, np.nan)
    for index, value in rows:
        levels[index - first] = value
    if kpi.direction is Direction.LOWER:
        levels = -levels
    return ChangeSeries(kpi.id, kpi.frequency, first + 1, np.diff(levels))


def _aligned(cause: ChangeSeries, effect: ChangeSeries, max_lag: int) -> tuple[int, np.ndarray, np.ndarray] | None:
    """Both series on one grid of cause periods: ``x[t]`` and ``y[t]`` hold the changes of period ``start + t``.

    The grid runs over the cause's periods, extended by ``max_lag`` so every
    lagged effect change falls inside ``y``. None when the two cannot overlap.
    """
    start = max(cause.start, effect.start - max_lag)
    stop = min(cause.stop, effect.stop)
    if stop - start < 1:
        return None
    length = stop - start + max_lag
    x = np.full(length, np.nan)
    y = np.full(length, np.nan)
    x_lo, x_hi = max(start, cause.start), min(stop, cause.stop)
    x[x_lo - start : x_hi - start] = cause.values[x_lo - cause.start : x_hi - cause.start]
    y_lo, y_hi = max(start, effect.start), min(start + length, effect.stop)
    y[y_lo - start : y_hi - start] = effect.values[y_lo - effect.start : y_hi - effect.start]
    return start, x, y


def lag_correlations(x: np.ndarray, y: np.ndarray, max_lag: int = MAX_LAG) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spearman's r of ``x[t]`` against ``y[t + lag]`` for every lag ``0..max_lag``.

    Args:
        x: the cause's changes (NaN where missing).
        y: the effect's changes on the same grid of periods.
        max_lag: the largest lag.

    Returns:
        ``(r, n, p)`` arrays indexed by lag: the correlation (0 when either side is
        constant), the number of overlapping changes, the two-sided p-value (1 when
        ``n < 3`` or a side is constant).
    """
    r, n, p = _batch_correlations(x[None, :], y[None, :], max_lag)
    return r[0], n[0], p[0]


def _batch_correlations(
    x: np.ndarray, y: np.ndarray, max_lag: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`lag_correlations` for many pairs at once: ``x`` and ``y`` are ``(pairs, periods)``.

    Every lag of every pair becomes one row; ranks come from one vectorised
    ``scipy.stats.rankdata`` call (ties share their mean rank, NaN left out), so
    the cost is a few array operations whatever the number of arrows.

    Returns:
        ``(r, n, p)``, each ``(pairs, max_lag + 1)``.
    """
    pairs, length = x.shape
    lags = max_lag + 1
    xs = np.full((pairs, lags, length), np.nan)
    ys = np.full((pairs, lags, length), np.nan)
    for lag in range(min(lags, length)):
        xs[:, lag, : length - lag] = x[:, : length - lag]
        ys[:, lag, : length - lag] = y[:, lag:]
    mask = np.isfinite(xs) & np.isfinite(ys)
    n = mask.sum(axis=2)
    rx = _masked_ranks(xs, mask)
    ry = _masked_ranks(ys, mask)
    mean = (n + 1) / 2  # the mean of ranks 1..n, ties or not
    dx = np.where(mask, rx - mean[..., None], 0.0)
    dy = np.where(mask, ry - mean[..., None], 0.0)
    sxy, sxx, syy = (dx * dy).sum(axis=2), (dx * dx).sum(axis=2), (dy * dy).sum(axis=2)
    defined = (sxx > 0) & (syy > 0) & (n >= 3)
    r = np.where(defined, sxy / np.sqrt(np.where(defined, sxx * syy, 1.0)), 0.0)
    r = np.clip(r, -1.0, 1.0)
    n_eff = _effective_n(x, y, n)
    return r, n, _p_values(r, n_eff, defined & (n_eff > 2))


def _effective_n(x: np.ndarray, y: np.ndarray, n: np.ndarray) -> np.ndarray:
    """How many independent changes ``n`` autocorrelated changes are worth (Pyper and Peterman 1998).

    ``1 / n_eff = 1 / n + (2 / n) * sum_j (n - j) / n * acf_x(j) * acf_y(j)`` over
    ``j = 1 .. n // 5``. Changes of a level series with independent noise are
    negatively autocorrelated (each noise value enters two changes); two such
    series correlate by chance far more often than the plain t-test allows, so
    the test is run with ``n_eff`` instead of ``n``. Never more than ``n``: a
    negative sum does not make the evidence stronger.

    Args:
        x: the cause changes of each pair, ``(pairs, periods)``; ``y`` the effect's.
        n: overlapping changes per pair and lag, ``(pairs, lags)``.
    """
    depth = max(int(n.max(initial=0)) // 5, 1)
    products = _autocorrelations(x, depth) * _autocorrelations(y, depth)  # (pairs, depth)
    lags = np.arange(1, depth + 1)
    safe_n = np.maximum(n, 1)[..., None]
    weights = np.where(lags <= safe_n // 5, (safe_n - lags) / safe_n, 0.0)  # (pairs, lags, depth)
    factor = 1.0 + 2.0 * (weights * products[:, None, :]).sum(axis=2)
    return n / np.maximum(factor, 1.0)


def _autocorrelations(values: np.ndarray, depth: int) -> np.ndarray:
    """Rank autocorrelations at lags ``1..depth`` of every row (NaN cells left out), ``(rows, depth)``."""
    present = np.isfinite(values)
    count = present.sum(axis=1)
    ranks = np.where(present, _masked_ranks(values, present), 0.0)
    # Sums and counts, not nanmean: a row with no pair of cells ``lag`` apart must not warn.
    centred = np.where(present, ranks - ((count + 1) / 2)[:, None], 0.0)
    variance = (centred * centred).sum(axis=1) / np.maximum(count, 1)
    acf = np.zeros((len(values), depth))
    with np.errstate(invalid="ignore", divide="ignore"):
        for lag in range(1, min(depth, values.shape[1] - 1) + 1):
            both = (present[:, :-lag] & present[:, lag:]).sum(axis=1)
            products = (centred[:, :-lag] * centred[:, lag:]).sum(axis=1)
            acf[:, lag - 1] = np.where((both > 0) & (variance > 0), products / np.maximum(both, 1) / variance, 0.0)
    return acf


def _masked_ranks(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average ranks (1-based; ties share their mean rank) of the masked cells along the last axis; NaN elsewhere.

    What ``scipy.stats.rankdata(..., nan_policy="omit")`` gives, at a third of its
    cost on the many short rows evidence ranks: one argsort (NaN sorts last), then
    each run of equal values takes the mean of its positions.
    """
    data = np.where(mask, values, np.nan)
    order = np.argsort(data, axis=-1, kind="stable")
    ordered = np.take_along_axis(data, order, axis=-1)
    positions = np.broadcast_to(np.arange(data.shape[-1]), data.shape)
    new_run = np.ones(data.shape, dtype=bool)
    new_run[..., 1:] = ordered[..., 1:] != ordered[..., :-1]  # NaN != NaN: each NaN its own run
    last_of_run = np.ones(data.shape, dtype=bool)
    last_of_run[..., :-1] = new_run[..., 1:]
    first = np.maximum.accumulate(np.where(new_run, positions, 0), axis=-1)
    last = np.flip(np.minimum.accumulate(np.flip(np.where(last_of_run, positions, data.shape[-1]), -1), axis=-1), -1)
    ranks = np.empty(data.shape)
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=-1)
    return np.where(mask, ranks, np.nan)


def _p_values(r: np.ndarray, n: np.ndarray, defined: np.ndarray) -> np.ndarray:
    """Two-sided p-values of correlations from the t distribution with ``n - 2`` degrees of freedom.

    The approximation ``scipy.stats.spearmanr`` uses (with ``n`` the effective
    number of changes here, a float).
    """
    df = np.maximum(n - 2.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.abs(r) * np.sqrt(df / np.maximum(1.0 - r * r, 1e-300))
    p = 2.0 * special.stdtr(df, -t)
    return np.where(defined, np.clip(p, 0.0, 1.0), 1.0)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (family-wise error control under any dependence).

    The ``k``-th smallest of ``m`` p-values is multiplied by ``m - k + 1``; the
    adjusted values are made non-decreasing in that order and capped at 1.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


_Pair = tuple[ChangeSeries, ChangeSeries]
_Test = tuple[int, int, float, float]  # lag, n, r, p

_BATCH = 2048
"""Pairs correlated per vectorised call (bounds the memory of the rank arrays)."""


def _pair_tests(pairs: Sequence[_Pair]) -> list[list[_Test]]:
    """Every lag with enough changes of every pair, computed in batches of equal grid length."""
    grids = [_aligned(cause, effect, MAX_LAG) for cause, effect in pairs]
    found: list[list[_Test]] = [[] for _ in pairs]
    by_length: dict[int, list[int]] = {}
    for i, grid in enumerate(grids):
        # A pair with fewer changes on either side than a test needs is never tested.
        if grid is not None and min(np.isfinite(grid[1]).sum(), np.isfinite(grid[2]).sum()) >= MIN_CHANGES:
            by_length.setdefault(len(grid[1]), []).append(i)
    for indices in by_length.values():
        for chunk in range(0, len(indices), _BATCH):
            batch = indices[chunk : chunk + _BATCH]
            x = np.stack([grids[i][1] for i in batch])  # type: ignore[index]
            y = np.stack([grids[i][2] for i in batch])  # type: ignore[index]
            r, n, p = (array.tolist() for array in _batch_correlations(x, y, MAX_LAG))
            for row, i in enumerate(batch):
                found[i] = [
                    (lag, n[row][lag], r[row][lag], p[row][lag])
                    for lag in range(MAX_LAG + 1)
                    if n[row][lag] >= MIN_CHANGES
                ]
    return found


def _comparable(causes: Sequence[ChangeSeries], effects: Sequence[ChangeSeries]) -> list[_Pair]:
    """Every (cause KPI, effect KPI) pair of one frequency; mixed frequencies are skipped."""
    return [(c, e) for c in causes for e in effects if c.frequency is e.frequency and c.kpi != e.kpi]


def arrow_evidence(
    cause: str, effect: str, causes: Sequence[ChangeSeries], effects: Sequence[ChangeSeries]
) -> LinkEvidence:
    """The verdict for one arrow from the change series of its objectives' KPIs.

    Args:
        cause: the cause objective's id; ``effect`` the effect's.
        causes: the cause objective's KPIs' change series (range KPIs already left out).
        effects: the effect objective's.

    Returns:
        The evidence; pairs of different frequencies are skipped.
    """
    pairs = _comparable(causes, effects)
    return _verdict(cause, effect, pairs, _pair_tests(pairs))


def _verdict(cause: str, effect: str, pairs: Sequence[_Pair], tests: Sequence[list[_Test]]) -> LinkEvidence:
    """Holm across every test of the arrow; the smallest adjusted p-value decides."""
    raw = [(c, e, *test) for (c, e), found in zip(pairs, tests, strict=True) for test in found]
    pair_ids = tuple((c.kpi, e.kpi) for c, e in pairs)
    if not raw:
        return LinkEvidence(cause, effect, Evidence.INSUFFICIENT_DATA, pairs=pair_ids)
    adjusted = holm([test[5] for test in raw])
    # Smallest adjusted p first; then the stronger, the shorter lag, the earlier pair (deterministic).
    best_i = min(range(len(raw)), key=lambda i: (adjusted[i], -abs(raw[i][4]), raw[i][2], i))
    c, e, lag, n, r, p = raw[best_i]
    best = LinkTest(c.kpi, e.kpi, lag, n, r, p, adjusted[best_i])
    if best.p_adjusted < ALPHA and r != 0:
        verdict = Evidence.SUPPORTED if r > 0 else Evidence.CONTRADICTED
    else:
        verdict = Evidence.NO_EVIDENCE
    return LinkEvidence(cause, effect, verdict, best, len(raw), pair_ids, _change_points(c, e, lag), c.frequency)


def _change_points(cause: ChangeSeries, effect: ChangeSeries, lag: int) -> tuple[ChangePoint, ...]:
    """The aligned changes of one pair at one lag, oldest first (what a chart of the link draws)."""
    periods = np.arange(cause.start, cause.stop)
    j = periods + lag - effect.start
    inside = (j >= 0) & (j < len(effect.values))
    effects = np.full(len(periods), np.nan)
    effects[inside] = effect.values[j[inside]]
    keep = np.isfinite(cause.values) & np.isfinite(effects)
    frequency = cause.frequency
    return tuple(
        ChangePoint(Period(frequency, t), Period(frequency, t + lag), c, e)
        for t, c, e in zip(periods[keep].tolist(), cause.values[keep].tolist(), effects[keep].tolist(), strict=True)
    )


def link_evidences(scorecard: Scorecard, kpis: dict[str, KpiResult]) -> tuple[LinkEvidence, ...]:
    """The evidence for every ``drives`` arrow, objectives in scorecard order, then ``drives`` order.

    Every pair of every arrow is correlated in one batch before the verdicts.

    Args:
        scorecard: the audience's scorecard (restricted KPIs already gone for all staff).
        kpis: the KPI results of the build: only these KPIs are used.
    """
    by_objective: dict[str, list[ChangeSeries]] = {}
    for result in kpis.values():
        found = change_series(result)
        if found is not None:
            by_objective.setdefault(result.kpi.objective, []).append(found)
    arrows = [
        (objective.id, target)
        for objective in scorecard.objectives
        for target in _unique(objective.drives)
        if target != objective.id
    ]
    pairs = [_comparable(by_objective.get(cause, []), by_objective.get(effect, [])) for cause, effect in arrows]
    flat = [pair for arrow_pairs in pairs for pair in arrow_pairs]
    tests = iter(_pair_tests(flat))
    return tuple(
        _verdict(cause, effect, arrow_pairs, [next(tests) for _ in arrow_pairs])
        for (cause, effect), arrow_pairs in zip(arrows, pairs, strict=True)
    )


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))
