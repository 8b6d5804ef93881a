"""Whatever a user does to a scorecard, ``check`` answers with located problems, never a crash.

Seeded mutations of the sample (lines deleted, duplicated, or with a hostile value
spliced in) must each be accepted or refused with ``ValidationFailed``; any other
exception is a bug a user would meet as "internal error". Seeded, so a failure
reproduces: the test names the seed and the mutated files.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from generator.errors import ValidationFailed
from generator.pipeline import check

SAMPLE = Path(__file__).resolve().parents[1] / "scorecard"
SPLICES = (
    "", "x", "[]", "{}", "{a: 1}", "-1", "0", "null", "'", '"', ":", "- ", "\t", "&a", "*a", "!!binary x",
    "2026-13", "2026-Q5", "2026-W53", "2027-W53", "2024-02-30", "1e5", "nan", "99999999999999999999999",
    "{period: 2026, value: 0}", "[2, 1]", "0%", "range", "lower", "weekly", "yearly", "restricted", "ü",
)  # fmt: skip


def mutate(folder: Path, rng: random.Random) -> list[str]:
    """Apply one to three random edits to the files of ``folder``; returns what was done."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    yaml_files = [p for p in files if p.suffix == ".yml"]
    done = []
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(yaml_files if rng.random() < 0.75 else files)  # YAML holds most of the rules
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not lines:
            continue
        index, roll = rng.randrange(len(lines)), rng.random()
        if roll < 0.3:
            del lines[index]
            edit = "deleted"
        elif roll < 0.55:
            line, cut = lines[index], rng.randrange(len(lines[index]) + 1)
            lines[index] = line[:cut] + rng.choice(SPLICES) + line[cut:]
            edit = "spliced"
        elif roll < 0.8:
            separator = ":" if ":" in lines[index] else ","
            key = lines[index].split(separator, 1)[0]
            lines[index] = f"{key}{separator} {rng.choice(SPLICES)}\n"
            edit = "replaced the value at"
        else:
            lines.insert(index, lines[rng.randrange(len(lines))])
            edit = "duplicated a line at"
        path.write_text("".join(lines), encoding="utf-8")
        done.append(f"{edit} {path.relative_to(folder)}:{index + 1}")
    return done


@pytest.mark.parametrize("seed", range(8))
def test_mutated_scorecards_are_accepted_or_refused_with_located_problems(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rng = random.Random(seed)
    for attempt in range(50):
        folder = tmp_path / f"scorecard-{attempt}"
        shutil.copytree(SAMPLE, folder)
        edits = mutate(folder, rng)
        try:
            check(Path(folder.name))
        except ValidationFailed as failure:
            for problem in failure.problems:
                assert str(problem).startswith(f"{folder.name}/"), (edits, str(problem))
        except Exception as error:  # noqa: BLE001 - exactly what must not happen
            pytest.fail(f"seed {seed}, attempt {attempt}, {edits}: {error!r}")
        shutil.rmtree(folder)
