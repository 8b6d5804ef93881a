"""Strategy lint: warnings about the *shape* of a strategy, not its syntax.

A scorecard can be perfectly valid and still be a poor strategy: a perspective
with one objective, an objective measured by six KPIs, an arrow that says a
financial result causes staff training. :func:`lint` reads the computed
:class:`~generator.compute.results.Results` and returns one warning per such
finding, located at the item it is about and saying what to do.

The thresholds follow common balanced-scorecard practice (Kaplan & Norton;
the Balanced Scorecard Institute): 3-5 objectives per perspective, 12-18 in
all, at most two KPIs per objective, fewer than 20 KPIs overall, and a mix of
leading and lagging indicators in every perspective.

``check`` runs lint on the restricted-audience results, so restricted KPIs
count like any other.

In a cascaded organisation (spec 9) every unit is linted like the root, with
the size rules a team's scorecard can meet (:data:`UNIT_OBJECTIVES_PER_PERSPECTIVE`,
:data:`UNIT_OBJECTIVES_TOTAL`: a team owns a slice of the strategy, not all of
it; leading and lagging KPIs mixed across the unit rather than in each
perspective), and the cascade itself: a corporate objective no unit supports, a unit
objective that supports nothing, and a unit whose own perspectives differ
from its parent's only by order or name (a copy that drifted).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.compute.results import Results
from generator.errors import Location, Problem, Severity, sort_problems
from generator.model import DEFAULT_PERSPECTIVES, Indicator, Initiative, Kpi, Objective, Perspective, Scorecard

__all__ = [
    "UNIT_OBJECTIVES_PER_PERSPECTIVE",
    "UNIT_OBJECTIVES_TOTAL",
    "MAX_CYCLES",
    "MAX_KPIS",
    "MAX_KPIS_PER_OBJECTIVE",
    "SEARCH_STEPS",
    "OBJECTIVES_PER_PERSPECTIVE",
    "OBJECTIVES_TOTAL",
    "lint",
]

OBJECTIVES_PER_PERSPECTIVE = (3, 5)
"""Fewest and most objectives a perspective should have."""

OBJECTIVES_TOTAL = (12, 18)
"""Fewest and most objectives a scorecard should have."""

UNIT_OBJECTIVES_PER_PERSPECTIVE = (1, 5)
"""The same for a unit below the organisation: every band of its map holds something."""

UNIT_OBJECTIVES_TOTAL = (4, 18)
"""The same for a unit below the organisation: at least one objective per default perspective."""

MAX_KPIS_PER_OBJECTIVE = 2
"""The rule of two: more KPIs per objective blur what the objective means."""

MAX_KPIS = 20
"""A scorecard with this many KPIs or more has stopped being a summary."""

MAX_CYCLES = 20
"""Cycles listed one by one; a tangle beyond this is summarised in one warning."""

SEARCH_STEPS = 200_000
"""Step budget of the cycle search: an adversarial tangle must not hang ``check``."""

def lint(results: Results) -> list[Problem]:
    """Every strategy warning for one build, in every unit, in file, line and message order.

    Args:
        results: the computed results (``check`` passes the restricted audience's).

    Returns:
        Warnings (``Severity.WARNING``) only; lint never finds errors.
    """
    found: list[Problem] = []
    for unit in results.walk():
        found += _unit_lint(unit, is_root=unit is results)
    found += _unsupported_objectives(results)
    found += _supports_nothing(results)
    found += _drifted_perspectives(results)
    return sort_problems(found)


def _unit_lint(results: Results, *, is_root: bool) -> list[Problem]:
    """The warnings of one unit's own scorecard."""
    card = results.scorecard
    per_perspective = OBJECTIVES_PER_PERSPECTIVE if is_root else UNIT_OBJECTIVES_PER_PERSPECTIVE
    total = OBJECTIVES_TOTAL if is_root else UNIT_OBJECTIVES_TOTAL
    found: list[Problem] = []
    found += _perspective_sizes(card, per_perspective)
    found += _objective_total(card, total)
    found += _kpis_per_objective(card)
    found += _kpi_total(card)
    found += _missing_owners(card)
    found += _unlinked_objectives(card)
    found += _downward_arrows(card)
    found += _cycles(card)
    found += _indicator_mix(card) if is_root else _unit_indicator_mix(card)
    found += _kpi_data(results)
    found += _empty_themes(card)
    found += _late_initiatives(results)
    return found


# -- structure ------------------------------------------------------------------


def _perspective_sizes(card: Scorecard, sizes: tuple[int, int] = OBJECTIVES_PER_PERSPECTIVE) -> Iterator[Problem]:
    low, high = sizes
    for perspective_id in _perspective_ids(card):
        count = len(card.objectives_in(perspective_id))
        if low <= count <= high:
            continue
        advice = (
            "merge it into another perspective or add objectives"
            if count < low
            else "merge related objectives or move some to another perspective"
        )
        yield _warn(
            _perspective_where(card, perspective_id),
            f"perspective '{perspective_id}' has {_count(count, 'objective')}; "
            f"a balanced scorecard has {low}-{high} per perspective: {advice}",
        )


def _objective_total(card: Scorecard, sizes: tuple[int, int] = OBJECTIVES_TOTAL) -> Iterator[Problem]:
    low, high = sizes
    count = len(card.objectives)
    if low <= count <= high:
        return
    advice = (
        "add the objectives the strategy is missing" if count < low else "keep only the objectives that matter most"
    )
    yield _warn(
        card.organization.where(),
        f"the scorecard has {_count(count, 'objective')}; a balanced scorecard has {low}-{high} in all: {advice}",
    )


def _kpis_per_objective(card: Scorecard) -> Iterator[Problem]:
    for objective in card.objectives:
        count = len(card.kpis_of(objective.id))
        if count == 0:
            yield _warn(
                objective.where(),
                f"objective '{objective.id}' has no KPI: add a KPI that shows whether it is achieved",
            )
        elif count > MAX_KPIS_PER_OBJECTIVE:
            yield _warn(
                objective.where(),
                f"objective '{objective.id}' has {count} KPIs; the rule of two is at most "
                f"{MAX_KPIS_PER_OBJECTIVE} per objective: keep the most telling ones or split the objective",
            )


def _kpi_total(card: Scorecard) -> Iterator[Problem]:
    count = len(card.kpis)
    if count >= MAX_KPIS:
        yield _warn(
            card.organization.where(),
            f"the scorecard has {count} KPIs; keep fewer than {MAX_KPIS} so that it stays a summary: "
            "move detailed measures to team dashboards",
        )


def _missing_owners(card: Scorecard) -> Iterator[Problem]:
    items: list[tuple[str, Objective | Kpi | Initiative]] = [("objective", o) for o in card.objectives]
    items += [("kpi", k) for k in card.kpis]
    items += [("initiative", i) for i in card.initiatives]
    for kind, item in items:
        if not item.owner.strip():
            yield _warn(item.where(), f"{kind} '{item.id}' has no owner: name the person accountable for it")


def _empty_themes(card: Scorecard) -> Iterator[Problem]:
    used = {theme for objective in card.objectives for theme in objective.themes}
    for theme in card.themes:
        if theme.id not in used:
            yield _warn(
                theme.where(),
                f"theme '{theme.id}' has no objective: list it in the themes of the objectives it groups, or remove it",
            )


def _indicator_mix(card: Scorecard) -> Iterator[Problem]:
    for perspective_id in _perspective_ids(card):
        objective_ids = {o.id for o in card.objectives_in(perspective_id)}
        kinds = {k.indicator for k in card.kpis if k.objective in objective_ids and k.indicator is not None}
        if len(kinds) != 1:
            continue  # no indicator given, or already a mix
        kind = kinds.pop()
        other = Indicator.LEADING if kind is Indicator.LAGGING else Indicator.LAGGING
        yield _warn(
            _perspective_where(card, perspective_id),
            f"perspective '{perspective_id}' has only {kind.value} KPIs: add a {other.value} KPI "
            f"so that it shows both {_mix_reason(other)}",
        )


def _unit_indicator_mix(card: Scorecard) -> Iterator[Problem]:
    """A unit's few KPIs mix leading and lagging across the unit (one KPI per band cannot mix within it)."""
    kinds = {k.indicator for k in card.kpis if k.indicator is not None}
    if len(kinds) != 1:
        return
    kind = kinds.pop()
    other = Indicator.LEADING if kind is Indicator.LAGGING else Indicator.LAGGING
    yield _warn(
        card.organization.where(),
        f"unit '{card.id}' has only {kind.value} KPIs: add a {other.value} KPI so that it shows both "
        f"{_mix_reason(other)}",
    )


def _mix_reason(missing: Indicator) -> str:
    if missing is Indicator.LEADING:
        return "results and what will drive the next ones"
    return "what drives results and the results themselves"


# -- cause and effect -------------------------------------------------------------


def _unlinked_objectives(card: Scorecard) -> Iterator[Problem]:
    driven = {target for objective in card.objectives for target in objective.drives}
    for objective in card.objectives:
        if not objective.drives and objective.id not in driven:
            yield _warn(
                objective.where(),
                f"objective '{objective.id}' has no cause-and-effect link: add it to another objective's "
                "drives, or list what it drives",
            )


def _downward_arrows(card: Scorecard) -> Iterator[Problem]:
    rank = {perspective_id: i for i, perspective_id in enumerate(_perspective_ids(card))}
    objectives = {o.id: o for o in card.objectives}
    for cause in card.objectives:
        for effect_id in dict.fromkeys(cause.drives):
            effect = objectives.get(effect_id)
            if effect is None or rank.get(effect.perspective, 0) <= rank.get(cause.perspective, 0):
                continue
            yield _warn(
                cause.where("drives"),
                f"objective '{cause.id}' ({cause.perspective}) drives '{effect.id}' ({effect.perspective}), "
                "an arrow down the map: causes sit below their effects, so reverse the link or "
                "move one of the objectives",
            )


def _cycles(card: Scorecard) -> Iterator[Problem]:
    objectives = {o.id: o for o in card.objectives}
    # One more than listed: finding it is how we know the list is cut short.
    cycles, complete = _find_cycles(card.objectives, MAX_CYCLES + 1)
    complete = complete and len(cycles) <= MAX_CYCLES
    cycles = cycles[:MAX_CYCLES]
    for cycle in cycles:
        first = objectives[cycle[0]]
        path = " -> ".join([*cycle, cycle[0]])
        yield _warn(
            first.where("drives"),
            f"cause-and-effect cycle {path}: an objective cannot end up driving itself; remove one of these links",
        )
    if not complete:
        yield _warn(
            card.organization.where(),
            f"more cause-and-effect cycles than the {len(cycles)} listed: break those first, then check again",
        )


def _find_cycles(objectives: Sequence[Objective], limit: int) -> tuple[list[list[str]], bool]:
    """Elementary cycles of the drives graph, each once, at most ``limit`` of them.

    Returns the cycles and whether the search was complete (false when it
    stopped at ``limit`` cycles or at its step budget with more to explore).

    A cycle is listed from its objective written first (so ``b -> c -> b`` is
    never also reported as ``c -> b -> c``), cycles in the order of that
    objective, then of the path. The search from a start node only visits
    nodes written after it, which is what makes each cycle appear once; it
    stays inside the start's strongly connected component, so objectives on
    no cycle (the usual case) cost nothing, and it gives up after
    :data:`SEARCH_STEPS` steps on a pathological tangle.
    """
    order = {o.id: i for i, o in enumerate(objectives)}
    # dict.fromkeys: a target listed twice in drives is still one arrow.
    component = _components({o.id: [t for t in dict.fromkeys(o.drives) if t in order] for o in objectives})
    edges = {
        o.id: [t for t in dict.fromkeys(o.drives) if t in order and component[t] == component[o.id]]
        for o in objectives
    }
    found: list[list[str]] = []
    steps = 0
    for start in (o.id for o in objectives):
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        path, on_path = [start], {start}
        while stack:
            if len(found) >= limit or steps >= SEARCH_STEPS:
                return found, False
            steps += 1
            successors = stack[-1][1]
            successor = next(successors, None)
            if successor is None:
                stack.pop()
                on_path.discard(path.pop())
            elif successor == start:
                found.append(list(path))
            elif order[successor] > order[start] and successor not in on_path:
                stack.append((successor, iter(edges[successor])))
                path.append(successor)
                on_path.add(successor)
    return found, True


def _components(edges: dict[str, list[str]]) -> dict[str, int]:
    """Strongly connected component number of every node (Tarjan, iterative: no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    components = 0
    for root in edges:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, successors = work[-1]
            successor = next(successors, None)
            if successor is not None:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    work.append((successor, iter(edges[successor])))
                elif successor not in component:
                    low[node] = min(low[node], index[successor])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    component[member] = components
                    if member == node:
                        break
                components += 1
    return component


# -- data and delivery ---------------------------------------------------------------


def _kpi_data(results: Results) -> Iterator[Problem]:
    as_of = results.as_of.isoformat() if results.as_of else "the as-of date"
    for kpi in results.scorecard.kpis:
        result = results.kpis.get(kpi.id)
        if result is None:
            continue  # not part of this audience's results
        if result.current is None and kpi.consolidate is not None:
            yield _warn(
                kpi.where(),
                f"kpi '{kpi.id}' has no actual for a period ended by {as_of}: its sources "
                f"({', '.join(kpi.consolidate.sources)}) need {kpi.frequency.value} values for the same periods",
            )
        elif result.current is None:
            yield _warn(
                kpi.where(),
                f"kpi '{kpi.id}' has no actual for a period ended by {as_of}: add its {kpi.frequency.value} "
                f"values under data/ (e.g. data/{kpi.id}.csv)",
            )
        elif result.stale:
            period = result.current.period
            yield _warn(
                kpi.where(),
                f"kpi '{kpi.id}' is stale: its latest actual is for {period}, and {period + 2} has also ended "
                f"by {as_of}: add the missing {kpi.frequency.value} actuals",
            )


def _late_initiatives(results: Results) -> Iterator[Problem]:
    as_of = results.as_of.isoformat() if results.as_of else "the as-of date"
    for initiative_id, result in results.initiatives.items():
        if not result.late:
            continue
        initiative = result.initiative
        end = initiative.end.isoformat() if initiative.end else "its end date"
        yield _warn(
            initiative.where("end"),
            f"initiative '{initiative_id}' ended on {end} but is not done at {as_of}: "
            "set its status to done, or move its end date",
        )


# -- the cascade (spec 9) ---------------------------------------------------------------


def _unsupported_objectives(results: Results) -> Iterator[Problem]:
    """A corporate objective that no unit objective supports, once there are units to support it."""
    if not results.units:
        return
    root = results.scorecard
    supported = {ref for unit in results.walk()[1:] for o in unit.scorecard.objectives for ref in o.supports}
    for objective in root.objectives:
        if f"{root.id}/{objective.id}" not in supported:
            yield _warn(
                objective.where(),
                f"objective '{objective.id}' is supported by no unit objective: add {root.id}/{objective.id} "
                "to the supports of the unit objectives that serve it",
            )


def _supports_nothing(results: Results) -> Iterator[Problem]:
    """A unit objective that says nothing about which objective above it serves."""
    for unit in results.walk()[1:]:
        card = unit.scorecard
        for objective in card.objectives:
            if not objective.supports:
                yield _warn(
                    objective.where(),
                    f"objective '{objective.id}' of unit '{card.id}' supports no objective above it: write "
                    f"supports: [{card.parent}/<objective-id>] naming the objective it serves",
                )


def _drifted_perspectives(results: Results) -> Iterator[Problem]:
    """A unit's own perspectives that are its parent's but for order or names: a copy that drifted."""
    for parent in results.walk():
        for unit in parent.units:
            card = unit.scorecard
            if card.inherits_perspectives or not _drifted(card.perspectives, parent.scorecard.perspectives):
                continue
            yield _warn(
                card.perspectives[0].where() if card.perspectives[0].where().line else card.organization.where(),
                f"unit '{card.id}' writes perspectives that differ from its parent '{parent.scorecard.id}''s only "
                f"by order or name, which reads like a copy that drifted: remove its perspectives key to inherit them",
            )


def _drifted(mine: Sequence[Perspective], theirs: Sequence[Perspective]) -> bool:
    """Same ids and questions, but another order or another name somewhere."""
    ours, parents = {p.id: p for p in mine}, {p.id: p for p in theirs}
    if len(ours) != len(mine) or ours.keys() != parents.keys():
        return False
    if any(ours[pid].question != parents[pid].question for pid in ours):
        return False
    same_order = [p.id for p in mine] == [p.id for p in theirs]
    same_names = all(ours[pid].title == parents[pid].title for pid in ours)
    return not (same_order and same_names)


# -- helpers -------------------------------------------------------------------------


def _perspective_ids(card: Scorecard) -> list[str]:
    """Perspective ids in map order (top first); the default four when none was written."""
    if card.perspectives:
        return [p.id for p in card.perspectives]
    return [perspective_id for perspective_id, _ in DEFAULT_PERSPECTIVES]


def _perspective_where(card: Scorecard, perspective_id: str) -> Location:
    """Where a perspective was written; the organisation's line for the unwritten defaults.

    The loader places the default four at ``scorecard.yml`` without a line; the
    organisation block is the nearest thing the user wrote.
    """
    for perspective in card.perspectives:
        if perspective.id == perspective_id and perspective.where().line is not None:
            return perspective.where()
    return card.organization.where()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _warn(where: Location, message: str) -> Problem:
    return Problem(where, message, Severity.WARNING)
