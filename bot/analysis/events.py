"""Dated events: explicit year and date expressions with a short phrase from their sentence."""

from __future__ import annotations

import bisect
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

_DECADE_WORDS = {
    "он": 10,
    "жиырма": 20,
    "отыз": 30,
    "қырық": 40,
    "елу": 50,
    "алпыс": 60,
    "жетпіс": 70,
    "сексен": 80,
    "тоқсан": 90,
}
_CASE_AFTER_HYPHEN = r"-?(?:ден|дан|нан|нен|тан|тен|ға|ге|қа|ке|да|де|та|те|ы|і|шы|ші|ыншы|інші|нші|ншы)"
_SHORT_END = r"(?P<short_end>\d{2})(?![\d.,])"

_DIGIT = r"\d"
_DIGIT_OR_DOT = r"[\d.]"
_NUMBER_CHAR = r"[\d,.]"  # a year right after one of these is part of a longer number or a list


def _year_after(not_after: str, name: str = "year") -> str:
    """A year (1000–2099) in group `name`, not right after a character of the class `not_after`. The check comes
    after the first digit, so a pattern that opens with the year opens with a digit and the regex engine skips
    ahead to the next 1 or 2 instead of trying the check at every character."""
    return rf"(?P<{name}>1(?<!{not_after}1)[0-9]{{3}}|2(?<!{not_after}2)0[0-9]{{2}})"


def _day_after(not_after: str) -> str:
    """A day of the month, one or two digits, not right after a character of the class `not_after` (checked after
    the first digit, as in `_year_after`)."""
    return rf"(?P<day>\d(?<!{not_after}\d)\d?)"


# Each pattern opens with the characters it can start with (a look-ahead where it cannot open with them), so the
# regex engine skips to the next possible start.
_PATTERNS = [
    # 1998, 2007, 2011 және 2022 жылдары: each year of the list (the last one goes with the year word)
    re.compile(
        rf"(?=[12])(?<![\d,.])(?P<list>(?:(?:1[0-9]{{3}}|20[0-9]{{2}})\s*,\s*)+(?:1[0-9]{{3}}|20[0-9]{{2}})"
        rf"(?:\s*(?:,|және|мен|пен|бен)\s*{_YEAR})){_YEAR_WORD}{_AFTER}"
    ),
    # 1920-30 ж.ж.; 1921-22
    re.compile(
        rf"{_year_after(_NUMBER_CHAR)}\s*[-–—]\s*{_SHORT_END}(?:\s*(?:ж\.\s*ж\.|жж\.?|жылдар[а-яәғқңөұүһі]*+))?"
    ),
    # тоқсаныншы жылдар; сексенінші жылдары
    re.compile(
        r"(?i)(?=[ожқеаст])(?<![\w-])(?P<decadeword>"
        + "|".join(_DECADE_WORDS)
        + r")(?:ыншы|інші|нші|ншы|шы|ші)\s+жылдар[а-яәғқңөұүһі]*+"
    ),
    # 2005 жылдан 2009 жылға дейін; 2005-2009 жылдары
    re.compile(rf"{_year_after(_DIGIT)}\s*жылдан\s+(?P<end>1[0-9]{{3}}|20[0-9]{{2}})\s*жыл[а-яәғқңөұүһі]*{_AFTER}"),
    re.compile(rf"{_year_after(_DIGIT)}\s*[-–—]\s*(?P<end>1[0-9]{{3}}|20[0-9]{{2}}){_YEAR_WORD}{_AFTER}"),
    # 2023 жылғы 30 қазаннан; 2021 жылдың қаңтарынан
    re.compile(rf"{_year_after(_DIGIT)}{_YEAR_WORD}\s+(?:(?P<day>\d{{1,2}})\s+)?{_MONTH}{_AFTER}"),
    # 24 қараша 2012 (жылы)
    re.compile(rf"{_day_after(_DIGIT)}\s+{_MONTH}\s+{_YEAR}(?:{_YEAR_WORD})?{_AFTER}"),
    # 24.11.2012
    re.compile(rf"{_day_after(_DIGIT_OR_DOT)}\.(?P<mnum>\d{{1,2}})\.(?P<year>1[0-9]{{3}}|20[0-9]{{2}})(?![\d.]\d)"),
    # өткен ғасырдың 40-жылдарында; XX ғасырдың 90-жылдары
    re.compile(
        r"(?=[өxх21])(?P<century>өткен|XX|ХХ|XIX|ХІХ|20-|19-)\s*(?:-?шы\s+|-?ші\s+)?ғасыр(?:дың)?\s+"
        r"(?P<decade>[1-9]0)\s*-?\s*(?:шы|ші|ыншы|інші)?\s*жылдар[а-яәғқңөұүһі]*",
        re.IGNORECASE,
    ),
    # 1990-жылдары
    re.compile(
        r"(?P<decadeyear>1(?<!\d1)[0-9]{2}0|2(?<!\d2)0[0-9]0)\s*-?\s*(?:шы|ші|ыншы|інші)?\s*жылдар[а-яәғқңөұүһі]*"
    ),
    # 1995 жылы; 2015 жылдан бастап; 2026 жылға арналған; 2020 жыл
    re.compile(rf"{_year_after(_NUMBER_CHAR)}{_YEAR_WORD}{_AFTER}"),
    # 1991-ден бері; 2015-ке дейін (the postposition is required: «1000-нан астам адам» is a count)
    re.compile(rf"{_year_after(_NUMBER_CHAR)}{_CASE_AFTER_HYPHEN}(?![\w-]){_AFTER[:-1]}"),
]
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_CLAUSE_SPLIT = re.compile(r"[,;:]\s+|(?<!\s)\s++[–—]\s+")
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
    if groups.get("decadeword"):
        start = 1900 + _DECADE_WORDS[groups["decadeword"].casefold()]
        return start, start + 9, None
    year = int(groups["year"])
    end = int(groups["end"]) if groups.get("end") else None
    if groups.get("short_end"):
        end = year // 100 * 100 + int(groups["short_end"])
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


