"""What a team lead, an auditor and a reader notice on the pages (issue 11, points 4-8).

Owner links land on the owner's section; the owners page has an A-Z index; the KPI list
has an owner column and a filter box that only shows with JS; needs-attention names
owners; snapshots are linked from the live portal when (and only when) they exist;
goals show the precision of the actuals; the map box says the gap to goal; aliases
show on their pages. Browser checks are in tests/test_browser_real_use.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import markdown
import pytest
from conftest import git, scorecard_repo

from generator.compute import compute
from generator.compute.results import Audience, Results
from generator.load import load
from generator.publish.snapshot import publish_snapshot
from generator.publish.snapshot_list import published_snapshots
from generator.render import pages as pg
from generator.render.jinja import render_template
from generator.render.pages.owner_links import owner_anchors, owner_link, owner_names
from generator.render.pages.owners import owners_page
from generator.render.pages.registry import PAGE_KINDS, Art
from generator.render.pages.snapshots import earlier_versions_markdown
from generator.render.strategy_map import render_map
from generator.render.strategy_map.gap import gap_texts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "scorecard"
PATHS = pg.Paths()
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc"]


@pytest.fixture(scope="module")
def sample() -> Results:
    return compute(load(SAMPLE).scorecard, audience=Audience.ALL)


def page_text(results: Results, kind: str, item: str = "") -> str:
    """One page's Markdown, rendered through the registry as the build does."""
    page_kind = next(k for k in PAGE_KINDS if k.name == kind)
    page = page_kind.build(results, PATHS, Art(results, PATHS), item)
    return render_template(page_kind.template, page=page)


def html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def heading_ids(text: str) -> set[str]:
    return set(re.findall(r'<h2[^>]*\bid="([^"]+)"', html(text)))


def owner_hrefs(text: str) -> list[tuple[str, str]]:
    """(link text, anchor) of every link to the owners page in a page's HTML."""
    return re.findall(r'<a href="[./]*owners(?:\.md|/)?#([^"]+)">([^<]+)</a>', html(text))


# -- owners ---------------------------------------------------------------------------------


def test_every_owner_link_on_kpi_objective_and_initiative_pages_lands_on_that_owners_section(
    sample: Results,
) -> None:
    owners = page_text(sample, "owners")
    sections = heading_ids(owners)
    kpi = sample.kpis["nps"].kpi
    for kind, item, owner in [
        ("kpi", "nps", kpi.owner),
        ("objective", kpi.objective, sample.scorecard.objective(kpi.objective).owner),
        ("initiative", next(iter(sample.initiatives)), next(iter(sample.initiatives.values())).initiative.owner),
    ]:
        links = owner_hrefs(page_text(sample, kind, item))
        assert links, f"{kind} page: no owner link"
        for anchor, _ in links:
            assert anchor in sections, (kind, anchor)
        assert any(text == " ".join(owner.split()) for _, text in links), (kind, links)


def test_index_pages_and_needs_attention_link_every_owner_to_their_section(sample: Results) -> None:
    sections = heading_ids(page_text(sample, "owners"))
    kpis = owner_hrefs(page_text(sample, "kpis"))
    assert len(kpis) == len(pg.visible_kpis(sample))  # one owner cell per KPI row
    attention = page_text(sample, "attention")
    linked = owner_hrefs(attention)
    items = [line for line in attention.splitlines() if line.startswith("<li>")]
    assert len(linked) == len(items)  # every item in the sample has an owner, and names them
    for anchor, _ in kpis + linked:
        assert anchor in sections


def test_owner_anchors_are_stable_readable_and_unique() -> None:
    names = ["Anna Berg", "J. Smith", "J Smith", "Émile Zola", "学习"]
    anchors = owner_anchors(names)
    assert anchors["Anna Berg"] == "owner-anna-berg"
    assert anchors["Émile Zola"] == "owner-emile-zola"  # accents dropped, same as people type them
    assert anchors["J. Smith"] == "owner-j-smith" and anchors["J Smith"] == "owner-j-smith-2"
    assert len(set(anchors.values())) == len(names)
    assert owner_anchors(list(names)) == anchors  # the same names give the same anchors every build


