"""Step 1: the order of the objectives within each band, so arrows stay short and uncrossed."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from generator.model import Objective
from generator.render.strategy_map.geometry import SWEEPS

__all__ = ["links", "order_objectives", "row_sizes"]

log = logging.getLogger(__name__)


def links(objectives: Sequence[Objective]) -> list[tuple[str, str]]:
    """Every ``drives`` link (cause, effect) in written order; unknown ids and self links dropped."""
    known = {o.id for o in objectives}
    found = []
    for objective in objectives:
        for effect in objective.drives:
            if effect in known and effect != objective.id and (objective.id, effect) not in found:
                found.append((objective.id, effect))
            else:
                log.debug("map: skipping link %s -> %s", objective.id, effect)
    return found


def row_sizes(count: int, cols: int) -> list[int]:
    """How many boxes each row of a band holds: balanced, the fuller rows on top."""
    if count == 0:
        return []
    rows = math.ceil(count / cols)
    base, extra = divmod(count, rows)
    return [base + 1 if i < extra else base for i in range(rows)]


def _positions(layers: list[list[str]], cols: int) -> dict[str, tuple[float, int]]:
    """Each objective's x (0..1, its slot centre) and its global row index (0 = top)."""
    positions: dict[str, tuple[float, int]] = {}
    row = 0
    for layer in layers:
        start = 0
        for size in row_sizes(len(layer), cols):
            for slot, oid in enumerate(layer[start : start + size]):
                positions[oid] = ((slot + 0.5) / size, row)
            start += size
            row += 1
    return positions


def _crossings(segments: list[tuple[float, float, float, float]]) -> int:
    """How many pairs of straight segments cross (shared end points do not count)."""
    count = 0
    for i, a in enumerate(segments):
        for b in segments[i + 1 :]:
            if _segments_cross(a, b):
                count += 1
    return count


def _segments_cross(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    def side(px: float, py: float, qx: float, qy: float, rx: float, ry: float) -> float:
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    d1 = side(*a[:2], *a[2:], *b[:2])
    d2 = side(*a[:2], *a[2:], *b[2:])
    d3 = side(*b[:2], *b[2:], *a[:2])
    d4 = side(*b[:2], *b[2:], *a[2:])
    return d1 * d2 < 0 and d3 * d4 < 0


def _cost(layers: list[list[str]], links: list[tuple[str, str]], cols: int) -> tuple[int, float]:
    """Crossings first, then total horizontal run: lower is a tidier map."""
    pos = _positions(layers, cols)
    segments = [(pos[c][0], float(pos[c][1]), pos[e][0], float(pos[e][1])) for c, e in links]
    run = sum(abs(x1 - x2) for x1, _, x2, _ in segments)
    return (_crossings(segments), round(run, 9))


def order_objectives(layers: list[list[str]], links: list[tuple[str, str]], cols: int) -> list[list[str]]:
    """The objectives of each band in the order that keeps arrows short and uncrossed.

    A few barycentre sweeps down and up the bands: each objective moves to the
    mean x of the objectives it is linked to (in other bands). Ties keep the
    written order. Of the written order and every sweep's result, the one with
    the fewest crossings (then the shortest arrows) wins, the earliest on a tie.
    """
    written = {oid: i for i, oid in enumerate(oid for layer in layers for oid in layer)}
    band_of = {oid: b for b, layer in enumerate(layers) for oid in layer}
    neighbours: dict[str, list[str]] = {oid: [] for oid in written}
    for cause, effect in links:
        neighbours[cause].append(effect)
        neighbours[effect].append(cause)
    current = [list(layer) for layer in layers]
    candidates = [[list(layer) for layer in current]]
    for sweep in range(SWEEPS):
        bands = range(len(current)) if sweep % 2 == 0 else range(len(current) - 1, -1, -1)
        for band in bands:
            pos = _positions(current, cols)

            def barycentre(oid: str, band: int = band, pos: dict = pos) -> tuple[float, int]:
                xs = [pos[n][0] for n in neighbours[oid] if band_of[n] != band]
                return (sum(xs) / len(xs) if xs else pos[oid][0], written[oid])

            current[band] = sorted(current[band], key=barycentre)
        candidates.append([list(layer) for layer in current])
    return min(candidates, key=lambda c: _cost(c, links, cols))
