"""Step 1: the order of the objectives within each band, so arrows stay short and uncrossed."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np

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


_BLOCK = 512  # segments per block of rows in _crossings: bounds its memory on large maps


def _crossings(segments: list[tuple[float, float, float, float]]) -> int:
    """How many pairs of straight segments cross (shared end points do not count).

    Segments ``a`` and ``b`` cross when each one's end points lie strictly on either side
    of the other: the signs of two cross products. All pairs at once, in blocks of rows
    (a 250-objective map has 60,000 pairs), with the same float64 operations, in the same
    order, as one pair at a time.
    """
    ends = np.asarray(segments, dtype=np.float64).reshape(-1, 4)
    count = 0
    for start in range(0, len(ends), _BLOCK):
        block = ends[start : start + _BLOCK]
        both = _straddles(block, ends) & _straddles(ends, block).T
        count += int(np.triu(both, k=start + 1).sum())  # each pair once: j > i
    return count


def _straddles(lines: np.ndarray, points: np.ndarray) -> np.ndarray:
    """``[i, j]``: segment ``j`` of ``points`` has its ends strictly on either side of segment ``i`` of ``lines``."""
    x1, y1, x2, y2 = (column[:, None] for column in lines.T)
    px1, py1, px2, py2 = (column[None, :] for column in points.T)
    dx, dy = x2 - x1, y2 - y1
    to_start = dx * (py1 - y1) - dy * (px1 - x1)
    to_end = dx * (py2 - y1) - dy * (px2 - x1)
    return to_start * to_end < 0


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