def test_owners_page_has_an_a_to_z_index_with_counts_and_statuses(sample: Results) -> None:
    page = owners_page(sample, PATHS)
    names = [o.name for o in page.owners]
    assert names == sorted(names, key=str.casefold)  # by the name as written
    text = html(page_text(sample, "owners"))
    index = text.split("<h2", 1)[0]
    for entry in page.owners:
        row = re.search(rf'<a href="#{entry.anchor}">[^<]+</a></td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>'
                        rf'\s*<td[^>]*>(\d+)</td>\s*<td>([^<]+)</td>', index)
        assert row, entry.name
        assert [int(n) for n in row.groups()[:3]] == [len(entry.objectives), len(entry.kpis), len(entry.initiatives)]
        assert row.group(4) == entry.summary
    assert 'class="sp-az"' in index  # the A-Z bar


def test_owners_page_stays_compact_with_a_hundred_owners(sample: Results) -> None:
    """A hundred owners: one KPI each; the page is an index row and a short list per owner."""
    card = sample.scorecard
    base = card.kpis[0]
    kpis = tuple(base.model_copy(update={"id": f"k{n:03d}", "owner": f"Person {n:03d}"}) for n in range(100))
    actuals = {k.id: card.actuals.get(base.id, ()) for k in kpis}
    many = dataclasses.replace(card, kpis=kpis, actuals=actuals, units=())
    results = compute(many, audience=Audience.ALL)
    page = owners_page(results, PATHS)
    assert len({o.anchor for o in page.owners}) == len(page.owners) >= 100
    text = html(render_template("owners.md.j2", page=page))
    index, sections = text.split("<h2", 1)
    assert index.count("<tr>") == len(page.owners) + 1
    assert "<table" not in sections  # sections are short lists, not wide tables
    person = sections.split('id="owner-person-042"', 1)[1].split("<h2", 1)[0]
    assert person.count("<li>") == 1 and base.name in person


def test_kpi_list_has_an_owner_column_and_a_filter_hidden_until_js_shows_it(sample: Results) -> None:
    text = html(page_text(sample, "kpis"))
    assert "<th>Owner</th>" in text
    box = re.search(r'<div class="sp-filter"[^>]*>', text)
    assert box and " hidden" in box.group(0)  # without JS: no dead box, the full list shows
    assert text.count("<tr>") == len(pg.visible_kpis(sample)) + 1


def test_owner_link_is_none_without_an_owner(sample: Results) -> None:
    assert owner_link(sample, PATHS, "  ") is None
    assert owner_names(sample)[-1] != ""  # the sample names every owner


# -- snapshots --------------------------------------------------------------------------------




@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return scorecard_repo(tmp_path / "org")


def fake_build(as_of: dt.date, site_dir: Path, extra_pages: dict) -> None:
    site_dir.mkdir(parents=True)
    (site_dir / "index.html").write_text("<h1>portal</h1>\n")
    doc = {"as_of": as_of.isoformat(), "objectives": [], "kpis": [], "initiatives": [], "perspectives": []}
    (site_dir / "scorecard.json").write_text(json.dumps(doc))
    (site_dir / "provenance.json").write_text(json.dumps({"commit": "c0ffee" * 6 + "beef"}))


def test_no_snapshot_branch_means_no_earlier_versions(repo: Path) -> None:
    assert published_snapshots(repo / "scorecard") == []
    assert published_snapshots(Path("/")) == []  # not a repository at all


def test_a_published_snapshot_is_listed_newest_first_with_its_changes_page(repo: Path) -> None:
    publish_snapshot("2026-Q1", build=fake_build, repo=repo)
    publish_snapshot("2026-Q2", build=fake_build, repo=repo)
    found = published_snapshots(repo / "scorecard")
    assert [(s.label, s.as_of, s.latest) for s in found] == [
        ("2026-Q2", "2026-06-30", True), ("2026-Q1", "2026-03-31", False),
    ]
    text = html(earlier_versions_markdown(found))
    assert '<a href="../../2026-Q2/">2026-Q2</a>' in text
    assert '<a href="../../2026-Q2/changes/">What changed in 2026-Q2</a>' in text
    assert "30 June 2026" in text
    based = earlier_versions_markdown(found, "https://portal.example.org/snapshots/")
    assert 'href="https://portal.example.org/snapshots/2026-Q1/changes/"' in based


