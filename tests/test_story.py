"""The town-hall story: wins and concerns against the last review, next quarter, present.yml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.compute import compute
from generator.compute.results import Audience, Results, Status
from generator.compute.story import arrange, previous_review, section_ids, story
from generator.errors import ValidationFailed
from generator.load import load
from generator.load.present import OwnSlide, PresentPlan
from generator.periods import Period
from generator.render.slides import build_slides
from generator.render.slides.model import SlideKind

SCORECARD = """\
organization: {id: town, name: Riverside Council, vision: A home for everyone.}
objectives:
  - {id: homes, name: More affordable homes, perspective: customer, owner: Ada Lovelace}
  - {id: money, name: Balanced budget, perspective: financial}
  - {id: people, name: Skilled staff, perspective: learning, drives: [homes]}
  - {id: process, name: Fast permits, perspective: internal, drives: [homes]}
kpis:
  - {id: units, name: Affordable housing units, objective: homes, direction: higher, frequency: quarterly,
     owner: Grace Hopper, target: {period: 2026-Q4, value: 340}, baseline: {period: 2026-Q1, value: 280}}
  - {id: budget, name: Budget variance, objective: money, direction: lower, frequency: quarterly,
     unit: "%", target: {period: 2026-Q1, value: 2}, tolerance: 1}
  - {id: training, name: Training days, objective: people, direction: higher, frequency: monthly,
     target: {period: 2026-01, value: 5}}
  - {id: permits, name: Permit days, objective: process, direction: lower, frequency: quarterly,
     target: {period: 2026-Q1, value: 30}}
initiatives:
  - {id: build-fund, name: Housing fund, objectives: [homes], owner: Alan Turing, end: 2026-08-31, status: at-risk,
     milestones: [{name: Fund approved, due: 2026-07-15, done: false}, {name: Site found, due: 2026-12-01}]}
