"""Shared fixtures: built portals (once per test run) and a local web server for them.

The sites are built through the real pipeline into a private project folder (symlinks to
the checkout's ``mkdocs.yml``, ``theme/`` and ``content/``), so the tests never touch the
checkout's ``build/``, ``.cache/`` or ``site/`` folders that other work may be using.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT / "scorecard"
HOSTILE = FIXTURES / "publish" / "hostile"
ACME = FIXTURES / "units" / "acme"  # a cascaded organisation: sales (with sales-emea) and operations
CHROMIUM = os.environ.get("SP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def make_project(folder: Path) -> Path:
    """A project folder that borrows the checkout's site look but has its own build folders.

    Args:
        folder: An empty folder to fill.

    Returns:
        ``folder``, now holding ``mkdocs.yml``, ``theme`` and ``content`` links.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "theme", "content"):
        link = folder / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    return folder


def build_portal(
    scorecard: Path, site_dir: Path, project: Path, audience: str = "all", site_url: str | None = None
) -> Path:
    """Build ``scorecard`` into ``site_dir`` with the real pipeline.

    Args:
        scorecard: The scorecard folder.
        site_dir: Where the site goes.
        project: A project folder from :func:`make_project`.
        audience: ``all`` (all-staff) or ``restricted``.
        site_url: The address it will be served at (instant navigation needs it).

    Returns:
        ``site_dir``.
    """
    from generator.compute.results import Audience
    from generator.pipeline import build

    build(scorecard, site_dir, audience=Audience(audience), project_root=project, site_url=site_url)
    return site_dir


@pytest.fixture()
def cafe_project(tmp_path: Path) -> Path:
    """A project folder of its own (:func:`make_project`), with a copy of the cafe scorecard at ``../cafe``."""
    project = make_project(tmp_path / "project")
    shutil.copytree(FIXTURES / "compute" / "cafe", tmp_path / "cafe")
    return project


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with the sample scorecard's portal built (``build/all/docs``, ``site``), no server."""
    project = make_project(tmp_path_factory.mktemp("sample-project"))
    build_portal(ROOT / "scorecard", project / "site", project)
    return project


@pytest.fixture(scope="session")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private project folder shared by the session's builds."""
    return make_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def sample_url(project_dir: Path, serve_folder) -> str:
    """The base URL of the served sample portal (ends with ``/``).

    The server starts first so the build knows its address: Material's instant
    navigation only takes links listed in the sitemap, which needs ``site_url``.
    """
    url = serve_folder(project_dir / "site-sample")
    build_portal(SAMPLE, project_dir / "site-sample", project_dir, site_url=url)
    return url


@pytest.fixture(scope="session")
def sample_site(project_dir: Path, sample_url: str) -> Path:
    """The sample scorecard built as the all-staff portal (and served at ``sample_url``)."""
    return project_dir / "site-sample"


@pytest.fixture(scope="session")
def hostile_site(project_dir: Path) -> Path:
    """The fixture scorecard with script-like names, built as the all-staff portal."""
    return build_portal(HOSTILE, project_dir / "site-hostile", project_dir)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without printing a line per request into the test output."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="session")
def serve_folder() -> Iterator:
    """A function that serves a folder on 127.0.0.1 in a background thread and returns its URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # 0: a free port
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Path, serve_folder) -> str:
    """The base URL of the served hostile-names portal (ends with ``/``)."""
    return serve_folder(hostile_site)


def _require_chromium() -> None:
    """Skip without Chromium locally; fail on CI (``CI`` set), so a broken image cannot pass."""
    if Path(CHROMIUM).is_file() or shutil.which(CHROMIUM):
        return
    reason = f"Chromium not found at {CHROMIUM} (Debian package 'chromium'; `make test` installs it)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole run (Playwright's sync API allows one per thread)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_page(page, url: str) -> None:
    """Open ``url`` and wait until the page has stopped loading (instant navigation included)."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the cascaded fixture at ``scorecard/`` in the working folder (so paths read as check prints them)."""
    shutil.copytree(ACME, tmp_path / "scorecard")
    monkeypatch.chdir(tmp_path)
    return Path("scorecard")


def edit(path: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in ``path``."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return what it printed."""
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def scorecard_repo(root: Path) -> Path:
    """A git repository at ``root`` whose one commit holds a minimal ``scorecard/`` (for snapshots)."""
    (root / "scorecard").mkdir(parents=True)
    (root / "scorecard" / "scorecard.yml").write_text("organization: {id: acme, name: Acme Coffee}\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "strategy@example.org")
    git(root, "config", "user.name", "Strategy Office")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "scorecard")
    return root
