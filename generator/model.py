"""The domain model: what a scorecard *is*, independent of how it is read or shown.

The item classes (:class:`Objective`, :class:`Kpi`, ...) are pydantic models,
so the same classes validate the YAML structure and generate the JSON Schema
editors use (:mod:`generator.schema`). Cross-item rules (references, goal
consistency, strategy lint) live in :mod:`generator.load.validate`, which can
point at the exact line of every key.

Every item remembers where it was written (:meth:`Item.where`), so any stage
can report ``path:line: message``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    WithJsonSchema,
)

from generator.errors import Location
from generator.periods import Frequency, Period

__all__ = [
    "Actual",
    "Consolidation",
    "ConsolidationMethod",
    "Direction",
    "Frequency",
    "GoalPoint",
    "Indicator",
    "Initiative",
    "InitiativeStatus",
    "Item",
    "Kpi",
    "Milestone",
    "Objective",
    "Organization",
    "Perspective",
    "Scorecard",
    "ScorecardFile",
    "Theme",
    "Tolerance",
    "Visibility",
    "DEFAULT_PERSPECTIVES",
    "ID_PATTERN",
]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_ID = re.compile(ID_PATTERN)
UNIT_REF_PATTERN = r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"
"""An item of another unit, ``unit-id/item-id`` (spec 9.1.4)."""
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


# -- vocabularies -------------------------------------------------------------


class Direction(str, enum.Enum):
    """Which way is good for a KPI."""

    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"


class Indicator(str, enum.Enum):
    """Leading indicators predict; lagging ones report outcomes."""

    LEADING = "leading"
    LAGGING = "lagging"


class Visibility(str, enum.Enum):
    """``restricted`` KPIs never reach the all-staff portal."""

    ALL = "all"
    RESTRICTED = "restricted"


class ConsolidationMethod(str, enum.Enum):
    """How a consolidated KPI combines its sources' actuals of a period (spec 9.3)."""

    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"


class InitiativeStatus(str, enum.Enum):
    """An initiative's status as its owner reports it."""

    NOT_STARTED = "not-started"
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"
    DONE = "done"


# -- field types ----------------------------------------------------------------


def _id(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"an id must be text like 'grow-revenue', not {_kind(value)}")
    text = getattr(value, "written", None) or str(value)
    if not _ID.fullmatch(text):
        raise ValueError(
            f"{text!r} is not a valid id (lower-case letters, digits and '-', starting with a letter or digit)"
        )
    return text


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple, dict)):
        raise ValueError(f"must be text, not {_kind(value)}")
    if value is None:
        return ""
    written = getattr(value, "written", None)  # a YAML number keeps the text it was written as
    if isinstance(written, str):
        return written
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_OVERRIDES = dict.fromkeys(range(0x202A, 0x202F))  # bidi embeddings and overrides: they flip the text after them


def _line(value: Any) -> str:
    """One-line text (names, owners, units): any run of whitespace, line breaks too, is one space."""
    return " ".join(_text(value).translate(_OVERRIDES).split())


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
            value = float(value)
        else:
            raise ValueError(f"must be a number, not {_kind(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        raise ValueError("must be a finite number (this one is too large)") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def _positive(value: Any) -> float:
    number = _number(value)
    if number <= 0:
        raise ValueError(f"must be greater than 0 (got {value!r})")
    return number


def _period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    return Period.parse(value)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD, not {_kind(value)}")


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_kind(value)}")
    return value


def _id_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]  # `themes: loyalty` reads as a one-item list
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"must be a list of ids, not {_kind(value)}")
    return tuple(_id(v) for v in value)


def _aliases(value: Any) -> tuple[str, ...]:
    """Other names people search for (``NPS`` for Net Promoter Score): one-line texts, none twice."""
    if value is None:
        return ()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]  # `aliases: NPS` reads as a one-item list
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"must be a list of names, like [NPS], not {_kind(value)}")
    names: list[str] = []
    for position, entry in enumerate(value, start=1):
        if isinstance(entry, (list, tuple, dict)) or entry is None:
            raise ValueError(f"must be a list of names; entry {position} is {_kind(entry)}")
        name = _line(entry)
        if not name:
            raise ValueError(f"must be a list of names; entry {position} is empty")
        # Search ignores case, so `NPS` and `nps` are the same alias.
        if name.casefold() in (known.casefold() for known in names):
            raise ValueError(f"must not list {name!r} twice")
        names.append(name)
    return tuple(names)


