"""The pages of a cascaded portal (issue 8): every unit's portal, the units overview, alignment
both ways, consolidated sources, breadcrumbs (generator/render/pages/units.py).

The fixture ``tests/fixtures/units/acme`` is Acme Coffee > Sales > Sales EMEA and Acme Coffee >
Operations; acme's revenue sums Sales, Operations and Sales EMEA, and Sales EMEA has not
reported March. Sales writes its own perspectives (same ids), the others inherit.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from links import broken_links

from generator.compute import compute
from generator.compute.results import Audience, Results
from generator.load import load
from generator.render import Gathered, gather

ACME = Path(__file__).parent / "fixtures" / "units" / "acme"
SAMPLE = Path(__file__).resolve().parents[1] / "scorecard"
UNITS = ("sales", "sales-emea", "operations")


@pytest.fixture(scope="module")
def tree() -> Results:
    return compute(load(ACME).scorecard, audience=Audience.RESTRICTED)


@pytest.fixture(scope="module")
def docs(tree: Results) -> Gathered:
    return gather(tree)


def page(docs: Gathered, path: str) -> str:
    return docs.files[path].decode("utf-8")


def html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "admonition", "attr_list", "md_in_html"])


def links(text: str) -> dict[str, str]:
    """Link text -> target of every Markdown and HTML link of a page."""
    found = {m.group(1).replace("\\", ""): m.group(2) for m in re.finditer(r"\[([^\]]+)\]\(([^)]+)\)", text)}
    found.update({m.group(2): m.group(1) for m in re.finditer(r'<a href="([^"]+)">([^<]+)</a>', text)})
    return found


def test_every_unit_gets_the_full_portal_under_its_folder(tree: Results, docs: Gathered) -> None:
    for unit in tree.walk()[1:]:
        prefix = f"units/{unit.unit_id}/"
        for path in ("index.md", "map.md", "objectives/index.md", "kpis/index.md", "initiatives/index.md",
                     "owners.md", "attention.md"):
            assert prefix + path in docs.files, prefix + path
        for objective in unit.scorecard.objectives:
            assert f"{prefix}objectives/{objective.id}.md" in docs.files
        for kpi_id in unit.kpis:
            assert f"{prefix}kpis/{kpi_id}.md" in docs.files
        for perspective in unit.scorecard.perspectives:
            assert f"{prefix}perspectives/{perspective.id}.md" in docs.files
    # a unit's home is titled with the unit's name, so search finds the unit by it
    head = page(docs, "units/sales-emea/index.md").split("<nav", 1)[0]
    assert head.startswith("---\nhide:\n  - navigation\n---\n") and "\n# Sales EMEA\n" in head


def test_a_units_map_boxes_link_to_that_units_objectives(docs: Gathered) -> None:
    home = page(docs, "units/sales-emea/index.md")
    assert '<img src="map/map.svg"' in home  # the unit's own map file
    svg = page(docs, "units/sales-emea/map/map.svg")  # served at units/sales-emea/map/map.svg
    assert 'href="../objectives/win-emea/"' in svg
    assert "../../objectives/" not in svg


def test_the_nav_lists_the_organisations_sections_and_one_units_entry(docs: Gathered) -> None:
    flat = repr(docs.nav)
    assert {"Units": "units/index.md"} in docs.nav
    assert flat.count("units/") == 1 and "alignment/" not in flat


def test_breadcrumb_and_sections_on_every_unit_page(docs: Gathered) -> None:
    kpi = page(docs, "units/sales-emea/kpis/revenue.md")
    crumbs = kpi.split('<nav class="sp-crumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("../../../../", "Acme Coffee"), ("../../../sales/", "Sales"), ("../../", "Sales EMEA"),
    ]
    assert '<li aria-current="page">EMEA revenue</li>' in crumbs
    assert '<a href="../">KPIs</a>' in kpi and '<a href="../../../">All units</a>' in kpi
    home = page(docs, "units/sales-emea/index.md")
    assert '<li aria-current="page">Sales EMEA</li>' in home
    assert '<details class="sp-switcher"' in home and '<strong aria-current="page">Sales EMEA</strong>' in home
    for path in docs.files:
        if path.startswith("units/") and path.endswith(".md") and path != "units/index.md":
            assert 'aria-label="Breadcrumb"' in page(docs, path), path
    assert 'aria-label="Breadcrumb"' not in page(docs, "index.md")


def test_the_home_page_leads_to_the_units(docs: Gathered) -> None:
    home = links(page(docs, "index.md"))
    assert home["Sales"] == "units/sales/" and home["Operations"] == "units/operations/"
    assert home["All units and how they compare"] == "units/index.md"
    assert links(page(docs, "units/sales/index.md"))["Sales EMEA"] == "../sales-emea/"


def test_an_objective_lists_the_unit_objectives_that_support_it(docs: Gathered) -> None:
    text = page(docs, "objectives/grow-revenue.md")
    below = links(text.split("**Supported by, below:**", 1)[1])
    assert below["Win key accounts"] == "../../units/sales/objectives/win-accounts/"
    assert below["Win EMEA accounts"] == "../../units/sales-emea/objectives/win-emea/"
    assert below["Sales EMEA"] == "../../units/sales-emea/" and "sp-status--" in text.split("**Supported by", 1)[1]
    assert "[The whole cascade, down to the teams](../alignment/grow-revenue.md)" in text


def test_every_link_of_the_tree_leads_to_a_written_page_and_section(docs: Gathered) -> None:
    """Across units too: alignment and consolidated tables link other units' pages in raw HTML."""
    pages = {path: html(data.decode("utf-8")) for path, data in docs.files.items() if path.endswith(".md")}
    broken, counts = broken_links(pages, docs.files)
    assert broken == []
    assert counts["raw"] > 100 and counts["anchored"] > 10


