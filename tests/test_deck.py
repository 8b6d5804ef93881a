"""The PowerPoint deck as a presenter opens it: native charts, map shapes, notes, no restricted KPI."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from generator.compute.results import Audience
from generator.pipeline import deck

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "scorecard"
HOSTILE = ROOT / "tests" / "fixtures" / "publish" / "hostile"
RESTRICTED_ID, RESTRICTED_NAME = "gross-margin", "Gross margin"  # the sample's restricted KPI


@pytest.fixture(scope="module")
def built():
    return deck(SAMPLE, audience=Audience.ALL)


@pytest.fixture(scope="module")
def sample_deck(built) -> bytes:
    return built[0]


@pytest.fixture(scope="module")
def prs(sample_deck: bytes):
    return Presentation(io.BytesIO(sample_deck))


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of a zip package, and of the workbooks inside it (``outer!inner``)."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            blob = package.read(name)
            found[name] = blob
            if name.endswith(".xlsx"):
                found.update({f"{name}!{k}": v for k, v in parts(blob).items()})
    return found


def slide_titled(prs, prefix: str):
    return next(s for s in prs.slides if s.shapes.title.text_frame.text.startswith(prefix))


def test_the_deck_is_16_by_9_with_notes_on_every_slide(prs) -> None:
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
    assert len(prs.slides) >= 10
    for slide in prs.slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), slide.shapes.title.text


def test_charts_are_native_with_their_data(prs, built) -> None:
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    lines = [c for c in charts if c.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)]
    bars = [c for c in charts if c.chart_type is XL_CHART_TYPE.BAR_CLUSTERED]
    assert len(bars) == 1 and len(lines) == len(built[1].kpis)  # every all-staff KPI has a trend chart
    scores = bars[0].plots[0]
    assert list(scores.categories)[0].startswith("Financial") and len(scores.series[0].values) == 4
    revenue = next(c for c in lines if c.series[0].name.startswith("Actual (EUR k)"))
    actual, goal = (list(s.values) for s in revenue.plots[0].series)
    assert actual[-1] == 4440 and len(actual) == len(goal) == 6
    assert list(revenue.plots[0].categories)[-1] == "2026-10"


def test_the_map_is_one_shape_per_objective_joined_by_glued_arrows(prs, built) -> None:
    slide = slide_titled(prs, "Our strategy map")
    boxes = {s.shape_id: s for s in slide.shapes if s.name.startswith("Objective: ")}
    connectors = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.LINE or s.name.startswith("Drives: ")]
    objectives = built[1].scorecard.objectives
    assert sorted(b.name for b in boxes.values()) == sorted(f"Objective: {o.name}" for o in objectives)
    assert all(re.search(r"(On track|At risk|Off track|No data)", b.text_frame.text) for b in boxes.values())
    # Like the portal's map, a box tells its gap to goal, not a score that reads "0.0: nothing done".
    win = next(b.text_frame.text for b in boxes.values() if b.name == "Objective: Win new cloud clients")
    assert "Off track: 4 below goal" in win and "0.0" not in win
    assert len(connectors) == sum(len(o.drives) for o in objectives)  # one per cause -> effect link
    for connector in connectors:
        xml = connector._element.xml
        ends = [int(i) for i in re.findall(r'<a:(?:stCxn|endCxn) id="(\d+)"', xml)]
        assert len(ends) == 2 and all(end in boxes for end in ends)
        assert 'tailEnd type="triangle"' in xml
    bands = [s for s in slide.shapes if s.name.startswith("Band: ")]
    assert [b.name for b in bands] == [
        "Band: Financial", "Band: Customer", "Band: Internal Process", "Band: Learning & Growth"
    ]


def test_status_is_never_colour_alone(prs) -> None:
    table_slide = slide_titled(prs, "Customer:")
    table = next(s for s in table_slide.shapes if s.has_table).table
    statuses = [table.cell(r, 4).text for r in range(1, len(table.rows)) if table.cell(r, 4).text]
    chip = r"^[\u2714\u25b2\u2716\u25cb] (On track|At risk|Off track|No data)"
    assert statuses and all(re.match(chip, s) for s in statuses)


def test_a_restricted_kpi_appears_nowhere_in_the_all_staff_deck(sample_deck: bytes) -> None:
    everything = parts(sample_deck)
    assert any(name.endswith(".xlsx!xl/worksheets/sheet1.xml") for name in everything)  # workbooks are searched too
    for name, blob in everything.items():
        assert RESTRICTED_ID.encode() not in blob, name
        assert RESTRICTED_NAME.encode() not in blob, name


def test_the_restricted_deck_has_the_restricted_kpi() -> None:
    data, _ = deck(SAMPLE, audience=Audience.RESTRICTED)
    assert any(RESTRICTED_NAME.encode() in blob for blob in parts(data).values())


def test_two_builds_give_the_same_bytes_and_no_wall_clock(sample_deck: bytes) -> None:
    again, _ = deck(SAMPLE, audience=Audience.ALL)
    assert again == sample_deck
    with zipfile.ZipFile(io.BytesIO(sample_deck)) as package:
        assert package.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in package.infolist()} == {(2026, 10, 31, 0, 0, 0)}
    core = parts(sample_deck)["docProps/core.xml"].decode()
    assert "2026-10-31T00:00:00Z" in core
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2026-10-31T00:00:00Z"] * 2


def test_a_cached_deck_is_the_same_deck_and_a_changed_story_is_laid_out_again(tmp_path: Path) -> None:
    from generator.pipeline import check, compute, story
    from generator.render.deck import deck_bytes

    def sample_story(as_of: dt.date | None):
        return story(compute(check(SAMPLE, as_of=as_of).scorecard, as_of, Audience.ALL), None)

    now, earlier = sample_story(None), sample_story(dt.date(2026, 6, 30))
    fresh = deck_bytes(now)
    assert deck_bytes(now, cache_dir=tmp_path) == fresh  # made and kept
    assert deck_bytes(now, cache_dir=tmp_path) == fresh  # read back
    assert deck_bytes(earlier, cache_dir=tmp_path) == deck_bytes(earlier) != fresh  # another story: never the kept deck
    for entry in (tmp_path / "deck").glob("*.pptx"):
        entry.write_bytes(b"PK not a deck")  # a damaged entry is made again
    assert deck_bytes(now, cache_dir=tmp_path) == fresh


def test_hostile_names_are_text(tmp_path: Path) -> None:
    data, _ = deck(HOSTILE)
    prs = Presentation(io.BytesIO(data))
    assert prs.slides[0].shapes.title.text_frame.text == "<script>alert('org')</script> Hostile & Co"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_the_deck_command(tmp_path: Path) -> None:
    out = tmp_path / "q3.pptx"
    result = run("deck", "--out", str(out), "--as-of", "2026-Q3", "--site-url", "https://strategy.example.org/")
    assert result.returncode == 0, result.stderr
    assert "as of 2026-09-30" in result.stderr
    prs = Presentation(str(out))
    closing = prs.slides[len(prs.slides) - 1]
    assert "https://strategy.example.org/" in " ".join(s.text_frame.text for s in closing.shapes if s.has_text_frame)
    assert not list(tmp_path.glob("*.partial"))


def test_a_units_deck_tells_that_units_story(tmp_path: Path) -> None:
    out = tmp_path / "desk.pptx"
    result = run("deck", "--out", str(out), "--unit", "service-desk")
    assert result.returncode == 0, result.stderr
    first = Presentation(str(out)).slides[0]
    assert "Service Desk" in " ".join(s.text_frame.text for s in first.shapes if s.has_text_frame)


def test_an_unknown_unit_is_refused_with_the_units_there_are(tmp_path: Path) -> None:
    result = run("deck", "--out", str(tmp_path / "x.pptx"), "--unit", "north")
    assert result.returncode == 2
    assert "--unit north: no unit has that id" in result.stderr and "service-desk" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.pptx").exists()


def test_build_puts_the_deck_into_the_site(sample_site: Path, sample_url: str) -> None:
    built = sample_site / "present" / "deck.pptx"
    data, _ = deck(SAMPLE, site_url=sample_url)
    assert built.read_bytes() == data


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_deck_one_page_per_slide(tmp_path: Path, sample_deck: bytes, prs) -> None:
    source = tmp_path / "deck.pptx"
    source.write_bytes(sample_deck)
    profile = (tmp_path / "profile").as_uri()  # a private profile: no clash with another soffice
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(source)],
        capture_output=True, text=True, timeout=300,
    )
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file(), result.stdout + result.stderr
    pages = len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf.read_bytes()))
    assert pages == len(prs.slides)


def test_the_initiatives_timeline_has_a_bar_per_dated_initiative(prs, built) -> None:
    slide = slide_titled(prs, "Initiatives")
    bars = [s.name for s in slide.shapes if s.name.startswith("Initiative: ")]
    dated = [i for i in built[1].scorecard.initiatives if i.start or i.end]
    assert sorted(bars) == sorted(f"Initiative: {i.name}" for i in dated)
    overdue = [s.name for s in slide.shapes if s.name.startswith("Milestone (overdue)")]
    assert overdue == ["Milestone (overdue): Second cohort certified", "Milestone (overdue): Pilot teams migrated"]
    words = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "1 overdue milestone" in words and "Overdue milestones: " in words
