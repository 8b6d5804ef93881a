"""The last few decks a build made, kept on disk by the hash of everything their bytes depend on.

A rebuild whose story did not change (a hand-written page edited, say) reads
the deck instead of laying out its slides again, most of a second for a large
organisation. The key covers the slides as laid out from the story (their
content, in a canonical JSON form), the organisation's name and as-of date the
deck is stamped with, the generator's source and the versions of the libraries
that write the file (python-pptx, XlsxWriter, lxml); anything else misses.

An optimisation only: a build with an empty cache gives the same bytes. An entry
that cannot be read, or is not a whole zip file, is made again; a folder that
cannot be written is logged and skipped. Entries are written atomically, and
only the newest few are kept (an all-staff and a restricted build alternate).
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import zipfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.render.charts.cache import cache_key, write_entry

__all__ = ["DeckCache"]

log = logging.getLogger(__name__)

_SUFFIX = ".pptx"
_KEEP = 4
_LIBRARIES = ("python-pptx", "XlsxWriter", "lxml")


@functools.cache
def _code() -> str:
    """The generator's source (every module: a deck's look is spread over several) and the libraries' versions."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none\0".encode())
    return digest.hexdigest()


class DeckCache:
    """Decks on disk in ``directory``, named by the hash of what they depend on."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def get_or_make(self, key_parts: dict[str, Any], make: Callable[[], bytes]) -> bytes:
        """The deck stored for ``key_parts`` (see the module), or ``make()`` stored for next time."""
        try:
            path = self.directory / f"{cache_key({**key_parts, 'code': _code()})}{_SUFFIX}"
        except (TypeError, ValueError) as error:  # a value with no canonical form: never guess a key
            log.debug("deck cache: no key (%s); making the deck", error)
            return make()
        data = _read(path)
        if data is not None:
            log.debug("deck cache: reused %s", path.name)
            return data
        data = make()
        self._write(path, data)
        return data

    def _write(self, path: Path, data: bytes) -> None:
        try:
            write_entry(path, data)
            self._prune(path)
        except OSError as error:
            log.warning("deck cache: cannot write %s (%s); continuing without caching it", path, error)

    def _prune(self, kept: Path) -> None:
        """Drop all but the newest entries (names tie-break equal times, so the order is fixed)."""
        entries = sorted(
            (p for p in self.directory.glob(f"*{_SUFFIX}") if p != kept and not p.name.startswith(".")),
            key=lambda p: (_mtime(p), p.name), reverse=True,
        )
        for old in entries[_KEEP - 1:]:
            old.unlink(missing_ok=True)


def _mtime(path: Path) -> int:
    """When ``path`` was written (0 when a parallel build removed it meanwhile)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _read(path: Path) -> bytes | None:
    """The entry's bytes, or None when it is missing, unreadable or not a whole zip file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("deck cache: cannot read %s (%s); making the deck again", path, error)
        return None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        log.warning("deck cache: %s is not a whole .pptx; making the deck again", path)
        return None
    return data
