"""The built portal in a real browser (headless Chromium via Playwright).

Every page is opened through :func:`visit`, which records console errors, failed
requests, JavaScript dialogs and any request that would leave 127.0.0.1 (those are
aborted: the intranet has no internet, so anything fetched from outside would break).

Chromium is Debian's (``/usr/bin/chromium``). Without it these tests skip locally and
fail on CI (``CI`` set), so a broken CI image cannot pass silently.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from conftest import open_page

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SP_SHOTS")  # folder to keep the screenshots in, e.g. /tmp/shots
SERIOUS = {"serious", "critical"}


@dataclass
class Visit:
    """What went wrong while a page was open."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.console_errors + self.failed_requests + self.outside_requests + self.dialogs


@pytest.fixture()
def context(browser) -> Iterator:
    """A fresh browser context (own storage, so a dark-mode choice does not leak between tests)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture()
def watched(context):
    """A page that records every problem into a :class:`Visit` (returned with it)."""
    visit = Visit()
    page = context.new_page()

    def route(route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            visit.outside_requests.append(f"outside request: {route.request.url}")
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(f"console: {msg.text}"))
    page.on("pageerror", lambda error: visit.console_errors.append(f"page error: {error}"))
    # ERR_ABORTED is a load cut short by navigating away (a click on a map box while the
    # favicon loads); a real failure shows as an HTTP error status or another net error.
    page.on(
        "requestfailed",
        lambda req: "ERR_ABORTED" not in (req.failure or "")
        and visit.failed_requests.append(f"failed: {req.url} {req.failure}"),
    )
    page.on("response", lambda res: res.status >= 400 and visit.failed_requests.append(f"HTTP {res.status}: {res.url}"))

    def on_dialog(dialog) -> None:
        visit.dialogs.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page, visit


def scorecard(site: Path) -> dict:
    return json.loads((site / "scorecard.json").read_text(encoding="utf-8"))


def wait_for_heading(page, name: str) -> None:
    """Wait until the page's h1 reads ``name`` (instant navigation swaps content after the URL)."""
    page.wait_for_function(
        "name => { const h = document.querySelector('h1');"
        " return !!h && h.textContent.replace('¶', '').trim() === name; }",
        arg=name,
    )


def heading(page) -> str:
    """The page's h1 as a reader sees it, without the permalink mark."""
    return page.locator("h1").first.evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());"
        " return c.textContent.trim(); }"
    )


def page_urls(site: Path, base: str) -> set[str]:
    """The URL of every page of a built site (directory URLs), the 404 page left out."""
    folders = (page.parent.relative_to(site).as_posix() for page in site.rglob("index.html"))
    return {base if folder == "." else f"{base}{folder}/" for folder in folders}


# -- loading ------------------------------------------------------------------------------


def test_home_loads_without_errors(watched, sample_url: str, sample_site: Path) -> None:
    page, visit = watched
    open_page(page, sample_url)
    org = scorecard(sample_site)["organization"]
    assert heading(page) == org["name"]
    # Typing in the search box loads the search worker and index: they must come from here too.
    page.locator("input.md-search__input").click()
    page.keyboard.type("revenue")
    page.locator(".md-search-result__item").first.wait_for()
    assert visit.problems == []


def test_nothing_is_fetched_from_outside(watched, sample_url: str) -> None:
    page, visit = watched
    for path in ("", "map/", "kpis/", "initiatives/", "about/how-to-read/"):
        open_page(page, sample_url + path)
    assert visit.outside_requests == []
    assert visit.failed_requests == []


def test_outside_requests_are_caught(watched, sample_url: str) -> None:
    page, visit = watched
    open_page(page, sample_url)
    page.evaluate("fetch('https://fonts.googleapis.com/css').catch(() => null)")
    page.wait_for_timeout(200)
    assert visit.outside_requests == ["outside request: https://fonts.googleapis.com/css"]


# -- the strategy map ----------------------------------------------------------------------


def test_every_map_box_opens_its_objective(watched, sample_url: str, sample_site: Path) -> None:
    page, visit = watched
    names = {o["id"]: o.get("name") for o in scorecard(sample_site)["objectives"]}
    open_page(page, sample_url)
    boxes = page.locator(".sp-map svg a:not(.bl)")
    hrefs = [boxes.nth(i).get_attribute("href") for i in range(boxes.count())]
    targets = [re.search(r"objectives/([a-z0-9-]+)/$", href or "") for href in hrefs]
    assert sorted(match.group(1) for match in targets if match) == sorted(names), "one box per objective"

    for index, objective in enumerate(match.group(1) for match in targets):
        open_page(page, sample_url)
        page.locator(".sp-map svg a:not(.bl)").nth(index).click()
        page.wait_for_url(re.compile(rf"/objectives/{objective}/$"))
        wait_for_heading(page, names[objective])
        assert heading(page) == names[objective]
    assert visit.problems == []


