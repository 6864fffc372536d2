"""People, organisations and places, with case forms merged into one record each."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from bot.analysis.lexicon import FIXED_ORGS, LEGAL_FORMS, ORG_HEADS, PLACE_HEADS, PLACES
from bot.analysis.morphology import CASE_ENDINGS, fold, name_nominative
from bot.analysis.names import PersonMention, find_people
from bot.records import Entity, EntityKind

_LETTERS = "а-яәғқңөұүһіёa-z"
_ENDING = rf"(?:{'|'.join(CASE_ENDINGS)}|ы|і|сы|сі|ның|нің)?"
_HEADS = "|".join(sorted({h.casefold() for h in ORG_HEADS}, key=len, reverse=True))
# «Бейбітшілік және келісім» қайырымдылық қорының; «AMANAT» партиясы; «Қоғамдық келісім» РММ
_QUOTED_ORG = re.compile(
    rf"«(?P<name>[^«»\n]{{2,80}})»\s+(?P<mid>(?:[{_LETTERS}-]+\s+){{0,2}}?)(?P<head>{_HEADS})"
    rf"(?P<ending>[{_LETTERS}]*)(?![\w])",
    re.IGNORECASE,
)
_CAP_ORG = re.compile(
    rf"(?P<name>[А-ЯӘҒҚҢӨҰҮҺІ][{_LETTERS}]+(?:\s+[{_LETTERS}-]+){{0,3}}?)\s+"
    rf"(?P<head>министрлігі|комитеті|департаменті|басқармасы|әкімдігі|агенттігі|университеті|институты|"
    rf"академиясы|театры|орталығы|қоры|партиясы|Ассамблеясы|кеңесі|банкі)(?P<ending>[{_LETTERS}]*)(?![\w])"
)
_PLACE_WITH_HEAD = re.compile(
    rf"(?P<name>[А-ЯӘҒҚҢӨҰҮҺІ][{_LETTERS}-]+)\s+(?P<head>{'|'.join(PLACE_HEADS)})"
    rf"(?P<ending>[{_LETTERS}]*)(?![\w])"
)
# No look-behind at the start (it stops the regex engine from skipping ahead): word starts are checked in Python.
_CAP_TOKEN = re.compile(rf"[А-ЯӘҒҚҢӨҰҮҺІA-Z](?:[{_LETTERS}-]+|[А-ЯӘҒҚҢӨҰҮҺІA-Z]{{1,5}}(?![\w]))")
_PLACE_KEYS = {fold(p): p for p in PLACES}


def _fixed_org_pattern(name: str) -> re.Pattern[str]:
    words = name.split()
    last = re.escape(words[-1][:-1] if words[-1][-1] in "ыі" else words[-1])
    body = r"\s+".join(re.escape(w) for w in words[:-1])
    prefix = body + r"\s+" if body else ""
    return re.compile(rf"{prefix}{last}[{_LETTERS}]*(?![\w])")


_FIXED = [(name, _fixed_org_pattern(name)) for name in FIXED_ORGS]
_PLACE_ENDINGS = tuple(
    sorted({*CASE_ENDINGS, "ы", "і", "сы", "сі", "ның", "нің", "нан", "нен", "на", "не"}, key=len, reverse=True)
)


def extract_entities(text: str, people: list[PersonMention] | None = None) -> list[Entity]:
    """Entities of a text, each once, with how often it is mentioned; the order is by first mention."""
    counts: Counter[tuple[str, EntityKind]] = Counter()
    names: dict[tuple[str, EntityKind], str] = {}
    first: dict[tuple[str, EntityKind], int] = {}
    covered = bytearray(len(text) + 1)

    def add(name: str, kind: EntityKind, key: str, start: int, end: int) -> None:
        k = (key, kind)
        counts[k] += 1
        names.setdefault(k, name)
        first.setdefault(k, start)
        covered[start:end] = b"\x01" * (end - start)

    for match in _QUOTED_ORG.finditer(text):
        head = match["head"]
        if head.casefold() in LEGAL_FORMS:
            head = head.upper()
        name = f"«{match['name']}» {match['mid']}{head}".replace("  ", " ")
        add(name, "org", fold(match["name"]), match.start(), match.end())
    for org, pattern in _FIXED:
        for match in pattern.finditer(text):  # a literal prefix: fast; the word boundary is checked here
            before = text[match.start() - 1] if match.start() else " "
            if not (before.isalnum() or before == "«") and not _inside(covered, match.start()):
                add(org, "org", fold(org), match.start(), match.end())
    for match in _CAP_ORG.finditer(text):
        if _inside(covered, match.start()) or not _starts_word(text, match.start()):
            continue
        words = match["name"].split()
        words[0] = _place_of(words[0]) or words[0]  # Астананың әкімдігі → Астана әкімдігі
        name = " ".join([*words, match["head"]])
        add(name, "org", fold(name), match.start(), match.end())
    for person in find_people(text) if people is None else people:
        if not _inside(covered, person.start):
            add(person.name, "person", fold(person.name), person.start, person.end)
    _merge_surnames(counts, names, first)
    for match in _PLACE_WITH_HEAD.finditer(text):
        if _inside(covered, match.start()) or not _starts_word(text, match.start()):
            continue
        name = f"{name_nominative(match['name'])} {match['head']}"
        add(name, "place", fold(name), match.start(), match.end())
    for match in _CAP_TOKEN.finditer(text):
        if _inside(covered, match.start()) or not _starts_word(text, match.start(), also="-"):
            continue
        place = _place_of(match[0])
        if place:
            add(place, "place", fold(place), match.start(), match.end())
    ordered = sorted(counts, key=lambda k: first[k])
    return [Entity(names[k], k[1], k[0], counts[k]) for k in ordered]


def _starts_word(text: str, position: int, *, also: str = "") -> bool:
    """Does a word start here (not inside a word, a «…» name, or after `also`)?"""
    if position == 0:
        return True
    before = text[position - 1]
    return not (before.isalnum() or before == "_" or before == "«" or before in also)


def _inside(covered: bytearray, position: int) -> bool:
    return covered[position] == 1


@lru_cache(maxsize=65536)
def _place_of(word: str) -> str | None:
    """A known place in any case form: Қазақстанның → Қазақстан, Шешенстанға → Шешенстан."""
    key = fold(word)
    if key in _PLACE_KEYS:
        return _PLACE_KEYS[key]
    for ending in sorted(
        {*CASE_ENDINGS, "ы", "і", "сы", "сі", "ның", "нің", "нан", "нен", "на", "не"}, key=len, reverse=True
    ):
        if key.endswith(ending) and key[: -len(ending)] in _PLACE_KEYS:
            return _PLACE_KEYS[key[: -len(ending)]]
    if key.endswith("стан") and len(key) > 6:
        return word[:1].upper() + word[1:]
    for ending in (
        "ның",
        "нің",
        "ға",
        "ге",
        "да",
        "де",
        "дан",
        "ден",
        "нан",
        "нен",
        "ды",
        "ді",
        "ны",
        "ні",
        "қа",
        "ке",
        "та",
        "те",
        "тан",
        "тен",
    ):
        if key.endswith("стан" + ending):
            return word[: -len(ending)]
    return None


def _merge_surnames(
    counts: Counter[tuple[str, EntityKind]],
    names: dict[tuple[str, EntityKind], str],
    first: dict[tuple[str, EntityKind], int],
) -> None:
    """«Қ. Тоқаев» and «Қасым-Жомарт Тоқаев» in one text are one person: fold initials into the full name."""
    full_by_surname: dict[str, str] = {}
    for key, kind in counts:
        if kind == "person" and "." not in names[(key, kind)]:
            full_by_surname.setdefault(key.split()[-1], key)
    for key, kind in list(counts):
        if kind == "person" and "." in names[(key, kind)]:
            full = full_by_surname.get(key.split()[-1])
            if full:
                counts[(full, "person")] += counts.pop((key, kind))
                first[(full, "person")] = min(first[(full, "person")], first.pop((key, kind)))
