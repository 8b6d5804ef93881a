"""The same inputs give a byte-identical site, wherever and whenever they are built.

Each build runs ``python -m generator build`` in its own process, in its own copy
of the project (so no absolute path or warm cache can leak into the output), with
a different ``PYTHONHASHSEED`` (so no set or dict iteration order can either).
"""

from __future__ import annotations

import datetime as dt
import filecmp
import html
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.publish.provenance import rebuild_command

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "tests" / "fixtures" / "reproducible" / "scorecard"
COMMIT_DATE = "2026-07-01T09:30:00+02:00"
PROJECT_FILES = ("mkdocs.yml", "theme", "content", ".gitignore")
SMALL = ROOT / "tests" / "fixtures" / "compute" / "cafe"


def project(base: Path, scorecard: Path, *, commit: bool) -> Path:
    """A copy of the project (config, theme, content) with ``scorecard`` in it, optionally committed."""
    base.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, base / name)
        elif source.exists():
            shutil.copy2(source, base / name)
    shutil.copytree(scorecard, base / "scorecard")
    # A published portal has a site_url: then MkDocs dates every sitemap entry.
    with open(base / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write("\nsite_url: https://strategy.example.org/\n")
    if commit:
        for args in (
            ["init", "-q", "-b", "main"],
            ["config", "user.email", "strategy@example.org"],
            ["config", "user.name", "Strategy Office"],
            ["add", "."],  # the theme and content shape the site too: a clean build has them committed
            ["commit", "-q", "-m", "scorecard"],
        ):
            subprocess.run(["git", *args], cwd=base, check=True, env=_env(GIT_AUTHOR_DATE=COMMIT_DATE,
                                                                         GIT_COMMITTER_DATE=COMMIT_DATE))
    return base


def build(base: Path, site: Path, *, seed: int, audience: str = "all", extra: tuple[str, ...] = ()) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "scorecard", "--site-dir", str(site), "--audience", audience,
         *extra],
        cwd=base, env=_env(PYTHONHASHSEED=str(seed)), capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    return site


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GIT_DIR", "GIT_WORK_TREE")}
    return env | {"NO_MKDOCS_2_WARNING": "1"} | extra


def differences(first: Path, second: Path) -> list[str]:
    """Every relative path that is missing on one side or whose bytes differ."""
    files = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    others = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    differ = sorted(files ^ others)
    differ += sorted(f for f in files & others if not filecmp.cmp(first / f, second / f, shallow=False))
    return differ


@pytest.fixture(scope="module")
def sample_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The sample scorecard, committed: built cold in two projects, then warm in the first."""
    tmp = tmp_path_factory.mktemp("sample")
    one = project(tmp / "one", ROOT / "scorecard", commit=True)
    two = project(tmp / "two", ROOT / "scorecard", commit=True)
    return (
        build(one, tmp / "site-one", seed=1),
        build(two, tmp / "site-two", seed=2),
        build(one, tmp / "site-warm", seed=3),  # the render cache of the first build is warm now
    )


def test_sample_scorecard_builds_byte_for_byte_identical(sample_sites: tuple[Path, Path, Path]) -> None:
    first, second, _ = sample_sites
    assert (first / "index.html").is_file() and (first / "scorecard.json").is_file()
    assert differences(first, second) == []


def test_a_warm_cache_gives_the_same_bytes_as_a_cold_build(sample_sites: tuple[Path, Path, Path]) -> None:
    first, _, warm = sample_sites
    assert differences(first, warm) == []


def test_dates_in_the_site_come_from_the_commit_not_the_clock(sample_sites: tuple[Path, Path, Path]) -> None:
    first, _, _ = sample_sites
    committed = dt.datetime.fromisoformat(COMMIT_DATE).astimezone(dt.UTC)
    day = committed.date().isoformat()
    assert dt.date.today().isoformat() != day  # otherwise this test could not tell
    sitemap = (first / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<lastmod>") >= 10
    assert sitemap.count(f"<lastmod>{day}</lastmod>") == sitemap.count("<lastmod>")
    gzip_mtime = int.from_bytes((first / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert dt.datetime.fromtimestamp(gzip_mtime, dt.UTC).date().isoformat() == day
    provenance = json.loads((first / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["built_at"] == committed.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert provenance["dirty"] is False and len(provenance["commit"]) == 40


def test_every_feature_fixture_builds_identically_for_both_audiences(tmp_path: Path) -> None:
    one = project(tmp_path / "one", FEATURES, commit=False)
    two = project(tmp_path / "two", FEATURES, commit=False)
    for audience in ("all", "restricted"):
        first = build(one, tmp_path / f"one-{audience}", seed=11, audience=audience)
        second = build(two, tmp_path / f"two-{audience}", seed=12, audience=audience)
        assert differences(first, second) == [], audience


def test_the_provenance_page_rebuilds_the_published_site(tmp_path: Path) -> None:
    """An auditor follows the published instructions in a fresh checkout and gets the same bytes.

    The site was published with ``--site-url`` (in every canonical link), which the
    project's mkdocs.yml does not hold: the recorded command must carry it.
    """
    published = project(tmp_path / "published", ROOT / "scorecard", commit=True)
    site = build(published, tmp_path / "site", seed=21, extra=("--site-url", "https://intranet.example.org/strategy/"))
    record = json.loads((site / "provenance.json").read_text(encoding="utf-8"))
    page = (site / "about" / "provenance" / "index.html").read_text(encoding="utf-8")
    command = rebuild_command(record)
    assert html.escape(command, quote=False) in page

    auditor = project(tmp_path / "auditor", ROOT / "scorecard", commit=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=auditor, capture_output=True, text=True, check=True)
    assert head.stdout.strip() == record["commit"], "the auditor checks out the recorded commit"
    done = subprocess.run(command.replace("python ", f"{sys.executable} ", 1), shell=True, cwd=auditor,
                          env=_env(PYTHONHASHSEED="22"), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert differences(site, auditor / "site") == []


# -- the auditors' rebuild: a fresh clone follows the recorded command -----------------------------


def tracked_copy(base: Path, scorecard: Path) -> Path:
    """A git repository of this checkout's tracked files (as the work tree has them), with ``scorecard``
    in place of the sample: the project as a user's fork holds it."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, listed.stdout.split("\0")):
        if name.startswith("scorecard/") or not (ROOT / name).is_file():
            continue
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, base / name)
    shutil.copytree(scorecard, base / "scorecard")
    git(base, "init", "-q", "-b", "main")
    git(base, "config", "user.email", "strategy@example.org")
    git(base, "config", "user.name", "Strategy Office")
    commit(base, "the project with a small scorecard")
    return base


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=_env())
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", ".")
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True,
                   env=_env(GIT_AUTHOR_DATE=COMMIT_DATE, GIT_COMMITTER_DATE=COMMIT_DATE))
    return git(repo, "rev-parse", "HEAD")


