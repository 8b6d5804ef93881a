"""``content/present.yml``: the presenter's choice of slides, read and checked with line numbers.

The file is optional. It picks, orders and hides the computed slides by id
and adds slides of the presenter's own, written in Markdown::

    slides:                  # the order; "rest" stands for every computed slide not listed
      - title
      - id: agenda
        title: Agenda
        markdown: |
          - Where we stand
          - Wins and concerns
      - rest
    hide: [trends:financial, units]

Without ``slides`` every computed slide is shown in the default order; ``hide``
removes slides either way. Every problem is reported as ``path:line: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import Location, Problem, display_path
from generator.load.yaml_source import YamlDocument, read_yaml

__all__ = ["FILE_NAME", "REST", "OwnSlide", "PresentPlan", "read_plan"]

FILE_NAME = "present.yml"
REST = "rest"
"""In ``slides``: every computed slide not listed elsewhere, in the default order."""

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOP_KEYS = ("slides", "hide")
_OWN_KEYS = ("id", "title", "markdown")


@dataclass(frozen=True)
class OwnSlide:
    """A presenter's own slide: a title and a Markdown body."""

    id: str
    title: str
    markdown: str
    where: Location


@dataclass(frozen=True)
class PresentPlan:
    """What ``present.yml`` asks for.

    Attributes:
        slides: the order (computed slide ids, :data:`REST`, own slides); empty keeps the default.
        hide: computed slide ids left out.
    """

    slides: tuple[str | OwnSlide, ...] = ()
    hide: frozenset[str] = frozenset()


def read_plan(content_dir: Path | None, section_ids: list[str]) -> tuple[PresentPlan | None, list[Problem]]:
    """Read ``content_dir/present.yml`` against the computed slide ids.

    Args:
        content_dir: the project's ``content/`` folder (None: there is none).
        section_ids: every computed slide id of the scorecard, in default order.

    Returns:
        The plan (None when there is no file or it has errors) and every problem found.
    """
    if content_dir is None or not (content_dir / FILE_NAME).is_file():
        return None, []
    path = content_dir / FILE_NAME
    doc, problems = read_yaml(path, display_path(path))
    if doc is None:
        return None, problems
    reader = _Reader(doc, section_ids)
    plan = reader.plan()
    return (None if reader.problems else plan), reader.problems


class _Reader:
    def __init__(self, doc: YamlDocument, section_ids: list[str]) -> None:
        self.doc = doc
        self.known = section_ids
        self.problems: list[Problem] = []

    def error(self, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(self.doc.where(path), message))

    def plan(self) -> PresentPlan:
        data = self.doc.data
        if data is None:
            return PresentPlan()
        if not isinstance(data, dict):
            self.error((), "present.yml must be a mapping with 'slides' and/or 'hide'")
            return PresentPlan()
        for key in data:
            if key not in _TOP_KEYS:
                self.error((key,), f"unknown key '{key}' (expected one of: {', '.join(_TOP_KEYS)})")
        hide = self._hide(data.get("hide"))
        slides = self._slides(data.get("slides"), hide)
        return PresentPlan(tuple(slides), frozenset(hide))

    def _list(self, value: Any, key: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((key,), f"'{key}' must be a list")
            return []
        return value

    def _known_id(self, path: tuple[str | int, ...], value: Any, what: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.error(path, f"{what} must be a slide id like 'wins' or 'perspective:customer'")
            return None
        text = value.strip()
        if text not in self.known:
            self.error(path, f"slide '{text}' does not exist; the slides are: {', '.join(self.known)}")
            return None
        return text

    def _hide(self, value: Any) -> list[str]:
        hidden: list[str] = []
        for index, item in enumerate(self._list(value, "hide")):
            slide_id = self._known_id(("hide", index), item, "each entry of 'hide'")
            if slide_id and slide_id in hidden:
                self.error(("hide", index), f"slide '{slide_id}' is hidden twice")
            elif slide_id:
                hidden.append(slide_id)
        return hidden

    def _slides(self, value: Any, hidden: list[str]) -> list[str | OwnSlide]:
        out: list[str | OwnSlide] = []
        seen: set[str] = set()
        for index, item in enumerate(self._list(value, "slides")):
            path = ("slides", index)
            if isinstance(item, dict):
                entry: str | OwnSlide | None = self._own(path, item, index)
                key = entry.id if isinstance(entry, OwnSlide) else None
            elif isinstance(item, str) and item.strip() == REST:
                entry = key = REST
            else:
                entry = key = self._known_id(path, item, "each entry of 'slides'")
                if key and key in hidden:
                    self.error(path, f"slide '{key}' is both listed in 'slides' and hidden")
                    continue
            if key is None or entry is None:  # no key means no entry; both named for mypy
                continue
            if key in seen:
                self.error(path, f"slide '{key}' is listed twice")
                continue
            seen.add(key)
            out.append(entry)
        return out

    def _own(self, path: tuple[str | int, ...], item: dict[str, Any], index: int) -> OwnSlide | None:
        ok = True
        for key in item:
            if key not in _OWN_KEYS:
                expected = ", ".join(_OWN_KEYS)
                self.error((*path, key), f"unknown key '{key}' in a slide of your own (expected one of: {expected})")
                ok = False
        title = item.get("title")
        if not isinstance(title, (str, int, float)) or isinstance(title, bool) or not str(title).strip():
            self.error((*path, "title") if "title" in item else path, "a slide of your own needs a 'title' (text)")
            ok = False
        body = item.get("markdown", "")
        if body is None:
            body = ""
        if not isinstance(body, str):
            self.error((*path, "markdown"), "'markdown' must be text (use '|' for several lines)")
            ok = False
        slide_id = item.get("id", f"own-{index + 1}")
        if not isinstance(slide_id, str) or not _ID.fullmatch(slide_id):
            self.error((*path, "id"), f"{slide_id!r} is not a valid id (lower-case letters, digits and '-')")
            ok = False
        elif slide_id in self.known or slide_id == REST:
            self.error((*path, "id"), f"id '{slide_id}' is the id of a computed slide; choose another")
            ok = False
        if not ok:
            return None
        return OwnSlide(slide_id, " ".join(str(title).split()), body, self.doc.where(path))
