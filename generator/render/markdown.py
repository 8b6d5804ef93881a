"""Escaping, links and number formats for the generated Markdown pages.

Every user string lands in one of three places, each with its own escaper:

* Markdown text (headings, paragraphs, table cells, link text): :func:`md_escape`.
  It backslash-escapes every character Python-Markdown treats as syntax and
  turns ``<``/``&``/``>`` into entities, so a name shows literally and never
  becomes a tag, a link, emphasis, an ``attr_list`` attribute or a table column.
* Raw HTML (attributes, text inside block HTML): :func:`html_escape`
  (``markupsafe.escape``).
* User Markdown (an objective's ``description``): :func:`user_markdown` renders it
  to HTML itself with a locked-down Python-Markdown (raw HTML read as text, every
  link target checked on the parsed tree, no images), so no regex has to guess
  how Markdown will parse it.

Links between generated pages are relative Markdown links to the ``.md`` file
(:func:`md_link`, MkDocs rewrites and validates them); links written inside raw
HTML or SVG use directory URLs relative to the page (:func:`dir_url`).
"""

from __future__ import annotations

import functools
import posixpath
import re
import xml.etree.ElementTree as etree
from urllib.parse import quote

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from generator.compute.results import Status
from generator.model import InitiativeStatus
from generator.render.style import style

__all__ = [
    "dir_url",
    "file_href",
    "href_in_file",
    "html_escape",
    "initiative_badge",
    "md_escape",
    "md_link",
    "page_url",
    "rel_path",
    "status_badge",
    "user_markdown",
]

# Python-Markdown's escapable characters (its ESCAPED_CHARS plus the tables
# extension's '|'), except '>' which becomes an entity below. Escaping a
# character it does not know would show the backslash, so the set is exact.
_MD_SPECIALS = frozenset("\\`*_{}[]()#+-.!|")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def html_escape(text: object) -> Markup:
    """Escape ``text`` for raw HTML: element text and quoted attribute values."""
    return escape(str(text))


def md_escape(text: object) -> str:
    """Escape ``text`` so Markdown shows it literally, on one line.

    Line breaks become spaces (a name with a newline must not end a table row or
    start a list), Markdown specials get a backslash, and ``<``, ``>``, ``&``
    become entities so no tag can open.

    Args:
        text: any user value; ``None`` gives an empty string.

    Returns:
        Markdown source that renders as exactly ``text``.
    """
    if text is None:
        return ""
    flat = _NEWLINES.sub(" ", str(text)).strip()
    out: list[str] = []
    for char in flat:
        if char == "&":
            out.append("&amp;")
        elif char == "<":
            out.append("&lt;")
        elif char == ">":
            out.append("&gt;")
        elif char in _MD_SPECIALS:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


# -- user Markdown --------------------------------------------------------------

# Link targets a description may have: web and mail links, anchors, and relative
# paths. Checked on the parsed tree, after Python-Markdown resolved every link form
# (inline, reference, autolink), so no spelling of a URL slips past.
_SAFE_URL = re.compile(r"(?:https?://|mailto:|#|\.{0,2}/(?!/)|[^:/][^:]*$)", re.IGNORECASE)


