"""KPI trend charts and the initiatives timeline: what a reader of the portal sees."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest

from generator.compute.results import (
    Audience,
    InitiativeResult,
    KpiResult,
    PeriodResult,
    Results,
    RollUp,
    Status,
)
from generator.model import Initiative, Kpi, Organization, Scorecard
from generator.periods import Frequency, Period
from generator.render.charts import (
    ChartCache,
    chart_block,
    initiatives_timeline,
    kpi_chart,
    kpi_chart_key,
    render_kpi_charts,
)
from generator.render.charts.kpi import kpi_chart_size, kpi_chart_text
from generator.render.numbers import axis_labels
from generator.render.style import style
from generator.render.text_metrics import text_width

SVG = "{http://www.w3.org/2000/svg}"


# -- building results by hand (compute is tested on its own) -------------------------


def _status(actual: float | None, goal: float, flag: float, higher: bool = True) -> Status:
    if actual is None:
        return Status.NO_DATA
    reaches = (lambda a, b: a >= b) if higher else (lambda a, b: a <= b)
    if reaches(actual, goal):
        return Status.ON_TRACK
    return Status.AT_RISK if reaches(actual, flag) else Status.OFF_TRACK


def kpi_result(
    values: list[float | None],
    *,
    name: str = "Customer satisfaction",
    unit: str = "%",
    direction: str = "higher",
    first: str = "2026-01",
    frequency: Frequency = Frequency.MONTHLY,
    goal: float = 85.0,
    flag: float = 76.5,
    kpi_id: str = "csat",
    stale: bool = False,
) -> KpiResult:
    """A higher/lower KPI with a flat goal and one history row per value."""
    kpi = Kpi(id=kpi_id, name=name, objective="delight", unit=unit, direction=direction,
              frequency=frequency, target={"period": first, "value": goal})
    start = Period.parse(first, frequency)
    rows = tuple(
        PeriodResult(start + i, v, goal, flag, None if v is None else 5.0,
                     _status(v, goal, flag, higher=direction == "higher"))
        for i, v in enumerate(values)
    )
    current = next((r for r in reversed(rows) if r.actual is not None), None)
    return KpiResult(kpi, current, stale, rows)


def range_result(values: list[float]) -> KpiResult:
    """A range KPI [30, 40] with an absolute tolerance of 5."""
    kpi = Kpi(id="temp", name="Cellar temperature", objective="delight", unit="°C", direction="range",
              frequency="quarterly", range=[30, 40], tolerance=5)
    start = Period.parse("2025-Q1")
    rows = []
    for i, v in enumerate(values):
        status = Status.ON_TRACK if 30 <= v <= 40 else Status.AT_RISK if 25 <= v <= 45 else Status.OFF_TRACK
        rows.append(PeriodResult(start + i, v, (30.0, 40.0), (25.0, 45.0), 5.0, status))
    return KpiResult(kpi, rows[-1], False, tuple(rows))


def sample_result() -> KpiResult:
    """The chart used for the byte-identity checks (also imported by a subprocess)."""
    return kpi_result([80.0, 82.5, None, 86.0, 79.0, 84.0])


def results_with(
    kpis: list[KpiResult], initiatives: tuple[InitiativeResult, ...] | list[InitiativeResult] = (),
    as_of: dt.date | None = None,
) -> Results:
    scorecard = Scorecard(organization=Organization(id="acme", name="Acme"), perspectives=(), themes=(),
                          objectives=(), kpis=tuple(k.kpi for k in kpis), initiatives=())
    return Results(scorecard, as_of or dt.date(2026, 6, 30), Audience.ALL, RollUp("acme", None, Status.NO_DATA),
                   kpis={k.id: k for k in kpis}, initiatives={i.id: i for i in initiatives})


def initiative(iid: str, name: str, **fields: object) -> InitiativeResult:
    late = bool(fields.pop("late", False))
    return InitiativeResult(Initiative(id=iid, name=name, objectives=["delight"], **fields), late, 0)


# -- reading the SVG ------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in parse(svg).iter(f"{SVG}text")]


def ids(svg: str) -> set[str]:
    return {e.get("id") for e in parse(svg).iter() if e.get("id")}


# -- the KPI chart ----------------------------------------------------------------------


def test_chart_is_inline_svg_with_title_and_desc_first():
    svg = kpi_chart(sample_result(), "kpi-chart-csat")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert [child.tag for child in root][:2] == [f"{SVG}title", f"{SVG}desc"]
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "kpi-chart-csat-title kpi-chart-csat-desc"
    assert root.get("viewBox") and "width: 100%" in root.get("style") and "height: auto" in root.get("style")
    assert not svg.startswith("<?xml") and "<!DOCTYPE" not in svg
    assert "\n\n" not in svg and all(line.strip() for line in svg.splitlines())


@pytest.mark.parametrize("case", ["sample", "stale", "empty", "timeline"])
def test_chart_is_a_standalone_svg_file(tmp_path, case):
    """A page may write the chart to a file and show it with <img>: it must stand on its own."""
    charts = {
        "sample": lambda: kpi_chart(sample_result(), "kpi-chart-csat"),
        "stale": lambda: kpi_chart(stale_result(), "kpi-chart-csat", dt.date(2026, 12, 31)),
        "empty": lambda: kpi_chart(KpiResult(kpi_result([]).kpi, None, False, ()), "kpi-chart-csat"),
        "timeline": lambda: initiatives_timeline(timeline_results(), "initiatives"),
    }
    path = tmp_path / "chart.svg"
    path.write_text(charts[case](), encoding="utf-8")
    root = ET.parse(path).getroot()  # a whole XML document, every prefix declared
    assert root.tag == f"{SVG}svg"
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert root.get("width") == f"{width:g}pt" and root.get("height") == f"{height:g}pt"  # a natural size
    assert [child.tag for child in root][:2] == [f"{SVG}title", f"{SVG}desc"]
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    text = path.read_text(encoding="utf-8")
    assert root.find(f"{SVG}defs/{SVG}style") is not None  # its own style, no page CSS needed
    every_id = {e.get("id") for e in root.iter() if e.get("id")}
    references = set(re.findall(r'(?:url\(#|href="#)([^")]+)', text))
    assert references <= every_id
    # Outside a page no CSS variable is set: each one read must fall back to a light-mode value.
    variables = re.findall(r"var\(--[^;\"]*\)+", text)
    assert variables and all(re.fullmatch(r"var\(--[\w-]+, .+\)", v) for v in variables)
    assert "#010203" not in text  # ink is currentColor: black when no page sets a colour


def test_title_and_desc_state_the_value_goal_and_status_for_humans():
    result = kpi_result([80.0, 84.0], goal=85.0, flag=76.5)
    root = parse(kpi_chart(result, "c"))
    title, desc = root.find(f"{SVG}title").text, root.find(f"{SVG}desc").text
    assert title == "Customer satisfaction: At risk"
    assert desc.startswith("Customer satisfaction: 84\u00a0% in 2026-02 against a goal of 85\u00a0%; at risk.")
    assert "1 on track" not in desc and "2 at risk" in desc


def test_stale_kpi_says_so_beside_its_status():
    result = dataclasses.replace(kpi_result([80.0, 84.0]), stale=True)
    svg = kpi_chart(result, "c")
    assert parse(svg).find(f"{SVG}title").text == "Customer satisfaction: At risk (stale)"
    assert "stale" in parse(svg).find(f"{SVG}desc").text
    assert "84\u00a0% (stale)" in texts(svg)


def test_period_labels_are_real_text_and_thinned_around_the_current_period():
    weekly = kpi_result([5.0 - i * 0.01 for i in range(40)], unit="min", direction="lower", goal=4.0, flag=5.0,
                        first="2026-W01", frequency=Frequency.WEEKLY)
    shown = [t for t in texts(kpi_chart(weekly, "w")) if re.fullmatch(r"\d{4}-W\d{2}", t)]
    assert "2026-W40" in shown  # the current period is always labelled
    assert 3 <= len(shown) < 40
    monthly = texts(kpi_chart(sample_result(), "m"))
    assert {"2026-01", "2026-06"} <= set(monthly)


def test_current_period_label_is_bold_and_value_written_beside_it():
    svg = kpi_chart(sample_result(), "c")
    assert re.search(r'<text style="font-weight: 700;[^>]*>2026-06</text>', svg)
    assert "84\u00a0%" in texts(svg)


def test_two_charts_on_one_page_share_no_id_and_every_reference_resolves():
    first = kpi_chart(sample_result(), "kpi-chart-a")
    second = kpi_chart(sample_result(), "kpi-chart-b")
    assert ids(first) and not ids(first) & ids(second)
    for chart_id, svg in (("kpi-chart-a", first), ("kpi-chart-b", second)):
        assert all(i == chart_id or i.startswith(f"{chart_id}-") for i in ids(svg))
        references = set(re.findall(r'(?:url\(#|href="#)([^")]+)', svg))
        assert references and references <= ids(svg)


def test_style_rule_is_scoped_to_the_chart():
    svg = kpi_chart(sample_result(), "kpi-chart-a")
    style_text = parse(svg).find(f"{SVG}defs/{SVG}style").text
    assert "*{" not in style_text.replace("#kpi-chart-a *{", "")


def test_same_input_gives_identical_bytes_even_after_other_charts():
    before = kpi_chart(sample_result(), "kpi-chart-csat")
    kpi_chart(range_result([31.0, 47.0]), "other")
    initiatives_timeline(results_with([]), "timeline")
    assert kpi_chart(sample_result(), "kpi-chart-csat") == before


def test_same_input_gives_identical_bytes_in_another_process():
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from test_charts import sample_result;"
        "from generator.render.charts import kpi_chart;"
        "sys.stdout.write(kpi_chart(sample_result(), 'kpi-chart-csat'))"
    )
    here = str(Path(__file__).parent)
    other = subprocess.run([sys.executable, "-c", script, here], capture_output=True, text=True, check=True,
                           cwd=Path(__file__).parent.parent).stdout
    kpi_chart(range_result([35.0]), "warm-up")  # this process has drawn other charts first
    assert other == kpi_chart(sample_result(), "kpi-chart-csat")


def test_ink_follows_the_page_colour_in_light_and_dark_mode():
    svg = kpi_chart(sample_result(), "c")
    assert "fill: currentColor" in svg and "stroke: currentColor" in svg
    assert "#000000" not in svg and "#010203" not in svg
    text_fills = {re.search(r"fill: ([^;\"]+)", t).group(1) for t in re.findall(r"<text [^>]*>", svg)}
    assert text_fills == {"currentColor"}
    assert "fill: #ffffff" not in svg.split("<g id=\"c-axes_1\"")[0]  # no opaque white background


def test_markers_use_status_colours():
    svg = kpi_chart(kpi_result([90.0, 80.0, 60.0]), "c")  # on track, at risk, off track
    for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        assert style(status).stroke in svg
        assert style(status).label in texts(svg)  # the key names every status shown


def test_empty_actual_leaves_a_gap_in_the_line():
    svg = kpi_chart(kpi_result([80.0, 81.0, None, 83.0, 84.0]), "c")
    actual_line = re.search(r'<path d="([^"]*)"[^>]*stroke: currentColor; stroke-width: 1\.6', svg).group(1)
    assert actual_line.count("M") == 2


def test_range_kpi_shows_green_range_and_amber_tolerance():
    svg = kpi_chart(range_result([31.0, 42.0, 47.0, 35.0]), "r")
    desc = parse(svg).find(f"{SVG}desc").text
    assert "35\u00a0°C in 2025-Q4 against a goal range of 30 to 40\u00a0°C; on track" in desc
    assert {"Goal range", "Tolerance"} <= set(texts(svg))
    assert style(Status.ON_TRACK).stroke in svg and style(Status.AT_RISK).stroke in svg


def test_lower_is_better_kpi_renders_with_its_status():
    result = kpi_result([6.0, 5.2, 4.5], unit="min", direction="lower", goal=4.0, flag=5.0)
    svg = kpi_chart(result, "l")
    assert parse(svg).find(f"{SVG}title").text.endswith("At risk")
    assert "min" in texts(svg)


def test_single_period_renders():
    svg = kpi_chart(kpi_result([84.0]), "one")
    assert "2026-01" in texts(svg)


def test_kpi_without_data_gets_a_clear_empty_state():
    nothing = KpiResult(kpi_result([]).kpi, None, False, ())
    svg = kpi_chart(nothing, "empty")
    assert "No data yet" in texts(svg)
    assert parse(svg).find(f"{SVG}desc").text == "Customer satisfaction: no data yet."
    only_empty_rows = kpi_result([None, None])
    assert "No data yet" in texts(kpi_chart(only_empty_rows, "rows"))


def test_hostile_name_and_unit_are_escaped_and_not_mathtext():
    result = kpi_result([80.0, 90.0], name="<script>alert(1)</script>", unit="$x$ & <b>")
    svg = kpi_chart(result, "evil")
    assert "<script" not in svg and "<b>" not in svg
    parse(svg)  # still well-formed
    assert "$x$ & <b>" in texts(svg)  # the axis title, written as typed
    assert "90\u00a0$x$\u00a0&\u00a0<b>" in texts(svg)
    assert parse(svg).find(f"{SVG}title").text == "<script>alert(1)</script>: On track"


def test_text_that_looks_like_markup_is_left_alone():
    result = kpi_result([80.0, 90.0], name='id="x" #010203 url(#y)')
    assert parse(kpi_chart(result, "c")).find(f"{SVG}desc").text.startswith('id="x" #010203 url(#y):')


def test_chart_survives_markdown_untouched():
    markdown = pytest.importorskip("markdown")
    svg = kpi_chart(kpi_result([80.0, 90.0], name="net_promoter_score *beta*", unit="m_s"), "c")
    html = markdown.markdown(f"Intro.\n{chart_block(svg)}After.", extensions=["md_in_html", "attr_list"])
    assert svg.strip() in html
    assert "<em>" not in html


def test_invalid_chart_id_is_refused():
    with pytest.raises(ValueError, match="chart id"):
        kpi_chart(sample_result(), "1 bad id")


def test_axis_labels_write_numbers_as_the_pages_do():
    assert axis_labels([87.5, 90.0, 92.5], "") == ["87.5", "90", "92.5"]
    assert axis_labels([1_000_000.0, 2_000_000.0], "EUR") == ["1,000,000", "2,000,000"]
    assert axis_labels([-0.0, 50.0], "%") == ["0 %", "50 %"]
    # The page would round 1,000.25 to 1,000.3; a tick keeps the decimals it needs to sit where it is.
    assert axis_labels([1000.0, 1000.25, 1000.5], "") == ["1,000", "1,000.25", "1,000.5"]


def test_percent_axis_reads_like_the_page():
    svg = kpi_chart(kpi_result([70.0, 75.0, 80.0, 85.0, 90.0]), "c")  # the page writes "80 %"
    ticks = [t for t in texts(svg) if re.fullmatch(r"[\d.,]+ ?%", t)]
    assert "80 %" in ticks and len(ticks) >= 4
    assert all(t.endswith(" %") and not re.search(r"\.0 %$", t) for t in ticks), ticks


# -- the value label and the stale gap: where they land in the SVG ---------------------------


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in SVG units (y grows downwards)


def text_box(element: ET.Element) -> Box:
    """Where a horizontal <text> is drawn, measured with the font the chart asks for."""
    style_text = element.get("style")
    size = float(re.search(r"font-size: ([\d.]+)px", style_text).group(1))
    width = text_width("".join(element.itertext()), size, bold="font-weight: 700" in style_text)
    anchor = re.search(r"text-anchor: (\w+)", style_text).group(1)
    x, y = float(element.get("x")), float(element.get("y"))
    x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (x0, y - 0.8 * size, x0 + width, y + 0.25 * size)  # cap height above the baseline, descenders below


def label_element(root: ET.Element, group_id: str) -> ET.Element:
    (element,) = root.find(f".//{SVG}g[@id='{group_id}']").iter(f"{SVG}text")
    return element


def label_box(svg: str, group_id: str) -> Box:
    return text_box(label_element(parse(svg), group_id))


def marker_boxes(svg: str) -> list[Box]:
    """Every status marker (white-edged) and the ring round the current one."""
    boxes = []
    for use in re.findall(r"<use [^>]*>", svg):
        radius = 7.2 if "stroke-width: 1.4" in use else 4.2 if "stroke: #ffffff" in use else None
        if radius:
            x, y = (float(v) for v in re.search(r'x="([^"]+)" y="([^"]+)"', use).groups())
            boxes.append((x - radius, y - radius, x + radius, y + radius))
    return boxes


def drawn_lines(svg: str) -> list[list[tuple[float, float]]]:
    """The actual line (1.6 wide) and the goal (dashed), as polylines."""
    lines = []
    for d, style_text in re.findall(r'<path d="([^"]*)"[^>]*style="([^"]*)"', svg):
        if "stroke-width: 1.6" in style_text or "stroke-dasharray" in style_text:
            for part in d.split("M")[1:]:
                numbers = [float(n) for n in re.findall(r"-?[\d.]+", part)]
                lines.append(list(zip(numbers[::2], numbers[1::2], strict=True)))
    return lines


def meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def crosses(box: Box, line: list[tuple[float, float]]) -> bool:
    """Whether a polyline passes through the box (checked every 0.25 units along it)."""
    for (x0, y0), (x1, y1) in pairwise(line):
        steps = max(1, int(max(abs(x1 - x0), abs(y1 - y0)) * 4))
        for k in range(steps + 1):
            x, y = x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps
            if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                return True
    return False


def covered_by_label(svg: str, group_id: str) -> list[str]:
    """What the label hides: markers, lines, other horizontal text (tick labels, the key)."""
    root = parse(svg)
    label = label_element(root, group_id)
    box = text_box(label)
    hidden = [f"marker at {m}" for m in marker_boxes(svg) if meets(box, m)]
    hidden += ["a line" for line in drawn_lines(svg) if crosses(box, line)]
    horizontal = [e for e in root.iter(f"{SVG}text") if "rotate(-0 " in e.get("transform", "") and e is not label]
    hidden += [f"text {''.join(e.itertext())!r}" for e in horizontal if meets(box, text_box(e))]
    return hidden


LABEL_CASES = {
    # Rising into the top-right corner, the way revenue and NPS do: the old label sat on the previous point.
    "rising": kpi_result([70.0, 72.0, 75.0, 78.0, 80.0, 83.0, 85.5, 87.5]),
    "falling-lower-is-better": kpi_result([6.0, 5.6, 5.1, 4.8, 4.4, 4.1], unit="hours", direction="lower",
                                          goal=4.5, flag=5.5),
    "dense-weekly": kpi_result([5.0 - i * 0.03 + (0.3 if i % 2 else -0.3) for i in range(40)], unit="hours",
                               direction="lower", goal=4.5, flag=5.0, first="2026-W01",
                               frequency=Frequency.WEEKLY),
    "range": range_result([33.0, 36.0, 38.0, 39.5, 41.0, 43.5]),
    # Every spot beside the point is taken: the chart makes room above the data.
    "crowded": kpi_result([60.0 if i % 2 else 90.0 for i in range(31)], goal=85.0, flag=70.0),
    "sample": sample_result(),
}


@pytest.mark.parametrize("case", sorted(LABEL_CASES))
def test_value_label_hides_no_point_line_or_text(case):
    svg = kpi_chart(LABEL_CASES[case], "c")
    assert covered_by_label(svg, "c-value-label") == []


@pytest.mark.parametrize("case", sorted(LABEL_CASES))
def test_value_label_stays_inside_the_chart(case):
    svg = kpi_chart(LABEL_CASES[case], "c")
    _, _, width, height = (float(v) for v in parse(svg).get("viewBox").split())
    x0, y0, x1, y1 = label_box(svg, "c-value-label")
    assert 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height


def stale_result() -> KpiResult:
    """Monthly values January to June, then nothing: stale at the end of 2026."""
    return kpi_result([80.0, 82.5, 81.0, 86.0, 79.0, 84.0], stale=True)


def test_stale_chart_runs_on_to_the_as_of_period_and_marks_the_gap():
    svg = kpi_chart(stale_result(), "c", dt.date(2026, 12, 31))
    words = texts(svg)
    assert "2026-12" in words  # the axis reaches the as-of period
    assert "No data since 2026-06" in words
    assert "<pattern" in svg  # the gap is hatched
    assert covered_by_label(svg, "c-value-label") == []
    assert not meets(label_box(svg, "c-value-label"), label_box(svg, "c-gap-label"))


def test_fresh_chart_ignores_the_as_of_date():
    fresh = kpi_result([80.0, 82.5, 81.0, 86.0, 79.0, 84.0])
    assert kpi_chart(fresh, "c", dt.date(2026, 7, 31)) == kpi_chart(fresh, "c")
    assert not any(t.startswith("No data since") for t in texts(kpi_chart(fresh, "c")))


def test_stale_gap_follows_the_as_of_date_through_the_cache(tmp_path):
    december = results_with([stale_result()], as_of=dt.date(2026, 12, 31))
    february = results_with([stale_result()], as_of=dt.date(2027, 2, 28))
    cache = ChartCache(tmp_path)
    assert "2026-12" in texts(render_kpi_charts(december, cache)["csat"])
    cache.save()
    assert "2027-02" in texts(render_kpi_charts(february, ChartCache(tmp_path))["csat"])
    assert kpi_chart_key(stale_result(), "c", december.as_of) != kpi_chart_key(stale_result(), "c", february.as_of)


# -- the timeline ---------------------------------------------------------------------------


def timeline_results() -> Results:
    return results_with([], [
        initiative("barista", "Barista training", start="2026-01-05", end="2026-06-30", progress=40,
                   status="on-track", milestones=[{"name": "Curriculum", "due": "2026-02-01", "done": True},
                                                  {"name": "Pilot", "due": "2026-08-01", "done": False}]),
        initiative("pos", "New tills <v2>", start="2025-11-01", end="2026-05-31", progress=70, status="at-risk",
                   late=True),
        initiative("undated", "Someday", status="not-started"),
    ])


def test_timeline_shows_each_initiative_with_status_words_and_as_of_line():
    svg = initiatives_timeline(timeline_results(), "initiatives")
    words = texts(svg)
    assert {"Barista training", "New tills <v2>", "Someday"} <= set(words)
    assert "On track · 40 %" in words and "At risk · 70 % · late" in words and "Not started" in words
    assert "As of 2026-06-30" in " ".join(words)
    desc = parse(svg).find(f"{SVG}desc").text
    assert desc.startswith("3 initiatives as of 2026-06-30: 1 not started, 1 on track, 1 at risk.")
    assert "1 late: New tills <v2>." in desc
    assert all(i == "initiatives" or i.startswith("initiatives-") for i in ids(svg))


def test_timeline_milestones_are_filled_only_when_done():
    svg = initiatives_timeline(timeline_results(), "t")
    found = re.findall(r'<g id="t-milestone-1-(\d)-(done|open)">.*?<use [^>]*style="([^"]*)"', svg, flags=re.S)
    assert [(n, state) for n, state, _ in found] == [("1", "done"), ("2", "open")]
    (_, _, done_style), (_, _, open_style) = found
    assert "fill: currentColor" in done_style
    assert "fill: none" in open_style or "fill-opacity: 0" in open_style


def test_timeline_without_initiatives_says_so():
    svg = initiatives_timeline(results_with([]), "t")
    assert "No initiatives yet" in texts(svg)
    assert parse(svg).find(f"{SVG}desc").text == "No initiatives yet."


# -- all KPI charts, through the cache ---------------------------------------------------------


def test_render_kpi_charts_keeps_kpi_order_and_reuses_the_cache(tmp_path):
    results = results_with([sample_result(), range_result([35.0])])
    cache = ChartCache(tmp_path)
    charts = render_kpi_charts(results, cache)
    assert list(charts) == ["csat", "temp"]
    assert 'id="kpi-chart-csat"' in charts["csat"]
    cache.save()
    again = ChartCache(tmp_path)
    assert render_kpi_charts(results, again) == charts
    assert (again.hits, again.misses) == (2, 0)
    assert render_kpi_charts(results, None) == charts


def test_charts_drawn_in_worker_processes_are_the_same_bytes(tmp_path):
    """A cold build of many KPIs draws in parallel; what it draws must not depend on where."""
    from generator.compute import compute
    from generator.load import load

    results = compute(load(Path(__file__).resolve().parents[1] / "scorecard").scorecard)
    here = render_kpi_charts(results, None, workers=1)
    cache = ChartCache(tmp_path)
    assert render_kpi_charts(results, cache, workers=2) == here
    assert (cache.hits, cache.misses) == (0, len(here)), "what the workers drew came back to this process"
    cache.save()
    again = ChartCache(tmp_path)
    assert render_kpi_charts(results, again, workers=2) == here and (again.hits, again.misses) == (len(here), 0)
    assert len(here) == len(results.kpis) > 1


def test_charts_drawn_while_another_thread_runs_are_the_same_bytes():
    """Under ``serve`` (a watcher and a web server run) nothing is forked: drawn in this process, same charts."""
    import threading

    from generator.compute import compute
    from generator.load import load

    results = compute(load(Path(__file__).resolve().parents[1] / "scorecard").scorecard)
    here = render_kpi_charts(results, None, workers=1)
    stop = threading.Event()
    serving = threading.Thread(target=stop.wait)
    serving.start()
    try:
        assert render_kpi_charts(results, None, workers=2) == here
    finally:
        stop.set()
        serving.join()


@pytest.mark.parametrize(
    "result",
    [
        kpi_result([80.0, 84.0], name='The "best" <team> & co'),
        dataclasses.replace(kpi_result([80.0, 84.0]), stale=True),
        kpi_result([]),
    ],
    ids=["quotes", "stale", "empty"],
)
def test_chart_text_and_size_known_without_drawing_are_the_drawn_charts(result):
    """A page shows a chart as an <img> whose alt text and size come from the results, not the SVG."""
    svg = kpi_chart(result, "kpi-chart-csat", dt.date(2026, 12, 31))
    root = parse(svg)
    spoken = [" ".join(root.find(f"{SVG}{tag}").text.split()) for tag in ("title", "desc")]
    assert kpi_chart_text(result, dt.date(2026, 12, 31)) == " ".join(spoken)
    assert kpi_chart_size(result) == pytest.approx([float(v) for v in root.get("viewBox").split()[2:]])


def test_chart_key_follows_what_is_drawn():
    base = sample_result()
    assert kpi_chart_key(base, "c") == kpi_chart_key(sample_result(), "c")
    renamed = dataclasses.replace(base, kpi=base.kpi.model_copy(update={"unit": "pts"}))
    new_owner = dataclasses.replace(base, kpi=base.kpi.model_copy(update={"owner": "Someone else"}))
    new_value = kpi_result([80.0, 82.5, None, 86.0, 79.0, 84.5])
    assert kpi_chart_key(renamed, "c") != kpi_chart_key(base, "c")
    assert kpi_chart_key(new_value, "c") != kpi_chart_key(base, "c")
    assert kpi_chart_key(base, "other") != kpi_chart_key(base, "c")
    assert kpi_chart_key(new_owner, "c") == kpi_chart_key(base, "c")  # not drawn, no re-render


# -- the forecast on a KPI chart ---------------------------------------------------------------


def _sample_forecast():
    from generator.compute import compute
    from generator.compute.results import Audience
    from generator.load import load

    results = compute(load(Path(__file__).resolve().parents[1] / "scorecard").scorecard, audience=Audience.ALL)
    kpi_id = next(k for k in results.forecasts if not results.kpis[k].stale)
    return results, kpi_id


def test_forecast_is_drawn_after_the_last_actual_and_said_in_the_description() -> None:
    from generator.render.charts.batch import kpi_chart_key
    from generator.render.charts.kpi import FORECAST_COLOUR

    results, kpi_id = _sample_forecast()
    result, forecast = results.kpis[kpi_id], results.forecasts[kpi_id]
    plain = kpi_chart(result, "c", results.as_of)
    drawn = kpi_chart(result, "c", results.as_of, forecast)
    assert FORECAST_COLOUR not in plain and "Forecast" not in plain
    assert FORECAST_COLOUR in drawn and "Forecast (80 % interval)" in drawn
    desc = ET.fromstring(drawn).find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None and f"Forecast for {forecast.period}:" in (desc.text or "")
    assert "likely to meet the target" in (desc.text or "")
    # The cache key holds the forecast: a new forecast re-draws the chart.
    key = kpi_chart_key(result, "c", results.as_of, forecast)
    assert key != kpi_chart_key(result, "c", results.as_of)
    moved = dataclasses.replace(forecast, p_hit=1 - forecast.p_hit)
    assert kpi_chart_key(result, "c", results.as_of, moved) != key


def test_every_chart_with_a_forecast_draws_it_and_no_other_does() -> None:
    from generator.render.charts import render_kpi_charts
    from generator.render.charts.kpi import FORECAST_COLOUR

    results, _ = _sample_forecast()
    charts = render_kpi_charts(results, None, workers=1)
    for kpi_id, svg in charts.items():
        assert (FORECAST_COLOUR in svg) == (kpi_id in results.forecasts), kpi_id


def test_the_timeline_comes_from_the_cache_until_the_initiatives_or_the_date_change(tmp_path):
    import datetime as dt

    from generator.compute import compute
    from generator.load import load
    from generator.render.charts import cached_timeline

    card = load(Path(__file__).resolve().parents[1] / "scorecard").scorecard
    results = compute(card)
    first = ChartCache(tmp_path)
    drawn = cached_timeline(results, "timeline", first)
    first.save()
    again = ChartCache(tmp_path)
    assert cached_timeline(results, "timeline", again) == drawn and (again.hits, again.misses) == (1, 0)
    earlier = ChartCache(tmp_path)
    before = cached_timeline(compute(card, as_of=dt.date(2026, 3, 31)), "timeline", earlier)
    assert earlier.misses == 1 and before != drawn, "another as-of date draws another timeline"
