"""Provenance: what a published portal was built from, so an auditor can rebuild it.

:func:`collect` records the as-of date, the commit of the checkout that was built
(and whether it had uncommitted changes), the generator's version and commit, a
build time that never comes from the wall clock, a SHA-256 of every input file,
and the command that rebuilds the site byte for byte from a fresh clone. The record
lands in ``provenance.json`` at the root of the site and, as a page, on
``about/provenance.md`` (render's
:func:`generator.render.pages.records.provenance_markdown`).

:func:`build_epoch` is the one rule for the build's date, used by the record,
the rebuild command and the site build alike.

:func:`make_reproducible` removes the last varying bytes of a MkDocs site (the
sitemap's build dates), so the same inputs give a byte-identical site.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import logging
import os
import re
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generator
from generator.compute.results import Audience, Results
from generator.errors import PublishError
from generator.model import Scorecard

log = logging.getLogger(__name__)

# git reads these before looking at the working folder; a build run from inside a git
# hook would otherwise describe the hook's repository instead of the scorecard's.
GIT_ENV_OVERRIDES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX")



@dataclass(frozen=True)
class GitState:
    """The checkout holding the scorecard folder, as git sees it.

    Attributes:
        commit: full SHA of the checkout's ``HEAD`` (what was built), or ``None``.
        committed_at: that commit's committer time (seconds since the epoch), or ``None``.
        dirty: the scorecard folder has uncommitted (or untracked) changes, or is not in
            a git repository (snapshots are refused then).
        prefix: the folder's path inside the repository (``scorecard``), or ``None``.
        scorecard_commit: full SHA of the last commit that touched the folder, or ``None``.
        checkout_dirty: anything in the checkout (generator, theme, content...) has
            uncommitted or untracked changes, ignored files aside: then ``commit``
            alone does not rebuild what was built.
    """

    commit: str | None
    committed_at: int | None
    dirty: bool
    prefix: str | None
    scorecard_commit: str | None = None
    checkout_dirty: bool = True


@dataclass(frozen=True)
class GeneratorIdentity:
    """The generator that ran: its version, and its commit when it runs from a git checkout.

    The version alone identifies little (it moves only at releases); the commit names
    the exact code. ``commit`` and ``dirty`` are ``None`` for an installed package.
    """

    version: str
    commit: str | None
    dirty: bool | None


def collect(
    scorecard_folder: Path, scorecard: Scorecard, results: Results, site_url: str | None = None
) -> dict[str, Any]:
    """The provenance record of one build.

    Args:
        scorecard_folder: the folder the scorecard was loaded from.
        scorecard: the loaded scorecard (its ``files`` are hashed).
        results: the computed results (as-of date and audience).
        site_url: the ``--site-url`` the build was given: it is in every page's
            canonical link, so a rebuild needs it too.

    Returns:
        A JSON-ready dict with keys ``as_of``, ``audience``, ``commit`` (the checkout's
        ``HEAD``: what was built), ``dirty`` (the checkout had uncommitted changes),
        ``scorecard_dir``, ``scorecard_commit`` (the last commit touching the scorecard
        folder), ``site_url``, ``generator_version``, ``generator_commit`` and
        ``generator_dirty`` (``None`` unless the generator runs from a git checkout),
        ``built_at``, ``rebuild`` (:func:`rebuild_command`) and ``files``
        (``[{"path", "sha256"}]`` sorted by path, paths relative to the scorecard folder).
        In the all-staff build, a file holding actuals of a restricted KPI has
        ``sha256: null``: a checksum of a few numbers can be reversed by guessing them.
        A file named after a restricted KPI (``data/<id>.csv``) is not listed at all,
        only counted in ``withheld_files``, since its name would reveal the KPI.
    """
    folder = Path(scorecard_folder)
    git = git_state(folder)
    tool = generator_identity()
    # Every unit's files too (spec 9), each unit's restricted KPIs withheld by that unit's rule.
    cards = scorecard.walk()
    withhold = frozenset().union(*(_restricted_files(folder, card, results) for card in cards))
    files = file_hashes(folder, scorecard.all_files(), withhold=withhold)
    # A per-KPI file named after a restricted KPI would name that KPI: such files are only counted.
    named = _named_files(folder, cards) if results.audience is Audience.ALL else frozenset()
    shown = [row for row in files if str(row["path"]) not in named]
    record: dict[str, Any] = {
        "as_of": results.as_of.isoformat() if results.as_of else None,
        "audience": results.audience.value,
        "commit": git.commit,
        "dirty": git.checkout_dirty or git.dirty,
        "scorecard_dir": git.prefix,
        "scorecard_commit": git.scorecard_commit,
        "site_url": site_url,
        "generator_version": tool.version,
        "generator_commit": tool.commit,
        "generator_dirty": tool.dirty,
        "built_at": _iso(build_epoch(git.committed_at)),
        "files": shown,
        "withheld_files": len(files) - len(shown),
    }
    record["rebuild"] = rebuild_command(record)
    return record


def git_state(folder: Path) -> GitState:
    """Ask git about ``folder``; a folder outside any repository (or no git at all) is dirty."""
    top = _git(folder, "rev-parse", "--show-prefix")
    if top is None:
        log.info("%s is not in a git repository: provenance has no commit", folder)
        return GitState(commit=None, committed_at=None, dirty=True, prefix=None)
    head = (_git(folder, "log", "-1", "--format=%H %ct") or "").strip()
    commit, _, when = head.partition(" ")
    last = (_git(folder, "log", "-1", "--format=%H", "--", ".") or "").strip()
    prefix = top.strip().rstrip("/") or "."
    return GitState(
        commit=commit or None,
        committed_at=int(when) if when else None,
        dirty=_changed(folder, ".") or not last,
        prefix=prefix,
        scorecard_commit=last or None,
        checkout_dirty=_changed(folder, ":/") or not commit,
    )


def generator_identity() -> GeneratorIdentity:
    """The running generator's version, and its commit when its package is tracked in a git checkout.

    A package installed into a virtual environment inside some checkout is not tracked
    there (``.venv/`` is ignored), so it is not taken for that checkout's code.
    """
    package = Path(generator.__file__).resolve().parent
    if not (_git(package, "ls-files", "--", "__init__.py") or "").strip():
        return GeneratorIdentity(generator.__version__, None, None)
    commit = (_git(package, "rev-parse", "HEAD") or "").strip() or None
    return GeneratorIdentity(generator.__version__, commit, _changed(package, "."))


def _changed(folder: Path, pathspec: str) -> bool:
    """Uncommitted or untracked (not ignored) files under ``pathspec`` (``:/`` is the whole checkout)."""
    # --no-optional-locks: status must not take the index lock another git command may hold.
    status = _git(folder, "--no-optional-locks", "status", "--porcelain", "--untracked-files=all", "--", pathspec)
    return status is None or bool(status.strip())


def build_epoch(
    committed_at: int | None, as_of: dt.date | None = None, *, environ: Mapping[str, str] | None = None
) -> int | None:
    """The build's date: ``SOURCE_DATE_EPOCH`` when set, else the time of the commit that
    was built, else midnight UTC of the as-of date; None when there is none of them.

    Never the wall clock, so building the same commit twice gives the same bytes.

    Args:
        committed_at: the built commit's time (seconds), or None.
        as_of: the build's as-of date, the last resort.
        environ: where ``SOURCE_DATE_EPOCH`` is read (``os.environ`` by default; ``{}``
            to read a recorded build alone).
    """
    env = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if env:
        try:
            return max(0, int(env))
        except ValueError:
            log.warning("SOURCE_DATE_EPOCH=%r is not a whole number of seconds; ignored", env)
    if committed_at is not None:
        return committed_at
    if as_of is not None:
        return int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp())
    return None


def reproducible_epoch(provenance: Mapping[str, Any], *, environ: Mapping[str, str] | None = None) -> int:
    """The build date of a provenance record (:func:`build_epoch` of its ``built_at`` and ``as_of``), else 0.

    Only the record counts (``environ`` is empty unless given), so a record's rebuild
    command never depends on the day or the shell it is read in.
    """
    built = _parse_stamp(provenance.get("built_at"))
    as_of = _parse_day(provenance.get("as_of"))
    return build_epoch(built, as_of, environ={} if environ is None else environ) or 0


def _parse_stamp(value: Any) -> int | None:
    """Seconds since the epoch of an ISO timestamp (UTC when no zone), or None."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0, int(moment.timestamp()))


