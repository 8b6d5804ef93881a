"""Questions about the unit tree that pages ask: alignment both ways, breadcrumbs, whom a total waits for.

Alignment (spec 9.2) is shown, never scored: these functions only look up
``supports`` across the computed tree and pair each objective with its
status. Everything takes the root's :class:`~generator.compute.results.Results`
(the whole tree) and names units and objectives by id, as ids are unique only
within a unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.compute.results import Results, RollUp
from generator.model import Objective

__all__ = [
    "AlignedObjective",
    "AlignmentNode",
    "HeatMap",
    "breadcrumb",
    "cascade",
    "heat_map",
    "supported",
    "supporters",
    "unit_names",
]


@dataclass(frozen=True)
class AlignedObjective:
    """An objective of some unit, with the unit's results and its own status."""

    unit: Results
    objective: Objective
    rollup: RollUp

    @property
    def unit_id(self) -> str:
        return self.unit.unit_id

    @property
    def ref(self) -> str:
        """``unit-id/objective-id``, as ``supports`` writes it."""
        return f"{self.unit_id}/{self.objective.id}"


@dataclass(frozen=True)
class AlignmentNode:
    """One objective of a cascade and the unit objectives that support it, each with theirs."""

    aligned: AlignedObjective
    children: tuple[AlignmentNode, ...]


def _aligned(unit: Results, objective_id: str) -> AlignedObjective:
    return AlignedObjective(unit, unit.scorecard.objective(objective_id), unit.objectives[objective_id])


def supporters(root: Results, unit_id: str, objective_id: str) -> tuple[AlignedObjective, ...]:
    """The unit objectives whose ``supports`` names ``unit_id/objective_id``, units in tree order.

    Raises:
        KeyError: no such unit or objective.
    """
    root.unit(unit_id).scorecard.objective(objective_id)  # a typo fails loudly, not as "no supporters"
    ref = f"{unit_id}/{objective_id}"
    return tuple(
        _aligned(unit, objective.id)
        for unit in root.walk()
        for objective in unit.scorecard.objectives
        if ref in objective.supports
    )


def supported(root: Results, unit_id: str, objective_id: str) -> tuple[AlignedObjective, ...]:
    """The objectives above that ``unit_id/objective_id`` supports, in the order ``supports`` lists them.

    Raises:
        KeyError: no such unit or objective.
    """
    objective = root.unit(unit_id).scorecard.objective(objective_id)
    found = []
    for ref in objective.supports:
        target_unit, _, target = ref.partition("/")
        found.append(_aligned(root.unit(target_unit), target))
    return tuple(found)


def cascade(root: Results, unit_id: str, objective_id: str) -> AlignmentNode:
    """The whole cascade below an objective: its supporters, theirs, ... down to the teams.

    An objective that supports two objectives of one chain (a team objective
    supporting both its department's and the organisation's) appears under each.
    """
    children = tuple(cascade(root, s.unit_id, s.objective.id) for s in supporters(root, unit_id, objective_id))
    return AlignmentNode(_aligned(root.unit(unit_id), objective_id), children)


def breadcrumb(root: Results, unit_id: str) -> tuple[Results, ...]:
    """The units from the organisation down to ``unit_id`` (both included): organisation > police > patrol north.

    Raises:
        KeyError: no such unit.
    """
    chain = [root.unit(unit_id)]
    while chain[-1].scorecard.parent is not None:
        chain.append(root.unit(chain[-1].scorecard.parent))
    return tuple(reversed(chain))


def unit_names(root: Results, unit_ids: tuple[str, ...] | list[str]) -> list[str]:
    """The names of units given by id (``waiting_for`` reads "waiting for Patrol South")."""
    return [root.unit(unit_id).scorecard.organization.name for unit_id in unit_ids]


@dataclass(frozen=True)
class HeatMap:
    """Units against perspectives, matched by perspective id (the compare-units view).

    Attributes:
        perspectives: ``(id, name)`` of every perspective any unit has, the root's
            first in map order, then others as they first appear (a unit may write its own).
        rows: each unit (tree order) with its roll-up per perspective id; a unit
            without that perspective has no entry (shown as "not in this unit's map").
    """

    perspectives: tuple[tuple[str, str], ...]
    rows: tuple[tuple[Results, dict[str, RollUp]], ...]


def heat_map(root: Results) -> HeatMap:
    """Every unit's perspective scores side by side, matched by perspective id."""
    names: dict[str, str] = {}
    for unit in root.walk():
        for perspective in unit.scorecard.perspectives:
            names.setdefault(perspective.id, perspective.title)
    rows = tuple((unit, dict(unit.perspectives)) for unit in root.walk())
    return HeatMap(tuple(names.items()), rows)
