"""The strategy map SVG: bands, boxes, arrows, text fit, escaping, determinism."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from generator.compute.results import Audience, KpiResult, Results, RollUp, Status
from generator.model import Kpi, Objective, Organization, Perspective, Scorecard, Theme
from generator.render import style
from generator.render.strategy_map import render_map
from generator.render.text_metrics import text_width

SVG = "{http://www.w3.org/2000/svg}"
GOLDEN = Path(__file__).parent / "golden" / "strategy_map_small.svg"
PERSPECTIVES = [
    {"id": "financial", "name": "Financial"},
    {"id": "customer", "name": "Customer"},
    {"id": "internal", "name": "Internal Process"},
    {"id": "learning", "name": "Learning & Growth"},
]


# -- fixtures ---------------------------------------------------------------------------


def make_results(
    objectives: list[dict],
    *,
    perspectives: list[dict] = PERSPECTIVES,
    themes: list[dict] = (),
    statuses: dict[str, tuple[Status, float | None]] | None = None,
    stale: tuple[str, ...] = (),
    org_name: str = "Acme Coffee",
) -> Results:
    """Results built by hand: each objective's status from ``statuses`` (default no data)."""
    scorecard = Scorecard(
        organization=Organization.model_validate({"id": "acme", "name": org_name}),
        perspectives=tuple(Perspective.model_validate(p) for p in perspectives),
        themes=tuple(Theme.model_validate(t) for t in themes),
        objectives=tuple(Objective.model_validate(o) for o in objectives),
        kpis=(),
        initiatives=(),
    )
    statuses = statuses or {}
    rollups = {}
    for o in objectives:
        status, score = statuses.get(o["id"], (Status.NO_DATA, None))
        rollups[o["id"]] = RollUp(o["id"], score, status)
    kpis = {}
    for oid in stale:
        kpi = Kpi.model_validate(
            {"id": f"{oid}-kpi", "name": "k", "objective": oid, "direction": "higher",
             "frequency": "monthly", "target": {"period": "2026-12", "value": 1}}
        )
        kpis[kpi.id] = KpiResult(kpi=kpi, current=None, stale=True, history=())
    return Results(
        scorecard=scorecard,
        as_of=None,
        audience=Audience.ALL,
        organization=RollUp("acme", None, Status.NO_DATA),
        perspectives={p["id"]: RollUp(p["id"], 5.0, Status.AT_RISK) for p in perspectives},
        themes={},
        objectives=rollups,
        kpis=kpis,
    )


def small_results() -> Results:
    """A café's scorecard: skip-band, same-band and downward links, two themes."""
    def obj(oid: str, name: str, perspective: str, drives: list[str] = (), themes: list[str] = ()) -> dict:
        return {"id": oid, "name": name, "perspective": perspective, "drives": list(drives), "themes": list(themes)}

    objectives = [
        obj("grow-profit", "Grow profits", "financial", ["local-marketing"]),
        obj("grow-revenue", "Grow revenue from regulars", "financial", ["grow-profit"], ["loyalty"]),
        obj("delight-customers", "Delight every customer", "customer", ["loyal-customers"], ["loyalty"]),
        obj("new-customers", "Win new neighbourhood customers", "customer", ["grow-revenue"], ["growth"]),
        obj("loyal-customers", "Keep customers coming back", "customer", ["grow-revenue"], ["loyalty"]),
        obj("faster-orders", "Serve orders faster", "internal", ["delight-customers"], ["loyalty"]),
        obj("quality-coffee", "Brew consistently great coffee", "internal", ["delight-customers", "loyal-customers"]),
        obj("local-marketing", "Market to the neighbourhood", "internal", ["new-customers"], ["growth"]),
        obj("retain-staff", "Retain experienced baristas", "learning", ["train-staff"]),
        obj("train-staff", "Train staff on customer service", "learning",
            ["faster-orders", "quality-coffee", "grow-profit"], ["loyalty", "growth"]),
    ]
    statuses = {
        "grow-profit": (Status.AT_RISK, 4.2),
        "grow-revenue": (Status.ON_TRACK, 7.5),
        "delight-customers": (Status.ON_TRACK, 6.8),
        "new-customers": (Status.OFF_TRACK, 2.1),
        "loyal-customers": (Status.AT_RISK, 5.0),
        "faster-orders": (Status.ON_TRACK, 10.0),
        "quality-coffee": (Status.AT_RISK, 6.2),
        "train-staff": (Status.OFF_TRACK, 0.0),
    }
    themes = [{"id": "loyalty", "name": "Grow loyal customers"}, {"id": "growth", "name": "Grow the neighbourhood"}]
    return make_results(objectives, themes=themes, statuses=statuses, stale=("quality-coffee",))


