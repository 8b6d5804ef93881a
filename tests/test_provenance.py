"""Provenance: what a portal was built from (generator/publish/provenance.py)."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import subprocess
from pathlib import Path

import markdown
import pytest

from generator import __version__
from generator.compute.results import Audience, Results, RollUp, Status
from generator.errors import Location
from generator.model import Actual, Kpi, Organization, Scorecard
from generator.periods import Period
from generator.publish.provenance import (
    GeneratorIdentity,
    collect,
    generator_identity,
    make_reproducible,
    rebuild_command,
    reproducible_epoch,
)
from generator.render.pages.records import provenance_markdown


def provenance_page(record: dict) -> str:
    return provenance_markdown(record, rebuild_command(record))

COMMIT_DATE = "2026-07-01T09:30:00+02:00"  # committed in Paris, recorded in UTC


def git(repo: Path, *args: str, **env: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env={**os.environ, **env}
    ).stdout.strip()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A scorecard folder with a YAML file and a CSV, outside any git repository."""
    card = tmp_path / "org" / "scorecard"
    (card / "data").mkdir(parents=True)
    (card / "scorecard.yml").write_text("organization: {id: acme, name: Acme}\n")
    (card / "data" / "csat.csv").write_text("period,actual\n2026-01,80\n")
    return card


def committed(folder: Path) -> Path:
    repo = folder.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "s@example.org")
    git(repo, "config", "user.name", "S")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "scorecard", GIT_COMMITTER_DATE=COMMIT_DATE, GIT_AUTHOR_DATE=COMMIT_DATE)
    return repo


def scorecard(folder: Path) -> Scorecard:
    # Files as the loader records them: display paths, relative to the working folder when below it.
    files = (str(folder / "scorecard.yml"), str(folder / "data" / "csat.csv"))
    org = Organization(id="acme", name="Acme")
    return Scorecard(org, (), (), (), (), (), files=files)


def results(card: Scorecard, as_of: dt.date | None = dt.date(2026, 6, 30)) -> Results:
    return Results(card, as_of, Audience.ALL, RollUp("acme", None, Status.NO_DATA))


def test_records_the_commit_that_was_built_not_the_last_scorecard_commit(folder: Path) -> None:
    """A later commit outside the scorecard (the generator, the theme) is what was built: checking
    out the scorecard's last commit would rewind the generator (issue 11)."""
    repo = committed(folder)
    scorecard_commit = git(repo, "rev-parse", "HEAD")
    (repo / "README.md").write_text("a later commit outside the scorecard folder\n")
    git(repo, "add", "README.md")
    later = "2026-07-02T10:00:00+00:00"
    git(repo, "commit", "-q", "-m", "readme", GIT_COMMITTER_DATE=later, GIT_AUTHOR_DATE=later)

    record = collect(folder, scorecard(folder), results(scorecard(folder)))

    assert record["commit"] == git(repo, "rev-parse", "HEAD") != scorecard_commit
    assert record["scorecard_commit"] == scorecard_commit
    assert record["dirty"] is False
    assert record["built_at"] == "2026-07-02T10:00:00Z"  # the built commit's time, not the clock's
    assert record["scorecard_dir"] == "scorecard"
    assert record["as_of"] == "2026-06-30" and record["audience"] == "all"
    assert record["generator_version"] == __version__
    assert record["rebuild"].startswith(f"git checkout {record['commit']} && ")


def test_an_uncommitted_change_outside_the_scorecard_marks_the_record_dirty(folder: Path) -> None:
    repo = committed(folder)
    (repo / "theme.css").write_text("body { color: red }\n")  # untracked: the site may use it
    record = collect(folder, scorecard(folder), results(scorecard(folder)))
    assert record["dirty"] is True and record["commit"] == git(repo, "rev-parse", "HEAD")
    (repo / ".gitignore").write_text("theme.css\nsite/\n")
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-q", "-m", "ignore")
    assert collect(folder, scorecard(folder), results(scorecard(folder)))["dirty"] is False  # ignored files aside


def test_the_generator_names_its_own_commit_when_run_from_a_checkout() -> None:
    record_commit = git(Path(__file__).resolve().parents[1], "rev-parse", "HEAD")
    identity = generator_identity()
    assert identity.version == __version__
    assert identity.commit == record_commit and isinstance(identity.dirty, bool)


def test_an_installed_generator_has_no_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A package copied into a virtual environment inside a checkout is not that checkout's code.
    repo = tmp_path / "project"
    package = repo / ".venv" / "lib" / "generator"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('__version__ = "9.9"\n')
    (repo / ".gitignore").write_text(".venv/\n")
    git(repo, "init", "-q")
    monkeypatch.setattr("generator.__file__", str(package / "__init__.py"))
    assert generator_identity() == GeneratorIdentity(__version__, None, None)


def test_every_input_file_is_listed_sorted_with_its_sha256(folder: Path) -> None:
    record = collect(folder, scorecard(folder), results(scorecard(folder)))
    expected = hashlib.sha256(b"period,actual\n2026-01,80\n").hexdigest()
    assert [f["path"] for f in record["files"]] == ["data/csat.csv", "scorecard.yml"]
    assert record["files"][0]["sha256"] == expected


