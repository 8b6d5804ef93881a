"""The load stage: a scorecard folder (YAML + CSV or .xlsx actuals) in, a validated :class:`Scorecard` out.

:func:`load` collects every problem in every file before it gives up, so a
user fixes everything in one pass; warnings (unknown keys, ...) come back with
the scorecard when there is no error.

Modules: :mod:`.yaml_source` (safe, line-aware YAML), :mod:`.files` (split
files), :mod:`.items` (one item against its model), :mod:`.validate` (rules
across items), :mod:`.actuals` (CSV and workbook actuals, via :mod:`.workbook`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Location, Problem, ValidationFailed, display_path, sort_problems
from generator.load import cascade, validate
from generator.load.actuals import Actuals, read_actuals
from generator.load.files import MAIN_FILE, RawItem, RawScorecard, read_scorecard_yaml
from generator.load.items import Placed, validate_item
from generator.model import DEFAULT_PERSPECTIVES, ID_PATTERN, Actual, Perspective, Scorecard
from generator.periods import Frequency

__all__ = ["Draft", "Loaded", "load", "read_unit"]

log = logging.getLogger(__name__)

_ID = re.compile(ID_PATTERN)
_FREQUENCY_WORDS = {f.value for f in Frequency}


@dataclass(frozen=True)
class Loaded:
    """A scorecard that has no errors, with the warnings found while reading it."""

    scorecard: Scorecard
    warnings: list[Problem]


def load(folder: Path) -> Loaded:
    """Read and validate the scorecard in ``folder``, with every unit below it (spec 9).

    Args:
        folder: the scorecard folder (holding ``scorecard.yml``, ``data/`` and ``units/``).

    Returns:
        The validated scorecard tree and its warnings, sorted by file and line.

    Raises:
        ValidationFailed: with every error and warning of every unit, when there is any error.
    """
    folder = Path(folder)
    missing = _missing_folder(folder)
    if missing:
        raise ValidationFailed([missing])
    root = read_unit(folder, None)
    problems = cascade.read_units(root, read_unit) + cascade.check_tree(root)
    drafts = root.walk()
    problems += [p for draft in drafts for p in draft.problems]
    log.debug("%s: %d unit(s), %d problem(s)", display_path(folder), len(drafts), len(problems))
    if any(p.is_error for p in problems) or any(not draft.complete for draft in drafts):
        raise ValidationFailed(problems)
    return Loaded(root.scorecard(), sort_problems([p for p in problems if not p.is_error]))


def read_unit(folder: Path, parent: Draft | None) -> Draft:
    """Read one unit's own files (YAML and actuals) and check them on their own.

    A unit that writes no ``perspectives`` key takes its parent's (spec 9.1.3),
    so the parent is read first.
    """
    raw, problems = read_scorecard_yaml(folder)
    placed: dict[str, list[Placed]] = {section: [] for section in raw.items}
    organization = None
    if raw.organization is not None:
        organization, found = validate_item(raw.organization)
        problems += found
    for section, items in raw.items.items():
        for item in items:
            one, found = validate_item(item)
            problems += found
            if one is not None:
                placed[section].append(one)
    inherits = parent is not None and not _writes_perspectives(raw)
    if parent is not None and inherits:  # `parent is not None` again: mypy does not narrow through `inherits`
        perspectives = _inherited(parent.perspectives, raw)
        perspective_ids = parent.perspective_ids
    else:
        perspectives = _perspectives(placed["perspectives"], raw)
        perspective_ids = _known_ids(raw.items["perspectives"]) or [p.id for p in perspectives]
    problems += _cross_item(placed, raw, perspective_ids)
    # With a YAML file unread, the KPIs are not all known: checking CSVs against them would only add noise.
    actuals = read_actuals(folder, _frequencies(raw.items["kpis"], placed["kpis"])) if not raw.unreadable else None
    problems += actuals.problems if actuals else []
    return Draft(
        folder=folder,
        parent=parent,
        raw=raw,
        placed=placed,
        organization=organization,
        perspectives=perspectives,
        inherits_perspectives=inherits,
        perspective_ids=None if raw.unreadable else perspective_ids,
        actuals=actuals,
        problems=problems,
    )


def _writes_perspectives(raw: RawScorecard) -> bool:
    """Whether ``scorecard.yml`` has a ``perspectives`` key (``perspectives: []`` means the default four)."""
    data = raw.main.data if raw.main is not None else None
    return isinstance(data, dict) and "perspectives" in data


def _inherited(perspectives: tuple[Perspective, ...], raw: RawScorecard) -> tuple[Perspective, ...]:
    """The parent's perspectives, placed at the unit's ``scorecard.yml`` (no line: the unit wrote none)."""
    path = raw.main.path if raw.main is not None else MAIN_FILE
    copies = []
    for perspective in perspectives:
        copy = perspective.model_copy()
        copy.locate(Location(path), {})
        copies.append(copy)
    return tuple(copies)


@dataclass
class Draft:
    """One unit as read, before the tree is checked and built.

    Attributes:
        folder: the unit's folder.
        parent: the unit whose ``units/`` folder holds it (None for the root).
        raw: its YAML, cut into items.
        placed: its valid items, by section.
        organization: its valid ``organization`` item (None when invalid).
        perspectives: its perspectives, inherited ones included.
        inherits_perspectives: it wrote no ``perspectives`` key.
        perspective_ids: every perspective id its objectives may name, invalid
            perspectives' too; None when a YAML file (its own, or its parent's when
            it inherits) could not be read, so references to them are not checked.
        actuals: its data files (None when a YAML file could not be read).
        problems: every problem found in its own files.
        children: its units, by folder name.
    """

    folder: Path
    parent: Draft | None
    raw: RawScorecard
    placed: dict[str, list[Placed]]
    organization: Placed | None
    perspectives: tuple[Perspective, ...]
    inherits_perspectives: bool
    perspective_ids: list[str] | None
    actuals: Actuals | None
    problems: list[Problem]
    children: list[Draft] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        """The unit's id: its folder's name for a unit, its written id for the root (None when unreadable)."""
        if self.parent is not None:
            return self.folder.name
        return _raw_id(self.raw.organization.data) if self.raw.organization is not None else None

    @property
    def complete(self) -> bool:
        """Everything needed to build the unit was read."""
        return self.organization is not None and self.actuals is not None

    def walk(self) -> list[Draft]:
        """This draft and every draft below it, a unit before its own units."""
        found = [self]
        for child in self.children:
            found += child.walk()
        return found

    def ancestors(self) -> list[Draft]:
        """The parent, its parent, ... up to the root."""
        found, draft = [], self.parent
        while draft is not None:
            found.append(draft)
            draft = draft.parent
        return found

    def scorecard(self) -> Scorecard:
        """The validated scorecard of this unit and its units (only once the whole tree is error-free)."""
        assert self.organization is not None and self.actuals is not None
        folder = self.folder
        return Scorecard(
            organization=self.organization.item,
            perspectives=self.perspectives,
            themes=_items(self.placed["themes"]),
            objectives=_items(self.placed["objectives"]),
            kpis=_items(self.placed["kpis"]),
            initiatives=_items(self.placed["initiatives"]),
            actuals=_sorted_actuals(self.placed["kpis"], self.actuals.rows),
            files=_files(folder, self.raw.files + self.actuals.files),
            units=tuple(child.scorecard() for child in self.children),
            parent=self.parent.key if self.parent is not None else None,
            folder=display_path(folder),
            inherits_perspectives=self.inherits_perspectives,
        )


def _missing_folder(folder: Path) -> Problem | None:
    shown = display_path(folder)
    if not folder.exists():
        return Problem(Location(shown), "the scorecard folder does not exist")
    if not folder.is_dir():
        return Problem(Location(shown), "is not a folder (give the scorecard folder, which holds scorecard.yml)")
    if not (folder / MAIN_FILE).is_file():
        hint = " (rename scorecard.yaml to scorecard.yml)" if (folder / "scorecard.yaml").is_file() else ""
        message = f"missing: every scorecard folder needs {MAIN_FILE}{hint}"
        return Problem(Location(display_path(folder / MAIN_FILE)), message)
    return None


def _perspectives(written: list[Placed], raw: RawScorecard) -> tuple[Perspective, ...]:
    """The written perspectives; absent or ``[]`` means the four defaults (spec 2)."""
    if raw.items["perspectives"]:
        return _items(written)
    path = raw.main.path if raw.main is not None else MAIN_FILE
    defaults = []
    for pid, name in DEFAULT_PERSPECTIVES:
        perspective = Perspective(id=pid, name=name)
        perspective.locate(Location(path), {})
        defaults.append(perspective)
    return tuple(defaults)


def _cross_item(
    placed: dict[str, list[Placed]], raw: RawScorecard, perspective_ids: list[str] | None
) -> list[Problem]:
    problems: list[Problem] = []
    for section in placed:
        problems += validate.check_unique_ids(placed[section])
    for kpi in placed["kpis"]:
        problems += validate.check_kpi_goals(kpi)
    for initiative in placed["initiatives"]:
        problems += validate.check_initiative(initiative)
    # With a YAML file unread, its ids are unknown: every reference into it would be a false
    # "does not exist" that buries the syntax error, the one problem to fix first.
    return problems if raw.unreadable else problems + _references(placed, raw, perspective_ids)


def _references(
    placed: dict[str, list[Placed]], raw: RawScorecard, perspective_ids: list[str] | None
) -> list[Problem]:
    """Every reference resolves, checked only into sections whose ids are all known.

    When an item has no valid id, a reference may well be meant for it: its own
    "missing id" error is the one to fix, not a "did you mean" on every reference.
    """
    themes = _all_ids(raw.items["themes"])
    objectives = _all_ids(raw.items["objectives"])
    checks: list[tuple[Placed, str, list[str] | None, str]] = []
    for objective in placed["objectives"]:
        checks.append((objective, "perspective", perspective_ids, "perspectives"))
        checks.append((objective, "themes", themes, "themes"))
        checks.append((objective, "drives", objectives, "objectives"))
    checks += [(kpi, "objective", objectives, "objectives") for kpi in placed["kpis"]]
    checks += [(initiative, "objectives", objectives, "objectives") for initiative in placed["initiatives"]]
    problems: list[Problem] = []
    for item, key, known, kind in checks:
        if known is not None:
            problems += validate.check_references(item, key, known, kind)
    return problems


def _all_ids(items: list[RawItem]) -> list[str] | None:
    """The section's ids, or ``None`` when an item has no valid id (so some id is unknown)."""
    return None if any(_raw_id(item.data) is None for item in items) else _known_ids(items)


