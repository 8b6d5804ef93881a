"""What changed between two published snapshots, read from their ``scorecard.json``.

Auditors care most about *restated actuals*: a KPI value that was published in
an earlier snapshot and is different (or gone) now. They come first on the
page, in a danger admonition; added, removed and renamed items and changed
targets, tolerances and owners follow in tables.

Items are matched by ``(org_unit, id)`` within their kind: ids are unique only
within a unit (spec section 9), and item order is free (spec section 8.9).
A field is compared only when both documents carry it, so a snapshot published
by an older generator does not show every KPI as "changed".

This module only compares; the page is render's
(:func:`generator.render.pages.records.changes_markdown`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
    """A tracked field of an item whose value changed: both values as ``scorecard.json`` has them.

    ``old_unit``/``new_unit`` are the units the values are in (a goal is in the KPI's
    unit; a tolerance or a weight is not).
    """

    kind: str
    id: str
    name: str
    field: str
    old: Any
    new: Any
    org_unit: str = ""
    old_unit: str = ""
    new_unit: str = ""


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
    unit_names: tuple[tuple[str, str], ...] = ()
    """``(unit id, name)`` of every unit below the root in the current snapshot (empty without units)."""

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
            fields += _field_changes(key, kind, before, after, unit)
    return Changes(
        previous_as_of=previous.get("as_of"),
        current_as_of=current.get("as_of"),
        root_unit=str((current.get("organization") or {}).get("id") or ""),
        restatements=tuple(_restatements(_by_id(previous, "kpis"), _by_id(current, "kpis"))),
        added=tuple(added),
        removed=tuple(removed),
        renamed=tuple(renamed),
        fields=tuple(fields),
        unit_names=tuple(
            (str(u["id"]), str(u.get("name") or u["id"]))
            for u in current.get("units") or []
            if isinstance(u, Mapping) and u.get("id") is not None
        ),
    )


# -- comparison -------------------------------------------------------------------


def _by_id(document: Mapping[str, Any], key: str) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Items of the root and of every unit (``units``, spec 9.5), keyed by ``(org_unit, id)``.

    An item without ``org_unit`` belongs to the unit whose list holds it (the root's: "").
    """
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    for owner, items in _item_lists(document, key):
        for item in items:
            if isinstance(item, Mapping) and "id" in item:
                found[_key(item, owner)] = item
    return found


def _item_lists(document: Mapping[str, Any], key: str) -> list[tuple[str, list[Any]]]:
    lists = [("", list(document.get(key) or []))]
    for unit in document.get("units") or []:
        if isinstance(unit, Mapping) and unit.get("id") is not None:
            lists.append((str(unit["id"]), list(unit.get(key) or [])))
    return lists


def _key(item: Mapping[str, Any], owner: str = "") -> tuple[str, str]:
    return (str(item.get("org_unit") or owner), str(item["id"]))


def _name(item: Mapping[str, Any]) -> str:
    return str(item.get("name") or item["id"])


def _field_changes(
    key: str, kind: str, before: Mapping[str, Any], after: Mapping[str, Any], unit: str
) -> list[FieldChange]:
    changes = []
    for name, word in TRACKED.get(key, ()):
        if name in before and name in after and _canonical(before[name]) != _canonical(after[name]):
            item_id = str(after["id"])
            changes.append(
                FieldChange(
                    kind, item_id, _name(after), word, before[name], after[name], unit,
                    _unit_of(before, name), _unit_of(after, name),
                )
            )
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
