"""Present mode as a presenter uses it: keys, a URL per slide, slides that fit a projector, notes, print.

Render tests build present mode through the render stage (no browser); the tests marked
``browser`` drive the sample portal's ``present/`` in headless Chromium.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import open_page

from generator.compute import compute
from generator.compute.results import Audience
from generator.compute.story import story
from generator.load import load
from generator.render import gather
from generator.render.strategy_map import render_map

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "scorecard"
HOSTILE = ROOT / "tests" / "fixtures" / "render" / "hostile"
RESTRICTED_ID, RESTRICTED_NAME = "gross-margin", "Gross margin"  # the sample's restricted KPI


def present_files(folder: Path, audience: Audience = Audience.ALL, content_dir: Path | None = None) -> dict:
    results = compute(load(folder).scorecard, None, audience)
    stories = {unit.unit_id: story(unit) for unit in results.walk()}
    return gather(results, stories=stories, content_dir=content_dir).files


@pytest.fixture(scope="module")
def sample_files() -> dict:
    return present_files(SAMPLE)


class _Assets(HTMLParser):
    """Every address the page loads (not the links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "link" or tag in ("script", "img", "iframe", "source", "video", "audio", "embed", "object"):
            self.loaded += [v for k, v in attrs if k in ("href", "src", "data", "srcset") and v]
        if tag == "image":
            self.loaded += [v for k, v in values.items() if k in ("href", "xlink:href") and v]


# -- render ----------------------------------------------------------------------------------


def test_every_unit_with_pages_has_present_mode_and_the_root_its_deck(sample_files: dict) -> None:
    results = compute(load(SAMPLE).scorecard, None, Audience.ALL)
    units = results.walk()[1:]
    assert units  # the sample is cascaded
    assert "present/index.html" in sample_files and "present/present.js" in sample_files
    with zipfile.ZipFile(io.BytesIO(sample_files["present/deck.pptx"])) as deck:
        assert "ppt/presentation.xml" in deck.namelist()
    # A unit's present mode links to its pages: it comes with them, never alone.
    unit_files = [p for p in sample_files if p.startswith("units/") and p != "units/index.md"]  # not the overview
    assert [p for p in unit_files if p.endswith("/present/index.html")]
    assert not [p for p in unit_files if not p.startswith(tuple(
        f"units/{u.unit_id}/" for u in units if f"units/{u.unit_id}/index.md" in sample_files))]
    homes = {f"units/{u.unit_id}/index.md": "# Unit" for u in units}
    stories = {unit.unit_id: story(unit) for unit in results.walk()}
    files = gather(results, stories=stories, extra_pages=homes).files
    for unit in units:
        page = files[f"units/{unit.unit_id}/present/index.html"].decode()
        assert unit.scorecard.organization.name in page
        assert 'data-portal="../"' in page
        assert f"units/{unit.unit_id}/present/present.js" in files
        assert f"units/{unit.unit_id}/present/deck.pptx" not in files


def test_a_restricted_kpi_appears_nowhere_in_the_all_staff_present_page(sample_files: dict) -> None:
    restricted = present_files(SAMPLE, Audience.RESTRICTED)["present/index.html"].decode()
    assert RESTRICTED_NAME in restricted  # the KPI is there to leave out
    for path, data in sample_files.items():
        if path.endswith("present/index.html"):
            text = data.decode()
            assert RESTRICTED_NAME not in text and RESTRICTED_ID not in text, path


def test_the_present_page_loads_nothing_from_outside_the_site(sample_files: dict) -> None:
    for path, data in sample_files.items():
        if "present/" not in path or path.endswith(".pptx"):
            continue
        text = data.decode()
        parser = _Assets()
        parser.feed(text)
        if path.endswith(".html"):
            assert sorted(parser.loaded) == ["present.css", "present.js"], path  # beside the page
        assert not [a for a in parser.loaded if re.match(r"(?i)(https?:)?//", a)], path
        assert not re.search(r"(?i)url\(\s*['\"]?(https?:)?//", text), path
        assert not re.search(r"(?i)@import", text), path
        assert not re.search(r"(?i)fetch\(|XMLHttpRequest", text), path


def test_every_slide_kind_has_content_and_notes(sample_files: dict) -> None:
    page = sample_files["present/index.html"].decode()
    sections = re.findall(r'<section class="slide([^"]*)" id="([^"]+)"(.*?)</section>', page, re.S)
    ids = [s[1] for s in sections]
    kinds = ("title", "where-we-stand", "map", "wins", "concerns", "initiatives", "units", "next-quarter", "closing")
    assert [k for k in kinds if k not in ids] == []
    assert any(i.startswith("perspective-") for i in ids) and any(i.startswith("trends-") for i in ids)
    for _, slide_id, body in sections:
        notes = re.search(r'<aside class="notes"[^>]*>(.*?)</aside>', body, re.S)
        assert notes and re.sub(r"<[^>]+>|\s", "", notes.group(1)), f"{slide_id} has no speaker notes"
    body = dict((s[1], s[2]) for s in sections)
    assert 'class="cards"' in body["where-we-stand"] and body["where-we-stand"].count('class="card ') == 4
    assert "<svg" in body["map"] and 'href="../objectives/' in body["map"] and 'href="../perspectives/' in body["map"]
    assert 'class="spark"' in body["perspective-financial"]
    assert "Cloud Consulting" in body["units"] and "chip--" in body["units"]
    assert 'class="bar"' in body["initiatives"]


def test_trend_charts_show_their_scale_and_a_range_kpis_goal_range(sample_files: dict) -> None:
    """A chart's lowest and highest values are written as round numbers; a range KPI's goal is a band."""
    page = sample_files["present/index.html"].decode("utf-8")
    slide = page[page.index('id="trends-financial"') : page.index('id="perspective-customer"')]
    charts = re.findall(r'<figure class="chart">.*?</figure>', slide, re.S)
    utilisation = next(c for c in charts if "Billable utilisation" in c)  # the sample's range KPI: 75 - 85 %
    svg = utilisation[utilisation.index("<svg") : utilisation.index("</svg>")]
    scale = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert "75 %" in scale and "90 %" in scale, scale
    assert 'fill-opacity="0.15"' in svg and svg.count('stroke-dasharray="8 6"') == 2  # band, both edges
    assert "band: goal range" in utilisation
    revenue = next(c for c in charts if "Revenue" in c)
    # Only "%" is written on the scale: a unit like "EUR k" is in the caption.
    assert 'text-anchor="end">4,500</text>' in revenue and "dashed: goal" in revenue


def test_hostile_names_are_escaped_in_present_mode() -> None:
    page = present_files(HOSTILE)["present/index.html"].decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;org&#39;)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page or "49 theme" not in page


def test_the_presenters_own_slides_are_rendered_and_present_yml_is_not_published(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "present.yml").write_text(
        "slides:\n  - id: agenda\n    title: Agenda <b>today</b>\n    markdown: |\n      - **Where** we stand\n"
        "      - <script>alert(1)</script>\n  - rest\n",
        encoding="utf-8",
    )
    from generator.compute.rollup import perspective_ids
    from generator.compute.story import section_ids
    from generator.load.present import read_plan

    results = compute(load(SAMPLE).scorecard, None, Audience.ALL)
    plan, problems = read_plan(content, section_ids(perspective_ids(results.scorecard)))
    assert not problems
    files = gather(results, stories={results.unit_id: story(results, plan)}, content_dir=content).files
    assert "present.yml" not in files
    page = files["present/index.html"].decode()
    agenda = re.search(r'<section class="slide slide--custom" id="agenda"(.*?)</section>', page, re.S)
    assert agenda, "the presenter's slide is missing"
    assert "<strong>Where</strong>" in agenda.group(1)
    assert "Agenda &lt;b&gt;today&lt;/b&gt;" in agenda.group(1)
    assert "<script>alert(1)" not in page


def test_map_bands_link_to_their_perspectives_and_hostile_ids_stay_escaped() -> None:
    results = compute(load(HOSTILE).scorecard, None, Audience.ALL)
    svg = render_map(results, lambda oid: f"o/{oid}/", band_href=lambda pid: f'p/{pid}/"><script>')
    assert svg.count('class="bl"') == len(results.scorecard.perspectives)
    assert '"><script>' not in svg and "<img src=x" not in svg
    first = results.scorecard.perspectives[0].id
    dimmed = render_map(results, lambda oid: f"o/{oid}/", perspective=first)
    others = [o for o in results.scorecard.objectives if o.perspective != first]
    assert dimmed.count(" dim") >= len(others) > 0
    assert re.search(r'class="pg bp\d+ dim"', dimmed)  # the other bands' labels too


# -- browser ---------------------------------------------------------------------------------

_FIT = """() => {
  const s = document.querySelector('#deck > .slide:not([hidden])');
  const r = s.getBoundingClientRect();
  const scale = r.width / 1280;
  const footer = s.querySelector(':scope > .footer:not(.visually-hidden)');
  const limit = footer && footer.getBoundingClientRect().height ? footer.getBoundingClientRect().top : r.bottom;
  const out = [];
  for (const e of s.querySelectorAll('*')) {
    if (e.closest('.notes') || (e.closest('svg') && e.tagName.toLowerCase() !== 'svg')) continue;
    const b = e.getBoundingClientRect();
    if (!b.width || !b.height) continue;
    const inFooter = footer && footer.contains(e);
    if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1)
      out.push('outside the slide: ' + e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40));
    else if (!inFooter && e !== footer && b.bottom > limit + 1 && !e.closest('.visually-hidden'))
      out.push('over the footer: ' + e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40));
  }
  const small = [];
  for (const e of s.querySelectorAll('*')) {
    if (e.closest('.notes') || e.closest('.visually-hidden')) continue;
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const b = e.getBoundingClientRect();
    if (!b.width || !b.height) continue;
    let px = parseFloat(getComputedStyle(e).fontSize) * scale;
    const svg = e.closest('svg');
    if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width)
      {
      const sr = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;  // drawn at the smaller ratio (meet)
      px = parseFloat(getComputedStyle(e).fontSize) * Math.min(sr.width / vb.width, sr.height / vb.height);
    }
    if (px < 15.9) small.push(px.toFixed(1) + ' px: ' + e.textContent.trim().slice(0, 30));
  }
  return {out: out.slice(0, 5), small: small.slice(0, 5)};
}"""


def present_url(sample_url: str) -> str:
    return sample_url + "present/"


def slide_ids(page) -> list[str]:
    return page.eval_on_selector_all("#deck > .slide", "els => els.map(e => e.id)")


def current(page) -> str:
    return page.eval_on_selector("#deck > .slide:not([hidden])", "e => e.id")


@pytest.mark.browser
def test_keys_move_between_slides_and_the_url_follows(browser, sample_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_page(page, present_url(sample_url))
    ids = slide_ids(page)
    assert current(page) == ids[0]
    for key, expected in (
        ("ArrowRight", 1), ("ArrowDown", 2), ("Space", 3), ("PageDown", 4),
        ("ArrowLeft", 3), ("ArrowUp", 2), ("PageUp", 1), ("End", len(ids) - 1), ("Home", 0),
    ):  # fmt: skip
        page.keyboard.press(key)
        assert current(page) == ids[expected], key
        assert page.evaluate("location.hash") == "#" + ids[expected], key
    page.close()


@pytest.mark.browser
def test_a_slides_url_reopens_it_after_a_reload(browser, sample_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_page(page, present_url(sample_url) + "#concerns")
    assert current(page) == "concerns"
    page.keyboard.press("ArrowRight")
    moved = current(page)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert current(page) == moved != "concerns"
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_every_slide_fits_and_no_text_is_under_16_px(browser, sample_url: str, size: tuple[int, int]) -> None:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    outside: list[str] = []
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_page(page, present_url(sample_url))
    problems = []
    for slide_id in slide_ids(page):
        found = page.evaluate(_FIT)
        problems += [f"{slide_id}: {p}" for p in found["out"]]
        if size == (1280, 720):
            problems += [f"{slide_id}: {p}" for p in found["small"]]
        page.keyboard.press("ArrowRight")
    outside = [u for u in requests if not u.startswith(sample_url)]
    page.close()
    assert problems == []
    assert outside == []


@pytest.mark.browser
def test_no_serious_accessibility_violations_on_the_first_slides(browser, sample_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_page(page, present_url(sample_url))
    found = []
    for _ in range(4):  # title, where we stand, map, the first perspective
        results = Axe().run(page)
        found += [
            f"{current(page)}: {v['id']} ({v['impact']})"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        page.keyboard.press("ArrowRight")
    page.close()
    assert found == []


@pytest.mark.browser
def test_printing_gives_one_page_per_slide(browser, sample_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_page(page, present_url(sample_url))
    count = len(slide_ids(page))
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == count


@pytest.mark.browser
def test_s_opens_the_presenter_view_with_the_notes(browser, sample_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    open_page(page, present_url(sample_url) + "#where-we-stand")
    with context.expect_page() as opened:
        page.keyboard.press("s")
    presenter = opened.value
    presenter.wait_for_load_state("networkidle")
    assert presenter.is_visible("#sp-presenter-view")
    notes = presenter.inner_text("#sp-notes")
    assert "Overall we are" in notes
    assert presenter.inner_text("#sp-clock").strip()
    assert presenter.locator("#sp-next .slide").count() == 1
    # The audience's window follows the presenter's.
    presenter.keyboard.press("ArrowRight")
    page.wait_for_function("location.hash === '#map'")
    context.close()


@pytest.mark.browser
def test_the_home_page_links_present_mode_and_the_deck_downloads(browser, sample_url: str) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    open_page(page, sample_url)
    page.click("a:has-text('Present mode')")
    page.wait_for_url(re.compile(r"/present/"))
    assert page.is_visible("#deck > .slide")
    with page.expect_download() as download:
        page.click("#sp-toolbar a[download]", force=True)
    assert download.value.suggested_filename.endswith(".pptx")
    data = Path(download.value.path()).read_bytes()
    assert data[:2] == b"PK"
    context.close()


@pytest.mark.browser
def test_the_map_page_goes_full_screen_fitted_to_the_screen(browser, sample_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_page(page, sample_url + "map/")
    page.click("[data-sp-fullscreen]")
    page.wait_for_function("document.fullscreenElement !== null")
    box = page.eval_on_selector(".sp-map--full > svg", "e => e.getBoundingClientRect().toJSON()")
    assert box["height"] >= 700 or box["width"] >= 1270  # fitted to the screen, chrome hidden
    page.evaluate("document.exitFullscreen()")  # what Esc does (headless Chromium has no browser UI to press it in)
    page.wait_for_function("document.fullscreenElement === null")
    page.close()


@pytest.mark.browser
def test_a_map_band_opens_its_perspective_with_the_others_dimmed(browser, sample_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_page(page, sample_url + "map/")
    band = page.locator(".sp-map svg a.bl").first
    perspective = band.get_attribute("data-id")
    band.click()
    page.wait_for_url(re.compile(rf"/perspectives/{perspective}/$"))
    page.wait_for_load_state("networkidle")
    page.wait_for_function("document.querySelector('.sp-map[data-sp-focus] svg .objs') !== null")  # put inline
    faded = "els => els.filter(e => Number(getComputedStyle(e).opacity) < 0.5).length"
    dimmed = page.eval_on_selector_all(".sp-map svg .objs > a", faded)
    boxes = page.eval_on_selector_all(".sp-map svg .objs > a", "els => els.length")
    assert 0 < dimmed < boxes
    band_label = f'.sp-map svg a.bl[data-id="{perspective}"] > g'
    assert page.eval_on_selector(band_label, "e => getComputedStyle(e).opacity") == "1"
    # The one map file serves pages at any depth: its links resolve against the file, not the page.
    box = page.locator(".sp-map svg .objs > a.fp0").first  # fp0: in the first perspective, the band clicked
    objective = box.get_attribute("data-id")
    box.click()
    page.wait_for_url(re.compile(rf"/objectives/{objective}/$"))
    page.close()
