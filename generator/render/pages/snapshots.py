"""The live portal's "Earlier versions" page: every published snapshot and what changed in it.

Snapshots (``publish/snapshot.py``) live on their own branch, one folder per label.
Assumption, when no base address is given: the live site and the snapshots are
published from the same place, the snapshots beside the live site's root
(``https://portal.example.org/`` and ``https://portal.example.org/2026-Q3/``), which
is what serving the snapshots branch and the live site from one host gives. Links
are then relative (``../../2026-Q3/``) and work under any host and path. With a
base address (``build --snapshots-url``) links are ``<base>/<label>/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from generator.render.jinja import render_template
from generator.render.numbers import format_date

__all__ = ["EARLIER_VERSIONS_PAGE", "EARLIER_VERSIONS_URL", "earlier_versions_markdown"]

EARLIER_VERSIONS_PAGE = "about/earlier-versions.md"
EARLIER_VERSIONS_URL = "about/earlier-versions/"
_TO_ROOT = "../../"  # from about/earlier-versions/ to the site's root


class Snapshot(Protocol):
    """A published snapshot as publish/snapshot_list.py gives it (read-only)."""

    @property
    def label(self) -> str: ...

    @property
    def as_of(self) -> str: ...

    @property
    def latest(self) -> bool: ...


def _url(base: str | None, label: str, page: str = "") -> str:
    root = base.rstrip("/") + "/" if base else _TO_ROOT
    return f"{root}{label}/{page}"


def earlier_versions_markdown(snapshots: Sequence[Snapshot], base_url: str | None = None) -> str:
    """The page listing ``snapshots`` (newest first): label, as-of date, the snapshot and its changes."""
    rows = [
        {
            "label": s.label,
            "as_of": format_date(dt.date.fromisoformat(s.as_of)) if s.as_of else "",
            "latest": s.latest,
            "url": _url(base_url, s.label),
            "changes": _url(base_url, s.label, "changes/"),
        }
        for s in snapshots
    ]
    return render_template("earlier_versions.md.j2", rows=rows)