class _SafeTree(Treeprocessor):
    """Unlinks unsafe targets and drops images (nothing may load from another host)."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and not _SAFE_URL.match((element.get("href") or "").strip()):
                element.tag = "span"  # the text stays, the link goes
                element.attrib.clear()
            for child in list(element):
                if child.tag == "img":
                    replacement = etree.Element("span")
                    replacement.text = child.get("alt") or ""
                    replacement.tail = child.tail
                    element.insert(list(element).index(child), replacement)
                    element.remove(child)


@functools.lru_cache(maxsize=1)
def _user_markdown_renderer() -> markdown.Markdown:
    """Python-Markdown with raw HTML read as text and every link checked."""
    renderer = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    renderer.preprocessors.deregister("html_block")  # `<script>` in a block: text
    renderer.inlinePatterns.deregister("html")  # `<img onerror>` inline: text
    renderer.treeprocessors.register(_SafeTree(renderer), "sp_safe_tree", 0)  # after links exist
    return renderer


def user_markdown(text: str) -> Markup:
    """A user's Markdown (an objective's description) as safe HTML for the page.

    Rendered here, not by the site's Markdown, so the rules are ours: emphasis,
    lists, code and links work; raw HTML shows as text; a link whose target is not
    http(s), mailto, an anchor or a relative path is shown as plain text; an image
    shows its alt text. The result is a ``<div>`` block the site passes through.

    Args:
        text: the description as written in the scorecard.

    Returns:
        ``<div class="sp-description">...</div>``, with no blank line inside (so the
        page's Markdown keeps it as one raw block).
    """
    html = _user_markdown_renderer().reset().convert(str(text))
    html = re.sub(r"\n\s*\n", "\n", html)
    return Markup(f'<div class="sp-description">\n{html}\n</div>')


# -- status chips ---------------------------------------------------------------------


def status_badge(status: Status, stale: bool = False) -> Markup:
    """The status chip shown wherever a computed status appears.

    Colour is never alone: the chip carries the word, and its class gives it the
    status's icon (drawn by ``theme/assets/portal.css``, hidden from screen readers).
    One element, not an icon element beside the word: a 1,000-KPI portal shows tens of
    thousands of chips, and every element is parsed three times by the site engine.
    A stale KPI adds "stale" with the stale icon.

    Args:
        status: the computed status.
        stale: whether the KPI's data is older than one reporting lag.

    Returns:
        ``<span class="sp-status sp-status--at-risk">At risk</span>``
    """
    look = style(status)
    stale_part = ' <span class="sp-stale">stale</span>' if stale else ""
    return Markup(f'<span class="sp-status {look.css_class}">{look.label}{stale_part}</span>')


def status_cell(status: Status) -> Markup:
    """A table cell that is the status: the status's fill, ink and icon (``portal.css``) and its word.

    For a column of statuses (a KPI's periods), where a chip in every row would be one
    more element per row for the site engine to parse, and reads as a wall of badges.

    Returns:
        ``<td class="sp-status--at-risk">At risk</td>``
    """
    look = style(status)
    return Markup(f'<td class="{look.css_class}">{look.label}</td>')


_INITIATIVE_LOOKS: dict[InitiativeStatus, tuple[str, str]] = {
    InitiativeStatus.NOT_STARTED: ("sp-status--not-started", "Not started"),
    InitiativeStatus.DONE: ("sp-status--done", "Done"),
}


def initiative_badge(status: InitiativeStatus | None) -> Markup:
    """The chip for an initiative's reported status (the owner's word, not computed).

    On track, at risk and off track look like the computed statuses; "done" and
    "not started" have their own classes (and icons); no status reads "No status".
    """
    if status is None:
        return Markup(f'<span class="sp-status {style(Status.NO_DATA).css_class}">No status</span>')
    if status in _INITIATIVE_LOOKS:
        css, label = _INITIATIVE_LOOKS[status]
        return Markup(f'<span class="sp-status {css}">{label}</span>')
    return status_badge(Status(status.value))


# -- links ------------------------------------------------------------------------------


def rel_path(from_page: str, to_page: str) -> str:
    """The relative Markdown link from one docs page to another (``../kpis/csat.md``)."""
    return _relpath(to_page, posixpath.dirname(from_page))


def md_link(text: object, from_page: str, to_page: str, anchor: str = "") -> Markup:
    """A Markdown link to another generated page, its text escaped.

    Args:
        text: the link text (any user string).
        from_page: the docs path of the page the link is written on.
        to_page: the docs path of the target page (``objectives/grow.md``).
        anchor: an optional heading id on the target page.
    """
    target = quote(rel_path(from_page, to_page))
    if anchor:
        target += "#" + quote(anchor)
    return Markup(f"[{md_escape(text)}]({target})")


def page_url(page: str) -> str:
    """The directory URL MkDocs serves a page at, relative to the site root (``kpis/csat/``)."""
    if page == "index.md":
        return ""
    if page.endswith("/index.md"):
        return page[: -len("index.md")]
    return page[: -len(".md")] + "/"


def dir_url(from_page: str, to_page: str) -> str:
    """The link from one page to another as written in raw HTML or SVG (``../../kpis/csat/``).

    MkDocs does not rewrite links inside raw HTML, so they must already be the
    directory URLs relative to the URL the linking page is served at.
    """
    here = page_url(from_page)
    there = page_url(to_page)
    relative = _relpath(there, here)
    if relative == ".":
        return "./"
    return quote(relative) + "/"


def file_href(from_page: str, file: str) -> str:
    """The address of a docs file that is not a page (``map/map.svg``) relative to the page's URL.

    ``kpis/csat.md`` is served at ``kpis/csat/``: a file is one folder further up than
    :func:`rel_path` would say.
    """
    return quote(_relpath(file, page_url(from_page)))


def href_in_file(file: str, to_page: str) -> str:
    """A link written inside a docs file (an SVG), to a page, relative to the file's own folder."""
    relative = _relpath(page_url(to_page), posixpath.dirname(file))
    return "./" if relative == "." else quote(relative) + "/"


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` for docs paths (relative, no ``.`` or ``..`` parts; ``""`` is the root).

    Without the file system: ``posixpath.relpath`` asks for the working folder on every
    call, and a large portal makes tens of thousands of links.
    """
    to = [part for part in path.split("/") if part]
    here = [part for part in start.split("/") if part]
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."
