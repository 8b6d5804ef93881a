"""The render stage: computed results in, the files of a docs folder out.

Three steps, one module each:

* :mod:`.pages` (the page registry) turns one unit's results into its pages:
  view models (:mod:`.pages.builders`) laid out by the templates of ``templates/``
  through the one Jinja environment (:mod:`.jinja`), plus each KPI's chart as an
  SVG file beside its page, and the unit's nav tree;
* :func:`gather` adds ``scorecard.json``, ``provenance.json``, present mode and the
  town-hall deck (:mod:`.present`, :mod:`.deck`, from the stories the pipeline computed),
  extra pages (provenance, what changed) and the hand-written pages of ``content/``, and
  builds the nav;
* :mod:`.writer` syncs those files into the docs folder (write-if-changed, stale
  files removed, ``content/`` never written).

:func:`render` does all three. The same results give byte-identical files.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.compute.export import dump_json, scorecard_json
from generator.compute.results import Results
from generator.compute.story import Story
from generator.render import writer
from generator.render.charts.cache import ChartCache
from generator.render.pages import Art, ChartFile, MapFile, PageJob, Paths, page_jobs, page_paths, unit_nav
from generator.render.pages import units as unit_tree_pages
from generator.workers import cpu_count, fork_map

__all__ = ["Gathered", "Rendered", "gather", "render"]

log = logging.getLogger(__name__)

PRESENT_PLAN = "present.yml"
"""The presenter's curating file in ``content/``: read by load, never published."""


@dataclass(frozen=True)
class Rendered:
    """What :func:`render` produced.

    Attributes:
        nav: the site's nav (``{title: path}`` / ``{title: [...]}`` entries and bare
            paths). Titles are our own words, never user text: a page whose title is a
            name is listed by its bare path and titled from its escaped ``# h1``.
        pages: every file path written under the docs folder, sorted.
    """

    nav: list
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Gathered:
    """Every file of a docs folder (docs path -> bytes) and the site's nav."""

    files: dict[str, bytes]
    nav: list


def render(results: Results, docs_dir: Path, *, content_dir: Path | None = None, **options: Any) -> Rendered:
    """Write the whole docs folder of one build: :func:`gather`'s files, synced into ``docs_dir``.

    Args:
        results: the computed build.
        docs_dir: the generated docs folder; it belongs to the generator, and files in
            it that this build does not produce are removed.
        content_dir: the project's hand-written pages (``content/``), never written.
        options: :func:`gather`'s other keyword options (``cache_dir``, ``extra_pages``,
            ``provenance``, ``stories``, ``site_url``).

    Returns:
        The nav and the sorted list of files written.
    """
    docs = writer.DocsWriter(docs_dir, never_write=content_dir)
    # Each job's files are written as they come back, while the workers make the rest.
    gathered = gather(results, content_dir=content_dir, on_files=docs.write, **options)
    docs.sync(gathered.files)
    return Rendered(nav=gathered.nav, pages=tuple(sorted(gathered.files)))


def gather(
    results: Results,
    *,
    content_dir: Path | None = None,
    cache_dir: Path | None = None,
    extra_pages: Mapping[str, str] | None = None,
    provenance: Mapping[str, Any] | None = None,
    stories: Mapping[str, Story] | None = None,
    site_url: str | None = None,
    workers: int | None = None,
    on_files: Callable[[dict[str, bytes]], None] | None = None,
) -> Gathered:
    """Every file of the docs folder and the nav, nothing written.

    Precedence: generated pages < extra pages (e.g. ``about/provenance.md``) <
    hand-written pages of ``content_dir`` (each override logged).

    Every page, every KPI chart the chart cache lacks, ``scorecard.json``, present mode
    and the deck is an independent job; with ``workers`` above 1 they are spread over
    that many forked processes (by default every core, once there are enough of them
    to gain from it). The files are the same bytes either way. ``on_files`` is given each
    job's files as soon as a worker made them, before the nav and overrides are settled.
    With ``cache_dir``, the chart cache's pack there is read before the jobs and written
    back after them (the one file written here).
    """
    content = _content_files(content_dir)
    stories = stories or {}
    charts = ChartCache(cache_dir) if cache_dir is not None else None  # read once, before the workers fork
    arts = [
        Art(unit, Paths() if unit is results else Paths.unit(unit.unit_id), charts, frozenset(content),
            unit.unit_id in stories, results)
        for unit in results.walk()
    ]
    # Every unit's full portal under units/<id>/, and the tree's own pages (overview, alignment).
    # They stay out of the nav (it would grow with every unit): one "Units" entry leads to them.
    generated = {path for art in arts for path in page_paths(art.results, art.paths)}
    files: dict[str, bytes] = {}
    jobs: list[Job] = []
    for art in arts:
        jobs += page_jobs(art)
        jobs += art.map_files()
        jobs += art.chart_files()
    jobs.append(functools.partial(_scorecard_json, results))
    jobs += _present_jobs(results, stories, site_url, cache_dir)
    files.update(_run(jobs, workers, on_files, charts))
    if charts is not None:
        charts.save()
    overview = unit_tree_pages.tree_pages(results)
    files.update(overview)
    generated.update(overview)
    if provenance is not None:
        files["provenance.json"] = _json_bytes(provenance)
    for path, text in sorted((extra_pages or {}).items()):
        writer.check_docs_path(path)
        _notice_override(files, path, "extra page")
        files[path] = text.encode("utf-8")
    for path, data in content.items():
        _notice_override(files, path, f"hand-written page in {content_dir}")
        files[path] = data
    extra = sorted(p for p in files if p.endswith(".md") and p not in generated)
    units_nav = [{"Units": unit_tree_pages.OVERVIEW}] if overview else []
    return Gathered(files, unit_nav(results) + units_nav + _extra_nav([p for p in extra if p != Paths().home()]))


