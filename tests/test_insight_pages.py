"""What people see of "Is the strategy working?": the evidence page and map, forecasts, OKRs, early warnings."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from generator.compute import compute
from generator.compute.attention import needs_attention
from generator.compute.okrs import okrs_csv
from generator.compute.results import Audience, Evidence, Results, Status
from generator.load import load
from generator.render.markdown import html_escape, md_escape
from generator.render.pages import Paths, unit_pages
from generator.render.pages.insight import CAVEAT, METHOD_PAGE
from generator.render.strategy_map import render_map

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "scorecard"
HOSTILE = Path(__file__).parent / "fixtures" / "render" / "hostile"


@pytest.fixture(scope="module")
def results() -> Results:
    return compute(load(SAMPLE).scorecard, audience=Audience.ALL)


@pytest.fixture(scope="module")
def files(results: Results) -> dict[str, str]:
    files = unit_pages(results, content=[METHOD_PAGE]).files
    return {path: data.decode("utf-8") for path, data in files.items()}


# -- the evidence page -----------------------------------------------------------------------


def test_evidence_page_lists_every_arrow_with_its_verdict_in_words(results: Results, files: dict[str, str]) -> None:
    page = files["evidence.md"]
    headings = re.findall(r"^### (.+?) → (.+?) \{ #ev-(\S+) \}$", page, re.M)
    card = results.scorecard
    arrows = [(o.id, d) for o in card.objectives for d in o.drives]
    assert [h[2] for h in headings] == [f"{c}--{e}" for c, e in arrows]
    sections = page.split("\n### ")[1:]
    for link, section in zip(results.links, sections, strict=True):
        assert f"sp-ev--{link.evidence.value}" in section
        assert f"</span> {link.evidence.label}</span>" in section  # the word, not only an icon or colour
    verdicts = {link.evidence for link in results.links}
    assert {Evidence.SUPPORTED, Evidence.INSUFFICIENT_DATA} <= verdicts  # the sample exercises both


def test_a_supported_arrow_names_its_pair_lag_n_r_and_draws_its_changes(
    results: Results, files: dict[str, str]
) -> None:
    link = next(x for x in results.links if x.evidence is Evidence.SUPPORTED)
    assert link.best is not None
    section = files["evidence.md"].split(f"{{ #ev-{link.cause}--{link.effect} }}")[1].split("\n### ")[0]
    cause, effect = results.kpis[link.best.cause_kpi].kpi, results.kpis[link.best.effect_kpi].kpi
    pair = (
        f'<a href="../kpis/{cause.id}/">{html_escape(cause.name)}</a> → '
        f'<a href="../kpis/{effect.id}/">{html_escape(effect.name)}</a>'
    )
    assert pair in section
    assert f"{link.best.n} changes side by side" in section
    assert "Spearman&#39;s r" in section and "lag:" in section
    chart = re.search(r"<svg class=\"sp-evchart\".*?</svg>", section)
    assert chart and chart.group(0).count("<polyline") == 2
    # One point per aligned change on each line.
    points = re.findall(r'points="([^"]+)"', chart.group(0))
    assert all(len(p.split()) == len(link.changes) for p in points)


def test_evidence_page_says_the_caveat_and_links_the_method(files: dict[str, str]) -> None:
    page = files["evidence.md"]
    assert CAVEAT.rstrip(".") in page.replace("\\.", ".")
    assert f"]({METHOD_PAGE})" in page
    method = (ROOT / "content" / METHOD_PAGE).read_text("utf-8")
    assert "reason to look, not proof" in method  # the page and the method say the same


def test_evidence_and_okrs_pages_are_in_the_nav(results: Results) -> None:
    nav = repr(unit_pages(results, Paths.unit("sales")).nav)
    assert "units/sales/evidence.md" in nav and "units/sales/okrs.md" in nav


# -- the map's evidence view -----------------------------------------------------------------


def test_evidence_map_styles_each_arrow_by_its_verdict(results: Results) -> None:
    svg = render_map(results, lambda oid: f"o/{oid}/", evidence=results.links)
    drawn = dict(
        ((m.group(2), m.group(3)), (m.group(1), m.group(4)))
        for m in re.finditer(
            r'<path class="ln (ev-\w)" data-from="([^"]+)" data-to="([^"]+)" data-evidence="([^"]+)"', svg
        )
    )
    expected_class = {"supported": "ev-s", "contradicted": "ev-c", "no-evidence": "ev-n", "insufficient-data": "ev-i"}
    assert len(drawn) == len(results.links)
    for link in results.links:
        cls, word = drawn[(link.cause, link.effect)]
        assert word == link.evidence.value and cls == expected_class[word]
    contradicted = sum(1 for x in results.links if x.evidence is Evidence.CONTRADICTED)
    assert svg.count('<path class="evx"') == contradicted + 1  # one cross per arrow, one in the legend
    for words in ("Supported by the data", "Contradicted by the data", "No evidence either way", "Too little data"):
        assert words in svg
    # The styles differ by more than colour: width and dashes.
    assert "ev-s{stroke:#1a7f37;stroke-width:4.5}" in svg
    assert "ev-c{stroke:#c62828;stroke-width:2.5;stroke-dasharray" in svg
    assert "ev-n{stroke-width:1.5;stroke-dasharray:1 4" in svg


def test_plain_map_has_no_evidence_styles(results: Results) -> None:
    svg = render_map(results, lambda oid: f"o/{oid}/")
    assert "ev-s" not in svg and "data-evidence" not in svg and "evx" not in svg


# -- the objective page ----------------------------------------------------------------------


def test_objective_page_shows_the_evidence_of_its_arrows(results: Results, files: dict[str, str]) -> None:
    link = next(x for x in results.links if x.evidence is Evidence.SUPPORTED)
    for objective_id in (link.cause, link.effect):
        page = files[f"objectives/{objective_id}.md"]
        assert "## Is the link in the data?" in page
        ours = [x for x in results.links if objective_id in (x.cause, x.effect)]
        listed = page.split("## Is the link in the data?")[1].split("\n## ")[0]
        assert listed.count("sp-ev sp-ev--") == len(ours)
    lonely = {o.id for o in results.scorecard.objectives} - {i for x in results.links for i in (x.cause, x.effect)}
    for objective_id in lonely:
        assert "Is the link in the data?" not in files[f"objectives/{objective_id}.md"]


# -- forecasts -------------------------------------------------------------------------------


def test_kpi_page_states_its_forecast_in_words(results: Results, files: dict[str, str]) -> None:
    with_forecast = next(iter(results.forecasts))
    without = next(k for k in results.kpis if k not in results.forecasts)
    page = files[f"kpis/{with_forecast}.md"]
    forecast = results.forecasts[with_forecast]
    assert f"Forecast for {forecast.period}:" in page and "80 % interval" in page
    assert "Forecast for" in files[f"kpis/{with_forecast}.svg"]
    assert "Forecast for" not in files[f"kpis/{without}.md"]


# -- needs attention -------------------------------------------------------------------------


def test_likely_to_miss_is_an_early_warning_for_kpis_not_yet_off_track(results: Results) -> None:
    flagged = list(results.likely_to_miss)
    off_track = {k for k in flagged if results.kpis[k].status is Status.OFF_TRACK}
    assert off_track and set(flagged) - off_track, "the sample should have both kinds"
    attention = needs_attention(results)
    group = [ref.item for ref in attention.groups["likely-to-miss"]]
    assert set(group) == set(flagged) - off_track  # an off-track KPI is listed above already
    p_hits = [results.forecasts[k].p_hit for k in group]
    assert p_hits == sorted(p_hits)  # least likely first
    assert all(results.forecasts[k].p_hit < 0.2 for k in group)


def test_likely_to_miss_comes_last_on_the_pressing_list(results: Results) -> None:
    attention = needs_attention(results)
    early = [r for r in attention.pressing if r.group == "likely-to-miss"]
    assert early and attention.pressing[-len(early):] == tuple(early)


def test_attention_page_shows_the_early_warning_group(results: Results, files: dict[str, str]) -> None:
    page = files["attention.md"]
    assert "Likely to miss their target" in page and "early warning" in page and "{ #likely-to-miss }" in page
    section = page.split("{ #likely-to-miss }")[1].split("\n## ")[0]
    assert "likely to meet the target" in section


# -- OKRs ------------------------------------------------------------------------------------


def test_okrs_page_lists_the_coming_quarter_and_grades_the_last(results: Results, files: dict[str, str]) -> None:
    okrs = results.okrs
    assert okrs is not None
    page = files["okrs.md"]
    assert f"## Coming quarter: {md_escape(str(okrs.coming.quarter))}" in page
    assert f"## Last quarter, graded: {md_escape(str(okrs.last.quarter))}" in page
    for okr in okrs.coming.objectives:
        assert f"[{md_escape(okr.objective.name)}](objectives/{okr.objective.id}.md)" in page
        for kr in okr.key_results:
            assert f'<a href="../kpis/{kr.kpi.id}/">{html_escape(kr.kpi.name)}</a>' in page
    assert "stay within" in page and ("at least" in page or "at most" in page)
    assert 'class="sp-grade"' in page and re.search(r"<strong>[01]\.\d</strong>", page)


def test_okrs_csv_is_published_beside_the_page_with_plain_numbers(results: Results, files: dict[str, str]) -> None:
    assert results.okrs is not None
    assert files["okrs.csv"] == okrs_csv(results.okrs.coming)
    assert "](okrs.csv)" in files["okrs.md"]
    rows = list(csv.DictReader(io.StringIO(files["okrs.csv"])))
    assert rows and all("," not in row["start_value"] for row in rows)  # no thousands separator


# -- restricted KPIs -------------------------------------------------------------------------


def test_restricted_kpis_never_reach_the_all_staff_insight_pages() -> None:
    scorecard = load(HOSTILE).scorecard
    restricted = [k for k in scorecard.kpis if k.restricted]
    assert restricted
    staff = unit_pages(compute(scorecard, audience=Audience.ALL)).files
    insight = {p: d for p, d in staff.items() if p in ("evidence.md", "okrs.md", "okrs.csv") or p.startswith("kpis/")}
    assert {"evidence.md", "okrs.md"} <= set(insight)
    for kpi in restricted:
        for path, data in insight.items():
            text = data.decode("utf-8")
            assert kpi.name not in text and f"kpis/{kpi.id}" not in text, path
    # The restricted build does show it, so the check above can fail.
    full = unit_pages(compute(scorecard, audience=Audience.RESTRICTED)).files
    assert any(restricted[0].name in data.decode("utf-8") for data in full.values())


# -- in a browser ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_evidence_and_okrs_pages_have_no_serious_accessibility_violations(
    browser, sample_url: str, scheme: str
) -> None:
    from conftest import open_page
    from test_browser import serious_violations

    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in ("evidence/", "okrs/"):
        open_page(page, sample_url + path)
        found[path] = serious_violations(page)
    context.close()
    assert found == {"evidence/": [], "okrs/": []}


def test_without_the_method_page_nothing_links_to_it(results: Results) -> None:
    files = unit_pages(results).files  # a project without content/about/is-the-strategy-working.md
    assert METHOD_PAGE not in files["evidence.md"].decode("utf-8")
    assert METHOD_PAGE not in files["okrs.md"].decode("utf-8")
