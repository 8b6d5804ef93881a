"""Safe, line-aware YAML reading.

PyYAML's loaders lose line numbers, keep the last of two duplicate keys
without a word, and expand aliases without limit ("billion laughs"). So this
module lets the safe parser compose the node graph, then builds plain Python
data from the nodes itself, recording the 1-based line of every key and list
entry and refusing duplicates, unsafe tags, runaway aliases and deep nesting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Location, Problem

__all__ = ["KeyPath", "YamlDocument", "read_text", "read_yaml", "MAX_NODES", "MAX_DEPTH"]

KeyPath = tuple[str | int, ...]
"""Where a value sits in a document: mapping keys and list indices from the root."""

MAX_NODES = 100_000
"""Values built per file, aliases counted each time they are used: far above any real scorecard."""

MAX_DEPTH = 64
"""Nesting levels per file; a scorecard needs about five."""

# The C loader is much faster; the pure-Python one behaves the same for our purposes.
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("null", "bool", "int", "float", "str", "timestamp")}
_MERGE_TAG = _TAG + "merge"


@dataclass(frozen=True)
class YamlDocument:
    """One YAML file as plain data, with the line of every key and list entry.

    Attributes:
        path: the file as shown to the user.
        data: dicts (string keys), lists and scalars; ``None`` for an empty file.
        lines: key path -> 1-based line where that key (or list entry) was written.
    """

    path: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest written ancestor (a missing key's parent)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def where(self, path: KeyPath) -> Location:
        """A :class:`Location` for ``path`` in this file."""
        return Location(self.path, self.line(path))


class WrittenInt(int):
    """A YAML integer that remembers how it was written (``010``, ``1_000``, ``12:30``).

    A text field (an owner, a unit) shows what the user wrote, not YAML 1.1's
    reading of it; a number field uses the value.
    """

    written: str


class WrittenFloat(float):
    """A YAML float that remembers how it was written (``1.50`` stays ``1.50`` as text)."""

    written: str


def _remember(value: Any, text: str) -> Any:
    kind = WrittenInt if type(value) is int else WrittenFloat if type(value) is float else None
    if kind is None:
        return value
    number = kind(value)
    number.written = text
    return number


class _Refused(Exception):
    """A problem found while building; stops the file."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_text(file: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file (a byte-order mark is dropped).

    Args:
        file: the file to read.
        shown: the path as the user should see it.

    Returns:
        The text (``None`` when it could not be read) and the problems found.
    """
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return None, [Problem(Location(shown), f"cannot read the file: {exc.strerror or exc}")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        message = f"the file is not valid UTF-8 (byte 0x{byte}); save it as UTF-8"
        return None, [Problem(Location(shown, line), message)]


def read_yaml(file: Path, shown: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read one YAML file safely, with line numbers.

    Args:
        file: the file to read.
        shown: the path as the user should see it (``errors.display_path``).

    Returns:
        The document (``None`` when the file could not be read as YAML) and the
        problems found. Never raises for bad input.
    """
    text, problems = read_text(file, shown)
    if text is None:
        return None, problems
    try:
        _check_depth(text)
        node = _compose(text)
        lines: dict[KeyPath, int] = {}
        data = _Builder(lines).build(node, ()) if node is not None else None
    except _Refused as exc:
        return None, [Problem(Location(shown, exc.line), exc.message)]
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, text, shown)]
    except RecursionError:  # belt and braces: _check_depth should have stopped it
        return None, [Problem(Location(shown), f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)")]
    return YamlDocument(shown, data, lines), []


def _check_depth(text: str) -> None:
    """Refuse deep nesting before composing: the C composer recurses without a limit and can crash."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark is not None else None
                raise _Refused(line, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _compose(text: str) -> yaml.Node | None:
    loader = _LOADER(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.YAMLError, text: str, shown: str) -> Problem:
    """A YAML error as ``path:line: YAML syntax error: ...`` in PyYAML's own (good) words."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1
        return Problem(Location(shown, line), f"YAML syntax error: character {exc.character!r} is not allowed")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        marked_line = mark.line + 1 if mark is not None else None
        words = [w for w in (exc.context, exc.problem) if w]
        if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
            words[0] = f"{exc.context} (line {exc.context_mark.line + 1})"
        return Problem(Location(shown, marked_line), "YAML syntax error: " + ", ".join(words))
    return Problem(Location(shown), f"YAML syntax error: {exc}")


class _Builder:
    """Turns a composed node graph into plain data, recording lines and counting values."""

    def __init__(self, lines: dict[KeyPath, int]) -> None:
        self.lines = lines
        self.count = 0
        self.active: set[int] = set()  # nodes being built: seeing one again means a self-referencing alias
        self.scalars = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        self.count += 1
        if self.count > MAX_NODES:
            raise _Refused(
                node.start_mark.line + 1,
                f"the YAML expands to more than {MAX_NODES:,} values (aliases used over and over?); refused",
            )
        if len(path) > MAX_DEPTH:
            raise _Refused(node.start_mark.line + 1, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if id(node) in self.active:
            raise _Refused(node.start_mark.line + 1, "an alias refers to the value it is inside (endless loop)")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                self._check_tag(node, _TAG + "seq")
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            # The composer makes only scalar, sequence and mapping nodes.
            assert isinstance(node, yaml.MappingNode)
            self._check_tag(node, _TAG + "map")
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(node.start_mark.line + 1, f"unsupported YAML tag {node.tag!r} (only plain values are read)")
        try:
            return _remember(self.scalars.construct_object(node), node.value)
        except (ValueError, OverflowError):
            # `2026-02-30` looks like a date to YAML but is none: keep the text, the
            # model then reports it as "not a real date" with the key's line.
            return node.value

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise _Refused(node.start_mark.line + 1, f"unsupported YAML tag {node.tag!r} (only plain values are read)")

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        explicit: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.update(self._merge(value_node, path))
            else:
                explicit.append((key_node, value_node))
        seen: dict[str, int] = {}
        result: dict[str, Any] = {}
        for key_node, value_node in explicit:
            key, line = self._key(key_node), key_node.start_mark.line + 1
            if key in seen:
                raise _Refused(
                    line,
                    f"duplicate key {key!r} (first at line {seen[key]}; YAML would silently keep only the last)",
                )
            seen[key] = line
            self.lines[path + (key,)] = line  # the key's own line, even when its value starts below
            result[key] = self.build(value_node, path + (key,))
        return {**{k: v for k, v in merged.items() if k not in result}, **result}

    def _merge(self, node: yaml.Node, path: KeyPath) -> dict[str, Any]:
        """``<<: *defaults`` (or a list of them): keys not written here come from the anchors."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):  # the first listed wins, as YAML says
            if not isinstance(source, yaml.MappingNode):
                raise _Refused(node.start_mark.line + 1, "'<<' must merge a mapping (or a list of mappings)")
            merged.update(self.build(source, path))
        return merged

    def _key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise _Refused(node.start_mark.line + 1, "a key must be plain text, not a list or a mapping")
        # The written text, not YAML 1.1's reading: a key `on:` stays "on", not True.
        return node.value
