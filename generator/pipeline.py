"""The stages wired together: what ``check``, ``build``, ``serve`` and ``snapshot`` do.

Like MkDocs's ``commands/build.py``, a build gathers and checks everything
before it writes anything: load, compute and lint run first, and only a clean
result reaches render and publish. Publish swaps the finished site into place,
so a failed build leaves the last good site where it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.compute import compute
from generator.compute.lint import lint
from generator.compute.results import Audience, Results
from generator.compute.rollup import perspective_ids
from generator.compute.story import Story, looking_back, section_ids, story
from generator.errors import Problem, PublishError, ScorecardError, ValidationFailed
from generator.load import Loaded, load
from generator.load.present import PresentPlan, read_plan
from generator.model import Scorecard
from generator.publish import provenance as provenance_mod
from generator.publish import site
from generator.publish.engine import default_engine
from generator.publish.snapshot_list import published_snapshots
from generator.render import render
from generator.render.pages import records
from generator.render.pages.snapshots import EARLIER_VERSIONS_PAGE, EARLIER_VERSIONS_URL, earlier_versions_markdown

if TYPE_CHECKING:
    from generator.publish.snapshot import SnapshotReport

log = logging.getLogger(__name__)


class UnknownUnit(ScorecardError):
    """A command named a unit the organisation does not have."""


@dataclass(frozen=True)
class Checked:
    """A scorecard that passed ``check``: the model, its warnings, and the results lint read.

    Those are the restricted audience's (every KPI); a build with no restricted KPI lints
    its own results, which are the same.
    """

    scorecard: Scorecard
    warnings: list[Problem]
    results: Results


@dataclass(frozen=True)
class Prepared:
    """A rendered docs folder, ready for MkDocs: everything a site build needs."""

    docs_dir: Path
    project_root: Path
    nav: list
    extra: dict[str, Any]
    results: Results
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Built:
    """What a build produced."""

    site_dir: Path
    results: Results
    warnings: list[Problem]


def check(folder: Path, *, strict: bool = False, as_of: dt.date | None = None, insight: bool = True) -> Checked:
    """Validate a scorecard folder and lint its strategy.

    Args:
        folder: the scorecard folder.
        strict: treat warnings as errors.
        as_of: the as-of date for lint (stale, no data, late); default from the data.
        insight: the results include the insight (see :func:`~generator.compute.compute`);
            lint does not read it, so a build that computes its own results skips it.

    Raises:
        ValidationFailed: on any error, or any warning when ``strict``; carries every problem.
    """
    with fewer_collections():
        return _check(load(folder), folder, strict=strict, as_of=as_of, audience=Audience.RESTRICTED, insight=insight)


def _check(
    loaded: Loaded, folder: Path, *, strict: bool, as_of: dt.date | None, audience: Audience, insight: bool
) -> Checked:
    """:func:`check` of a loaded scorecard, lint reading ``audience``'s results (restricted, or the same)."""
    _, present_problems = present_plan(folder, loaded.scorecard)
    try:
        results = compute(loaded.scorecard, as_of, audience, insight=insight)
    except ValidationFailed as failure:
        raise ValidationFailed(loaded.warnings + present_problems + failure.problems) from None
    if present_problems:
        raise ValidationFailed(loaded.warnings + present_problems)
    warnings = loaded.warnings + lint(results)
    if strict and warnings:
        raise ValidationFailed(warnings)
    return Checked(loaded.scorecard, warnings, results)


def prepare(
    folder: Path,
    *,
    as_of: dt.date | None = None,
    audience: Audience = Audience.ALL,
    strict: bool = False,
    project_root: Path | None = None,
    extra_pages: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    site_url: str | None = None,
    snapshots: bool = True,
    snapshots_url: str | None = None,
) -> Prepared:
    """Check, compute and render the docs folder (``<project>/build/<audience>/docs``).

    Nothing is rendered when the checks fail. ``extra_pages`` (docs path to
    Markdown) join the generated pages, e.g. a snapshot's what-changed page;
    ``extra`` joins MkDocs's ``config.extra``; ``site_url`` (the one given on the
    command line) is recorded in the provenance, as a rebuild needs it. With
    ``snapshots``, published snapshots (read from the git branch, no network) get an
    "Earlier versions" page, linked from every page's footer; ``snapshots_url`` is
    their address when they are not published beside the live site.

    Raises:
        ValidationFailed: the scorecard has errors (or warnings under ``strict``).
    """
    loaded = load(folder)
    # Lint reads the restricted audience's results. With no restricted KPI anywhere those are
    # the build's own, so one compute serves both (a restricted build's always does).
    shared = audience is Audience.RESTRICTED or not any(k.restricted for c in loaded.scorecard.walk() for k in c.kpis)
    checked = _check(
        loaded, folder, strict=strict, as_of=as_of, audience=audience if shared else Audience.RESTRICTED, insight=shared
    )
    results = checked.results if shared else compute(checked.scorecard, as_of, audience)
    provenance = provenance_mod.collect(folder, checked.scorecard, results, site_url)
    root = project_root or site.find_project_root(folder)
    docs = root / "build" / audience.value / "docs"
    rebuild = provenance_mod.rebuild_command(provenance)
    pages = {records.PROVENANCE_PAGE: records.provenance_markdown(provenance, rebuild), **(extra_pages or {})}
    site_extra: dict[str, Any] = {}
    published = published_snapshots(folder) if snapshots else []
    if published:
        pages[EARLIER_VERSIONS_PAGE] = earlier_versions_markdown(published, snapshots_url)
        site_extra["snapshots_url"] = EARLIER_VERSIONS_URL
    rendered = render(
        results, docs, content_dir=root / "content", cache_dir=root / ".cache", extra_pages=pages,
        provenance=provenance, stories=stories(results, folder), site_url=site_url,
    )
    site_extra.update({"provenance": provenance, "organization": checked.scorecard.organization.name, **(extra or {})})
    log.info("rendered %d pages into %s", len(rendered.pages), docs)
    return Prepared(docs, root, rendered.nav, site_extra, results, checked.warnings)


