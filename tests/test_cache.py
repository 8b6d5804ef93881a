"""The chart cache: a rebuild reuses charts, a change re-renders, a broken entry never breaks a build."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from generator.compute.results import Status
from generator.periods import Period
from generator.render.charts import cache as cache_module
from generator.render.charts.cache import ChartCache, cache_key

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


def test_second_request_is_served_from_disk_without_rendering(tmp_path):
    render = Renderer()
    first = ChartCache(tmp_path).get_or_render(PARTS, render)
    later_build = ChartCache(tmp_path)  # a new build, same folder
    assert later_build.get_or_render(dict(PARTS), render) == first
    assert render.calls == 1
    assert (later_build.hits, later_build.misses) == (1, 0)
    assert [p.name for p in tmp_path.iterdir()] == [f"{cache_key(PARTS)}.svg"]


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


@pytest.mark.parametrize("damage", ["", "<svg><text>84", "not svg at all", "<svg>\x00</svg>"])
def test_corrupt_entry_is_rendered_again_and_repaired(tmp_path, damage, caplog):
    cache = ChartCache(tmp_path)
    cache.path_for(cache_key(PARTS)).write_text(damage, encoding="utf-8")
    render = Renderer()
    with caplog.at_level(logging.WARNING, logger="generator.render.charts.cache"):
        assert cache.get_or_render(PARTS, render) == SVG.format("84 %")
    assert render.calls == 1
    assert "corrupt" in caplog.text
    assert cache.path_for(cache_key(PARTS)).read_text(encoding="utf-8") == SVG.format("84 %")


def test_undecodable_entry_is_rendered_again(tmp_path):
    cache = ChartCache(tmp_path)
    cache.path_for(cache_key(PARTS)).write_bytes(b"<svg>\xff\xfe</svg>")
    render = Renderer()
    cache.get_or_render(PARTS, render)
    assert render.calls == 1


def test_unwritable_cache_still_returns_the_chart(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    cache = ChartCache(blocker / "charts")
    render = Renderer()
    with caplog.at_level(logging.WARNING, logger="generator.render.charts.cache"):
        assert cache.get_or_render(PARTS, render) == SVG.format("84 %")
        assert cache.get_or_render(PARTS, render) == SVG.format("84 %")
    assert render.calls == 2
    assert "cannot write" in caplog.text


def test_write_leaves_no_temporary_file_behind(tmp_path):
    cache = ChartCache(tmp_path / "charts")  # created on first write
    for n in range(3):
        cache.get_or_render({**PARTS, "n": n}, Renderer())
    assert sorted(p.suffix for p in (tmp_path / "charts").iterdir()) == [".svg"] * 3
    assert not [p for p in (tmp_path / "charts").iterdir() if p.name.startswith(".tmp-")]


def test_failed_render_stores_nothing(tmp_path):
    cache = ChartCache(tmp_path)

    def broken() -> str:
        raise RuntimeError("matplotlib fell over")

    with pytest.raises(RuntimeError):
        cache.get_or_render(PARTS, broken)
    assert list(tmp_path.iterdir()) == []


def test_key_takes_model_items_by_their_fields():
    from generator.model import Kpi

    def kpi(unit: str) -> Kpi:
        return Kpi(id="csat", name="CSAT", objective="o", unit=unit, direction="higher", frequency="monthly",
                   target={"period": "2026-12", "value": 90})

    assert cache_key({"kpi": kpi("%")}) == cache_key({"kpi": kpi("%")})
    assert cache_key({"kpi": kpi("%")}) != cache_key({"kpi": kpi("pts")})