_WORDS = (
    "improve deliver strengthen customer experience across regional operations through "
    "reliable partnerships sustainable digital capabilities and measurable outcomes"
).split()


def _long_name(i: int) -> str:
    """A 60-character name, different for every ``i``; one is a single unbreakable word."""
    if i == 5:
        return ("Internationalisation" * 3)[:60]
    words = _WORDS[i % len(_WORDS) :] + _WORDS[: i % len(_WORDS)]
    return f"{i:02d} {' '.join(words)}"[:60].rstrip().ljust(60, "x")


def big_results() -> Results:
    """18 objectives with 60-character names, 7 of them in one perspective."""
    layout = {"financial": 2, "customer": 7, "internal": 5, "learning": 4}
    ids: list[tuple[str, str]] = []
    for perspective, count in layout.items():
        ids += [(f"{perspective[:3]}-{i}", perspective) for i in range(count)]
    by_band = {p: [oid for oid, q in ids if q == p] for p in layout}
    above = {"customer": "financial", "internal": "customer", "learning": "internal"}
    objectives = []
    for n, (oid, perspective) in enumerate(ids):
        drives = []
        if perspective in above:
            targets = by_band[above[perspective]]
            drives.append(targets[(n * 3) % len(targets)])
            if n % 3 == 0:
                drives.append(targets[(n * 5 + 1) % len(targets)])
        if perspective == "learning" and n % 2 == 0:
            drives.append(by_band["financial"][n % 2])  # a link that skips two bands
        themes = [t for k, t in enumerate(("a", "b", "c")) if (n + k) % 3 == 0 or n % 5 == k]
        objectives.append({"id": oid, "name": _long_name(n), "perspective": perspective,
                           "drives": sorted(set(drives)), "themes": themes})
    objectives[3]["drives"].append("cus-4")  # a same-band link
    statuses = {o["id"]: (list(Status)[n % 4], None if n % 4 == 3 else n * 0.55) for n, o in enumerate(objectives)}
    themes = [{"id": t, "name": f"Theme {t.upper()}"} for t in ("a", "b", "c")]
    return make_results(objectives, themes=themes, statuses=statuses, stale=("int-1",))


def hostile_results() -> Results:
    names = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "*bold* _it_ [x](y) `c` & \\"]
    objectives = [
        {"id": f"o{i}", "name": n, "perspective": "customer", "drives": [f"o{i + 1}"] if i < 3 else []}
        for i, n in enumerate(names)
    ]
    perspectives = [{"id": "customer", "name": "<b>Customers</b>"}]
    themes = [{"id": "t", "name": "<i>theme</i>"}]
    objectives[0]["themes"] = ["t"]
    return make_results(objectives, perspectives=perspectives, themes=themes, org_name="<Acme & Co>")


def href(oid: str) -> str:
    return f"objectives/{oid}/"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


# -- helpers reading the SVG back ------------------------------------------------------------


def boxes(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    """Objective id -> (x, y, right, bottom) of its box."""
    out = {}
    for link in root.iter(f"{SVG}a"):
        rect = link.find(f"{SVG}rect[@class='bx']")
        x, y = float(rect.get("x")), float(rect.get("y"))
        out[link.get("data-id")] = (x, y, x + float(rect.get("width")), y + float(rect.get("height")))
    return out


def path_ends(d: str) -> tuple[tuple[float, float], tuple[float, float]]:
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return (numbers[0], numbers[1]), (numbers[-2], numbers[-1])


def path_samples(d: str) -> list[tuple[float, float]]:
    """Points along a path made of M, C and L commands."""
    points: list[tuple[float, float]] = []
    for command, args in re.findall(r"([MCL])([^MCL]*)", d):
        v = [float(x) for x in args.split()]
        if command == "M":
            points.append((v[0], v[1]))
        elif command == "L":
            x0, y0 = points[-1]
            points += [(x0 + (v[0] - x0) * t / 20, y0 + (v[1] - y0) * t / 20) for t in range(1, 21)]
        else:
            p0, p1, p2, p3 = points[-1], (v[0], v[1]), (v[2], v[3]), (v[4], v[5])
            for i in range(1, 41):
                t, u = i / 40, 1 - i / 40
                points.append(tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * e
                                    for a, b, c, e in zip(p0, p1, p2, p3, strict=True)))
    return points


