"""What changed between two published snapshots, read from their ``scorecard.json``.

Auditors care most about *restated actuals*: a KPI value that was published in
an earlier snapshot and is different (or gone) now. They come first on the
page, in a danger admonition; added, removed and renamed items and changed
targets, tolerances and owners follow in tables.

Items are matched by ``(org_unit, id)`` within their kind: ids are unique only
within a unit (spec section 9), and item order is free (spec section 8.9).
A field is compared only when both documents carry it, so a snapshot published
by an older generator does not show every KPI as "changed".
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.publish.provenance import template_environment

# (key in scorecard.json, singular word, page folder) in the order the page lists them.
KINDS: tuple[tuple[str, str, str], ...] = (
    ("perspectives", "Perspective", "perspectives"),
    ("themes", "Theme", "themes"),
    ("objectives", "Objective", "objectives"),
    ("kpis", "KPI", "kpis"),
    ("initiatives", "Initiative", "initiatives"),
)

# Fields whose change an auditor wants to see, per kind, with the word shown for each.
TRACKED: dict[str, tuple[tuple[str, str], ...]] = {
    "objectives": (("perspective", "perspective"), ("owner", "owner"), ("weight", "weight")),
    "kpis": (
        ("objective", "objective"),
        ("owner", "owner"),
        ("unit", "unit"),
        ("direction", "direction"),
        ("frequency", "frequency"),
        ("baseline", "baseline"),
        ("target", "target"),
        ("targets", "per-period targets"),
        ("range", "range"),
        ("tolerance", "tolerance"),
        ("weight", "weight"),
    ),
    "initiatives": (("owner", "owner"), ("start", "start"), ("end", "end"), ("budget", "budget")),
}


_GOAL_FIELDS = frozenset({"baseline", "target", "targets", "range"})


@dataclass(frozen=True)
class ItemChange:
    """An item added, removed or renamed (``old_name`` is set only for a rename)."""

    kind: str
    id: str
    name: str
    old_name: str | None = None
    org_unit: str = ""


@dataclass(frozen=True)
class FieldChange:
    """A tracked field of an item whose value changed, both values shown as text."""

    kind: str
    id: str
    name: str
    field: str
    old: str
    new: str
    org_unit: str = ""


@dataclass(frozen=True)
class Restatement:
    """A published actual that is different now; ``new`` is ``None`` when the value was removed."""

    kpi_id: str
    kpi_name: str
    period: str
    old: float
    new: float | None
    unit: str = ""
    org_unit: str = ""


@dataclass(frozen=True)
class Changes:
    """Every difference between two snapshots, each list in a stable order."""

    previous_as_of: str | None
    current_as_of: str | None
    root_unit: str = ""
    restatements: tuple[Restatement, ...] = ()
    added: tuple[ItemChange, ...] = ()
    removed: tuple[ItemChange, ...] = ()
    renamed: tuple[ItemChange, ...] = ()
    fields: tuple[FieldChange, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing a reader would notice changed."""
        return not (self.restatements or self.added or self.removed or self.renamed or self.fields)


def diff(previous: Mapping[str, Any], current: Mapping[str, Any]) -> Changes:
    """Compare two ``scorecard.json`` documents, the earlier snapshot first."""
    added: list[ItemChange] = []
    removed: list[ItemChange] = []
    renamed: list[ItemChange] = []
    fields: list[FieldChange] = []
    for key, kind, _ in KINDS:
        old, new = _by_id(previous, key), _by_id(current, key)
        added += [ItemChange(kind, i, _name(new[(u, i)]), org_unit=u) for u, i in sorted(new.keys() - old.keys())]
        removed += [ItemChange(kind, i, _name(old[(u, i)]), org_unit=u) for u, i in sorted(old.keys() - new.keys())]
        for unit, item_id in sorted(old.keys() & new.keys()):
            before, after = old[(unit, item_id)], new[(unit, item_id)]
            if _name(before) != _name(after):
                renamed.append(ItemChange(kind, item_id, _name(after), _name(before), org_unit=unit))
            fields += _field_changes(key, kind, before, after)
    return Changes(
        previous_as_of=previous.get("as_of"),
        current_as_of=current.get("as_of"),
        root_unit=str((current.get("organization") or {}).get("id") or ""),
        restatements=tuple(_restatements(_by_id(previous, "kpis"), _by_id(current, "kpis"))),
        added=tuple(added),
        removed=tuple(removed),
        renamed=tuple(renamed),
        fields=tuple(fields),
    )


def changes_page(
    changes: Changes | None,
    *,
    current_label: str,
    previous_label: str | None,
    link: Callable[[str, str, str], str | None] | None = None,
) -> str:
    """The Markdown of ``changes.md``.

    Args:
        changes: the differences, or ``None`` for the first snapshot (nothing to compare).
        current_label: this snapshot's label, e.g. ``2026-Q2``.
        previous_label: the snapshot compared with, or ``None``.
        link: ``(kind folder, id, org_unit) -> .md path`` of an item's page relative to
            ``changes.md``, or ``None`` for no link; default :func:`default_link`.
    """
    view = None if changes is None else _view(changes, link or partial(default_link, root_unit=changes.root_unit))
    template = template_environment().get_template("changes.md.j2")
    return template.render(changes=changes, view=view, current=current_label, previous=previous_label)


