"""Kazakh word forms: case endings stripped to find the base (nominative) form.

Kazakh attaches case endings that follow vowel harmony and the stem's last sound: Абдуллин-нің,
Италиева-ның, Жаулыбаев-тың, Қазақстан-ға. Without a dictionary we strip only endings that are safe
for the kind of word at hand, and keep a minimum stem length so short words are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

GENITIVE = ("ның", "нің", "дың", "дің", "тың", "тің")
DATIVE = ("ға", "ге", "қа", "ке", "на", "не")
ACCUSATIVE = ("ны", "ні", "ды", "ді", "ты", "ті")
LOCATIVE = ("нда", "нде", "да", "де", "та", "те")
ABLATIVE = ("нан", "нен", "дан", "ден", "тан", "тен")
INSTRUMENTAL = ("менен", "бенен", "пенен", "мен", "бен", "пен")
PLURAL = ("лар", "лер", "дар", "дер", "тар", "тер")
POSSESSIVE_3 = ("сы", "сі", "ы", "і")
ADJECTIVAL = ("дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі")

CASE_ENDINGS = tuple(
    sorted({*GENITIVE, *DATIVE, *ACCUSATIVE, *LOCATIVE, *ABLATIVE, *INSTRUMENTAL, *ADJECTIVAL}, key=len, reverse=True)
)
# Endings that mark a person's name as not nominative; locative and plural are left out on purpose:
# many given names end in -да/-те/-на (Айда, Зарема, Айдана) and would be cut.
NAME_CASE_ENDINGS = tuple(
    sorted({*GENITIVE, *DATIVE[:4], *ACCUSATIVE, *ABLATIVE, *INSTRUMENTAL}, key=len, reverse=True)
)

SURNAME_ENDINGS = (
    "ов",
    "ев",
    "ёв",
    "ова",
    "ева",
    "ёва",
    "ин",
    "ина",
    "ұлы",
    "улы",
    "қызы",
    "кызы",
    "ский",
    "ская",
    "цкий",
    "цкая",
    "енко",
    "бай",
    "бек",
    "баев",
    "баева",
)
_VOWELS = set("аәеёиоөуұүыіэюя")


@lru_cache(maxsize=65536)
def is_surname_like(word: str) -> bool:
    """Ends like a Kazakh or Russian surname (-ов, -ева, -ин, -ұлы, -қызы …)."""
    lower = word.casefold()
    return len(lower) >= 4 and lower.endswith(SURNAME_ENDINGS)


_BY_LENGTH: dict[tuple[str, ...], list[tuple[int, frozenset[str]]]] = {}


def _endings_by_length(endings: tuple[str, ...]) -> list[tuple[int, frozenset[str]]]:
    table = _BY_LENGTH.get(endings)
    if table is None:
        lengths = sorted({len(e) for e in endings}, reverse=True)
        table = [(n, frozenset(e for e in endings if len(e) == n)) for n in lengths]
        _BY_LENGTH[endings] = table
    return table


def _strip_once(word: str, endings: tuple[str, ...], min_stem: int) -> str | None:
    """The word without its longest ending from `endings`, if at least `min_stem` letters remain."""
    lower = word.casefold()
    for length, group in _endings_by_length(endings):
        if len(lower) - length < min_stem:
            continue
        if lower[-length:] in group:
            stem = word[:-length]
            if lower.endswith("стан") and not stem.casefold().endswith("стан"):
                continue  # Қазақстан, Шешенстан: -тан here is part of the name, not the ablative
            return stem
    return None


_SURNAME_CASE_ENDINGS = tuple(
    sorted({*NAME_CASE_ENDINGS, "на", "не", "да", "де", "та", "те", "ны", "ні"}, key=len, reverse=True)
)


@lru_cache(maxsize=65536)
def name_nominative(word: str) -> str:
    """One word of a person's name in the nominative: Абдуллиннің → Абдуллин, Италиеваға → Италиева.

    A surname-like result wins; otherwise only unambiguous endings are stripped from a given name.
    """
    parts = word.split("-")
    if len(parts) > 1:
        return "-".join([*parts[:-1], name_nominative(parts[-1])])
    if is_surname_like(word) and not word.casefold().endswith(("ова", "ева", "ина")):
        return word
    lower = word.casefold()
    for ending in _SURNAME_CASE_ENDINGS:
        if lower.endswith(ending):
            stem = word[: len(word) - len(ending)]
            if len(stem) >= 3 and is_surname_like(stem):
                return stem
    if is_surname_like(word):
        return word
    stripped = _strip_once(word, NAME_CASE_ENDINGS, 3)
    if stripped is None:
        return word
    return stripped


@lru_cache(maxsize=262144)
def word_stem(word: str, *, min_stem: int = 4) -> str:
    """A conservative stem for search: one case or adjectival ending, then plural, stripped."""
    lower = word.casefold()
    stem = _strip_once(lower, CASE_ENDINGS, min_stem) or lower
    stem = _strip_once(stem, PLURAL, min_stem) or stem
    return stem


_WORD = re.compile(r"[\w\-]+", re.UNICODE)


def search_stems(text: str, *, max_terms: int = 8) -> list[str]:
    """Stems of the words in a reader's query, for prefix full-text search."""
    stems = []
    for word in _WORD.findall(text):
        word = word.strip("-")
        if not word:
            continue
        stem = word_stem(word)
        if stem not in stems:
            stems.append(stem)
    return stems[:max_terms]


def fold(text: str) -> str:
    """Case-folded, whitespace-normalised text for comparing names."""
    return " ".join(text.casefold().split())
