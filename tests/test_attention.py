"""Compute's rules of what needs attention (generator/compute/attention.py), each in one place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.compute import compute
from generator.compute.attention import GROUPS, initiative_late, milestone_overdue
from generator.compute.results import Audience
from generator.load import load
from generator.model import Initiative, InitiativeStatus, Milestone

HOSTILE = Path(__file__).parent / "fixtures" / "render" / "hostile"


def test_overdue_and_late_are_on_or_before_the_as_of_date_and_not_done() -> None:
    day = dt.date(2026, 3, 31)
    assert milestone_overdue(Milestone(name="m", due=day), day)
    assert not milestone_overdue(Milestone(name="m", due=day, done=True), day)
    assert not milestone_overdue(Milestone(name="m", due=day + dt.timedelta(days=1)), day)
    assert not milestone_overdue(Milestone(name="m", due=day), None)  # no data anywhere: nothing overdue
    late = Initiative(id="x", name="X", objectives=["o"], end=day, status=InitiativeStatus.ON_TRACK)
    assert initiative_late(late, day) and not initiative_late(late, day - dt.timedelta(days=1))
    assert not initiative_late(late.model_copy(update={"status": InitiativeStatus.DONE}), day)


def test_results_carry_attention_trend_and_overdue_flags() -> None:
    results = compute(load(HOSTILE).scorecard, audience=Audience.ALL)
    attention = results.attention
    assert attention is not None and tuple(attention.groups) == GROUPS
    assert [r.item for r in attention.groups["off-track"]] == ["csat", "revenue"]  # worst first
    # The pressing list names each thing once (csat is off track and stale), an off-track objective first.
    assert attention.pressing[0].group == "objectives"
    kpis = [r.item for r in attention.pressing if r.group in ("off-track", "at-risk", "stale", "no-data")]
    assert attention.groups["stale"][0].item == "csat" and kpis.count("csat") == 1
    assert results.kpis["revenue"].trend is not None and results.kpis["revenue"].trend.verdict == "worse"
    crm = results.initiatives["crm"]
    # Written order; the page sorts by due date.
    assert crm.overdue == (True, False) and crm.overdue_milestones == 1 and crm.late
