"""Validating raw items one by one with the pydantic models, in plain words.

Each item is validated on its own so one bad item does not hide the others.
Every pydantic error becomes ``path:line: <kind> '<id>': <message>``, the line
being that of the offending key (the item's own line when the key is missing).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import Location, Problem, Severity
from generator.load.files import RawItem
from generator.load.hints import did_you_mean, one_of
from generator.model import (
    ID_PATTERN,
    Consolidation,
    GoalPoint,
    Initiative,
    Item,
    Kpi,
    Milestone,
    Objective,
    Organization,
    Perspective,
    Theme,
)
from generator.periods import Period, PeriodError

__all__ = ["Placed", "validate_item", "describe", "item_label"]

MODELS: dict[str, type[Item]] = {
    "organization": Organization,
    "perspectives": Perspective,
    "themes": Theme,
    "objectives": Objective,
    "kpis": Kpi,
    "initiatives": Initiative,
}
# Keys whose value is itself a small mapping with its own known keys.
_NESTED: dict[str, type[BaseModel]] = {
    "baseline": GoalPoint,
    "target": GoalPoint,
    "targets": GoalPoint,
    "milestones": Milestone,
    "consolidate": Consolidation,
}
_EXAMPLES: dict[type, str] = {
    GoalPoint: "{period: 2026-12, value: 90}",
    Milestone: "{name: Pilot done, due: 2026-03-31, done: false}",
    Consolidation: "{method: sum, from: [sales/revenue]}",
}
_ID = re.compile(ID_PATTERN)
_DATE_TEXT = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_NAMED = (Organization, Objective, Kpi, Initiative)  # the items whose `name` is required


@dataclass(frozen=True)
class Placed:
    """A validated item together with where and how it was written."""

    item: Any  # one of the Item subclasses
    raw: RawItem

    @property
    def label(self) -> str:
        """How messages name the item: ``kpi 'csat'``."""
        return item_label(self.raw)

    def where(self, *keys: str | int) -> Location:
        """The line of a key of this item (of the item itself when the key was not written)."""
        return self.raw.where(*keys)


def item_label(raw: RawItem) -> str:
    """``kpi 'csat'``; ``kpi #3`` when the id is missing or not a valid id; ``organization``."""
    if raw.section == "organization":
        return "organization"
    value = raw.data.get("id") if isinstance(raw.data, dict) else None
    if isinstance(value, (str, int)) and not isinstance(value, bool) and _ID.fullmatch(str(value)):
        return f"{raw.kind} '{value}'"
    return f"{raw.kind} #{raw.index}"


def validate_item(raw: RawItem) -> tuple[Placed | None, list[Problem]]:
    """Validate one raw item with its model and locate it for later stages.

    Returns:
        The placed item (``None`` when it has errors) and its problems: errors,
        and a warning for every unknown key.
    """
    label = item_label(raw)
    if not isinstance(raw.data, dict):
        message = f"{label}: must be a mapping of keys (id, name, ...), not {describe(raw.data)}"
        return None, [Problem(raw.where(), message)]
    model = MODELS[raw.section]
    problems = _unknown_keys(raw, model, label)
    try:
        item = model.model_validate(raw.data)
    except ValidationError as exc:
        problems += [_problem(raw, label, error) for error in exc.errors()]
        return None, problems
    if isinstance(item, _NAMED) and not item.name.strip():
        problems.append(Problem(raw.where("name"), f"{label}: name is empty (write the name people will read)"))
    key_lines = {key: line for key in raw.data if (line := raw.doc.lines.get(raw.path + (key,))) is not None}
    item.locate(Location(raw.doc.path, raw.line), key_lines)
    return Placed(item, raw), problems


def _unknown_keys(raw: RawItem, model: type[BaseModel], label: str) -> list[Problem]:
    problems = [_unknown(raw, label, (key,), model) for key in raw.data if key not in _keys(model)]
    for key, sub_model in _NESTED.items():
        if key not in model.model_fields:
            continue
        value = raw.data.get(key)
        entries = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, entry in entries:
            if isinstance(entry, dict):
                at = (key,) if index is None else (key, index)
                problems += [_unknown(raw, label, at + (k,), sub_model) for k in entry if k not in _keys(sub_model)]
    return problems


