"""Dated events: explicit year and date expressions with a short phrase from their sentence."""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.analysis.lexicon import MONTHS
from bot.analysis.sentences import Sentence, split_sentences
from bot.records import Event

_MONTH = r"(?P<month>" + "|".join(MONTHS) + r")[а-яәғқңөұүһі]*"
_MONTH2 = r"(?P<month2>" + "|".join(MONTHS) + r")[а-яәғқңөұүһі]*"
_YEAR = r"(?P<year>1[0-9]{3}|20[0-9]{2})"
_YEAR_WORD = r"(?:\s*+-?\s*+(?:жыл[а-яәғқңөұүһі]*+|ж\.(?!\w)))"
_AFTER = r"(?:\s+(?:бастап|бері|дейін|кейін|шейін|аралығында|арналған|қарай|ішінде))?"

_PATTERNS = [
    # 2005 жылдан 2009 жылға дейін; 2005-2009 жылдары
    re.compile(rf"(?<!\d){_YEAR}\s*жылдан\s+(?P<end>1[0-9]{{3}}|20[0-9]{{2}})\s*жыл[а-яәғқңөұүһі]*{_AFTER}"),
    re.compile(rf"(?<!\d){_YEAR}\s*[-–—]\s*(?P<end>1[0-9]{{3}}|20[0-9]{{2}}){_YEAR_WORD}{_AFTER}"),
    # 2023 жылғы 30 қазаннан; 2021 жылдың қаңтарынан
    re.compile(rf"(?<!\d){_YEAR}{_YEAR_WORD}\s+(?:(?P<day>\d{{1,2}})\s+)?{_MONTH}{_AFTER}"),
    # 24 қараша 2012 (жылы)
    re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})\s+{_MONTH}\s+{_YEAR}(?:{_YEAR_WORD})?{_AFTER}"),
    # 24.11.2012
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>1[0-9]{3}|20[0-9]{2})(?![\d.]\d)"),
    # өткен ғасырдың 40-жылдарында; XX ғасырдың 90-жылдары
    re.compile(
        r"(?P<century>өткен|XX|ХХ|XIX|ХІХ|20-|19-)\s*(?:-?шы\s+|-?ші\s+)?ғасыр(?:дың)?\s+"
        r"(?P<decade>[1-9]0)\s*-?\s*(?:шы|ші|ыншы|інші)?\s*жылдар[а-яәғқңөұүһі]*",
        re.IGNORECASE,
    ),
    # 1990-жылдары
    re.compile(r"(?<!\d)(?P<decadeyear>1[0-9]{2}0|20[0-9]0)\s*-?\s*(?:шы|ші|ыншы|інші)?\s*жылдар[а-яәғқңөұүһі]*"),
    # 1995 жылы; 2015 жылдан бастап; 2026 жылға арналған; 2020 жыл
    re.compile(rf"(?<![\d,.]){_YEAR}{_YEAR_WORD}{_AFTER}"),
]
_HAS_DIGITS = re.compile(r"\d{4}|ғасыр")
_CLAUSE_SPLIT = re.compile(r"[,;:]\s+|(?<!\s)\s++[–—]\s+")
_LEADING_FILLER = re.compile(r"^(?:ал|және|сондай-ақ|сонымен\s+қатар|яғни|бұл|осы|ол)\s+", re.IGNORECASE)
MAX_WHAT_WORDS = 14


def _century_start(token: str) -> int:
    return 1800 if token in {"XIX", "ХІХ", "19-"} else 1900


def _normalise(match: re.Match[str]) -> tuple[int, int | None, date | None] | None:
    groups = match.groupdict()
    if groups.get("century"):
        start = _century_start(groups["century"]) + int(groups["decade"])
        return start, start + 9, None
    if groups.get("decadeyear"):
        start = int(groups["decadeyear"])
        return start, start + 9, None
    year = int(groups["year"])
    end = int(groups["end"]) if groups.get("end") else None
    if end is not None and end < year:
        return None
    month = MONTHS.get(groups["month"]) if groups.get("month") else None
    if groups.get("mnum"):
        month = int(groups["mnum"])
    day_text = groups.get("day")
    day = None
    if month and day_text:
        try:
            day = date(year, month, int(day_text))
        except ValueError:
            return None
    return year, end, day


def _what(sentence: str, when: str) -> str:
    """The clause around the date expression, without it, cut to a short phrase."""
    position = sentence.find(when)
    clauses = _CLAUSE_SPLIT.split(sentence)
    chosen = sentence
    offset = 0
    for clause in clauses:
        begin = sentence.find(clause, offset)
        if begin <= position < begin + len(clause) + 1:
            chosen = clause
            break
        offset = begin + len(clause)
    phrase = chosen.replace(when, " ").strip(' «»"“”.,;:–—-')
    if len(phrase.split()) < 3:
        phrase = sentence.replace(when, " ").strip(' «»"“”.,;:–—-')
    phrase = re.sub(r"\s+([,.;:])", r"\1", " ".join(phrase.split()))
    phrase = _LEADING_FILLER.sub("", phrase)
    words = phrase.split()
    if len(words) > MAX_WHAT_WORDS:
        phrase = " ".join(words[:MAX_WHAT_WORDS]) + "…"
    return phrase[:1].upper() + phrase[1:] if phrase else ""


def extract_events(text: str, sentences: list[Sentence] | None = None) -> list[Event]:
    """Every explicit date expression that names a year, in text order, once per expression."""
    events: list[Event] = []
    for sentence in split_sentences(text) if sentences is None else sentences:
        if "жыл" not in sentence.text and not _HAS_DIGITS.search(sentence.text):
            continue
        taken: list[tuple[int, int]] = []
        for pattern in _PATTERNS:
            for match in pattern.finditer(sentence.text):
                if any(a < match.end() and match.start() < b for a, b in taken):
                    continue
                normalised = _normalise(match)
                if normalised is None:
                    continue
                taken.append((match.start(), match.end()))
                year, end, day = normalised
                when = match[0].strip()
                events.append(Event(when, year, _what(sentence.text, when), day, end))
        events_in_sentence = events[len(events) - len(taken) :]
        events[len(events) - len(taken) :] = sorted(events_in_sentence, key=lambda e: sentence.text.find(e.when))
    return events


def publication_event(title: str, published_at: datetime | None) -> Event | None:
    """The article's own event, dated by its publication date."""
    if published_at is None:
        return None
    local = published_at.date()
    return Event(local.isoformat(), local.year, title, local)