def _unit_ref(value: Any) -> str:
    """``unit-id/item-id``: both halves ids; a bare id is refused with the form to write."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"must be written unit-id/item-id, not {_kind(value)}")
    text = getattr(value, "written", None) or str(value)
    if "/" not in text:
        raise ValueError(f"{text!r} names no unit: write unit-id/{text if _ID.fullmatch(text) else 'item-id'}")
    unit, _, item = text.partition("/")
    for part in (unit, item):
        if not _ID.fullmatch(part):
            raise ValueError(
                f"{text!r} is not unit-id/item-id ({part!r} is not a valid id: lower-case letters, digits and '-')"
            )
    return text


def _listed(value: Any) -> Any:
    """A single value stands for a one-item list (``supports: acme/grow``); each entry is then checked on its own."""
    if value is None:
        return ()
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"must be a list of unit-id/item-id, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if value is None:
        return "nothing"
    return repr(value)


Id = Annotated[str, BeforeValidator(_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
IdList = Annotated[
    tuple[str, ...],
    BeforeValidator(_id_list),
    WithJsonSchema({"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}}),
]
UnitRef = Annotated[str, BeforeValidator(_unit_ref), WithJsonSchema({"type": "string", "pattern": UNIT_REF_PATTERN})]
UnitRefList = Annotated[
    tuple[UnitRef, ...],
    BeforeValidator(_listed),
    WithJsonSchema({"type": "array", "items": {"type": "string", "pattern": UNIT_REF_PATTERN}}),
]
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": ["string", "number", "boolean"]})]
Line = Annotated[str, BeforeValidator(_line), WithJsonSchema({"type": ["string", "number", "boolean"]})]
Aliases = Annotated[
    tuple[str, ...],
    BeforeValidator(_aliases),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": ["string", "number"]},
            "uniqueItems": True,
            "description": "Other names people search for, e.g. [NPS] for Net Promoter Score.",
        }
    ),
]
Number = Annotated[float, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
Positive = Annotated[float, BeforeValidator(_positive), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
PeriodField = Annotated[
    Period,
    BeforeValidator(_period),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "pattern": r"^\d{4}(-W\d{2}|-\d{2}|-Q[1-4])?$",
            "description": "A period: 2026-W05 (ISO week), 2026-03, 2026-Q1 or 2026.",
        }
    ),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Boolean = Annotated[bool, BeforeValidator(_boolean), WithJsonSchema({"type": "boolean"})]


@dataclass(frozen=True)
class Tolerance:
    """How far below (above, outside) the goal a KPI may be before it is off-track."""

    value: float
    percent: bool

    @classmethod
    def parse(cls, value: Any) -> Tolerance:
        if isinstance(value, Tolerance):
            return value
        text = value.strip() if isinstance(value, str) else value
        percent = isinstance(text, str) and text.endswith("%")
        if percent:
            text = text[:-1].strip()
        try:
            number = _positive(text)
        except ValueError:
            raise ValueError(f"tolerance must be a number greater than 0 or 'N%' (got {value!r})") from None
        return cls(number, percent)

    def absolute(self, base: float) -> float:
        """The tolerance in the KPI's unit, ``base`` being ``|G|`` or the range width."""
        return abs(base) * self.value / 100 if self.percent else self.value

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else f"{self.value:g}"


ToleranceField = Annotated[
    Tolerance,
    BeforeValidator(Tolerance.parse),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "type": ["number", "string"],
            "pattern": r"^\s*\d+(\.\d+)?\s*%?\s*$",
            "description": "Absolute number in the KPI's unit, or 'N%' of the goal (of the range width).",
        }
    ),
]


def _range(value: Any) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError(f"range must be a list of two numbers [lo, hi], not {_kind(value)}")
    lo, hi = (_number(v) for v in value)
    if lo > hi:
        raise ValueError(f"range [{lo:g}, {hi:g}] has lo above hi")
    return (lo, hi)


