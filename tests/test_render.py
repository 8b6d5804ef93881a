"""The render entry point: a docs folder a reader can trust.

Renders the hostile fixture scorecard (every text field an injection attempt,
one restricted KPI) and checks what a reader or an auditor would notice:
every page there, links that lead somewhere, names shown literally and never
run, hand-written pages kept, rebuilds that change only what changed.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from links import broken_links

from generator.compute import compute
from generator.compute.results import Audience, Results
from generator.load import load
from generator.render import Rendered, render

FIXTURES = Path(__file__).parent / "fixtures" / "render"
HOSTILE = FIXTURES / "hostile"
CONTENT = FIXTURES / "content"

# The Markdown dialect of the project's mkdocs.yml (the parts that change parsing).
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc"]

HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(3)>',
    "{{ 7*7 }} theme",
    "*bold* | pipe",
    "[link](javascript:alert(8))",
    "Revenue <img src=x onerror=alert(9)>",
    "[crm](javascript:alert(10)) <script>x</script>",
    "Learning & Growth ✓ 学习",
]


@pytest.fixture(scope="module")
def results() -> Results:
    return compute(load(HOSTILE).scorecard, audience=Audience.ALL)


@pytest.fixture(scope="module")
def built(results: Results, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Rendered]:
    docs = tmp_path_factory.mktemp("site") / "docs"
    rendered = render(
        results,
        docs,
        cache_dir=tmp_path_factory.mktemp("cache"),
        provenance={"commit": "abc123", "as_of": "2026-04-30"},
    )
    return docs, rendered


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def md_pages(docs: Path) -> dict[str, str]:
    return {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in sorted(docs.rglob("*.md"))}


# -- the docs folder -----------------------------------------------------------------------


def test_every_expected_page_is_written(built: tuple[Path, Rendered]) -> None:
    docs, rendered = built
    expected = {
        "index.md", "map.md", "owners.md", "attention.md",
        "perspectives/financial.md", "perspectives/customer.md", "perspectives/learning.md",
        "themes/t1.md",
        "objectives/index.md", "objectives/grow.md", "objectives/delight.md", "objectives/learn.md",
        "kpis/index.md", "kpis/revenue.md", "kpis/csat.md", "kpis/wait.md", "kpis/training.md",
        "initiatives/index.md", "initiatives/crm.md",
        "scorecard.json", "provenance.json",
    }  # fmt: skip
    assert expected <= set(rendered.pages)
    assert list(rendered.pages) == sorted(rendered.pages)
    on_disk = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    assert on_disk == set(rendered.pages)


def test_nav_lists_sections_not_detail_pages(built: tuple[Path, Rendered]) -> None:
    _, rendered = built
    titles = [next(iter(entry)) for entry in rendered.nav]
    assert titles == [
        "Home", "Strategy map", "Perspectives", "Themes", "Objectives", "KPIs",
        "Initiatives", "Owners", "Needs attention", "Is our strategy working?", "OKRs",
    ]  # fmt: skip
    perspectives = rendered.nav[2]["Perspectives"]
    # Bare paths: the site engine titles them from each page's escaped "# h1", so no
    # user text (a name like '"><img src=x onerror=alert(3)>') is ever in the nav.
    assert perspectives == [
        "perspectives/financial.md", "perspectives/customer.md", "perspectives/learning.md",
    ]  # fmt: skip
    flat = json.dumps(rendered.nav, ensure_ascii=False)
    assert "onerror" not in flat and "<" not in flat
    assert "kpis/revenue.md" not in flat and "objectives/grow.md" not in flat


def test_links_resolve_to_written_pages_and_their_sections(built: tuple[Path, Rendered]) -> None:
    """Markdown links (MkDocs checks those) and links in raw HTML (tables, lists: nothing checks
    those but this) lead to a written page, and an anchor (an owner's #owner-...) to an id on it."""
    docs, rendered = built
    broken, counts = broken_links({page: to_html(text) for page, text in md_pages(docs).items()}, rendered.pages)
    assert broken == []
    assert counts["all"] > 50 and counts["raw"] > 30 and counts["anchored"] > 10


def test_every_table_is_a_table(built: tuple[Path, Rendered]) -> None:
    """No table is read as paragraph text (a lost blank line before it) or left inside a paragraph."""
    docs, _ = built
    tables = 0
    for page, text in md_pages(docs).items():
        html = to_html(text)
        assert "|---" not in html and "| KPI |" not in html, f"{page}: a table shown as text"
        # Search and the KPI list's filter read a row's text: its cells are apart, not "RevenueJane".
        assert not re.search(r"</t[dh]><t[dh]", html), f"{page}: table cells without a space between them"
        for paragraph in re.findall(r"<p>(.*?)</p>", html, re.S):
            assert "<table" not in paragraph and "<ul>" not in paragraph, f"{page}: a table inside a paragraph"
        tables += html.count("<table>")
    assert tables > 15


def test_the_map_is_one_file_whose_links_resolve_against_it(built: tuple[Path, Rendered]) -> None:
    """Home and a theme's page show the one map file; its links are directory URLs relative to the file."""
    docs, rendered = built
    assert '<img src="map/map.svg"' in (docs / "index.md").read_text("utf-8")
    theme = (docs / "themes/t1.md").read_text("utf-8")
    assert 'data-sp-focus="t0"' in theme and '<img src="../../map/map.svg"' in theme
    assert "<svg" not in theme  # referenced, not inline
    checked = 0
    for file in ("map/map.svg", "evidence/map.svg"):
        svg = (docs / file).read_text("utf-8")
        assert svg.startswith("<svg") and "<title" in svg
        for href in re.findall(r'<a href="([^"]+)"', svg):
            folder = posixpath.normpath(posixpath.join(posixpath.dirname(file), href))
            assert f"{folder}.md" in rendered.pages or f"{folder}/index.md" in rendered.pages, f"{file}: {href}"
            checked += 1
    assert 'href="../objectives/grow/"' in (docs / "map/map.svg").read_text("utf-8")
    assert checked > 10


# -- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "index.md", "map.md", "owners.md", "attention.md", "perspectives/financial.md", "themes/t1.md",
        "objectives/index.md", "objectives/grow.md", "objectives/delight.md", "objectives/learn.md",
        "kpis/index.md", "kpis/revenue.md", "initiatives/index.md", "initiatives/crm.md",
    ],
)  # fmt: skip
def test_hostile_text_is_shown_and_never_run(built: tuple[Path, Rendered], page: str) -> None:
    docs, _ = built
    html = to_html((docs / page).read_text("utf-8"))
    for tag, attrs in elements(html).tags:
        own_chart = f"../{Path(page).stem}.svg"  # kpis/<id>.md is served at kpis/<id>/
        if tag == "img" and (re.fullmatch(r"(\.\./)*(map/map|evidence/map|map)\.svg", attrs.get("src") or "")
                             or attrs.get("src") == own_chart) and "data-sp-inline-svg" in attrs:
            continue  # the KPI's own chart written beside the page, or the unit's map
        assert tag not in {"script", "img", "iframe", "b", "i"}, f"{page}: a <{tag}> element got through"
        assert not any(name.startswith("on") for name in attrs), f"{page}: event handler on <{tag}>"
        assert not (attrs.get("href") or "").lower().startswith("javascript"), f"{page}: javascript link"


