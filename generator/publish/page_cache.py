"""MkDocs's per-page work kept between builds: a page's HTML and its search entries.

MkDocs converts every page's Markdown and Material indexes every page for search on every
build, even when one CSV changed and one KPI page with it: for a 1,000-KPI portal that is
most of a rebuild. While a build runs, :func:`page_cache` gives MkDocs back, for each page,
the HTML (with its table of contents, title and anchors) and the search entries an earlier
build made, when everything they depend on is the same: the page's Markdown, its path, the
paths and addresses of every file of the site, the Markdown extensions and their settings,
and the versions of MkDocs, Python-Markdown, Material and PyMdown. A page whose conversion
logged a warning (a broken link) is not kept, so the warning comes back on every build.

An optimisation of our own build only: nothing of the site's content or safety depends on it.
A build with an empty cache, or ``mkdocs build -f`` by hand, gives the same bytes. The cache
is a JSON file in the generator's own build folder; entries no build used are dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["CACHE_NAME", "page_cache"]

log = logging.getLogger(__name__)

CACHE_NAME = "page-cache.json"
_FORMAT = 1  # bump when what is stored changes
_LIBRARIES = ("mkdocs", "markdown", "mkdocs-material", "pymdown-extensions")


class _Store:
    """The entries of the last build (read) and of this one (kept), by kind and key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.old: dict[str, Any] = _read(path)
        self.new: dict[str, Any] = {}
        self.hits = self.misses = 0
        self._files: tuple[int, str] | None = None

    def get(self, key: str) -> Any:
        found = self.old.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.new[key] = found
        return found

    def put(self, key: str, value: Any) -> None:
        self.new[key] = value

    def files_fingerprint(self, files: Any) -> str:
        """Every file's path and address: a relative link's target depends on them."""
        if self._files is None or self._files[0] != id(files):
            listing = "\n".join(sorted(f"{f.src_uri}\t{f.url}" for f in files))
            self._files = (id(files), _digest(listing))
        return self._files[1]

    def save(self) -> None:
        # Key order is kept: a search entry comes back exactly as Material wrote it.
        data = json.dumps({"format": _FORMAT, "entries": self.new}, ensure_ascii=False)
        temp = self.path.with_name(f".{self.path.name}.tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(data, encoding="utf-8")
        os.replace(temp, self.path)
        log.debug("page cache: %d reused, %d made", self.hits, self.misses)


@contextlib.contextmanager
def page_cache(path: Path) -> Iterator[None]:
    """Within the block, MkDocs reuses the page HTML and search entries kept in ``path``.

    The cache is written back only when the block ends without an error.
    """
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.pages import Page

    store = _Store(path)
    render, index = Page.render, SearchIndex.add_entry_from_context
    versions = _versions()

    def cached_render(page: Any, config: Any, files: Any) -> None:
        key = _digest(
            "html", versions, _settings(config), store.files_fingerprint(files), page.file.src_uri, page.markdown
        )
        hit = store.get(key)
        if hit is not None:
            _restore(page, hit, files)
            return
        with _warnings() as warned:
            render(page, config, files)
        if not warned.count:
            store.put(key, _snapshot(page))

    def cached_index(search: Any, page: Any) -> None:
        key = _digest(
            "search", versions, json.dumps(search.config, sort_keys=True, default=str), page.url,
            str(page.title), json.dumps(page.meta, sort_keys=True, default=str), str(page.toc), page.content,
        )
        hit = store.get(key)
        if hit is not None:
            search.entries.extend(hit)
            return
        before = len(search.entries)
        index(search, page)
        store.put(key, search.entries[before:])

    # Patching methods on the class: mypy types a function stored on a class as bound twice
    # (``def (self, self: Page, ...)``), hence ``assignment`` beside ``method-assign``.
    Page.render = cached_render  # type: ignore[method-assign, assignment]
    SearchIndex.add_entry_from_context = cached_index
    try:
        yield
    finally:
        Page.render, SearchIndex.add_entry_from_context = render, index  # type: ignore[method-assign]
    store.save()


# -- what a page keeps ------------------------------------------------------------------------


def _snapshot(page: Any) -> dict[str, Any]:
    links = page.links_to_anchors
    return {
        "content": page.content,
        "toc": [_toc_token(item) for item in page.toc],
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None if links is None else {target.src_uri: dict(found) for target, found in links.items()},
    }


def _restore(page: Any, kept: dict[str, Any], files: Any) -> None:
    from mkdocs.structure.toc import get_toc

    page.content = kept["content"]
    page.toc = get_toc(kept["toc"])
    page._title_from_render = kept["title"]
    page.present_anchor_ids = set(kept["anchors"])
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
    return json.dumps([_FORMAT, *(importlib.metadata.version(name) for name in _LIBRARIES)])


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
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
