"""Is the strategy working? The evidence page, the OKRs page, and their parts on other pages.

Compute decided everything (:mod:`generator.compute.evidence`, :mod:`~generator.compute.forecast`,
:mod:`~generator.compute.okrs`); here it becomes words, links and small pictures:

* :func:`evidence_page`: every ``drives`` arrow with its verdict (icon and word),
  its best pair in a sentence ("Defect rate falls two months after Training hours
  rises"), n, r, p and a chart of the two change series; the map's evidence view.
* :func:`with_evidence`: an objective page with the evidence for its arrows.
* :func:`with_forecast`: a KPI page with its forecast in words.
* :func:`okrs_page`: the coming quarter's OKRs, the last quarter's grades, and
  ``okrs.csv`` beside the page.

Only KPIs of the audience's results are named: an arrow whose best pair holds a
KPI this build does not show keeps its verdict but names no pair.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from markupsafe import Markup

from generator.compute.attention import visible_kpis
from generator.compute.okrs import key_result_kind, okrs_csv
from generator.compute.results import Evidence, KeyResult, LinkEvidence, OkrQuarter, Results
from generator.model import Direction, Kpi
from generator.periods import Frequency
from generator.render.charts.evidence import change_chart
from generator.render.forecast_text import forecast_sentence
from generator.render.numbers import format_date, format_number, format_value, goal_decimals
from generator.render.pages.models import KpiPage, Link, MapImage, ObjectivePage, Page
from generator.render.pages.paths import Paths

__all__ = [
    "METHOD_PAGE",
    "EvidencePage",
    "EvidenceRow",
    "OkrsPage",
    "evidence_page",
    "evidence_rows",
    "okrs_page",
    "verdict_badge",
    "with_evidence",
    "with_forecast",
]

METHOD_PAGE = "about/is-the-strategy-working.md"
"""The hand-written method page (``content/about/``), at the docs root for every unit."""

CAVEAT = "A correlation over a few dozen periods is a reason to look, not proof."

_ICONS = {
    Evidence.SUPPORTED: "\u2714",  # ✔
    Evidence.CONTRADICTED: "\u2716",  # ✖
    Evidence.NO_EVIDENCE: "\u25cb",  # ○
    Evidence.INSUFFICIENT_DATA: "\u2026",  # …
}
_PERIOD_WORDS = {
    Frequency.WEEKLY: "week",
    Frequency.MONTHLY: "month",
    Frequency.QUARTERLY: "quarter",
    Frequency.YEARLY: "year",
}
_COUNT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def verdict_badge(evidence: Evidence) -> Markup:
    """The verdict as icon and word (never colour alone); the icon is hidden from screen readers."""
    return Markup('<span class="sp-ev sp-ev--{}"><span aria-hidden="true">{}</span> {}</span>').format(
        evidence.value, _ICONS[evidence], evidence.label
    )


# -- view models ---------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceRow:
    """One arrow as the evidence page shows it.

    ``sentence`` says the best pair's link in words; ``pair`` links its two KPIs
    (empty when none can be named); ``stats`` is ``n``, ``r`` and ``p`` written out;
    ``chart`` the change chart (Markup, may be empty); ``anchor`` its heading id.
    """

    anchor: str
    cause: Link
    effect: Link
    evidence: Evidence
    badge: Markup
    sentence: str
    pair: tuple[Link, ...]
    lag: str
    stats: str
    chart: Markup
    tests: int


@dataclass(frozen=True)
class VerdictCount:
    badge: Markup
    count: int


@dataclass(frozen=True)
class EvidencePage(Page):
    rows: tuple[EvidenceRow, ...]
    counts: tuple[VerdictCount, ...]
    map_image: MapImage | None
    method: Link | None
    caveat: str = CAVEAT


@dataclass(frozen=True)
class KeyResultRow:
    """One key result: its KPI, from where to what, and (graded quarters) where it ended and its grade."""

    link: Link
    owner: str
    start: str
    target: str
    by: str
    end: str = ""
    grade: Markup = Markup("")


@dataclass(frozen=True)
class OkrObjectiveRow:
    link: Link
    owner: str
    key_results: tuple[KeyResultRow, ...]
    grade: Markup = Markup("")


@dataclass(frozen=True)
class OkrQuarterView:
    quarter: str
    graded: bool
    objectives: tuple[OkrObjectiveRow, ...]


@dataclass(frozen=True)
class OkrsPage(Page):
    coming: OkrQuarterView | None
    last: OkrQuarterView | None
    csv: Link | None
    method: Link | None


# -- evidence ------------------------------------------------------------------------


def _anchor(link: LinkEvidence) -> str:
    return f"ev-{link.cause}--{link.effect}"


def _objective_link(results: Results, paths: Paths, objective_id: str) -> Link:
    return Link(results.scorecard.objective(objective_id).name, paths.objective(objective_id))


def _moves(kpi: Kpi, good: bool) -> str:
    """``rises`` or ``falls``: the way the KPI moved, given whether the move was good."""
    return "rises" if (kpi.direction is Direction.LOWER) != good else "falls"


def lag_words(lag: int, frequency: Frequency | None) -> str:
    """``two months after``; ``in the same month as`` for lag 0."""
    unit = _PERIOD_WORDS.get(frequency, "period") if frequency is not None else "period"
    if lag == 0:
        return f"in the same {unit} as"
    count = _COUNT_WORDS[lag] if lag < len(_COUNT_WORDS) else str(lag)
    return f"{count} {unit}{'' if lag == 1 else 's'} after"


def _sentence(link: LinkEvidence, cause: Kpi | None, effect: Kpi | None) -> str:
    best = link.best
    if link.evidence is Evidence.INSUFFICIENT_DATA:
        return (
            "Too few figures to test yet: no KPI of the cause and KPI of the effect, measured as often, "
            "have 12 changes side by side."
        )
    if best is None or cause is None or effect is None:
        return "The figures give no sign of this link."
    lag = lag_words(best.lag, link.frequency)
    if link.evidence is Evidence.NO_EVIDENCE:
        return (
            "No pair of KPIs moved together more than chance would explain. The closest: "
            f"{effect.name} {_moves(effect, best.r >= 0)} {lag} {cause.name} {_moves(cause, True)}."
        )
    good = link.evidence is Evidence.SUPPORTED
    return f"{effect.name} {_moves(effect, good)} {lag} {cause.name} {_moves(cause, True)}."


def _visible(results: Results) -> dict[str, Kpi]:
    return {r.kpi.id: r.kpi for r in visible_kpis(results)}


def evidence_rows(
    results: Results, paths: Paths, links: tuple[LinkEvidence, ...] | None = None
) -> tuple[EvidenceRow, ...]:
    """The given arrows (every arrow by default) as rows, in compute's order."""
    kpis = _visible(results)
    rows = []
    for link in results.links if links is None else links:
        best = link.best
        cause = kpis.get(best.cause_kpi) if best else None
        effect = kpis.get(best.effect_kpi) if best else None
        named = best is not None and cause is not None and effect is not None
        rows.append(EvidenceRow(
            anchor=_anchor(link),
            cause=_objective_link(results, paths, link.cause),
            effect=_objective_link(results, paths, link.effect),
            evidence=link.evidence,
            badge=verdict_badge(link.evidence),
            sentence=_sentence(link, cause, effect),
            pair=(Link(cause.name, paths.kpi(cause.id)), Link(effect.name, paths.kpi(effect.id)))
            if named and cause and effect else (),
            lag=_lag_label(best.lag, link.frequency) if named and best else "",
            stats=_stats(link) if named else "",
            chart=_chart(link, cause, effect) if named else Markup(""),
            tests=link.tests,
        ))  # fmt: skip
    return tuple(rows)