# -- the town-hall deck (issue 9) --------------------------------------------------------------

def present_plan(folder: Path, scorecard: Scorecard) -> tuple[PresentPlan | None, list[Problem]]:
    """``content/present.yml`` of the project ``folder`` belongs to (None without one), and its problems."""
    try:
        content = site.find_project_root(folder) / "content"
    except PublishError:
        return None, []
    return read_plan(content, section_ids(perspective_ids(scorecard)))


def deck(
    folder: Path,
    *,
    as_of: dt.date | None = None,
    audience: Audience = Audience.ALL,
    site_url: str | None = None,
    unit: str | None = None,
) -> tuple[bytes, Results]:
    """Check, compute and lay out the town-hall deck of ``folder`` (or of one of its units).

    Returns:
        The .pptx bytes and the results the deck tells (the unit's, when ``unit`` is given).

    Raises:
        ValidationFailed: the scorecard (or ``content/present.yml``) has errors.
        UnknownUnit: ``unit`` names no unit of the organisation.
    """
    checked = check(folder, as_of=as_of, insight=False)
    results = compute(checked.scorecard, as_of, audience)
    if unit is not None:
        try:
            results = results.unit(unit)
        except KeyError:
            known = ", ".join(sorted(r.unit_id for r in results.walk())) or "none"
            raise UnknownUnit(f"--unit {unit}: no unit has that id (units: {known})") from None
    return deck_of(results, folder, site_url), results


def deck_of(results: Results, folder: Path, site_url: str | None) -> bytes:
    """The deck of computed ``results`` (``present.yml`` applied); same results, same bytes."""
    from generator.render.deck import deck_bytes  # python-pptx loads only when a deck is made

    plan, _ = present_plan(folder, results.scorecard)
    return deck_bytes(story(results, plan), site_url=site_url)


def stories(results: Results, folder: Path) -> dict[str, Story]:
    """The town-hall story of every unit by unit id (render lays out present mode and the deck).

    The root's applies ``content/present.yml``; a unit's tells its whole story. The
    results at the last review are computed here, once for the whole tree, so render never computes.
    """
    plan, _ = present_plan(folder, results.scorecard)
    before = looking_back(results)
    return {
        unit.unit_id: story(unit, plan if unit is results else None, previous=before and before.unit(unit.unit_id))
        for unit in results.walk()
    }


def build(folder: Path, site_dir: Path, *, site_url: str | None = None, **options: Any) -> Built:
    """Check, compute, render and publish the portal into ``site_dir``.

    Takes the keyword options of :func:`prepare`, and ``site_url``, the address the
    portal is published at (it fills the sitemap, which instant navigation needs).
    Nothing is written when the checks fail; a failed MkDocs run leaves ``site_dir`` as it was.

    Raises:
        ValidationFailed: the scorecard has errors (or warnings under ``strict``).
        PublishError: MkDocs failed; ``site_dir`` keeps its previous content.
    """
    with fewer_collections():
        return _build(folder, site_dir, site_url=site_url, **options)


def _build(folder: Path, site_dir: Path, *, site_url: str | None = None, **options: Any) -> Built:
    prepared = prepare(folder, site_url=site_url, **options)
    site.build_site(
        prepared.docs_dir, site_dir, project_root=prepared.project_root, nav=prepared.nav, extra=prepared.extra,
        site_url=site_url, protected=[Path(folder)],
    )
    log.info("built %s as of %s", site_dir, prepared.results.as_of)
    return Built(site_dir, prepared.results, prepared.warnings)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Within the block, Python's cycle collector runs far less often.

    A build holds hundreds of thousands of long-lived objects (every period of every KPI,
    every page); with the default thresholds the collector walks them all again every few
    thousand allocations, which cost a third of loading and computing a 1,000-KPI scorecard.
    Our objects rarely form cycles, and reference counting frees the rest at once.
    """
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def serve(folder: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the all-staff portal on ``host:port``, rebuilding whenever an input changes.

    Raises:
        ValidationFailed: the first build failed (a later failure keeps the last good site).
    """

    def rebuild() -> Path:
        prepared = prepare(folder)
        return default_engine().write_config(
            prepared.docs_dir, prepared.docs_dir.parent / "site", project_root=prepared.project_root,
            nav=prepared.nav, extra=prepared.extra,
        )

    from generator.publish import serve as serve_mod  # the preview server's libraries load only for it

    serve_mod.serve(folder, rebuild=rebuild, host=host, port=port)


def snapshot(label: str, folder: Path, *, branch: str = "portal-snapshots", push: bool = False) -> SnapshotReport:
    """Publish the all-staff portal as of the end of ``label``'s period as an immutable snapshot.

    Raises:
        PublishError: the label exists already or is malformed, the scorecard has
            uncommitted changes, or the build or git failed.
        ValidationFailed: the scorecard has errors.
    """

    def build_as_of(as_of: dt.date, site_dir: Path, extra_pages: Mapping[str, str]) -> None:
        # Material's version selector reads mike's versions.json, which only a snapshot branch has.
        # A snapshot lists no snapshots: it has Material's version selector instead.
        build(
            folder, site_dir, as_of=as_of, extra_pages=extra_pages, extra={"version": {"provider": "mike"}},
            snapshots=False,
        )

    from generator.publish.snapshot import publish_snapshot  # mike loads only for a snapshot

    return publish_snapshot(label, build=build_as_of, scorecard=folder, branch=branch, push=push)