def _keys(model: type[BaseModel]) -> list[str]:
    """The keys a user writes: field names, or their alias (``from`` for ``sources``)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def _unknown(raw: RawItem, label: str, path: tuple[str | int, ...], model: type[BaseModel]) -> Problem:
    key = str(path[-1])
    inside = f" in {_field_label(path[:-1])}" if len(path) > 1 else ""
    message = f"{label}: unknown key {key!r}{inside}{did_you_mean(key, _keys(model))}"
    return Problem(raw.where(*path), message, Severity.WARNING)


def _problem(raw: RawItem, label: str, error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    if error["type"] == "missing":
        return Problem(raw.where(*loc[:-1]), f"{label}: {_missing(loc)}")
    return Problem(raw.where(*loc), f"{label}: {_wording(loc, error)}")


def _missing(loc: tuple[str | int, ...]) -> str:
    inside = f"{_field_label(loc[:-1])}: " if len(loc) > 1 else ""
    return f"{inside}missing required key {loc[-1]!r}"


def _wording(loc: tuple[str | int, ...], error: ErrorDetails) -> str:
    """Pydantic's error in a strategy office's words."""
    field = _field_label(loc)
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "enum":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        return f"{field} must be one of {one_of(choices)} (got {describe(value)}){hint}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        model = _nested_model(loc)
        example = f" like {_EXAMPLES[model]}" if model in _EXAMPLES else ""
        return f"{field} must be a mapping{example}, not {describe(value)}"
    if kind in ("tuple_type", "list_type"):
        return f"{field} must be a list, not {describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bounds(field, loc, value, ctx)
    if kind == "value_error":
        return _value_error(field, loc, value, str(ctx.get("error", error["msg"])))
    message = error["msg"]
    return f"{field}: {message[:1].lower()}{message[1:]} (got {describe(value)})"


def _value_error(field: str, loc: tuple[str | int, ...], value: Any, message: str) -> str:
    if isinstance(value, str) and _DATE_TEXT.fullmatch(value.strip()) and loc[-1] in ("start", "end", "due"):
        return f"{field}: {value.strip()!r} is not a real date"
    if loc[-1] == "period" and isinstance(value, str) and _upper_case_period(value):
        message += f"; write {value.strip().upper()!r} (upper case)"
    if message.startswith(str(loc[-1])):
        return message  # the model already names the key ("tolerance must be ...")
    if message.startswith("must"):
        return f"{field} {message}"
    return f"{field}: {message}"


def _upper_case_period(text: str) -> bool:
    """``2026-q1`` / ``2026-w05``: a period but for the letter's case (spec 8.3 wants upper case)."""
    if text.upper() == text:
        return False
    try:
        Period.parse(text.strip().upper())
    except PeriodError:
        return False
    return True


def _bounds(field: str, loc: tuple[str | int, ...], value: Any, ctx: dict[str, Any]) -> str:
    if loc[-1] == "progress":
        return f"{field} must be between 0 and 100 (percent complete; got {describe(value)})"
    words = {"ge": "at least", "le": "at most", "gt": "greater than", "lt": "less than"}
    limits = ", ".join(f"{words[k]} {v}" for k, v in ctx.items() if k in words)
    return f"{field} must be {limits} (got {describe(value)})"


def _nested_model(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    names = [part for part in loc if isinstance(part, str)]
    return _NESTED.get(names[-1]) if names else None


def _field_label(loc: tuple[str | int, ...]) -> str:
    """``targets #2 period`` for the pydantic location ``('targets', 1, 'period')``."""
    return " ".join(f"#{part + 1}" if isinstance(part, int) else part for part in loc)


def describe(value: Any) -> str:
    """A value as a message shows it: ``'up'``, ``a list``, ``nothing``, ``the date 2026-01-05``."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return repr(value)