def on_border(point: tuple[float, float], box: tuple[float, float, float, float], tol: float = 0.15) -> bool:
    (px, py), (x, y, r, b) = point, box
    inside_x, inside_y = x - tol <= px <= r + tol, y - tol <= py <= b + tol
    on_a_side = inside_x and (abs(py - y) <= tol or abs(py - b) <= tol)
    return on_a_side or (inside_y and (abs(px - x) <= tol or abs(px - r) <= tol))


def all_text(element: ET.Element) -> str:
    return "".join(element.itertext())


# -- structure -------------------------------------------------------------------------------


def test_one_band_per_perspective_in_order_first_on_top() -> None:
    root = parse(render_map(small_results(), href))
    bands = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bd"]
    assert [b.get("data-id") for b in bands] == ["financial", "customer", "internal", "learning"]
    tops = [float(b.get("y")) for b in bands]
    assert tops == sorted(tops) and len(set(tops)) == 4
    labels = [all_text(t) for t in root.iter(f"{SVG}text") if t.get("class") == "pl"]
    assert " ".join(labels) == "Financial Customer Internal Process Learning & Growth"


def test_each_box_sits_in_its_perspective_band() -> None:
    results = small_results()
    root = parse(render_map(results, href))
    bands = {r.get("data-id"): (float(r.get("y")), float(r.get("y")) + float(r.get("height")))
             for r in root.iter(f"{SVG}rect") if r.get("class") == "bd"}
    for oid, (_, y, _, b) in boxes(root).items():
        top, bottom = bands[results.scorecard.objective(oid).perspective]
        assert top < y and b < bottom, oid


def test_empty_perspective_still_gets_its_band() -> None:
    results = make_results([{"id": "a", "name": "Only one", "perspective": "customer"}])
    root = parse(render_map(results, href))
    bands = [r.get("data-id") for r in root.iter(f"{SVG}rect") if r.get("class") == "bd"]
    assert bands == ["financial", "customer", "internal", "learning"]
    assert "No objectives in this perspective" in all_text(root)


def test_every_objective_is_a_link_to_its_page_with_a_title() -> None:
    results = small_results()
    root = parse(render_map(results, href))
    links = {a.get("data-id"): a for a in root.iter(f"{SVG}a")}
    assert set(links) == {o.id for o in results.scorecard.objectives}
    for oid, link in links.items():
        assert link.get("href") == href(oid)
        assert list(link)[0].tag == f"{SVG}title"
        assert results.scorecard.objective(oid).name in list(link)[0].text
    assert links["grow-profit"].find(f"{SVG}title").text == "Grow profits \u2014 At risk, score 4.2"


def test_box_shows_status_icon_word_score_and_stale_marker() -> None:
    root = parse(render_map(small_results(), href))
    links = {a.get("data-id"): a for a in root.iter(f"{SVG}a")}
    for oid, status, score in [("grow-profit", Status.AT_RISK, "4.2"), ("faster-orders", Status.ON_TRACK, "10.0"),
                               ("retain-staff", Status.NO_DATA, None)]:
        text = all_text(links[oid])
        assert style.style(status).label in text and style.style(status).icon in text
        if score:
            assert score in text
    stale_mark = f".//{SVG}g[@class='stl']"
    assert links["quality-coffee"].find(stale_mark) is not None
    assert "stale data" in links["quality-coffee"].find(f"{SVG}title").text
    assert links["grow-profit"].find(stale_mark) is None
    # Seen from afar: a stale box's outline is dashed, as the legend's "Stale data" key shows.
    assert "stale" in links["quality-coffee"].get("class").split()
    assert "stale" not in links["grow-profit"].get("class").split()
    css = root.find(f"{SVG}style").text
    assert re.search(r"\.sp-map \.stale \.bx[^{]*\{[^}]*stroke-dasharray", css)


def test_every_status_word_appears_on_the_big_map() -> None:
    root = parse(render_map(big_results(), href))
    for link in root.iter(f"{SVG}a"):
        assert any(s.label in all_text(link) for s in style.STATUS_STYLES.values()), link.get("data-id")


