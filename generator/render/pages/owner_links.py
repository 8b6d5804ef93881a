"""Owners: who they are, how they sort, and the one anchor rule of the owners page.

Every owner name on a KPI, objective, initiative, index or attention page links
to that owner's section of the owners page (:func:`owner_link`). The anchor is
``owner-<slug>`` (:func:`owner_anchors`): the name lower-cased, accents dropped,
every run of other characters a hyphen, so it stays the same build after build
while the name does. Two names that give the same slug ("J. Smith" and "J
Smith") get ``-2``, ``-3`` in the owners' sort order, so each owner's anchor is
unique on the page.

Order: owners are sorted by their name *as written* (first name first for
"Anna Berg"), case- and accent-insensitively. An owner is often a role ("Head
of Sales", "CFO"), and which word of a person's name is the family name differs
between cultures, so no surname can be told reliably; the owners page's A-Z
index and the KPI list's filter find a person by any part of their name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from generator.compute.attention import visible_kpis
from generator.compute.results import Results
from generator.render.pages.models import Link
from generator.render.pages.paths import Paths

__all__ = ["NO_OWNER", "owner_anchors", "owner_key", "owner_link", "owner_names", "owner_sort_key"]

NO_OWNER = ""
"""The owner key of items whose owner is not written; listed last as "No owner named"."""

NO_OWNER_ANCHOR = "owner-none"


def owner_key(text: str) -> str:
    """The owner as one name: runs of whitespace are one space (``"Anna  Berg"`` is ``"Anna Berg"``)."""
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Case and accents dropped: ``"Émile"`` sorts and anchors as ``"emile"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def owner_sort_key(name: str) -> tuple[str, str]:
    """How people sort names: case- and accent-insensitive; the exact text breaks ties."""
    return (_fold(name), name)


def owner_names(results: Results) -> list[str]:
    """Every owner of the unit's objectives, visible KPIs and initiatives, sorted; no owner last."""
    written: Iterable[str] = (
        *(o.owner for o in results.scorecard.objectives),
        *(r.kpi.owner for r in visible_kpis(results)),
        *(r.initiative.owner for r in results.initiatives.values()),
    )
    names = {owner_key(name) for name in written}
    return sorted(names - {NO_OWNER}, key=owner_sort_key) + ([NO_OWNER] if NO_OWNER in names else [])


def _slug(name: str) -> str:
    slug = re.sub(r"[^\w]+", "-", _fold(name), flags=re.ASCII).strip("-")
    return slug or "x"  # a name of only non-Latin letters still gets an anchor (disambiguated below)


@lru_cache(maxsize=64)
def _anchors(names: tuple[str, ...]) -> dict[str, str]:
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        if name == NO_OWNER:
            anchors[name] = NO_OWNER_ANCHOR
            continue
        base = f"owner-{_slug(name)}"
        anchor, n = base, 1
        while anchor in used or anchor == NO_OWNER_ANCHOR:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        anchors[name] = anchor
    return anchors


def owner_anchors(names: Iterable[str]) -> dict[str, str]:
    """The heading id of each owner's section (the one anchor rule); ``names`` in sort order."""
    return _anchors(tuple(names))


_LAST: list[tuple[Results, dict[str, str]]] = []


def _unit_anchors(results: Results) -> dict[str, str]:
    # Every table row of every page asks: the unit's owners are gathered once per results.
    if not _LAST or _LAST[0][0] is not results:
        _LAST[:] = [(results, owner_anchors(owner_names(results)))]
    return _LAST[0][1]


def owner_link(results: Results, paths: Paths, owner: str) -> Link | None:
    """A link to ``owner``'s section of the unit's owners page, or None when no owner is written."""
    name = owner_key(owner)
    if name == NO_OWNER:
        return None
    anchor = _unit_anchors(results).get(name, f"owner-{_slug(name)}")
    return Link(name, paths.owners(), anchor)
