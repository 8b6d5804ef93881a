"""MkDocs's conversion of a page, with one Python-Markdown instance per process, not one per page.

``mkdocs.structure.pages.Page.render`` builds a new ``markdown.Markdown`` for every page: every
extension registered and its settings deep-copied again, a fifth of converting a KPI page.
:func:`render` does what ``Page.render`` does (MkDocs 1.6, whose 1.x line is final) with one
instance per process and configuration, reset between pages as Python-Markdown provides, when
every extension of the configuration is one known to reset all it keeps (the project's
``mkdocs.yml``'s, and :class:`~generator.publish.raw_blocks.RawBlocks`); otherwise it leaves
the page to MkDocs's own. The same HTML, title, table of contents, anchors and links
(``tests/test_page_markdown.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

__all__ = ["render"]

# Extensions whose reset() forgets all a page left (Python-Markdown 3.11, PyMdown 13).
_RESETTABLE = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "md_in_html", "tables", "toc", "pymdownx.details",
    "pymdownx.superfences",
})  # fmt: skip

_MKDOCS_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # MkDocs keeps links only above debug

_INSTANCES: dict[int, tuple[Any, Any]] = {}  # id(config) -> (config, its Markdown or None)


def render(page: Any, config: Any, files: Any, mkdocs_render: Callable[[Any, Any, Any], None]) -> None:
    """``Page.render(config, files)`` of ``page``, on this process's Markdown when it may be reused.

    Args:
        page: MkDocs's page, its Markdown read.
        config: The build's MkDocs configuration.
        files: The build's files.
        mkdocs_render: MkDocs's own ``Page.render``, for a configuration with other extensions.
    """
    md = _instance(config)
    if md is None:
        mkdocs_render(page, config, files)
        return
    from mkdocs.structure import pages
    from mkdocs.structure.toc import get_toc

    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md.reset()
    # As Page.render: each page's own processors, registered by name over the last page's.
    raw_html = pages._RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative = pages._RelativePathTreeprocessor(page.file, files, config)
    relative._register(md)
    title = pages._ExtractTitleTreeprocessor()
    title._register(md)
    page.content = md.convert(page.markdown)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
    if _MKDOCS_PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative.links_to_anchors


def _instance(config: Any) -> Any:
    """This process's Markdown for ``config``; None when an extension may keep a page's state."""
    kept = _INSTANCES.get(id(config))
    if kept is not None and kept[0] is config:
        return kept[1]
    import markdown

    from generator.publish.raw_blocks import RawBlocks

    extensions = config["markdown_extensions"]
    known = all(isinstance(e, RawBlocks) or (isinstance(e, str) and e in _RESETTABLE) for e in extensions)
    md = markdown.Markdown(extensions=extensions, extension_configs=config["mdx_configs"] or {}) if known else None
    _INSTANCES.clear()  # one configuration at a time: a new build's replaces the last
    _INSTANCES[id(config)] = (config, md)
    return md
