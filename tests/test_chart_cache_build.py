"""The chart cache over whole builds: a rebuild draws nothing, the pack holds the last build's charts only.

Builds the sample organisation (root and units, KPI charts and initiatives timelines) with
forked workers, as a real build of many KPIs does, and checks what a user would notice:
an unchanged rebuild draws no chart and rewrites no file, a cache folder that does not
grow from one month's build to the next, a damaged cache that only costs a redraw.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.compute import compute
from generator.load import load
from generator.model import Scorecard
from generator.pipeline import prepare
from generator.render import gather
from generator.render.charts import batch, timeline
from generator.render.charts.cache import PACK_NAME, ChartCache

SAMPLE = Path(__file__).resolve().parents[1] / "scorecard"


@pytest.fixture(scope="module")
def card() -> Scorecard:
    return load(SAMPLE).scorecard


class Drawing:
    """Counts the charts drawn, in any process: each draw appends the drawing process's id to a file."""

    def __init__(self, log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.log = log
        kpi_chart, initiatives_timeline = batch.kpi_chart, timeline.initiatives_timeline
        monkeypatch.setattr(batch, "kpi_chart", self.counted(kpi_chart))
        monkeypatch.setattr(timeline, "initiatives_timeline", self.counted(initiatives_timeline))

    def counted(self, draw):  # type: ignore[no-untyped-def]
        def drawing(*args, **kwargs):  # type: ignore[no-untyped-def]
            with self.log.open("a", encoding="utf-8") as out:
                out.write(f"{os.getpid()}\n")
            return draw(*args, **kwargs)

        return drawing

    def pids(self) -> list[int]:
        return [int(line) for line in self.log.read_text(encoding="utf-8").split()] if self.log.exists() else []


def build(card: Scorecard, cache: Path, as_of: dt.date | None = None) -> dict[str, bytes]:
    """Every file of the sample's docs folder, pages and charts made by two forked workers."""
    return gather(compute(card, as_of), cache_dir=cache, workers=2).files


def pack_keys(cache: Path) -> set[str]:
    return set(ChartCache(cache)._read)


def test_a_rebuild_of_unchanged_inputs_draws_no_chart_and_rewrites_nothing(card, tmp_path, monkeypatch):
    drawing = Drawing(tmp_path / "drawn", monkeypatch)
    cold = build(card, tmp_path / "cache")
    drawn = drawing.pids()
    charts = [path for path in cold if path.endswith(".svg") and "/kpis/" in f"/{path}"]
    assert len(drawn) > len(charts) > 10, "every KPI chart and every unit's timeline drawn once"
    pack = tmp_path / "cache" / PACK_NAME
    os.utime(pack, ns=(1, 1))
    assert build(card, tmp_path / "cache") == cold
    assert len(drawing.pids()) == len(drawn), "the rebuild drew nothing: every chart came from the pack"
    assert pack.stat().st_mtime_ns == 1, "an unchanged rebuild does not write the pack"


def test_charts_drawn_in_workers_are_in_the_pack(card, tmp_path, monkeypatch):
    drawing = Drawing(tmp_path / "drawn", monkeypatch)
    build(card, tmp_path / "cache")
    assert len(pack_keys(tmp_path / "cache")) == len(drawing.pids())
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [PACK_NAME]


_IN_A_FRESH_PROCESS = """
import json, os, sys
from pathlib import Path
from generator.compute import compute
from generator.load import load
from generator.render import gather
from generator.render.charts import batch, timeline
from generator.render.charts.cache import ChartCache

log, cache = Path(sys.argv[1]), Path(sys.argv[2])
for module, name in ((batch, "kpi_chart"), (timeline, "initiatives_timeline")):
    def counted(*args, _draw=getattr(module, name), **kwargs):
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\\n")
        return _draw(*args, **kwargs)
    setattr(module, name, counted)
results = compute(load(Path(sys.argv[3])).scorecard)
gather(results, cache_dir=cache, workers=2)
print(json.dumps({"me": os.getpid(), "kept": len(ChartCache(cache)._read)}))
"""


def test_charts_drawn_in_forked_workers_reach_the_pack(tmp_path):
    """As a real build runs: in a process with no other thread, so its workers fork (a test session has threads)."""
    log, cache = tmp_path / "drawn", tmp_path / "cache"
    done = subprocess.run([sys.executable, "-c", _IN_A_FRESH_PROCESS, str(log), str(cache), str(SAMPLE)],
                          capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    drawn = [int(pid) for pid in log.read_text(encoding="utf-8").split()]
    assert drawn and report["me"] not in drawn, "drawn in forked workers"
    assert report["kept"] == len(drawn), "every chart a worker drew is in the pack"


def test_charts_the_last_build_did_not_use_are_dropped(card, tmp_path):
    build(card, tmp_path / "cache", dt.date(2026, 3, 31))
    build(card, tmp_path / "cache", dt.date(2026, 4, 30))
    build(card, tmp_path / "april", dt.date(2026, 4, 30))
    assert pack_keys(tmp_path / "cache") == pack_keys(tmp_path / "april"), "March's charts went"


@pytest.mark.parametrize("damage", [lambda data: data[: len(data) // 3], lambda data: data[:-7] + b"garbage"])
def test_a_corrupt_pack_is_a_warning_and_a_full_render_of_the_same_bytes(card, tmp_path, caplog, damage):
    cold = build(card, tmp_path / "cache")
    pack = tmp_path / "cache" / PACK_NAME
    pack.write_bytes(damage(pack.read_bytes()))
    with caplog.at_level(logging.WARNING, logger="generator.render.charts.cache"):
        assert build(card, tmp_path / "cache") == cold
    assert "chart cache" in caplog.text and "corrupt" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="generator.render.charts.cache"):
        assert len(pack_keys(tmp_path / "cache")) > 10, "the rebuild wrote a whole pack again"
    assert not caplog.text


def test_the_cache_folder_does_not_grow_with_builds_of_other_months(tmp_path):
    charts, everything = [], []
    for month_end in (dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30)):
        prepare(SAMPLE, as_of=month_end, project_root=tmp_path, snapshots=False)
        files = [path for path in (tmp_path / ".cache").rglob("*") if path.is_file()]
        everything.append(len(files))
        charts.append([path.name for path in files if path.parent.name != "deck"])
    assert charts == [[PACK_NAME]] * 4, "one pack, whatever the months built"
    assert max(everything) <= 5, "and the deck cache's last four decks"
