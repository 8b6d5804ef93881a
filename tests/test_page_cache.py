"""MkDocs's per-page work reused between builds: the same bytes as without it, and faster rebuilds."""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, build_portal, make_project

from generator.errors import PublishError
from generator.publish.page_cache import CACHE_NAME

CAFE = FIXTURES / "compute" / "cafe"


def differences(one: Path, other: Path) -> list[str]:
    """Files that differ or exist on one side only, as paths relative to ``one``."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(one, other), "")
    return found


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project")
    shutil.copytree(CAFE, tmp_path / "cafe")
    return project


def cache_file(project: Path) -> Path:
    return project / "build" / "all" / CACHE_NAME


def test_a_rebuild_reuses_pages_and_gives_the_bytes_of_a_build_without_the_cache(project: Path) -> None:
    scorecard = project.parent / "cafe"
    build_portal(scorecard, project / "site-1", project)
    kept = json.loads(cache_file(project).read_text(encoding="utf-8"))["entries"]
    assert kept, "the first build keeps its pages"

    # One number changes: its KPI page (and the pages that show it) must change, the rest is reused.
    data = scorecard / "data" / "csat.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("84", "91", 1), encoding="utf-8")
    build_portal(scorecard, project / "site-warm", project)
    cache_file(project).unlink()
    build_portal(scorecard, project / "site-cold", project)

    assert differences(project / "site-warm", project / "site-cold") == []
    assert differences(project / "site-1", project / "site-warm"), "the changed number reached the site"
    rebuilt = json.loads(cache_file(project).read_text(encoding="utf-8"))["entries"]
    assert set(kept) & set(rebuilt), "unchanged pages were reused"


def test_a_page_with_a_broken_link_fails_every_build_not_only_the_first(project: Path) -> None:
    scorecard = project.parent / "cafe"
    content = project.parent / "content"
    content.mkdir()
    (content / "notes.md").write_text("# Notes\n\nSee [the plan](missing-page.md).\n", encoding="utf-8")
    (project / "content").unlink()
    (project / "content").symlink_to(content)
    for attempt in ("site-1", "site-2"):
        with pytest.raises(PublishError, match="missing-page.md"):
            build_portal(scorecard, project / attempt, project)


def test_a_damaged_cache_is_ignored(project: Path) -> None:
    scorecard = project.parent / "cafe"
    build_portal(scorecard, project / "site-1", project)
    cache_file(project).write_text("{not json", encoding="utf-8")
    build_portal(scorecard, project / "site-2", project)
    assert differences(project / "site-1", project / "site-2") == []
