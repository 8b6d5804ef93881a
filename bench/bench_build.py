"""How long a full portal build takes, split between our generator and MkDocs.

Usage: ``.venv/bin/python bench/bench_build.py [--kpis N] [--months M] [--keep DIR]``

Generates an organisation of N KPIs (default 1,000, 36 months of data) with
:func:`bench.make_org.make_org` into a temporary project folder, then times three builds:

* cold: empty chart cache, empty docs folder;
* warm: the same input again, nothing changed;
* one CSV: one row of one CSV file changed.

For each it prints the generator's own time (check + compute + provenance + render), MkDocs's
time (:func:`generator.publish.site.build_site`) and their ratio, then the bytes of the map
SVG, of the largest KPI page and of the whole site. Goals: cold generator time <= MkDocs
time; one-CSV rebuild generator time <= 0.25 x MkDocs time. A script, not a test: timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.make_org import make_org  # noqa: E402
from generator.pipeline import prepare  # noqa: E402
from generator.publish.site import build_site  # noqa: E402


@dataclass(frozen=True)
class Timing:
    """One build: seconds spent in our code and in MkDocs."""

    label: str
    generator: float
    mkdocs: float

    @property
    def ratio(self) -> float:
        return self.generator / self.mkdocs if self.mkdocs else float("inf")


def make_project(folder: Path) -> Path:
    """A project folder using this checkout's look, with its own build/ and .cache/."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "theme", "content"):
        (folder / name).symlink_to(ROOT / name)
    return folder


def build_once(label: str, scorecard: Path, project: Path) -> Timing:
    """Build the portal as the pipeline does, timing our stages and MkDocs apart."""
    start = time.perf_counter()
    prepared = prepare(scorecard, project_root=project)
    middle = time.perf_counter()
    build_site(
        prepared.docs_dir, project / "site", project_root=project, nav=prepared.nav, extra=prepared.extra,
    )
    return Timing(label, middle - start, time.perf_counter() - middle)


def change_one_csv(scorecard: Path) -> Path:
    """Change the last value of the first CSV file (in path order); returns the file."""
    csv = sorted((scorecard / "data").rglob("*.csv"))[0]
    lines = csv.read_text(encoding="utf-8").splitlines()
    last = lines[-1].split(",")
    column = 2 if lines[0].lower().startswith("kpi") else 1
    last[column] = f"{float(last[column]) + 1:g}"
    lines[-1] = ",".join(last)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv


def sizes(project: Path) -> dict[str, int]:
    """Bytes of the map SVG (home page), the largest KPI page and the whole site."""
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    maps = re.findall(r'<div class="sp-map[^"]*"[^>]*>.*?</svg>', home, flags=re.S)
    kpi_pages = [p.stat().st_size for p in (site / "kpis").glob("*/index.html")]
    return {
        "map SVG": len(maps[0].encode("utf-8")) if maps else 0,
        "largest KPI page": max(kpi_pages, default=0),
        "whole site": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
    }


def report(timings: list[Timing], measured: dict[str, int], kpis: int, months: int) -> None:
    """Print the figures and whether the goals are met."""
    print(f"portal build, {kpis} KPIs x {months} months")
    print(f"{'build':<10} {'generator s':>12} {'MkDocs s':>10} {'ratio':>7}")
    for t in timings:
        print(f"{t.label:<10} {t.generator:>12.2f} {t.mkdocs:>10.2f} {t.ratio:>7.2f}")
    for name, value in measured.items():
        print(f"{name:<18} {value:>12,} bytes")
    cold, one_csv = timings[0], timings[-1]
    print(f"goal cold generator <= MkDocs:            {'met' if cold.ratio <= 1 else 'MISSED'}")
    print(f"goal one-CSV generator <= 0.25 x MkDocs:  {'met' if one_csv.ratio <= 0.25 else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kpis", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--keep", type=Path, help="build here and keep the result (else a temp folder)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        project = make_project(work / "project")
        scorecard = project / "scorecard"
        make_org(scorecard, kpis=args.kpis, months=args.months)
        timings = [build_once("cold", scorecard, project), build_once("warm", scorecard, project)]
        change_one_csv(scorecard)
        timings.append(build_once("one CSV", scorecard, project))
        report(timings, sizes(project), args.kpis, args.months)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