RangeField = Annotated[
    tuple[float, float],
    BeforeValidator(_range),
    WithJsonSchema({"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}),
]


# -- items ----------------------------------------------------------------------


class Item(BaseModel):
    """Base of every item written in YAML: frozen, knows where it was written.

    Unknown keys are kept (``extra="allow"``) so that validation can warn about
    each by name instead of failing the whole item.
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    _where: Location = PrivateAttr(default=Location("<unknown>"))
    _key_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    def locate(self, where: Location, key_lines: dict[str, int]) -> None:
        """Record where the item and each of its keys were written (done once, by the loader)."""
        self._where = where
        self._key_lines = dict(key_lines)

    def where(self, key: str | None = None) -> Location:
        """The item's location, or that of one of its keys when it was written."""
        if key is not None and key in self._key_lines:
            return Location(self._where.path, self._key_lines[key])
        return self._where

    @property
    def unknown_keys(self) -> list[str]:
        return sorted(self.model_extra or {})


class Organization(Item):
    """The organisation, or a unit of it (spec 9): a unit's id is its folder's name."""

    id: Id
    name: Line
    vision: Text = ""
    mission: Text = ""
    parent: Id | None = Field(
        default=None,
        description="A unit's parent unit (optional; when written, the unit whose units/ folder holds it).",
    )


class Perspective(Item):
    """A band of the strategy map; the first listed is the top band."""

    id: Id
    name: Line = ""
    question: Line = ""

    @property
    def title(self) -> str:
        return self.name or self.id


DEFAULT_PERSPECTIVES: tuple[tuple[str, str], ...] = (
    ("financial", "Financial"),
    ("customer", "Customer"),
    ("internal", "Internal Process"),
    ("learning", "Learning & Growth"),
)


class Theme(Item):
    """A strategic theme: a thread of objectives across perspectives."""

    id: Id
    name: Line = ""
    description: Text = ""

    @property
    def title(self) -> str:
        return self.name or self.id


class Objective(Item):
    """A strategic objective, a box on the map."""

    id: Id
    name: Line
    perspective: Id
    themes: IdList = ()
    owner: Line = ""
    description: Text = Field(default="", description="Markdown allowed.")
    weight: Positive = 1.0
    drives: IdList = Field(default=(), description="Ids of objectives this one drives (cause -> effect).")
    aliases: Aliases = ()
    supports: UnitRefList = Field(
        default=(),
        description="Objectives of ancestor units this one serves, each unit-id/objective-id (spec 9.2).",
    )


class GoalPoint(BaseModel):
    """A value to reach by (or measured in) a period.

    Unknown keys are kept (``extra="allow"``) so the loader warns about them by
    name instead of failing the KPI.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    period: PeriodField
    value: Number


class Consolidation(BaseModel):
    """Where a consolidated KPI takes its actuals: KPIs of descendant units (spec 9.3).

    Unknown keys are kept (``extra="allow"``) so the loader warns about them by name.
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    method: ConsolidationMethod
    sources: UnitRefList = Field(
        alias="from", description="KPIs of descendant units, each unit-id/kpi-id, with the same frequency."
    )


class Kpi(Item):
    """A key performance indicator measuring one objective."""

    id: Id
    name: Line
    objective: Id
    unit: Line = ""
    direction: Direction
    indicator: Indicator | None = None
    frequency: Frequency
    owner: Line = ""
    source: Line = ""
    formula: Line = ""
    weight: Positive = 1.0
    baseline: GoalPoint | None = None
    target: GoalPoint | None = None
    targets: tuple[GoalPoint, ...] = ()
    tolerance: ToleranceField = Tolerance(10.0, True)
    range: RangeField | None = None
    visibility: Visibility = Visibility.ALL
    aliases: Aliases = ()
    consolidate: Consolidation | None = None

    @property
    def restricted(self) -> bool:
        return self.visibility is Visibility.RESTRICTED

    @property
    def consolidated(self) -> bool:
        """Takes its actuals from KPIs of descendant units, never from data files."""
        return self.consolidate is not None


class Milestone(BaseModel):
    """A dated step of an initiative."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: Line
    due: Date | None = None
    done: Boolean = False


class Initiative(Item):
    """A project that moves one or more objectives."""

    id: Id
    name: Line
    objectives: IdList
    owner: Line = ""
    start: Date | None = None
    end: Date | None = None
    budget: Number | None = None
    spent: Number | None = None
    progress: Number | None = Field(default=None, ge=0, le=100)
    status: InitiativeStatus | None = None
    milestones: tuple[Milestone, ...] = ()


class ScorecardFile(BaseModel):
    """The shape of ``scorecard.yml``; its JSON Schema is what editors validate against."""

    model_config = ConfigDict(extra="allow", title="strategy-portal scorecard.yml")

    organization: Organization
    perspectives: tuple[Perspective, ...] = ()
    themes: tuple[Theme, ...] = ()
    objectives: tuple[Objective, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    initiatives: tuple[Initiative, ...] = ()


# -- actuals and the whole scorecard ------------------------------------------------


@dataclass(frozen=True)
class Actual:
    """One CSV row: a KPI's value for a period (``None`` when the cell was empty)."""

    period: Period
    value: float | None
    comment: str
    where: Location


@dataclass(frozen=True)
class Scorecard:
    """A validated scorecard: every reference resolves, every actual parses.

    Items keep the order they were written in; ``actuals`` maps a KPI id to
    its rows sorted by period. ``files`` lists every input file read, in path
    order (for provenance and build caching).

    A cascaded organisation (spec 9) is a tree of scorecards: the root is the
    organisation, ``units`` its child units (sorted by id), each a complete
    scorecard with its own ``units``. A unit's ``perspectives`` are already
    resolved (inherited from its parent when it writes none,
    ``inherits_perspectives``); ``parent`` is the parent unit's id (None for
    the root) and ``folder`` the unit's folder as the user sees it. ``files``
    holds the unit's own files only, never its units'.
    """

    organization: Organization
    perspectives: tuple[Perspective, ...]
    themes: tuple[Theme, ...]
    objectives: tuple[Objective, ...]
    kpis: tuple[Kpi, ...]
    initiatives: tuple[Initiative, ...]
    actuals: dict[str, tuple[Actual, ...]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    units: tuple[Scorecard, ...] = ()
    parent: str | None = None
    folder: str = ""
    inherits_perspectives: bool = False

    @property
    def id(self) -> str:
        """The unit's id (the organisation's id for the root)."""
        return self.organization.id

    def objective(self, objective_id: str) -> Objective:
        return self._index("objectives")[objective_id]

    def kpi(self, kpi_id: str) -> Kpi:
        return self._index("kpis")[kpi_id]

    def kpis_of(self, objective_id: str) -> tuple[Kpi, ...]:
        return tuple(k for k in self.kpis if k.objective == objective_id)

    def objectives_in(self, perspective_id: str) -> tuple[Objective, ...]:
        return tuple(o for o in self.objectives if o.perspective == perspective_id)

    def walk(self) -> tuple[Scorecard, ...]:
        """This unit and every unit below it, depth first (a unit before its own units), by id."""
        found: list[Scorecard] = []
        stack = [self]
        while stack:
            card = stack.pop()
            found.append(card)
            stack.extend(reversed(card.units))
        return tuple(found)

    def all_files(self) -> tuple[str, ...]:
        """Every input file of this unit and the units below it (provenance of a cascaded build)."""
        return tuple(path for card in self.walk() for path in card.files)

    def unit(self, unit_id: str) -> Scorecard:
        """The unit ``unit_id`` of this tree (this scorecard itself for its own id).

        Raises:
            KeyError: no such unit.
        """
        cache = self.__dict__.setdefault("_units", {})
        if not cache:
            cache.update({card.id: card for card in self.walk()})
        return cache[unit_id]

    def without_restricted(self) -> Scorecard:
        """The all-staff scorecard: as if restricted KPIs (and their actuals) never existed, in every unit."""
        kept = tuple(k for k in self.kpis if not k.restricted)
        ids = {k.id for k in kept}
        return dataclasses.replace(
            self,
            kpis=kept,
            actuals={k: v for k, v in self.actuals.items() if k in ids},
            units=tuple(unit.without_restricted() for unit in self.units),
        )

    def _index(self, kind: str) -> dict[str, Any]:
        cache = self.__dict__.setdefault("_indexes", {})
        if kind not in cache:
            cache[kind] = {item.id: item for item in getattr(self, kind)}
        return cache[kind]
