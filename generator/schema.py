"""The JSON Schema editors use to check ``scorecard.yml`` as people type.

The schema is generated from :class:`generator.model.ScorecardFile` (pydantic's
``model_json_schema``), never written by hand, so it cannot disagree with the
loader about a key's name or type. It is then adjusted for editors:

* every item object gets ``additionalProperties: false``, so a typo such as
  ``tolerence:`` is underlined at once (the loader only warns about it);
* pydantic's constraint names that are not JSON Schema (``ge``/``le``) become
  ``minimum``/``maximum``; defaults read the way they are written in YAML;
* the auto-generated field titles (``"Owner"`` for ``owner``) are dropped,
  and keys the model leaves undescribed get a one-line description from the
  format contract, shown on hover.

The shipped copies live in ``schema/`` at the repository root; a YAML file
opts in with a first line such as
``# yaml-language-server: $schema=../schema/scorecard.schema.json``.
Split files (``kpis/*.yml``, ``initiatives.yml`` ...) have their own
schemas, ``schema/<kind>.schema.json``: a list of that kind, or a mapping of
``objectives``/``kpis``/``initiatives``.

Run ``python -m generator.schema`` to rewrite the shipped files after a model
change; ``tests/test_schema.py`` fails while they differ.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.model import ScorecardFile

__all__ = [
    "SCHEMA_DIR",
    "SCHEMA_ID_BASE",
    "SPLIT_KINDS",
    "json_schema",
    "main",
    "render",
    "shipped_schemas",
    "split_schema",
    "write_schemas",
]

log = logging.getLogger(__name__)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID_BASE = "urn:strategy-portal:schema:"
"""Prefix of every schema's ``$id``; a URN because the project has no fixed web address."""

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
"""Where the shipped schemas live (``schema/`` at the repository root)."""

SPLIT_KINDS = ("objectives", "kpis", "initiatives")
"""The kinds a split file may hold (spec 8.1)."""

