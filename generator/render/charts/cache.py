"""The chart cache: every chart the last build drew, in one pack file, by the hash of its inputs.

A chart is keyed by the SHA-256 of a canonical serialisation of everything it depends on
(:func:`cache_key`: its inputs, the generator and matplotlib versions), so a rebuild of an
unchanged scorecard reads its charts instead of drawing them, and any change (an actual, a
goal, the drawing code) simply misses.

All entries live in one file, ``<cache folder>/chart-cache.marshal`` (:mod:`marshal`, as
MkDocs's page cache, :mod:`generator.publish.page_cache`): a build reads it once, before
its workers are forked (they share the loaded entries), and writes it back once at the end,
atomically, holding only the charts this build used or drew, and only when that differs
from what it read. So the cache holds one build's charts, whatever the number of as-of
months and edits behind it, and a cold build creates one file instead of one per chart.
A forked worker's record of what it used or drew ends with it: :meth:`ChartCache.carrying`
sends it back with each job's result, and :meth:`ChartCache.merged` records it in the
build's process. The ``<sha256>.svg`` files of earlier versions (one per chart, never
removed) are removed from the cache folder when the pack is written.

The cache can never make a build wrong or fail it: a missing pack is an empty cache; an
unreadable, truncated or damaged one (a CRC covers the entries) is logged and treated as
empty, so every chart is drawn again, the same bytes; a pack that cannot be written is
logged and skipped. Parallel builds sharing a folder never read half a pack (temporary
file, then :func:`os.replace`); the last one to finish leaves its charts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import logging
import marshal
import os
import platform
import re
import tempfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from generator import __version__
from generator import workers as worker_pool

__all__ = ["PACK_NAME", "Carried", "ChartCache", "DEFAULT_CACHE_DIR", "cache_key", "write_entry"]

log = logging.getLogger(__name__)

DEFAULT_CACHE_DIR = Path(".cache")
"""The cache folder, relative to the working folder (ignored by git); a build uses its project's."""

PACK_NAME = "chart-cache.marshal"
"""The pack's file name in the cache folder."""

_FORMAT = 1  # bump when what is stored changes
_MARSHAL_VERSION = 2  # no references between objects: the same entries give the same bytes
_LOOSE_ENTRY = re.compile(r"(\.tmp-.*|[0-9a-f]{64})\.svg")  # what earlier versions wrote, one file a chart


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


class Carried(NamedTuple):
    """A worker's result, with the chart cache entries it used (``None``: read from the pack) or drew (the SVG)."""

    result: Any
    entries: dict[str, str | None]