def test_file_paths_relative_to_the_working_folder_are_found(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder.parent.parent)
    card = Scorecard(Organization(id="acme", name="Acme"), (), (), (), (), (), files=("org/scorecard/scorecard.yml",))
    record = collect(Path("org/scorecard"), card, results(card))
    assert record["files"] == [
        {"path": "scorecard.yml", "sha256": hashlib.sha256(b"organization: {id: acme, name: Acme}\n").hexdigest()}
    ]


def test_uncommitted_change_marks_the_record_dirty(folder: Path) -> None:
    repo = committed(folder)
    (folder / "data" / "csat.csv").write_text("period,actual\n2026-01,81\n")
    record = collect(folder, scorecard(folder), results(scorecard(folder)))
    assert record["dirty"] is True
    assert record["commit"] == git(repo, "rev-parse", "HEAD")


def test_untracked_input_file_marks_the_record_dirty(folder: Path) -> None:
    committed(folder)
    (folder / "data" / "nps.csv").write_text("period,actual\n")
    assert collect(folder, scorecard(folder), results(scorecard(folder)))["dirty"] is True


def test_outside_git_there_is_no_commit_and_no_build_time(folder: Path) -> None:
    record = collect(folder, scorecard(folder), results(scorecard(folder)))
    assert record["commit"] is None and record["dirty"] is True and record["scorecard_dir"] is None
    assert record["built_at"] is None  # never the wall clock