_VERB_END = re.compile(
    r"(?:ды|ді|ты|ті|ған|ген|қан|кен|ады|еді|йды|йді|мақ|мек|атын|етін|уда|уде|ыр|ір|ар|ер|сын|сін|ғы|гі|тұр|жатыр)$"
)
_EDGE_WORDS = re.compile(
    r"^(?:және|мен|бен|пен|ал|бірақ|сондай-ақ|яғни|ол|бұл|осы|ретте|кейін|бастап|дейін)\s+|\s+(?:және|мен|бен|пен)$"
)


def _clause_bounds(sentence: str) -> list[int]:
    """Where the sentence's clauses start, and one past its end (found once per sentence for all its dates)."""
    return [0, *(m.end() for m in _CLAUSE_SPLIT.finditer(sentence)), len(sentence) + 1]


def _what(sentence: str, bounds: list[int], start: int, end: int) -> str:
    """A short phrase for the event: the clause holding the date expression without it, extended to the clause
    that carries the verb (Kazakh puts it last), at most MAX_WHAT_WORDS words kept from the verb's end."""
    index = bisect.bisect_right(bounds, start, 0, len(bounds) - 1) - 1  # the last clause start at or before it
    clause_start, clause_end = bounds[index], bounds[index + 1]
    while index + 1 < len(bounds) - 1 and not _ends_with_verb(sentence[clause_start:clause_end]):
        index += 1
        clause_end = bounds[index + 1]
    phrase = f"{sentence[clause_start:start]} {sentence[end:clause_end]}"
    words = phrase.replace("\n", " ").split()
    phrase = " ".join(words[-MAX_WHAT_WORDS:])
    for _ in range(3):
        phrase = _EDGE_WORDS.sub("", phrase.strip(' «»"“”.,;:–—-()')).strip(' «»"“”.,;:–—-()')
    if phrase.count("«") != phrase.count("»"):
        phrase = phrase.replace("«", "").replace("»", "")
    return phrase[:1].upper() + phrase[1:] if phrase else ""


