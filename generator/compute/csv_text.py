"""CSV text for the files a build publishes for spreadsheets (``okrs.csv``, ``periods.csv``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

__all__ = ["csv_text"]


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A header row and ``rows``, quoted where needed, ``\\n`` line endings (as spreadsheets and OKR tools import)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
