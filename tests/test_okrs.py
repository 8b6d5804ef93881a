"""Quarterly OKRs from the scorecard (``compute.okrs``): key results, grades and ``okrs.csv``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from planted import kpi, rows, scorecard

from generator.compute import compute
from generator.compute.export import scorecard_json
from generator.compute.okrs import CSV_COLUMNS, coming_quarter, grade, last_quarter, okrs_csv
from generator.compute.results import Audience
from generator.model import Direction

# -- an independent reading of spec section 4 ------------------------------------------------


def _last_day(written: str) -> dt.date:
    """The last day of a period written in any form (2026, 2026-Q3, 2026-07, 2026-W05)."""
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", written):
        return dt.date.fromisocalendar(int(m[1]), int(m[2]), 7)
    if m := re.fullmatch(r"(\d{4})-Q(\d)", written):
        year, month = int(m[1]), int(m[2]) * 3
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", written):
        year, month = int(m[1]), int(m[2])
    else:
        year, month = int(written), 12
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _count(day: dt.date, frequency: str) -> int:
    """The number of the frequency's period holding ``day`` on one running count."""
    if frequency == "weekly":
        return (day - dt.timedelta(days=day.weekday())).toordinal() // 7
    if frequency == "monthly":
        return day.year * 12 + day.month
    if frequency == "quarterly":
        return day.year * 4 + (day.month - 1) // 3
    return day.year


def spec_goal(definition: dict, day: dt.date) -> float | list[float]:
    """G(p) for the KPI period holding ``day``, straight from spec section 4 and 8.4."""
    if definition.get("range"):
        return [float(v) for v in definition["range"]]
    frequency = definition["frequency"]
    p = _count(day, frequency)

    def at(point: dict) -> int:
        return _count(_last_day(str(point["period"])), frequency)

    targets = sorted((at(t), t["value"]) for t in definition.get("targets", []))
    for period, value in targets:
        if period == p:
            return value
    target, baseline = definition.get("target"), definition.get("baseline")
    if target is None:
        before = [value for period, value in targets if period <= p]
        return before[-1] if before else targets[0][1]
    if baseline is None:
        return target["value"]
    pb, b, pt, t = at(baseline), baseline["value"], at(target), target["value"]
    if p >= pt:
        return t
    if p <= pb:
        return b
    return b + (t - b) * (p - pb) / (pt - pb)


# -- the scorecard ---------------------------------------------------------------------------------

DEFINITIONS = {
    "csat": {"frequency": "monthly", "baseline": {"period": "2025-12", "value": 80},
             "target": {"period": "2026", "value": 90}, "targets": [{"period": "2026-06", "value": 85}]},
    "waits": {"frequency": "weekly", "direction": "lower", "baseline": {"period": "2026-W01", "value": 9},
              "target": {"period": "2026-12", "value": 4}},
    "margin": {"frequency": "quarterly", "target": None,
               "targets": [{"period": "2026-Q2", "value": 60}, {"period": "2027-03", "value": 64}]},
    "revenue": {"frequency": "yearly", "baseline": {"period": "2024", "value": 100},
                "target": {"period": "2028", "value": 180}},
    "temp": {"frequency": "monthly", "direction": "range", "range": [60, 65], "target": None},
    "hires": {"frequency": "monthly", "target": {"period": "2027-06", "value": 12}},
}
OBJECTIVE_OF = {"csat": "delight", "waits": "serve", "temp": "serve", "margin": "profit", "revenue": "profit",
                "hires": "grow-team"}


def _weekly(count: int, first: str, start: float, step: float) -> list[float]:
    return [start + step * i for i in range(count)]


