"""Small wording helpers shared by the load modules."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A `` (did you mean 'x'?)`` suffix for a typo, or ``""`` when nothing is close.

    Args:
        word: what the user wrote.
        choices: the words that would have been valid.
    """
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def one_of(choices: Iterable[str]) -> str:
    """``a, b, c`` for a message listing the valid words in their given order."""
    return ", ".join(choices)