def _ends_with_verb(clause: str) -> bool:
    words = _LETTER_RUNS.findall(clause.casefold())
    return bool(words) and bool(_VERB_END.search(words[-1]))


def _events_of_match(match: re.Match[str], sentence: str, bounds: list[int]) -> list[Event]:
    """The events one date expression names: one per year of a list, else one."""
    normalised = _normalise(match)
    if normalised is None:
        return []
    what = _what(sentence, bounds, match.start(), match.end())
    if match.groupdict().get("list"):
        years = list(_YEAR_DIGITS.finditer(match["list"]))
        listed = [Event(y.group(), int(y.group()), what) for y in years[:-1]]
        last = match[0][years[-1].start() :].strip()
        return [*listed, Event(last, int(years[-1].group()), what)]
    year, end, day = normalised
    return [Event(match[0].strip(), year, what, day, end)]


_YEAR_DIGITS = re.compile(r"1[0-9]{3}|20[0-9]{2}")
_NEEDS_DIGITS = [p for p in _PATTERNS if p.pattern.count("ғасыр") == 0 and "decadeword" not in p.pattern]
_DECADE_WORD_PATTERN = next(p for p in _PATTERNS if "decadeword" in p.pattern)
_CENTURY_PATTERN = next(p for p in _PATTERNS if "ғасыр" in p.pattern)


def _patterns_for(sentence: str, century: bool = True, decades: bool = True) -> tuple[re.Pattern[str], ...]:
    """The patterns a sentence can match at all (each needs a year's digits, «жылдар» or «ғасыр»), so most
    sentences are scanned by none. `century` and `decades` False: the whole text has no «ғасыр» or «жылдар»,
    so the sentence need not be searched for them. Plain `in` tests first (a regular expression scans Kazakh
    text much more slowly): a sentence without a 1 or a 2 has no year."""
    digits = ("1" in sentence or "2" in sentence) and _YEAR_DIGITS.search(sentence) is not None
    return _PATTERN_SETS[digits, century and "ғасыр" in sentence, decades and "жылдар" in sentence.casefold()]


# the patterns, in their order, for each answer to: has the sentence a year's digits, «ғасыр», «жылдар»?
_PATTERN_SETS = {
    (digits, century, decades): tuple(
        p
        for p in _PATTERNS
        if (digits and p in _NEEDS_DIGITS)
        or (century and p is _CENTURY_PATTERN)
        or (decades and p is _DECADE_WORD_PATTERN)
    )
    for digits in (False, True)
    for century in (False, True)
    for decades in (False, True)
}


def extract_events(text: str, sentences: list[Sentence] | None = None) -> list[Event]:
    """Every explicit date expression that names a year, in text order, once per expression. `sentences`, when
    given, are `split_sentences(text)` (the caller has them already)."""
    events: list[Event] = []
    century, decades = "ғасыр" in text, "жылдар" in text.casefold()
    for sentence in split_sentences(text) if sentences is None else sentences:
        patterns = _patterns_for(sentence.text, century, decades)
        if not patterns:
            continue
        taken = bytearray(len(sentence.text))
        bounds = _clause_bounds(sentence.text)
        found: list[tuple[int, list[Event]]] = []
        for pattern in patterns:
            for match in pattern.finditer(sentence.text):
                if any(taken[match.start() : match.end()]):
                    continue
                these = _events_of_match(match, sentence.text, bounds)
                if these:
                    taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
                    found.append((match.start(), these))
        for _, these in sorted(found, key=lambda item: item[0]):
            events.extend(these)
    return events


def publication_event(title: str, published_at: datetime | None) -> Event | None:
    """The article's own event, dated by its publication date."""
    if published_at is None:
        return None
    local = published_at.date()
    return Event(local.isoformat(), local.year, title, local)
