"""A content-addressed cache of rendered charts on disk.

A chart is stored under the SHA-256 of a canonical serialisation of
everything it depends on (``.cache/charts/<sha256>.svg``), so a rebuild of an
unchanged scorecard reads its charts instead of drawing them, and any change
(an actual, a goal, the generator or matplotlib version) simply misses.

The cache can never make a build wrong or fail it: a missing, unreadable or
corrupt entry is re-rendered, and a cache folder that cannot be written is
logged and skipped. Entries are written atomically (temporary file in the
same folder, then :func:`os.replace`), so parallel builds sharing a folder
never read half a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any
from xml.parsers import expat

from generator import __version__

__all__ = ["ChartCache", "DEFAULT_CACHE_DIR", "cache_key", "write_entry"]

logger = logging.getLogger(__name__)

DEFAULT_CACHE_DIR = Path(".cache/charts")
"""Where charts are cached, relative to the working folder (ignored by git)."""

_SUFFIX = ".svg"


@functools.cache
def _matplotlib_version() -> str:
    # Read from the installed metadata: importing matplotlib just for this is slow.
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return "none"


def cache_key(key_parts: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of ``key_parts`` plus the generator and matplotlib versions.

    The serialisation is canonical: JSON with sorted keys, no whitespace,
    floats written exactly (``repr``), periods, dates and enums as their text.

    Raises:
        TypeError: a value has no canonical form (an arbitrary object's
            ``repr`` could hold a memory address and never hit twice).
    """
    parts = {"key": dict(key_parts), "generator": __version__, "matplotlib": _matplotlib_version()}
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """JSON form of the non-JSON values a chart depends on."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, Path):
        return value.as_posix()
    model_dump = getattr(value, "model_dump", None)  # a pydantic model (Kpi, Initiative)
    if callable(model_dump):
        return model_dump(mode="json")
    if type(value).__str__ is not object.__str__ and type(value).__module__.startswith("generator."):
        return str(value)  # our value types (Period, Tolerance) have a canonical text form
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot use {type(value).__name__} in a cache key")


class ChartCache:
    """Rendered charts on disk, addressed by the hash of their inputs.

    Attributes:
        directory: the folder holding ``<sha256>.svg`` files (created on first write).
        hits: entries served from disk since this object was made.
        misses: entries rendered since this object was made.
    """

    def __init__(self, directory: Path | str = DEFAULT_CACHE_DIR) -> None:
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0

    def path_for(self, key: str) -> Path:
        """Where the entry with this key lives."""
        return self.directory / f"{key}{_SUFFIX}"

    def get_or_render(self, key_parts: Mapping[str, Any], render_fn: Callable[[], str]) -> str:
        """The cached chart for ``key_parts``, or ``render_fn()`` stored for next time.

        Args:
            key_parts: everything the chart depends on (see :func:`cache_key`).
            render_fn: draws the chart; called only on a miss.
        """
        cached = self.lookup(key_parts)
        if cached is not None:
            return cached
        text = render_fn()
        self.store(key_parts, text)
        return text

    def lookup(self, key_parts: Mapping[str, Any]) -> str | None:
        """The cached chart for ``key_parts`` (counted as a hit), or ``None`` (counted as a miss)."""
        cached = self._read(self.path_for(cache_key(key_parts)))
        if cached is None:
            self.misses += 1
        else:
            self.hits += 1
        return cached

    def store(self, key_parts: Mapping[str, Any], text: str) -> None:
        """Keep ``text`` as the chart for ``key_parts``, for the next build."""
        self._write(self.path_for(cache_key(key_parts)), text)

    def _read(self, path: Path) -> str | None:
        """The entry's text, or ``None`` when it is missing or does not look like a whole SVG."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            logger.warning("chart cache: cannot read %s (%s); rendering again", path, error)
            return None
        if not _is_complete_svg(text):
            logger.warning("chart cache: %s is corrupt; rendering again", path)
            return None
        return text

    def _write(self, path: Path, text: str) -> None:
        """Store atomically; a read-only or full disk only costs the next build a re-render."""
        try:
            write_entry(path, text.encode("utf-8"))
        except OSError as error:
            logger.warning("chart cache: cannot write %s (%s); continuing without caching it", path, error)


def write_entry(path: Path, data: bytes) -> None:
    """Write a cache entry atomically: a temporary file in its folder, then :func:`os.replace`.

    Parallel builds sharing the folder never read half a file, and a failed write leaves
    no temporary file behind. Shared by the chart and deck caches.

    Raises:
        OSError: the folder or the file could not be written.
    """
    temp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
        temp = None
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def _is_complete_svg(text: str) -> bool:
    """True when ``text`` parses as XML with an ``<svg>`` root (a truncated or edited file does not).

    Parsed by expat without building a tree: a warm rebuild checks every chart,
    and a tree costs twice the time for nothing.
    """
    if not text.startswith("<svg"):
        return False
    roots: list[str] = []
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, _attributes: roots.append(name) if not roots else None
    try:
        parser.Parse(text, True)
    except expat.ExpatError:
        return False
    return roots == ["svg"]
