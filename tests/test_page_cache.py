"""MkDocs's per-page work reused between builds: the same bytes as without it, and faster rebuilds."""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, build_portal, make_project

from generator.errors import PublishError
from generator.publish import page_cache as page_cache_module
from generator.publish import page_workers
from generator.publish.page_cache import CACHE_NAME, page_cache

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


def mkdocs_cold(config: Path, site_dir: Path, workers: int) -> None:
    """MkDocs alone on a generated configuration, with an empty page cache."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cache = config.parent / CACHE_NAME
    cache.unlink(missing_ok=True)
    with page_cache(cache, workers=workers):
        build(load_config(str(config), site_dir=str(site_dir)))


@pytest.fixture()
def forks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each conversion ahead ran in worker processes (a machine may not allow it)."""
    ran: list[bool] = []
    fork_map = page_workers.fork_map

    def spy(*args: object, **kwargs: object) -> object:
        made = fork_map(*args, **kwargs)  # type: ignore[arg-type]
        ran.append(made is not None)
        return made

    monkeypatch.setattr(page_workers, "fork_map", spy)
    return ran


def test_pages_converted_in_worker_processes_give_the_bytes_of_one_process(project: Path, forks: list[bool]) -> None:
    scorecard = project.parent / "cafe"
    build_portal(scorecard, project / "site", project)
    config = cache_file(project).parent / "mkdocs.yml"
    mkdocs_cold(config, project / "site-1", workers=1)
    mkdocs_cold(config, project / "site-2", workers=2)
    assert forks[-1], "the second build converted its pages in worker processes"
    assert differences(project / "site-1", project / "site-2") == []


@pytest.mark.parametrize("cores", [1, 2], ids=["one process", "worker processes"])
def test_a_page_with_a_broken_link_fails_every_build_not_only_the_first(
    project: Path, cores: int, monkeypatch: pytest.MonkeyPatch, forks: list[bool]
) -> None:
    monkeypatch.setattr(page_cache_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(page_workers, "cpu_count", lambda: cores)
    scorecard = project.parent / "cafe"
    content = project.parent / "content"
    content.mkdir()
    (content / "notes.md").write_text("# Notes\n\nSee [the plan](missing-page.md).\n", encoding="utf-8")
    (project / "content").unlink()
    (project / "content").symlink_to(content)
    for attempt in ("site-1", "site-2"):
        with pytest.raises(PublishError, match="missing-page.md") as failure:
            build_portal(scorecard, project / attempt, project)
        assert str(failure.value).count("missing-page.md") == 1, "the warning is told once"
    assert forks == [cores > 1] * 2


def test_a_damaged_cache_is_ignored(project: Path) -> None:
    scorecard = project.parent / "cafe"
    build_portal(scorecard, project / "site-1", project)
    cache_file(project).write_text("{not json", encoding="utf-8")
    build_portal(scorecard, project / "site-2", project)
    assert differences(project / "site-1", project / "site-2") == []


def test_pages_stay_in_this_process_while_another_thread_runs() -> None:
    # The preview server rebuilds beside its own threads: a forked worker could inherit a held lock.
    import threading

    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        assert page_workers.fork_map(str, [1, 2, 3], workers=2) is None
    finally:
        done.set()
        thread.join()
    assert page_workers.fork_map(str, [1, 2, 3], workers=2) == ["1", "2", "3"]
