"""The command line as a user meets it: exit codes, where output goes, no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_project

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_check_on_the_sample_is_quiet_and_succeeds() -> None:
    result = run("check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # stdout carries problems only; the one-line summary goes to stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--as-of", ""], "--as-of: '' is not a period"),
        (["check", "--as-of", "9999"], "the year must be between 1000 and 9990"),
        (["check", "--as-of", "2026-02-30"], "is not a real date"),
        (["build", "--audience", "managers"], "invalid choice: 'managers'"),
        (["publish"], "invalid choice: 'publish'"),
    ],
)
def test_a_wrong_command_line_exits_2_with_a_usage_message(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_check_keeps_load_warnings_when_compute_finds_an_error(tmp_path: Path) -> None:
    """A percentage of an interpolated zero goal (a compute-time error) does not hide other problems."""
    folder = write(tmp_path / "scorecard", {
        "scorecard.yml": (
            "organization: {id: a, name: A}\n"
            "objectives: [{id: o, name: O, perspective: financial}]\n"
            "kpis:\n"
            "  - id: k\n"
            "    name: K\n"
            "    objective: o\n"
            "    direction: higher\n"
            "    frequency: monthly\n"
            "    baseline: {period: 2026-01, value: -10}\n"
            "    target: {period: 2026-03, value: 10}\n"
            "    colour: red\n"
        ),
        "data/k.csv": "period,actual\n2026-02,1\n",
    })
    result = run("check", "scorecard", cwd=tmp_path)
    assert result.returncode == 1
    assert "scorecard/scorecard.yml:4: kpi 'k': goal for 2026-02 is 0" in result.stdout
    assert "scorecard/scorecard.yml:11: warning: kpi 'k': unknown key 'colour'" in result.stdout
    assert folder.is_dir() and "Traceback" not in result.stdout + result.stderr


def test_failed_build_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path / "scorecard", {"scorecard.yml": "organization: {id: a, name: A}\nobjectives: 3\n"})
    result = run("build", str(tmp_path / "scorecard"), "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "scorecard.yml:2:" in result.stderr
    assert not (tmp_path / "site").exists()


def test_build_ends_by_saying_where_the_site_is_and_how_to_open_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    shutil.copytree(ROOT / "tests" / "fixtures" / "compute" / "cafe", project / "scorecard")
    result = run("build", "--site-dir", "my site", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "my site" / "index.html").is_file()
    assert result.stderr.splitlines()[-3:] == [
        "Built the portal as of 2026-04-30 into my site/. To look at it, run",
        "  python3 -m http.server -d 'my site'",
        "then open http://127.0.0.1:8000/ (make serve previews while you edit).",
    ]
