"""Pairing quotation marks of every kind: «» „“ “” ‹› and straight "", nested, mixed, unbalanced.

Kazakh and Russian typography nest „…“ inside «…»; English-style “…” and straight quotes appear in pasted text;
news pages leave marks unbalanced. Pairing never fails: a closing mark with no opener is reported with
`open=None`, an opener never closed is dropped, and one pass over the marks keeps it linear.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.analysis.text_scan import positions_of

_MARKS = '«»„“”‹›"'
# What each opener can be closed by.
_MAX_OPEN = 32
_CLOSED_BY = {"«": "»", "„": "“”", "“": "”", "‹": "›", '"': '"', "”": "”"}


class MarkedSpan(NamedTuple):
    """Quoted text between an opening mark at `open` (None when it is missing) and a closing mark at `close`."""

    open: int | None
    close: int
    mark: str
    # the opener of an enclosing quotation of the same mark that was never closed: this closing mark closes
    # both («… "Көлікті жөндеп беріңдер", – деді …» types one mark for two)
    shared: int | None = None

    @property
    def start(self) -> int:
        """Where the quoted words begin (just after the opening mark)."""
        return -1 if self.open is None else self.open + 1


def _looks_closing(text: str, i: int) -> bool:
    """A symmetric mark (", “ used twice) closes when it follows a word or punctuation and is not glued to the
    next word."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "(«„“[":
        return False
    return not (after.isalnum() and not before.isalnum() and before not in ".,!?…")


def _paragraph_start(text: str, i: int, paragraph: int) -> bool:
    """Does the mark at `i` open its paragraph (after at most a dash and spaces)?"""
    return not text[paragraph:i].strip(" \t–—-")


def _classify(text: str, i: int, ch: str, stack: list[tuple[int, str]]) -> str:
    """'open', 'close' or 'skip' for the mark `ch` at `i`, given the openers still open."""
    if ch in "«‹„":
        return "open"
    if ch in "»›":
        return "close"
    open_kinds = {mark for _, mark in stack}
    if ch == "“":
        if stack and stack[-1][1] == "„":
            return "close"
        if "“" in open_kinds and _looks_closing(text, i):
            return "close"
        return "open"
    if ch == "”":
        if open_kinds & {"“", "„", "”"}:
            return "close"
        return "open" if not _looks_closing(text, i) else "close"
    # straight double quote
    return "close" if _looks_closing(text, i) else "open"


def _opener_depth(stack: list[tuple[int, str]], ch: str) -> int | None:
    """Where in the stack the innermost opener that `ch` closes is (real nesting is shallow: looking at the
    innermost few openers keeps hostile input linear)."""
    for k in range(len(stack) - 1, max(-1, len(stack) - 9), -1):
        if ch in _CLOSED_BY[stack[k][1]]:
            return k
    return None


def pair_marks(text: str) -> list[MarkedSpan]:
    """Every closing mark with its opener, in the order of the closing marks.

    A paragraph that starts with the same opener as one left open in the previous paragraph continues that
    quotation (the Russian and Kazakh convention for quotes over several paragraphs). Straight quotes do not
    run across paragraphs.
    """
    stack: list[tuple[int, str]] = []
    spans: list[MarkedSpan] = []
    enclosing: dict[int, int] = {}  # index in spans → the opener still open around that span
    closed: set[int] = set()
    paragraph, previous = 0, 0  # start of the current paragraph, found incrementally to stay linear
    for i in positions_of(text, _MARKS):
        ch = text[i]
        newline = text.rfind("\n", previous, i)
        paragraph, previous = (newline + 1 if newline != -1 else paragraph), i
        kind = _classify(text, i, ch, stack)
        if kind == "open":
            earlier = bool(stack) and stack[-1][0] < paragraph
            if earlier and stack[-1][1] == ch and _paragraph_start(text, i, paragraph):
                continue  # «…\n«… : the same quotation goes on
            if earlier and stack[-1][1] == '"':
                stack.pop()  # a straight quote left open in an earlier paragraph
            stack.append((i, ch))
            if len(stack) > _MAX_OPEN:
                del stack[0]
            continue
        depth = _opener_depth(stack, ch)
        if depth is None:
            spans.append(MarkedSpan(None, i, ch))
            continue
        opener, mark = stack[depth]
        if depth and stack[depth - 1][1] == mark:
            enclosing[len(spans)] = stack[depth - 1][0]
        del stack[depth:]
        closed.add(opener)
        spans.append(MarkedSpan(opener, i, mark))
    for index, outer in enclosing.items():
        span = spans[index]
        if outer not in closed and "\n" not in text[outer : span.close]:
            spans[index] = MarkedSpan(span.open, span.close, span.mark, outer)
    return spans
