"""The one Jinja2 environment of the render stage, and its one escaping rule.

Every ``{{ }}`` in every Markdown template (generated pages, provenance, what changed) is
Markdown-escaped (:func:`_finalize`) unless the value is :class:`~markupsafe.Markup`
(status chips, links, SVG, HTML built by the filters below from escaped parts).
A value that skips ``finalize`` (``a ~ b``) is still HTML-escaped (autoescape), and
``| e`` escapes for raw HTML (element text and attribute values). Data is only ever
passed to templates as values, never used as a template, so ``{{ 7*7 }}`` in a name
stays text. An HTML template (``*.html.j2``: present mode) is HTML-escaped by
autoescape alone, as no Markdown engine reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.compute.results import Status
from generator.model import InitiativeStatus
from generator.render.markdown import (
    dir_url,
    initiative_badge,
    md_escape,
    md_link,
    rel_path,
    status_badge,
    status_cell,
    user_markdown,
)
from generator.render.numbers import DASH

__all__ = ["md_code", "render_template"]

_TEMPLATES = Path(__file__).with_name("templates")


def render_template(name: str, **values: Any) -> str:
    """Render one template of ``templates/`` with the stage's environment."""
    return _template(name).render(**values)


def md_code(value: Any) -> Markup:
    """An inline code span showing ``value`` literally, whatever backticks it holds."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    # The Markdown engine HTML-escapes a code span's text itself: escaping it here too
    # would show "&amp;&amp;" where the command reads "&&".
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    """Markdown-escape every printed value unless it already is Markup (built from escaped parts).

    An HTML template (``*.html.j2``, e.g. present mode) has no Markdown pass after it:
    there a value is left to autoescape, which HTML-escapes it.
    """
    if isinstance(value, Markup):
        return value
    if (context.name or "").endswith(".html.j2"):
        return "" if value is None else value
    if value is None:
        return Markup("")
    return Markup(md_escape(value))


@jinja2.pass_context
def _link_filter(context: jinja2.runtime.Context, link: Any) -> Markup:
    return md_link(link.text, context["page"].path, link.page, link.anchor)


@jinja2.pass_context
def _href_filter(context: jinja2.runtime.Context, link: Any) -> Markup:
    target = rel_path(context["page"].path, link.page)
    return Markup(target + (f"#{link.anchor}" if link.anchor else ""))


@jinja2.pass_context
def _html_link_filter(context: jinja2.runtime.Context, link: Any) -> Markup:
    """A link in raw HTML (no Markdown there): a directory URL relative to the page."""
    url = dir_url(context["page"].path, link.page) + (f"#{link.anchor}" if link.anchor else "")
    return Markup('<a href="{}">{}</a>').format(url, link.text)


@jinja2.pass_context
def _html_href_filter(context: jinja2.runtime.Context, link: Any) -> Markup:
    """A link's directory URL relative to the page, for an ``href`` in raw HTML."""
    return Markup.escape(dir_url(context["page"].path, link.page) + (f"#{link.anchor}" if link.anchor else ""))


def _present_href(page: str) -> Markup:
    """Present mode's URL (``present/`` of the page's unit) from a unit's home or map page, for raw HTML."""
    prefix = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    return Markup.escape(dir_url(page, f"{prefix}present/index.md"))


def _chip_filter(status: Status, stale: bool = False) -> Markup:
    return status_badge(status, stale)


def _initiative_chip_filter(status: InitiativeStatus | None) -> Markup:
    return initiative_badge(status)


def _progress_filter(percent: float | None) -> Markup:
    """A progress bar with its number beside it (the number is what screen readers and print show)."""
    if percent is None:
        return Markup(DASH)
    shown = f"{percent:.0f}"
    # The number beside the bar is what screen readers and print get, so the bar is hidden from them.
    return Markup(f'<progress class="sp-progress" max="100" value="{shown}" aria-hidden="true"></progress>{shown} %')


def _raw_filter(text: str) -> Markup:
    """Template-authored HTML (never user data) printed as it is."""
    return Markup(text)


_FILTERS: dict[str, Callable[..., Any]] = {
    "link": _link_filter,
    "href": _href_filter,
    "html_link": _html_link_filter,
    "html_href": _html_href_filter,
    "present_href": _present_href,
    "chip": _chip_filter,
    "status_cell": status_cell,
    "initiative_chip": _initiative_chip_filter,
    "progress": _progress_filter,
    "raw": _raw_filter,
    "md": lambda text: Markup(md_escape(text)),
    "code": md_code,
    "user_markdown": user_markdown,
}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,  # a value that skips _finalize (e.g. `a ~ b`) is still HTML-escaped
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are part of the package: no stat of every template file on every page
    )
    env.filters.update(_FILTERS)
    return env


_ENV: jinja2.Environment | None = None


def _template(name: str) -> jinja2.Template:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV.get_template(name)