def test_map_links_use_instant_navigation(watched, sample_url: str, sample_site: Path) -> None:
    """A map box opens its objective without a full page load (Material's instant navigation)."""
    page, visit = watched
    objective = scorecard(sample_site)["objectives"][0]
    open_page(page, sample_url)
    page.evaluate("window.__samePage = true")
    page.locator(f'.sp-map svg a[href$="objectives/{objective["id"]}/"]').first.click()
    page.wait_for_url(re.compile(rf"/objectives/{objective['id']}/$"))
    wait_for_heading(page, objective["name"])
    reloaded = "the page was reloaded: instant navigation did not take the click"
    assert page.evaluate("window.__samePage === true"), reloaded
    assert visit.problems == []


def test_kpi_chart_file_is_put_inline_also_after_instant_navigation(
    watched, sample_url: str, sample_site: Path
) -> None:
    """A KPI chart is a file beside its page; the page shows the SVG itself (its text reaches
    screen readers, its colours follow the page), on a direct load and after instant navigation."""
    page, visit = watched
    kpi = scorecard(sample_site)["kpis"][0]
    inline_chart = "document.querySelector('figure.sp-chart svg title') !== null"
    open_page(page, sample_url + f"kpis/{kpi['id']}/")
    page.wait_for_function(inline_chart)
    assert page.locator("figure.sp-chart img").count() == 0
    assert kpi["name"] in page.locator("figure.sp-chart svg title").first.text_content()

    open_page(page, sample_url + "kpis/")
    page.evaluate("window.__samePage = true")
    page.locator(f'a[href$="{kpi["id"]}/"]').first.click()
    wait_for_heading(page, kpi["name"])
    page.wait_for_function(inline_chart)
    reloaded = "the page was reloaded: instant navigation did not take the click"
    assert page.evaluate("window.__samePage === true"), reloaded
    assert visit.problems == []


def test_kpi_chart_without_javascript_is_an_image_with_its_text(browser, sample_url: str, sample_site: Path) -> None:
    kpi = scorecard(sample_site)["kpis"][0]
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(sample_url + f"kpis/{kpi['id']}/")
    img = page.locator("figure.sp-chart img").first
    assert kpi["name"] in (img.get_attribute("alt") or "")
    assert page.evaluate("document.querySelector('figure.sp-chart img').naturalWidth") > 0, "chart.svg did not load"
    ctx.close()


def test_the_map_without_javascript_is_a_picture_and_its_objectives_stay_reachable(
    browser, sample_url: str, sample_site: Path
) -> None:
    """The map is a file of the unit: without JavaScript it shows as a picture with a text
    alternative, and the map page lists every objective as a link instead of its boxes."""
    names = {o["id"] for o in scorecard(sample_site)["objectives"]}
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    for path in ("", "map/", f"themes/{scorecard(sample_site)['themes'][0]['id']}/"):
        page.goto(sample_url + path)
        img = page.locator("div.sp-map > img").first
        assert "Strategy map of" in (img.get_attribute("alt") or "")
        assert page.evaluate("document.querySelector('div.sp-map > img').naturalWidth") > 0, "map.svg did not load"
    listed = page.locator(".sp-map-list li a")
    page.goto(sample_url + "map/")
    hrefs = [listed.nth(i).get_attribute("href") or "" for i in range(listed.count())]
    assert listed.first.is_visible()
    assert {m.group(1) for h in hrefs if (m := re.search(r"objectives/([a-z0-9-]+)/$", h))} == names
    ctx.close()


def test_map_box_opens_a_clean_address_on_a_slow_machine(watched, sample_url: str, sample_site: Path) -> None:
    """A box reached by scrolling opens ``/objectives/x/``, not ``/objectives/x/#strategy-map``.

    Material's ``navigation.tracking`` wrote the home page's section into the address bar a
    moment after the map link had already changed page; a slow CPU (CI's) made it happen.
    """
    page, visit = watched
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    open_page(page, sample_url)
    bottom_box = page.locator(".sp-map svg a:not(.bl)").last
    objective = re.search(r"objectives/([a-z0-9-]+)/$", bottom_box.get_attribute("href") or "").group(1)
    bottom_box.click()
    page.wait_for_url(re.compile(rf"/objectives/{objective}/"))
    page.wait_for_timeout(1500)  # longer than any debounced address-bar write
    assert urlsplit(page.url).fragment == "", f"the address kept a stray section: {page.url}"
    assert visit.problems == []