# -- arrows ----------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [small_results, big_results])
def test_every_link_is_an_arrow_from_cause_to_effect(make) -> None:
    results = make()
    root = parse(render_map(results, href))
    box = boxes(root)
    paths = {(p.get("data-from"), p.get("data-to")): p for p in root.iter(f"{SVG}path") if p.get("data-from")}
    expected = {(o.id, e) for o in results.scorecard.objectives for e in o.drives}
    assert set(paths) == expected
    for (cause, effect), path in paths.items():
        start, end = path_ends(path.get("d"))
        assert on_border(start, box[cause]), (cause, start)
        assert on_border(end, box[effect]), (effect, end)
        assert path.get("marker-end", "").startswith("url(#")


def test_upward_arrows_leave_the_top_and_reach_the_bottom() -> None:
    root = parse(render_map(small_results(), href))
    box = boxes(root)
    path = next(p for p in root.iter(f"{SVG}path") if p.get("data-from") == "faster-orders")
    start, end = path_ends(path.get("d"))
    assert start[1] == pytest.approx(box["faster-orders"][1], abs=0.1)
    assert end[1] == pytest.approx(box["delight-customers"][3], abs=0.1)


def test_arrows_on_one_edge_do_not_share_a_point() -> None:
    root = parse(render_map(small_results(), href))
    starts = [path_ends(p.get("d"))[0] for p in root.iter(f"{SVG}path") if p.get("data-from") == "train-staff"]
    assert len(starts) == 3 and len(set(starts)) == 3


@pytest.mark.parametrize("make", [small_results, big_results])
def test_arrows_do_not_cross_other_boxes(make) -> None:
    root = parse(render_map(make(), href))
    box = boxes(root)
    for path in (p for p in root.iter(f"{SVG}path") if p.get("data-from")):
        ends = {path.get("data-from"), path.get("data-to")}
        for x, y in path_samples(path.get("d")):
            for oid, (bx, by, br, bb) in box.items():
                if oid not in ends:
                    assert not (bx < x < br and by < y < bb), (sorted(ends), oid, (x, y))


def test_ordering_uncrosses_links_written_crossed() -> None:
    objectives = [
        {"id": "top-a", "name": "A", "perspective": "financial"},
        {"id": "top-b", "name": "B", "perspective": "financial"},
        {"id": "low-b", "name": "drives B", "perspective": "customer", "drives": ["top-b"]},
        {"id": "low-a", "name": "drives A", "perspective": "customer", "drives": ["top-a"]},
    ]
    box = boxes(parse(render_map(make_results(objectives), href)))
    top_order = box["top-a"][0] < box["top-b"][0]
    low_order = box["low-a"][0] < box["low-b"][0]
    assert top_order == low_order


# -- text fit and size -----------------------------------------------------------------------


def test_boxes_never_overlap_and_names_fit_inside() -> None:
    root = parse(render_map(big_results(), href))
    box = boxes(root)
    items = sorted(box.items())
    for i, (a, (ax, ay, ar, ab)) in enumerate(items):
        for b, (bx, by, br, bb) in items[i + 1 :]:
            assert ar <= bx or br <= ax or ab <= by or bb <= ay, (a, b)
    for link in root.iter(f"{SVG}a"):
        x, y, r, b = box[link.get("data-id")]
        for text in link.iter(f"{SVG}text"):
            bold = text.get("class") in ("nm", "sc")
            size = 15 if text.get("class") == "nm" else 13
            tx, ty = float(text.get("x")), float(text.get("y"))
            width = text_width(all_text(text), size, bold=bold)
            left = tx - width if text.get("text-anchor") == "end" else tx
            assert x < left and left + width < r, all_text(text)
            assert y + size * 0.75 < ty < b - size * 0.2, all_text(text)


def test_status_line_parts_do_not_collide() -> None:
    """The status word (or the gap to goal) and the stale clock sit side by side inside the box."""
    results = make_results(
        [{"id": f"o{i}", "name": "x", "perspective": "customer"} for i in range(5)],
        statuses={f"o{i}": (Status.OFF_TRACK, 10.0) for i in range(5)},
        stale=tuple(f"o{i}" for i in range(5)),
    )
    root = parse(render_map(results, href))
    box = boxes(root)
    for link in root.iter(f"{SVG}a"):
        word = link.find(f"{SVG}text[@class='st']")
        clock = link.find(f"{SVG}g[@class='stl']/{SVG}circle")
        word_end = float(word.get("x")) + text_width(all_text(word), 13)
        clock_left = float(clock.get("cx")) - float(clock.get("r"))
        clock_right = float(clock.get("cx")) + float(clock.get("r"))
        assert word_end < clock_left
        assert clock_right < box[link.get("data-id")][2]
        assert link.find(f"{SVG}text[@class='sc']") is None  # no score on a box: it is on the objective's page


