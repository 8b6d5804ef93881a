"""The unit tree (spec 9): unit folders, their ids and parents, ``supports`` and ``consolidate``.

Each unit is read on its own by :func:`generator.load.read_unit`; this module
finds the unit folders (any depth), then checks what spans units: a unit's id
is its folder's name and unique across the organisation, ``parent`` names the
unit above, ``supports`` names objectives of ancestors, ``consolidate`` names
KPIs of descendants (same frequency, no entry twice, no actuals of its own,
restricted when a source is).

Every problem names the file and line, with the unit's path as given to
``check`` (``scorecard/units/sales/scorecard.yml:12``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import Location, Problem, Severity, display_path
from generator.load.files import MAIN_FILE
from generator.load.hints import did_you_mean, one_of
from generator.load.items import Placed
from generator.model import ID_PATTERN, Kpi

if TYPE_CHECKING:
    from generator.load import Draft

__all__ = ["UNITS_FOLDER", "check_tree", "read_units"]

UNITS_FOLDER = "units"


def read_units(root: Draft, read_unit: Callable[[Path, Draft | None], Draft]) -> list[Problem]:
    """Read every unit below ``root`` (a unit before its own units), attaching each to its parent.

    Returns:
        The problems of the ``units/`` folders themselves (stray files, folders
        without ``scorecard.yml``); each unit keeps its own problems.
    """
    problems: list[Problem] = []
    pending = [root]
    while pending:
        draft = pending.pop()
        folders, found = unit_folders(draft.folder)
        problems += found
        draft.children = [read_unit(folder, draft) for folder in folders]
        pending.extend(reversed(draft.children))
    return problems


def unit_folders(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The unit folders directly under ``folder/units`` (by name), and what is wrong there."""
    units = folder / UNITS_FOLDER
    if not units.is_dir():
        return [], []
    folders, problems = [], []
    for entry in sorted(units.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        shown = display_path(entry)
        if not entry.is_dir():
            message = "ignored: a unit is a folder holding scorecard.yml (move this file into a unit's folder)"
            problems.append(Problem(Location(shown), message, Severity.WARNING))
        elif not (entry / MAIN_FILE).is_file():
            hint = " (rename scorecard.yaml to scorecard.yml)" if (entry / "scorecard.yaml").is_file() else ""
            message = (
                f"every folder under {UNITS_FOLDER}/ is a unit and needs {MAIN_FILE}{hint}; "
                "add it, or move the folder out of units/"
            )
            problems.append(Problem(Location(f"{shown}/{MAIN_FILE}"), message))
        else:
            folders.append(entry)
    return folders, problems


def check_tree(root: Draft) -> list[Problem]:
    """Every rule that spans units: ids, parents, ``supports``, ``consolidate``."""
    drafts = root.walk()
    problems = _unit_ids(drafts)
    for draft in drafts:
        problems += _parent(draft)
        problems += _supports(draft)
        problems += _consolidated(draft)
    return problems


# -- ids and parents ----------------------------------------------------------------


def _unit_ids(drafts: list[Draft]) -> list[Problem]:
    """A unit's id equals its folder's name, and no two units share an id."""
    problems = []
    first: dict[str, Draft] = {}
    for draft in sorted(drafts, key=lambda d: d.folder.parts):
        key = draft.key
        if key is None:
            continue
        written = _written_id(draft)
        if draft.parent is not None and written is not None and written != key:
            problems.append(Problem(_org_where(draft, "id"), _id_message(written, key)))
        earlier = first.setdefault(key, draft)
        if earlier is not draft:
            message = (
                f"organization: unit id {key!r} is used twice (first at {_org_where(earlier, 'id')}); "
                "unit ids are unique across the organisation: rename one unit's folder and id"
            )
            problems.append(Problem(_org_where(draft, "id"), message))
    return problems


def _id_message(written: str, folder: str) -> str:
    if not re.fullmatch(ID_PATTERN, folder):
        return (
            f"organization: a unit's id equals its folder's name, and {folder!r} is not a valid id; "
            f"rename the folder to {written!r}"
        )
    return (
        f"organization: id {written!r} must equal the unit's folder name {folder!r} "
        f"(write id: {folder}, or rename the folder)"
    )


def _parent(draft: Draft) -> list[Problem]:
    organization = draft.organization
    if organization is None or organization.item.parent is None:
        return []
    written = organization.item.parent
    if draft.parent is None:
        message = (
            f"organization: parent {written!r} is written in the root unit; the organisation has no parent "
            "(remove parent, or check the organisation's folder, which holds this one in units/)"
        )
        return [Problem(organization.where("parent"), message)]
    expected = draft.parent.key
    if expected is None or written == expected:
        return []
    message = (
        f"organization: parent {written!r} is not the unit whose units/ folder holds this one ({expected!r}); "
        f"write parent: {expected}, or leave parent out"
    )
    return [Problem(organization.where("parent"), message)]


# -- alignment ------------------------------------------------------------------------


def _supports(draft: Draft) -> list[Problem]:
    problems = []
    for objective in draft.placed["objectives"]:
        refs = objective.item.supports
        if not refs:
            continue
        if draft.parent is None:
            message = (
                f"{objective.label}: supports is written in the root unit, which has no unit above it; "
                "remove it (supports names objectives of the units above a unit)"
            )
            problems.append(Problem(objective.where("supports"), message))
            continue
        for index, ref in enumerate(refs):
            why = _support_problem(draft, ref)
            if why:
                message = f"{objective.label}: supports {ref!r}: {why}"
                problems.append(Problem(objective.where("supports", index), message))
    return problems


def _support_problem(draft: Draft, ref: str) -> str | None:
    """Why ``unit-id/objective-id`` is not an objective of one of ``draft``'s ancestors (None when it is)."""
    unit_id, _, objective_id = ref.partition("/")
    ancestors = draft.ancestors()
    above = one_of([a.key for a in ancestors if a.key])
    target = next((a for a in ancestors if a.key == unit_id), None)
    if target is not None:
        return _missing_item(target, "objectives", objective_id)
    if unit_id == draft.key:
        return (
            f"names its own unit; supports names objectives of the units above ({above}), "
            "while drives links objectives of the same unit"
        )
    other = _find(draft, unit_id)
    if other is None:
        known = [d.key for d in _root(draft).walk() if d.key]
        return f"unit {unit_id!r} does not exist{did_you_mean(unit_id, known)} (units above this one: {above})"
    where = "below this unit" if draft in other.ancestors() else "not above this unit"
    return f"unit {unit_id!r} is {where}; supports names objectives of the units above it ({above})"


def _missing_item(unit: Draft, section: str, item_id: str) -> str | None:
    """None when ``item_id`` exists in ``unit``'s section (or may: an item without a valid id)."""
    ids = [_raw_id(item.data) for item in unit.raw.items[section]]
    if None in ids or not _readable(unit) or item_id in ids:
        return None
    known = [i for i in ids if i]
    kind = "objective" if section == "objectives" else "kpi"
    hint = did_you_mean(item_id, known) or (f" ({section} there: {one_of(known)})" if 0 < len(known) <= 8 else "")
    return f"unit {unit.key!r} has no {kind} {item_id!r}{hint}"


# -- consolidated KPIs ------------------------------------------------------------------


def _consolidated(draft: Draft) -> list[Problem]:
    problems = []
    for placed in draft.placed["kpis"]:
        kpi: Kpi = placed.item
        if kpi.consolidate is None:
            continue
        problems += _sources(draft, placed)
        problems += _restricted(draft, placed)
        problems += _own_rows(draft, kpi)
    return problems


def _sources(draft: Draft, placed: Placed) -> list[Problem]:
    kpi: Kpi = placed.item
    assert kpi.consolidate is not None
    if not kpi.consolidate.sources:
        message = f"{placed.label}: consolidate from must list at least one KPI (unit-id/kpi-id of a unit below)"
        return [Problem(placed.where("consolidate", "from"), message)]
    problems = []
    seen: dict[str, int] = {}
    for index, ref in enumerate(kpi.consolidate.sources):
        where = placed.where("consolidate", "from", index)
        first = seen.setdefault(ref, index)
        if first != index:
            message = f"{placed.label}: consolidate from #{index + 1} {ref!r} is listed twice (first as #{first + 1})"
            problems.append(Problem(where, message))
            continue
        why = _source_problem(draft, kpi, ref)
        if why:
            problems.append(Problem(where, f"{placed.label}: consolidate from {ref!r}: {why}"))
    return problems


def _source_problem(draft: Draft, kpi: Kpi, ref: str) -> str | None:
    """Why ``unit-id/kpi-id`` is not a KPI of a descendant with ``kpi``'s frequency (None when it is)."""
    unit_id, _, kpi_id = ref.partition("/")
    below = [d for d in draft.walk() if d is not draft]
    names = one_of([d.key for d in below if d.key]) if below else ""
    target = next((d for d in below if d.key == unit_id), None)
    if target is not None:
        missing = _missing_item(target, "kpis", kpi_id)
        if missing:
            return missing
        source = _placed_kpi(target, kpi_id)
        if source is not None and source.frequency is not kpi.frequency:
            return (
                f"is {source.frequency.value} but this KPI is {kpi.frequency.value}; "
                "a consolidated KPI and its sources share one frequency"
            )
        return None
    where = f"the units below this one: {names}" if below else "this unit has no units below it"
    if unit_id == draft.key:
        return f"names its own unit; consolidate takes KPIs of units below ({where})"
    other = _find(draft, unit_id)
    if other is None:
        known = [d.key for d in _root(draft).walk() if d.key]
        return f"unit {unit_id!r} does not exist{did_you_mean(unit_id, known)} ({where})"
    return f"unit {unit_id!r} is not below this unit; consolidate takes KPIs of units below ({where})"


def _restricted(draft: Draft, placed: Placed) -> list[Problem]:
    """Spec 9.3.4: a total over a restricted source would reveal it, so it must be restricted too."""
    kpi: Kpi = placed.item
    if kpi.restricted or kpi.consolidate is None:
        return []
    for index, ref in enumerate(kpi.consolidate.sources):
        chain = _restricted_chain(draft, ref, set())
        if chain:
            through = f" (through {' -> '.join(chain)})" if len(chain) > 1 else ""
            message = (
                f"{placed.label}: consolidates the restricted KPI {chain[-1]!r}{through}, so its value would reveal "
                "it; write visibility: restricted"
            )
            return [Problem(placed.where("consolidate", "from", index), message)]  # one is enough to fix it
    return []


def _restricted_chain(draft: Draft, ref: str, seen: set[str]) -> list[str]:
    """The path ``ref`` -> ... -> a restricted KPI, when ``ref`` is or consolidates one (else empty)."""
    if ref in seen:
        return []  # only a broken tree loops; its own error says so
    seen.add(ref)
    unit_id, _, kpi_id = ref.partition("/")
    unit = next((d for d in draft.walk() if d.key == unit_id), None)
    if unit is None:
        return []
    source = _placed_kpi(unit, kpi_id)
    if source is None:
        return []
    if source.restricted:
        return [ref]
    for inner in source.consolidate.sources if source.consolidate else ():
        chain = _restricted_chain(unit, inner, seen)
        if chain:
            return [ref, *chain]
    return []


def _own_rows(draft: Draft, kpi: Kpi) -> list[Problem]:
    """Spec 9.3.2: a consolidated KPI has no actuals of its own; one error per file that writes some."""
    if draft.actuals is None or kpi.consolidate is None:
        return []
    problems, files = [], set()
    for row in draft.actuals.rows.get(kpi.id, []):
        if (row.where.path, row.where.sheet) in files:
            continue
        files.add((row.where.path, row.where.sheet))
        message = (
            f"kpi '{kpi.id}' is consolidated (from {', '.join(kpi.consolidate.sources)}), so it takes no actuals "
            "of its own: remove its rows (its value comes from its sources)"
        )
        problems.append(Problem(row.where, message))
    return problems


# -- helpers ------------------------------------------------------------------------------


def _readable(draft: Draft) -> bool:
    """Every YAML file of the unit was read and ``scorecard.yml`` is a mapping: its item ids are all known."""
    main = draft.raw.main
    return not draft.raw.unreadable and main is not None and isinstance(main.data, dict)


def _root(draft: Draft) -> Draft:
    while draft.parent is not None:
        draft = draft.parent
    return draft


def _find(draft: Draft, unit_id: str) -> Draft | None:
    return next((d for d in _root(draft).walk() if d.key == unit_id), None)


def _placed_kpi(unit: Draft, kpi_id: str) -> Kpi | None:
    return next((p.item for p in unit.placed["kpis"] if p.item.id == kpi_id), None)


def _written_id(draft: Draft) -> str | None:
    if draft.raw.organization is None:
        return None
    return _raw_id(draft.raw.organization.data)


def _raw_id(data: object) -> str | None:
    value = data.get("id") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    return text if re.fullmatch(ID_PATTERN, text) else None


def _org_where(draft: Draft, key: str) -> Location:
    if draft.raw.organization is not None:
        return draft.raw.organization.where(key)
    return Location(display_path(draft.folder / MAIN_FILE))
