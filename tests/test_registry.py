"""The page registry and the writer: every page kind once, per unit; the docs folder synced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.compute import compute
from generator.compute.results import Audience, Results
from generator.load import load
from generator.render import render
from generator.render.pages import PAGE_KINDS, Paths, page_paths, unit_pages
from generator.render.writer import DocsWriter, sync

HOSTILE = Path(__file__).parent / "fixtures" / "render" / "hostile"


@pytest.fixture(scope="module")
def results() -> Results:
    return compute(load(HOSTILE).scorecard, audience=Audience.ALL)


def test_every_page_kind_is_declared_once() -> None:
    names = [kind.name for kind in PAGE_KINDS]
    templates = [kind.template for kind in PAGE_KINDS]
    assert len(names) == len(set(names)) and len(templates) == len(set(templates))
    assert set(names) >= {"home", "map", "kpi", "kpis", "objective", "initiative", "attention", "owners"}


def test_the_registry_renders_exactly_the_paths_it_lists(results: Results) -> None:
    files = unit_pages(results).files
    pages = sorted(p for p in files if p.endswith(".md"))
    assert pages == sorted(page_paths(results))
    assert len(pages) == len(set(page_paths(results)))  # no page written twice


def test_a_unit_prefix_puts_every_page_and_chart_under_units(results: Results) -> None:
    unit = unit_pages(results, Paths.unit("sales"))
    assert unit.files and all(path.startswith("units/sales/") for path in unit.files)
    assert "units/sales/kpis/revenue.svg" in unit.files
    flat = repr(unit.nav)
    assert "units/sales/index.md" in flat and "'index.md'" not in flat
    # Links stay inside the unit: the unit's home page links to its own KPI pages.
    home = unit.files["units/sales/index.md"].decode("utf-8")
    assert "](kpis/" in home or 'href="kpis/' in home


def test_charts_are_files_beside_their_pages(results: Results, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    render(results, docs)
    page = (docs / "kpis/revenue.md").read_text("utf-8")
    chart = (docs / "kpis/revenue.svg").read_text("utf-8")
    assert "<svg" not in page  # referenced, not inline
    # The page is served at kpis/revenue/, its chart at kpis/revenue.svg.
    assert '<img src="../revenue.svg"' in page and "data-sp-inline-svg" in page
    assert chart.startswith("<svg") and "<title" in chart
    # The text alternative is the chart's own title, escaped for the attribute.
    assert 'alt="Revenue &lt;img src=x onerror=alert(9)&gt;' in page


def test_writer_removes_stale_files_and_keeps_unchanged_mtimes(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    sync(docs, {"a.md": b"# A\n", "kpis/x.md": b"# X\n", "kpis/x.svg": b"<svg/>"})
    past = 1_000_000_000
    os.utime(docs / "a.md", (past, past))
    sync(docs, {"a.md": b"# A\n", "b.md": b"# B\n"})
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == ["a.md", "b.md"]
    assert (docs / "a.md").stat().st_mtime == past  # same bytes: not rewritten


def test_files_written_as_they_come_end_as_a_whole_sync_would(tmp_path: Path) -> None:
    """Render's workers hand their files over early; the final set (overrides, removals) still decides."""
    docs = tmp_path / "docs"
    sync(docs, {"old.md": b"# Old\n"})
    early = DocsWriter(docs)
    early.write({"a.md": b"# A\n", "kpis/x.svg": b"<svg/>"})
    early.write({"about.md": b"# Generated\n"})
    assert (docs / "kpis" / "x.svg").read_bytes() == b"<svg/>"  # there before the sync
    past = 1_000_000_000
    os.utime(docs / "a.md", (past, past))
    final = {"a.md": b"# A\n", "kpis/x.svg": b"<svg/>", "about.md": b"# Hand-written\n"}
    early.sync(final)
    assert {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()} == final
    assert (docs / "a.md").stat().st_mtime == past  # written once, early


def test_writer_never_writes_into_content(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(ValueError, match="never written"):
        sync(content / "docs", {"a.md": b"x"}, never_write=content)
    with pytest.raises(ValueError, match="inside the docs folder"):
        sync(tmp_path / "docs", {"../a.md": b"x"})
