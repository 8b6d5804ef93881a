"""Build the site: MkDocs (Material) over a generated docs folder, swapped in atomically.

The generated folder is plain Markdown + SVG. Beside it this module writes a small
``mkdocs.yml`` that ``INHERIT``s the project's own ``mkdocs.yml`` and adds what only a
build knows (docs folder, nav, organisation name, provenance footer), so the same folder
also builds with a plain ``mkdocs build -f <work>/mkdocs.yml``: no plugin is needed for
the content to exist.

MkDocs cleans its ``site_dir`` before writing, so it never writes into the live site:
it builds into a temporary folder beside it, and only a clean build replaces the live
site (rename old away, rename new in, remove old). Readers of the intranet never see a
half-written site, and a failed build leaves the last good one in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from generator.errors import PublishError
from generator.publish import raw_blocks
from generator.publish.engine import SiteEngine, default_engine
from generator.publish.page_cache import CACHE_NAME as PAGE_CACHE
from generator.publish.page_cache import page_cache
from generator.publish.provenance import reproducible_epoch
from generator.publish.static_links import static_links
from generator.publish.theme_pages import pages_ahead

log = logging.getLogger(__name__)

CONFIG_NAME = "mkdocs.yml"
PROVENANCE_PAGE = "about/provenance.md"
_MKDOCS_LOGGER = "mkdocs"
_MAX_MESSAGES = 20  # enough to fix a broken build without flooding the terminal


def find_project_root(scorecard_folder: Path) -> Path:
    """The project folder that holds ``mkdocs.yml``, ``theme/`` and ``content/``.

    Looked for, in order: the current folder, the folder above the scorecard folder,
    then the checkout this package was installed from (so a scorecard kept anywhere
    still gets the stock look).

    Args:
        scorecard_folder: The scorecard folder being built.

    Returns:
        The absolute path of the project root.

    Raises:
        PublishError: No candidate folder has a ``mkdocs.yml``.
    """
    candidates = [
        Path.cwd(),
        Path(scorecard_folder).resolve().parent,
        Path(__file__).resolve().parents[2],
    ]
    for folder in candidates:
        if (folder / CONFIG_NAME).is_file():
            return folder.resolve()
    tried = ", ".join(str(folder) for folder in candidates)
    raise PublishError(f"no {CONFIG_NAME} found for the site (looked in {tried})")


def generated_config(
    docs_dir: Path,
    site_dir: Path,
    *,
    project_root: Path,
    nav: list,
    extra: Mapping[str, Any] | None = None,
    site_url: str | None = None,
) -> dict[str, Any]:
    """The generated ``mkdocs.yml`` as a mapping (absolute paths, so it works from any folder).

    Args:
        docs_dir: The generated docs folder.
        site_dir: Where MkDocs writes the site.
        project_root: The folder with the project's ``mkdocs.yml`` and ``theme/``.
        nav: The MkDocs nav returned by the render stage.
        extra: Values for ``config.extra``; ``extra["site_name"]`` or
            ``extra["organization"]`` (the name, or a mapping with ``name``) becomes the site name,
            ``extra["provenance"]`` feeds the footer.
        site_url: the address the portal is published at (wins over the project's); it
            fills the sitemap, which Material's instant navigation needs.

    Returns:
        The configuration mapping, ready to dump as YAML.
    """
    extra = dict(extra or {})
    if (docs_dir / PROVENANCE_PAGE).is_file():
        # The footer links here only when the page exists, so it never leads to a 404.
        extra.setdefault("provenance_url", "about/provenance/")
    config: dict[str, Any] = {
        "INHERIT": str((project_root / CONFIG_NAME).resolve()),
        "docs_dir": str(docs_dir.resolve()),
        "site_dir": str(site_dir.resolve()),
        "theme": {"name": "material", "custom_dir": str((project_root / "theme").resolve())},
        # Section titles are our own words and user-titled pages are bare paths (titled
        # from their escaped "# h1"); a title is still escaped here in case one is not.
        "nav": _escaped_nav(_plain(nav)),
    }
    if site_url:
        config["site_url"] = site_url
    site_name = _site_name(extra)
    if site_name:
        # Material prints site_name as HTML (header, drawer); escaped here, before any
        # engine runs, it shows as text without a plugin or hook. theme/main.html's
        # <title> unescapes with striptags and escapes again, so it shows as text too.
        config["site_name"] = str(escape(site_name))
    if extra:
        config["extra"] = _plain(extra)
    return config


def write_config(config: Mapping[str, Any], path: Path) -> None:
    """Write ``config`` as YAML at ``path``, only when its bytes change (keeps mtimes for ``serve``).

    Args:
        config: The configuration mapping (plain data).
        path: Where to write it.
    """
    header = "# Generated by strategy-portal for this build; do not edit. Build with: mkdocs build -f <this file>\n"
    text = header + yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True, width=100)
    data = text.encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build_site(
    docs_dir: Path,
    site_dir: Path,
    *,
    project_root: Path,
    nav: list,
    extra: Mapping | None = None,
    strict: bool = True,
    site_url: str | None = None,
    protected: Sequence[Path] = (),
    engine: SiteEngine | None = None,
) -> None:
    """Build the site with MkDocs and swap it into ``site_dir`` atomically.

    Writes ``<docs_dir>/../mkdocs.yml`` (see :func:`generated_config`), runs MkDocs
    in-process into a temporary folder beside ``site_dir``, then replaces ``site_dir``.

    Args:
        docs_dir: The generated docs folder (Markdown, SVG, JSON).
        site_dir: The published site folder; replaced wholly on success.
        project_root: The folder with the project's ``mkdocs.yml`` and ``theme/``.
        nav: The MkDocs nav returned by the render stage.
        extra: Values for ``config.extra`` (``provenance``, ``organization``...).
        strict: Treat MkDocs warnings (broken links, missing nav pages) as errors.
        site_url: The address the portal is published at (see :func:`generated_config`).
        protected: Folders the user wrote (the scorecard, ...); ``site_dir`` may be
            neither inside one nor hold one. ``content/`` and ``theme/`` always are.
        engine: the site engine (MkDocs by default, :mod:`generator.publish.engine`).

    Raises:
        PublishError: MkDocs failed; ``site_dir`` is left as it was, the message lists
            MkDocs's warnings and errors.
    """
    docs_dir, site_dir = Path(docs_dir).resolve(), Path(site_dir).resolve()
    if not docs_dir.is_dir():
        raise PublishError(f"docs folder {docs_dir} does not exist")
    root = Path(project_root).resolve()
    check_site_dir(site_dir, [root / "content", root / "theme", root / CONFIG_NAME, docs_dir, *protected])
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp_site = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    # The config on disk names the real site_dir, so `mkdocs build -f` by hand publishes
    # where the portal does; this build alone is redirected to the temporary folder.
    engine = engine or default_engine()
    try:
        config_path = engine.write_config(
            docs_dir, site_dir, project_root=project_root, nav=nav, extra=extra, site_url=site_url
        )
        engine.build(config_path, strict=strict, epoch=_site_epoch(extra or {}), site_dir=temp_site)
    except BaseException:
        shutil.rmtree(temp_site, ignore_errors=True)
        raise
    swap_in(temp_site, site_dir)
    log.info("site written to %s", site_dir)


def check_site_dir(site_dir: Path, protected: Sequence[Path]) -> None:
    """Refuse a site folder whose replacement would delete something the user wrote.

    The build replaces ``site_dir`` wholly, so it must not hold (or sit inside) a
    protected path, and an existing, non-empty folder must be an earlier site (it has
    the ``index.html`` and ``sitemap.xml`` every MkDocs build writes).

    Raises:
        PublishError: naming the folder and why.
    """
    site_dir = Path(site_dir).resolve()
    for path in protected:
        path = Path(path).resolve()
        if site_dir == path or site_dir in path.parents or path in site_dir.parents:
            raise PublishError(f"--site-dir {site_dir} would replace {path}: choose a folder of its own, e.g. site/")
    earlier_site = all((site_dir / name).is_file() for name in ("index.html", "sitemap.xml"))
    if site_dir.is_dir() and any(site_dir.iterdir()) and not earlier_site:
        raise PublishError(
            f"--site-dir {site_dir} is not empty and holds no earlier site (no index.html and sitemap.xml): "
            "the build replaces that folder wholly, so choose a new or empty one"
        )


def run_mkdocs(config_path: Path, *, strict: bool, epoch: int, site_dir: Path | None = None) -> None:
    """Run ``mkdocs build`` in-process on ``config_path``.

    MkDocs's log records go to this module's logger (info as debug: they are MkDocs's
    chatter, not ours); warnings and errors are also collected for the error message.

    Args:
        config_path: The generated ``mkdocs.yml``.
        strict: MkDocs strict mode (any warning aborts the build).
        epoch: ``SOURCE_DATE_EPOCH`` for the build, so sitemap dates are reproducible.
        site_dir: Build here instead of the config's ``site_dir`` (MkDocs empties it first).

    Raises:
        PublishError: The configuration is invalid or the build aborted.
    """
    from mkdocs import exceptions
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    with _capture_mkdocs_log(strict=strict) as messages, _source_date(epoch):
        try:
            overrides = {"site_dir": str(site_dir)} if site_dir is not None else {}
            config = load_config(config_file=str(config_path), strict=strict, **overrides)
            cache = Path(config_path).parent / PAGE_CACHE
            with raw_blocks.added(config), page_cache(cache), pages_ahead(), static_links(config):
                mkdocs_build.build(config)
        except (exceptions.MkDocsException, OSError, yaml.YAMLError) as error:
            raise PublishError(_failure_message(config_path, messages, error)) from None
        except Exception as error:  # a theme template or Markdown extension crashed
            log.debug("MkDocs crashed", exc_info=True)
            raise PublishError(_failure_message(config_path, messages, error)) from None


def swap_in(new_site: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``new_site`` with renames only, then drop the old site.

    Between the two renames ``site_dir`` is missing for an instant, but never half-written.

    Args:
        new_site: The freshly built site (same file system as ``site_dir``).
        site_dir: The live site folder (may not exist yet).
    """
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
        os.rmdir(old)  # only the unique name is wanted; rename needs the target absent
        os.rename(site_dir, old)
    try:
        os.rename(new_site, site_dir)
    except OSError:
        if old is not None:
            os.rename(old, site_dir)  # put the last good site back
        raise
    os.chmod(site_dir, 0o755)  # mkdtemp makes 0700 folders; the web server must read the site
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _site_name(extra: Mapping[str, Any]) -> str:
    """The organisation's name for the site title, when the build knows it."""
    name = extra.get("site_name")
    org = extra.get("organization")
    if not name:
        # The pipeline passes the organisation's name; a mapping with "name" works too.
        name = org.get("name") if isinstance(org, Mapping) else org
    return str(name) if name else ""


def _site_epoch(extra: Mapping[str, Any]) -> int:
    """The build's date for MkDocs: the user's ``SOURCE_DATE_EPOCH``, else the provenance record's."""
    provenance = extra.get("provenance")
    return reproducible_epoch(provenance if isinstance(provenance, Mapping) else {}, environ=os.environ)


def _escaped_nav(nav: Any) -> Any:
    """A nav with every title HTML-escaped (paths untouched)."""
    if isinstance(nav, list):
        return [_escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {str(escape(title)): _escaped_nav(target) for title, target in nav.items()}
    return nav


def _plain(value: Any) -> Any:
    """``value`` with mappings, sequences, dates and enums turned into plain YAML data."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (dt.date, Path)):
        return str(value)
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return _plain(value.value)  # enums
    return value


@contextlib.contextmanager
def _source_date(epoch: int) -> Iterator[None]:
    """Set ``SOURCE_DATE_EPOCH`` for the duration of a build (MkDocs reads it for dates)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


class _Collector(logging.Handler):
    """Re-logs MkDocs's records under our logger and keeps warnings and errors."""

    def __init__(self, *, strict: bool) -> None:
        super().__init__(level=logging.DEBUG)
        self.strict = strict
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip()
        if record.levelno < logging.WARNING:
            log.debug("mkdocs: %s", message)
            return
        self.messages.append(f"{record.levelname.lower()}: {message}")
        # In strict mode a warning fails the build and reaches the user in the
        # PublishError message; logging it as well would print it twice.
        log.log(logging.DEBUG if self.strict else record.levelno, "mkdocs: %s", message)


@contextlib.contextmanager
def _capture_mkdocs_log(*, strict: bool) -> Iterator[list[str]]:
    """Route the ``mkdocs`` logger to :class:`_Collector` (and nowhere else) for a build."""
    logger = logging.getLogger(_MKDOCS_LOGGER)
    collector = _Collector(strict=strict)
    saved = (logger.handlers[:], logger.propagate, logger.level)
    logger.handlers = [collector]
    logger.propagate = False
    logger.setLevel(logging.DEBUG if log.isEnabledFor(logging.DEBUG) else logging.INFO)
    try:
        yield collector.messages
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])


def _failure_message(config_path: Path, messages: list[str], error: BaseException) -> str:
    """The user's view of a failed MkDocs build: what MkDocs said, no traceback."""
    lines = [f"the site build failed (MkDocs, config {config_path}):"]
    shown = messages[:_MAX_MESSAGES]
    lines += [f"  {message}" for message in shown]
    if len(messages) > len(shown):
        lines.append(f"  ... and {len(messages) - len(shown)} more")
    reason = str(error).strip()
    if reason and not any(reason in message for message in shown):
        lines.append(f"  {reason}")
    return "\n".join(lines)