def _lag_label(lag: int, frequency: Frequency | None) -> str:
    """``two months``; ``none (same month)`` for lag 0."""
    if lag == 0:
        return f"none (same {_PERIOD_WORDS.get(frequency, 'period') if frequency else 'period'})"
    return lag_words(lag, frequency).removesuffix(" after")


def _stats(link: LinkEvidence) -> str:
    best = link.best
    assert best is not None
    p = "below 0.001" if best.p_adjusted < 0.001 else format_number(best.p_adjusted)
    return (
        f"{best.n} changes side by side · Spearman's r {format_number(best.r)} · "
        f"p {p} (corrected for {link.tests} comparisons)"
    )


def _chart(link: LinkEvidence, cause: Kpi | None, effect: Kpi | None) -> Markup:
    if cause is None or effect is None or not link.changes:
        return Markup("")
    label = (
        f"Period-over-period changes of {cause.name} (solid) and {effect.name} (dashed), "
        "the effect shifted by the lag"
    )
    return Markup(change_chart(link.changes, label))


def _method(content: frozenset[str], anchor: str = "", text: str = "How the portal checks") -> Link | None:
    """The link to the hand-written method page, when the project has it (else no broken link)."""
    return Link(text, METHOD_PAGE, anchor) if METHOD_PAGE in content else None


def evidence_page(
    results: Results, paths: Paths, map_image: MapImage | None, content: frozenset[str] = frozenset({METHOD_PAGE})
) -> EvidencePage:
    """"Is our strategy working?": every arrow, its verdict and its best pair; the evidence map."""
    rows = evidence_rows(results, paths)
    counts = tuple(
        VerdictCount(verdict_badge(e), sum(1 for r in rows if r.evidence is e)) for e in Evidence
    )
    return EvidencePage(
        path=paths.evidence(),
        title="Is our strategy working?",
        as_of=_as_of(results),
        rows=rows,
        counts=counts,
        map_image=map_image,
        method=_method(content),
    )