"""

DATA = {
    # On track at the last review (2026-Q2), off track now: a planted worsening.
    "units.csv": "period,actual,comment\n2026-Q1,281,\n2026-Q2,320,\n2026-Q3,250,Two sites delayed by flooding\n",
    # Off track at the last review, on track now: a planted improvement.
    "budget.csv": "period,actual\n2026-Q1,1.5\n2026-Q2,4.5\n2026-Q3,1.8\n",
    # Last reported for 2026-06: stale by the end of 2026-09.
    "training.csv": "period,actual\n2026-05,6\n2026-06,6\n",
    "permits.csv": "period,actual\n2026-Q2,29\n2026-Q3,28\n",
}


def write_scorecard(folder: Path, scorecard: str = SCORECARD, data: dict[str, str] = DATA) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "scorecard.yml").write_text(scorecard, encoding="utf-8")
    for name, text in data.items():
        (folder / "data" / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def town(tmp_path: Path):
    card = load(write_scorecard(tmp_path / "scorecard")).scorecard
    return story(compute(card, dt.date(2026, 9, 30), Audience.ALL))


def test_the_last_review_is_the_end_of_the_previous_quarter() -> None:
    assert previous_review(dt.date(2026, 9, 30)) == dt.date(2026, 6, 30)
    assert previous_review(dt.date(2026, 8, 15)) == dt.date(2026, 6, 30)
    assert previous_review(dt.date(2026, 1, 31)) == dt.date(2025, 12, 31)


def test_a_planted_worsening_and_improvement_are_found(town) -> None:
    worse = {(c.kind, c.item_id): c for c in town.worsened}
    better = {(c.kind, c.item_id): c for c in town.improved}
    assert worse[("kpi", "units")].before.status is Status.ON_TRACK
    assert worse[("kpi", "units")].after.status is Status.OFF_TRACK
    assert ("objective", "homes") in worse
    assert better[("kpi", "budget")].before.status is Status.OFF_TRACK
    assert better[("kpi", "budget")].after.status is Status.ON_TRACK
    assert ("kpi", "units") not in better and ("kpi", "budget") not in worse


def test_off_track_kpis_come_with_owner_initiatives_and_the_current_comment(town) -> None:
    (line,) = town.off_track
    assert line.kpi.id == "units" and line.off_track_since == Period.parse("2026-Q3")
    assert [i.id for i in line.initiatives] == ["build-fund"]
    assert line.comments == ((Period.parse("2026-Q3"), "Two sites delayed by flooding"),)
    concerns = next(s for s in build_slides(town) if s.id == "concerns")
    notes = " ".join(concerns.notes)
    assert "Affordable housing units: 250 against a goal of 320 in 2026-Q3, off track." in notes
    assert "Grace Hopper's comment: Two sites delayed by flooding." in notes
    assert "Addressed by: Housing fund." in notes


def test_stale_data_late_initiatives_and_overdue_milestones(town) -> None:
    assert [line.kpi.id for line in town.stale] == ["training"]
    (fund,) = town.attention
    assert fund.late  # ended 2026-08-31, not done
    assert [m.name for m in fund.overdue] == ["Fund approved"]  # "Site found" is due later


def test_next_quarter_goals_come_from_the_goal_rules(town) -> None:
    goals = {g.kpi.kpi.id: g for g in town.next_goals}
    assert town.quarter == Period.parse("2026-Q4")
    assert goals["units"].goal == 340 and str(goals["units"].period) == "2026-Q4"
    assert str(goals["training"].period) == "2026-12"  # a monthly KPI's goal for the quarter's last month


def test_every_slide_has_notes_and_the_sections_keep_their_order(town) -> None:
    slides = build_slides(town)
    assert all(slide.notes and all(n.strip() for n in slide.notes) for slide in slides)
    ids = list(dict.fromkeys(slide.id for slide in slides))
    assert ids[:3] == ["title", "where-we-stand", "map"]
    assert ids[-3:] == ["initiatives", "next-quarter", "closing"]
    assert "units" not in ids  # no units yet: no slide


def test_the_closing_slide_names_the_portal_only_when_known(town) -> None:
    closing = build_slides(town, site_url="https://strategy.example.org/")[-1]
    assert closing.content.url == "https://strategy.example.org/"
    assert "https://strategy.example.org/" in " ".join(closing.notes)
    assert build_slides(town)[-1].content.url is None


def test_restricted_kpis_never_reach_an_all_staff_story(tmp_path: Path) -> None:
    text = SCORECARD.replace(
        "target: {period: 2026-Q1, value: 30}}", "target: {period: 2026-Q1, value: 30}, visibility: restricted}"
    )
    card = load(write_scorecard(tmp_path / "s", text)).scorecard
    everyone = story(compute(card, dt.date(2026, 9, 30), Audience.ALL))
    board = story(compute(card, dt.date(2026, 9, 30), Audience.RESTRICTED))
    assert "permits" not in {line.kpi.id for line in everyone.kpi_lines()}
    assert "permits" in {line.kpi.id for line in board.kpi_lines()}
    assert "Permit days" not in repr(build_slides(everyone))


# -- content/present.yml ------------------------------------------------------------------------


def test_arrange_picks_orders_and_hides() -> None:
    ids = section_ids(["financial", "customer"])
    agenda = OwnSlide("agenda", "Agenda", "- one", None)
    plan = PresentPlan(("title", agenda, "rest", "wins"), frozenset({"trends:financial", "units"}))
    order = arrange(ids, plan)
    assert order[:3] == ["title", agenda, "where-we-stand"]
    assert order[-1] == "wins"
    assert "trends:financial" not in order and "units" not in order and order.count("wins") == 1
    assert arrange(ids, PresentPlan(hide=frozenset({"map"}))) == [i for i in ids if i != "map"]


def project(tmp_path: Path, present: str) -> Path:
    """A project folder (mkdocs.yml, content/present.yml) holding the town scorecard."""
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "present.yml").write_text(present, encoding="utf-8")
    return write_scorecard(tmp_path / "scorecard")


PRESENT = """\
slides:
  - title
  - id: agenda
    title: Agenda
    markdown: |
      - Where we stand
      - **Wins** and concerns
  - rest
hide: [trends:financial]
"""


def test_present_yml_shapes_the_story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import check, present_plan

    folder = project(tmp_path, PRESENT)
    monkeypatch.chdir(tmp_path)
    checked = check(folder)
    plan, problems = present_plan(folder, checked.scorecard)
    assert problems == []
    slides = build_slides(story(checked.results, plan))
    assert [s.id for s in slides[:3]] == ["title", "agenda", "where-we-stand"]
    assert slides[1].kind is SlideKind.CUSTOM and "**Wins**" in slides[1].content.markdown
    assert "trends:financial" not in {s.id for s in slides}


BAD_PRESENT = """\
slides:
  - title
  - perspective:custmer
  - id: Agenda!
    title: Agenda
  - title: ""
  - wins
  - wins
