"""The matplotlib figures charts are drawn on, reused per process, and the ink colours.

Figures are reused per process (creating one costs about twice as much as
emptying one, see :func:`canvas`); a lock keeps threads from sharing them.
Every chart draws with the same rc settings and saves without date or
software metadata, so its bytes depend only on its input.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.text
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["FONT_PT", "GRID", "INK", "MUTED", "WIDTH_IN", "canvas", "draw_empty", "save"]

INK = "#010203"
"""Ink is drawn in this colour, which no status or band uses, and then replaced by
``currentColor`` so the page's text colour (light or dark scheme) applies."""
GRID = "#8c959f"
MUTED = "#8c959f"

WIDTH_IN = 7.2
FONT_PT = 10.0

_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "text.usetex": False,
    # User strings (KPI names, units) must never be read as $mathtext$.
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": FONT_PT,
    "axes.unicode_minus": False,
    # Simplification may drop vertices of a long weekly series; draw every period.
    "path.simplify": False,
}
_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}

_lock = threading.Lock()
_figures: dict[bool, Figure] = {}  # see canvas


def _shared_text_metrics() -> None:
    """Measure each string once per process, not once per chart.

    matplotlib caches a string's size per renderer, and every chart (every
    ``savefig``, every measuring renderer) makes a new one, so the same tick,
    period and key labels were measured with FreeType again for every chart.
    The SVG renderer's metrics depend only on the string, the font and the
    dpi, so they are kept here across renderers; other renderers are untouched.
    """
    # The one seam matplotlib has; private, so not in its stubs.
    measure = matplotlib.text._get_text_metrics_with_cache  # type: ignore[attr-defined]
    if getattr(measure, "shared", False):
        return
    cache: dict[tuple[Any, ...], tuple[float, float, float]] = {}

    def shared(renderer: Any, text: str, fontprop: Any, ismath: Any, dpi: float) -> tuple[float, float, float]:
        # savefig wraps the SVG renderer in a MixedModeRenderer, which delegates to it.
        if not isinstance(getattr(renderer, "_renderer", renderer), RendererSVG):
            return measure(renderer, text, fontprop, ismath, dpi)
        key = (text, fontprop.copy(), ismath, dpi)  # a copy: FontProperties is mutable
        found = cache.get(key)
        if found is None:
            found = cache[key] = measure(renderer, text, fontprop, ismath, dpi)
        return found

    shared.shared = True  # type: ignore[attr-defined]
    matplotlib.text._get_text_metrics_with_cache = shared  # type: ignore[attr-defined]


def _shared_text_layout() -> None:
    """Lay out each label once per process, not every time it is measured or drawn.

    ``Text._get_layout`` (the text's box around its anchor, for its alignment and
    rotation) looks the font up and reads its tables on every call, and each label
    is laid out several times per chart (placing it, drawing it) and the same tick,
    period and key labels in every chart. Its result depends only on what the key
    below holds; not on where the text is. Texts whose rotation follows their
    transform, and renderers other than SVG's, are left to matplotlib.
    """
    layout = matplotlib.text.Text._get_layout  # type: ignore[attr-defined]  # private: the one layout seam
    if getattr(layout, "shared", False):
        return
    cache: dict[tuple[Any, ...], Any] = {}

    def shared(text: matplotlib.text.Text, renderer: Any) -> Any:
        if text.get_transform_rotates_text() or not isinstance(getattr(renderer, "_renderer", renderer), RendererSVG):
            return layout(text, renderer)
        key = (
            text._get_wrapped_text(),  # type: ignore[attr-defined]
            text.get_fontproperties().copy(),  # a copy: FontProperties is mutable
            text.get_rotation(), text.get_rotation_mode(), text.get_horizontalalignment(),
            text.get_verticalalignment(), text._get_multialignment(),  # type: ignore[attr-defined]
            text.get_linespacing(), text.get_usetex(), text.get_parse_math(),
            text.get_figure(root=True).dpi,  # type: ignore[union-attr]
        )
        found = cache.get(key)
        if found is None:
            found = cache[key] = layout(text, renderer)
        return found

    shared.shared = True  # type: ignore[attr-defined]
    matplotlib.text.Text._get_layout = shared  # type: ignore[attr-defined]


_shared_text_metrics()
_shared_text_layout()


@contextmanager
def canvas(chart_id: str, width_in: float, height_in: float, *, keep_axes: bool = False) -> Iterator[Figure]:
    """A reused figure, sized, with this chart's rc settings; wiped afterwards.

    ``keep_axes`` picks the KPI figure, whose one axes is kept across charts
    and only emptied (creating or clearing an Axes builds its tick machinery,
    a quarter of a chart's time). Every other chart uses a figure cleared
    after use. The two never share a figure, so a chart's bytes do not depend
    on which charts the process drew before. The lock is held for the whole
    draw-and-save: rc settings are process global and the figures are shared.
    """
    with _lock:
        fig = _surface(keep_axes)
        fig.set_size_inches(width_in, height_in)
        rc: dict[RcKeyType, Any] = {**_RC, "svg.hashsalt": chart_id, "svg.id": chart_id}
        with _rc_settings(rc):
            try:
                yield fig
            finally:
                _wipe(fig, keep_axes)