def test_hostile_names_appear_literally(built: tuple[Path, Rendered]) -> None:
    docs, _ = built
    text = " ".join(" ".join(elements(to_html(t)).text) for t in md_pages(docs).values())
    for hostile in HOSTILE_TEXTS:
        assert hostile in text, f"{hostile!r} is not shown as written"


def test_pipe_in_a_name_keeps_the_table_shape(built: tuple[Path, Rendered]) -> None:
    docs, _ = built
    html = to_html((docs / "objectives/index.md").read_text("utf-8"))
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert rows and all(row.count("<td") in (0, 4) for row in rows)  # objective, status, score, owner
    assert any("| table breaker" in row for row in rows)
    assert any("*bold* | pipe" in row for row in rows)


def test_description_keeps_formatting_but_not_html(built: tuple[Path, Rendered]) -> None:
    docs, _ = built
    html = to_html((docs / "objectives/grow.md").read_text("utf-8"))
    assert "<strong>revenue</strong>" in html
    assert '<a href="https://example.org/plan?a=1&amp;b=2">the plan</a>' in html
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in html
    assert not any("onclick" in attrs for _, attrs in elements(html).tags)


# -- restricted KPIs -----------------------------------------------------------------------------


def test_restricted_kpi_leaves_no_trace(built: tuple[Path, Rendered]) -> None:
    docs, rendered = built
    assert "kpis/secret-margin.md" not in rendered.pages
    for path in rendered.pages:
        text = (docs / path).read_text("utf-8")
        assert "SECRET" not in text and "secret-margin" not in text, f"{path} reveals the restricted KPI"
    home = (docs / "index.md").read_text("utf-8")
    assert "**4 KPIs**" in home  # four visible KPIs, the restricted fifth not counted


