"""How often does an arrow between unrelated KPIs come out "supported"? The evidence verdict's false-positive rate.

Runs :func:`generator.compute.evidence.arrow_evidence` (the verdict every
``drives`` arrow gets) on pairs of independent series, one cause KPI and one
effect KPI per arrow, so every supported or contradicted verdict is a false
positive:

* independent random walks (normal steps), 36 and 60 monthly periods;
* independent upward trends with independent noise around them (levels that
  correlate strongly although nothing links them), 36 and 60 periods.

Seeded (numpy ``default_rng``), so the figures are the same on every run.

Usage: ``python bench/evidence_fpr.py [--pairs 1000] [--seed 2026]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.compute.evidence import ChangeSeries, arrow_evidence  # noqa: E402
from generator.compute.results import Evidence  # noqa: E402
from generator.periods import Frequency  # noqa: E402

Generator = Callable[[np.random.Generator, int], np.ndarray]


def random_walk(rng: np.random.Generator, periods: int) -> np.ndarray:
    """Levels whose changes are independent standard normal steps."""
    return 100 + np.concatenate([[0.0], np.cumsum(rng.normal(0.0, 1.0, periods - 1))])


def noisy_trend(rng: np.random.Generator, periods: int) -> np.ndarray:
    """A steady upward trend with independent noise around it."""
    return 100 + rng.uniform(0.5, 2.0) * np.arange(periods) + rng.normal(0.0, 3.0, periods)


def verdicts(make: Generator, periods: int, pairs: int, rng: np.random.Generator) -> Counter[Evidence]:
    """The verdicts of ``pairs`` arrows between two independent series of ``periods`` monthly values."""
    counts: Counter[Evidence] = Counter()
    for _ in range(pairs):
        cause = ChangeSeries("cause", Frequency.MONTHLY, 1, np.diff(make(rng, periods)))
        effect = ChangeSeries("effect", Frequency.MONTHLY, 1, np.diff(make(rng, periods)))
        counts[arrow_evidence("a", "b", [cause], [effect]).evidence] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    print(f"{args.pairs} arrows between independent series per row (each one cause KPI, one effect KPI, lags 0-6)")
    print(f"{'series':<28}{'supported':>11}{'contradicted':>14}{'no-evidence':>13}{'false pos.':>12}{'seconds':>9}")
    for name, make in (("random walks", random_walk), ("trends + noise", noisy_trend)):
        for periods in (36, 60):
            start = time.perf_counter()
            counts = verdicts(make, periods, args.pairs, rng)
            took = time.perf_counter() - start
            wrong = counts[Evidence.SUPPORTED] + counts[Evidence.CONTRADICTED]
            print(
                f"{f'{name}, {periods} months':<28}{counts[Evidence.SUPPORTED]:>11}{counts[Evidence.CONTRADICTED]:>14}"
                f"{counts[Evidence.NO_EVIDENCE]:>13}{wrong / args.pairs:>11.1%}{took:>9.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
