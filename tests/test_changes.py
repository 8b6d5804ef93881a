"""What changed between two snapshots (generator/publish/changes.py compares, render lays out the page)."""

from __future__ import annotations

import copy

import markdown

from generator.publish.changes import diff
from generator.render.pages.records import change_value as format_value
from generator.render.pages.records import changes_markdown as changes_page


def kpi(**extra: object) -> dict:
    base = {
        "id": "csat",
        "name": "Customer satisfaction",
        "org_unit": "acme",
        "unit": "%",
        "owner": "Ana",
        "direction": "higher",
        "frequency": "monthly",
        "target": {"period": "2026-12", "value": 90.0},
        "targets": [],
        "tolerance": "10%",
        "range": None,
        "history": [
            {"period": "2026-01", "actual": 80.0},
            {"period": "2026-02", "actual": 81.0},
            {"period": "2026-03", "actual": None},
        ],
    }
    return base | extra


def document(**extra: object) -> dict:
    base = {
        "as_of": "2026-03-31",
        "organization": {"id": "acme", "name": "Acme"},
        "perspectives": [{"id": "customer", "name": "Customer", "org_unit": "acme"}],
        "themes": [{"id": "loyalty", "name": "Loyalty", "org_unit": "acme"}],
        "objectives": [{"id": "delight", "name": "Delight customers", "owner": "Ana", "org_unit": "acme"}],
        "kpis": [kpi()],
        "initiatives": [{"id": "training", "name": "Training", "owner": "Bo", "org_unit": "acme"}],
    }
    return base | extra


def html(page: str) -> str:
    return markdown.markdown(page, extensions=["admonition", "tables"])


def test_identical_documents_have_no_changes_and_say_so() -> None:
    changes = diff(document(), document())
    assert changes.empty
    page = changes_page(changes, current_label="2026-Q2", previous_label="2026-Q1")
    assert "No changes since 2026\\-Q1." in page
    assert "danger" not in page and "|" not in page


def test_a_changed_published_actual_is_restated_with_both_values() -> None:
    later = document(kpis=[kpi(history=[{"period": "2026-01", "actual": 80.0}, {"period": "2026-02", "actual": 79.5}])])
    restated = diff(document(), later).restatements
    assert [(r.kpi_id, r.period, r.old, r.new) for r in restated] == [("csat", "2026-02", 81.0, 79.5)]


def test_a_removed_actual_is_restated_but_an_empty_cell_filled_later_is_not() -> None:
    later = document(
        kpis=[kpi(history=[{"period": "2026-02", "actual": 81.0}, {"period": "2026-03", "actual": 85.0}])]
    )
    restated = diff(document(), later).restatements
    # January disappeared (restated to nothing); March was empty when published, so filling it is new data.
    assert [(r.period, r.old, r.new) for r in restated] == [("2026-01", 80.0, None)]
    page = changes_page(diff(document(), later), current_label="2026-Q2", previous_label="2026-Q1")
    assert "| removed |" in page


def test_equal_values_written_differently_are_not_restatements() -> None:
    later = document(kpis=[kpi(history=[{"period": "2026-01", "actual": 80}, {"period": "2026-02", "actual": 81.0}])])
    assert diff(document(), later).restatements == ()


def test_restatements_come_first_in_a_danger_admonition() -> None:
    later = document(
        kpis=[kpi(owner="Cy", history=[{"period": "2026-01", "actual": 70.0}, {"period": "2026-02", "actual": 71.0}])]
    )
    page = changes_page(diff(document(), later), current_label="2026-Q2", previous_label="2026-Q1")
    assert page.index('!!! danger "2 restated actuals"') < page.index("## Targets, tolerances and owners")
    rendered = html(page)
    assert '<div class="admonition danger">' in rendered
    assert rendered.index("2 restated actuals") < rendered.index("<td>80 %</td>") < rendered.index("<td>70 %</td>")


def test_one_restated_actual_is_singular() -> None:
    later = document(kpis=[kpi(history=[{"period": "2026-01", "actual": 80.0}, {"period": "2026-02", "actual": 1.0}])])
    page = changes_page(diff(document(), later), current_label="2026-Q2", previous_label="2026-Q1")
    assert '!!! danger "1 restated actual"' in page


def test_target_tolerance_and_owner_changes_show_old_and_new() -> None:
    later = document(
        kpis=[kpi(target={"period": "2026-12", "value": 95.0}, tolerance=2.0)],
        objectives=[{"id": "delight", "name": "Delight customers", "owner": "Cy", "org_unit": "acme"}],
    )
    changed = {
        (c.kind, c.id, c.field): (format_value(c.old, c.old_unit), format_value(c.new, c.new_unit))
        for c in diff(document(), later).fields
    }
    assert changed == {
        ("KPI", "csat", "target"): ("90 % by 2026-12", "95 % by 2026-12"),
        ("KPI", "csat", "tolerance"): ("10%", "2"),
        ("Objective", "delight", "owner"): ("Ana", "Cy"),
    }


