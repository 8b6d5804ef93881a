"""Page models and the escaping helpers: what each page shows, in the order a reader expects."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from pathlib import Path

import markdown
import pytest

from generator.compute import compute
from generator.compute.results import Audience, Results, Status
from generator.load import load
from generator.model import InitiativeStatus
from generator.render import pages as pg
from generator.render import render
from generator.render.markdown import (
    dir_url,
    initiative_badge,
    md_escape,
    md_link,
    status_badge,
    status_cell,
    user_markdown,
)

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "fixtures" / "render" / "hostile"
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc"]
PATHS = pg.Paths()


def html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.fixture(scope="module")
def results() -> Results:
    return compute(load(HOSTILE).scorecard, audience=Audience.ALL)


# -- escaping -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('"><img src=x onerror=alert(1)>', '<p>"&gt;&lt;img src=x onerror=alert(1)&gt;</p>'),
        ("{{ 7*7 }}", "<p>{{ 7*7 }}</p>"),
        ("*bold* _it_ `code`", "<p>*bold* _it_ `code`</p>"),
        ("[link](javascript:alert(1))", "<p>[link](javascript:alert(1))</p>"),
        ("# not a heading", "<p># not a heading</p>"),
        ("1. not a list", "<p>1. not a list</p>"),
        ("AT&T", "<p>AT&amp;T</p>"),
        ("Zoë 学习 ✓", "<p>Zoë 学习 ✓</p>"),
        ("two\nlines", "<p>two lines</p>"),
        ('x {: onclick="alert(1)" }', '<p>x {: onclick="alert(1)" }</p>'),
    ],
)
def test_md_escape_shows_text_literally(text: str, shown: str) -> None:
    assert html(md_escape(text)) == shown


def test_md_escape_keeps_a_table_cell_whole() -> None:
    table = f"| a | b |\n|---|---|\n| {md_escape('x | y')} | z |\n"
    assert "<td>x | y</td>\n<td>z</td>" in html(table)


def test_user_markdown_keeps_formatting_and_web_links() -> None:
    out = html(user_markdown("Grow **revenue**, see [plan](https://example.org/p) and [faq](../about/)."))
    assert "<strong>revenue</strong>" in out
    assert '<a href="https://example.org/p">plan</a>' in out
    assert '<a href="../about/">faq</a>' in out


@pytest.mark.parametrize(
    "hostile",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "![x](javascript:alert(1))",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "para\n{: onclick=\"alert(1)\" }",
        "[x](jav&#x61;script:alert(1))",
        # Found in review: a code span "across" paragraphs, and reference definitions
        # inside a quote, a list item and with the URL on the next line.
        "Across `start\n\n<script>alert('para')</script>\n\nend`",
        "> [r1]: javascript:alert(1)\n[ref][r1]",
        "- [r3]: javascript:alert(1)\n[ref][r3]",
        "[r2]:\njavascript:alert(1)\n[ref][r2]",
        "![pixel](https://tracker.example.com/p.png) and [x](//tracker.example.com/p)",
    ],
)
def test_user_markdown_runs_nothing(hostile: str) -> None:
    out = html(user_markdown(hostile))
    assert not re.search(r"<(script|img|iframe)\b", out), out
    assert not re.search(r'(href|src)="\s*(javascript|data|//)', out, re.IGNORECASE), out
    assert not re.search(r"<[^>]+\bon\w+=", out), out  # no event-handler attribute on any tag


def test_status_badge_has_word_and_class() -> None:
    # The icon comes with the class (test_site.py checks the stylesheet draws style.py's icon).
    assert str(status_badge(Status.AT_RISK)) == '<span class="sp-status sp-status--at-risk">At risk</span>'
    stale = str(status_badge(Status.ON_TRACK, stale=True))
    assert "sp-status--on-track" in stale and '<span class="sp-stale">stale</span>' in stale


def test_status_cell_is_the_status_in_a_table_column() -> None:
    # A period table's status column: the cell itself has the status's class (fill, ink, icon) and word.
    assert str(status_cell(Status.OFF_TRACK)) == '<td class="sp-status--off-track">Off track</td>'


def test_initiative_badge_words() -> None:
    assert "Done" in initiative_badge(InitiativeStatus.DONE)
    assert "Not started" in initiative_badge(InitiativeStatus.NOT_STARTED)
    assert "sp-status--off-track" in initiative_badge(InitiativeStatus.OFF_TRACK)
    assert "No status" in initiative_badge(None)


def test_links() -> None:
    assert md_link("*Grow*", "objectives/a.md", "kpis/b.md") == "[\\*Grow\\*](../kpis/b.md)"
    assert md_link("x", "index.md", "attention.md", "off-track") == "[x](attention.md#off-track)"
    assert dir_url("index.md", "objectives/grow.md") == "objectives/grow/"
    assert dir_url("themes/t1.md", "objectives/grow.md") == "../../objectives/grow/"
    assert dir_url("objectives/index.md", "objectives/grow.md") == "grow/"
    assert dir_url("kpis/csat.md", "index.md") == "../../"


# -- page models --------------------------------------------------------------------------------


def test_attention_groups_sort_worst_first_and_count(results: Results) -> None:
    groups = {g.anchor: g for g in pg.attention_groups(results, PATHS)}
    assert [i.link.page for i in groups["off-track"].items] == ["kpis/csat.md", "kpis/revenue.md"]  # 0.0 before 2.x
    assert [i.link.page for i in groups["at-risk"].items] == ["kpis/wait.md"]
    assert [i.link.page for i in groups["stale"].items] == ["kpis/csat.md"]
    assert [i.link.page for i in groups["no-data"].items] == ["kpis/training.md"]
    assert [i.link.page for i in groups["late-initiatives"].items] == ["initiatives/crm.md"]
    assert [i.detail for i in groups["overdue-milestones"].items] == [
        "<img src=x onerror=alert(11)> (due 1 February 2026)"
    ]


def test_home_counts_match_the_kpis(results: Results) -> None:
    home = pg.home_page(results, PATHS, map_image=None)
    counts = {c.status: c.count for c in home.counts}
    assert counts == {Status.ON_TRACK: 0, Status.AT_RISK: 1, Status.OFF_TRACK: 2, Status.NO_DATA: 1}
    assert home.kpi_count == 4  # the restricted KPI is not counted
    assert home.title == "Acme <script>alert('org')</script> Café"
    assert home.as_of == "30 April 2026"
    # Off-track objectives come first, and nothing is listed twice (a stale off-track KPI once).
    things = [(i.kind, i.link.page, i.detail if i.kind == "Milestone" else "") for i in home.attention]
    assert len(things) == len(set(things))
    assert home.attention[0].kind == "Objective" and home.attention[0].status is Status.OFF_TRACK


def test_home_says_how_many_more_the_attention_page_lists() -> None:
    """"And N more" counts every other thing on the attention page: milestones, reported
    initiatives and missing data too (the sample lists more than the home page shows)."""
    results = compute(load(ROOT / "scorecard").scorecard)
    home = pg.home_page(results, PATHS, map_image=None)
    groups = {g.anchor: g.items for g in pg.attention_groups(results, PATHS)}
    listed = {(i.kind, i.link.page, i.detail if i.kind == "Milestone" else "") for g in groups.values() for i in g}
    assert home.attention_more > 0 and len(home.attention) + home.attention_more == len(listed)
    reported = [(i.link.text, i.reported.value) for i in groups["reported-initiatives"]]
    assert reported == [("One delivery platform", "off-track"), ("Cloud Academy", "at-risk")]


def test_trend_is_judged_by_direction(results: Results) -> None:
    revenue = pg.trend(results.kpis["revenue"])  # higher is better, 110 -> 108
    assert revenue is not None and (revenue.arrow, revenue.change, revenue.verdict) == ("\u2193", "\u22122", "worse")
    wait = pg.trend(results.kpis["wait"])  # range 3-5: 4.5 -> 5.5 moves away from the middle
    assert wait is not None and wait.verdict == "worse" and wait.arrow == "\u2191"
    assert pg.trend(results.kpis["training"]) is None  # no data


def test_kpi_page_lists_periods_newest_first_with_comments(results: Results) -> None:
    page = pg.kpi_page(results, PATHS, "revenue", pg.Markup(""))
    assert [p.period for p in page.periods] == ["2026-04", "2026-03", "2026-02", "2026-01"]
    assert page.periods[2].comment == "<img src=x onerror=alert(12)> | pipe *bold*"
    assert page.value == "108\u00a0<i>EUR</i>"
    terms = [f.term for f in page.facts]
    assert terms[:8] == ["Objective", "Owner", "Unit", "Direction", "Indicator", "Frequency", "Source", "Formula"]
    assert {"Baseline", "Target", "Tolerance", "Weight"} <= set(terms)


def test_objective_page_cause_and_effect(results: Results) -> None:
    delight = pg.objective_page(results, PATHS, "delight")
    assert [o.link.page for o in delight.drives] == ["objectives/grow.md"]
    assert [o.link.page for o in delight.driven_by] == ["objectives/learn.md"]
    grow = pg.objective_page(results, PATHS, "grow")
    assert [k.link.page for k in grow.kpis] == ["kpis/revenue.md"]  # not the restricted KPI
    assert [i.link.page for i in grow.initiatives] == ["initiatives/crm.md"]


def test_owners_sorted_with_unnamed_last(results: Results) -> None:
    page = pg.owners_page(results, PATHS)
    names = [o.name for o in page.owners]
    assert names == ["Zoë <b>Owner</b>", "| table breaker", ""]
    zoe = page.owners[0]
    assert [o.link.page for o in zoe.objectives] == ["objectives/grow.md"]
    assert [k.link.page for k in zoe.kpis] == ["kpis/revenue.md"]
    assert [i.link.page for i in zoe.initiatives] == ["initiatives/crm.md"]
    assert "SECRET-OWNER" not in names


def test_theme_page_orders_objectives_top_of_map_first(results: Results) -> None:
    page = pg.theme_page(results, PATHS, "t1", pg.Markup(""))
    assert [o.link.page for o in page.objectives] == ["objectives/grow.md", "objectives/delight.md"]


def test_initiative_page_flags_overdue_milestones(results: Results) -> None:
    page = pg.initiative_page(results, PATHS, "crm")
    assert [(m.name, m.done, m.overdue) for m in page.milestones] == [
        ("Kick-off", True, False),
        ("<img src=x onerror=alert(11)>", False, True),
    ]
    assert page.row.late and page.row.spent == "4,000 (33 %)"


def _scorecard(folder: Path, more_kpis: str, data: dict[str, str]) -> Path:
    """A one-objective scorecard: KPI ``k`` (monthly, higher is better, 10 by 2026-12), ``more_kpis``, ``data``."""
    kpis = "  - {id: k, name: K, objective: ok, direction: higher, frequency: monthly,\n"
    kpis += "     target: {period: 2026-12, value: 10}}\n" + textwrap.indent(textwrap.dedent(more_kpis), "  ")
    (folder / "data").mkdir(parents=True)
    (folder / "scorecard.yml").write_text(
        f"organization: {{id: {folder.name}, name: {folder.name.title()} Co}}\n"
        "objectives:\n  - {id: ok, name: Keep going, perspective: financial}\n"
        f"kpis:\n{kpis}",
        "utf-8",
    )
    for name, text in data.items():
        (folder / "data" / name).write_text(text, "utf-8")
    return folder


def test_a_kpi_page_lists_its_last_twelve_periods_and_periods_csv_has_them_all(tmp_path: Path) -> None:
    """Three years of months: the page lists the last year, keeps an older comment, and links the CSV."""
    months = [f"{year}-{month:02d}" for year in (2024, 2025, 2026) for month in range(1, 13)]
    rows = [f"{m},{n}," + ("Old <b>note</b>" if m == "2024-03" else "") for n, m in enumerate(months)]
    folder = _scorecard(
        tmp_path / "long",
        """\
        - {id: r, name: Utilisation, objective: ok, direction: range, frequency: monthly, unit: "%",
           range: [75, 85], tolerance: 5}
        """,
        {"k.csv": "period,actual,comment\n" + "\n".join(rows) + "\n", "r.csv": "period,actual\n2026-12,87.5\n"},
    )
    results = compute(load(folder).scorecard)
    render(results, tmp_path / "docs")

    page = html((tmp_path / "docs" / "kpis" / "k.md").read_text("utf-8"))
    listed = re.findall(r"<tr><td>(\d{4}-\d{2})</td>", page)
    assert listed == months[::-1][:12]
    assert "The last 12 of 36 periods, newest first." in page
    assert '<a href="periods.csv">periods.csv</a>' in page
    # The old period's comment is still on the page (and found by search), escaped.
    assert "Comments on earlier periods" in page and "<dd>Old &lt;b&gt;note&lt;/b&gt;</dd>" in page

    table = list(csv.DictReader(io.StringIO((tmp_path / "docs" / "kpis" / "periods.csv").read_text("utf-8"))))
    assert [row["period"] for row in table if row["kpi_id"] == "k"] == months
    assert next(row for row in table if row["period"] == "2024-03")["comment"] == "Old <b>note</b>"
    utilisation = next(row for row in table if row["kpi_id"] == "r")
    assert (utilisation["actual"], utilisation["goal"], utilisation["goal_low"], utilisation["goal_high"]) == (
        "87.5", "", "75", "85"
    )
    assert utilisation["status"] == "at-risk"
    kpi_list = html((tmp_path / "docs" / "kpis" / "index.md").read_text("utf-8"))
    assert '<a href="periods.csv">periods.csv</a>' in kpi_list


def test_calm_scorecard_says_nothing_needs_attention(tmp_path: Path) -> None:
    folder = _scorecard(tmp_path / "calm", "", {"k.csv": "period,actual\n2026-01,12\n"})
    results = compute(load(folder).scorecard)
    assert pg.attention_page(results, PATHS).total == 0
    render(results, tmp_path / "docs")
    attention = html((tmp_path / "docs" / "attention.md").read_text("utf-8"))
    assert "Nothing needs attention" in attention
    home = html((tmp_path / "docs" / "index.md").read_text("utf-8"))
    assert "Nothing is off track or at risk" in home
    assert "no data yet" not in home


def test_home_does_not_call_a_scorecard_without_data_fine(tmp_path: Path) -> None:
    """With nothing reported, the home page says what is missing instead of 'all is well'."""
    folder = tmp_path / "scorecard"
    folder.mkdir()
    (folder / "scorecard.yml").write_text(
        "organization: {id: new, name: New Co}\n"
        "objectives:\n  - {id: ok, name: Start, perspective: financial}\n"
        "kpis:\n  - {id: k, name: K, objective: ok, direction: higher, frequency: monthly,\n"
        "     target: {period: 2026-12, value: 10}}\n",
        "utf-8",
    )
    render(compute(load(folder).scorecard), tmp_path / "docs")
    home = html((tmp_path / "docs" / "index.md").read_text("utf-8"))
    assert "Nothing is off track" not in home
    assert "no value reported yet" in home


def test_a_tolerance_says_whether_it_is_a_share_of_the_goal_or_points() -> None:
    """A KPI in % with an absolute tolerance of 5 misses by 5 points, not by 5 % of its goal."""
    results = compute(load(ROOT / "scorecard").scorecard)
    tolerances = {
        kpi_id: next(f.text for f in pg.kpi_page(results, PATHS, kpi_id, pg.Markup("")).facts if f.term == "Tolerance")
        for kpi_id in ("billable-utilisation", "revenue")
    }
    assert tolerances["billable-utilisation"] == "5 percentage points"
    assert tolerances["revenue"].endswith("% of the goal")