def test_a_unit_objective_lists_what_it_supports_above_and_below(docs: Gathered) -> None:
    emea = page(docs, "units/sales-emea/objectives/win-emea.md")
    above = links(emea.split("**Supports, above:**", 1)[1].split("**Supported by", 1)[0])
    assert above["Win key accounts"] == "../../../sales/objectives/win-accounts/"
    assert above["Grow revenue"] == "../../../../objectives/grow-revenue/"
    assert "No unit objective supports this one yet." in emea
    sales = page(docs, "units/sales/objectives/win-accounts.md")
    below = links(sales.split("**Supported by, below:**")[1])
    assert below["Win EMEA accounts"] == "../../../sales-emea/objectives/win-emea/"


def test_the_alignment_view_shows_the_whole_cascade(docs: Gathered) -> None:
    text = html(page(docs, "alignment/grow-revenue.md"))
    tree = text.split('<ul class="sp-cascade">', 1)[1]
    # grow-revenue > (win-accounts > win-emea), win-emea: nested lists, in tree order
    names = re.findall(r'<a href="[^"]+/objectives/[^"]+/">([^<]+)</a>', tree)
    assert names == ["Grow revenue", "Win key accounts", "Win EMEA accounts", "Win EMEA accounts"]
    assert tree.index("Win key accounts") < tree.index("<ul>", tree.index("Win key accounts"))
    assert "3 unit objectives support it." in text


def test_a_consolidated_kpi_shows_each_source_and_whom_it_waits_for(docs: Gathered) -> None:
    text = page(docs, "kpis/revenue.md")
    section = text.split("## Where the figure comes from", 1)[1].split("## Definition", 1)[0]
    assert "The sum of 3 units' figures; a total appears only when every unit has reported" in section
    notice = text.split("<figure", 1)[0]  # at the top, beside the current value, not under the chart
    assert '!!! warning "Waiting for Sales EMEA"' in notice and "Sales EMEA has not reported 2026\\-03 yet" in notice
    rows = [line for line in section.splitlines() if line.startswith("<tr><td><a ")]
    assert rows == [
        '<tr><td><a href="../../units/sales/">Sales</a></td> <td><a href="../../units/sales/kpis/revenue/">'
        'Sales revenue</a></td> <td style="text-align: right;">540\u00a0EUR\u00a0k</td></tr>',
        '<tr><td><a href="../../units/operations/">Operations</a></td> <td><a href="../../units/operations/kpis/'
        'service-revenue/">Service revenue</a></td> <td style="text-align: right;">170\u00a0EUR\u00a0k</td></tr>',
        '<tr><td><a href="../../units/sales-emea/">Sales EMEA</a></td> <td><a href="../../units/sales-emea/kpis/'
        'revenue/">EMEA revenue</a></td> <td style="text-align: right;">not reported yet</td></tr>',
    ]
    # down the chain: Sales' mean of EMEA waits for Sales EMEA too
    assert "Waiting for Sales EMEA" in page(docs, "units/sales/kpis/emea-revenue.md")
    assert "Where the figure comes from" not in page(docs, "units/sales/kpis/revenue.md")


