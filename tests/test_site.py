"""The site step (no browser): atomic publish, the generated config, offline and escaped output."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import HOSTILE, ROOT, build_portal

from generator.errors import PublishError
from generator.publish.site import build_site, find_project_root, generated_config

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "publish"
PROVENANCE = {
    "as_of": "2026-06-30",
    "commit": "0123456789abcdef0123456789abcdef01234567",
    "generator_version": "0.1.0",
    "built_at": "2026-07-01T09:30:00+00:00",
}


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    """A copy of the hand-made docs folder (a few pages, status chips, an SVG map)."""
    return Path(shutil.copytree(FIXTURE / "docs", tmp_path / "work" / "docs"))


def fixture_nav() -> list:
    return yaml.safe_load((FIXTURE / "nav.yml").read_text(encoding="utf-8"))


def build(docs: Path, site: Path, **extra) -> None:
    build_site(docs, site, project_root=ROOT, nav=fixture_nav(), extra=extra or None)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Resources(HTMLParser):
    """Collects the URLs a page loads by itself: script src, link href, img src, iframe src..."""

    LOADS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "video": "src",
             "audio": "src", "embed": "src", "object": "data"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = self.LOADS.get(tag)
        if tag == "link" and ("rel", "canonical") in attrs:
            return  # names the page's published address (site_url); nothing is fetched
        for name, value in attrs:
            if value and (name == wanted or (tag == "img" and name == "srcset")):
                self.urls.append(value)
            if value and name == "style" and "url(" in value:
                self.urls.append(value)


def external_loads(site: Path) -> list[str]:
    """``page: url`` for every resource a built page would fetch from another host."""
    found = []
    for page in html_pages(site):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(site)}: {url}" for url in parser.urls if re.search(r"(^|\W)(https?:)?//", url)]
    for css in sorted(site.rglob("*.css")):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(encoding="utf-8")):
            found.append(f"{css.relative_to(site)}: {url}")
    return found


# -- atomic publish --------------------------------------------------------------------


def test_success_replaces_the_site_wholly(docs: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>old</h1>")  # an earlier site
    (site / "sitemap.xml").write_text("<urlset/>")
    (site / "stale-page.html").write_text("from an older build")
    build(docs, site)
    assert (site / "index.html").is_file()
    assert (site / "objectives" / "grow-profit" / "index.html").is_file()
    assert not (site / "stale-page.html").exists(), "a file of the previous site survived"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "work"], "a temporary folder was left behind"


def test_a_folder_the_user_wrote_is_never_replaced(docs: Path, tmp_path: Path) -> None:
    """--site-dir pointing at someone's files (or at a folder holding the scorecard) is refused."""
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "minutes.txt").write_text("board minutes")
    with pytest.raises(PublishError, match="holds no earlier site"):
        build(docs, mine)
    assert (mine / "minutes.txt").read_text() == "board minutes"
    with pytest.raises(PublishError, match="would replace"):
        build(docs, docs.parent)  # the folder holding the generated docs
    assert docs.is_dir()


def test_failed_build_leaves_the_previous_site_untouched(docs: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(docs, site)
    before = tree(site)
    (docs / "kpis" / "csat.md").write_text("# CSAT\n\nSee [the missing page](nowhere.md).\n")

    with pytest.raises(PublishError) as failure:
        build(docs, site)

    assert "nowhere.md" in str(failure.value), "the message should name the broken link"
    assert "Traceback" not in str(failure.value)
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "work"], "a half-built site was left behind"


def test_missing_docs_folder_is_a_publish_error(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="does not exist"):
        build_site(tmp_path / "nope", tmp_path / "site", project_root=ROOT, nav=[])
    assert not (tmp_path / "site").exists()


def test_same_inputs_give_byte_identical_sites(docs: Path, tmp_path: Path) -> None:
    build(docs, tmp_path / "one", provenance=PROVENANCE)
    build(docs, tmp_path / "two", provenance=PROVENANCE)
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    stamp = struct.unpack("<I", one["sitemap.xml.gz"][4:8])[0]  # gzip header mtime
    assert stamp == 1782864000, "dates in the site must come from the inputs (2026-07-01), not the clock"