Job = Callable[[], dict[str, bytes]]
"""One independent piece of the docs folder: a page (:class:`~.pages.PageJob`), the deck..."""

PARALLEL_FROM = 300
"""Jobs from which a build spreads them over every core: below, forking costs more than it saves."""


def _run(
    jobs: list[Job], workers: int | None, on_files: Callable[[dict[str, bytes]], None] | None,
    charts: ChartCache | None = None,
) -> dict[str, bytes]:
    """Every job's files, in job order; in forked workers when there are enough jobs.

    With ``charts``, the workers run through it (:meth:`.ChartCache.fork_map`): the charts a
    job read or drew (a chart file's, the initiatives page's timeline) reach its pack.
    """
    count = workers or (cpu_count() if len(jobs) >= PARALLEL_FROM else 1)
    run = fork_map if charts is None else charts.fork_map
    made = run(_call, jobs, count, [_cost(job) for job in jobs], on_files) or [None] * len(jobs)
    files: dict[str, bytes] = {}
    for job, done in zip(jobs, made, strict=True):
        # A job a worker could not do (it raised, or logged a warning) is done here: its error or warning shows.
        files.update(job() if done is None else done)
    return files


def _call(job: Job) -> dict[str, bytes]:
    return job()


def _cost(job: Job) -> int:
    """A job's expected cost in pages of one KPI: the deck, ``scorecard.json`` and an index page grow with the KPIs."""
    if isinstance(job, PageJob):
        return job.cost
    if isinstance(job, ChartFile):
        return 2  # read from the cache in a fraction of a page's time; drawn, in about five
    if isinstance(job, MapFile):
        return 1 + len(job.art.results.scorecard.objectives)  # the arrows' routing grows with the map
    if isinstance(job, functools.partial) and job.func in (_scorecard_json, _deck):
        return len(job.args[0].visible_kpis) if job.func is _scorecard_json else len(job.args[0].results.kpis)
    return 10


def _scorecard_json(results: Results) -> dict[str, bytes]:
    return {"scorecard.json": dump_json(scorecard_json(results)).encode("utf-8")}


def _present_jobs(
    results: Results, stories: Mapping[str, Story], site_url: str | None, cache_dir: Path | None
) -> list[Job]:
    """Present mode of every unit that has a story, and the root's deck beside its present mode.

    The deck is of the build's audience: the all-staff site carries the all-staff deck,
    a restricted build the restricted one (it is published only where restricted pages are).
    """
    jobs: list[Job] = []
    for unit in results.walk():
        unit_story = stories.get(unit.unit_id)
        if unit_story is None:
            continue
        root = unit is results
        paths = Paths() if root else Paths.unit(unit.unit_id)
        deck = paths.deck() if root else None
        jobs.append(functools.partial(_present, unit_story, paths, site_url, deck))
        if deck:
            jobs.append(functools.partial(_deck, unit_story, deck, site_url, cache_dir))
    return jobs


def _present(story: Story, paths: Paths, site_url: str | None, deck: str | None) -> dict[str, bytes]:
    from generator.render.present import present_files

    return present_files(story, paths, site_url=site_url, deck=deck)


def _deck(story: Story, path: str, site_url: str | None, cache_dir: Path | None) -> dict[str, bytes]:
    from generator.render.deck import deck_bytes  # python-pptx loads only when a deck is made

    return {path: deck_bytes(story, site_url=site_url, cache_dir=cache_dir)}


def _extra_nav(extra_pages: list[str]) -> list:
    """Hand-written pages: top-level ones alone, the rest grouped by their first folder.

    Entries are bare paths, so the site engine titles them from each page's own heading.
    A folder's ``index.md`` comes first in its group.
    """
    top: list[Any] = [p for p in extra_pages if "/" not in p]
    groups: dict[str, list[str]] = {}
    for path in extra_pages:
        if "/" in path:
            groups.setdefault(path.split("/", 1)[0], []).append(path)
    for folder in sorted(groups):
        entries = sorted(groups[folder], key=lambda p: (not p.endswith("/index.md"), p))
        top.append({_folder_title(folder): entries})
    return top


def _folder_title(folder: str) -> str:
    """A section title from a folder name the project chose (letters, digits, - and _ only)."""
    words = "".join(c if c.isalnum() else " " for c in folder)
    return " ".join(words.split()).capitalize() or "Pages"


def _json_bytes(data: Mapping[str, Any]) -> bytes:
    # Insertion order is the provenance collector's (deterministic); dates become ISO text.
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return (text + "\n").encode("utf-8")


def _notice_override(files: Mapping[str, bytes], path: str, source: str) -> None:
    if path in files:
        log.info("%s: the %s replaces the generated page", path, source)


def _content_files(content_dir: Path | None) -> dict[str, bytes]:
    """Every file under ``content_dir`` (hidden ones skipped), docs path -> bytes, in path order."""
    if content_dir is None or not content_dir.is_dir():
        return {}
    found: dict[str, bytes] = {}
    for path in sorted(content_dir.rglob("*")):
        relative = path.relative_to(content_dir)
        # present.yml curates present mode and the deck (load reads it): it is no page.
        if relative.as_posix() == PRESENT_PLAN:
            continue
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found[relative.as_posix()] = path.read_bytes()
    return found