def default_link(folder: str, item_id: str, org_unit: str = "", *, root_unit: str = "") -> str | None:
    """An item's page relative to ``changes.md`` at the docs root (a unit's pages under ``units/<unit>/``)."""
    if org_unit and org_unit != root_unit:
        return f"units/{org_unit}/{folder}/{item_id}.md"
    return f"{folder}/{item_id}.md"


def format_value(value: Any, unit: str = "") -> str:
    """A value from ``scorecard.json`` as a reader would write it (``90 by 2026-12``, ``30 to 40``)."""
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _number(value, unit)
    if isinstance(value, Mapping) and "value" in value:
        period = f" by {value['period']}" if value.get("period") is not None else ""
        return f"{_number(value['value'], unit)}{period}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
            return f"{_number(value[0], unit)} to {_number(value[1], unit)}"
        return "; ".join(_entry(v, unit) for v in value)
    return str(value)


# -- comparison -------------------------------------------------------------------


def _by_id(document: Mapping[str, Any], key: str) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Items keyed by ``(org_unit, id)``; an item without ``org_unit`` belongs to the root unit."""
    items = document.get(key) or []
    return {_key(item): item for item in items if isinstance(item, Mapping) and "id" in item}


def _key(item: Mapping[str, Any]) -> tuple[str, str]:
    return (str(item.get("org_unit") or ""), str(item["id"]))


def _name(item: Mapping[str, Any]) -> str:
    return str(item.get("name") or item["id"])


def _field_changes(key: str, kind: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    changes = []
    for name, word in TRACKED.get(key, ()):
        if name in before and name in after and _canonical(before[name]) != _canonical(after[name]):
            old_text = format_value(before[name], _unit_of(before, name))
            new_text = format_value(after[name], _unit_of(after, name))
            unit, item_id = _key(after)
            changes.append(FieldChange(kind, item_id, _name(after), word, old_text, new_text, unit))
    return changes


def _unit_of(item: Mapping[str, Any], name: str) -> str:
    # Goals are in the KPI's unit; a tolerance or a weight is not ("5" tolerance is not "5%").
    return str(item.get("unit") or "") if name in _GOAL_FIELDS else ""


def _canonical(value: Any) -> str:
    # JSON text with sorted keys: 90 and 90.0 are equal, key order is not a change.
    return json.dumps(_floats(value), sort_keys=True)


def _floats(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, Mapping):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_floats(v) for v in value]
    return value


def _restatements(
    old: dict[tuple[str, str], Mapping[str, Any]], new: dict[tuple[str, str], Mapping[str, Any]]
) -> list[Restatement]:
    found = []
    # A removed KPI is listed as removed; its actuals are not restated one by one.
    for key in sorted(old.keys() & new.keys()):
        unit, kpi_id = key
        now = {str(row["period"]): row.get("actual") for row in new[key].get("history") or []}
        for row in old[key].get("history") or []:
            before, period = row.get("actual"), str(row["period"])
            if before is None:
                continue  # an empty cell published nothing, so filling it restates nothing
            after = now.get(period)
            if after is None or not math.isclose(float(before), float(after), rel_tol=1e-9, abs_tol=1e-12):
                value = None if after is None else float(after)
                measure = str(new[key].get("unit") or "")
                found.append(Restatement(kpi_id, _name(new[key]), period, float(before), value, measure, unit))
    return sorted(found, key=lambda r: (r.org_unit, r.kpi_id, r.period))


# -- presentation helpers (strings only; layout is in changes.md.j2) -------------------


def _view(changes: Changes, link: Callable[[str, str, str], str | None]) -> dict[str, Any]:
    """The strings the template lays out; only items that still exist get a link."""
    folders = {kind: folder for _, kind, folder in KINDS}

    def href(kind: str, item_id: str, org_unit: str) -> str | None:
        return link(folders[kind], item_id, org_unit)

    return {
        "restated": [
            {
                "name": r.kpi_name, "href": href("KPI", r.kpi_id, r.org_unit), "period": r.period,
                "old": _number(r.old, r.unit), "new": "removed" if r.new is None else _number(r.new, r.unit),
            }
            for r in changes.restatements
        ],
        "fields": [
            {
                "kind": c.kind, "name": c.name, "href": href(c.kind, c.id, c.org_unit),
                "field": c.field, "old": c.old, "new": c.new,
            }
            for c in changes.fields
        ],
        "added": [{"kind": c.kind, "name": c.name, "href": href(c.kind, c.id, c.org_unit)} for c in changes.added],
        "removed": [{"kind": c.kind, "name": c.name, "id": c.id} for c in changes.removed],
        "renamed": [
            {"kind": c.kind, "name": c.name, "old_name": c.old_name, "href": href(c.kind, c.id, c.org_unit)}
            for c in changes.renamed
        ],
    }


def _number(value: Any, unit: str = "") -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    text = f"{float(value):.10g}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def _entry(value: Any, unit: str) -> str:
    if isinstance(value, Mapping) and "value" in value and "period" in value:
        return f"{value['period']}: {_number(value['value'], unit)}"
    return format_value(value, unit)
