"""Step 4: the SVG of one map, every user string escaped, ids prefixed per map, shared styles in one ``<style>``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import escape

from generator.compute.results import LinkEvidence, Results, RollUp, Status
from generator.model import Objective
from generator.render import style as st
from generator.render import text_metrics as tm
from generator.render.strategy_map.gap import gap_texts
from generator.render.strategy_map.geometry import (
    ARROW_COLOUR,
    BAND_FILLS,
    BOX_PAD_L,
    BOX_PAD_Y,
    FOCUS_COLOUR,
    INNER_PAD,
    LABEL_FILLS,
    LABEL_LINE_H,
    LABEL_SIZE,
    LABEL_W,
    LEGEND_SIZE,
    LINE_H,
    NAME_SIZE,
    RADIUS,
    STATUS_CLASS,
    STATUS_H,
    STATUS_SIZE,
    STRIP_W,
    STRIP_X,
    TITLE_SIZE,
    WIDTH,
    coord,
    text_width_for,
)
from generator.render.strategy_map.layout import Box, MapLayout, layout_map
from generator.render.strategy_map.legend import flow, legend_items, legend_mark, stale_icon

__all__ = ["focus_key", "highlight_sentence", "map_facts", "render_map"]

# Characters that Markdown (emphasis, links, code) or a later Jinja pass would act
# on: written as character references they stay plain text wherever the SVG lands.
_INERT = {c: f"&#{ord(c)};" for c in "*_`[]{}\\"}


# -- public entry point --------------------------------------------------------------


def render_map(
    results: Results,
    href: Callable[[str], str],
    *,
    title: str | None = None,
    theme: str | None = None,
    id_prefix: str | None = None,
    layout: MapLayout | None = None,
    evidence: Sequence[LinkEvidence] | None = None,
    band_href: Callable[[str], str] | None = None,
    perspective: str | None = None,
) -> str:
    """The strategy map as an inline ``<svg>`` element.

    No XML declaration and no blank lines, so it can sit in Markdown as a raw
    HTML block. Wrap it in a ``<div>`` there all the same: Python-Markdown does
    not treat ``<svg>`` as a block tag (the text stays safe either way, see
    :data:`_INERT`).

    Args:
        results: the computed scorecard.
        href: the link of an objective's page (given its id) relative to the
            page the map lands on.
        title: a heading drawn above the map (also its accessible name).
        theme: a theme id: its objectives and the links between them stay
            bright, the rest is dimmed (for a theme's page).
        id_prefix: prefix of the ids inside the SVG; two maps on one page need
            different prefixes. Default ``sp-map-<organization id>[-<theme>]``.
        layout: the result of ``layout_map(results, title=title)``, when several maps
            of one build (home, map page, theme pages) share it.
        evidence: the evidence view: each arrow styled by the verdict of its
            :class:`LinkEvidence` (see :mod:`.evidence`), with a legend for the
            styles. None (the default) draws the plain map, byte for byte.
        band_href: the link of a perspective's page (given its id) relative to the page
            the map lands on: each band's label becomes a link to it. None: no band links.
        perspective: a perspective id: its objectives stay bright, the rest is dimmed
            (for a perspective's page).

    Returns:
        The ``<svg>`` element as text, ending with a newline.
    """
    layout = layout or layout_map(results, title=title)
    prefix = id_prefix or _default_prefix(results, theme or (f"p-{perspective}" if perspective else None))
    if evidence is not None:
        from generator.render.strategy_map.evidence import EvidenceWriter  # it subclasses Writer

        return EvidenceWriter(results, layout, href, prefix, theme, evidence, band_href).svg()
    return Writer(results, layout, href, prefix, theme, band_href, perspective).svg()


def map_facts(
    results: Results, *, layout: MapLayout, evidence: Sequence[LinkEvidence] | None = None
) -> tuple[str, str, float, float]:
    """The title, description, width and height :func:`render_map` gives the same map, without drawing it.

    A page shows the map from its file with these as the ``<img>``'s text and size, so
    the page and the drawing are independent (a build draws the map beside the pages).
    """
    if evidence is not None:
        from generator.render.strategy_map.evidence import EvidenceWriter

        writer: Writer = EvidenceWriter(results, layout, str, "", None, evidence)
    else:
        writer = Writer(results, layout, str, "", None)
    return writer._title(), writer._desc(), float(coord(layout.width)), float(coord(writer._height()))


def focus_key(results: Results, *, theme: str | None = None, perspective: str | None = None) -> str:
    """The value of ``data-sp-focus`` on a map's wrapper that brightens one perspective or theme.

    Every map carries, per box, arrow and band, classes naming its perspective and
    themes by index (``fp0``, ``ft2``...), and rules in its ``<style>`` that dim what
    is outside the focus: one drawing serves every perspective's and theme's page.
    Indices, not ids, so the selectors need no escaping. ``""``: no focus.
    """
    card = results.scorecard
    if perspective is not None:
        found = [i for i, p in enumerate(card.perspectives) if p.id == perspective]
        return f"p{found[0]}" if found else ""
    if theme is not None:
        found = [i for i, t in enumerate(card.themes) if t.id == theme]
        return f"t{found[0]}" if found else ""
    return ""


def highlight_sentence(results: Results, *, theme: str | None = None, perspective: str | None = None) -> str:
    """What a focused map highlights, in words (for screen readers), or ``""``."""
    card = results.scorecard
    themes = {t.id: t.title for t in card.themes}
    perspectives = {p.id: p.title for p in card.perspectives}
    if theme in themes:
        return f"Objectives of the theme {themes[theme]} are highlighted."
    if perspective in perspectives:
        return f"Objectives of the perspective {perspectives[perspective]} are highlighted."
    return ""


def _focus_css(results: Results) -> str:
    """Rules that dim everything outside the wrapper's ``data-sp-focus`` (see :func:`focus_key`)."""
    card = results.scorecard
    rules = []
    for key, box, count in (("p", "fp", len(card.perspectives)), ("t", "ft", len(card.themes))):
        for i in range(count):
            at = f'[data-sp-focus="{key}{i}"] .sp-map '
            dim = [f"{at}.objs>a:not(.{box}{i})", f"{at}.lns>.ln:not(.c{key}{i})", f"{at}.lns>.ln:not(.e{key}{i})"]
            if key == "p":
                dim.append(f"{at}.pg:not(.bp{i})")
            else:
                rules.append(f"{at}.lt{i}{{font-weight:700}}")
            rules.append(",".join(dim) + "{opacity:.3}")
    # A theme's focus shows the whole organisation: the perspective's own status would read
    # as the theme's, so the band names only the perspective, centred without its status line.
    rules.append(
        '[data-sp-focus^="t"] .sp-map .bst{display:none}'
        f'[data-sp-focus^="t"] .sp-map .pl{{transform:translateY({coord((4 + STATUS_H) / 2)}px)}}'
    )
    return "".join(rules)


def _t(text: str) -> str:
    """A user string as SVG text content or attribute value: escaped and inert."""
    return "".join(_INERT.get(c, c) for c in str(escape(tm.clean(text))))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _default_prefix(results: Results, theme: str | None) -> str:
    base = f"sp-map-{results.scorecard.organization.id}"
    return f"{base}-{theme}" if theme else base


def _score_text(rollup: RollUp) -> str:
    return "" if rollup.score is None else f"{rollup.score:.1f}"


def _describe(rollup: RollUp, stale: bool) -> str:
    """``At risk, score 4.2, stale data``: the status said in words."""
    parts = [st.style(rollup.status).label]
    if rollup.score is not None:
        parts.append(f"score {rollup.score:.1f}")
    if stale:
        parts.append("stale data")
    return ", ".join(parts)


_CSS = (
    ".sp-map{{width:100%;height:auto;display:block;font-family:{font}}}"
    ".sp-map text{{font-family:{font}}}"
    ".sp-map .bg{{fill:#fff}}"
    ".sp-map .ttl{{font-size:{title}px;font-weight:700;fill:#1f2328}}"
    ".sp-map .pl{{font-size:{label}px;font-weight:700;fill:#1f2328}}"
    ".sp-map .nm{{font-size:{name}px;font-weight:700}}"
    ".sp-map .st{{font-size:{status}px}}"
    ".sp-map .sc{{font-size:{status}px;font-weight:700}}"
    ".sp-map .lg{{font-size:{legend}px;fill:#1f2328}}"
    ".sp-map .mt{{font-size:{status}px;fill:#57606a;font-style:italic}}"
    ".sp-map .ln{{fill:none;stroke:{arrow};stroke-width:2}}"
    ".sp-map .ln.dn{{stroke-dasharray:6 4}}"
    ".sp-map .ah{{fill:{arrow}}}"
    ".sp-map .bx{{stroke-width:2}}"
    ".sp-map a:hover .bx{{stroke-width:4}}"
    ".sp-map a:focus{{outline:none}}"
    ".sp-map a.bl:hover .pl,.sp-map a.bl:focus .pl{{text-decoration:underline}}"
    ".sp-map a.bl:focus-visible .pl{{fill:{focus}}}"
    ".sp-map a:focus .bx,.sp-map a:focus-visible .bx{{stroke:{focus};stroke-width:4}}"
    ".sp-map .dim{{opacity:.3}}"
    ".sp-map .stl{{fill:#fff;stroke:#1f2328;stroke-width:1.5;stroke-linecap:round}}"
    # Old data shows from the back of a town hall too: the box's outline is broken.
    ".sp-map .stale .bx{{stroke-dasharray:7 4}}"
    ".sp-map .stale-key{{fill:none;stroke:#1f2328;stroke-width:1.5;stroke-dasharray:3.5 2.5}}"
)


def _status_css() -> str:
    rules = []
    for status, cls in STATUS_CLASS.items():
        s = st.style(status)
        rules.append(
            f".sp-map .{cls} .bx,.sp-map rect.{cls}{{fill:{s.fill};stroke:{s.stroke}}}"
            f".sp-map .{cls} text{{fill:{s.ink}}}"
            f".sp-map .i-{cls}{{fill:{s.stroke}}}"
        )
    return "".join(rules)


class Writer:
    """Writes one map's SVG from its layout (a class only to share the map's context)."""

    def __init__(
        self, results: Results, layout: MapLayout, href: Callable[[str], str], prefix: str, theme: str | None,
        band_href: Callable[[str], str] | None = None, perspective: str | None = None,
    ) -> None:
        self.results = results
        self.band_href = band_href
        self.perspective = perspective
        self.layout = layout
        self.href = href
        self.prefix = _t(prefix)
        self.theme = theme
        self.scorecard = results.scorecard
        self.theme_index = {t.id: i for i, t in enumerate(self.scorecard.themes)}
        self.perspective_index = {p.id: i for i, p in enumerate(self.scorecard.perspectives)}
        self.stale = {k.kpi.objective for k in results.kpis.values() if k.stale}

    def svg(self) -> str:
        """The whole ``<svg>`` element."""
        w, h = coord(self.layout.width), coord(self._height())
        p = self.prefix
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="sp-map" id="{p}" viewBox="0 0 {w} {h}" '
            f'width="100%" role="group" aria-labelledby="{p}-t {p}-d">',
            f'<title id="{p}-t">{_t(self._title())}</title>',
            f'<desc id="{p}-d">{_t(self._desc())}</desc>',
            "<style>" + _CSS.format(
                font=tm.FONT_STACK, title=coord(TITLE_SIZE), label=coord(LABEL_SIZE), name=coord(NAME_SIZE),
                status=coord(STATUS_SIZE), legend=coord(LEGEND_SIZE), arrow=ARROW_COLOUR, focus=FOCUS_COLOUR,
            ) + _status_css() + _focus_css(self.results) + self._extra_css() + "</style>",
            "<defs>"
            f'<marker id="{p}-ah" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="11" markerHeight="11" '
            'markerUnits="userSpaceOnUse" orient="auto"><path class="ah" d="M0 0L10 5L0 10z"/></marker>'
            + self._extra_defs() + "</defs>",
            f'<rect class="bg" width="{w}" height="{h}" rx="10"/>',
        ]
        if self.layout.title:
            title = tm.truncate(self.layout.title, WIDTH - 32, TITLE_SIZE, bold=True)
            parts.append(f'<text class="ttl" x="16" y="31">{_t(title)}</text>')
        parts += self._bands()
        parts += self._arrows()
        parts += self._boxes()
        parts += self._legend()
        parts.append("</svg>")
        return "\n".join(parts) + "\n"

    # -- hooks of the evidence view (.evidence.EvidenceWriter) ----------------------

    def _height(self) -> float:
        return self.layout.height

    def _extra_css(self) -> str:
        return ""

    def _extra_defs(self) -> str:
        return ""

    def _legend_items(self) -> list[tuple[str, tuple, str]]:
        return legend_items(self.results)

    # -- words -------------------------------------------------------------------

    def _title(self) -> str:
        if self.layout.title:
            return self.layout.title
        return f"Strategy map of {self.scorecard.organization.name}"

    def _desc(self) -> str:
        """A summary for screen readers: the boxes themselves are links with their own names."""
        count = len(self.layout.boxes)
        bands = ", ".join(p.title for p in self.scorecard.perspectives)
        text = (
            f"{_plural(count, 'objective')} in {_plural(len(self.layout.bands), 'perspective')} "
            f"from top to bottom: {bands}. {_plural(len(self.layout.links), 'arrow')} from cause to effect."
        )
        for highlight in (
            highlight_sentence(self.results, theme=self.theme),
            highlight_sentence(self.results, perspective=self.perspective),
        ):
            text += f" {highlight}" if highlight else ""
        return text

    # -- bands -------------------------------------------------------------------

    def _bands(self) -> list[str]:
        out = ["<g>"]
        for i, band in enumerate(self.layout.bands):
            perspective = next(p for p in self.scorecard.perspectives if p.id == band.pid)
            rollup = self.results.perspectives.get(band.pid, RollUp(band.pid, None, Status.NO_DATA))
            y, h = coord(band.y), coord(band.h)
            out.append(
                f'<rect class="bd" data-id="{_t(band.pid)}" x="0" y="{y}" width="{coord(WIDTH)}" height="{h}"'
                f' fill="{BAND_FILLS[i % 2]}"/>'
            )
            # A band's label links to its perspective's page (walk the audience through them from the map).
            if self.band_href is not None:
                out.append(f'<a href="{_t(self.band_href(band.pid))}" class="bl" data-id="{_t(band.pid)}">')
            out.append(f'<rect x="0" y="{y}" width="{coord(LABEL_W)}" height="{h}" fill="{LABEL_FILLS[i % 2]}"/>')
            # A theme's map shows the whole organisation: the perspective's own status would
            # read as the theme's, so there the band names only the perspective.
            scored = self.theme is None
            summary = f": {_describe(rollup, False)}" if scored else ""
            dim = " dim" if self.perspective is not None and band.pid != self.perspective else ""
            out.append(f'<g class="pg bp{i}{dim}"><title>{_t(perspective.title)}{_t(summary)}</title>')
            text_h = len(band.label) * LABEL_LINE_H + (4 + STATUS_H if scored else 0)
            top = band.y + (band.h - text_h) / 2
            size = "" if band.label_size == LABEL_SIZE else f' style="font-size:{coord(band.label_size)}px"'
            for j, line in enumerate(band.label):
                out.append(f'<text class="pl" x="14" y="{coord(top + j * LABEL_LINE_H + 15)}"{size}>{_t(line)}</text>')
            if scored:
                status_y = top + len(band.label) * LABEL_LINE_H + 4 + 13
                score = (_score_text(rollup),) if rollup.score is not None else ()  # a band has no one goal: its score
                line = self._status_line(rollup, 14, status_y, stale=False, width=LABEL_W - 24, gaps=score)
                out.append(f'<g class="bst">{line}</g>')
            out.append("</g>")
            if self.band_href is not None:
                out.append("</a>")
            if band.count == 0:
                out.append(
                    f'<text class="mt" x="{coord(LABEL_W + INNER_PAD)}" y="{coord(band.y + band.h / 2 + 5)}">'
                    "No objectives in this perspective</text>"
                )
        out.append("</g>")
        return out

    def _status_line(
        self, rollup: RollUp, x: float, y: float, *, stale: bool, width: float, gaps: tuple[str, ...] = ()
    ) -> str:
        """``▲ At risk`` (or ``▲ 3 below goal``, gap.py) at the left; the stale clock at the right of ``width``.

        A box is too narrow for the status word and the gap side by side: the gap to
        goal takes the word's place (the icon and colour still say the status, the
        box's tooltip and the legend say it in words). A band keeps word and score.
        """
        s = st.style(rollup.status)
        cls = STATUS_CLASS[rollup.status]
        room = width - (14 if stale else 0)
        gap = next((g for g in gaps if tm.text_width(f"{s.icon} {g}", STATUS_SIZE) <= room), "")
        words = _t(gap) if gap and not self._band_score(gaps) else _t(s.label)
        out = f'<text class="st" x="{coord(x)}" y="{coord(y)}"><tspan class="i-{cls}">{s.icon}</tspan> {words}</text>'
        right = x + width
        if gap and self._band_score(gaps):
            out += f'<text class="sc" x="{coord(right)}" y="{coord(y)}" text-anchor="end">{_t(gap)}</text>'
            right -= tm.text_width(gap, STATUS_SIZE, bold=True) + 4
        if stale:
            out += stale_icon(right - 6, y - 4.5)
        return out

    @staticmethod
    def _band_score(gaps: tuple[str, ...]) -> bool:
        return len(gaps) == 1 and gaps[0].replace(".", "", 1).isdigit()

    # -- arrows ------------------------------------------------------------------

    def _arrows(self) -> list[str]:
        out = ['<g class="lns">']
        for arrow in self.layout.arrows:
            classes = "ln dn" if arrow.against_flow else "ln"
            classes += f" {self._focus_classes(arrow.cause, 'c')} {self._focus_classes(arrow.effect, 'e')}"
            if self._dimmed(arrow.cause) or self._dimmed(arrow.effect):
                classes += " dim"
            out.append(
                f'<path class="{classes}" data-from="{_t(arrow.cause)}" data-to="{_t(arrow.effect)}" '
                f'd="{arrow.d}" marker-end="url(#{self.prefix}-ah)"/>'
            )
        out.append("</g>")
        return out

    def _focus_classes(self, oid: str, role: str) -> str:
        """The classes naming an objective's perspective and themes: ``fp0 ft1`` on a box (role ``f``),
        ``cp0 ct1`` on an arrow from it (``c``), ``ep0 et1`` on one to it (``e``); see :func:`_focus_css`."""
        objective = self.scorecard.objective(oid)
        index = self.perspective_index.get(objective.perspective)
        names = [] if index is None else [f"{role}p{index}"]
        themes = sorted({self.theme_index[t] for t in objective.themes if t in self.theme_index})
        return " ".join(names + [f"{role}t{i}" for i in themes])

    def _dimmed(self, oid: str) -> bool:
        if self.perspective is not None:
            return self.scorecard.objective(oid).perspective != self.perspective
        return self.theme is not None and self.theme not in self.scorecard.objective(oid).themes

    # -- boxes -------------------------------------------------------------------

    def _boxes(self) -> list[str]:
        out = ['<g class="objs">']
        for row in self.layout.rows:
            for box in row:
                out += self._box(box)
        out.append("</g>")
        return out

    def _box(self, box: Box) -> list[str]:
        objective = self.scorecard.objective(box.oid)
        rollup = self.results.objectives.get(box.oid, RollUp(box.oid, None, Status.NO_DATA))
        stale = box.oid in self.stale
        classes = STATUS_CLASS[rollup.status] + (" stale" if stale else "") + f" {self._focus_classes(box.oid, 'f')}"
        classes += " dim" if self._dimmed(box.oid) else ""
        out = [
            f'<a href="{_t(self.href(box.oid))}" class="{classes}" data-id="{_t(box.oid)}">',
            f"<title>{_t(objective.name)} \u2014 {_t(_describe(rollup, stale))}</title>",
            f'<rect class="bx" x="{coord(box.x)}" y="{coord(box.y)}" width="{coord(box.w)}" height="{coord(box.h)}"'
            f' rx="{coord(RADIUS)}"/>',
        ]
        out += self._theme_strip(box, objective)
        name_h = len(box.lines) * LINE_H
        room = box.h - 2 * BOX_PAD_Y - STATUS_H - 6
        top = box.y + BOX_PAD_Y + (room - name_h) / 2
        text_x = box.x + BOX_PAD_L
        for i, line in enumerate(box.lines):
            out.append(f'<text class="nm" x="{coord(text_x)}" y="{coord(top + i * LINE_H + 15)}">{_t(line)}</text>')
        status_y = box.bottom - BOX_PAD_Y - 4
        gaps = gap_texts(self.results, box.oid)
        out.append(self._status_line(rollup, text_x, status_y, stale=stale, width=text_width_for(box.w), gaps=gaps))
        out.append("</a>")
        return out

    def _theme_strip(self, box: Box, objective: Objective) -> list[str]:
        """A thin strip at the left of the box, one segment per theme, in theme order."""
        themes = sorted(self.theme_index[t] for t in objective.themes if t in self.theme_index)
        if not themes:
            return []
        top, height = box.y + RADIUS, box.h - 2 * RADIUS
        seg = height / len(themes)
        return [
            f'<rect x="{coord(box.x + STRIP_X)}" y="{coord(top + i * seg)}" width="{coord(STRIP_W)}" '
            f'height="{coord(seg - (1 if len(themes) > 1 else 0))}" fill="{st.theme_colour(index)}"/>'
            for i, index in enumerate(themes)
        ]

    # -- legend ------------------------------------------------------------------

    def _legend_mark(self, kind: str, payload: tuple, x: float, y: float) -> str:
        return legend_mark(kind, payload, x, y, self.prefix)

    def _legend(self) -> list[str]:
        items = self._legend_items()
        out = ['<g class="lgd">']
        for kind, payload, text, x, y in flow(items, self.layout.legend_y):
            out.append(self._legend_mark(kind, payload, x, y))
            weight = ' font-weight="700"' if kind == "theme" and payload[1] == self.theme else ""
            cls = f"lg lt{payload[0]}" if kind == "theme" else "lg"
            out.append(f'<text class="{cls}" x="{coord(x + 22)}" y="{coord(y + 5)}"{weight}>{_t(text)}</text>')
        out.append("</g>")
        return out