class ChartCache:
    """Rendered charts addressed by the hash of their inputs, in one pack file read once per build.

    Make one per build before forking workers, look charts up in any process, and
    :meth:`save` once at the end (see the module).

    Attributes:
        directory: the cache folder (created on first write).
        path: the pack file in it.
        hits: charts served from the cache (in this process, and in workers as :meth:`merged` learns).
        misses: charts drawn, counted the same way.
    """

    def __init__(self, directory: Path | str = DEFAULT_CACHE_DIR) -> None:
        self.directory = Path(directory)
        self.path = self.directory / PACK_NAME
        self.hits = 0
        self.misses = 0
        self._read: dict[str, str] = _read_pack(self.path)
        self._kept: dict[str, str] = {}  # what this build used or drew: the next pack
        self._drew = False  # this build drew a chart (else the pack changes only if entries went unused)
        self._journal: dict[str, str | None] = {}  # in a worker: what the job under way used or drew

    def get_or_render(self, key_parts: Mapping[str, Any], render_fn: Callable[[], str]) -> str:
        """The cached chart for ``key_parts``, or ``render_fn()`` kept for next time.

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
        key = cache_key(key_parts)
        text = self._kept.get(key)
        if text is None:
            text = self._read.get(key)
        if text is None:
            self.misses += 1
            return None
        self.hits += 1
        self._kept[key] = text
        self._journal[key] = None  # the build's process has it: a key is enough
        return text

    def store(self, key_parts: Mapping[str, Any], text: str) -> None:
        """Keep ``text`` as the chart for ``key_parts``, in the pack this build writes."""
        key = cache_key(key_parts)
        self._kept[key] = text
        self._journal[key] = text
        self._drew = True

    def fork_map(
        self,
        task: Callable[[Any], Any],
        items: Sequence[Any],
        workers: int,
        costs: Sequence[int] | None = None,
        on_result: Callable[[Any], None] | None = None,
    ) -> list[Any] | None:
        """:func:`generator.workers.fork_map` through this cache: each worker's charts are recorded here.

        The arguments and the results are ``fork_map``'s; ``on_result`` gets each result once
        its entries are recorded.
        """

        def received(carried: Carried) -> None:
            result = self.merged(carried)
            if on_result is not None:
                on_result(result)

        made = worker_pool.fork_map(self.carrying(task), items, workers, costs, received)
        return None if made is None else [None if done is None else done.result for done in made]

    def carrying(self, task: Callable[[Any], Any]) -> Callable[[Any], Carried]:
        """``task`` for a forked worker: its result comes back :class:`Carried` with the entries it used or drew.

        A worker's own record of them is lost when it ends; give each result to :meth:`merged`
        (:meth:`fork_map` does both).
        """

        def carried(item: Any) -> Carried:
            self._journal = {}
            result = task(item)
            entries, self._journal = self._journal, {}
            return Carried(result, entries)

        return carried

    def merged(self, carried: Carried) -> Any:
        """In the build's process: a worker's entries recorded for the pack (and counted); its result."""
        for key, text in carried.entries.items():
            if text is None:
                self.hits += 1
                text = self._read.get(key)
            else:
                self.misses += 1
                self._drew = True
            if text is not None:
                self._kept[key] = text
        return carried.result

    def save(self) -> None:
        """Write the pack: the charts this build used or drew, the rest dropped; nothing when it would not change.

        Also removes the one-file-per-chart entries of earlier versions. A folder that
        cannot be written is logged and skipped: the next build draws the charts again.
        """
        self._journal = {}
        _remove_loose_entries(self.directory)
        log.debug("chart cache: %d read, %d drawn, %d kept of %d", self.hits, self.misses, len(self._kept),
                  len(self._read))
        if not self._drew and self._kept.keys() == self._read.keys():
            return  # every chart read, none dropped: the pack already holds them
        entries = marshal.dumps(dict(sorted(self._kept.items())), _MARSHAL_VERSION)
        header = {"format": _FORMAT, "python": _python(), "crc": zlib.crc32(entries), "size": len(entries)}
        try:
            # The header, then the entries as they are: no copy of them (25 MB for 1,000 charts).
            write_entry(self.path, marshal.dumps(header, _MARSHAL_VERSION), entries)
        except OSError as error:
            log.warning("chart cache: cannot write %s (%s); continuing without caching", self.path, error)
            return
        self._read, self._drew = dict(self._kept), False


def _python() -> str:
    """The Python the pack was written by: :mod:`marshal`'s format may change between versions."""
    return platform.python_version()


def _read_pack(path: Path) -> dict[str, str]:
    """The pack's entries; empty when there is none, when another Python or format wrote it, or when it is damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        log.warning("chart cache: cannot read %s (%s); drawing every chart again", path, error)
        return {}
    try:
        header = marshal.loads(data)  # the bytes after it (the entries) are ignored
        if not isinstance(header, dict) or header.get("format") != _FORMAT or header.get("python") != _python():
            log.debug("chart cache: %s is of another format or Python; drawing every chart again", path)
            return {}
        entries = memoryview(data)[len(data) - header["size"] :]
        if len(entries) != header["size"] or zlib.crc32(entries) != header["crc"]:
            raise ValueError("CRC mismatch")
        charts = marshal.loads(entries)
        if not all(isinstance(k, str) and isinstance(v, str) and v.startswith("<svg") for k, v in charts.items()):
            raise ValueError("not charts")
    except (ValueError, EOFError, TypeError, KeyError, AttributeError) as error:
        log.warning("chart cache: %s is corrupt (%s); drawing every chart again", path, error)
        return {}
    return charts


def _remove_loose_entries(directory: Path) -> None:
    """Remove the ``<sha256>.svg`` files (and their temporary files) that earlier versions left in ``directory``.

    Only names that version wrote: never anything else of the folder, never outside it.
    """
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if _LOOSE_ENTRY.fullmatch(name):
            with contextlib.suppress(OSError):
                (directory / name).unlink()


def write_entry(path: Path, *data: bytes) -> None:
    """Write a cache entry (``data``'s parts one after the other) atomically: a temporary file, then :func:`os.replace`.

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
            for part in data:
                out.write(part)
        os.replace(temp, path)
        temp = None
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


