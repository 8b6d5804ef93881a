"""The strategy map: perspectives as bands, objectives as boxes, ``drives`` as arrows.

:func:`render_map` returns one inline ``<svg>`` element. The work is split in
four steps, each a plain function of the previous one's output, one module each:

1. **order** (:mod:`.order`) the objectives within each perspective so arrows stay short and
   uncrossed (barycentre sweeps, Sugiyama style; ties keep the written order);
2. **lay out** (:mod:`.layout`) bands, rows and boxes (box size adapts to the longest name,
   measured with real font metrics in
   :mod:`generator.render.text_metrics`);
3. **route** (:mod:`.route`) every arrow as a smooth cubic Bézier, spreading attach points
   along a box edge and threading long arrows through the gaps of the rows
   they cross;
4. **write** (:mod:`.write`; the legend in :mod:`.legend`) the SVG: every user string escaped, ids prefixed per map,
   coordinates rounded, shared styles in one ``<style>`` block.

The output is deterministic: the same results give the same bytes.
"""

from __future__ import annotations

from generator.render.strategy_map.layout import Band, Box, MapLayout, layout_map
from generator.render.strategy_map.order import order_objectives
from generator.render.strategy_map.route import Arrow, route_arrows
from generator.render.strategy_map.write import focus_key, highlight_sentence, map_facts, render_map

__all__ = [
    "Arrow", "Band", "Box", "MapLayout", "focus_key", "highlight_sentence", "layout_map", "map_facts",
    "order_objectives", "render_map", "route_arrows",
]