def test_added_removed_and_renamed_items_of_every_kind() -> None:
    later = document(
        themes=[{"id": "loyalty", "name": "Grow loyal customers", "org_unit": "acme"}],
        objectives=[{"id": "speed", "name": "Serve fast", "owner": "Ana", "org_unit": "acme"}],
        initiatives=[{"id": "training", "name": "Barista training", "owner": "Bo", "org_unit": "acme"}],
    )
    changes = diff(document(), later)
    assert [(c.kind, c.id) for c in changes.added] == [("Objective", "speed")]
    assert [(c.kind, c.id) for c in changes.removed] == [("Objective", "delight")]
    assert [(c.kind, c.old_name, c.name) for c in changes.renamed] == [
        ("Theme", "Loyalty", "Grow loyal customers"),
        ("Initiative", "Training", "Barista training"),
    ]
    page = changes_page(changes, current_label="2026-Q2", previous_label="2026-Q1")
    assert "[Serve fast](objectives/speed.md)" in page  # added items link to their page
    assert "| Objective | Delight customers | `delight` |" in page  # removed ones have no page


def test_a_removed_kpi_is_listed_once_not_as_restated_actuals() -> None:
    changes = diff(document(), document(kpis=[]))
    assert [(c.kind, c.id) for c in changes.removed] == [("KPI", "csat")]
    assert changes.restatements == ()


def test_same_id_in_different_units_are_different_items() -> None:
    sales = kpi(org_unit="sales", name="Sales CSAT")
    changes = diff(document(), document(kpis=[kpi(), sales]))
    assert [(c.org_unit, c.id) for c in changes.added] == [("sales", "csat")]
    page = changes_page(changes, current_label="2026-Q2", previous_label="2026-Q1")
    assert "(units/sales/kpis/csat.md)" in page


def test_fields_missing_from_an_older_snapshot_are_not_reported_as_changed() -> None:
    older = copy.deepcopy(document())
    del older["kpis"][0]["tolerance"]
    assert diff(older, document()).fields == ()


def test_user_strings_are_escaped_for_markdown() -> None:
    evil = "<script>alert(1)</script> | *bold* [x](javascript:y)"
    later = document(
        objectives=[{"id": "delight", "name": evil, "owner": "A | B", "org_unit": "acme"}],
        kpis=[kpi(name=evil, history=[{"period": "2026-01", "actual": 1.0}])],
    )
    rendered = html(changes_page(diff(document(), later), current_label="2026-Q2", previous_label="2026-Q1"))
    assert "<script>" not in rendered and "<em>" not in rendered and 'href="javascript' not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | *bold* [x](javascript:y)" in rendered
    # The pipe in the owner's name stays inside its cell: each row of the fields table has 4 cells.
    row = next(r for r in rendered.split("<tr>") if "<td>owner</td>" in r)
    assert row.count("<td>") == 4 and "A | B" in row


def test_first_snapshot_page_says_there_is_nothing_to_compare() -> None:
    page = changes_page(None, current_label="2026-Q1", previous_label=None)
    assert "first snapshot" in page and "2026\\-Q1" in page


def test_values_are_written_as_a_reader_would() -> None:
    # Numbers as on every page (render/numbers.py): "90 %", thousands separated.
    assert format_value({"period": "2026-12", "value": 90.0}, "%") == "90 % by 2026-12"
    assert format_value([30.0, 40.5], "min") == "30 min to 40.5 min"
    assert format_value([{"period": "2026-06", "value": 85.0}, {"period": "2026-09", "value": 88.0}]) == (
        "2026-06: 85; 2026-09: 88"
    )
    assert format_value(None) == "none" and format_value(1234567.0) == "1,234,567"


def test_what_changed_writes_numbers_like_every_page() -> None:
    """One number format (render/numbers.py): "85 %" and "1,250", as on the KPI pages."""
    later = document(kpis=[kpi(history=[{"period": "2026-01", "actual": 85.0}, {"period": "2026-02", "actual": 81.0}],
                               target={"period": "2026-12", "value": 1250.0})])
    rendered = html(changes_page(diff(document(), later), current_label="2026-Q2", previous_label="2026-Q1"))
    assert "<td>80 %</td>" in rendered and "<td>85 %</td>" in rendered
    assert "1,250 % by 2026-12" in rendered
    assert "85%" not in rendered


def _with_unit(sales_csat: dict) -> dict:
    unit = {"id": "sales", "parent": "acme", "name": "Sales & Co", "kpis": [sales_csat], "objectives": []}
    return document(units=[unit])


def test_a_units_restated_actual_shows_under_its_unit_with_links() -> None:
    """scorecard.json keeps units under ``units`` (spec 9.5): the diff looks inside, matched by (unit, id)."""
    before = _with_unit(kpi(org_unit="sales", name="Sales CSAT"))
    history = [{"period": "2026-01", "actual": 80.0}, {"period": "2026-02", "actual": 70.0}]
    after = _with_unit(kpi(org_unit="sales", name="Sales CSAT", history=history))
    changes = diff(before, after)
    assert [(r.org_unit, r.kpi_id, r.old, r.new) for r in changes.restatements] == [("sales", "csat", 81.0, 70.0)]
    assert changes.added == () and changes.removed == ()
    page = html(changes_page(changes, current_label="2026-Q2", previous_label="2026-Q1"))
    row = next(tr for tr in page.split("<tr>") if "Sales CSAT" in tr)
    assert '<a href="units/sales/index.md">Sales &amp; Co</a>' in row
    assert '<a href="units/sales/kpis/csat.md">Sales CSAT</a>' in row


def test_an_item_in_a_unit_without_org_unit_belongs_to_that_unit() -> None:
    bare = {k: v for k, v in kpi(name="Sales CSAT").items() if k != "org_unit"}
    changes = diff(document(), _with_unit(bare))
    assert [(c.org_unit, c.id) for c in changes.added] == [("sales", "csat")]
