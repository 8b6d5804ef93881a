"""Immutable snapshots: the portal as it stood at a period close, kept forever in git.

A snapshot is a full site built as of the end of its period (``2026-Q3`` is
built as of 2026-09-30), deployed with mike into its own folder of a snapshots
branch (``portal-snapshots/2026-Q3/``). mike's ``versions.json`` lists them for
Material's version selector; the alias ``latest`` is a copy of the newest by
period order and the branch root redirects to ``latest``.

Immutability: a label that already exists is refused before anything is built,
and after deploying, every earlier snapshot's git tree is checked to be
unchanged (the branch is put back if not). There is no delete.

mike's git functions work on the current folder, so they run inside
:func:`_inside`, which enters the repository for the duration of the call;
the build itself runs in the caller's folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mike import commands as mike_commands
from mike import git_utils

from generator.errors import PublishError
from generator.periods import Period, PeriodError
from generator.publish.changes import Changes, diff
from generator.publish.provenance import GIT_ENV_OVERRIDES, git_state
from generator.render.pages.records import changes_markdown

log = logging.getLogger(__name__)

DEFAULT_BRANCH = "portal-snapshots"
LATEST = "latest"
CHANGES_PAGE = "changes.md"

BuildSite = Callable[[dt.date, Path, Mapping[str, str]], None]
"""``build(as_of, site_dir, extra_pages)``: build the portal as of ``as_of`` into
``site_dir``, adding ``extra_pages`` (docs path -> Markdown) to the generated pages.
The site must hold ``scorecard.json`` at its root."""


@dataclass(frozen=True)
class SnapshotReport:
    """What :func:`publish_snapshot` did.

    Attributes:
        label: the snapshot published, e.g. ``2026-Q3``.
        as_of: the as-of date it was built for (the end of the period).
        branch: the snapshots branch.
        commit: the branch's head after publishing.
        previous: the snapshot it was compared with (the one before it in period order), or ``None``.
        latest: the snapshot ``latest`` points at afterwards.
        changes: the differences from ``previous`` (``None`` without one).
        pushed: whether the branch was pushed.
    """

    label: str
    as_of: dt.date
    branch: str
    commit: str
    previous: str | None
    latest: str
    changes: Changes | None
    pushed: bool

    def __str__(self) -> str:
        lines = [
            f"published snapshot {self.label} (as of {self.as_of.isoformat()}) "
            f"on branch {self.branch} at {self.commit[:12]}"
        ]
        if self.changes is None:
            lines.append("first snapshot: nothing to compare with")
        else:
            c = self.changes
            other = len(c.added) + len(c.removed) + len(c.renamed) + len(c.fields)
            restated = len(c.restatements)
            lines.append(f"compared with {self.previous}: {restated} restated actual(s), {other} other change(s)")
        lines.append(f"{LATEST} -> {self.latest}")
        if self.pushed:
            lines.append("pushed")
        return "\n".join(lines)


def snapshot_as_of(label: str) -> dt.date:
    """The as-of date of a snapshot label: the last day of its period.

    Raises:
        PublishError: the label is not a period written in its canonical form.
    """
    try:
        period = Period.parse(label)
    except PeriodError as error:
        raise PublishError(f"snapshot label {label!r}: {error}") from None
    if str(period) != label:
        raise PublishError(f"snapshot label {label!r} must be written {str(period)!r}")
    return period.end


def publish_snapshot(
    label: str,
    *,
    build: BuildSite,
    repo: Path | None = None,
    scorecard: Path | None = None,
    branch: str = DEFAULT_BRANCH,
    push: bool = False,
    remote: str = "origin",
    require_clean: bool = True,
) -> SnapshotReport:
    """Build the portal as of the end of ``label``'s period and publish it as an immutable snapshot.

    Args:
        label: the period closed: ``2026-Q3``, ``2026-09``, ``2026-W40`` or ``2026``.
        build: builds the site (see :data:`BuildSite`); :func:`generator.pipeline.snapshot` passes the
            normal pipeline on ``scorecard``.
        repo: the git repository holding the snapshots branch; default: the one holding ``scorecard``.
        scorecard: the scorecard folder (default ``scorecard/``); checked for uncommitted changes.
        branch: the snapshots branch.
        push: push the branch to ``remote`` afterwards.
        remote: the remote to follow and push to.
        require_clean: refuse when the scorecard folder has uncommitted changes (an auditor
            must be able to find the commit a snapshot was built from).

    Raises:
        PublishError: the label is malformed or already published, the scorecard is not
            committed, the build failed, or git refused.
    """
    as_of = snapshot_as_of(label)
    folder = Path(scorecard) if scorecard is not None else Path("scorecard")
    root = _repository(repo if repo is not None else folder)
    if require_clean and (repo is None or scorecard is not None):
        _require_committed(folder)
    try:
        return _publish(label, as_of, build, root, branch, push, remote)
    except git_utils.GitError as error:
        raise PublishError(f"snapshot {label}: git: {error}") from None


def snapshot_labels(repo: Path, branch: str = DEFAULT_BRANCH) -> list[str]:
    """The snapshots on ``branch``, oldest first by period order."""
    with _inside(_repository(repo)):
        versions = mike_commands.list_versions(branch)
    return sorted((str(v.version) for v in versions if _is_period(str(v.version))), key=_key)


# -- the steps ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What the snapshots branch says before publishing: where the new label fits."""

    previous: str | None
    previous_document: dict[str, Any] | None
    newest: bool
    latest: str
    trees: dict[str, str]
    head: str | None


