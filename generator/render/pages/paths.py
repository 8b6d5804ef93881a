"""Where each page of one scorecard unit lives in the docs folder."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Paths"]


@dataclass(frozen=True)
class Paths:
    """Where each page of one scorecard unit lives in the docs folder.

    The root unit's pages live at the docs root; a future unit's under
    ``units/<unit-id>/`` (its ``prefix``), so ids need only be unique per unit.
    """

    prefix: str = ""

    @classmethod
    def unit(cls, unit_id: str) -> Paths:
        """The paths of a (non-root) unit: every page under ``units/<unit-id>/``."""
        return cls(f"units/{unit_id}/")

    def chart(self, item_id: str) -> str:
        """A KPI's chart, beside its page's Markdown: ``kpis/<id>.svg``.

        Not in a folder of its own: a thousand KPIs would make a thousand folders, and on
        a file system creating a folder costs several times what creating a file does.
        """
        return f"{self.prefix}kpis/{item_id}.svg"

    def map_image(self) -> str:
        """The strategy map as an SVG file, beside the map page (``map.md`` is served at ``map/``).

        Home, perspective and theme pages show this one drawing too (focused by CSS).
        """
        return f"{self.prefix}map/map.svg"

    def evidence_map_image(self) -> str:
        """The map's evidence view as an SVG file, beside the evidence page."""
        return f"{self.prefix}evidence/map.svg"

    def home(self) -> str:
        return f"{self.prefix}index.md"

    def map(self) -> str:
        return f"{self.prefix}map.md"

    def perspective(self, item_id: str) -> str:
        return f"{self.prefix}perspectives/{item_id}.md"

    def theme(self, item_id: str) -> str:
        return f"{self.prefix}themes/{item_id}.md"

    def objectives(self) -> str:
        return f"{self.prefix}objectives/index.md"

    def objective(self, item_id: str) -> str:
        return f"{self.prefix}objectives/{item_id}.md"

    def kpis(self) -> str:
        return f"{self.prefix}kpis/index.md"

    def kpi(self, item_id: str) -> str:
        return f"{self.prefix}kpis/{item_id}.md"

    def initiatives(self) -> str:
        return f"{self.prefix}initiatives/index.md"

    def initiative(self, item_id: str) -> str:
        return f"{self.prefix}initiatives/{item_id}.md"

    def owners(self) -> str:
        return f"{self.prefix}owners.md"

    def attention(self) -> str:
        return f"{self.prefix}attention.md"

    def evidence(self) -> str:
        """"Is our strategy working?": the evidence for every arrow of the map."""
        return f"{self.prefix}evidence.md"

    def okrs(self) -> str:
        return f"{self.prefix}okrs.md"

    def okrs_csv(self) -> str:
        """The coming quarter's OKRs as CSV, beside the OKRs page (served as ``okrs.csv``)."""
        return f"{self.prefix}okrs.csv"

    def periods_csv(self) -> str:
        """Every period of every KPI as CSV, beside the KPI list (``kpis/periods.csv``)."""
        return f"{self.prefix}kpis/periods.csv"

    def present(self) -> str:
        """Present mode: a standalone HTML page (not Markdown), served at ``present/``."""
        return f"{self.prefix}present/index.html"

    def deck(self) -> str:
        """The town-hall deck, beside present mode."""
        return f"{self.prefix}present/deck.pptx"