@contextmanager
def _rc_settings(rc: dict[RcKeyType, Any]) -> Iterator[None]:
    """``matplotlib.rc_context(rc)`` for a drawing that changes no rc setting itself.

    ``rc_context`` copies and restores all of matplotlib's 300-odd settings (1 %
    of a chart); setting and restoring the dozen given ones leaves the same state.
    """
    params = matplotlib.rcParams
    before = {key: params[key] for key in rc}
    params.update(rc)
    try:
        yield
    finally:
        params.update(before)


def _surface(keep_axes: bool) -> Figure:
    """The process's figure of that kind, made on first use."""
    fig = _figures.get(keep_axes)
    if fig is None:
        # SVG is drawn at 72 dpi; measuring text for the value label at another
        # dpi would switch the figure's dpi mid-chart and skew the geometry.
        fig = Figure(dpi=72)
        FigureCanvasSVG(fig)
        # Transparent, as savefig(transparent=True) would make it for each save.
        fig.patch.set_facecolor("none")
        fig.patch.set_edgecolor("none")
        fig.patch.set_alpha(0.0)
        if keep_axes:
            fig.add_axes((0.1, 0.1, 0.8, 0.8)).set_axis_off()  # placed per chart by the KPI layout
        _figures[keep_axes] = fig
    return fig


def _wipe(fig: Figure, keep_axes: bool) -> None:
    """Remove everything a chart drew, keeping the KPI figure's axes."""
    if not keep_axes:
        fig.clear()
        return
    for ax in fig.axes:
        for group in (ax.lines, ax.collections, ax.patches, ax.texts, ax.artists, ax.images):
            for artist in list(group):
                artist.remove()
        ax.set_prop_cycle(None)
    for artist in [*fig.artists, *fig.lines, *fig.patches, *fig.texts, *fig.images]:
        artist.remove()


def save(fig: Figure) -> str:
    """The figure as SVG text, without the date and software metadata that would vary.

    What ``fig.savefig(buffer, format="svg", transparent=True)`` writes, drawn
    straight onto an SVG renderer as ``FigureCanvasSVG.print_svg`` does: the
    figure is transparent already (see :func:`_surface`) and has no layout
    engine, so ``savefig``'s preparations (a quarter of the time saving took)
    change nothing here.
    """
    buffer = io.StringIO()
    width_in, height_in = fig.get_size_inches()
    renderer = _ChartRendererSVG(width_in * 72, height_in * 72, buffer, image_dpi=fig.dpi, metadata=_METADATA)
    # print_svg wraps it in a MixedModeRenderer, which only acts for rasterized artists (charts have none)
    # and forwards every other call through __getattr__.
    fig.draw(renderer)
    renderer.finalize()
    return buffer.getvalue()


class _ChartRendererSVG(RendererSVG):
    """matplotlib's SVG renderer, working out a marker line's style once instead of once per marker.

    ``RendererSVG.draw_markers`` writes one ``<use>`` per point and styles each
    from the same graphics context and face colour, so every point's style is the
    first's; the bytes are unchanged (a third of the time saving took went there).
    """

    def draw_markers(
        self, gc: Any, marker_path: Any, marker_trans: Any, path: Any, trans: Any, rgbFace: Any = None
    ) -> None:
        style = RendererSVG._get_style(self, gc, rgbFace)  # private; constant for the whole call
        self._get_style = lambda _gc, _face: style  # type: ignore[method-assign]
        try:
            super().draw_markers(gc, marker_path, marker_trans, path, trans, rgbFace)
        finally:
            del self._get_style


def draw_empty(fig: Figure, message: str, hint: str) -> None:
    """The empty state: a framed message instead of an empty plot."""
    ax = fig.add_axes((0.005, 0.02, 0.99, 0.96))
    ax.set_axis_off()
    ax.add_patch(_frame(ax))
    ax.text(0.5, 0.6, message, ha="center", va="center", color=INK, fontsize=13, fontweight="bold",
            transform=ax.transAxes)
    ax.text(0.5, 0.3, hint, ha="center", va="center", color=INK, alpha=0.75, fontsize=10,
            transform=ax.transAxes)


def _frame(ax: Axes) -> FancyBboxPatch:
    """A dashed rounded frame around the empty state, so it reads as a placeholder."""
    return FancyBboxPatch((0.01, 0.04), 0.98, 0.92, boxstyle="round,pad=0,rounding_size=0.03",
                          facecolor="none", edgecolor=GRID, linewidth=1.0, linestyle=(0, (4, 3)),
                          transform=ax.transAxes, mutation_aspect=1 / 5)