hide:
  - map
  - 42
colour: blue
"""


def test_present_yml_errors_name_their_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import check

    folder = project(tmp_path, BAD_PRESENT)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationFailed) as failure:
        check(folder)
    shown = [str(p) for p in failure.value.problems]
    assert "content/present.yml:3: slide 'perspective:custmer' does not exist; the slides are: " in shown[0]
    assert shown[1:] == [
        "content/present.yml:4: 'Agenda!' is not a valid id (lower-case letters, digits and '-')",
        "content/present.yml:6: a slide of your own needs a 'title' (text)",
        "content/present.yml:8: slide 'wins' is listed twice",
        "content/present.yml:11: each entry of 'hide' must be a slide id like 'wins' or 'perspective:customer'",
        "content/present.yml:12: unknown key 'colour' (expected one of: slides, hide)",
    ]


def test_present_yml_syntax_error_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import check

    folder = project(tmp_path, "slides: [title\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationFailed) as failure:
        check(folder)
    assert str(failure.value.problems[0]).startswith("content/present.yml:")


def big_results(folder: Path, count: int, actual: dict[int, float]) -> Results:
    """The sample council with ``count`` more quarterly KPIs on its housing objective (``k0``...),
    each reporting 120 for 2026-Q3 (on track) unless ``actual`` says otherwise."""
    kpis = "\n".join(
        f"  - {{id: k{i}, name: KPI {i}, objective: homes, direction: higher, frequency: quarterly,"
        f" target: {{period: 2026-Q4, value: 100}}}}"
        for i in range(count)
    )
    scorecard = SCORECARD.replace("kpis:\n", f"kpis:\n{kpis}\n")
    data = {f"k{i}.csv": f"period,actual\n2026-Q3,{actual.get(i, 120)}\n" for i in range(count)}
    return compute(load(write_scorecard(folder, scorecard, {**DATA, **data})).scorecard)


def test_a_big_perspective_shows_the_trends_that_need_attention_not_all(tmp_path: Path) -> None:
    # Ten more KPIs on one objective: k0 and k7 off track, k3 at risk, the rest on track.
    results = big_results(tmp_path / "big", 10, {0: 50, 3: 95, 7: 40})
    customer = next(p for p in story(results).perspectives if p.perspective.id == "customer")

    shown = [line.kpi.id for line in customer.spotlight]
    assert len(shown) == 6 and customer.more_trends == 5  # 11 KPIs with data (units too)
    assert {"k0", "k7", "k3", "units"} <= set(shown)  # every KPI off track or at risk is shown
    assert shown == sorted(shown, key=[line.kpi.id for o in customer.objectives for line in o.kpis].index)
    trends = [s for s in build_slides(story(results)) if s.kind is SlideKind.TRENDS and "customer" in s.id]
    assert sum(len(s.content.charts) for s in trends) == 6
    assert "5 more KPIs of this perspective are on the portal" in " ".join(trends[0].notes)


def test_a_big_scorecard_gives_next_quarters_goals_of_the_spotlight_and_points_to_the_okrs(tmp_path: Path) -> None:
    told = story(big_results(tmp_path / "big", 30, {5: 40}))

    goals = [goal.kpi.kpi.id for goal in told.next_goals]
    spotlight = [line.kpi.id for p in told.perspectives for line in p.spotlight]
    assert sorted(goals) == sorted(spotlight) and "k5" in goals
    assert told.more_goals == 34 - len(goals)
    slide = next(s for s in build_slides(told) if s.id == "next-quarter")
    assert f"{told.more_goals} more KPIs are on the portal's OKRs page" in " ".join(slide.notes)


def test_a_big_scorecards_perspective_table_lists_every_objective_but_only_the_spotlight_kpis(tmp_path: Path) -> None:
    told = story(big_results(tmp_path / "big", 30, {5: 40}))
    customer = next(p for p in told.perspectives if p.perspective.id == "customer")
    assert customer.brief
    slides = [s for s in build_slides(told) if s.id == "perspective:customer"]
    names = [row.cells[0].strip() for s in slides for row in s.content.rows]
    assert "More affordable homes" in names and "KPI 5" in names
    assert len([n for n in names if n.startswith("KPI ")]) == len(customer.spotlight) - 1  # units is not "KPI n"
