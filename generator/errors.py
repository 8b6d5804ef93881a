"""One exception root and the problem records every stage reports.

A :class:`Problem` is one line of ``check`` output: ``path:line: message``.
Stages collect problems and raise :class:`ValidationFailed` once, with all of
them, so the user fixes everything in one pass.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Severity(str, enum.Enum):
    """How bad a problem is: errors stop a build, warnings stop it under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a user's file: the path as given (relative to the working folder) and a 1-based line.

    In a workbook, ``sheet`` names the worksheet and ``line`` is its row number:
    ``data/actuals.xlsx[Revenue]:5``.
    """

    path: str
    line: int | None = None
    sheet: str = ""

    def __str__(self) -> str:
        place = f"{self.path}[{self.sheet}]" if self.sheet else self.path
        return f"{place}:{self.line}" if self.line else place


@dataclass(frozen=True)
class Problem:
    """One error or warning, printed as ``path:line: message``."""

    where: Location
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.where}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class ScorecardError(Exception):
    """Root of every error this package raises on purpose; the CLI maps it to exit 1."""


class ValidationFailed(ScorecardError):
    """The scorecard has errors (or warnings under ``--strict``); nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        super().__init__(f"{sum(p.is_error for p in self.problems)} error(s)")


class PublishError(ScorecardError):
    """Building or publishing the site failed (MkDocs, git, a snapshot label)."""


def _problem_order(problem: Problem) -> tuple[str, str, int, str]:
    return (problem.where.path, problem.where.sheet, problem.where.line or 0, problem.message)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in file, line, message order: stable output for tests and humans."""
    return sorted(problems, key=_problem_order)
