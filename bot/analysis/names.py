"""People's names in running Kazakh text, in whatever case form they were written, and the role words before them."""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache
from typing import NamedTuple

from bot.analysis.lexicon import DANGLING_OPENERS, MONTHS, ORG_HEADS, PLACES, ROLE_WORDS
from bot.analysis.morphology import GENITIVE, is_surname_like, name_nominative
from bot.analysis.text_scan import matches_at, positions_of

UPPER = "А-ЯӘҒҚҢӨҰҮҺІЁЎA-Z"
LOWER = "а-яәғқңөұүһіёўa-z"
# Linear: a word starts only after a non-capital and the all-caps branch never gives back (a 2 MB run of
# capitals was quadratic). The capital comes before the look-behind (that the one before it is none), so the
# regex engine skips ahead to the next capital instead of trying the look-behind at every character.
CAP_WORD = rf"[{UPPER}](?<![{UPPER}][{UPPER}])(?:[{LOWER}]+|[{UPPER}]++(?=[\s,.:;!?»)]|$))(?:-[{UPPER}]?[{LOWER}]+)?"
_INITIALS = rf"[{UPPER}]\.\s?(?:[{UPPER}]\.\s?)?"  # one or two; spelt out, the engine skips to a capital
# Patterns start with a character class (no look-behind) so the regex engine can skip ahead quickly;
# word boundaries are checked in Python.
_CAPITALISED_SPLIT = re.compile(f"({CAP_WORD})")  # what re.split needs to keep the words
_CAPITAL = re.compile(rf"[{UPPER}]")
# what a given name and a surname need at least: a capitalised word (its letters and hyphens), spaces, a capital
_PAIR_HINT = re.compile(rf"[{UPPER}][{UPPER}{LOWER}-]*\s+[{UPPER}]")
_INITIAL_SURNAME = re.compile(rf"(?P<initials>{_INITIALS})(?P<surname>{CAP_WORD})")

_FUNCTION_WORDS = {w.strip() for w in DANGLING_OPENERS} | {
    "бірде",
    "кейде",
    "тіпті",
    "белгілі",
    "айтыскер",
    "мен",
    "біз",
    "сіз",
    "сен",
    "және",
    "иә",
    "ия",
    "жоқ",
    "енді",
    "егер",
    "әрине",
    "міне",
    "қазір",
    "биыл",
    "былтыр",
    "бүгін",
    "ертең",
    "кеше",
    "барлық",
    "әрбір",
    "көптеген",
    "кейбір",
    "бір",
    "екі",
    "үш",
    "жаңа",
    "бас",
    "ұлы",
    "ұлттық",
    "халықаралық",
    "республикалық",
    "мемлекеттік",
    "ішкі",
    "сыртқы",
    "жалпы",
    "орталық",
    "қазақ",
    "орыс",
    "түрік",
    "телеграм",
    "telegram",
    "дүние",
    "жүзі",
    "аға",
    "апай",
    "ханым",
    "мырза",
    "құрметті",
    "қымбатты",
    "аудан",
    "облыс",
    "қала",
    "ауыл",
    "көктем",
    "жаз",
    "күз",
    "қыс",
    "туралы",
    "бойынша",
}
_NAME_PARTS = re.compile(r"[\s.]+")
_SPACES = re.compile(r"\s+")
_PLACE_STEMS = {p.casefold() for p in PLACES}
_ORG_HEADS = {h.casefold() for h in ORG_HEADS}


class PersonMention(NamedTuple):
    """A name as written at [start, end) and its nominative form (a named tuple: a text makes many, and the rules
    look at them again and again)."""

    start: int
    end: int
    name: str
    surname: str
    written: str

    @property
    def is_nominative(self) -> bool:
        return _written_in_nominative(self.written, self.surname)


@lru_cache(maxsize=65536)
def _written_in_nominative(written: str, surname: str) -> bool:
    return _NAME_PARTS.split(written)[-1].casefold() == surname.casefold()


def _title_case(word: str) -> str:
    """ҚЫДЫРӘЛІ → Қыдырәлі (names set in capitals in TV captions)."""
    if word.isupper() and len(word) > 1:
        return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
    return word


