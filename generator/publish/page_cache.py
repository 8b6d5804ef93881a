"""MkDocs's per-page work kept between builds: a page's HTML and its search entries.

MkDocs converts every page's Markdown and Material indexes every page for search on every
build, even when one CSV changed and one KPI page with it: for a 1,000-KPI portal that is
most of a rebuild. While a build runs, :func:`page_cache` gives MkDocs back, for each page,
the HTML (with its table of contents, title and anchors) and the search entries an earlier
build made, when everything they depend on is the same: the page's Markdown, its path, the
paths and addresses of every file of the site, the Markdown extensions and their settings,
and the versions of Python, MkDocs, Python-Markdown, Material and PyMdown. A page whose conversion
logged a warning (a broken link) is not kept, so the warning comes back on every build.

On a cold build every page misses: the first page the cache lacks has every page MkDocs has
yet to read converted and indexed ahead in worker processes, one per core
(:mod:`generator.workers`), and MkDocs's own loop then finds them all. A page
whose conversion warns is converted again in this process, so it warns as without workers.

An optimisation of our own build only: nothing of the site's content or safety depends on it.
A build with an empty cache, or ``mkdocs build -f`` by hand, gives the same bytes. The cache
is a file in the generator's own build folder, written with :mod:`marshal` (a tenth of the
time JSON takes on 25 MB of pages); entries no build used are dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import marshal
import os
import platform
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator import workers as page_workers
from generator.publish import page_markdown, raw_anchors, raw_blocks

__all__ = ["CACHE_NAME", "page_cache"]

log = logging.getLogger(__name__)

CACHE_NAME = "page-cache.marshal"
_FORMAT = 3  # bump when what is stored changes
_LIBRARIES = ("mkdocs", "markdown", "mkdocs-material", "pymdown-extensions")


class _Store:
    """The entries of the last build (read) and of this one (kept), by kind and key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.old: dict[str, Any] = _read(path)
        self.new: dict[str, Any] = {}
        self.found: dict[str, Any] = {}  # made ahead for this build by worker processes
        self.reused = self.ahead = self.made = 0
        self._files: tuple[int, str] | None = None

    def get(self, key: str) -> Any:
        found = self.old.get(key)
        if found is not None:
            self.reused += 1
        elif (found := self.found.get(key)) is not None:
            self.ahead += 1
        else:
            return None
        self.new[key] = found
        return found

    def put(self, key: str, value: Any) -> None:
        self.made += 1
        self.new[key] = value

    def files_fingerprint(self, files: Any) -> str:
        """Every file's path and address: a relative link's target depends on them."""
        if self._files is None or self._files[0] != id(files):
            listing = "\n".join(sorted(f"{f.src_uri}\t{f.url}" for f in files))
            self._files = (id(files), _digest(listing))
        return self._files[1]

    def save(self) -> None:
        log.debug("page cache: %d reused, %d made ahead, %d made", self.reused, self.ahead, self.made)
        if not self.made and not self.ahead and len(self.new) == len(self.old):
            return  # every entry reused: the file already holds them
        # Key order is kept: a search entry comes back exactly as Material wrote it.
        try:
            data = marshal.dumps({"format": _FORMAT, "entries": self.new})
        except ValueError:  # a value of a type marshal does not know (in a page's metadata, say)
            log.debug("page cache not written", exc_info=True)
            return
        temp = self.path.with_name(f".{self.path.name}.tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(data)
        os.replace(temp, self.path)


PARALLEL_FROM = 24
"""Pages left to convert before converting them in worker processes pays off."""


@contextlib.contextmanager
def page_cache(path: Path, *, workers: int | None = None) -> Iterator[None]:
    """Within the block, MkDocs reuses the page HTML and search entries kept in ``path``.

    The first page the cache lacks has every page MkDocs has yet to convert converted ahead
    in worker processes (:mod:`generator.workers`), so MkDocs then finds them all.
    The cache is written back only when the block ends without an error.

    Args:
        path: The cache file.
        workers: Worker processes for the pages to convert; ``None``: one per core when
            there are :data:`PARALLEL_FROM` pages or more, 1 converts them all in this process.
    """
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.pages import Page

    cache = _Cache(_Store(path), Page.render, SearchIndex.add_entry_from_context, workers)

    def cached_render(page: Any, config: Any, files: Any) -> None:
        cache.render(page, config, files)

    def cached_index(search: Any, page: Any) -> None:
        cache.index(search, page)

    # Patching methods on the class: mypy types a function stored on a class as bound twice
    # (``def (self, self: Page, ...)``), hence ``assignment`` beside ``method-assign``.
    Page.render = cached_render  # type: ignore[method-assign, assignment]
    SearchIndex.add_entry_from_context = cached_index
    try:
        with raw_anchors.deferred():  # a page's raw HTML scanned for anchors only when a link needs it
            yield
    finally:
        Page.render, SearchIndex.add_entry_from_context = cache.convert, cache.add_entries  # type: ignore[method-assign]
    cache.store.save()


class _Cache:
    """MkDocs's page conversion and search indexing, served from the store when they can be."""

    def __init__(self, store: _Store, convert: Any, add_entries: Any, workers: int | None) -> None:
        self.store = store
        self.convert, self.add_entries = convert, add_entries  # MkDocs's and Material's own
        self.workers = workers
        self.versions = _versions()
        self.ahead = False  # pages already converted ahead

    def html_key(self, page: Any, config: Any, files: Any) -> str:
        return _digest(
            "html", self.versions, _settings(config), self.store.files_fingerprint(files), page.file.src_uri,
            page.markdown,
        )

    def search_key(self, search: Any, page: Any) -> str:
        return _digest(
            "search", self.versions, json.dumps(search.config, sort_keys=True, default=str), page.url,
            str(page.title), json.dumps(page.meta, sort_keys=True, default=str), str(page.toc), page.content,
        )

    def render(self, page: Any, config: Any, files: Any) -> None:
        """``Page.render``: the kept HTML, or a conversion kept unless it logged a warning."""
        key = self.html_key(page, config, files)
        hit = self.store.get(key)
        if hit is None and not self.ahead:
            self.ahead = True
            self.convert_ahead(page, config, files)
            hit = self.store.get(key)
        if hit is not None:
            _restore(page, hit, files, config)
            return
        with _warnings() as warned:
            page_markdown.render(page, config, files, self.convert)
        if not warned.count:
            self.store.put(key, _snapshot(page))
        page.present_anchor_ids = raw_anchors.Anchors(page.present_anchor_ids, page, config)

    def index(self, search: Any, page: Any) -> None:
        """``SearchIndex.add_entry_from_context``: the kept entries, or new ones kept."""
        key = self.search_key(search, page)
        hit = self.store.get(key)
        if hit is not None:
            search.entries.extend(hit)
            return
        before = len(search.entries)
        self.add_excluding(search, page)
        self.store.put(key, search.entries[before:])

    def add_excluding(self, search: Any, page: Any) -> None:
        """Material's indexing of ``page``, given its content without our blocks it would skip.

        Material's parser walks every element of a block marked ``data-search-exclude`` to
        skip it (a KPI page's period table: two thirds of indexing the page). The blocks our
        templates mark (``class="sp-..."``, ending at their own end tag as
        :func:`.raw_blocks.ends_at_own_tag` tells, no heading) are cut out before it parses
        the content; the entries are the same.
        """
        content = page.content
        page.content = _EXCLUDED.sub(_cut, content)
        try:
            self.add_entries(search, page)
        finally:
            page.content = content

    def convert_ahead(self, page: Any, config: Any, files: Any) -> None:
        """Convert ``page`` and every page MkDocs has not read yet in worker processes.

        What they make goes to the store as found, so MkDocs's own loop finds it. A page
        whose conversion logged a warning comes back empty: MkDocs converts it again here.
        """
        pages = [page.file] + [f for f in files.documentation_pages() if f.page is None or f.page.markdown is None]
        workers = self.workers
        if workers is None:
            workers = page_workers.cpu_count() if len(pages) >= PARALLEL_FROM else 1
        search = _search_index(config)
        sizes = [_size(file.abs_src_path) for file in pages]  # a page's cost grows with its size
        made = page_workers.fork_map(lambda file: self.made_ahead(file, config, files, search), pages, workers, sizes)
        for entries in made or ():
            self.store.found.update(entries or ())

    def made_ahead(self, file: Any, config: Any, files: Any, search: Any) -> list[tuple[str, Any]]:
        """In a worker: read and convert one page as MkDocs's loop would, and index it for search.

        Returns:
            The store entries the loop will ask for, none for a page the store already has.
        """
        from mkdocs.structure.pages import Page

        page = file.page if file.page is not None else Page(None, file, config)
        config._current_page = page  # as MkDocs's loop sets it: extensions may read it
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        key = self.html_key(page, config, files)
        if key in self.store.old:
            return []
        page_markdown.render(page, config, files, self.convert)
        kept = _snapshot(page)
        made: list[tuple[str, Any]] = [(key, kept)]
        if search is not None:
            _restore(page, kept, files, config)  # the page as the loop will index it: restored from the store
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
            fresh = type(search)(**search.config)
            self.add_excluding(fresh, page)
            made.append((self.search_key(fresh, page), fresh.entries))
        return made


# A block of our templates that search skips: its tag, then what it holds.
_EXCLUDED = re.compile(
    r'<(div|figure|nav|details) class="sp-[^"]*"[^>]*? data-search-exclude(?:="")?>(.*?)</\1>', re.DOTALL
)


def _cut(block: re.Match[str]) -> str:
    """Nothing for a block whose end is surely its own and that holds no heading (search makes a section of one)."""
    tag, inner = block.group(1), block.group(2)
    return "" if raw_blocks.ends_at_own_tag(tag, inner) and not _HEADING.search(inner) else block.group(0)


_HEADING = re.compile(r"<h[1-6]\b")


def _size(path: str | None) -> int:
    try:
        return os.stat(path).st_size if path else 0
    except OSError:
        return 0


def _search_index(config: Any) -> Any:
    """Material's search index of this build, ``None`` with its search plugin off."""
    from material.plugins.search.plugin import SearchPlugin

    for plugin in config.plugins.values():
        if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
            return getattr(plugin, "search_index", None)
    return None


# -- what a page keeps ------------------------------------------------------------------------


def _snapshot(page: Any) -> dict[str, Any]:
    links = page.links_to_anchors
    return {
        "content": page.content,
        "toc": [_toc_token(item) for item in page.toc],
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),  # its Markdown's: raw HTML is scanned when needed
        "links": None if links is None else {target.src_uri: dict(found) for target, found in links.items()},
    }


