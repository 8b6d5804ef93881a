"""A presenter's Markdown as slide paragraphs: headings, lists, paragraphs, bold, italic, links.

A slide body is short, so a small block reader is enough; what it does not
know (tables, images, raw HTML) shows as the text that was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Block", "blocks", "runs"]

_BULLET = re.compile(r"^(\s*)(?:[-*+]|(\d+)[.)])\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_INLINE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__|\*(.+?)\*|_(.+?)_|`(.+?)`|\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """One paragraph: ``kind`` is ``heading``, ``bullet``, ``number`` or ``text``; ``level`` the list depth."""

    kind: str
    text: str
    level: int = 0
    number: str = ""


def blocks(markdown: str) -> list[Block]:
    """The paragraphs of ``markdown`` (lines of one paragraph are joined with spaces)."""
    out: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(Block("text", " ".join(para)))
            para.clear()

    for raw in markdown.splitlines():
        line = raw.rstrip()
        heading, bullet = _HEADING.match(line), _BULLET.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            out.append(Block("heading", heading.group(2)))
        elif bullet:
            flush()
            level = min(len(bullet.group(1).expandtabs(4)) // 2, 4)
            number = bullet.group(2) or ""
            out.append(Block("number" if number else "bullet", bullet.group(3).strip(), level, number))
        elif out and out[-1].kind in ("bullet", "number") and raw.startswith((" ", "\t")) and not para:
            last = out.pop()
            out.append(Block(last.kind, f"{last.text} {line.strip()}", last.level, last.number))
        else:
            para.append(line.strip())
    flush()
    return out


def runs(text: str) -> list[tuple[str, dict]]:
    """Inline Markdown as runs ``(text, options)``: bold, italic, code, and http(s)/mailto links."""
    out: list[tuple[str, dict]] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            out.append((text[position : match.start()], {}))
        bold, bold2, italic, italic2, code, label, target = match.groups()
        if bold or bold2:
            out.append((bold or bold2, {"bold": True}))
        elif italic or italic2:
            out.append((italic or italic2, {"italic": True}))
        elif code:
            out.append((code, {}))
        elif _SAFE_LINK.match(target):
            out.append((label, {"link": target, "colour": "#0b57d0"}))
        else:
            out.append((label, {}))
        position = match.end()
    if position < len(text):
        out.append((text[position:], {}))
    return out or [("", {})]