def test_the_units_overview_has_the_tree_and_the_heat_map(tree: Results, docs: Gathered) -> None:
    text = page(docs, "units/index.md")
    heat = text.split('<table class="sp-heat">', 1)[1].split("</table>", 1)[0]
    assert "<caption>" in heat and heat.count('<th scope="col">') == 1 + len(tree.scorecard.perspectives)
    rows = re.findall(r'<th scope="row"[^>]*><a href="([^"]+)">([^<]+)</a></th>', heat)
    assert rows == [("../", "Acme Coffee"), ("operations/", "Operations"), ("sales/", "Sales"),
                    ("sales-emea/", "Sales EMEA")]
    sales_row = heat.split("Sales</a></th>", 1)[1].split("</tr>", 1)[0]
    financial = tree.unit("sales").perspectives["financial"]
    assert f"sp-heat-cell--{financial.status.value}" in sales_row.split("</td>")[0]
    assert financial.status.label in sales_row  # the word, not only a colour
    tree_html = text.split('<ul class="sp-unit-tree">', 1)[1]
    assert tree_html.index("Sales EMEA") > tree_html.index("<ul>")  # nested under Sales


def test_a_single_scorecard_has_no_unit_pages(tmp_path: Path) -> None:
    card = load(Path(__file__).parent / "fixtures" / "compute" / "cafe").scorecard
    single = gather(compute(card))
    assert not any(p.startswith(("units/", "alignment/")) for p in single.files)
    assert "Units" not in repr(single.nav)
    objective = next(p for p in single.files if p.startswith("objectives/") and not p.endswith("index.md"))
    assert "## Alignment" not in single.files[objective].decode()
    assert "Where the figure comes from" not in b"".join(single.files.values()).decode("utf-8", "replace")


def test_all_staff_portal_has_no_restricted_unit_kpi_or_total(docs: Gathered) -> None:
    everyone = gather(compute(load(ACME).scorecard, audience=Audience.ALL))
    assert "units/sales/kpis/pipeline.md" not in everyone.files
    assert "units/sales/kpis/pipeline.md" in docs.files
    assert not any("Qualified pipeline" in data.decode("utf-8", "replace") for p, data in everyone.files.items()
                   if p.endswith(".md"))


# In a fresh process: pages go to worker processes only from a process with no other thread,
# and this one may have some (a session fixture's web server).
SPREAD = """
import json, sys
from pathlib import Path
from generator.compute import compute
from generator.compute.results import Audience
from generator.compute.story import story
from generator.load import load
from generator.render import gather
from generator.render.pages import PageJob

tree = compute(load(Path(sys.argv[1])).scorecard, audience=Audience.RESTRICTED)
stories = {unit.unit_id: story(unit) for unit in tree.walk()}
here = gather(tree, stories=stories, workers=1)
rendered_here = []
render = PageJob.__call__

def counted(job):
    rendered_here.append(job.item)  # a forked worker appends to its own copy
    return render(job)

PageJob.__call__ = counted
spread = gather(tree, stories=stories, workers=2)
print(json.dumps({
    "rendered here": len(rendered_here),
    "same files": spread.files == here.files and list(spread.files) == list(here.files),
    "same nav": spread.nav == here.nav,
    "deck": "present/deck.pptx" in spread.files,
}))
"""


def test_pages_rendered_in_worker_processes_are_the_same_files() -> None:
    done = subprocess.run([sys.executable, "-c", SPREAD, str(ACME)], capture_output=True, text=True, check=True)
    told = json.loads(done.stdout.splitlines()[-1])
    assert told == {"rendered here": 0, "same files": True, "same nav": True, "deck": True}
