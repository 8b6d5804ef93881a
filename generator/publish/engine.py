"""What a site engine must do for the portal, and MkDocs (Material) behind it.

A :class:`SiteEngine` writes its configuration for a docs folder, builds the
site into a folder, and serves a preview. Nothing of the site's safety lives in
an engine: every user string is escaped in the docs folder (the templates) and in
the configuration (:func:`generator.publish.site.generated_config`) before any
engine runs, so an engine that runs no plugins or hooks (Zensical) shows hostile
names as text too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

__all__ = ["MkDocsEngine", "SiteEngine", "default_engine"]


class SiteEngine(Protocol):
    """A static-site engine over a generated docs folder."""

    config_name: str

    def write_config(
        self,
        docs_dir: Path,
        site_dir: Path,
        *,
        project_root: Path,
        nav: list,
        extra: Mapping[str, Any] | None = None,
        site_url: str | None = None,
    ) -> Path:
        """Write the engine's configuration beside ``docs_dir``; return its path."""
        ...

    def build(self, config_path: Path, *, strict: bool, epoch: int, site_dir: Path | None = None) -> None:
        """Build the site of ``config_path`` (into ``site_dir`` when given); ``epoch`` dates it."""
        ...

    def serve(self, builder: Callable[[], None], site_dir: Path, *, host: str, port: int) -> Any:
        """A live-reload preview server of ``site_dir`` that calls ``builder`` on change (not started)."""
        ...


class MkDocsEngine:
    """MkDocs with the Material theme, run in-process."""

    config_name = "mkdocs.yml"

    def write_config(
        self,
        docs_dir: Path,
        site_dir: Path,
        *,
        project_root: Path,
        nav: list,
        extra: Mapping[str, Any] | None = None,
        site_url: str | None = None,
    ) -> Path:
        from generator.publish import site

        config = site.generated_config(
            docs_dir, site_dir, project_root=project_root, nav=nav, extra=extra, site_url=site_url
        )
        path = Path(docs_dir).parent / self.config_name
        site.write_config(config, path)
        return path

    def build(self, config_path: Path, *, strict: bool, epoch: int, site_dir: Path | None = None) -> None:
        from generator.publish import site

        site.run_mkdocs(config_path, strict=strict, epoch=epoch, site_dir=site_dir)

    def serve(self, builder: Callable[[], None], site_dir: Path, *, host: str, port: int) -> Any:
        from mkdocs.livereload import LiveReloadServer

        return LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir))


def default_engine() -> SiteEngine:
    """The engine the portal builds with."""
    return MkDocsEngine()