def test_long_names_wrap_and_the_full_name_stays_in_the_title() -> None:
    results = big_results()
    root = parse(render_map(results, href))
    for link in root.iter(f"{SVG}a"):
        name = results.scorecard.objective(link.get("data-id")).name
        lines = [all_text(t) for t in link.iter(f"{SVG}text") if t.get("class") == "nm"]
        assert 1 < len(lines) <= 4
        shown = "".join(lines).replace(" ", "").rstrip("\u2026")
        assert name.replace(" ", "").startswith(shown)
        assert link.find(f"{SVG}title").text.startswith(name)


def test_names_are_large_enough_for_a_projector() -> None:
    svg = render_map(big_results(), href)
    width = float(parse(svg).get("viewBox").split()[2])
    size = float(re.search(r"\.sp-map \.nm\{font-size:([\d.]+)px", svg).group(1))
    assert size * 1200 / width >= 15


def test_big_map_is_under_100_kb() -> None:
    assert len(render_map(big_results(), href).encode()) < 100_000


# -- escaping, accessibility, determinism ----------------------------------------------------


def test_hostile_names_come_out_as_text() -> None:
    results = hostile_results()
    svg = render_map(results, lambda oid: f'x"><script>{oid}', title="<h1>Map</h1>")
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", f"{SVG}img", "script", "img")]
    texts = {link.get("data-id"): "".join(all_text(t) for t in link.iter(f"{SVG}text") if t.get("class") == "nm")
             for link in root.iter(f"{SVG}a")}
    for objective in results.scorecard.objectives:
        assert texts[objective.id].replace(" ", "") == objective.name.replace(" ", "")
    assert next(root.iter(f"{SVG}a")).get("href") == 'x"><script>o0'
    assert "<b>Customers</b>" in all_text(root) and "<i>theme</i>" in all_text(root)
    assert root.find(f"{SVG}title").text == "<h1>Map</h1>"


def test_markdown_leaves_names_alone() -> None:
    """The map sits in a Markdown page: emphasis, links and template braces stay literal."""
    html = markdown.markdown(render_map(hostile_results(), href) + "\nafter\n")
    assert "<em>" not in html and "<code>" not in html and 'href="y"' not in html
    assert "49" not in re.sub(r"<[^>]+>", "", html)  # {{ 7*7 }} was not evaluated by anyone


def test_svg_is_labelled_and_not_an_image() -> None:
    svg = render_map(small_results(), href, title="Our strategy")
    root = parse(svg)
    first, second = list(root)[:2]
    assert (first.tag, second.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{first.get('id')} {second.get('id')}"
    assert first.text == "Our strategy" and "10 objectives" in second.text
    assert root.get("role") != "img"
    assert not svg.startswith("<?xml") and "\n\n" not in svg


def test_ids_are_prefixed_per_map_and_resolve() -> None:
    one = render_map(small_results(), href)
    two = render_map(small_results(), href, id_prefix="second")
    ids_one = set(re.findall(r'(?<![\w-])id="([^"]+)"', one))
    ids_two = set(re.findall(r'(?<![\w-])id="([^"]+)"', two))
    assert ids_one and not ids_one & ids_two
    assert all(i.startswith("sp-map-acme") for i in ids_one)
    for ref in re.findall(r"url\(#([^)]+)\)", two):
        assert ref in ids_two


def test_theme_map_dims_objectives_outside_the_theme() -> None:
    root = parse(render_map(small_results(), href, theme="growth"))
    dim = {a.get("data-id") for a in root.iter(f"{SVG}a") if "dim" in a.get("class").split()}
    assert dim == {"grow-profit", "grow-revenue", "delight-customers", "loyal-customers", "faster-orders",
                   "quality-coffee", "retain-staff"}


def test_a_theme_map_does_not_show_the_perspectives_organisation_wide_status() -> None:
    """On a theme's page the bands name their perspective only: its score would read as the theme's."""
    def band_labels(root: ET.Element) -> list[str]:
        groups = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}text[@class='pl']") is not None]
        return [" ".join(all_text(g).split()) for g in groups]

    organisation = band_labels(parse(render_map(small_results(), href)))
    theme = band_labels(parse(render_map(small_results(), href, theme="growth")))
    assert organisation[0].startswith("Financial: At risk") and "5.0" in organisation[0]
    assert theme[0] == "Financial Financial"  # the tooltip and the label, nothing else
    assert not any("At risk" in label or "5.0" in label for label in theme)


