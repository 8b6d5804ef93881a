"""Material's templates rendered for MkDocs's pages in worker processes, one per core.

Once MkDocs has read and converted every page, its build renders the theme's templates for
each page in turn and writes the page's HTML (``mkdocs.commands.build._build_page``): for a
1,000-KPI portal, the most of what MkDocs still does on a rebuild (the page cache,
:mod:`generator.publish.page_cache`, spares it the conversions). Within :func:`pages_ahead`,
the first page MkDocs builds is built here as usual, then every page after it is built ahead
in forked worker processes (:mod:`generator.workers`): each worker runs MkDocs's own function
on its pages, so renders them and writes their HTML as MkDocs would.

MkDocs's loop then goes on here and, for a page a worker wrote, does only what that page's
build leaves in this process: its plugins' ``page_context`` event, in page order. Material's
search plugin adds the page's search entries there (from the page cache, where a worker made
them ahead on a cold build), so the search index is written in the same order, the same bytes.

Done only where that is all a page's build leaves behind, else MkDocs builds every page here:
no plugin but Material's search (another plugin's ``page_context`` or ``post_page`` event, or
state it keeps while a template renders, would be lost in a worker), no ``--dirty`` build, no
draft page shown by a preview, and no two pages written to one file. A page whose build logs a
warning, fails or writes nothing in a worker is built again here by MkDocs's own function, so
the warning, the error or MkDocs's note comes out of this process as without workers.

An optimisation of our own build only: the site is the same bytes with one process or many,
and ``mkdocs build -f`` by hand builds every page itself. The theme's templates are taken to
be presentation only: rendering one page changes nothing another page's render reads.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Iterator, Sequence
from typing import Any

from generator import workers as page_workers

__all__ = ["PARALLEL_FROM", "pages_ahead", "search_plugin_only"]

# MkDocs's own logger for a page's build: an error in one reads as MkDocs's would.
_MKDOCS_BUILD_LOG = logging.getLogger("mkdocs.commands.build")

PARALLEL_FROM = 24
"""Pages left to build before building them in worker processes pays off."""


@contextlib.contextmanager
def pages_ahead(*, workers: int | None = None) -> Iterator[None]:
    """Within the block, MkDocs's build has its pages' templates rendered in worker processes.

    Args:
        workers: Worker processes; ``None``: one per core when there are
            :data:`PARALLEL_FROM` pages or more to build, 1 builds them all in this process
            (MkDocs's build untouched).
    """
    if workers == 1:
        yield
        return
    # The one seam into MkDocs: the module function its build() calls for each page, in the
    # order of the pages, as ``_build_page(page, config, doc_files, nav, env, dirty, excluded=)``.
    from mkdocs.commands import build as mkdocs_build

    builder = _Builder(mkdocs_build._build_page, workers)

    def build_page(
        page: Any, config: Any, doc_files: Sequence[Any], nav: Any, env: Any, dirty: bool = False,
        excluded: bool = False,
    ) -> None:
        builder.build(page, config, doc_files, nav, env, dirty, excluded)

    mkdocs_build._build_page = build_page
    try:
        yield
    finally:
        mkdocs_build._build_page = builder.build_page


class _Builder:
    """MkDocs's page builds, the first one starting the others ahead in worker processes."""

    def __init__(self, build_page: Any, workers: int | None) -> None:
        self.build_page = build_page  # MkDocs's own
        self.workers = workers
        self.started = False
        self.written: set[str] = set()  # the pages (source paths) a worker built

    def build(
        self, page: Any, config: Any, doc_files: Sequence[Any], nav: Any, env: Any, dirty: bool, excluded: bool
    ) -> None:
        """``_build_page``: a page a worker built only has its ``page_context`` event here."""
        if page.file.src_uri in self.written and not excluded:
            _page_context(page, config, doc_files, nav)
            return
        # The first page is built here: the theme's templates are compiled once, before the fork.
        self.build_page(page, config, doc_files, nav, env, dirty, excluded=excluded)
        if not self.started:
            self.started = True
            if not dirty and search_plugin_only(config):
                self.build_ahead(page, config, doc_files, nav, env)

    def build_ahead(self, first: Any, config: Any, doc_files: Sequence[Any], nav: Any, env: Any) -> None:
        """Build every page but ``first`` in worker processes; note the ones they wrote."""
        pages = [
            file.page for file in doc_files
            if file.page is not None and file.page is not first and not file.inclusion.is_excluded()
        ]
        if len({page.file.abs_dest_path for page in pages}) < len(pages):
            return  # two pages in one file: which is written last must stay MkDocs's order
        workers = self.workers
        if workers is None:
            workers = page_workers.cpu_count() if len(pages) >= PARALLEL_FROM else 1
        task = functools.partial(self.built_ahead, config=config, doc_files=doc_files, nav=nav, env=env)
        # All alike: the theme's nav, header and footer are most of a page's render, whatever its content.
        made = page_workers.fork_map(task, pages, workers)
        done = made or [None] * len(pages)
        self.written = {page.file.src_uri for page, wrote in zip(pages, done, strict=True) if wrote}

    def built_ahead(self, page: Any, config: Any, doc_files: Sequence[Any], nav: Any, env: Any) -> bool | None:
        """In a worker: build one page as MkDocs's loop would; ``None`` when it wrote no file."""
        self.build_page(page, config, doc_files, nav, env, False, excluded=False)
        # An empty render writes nothing and logs a note: this process builds it again to log it.
        return True if os.path.exists(page.file.abs_dest_path) else None


def _page_context(page: Any, config: Any, doc_files: Sequence[Any], nav: Any) -> None:
    """What MkDocs's ``_build_page`` leaves in this process besides the page's file.

    Its plugins' ``page_context`` event with the context MkDocs gives it, the page active as
    there; no template rendered, no ``post_page`` event (no plugin known here has one), nothing
    written: a worker did that.
    """
    from mkdocs.commands.build import get_context

    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        config.plugins.on_page_context(context, page=page, config=config, nav=nav)
    except Exception as error:  # reported as MkDocs reports an error in a page's build
        from mkdocs.exceptions import BuildError

        message = f"Error building page '{page.file.src_uri}':"
        _MKDOCS_BUILD_LOG.error(message if isinstance(error, BuildError) else f"{message} {error}")
        raise
    finally:
        page.active = False
        config._current_page = None


def search_plugin_only(config: Any) -> bool:
    """Whether Material's search is the build's only plugin: the one whose page events :func:`_page_context` covers.

    Material's search plugin: its ``page_context`` event indexes the page and strips search
    attributes from the page's content (for the render); it has no ``post_page`` event and
    keeps nothing while a template renders.
    """
    from material.plugins.search.plugin import SearchPlugin

    return all(type(plugin) is SearchPlugin for plugin in config.plugins.values())
