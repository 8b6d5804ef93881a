"""The shipped JSON Schemas: generated from the model, in sync, and useful in an editor."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "scorecard"


class EditorLoader(yaml.SafeLoader):
    """Reads YAML the way editors' YAML servers do: ``2026-01-05`` stays text, not a date."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)  # noqa: S506 - a SafeLoader


def validator(name: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed in this environment")
    shipped = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(shipped)


def error_texts(name: str, document: Any) -> list[str]:
    return [error.message for error in validator(name).iter_errors(document)]


@pytest.mark.parametrize("name", sorted(schema.shipped_schemas()))
def test_shipped_schema_is_the_generated_one(name: str) -> None:
    shipped = ROOT / "schema" / name
    assert shipped.exists(), f"schema/{name} is missing: run python -m generator.schema"
    assert shipped.read_text(encoding="utf-8") == schema.render(schema.shipped_schemas()[name]), (
        f"schema/{name} is out of date with generator/model.py: run python -m generator.schema"
    )


def test_schema_is_draft_2020_12_with_id_and_title() -> None:
    generated = schema.json_schema()
    assert generated["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert generated["$id"].startswith(schema.SCHEMA_ID_BASE)
    assert generated["title"]
    assert generated["required"] == ["organization"]


def test_schema_follows_the_model() -> None:
    # Generated, not hand-written: every model field is a property, with the model's requirements.
    kpi = schema.json_schema()["$defs"]["Kpi"]
    from generator.model import Kpi

    assert set(kpi["properties"]) == set(Kpi.model_fields)
    assert {"id", "name", "objective", "direction", "frequency"} <= set(kpi["required"])
    assert kpi["properties"]["tolerance"]["default"] == "10%"


def test_every_item_object_is_closed_and_described() -> None:
    generated = schema.json_schema()
    objects = {name: d for name, d in generated["$defs"].items() if d.get("type") == "object"}
    assert {"Organization", "Perspective", "Theme", "Objective", "Kpi", "Initiative", "Milestone"} <= set(objects)
    for name, definition in [("root", generated), *objects.items()]:
        assert definition["additionalProperties"] is False, name
        for key, prop in definition["properties"].items():
            assert prop.get("description"), f"{name}.{key} has no description"
            assert "title" not in prop, f"{name}.{key} keeps pydantic's auto title"


def test_only_json_schema_keywords_for_bounds() -> None:
    progress = schema.json_schema()["$defs"]["Initiative"]["properties"]["progress"]
    text = json.dumps(progress)
    assert '"ge"' not in text and '"le"' not in text
    number = next(option for option in progress["anyOf"] if option.get("type") == "number")
    assert (number["minimum"], number["maximum"]) == (0, 100)


def test_render_is_stable_and_ends_with_newline() -> None:
    text = schema.render(schema.json_schema())
    assert text.endswith("}\n")
    assert text == schema.render(json.loads(text))


def test_write_schemas_only_touches_changed_files(tmp_path: Path) -> None:
    assert sorted(p.name for p in schema.write_schemas(tmp_path)) == sorted(schema.shipped_schemas())
    assert schema.write_schemas(tmp_path) == []


def test_main_rejects_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert schema.main(["--nope"]) == 2
    assert "usage" in capsys.readouterr().err


def test_split_schema_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="no split-file schema for 'themes'"):
        schema.split_schema("themes")


# -- with a real validator (jsonschema: in the system python, not in .venv) ----------------


def test_sample_scorecard_validates() -> None:
    document = read_yaml(SAMPLE / "scorecard.yml")
    assert error_texts("scorecard.schema.json", document) == []


def test_sample_split_files_validate_against_their_schemas() -> None:
    files = sorted((SAMPLE / "kpis").glob("*.yml")) + [SAMPLE / "initiatives.yml"]
    for path in files:
        kind = "kpis" if path.parent.name == "kpis" else path.stem
        assert error_texts(f"{kind}.schema.json", read_yaml(path)) == [], path


def test_sample_files_point_editors_at_the_right_schema() -> None:
    for path in sorted(SAMPLE.rglob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.exists(), f"{path}: {target} does not exist"


def test_typo_in_a_kpi_key_is_flagged() -> None:
    document = read_yaml(SAMPLE / "scorecard.yml")
    document["kpis"] = [
        {
            "id": "csat",
            "name": "Customer satisfaction",
            "objective": "delight-clients",
            "direction": "higher",
            "frequency": "monthly",
            "target": {"period": "2026-12", "value": 90},
            "tolerence": "5%",
        }
    ]
    errors = error_texts("scorecard.schema.json", document)
    assert len(errors) == 1
    assert "tolerence" in errors[0]


@pytest.mark.parametrize(
    ("where", "key"),
    [("organization", "visoin"), ("root", "objectivs"), ("milestone", "dne")],
)
def test_typos_elsewhere_are_flagged(where: str, key: str) -> None:
    document = read_yaml(SAMPLE / "scorecard.yml")
    document["initiatives"] = [{"id": "x", "name": "X", "objectives": ["grow-revenue"], "milestones": [{"name": "M"}]}]
    target = {
        "organization": document["organization"],
        "root": document,
        "milestone": document["initiatives"][0]["milestones"][0],
    }[where]
    target[key] = "oops"
    assert any(key in e for e in error_texts("scorecard.schema.json", document))


def test_wrong_values_are_flagged() -> None:
    document = copy.deepcopy(read_yaml(SAMPLE / "scorecard.yml"))
    document["objectives"][0]["id"] = "Grow Revenue"
    document["kpis"] = [
        {"id": "k", "name": "K", "objective": "grow-revenue", "direction": "up", "frequency": "monthly"}
    ]
    errors = error_texts("scorecard.schema.json", document)
    assert any("'Grow Revenue' does not match" in e for e in errors)
    assert any("'up' is not one of" in e for e in errors)
