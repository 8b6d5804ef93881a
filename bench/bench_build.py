"""How long a whole portal build takes, beside MkDocs alone building as many trivial pages.

Usage: ``.venv/bin/python bench/bench_build.py [--kpis N] [--months M] [--units U] [--runs R] [--keep DIR]``

Generates an organisation of N KPIs (default 1,000, 36 months of data) with
:func:`bench.make_org.make_org` into a temporary project folder, then, in the same run:

* **cold**: the whole build (check, compute, render, MkDocs) in a fresh process, with an
  empty chart cache and no docs folder, as ``make portal`` would run it;
* **one CSV**: the whole build again after one row of one CSV file changed;
* **MkDocs alone**: ``mkdocs build`` over trivial pages, one per page of the real build,
  at the same paths, with the same nav and the same generated ``mkdocs.yml`` (theme,
  features, plugins, Markdown extensions).

Each of the three runs R times (default 2), interleaved (cold, MkDocs alone, one CSV, then
again, each cold build in a fresh project folder, each MkDocs run into a new site folder),
so that all three see the machine in the same state: on a shared machine timings drift by
tens of percent within a minute. Nothing is deleted right before a cold build or MkDocs
alone in the first run (the rebuild deletes the site it replaces, as it does for real). The
ratios are each run's seconds against the fastest MkDocs alone; a target is met when the
fastest run of a build is within it (best against best, as ``timeit`` takes the minimum).

It prints the seconds of each, the ratios to MkDocs alone (targets: cold <= 4x, one-CSV
rebuild <= 2.5x), the seconds spent rendering (pages, charts, deck: one batch of jobs) and
in the site engine (MkDocs), and the peak memory (resident set) of each build: the build
process itself and the largest of its child processes (forked workers). Each build runs in its own process, so
imports count and one build's memory does not hide another's.

A script, not a test: timings depend on the machine.

With ``--units U`` (e.g. 49) the same runs are made twice: for the single organisation,
then for a cascaded one of as many KPIs over the root and U units
(:func:`bench.make_org.make_org` with ``units``: every unit's full portal, the overview,
alignment views and consolidated totals), each against MkDocs alone over as many trivial
pages as that build wrote, with the same columns.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.make_org import make_org  # noqa: E402

COLD_TARGET = 4.0
REBUILD_TARGET = 2.5


@dataclass(frozen=True)
class Run:
    """One timed process: wall seconds and peak resident memory in MiB."""

    label: str
    seconds: float
    cpu_seconds: float = 0.0
    rss_main_mib: float = 0.0
    rss_worker_mib: float = 0.0
    stages: tuple[tuple[str, float], ...] = ()


def make_project(folder: Path) -> Path:
    """A project folder using this checkout's look, with its own build/ and .cache/."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "theme", "content"):
        (folder / name).symlink_to(ROOT / name)
    return folder


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


# -- the child processes ------------------------------------------------------------------


def _child_build(scorecard: Path, project: Path) -> None:
    """Build the whole portal in this process as ``make portal`` does; print its peak memory and two stages' seconds.

    Through the command line's own functions, the process's end included (:func:`generator.cli.finish`).
    """
    from generator import cli, render
    from generator.publish import site

    stages: dict[str, float] = {}
    # Pages, charts, the deck and scorecard.json are one batch of jobs (forked workers share them).
    _time_calls(render, "gather", "render (pages, charts, deck)", stages)
    _time_calls(site, "build_site", "site engine", stages)
    code = cli.main(["build", str(scorecard), "--site-dir", str(project / "site")])
    if code != cli.EXIT_OK:
        raise SystemExit(f"the build failed (exit {code})")
    _print_memory(stages)
    cli.finish(code)


def _time_calls(module: Any, name: str, label: str, stages: dict[str, float]) -> None:
    """Add the seconds spent in ``module.name`` to ``stages[label]`` (skipped if it has gone)."""
    function = getattr(module, name, None)
    if function is None:
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            stages[label] = stages.get(label, 0.0) + time.perf_counter() - start

    setattr(module, name, timed)


def _print_memory(stages: dict[str, float] | None = None) -> None:
    # Linux reports kilobytes; RUSAGE_CHILDREN is the largest reaped child (a chart worker, git).
    kib = 1024.0
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the build and its workers: steadier than wall time on a shared machine.
    cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    print(json.dumps({"rss_main_mib": me.ru_maxrss / kib, "rss_worker_mib": children.ru_maxrss / kib,
                      "cpu": cpu, "stages": stages or {}}))


def run_child(label: str, *args: str, cwd: Path | None = None) -> Run:
    """Run this script in a child mode (in ``cwd``) and time it from the outside (imports included)."""
    start = time.perf_counter()
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stdout}\n{done.stderr}")
    memory = json.loads(done.stdout.strip().splitlines()[-1])
    stages = tuple(sorted(memory.get("stages", {}).items()))
    return Run(label, seconds, memory["cpu"], memory["rss_main_mib"], memory["rss_worker_mib"], stages)


# -- MkDocs alone over trivial pages -------------------------------------------------------


