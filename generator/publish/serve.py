"""Preview the portal while editing: rebuild and reload the browser when an input changes.

MkDocs's own dev server (:class:`mkdocs.livereload.LiveReloadServer`) serves the site and
injects the reload script. It watches the scorecard, ``content/`` and ``theme/`` (not the
generated docs folder: the rebuild writes there, which would trigger a second build).
On a change the builder re-renders the docs folder through the ``rebuild`` callback,
builds with MkDocs into a fresh folder and swaps it in. When the input is invalid or the
build fails, the errors are logged and the last good site keeps being served.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from generator.errors import ScorecardError, ValidationFailed
from generator.publish.engine import default_engine
from generator.publish.site import CONFIG_NAME, find_project_root, swap_in

log = logging.getLogger(__name__)


def serve(
    scorecard_folder: Path,
    *,
    rebuild: Callable[[], Path],
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Serve the portal at ``http://host:port/`` until interrupted, rebuilding on change.

    Args:
        scorecard_folder: The scorecard folder to watch.
        rebuild: Re-renders the docs folder and writes its generated ``mkdocs.yml``
            (e.g. via :func:`generator.publish.site.write_config`); returns the path of
            that ``mkdocs.yml`` (or of the docs folder beside it). Raises
            :class:`~generator.errors.ScorecardError` when the input is invalid.
        host: The address to listen on; the default keeps the preview private.
        port: The port to listen on.

    Raises:
        ScorecardError: The very first build failed (there is no good site to show yet).
    """
    server = preview_server(scorecard_folder, rebuild=rebuild, host=host, port=port)
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("stopping the preview server")
    finally:
        stop(server)


def preview_server(
    scorecard_folder: Path,
    *,
    rebuild: Callable[[], Path],
    host: str = "127.0.0.1",
    port: int = 8000,
) -> LiveReloadServer:
    """Build once and return MkDocs's live-reload server, watching the inputs, not yet serving.

    Call ``server.serve()`` (blocks; runs the rebuild loop) and :func:`stop` afterwards.
    The arguments are those of :func:`serve`.

    Raises:
        ScorecardError: The first build failed.
    """
    root = Path(tempfile.mkdtemp(prefix="strategy-portal-serve-"))
    live = root / "site"
    builder = _Builder(rebuild, live)
    try:
        builder.build_once(first=True)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    server = default_engine().serve(builder, live, host=host, port=port)
    server.error_handler = lambda code: _error_page(live, code)
    for folder in watched_folders(scorecard_folder):
        server.watch(str(folder))
    return server


def stop(server: LiveReloadServer) -> None:
    """Stop a server from :func:`preview_server` and remove its temporary site."""
    server.shutdown()
    shutil.rmtree(Path(server.root).parent, ignore_errors=True)


def watched_folders(scorecard_folder: Path) -> list[Path]:
    """The folders whose changes trigger a rebuild: the scorecard, ``content/``, ``theme/``.

    Args:
        scorecard_folder: The scorecard folder being served.

    Returns:
        The existing folders, absolute, sorted.
    """
    project = find_project_root(scorecard_folder)
    candidates = {Path(scorecard_folder).resolve(), project / "content", project / "theme"}
    return sorted(folder for folder in candidates if folder.is_dir())


class _Builder:
    """The server's build step: re-render, MkDocs into a fresh folder, swap it in."""

    def __init__(self, rebuild: Callable[[], Path], live: Path) -> None:
        self.rebuild = rebuild
        self.live = live

    def __call__(self) -> None:
        self.build_once(first=False)

    def build_once(self, *, first: bool) -> None:
        """Build once; on a later build, an error is logged and the old site stays.

        Args:
            first: The initial build, whose errors are raised (nothing to fall back on).
        """
        try:
            config_path = _config_path(self.rebuild())
            fresh = Path(tempfile.mkdtemp(prefix="site-", dir=self.live.parent))
            try:
                # Not strict: a broken link should show as a warning in the preview, not blank it.
                default_engine().build(config_path, strict=False, epoch=0, site_dir=fresh)
            except BaseException:
                shutil.rmtree(fresh, ignore_errors=True)
                raise
            swap_in(fresh, self.live)
        except ScorecardError as error:
            if first:
                raise
            _log_failure(error)
            return
        log.info("site rebuilt")


def _config_path(result: Path) -> Path:
    """The generated ``mkdocs.yml`` from what ``rebuild`` returned (the file or the docs folder)."""
    result = Path(result)
    return result.parent / CONFIG_NAME if result.is_dir() else result


def _log_failure(error: ScorecardError) -> None:
    """Log why a rebuild failed, one problem per line, as ``check`` prints them."""
    if isinstance(error, ValidationFailed):
        for problem in error.problems:
            log.error("%s", problem)
    else:
        log.error("%s", error)
    log.error("still serving the last good site; fix the input and save again")


def _error_page(site: Path, code: int) -> bytes | None:
    """The site's own 404 page for a missing URL, as ``mkdocs serve`` does."""
    page = site / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
