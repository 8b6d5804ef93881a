"""How the portal presents on a big screen, on a laptop and on paper (headless Chromium).

What a user notices: the strategy map page shows the whole map and its legend on one
screen for a town hall; no table hides a column behind the page edge or the contents
column (it wraps, or the page makes room, or it scrolls with a visible cue); a printed
page shows every column of every table and none of the site's navigation.

The browser is conftest.py's, shared with tests/test_browser.py (the general browser checks).
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

A4_WIDTH = 720
"""CSS pixels across an A4 page inside Chromium's default print margins (794 less ~74)."""

COMMENT = "Delivery platform migration slows two teams"
"""A comment in the sample scorecard (data/on-time-delivery.csv) that a board pack must show."""


@pytest.fixture()
def screen(browser) -> Iterator:
    """A function that opens a page in a fresh context of a given size, colour scheme and media."""
    contexts = []

    def open_at(url: str, width: int, height: int, scheme: str = "light", media: str = "screen"):
        ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.emulate_media(media=media)
        open_page(page, url)
        return page

    yield open_at
    for ctx in contexts:
        ctx.close()


def next_page(page, url: str) -> None:
    """Open another page in the same tab: its layout is final once the stylesheets have loaded."""
    page.goto(url, wait_until="load")


def scorecard(site: Path) -> dict:
    return json.loads((site / "scorecard.json").read_text(encoding="utf-8"))


def shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


# The part of an element a reader can see across the page: its box cut by every ancestor
# that clips (any overflow but `visible`) and by the window. A cell pushed past the edge of
# its table's box, or past the window, shows a smaller visible width than its own.
_VISIBLE_X = """
el => {
  const box = el.getBoundingClientRect();
  let left = box.left, right = box.right;
  for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
    if (getComputedStyle(a).overflowX === 'visible') continue;
    const clip = a.getBoundingClientRect();
    left = Math.max(left, clip.left + a.clientLeft);
    right = Math.min(right, clip.left + a.clientLeft + a.clientWidth);
  }
  left = Math.max(left, 0);
  right = Math.min(right, document.documentElement.clientWidth);
  return {text: el.textContent.trim().slice(0, 60), width: box.width, seen: Math.max(0, right - left),
          right: box.right};
}
"""

# Every table of the article: does it fit its box, does it show a cue when it does not,
# and which of its cells a reader cannot see whole.
_TABLES = """
visible => [...document.querySelectorAll('article table')].map(table => {
  const box = table.closest('.md-typeset__scrollwrap') || table.parentElement;
  const cue = getComputedStyle(box).backgroundImage;
  const hidden = [...table.querySelectorAll('th, td')].map(visible)
    .filter(cell => cell.seen < cell.width - 1)
    .map(cell => cell.text || '(empty cell)');
  return {head: [...table.rows[0].cells].map(c => c.textContent.trim()).join(' | '),
          fits: box.scrollWidth <= box.clientWidth + 1, cue: cue.includes('gradient'), hidden};
})
"""


def tables(page) -> list[dict]:
    return page.evaluate(f"(() => {{ const visible = {_VISIBLE_X}; return ({_TABLES})(visible); }})()")


def sidebar_visible(page, kind: str) -> bool:
    """Whether the navigation (``navigation``) or contents (``toc``) column is on screen."""
    return page.locator(f".md-sidebar[data-md-type='{kind}']").is_visible()


# -- the strategy map page: one screen for a town hall --------------------------------------


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_whole_map_and_its_legend_fit_one_screen(screen, sample_url: str, tmp_path: Path, size, scheme) -> None:
    width, height = size
    page = screen(sample_url + "map/", width, height, scheme)
    shot(page, f"map-{scheme}-{width}", tmp_path)
    assert page.evaluate("window.scrollY") == 0
    svg = page.locator(".sp-map--full svg").first
    box = svg.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= width + 0.5, f"the map runs off the right edge: {box}"
    assert box["y"] + box["height"] <= height + 0.5, f"the map runs below the screen: {box}"
    # The legend is drawn inside the SVG: every word of the map, legend included, is on screen.
    words = svg.locator("text")
    assert words.count() > 0
    for index in range(words.count()):
        word = words.nth(index).bounding_box()
        assert word and word["y"] + word["height"] <= height and word["x"] + word["width"] <= width, (
            words.nth(index).text_content(), word)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_the_map_page_is_a_presentation_view(screen, sample_url: str, size) -> None:
    """No navigation or contents column; the map as large as the screen allows, centred, undistorted."""
    width, height = size
    page = screen(sample_url + "map/", width, height)
    assert not sidebar_visible(page, "navigation"), "the navigation column takes the map's width"
    assert not sidebar_visible(page, "toc"), "the contents column takes the map's width"

    svg = page.locator(".sp-map--full svg").first
    box = svg.bounding_box()
    article = page.locator("article").bounding_box()
    assert box and article
    # As large as the screen allows: it fills the height left under the title, or the width.
    assert box["height"] >= 0.8 * height or box["width"] >= article["width"] - 2, (box, article)
    left_gap = box["x"] - article["x"]
    right_gap = article["x"] + article["width"] - (box["x"] + box["width"])
    assert abs(left_gap - right_gap) <= 2, f"the map is not centred: {left_gap} vs {right_gap}"
    view = [float(v) for v in (svg.get_attribute("viewBox") or "").split()]
    assert len(view) == 4
    assert box["width"] / box["height"] == pytest.approx(view[2] / view[3], rel=0.01), "the map is stretched"