def generated_config(project: Path) -> Path:
    """The mkdocs.yml the real build wrote beside its docs folder."""
    configs = sorted((project / "build").glob("*/mkdocs.yml"))
    if not configs:
        raise SystemExit(f"no generated mkdocs.yml under {project / 'build'}")
    return configs[0]


def trivial_project(project: Path, target: Path) -> tuple[Path, int]:
    """Trivial pages at every path of the real docs folder, and a copy of its config pointing at them.

    Stylesheets and scripts of the docs folder are copied (the config may name them);
    every Markdown page becomes a heading and a sentence. Returns the config and the
    number of pages.
    """
    config_path = generated_config(project)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    docs = Path(config["docs_dir"])
    trivial_docs = target / "docs"
    pages = 0
    for source in sorted(docs.rglob("*")):
        if not source.is_file():
            continue
        out = trivial_docs / source.relative_to(docs)
        if source.suffix == ".md":
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f"# {source.stem.replace('-', ' ').capitalize()}\n\nA trivial page.\n", encoding="utf-8")
            pages += 1
        elif source.suffix in (".css", ".js"):
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, out)
    config["docs_dir"] = str(trivial_docs)
    config["site_dir"] = str(target / "site")
    trivial_config = target / "mkdocs.yml"
    trivial_config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return trivial_config, pages


def site_config(config: Path, site: str) -> Path:
    """A copy of the trivial project's config that builds into ``site`` beside it."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["site_dir"] = str(config.parent / site)
    copy = config.with_name(f"mkdocs-{site}.yml")
    copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return copy


def _child_mkdocs(config: Path) -> None:
    """``mkdocs build`` in this process, as the portal's build runs it; print peak memory."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(config)))
    _print_memory()


# -- the report ------------------------------------------------------------------------------


def report(builds: list[Run], mkdocs: list[Run], pages: int, kpis: int, months: int, units: int = 0) -> None:
    """Print every run's figures, then for each build its best run against the best MkDocs alone and the target."""
    reference = min(r.seconds for r in mkdocs)
    cpu_reference = min(r.cpu_seconds for r in mkdocs)
    shape = f"cascaded over 1 + {units} units" if units else "a single scorecard"
    print(f"portal build, {kpis} KPIs x {months} months, {shape}, {pages} pages")
    print(f"{'run':<26} {'seconds':>8} {'CPU s':>6} {'x MkDocs':>9} {'x CPU':>6} {'peak MiB (main / child)':>25}")
    for run in builds + mkdocs:
        print(f"{run.label:<26} {run.seconds:>8.1f} {run.cpu_seconds:>6.1f} {run.seconds / reference:>9.2f}"
              f" {run.cpu_seconds / cpu_reference:>6.2f} {run.rss_main_mib:>12.0f} / {run.rss_worker_mib:>5.0f}")
        if run.stages:
            print("    of which " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run.stages))
    for kind, target in (("cold build", COLD_TARGET), ("one-CSV rebuild", REBUILD_TARGET)):
        best = min(r.seconds for r in builds if r.label.startswith(kind))
        ratio = best / reference
        print(f"{kind}: best {best:.1f} s against MkDocs alone's best {reference:.1f} s = {ratio:.2f}x"
              f" (target <= {target:g}x: {'ok' if ratio <= target else 'MISSED'})")


def bench_one(work: Path, kpis: int, months: int, units: int, runs: int = 2) -> None:
    """Cold build, MkDocs alone and one-CSV rebuild, ``runs`` times interleaved, for one generated organisation."""
    builds: list[Run] = []
    mkdocs: list[Run] = []
    config, pages = None, 0
    for n in range(1, runs + 1):
        project = make_project(work / f"project-{n}")
        scorecard = project / "scorecard"
        make_org(scorecard, kpis=kpis, months=months, units=units)  # the same organisation every time (seeded)
        # In the project folder, as make portal runs: the command line takes the current folder's look and build/.
        builds.append(run_child(f"cold build, run {n}", "build", str(scorecard), str(project), cwd=project))
        if config is None:
            config, pages = trivial_project(project, work / "trivial")
        # Each MkDocs run writes a new folder, nothing deleted just before it: on some file systems
        # (this VM's) creating files right after deleting many costs several times as much.
        mkdocs.append(run_child(f"MkDocs alone, run {n}", "mkdocs", str(site_config(config, f"site-{n}"))))
        change_one_csv(scorecard)
        builds.append(run_child(f"one-CSV rebuild, run {n}", "build", str(scorecard), str(project), cwd=project))
    report(builds, mkdocs, pages, kpis, months, units)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, *rest = sys.argv[2:]
        if mode == "build":
            _child_build(Path(rest[0]), Path(rest[1]))
        else:
            _child_mkdocs(Path(rest[0]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kpis", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--units", type=int, default=0,
                        help="also benchmark a cascaded organisation of as many KPIs over the root and this many units")
    parser.add_argument("--runs", type=int, default=2, help="runs of each build and of MkDocs alone (interleaved)")
    parser.add_argument("--keep", type=Path, help="build here and keep the result (else a temp folder)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        shapes = [0, args.units] if args.units else [0]
        for units in shapes:
            if units != shapes[0]:
                print()
            bench_one(work / f"units-{units}", args.kpis, args.months, units, max(1, args.runs))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
