"""Snapshots: immutable, period-ordered, with a what-changed page (generator/publish/snapshot.py).

Every test uses a real temporary git repository; the build callback writes a small
fake site (the pipeline's own output is tested elsewhere).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import git, scorecard_repo

from generator import pipeline
from generator.errors import PublishError
from generator.publish.snapshot import publish_snapshot, snapshot_as_of, snapshot_labels

BRANCH = "portal-snapshots"

Q1_DOCUMENT = {
    "as_of": "2026-03-31",
    "organization": {"id": "acme", "name": "Acme Coffee", "score": 6.0, "status": "at-risk"},
    "objectives": [{"id": "delight", "name": "Delight customers", "owner": "Ana"}],
    "kpis": [
        {
            "id": "csat",
            "name": "Customer satisfaction",
            "unit": "%",
            "owner": "Ana",
            "target": {"period": "2026-12", "value": 90},
            "tolerance": "10%",
            "history": [
                {"period": "2026-01", "actual": 80.0},
                {"period": "2026-02", "actual": 81.0},
                {"period": "2026-03", "actual": 82.0},
            ],
        }
    ],
    "initiatives": [],
}


def q2_document() -> dict:
    """Q2: February restated from 81 to 79.5, the target raised to 95, April to June added."""
    doc = copy.deepcopy(Q1_DOCUMENT)
    doc["as_of"] = "2026-06-30"
    kpi = doc["kpis"][0]
    kpi["target"] = {"period": "2026-12", "value": 95}
    kpi["history"][1]["actual"] = 79.5
    kpi["history"] += [{"period": f"2026-0{m}", "actual": 83.0 + m} for m in (4, 5, 6)]
    return doc




@pytest.fixture(autouse=True)
def _no_outer_git(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run from a git hook; its GIT_DIR must not leak into the temporary repositories.
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return scorecard_repo(tmp_path / "org")


class FakeBuild:
    """Writes a tiny site: the document for the as-of date, provenance, and each extra page."""

    def __init__(self, documents: Mapping[dt.date, dict]) -> None:
        self.documents = dict(documents)
        self.calls: list[dt.date] = []

    def __call__(self, as_of: dt.date, site_dir: Path, extra_pages: Mapping[str, str]) -> None:
        self.calls.append(as_of)
        site_dir.mkdir(parents=True)
        (site_dir / "index.html").write_text(f"<h1>Portal as of {as_of.isoformat()}</h1>\n")
        (site_dir / "scorecard.json").write_text(json.dumps(self.documents[as_of], indent=2))
        (site_dir / "provenance.json").write_text(json.dumps({"commit": "c0ffee" * 6 + "beef"}))
        for path, markdown in extra_pages.items():
            page = site_dir / Path(path).with_suffix("") / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(markdown)


def documents() -> dict[dt.date, dict]:
    return {dt.date(2026, 3, 31): Q1_DOCUMENT, dt.date(2026, 6, 30): q2_document()}


def show(repo: Path, path: str) -> str:
    return git(repo, "show", f"{BRANCH}:{path}")


def versions(repo: Path) -> list[dict]:
    return json.loads(show(repo, "versions.json"))


def publish(repo: Path, label: str, build: FakeBuild) -> object:
    return publish_snapshot(label, build=build, repo=repo)


def test_second_snapshot_lists_restated_actual_first_and_changed_target(repo: Path) -> None:
    build = FakeBuild(documents())
    publish(repo, "2026-Q1", build)
    report = publish(repo, "2026-Q2", build)

    page = show(repo, "2026-Q2/changes/index.html")
    danger = page.index('!!! danger "1 restated actual"')
    assert danger < page.index("## Targets, tolerances and owners")
    restated_row = next(line for line in page.splitlines() if "2026\\-02" in line)
    assert "81 %" in restated_row and "79\\.5 %" in restated_row  # written as on every page
    target_row = next(line for line in page.splitlines() if "| target |" in line)
    assert "90 % by 2026\\-12" in target_row and "95 % by 2026\\-12" in target_row
    assert report.previous == "2026-Q1" and len(report.changes.restatements) == 1
    assert "first snapshot" in show(repo, "2026-Q1/changes/index.html")


def test_each_snapshot_is_built_as_of_the_end_of_its_period(repo: Path) -> None:
    build = FakeBuild(documents())
    publish(repo, "2026-Q1", build)
    publish(repo, "2026-Q2", build)
    # Twice per snapshot: a probe build for scorecard.json, then the build with the changes page.
    assert build.calls == [dt.date(2026, 3, 31)] * 2 + [dt.date(2026, 6, 30)] * 2
    assert "as of 2026-06-30" in show(repo, "2026-Q2/index.html")
    assert json.loads(show(repo, "2026-Q1/scorecard.json"))["as_of"] == "2026-03-31"


def test_republishing_a_label_is_refused_and_changes_nothing(repo: Path) -> None:
    build = FakeBuild(documents())
    publish(repo, "2026-Q1", build)
    publish(repo, "2026-Q2", build)
    tree_before = git(repo, "ls-tree", "-r", BRANCH)
    head_before = git(repo, "rev-parse", BRANCH)
    calls_before = len(build.calls)

    with pytest.raises(PublishError, match="2026-Q1 already exists"):
        publish(repo, "2026-Q1", build)

    assert git(repo, "ls-tree", "-r", BRANCH) == tree_before
    assert git(repo, "rev-parse", BRANCH) == head_before
    assert len(build.calls) == calls_before  # refused before building anything
    for label in ("2026-Q1", "2026-Q2"):
        assert f"\t{label}/scorecard.json" in tree_before


def test_publishing_a_newer_snapshot_leaves_older_ones_byte_for_byte_intact(repo: Path) -> None:
    build = FakeBuild(documents())
    publish(repo, "2026-Q1", build)
    q1_files = [line for line in git(repo, "ls-tree", "-r", BRANCH).splitlines() if "\t2026-Q1/" in line]
    publish(repo, "2026-Q2", build)
    after = [line for line in git(repo, "ls-tree", "-r", BRANCH).splitlines() if "\t2026-Q1/" in line]
    assert after == q1_files and q1_files


def test_latest_points_at_the_newest_period_not_the_last_published(repo: Path) -> None:
    build = FakeBuild(documents())
    publish(repo, "2026-Q2", build)
    report = publish(repo, "2026-Q1", build)  # a late back-fill of the earlier quarter

    by_label = {v["version"]: v for v in versions(repo)}
    assert by_label["2026-Q2"]["aliases"] == ["latest"]
    assert by_label["2026-Q1"]["aliases"] == []
    assert report.latest == "2026-Q2"
    assert show(repo, "latest/scorecard.json") == show(repo, "2026-Q2/scorecard.json")
    assert "latest/" in show(repo, "index.html")  # the branch root opens the newest snapshot
    assert snapshot_labels(repo, BRANCH) == ["2026-Q1", "2026-Q2"]


def test_latest_moves_when_a_newer_period_is_published(repo: Path) -> None:
    build = FakeBuild(documents())
    publish(repo, "2026-Q1", build)
    assert "as of 2026-03-31" in show(repo, "latest/index.html")
    publish(repo, "2026-Q2", build)
    by_label = {v["version"]: v for v in versions(repo)}
    assert by_label["2026-Q2"]["aliases"] == ["latest"] and by_label["2026-Q1"]["aliases"] == []
    assert "as of 2026-06-30" in show(repo, "latest/index.html")
    assert by_label["2026-Q2"]["properties"]["as_of"] == "2026-06-30"


def test_no_changes_page_says_so(repo: Path) -> None:
    same = {dt.date(2026, 3, 31): Q1_DOCUMENT, dt.date(2026, 4, 30): {**Q1_DOCUMENT}}
    build = FakeBuild(same)
    publish(repo, "2026-03", build)
    publish(repo, "2026-04", build)
    assert "No changes since 2026\\-03." in show(repo, "2026-04/changes/index.html")


@pytest.mark.parametrize("label", ["2026-q3", "Q3-2026", "latest", "2026-3", "2026-09-30", ""])
def test_a_label_that_is_not_a_period_is_refused(repo: Path, label: str) -> None:
    build = FakeBuild(documents())
    with pytest.raises(PublishError, match="snapshot label"):
        publish(repo, label, build)
    assert build.calls == []


@pytest.mark.parametrize(
    ("label", "as_of"),
    [("2026-Q3", dt.date(2026, 9, 30)), ("2026-02", dt.date(2026, 2, 28)), ("2026", dt.date(2026, 12, 31)),
     ("2026-W05", dt.date(2026, 2, 1))],
)
def test_snapshot_date_is_the_last_day_of_the_period(label: str, as_of: dt.date) -> None:
    assert snapshot_as_of(label) == as_of


def test_uncommitted_scorecard_is_refused(repo: Path) -> None:
    (repo / "scorecard" / "scorecard.yml").write_text("organization: {id: acme, name: Changed}\n")
    build = FakeBuild(documents())
    with pytest.raises(PublishError, match="uncommitted changes"):
        publish_snapshot("2026-Q1", build=build, scorecard=repo / "scorecard")
    assert build.calls == []
    assert git(repo, "branch", "--list", BRANCH) == ""


def test_build_without_scorecard_json_is_refused_and_publishes_nothing(repo: Path) -> None:
    def broken(as_of: dt.date, site_dir: Path, extra_pages: Mapping[str, str]) -> None:
        site_dir.mkdir(parents=True)
        (site_dir / "index.html").write_text("no data")

    with pytest.raises(PublishError, match="scorecard.json"):
        publish_snapshot("2026-Q1", build=broken, repo=repo)
    assert git(repo, "branch", "--list", BRANCH) == ""


def test_pushes_to_the_remote_when_asked(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(repo, "remote", "add", "origin", str(remote))
    publish_snapshot("2026-Q1", build=FakeBuild(documents()), repo=repo, push=True)
    assert git(remote, "rev-parse", BRANCH) == git(repo, "rev-parse", BRANCH)


def test_pipeline_snapshots_show_a_restatement_on_the_published_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end with the real pipeline: two snapshots, the second restating February's profit."""
    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "org"
    project.mkdir()
    for name in ("mkdocs.yml", "theme", "content"):
        (shutil.copytree if (root / name).is_dir() else shutil.copy2)(root / name, project / name)
    shutil.copytree(root / "tests" / "fixtures" / "reproducible" / "scorecard", project / "scorecard")
    git(tmp_path, "init", "-q", "-b", "main", str(project))
    git(project, "config", "user.email", "strategy@example.org")
    git(project, "config", "user.name", "Strategy Office")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "scorecard")
    (project / "notes").mkdir()
    monkeypatch.chdir(project / "notes")  # relative paths mean what they mean where the user stands
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")

    pipeline.snapshot("2026-03", Path("../scorecard"))
    actuals = project / "scorecard" / "data" / "actuals.csv"
    actuals.write_text(actuals.read_text().replace("profit,2026-02,11200", "profit,2026-02,10900"))
    git(project, "commit", "-q", "-am", "February profit restated after the audit")
    report = pipeline.snapshot("2026-04", Path("../scorecard"))

    page = show(project, "2026-04/changes/index.html")
    assert '<div class="admonition danger">' in page and "1 restated actual" in page
    assert "11,200 EUR" in page and "10,900 EUR" in page  # written as on every page
    assert report.latest == "2026-04" and report.previous == "2026-03"
    assert 'href="../kpis/profit/"' in page
    provenance = json.loads(show(project, "2026-04/provenance.json"))
    assert provenance["commit"] == git(project, "rev-parse", "HEAD").strip() and provenance["as_of"] == "2026-04-30"


def test_a_deploy_that_touches_an_older_snapshot_is_rolled_back(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mike import git_utils

    from generator.publish import snapshot

    build = FakeBuild(documents())
    publish(repo, "2026-Q1", build)
    head = git(repo, "rev-parse", BRANCH)
    real_deploy = snapshot._deploy

    def tampering_deploy(*args: object, **kwargs: object) -> None:
        real_deploy(*args, **kwargs)
        with git_utils.Commit(BRANCH, "tamper") as commit:
            commit.add_file(git_utils.FileInfo("2026-Q1/index.html", "rewritten history"))

    monkeypatch.setattr(snapshot, "_deploy", tampering_deploy)
    with pytest.raises(PublishError, match="would have changed snapshots 2026-Q1"):
        publish(repo, "2026-Q2", build)
    assert git(repo, "rev-parse", BRANCH) == head
    assert "as of 2026-03-31" in show(repo, "2026-Q1/index.html")