def test_the_map_is_dark_in_dark_mode_with_no_bars_beside_it(screen, sample_url: str) -> None:
    """In dark mode the map is a dark panel (issue 11: no glaring white), with no other-coloured bars beside it."""
    page = screen(sample_url + "map/", 1280, 720, "dark")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    colours = page.evaluate(
        "() => { const svg = document.querySelector('.sp-map--full svg');"
        " return [getComputedStyle(svg).backgroundColor, getComputedStyle(svg.parentElement).backgroundColor]; }"
    )
    assert colours[0] == "rgb(22, 27, 34)"
    assert colours[1] in ("rgba(0, 0, 0, 0)", "transparent"), "a box wider than the map"


# -- tables on screen: no column hidden -------------------------------------------------------


def test_objective_tables_show_every_column_at_1280(screen, sample_url: str, sample_site: Path, tmp_path: Path) -> None:
    """The KPI table's Owner column is not cut off by the contents column (Keep engaged, ...)."""
    ids = [o["id"] for o in scorecard(sample_site)["objectives"]]
    assert "engage-our-people" in ids
    page = screen(sample_url + "objectives/engage-our-people/", 1280, 800)
    shot(page, "objective-engage-1280", tmp_path)
    problems = {}
    for objective in ids:
        next_page(page, sample_url + f"objectives/{objective}/")
        found = [t for t in tables(page) if t["hidden"] or not t["fits"]]
        if found:
            problems[objective] = found
    assert problems == {}


def test_owners_tables_show_every_column_at_1280(screen, sample_url: str, tmp_path: Path) -> None:
    page = screen(sample_url + "owners/", 1280, 800)
    shot(page, "owners-1280", tmp_path)
    found = tables(page)
    assert found
    assert [t for t in found if t["hidden"] or not t["fits"]] == []


def test_owners_page_sections_list_each_owners_items_compactly(screen, sample_url: str, sample_site: Path) -> None:
    """Under an owner's heading: links to that owner's objectives and initiatives, no wide table."""
    card = scorecard(sample_site)
    page = screen(sample_url + "owners/", 1280, 800)
    sections = page.evaluate(
        """() => {
          const out = {};
          let current = null;
          for (const el of document.querySelector('article').children) {
            if (el.tagName === 'H2') {
              const h = el.cloneNode(true); h.querySelectorAll('.headerlink').forEach(a => a.remove());
              current = out[h.textContent.trim()] = {tables: 0, links: []};
            } else if (current) {
              current.tables += el.matches('table') ? 1 : el.querySelectorAll('table').length;
              current.links.push(...[...el.querySelectorAll('a')].map(a => a.textContent.trim()));
            }
          }
          return out;
        }"""
    )

    def owner(text: str) -> str:
        return " ".join(text.split())

    assert set(sections) >= {owner(o["owner"]) for o in card["objectives"] if owner(o["owner"])}
    for name, section in sections.items():
        assert section["tables"] == 0, f"{name}: a table in an owner's section"
        objectives = {o["name"] for o in card["objectives"] if owner(o["owner"]) == name}
        initiatives = {i["name"] for i in card["initiatives"] if owner(i["owner"]) == name}
        assert objectives | initiatives <= set(section["links"]), name


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)], ids=["1024", "1280"])
def test_a_table_too_wide_for_the_page_says_so(screen, sample_url: str, sample_site: Path, size) -> None:
    """Every table fits its box, or scrolls inside it with a visible cue; none hides a column silently."""
    card = scorecard(sample_site)
    paths = ["owners/", "kpis/", "objectives/", "initiatives/", "attention/"]
    paths += [f"kpis/{k['id']}/" for k in card["kpis"]]
    paths += [f"perspectives/{p['id']}/" for p in card["perspectives"]]
    width, height = size
    page = screen(sample_url, width, height)
    silent = {}
    for path in paths:
        next_page(page, sample_url + path)
        cut = [t["head"] for t in tables(page) if not t["fits"] and not t["cue"]]
        if cut:
            silent[path] = cut
    assert silent == {}


# -- print: the board pack ---------------------------------------------------------------------


@pytest.mark.parametrize("width", [A4_WIDTH, 794], ids=["a4-margins", "a4-edge"])
def test_printed_kpi_page_shows_every_period_column_and_the_comment(
    screen, sample_url: str, sample_site: Path, tmp_path: Path, width: int
) -> None:
    kpi = next(k for k in scorecard(sample_site)["kpis"] if any(r.get("comment") == COMMENT for r in k["history"]))
    page = screen(sample_url + f"kpis/{kpi['id']}/", width, 1100, media="print")
    shot(page, f"print-kpi-{width}", tmp_path)
    period_table = page.locator(".sp-periods table").first
    headers = period_table.locator("th")
    assert headers.count() >= 7
    for index in range(headers.count()):
        seen = headers.nth(index).evaluate(_VISIBLE_X)
        assert seen["width"] > 0 and seen["seen"] >= seen["width"] - 1, f"column cut off in print: {seen}"
        assert seen["right"] <= width, seen
    comment = period_table.locator("td", has_text=COMMENT)
    assert comment.count() == 1
    seen = comment.evaluate(_VISIBLE_X)
    assert seen["width"] > 0 and seen["seen"] >= seen["width"] - 1, f"the comment is cut off: {seen}"
    assert seen["right"] <= width


@pytest.mark.parametrize("path", ["objectives/engage-our-people/", "owners/"])
def test_printed_tables_show_every_column(screen, sample_url: str, path: str) -> None:
    page = screen(sample_url + path, A4_WIDTH, 1100, media="print")
    found = tables(page)
    assert found
    assert [t for t in found if t["hidden"]] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH


def test_the_site_chrome_does_not_print(screen, sample_url: str) -> None:
    page = screen(sample_url + "objectives/engage-our-people/", A4_WIDTH, 1100, media="print")
    for chrome in (".md-header", ".md-search", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), f"{chrome} prints"
    assert page.locator("article h1").is_visible()