def set_version(repo: Path, version: str) -> None:
    """A change to the generator alone, visible in every page's footer."""
    init = repo / "generator" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    init.write_text(text.replace(text[text.index("__version__"):].splitlines()[0], f'__version__ = "{version}"'))


def publish(repo: Path, site: Path) -> dict[str, object]:
    """Build as the publishing job does: the repository's own generator, run from its top folder."""
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "scorecard", "--site-dir", str(site),
         "--site-url", "https://intranet.example.org/strategy/"],
        cwd=repo, env=_env(PYTHONHASHSEED="31", PYTHONPATH=str(repo)), capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads((site / "provenance.json").read_text(encoding="utf-8"))


def follow(record: dict[str, object], origin: Path, clone: Path) -> Path:
    """An auditor clones the repository and runs the recorded command; returns the site it builds.

    ``make setup`` (a virtual environment from the pinned versions, tested in
    test_reproducible_install.py) is stood in for by this test run's Python.
    """
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, env=_env(), capture_output=True)
    (clone / ".venv").mkdir()
    stamp = clone / ".venv" / ".installed"
    stamp.touch()
    os.utime(stamp, (4_000_000_000, 4_000_000_000))  # newer than the clone's pyproject.toml: set up
    command = str(record["rebuild"])
    assert " make portal " in command, command
    command = command.replace(" make portal ", f" make portal PY={shlex.quote(sys.executable)} ", 1)
    done = subprocess.run(command, shell=True, cwd=clone, env=_env(PYTHONHASHSEED="32", PYTHONPATH=str(clone)),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return clone / "site"


def test_a_fresh_clone_rebuilds_the_published_site_from_the_recorded_command(tmp_path: Path) -> None:
    origin = tracked_copy(tmp_path / "origin", SMALL)
    first = git(origin, "rev-parse", "HEAD")
    published = tmp_path / "published"
    record = publish(origin, published)
    assert record["commit"] == record["generator_commit"] == first and record["dirty"] is False
    page = (published / "about" / "provenance" / "index.html").read_text(encoding="utf-8")
    assert html.escape(str(record["rebuild"]), quote=False) in page
    assert differences(published, follow(record, origin, tmp_path / "clone")) == []


def test_after_a_commit_that_touches_only_the_generator_the_rebuild_still_matches(tmp_path: Path) -> None:
    """The record names the commit built, not the scorecard's last one (issue 11: that rewound the generator)."""
    origin = tracked_copy(tmp_path / "origin", SMALL)
    scorecard_commit = git(origin, "rev-parse", "HEAD")
    set_version(origin, "0.1.0+audit")
    built = commit(origin, "generator: a fix")
    published = tmp_path / "published"
    record = publish(origin, published)
    assert record["commit"] == built and record["scorecard_commit"] == scorecard_commit
    assert record["generator_version"] == "0.1.0+audit" and record["generator_commit"] == built
    # Work goes on after publishing: the clone's HEAD is not what was built.
    set_version(origin, "0.2.0.dev0")
    commit(origin, "generator: next")
    rebuilt = follow(record, origin, tmp_path / "clone")
    assert "strategy-portal 0.1.0+audit" in (rebuilt / "index.html").read_text(encoding="utf-8")
    assert differences(published, rebuilt) == []