def _restore(page: Any, kept: dict[str, Any], files: Any, config: Any) -> None:
    from mkdocs.structure.toc import get_toc

    page.content = kept["content"]
    page.toc = get_toc(kept["toc"])
    page._title_from_render = kept["title"]
    page.present_anchor_ids = raw_anchors.Anchors(kept["anchors"], page, config)
    if kept["links"] is not None:
        targets = {uri: files.get_file_from_path(uri) for uri in kept["links"]}
        page.links_to_anchors = {targets[uri]: found for uri, found in kept["links"].items() if targets[uri]}


def _toc_token(item: Any) -> dict[str, Any]:
    return {"name": item.title, "id": item.id, "level": item.level, "children": [_toc_token(c) for c in item.children]}


# -- keys -----------------------------------------------------------------------------------


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def _settings(config: Any) -> str:
    """What a page's conversion depends on besides its Markdown and the site's files."""
    return json.dumps(
        [config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"]],
        sort_keys=True,
        default=repr,
    )


def _versions() -> str:
    # Python too: its html.parser reads every page's raw HTML.
    libraries = (importlib.metadata.version(name) for name in _LIBRARIES)
    return json.dumps([_FORMAT, platform.python_version(), *libraries])


def _read(path: Path) -> dict[str, Any]:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):  # missing, damaged or another Python's
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return data["entries"]


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def _warnings() -> Iterator[_Counter]:
    """Counts the warnings MkDocs logs inside the block."""
    counter = _Counter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
