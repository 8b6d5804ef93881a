"""The command line: parse arguments, call the pipeline, map exceptions to exit codes.

Exit codes: 0 success, 1 the scorecard (or the build) has errors, 2 a wrong
command line, 3 an internal error (a bug: please report it). Only this module
prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import shlex
import sys
import traceback
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.compute.results import Audience
from generator.errors import Problem, ScorecardError, ValidationFailed, display_path
from generator.periods import PeriodError, parse_as_of

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

log = logging.getLogger("generator")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose > 1 else logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    try:
        as_of = _as_of(args)
    except PeriodError as error:
        parser.error(f"--as-of: {error}")
    try:
        return args.command(args, as_of)
    except ValidationFailed as failure:
        _report(failure.problems, out=sys.stdout if args.command is _check else sys.stderr)
        return EXIT_INVALID
    except ScorecardError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - a bug must still not dump a traceback on a user
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {error!r} (re-run with --debug and report it)", file=sys.stderr)
        return EXIT_BUG


def run() -> NoReturn:
    """``python -m generator`` and the ``strategy-portal`` command: :func:`main`, then :func:`finish`."""
    finish(main())


def finish(code: int) -> NoReturn:
    """End the process with ``code``, without a last walk of the cycle collector.

    A build leaves hundreds of thousands of objects behind; on the way out Python's
    collector would walk them all once more (0.6 s after a 1,000-KPI build) to free
    what the process's end frees anyway. Frozen, they are left out of that walk.
    """
    gc.freeze()
    sys.exit(code)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=0, help="say more (twice: debug)")
    common.add_argument("--debug", action="store_true", help="show a traceback on an internal error")
    folder = argparse.ArgumentParser(add_help=False)
    folder.add_argument(
        "scorecard", nargs="?", type=Path, default=Path("scorecard"), metavar="SCORECARD_DIR",
        help="the scorecard folder (default: scorecard/)",
    )
    strict = argparse.ArgumentParser(add_help=False)
    strict.add_argument("--strict", action="store_true", help="treat warnings as errors")
    as_of = argparse.ArgumentParser(add_help=False)
    as_of.add_argument("--as-of", metavar="PERIOD", help="status as of a period (2026-06, 2026-Q2, 2026) or a date")

    parser = argparse.ArgumentParser(
        prog="python -m generator", description="Build a strategy portal from a balanced scorecard.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"strategy-portal {__version__}")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("check", parents=[common, folder, strict, as_of], help="validate and lint the scorecard")
    p.set_defaults(command=_check)

    p = sub.add_parser("build", parents=[common, folder, strict, as_of], help="build the portal site")
    p.add_argument("--site-dir", type=Path, default=Path("site"), help="where the site goes (default: site/)")
    p.add_argument(
        "--site-url", metavar="URL",
        help="the address the portal is published at (fills the sitemap; enables instant page changes)",
    )
    p.add_argument(
        "--snapshots-url", metavar="URL",
        help="where the snapshots are published, when not beside the live site (links of 'Earlier versions')",
    )
    p.add_argument(
        "--audience", choices=[a.value for a in Audience], default=Audience.ALL.value,
        help="all: the all-staff portal without restricted KPIs (default); restricted: everything",
    )
    p.set_defaults(command=_build)

    p = sub.add_parser("deck", parents=[common, folder, as_of], help="write the town-hall PowerPoint deck")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pptx", help="the deck to write")
    p.add_argument(
        "--audience", choices=[a.value for a in Audience], default=Audience.ALL.value,
        help="all: without restricted KPIs, notes included (default); restricted: everything",
    )
    p.add_argument("--unit", metavar="ID", help="the deck of one unit (its id, e.g. a department)")
    p.add_argument("--site-url", metavar="URL", help="the portal's address, shown on the closing slide")
    p.set_defaults(command=_deck)

    p = sub.add_parser("serve", parents=[common, folder], help="serve the portal, rebuilding on every change")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(command=_serve, as_of=None)

    p = sub.add_parser("snapshot", parents=[common], help="publish an immutable snapshot as of a period")
    p.add_argument("label", metavar="LABEL", help="the period closed: 2026-Q3, 2026-09 or 2026")
    p.add_argument(
        "scorecard", nargs="?", type=Path, default=Path("scorecard"), metavar="SCORECARD_DIR",
    )
    p.add_argument("--branch", default="portal-snapshots", help="git branch holding the snapshots")
    p.add_argument("--push", action="store_true", help="push the snapshot branch to origin")
    p.set_defaults(command=_snapshot, as_of=None)
    return parser


def _as_of(args: argparse.Namespace) -> dt.date | None:
    text = getattr(args, "as_of", None)
    return None if text is None else parse_as_of(text)


def _report(problems: list[Problem], *, out) -> None:
    for problem in problems:
        print(problem, file=out)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _check(args: argparse.Namespace, as_of: dt.date | None) -> int:
    from generator.pipeline import check

    checked = check(args.scorecard, strict=args.strict, as_of=as_of)
    for problem in checked.warnings:
        print(problem)
    sc, results = checked.scorecard, checked.results
    units = len(sc.walk()) - 1
    print(
        f"{args.scorecard}: {len(sc.objectives)} objectives, {len(sc.kpis)} KPIs, "
        f"{len(sc.initiatives)} initiatives{f', {units} unit(s) below' if units else ''}; "
        f"as of {results.as_of or 'no data'}; {len(checked.warnings)} warning(s)",
        file=sys.stderr,
    )
    return EXIT_OK


def _build(args: argparse.Namespace, as_of: dt.date | None) -> int:
    from generator.pipeline import build

    built = build(
        args.scorecard, args.site_dir, as_of=as_of, audience=Audience(args.audience), strict=args.strict,
        site_url=args.site_url, snapshots_url=args.snapshots_url,
    )
    for problem in built.warnings:
        print(problem, file=sys.stderr)
    print(_how_to_open(Path(built.site_dir), built.results.as_of), file=sys.stderr)
    return EXIT_OK


def _how_to_open(site_dir: Path, as_of: dt.date | None) -> str:
    """Where the site is and how to look at it: a static folder, served by Python's own web server."""
    shown = display_path(site_dir)
    return (
        f"Built the portal as of {as_of or 'no data'} into {shown}/. To look at it, run\n"
        f"  python3 -m http.server -d {shlex.quote(shown)}\n"
        f"then open http://127.0.0.1:8000/ (make serve previews while you edit)."
    )
def _deck(args: argparse.Namespace, as_of: dt.date | None) -> int:
    from generator.pipeline import UnknownUnit, deck

    if args.out.suffix.lower() != ".pptx":
        print(f"error: --out {args.out}: the deck is a PowerPoint file; name it FILE.pptx", file=sys.stderr)
        return EXIT_USAGE
    try:
        data, results = deck(
            args.scorecard, as_of=as_of, audience=Audience(args.audience), site_url=args.site_url, unit=args.unit
        )
    except UnknownUnit as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    partial = args.out.with_name(args.out.name + ".partial")
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(data)
    partial.replace(args.out)  # never a half-written deck
    print(f"wrote {args.out} as of {results.as_of or 'no data'}", file=sys.stderr)
    return EXIT_OK


def _serve(args: argparse.Namespace, as_of: dt.date | None) -> int:
    from generator.pipeline import serve

    serve(args.scorecard, host=args.host, port=args.port)
    return EXIT_OK


def _snapshot(args: argparse.Namespace, as_of: dt.date | None) -> int:
    from generator.pipeline import snapshot

    report = snapshot(args.label, args.scorecard, branch=args.branch, push=args.push)
    print(report, file=sys.stderr)
    return EXIT_OK