def _as_of(results: Results) -> str:
    return format_date(results.as_of) if results.as_of else ""


def with_evidence(page: ObjectivePage, results: Results, paths: Paths, objective_id: str) -> ObjectivePage:
    """The objective page with the evidence for the arrows into and out of the objective."""
    links = tuple(link for link in results.links if objective_id in (link.cause, link.effect))
    return dataclasses.replace(
        page,
        evidence=evidence_rows(results, paths, links),
        evidence_page=Link("Is our strategy working?", paths.evidence()),
    )


def with_forecast(page: KpiPage, results: Results, kpi_id: str) -> KpiPage:
    """The KPI page with its forecast in words (unchanged when it has none)."""
    found = results.forecasts.get(kpi_id)
    if found is None or kpi_id not in results.kpis:
        return page
    return dataclasses.replace(page, forecast=forecast_sentence(found, results.kpis[kpi_id]))


# -- OKRs ----------------------------------------------------------------------------


def _grade(grade: float | None) -> Markup:
    """A 0.0-1.0 grade as a small bar and its number (the number is what screen readers read)."""
    if grade is None:
        return Markup("not graded")
    # OKR practice writes grades with one decimal, always ("1.0", "0.7"): a scale, not a measurement.
    shown = f"{round(grade, 1):.1f}"
    return Markup(
        '<span class="sp-nowrap"><span class="sp-grade" aria-hidden="true"><span class="sp-grade__fill" '
        'style="width:{}%"></span></span> <strong>{}</strong></span>'
    ).format(round(grade * 100), shown)


_KIND_WORDS = {"at-least": "at least", "at-most": "at most", "within": "stay within"}


def _target(kr: KeyResult, places: int | None) -> str:
    """``at least 42 points``: compute's kind of key result, the goal to the actuals' precision."""
    return f"{_KIND_WORDS[key_result_kind(kr.kpi.direction)]} {format_value(kr.goal, kr.kpi.unit, places)}"


def _key_result(kr: KeyResult, results: Results, paths: Paths, graded: bool) -> KeyResultRow:
    kpi = kr.kpi
    places = goal_decimals(row.actual for row in results.kpis[kpi.id].history)
    start = format_value(kr.start, kpi.unit) if kr.start is not None else "no figure yet"
    if kr.start_period is not None and kr.start is not None:
        start += f" ({kr.start_period})"
    return KeyResultRow(
        link=Link(kpi.name, paths.kpi(kpi.id)),
        owner=kpi.owner,
        start=start,
        target=_target(kr, places),
        by=str(kr.goal_period),
        end=(format_value(kr.end, kpi.unit) if kr.end is not None else "no new figure") if graded else "",
        grade=_grade(kr.grade) if graded else Markup(""),
    )


def _quarter(quarter: OkrQuarter | None, results: Results, paths: Paths) -> OkrQuarterView | None:
    if quarter is None:
        return None
    shown = _visible(results)
    objectives = []
    for okr in quarter.objectives:
        krs = tuple(_key_result(kr, results, paths, quarter.graded) for kr in okr.key_results if kr.kpi.id in shown)
        if krs:
            objectives.append(OkrObjectiveRow(
                link=Link(okr.objective.name, paths.objective(okr.objective.id)),
                owner=okr.objective.owner,
                key_results=krs,
                grade=_grade(okr.grade) if quarter.graded else Markup(""),
            ))  # fmt: skip
    return OkrQuarterView(str(quarter.quarter), quarter.graded, tuple(objectives))


def okrs_page(
    results: Results, paths: Paths, files: dict[str, bytes], content: frozenset[str] = frozenset({METHOD_PAGE})
) -> OkrsPage:
    """The OKRs page; ``okrs.csv`` (the coming quarter, compute's plain numbers) is added to ``files``."""
    okrs = results.okrs
    csv_link = None
    if okrs is not None:
        files[paths.okrs_csv()] = okrs_csv(okrs.coming).encode("utf-8")
        csv_link = Link("okrs.csv", paths.okrs_csv())
    return OkrsPage(
        path=paths.okrs(),
        title="Quarterly OKRs",
        as_of=_as_of(results),
        coming=_quarter(okrs.coming if okrs else None, results, paths),
        last=_quarter(okrs.last if okrs else None, results, paths),
        csv=csv_link,
        method=_method(content, "quarterly-okrs", "how the portal draws them from the scorecard"),
    )
