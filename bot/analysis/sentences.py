"""Sentence splitting for Kazakh news text."""

from __future__ import annotations

import re
from typing import NamedTuple

# Abbreviations after which a full stop never ends a sentence.
_NEVER_FINAL = {
    "обл",
    "көш",
    "проф",
    "акад",
    "доц",
    "ауд",
    "мкр",
    "им",
    "тел",
    "бб",
    "пр",
    "ш",
    "тг",
    "с",
    "б",
    "ғ",
    "ғғ",
    "жж",
    "г",
    "ул",
    "д",
    "т.ғ.д",
    "ф.ғ.д",
    "ф.ғ.к",
    "т.ғ.к",
    "э.ғ.д",
    "з.ғ.д",
    "п.ғ.д",
    "б.з.б",
    "б.з",
    "млн",
    "млрд",
    "мың",
    "трлн",
    "шақ",
    "км",
    "см",
    "мм",
    "кг",
    "га",
    "ст",
    "қ",
    "м",
    "ж.ш",
    "ж",
}
# Abbreviations that may end a sentence when a capitalised sentence follows (…т.б. Келесі сөйлем).
_MAYBE_FINAL = {"т.б", "т.с.с", "т.б.с", "т.с", "т.т", "etc"}

# Linear by construction: a run of stops starts only where the previous character is not a stop, and the
# possessive quantifiers never give back what they took (a long run of dots once took seconds to reject).
# The pattern opens with the stop itself, not the look-behind, so the regex engine skips ahead to the next stop.
_BOUNDARY = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[\"»”’)]*+(?=\s)")
_TOKEN_BEFORE = re.compile(r"[\w.]+")  # matched on the reversed text before a stop
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_OPENERS = "«\"“„('"


class Sentence(NamedTuple):
    """A sentence, the number of its paragraph and where it starts in that paragraph (a tuple: an article has
    dozens, made at every analysis)."""

    text: str
    paragraph: int
    start: int


def _starts_sentence(rest: str) -> bool:
    """Does the text after a candidate boundary begin a new sentence?"""
    rest = rest.lstrip()
    if not rest:
        return True
    first = rest[0]
    if first.isupper() or first.isdigit() or first in _OPENERS:
        return True
    if first in "–—-":
        after = rest[1:].lstrip()
        return bool(after) and (after[0].isupper() or after[0] in _OPENERS)
    return False


def _is_abbreviation_stop(before: str, rest: str) -> bool:
    """Is the full stop at the end of `before` part of an abbreviation or an initial, not a sentence end?"""
    match = _TOKEN_BEFORE.match(before[::-1])  # read backwards: the regex engine need not try every start
    if not match:
        return False
    token = match.group()[::-1].rstrip(".")
    lower = token.casefold()
    if lower in _NEVER_FINAL:
        return True
    if lower in _MAYBE_FINAL:
        return not rest.lstrip()[:1].isupper()
    # An initial: one capital letter (А. Байтұрсынұлы, Қ.Тоқаев) or two (Ж.Ж.)
    return bool(_INITIALS.fullmatch(token) and token[-1].isupper())


def split_paragraph(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of one paragraph."""
    out: list[tuple[int, str]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        rest = text[end : end + 12]
        if not _starts_sentence(rest):
            continue
        stop = match.group(0)
        if (
            stop[0] == "."
            and not stop.startswith("...")
            and _is_abbreviation_stop(text[max(0, match.start() - 24) : match.start() + 1], rest)
        ):
            continue
        chunk = text[start:end]
        piece = chunk.strip()
        if piece:
            out.append((start + len(chunk) - len(chunk.lstrip()), piece))
        start = end
    chunk = text[start:]
    tail = chunk.strip()
    if tail:
        out.append((start + len(chunk) - len(chunk.lstrip()), tail))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a text whose paragraphs are separated by line breaks; a line without final
    punctuation (a heading, a caption) is a sentence of its own."""
    sentences = []
    for number, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
        for offset, piece in split_paragraph(paragraph.strip()):
            sentences.append(Sentence(piece, number, offset))
    return sentences