def _publish(
    label: str, as_of: dt.date, build: BuildSite, repo: Path, branch: str, push: bool, remote: str
) -> SnapshotReport:
    # Git and mike run inside the repository; the build runs in the caller's folder, where
    # relative paths (the scorecard, the project's mkdocs.yml) mean what the caller meant.
    with _inside(repo):
        plan = _plan(label, branch, push, remote)
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        site, changes = _build_with_changes(label, as_of, build, Path(tmp), plan)
        with _inside(repo):
            _deploy(label, as_of, site, branch, newest=plan.newest)
            _check_untouched(branch, plan)
            if push:
                git_utils.push_branch(remote, branch)
            head = git_utils.get_latest_commit(branch)
    log.info("published snapshot %s on %s at %s", label, branch, head)
    previous = plan.previous if plan.previous_document is not None else None
    return SnapshotReport(label, as_of, branch, head, previous, plan.latest, changes, push)


def _plan(label: str, branch: str, push: bool, remote: str) -> _Plan:
    """Refuse an existing label; find the snapshot before it and the newest one."""
    if push:
        _fetch(remote, branch)
    git_utils.update_from_upstream(remote, branch)
    versions = mike_commands.list_versions(branch)
    if versions.find(label):
        raise PublishError(
            f"snapshot {label} already exists on branch {branch}: snapshots are immutable, nothing was changed"
        )
    labels = sorted((str(v.version) for v in versions if _is_period(str(v.version))), key=_key)
    previous = max((x for x in labels if _key(x) < _key(label)), key=_key, default=None)
    latest = max([*labels, label], key=_key)
    head = git_utils.get_latest_commit(branch) if git_utils.has_branch(branch) else None
    document = _previous_document(branch, previous)
    return _Plan(previous, document, latest == label, latest, _trees(branch, labels), head)


def _build_with_changes(
    label: str, as_of: dt.date, build: BuildSite, work: Path, plan: _Plan
) -> tuple[Path, Changes | None]:
    """Build twice: once to learn this snapshot's scorecard.json, once with the what-changed page.

    The second build must give the same scorecard.json as the first; a difference
    means the build is not reproducible, and an auditor could not trust it.
    """
    current = _document(_build(build, as_of, work / "probe", {}))
    before = plan.previous_document
    changes = diff(before, current) if before is not None else None
    previous = plan.previous if before is not None else None
    page = changes_markdown(changes, current_label=label, previous_label=previous)
    site = _build(build, as_of, work / "site", {CHANGES_PAGE: page})
    if _document(site) != current:
        raise PublishError(f"snapshot {label}: two builds of the same scorecard gave different scorecard.json")
    return site, changes


def _build(build: BuildSite, as_of: dt.date, site: Path, pages: Mapping[str, str]) -> Path:
    build(as_of, site, pages)
    if not (site / "scorecard.json").is_file():
        raise PublishError(f"the build wrote no scorecard.json into {site}")
    return site


