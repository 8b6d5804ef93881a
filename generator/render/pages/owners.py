"""The owners page: an A-Z index of every owner, then one compact section each.

Sections are short lists (an item's status chip, its link and, for a KPI, its
value against goal), not wide tables, so a hundred owners stay readable and the
page's contents column stays visible. The anchor and sort rules are
:mod:`.owner_links`'.
"""

from __future__ import annotations

from dataclasses import replace

from generator.compute.attention import visible_kpis
from generator.compute.results import Results, Status
from generator.render.pages.builders import initiative_row, kpi_row, objective_row
from generator.render.pages.models import OwnerEntry, OwnersPage
from generator.render.pages.owner_links import NO_OWNER, _fold, owner_anchors, owner_key, owner_names
from generator.render.pages.paths import Paths
from generator.render.style import style

__all__ = ["owners_page", "status_summary"]

_STATUS_ORDER = (Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.NO_DATA)


def owners_page(results: Results, paths: Paths) -> OwnersPage:
    """Who is accountable for what: the A-Z index, then each owner (sorted by name) and their items."""
    names = owner_names(results)
    anchors = owner_anchors(names)
    kpis = visible_kpis(results)
    owners = tuple(
        _with_summary(OwnerEntry(
            name=name,
            anchor=anchors[name],
            objectives=tuple(
                objective_row(results, paths, o) for o in results.scorecard.objectives if owner_key(o.owner) == name
            ),
            kpis=tuple(kpi_row(results, paths, r) for r in kpis if owner_key(r.kpi.owner) == name),
            initiatives=tuple(
                initiative_row(paths, r, results)
                for r in results.initiatives.values()
                if owner_key(r.initiative.owner) == name
            ),
        ))
        for name in names
    )
    return OwnersPage(
        path=paths.owners(), title="Owners", as_of=_as_of(results), owners=owners, letters=_letters(owners)
    )


def _as_of(results: Results) -> str:
    from generator.render.numbers import format_date

    return format_date(results.as_of) if results.as_of else ""


def _letters(owners: tuple[OwnerEntry, ...]) -> tuple[tuple[str, tuple[OwnerEntry, ...]], ...]:
    """Owners grouped by the first letter of their name (accent-free, upper case); no owner under "–"."""
    groups: dict[str, list[OwnerEntry]] = {}
    for entry in owners:
        folded = _fold(entry.name)
        initial = "\u2013" if entry.name == NO_OWNER else (folded[:1].upper() if folded[:1].isalpha() else "#")
        groups.setdefault(initial, []).append(entry)
    return tuple((letter, tuple(entries)) for letter, entries in groups.items())


def status_summary(entry: OwnerEntry) -> str:
    """How many of the owner's objectives and KPIs have each status, worst first: ``1 off track, 2 on track``."""
    statuses = [o.status for o in entry.objectives] + [k.status for k in entry.kpis]
    parts = [f"{statuses.count(s)} {style(s).label.lower()}" for s in _STATUS_ORDER if statuses.count(s)]
    return ", ".join(parts) or "\u2013"


def _with_summary(entry: OwnerEntry) -> OwnerEntry:
    return replace(entry, summary=status_summary(entry))
