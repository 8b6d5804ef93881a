"""Our templates' HTML blocks set aside whole: the HTML Python-Markdown makes without it, and faster."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from conftest import ROOT

from generator.publish.raw_blocks import RawBlocks


def site_markdown(*extra: object) -> markdown.Markdown:
    """Python-Markdown with the project's extensions (as in mkdocs.yml), and ``extra``."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        names.append(name)
        if isinstance(entry, dict):
            settings[name] = entry[name]
    return markdown.Markdown(extensions=[*names, *extra], extension_configs=settings)


PERIODS = """<div class="sp-periods" data-search-exclude>
<table>
<thead><tr><th>Period</th> <th>Actual</th></tr></thead>
<tbody>
<tr><td>2026-12</td> <td>12 &lt; 13</td></tr>
</tbody>
</table>
</div>"""

PAGES = {
    "a period table between headings": f"# KPI\n\n## Periods\n\n{PERIODS}\n\n## After\n\nText.\n",
    "a table last on the page": f"# KPI\n\n{PERIODS}\n",
    "a definition list then a list":
        '# A\n\n<dl class="sp-facts">\n<dt>Owner</dt>\n<dd>Ann</dd>\n</dl>\n\n- one\n- two\n',
    "a block right under a paragraph": f"# A\n\nSome text.\n{PERIODS}\n\nMore.\n",
    "a block with a div inside":
        '# A\n\n<div class="sp-ev-detail">\n<div class="sp-evfig">x</div>\n<p>y</p>\n</div>\n\nz\n',
    "a block read as Markdown": '# A\n\n<div class="sp-cards" markdown>\n\n**bold** card\n\n</div>\n\nend\n',
    "a block shown as code": f"# A\n\n```html\n{PERIODS}\n```\n\nend\n",
    "a block inside a list item": f"# A\n\n- item\n\n    {PERIODS.replace(chr(10), chr(10) + '    ')}\n\nend\n",
    "a block whose inner end tag has a blank line after it":
        '# A\n\n<div class="sp-outer">\n<div class="sp-inner">x</div>\n\n<p>y</p>\n</div>\n\nz\n',
    "a bare table, then one with a comment": (
        f"# A\n\n{PERIODS[PERIODS.index('<table>'):-7]}\n\n"
        "<table>\n<!-- </table>\n\n -->\n<tr><td>1</td></tr>\n</table>\n\nz\n"
    ),
    "a block of another's class": '# A\n\n<div class="grid">\n<p>x</p>\n</div>\n\nend\n',
}


@pytest.fixture()
def sample_docs(sample_project: Path) -> Path:
    """The docs folder of the sample scorecard's portal."""
    return sample_project / "build" / "all" / "docs"


@pytest.mark.parametrize("text", PAGES.values(), ids=PAGES.keys())
def test_a_page_converts_to_the_same_html(text: str) -> None:
    assert site_markdown(RawBlocks()).convert(text) == site_markdown().convert(text)


def test_the_generated_pages_convert_to_the_same_html_and_their_blocks_are_set_aside(sample_docs: Path) -> None:
    plain, quick = site_markdown(), site_markdown(RawBlocks())
    kpi_pages = sorted((sample_docs / "kpis").glob("*.md"))
    for page in [*sorted(sample_docs.glob("*.md")), *kpi_pages]:
        text = page.read_text(encoding="utf-8")
        plain.reset()
        quick.reset()
        assert quick.convert(text) == plain.convert(text), page.name
    # The period table of a KPI page is set aside whole before Python-Markdown's HTML parser runs.
    quick.reset()
    lines = kpi_pages[-1].read_text(encoding="utf-8").split("\n")
    for name in ("normalize_whitespace", "fenced_code_block", "sp_raw_blocks"):
        lines = quick.preprocessors[name].run(lines)
    assert "<table>" not in lines and any('class="sp-periods"' in block for block in quick.htmlStash.rawHtmlBlocks)
