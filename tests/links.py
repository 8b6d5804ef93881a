"""Where a page's links lead: the one check of Markdown links and of links written in raw HTML.

MkDocs validates Markdown links (``kpis/csat.md``) and their anchors; nothing but this checks
the directory URLs (``../kpis/csat/``) that raw HTML (tables, lists, the map) carries.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping
from html.parser import HTMLParser


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def page_for_url(page: str, url: str) -> str:
    """The docs page a directory URL written on ``page`` leads to (``kpis/csat/`` -> ``kpis/csat.md``)."""
    base = "" if page == "index.md" else page[: -len("index.md")] if page.endswith("/index.md") else page[:-3] + "/"
    path = posixpath.normpath(posixpath.join(base or ".", url))
    return "index.md" if path == "." else f"{path}.md"


def broken_links(html: Mapping[str, str], written: Collection[str]) -> tuple[list[str], dict[str, int]]:
    """Every link of every page (docs path -> its HTML) that leads to no written page or no section.

    Returns:
        The broken links (``page: href``), and how many links were checked: ``all``, ``raw``
        (directory URLs, i.e. raw HTML) and ``anchored`` (with a section checked).
    """
    ids = {page: {a["id"] for _, a in _tags(h) if a.get("id")} for page, h in html.items()}
    broken: list[str] = []
    counts = {"all": 0, "raw": 0, "anchored": 0}
    for page, text in html.items():
        for tag, attrs in _tags(text):
            href = attrs.get("href")
            if tag != "a" or not href or re.match(r"[a-z]+:", href):
                continue
            target, _, anchor = href.partition("#")
            if not target:
                resolved = page
            elif target.endswith((".md", ".json", ".csv")):
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
            else:
                counts["raw"] += 1
                resolved = page_for_url(page, target)
                if resolved not in written:  # a folder's index page: kpis/ is kpis/index.md
                    resolved = resolved[: -len(".md")] + "/index.md"
            counts["all"] += 1
            if resolved not in written:
                broken.append(f"{page}: {href} leads nowhere")
            elif anchor and resolved in ids:
                counts["anchored"] += 1
                if anchor not in ids[resolved]:
                    broken.append(f"{page}: {href}: no such section on {resolved}")
    return broken, counts
