"""Our templates' HTML blocks handed to Python-Markdown whole, not parsed tag by tag.

A generated page is mostly HTML blocks our templates write (a KPI's period table, the KPI
lists, the OKRs): Python-Markdown parses each one's every tag with ``html.parser`` only to
find where it ends, then sets it aside and puts it back as it was. For a block whose end is
plain to see, :class:`RawBlocks` sets it aside at once, as Python-Markdown would (with the
blank line it keeps after a raw block): the same HTML, at half the time Python-Markdown
takes over a 1,000-KPI portal's pages.

A block qualifies when it is one of our templates' (its tag's first attribute is
``class="sp-..."``, or a bare ``<table>``: Material styles only tables without a class),
starts a line after a blank line, holds no element of its own tag (so its first end tag is
its own), no ``markdown`` attribute (``md_in_html`` reads inside those) and nothing the HTML
parser reads as other than tags (a comment, a script), and a blank line follows its end.
Anything else is left to Python-Markdown.

Added to the build's configuration in memory only (:func:`added`): the generated
``mkdocs.yml`` does not name it, and ``mkdocs build -f`` without it gives the same bytes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

__all__ = ["RawBlocks", "added", "ends_at_own_tag"]

# Between fenced code (set aside at 25, so a block shown as code stays code) and
# Python-Markdown's own HTML blocks (20).
_PRIORITY = 20.5

_BLOCK = re.compile(
    r'(?<=\n\n)<(?:(div|dl|figure|nav|details|ul|table) class="sp-[^"\n]*"[^>\n]*|(table))>.*?</(?:\1|\2)>(?=\n\n)',
    re.DOTALL,
)
# What html.parser reads differently from a search for the end tag.
_OPAQUE = ("<!--", "<![CDATA[", "<script", "<style", "<textarea")


def ends_at_own_tag(tag: str, inner: str) -> bool:
    """Whether a ``tag`` element holding ``inner`` surely ends at the first ``</tag>`` after it.

    True when ``inner`` holds no element of the same tag and nothing an HTML parser reads as
    other than tags (a comment, a script), so a search for the end tag finds the parser's end.
    """
    return f"<{tag}" not in inner and not any(mark in inner for mark in _OPAQUE)


class RawBlocks(Extension):
    """The Python-Markdown extension; its ``repr`` is stable, as the page cache keys by it."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_SetAside(md), "sp_raw_blocks", _PRIORITY)

    def __repr__(self) -> str:
        return f"{__name__}.RawBlocks()"


@contextlib.contextmanager
def added(config: Any) -> Iterator[None]:
    """Within the block, MkDocs converts pages of ``config`` with :class:`RawBlocks`."""
    extensions = config["markdown_extensions"]
    extension = RawBlocks()
    extensions.append(extension)
    try:
        yield
    finally:
        extensions.remove(extension)


class _SetAside(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return _BLOCK.sub(self._stash, "\n".join(lines)).split("\n")

    def _stash(self, found: re.Match[str]) -> str:
        block, tag = found.group(0), found.group(1) or found.group(2)
        inner = block[block.index(">") + 1 : -len(tag) - 3]
        if " markdown" in block or not ends_at_own_tag(tag, inner):
            return block
        return self.md.htmlStash.store(block + "\n")