# Descriptions for keys the model leaves undescribed, from the format contract.
# They only fill gaps: a description written in the model always wins.
_FIELD_HELP: dict[str, dict[str, str]] = {
    "ScorecardFile": {
        "organization": "The organisation this scorecard belongs to.",
        "perspectives": "Bands of the strategy map, top first. Default: financial, customer, internal, learning.",
        "themes": "Strategic themes: threads of objectives across perspectives (3-5 is typical).",
        "objectives": "Strategic objectives, the boxes on the map.",
        "kpis": "Key performance indicators, each measuring one objective.",
        "initiatives": "Projects that move one or more objectives.",
    },
    "Organization": {
        "id": "Lower-case letters, digits and '-'.",
        "name": "The organisation's name, shown in the portal's title.",
        "vision": "Where the organisation wants to be.",
        "mission": "What the organisation does, and for whom.",
    },
    "Perspective": {
        "id": "Lower-case letters, digits and '-'; objectives name it in 'perspective'.",
        "name": "Shown on the map; defaults to the id.",
        "question": "The question this perspective answers, e.g. 'How do we look to our owners?'.",
    },
    "Theme": {
        "id": "Lower-case letters, digits and '-'; objectives name it in 'themes'.",
        "name": "Shown in the portal; defaults to the id.",
        "description": "What the theme is about (Markdown allowed).",
    },
    "Objective": {
        "id": "Lower-case letters, digits and '-'; unique among objectives.",
        "name": "Short and active, e.g. 'Grow recurring revenue'.",
        "perspective": "Id of the perspective (band of the map) it belongs to.",
        "themes": "Ids of the themes it is part of.",
        "owner": "The person accountable, e.g. 'Maria Lopez (CFO)'.",
        "weight": "Weight in its perspective's and themes' scores (default 1).",
    },
    "Kpi": {
        "id": "Lower-case letters, digits and '-'; also the name of its CSV file, data/<id>.csv.",
        "name": "What is measured, e.g. 'Customer satisfaction score'.",
        "objective": "Id of the objective it measures.",
        "unit": "Shown next to values, e.g. '%', 'EUR k', 'hours'.",
        "direction": "Which way is good: higher, lower, or range (inside 'range').",
        "indicator": "leading (predicts results) or lagging (reports them).",
        "frequency": "How often it is measured; its CSV periods are written in this form.",
        "owner": "The person accountable for the KPI.",
        "source": "Where the numbers come from.",
        "formula": "How the value is calculated.",
        "weight": "Weight in its objective's score (default 1).",
        "baseline": "Starting point: between baseline and target the goal rises (falls) evenly.",
        "target": "The value to reach by a period.",
        "targets": "Explicit goals for single periods; they win over interpolation.",
        "range": "[lo, hi] for direction: range (instead of target).",
        "visibility": "restricted KPIs never reach the all-staff portal.",
        "consolidate": "Take the actuals from KPIs of the units below (sum, mean, min or max); no data file then.",
    },
    "Consolidation": {
        "method": "sum, mean, min or max of the sources' actuals of a period (only when every source has one).",
    },
    "GoalPoint": {
        "value": "The goal value, in the KPI's unit.",
    },
    "Initiative": {
        "id": "Lower-case letters, digits and '-'; unique among initiatives.",
        "name": "The project's name.",
        "objectives": "Ids of the objectives it moves.",
        "owner": "The person accountable for the initiative.",
        "start": "Start date, YYYY-MM-DD.",
        "end": "Planned end date, YYYY-MM-DD.",
        "budget": "Total budget, a number.",
        "spent": "Spent so far, a number.",
        "progress": "Percent complete, 0-100.",
        "status": "As its owner reports it: not-started, on-track, at-risk, off-track or done.",
        "milestones": "Dated steps of the initiative.",
    },
    "Milestone": {
        "name": "What is delivered.",
        "due": "Due date, YYYY-MM-DD.",
        "done": "true once delivered.",
    },
}

