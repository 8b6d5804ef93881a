"""A large synthetic organisation for benchmarks: N KPIs with M months of actuals.

``make_org(folder)`` writes a complete scorecard folder (split YAML files and
both CSV forms) that loads without errors. It is deliberately *not* a good
strategy (four KPIs per objective, hundreds of objectives), so lint has work
to do. The output is byte-identical for the same arguments: the noise comes
from a ``random.Random`` with a fixed seed, and nothing reads the clock.

Shape, for ``kpis=1000, months=36``:

* 4 perspectives, 5 themes, 250 objectives (4 KPIs each) in equal bands, each
  objective below the top band driving one or two objectives in the band above;
* 50 initiatives with three milestones each;
* most KPIs monthly (36 rows, in one long CSV per perspective); every 10th
  quarterly, every 20th weekly and every 50th yearly (one CSV per KPI);
* all three directions; data ending in December 2026.

With ``units=N`` (``--units N``) the organisation cascades (spec 9): the
same KPIs in all, spread over the root and N units in two levels (departments
under the root, teams under the departments, round-robin). Every unit
objective supports an objective of its parent; every fifth unit writes its
own perspectives (same ids), the others inherit; each parent's first monthly
KPI is consolidated (mean) from its units' first monthly KPIs, so totals are
nested two deep. ``units=0`` (the default) writes exactly what it always did.

Usage: ``python bench/make_org.py OUT_FOLDER [--kpis N] [--months M] [--units N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

import yaml

__all__ = ["KPIS_PER_OBJECTIVE", "LAST_MONTH", "make_org", "unit_plan"]

KPIS_PER_OBJECTIVE = 4
LAST_MONTH = (2026, 12)
"""The last month with data; the org's default as-of date is its last day."""

PERSPECTIVES = ("financial", "customer", "internal", "learning")
THEMES = ("efficiency", "loyalty", "growth", "quality", "people")
SEED = 20261231