def okr_card(restricted: tuple[str, ...] = ()):
    kpis = [kpi(kid, OBJECTIVE_OF[kid], owner=f"{kid} owner",
                **{**d, **({"visibility": "restricted"} if kid in restricted else {})})
            for kid, d in DEFINITIONS.items()]
    actuals = {
        "csat": rows("csat", [80 + 0.5 * i for i in range(9)], "2026-01"),  # 2026-01 .. 2026-09
        "waits": rows("waits", _weekly(39, "2026-W01", 9.0, -0.1), "2026-W01"),  # .. 2026-W39
        "margin": rows("margin", [58, 59, 61], "2026-Q1"),
        "revenue": rows("revenue", [100, 120], "2024"),
        "temp": rows("temp", [61, 66, 63, 64, 62, 60, 59, 63, 64], "2026-01"),
        "hires": rows("hires", [1, 2, 3], "2026-01"),
    }
    return scorecard([("profit", []), ("delight", ["profit"]), ("serve", ["delight"]), ("grow-team", []),
                      ("empty", [])], kpis, actuals)


AS_OF = dt.date(2026, 9, 30)


def test_quarters_around_the_as_of_date() -> None:
    assert (str(coming_quarter(AS_OF)), str(last_quarter(AS_OF))) == ("2026-Q4", "2026-Q3")
    mid = dt.date(2026, 11, 30)  # in a quarter: the rest of it is to be won; grade the last one that ended
    assert (str(coming_quarter(mid)), str(last_quarter(mid))) == ("2026-Q4", "2026-Q3")
    assert str(coming_quarter(dt.date(2026, 12, 31))) == "2027-Q1"
    assert str(last_quarter(dt.date(2027, 1, 1))) == "2026-Q4"


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2026, 6, 30), dt.date(2026, 8, 31)])
def test_key_results_aim_at_the_section_4_goal_of_the_quarters_last_day(as_of: dt.date) -> None:
    results = compute(okr_card(), as_of=as_of)
    quarter_end = coming_quarter(as_of).end
    seen = 0
    for okr in results.okrs.coming.objectives:
        for kr in okr.key_results:
            expected = spec_goal(DEFINITIONS[kr.kpi.id], quarter_end)
            got = list(kr.goal) if isinstance(kr.goal, tuple) else kr.goal
            assert got == pytest.approx(expected), kr.kpi.id
            current = results.kpis[kr.kpi.id].current
            assert kr.start == (current.actual if current else None)  # from the current actual
            seen += 1
    assert seen == len(DEFINITIONS)


def test_okrs_follow_the_objectives_with_kpis() -> None:
    coming = compute(okr_card(), as_of=AS_OF).okrs.coming
    assert str(coming.quarter) == "2026-Q4" and not coming.graded
    assert [o.objective.id for o in coming.objectives] == ["profit", "delight", "serve", "grow-team"]  # not "empty"
    serve = coming.objectives[2]
    assert [kr.kpi.id for kr in serve.key_results] == ["waits", "temp"]
    assert serve.key_results[1].goal == (60, 65)  # a range: stay within


def test_grades_run_from_start_to_goal_and_are_clipped() -> None:
    assert grade(Direction.HIGHER, 100, 120, 110) == 0.5
    assert grade(Direction.HIGHER, 100, 120, 130) == 1.0  # beyond the goal: clipped
    assert grade(Direction.HIGHER, 100, 120, 90) == 0.0  # went backwards: clipped
    assert grade(Direction.LOWER, 10, 6, 7) == 0.75
    assert grade(Direction.LOWER, 10, 6, 12) == 0.0
    assert grade(Direction.HIGHER, 130, 120, 125) == 1.0  # started past the goal and stayed there
    assert grade(Direction.HIGHER, 130, 120, 115) == 0.0  # started past the goal and slipped back
    assert grade(Direction.RANGE, 70, (60, 65), 63) == 1.0 and grade(Direction.RANGE, 62, (60, 65), 66) == 0.0
    assert grade(Direction.HIGHER, None, 120, 110) is None


