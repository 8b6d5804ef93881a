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
from generator.render.pages import Paths, page_paths, unit_pages
from generator.render.pages import units as unit_tree_pages

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
    gathered = gather(results, content_dir=content_dir, **options)
    writer.sync(docs_dir, gathered.files, never_write=content_dir)
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
) -> Gathered:
    """Every file of the docs folder and the nav, nothing written.

    Precedence: generated pages < extra pages (e.g. ``about/provenance.md``) <
    hand-written pages of ``content_dir`` (each override logged).
    """
    content = _content_files(content_dir)
    stories = stories or {}
    tree = results.walk()
    drawn = _tree_charts(tree, cache_dir) if len(tree) > 1 else [None]
    unit = unit_pages(
        results, Paths(), cache_dir, content=content, charts=drawn[0], present=results.unit_id in stories
    )
    files = dict(unit.files)
    # Every unit's full portal under units/<id>/, and the tree's own pages (overview, alignment).
    # They stay out of the nav (it would grow with every unit): one "Units" entry leads to them.
    generated = set(page_paths(results))
    for below, charts in zip(tree[1:], drawn[1:], strict=True):
        paths = Paths.unit(below.unit_id)
        pages = unit_pages(
            below, paths, cache_dir, content=content, root=results, charts=charts, present=below.unit_id in stories
        )
        files.update(pages.files)
        generated.update(page_paths(below, paths))
    overview = unit_tree_pages.tree_pages(results)
    files.update(overview)
    generated.update(overview)
    files["scorecard.json"] = dump_json(scorecard_json(results)).encode("utf-8")
    if provenance is not None:
        files["provenance.json"] = _json_bytes(provenance)
    for path, text in sorted((extra_pages or {}).items()):
        writer.check_docs_path(path)
        _notice_override(files, path, "extra page")
        files[path] = text.encode("utf-8")
    for path, data in content.items():
        _notice_override(files, path, f"hand-written page in {content_dir}")
        files[path] = data
    files.update(_present_files(results, stories, site_url, files))
    extra = sorted(p for p in files if p.endswith(".md") and p not in generated)
    units_nav = [{"Units": unit_tree_pages.OVERVIEW}] if overview else []
    return Gathered(files, unit.nav + units_nav + _extra_nav([p for p in extra if p != Paths().home()]))


def _tree_charts(tree: tuple[Results, ...], cache_dir: Path | None) -> list[Callable[[], dict[str, str]] | None]:
    """Every unit's KPI charts in one batch (drawn in parallel when many), started: a function per unit gives its dict.

    The workers draw while the pages are rendered; each unit waits only for its own charts.
    """
    from generator.render import charts
    from generator.render.charts.cache import ChartCache

    cache = ChartCache(cache_dir) if cache_dir is not None else None
    unit = charts.start_tree_charts(list(tree), cache)
    return [functools.partial(unit, n) for n in range(len(tree))]


def _present_files(
    results: Results, stories: Mapping[str, Story], site_url: str | None, gathered: Mapping[str, bytes]
) -> dict[str, bytes]:
    """Present mode of every unit that has a story and pages, and the root's deck beside its present mode.

    A unit's present mode links to its pages (map boxes, bands, "back to the portal"),
    so it is made only for a unit whose home page is among the ``gathered`` files.

    The deck is of the build's audience: the all-staff site carries the all-staff deck,
    a restricted build the restricted one (it is published only where restricted pages are).
    """
    from generator.render.deck import deck_bytes  # python-pptx loads only when a deck is made
    from generator.render.present import present_files

    files: dict[str, bytes] = {}
    for unit in results.walk():
        unit_story = stories.get(unit.unit_id)
        if unit_story is None:
            continue
        root = unit is results
        paths = Paths() if root else Paths.unit(unit.unit_id)
        if not root and paths.home() not in gathered:
            continue
        deck = paths.deck() if root else None
        files.update(present_files(unit_story, paths, site_url=site_url, deck=deck))
        if deck:
            files[deck] = deck_bytes(unit_story, site_url=site_url)
    return files


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
