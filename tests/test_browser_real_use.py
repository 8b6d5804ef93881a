"""What a team lead, a phone user and a dark-mode reader see (issue 11), in headless Chromium.

Owner links land on the owner's section; the KPI filter keeps only matching rows; a
390-px phone shows every objective of the sample as a list; in dark mode the map and
an inlined chart are dark with readable text; Material's search finds a KPI by its
alias.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import open_page

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SP_SHOTS")  # folder to keep the screenshots in, e.g. /tmp/shots


@pytest.fixture()
def screen(browser) -> Iterator:
    contexts = []

    def open_at(url: str, width: int = 1280, height: int = 800, scheme: str = "light"):
        ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        page = ctx.new_page()
        open_page(page, url)
        if scheme == "dark":  # what Material's palette toggle does
            page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        return page

    yield open_at
    for ctx in contexts:
        ctx.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def scorecard(site: Path) -> dict:
    return json.loads((site / "scorecard.json").read_text(encoding="utf-8"))


def luminance(rgb: str) -> float:
    parts = [int(p) / 255 for p in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_an_owner_link_on_a_kpi_page_lands_on_the_owners_section(screen, sample_url: str, sample_site: Path) -> None:
    kpi = next(k for k in scorecard(sample_site)["kpis"] if k["id"] == "nps")
    page = screen(sample_url + "kpis/nps/")
    page.locator(".sp-facts a[href*='owners/#']").first.click()
    page.wait_for_load_state("networkidle")
    assert "/owners/#owner-" in page.url
    target = page.locator(f"#{page.url.split('#', 1)[1]}")
    assert " ".join(kpi["owner"].split()) in target.inner_text()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 300  # scrolled to the section
    shot(page, "owners-section")


def test_kpi_filter_keeps_only_the_rows_that_match(screen, sample_url: str, sample_site: Path) -> None:
    kpis = scorecard(sample_site)["kpis"]
    owner = kpis[0]["owner"].split()[0]
    page = screen(sample_url + "kpis/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == len(kpis)
    page.fill("#sp-kpi-filter", owner.lower())
    shown = [r for r in rows.all() if r.is_visible()]
    word = owner.lower()
    assert len(shown) == sum(1 for k in kpis if word in k["owner"].lower() or word in k["name"].lower())
    assert page.locator(".sp-filter__count").inner_text().endswith(f"of {len(kpis)} KPIs")
    shot(page, "kpi-filter")
    page.fill("#sp-kpi-filter", "")
    assert sum(1 for r in rows.all() if r.is_visible()) == len(kpis)


def test_without_js_the_kpi_list_is_whole_and_offers_no_filter(browser, sample_url: str, sample_site: Path) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(sample_url + "kpis/")
        assert not page.locator("#sp-kpi-filter").is_visible()
        visible = [r for r in page.locator("article table tbody tr").all() if r.is_visible()]
        assert len(visible) == len(scorecard(sample_site)["kpis"])
    finally:
        ctx.close()


def test_a_phone_shows_every_objective_as_a_list_instead_of_the_cut_off_map(
    screen, sample_url: str, sample_site: Path
) -> None:
    objectives = {o["name"] for o in scorecard(sample_site)["objectives"]}
    for path in ("", "map/"):
        page = screen(sample_url + path, 390, 844)
        assert not page.locator("div.sp-map").first.is_visible()
        links = page.locator(".sp-map-list li a")
        shown = {a.inner_text().strip() for a in links.all() if a.is_visible()}
        assert shown == objectives, path
        for a in links.all():
            box = a.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1  # nothing cut off
        shot(page, f"phone-{path.strip('/') or 'home'}")
    wide = screen(sample_url, 1280, 800)
    assert wide.locator("div.sp-map").first.is_visible() and not wide.locator(".sp-map-list").is_visible()


def test_dark_mode_gives_the_map_and_an_inlined_chart_a_dark_look(screen, sample_url: str) -> None:
    page = screen(sample_url + "map/", scheme="dark")
    colours = page.evaluate(
        """() => {
          const m = document.querySelector('svg.sp-map');
          const fill = (sel) => getComputedStyle(m.querySelector(sel)).fill;
          return {bg: fill('.bg'), name: fill('a text.nm'), box: fill('a .bx'),
                  band: fill('a.bl text.pl'), label: fill('a.bl > rect'),
                  on: fill('rect.on'), ar: fill('rect.ar'), off: fill('rect.off')};
        }"""
    )
    assert luminance(colours["bg"]) < 0.05
    assert contrast(colours["name"], colours["box"]) >= 4.5
    assert contrast(colours["band"], colours["label"]) >= 4.5  # the perspective's name on its label column
    assert len({colours["on"], colours["ar"], colours["off"]}) == 3  # statuses stay distinct
    shot(page, "dark-map")
    page = screen(sample_url + "kpis/nps/", scheme="dark")
    page.wait_for_selector(".sp-chart svg")
    chart = page.evaluate(
        """() => {
          const f = document.querySelector('.sp-chart');
          const svg = f.querySelector('svg');
          return {bg: getComputedStyle(f).backgroundColor, svgbg: getComputedStyle(svg).backgroundColor,
                  ink: getComputedStyle(svg).color};
        }"""
    )
    assert luminance(chart["bg"]) < 0.05 and chart["svgbg"] in ("rgba(0, 0, 0, 0)", chart["bg"])
    assert contrast(chart["ink"], chart["bg"]) >= 4.5
    shot(page, "dark-chart")


def test_search_finds_a_kpi_by_its_alias(screen, sample_url: str) -> None:
    page = screen(sample_url)
    page.locator("input.md-search__input").click()
    page.keyboard.type("NPS")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    titles = " ".join(page.locator(".md-search-result__item").all_inner_texts())
    assert "Net Promoter Score" in titles