def _deploy(label: str, as_of: dt.date, site: Path, branch: str, *, newest: bool) -> None:
    provenance = _provenance(site)
    commit = provenance.get("commit") or "uncommitted files"
    cfg = {"site_dir": str(site), "use_directory_urls": True}
    with mike_commands.deploy(
        cfg,
        label,
        title=label,
        aliases=[LATEST] if newest else [],
        update_aliases=True,
        # Copies, not symlinks or redirect pages: every host serves them, latest/scorecard.json
        # works for machines, and git stores identical files once, so a copy costs only trees.
        alias_type=mike_commands.AliasType.copy,
        branch=branch,
        message=f"Snapshot {label} as of {as_of.isoformat()} from {commit}",
        set_props=_properties(as_of, provenance),
    ):
        pass  # the site is already built; mike only commits it
    with contextlib.suppress(git_utils.GitEmptyCommit):
        mike_commands.set_default(LATEST, branch=branch, message=f"Default version: {LATEST}")


def _properties(as_of: dt.date, provenance: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Kept in versions.json, so an auditor sees each snapshot's date and source commit."""
    properties: list[tuple[str, Any]] = [("as_of", as_of.isoformat())]
    if provenance.get("commit"):
        properties.append(("commit", provenance["commit"]))
    return properties


# -- git helpers ------------------------------------------------------------------------


def _trees(branch: str, labels: list[str]) -> dict[str, str]:
    """The git tree id of each snapshot folder: equal ids mean byte-identical files."""
    return {label: git_utils.get_latest_commit(f"{branch}:{label}") for label in labels}


def _check_untouched(branch: str, plan: _Plan) -> None:
    """Put the branch back and fail if publishing changed any earlier snapshot's files."""
    after = _trees(branch, list(plan.trees))
    changed = sorted(label for label in plan.trees if after[label] != plan.trees[label])
    if changed:  # mike never rewrites other versions; this is the safety net if it ever does
        if plan.head:
            git_utils.update_ref(branch, plan.head)
        raise PublishError(
            f"publishing would have changed snapshots {', '.join(changed)}; branch {branch} left as it was"
        )


def _previous_document(branch: str, previous: str | None) -> dict[str, Any] | None:
    if previous is None:
        return None
    try:
        return json.loads(git_utils.read_file(branch, f"{previous}/scorecard.json", universal_newlines=True))
    except (git_utils.GitError, ValueError) as error:
        log.warning("snapshot %s has no readable scorecard.json (%s); not comparing with it", previous, error)
        return None


def _fetch(remote: str, branch: str) -> None:
    done = subprocess.run(
        ["git", "fetch", "--quiet", "--", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        # A first snapshot has no remote branch yet; any real problem shows again at push.
        log.info("could not fetch %s/%s: %s", remote, branch, done.stderr.strip())


def _repository(path: Path) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise PublishError(f"{folder} is not a folder")
    done = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, check=False,
        env=_git_env(),
    )
    if done.returncode != 0:
        raise PublishError(f"{folder} is not in a git repository: snapshots live in a git branch")
    return Path(done.stdout.strip())


def _require_committed(folder: Path) -> None:
    state = git_state(folder)
    if state.dirty:
        raise PublishError(
            f"{folder} has uncommitted changes: commit them first, so the snapshot names the commit it was built from"
        )


@contextlib.contextmanager
def _inside(repo: Path) -> Iterator[None]:
    """Run mike's git calls in ``repo``: enter it, and hide git variables that point elsewhere."""
    saved_cwd = os.getcwd()
    saved_env = {k: os.environ.pop(k) for k in GIT_ENV_OVERRIDES if k in os.environ}
    os.chdir(repo)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.update(saved_env)


def _git_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in GIT_ENV_OVERRIDES}


# -- small helpers ----------------------------------------------------------------------


def _is_period(label: str) -> bool:
    """Whether ``label`` names a period (the snapshots branch may hold other versions too)."""
    try:
        Period.parse(label)
    except PeriodError:
        return False
    return True


def _key(label: str) -> tuple[dt.date, str]:
    """Period order of a period label: by its last day, then its text."""
    return (Period.parse(label).end, label)


def _document(site: Path) -> dict[str, Any]:
    return json.loads((site / "scorecard.json").read_text(encoding="utf-8"))


def _provenance(site: Path) -> dict[str, Any]:
    path = site / "provenance.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
