"""Sync a gathered set of files into the docs folder.

:func:`sync` makes the docs folder hold exactly the given files: it writes a
file only when its bytes change (atomically, so ``serve`` sees whole files and a
rebuild keeps mtimes) and removes every file it no longer holds, so a deleted
KPI's page disappears. It never writes into the project's ``content/`` folder.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["DocsWriter", "check_docs_path", "sync", "write_if_changed"]

log = logging.getLogger(__name__)


def check_docs_path(path: str) -> None:
    """Refuse a page path that would land outside the docs folder.

    Raises:
        ValueError: ``path`` is absolute, empty or climbs out with ``..``.
    """
    parts = Path(path).parts
    if Path(path).is_absolute() or ".." in parts or not parts:
        raise ValueError(f"page path {path!r} must be relative and stay inside the docs folder")


def sync(docs_dir: Path, files: Mapping[str, bytes], *, never_write: Path | None = None) -> None:
    """Make ``docs_dir`` hold exactly ``files`` (docs path -> bytes): write changed ones, delete the rest.

    Args:
        docs_dir: the generated docs folder (it belongs to the generator).
        files: every file of the build.
        never_write: a folder the user wrote (``content/``); the docs folder may be
            neither it nor inside it, nor hold it.

    Raises:
        ValueError: a path leaves the docs folder, or the docs folder is the protected one.
    """
    DocsWriter(docs_dir, never_write=never_write).sync(files)


class DocsWriter:
    """:func:`sync` in two steps: files written as the build makes them, then the whole set synced.

    While render's workers make the rest, the build's own process would otherwise wait
    idle and write every file only at the end.
    """

    def __init__(self, docs_dir: Path, *, never_write: Path | None = None) -> None:
        """Check that ``docs_dir`` may be written (see :func:`sync`) and create it.

        Raises:
            ValueError: the docs folder is, holds or is inside ``never_write``.
        """
        docs_dir = Path(docs_dir)
        if never_write is not None:
            docs, protected = docs_dir.resolve(), Path(never_write).resolve()
            if docs == protected or protected in docs.parents or docs in protected.parents:
                raise ValueError(f"the docs folder {docs_dir} may not be or hold {never_write}: it is never written")
        docs_dir.mkdir(parents=True, exist_ok=True)
        self.docs_dir = docs_dir
        self._written: dict[str, bytes] = {}

    def write(self, files: Mapping[str, bytes]) -> None:
        """Write ``files`` now, each only if it changed; :meth:`sync` decides what the folder ends up holding.

        Raises:
            ValueError: a path leaves the docs folder.
        """
        for path, data in files.items():
            check_docs_path(path)
            write_if_changed(self.docs_dir / path, data)
            self._written[path] = data

    def sync(self, files: Mapping[str, bytes]) -> None:
        """Make the folder hold exactly ``files``: write what :meth:`write` did not, delete the rest.

        Raises:
            ValueError: a path leaves the docs folder.
        """
        for path in files:
            check_docs_path(path)
        for path in sorted(files):
            if self._written.get(path) is not files[path]:  # the same bytes object: written already
                write_if_changed(self.docs_dir / path, files[path])
        _remove_stale(self.docs_dir, files)


def _remove_stale(docs_dir: Path, files: Mapping[str, bytes]) -> None:
    """Delete every file of ``docs_dir`` not in ``files``, then every folder left empty."""
    for folder, subfolders, names in os.walk(docs_dir, topdown=False):
        relative = os.path.relpath(folder, docs_dir).replace(os.sep, "/")
        prefix = "" if relative == "." else f"{relative}/"
        left = len(subfolders) + len(names)
        for name in sorted(names):
            if prefix + name not in files:
                log.debug("removing %s (no longer generated)", prefix + name)
                os.unlink(os.path.join(folder, name))
                left -= 1
        for sub in subfolders:  # bottom-up: a sub-folder emptied above is gone by now
            left -= not os.path.exists(os.path.join(folder, sub))
        if prefix and not left:
            os.rmdir(folder)


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write ``data`` atomically, and only when it differs (keeps mtimes, so ``serve`` rebuilds less).

    Returns:
        True when the file was written.
    """
    try:
        if os.path.getsize(target) == len(data) and target.read_bytes() == data:
            return False
    except OSError:  # not there yet (or not a file: the write below says why)
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, target)
    return True
