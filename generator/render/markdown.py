"""Escaping, links and number formats for the generated Markdown pages.

Every user string lands in one of three places, each with its own escaper:

* Markdown text (headings, paragraphs, table cells, link text): :func:`md_escape`.
  It backslash-escapes every character Python-Markdown treats as syntax and
  turns ``<``/``&``/``>`` into entities, so a name shows literally and never
  becomes a tag, a link, emphasis, an ``attr_list`` attribute or a table column.
* Raw HTML (attributes, text inside block HTML): :func:`html_escape`
  (``markupsafe.escape``).
* User Markdown (an objective's ``description``): :func:`user_markdown` keeps
  emphasis, lists and web links but no raw HTML, no ``{: attr}`` lists and no
  ``javascript:``-style links.

Links between generated pages are relative Markdown links to the ``.md`` file
(:func:`md_link`, MkDocs rewrites and validates them); links written inside raw
HTML or SVG use directory URLs relative to the page (:func:`dir_url`).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

from markupsafe import Markup, escape

from generator.compute.results import Status
from generator.model import InitiativeStatus
from generator.render.style import STALE_ICON, style

__all__ = [
    "dir_url",
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

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_INLINE_LINK = re.compile(r"(\]\(\s*)([^)\s]*)")
_REF_DEFINITION = re.compile(r"^( {0,3})\[([^\]]+)\]:[ \t]*(\S*)", re.MULTILINE)
# Allowed link targets: web and mail links, anchors, and relative paths (no ':'
# at all, so no scheme). Raw '&' is already an entity here, so no scheme can be
# smuggled in as `&#58;`.
_SAFE_URL = re.compile(r"(?:https?://|mailto:|#|\.{0,2}/|[^:]*$)", re.IGNORECASE)


def user_markdown(text: str) -> str:
    """Make a user's Markdown safe to embed: keep formatting, drop HTML and unsafe links.

    ``<`` and ``&`` become entities outside code spans (so no raw HTML and no
    entity-encoded ``javascript:``), ``{``/``}`` are escaped (an ``attr_list``
    could otherwise add ``onclick``), and a link whose URL is not http(s),
    mailto, an anchor or a relative path is shown as text, not followed.

    Args:
        text: the description as written in the scorecard.

    Returns:
        Markdown that renders the user's emphasis, lists and web links and runs nothing.
    """
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(_defuse(text[last : match.start()]))
        parts.append(match.group(0))  # Markdown escapes code spans itself
        last = match.end()
    parts.append(_defuse(text[last:]))
    return "".join(parts).strip()


def _defuse(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace("{", "\\{").replace("}", "\\}")
    text = _INLINE_LINK.sub(_defuse_inline_link, text)
    return _REF_DEFINITION.sub(_defuse_reference, text)


def _defuse_inline_link(match: re.Match[str]) -> str:
    if _SAFE_URL.match(match.group(2)) or not match.group(2):
        return match.group(0)
    # Escaping the '(' turns `[text](url)` into plain text: the URL is shown, not followed.
    return "]\\(" + match.group(1)[2:] + match.group(2)


def _defuse_reference(match: re.Match[str]) -> str:
    if _SAFE_URL.match(match.group(3)):
        return match.group(0)
    return f"{match.group(1)}\\[{match.group(2)}\\]: {match.group(3)}"


# -- status chips ---------------------------------------------------------------------


def status_badge(status: Status, stale: bool = False) -> Markup:
    """The status chip shown wherever a computed status appears.

    Colour is never alone: the chip carries an icon (hidden from screen readers)
    and the word. A stale KPI adds the stale icon and the word "stale".

    Args:
        status: the computed status.
        stale: whether the KPI's data is older than one reporting lag.

    Returns:
        ``<span class="sp-status sp-status--at-risk"><span aria-hidden="true">▲</span> At risk</span>``
    """
    look = style(status)
    stale_part = ""
    if stale:
        stale_part = f' <span class="sp-stale"><span aria-hidden="true">{STALE_ICON}</span> stale</span>'
    return Markup(
        f'<span class="sp-status {look.css_class}"><span aria-hidden="true">{look.icon}</span> '
        f"{look.label}{stale_part}</span>"
    )


_INITIATIVE_LOOKS: dict[InitiativeStatus, tuple[str, str, str]] = {
    InitiativeStatus.NOT_STARTED: ("sp-status--not-started", "\u25cb", "Not started"),
    InitiativeStatus.DONE: ("sp-status--done", "\u2714", "Done"),
}


def initiative_badge(status: InitiativeStatus | None) -> Markup:
    """The chip for an initiative's reported status (the owner's word, not computed).

    On track, at risk and off track look like the computed statuses; "done" and
    "not started" have their own classes; no status reads "No status".
    """
    if status is None:
        look = style(Status.NO_DATA)
        return Markup(
            f'<span class="sp-status {look.css_class}"><span aria-hidden="true">{look.icon}</span> No status</span>'
        )
    if status in _INITIATIVE_LOOKS:
        css, icon, label = _INITIATIVE_LOOKS[status]
        return Markup(f'<span class="sp-status {css}"><span aria-hidden="true">{icon}</span> {label}</span>')
    return status_badge(Status(status.value))


# -- links ------------------------------------------------------------------------------


def rel_path(from_page: str, to_page: str) -> str:
    """The relative Markdown link from one docs page to another (``../kpis/csat.md``)."""
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(to_page, start)


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
    relative = posixpath.relpath(there or ".", here.rstrip("/") or ".")
    if relative == ".":
        return "./"
    return quote(relative) + "/"
