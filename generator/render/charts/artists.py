"""Adding lines, texts, spans and fills to a chart's axes, as the ``Axes`` methods would, for less.

``ax.plot``, ``ax.text``, ``ax.axvspan`` and ``ax.fill_between`` parse their
arguments, convert units and grow the axes' data limits. The charts pass plain
floats and set both axes' limits by hand, so none of that changes what is
drawn; here each artist is made directly and added as those methods add it.
Every helper draws the same bytes as the method it stands for.

Lines and texts are copied from a prototype made once per process for each
set of properties (:func:`_new`): making one runs some twenty property setters,
copying one is a tenth of that, and a chart makes about thirty.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
from matplotlib import cbook
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.figure import Figure, _stale_figure_callback  # type: ignore[attr-defined]
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox, TransformedBbox

__all__ = ["add_figure_line", "add_figure_text", "add_fill", "add_line", "add_span", "add_text"]


def add_line(ax: Axes, xs: Sequence[float], ys: Sequence[float], **props: Any) -> Line2D:
    """A line added to ``ax`` as ``ax.plot`` would, without its argument parsing (a third of its cost).

    Added as an artist, not with ``add_line``: that also grows the axes' data limits
    from the line's path (a fifth of making a line), which nothing reads, as both
    axes' limits are set by hand. It is one of ``ax.lines`` either way.
    """
    line = _new(Line2D, props)
    line.set_data(xs, ys)  # what Line2D(xs, ys) ends its __init__ with
    _add(ax, line)
    return line


def add_text(ax: Axes, x: float, y: float, text: str, **props: Any) -> Text:
    """A text added to ``ax`` as ``ax.text`` would, at a quarter of the cost.

    ``ax.text`` also clips the text to the axes' patch, which an unclipped text
    (``clip_on=False``, ``ax.text``'s default) never reads: working out that
    clip box was half of its cost.
    """
    label = _new(Text, {"clip_on": False, **props})
    label.set_position((x, y))
    label.set_text(text)
    ax._add_text(label)  # type: ignore[attr-defined]  # private: what ax.text itself ends with
    return label


def add_figure_line(fig: Figure, xs: Sequence[float], ys: Sequence[float], **props: Any) -> Line2D:
    """A line added to the figure as ``fig.add_artist(Line2D(xs, ys, **props))`` would (copied, see :func:`_new`)."""
    line = _new(Line2D, props)
    line.set_data(xs, ys)
    fig.add_artist(line)
    return line


def add_figure_text(fig: Figure, x: float, y: float, text: str, **props: Any) -> Text:
    """A text added to the figure as ``fig.text`` would (copied, see :func:`_new`)."""
    label = _new(Text, {"transform": fig.transSubfigure, **props})
    label.set_position((x, y))
    label.set_text(text)
    # What fig.text does with the text it made; the callback is private, as there.
    label.set_figure(fig)
    label.stale_callback = _stale_figure_callback
    fig.texts.append(label)
    label._remove_method = fig.texts.remove  # type: ignore[attr-defined]
    fig.stale = True
    return label


def add_span(ax: Axes, x0: float, x1: float, **props: Any) -> Rectangle:
    """A band from ``x0`` to ``x1`` over the axes' full height, as ``ax.axvspan`` draws it.

    ``axvspan`` also grows the data limits (two thirds of its cost) and sets the
    interpolation steps of the shared unit rectangle, which only a curved
    (polar) transform reads.
    """
    span = Rectangle((x0, 0), x1 - x0, 1, transform=ax.get_xaxis_transform(which="grid"), **props)
    _add(ax, span)
    return span


def add_fill(ax: Axes, xs: Sequence[float], y1: Sequence[float], y2: Sequence[float], **props: Any) -> Any:
    """The area between ``y1`` and ``y2`` as ``ax.fill_between`` draws it (NaN values leave a gap).

    ``fill_between`` also normalises its arguments, converts units and grows the
    data and view limits (three quarters of its cost); the collection is the same.
    """
    # fill_between masks invalid values itself; the collection splits the polygon at them.
    fill = FillBetweenPolyCollection("x", *(np.ma.masked_invalid(v) for v in (xs, y1, y2)), **props)
    _add(ax, fill)
    return fill


def _add(ax: Axes, artist: Artist) -> None:
    """``ax.add_artist(artist)``, clipped to the axes by a clip box made once per axes, not once per artist.

    ``add_artist`` clips each artist to the axes' patch by building a new box
    around a new patch transform (a fifth of the cost of making a line). The
    patch is the unit square in axes coordinates for good, and the box follows
    the axes as they move, so one box serves every chart drawn on them.
    """
    # Private, as in add_artist itself: the axes' child list and its artist boilerplate.
    ax._children.append(artist)  # type: ignore[attr-defined]
    artist._remove_method = ax._children.remove  # type: ignore[attr-defined]
    ax._set_artist_props(artist)  # type: ignore[attr-defined]
    artist.set_clip_box(_clip_box(ax))
    ax.stale = True


def _clip_box(ax: Axes) -> TransformedBbox:
    """What ``artist.set_clip_path(ax.patch)`` sets as the clip box, made once per axes."""
    box = _clip_boxes.get(ax)
    if box is None:
        box = _clip_boxes[ax] = TransformedBbox(Bbox.unit(), ax.patch.get_transform())
    return box


_clip_boxes: weakref.WeakKeyDictionary[Axes, TransformedBbox] = weakref.WeakKeyDictionary()


_A = TypeVar("_A", Line2D, Text)
_prototypes: dict[tuple[Any, ...], Any] = {}


def _new(kind: type[_A], props: dict[str, Any]) -> _A:
    """A new ``kind(**props)`` (no data, no text), copied from a prototype made once per process.

    The copy gets its own callback registry and font properties, the two mutable
    parts an artist owns from its making; its marker style is shared, which nothing
    alters in place (``tests/test_charts_artists.py`` draws charts both ways).
    The transform, which differs from chart to chart, is set on the copy.
    """
    transform = props.get("transform")
    made: dict[str, Any] = {name: value for name, value in props.items() if name != "transform"}
    key = (kind, *sorted(made.items()))
    proto = _prototypes.get(key)
    if proto is None:
        no_data: tuple[Any, ...] = ([], []) if kind is Line2D else ()  # a line's data is positional
        proto = _prototypes[key] = kind(*no_data, **made)
    artist = kind.__new__(kind)
    artist.__dict__.update(proto.__dict__)
    artist._callbacks = cbook.CallbackRegistry(signals=["pchanged"])  # type: ignore[attr-defined]
    if isinstance(artist, Text):
        artist._fontproperties = artist._fontproperties.copy()  # type: ignore[attr-defined]
    if transform is not None:
        artist.set_transform(transform)
    return artist