@lru_cache(maxsize=65536)
def is_name_word(word: str) -> bool:
    """Can this capitalised word be part of a name (not a role, a month, a function word, a place stem)?"""
    lower = word.casefold()
    base = name_nominative(_title_case(word)).casefold()
    if lower in _FUNCTION_WORDS or base in _FUNCTION_WORDS or base in ROLE_WORDS or lower in ROLE_WORDS:
        return False
    if base in MONTHS or base in _PLACE_STEMS or lower in _ORG_HEADS:
        return False
    return not base.endswith(("стан", "лігі", "лығы", "дігі", "дығы", "тігі", "тығы", "сының", "сінің"))


@lru_cache(maxsize=65536)
def _looks_like_given_name(word: str) -> bool:
    """A given name stands in the nominative: not genitive, not possessive."""
    lower = word.casefold()
    if word.isupper() or not is_name_word(word):
        return False
    if lower.endswith(GENITIVE) or (lower.endswith(("сы", "сі")) and len(lower) > 6):
        return False
    return not is_surname_like(word) or lower.endswith(("бек", "бай"))


def find_people(text: str, *, strict: bool = True) -> list[PersonMention]:
    """Person names: given name + surname (Руслан Абдуллиннің), initials + surname (Қ.Тоқаев).

    With `strict`, a pair of capitalised words counts only if the second looks like a surname
    (-ов, -ева, -ин, -ұлы …); otherwise any given-name-like word followed by a name-like word does
    (Нұржан Әшірмат), which suits places where a name is expected, such as after «деді».
    """
    found = _name_pairs(text, strict)
    # the pairs found do not overlap and come in order: a position is taken if it is before the end of the last
    # pair that starts at or before it
    starts = [m.start for m in found]
    for match in _initialled_names(text):
        start, end = match.start(), match.end()
        taken = bisect.bisect_right(starts, start) - 1
        if (taken >= 0 and start < found[taken].end) or not is_name_word(match["surname"]):
            continue
        if start and (text[start - 1].isalnum() or text[start - 1] in "_."):
            continue
        if end < len(text) and (text[end].isalnum() or text[end] in "_»"):
            continue
        base = name_nominative(_title_case(match["surname"]))
        initials = _SPACES.sub("", match["initials"])
        found.append(PersonMention(start, end, f"{initials} {base}", base, match[0]))
    found.sort(key=lambda m: m.start)
    return found


def _name_pairs(text: str, strict: bool) -> list[PersonMention]:
    """Given name + surname: two capitalised words with only spaces between them (see find_people), in order."""
    # the capitalised words split out with the text between them (the text before, a word, a gap, a word … the
    # text after): only the gaps that are spaces hold a pair, and only those are looked at one by one
    pieces = _CAPITALISED_SPLIT.split(text)
    offsets = list(itertools.accumulate(map(len, pieces), initial=0))
    found: list[PersonMention] = []
    taken = 0  # where the last pair found ends: a pair never starts inside another
    # consecutive capitalised words; overlapping candidates are all tried («Министр Асқар Маминнің» → «Асқар …»)
    for gap in [k for k in range(2, len(pieces) - 1, 2) if pieces[k].isspace()]:
        start, end, given, surname = offsets[gap - 1], offsets[gap + 2], pieces[gap - 1], pieces[gap + 1]
        if start < taken:
            continue
        if start and (text[start - 1].isalnum() or text[start - 1] in "_.«"):
            continue
        if end < len(text) and (text[end].isalnum() or text[end] in "_»"):
            continue
        if not _looks_like_given_name(given) or not is_name_word(surname):
            continue
        base = name_nominative(_title_case(surname))
        if strict and not is_surname_like(base):
            continue
        found.append(PersonMention(start, end, f"{_title_case(given)} {base}", base, text[start:end]))
        taken = end
    return found


