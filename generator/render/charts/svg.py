"""Finishing matplotlib's SVG file into a chart: accessible, self-contained, safe to inline.

* real ``<text>`` (``svg.fonttype = 'none'``) in the page's own font;
* axes, ticks and labels drawn in a sentinel colour that becomes
  ``currentColor``, so one SVG reads in Material's light and dark schemes;
* every ``id`` prefixed with the chart id, so two charts on one page never clash;
* no XML declaration, DOCTYPE, comments or blank lines; width 100 %, height
  from the ``viewBox``;
* ``<title>`` and ``<desc>`` first, ``role="img"``: a screen reader hears the
  KPI's status, not "image".

The same text is also a standalone SVG document, for a page that writes each
chart to a file of its own (``kpis/<id>.svg``) and shows it with
``<img>``: the root declares its namespaces, keeps matplotlib's ``width`` and
``height`` (the natural size, which the inline ``width: 100%`` overrides) and
its ``viewBox``; the ``<style>`` is its own; every id it references is inside
it; every CSS variable it reads has a fallback for light mode (ink
``currentColor`` is black outside a page, the label halo white).
"""

from __future__ import annotations

import re

from markupsafe import escape

from generator.render.charts.figure import INK

__all__ = ["GAP_LABEL_GID", "VALUE_LABEL_GID", "chart_block", "check_chart_id", "finish_svg"]

VALUE_LABEL_GID = "value-label"
"""Group id of the current value's label (outlined by the halo rule)."""
GAP_LABEL_GID = "gap-label"
"""Group id of the stale gap's label (outlined too)."""

_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Inside a tag: the next angle bracket is the tag's `>` (matplotlib escapes < and > in text
# and in attribute values), so text that reads like markup (`id="x"`, `#010203`) is left as written.
_IN_TAG = r"(?=[^<>]*>)"
_ID_USE = re.compile(r'(\bid="|url\(#|href="#)([^"()]+)' + _IN_TAG)
_INK = re.compile(re.escape(INK) + _IN_TAG, flags=re.I)
_FONT_FAMILY = re.compile(r"font-family: [^;\"]*;? ?" + _IN_TAG)
_ROOT = re.compile(r"<svg\b[^>]*>")
_ID_IN_TEXT = re.compile(r'>[^<]*(?:id="|url\(#|href="#)')  # between tags: text, not markup


def chart_block(svg: str) -> str:
    """A chart ready to paste into a Markdown page, between blank lines.

    A bare ``<svg>`` is inline HTML to Python-Markdown, which would then turn
    ``_`` or ``*`` in a KPI name into emphasis inside the SVG; a ``<div>`` is
    a block-level element, left untouched. (Not ``<figure>``: Material sizes
    it to fit its content, which shrinks a 100 %-wide SVG to 300 px.)
    """
    return f'\n<div class="sp-chart">\n{svg.rstrip()}\n</div>\n\n'


def check_chart_id(chart_id: str) -> None:
    """Refuse an id that is not a valid XML id and CSS selector (it prefixes every id inside).

    Raises:
        ValueError: ``chart_id`` is not a valid id.
    """
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be letters, digits, '-' or '_', starting with a letter")


def finish_svg(raw: str, chart_id: str, title: str, desc: str) -> str:
    """Make matplotlib's file an inline element (see the module docstring for why each step)."""
    svg = raw[raw.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    # Markup only (see _IN_TAG): ids prefixed, ink made `currentColor`, font left to the page.
    svg = _prefix_ids(svg, chart_id)
    svg = _INK.sub("currentColor", svg)
    svg = _FONT_FAMILY.sub("", svg)
    # matplotlib's `*{...}` rule would leak onto the whole page once inlined.
    svg = svg.replace('<style type="text/css">*{', f'<style type="text/css">{_halo_rule(chart_id)}#{chart_id} *{{')
    svg = _ROOT.sub(lambda m: _root_tag(m.group(0), chart_id, title, desc), svg, count=1)
    # map and filter instead of generator expressions: the same lines in half the time.
    return "\n".join(filter(None, map(str.rstrip, svg.splitlines()))) + "\n"


def _halo_rule(chart_id: str) -> str:
    """CSS that outlines the value and gap labels in the background colour, so they read over lines and hatching.

    The chart is transparent, so the colour comes from the page: a wrapper
    with its own background sets ``--sp-chart-bg``; otherwise Material's page
    background (light or dark scheme) applies.
    """
    return (
        f"#{chart_id}-{VALUE_LABEL_GID} text, #{chart_id}-{GAP_LABEL_GID} text{{paint-order: stroke; "
        "stroke: var(--sp-chart-bg, var(--md-default-bg-color, #fff)); stroke-width: 3px; stroke-linejoin: round}"
    )


def _prefix_ids(svg: str, chart_id: str) -> str:
    """Prefix every id and every reference to one with ``chart_id`` (the root keeps ``chart_id``)."""
    prefix = f"{chart_id}-"
    if prefix not in svg and not _ID_IN_TEXT.search(svg):
        # Nothing prefixed yet and no text that reads like an id: every `id="`, `url(#` and
        # `href="#` is markup, so plain replacing gives what the regex below would, in a
        # tenth of the time (a chart has a couple of hundred ids and references).
        root_end = svg.index(">") + 1  # the root keeps its id
        body = svg[root_end:]
        for opening in ('id="', "url(#", 'href="#'):
            body = body.replace(opening, opening + prefix)
        return svg[:root_end] + body

    def rename(match: re.Match[str]) -> str:
        """The matched id or reference, prefixed unless it already is."""
        name = match.group(2)
        if name == chart_id or name.startswith(prefix):
            return match.group(0)
        return f"{match.group(1)}{prefix}{name}"

    return _ID_USE.sub(rename, svg)


def _root_tag(tag: str, chart_id: str, title: str, desc: str) -> str:
    """The ``<svg>`` start tag made fluid and accessible, followed by ``<title>`` and ``<desc>``."""
    fluid = 'style="width: 100%; height: auto; font-family: var(--md-text-font-family, sans-serif)"'
    labels = f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="sp-chart"'
    tag = tag[:-1].rstrip() + f" {fluid} {labels}>"
    return (
        f'{tag}\n <title id="{chart_id}-title">{escape(title)}</title>\n'
        f' <desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
