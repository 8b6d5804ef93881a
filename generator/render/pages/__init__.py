"""The generated pages of one unit: where they live, what they show, how they are built.

* :mod:`.paths`: :class:`Paths`, where each page of a unit lives (root unit at the
  docs root, another under ``units/<unit-id>/``);
* :mod:`.models`: the view models (frozen dataclasses) the templates lay out;
* :mod:`.builders`: results in, view models out;
* :mod:`.records`: the provenance and what-changed pages (publish's data, our pages);
* :mod:`.registry`: every page kind declared once, evaluated per unit.
"""

from __future__ import annotations

from markupsafe import Markup

from generator.compute.attention import visible_kpis
from generator.render.pages.builders import (
    HOME_ATTENTION_LIMIT,
    attention_groups,
    attention_page,
    home_page,
    initiative_page,
    initiatives_page,
    kpi_page,
    kpis_page,
    map_page,
    objective_page,
    objectives_page,
    perspective_page,
    theme_page,
    trend,
)
from generator.render.pages.models import Chart, Link, Page
from generator.render.pages.owners import owners_page
from generator.render.pages.paths import Paths
from generator.render.pages.registry import (
    PAGE_KINDS,
    Art,
    ChartFile,
    MapFile,
    PageJob,
    PageKind,
    UnitPages,
    page_jobs,
    page_paths,
    unit_nav,
    unit_pages,
)

__all__ = [
    "HOME_ATTENTION_LIMIT",
    "PAGE_KINDS",
    "Art",
    "Chart",
    "ChartFile",
    "MapFile",
    "Link",
    "Markup",
    "Page",
    "PageJob",
    "PageKind",
    "Paths",
    "UnitPages",
    "attention_groups",
    "attention_page",
    "home_page",
    "initiative_page",
    "initiatives_page",
    "kpi_page",
    "kpis_page",
    "map_page",
    "objective_page",
    "objectives_page",
    "owners_page",
    "page_jobs",
    "page_paths",
    "perspective_page",
    "theme_page",
    "trend",
    "unit_nav",
    "unit_pages",
    "visible_kpis",
]
