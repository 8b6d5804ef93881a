"""Strategy lint: one small case per rule, asserting the message and where it points.

The scorecards here are built directly (no YAML), starting from a balanced one
that lints clean; each test breaks exactly one rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator.compute.lint import lint
from generator.compute.results import (
    Audience,
    InitiativeResult,
    KpiResult,
    PeriodResult,
    Results,
    RollUp,
    Status,
)
from generator.errors import Location, Problem, Severity
from generator.model import Initiative, Kpi, Objective, Organization, Perspective, Scorecard, Theme
from generator.periods import Period

FILE = "scorecard/scorecard.yml"
AS_OF = dt.date(2026, 6, 30)
PERSPECTIVES = ("financial", "customer", "internal", "learning")

# A balanced map: three objectives per perspective, each driving the one above.
BALANCED = [
    {"id": f"{p}-{n}", "name": f"{p} {n}", "perspective": p, "owner": "Ann (COO)", "themes": ["core"]}
    for p in PERSPECTIVES
    for n in (1, 2, 3)
]
for _i, _spec in enumerate(BALANCED):
    if _i >= 3:  # below the top band: drive the objective straight above
        _spec["drives"] = [BALANCED[_i - 3]["id"]]


class Lines:
    """Hands out line numbers in write order, like items in a YAML file."""

    def __init__(self) -> None:
        self.line = 0

    def place(self, item: Any, path: str = FILE) -> Any:
        self.line += 10
        item.locate(Location(path, self.line), {"drives": self.line + 5, "end": self.line + 6})
        return item


def build(
    objectives: list[dict[str, Any]] | None = None,
    kpis: list[dict[str, Any]] | None = None,
    initiatives: list[dict[str, Any]] | None = None,
    themes: list[dict[str, Any]] | None = None,
    perspectives: tuple[str, ...] | None = PERSPECTIVES,
) -> Scorecard:
    """A scorecard from item specs; KPIs default to one per objective, leading and lagging mixed."""
    lines = Lines()
    objectives = BALANCED if objectives is None else objectives
    if kpis is None:
        kpis = [
            kpi_spec(f"k-{o['id']}", o["id"], "leading" if i % 3 == 0 else "lagging") for i, o in enumerate(objectives)
        ]
    return Scorecard(
        organization=lines.place(Organization(id="acme", name="Acme")),
        perspectives=tuple(lines.place(Perspective(id=p)) for p in perspectives or ()),
        themes=tuple(lines.place(Theme(**t)) for t in (themes if themes is not None else [{"id": "core"}])),
        objectives=tuple(lines.place(Objective(**o)) for o in objectives),
        kpis=tuple(lines.place(Kpi(**k), "scorecard/kpis.yml") for k in kpis),
        initiatives=tuple(lines.place(Initiative(**i)) for i in initiatives or ()),
    )


def kpi_spec(kpi_id: str, objective: str, indicator: str | None = "lagging", **more: Any) -> dict[str, Any]:
    spec = {
        "id": kpi_id,
        "name": kpi_id,
        "objective": objective,
        "direction": "higher",
        "frequency": "monthly",
        "owner": "Bo (CFO)",
        "target": {"period": "2026-12", "value": 10},
        "indicator": indicator,
    }
    return spec | more


def results(
    card: Scorecard,
    *,
    no_data: tuple[str, ...] = (),
    stale: tuple[str, ...] = (),
    late: tuple[str, ...] = (),
) -> Results:
    """Results as compute would give them: every KPI on track in 2026-06 unless told otherwise."""
    kpis = {}
    for kpi in card.kpis:
        current = None
        if kpi.id not in no_data:
            period = Period.parse("2026-03" if kpi.id in stale else "2026-06")
            current = PeriodResult(period, 11.0, 10.0, 9.0, 7.0, Status.ON_TRACK)
        kpis[kpi.id] = KpiResult(kpi, current, kpi.id in stale, (current,) if current else ())
    return Results(
        scorecard=card,
        as_of=AS_OF,
        audience=Audience.RESTRICTED,
        organization=RollUp("acme", 7.0, Status.ON_TRACK),
        kpis=kpis,
        initiatives={i.id: InitiativeResult(i, i.id in late, 0) for i in card.initiatives},
    )


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, messages(problems)
    assert problems[0].severity is Severity.WARNING
    return problems[0]


def where(card: Scorecard, kind: str, item_id: str, key: str | None = None) -> Location:
    return next(item for item in getattr(card, kind) if item.id == item_id).where(key)


def test_balanced_scorecard_lints_clean() -> None:
    assert lint(results(build())) == []


EXTRA_INTERNAL = {"id": "internal-4", "name": "x", "perspective": "internal", "owner": "Ann", "drives": ["financial-3"]}


def test_perspective_with_too_few_objectives() -> None:
    # Still twelve in all: only the band is short.
    objectives = [o for o in BALANCED if o["id"] != "customer-3"] + [EXTRA_INTERNAL]
    card = build(objectives)
    problem = only(lint(results(card)))
    assert problem.where == where(card, "perspectives", "customer")
    assert problem.message == (
        "perspective 'customer' has 2 objectives; a balanced scorecard has 3-5 per perspective: "
        "merge it into another perspective or add objectives"
    )


def test_perspective_with_too_many_objectives() -> None:
    extra = [
        {"id": f"learning-{n}", "name": "x", "perspective": "learning", "owner": "Ann", "drives": ["internal-1"]}
        for n in (4, 5, 6)
    ]
    card = build(BALANCED + extra)
    problem = only(lint(results(card)))
    assert problem.where == where(card, "perspectives", "learning")
    assert problem.message.startswith("perspective 'learning' has 6 objectives; a balanced scorecard has 3-5")


@pytest.mark.parametrize("written", [False, True])
def test_default_perspectives_are_reported_at_the_organization(written: bool) -> None:
    objectives = [o for o in BALANCED if o["id"] != "financial-3"] + [EXTRA_INTERNAL]
    card = build(objectives, perspectives=None)
    if written:  # as the loader gives them: placed in scorecard.yml, without a line
        defaults = tuple(Perspective(id=p) for p in PERSPECTIVES)
        for perspective in defaults:
            perspective.locate(Location(FILE), {})
        card = dataclasses.replace(card, perspectives=defaults)
    problem = only(lint(results(card)))
    assert problem.where == card.organization.where()
    assert "perspective 'financial' has 2 objectives" in problem.message


def test_too_few_objectives_in_all() -> None:
    card = build([o for o in BALANCED if o["id"] != "learning-3"])
    found = lint(results(card))
    assert messages(found) == [
        "scorecard/scorecard.yml:10: warning: the scorecard has 11 objectives; a balanced scorecard has "
        "12-18 in all: add the objectives the strategy is missing",
        "scorecard/scorecard.yml:50: warning: perspective 'learning' has 2 objectives; a balanced scorecard "
        "has 3-5 per perspective: merge it into another perspective or add objectives",
    ]


def test_too_many_objectives_in_all() -> None:
    extra = [
        {"id": f"{p}-{n}", "name": "x", "perspective": p, "owner": "Ann", "drives": [f"{p}-1"]}
        for p in PERSPECTIVES
        for n in (4, 5)
    ][:-1]  # 19 objectives (and 19 KPIs, under the KPI limit)
    card = build(BALANCED + extra)
    problem = only(lint(results(card)))
    assert problem.where == card.organization.where()
    assert problem.message == (
        "the scorecard has 19 objectives; a balanced scorecard has 12-18 in all: "
        "keep only the objectives that matter most"
    )


def test_objective_without_kpi() -> None:
    card = build()
    kpis = [kpi_spec(k.id, k.objective, k.indicator.value if k.indicator else None) for k in card.kpis]
    card = build(kpis=[k for k in kpis if k["objective"] != "internal-2"])
    problem = only(lint(results(card)))
    assert problem.where == where(card, "objectives", "internal-2")
    assert problem.message == "objective 'internal-2' has no KPI: add a KPI that shows whether it is achieved"


def test_objective_with_more_than_two_kpis() -> None:
    kpis = [kpi_spec(f"k-{o['id']}", o["id"], "leading" if i % 3 == 0 else "lagging") for i, o in enumerate(BALANCED)]
    kpis += [kpi_spec("extra-1", "customer-1"), kpi_spec("extra-2", "customer-1")]
    card = build(kpis=kpis)
    problem = only(lint(results(card)))
    assert problem.where == where(card, "objectives", "customer-1")
    assert problem.message.startswith("objective 'customer-1' has 3 KPIs; the rule of two is at most 2 per objective")


def test_twenty_kpis_or_more() -> None:
    kpis = [kpi_spec(f"k-{o['id']}", o["id"], "leading" if i % 3 == 0 else "lagging") for i, o in enumerate(BALANCED)]
    # 12 objectives x 2 KPIs would be 24; 20 exactly is enough to warn.
    kpis += [kpi_spec(f"k2-{o['id']}", o["id"]) for o in BALANCED[:8]]
    card = build(kpis=kpis)
    assert len(card.kpis) == 20
    problem = only(lint(results(card)))
    assert problem.where == card.organization.where()
    assert problem.message.startswith("the scorecard has 20 KPIs; keep fewer than 20")


def test_nineteen_kpis_is_fine() -> None:
    kpis = [kpi_spec(f"k-{o['id']}", o["id"], "leading" if i % 3 == 0 else "lagging") for i, o in enumerate(BALANCED)]
    kpis += [kpi_spec(f"k2-{o['id']}", o["id"]) for o in BALANCED[:7]]
    assert lint(results(build(kpis=kpis))) == []


@pytest.mark.parametrize("kind", ["objectives", "kpis", "initiatives"])
def test_item_without_owner(kind: str) -> None:
    card = build()
    kpis = [kpi_spec(k.id, k.objective, k.indicator.value if k.indicator else None) for k in card.kpis]
    objectives = [dict(o) for o in BALANCED]
    initiatives = [{"id": "crm", "name": "CRM", "objectives": ["customer-1"], "owner": "Cy"}]
    target = {"objectives": objectives, "kpis": kpis, "initiatives": initiatives}[kind][0]
    target["owner"] = "  "
    card = build(objectives, kpis, initiatives)
    problem = only(lint(results(card)))
    singular = {"objectives": "objective", "kpis": "kpi", "initiatives": "initiative"}[kind]
    assert problem.where == where(card, kind, target["id"])
    assert problem.message == f"{singular} '{target['id']}' has no owner: name the person accountable for it"


def test_objective_without_any_link() -> None:
    # internal-1 drives customer-1, and nothing drives internal-1 once learning-1 drives internal-2.
    objectives = [dict(o) for o in BALANCED]
    by_id = {o["id"]: o for o in objectives}
    by_id["internal-1"]["drives"] = []
    by_id["learning-1"]["drives"] = ["internal-2"]
    card = build(objectives)
    problem = only(lint(results(card)))
    assert problem.where == where(card, "objectives", "internal-1")
    assert problem.message == (
        "objective 'internal-1' has no cause-and-effect link: add it to another objective's drives, "
        "or list what it drives"
    )


def test_arrow_down_the_map_points_at_drives() -> None:
    objectives = [dict(o) for o in BALANCED]
    objectives[0]["drives"] = ["learning-1"]  # financial-1 drives learning-1: upside down
    card = build(objectives)
    found = lint(results(card))
    down = [p for p in found if "down the map" in p.message]
    assert len(down) == 1
    assert down[0].where == where(card, "objectives", "financial-1", "drives")
    assert down[0].where.line == where(card, "objectives", "financial-1").line + 5
    assert down[0].message.startswith(
        "objective 'financial-1' (financial) drives 'learning-1' (learning), an arrow down the map"
    )


def test_same_perspective_arrow_is_allowed() -> None:
    objectives = [dict(o) for o in BALANCED]
    objectives[1]["drives"] = ["financial-1"]
    assert lint(results(build(objectives))) == []


def test_cycle_is_reported_once_in_written_order() -> None:
    # Inside one band (no downward arrow): financial-1 -> financial-2 -> financial-3 -> financial-1.
    objectives = [dict(o) for o in BALANCED]
    objectives[0]["drives"] = ["financial-2"]
    objectives[1]["drives"] = ["financial-3"]
    objectives[2]["drives"] = ["financial-1"]
    card = build(objectives)
    problem = only(lint(results(card)))
    assert problem.where == where(card, "objectives", "financial-1", "drives")
    assert problem.message == (
        "cause-and-effect cycle financial-1 -> financial-2 -> financial-3 -> financial-1: "
        "an objective cannot end up driving itself; remove one of these links"
    )


def test_two_cycles_through_one_objective_are_both_listed() -> None:
    objectives = [dict(o) for o in BALANCED]
    objectives[0]["drives"] = ["financial-2", "financial-3"]
    objectives[1]["drives"] = ["financial-1"]
    objectives[2]["drives"] = ["financial-1"]
    cycles = [p.message.split(":")[0] for p in lint(results(build(objectives))) if "cycle" in p.message]
    assert cycles == [
        "cause-and-effect cycle financial-1 -> financial-2 -> financial-1",
        "cause-and-effect cycle financial-1 -> financial-3 -> financial-1",
    ]


def test_objective_driving_itself_is_a_cycle() -> None:
    objectives = [dict(o) for o in BALANCED]
    objectives[0]["drives"] = ["financial-1"]
    found = [p.message for p in lint(results(build(objectives))) if "cycle" in p.message]
    assert found == [
        "cause-and-effect cycle financial-1 -> financial-1: an objective cannot end up driving itself; "
        "remove one of these links"
    ]


def test_a_tangle_lists_twenty_cycles_and_says_there_are_more() -> None:
    # The three financial objectives each drive the other two (and themselves): 2 + 3 + 3 cycles;
    # the three customer ones too, and every customer one drives every financial one and back.
    objectives = [dict(o) for o in BALANCED]
    tangle = [o["id"] for o in objectives[:6]]
    for spec in objectives[:6]:
        spec["drives"] = list(tangle)
    found = lint(results(build(objectives)))
    cycles = [p for p in found if p.message.startswith("cause-and-effect cycle")]
    assert len(cycles) == 20
    assert len({p.message for p in cycles}) == 20
    assert any(
        p.message == "more cause-and-effect cycles than the 20 listed: break those first, then check again"
        for p in found
    )


def test_exactly_twenty_cycles_need_no_summary() -> None:
    # Twenty self-loops: twenty cycles, all listed, nothing more to say about cycles.
    objectives = [dict(o) for o in BALANCED]
    extra = [
        {"id": f"internal-{n}", "name": "x", "perspective": "internal", "owner": "Ann", "drives": [f"internal-{n}"]}
        for n in range(4, 12)
    ]
    for spec in objectives:
        spec["drives"] = [*spec.get("drives", []), spec["id"]]
    messages_ = [p.message for p in lint(results(build(objectives + extra)))]
    assert sum(m.startswith("cause-and-effect cycle") for m in messages_) == 20
    assert not any(m.startswith("more cause-and-effect cycles") for m in messages_)


def test_a_target_listed_twice_is_one_arrow() -> None:
    objectives = [dict(o) for o in BALANCED]
    objectives[0]["drives"] = ["learning-1", "learning-1"]
    objectives[9]["drives"] = ["financial-1"]
    found = [p.message for p in lint(results(build(objectives)))]
    assert sum("down the map" in m for m in found) == 1
    assert sum(m.startswith("cause-and-effect cycle") for m in found) == 1


def test_perspective_with_only_lagging_kpis() -> None:
    objectives = BALANCED
    kpis = [
        kpi_spec(
            f"k-{o['id']}", o["id"],
            "lagging" if o["perspective"] == "customer" else ("leading" if i % 3 == 0 else "lagging"),
        )
        for i, o in enumerate(objectives)
    ]
    card = build(kpis=kpis)
    problem = only(lint(results(card)))
    assert problem.where == where(card, "perspectives", "customer")
    assert problem.message.startswith("perspective 'customer' has only lagging KPIs: add a leading KPI")


def test_perspective_with_only_leading_kpis() -> None:
    kpis = [
        kpi_spec(f"k-{o['id']}", o["id"], "leading" if o["perspective"] == "learning" or i % 3 == 0 else "lagging")
        for i, o in enumerate(BALANCED)
    ]
    problem = only(lint(results(build(kpis=kpis))))
    assert problem.message.startswith("perspective 'learning' has only leading KPIs: add a lagging KPI")


def test_indicator_mix_is_not_judged_without_indicators() -> None:
    kpis = [kpi_spec(f"k-{o['id']}", o["id"], None) for o in BALANCED]
    assert lint(results(build(kpis=kpis))) == []


def test_kpi_without_data() -> None:
    card = build()
    problem = only(lint(results(card, no_data=("k-customer-2",))))
    assert problem.where == where(card, "kpis", "k-customer-2")
    assert problem.where.path == "scorecard/kpis.yml"
    assert problem.message == (
        "kpi 'k-customer-2' has no actual for a period ended by 2026-06-30: add its monthly values "
        "under data/ (e.g. data/k-customer-2.csv)"
    )


def test_stale_kpi() -> None:
    card = build()
    problem = only(lint(results(card, stale=("k-learning-1",))))
    assert problem.where == where(card, "kpis", "k-learning-1")
    assert problem.message == (
        "kpi 'k-learning-1' is stale: its latest actual is for 2026-03, and 2026-05 has also ended "
        "by 2026-06-30: add the missing monthly actuals"
    )


def test_theme_without_objective() -> None:
    card = build(themes=[{"id": "core"}, {"id": "growth", "name": "Growth"}])
    problem = only(lint(results(card)))
    assert problem.where == where(card, "themes", "growth")
    assert problem.message == (
        "theme 'growth' has no objective: list it in the themes of the objectives it groups, or remove it"
    )


def test_late_initiative_points_at_its_end() -> None:
    initiatives = [
        {"id": "crm", "name": "CRM", "objectives": ["customer-1"], "owner": "Cy", "end": "2026-03-31"},
        {"id": "erp", "name": "ERP", "objectives": ["financial-1"], "owner": "Cy", "end": "2026-12-31"},
    ]
    card = build(initiatives=initiatives)
    problem = only(lint(results(card, late=("crm",))))
    assert problem.where == where(card, "initiatives", "crm", "end")
    assert problem.message == (
        "initiative 'crm' ended on 2026-03-31 but is not done at 2026-06-30: set its status to done, "
        "or move its end date"
    )


def test_warnings_come_in_file_and_line_order() -> None:
    objectives = [dict(o) for o in BALANCED]
    objectives[5]["owner"] = ""
    objectives[1]["owner"] = ""
    card = build(objectives, themes=[{"id": "core"}, {"id": "unused"}])
    found = lint(results(card, no_data=("k-financial-1",)))
    keys = [(p.where.path, p.where.line) for p in found]
    assert keys == sorted(keys)
    assert len(found) == 4
    assert lint(results(card, no_data=("k-financial-1",))) == found


def test_real_loader_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through load and compute: the warning names the file and the line of the key."""
    from generator.compute import compute
    from generator.load import load

    (tmp_path / "card").mkdir()
    (tmp_path / "card" / "scorecard.yml").write_text(
        "organization: {id: acme, name: Acme}\n"
        "objectives:\n"
        "  - id: profit\n"
        "    name: Profit\n"
        "    perspective: financial\n"
        "    owner: Ann\n"
        "    drives: [skills]\n"
        "  - id: skills\n"
        "    name: Skills\n"
        "    perspective: learning\n"
        "    owner: Bo\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    found = messages(lint(compute(load(Path("card")).scorecard, audience=Audience.RESTRICTED)))
    expected = "card/scorecard.yml:7: warning: objective 'profit' (financial) drives 'skills' (learning), "
    assert expected in "\n".join(found)
    assert any(m.startswith("card/scorecard.yml:3: warning: objective 'profit' has no KPI") for m in found)
    assert any(m.startswith("card/scorecard.yml:1: warning: the scorecard has 2 objectives") for m in found)