# pydantic writes Field(ge=..) constraints under their Python names when a
# type supplies its own JSON Schema; editors only know the JSON Schema names.
_CONSTRAINTS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``scorecard.yml`` (draft 2020-12), ready for editors."""
    schema = ScorecardFile.model_json_schema()
    _close_objects(schema)
    for name, model in _models().items():
        target = schema if name == "ScorecardFile" else schema["$defs"].get(name)
        if target is not None:
            _describe(target, model, _FIELD_HELP.get(name, {}))
    _fix_constraints(schema)
    head = {
        "$schema": DRAFT,
        "$id": f"{SCHEMA_ID_BASE}scorecard",
        "title": "strategy-portal scorecard.yml",
        "description": (
            "An organisation's balanced scorecard: perspectives, themes, objectives, KPIs and "
            "initiatives. KPI actuals live in CSV files under data/."
        ),
    }
    return head | {key: value for key, value in schema.items() if key not in head}


def split_schema(kind: str) -> dict[str, Any]:
    """The schema of a split file named after ``kind`` (``kpis/*.yml``, ``initiatives.yml`` ...).

    Such a file is either a list of that kind or a mapping that may hold
    ``objectives``, ``kpis`` and ``initiatives`` (spec 8.1).

    Raises:
        ValueError: ``kind`` is not one of :data:`SPLIT_KINDS`.
    """
    if kind not in SPLIT_KINDS:
        raise ValueError(f"no split-file schema for {kind!r} (one of {', '.join(SPLIT_KINDS)})")
    whole = json_schema()
    properties = {k: whole["properties"][k] for k in SPLIT_KINDS}
    return {
        "$schema": DRAFT,
        "$id": f"{SCHEMA_ID_BASE}{kind}",
        "title": f"strategy-portal split file: {kind}",
        "description": (
            f"A further scorecard file: a list of {kind}, or a mapping holding any of "
            f"{', '.join(SPLIT_KINDS)}. The result is the same as writing them in scorecard.yml."
        ),
        "anyOf": [
            copy.deepcopy(properties[kind]) | {"description": f"A list of {kind}."},
            {
                "type": "object",
                "description": "A mapping of further items.",
                "properties": properties,
                "additionalProperties": False,
            },
        ],
        "$defs": whole["$defs"],
    }


def shipped_schemas() -> dict[str, dict[str, Any]]:
    """Every shipped schema by file name: ``scorecard.schema.json`` and one per split kind."""
    schemas = {"scorecard.schema.json": json_schema()}
    schemas |= {f"{kind}.schema.json": split_schema(kind) for kind in SPLIT_KINDS}
    return schemas


def render(schema: dict[str, Any]) -> str:
    """A schema as shipped: sorted keys, indent 2, trailing newline (byte-stable)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write every shipped schema into ``folder``; returns the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, schema in shipped_schemas().items():
        path = folder / name
        text = render(schema)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
            log.info("wrote %s", path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m generator.schema [FOLDER]``: rewrite the shipped schemas (default ``schema/``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a.startswith("-") for a in args):
        sys.stderr.write("usage: python -m generator.schema [FOLDER]\n")
        return 2
    folder = Path(args[0]) if args else SCHEMA_DIR
    changed = write_schemas(folder)
    sys.stderr.write(f"{len(changed)} schema file(s) updated in {folder}\n")
    return 0


# -- post-processing ----------------------------------------------------------------


def _models() -> dict[str, type[BaseModel]]:
    """The model classes the schema is made of, by their schema name (walks the field types)."""
    found: dict[str, type[BaseModel]] = {}
    todo: list[type[BaseModel]] = [ScorecardFile]
    while todo:
        model = todo.pop()
        if model.__name__ in found:
            continue
        found[model.__name__] = model
        for info in model.model_fields.values():
            todo += [t for t in _inner_types(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
    return found


def _inner_types(annotation: Any) -> list[Any]:
    """``annotation`` and every type nested in it (``tuple[Kpi, ...]``, ``GoalPoint | None``)."""
    inner = [annotation]
    for arg in getattr(annotation, "__args__", ()) or ():
        inner += _inner_types(arg)
    return inner


def _close_objects(schema: dict[str, Any]) -> None:
    """``additionalProperties: false`` on the root and every item object, so editors flag typos."""
    for node in [schema, *schema.get("$defs", {}).values()]:
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False


def _describe(node: dict[str, Any], model: type[BaseModel], help_texts: dict[str, str]) -> None:
    """Tidy one object's schema: short description, no auto titles, YAML-shaped defaults."""
    if "description" in node:
        # The first paragraph of the docstring is for users; the rest is for developers.
        node["description"] = node["description"].split("\n\n")[0].replace("``", "'").replace("\n", " ")
    for key, prop in node.get("properties", {}).items():
        prop.pop("title", None)
        if "description" not in prop and key in help_texts:
            prop["description"] = help_texts[key]
        field = model.model_fields.get(key)
        if field is not None and "default" in prop:
            prop["default"] = _yaml_default(field.default, prop["default"])


def _yaml_default(value: Any, generated: Any) -> Any:
    """A default as a user would write it: a value object (a tolerance) as its text form."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return str(value)
    return generated


def _fix_constraints(node: Any) -> None:
    """Rename pydantic-only constraint keys to JSON Schema's, everywhere in ``node``."""
    if isinstance(node, dict):
        for python_name, schema_name in _CONSTRAINTS.items():
            if python_name in node and not isinstance(node[python_name], (dict, list)):
                node[schema_name] = node.pop(python_name)
        for value in node.values():
            _fix_constraints(value)
    elif isinstance(node, list):
        for value in node:
            _fix_constraints(value)


if __name__ == "__main__":
    sys.exit(main())