def _parse_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def file_hashes(
    folder: Path, files: tuple[str, ...] | list[str], *, withhold: frozenset[Path] = frozenset()
) -> list[dict[str, str | None]]:
    """SHA-256 of every input file, sorted by its path relative to ``folder``.

    Files in ``withhold`` (resolved paths) are listed with ``sha256: None``.

    Raises:
        PublishError: a file cannot be read.
    """
    rows = []
    for name in files:
        path = _resolve(folder, name)
        if path.resolve() in withhold:
            rows.append({"path": _relative(path, folder), "sha256": None})
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as error:
            raise PublishError(f"{name}: cannot read it to record its checksum ({error.strerror})") from None
        rows.append({"path": _relative(path, folder), "sha256": digest})
    return sorted(rows, key=lambda row: str(row["path"]))


def _restricted_files(folder: Path, scorecard: Scorecard, results: Results) -> frozenset[Path]:
    """The CSV files holding actuals of restricted KPIs, when the build leaves those KPIs out."""
    if results.audience is not Audience.ALL:
        return frozenset()
    restricted = _restricted_ids(scorecard)
    paths = {row.where.path for kpi_id in restricted for row in scorecard.actuals.get(kpi_id, ())}
    return frozenset(_resolve(folder, path).resolve() for path in paths)