# -- the generated mkdocs.yml -----------------------------------------------------------


def test_generated_config_inherits_the_project_config(docs: Path, tmp_path: Path) -> None:
    build(docs, tmp_path / "site", organization="Acme Coffee")
    config = yaml.safe_load((docs.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["INHERIT"] == str(ROOT / "mkdocs.yml")
    assert config["docs_dir"] == str(docs)
    assert config["site_dir"] == str(tmp_path / "site"), "a hand build must publish where the portal does"
    assert config["theme"]["custom_dir"] == str(ROOT / "theme")
    assert config["nav"] == fixture_nav()
    assert config["site_name"] == "Acme Coffee"


def test_generated_config_builds_with_plain_mkdocs(docs: Path, tmp_path: Path) -> None:
    build(docs, tmp_path / "site")
    out = tmp_path / "by-hand"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    run = subprocess.run(
        [str(mkdocs), "build", "--strict", "-f", str(docs.parent / "mkdocs.yml"), "-d", str(out)],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
    )
    assert run.returncode == 0, run.stderr
    assert "Acme Coffee" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "assets" / "portal.css").is_file()


def test_project_mkdocs_yml_is_offline_and_strict() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["font"] is False, "Google Fonts cannot load on the intranet"
    assert config["theme"]["custom_dir"] == "theme"
    assert [p["scheme"] for p in config["theme"]["palette"]] == ["default", "slate"]
    assert config["plugins"] == ["search"]


def test_nav_titles_and_site_name_are_escaped(docs: Path, tmp_path: Path) -> None:
    nav = fixture_nav()
    nav[1]["Perspectives"] = [{"<script>alert(1)</script>": "perspectives/financial.md"}]
    build_site(docs, tmp_path / "site", project_root=ROOT, nav=nav, extra={"organization": "<b>Acme</b> & Co"})
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Acme</b>" not in page
    assert "<title>&lt;b&gt;Acme&lt;/b&gt; &amp; Co</title>" in page
    assert "&amp;lt;" not in page, "escaped twice"


def test_generated_config_needs_no_hook_and_holds_names_escaped(docs: Path, tmp_path: Path) -> None:
    """Safety lives in the config and the pages, not in an engine hook (Zensical runs none)."""
    nav = [{"Home": "index.md"}, {"Perspectives": ["perspectives/financial.md"]}]
    config = generated_config(docs, tmp_path / "site", project_root=ROOT, nav=nav,
                              extra={"organization": "<script>alert(1)</script> & Co"})
    assert "hooks" not in config and "plugins" not in config
    assert config["site_name"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
    assert config["nav"] == nav  # our own words and bare paths: nothing to escape


def test_find_project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "scorecard").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: x\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert find_project_root(project / "scorecard") == project.resolve()
    (elsewhere / "mkdocs.yml").write_text("site_name: y\n")
    assert find_project_root(project / "scorecard") == elsewhere.resolve(), "the current folder wins"
    (elsewhere / "mkdocs.yml").unlink()
    assert find_project_root(tmp_path / "loose" / "scorecard") == ROOT, "else the checkout's own look"


# -- what the pages contain ---------------------------------------------------------------


def test_no_page_loads_anything_from_another_host(docs: Path, tmp_path: Path) -> None:
    build(docs, tmp_path / "site", provenance=PROVENANCE)
    assert external_loads(tmp_path / "site") == []


def test_external_load_detector_catches_a_cdn(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<script src="https://cdn.jsdelivr.net/x.js"></script><a href="https://ok.example">ok</a>')
    assert external_loads(tmp_path) == ["a.html: https://cdn.jsdelivr.net/x.js"]


def test_footer_names_the_provenance_on_every_page(docs: Path, tmp_path: Path) -> None:
    build(docs, tmp_path / "site", provenance=PROVENANCE)
    line = "Status as of 2026-06-30 · scorecard commit 0123456 · strategy-portal 0.1.0"
    for page in html_pages(tmp_path / "site"):
        text = page.read_text(encoding="utf-8")
        assert line in text, page
    kpi = (tmp_path / "site" / "kpis" / "csat" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../about/provenance/"' in kpi


def test_footer_survives_missing_provenance_keys(docs: Path, tmp_path: Path) -> None:
    (docs / "about" / "provenance.md").unlink()
    nav = [item for item in fixture_nav() if "About" not in item]
    build_site(docs, tmp_path / "site", project_root=ROOT, nav=nav, extra={"provenance": {"commit": None}})
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "No status date" in page
    assert "about/provenance/" not in page, "no link to a page that does not exist"


def test_search_index_and_accessible_search_dialog(docs: Path, tmp_path: Path) -> None:
    build(docs, tmp_path / "site")
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"]}
    assert {"Customer satisfaction", "Grow profits"} <= titles
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'role="dialog" aria-label="Search"', page)


def test_status_chip_colours_match_the_style_module() -> None:
    from generator.render.style import STATUS_STYLES

    css = (ROOT / "theme" / "assets" / "portal.css").read_text(encoding="utf-8")
    for status, style in STATUS_STYLES.items():
        for part in ("fill", "stroke", "ink"):
            declaration = f"--sp-{status.value}-{part}: {getattr(style, part)};"
            assert declaration in css, declaration


def test_status_chip_icons_match_the_style_module() -> None:
    """Colour is never alone: every chip class draws its status's icon, the one the map and the deck show."""
    from generator.render.style import STALE_ICON, STATUS_STYLES

    css = (ROOT / "theme" / "assets" / "portal.css").read_text(encoding="utf-8")
    expected = {style.css_class: style.icon for style in STATUS_STYLES.values()}
    expected |= {"sp-status--done": "\u2714", "sp-status--not-started": "\u25cb", "sp-stale": STALE_ICON}
    for css_class, icon in expected.items():
        escaped = re.escape(f'"\\{ord(icon):X}"')
        rule = rf"\.{css_class}::before\s*\{{\s*content: {escaped}; content: {escaped} / \"\";"
        assert re.search(rule, css), css_class


# -- the real pipeline --------------------------------------------------------------------


def test_search_finds_every_kpi_by_name(sample_site: Path) -> None:
    """The chart is a file and the period table plain HTML, but each KPI page is still found by its name."""
    index = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"]}
    card = json.loads((sample_site / "scorecard.json").read_text(encoding="utf-8"))
    assert card["kpis"] and all(kpi["name"] in titles for kpi in card["kpis"])


def test_unit_pages_are_found_by_their_content_not_their_menu(sample_site: Path) -> None:
    """A unit page's breadcrumb and section menu stay out of search: else every unit page matches "Owners"."""
    index = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    units = [doc for doc in index["docs"] if doc["location"].startswith("units/") and doc["location"] != "units/"]
    assert len(units) > 30
    menu, crumbs = "<li>Strategy map</li>", "<li>Managed Services</li>"  # a section link, the parent unit
    assert [doc["location"] for doc in units if menu in doc["text"] or crumbs in doc["text"]] == []


def test_no_chip_shows_its_icon_twice(sample_site: Path) -> None:
    """The stylesheet draws a chip's icon: one written inside the chip too (old markup) would show twice."""
    doubled = re.compile(r'class="sp-(?:status sp-status--[a-z-]+|stale)">\s*<span aria-hidden')
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    assert [p.relative_to(sample_site).as_posix() for p in pages if doubled.search(p.read_text("utf-8"))] == []


def test_period_numbers_stay_out_of_search_and_comments_are_found(sample_site: Path) -> None:
    """A search for "2026-10" or "On track" would list every KPI by its period table; a comment is worth finding."""
    index = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = {doc["location"]: doc["text"] for doc in index["docs"]}
    # No comment in any period: the table is neither searched nor given an empty Comment column.
    assert "2026-10" not in text["kpis/account-plan-coverage/#periods"]
    quiet = (sample_site / "kpis" / "account-plan-coverage" / "index.html").read_text(encoding="utf-8")
    assert "<th>Status</th>" in quiet and "<th>Comment</th>" not in quiet
    # A comment in one period: the table stays in search, with its Comment column.
    assert "First Cloud Academy cohort certified" in text["kpis/cloud-certification/#periods"]
    noted = (sample_site / "kpis" / "cloud-certification" / "index.html").read_text(encoding="utf-8")
    assert "<th>Comment</th>" in noted


def test_sample_portal_is_offline(sample_site: Path) -> None:
    assert (sample_site / "scorecard.json").is_file()
    assert external_loads(sample_site) == []


def test_restricted_kpis_never_reach_the_all_staff_site(hostile_site: Path, project_dir: Path) -> None:
    secret = "Secret margin figure"
    leaks = [p.relative_to(hostile_site).as_posix() for p in sorted(hostile_site.rglob("*"))
             if p.is_file() and secret.encode() in p.read_bytes()]
    assert leaks == []
    assert (hostile_site / "search" / "search_index.json").is_file()
    restricted = build_portal(HOSTILE, project_dir / "site-hostile-restricted", project_dir, "restricted")
    index = (restricted / "search" / "search_index.json").read_text(encoding="utf-8")
    assert secret in index, "the restricted edition should show the KPI (else this test proves nothing)"


class _Active(HTMLParser):
    """Finds markup that would run: event-handler attributes and scripts that call alert."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        self.found += [f"<{tag} {name}=...>" for name, _ in attrs if name.startswith("on")]
        self.found += [f"<{tag} {name}={value}>" for name, value in attrs if value and "javascript:" in value]
        if tag in ("iframe", "svg") and any(name == "onload" for name, _ in attrs):
            self.found.append(f"<{tag} onload>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data.strip()[:40]}")


def active_markup(page: Path) -> list[str]:
    parser = _Active()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def test_active_markup_detector_catches_an_injection(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<p>&lt;script&gt;alert(1)</p><img src=x onerror=alert(1)><script>alert(2)</script>')
    assert active_markup(page) == ["<img onerror=...>", "<script>alert(2)"]


def test_hostile_names_are_text_in_every_page(hostile_site: Path) -> None:
    pages = html_pages(hostile_site)
    assert [f"{p.relative_to(hostile_site)}: {a}" for p in pages for a in active_markup(p)] == []
    home = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;org&#39;)&lt;/script&gt;" in home or "&lt;script&gt;alert('org')" in home
    assert "{{ 7*7 }}" in home, "template syntax in data must show as typed, never evaluated"


# -- serve -----------------------------------------------------------------------------------


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    """Poll ``condition`` until it holds; the deadline only guards against a hang."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(docs: Path, tmp_path: Path) -> None:
    import threading
    import urllib.error
    import urllib.request

    from generator.errors import Location, Problem, ValidationFailed
    from generator.publish.serve import preview_server, stop
    from generator.publish.site import write_config

    scorecard = tmp_path / "scorecard"
    scorecard.mkdir()
    source = scorecard / "headline.txt"
    source.write_text("Version one")
    calls: list[str] = []

    def rebuild() -> Path:
        text = source.read_text()
        calls.append(text)
        if "INVALID" in text:
            raise ValidationFailed([Problem(Location("scorecard/headline.txt", 1), "headline is invalid")])
        (docs / "index.md").write_text(f"# {text}\n\n[KPIs](kpis/index.md)\n")
        config = generated_config(docs, tmp_path / "unused-site", project_root=ROOT, nav=fixture_nav())
        write_config(config, docs.parent / "mkdocs.yml")
        return docs.parent / "mkdocs.yml"

    server = preview_server(scorecard, rebuild=rebuild, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        _wait_for(lambda: server.server_address[1] != 0, "the server to listen")

        def home() -> str:
            url = f"http://127.0.0.1:{server.server_address[1]}/"
            try:
                with urllib.request.urlopen(url) as response:
                    return response.read().decode("utf-8")
            except urllib.error.URLError:
                return ""  # bound but not listening yet: MkDocs's server binds, then activates

        _wait_for(lambda: "Version one" in home(), "the first site")
        source.write_text("Version two")
        _wait_for(lambda: "Version two" in home(), "the rebuilt site")

        builds = len(calls)
        source.write_text("INVALID headline")
        _wait_for(lambda: len(calls) > builds, "the rebuild of the invalid input")
        assert "Version two" in home(), "an invalid input must not take the last good site down"
    finally:
        stop(server)
        thread.join(timeout=30)
    assert not Path(server.root).exists(), "the preview's temporary site was not removed"