def _focus_dims(svg: str, focus: str) -> set[str]:
    """What the map's own rules dim under ``data-sp-focus=focus``: boxes by id, arrows as ``cause>effect``,
    band labels as ``band:<index>``."""
    style = re.search(r"<style>(.*?)</style>", svg, re.S).group(1)
    rule = re.search(r'((?:,?\[data-sp-focus="' + focus + r'"\][^{,]*)+)\{opacity:\.3\}', style)
    assert rule, f"no focus rule for {focus}"
    root = parse(svg)
    groups = {g.get("class"): g for g in root.iter(f"{SVG}g")}
    items = {
        "objs>a": [(a, a.get("data-id")) for a in groups["objs"]],
        "lns>.ln": [(ln, f"{ln.get('data-from')}>{ln.get('data-to')}") for ln in groups["lns"]],
        "pg": [(g, f"band:{g.get('class').split()[1][2:]}") for g in root.iter(f"{SVG}g")
               if "pg" in (g.get("class") or "").split()],
    }
    dimmed = set()
    for selector in rule.group(1).split(","):
        kind, cls = re.search(r"\.(objs>a|lns>\.ln|pg):not\(\.([a-z]+\d+)\)$", selector).groups()
        dimmed |= {name for el, name in items[kind] if cls not in el.get("class").split()}
    return dimmed


def _server_dims(svg: str) -> set[str]:
    root = parse(svg)
    groups = {g.get("class"): g for g in root.iter(f"{SVG}g")}
    boxes = {a.get("data-id") for a in groups["objs"] if "dim" in a.get("class").split()}
    arrows = {f"{ln.get('data-from')}>{ln.get('data-to')}" for ln in groups["lns"] if "dim" in ln.get("class").split()}
    return boxes | arrows


def test_one_drawing_focused_by_css_dims_what_a_theme_or_perspective_map_dims() -> None:
    """A perspective's or theme's page shows the one map with a focus: the map's own rules
    dim exactly the boxes and arrows that a map drawn for that perspective or theme dims."""
    results = small_results()
    whole = render_map(results, href)
    perspectives = results.scorecard.perspectives
    for i, perspective in enumerate(perspectives):
        expected = _server_dims(render_map(results, href, perspective=perspective.id))
        bands = {f"band:{j}" for j in range(len(perspectives)) if j != i}
        assert expected and _focus_dims(whole, f"p{i}") == expected | bands
    for i, theme in enumerate(results.scorecard.themes):
        expected = _server_dims(render_map(results, href, theme=theme.id))
        assert expected and _focus_dims(whole, f"t{i}") == expected
    assert '[data-sp-focus^="t"] .sp-map .bst{display:none}' in whole  # a theme's focus hides the bands' status


def test_same_results_give_the_same_bytes() -> None:
    assert render_map(big_results(), href) == render_map(big_results(), href)


def test_small_map_matches_golden() -> None:
    svg = render_map(small_results(), href, title="Acme Coffee strategy")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(svg, encoding="utf-8")
    assert svg == GOLDEN.read_text(encoding="utf-8")


def test_only_links_against_the_perspective_order_are_dashed() -> None:
    root = parse(render_map(small_results(), href))
    dashed = {(p.get("data-from"), p.get("data-to")) for p in root.iter(f"{SVG}path")
              if "dn" in (p.get("class") or "").split()}
    assert dashed == {("grow-profit", "local-marketing")}


def test_a_long_perspective_name_shrinks_rather_than_breaking_a_word() -> None:
    """A renamed perspective ("Organisational Capacity") keeps its words whole in the band label."""
    perspectives = [{"id": "impact", "name": "Mission Impact"}, {"id": "capacity", "name": "Organisational Capacity"}]
    objectives = [
        {"id": "a", "name": "Reduce hunger", "perspective": "impact"},
        {"id": "b", "name": "Grow volunteers", "perspective": "capacity", "drives": ["a"]},
    ]
    svg = render_map(make_results(objectives, perspectives=perspectives), lambda oid: f"{oid}/")
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if "pl" in (t.get("class") or "").split()]
    assert "Organisational" in labels and "Capacity" in labels, labels