def test_source_date_epoch_sets_the_build_time(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    committed(folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    record = collect(folder, scorecard(folder), results(scorecard(folder)))
    assert record["built_at"] == "2026-05-28T20:26:40Z"


def test_no_data_build_records_null_as_of(folder: Path) -> None:
    record = collect(folder, scorecard(folder), results(scorecard(folder), as_of=None))
    assert record["as_of"] is None
    json.dumps(record)  # the record is JSON as it is


def test_page_shows_the_record_and_escapes_paths(folder: Path) -> None:
    odd = folder / "data" / "<b>*q*|1.csv"
    odd.write_text("period,actual\n")
    card = Scorecard(Organization(id="acme", name="Acme"), (), (), (), (), (), files=(str(odd),))
    record = collect(folder, card, results(card))
    html = markdown.markdown(provenance_page(record), extensions=["admonition", "tables"])
    assert "<b>" not in html and "<em>" not in html
    assert "data/&lt;b&gt;*q*|1.csv" in html
    assert record["files"][0]["sha256"] in html
    assert "Not built from a committed scorecard" in html  # not in git: the page warns


def test_page_of_a_clean_build_gives_the_rebuild_command(folder: Path) -> None:
    repo = committed(folder)
    record = collect(folder, scorecard(folder), results(scorecard(folder)))
    page = provenance_page(record)
    # The generator runs from another checkout than this scorecard's: it is called by name.
    assert f"git checkout {git(repo, 'rev-parse', 'HEAD')} && " in page
    assert "python -m generator build scorecard --as-of 2026-06-30 --audience all" in page
    assert f"SOURCE_DATE_EPOCH={reproducible_epoch(record)} " in page
    assert record["rebuild"] in page
    assert "Not built from a committed scorecard" not in page


def test_rebuild_is_make_portal_when_the_generator_is_in_the_built_commit() -> None:
    record = {
        "commit": "a" * 40, "generator_commit": "a" * 40, "scorecard_dir": "scorecard", "as_of": "2026-10-31",
        "audience": "restricted", "site_url": "https://intranet.example.org/strategy/",
        "built_at": "2026-07-01T07:30:00Z",
    }
    assert rebuild_command(record) == (
        f"git checkout {'a' * 40} && SOURCE_DATE_EPOCH=1782891000 make portal AS_OF=2026-10-31 "
        "AUDIENCE=restricted SITE_URL=https://intranet.example.org/strategy/"
    )
    elsewhere = rebuild_command(record | {"scorecard_dir": "strategy/card", "generator_commit": "b" * 40})
    assert elsewhere.endswith("python -m generator build strategy/card --as-of 2026-10-31 --audience restricted "
                              "--site-url https://intranet.example.org/strategy/")


def test_reproducible_epoch_never_depends_on_the_day() -> None:
    assert reproducible_epoch({"built_at": "2026-07-01T07:30:00Z"}) == 1782891000
    assert reproducible_epoch({"built_at": None, "as_of": "2026-06-30"}) == 1782777600
    assert reproducible_epoch({"built_at": None, "as_of": None}) == 0


def test_make_reproducible_rewrites_sitemap_dates(tmp_path: Path) -> None:
    text = "<urlset><url><loc>x</loc><lastmod>2031-01-01</lastmod></url></urlset>\n"
    (tmp_path / "sitemap.xml").write_text(text)
    with gzip.GzipFile(tmp_path / "sitemap.xml.gz", "wb", mtime=1924992000) as gz:
        gz.write(text.encode())

    make_reproducible(tmp_path, 1782777600)

    fixed = (tmp_path / "sitemap.xml").read_text()
    assert "<lastmod>2026-06-30</lastmod>" in fixed and "2031" not in fixed
    with gzip.open(tmp_path / "sitemap.xml.gz", "rt") as gz:
        assert gz.read() == fixed
    header_mtime = int.from_bytes((tmp_path / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert header_mtime == 1782777600


def test_all_staff_build_withholds_checksums_of_restricted_actuals(folder: Path) -> None:
    """A file with restricted actuals keeps its path but not its checksum; one named after a
    restricted KPI is not even listed (its name would reveal the KPI)."""
    (folder / "data" / "margin.csv").write_text("period,actual\n2026-01,61.5\n")
    (folder / "data" / "finance.csv").write_text("kpi,period,actual\nmargin,2026-02,62\n")
    margin = Kpi(
        id="margin", name="Margin", objective="grow", direction="higher", frequency="monthly",
        target={"period": "2026-12", "value": 60}, visibility="restricted",
    )
    rows = (
        Actual(Period.parse("2026-01"), 61.5, "", Location(str(folder / "data" / "margin.csv"), 2)),
        Actual(Period.parse("2026-02"), 62.0, "", Location(str(folder / "data" / "finance.csv"), 2)),
    )
    files = (*scorecard(folder).files, str(folder / "data" / "finance.csv"), str(folder / "data" / "margin.csv"))
    card = Scorecard(Organization(id="acme", name="Acme"), (), (), (), (margin,), (), {"margin": rows}, files)

    everyone = collect(folder, card, results(card))
    full = Results(card, dt.date(2026, 6, 30), Audience.RESTRICTED, results(card).organization)
    restricted = collect(folder, card, full)

    hashes = {f["path"]: f["sha256"] for f in everyone["files"]}
    assert hashes == {
        "data/csat.csv": hashes["data/csat.csv"], "data/finance.csv": None, "scorecard.yml": hashes["scorecard.yml"]
    }
    assert hashes["data/csat.csv"] is not None and everyone["withheld_files"] == 1
    page = provenance_page(everyone)
    assert "withheld" in page and "margin" not in page
    assert {f["path"]: f["sha256"] for f in restricted["files"]}["data/margin.csv"] == hashlib.sha256(
        b"period,actual\n2026-01,61.5\n"
    ).hexdigest()
    assert restricted["withheld_files"] == 0 and "withheld" not in provenance_page(restricted)

def test_a_cascaded_build_lists_every_units_files_and_withholds_by_each_units_rule(folder: Path) -> None:
    """Provenance covers the whole tree (spec 9); a unit's restricted KPI hides that unit's files only."""
    unit_data = folder / "units" / "sales" / "data"
    unit_data.mkdir(parents=True)
    (folder / "units" / "sales" / "scorecard.yml").write_text("organization: {id: sales, name: Sales}\n")
    (unit_data / "margin.csv").write_text("period,actual\n2026-01,30\n")
    (unit_data / "book.csv").write_text("kpi,period,actual\nmargin,2026-02,31\n")
    (folder / "data" / "margin.csv").write_text("period,actual\n2026-01,61.5\n")  # the root's margin is open
    margin = Kpi(
        id="margin", name="Margin", objective="grow", direction="higher", frequency="monthly",
        target={"period": "2026-12", "value": 60}, visibility="restricted",
    )
    rows = (
        Actual(Period.parse("2026-01"), 30.0, "", Location(str(unit_data / "margin.csv"), 2)),
        Actual(Period.parse("2026-02"), 31.0, "", Location(str(unit_data / "book.csv"), 2)),
    )
    unit_files = tuple(
        str(p) for p in (folder / "units/sales/scorecard.yml", unit_data / "book.csv", unit_data / "margin.csv")
    )
    sales = Scorecard(Organization(id="sales", name="Sales"), (), (), (), (margin,), (), {"margin": rows}, unit_files,
                      parent="acme", folder="units/sales")
    root = Scorecard(Organization(id="acme", name="Acme"), (), (), (), (), (), {},
                     (*scorecard(folder).files, str(folder / "data" / "margin.csv")), units=(sales,))

    everyone = collect(folder, root, results(root))
    hashes = {f["path"]: f["sha256"] for f in everyone["files"]}
    assert sorted(hashes) == [
        "data/csat.csv", "data/margin.csv", "scorecard.yml", "units/sales/data/book.csv", "units/sales/scorecard.yml",
    ]
    assert hashes["units/sales/data/book.csv"] is None and hashes["data/margin.csv"] is not None
    assert hashes["units/sales/scorecard.yml"] is not None and everyone["withheld_files"] == 1

    full = Results(root, dt.date(2026, 6, 30), Audience.RESTRICTED, results(root).organization)
    restricted = {f["path"]: f["sha256"] for f in collect(folder, root, full)["files"]}
    assert restricted["units/sales/data/margin.csv"] == hashlib.sha256(b"period,actual\n2026-01,30\n").hexdigest()
