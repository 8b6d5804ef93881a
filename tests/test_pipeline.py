"""The stages wired together (generator/pipeline.py): what a build computes, and how often."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_project

from generator import pipeline
from generator.compute.results import Audience


def without_restricted_kpis(folder: Path) -> None:
    for path in folder.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("visibility: restricted", "visibility: all"), encoding="utf-8")


@pytest.mark.parametrize("restricted", [True, False])
def test_a_build_lints_what_check_lints_and_computes_once_without_restricted_kpis(
    org: Path, monkeypatch: pytest.MonkeyPatch, restricted: bool
) -> None:
    if not restricted:
        without_restricted_kpis(org)
    make_project(Path.cwd())
    computed: list[Audience] = []
    compute = pipeline.compute

    def counted(*args, **kwargs):
        computed.append(args[2])
        return compute(*args, **kwargs)

    expected = pipeline.check(org).warnings
    assert expected, "the fixture has lint warnings to compare"
    monkeypatch.setattr(pipeline, "compute", counted)
    prepared = pipeline.prepare(org, snapshots=False)
    assert prepared.warnings == expected
    assert prepared.results.audience is Audience.ALL
    lint_and_build = [Audience.RESTRICTED, Audience.ALL] if restricted else [Audience.ALL]
    assert computed == lint_and_build