def test_the_live_build_links_snapshots_only_when_they_exist(repo: Path, tmp_path: Path) -> None:
    from generator.pipeline import prepare

    project = tmp_path / "project"
    project.mkdir()
    (project / "content").mkdir()
    card = repo / "scorecard"
    (card / "scorecard.yml").write_text(
        "organization: {id: acme, name: Acme Coffee}\nperspectives: [{id: customer, title: Customer}]\n"
    )
    git(repo, "commit", "-qam", "perspective")
    before = prepare(card, project_root=project)
    assert not (before.docs_dir / "about" / "earlier-versions.md").exists()
    assert "snapshots_url" not in before.extra
    publish_snapshot("2026-Q1", build=fake_build, repo=repo)
    after = prepare(card, project_root=project)
    page = (after.docs_dir / "about" / "earlier-versions.md").read_text()
    assert "../../2026-Q1/" in page and "../../2026-Q1/changes/" in page
    assert after.extra["snapshots_url"] == "about/earlier-versions/"


# -- reading the numbers ----------------------------------------------------------------------


def test_an_interpolated_goal_shows_the_precision_of_the_actuals_on_the_kpi_page(sample: Results) -> None:
    current = sample.kpis["nps"].current
    assert current is not None and current.goal == pytest.approx(41.75)  # interpolated
    page = pg.kpi_page(sample, PATHS, "nps")
    assert page.goal == "42\u00a0points"
    assert page.periods[0].goal == "42"
    text = page_text(sample, "kpi", "nps")
    assert "41.75" not in text and "against a goal of **42\u00a0points**" in text


def test_json_keeps_the_goals_full_precision(sample: Results) -> None:
    from generator.compute.export import scorecard_json

    doc = scorecard_json(sample)
    nps = next(k for k in doc["kpis"] if k["id"] == "nps")
    assert nps["goal"] == 41.75


def test_map_box_says_the_gap_to_goal_not_the_score(sample: Results) -> None:
    assert gap_texts(sample, "delight-clients") == ("3\u00a0points below goal", "3 below goal")
    svg = render_map(sample, lambda oid: f"objectives/{oid}/")
    box = re.search(r'data-id="delight-clients">.*?</a>', svg, re.S)
    assert box
    assert "3 below goal" in box.group(0) or "3\u00a0points below goal" in box.group(0)
    assert "of 10" not in box.group(0).split("</title>")[1]
    for objective in sample.scorecard.objectives:
        kpis = [r for r in pg.visible_kpis(sample) if r.kpi.objective == objective.id and r.current]
        if len(kpis) > 1:
            assert re.fullmatch(r"\d of \d+ on goal", gap_texts(sample, objective.id)[0])


# -- finding things ---------------------------------------------------------------------------


def test_aliases_are_shown_on_kpi_and_objective_pages(sample: Results) -> None:
    assert "Also called: <strong>NPS</strong>, <strong>client loyalty</strong>" in html(page_text(sample, "kpi", "nps"))
    objective = next(o for o in sample.scorecard.objectives if o.aliases)
    text = html(page_text(sample, "objective", objective.id))
    assert all(f"<strong>{a}</strong>" in text for a in objective.aliases)


def test_chart_key_names_the_band_between_goal_and_red_flag(sample: Results) -> None:
    from generator.render.charts.kpi import kpi_chart

    svg = kpi_chart(sample.kpis["revenue"], "kpi-chart-revenue", sample.as_of)
    assert "At-risk band" in svg and "Red-flag zone" not in svg


def test_the_nps_chart_describes_its_rounded_goal(sample: Results) -> None:
    from generator.render.charts.kpi import kpi_chart

    svg = kpi_chart(sample.kpis["nps"], "kpi-chart-nps", sample.as_of)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    assert desc and "a goal of 42\u00a0points" in desc.group(1)


def test_home_and_map_pages_carry_the_phone_list_of_every_objective(sample: Results) -> None:
    for kind in ("home", "map"):
        text = page_text(sample, kind)
        listed = text.split('<div class="sp-map-list"', 1)[1].split("</div>", 1)[0]
        for objective in sample.scorecard.objectives:
            assert f">{objective.name}</a>" in listed.replace("&#39;", "'"), (kind, objective.name)