def _known_ids(items: list[RawItem]) -> list[str]:
    """Every valid id written in a section, valid item or not, in written order."""
    ids = (_raw_id(item.data) for item in items)
    return list(dict.fromkeys(i for i in ids if i is not None))


def _raw_id(data: Any) -> str | None:
    value = data.get("id") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value) if _ID.fullmatch(str(value)) else None


def _frequencies(raw_kpis: list[RawItem], placed: list[Placed]) -> dict[str, Frequency | None]:
    """Every KPI id written, with its frequency when it is readable (CSV periods are checked against it).

    An invalid KPI whose `frequency` is still a known word keeps it, so its CSV rows
    are checked in the same run rather than after the YAML is fixed.
    """
    frequencies: dict[str, Frequency | None] = {kpi_id: None for kpi_id in _known_ids(raw_kpis)}
    for raw in raw_kpis:
        kpi_id = _raw_id(raw.data)
        written = raw.data.get("frequency") if isinstance(raw.data, dict) else None
        if kpi_id and frequencies[kpi_id] is None and isinstance(written, str) and written in _FREQUENCY_WORDS:
            frequencies[kpi_id] = Frequency(written)
    for kpi in reversed(placed):  # reversed: with a duplicate id (an error anyway) the first one wins
        frequencies[kpi.item.id] = kpi.item.frequency
    return frequencies


def _items(placed: list[Placed]) -> tuple[Any, ...]:
    return tuple(p.item for p in placed)


def _sorted_actuals(kpis: list[Placed], rows: dict[str, list[Actual]]) -> dict[str, tuple[Actual, ...]]:
    """Every KPI's rows sorted by period (an empty tuple when it has none), in KPI order."""
    return {kpi.item.id: tuple(sorted(rows.get(kpi.item.id, []), key=lambda a: a.period)) for kpi in kpis}


def _files(folder: Path, paths: list[Path]) -> tuple[str, ...]:
    ordered = sorted(set(paths), key=lambda p: p.relative_to(folder).parts)
    return tuple(display_path(p) for p in ordered)
