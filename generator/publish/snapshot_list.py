"""Which snapshots are published, read from the snapshots branch at build time (no network).

The live portal links its snapshots (``render.pages.snapshots``) whenever any exist.
The list is mike's ``versions.json`` on the snapshots branch (``portal-snapshots``, see
:mod:`.snapshot`), read with ``git show`` from the local branch or, failing that, its
last-fetched remote-tracking copy (``origin/portal-snapshots``). Nothing is fetched: a
build never touches the network, and a checkout without the branch simply has no
"Earlier versions" page.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.periods import Period, PeriodError
from generator.publish.provenance import GIT_ENV_OVERRIDES

__all__ = ["PublishedSnapshot", "published_snapshots"]

log = logging.getLogger(__name__)

_BRANCH = "portal-snapshots"  # snapshot.DEFAULT_BRANCH (not imported: that module loads mike)


@dataclass(frozen=True)
class PublishedSnapshot:
    """One published snapshot: its label (a period, also its folder) and its as-of date (ISO)."""

    label: str
    as_of: str
    latest: bool = False


def published_snapshots(folder: Path, branch: str = _BRANCH) -> list[PublishedSnapshot]:
    """The snapshots on ``branch`` of the repository holding ``folder``, newest period first.

    Returns ``[]`` when ``folder`` is not in a git repository, the branch does not exist
    (locally or as ``origin/<branch>``), or its ``versions.json`` cannot be read.
    """
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        text = _git_show(Path(folder), f"{ref}:versions.json")
        if text is not None:
            return _parse(text)
    return []


def _git_show(folder: Path, spec: str) -> str | None:
    env = {k: v for k, v in os.environ.items() if k not in GIT_ENV_OVERRIDES}
    directory = folder if folder.is_dir() else folder.parent
    try:
        done = subprocess.run(
            ["git", "show", spec], cwd=directory, env=env, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _parse(text: str) -> list[PublishedSnapshot]:
    try:
        entries = json.loads(text)
    except ValueError:
        log.warning("the snapshots branch's versions.json is not JSON; no earlier versions are linked")
        return []
    found: list[tuple[Period, PublishedSnapshot]] = []
    for entry in entries if isinstance(entries, list) else []:
        label = str(entry.get("version", "")) if isinstance(entry, dict) else ""
        try:
            period = Period.parse(label)
        except PeriodError:
            continue  # not a snapshot label (an alias or a hand-made version)
        props = entry.get("properties") or {}
        as_of = str(props.get("as_of", "")) if isinstance(props, dict) else ""
        aliases = entry.get("aliases") or []
        found.append((period, PublishedSnapshot(label, as_of or period.end.isoformat(), "latest" in aliases)))
    found.sort(key=lambda pair: (pair[0].end, pair[1].label), reverse=True)
    return [snap for _, snap in found]
