"""The stages wired together: what ``check``, ``build`` and ``snapshot`` do.

Like MkDocs's ``commands/build.py``, a build gathers and checks everything
before it writes anything: load, compute and lint run first, and only a clean
result reaches render and publish. Publish swaps the finished site into place,
so a failed build leaves the last good site where it was.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from generator.compute import compute
from generator.compute.lint import lint
from generator.compute.results import Audience, Results
from generator.errors import Problem, ValidationFailed
from generator.load import load
from generator.model import Scorecard
from generator.publish import provenance as provenance_mod
from generator.publish.site import build_site, find_project_root
from generator.render import render

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checked:
    """A scorecard that passed ``check``: the model, its warnings, and the full (restricted) results."""

    scorecard: Scorecard
    warnings: list[Problem]
    results: Results


@dataclass(frozen=True)
class Built:
    """What a build produced."""

    site_dir: Path
    results: Results
    warnings: list[Problem]


def check(folder: Path, *, strict: bool = False, as_of: dt.date | None = None) -> Checked:
    """Validate a scorecard folder and lint its strategy.

    Args:
        folder: the scorecard folder.
        strict: treat warnings as errors.
        as_of: the as-of date for lint (stale, no data, late); default from the data.

    Raises:
        ValidationFailed: on any error, or any warning when ``strict``; carries every problem.
    """
    loaded = load(folder)
    results = compute(loaded.scorecard, as_of, Audience.RESTRICTED)
    warnings = loaded.warnings + lint(results)
    if strict and warnings:
        raise ValidationFailed(warnings)
    return Checked(loaded.scorecard, warnings, results)


def build(
    folder: Path,
    site_dir: Path,
    *,
    as_of: dt.date | None = None,
    audience: Audience = Audience.ALL,
    strict: bool = False,
    project_root: Path | None = None,
    extra_pages: dict[str, str] | None = None,
) -> Built:
    """Check, compute, render and publish the portal into ``site_dir``.

    Nothing is written when the checks fail. ``extra_pages`` (docs path to
    Markdown) are added to the generated pages, e.g. a snapshot's what-changed page.

    Raises:
        ValidationFailed: the scorecard has errors (or warnings under ``strict``).
        PublishError: MkDocs failed; ``site_dir`` keeps its previous content.
    """
    checked = check(folder, strict=strict, as_of=as_of)
    results = compute(checked.scorecard, as_of, audience)
    provenance = provenance_mod.collect(folder, checked.scorecard, results)
    root = project_root or find_project_root(folder)
    pages = {"about/provenance.md": provenance_mod.provenance_page(provenance), **(extra_pages or {})}
    work = root / "build" / audience.value
    rendered = render(
        results,
        work / "docs",
        content_dir=root / "content",
        cache_dir=root / ".cache",
        extra_pages=pages,
        provenance=provenance,
    )
    build_site(
        work / "docs",
        site_dir,
        project_root=root,
        nav=rendered.nav,
        extra={"provenance": provenance, "organization": checked.scorecard.organization.name},
    )
    log.info("built %s (%d pages) as of %s", site_dir, len(rendered.pages), results.as_of)
    return Built(site_dir, results, checked.warnings)