def test_restricted_build_shows_the_restricted_kpi(tmp_path: Path) -> None:
    results = compute(load(HOSTILE).scorecard, audience=Audience.RESTRICTED)
    rendered = render(results, tmp_path / "docs")
    assert "kpis/secret-margin.md" in rendered.pages
    assert "SECRET-MARGIN-KPI" in to_html((tmp_path / "docs/kpis/index.md").read_text("utf-8"))
    assert "not in the all-staff portal" in to_html((tmp_path / "docs/kpis/secret-margin.md").read_text("utf-8"))


# -- files ---------------------------------------------------------------------------------------


def test_json_files(built: tuple[Path, Rendered]) -> None:
    docs, _ = built
    scorecard = json.loads((docs / "scorecard.json").read_text("utf-8"))
    assert scorecard["as_of"] == "2026-04-30"
    assert {k["id"] for k in scorecard["kpis"]} == {"revenue", "csat", "wait", "training"}
    assert json.loads((docs / "provenance.json").read_text("utf-8"))["commit"] == "abc123"


def test_content_pages_win_and_are_listed(results: Results, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    before = {p: p.read_bytes() for p in CONTENT.rglob("*") if p.is_file()}
    with caplog.at_level("INFO"):
        rendered = render(results, tmp_path / "docs", content_dir=CONTENT, extra_pages={"about/provenance.md": "# P\n"})
    assert (tmp_path / "docs/owners.md").read_text("utf-8").startswith("# Our owners (hand-written)")
    assert "owners.md" in caplog.text and "replaces the generated page" in caplog.text
    assert (tmp_path / "docs/about/how-to-read.md").is_file()
    assert rendered.nav[-1] == {"About": ["about/how-to-read.md", "about/provenance.md"]}
    assert {p: p.read_bytes() for p in CONTENT.rglob("*") if p.is_file()} == before  # never written


def test_extra_page_may_not_leave_the_docs_folder(results: Results, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="inside the docs folder"):
        render(results, tmp_path / "docs", extra_pages={"../escape.md": "# no\n"})


def test_rebuild_removes_stale_files_and_keeps_unchanged_ones(results: Results, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    render(results, docs)
    (docs / "kpis" / "deleted-kpi.md").write_text("# gone\n", "utf-8")
    (docs / "old-folder").mkdir()
    (docs / "old-folder" / "x.md").write_text("# x\n", "utf-8")
    past = 1_000_000_000
    os.utime(docs / "kpis/revenue.md", (past, past))
    render(results, docs)
    assert not (docs / "kpis/deleted-kpi.md").exists()
    assert not (docs / "old-folder").exists()
    assert (docs / "kpis/revenue.md").stat().st_mtime == past  # same bytes: not rewritten


def test_output_is_deterministic(results: Results, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    render(results, first)
    render(results, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for path in files:
        assert (first / path).read_bytes() == (second / path).read_bytes(), f"{path} differs between builds"
