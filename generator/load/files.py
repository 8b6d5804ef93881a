"""Finding the scorecard's YAML files and cutting them into raw items (spec 1.1, 8.1).

``scorecard.yml`` comes first; every further ``*.yml``/``*.yaml`` under the
folder (except ``data/``, ``units/`` and hidden entries such as ``.github/``)
follows in path order and may add objectives, KPIs and initiatives.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Location, Problem, Severity, display_path
from generator.load.hints import did_you_mean, one_of
from generator.load.yaml_source import KeyPath, YamlDocument, read_yaml

__all__ = ["RawItem", "RawScorecard", "read_scorecard_yaml", "tree_files", "MAIN_FILE", "SECTIONS", "SPLIT_KINDS"]

log = logging.getLogger(__name__)

MAIN_FILE = "scorecard.yml"
SECTIONS = ("organization", "perspectives", "themes", "objectives", "kpis", "initiatives")
SPLIT_KINDS = ("objectives", "kpis", "initiatives")
LIST_SECTIONS = SECTIONS[1:]
SINGULAR = {
    "organization": "organization",
    "perspectives": "perspective",
    "themes": "theme",
    "objectives": "objective",
    "kpis": "kpi",
    "initiatives": "initiative",
}
# data/ holds CSV actuals; units/ holds whole unit scorecards (spec section 9), never split files.
_NOT_SPLIT = ("data", "units")


@dataclass(frozen=True)
class RawItem:
    """One item as written, before validation.

    Attributes:
        section: its section (``kpis``); ``organization`` for the organisation.
        index: its 1-based position in its list in its file (names items without a valid id).
        data: the YAML value (normally a mapping).
        doc: the file it was written in.
        path: where it sits in that file.
    """

    section: str
    index: int
    data: Any
    doc: YamlDocument
    path: KeyPath

    @property
    def kind(self) -> str:
        """The singular word for messages: ``kpi``."""
        return SINGULAR[self.section]

    @property
    def line(self) -> int | None:
        return self.doc.line(self.path)

    def where(self, *keys: str | int) -> Location:
        """The location of a key (path below the item), or of the item when the key was not written."""
        return self.doc.where(self.path + keys)


@dataclass
class RawScorecard:
    """Everything the YAML files hold, cut into items, with the files read."""

    organization: RawItem | None = None
    items: dict[str, list[RawItem]] = field(default_factory=lambda: {s: [] for s in LIST_SECTIONS})
    files: list[Path] = field(default_factory=list)
    main: YamlDocument | None = None
    unreadable: list[str] = field(default_factory=list)  # files whose YAML could not be read at all


def tree_files(folder: Path, suffixes: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[Path]:
    """Files under ``folder`` with one of ``suffixes``, in path order, hidden entries left out.

    Args:
        folder: where to look (recursively).
        suffixes: lower-case suffixes such as ``(".yml", ".yaml")``.
        skip: names of top-level sub-folders to leave out.
    """
    found = []
    seen: set[str] = set()
    # os.walk, pruned: a unit's units/ (spec 9) may hold hundreds of files this search must not visit.
    # Linked folders are followed (as rglob did), each real folder once, so a link loop ends.
    for top, folders, files in os.walk(folder, followlinks=True):
        here = Path(top)
        real = os.path.realpath(top)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        at_root = here == folder
        folders[:] = [f for f in folders if not f.startswith(".") and not (at_root and f in skip)]
        found += [here / f for f in files if not f.startswith(".") and Path(f).suffix.lower() in suffixes]
    return sorted((p for p in found if p.is_file()), key=lambda p: p.relative_to(folder).parts)


def _read(path: Path, raw: RawScorecard, problems: list[Problem]) -> YamlDocument | None:
    """Read one YAML file, recording it as read (and as unreadable when it fails)."""
    raw.files.append(path)
    doc, found = read_yaml(path, display_path(path))
    problems += found
    if doc is None:
        raw.unreadable.append(display_path(path))
    return doc


def read_scorecard_yaml(folder: Path) -> tuple[RawScorecard, list[Problem]]:
    """Read ``scorecard.yml`` and every split file under ``folder`` into raw items.

    Returns:
        The raw scorecard and every problem found (a file that cannot be read
        contributes no items, the others still do).
    """
    raw = RawScorecard()
    problems: list[Problem] = []
    main = folder / MAIN_FILE
    raw.main = _read(main, raw, problems)
    if raw.main is not None:
        problems += _main_sections(raw.main, raw)
    for path in tree_files(folder, (".yml", ".yaml"), skip=_NOT_SPLIT):
        doc = _read(path, raw, problems) if path != main else None
        if doc is not None:
            problems += _split_file(doc, path.relative_to(folder), raw)
    return raw, problems


def _main_sections(doc: YamlDocument, raw: RawScorecard) -> list[Problem]:
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else _shape(doc.data)
        message = f"{MAIN_FILE} must be a mapping with organization, objectives, kpis, ... (it is {what})"
        return [Problem(doc.where(()), message)]
    problems = []
    for key in doc.data:
        if key not in SECTIONS:
            message = f"unknown top-level key {key!r}{did_you_mean(key, SECTIONS)}"
            problems.append(Problem(doc.where((key,)), message, Severity.WARNING))
    if "organization" not in doc.data:
        problems.append(Problem(Location(doc.path, 1), "missing required key 'organization' (with its id and name)"))
    else:
        raw.organization = RawItem("organization", 1, doc.data["organization"], doc, ("organization",))
    for section in LIST_SECTIONS:
        problems += _section(doc, (section,), section, raw)
    return problems


def _split_file(doc: YamlDocument, relative: Path, raw: RawScorecard) -> list[Problem]:
    if doc.data is None:
        log.info("%s is empty", doc.path)
        return []
    if isinstance(doc.data, list):
        section = _kind_of(relative)
        if section is None:
            message = (
                f"a list file must sit in a folder named {one_of(SPLIT_KINDS)} "
                f"(kpis/x.yml) or be named like one (kpis.yml)"
            )
            return [Problem(doc.where(()), message)]
        return _section(doc, (), section, raw, listed=True)
    if not isinstance(doc.data, dict):
        return [Problem(doc.where(()), f"a split file must be a list or a mapping, not {_shape(doc.data)}")]
    problems = []
    for key in doc.data:
        if key in SPLIT_KINDS:
            problems += _section(doc, (key,), key, raw)
        else:
            message = (
                f"a split file may hold only {one_of(SPLIT_KINDS)} (found {key!r}){did_you_mean(key, SPLIT_KINDS)}"
            )
            problems.append(Problem(doc.where((key,)), message))
    return problems


def _kind_of(relative: Path) -> str | None:
    """A list file's kind: from its nearest folder named like a kind, else from its own name."""
    for folder in reversed(relative.parts[:-1]):
        if folder in SPLIT_KINDS:
            return folder
    return relative.stem if relative.stem in SPLIT_KINDS else None


def _section(doc: YamlDocument, path: KeyPath, section: str, raw: RawScorecard, listed: bool = False) -> list[Problem]:
    value = doc.data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return []  # absent, or `kpis:` with nothing under it
    if not isinstance(value, list):
        where = "this file" if listed else repr(section)
        return [Problem(doc.where(path), f"{where} must be a list of {section}, not {_shape(value)}")]
    items = raw.items[section]
    for index, data in enumerate(value):
        items.append(RawItem(section, index + 1, data, doc, path + (index,)))
    return []


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a single value ({value!r})"