def make_org(folder: Path, kpis: int = 1000, months: int = 36, units: int = 0) -> None:
    """Write a synthetic scorecard folder.

    Args:
        folder: where to write (created if needed; existing files are overwritten).
        kpis: how many KPIs (at least 1), in all units together.
        months: how many months of history each KPI gets (at least 3).
        units: how many units below the root (0: a single scorecard); each
            scorecard gets at least one KPI, so ``kpis`` must be at least ``units + 1``.

    Raises:
        ValueError: ``kpis``, ``months`` or ``units`` is out of range.
    """
    if kpis < 1 or months < 3 or units < 0 or kpis < units + 1:
        raise ValueError("make_org needs kpis >= 1, months >= 3 and 0 <= units < kpis")
    if units:
        _make_cascade(Path(folder), kpis, months, units)
        return
    folder = Path(folder)
    (folder / "kpis").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "monthly").mkdir(parents=True, exist_ok=True)
    objectives = _objectives(math.ceil(kpis / KPIS_PER_OBJECTIVE))
    kpi_specs = [_kpi(i, objectives[i // KPIS_PER_OBJECTIVE], months) for i in range(kpis)]
    _write_yaml(folder / "scorecard.yml", _main_file(objectives))
    for perspective in PERSPECTIVES:
        mine = [k for k in kpi_specs if k["_perspective"] == perspective]
        _write_yaml(folder / "kpis" / f"{perspective}.yml", [_public(k) for k in mine])
    _write_yaml(folder / "initiatives.yml", {"initiatives": _initiatives(objectives)})
    _write_actuals(folder / "data", kpi_specs, months)


# -- a cascaded organisation -----------------------------------------------------------


def unit_plan(units: int) -> list[tuple[str, str | None]]:
    """``(unit id, parent id)`` of the root and ``units`` units: about sqrt(units) departments, then teams."""
    departments = max(1, min(units, round(math.sqrt(units))))
    plan: list[tuple[str, str | None]] = [("bench-org", None)]
    plan += [(f"dept-{d:02d}", "bench-org") for d in range(departments)]
    plan += [(f"team-{t:03d}", f"dept-{t % departments:02d}") for t in range(units - departments)]
    return plan


def _make_cascade(folder: Path, kpis: int, months: int, units: int) -> None:
    plan = unit_plan(units)
    share, extra = divmod(kpis, len(plan))
    folders: dict[str, Path] = {}
    first_kpi: dict[str, int] = {}
    spans: dict[str, range] = {}
    start = 0
    for unit_id, parent in plan:
        count = share + (extra if parent is None else 0)
        spans[unit_id] = range(start, start + count)
        start += count
        folders[unit_id] = folder if parent is None else folders[parent] / "units" / unit_id
        first_kpi[unit_id] = next((i for i in spans[unit_id] if _frequency(i) == "monthly"), -1)
    children: dict[str, list[str]] = {}
    for unit_id, parent in plan:
        if parent is not None:
            children.setdefault(parent, []).append(unit_id)
    objective_counts = {u: math.ceil(len(spans[u]) / KPIS_PER_OBJECTIVE) for u, _ in plan}
    for n, (unit_id, parent) in enumerate(plan):
        sources = [f"{c}/kpi-{first_kpi[c]:05d}" for c in children.get(unit_id, []) if first_kpi[c] >= 0]
        consolidated = first_kpi[unit_id] if sources else -1
        _write_unit(
            folders[unit_id], unit_id, parent, n, spans[unit_id], months,
            supports=objective_counts[parent] if parent else 0,
            consolidate=(consolidated, sources),
        )


def _write_unit(
    folder: Path,
    unit_id: str,
    parent: str | None,
    n: int,
    span: range,
    months: int,
    *,
    supports: int,
    consolidate: tuple[int, list[str]],
) -> None:
    """One scorecard of the cascade: the single-scorecard layout, plus parent, supports and a consolidated KPI."""
    (folder / "kpis").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "monthly").mkdir(parents=True, exist_ok=True)
    objectives = _objectives(math.ceil(len(span) / KPIS_PER_OBJECTIVE))
    if parent is not None:
        for j, objective in enumerate(objectives):
            objective["supports"] = [f"{parent}/objective-{j % supports:04d}"]
    kpi_specs = [_kpi(i, objectives[k // KPIS_PER_OBJECTIVE], months) for k, i in enumerate(span)]
    consolidated, sources = consolidate
    for spec in kpi_specs:
        if spec["id"] == f"kpi-{consolidated:05d}":
            spec["consolidate"] = {"method": "mean", "from": sources}
    main = _main_file(objectives)
    main["organization"] |= {"id": unit_id, "name": f"Unit {unit_id}" if parent else "Benchmark Holdings"}
    if parent is not None:
        main["organization"]["parent"] = parent
        if n % 5:
            del main["perspectives"]  # inherited from the parent, all the way up
    _write_yaml(folder / "scorecard.yml", main)
    for perspective in PERSPECTIVES:
        mine = [k for k in kpi_specs if k["_perspective"] == perspective]
        _write_yaml(folder / "kpis" / f"{perspective}.yml", [_public(k) for k in mine])
    _write_yaml(folder / "initiatives.yml", {"initiatives": _initiatives(objectives)})
    _write_actuals(folder / "data", [k for k in kpi_specs if "consolidate" not in k], months, seed=SEED + n)


# -- YAML ---------------------------------------------------------------------------


def _main_file(objectives: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "organization": {
            "id": "bench-org",
            "name": "Benchmark Holdings",
            "vision": "A scorecard large enough to time every stage.",
            "mission": "Exercise the generator.",
        },
        "perspectives": [{"id": p, "name": p.capitalize(), "question": f"How do we do on {p}?"} for p in PERSPECTIVES],
        "themes": [{"id": t, "name": t.capitalize(), "description": f"Objectives about {t}."} for t in THEMES],
        "objectives": objectives,
    }


def _objectives(count: int) -> list[dict[str, Any]]:
    """``count`` objectives in four equal bands; each below the top drives one or two above it."""
    bands: list[list[str]] = [[] for _ in PERSPECTIVES]
    for j in range(count):
        bands[j * len(PERSPECTIVES) // count].append(f"objective-{j:04d}")
    objectives = []
    for level, band in enumerate(bands):
        above = next((b for b in reversed(bands[:level]) if b), [])  # nearest non-empty band above
        for k, objective_id in enumerate(band):
            drives = sorted({above[k % len(above)], above[(k * 7 + 3) % len(above)]}) if above else []
            objectives.append(
                {
                    "id": objective_id,
                    "name": f"Objective {objective_id[-4:]} ({PERSPECTIVES[level]})",
                    "perspective": PERSPECTIVES[level],
                    "themes": [THEMES[k % len(THEMES)]],
                    "owner": f"Owner {k % 17} (Director)",
                    "description": f"Improve *area {k}* of {PERSPECTIVES[level]} performance.",
                    "drives": drives,
                }
            )
    return objectives


def _frequency(i: int) -> str:
    if i % 50 == 49:
        return "yearly"
    if i % 20 == 19:
        return "weekly"
    if i % 10 == 9:
        return "quarterly"
    return "monthly"


def _direction(i: int) -> str:
    if i % 11 == 5:
        return "range"
    return "lower" if i % 7 == 3 else "higher"


def _kpi(i: int, objective: dict[str, Any], months: int) -> dict[str, Any]:
    frequency, direction = _frequency(i), _direction(i)
    first, last = _month_span(months)
    spec: dict[str, Any] = {
        "id": f"kpi-{i:05d}",
        "name": f"Measure {i}",
        "objective": objective["id"],
        "unit": "%" if i % 3 == 0 else "units",
        "direction": direction,
        "indicator": "leading" if i % 2 else "lagging",
        "frequency": frequency,
        "owner": f"Analyst {i % 23}",
        "source": "Synthetic",
        "formula": "Generated",
        "_perspective": objective["perspective"],
    }
    if direction == "range":
        spec |= {"range": [90, 110], "tolerance": 5}
    else:
        better = 1 if direction == "higher" else -1
        # The year before the data starts: always before the target, whatever the frequency.
        spec |= {
            "baseline": {"period": int(first[:4]) - 1, "value": 100},
            "target": {"period": last, "value": 100 + better * 20},
            "tolerance": "10%" if i % 2 else 8,
        }
    return spec


def _public(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if not k.startswith("_")}


def _initiatives(objectives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    initiatives = []
    for n in range(max(1, len(objectives) // 5)):
        linked = sorted({objectives[(n * 5) % len(objectives)]["id"], objectives[(n * 5 + 2) % len(objectives)]["id"]})
        initiatives.append(
            {
                "id": f"initiative-{n:03d}",
                "name": f"Initiative {n}",
                "objectives": linked,
                "owner": f"Lead {n % 11}",
                "start": dt.date(2026, 1, 1),
                "end": dt.date(2027, 6, 30),
                "budget": 10000 * (n + 1),
                "spent": 4000 * (n + 1),
                "progress": (n * 13) % 100,
                "status": ("on-track", "at-risk", "off-track", "not-started")[n % 4],
                "milestones": [
                    {"name": "Start", "due": dt.date(2026, 2, 1), "done": True},
                    {"name": "Halfway", "due": dt.date(2026, 9, 30), "done": n % 2 == 0},
                    {"name": "Finish", "due": dt.date(2027, 6, 30), "done": False},
                ],
            }
        )
    return initiatives


def _write_yaml(path: Path, data: Any) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(text, encoding="utf-8")


# -- CSV ----------------------------------------------------------------------------------


def _write_actuals(data: Path, kpis: list[dict[str, Any]], months: int, seed: int = SEED) -> None:
    rng = random.Random(seed)
    long_files: dict[str, list[str]] = {p: ["kpi,period,actual,comment"] for p in PERSPECTIVES}
    for spec in kpis:
        periods = _periods(spec["frequency"], months)
        values = _values(spec, len(periods), rng)
        if spec["frequency"] == "monthly":
            lines = long_files[spec["_perspective"]]
            lines += [f"{spec['id']},{p},{v}," for p, v in zip(periods, values, strict=True)]
        else:
            lines = ["period,actual"] + [f"{p},{v}" for p, v in zip(periods, values, strict=True)]
            (data / f"{spec['id']}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for perspective, lines in long_files.items():
        (data / "monthly" / f"{perspective}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _values(spec: dict[str, Any], count: int, rng: random.Random) -> list[str]:
    """A trend from 95 towards the goal with noise; some KPIs fall behind, so statuses vary."""
    direction = spec["direction"]
    drift = {"higher": 22.0, "lower": -22.0, "range": 5.0}[direction] * rng.uniform(0.6, 1.2)
    values = []
    for step in range(count):
        value = 95 + drift * step / max(1, count - 1) + rng.gauss(0, 3)
        values.append(f"{value:.2f}")
    return values


def _month_span(months: int) -> tuple[str, str]:
    year, month = LAST_MONTH
    first = year * 12 + month - 1 - (months - 1)
    return f"{first // 12:04d}-{first % 12 + 1:02d}", f"{year:04d}-{month:02d}"


def _periods(frequency: str, months: int) -> list[str]:
    """The periods of ``frequency`` covering the last ``months`` months up to :data:`LAST_MONTH`."""
    year, month = LAST_MONTH
    last_index = year * 12 + month - 1
    month_indexes = range(last_index - months + 1, last_index + 1)
    if frequency == "monthly":
        return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in month_indexes]
    if frequency == "quarterly":
        quarters = sorted({(i // 12, (i % 12) // 3 + 1) for i in month_indexes if i % 3 == 2})
        return [f"{y:04d}-Q{q}" for y, q in quarters]
    if frequency == "yearly":
        return [f"{y:04d}" for y in sorted({i // 12 for i in month_indexes if i % 12 == 11})]
    first_day = dt.date(month_indexes[0] // 12, month_indexes[0] % 12 + 1, 1)
    next_month = last_index + 1
    last_day = dt.date(next_month // 12, next_month % 12 + 1, 1) - dt.timedelta(days=1)
    return _weeks(first_day, last_day)


def _weeks(first_day: dt.date, last_day: dt.date) -> list[str]:
    """ISO weeks that start on or after ``first_day`` and end by ``last_day``."""
    monday = first_day + dt.timedelta(days=(7 - first_day.weekday()) % 7)
    weeks = []
    while monday + dt.timedelta(days=6) <= last_day:
        iso = monday.isocalendar()
        weeks.append(f"{iso.year:04d}-W{iso.week:02d}")
        monday += dt.timedelta(weeks=1)
    return weeks


def main() -> None:
    """Command line: ``python bench/make_org.py OUT [--kpis N] [--months M] [--units N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--kpis", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--units", type=int, default=0, help="units below the root (0: a single scorecard)")
    args = parser.parse_args()
    make_org(args.folder, args.kpis, args.months, args.units)


if __name__ == "__main__":
    main()
