"""The map's evidence view: every arrow styled by what the data says about it, never by colour alone.

* supported: a solid, thick arrow;
* contradicted: a dashed arrow with a cross on its middle;
* no evidence: a thin dotted arrow;
* insufficient data: a thin, faint grey arrow.

Colour follows the status colours (supported green, contradicted red) as a
second cue only. Each arrow carries a ``<title>`` (cause, effect, verdict) and a
``data-evidence`` attribute; the legend names the four styles. The plain map is
:class:`~.write.Writer` untouched: this view only overrides its hooks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from generator.compute.results import Evidence, LinkEvidence, Results, Status
from generator.render import style as st
from generator.render.strategy_map.geometry import coord
from generator.render.strategy_map.layout import MapLayout
from generator.render.strategy_map.legend import flow
from generator.render.strategy_map.write import Writer, _t

__all__ = ["EVIDENCE_CLASS", "EvidenceWriter", "path_middle"]

EVIDENCE_CLASS = {
    Evidence.SUPPORTED: "ev-s",
    Evidence.CONTRADICTED: "ev-c",
    Evidence.NO_EVIDENCE: "ev-n",
    Evidence.INSUFFICIENT_DATA: "ev-i",
}
"""The CSS class of an arrow per verdict."""

_WORDS = {
    Evidence.SUPPORTED: "Supported by the data",
    Evidence.CONTRADICTED: "Contradicted by the data",
    Evidence.NO_EVIDENCE: "No evidence either way",
    Evidence.INSUFFICIENT_DATA: "Too little data to test",
}
_GREY = "#8c959f"


def _css() -> str:
    green, red = st.style(Status.ON_TRACK).stroke, st.style(Status.OFF_TRACK).stroke
    return (
        f".sp-map .ln.ev-s{{stroke:{green};stroke-width:4.5}}"
        f".sp-map .ln.ev-c{{stroke:{red};stroke-width:2.5;stroke-dasharray:9 5}}"
        ".sp-map .ln.ev-n{stroke-width:1.5;stroke-dasharray:1 4;stroke-linecap:round}"
        f".sp-map .ln.ev-i{{stroke:{_GREY};stroke-width:1.5;opacity:.45}}"
        f".sp-map .evx{{fill:none;stroke:{red};stroke-width:3;stroke-linecap:round}}"
        f".sp-map .ah-s{{fill:{green}}}.sp-map .ah-c{{fill:{red}}}.sp-map .ah-i{{fill:{_GREY};opacity:.6}}"
    )


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def path_middle(d: str) -> tuple[float, float]:
    """A point half way along the middle segment of a path of ``M``, ``C`` and ``L`` commands."""
    start: tuple[float, float] = (0.0, 0.0)
    segments: list[tuple[tuple[float, float], list[float]]] = []
    for command, args in re.findall(r"([MCL])([^MCL]*)", d):
        values = [float(v) for v in _NUMBER.findall(args)]
        if command == "M":
            start = (values[0], values[1])
            continue
        segments.append((start, values))
        start = (values[-2], values[-1])
    if not segments:
        return start
    (x0, y0), values = segments[len(segments) // 2]
    if len(values) == 2:
        return ((x0 + values[0]) / 2, (y0 + values[1]) / 2)
    # A cubic at t = 1/2: (P0 + 3 P1 + 3 P2 + P3) / 8.
    return ((x0 + 3 * values[0] + 3 * values[2] + values[4]) / 8, (y0 + 3 * values[1] + 3 * values[3] + values[5]) / 8)


class EvidenceWriter(Writer):
    """The map with its arrows styled by verdict and a legend of the four styles."""

    def __init__(
        self,
        results: Results,
        layout: MapLayout,
        href: Callable[[str], str],
        prefix: str,
        theme: str | None,
        evidence: Sequence[LinkEvidence],
        band_href: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(results, layout, href, prefix, theme, band_href)
        self.verdicts = {(link.cause, link.effect): link.evidence for link in evidence}

    def _verdict(self, cause: str, effect: str) -> Evidence:
        return self.verdicts.get((cause, effect), Evidence.INSUFFICIENT_DATA)

    def _height(self) -> float:
        placed = flow(self._legend_items(), self.layout.legend_y)
        return max(self.layout.height, (placed[-1][4] if placed else self.layout.legend_y) + 20.0)

    def _extra_css(self) -> str:
        return _css()

    def _extra_defs(self) -> str:
        p = self.prefix
        return "".join(
            f'<marker id="{p}-ah-{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="{size}" '
            f'markerHeight="{size}" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path class="ah ah-{kind}" d="M0 0L10 5L0 10z"/></marker>'
            for kind, size in (("s", 15), ("c", 12), ("i", 9))
        )

    def _marker(self, verdict: Evidence) -> str:
        suffix = {Evidence.SUPPORTED: "-s", Evidence.CONTRADICTED: "-c", Evidence.INSUFFICIENT_DATA: "-i"}
        return f"url(#{self.prefix}-ah{suffix.get(verdict, '')})"

    def _desc(self) -> str:
        counts = {e: 0 for e in Evidence}
        # The links, not the routed arrows (one each): a page reads this text without drawing the map.
        for cause, effect in self.layout.links:
            counts[self._verdict(cause, effect)] += 1
        said = ", ".join(f"{n} {e.label.lower()}" for e, n in counts.items() if n)
        return f"{super()._desc()} Each arrow is drawn by what the data says about it: {said}."

    def _arrows(self) -> list[str]:
        out = ['<g class="lns">']
        crosses = []
        for arrow in self.layout.arrows:
            verdict = self._verdict(arrow.cause, arrow.effect)
            cause = self.scorecard.objective(arrow.cause).name
            effect = self.scorecard.objective(arrow.effect).name
            out.append(
                f'<path class="ln {EVIDENCE_CLASS[verdict]}" '
                f'data-from="{_t(arrow.cause)}" data-to="{_t(arrow.effect)}" '
                f'data-evidence="{verdict.value}" d="{arrow.d}" marker-end="{self._marker(verdict)}">'
                f"<title>{_t(cause)} \u2192 {_t(effect)}: {_t(verdict.label)}</title></path>"
            )
            if verdict is Evidence.CONTRADICTED:
                crosses.append(_cross(*path_middle(arrow.d)))
        out += crosses
        out.append("</g>")
        return out

    def _legend_items(self) -> list[tuple[str, tuple, str]]:
        items = [item for item in super()._legend_items() if item[0] != "arrow"]
        at = next((i for i, item in enumerate(items) if item[0] == "theme"), len(items))
        return items[:at] + [("evidence", (e,), _WORDS[e]) for e in Evidence] + items[at:]

    def _legend_mark(self, kind: str, payload: tuple, x: float, y: float) -> str:
        if kind != "evidence":
            return super()._legend_mark(kind, payload, x, y)
        verdict = payload[0]
        mark = (
            f'<path class="ln {EVIDENCE_CLASS[verdict]}" d="M{coord(x - 4)} {coord(y)}H{coord(x + 17)}" '
            f'marker-end="{self._marker(verdict)}"/>'
        )
        if verdict is Evidence.CONTRADICTED:
            mark += _cross(x + 6, y, 4.0)
        return mark


def _cross(x: float, y: float, half: float = 6.0) -> str:
    """An ✕ drawn with two strokes (no font needed) at ``(x, y)``."""
    return (
        f'<path class="evx" d="M{coord(x - half)} {coord(y - half)}L{coord(x + half)} {coord(y + half)}'
        f'M{coord(x - half)} {coord(y + half)}L{coord(x + half)} {coord(y - half)}"/>'
    )