def _named_files(folder: Path, cards: tuple[Scorecard, ...]) -> frozenset[str]:
    """Files (as listed, relative to ``folder``) named after a restricted KPI of the unit holding them."""
    named: set[str] = set()
    for card in cards:
        restricted = _restricted_ids(card)
        named.update(_relative(_resolve(folder, name), folder) for name in card.files if Path(name).stem in restricted)
    return frozenset(named)


def _restricted_ids(scorecard: Scorecard) -> frozenset[str]:
    return frozenset(kpi.id for kpi in scorecard.kpis if kpi.restricted)


def rebuild_command(provenance: Mapping[str, Any]) -> str:
    """The shell command that rebuilds the recorded portal in a fresh clone of its repository.

    It checks out the recorded commit (the whole checkout: generator, theme and content
    as they were). When the generator ran from that same commit, ``make portal`` sets
    everything up from the pinned versions and builds; otherwise the command calls
    ``python -m generator build`` with the generator named on the provenance page.
    ``SOURCE_DATE_EPOCH`` carries the recorded build time.
    """
    commit = provenance.get("commit")
    if commit and provenance.get("generator_commit") == commit:
        words = _make_words(provenance)
    else:
        words = _python_words(provenance)
    command = " ".join(shlex.quote(word) for word in words)
    if provenance.get("built_at"):
        command = f"SOURCE_DATE_EPOCH={reproducible_epoch(provenance)} {command}"
    return f"git checkout {shlex.quote(str(commit))} && {command}" if commit else command


def _make_words(provenance: Mapping[str, Any]) -> list[str]:
    words = ["make", "portal"]
    if provenance.get("scorecard_dir") not in (None, "", ".", "scorecard"):
        words.append(f"SCORECARD={provenance['scorecard_dir']}")
    if provenance.get("as_of"):
        words.append(f"AS_OF={provenance['as_of']}")
    words.append(f"AUDIENCE={provenance.get('audience') or 'all'}")
    if provenance.get("site_url"):
        words.append(f"SITE_URL={provenance['site_url']}")
    return words


def _python_words(provenance: Mapping[str, Any]) -> list[str]:
    words = ["python", "-m", "generator", "build"]
    if provenance.get("scorecard_dir") not in (None, "", "."):
        words.append(str(provenance["scorecard_dir"]))
    if provenance.get("as_of"):
        words += ["--as-of", str(provenance["as_of"])]
    words += ["--audience", str(provenance.get("audience") or "all")]
    if provenance.get("site_url"):
        words += ["--site-url", str(provenance["site_url"])]
    return words


def make_reproducible(site_dir: Path, epoch: int) -> None:
    """Rewrite the bytes of a built site that depend on the day it was built.

    MkDocs stamps ``<lastmod>`` in ``sitemap.xml`` with the build date and the gzip
    header of ``sitemap.xml.gz`` with the build time (both follow ``SOURCE_DATE_EPOCH``
    when it is set, so running MkDocs with it set makes this a no-op). Nothing else in
    a MkDocs + Material site varies between two builds of the same docs folder.

    Args:
        site_dir: the built site.
        epoch: seconds since the epoch, e.g. :func:`reproducible_epoch`.
    """
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat()
    for sitemap in sorted(Path(site_dir).rglob("sitemap.xml")):
        text = sitemap.read_text(encoding="utf-8")
        fixed = re.sub(r"<lastmod>[^<]*</lastmod>", f"<lastmod>{day}</lastmod>", text)
        if fixed != text:
            sitemap.write_text(fixed, encoding="utf-8")
        compressed = sitemap.with_name(sitemap.name + ".gz")
        if compressed.exists():
            _gzip_like_mkdocs(fixed.encode("utf-8"), compressed, epoch)


def _gzip_like_mkdocs(data: bytes, target: Path, epoch: int) -> None:
    # Same call as mkdocs.commands.build, so the bytes equal a build run with SOURCE_DATE_EPOCH.
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, filename=target.name, mode="wb", mtime=epoch) as gz:
        gz.write(data)


def _git(folder: Path, *args: str) -> str | None:
    """Run git in ``folder``; ``None`` when git is missing or the command fails."""
    env = {k: v for k, v in os.environ.items() if k not in GIT_ENV_OVERRIDES}
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=False
        )
    except (FileNotFoundError, NotADirectoryError):
        return None
    if done.returncode != 0:
        log.debug("git %s in %s failed: %s", " ".join(args), folder, done.stderr.strip())
        return None
    return done.stdout


def _resolve(folder: Path, name: str) -> Path:
    # The loader records paths for display: relative to the working folder when below it
    # (errors.display_path), else absolute. Relative to the scorecard folder is accepted too.
    candidates = [Path(name)] if Path(name).is_absolute() else [Path(name), folder / name]
    existing = [path for path in candidates if path.is_file()]
    inside = [path for path in existing if _within(path, folder)]
    return (inside or existing or candidates)[0]


def _within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