def test_last_quarter_is_graded() -> None:
    last = compute(okr_card(), as_of=AS_OF).okrs.last
    assert str(last.quarter) == "2026-Q3" and last.graded
    krs = {kr.kpi.id: kr for o in last.objectives for kr in o.key_results}
    csat = krs["csat"]  # 83.0 at 2026-06 to 87.5 (G of 2026-09), reached 84.0
    assert (csat.start, csat.end, str(csat.start_period), str(csat.end_period)) == (82.5, 84.0, "2026-06", "2026-09")
    assert csat.goal == pytest.approx(87.5)
    assert csat.grade == pytest.approx((84.0 - 82.5) / (87.5 - 82.5))
    assert krs["revenue"].grade is None  # a yearly KPI has no new actual mid-year
    assert krs["temp"].grade == 1.0  # 63 at 2026-09 is within [60, 65]
    for kr in krs.values():
        assert kr.grade is None or 0.0 <= kr.grade <= 1.0
    delight = next(o for o in last.objectives if o.objective.id == "delight")
    assert delight.grade == pytest.approx(csat.grade)


def test_restricted_kpis_never_enter_the_all_staff_okrs() -> None:
    card = okr_card(restricted=("hires", "waits"))
    staff = compute(card, as_of=AS_OF)
    for quarter in (staff.okrs.coming, staff.okrs.last):
        ids = {kr.kpi.id for o in quarter.objectives for kr in o.key_results}
        assert not ids & {"hires", "waits"}
        assert "grow-team" not in [o.objective.id for o in quarter.objectives]  # its only KPI is restricted
    text = str(scorecard_json(staff)["okrs"]) + okrs_csv(staff.okrs.coming)
    assert "hires" not in text and "waits" not in text
    full = compute(card, as_of=AS_OF, audience=Audience.RESTRICTED)
    assert "hires" in okrs_csv(full.okrs.coming)


def test_okrs_in_scorecard_json() -> None:
    data = scorecard_json(compute(okr_card(), as_of=AS_OF))["okrs"]
    assert data["quarter"] == "2026-Q4" and data["last_quarter"]["quarter"] == "2026-Q3"
    delight = next(o for o in data["objectives"] if o["id"] == "delight")
    assert (delight["name"], delight["owner"]) == ("Objective delight", "Owner of delight")
    (csat,) = delight["key_results"]
    assert csat["kpi"] == "csat" and csat["owner"] == "csat owner" and csat["kind"] == "at-least"
    assert (csat["from"], csat["to"], csat["to_period"]) == (84.0, 90.0, "2026-12")
    temp = next(kr for o in data["objectives"] for kr in o["key_results"] if kr["kpi"] == "temp")
    assert temp["to"] == [60.0, 65.0] and temp["kind"] == "within"
    graded = next(o for o in data["last_quarter"]["objectives"] if o["id"] == "delight")
    assert graded["grade"] == pytest.approx(0.3) and graded["key_results"][0]["actual"] == 84.0


def test_okrs_csv_reads_back() -> None:
    results = compute(okr_card(), as_of=AS_OF)
    table = list(csv.DictReader(io.StringIO(okrs_csv(results.okrs.coming))))
    assert tuple(table[0]) == CSV_COLUMNS and len(table) == len(DEFINITIONS)
    csat = next(row for row in table if row["key_result_id"] == "csat")
    assert (csat["quarter"], csat["objective_id"], csat["objective_owner"]) == (
        "2026-Q4", "delight", "Owner of delight")
    assert (csat["kind"], csat["start_value"], csat["target_value"], csat["grade"]) == ("at-least", "84", "90", "")
    temp = next(row for row in table if row["key_result_id"] == "temp")
    assert (temp["target_value"], temp["target_low"], temp["target_high"]) == ("", "60", "65")
    graded = list(csv.DictReader(io.StringIO(okrs_csv(results.okrs.last))))
    csat = next(row for row in graded if row["key_result_id"] == "csat")
    assert (csat["current_value"], float(csat["grade"])) == ("84", pytest.approx(0.3))


def test_no_as_of_date_no_okrs() -> None:
    card = okr_card()
    empty = scorecard([("x", [])], [kpi("k", "x")], {"k": rows("k", [None])})
    assert compute(empty).okrs is None and scorecard_json(compute(empty))["okrs"] is None
    assert compute(card).okrs is not None
