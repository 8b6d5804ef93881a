"""The install is pinned whole: a build next year gets the same packages, so it renders the same.

``make setup`` installs with ``-c requirements.lock``; a package missing from the lock
would be resolved afresh on every new machine.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def locked() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pins = [re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip()) for line in lines if line.strip()]
    assert all(pins), "every line of requirements.lock is name==version"
    return {canonicalize_name(pin.group(1)): pin.group(2) for pin in pins if pin}


def needs(requirements: list[str], extras: tuple[str, ...] = ("",)) -> set[str]:
    """The names ``requirements`` ask for on this machine (markers evaluated, with ``extras``)."""
    names = set()
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is None or any(requirement.marker.evaluate({"extra": e}) for e in extras):
            names.add(canonicalize_name(requirement.name))
    return names


def test_the_project_pins_exactly_what_the_lock_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = locked()
    direct = project["dependencies"] + project["optional-dependencies"]["test"]
    for text in direct:
        requirement = Requirement(text)
        assert str(requirement.specifier).startswith("=="), f"{text}: pin the version exactly"
        assert pins.get(canonicalize_name(requirement.name)) == str(requirement.specifier)[2:], f"{text} vs the lock"


def test_every_dependency_of_a_locked_package_is_locked() -> None:
    pins = locked()
    missing = {
        f"{name} needs {need}"
        for name in pins
        for need in needs(metadata.distribution(name).requires or [])
        if need not in pins
    }
    assert not missing, "add to requirements.lock: " + ", ".join(sorted(missing))
