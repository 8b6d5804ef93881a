"""A page converted on a reused Python-Markdown instance: what MkDocs's own Page.render gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from generator.publish import page_markdown, raw_blocks


def converted(page: Any) -> tuple:
    return (page.content, str(page.toc), page._title_from_render, sorted(page.present_anchor_ids),
            {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()})


@pytest.fixture()
def site(sample_project: Path) -> tuple[Any, Any]:
    """The sample portal's MkDocs configuration (with the build's RawBlocks) and files."""
    config = load_config(config_file=str(sample_project / "build" / "all" / "mkdocs.yml"))
    config["markdown_extensions"].append(raw_blocks.RawBlocks())
    return config, get_files(config)


def test_every_page_of_the_sample_portal_converts_as_mkdocs_converts_it(site: tuple[Any, Any]) -> None:
    config, files = site
    pages = files.documentation_pages()
    assert len(pages) > 50
    for file in pages:  # one after another on the one instance: no page's state reaches the next
        ours, theirs = Page(None, file, config), Page(None, file, config)
        for page in (ours, theirs):
            page.read_source(config)
        page_markdown.render(ours, config, files, Page.render)
        Page.render(theirs, config, files)
        assert converted(ours) == converted(theirs), file.src_uri


def test_abbreviations_and_footnote_like_state_do_not_carry_over_to_the_next_page(site: tuple[Any, Any]) -> None:
    config, files = site
    first, second = files.documentation_pages()[:2]
    one = Page(None, first, config)
    one.markdown = "# One\n\n*[KPI]: Key performance indicator\n\nA KPI here.\n"
    page_markdown.render(one, config, files, Page.render)
    two = Page(None, second, config)
    two.markdown = "# Two\n\nA KPI there.\n"
    page_markdown.render(two, config, files, Page.render)
    assert "<abbr" in one.content and "<abbr" not in two.content


def test_a_configuration_with_another_extension_is_left_to_mkdocs(site: tuple[Any, Any]) -> None:
    config, files = site
    config["markdown_extensions"].append("footnotes")
    called = []
    page = Page(None, files.documentation_pages()[0], config)
    page.read_source(config)
    page_markdown.render(page, config, files, lambda *args: called.append(args))
    assert len(called) == 1
