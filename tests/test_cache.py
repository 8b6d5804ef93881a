"""The chart cache: a rebuild reuses charts, a change re-renders, one pack of the last build's charts, safe."""

from __future__ import annotations

import datetime as dt
import logging
import marshal
import os

import pytest

from generator.compute.results import Status
from generator.periods import Period
from generator.render.charts import cache as cache_module
from generator.render.charts.cache import PACK_NAME, ChartCache, cache_key

SVG = '<svg xmlns="http://www.w3.org/2000/svg" id="c"><text>{}</text></svg>\n'


class Renderer:
    """A render function that counts its calls."""

    def __init__(self, text: str = "84 %") -> None:
        self.calls = 0
        self.text = text

    def __call__(self) -> str:
        self.calls += 1
        return SVG.format(self.text)


PARTS = {"chart_id": "kpi-chart-csat", "history": [["2026-06", 84.0, 85.0, 76.5, "at-risk"]], "unit": "%"}


def build(tmp_path, parts=PARTS, render=None):
    """One build's use of the cache: the pack read, one chart asked for, the pack written back."""
    cache = ChartCache(tmp_path)
    text = cache.get_or_render(parts, render or Renderer())
    cache.save()
    return cache, text


def test_second_build_is_served_from_the_pack_without_rendering(tmp_path):
    render = Renderer()
    _, first = build(tmp_path, render=render)
    later_build, again = build(tmp_path, dict(PARTS), render)  # a new build, same folder
    assert again == first
    assert render.calls == 1
    assert (later_build.hits, later_build.misses) == (1, 0)
    assert [p.name for p in tmp_path.iterdir()] == [PACK_NAME], "one file, whatever the number of charts"


def test_a_build_that_changes_nothing_rewrites_nothing(tmp_path):
    build(tmp_path)
    pack = tmp_path / PACK_NAME
    os.utime(pack, ns=(1, 1))
    build(tmp_path)
    assert pack.stat().st_mtime_ns == 1


def test_charts_the_build_did_not_use_are_dropped(tmp_path):
    build(tmp_path, {**PARTS, "as_of": "2026-05-31"})
    build(tmp_path, {**PARTS, "as_of": "2026-06-30"})
    cache = ChartCache(tmp_path)
    assert cache.lookup({**PARTS, "as_of": "2026-06-30"}) is not None
    assert cache.lookup({**PARTS, "as_of": "2026-05-31"}) is None, "May's chart went with the build that did not use it"


def test_the_pack_is_the_same_bytes_for_the_same_charts(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, order in ((one, range(3)), (two, reversed(range(3)))):
        cache = ChartCache(folder)
        for n in order:
            cache.get_or_render({**PARTS, "n": n}, Renderer(str(n)))
        cache.save()
    assert (one / PACK_NAME).read_bytes() == (two / PACK_NAME).read_bytes()


def test_charts_of_earlier_versions_one_file_each_are_removed_and_nothing_else(tmp_path):
    loose = tmp_path / f"{cache_key(PARTS)}.svg"
    loose.write_text(SVG.format("old"), encoding="utf-8")
    (tmp_path / ".tmp-abc.svg").write_text("<svg", encoding="utf-8")
    (tmp_path / "deck").mkdir()
    (tmp_path / "mine.svg").write_text("not ours", encoding="utf-8")
    build(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([PACK_NAME, "deck", "mine.svg"])


def test_changed_input_changes_the_key_and_renders_again(tmp_path):
    cache = ChartCache(tmp_path)
    cache.get_or_render(PARTS, Renderer("84 %"))
    changed = {**PARTS, "history": [["2026-06", 84.5, 85.0, 76.5, "at-risk"]]}
    render = Renderer("84.5 %")
    assert cache_key(changed) != cache_key(PARTS)
    assert "84.5 %" in cache.get_or_render(changed, render)
    assert render.calls == 1


def test_key_is_canonical_whatever_the_key_order():
    reordered = {"unit": "%", "history": PARTS["history"], "chart_id": "kpi-chart-csat"}
    assert cache_key(reordered) == cache_key(PARTS)
    assert len(cache_key(PARTS)) == 64


def test_key_changes_with_generator_and_matplotlib_versions(monkeypatch):
    before = cache_key(PARTS)
    monkeypatch.setattr(cache_module, "__version__", "9.9.9")
    assert cache_key(PARTS) != before
    monkeypatch.undo()
    monkeypatch.setattr(cache_module, "_matplotlib_version", lambda: "0.0.1")
    assert cache_key(PARTS) != before


def test_key_takes_periods_dates_and_statuses_by_their_text():
    parts = {"period": Period.parse("2026-06"), "as_of": dt.date(2026, 6, 30), "status": Status.AT_RISK}
    same = {"period": "2026-06", "as_of": "2026-06-30", "status": "at-risk"}
    assert cache_key(parts) == cache_key(same)


def test_object_without_canonical_form_is_refused():
    with pytest.raises(TypeError, match="cache key"):
        cache_key({"thing": object()})


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1 :]


@pytest.mark.parametrize("damage", [_truncated, _flipped, lambda _: b"", lambda _: b"not a pack at all"])
def test_a_corrupt_pack_is_a_warning_and_every_chart_is_rendered_again(tmp_path, damage, caplog):
    build(tmp_path)
    pack = tmp_path / PACK_NAME
    pack.write_bytes(damage(pack.read_bytes()))
    render = Renderer()
    with caplog.at_level(logging.WARNING, logger="generator.render.charts.cache"):
        cache, text = build(tmp_path, render=render)
    assert text == SVG.format("84 %")
    assert render.calls == 1
    assert "corrupt" in caplog.text
    assert ChartCache(tmp_path).lookup(PARTS) == SVG.format("84 %"), "the pack is whole again"


def test_a_pack_of_another_format_is_quietly_an_empty_cache(tmp_path, caplog):
    (tmp_path / PACK_NAME).write_bytes(marshal.dumps({"format": -1, "size": 0}))
    render = Renderer()
    with caplog.at_level(logging.WARNING, logger="generator.render.charts.cache"):
        build(tmp_path, render=render)
    assert render.calls == 1 and not caplog.text


def test_unwritable_cache_still_returns_the_chart(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    render = Renderer()
    with caplog.at_level(logging.WARNING, logger="generator.render.charts.cache"):
        assert build(blocker / "cache", render=render)[1] == SVG.format("84 %")
        assert build(blocker / "cache", render=render)[1] == SVG.format("84 %")
    assert render.calls == 2
    assert "cannot write" in caplog.text


def test_write_leaves_no_temporary_file_behind(tmp_path):
    cache = ChartCache(tmp_path / "cache")  # created on first write
    for n in range(3):
        cache.get_or_render({**PARTS, "n": n}, Renderer())
    cache.save()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [PACK_NAME]


def test_failed_render_stores_nothing(tmp_path):
    cache = ChartCache(tmp_path)

    def broken() -> str:
        raise RuntimeError("matplotlib fell over")

    with pytest.raises(RuntimeError):
        cache.get_or_render(PARTS, broken)
    cache.save()
    assert list(tmp_path.iterdir()) == []


def test_key_takes_model_items_by_their_fields():
    from generator.model import Kpi

    def kpi(unit: str) -> Kpi:
        return Kpi(id="csat", name="CSAT", objective="o", unit=unit, direction="higher", frequency="monthly",
                   target={"period": "2026-12", "value": 90})

    assert cache_key({"kpi": kpi("%")}) == cache_key({"kpi": kpi("%")})
    assert cache_key({"kpi": kpi("%")}) != cache_key({"kpi": kpi("pts")})
