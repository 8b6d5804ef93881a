"""The provenance and what-changed pages: publish's records, laid out like every other page.

Publish collects the data (git state and file hashes in
:mod:`generator.publish.provenance`, the diff of two ``scorecard.json`` documents in
:mod:`generator.publish.changes`); here it becomes a view model rendered by the
stage's one Jinja environment, with its one escaping rule, and numbers written by
:mod:`generator.render.numbers` like on every other page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from generator.render.jinja import render_template
from generator.render.numbers import format_number

__all__ = [
    "ChangesPage",
    "ProvenancePage",
    "change_value",
    "changes_markdown",
    "default_link",
    "provenance_markdown",
]

PROVENANCE_PAGE = "about/provenance.md"
CHANGES_PAGE = "changes.md"

# Page folder of each kind of item, as the changes record names kinds.
_FOLDERS = {"Perspective": "perspectives", "Theme": "themes", "Objective": "objectives", "KPI": "kpis",
            "Initiative": "initiatives"}  # fmt: skip


@dataclass(frozen=True)
class ProvenancePage:
    """``about/provenance.md``: the record (``p`` in the template) and the rebuild command."""

    path: str
    p: Mapping[str, Any]
    rebuild: str


def provenance_markdown(record: Mapping[str, Any], rebuild: str) -> str:
    """The Markdown of ``about/provenance.md``: the record, and how to verify it."""
    page = ProvenancePage(PROVENANCE_PAGE, record, rebuild)
    return render_template("provenance.md.j2", page=page, p=page.p, rebuild=page.rebuild)


@dataclass(frozen=True)
class ChangesPage:
    """``changes.md``: ``changes`` is publish's :class:`~generator.publish.changes.Changes`, or None."""

    path: str
    current: str
    previous: str | None
    changes: Any
    view: dict[str, Any] | None


def changes_markdown(
    changes: Any,
    *,
    current_label: str,
    previous_label: str | None,
    link: Callable[[str, str, str], str | None] | None = None,
) -> str:
    """The Markdown of ``changes.md``.

    Args:
        changes: the differences (:class:`~generator.publish.changes.Changes`), or
            ``None`` for the first snapshot (nothing to compare).
        current_label: this snapshot's label, e.g. ``2026-Q2``.
        previous_label: the snapshot compared with, or ``None``.
        link: ``(kind folder, id, org_unit) -> .md path`` of an item's page relative to
            ``changes.md``, or ``None`` for no link; default :func:`default_link`.
    """
    view = None
    if changes is not None:
        root = changes.root_unit

        def default(folder: str, item_id: str, org_unit: str) -> str | None:
            return default_link(folder, item_id, org_unit, root_unit=root)

        view = _view(changes, link or default)
    page = ChangesPage(CHANGES_PAGE, current_label, previous_label, changes, view)
    return render_template(
        "changes.md.j2", page=page, changes=changes, view=view, current=current_label, previous=previous_label
    )


def default_link(folder: str, item_id: str, org_unit: str = "", *, root_unit: str = "") -> str | None:
    """An item's page relative to ``changes.md`` at the docs root (a unit's pages under ``units/<unit>/``)."""
    if org_unit and org_unit != root_unit:
        return f"units/{org_unit}/{folder}/{item_id}.md"
    return f"{folder}/{item_id}.md"


def change_value(value: Any, unit: str = "") -> str:
    """A value from ``scorecard.json`` as a reader would write it (``90 % by 2026-12``, ``30 to 40``)."""
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _number(value, unit)
    if isinstance(value, Mapping) and "value" in value:
        period = f" by {value['period']}" if value.get("period") is not None else ""
        return f"{_number(value['value'], unit)}{period}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
            return f"{_number(value[0], unit)} to {_number(value[1], unit)}"
        return "; ".join(_entry(v, unit) for v in value)
    return str(value)


def _number(value: Any, unit: str = "") -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    text = format_number(float(value))
    return f"{text} {unit}" if unit else text


def _entry(value: Any, unit: str) -> str:
    if isinstance(value, Mapping) and "value" in value and "period" in value:
        return f"{value['period']}: {_number(value['value'], unit)}"
    return change_value(value, unit)


def _href(path: str | None) -> Markup | None:
    # Our own page paths (ids are slugs); quoted so no character can end the Markdown link.
    return None if path is None else Markup(quote(path, safe="/#"))


def _view(changes: Any, link: Callable[[str, str, str], str | None]) -> dict[str, Any]:
    """The strings the template lays out; only items that still exist get a link."""

    def href(kind: str, item_id: str, org_unit: str) -> Markup | None:
        return _href(link(_FOLDERS[kind], item_id, org_unit))

    # A cascaded organisation's restatements are listed under their unit, linked to its home.
    names = dict(getattr(changes, "unit_names", ()))

    def unit_of(org_unit: str) -> dict[str, Any]:
        if org_unit in names:
            return {"name": names[org_unit], "href": _href(f"units/{org_unit}/index.md")}
        return {"name": "The organisation", "href": _href("index.md")}

    return {
        "units": bool(names),
        "restated": [
            {
                "name": r.kpi_name, "href": href("KPI", r.kpi_id, r.org_unit), "period": r.period,
                "old": _number(r.old, r.unit), "new": "removed" if r.new is None else _number(r.new, r.unit),
                "unit": unit_of(r.org_unit),
            }
            for r in changes.restatements
        ],
        "fields": [
            {
                "kind": c.kind, "name": c.name, "href": href(c.kind, c.id, c.org_unit),
                "field": c.field, "old": change_value(c.old, c.old_unit), "new": change_value(c.new, c.new_unit),
            }
            for c in changes.fields
        ],
        "added": [{"kind": c.kind, "name": c.name, "href": href(c.kind, c.id, c.org_unit)} for c in changes.added],
        "removed": [{"kind": c.kind, "name": c.name, "id": c.id} for c in changes.removed],
        "renamed": [
            {"kind": c.kind, "name": c.name, "old_name": c.old_name, "href": href(c.kind, c.id, c.org_unit)}
            for c in changes.renamed
        ],
    }
