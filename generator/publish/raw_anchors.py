"""MkDocs's scan of a page's raw HTML for anchor ids, made only for an anchor a link looks for.

To check a link to ``page.md#id``, MkDocs collects each page's ids twice: those the Markdown
makes (headings, ``{ #id }``), and those of its raw HTML, by parsing the page's whole source
once more with ``html.parser`` (``mkdocs.structure.pages._RawHTMLPreprocessor``): a third of
converting a KPI page, 0.2 s for a 1,000-KPI portal's OKRs page. Yet a link's anchor is almost
always a heading's, and most pages are never a link's target.

Within :func:`deferred`, pages convert without that scan, and the page cache
(:mod:`generator.publish.page_cache`) gives each page :class:`Anchors`: its Markdown's ids, and
its raw HTML's found by the same scan, over the same preprocessed lines, the first time a
link looks for an anchor that is not among the others. The links MkDocs warns about, and the
pages' HTML, are the same as with the scan.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["Anchors", "deferred"]

_SCAN: list[Any] = []  # MkDocs's own scan while deferred() holds it back


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Within the block, MkDocs's conversion of a page leaves its raw HTML unscanned (see above)."""
    from mkdocs.structure.pages import _RawHTMLPreprocessor

    scan = _RawHTMLPreprocessor.run
    _SCAN.append(scan)
    _RawHTMLPreprocessor.run = _lines_as_they_are  # type: ignore[method-assign]
    try:
        yield
    finally:
        _RawHTMLPreprocessor.run = scan  # type: ignore[method-assign]
        _SCAN.pop()


class Anchors:
    """A page's anchor ids: its Markdown's, and its raw HTML's once one is looked for and missing.

    Stands for the set MkDocs keeps in ``Page.present_anchor_ids``, which it only asks ``in``.
    """

    __slots__ = ("known", "page", "config", "raw")

    def __init__(self, known: Iterable[str], page: Any, config: Any) -> None:
        self.known = frozenset(known)
        self.page, self.config = page, config
        self.raw: frozenset[str] | None = None

    def __contains__(self, anchor: object) -> bool:
        return anchor in self.known or anchor in self._raw_ids()

    def __iter__(self) -> Iterator[str]:
        return iter(self.known | self._raw_ids())

    def _raw_ids(self) -> frozenset[str]:
        """The raw HTML's ids, scanned for on first need."""
        if self.raw is None:
            self.raw = frozenset(raw_html_ids(self.page.markdown or "", self.config))
        return self.raw


def raw_html_ids(text: str, config: Any) -> set[str]:
    """The ids MkDocs's scan finds in a page's raw HTML: the lines it would see, then the scan.

    The scan runs among Python-Markdown's preprocessors (after, say, fenced code is set
    aside), so the ones before it run first, as in a conversion.
    """
    import markdown
    from mkdocs.structure.pages import _RawHTMLPreprocessor

    if not text.strip():  # as Markdown.convert, which runs nothing on a blank page
        return set()
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    scan = _RawHTMLPreprocessor()
    scan._register(md)
    lines = text.split("\n")
    for processor in md.preprocessors:
        if processor is scan:
            break
        lines = processor.run(lines)
    run = _SCAN[-1] if _SCAN else _RawHTMLPreprocessor.run
    run(scan, lines)
    return set(scan.present_anchor_ids)


def _lines_as_they_are(self: Any, lines: list[str]) -> list[str]:
    """The scan held back: the lines, which it never changes, and no ids yet."""
    return lines