# A stop before the role words: a full stop, a colon, a bracket, a comma not inside a «…» name, a spaced dash.
# Read from the end (the last stop is all that counts): «.*» gives back one character at a time until a stop fits.
_LAST_ROLE_STOP = re.compile(r"(?s).*(?:[.;:!?()\n]|,(?!\s*[«\w][^,]{0,40}»)|(?P<dash>\s[–—]\s))")
_LEADING_ADVERBIALS = re.compile(
    r"^(?:(?:өз\s+кезегінде|сондай-ақ|сонымен\s+қатар|бұл\s+туралы|осы\s+орайда|ал|алайда|дегенмен|"
    r"кездесуде|жиында|брифингте|мәслихатта|отырыста|жиналыста|кездесу\s+барысында|бүгін|кеше|сонымен|"
    r"мәселен|мысалы|атап\s+айтқанда|бұған\s+дейін|айта\s+кетейік|айта\s+кету\s+керек)[,\s]+)+",
    re.IGNORECASE,
)


def role_in(zone: str, *, max_words: int = 14) -> str:
    """The role words that end `zone`, the text from `role_start` to a name: «Қоғамдық келісім» РММ бас сарапшысы
    [Талшын Италиева]."""
    phrase = zone.strip(" ,–—-\n")
    phrase = _LEADING_ADVERBIALS.sub("", phrase).strip(" ,")
    earlier = find_people(phrase, strict=False) if _may_hold_name(phrase) else []
    if earlier:  # «ақын Айбек Қалиев журналист [Нартай …]»: the role starts after the previous name
        phrase = phrase[earlier[-1].end :].strip(" ,")
    words = phrase.split()
    if len(words) > max_words:
        words = words[-max_words:]
        while words and not (words[0][0].isupper() or words[0].startswith("«")):
            words.pop(0)
    phrase = " ".join(words)
    if phrase.count("«") != phrase.count("»"):
        phrase = phrase.split("»", 1)[-1].strip() if phrase.count("»") > phrase.count("«") else phrase
    if not phrase.split() or not _role_ends_right(phrase):
        return ""
    return phrase


def role_start(text: str, start: int) -> int:
    """Where the words that can be the role of the name at `start` begin: after the last stop in the 400
    characters before it."""
    window_start = max(0, start - 400)
    return window_start + _last_stop_end(text[window_start:start])


def _initialled_names(text: str) -> list[re.Match[str]]:
    """What _INITIAL_SURNAME.finditer(text) finds, tried only just before a full stop (an initial is a capital and
    a stop): a regex scan for a capital is slow over Kazakh text, str.find for a stop is fast."""
    # every capital of the pattern is a capital to str.isupper: a cheap test before the regex is tried
    starts = [stop - 1 for stop in positions_of(text, ".") if stop and text[stop - 1].isupper()]
    return matches_at(_INITIAL_SURNAME, text, starts)


def _may_hold_name(phrase: str) -> bool:
    """Can find_people find a name in the phrase? Two capitalised words with spaces between them (Айбек
    Қалиев), or initials, which need a full stop and two capitals (А.Қалиев): most roles have neither."""
    return bool(_PAIR_HINT.search(phrase)) or ("." in phrase and _two_capitals(phrase))


def _two_capitals(phrase: str) -> bool:
    first = _CAPITAL.search(phrase)
    return first is not None and _CAPITAL.search(phrase, first.end()) is not None


def _last_stop_end(window: str) -> int:
    """Where the last stop of the window ends, as a scan from the left finds the stops (0 when there is none).

    The last place a stop fits is the last stop, except in a chain of spaced dashes («x – – y»), where a scan from
    the left takes every other one (each takes the space the next one starts with).
    """
    match = _LAST_ROLE_STOP.match(window)
    if match is None:
        return 0
    if match["dash"] is None:
        return match.end()
    before = match.start("dash") - 2
    while before >= 0 and window[before] != "\n" and window[before].isspace() and window[before + 1] in "–—":
        before -= 2
    chain = (match.start("dash") - before) // 2
    return match.end() if chain % 2 else match.end() - 2


def _role_ends_right(phrase: str) -> bool:
    """A role ends in a noun with a possessive ending (директоры, сарапшысы) or a role word (министр)."""
    last = phrase.split()[-1].casefold().strip("«»,")
    return (
        last.endswith(("ы", "і", "сы", "сі"))
        or last in ROLE_WORDS
        or last.endswith(("ші", "шы", "гер", "кер", "ист", "ор", "ент", "ер", "ар", "ақын", "министр", "депутат"))
    )