# -- every page reachable ------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value for name, value in attrs if tag == "a" and name in ("href", "xlink:href") and value]


def crawl(base: str) -> set[str]:
    """Every page URL under ``base`` reachable by following links from the home page."""
    seen, todo = set(), [base]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url) as response:  # the local test server only
            if "html" not in response.headers.get("Content-Type", ""):
                continue
            parser = _Links()
            parser.feed(response.read().decode("utf-8"))
        for href in parser.hrefs:
            target = urldefrag(urljoin(url, href)).url
            if target.startswith(base) and (target.endswith("/") or target.endswith(".html")):
                todo.append(target)
    return seen


def test_every_page_is_reachable_from_home(sample_url: str, sample_site: Path) -> None:
    pages = page_urls(sample_site, sample_url)
    assert len(pages) > 20
    assert pages - crawl(sample_url) == set()


# -- accessibility ---------------------------------------------------------------------------


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, sample_url: str, sample_site: Path, scheme: str) -> None:
    card = scorecard(sample_site)
    paths = {
        "home": "",
        "perspective": f"perspectives/{card['perspectives'][0]['id']}/",
        "theme": f"themes/{card['themes'][0]['id']}/",
        "map": "map/",
        "evidence": "evidence/",
        "objective": f"objectives/{card['objectives'][0]['id']}/",
        "kpi": f"kpis/{card['kpis'][0]['id']}/",
    }
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    page = ctx.new_page()
    found = {}
    for name, path in paths.items():
        open_page(page, sample_url + path)
        found[name] = serious_violations(page)
    ctx.close()
    assert found == {name: [] for name in paths}


# -- hostile names ---------------------------------------------------------------------------


def test_hostile_names_show_as_text_and_run_nothing(watched, hostile_url: str, hostile_site: Path) -> None:
    page, visit = watched
    for url in sorted(page_urls(hostile_site, hostile_url)):
        open_page(page, url)
    assert visit.dialogs == [], "a name ran as script"

    open_page(page, hostile_url + "objectives/grow/")
    assert heading(page) == "<script>alert('objective')</script>"
    links = page.locator(".sp-description a")
    for index in range(links.count()):  # whatever survived as a link must lead somewhere harmless
        links.nth(index).click()
        open_page(page, hostile_url + "objectives/grow/")
    assert page.locator(".sp-description script, .sp-description img, .sp-description iframe").count() == 0
    open_page(page, hostile_url)
    body = page.locator("article").inner_text()
    assert "{{ 7*7 }}" in body, "template syntax in data must show as typed"
    assert page.locator("article img[src='x']").count() == 0
    assert page.title().startswith("<script>alert('org')</script> Hostile & Co")
    assert visit.dialogs == [] and [e for e in visit.console_errors if "alert" in e] == []


# -- dark mode ---------------------------------------------------------------------------------


def test_dark_mode_toggle_switches_and_is_remembered(watched, sample_url: str) -> None:
    page, visit = watched
    open_page(page, sample_url)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator("label[title='Switch to dark mode']:visible").click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert _luminance(background) < 0.2, background

    open_page(page, sample_url + "kpis/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate", "choice forgotten"
    page.locator("label[title='Switch to light mode']:visible").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    assert visit.problems == []


def _luminance(css_colour: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


# -- screens -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1400, 1000), (1920, 1080)], ids=["laptop", "projector"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_fit_the_screen(browser, sample_url: str, sample_site: Path, tmp_path: Path, size, scheme) -> None:
    """Home (with the map), an objective and a KPI page: no sideways scrolling, map fully visible."""
    card = scorecard(sample_site)
    paths = {"home": "", "objective": f"objectives/{card['objectives'][0]['id']}/",
             "kpi": f"kpis/{card['kpis'][0]['id']}/", "map": "map/"}
    width, height = size
    ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = ctx.new_page()
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    for name, path in paths.items():
        open_page(page, sample_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
        page.screenshot(path=str(shots / f"{name}-{scheme}-{width}.png"))
        if name in ("home", "map"):
            box = page.locator(".sp-map svg").first.bounding_box()
            frame = page.locator(".sp-map").first.bounding_box()
            assert box and frame and box["width"] <= frame["width"] + 1, f"the map is cut off on {name}"
    ctx.close()
