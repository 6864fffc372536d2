"""Russian spellings of common Kazakh and world place names, and telling a Russian query from a Kazakh one.

The archive is Kazakh: «Казахстан» finds nothing where every article writes «Қазақстан». A reader who types
the Russian form is told so, with the Kazakh spelling when this table knows the name. Pure functions.
"""

from __future__ import annotations

import re

# Russian (lower case, nominative) → Kazakh, as Aikyn writes it.
KAZAKH_SPELLING: dict[str, str] = {
    "казахстан": "Қазақстан",
    "алма-ата": "Алматы",
    "алматы": "Алматы",
    "астана": "Астана",
    "нур-султан": "Астана",
    "шымкент": "Шымкент",
    "чимкент": "Шымкент",
    "караганда": "Қарағанды",
    "актобе": "Ақтөбе",
    "актюбинск": "Ақтөбе",
    "тараз": "Тараз",
    "павлодар": "Павлодар",
    "усть-каменогорск": "Өскемен",
    "семипалатинск": "Семей",
    "атырау": "Атырау",
    "костанай": "Қостанай",
    "кустанай": "Қостанай",
    "кызылорда": "Қызылорда",
    "уральск": "Орал",
    "петропавловск": "Петропавл",
    "актау": "Ақтау",
    "туркестан": "Түркістан",
    "кокшетау": "Көкшетау",
    "талдыкорган": "Талдықорған",
    "экибастуз": "Екібастұз",
    "темиртау": "Теміртау",
    "жезказган": "Жезқазған",
    "балхаш": "Балқаш",
    "байконур": "Байқоңыр",
    "капчагай": "Қонаев",
    "конаев": "Қонаев",
    "мангистау": "Маңғыстау",
    "жетысу": "Жетісу",
    "иртыш": "Ертіс",
    "сырдарья": "Сырдария",
    "россия": "Ресей",
    "москва": "Мәскеу",
    "китай": "Қытай",
    "пекин": "Бейжің",
    "узбекистан": "Өзбекстан",
    "кыргызстан": "Қырғызстан",
    "киргизия": "Қырғызстан",
    "таджикистан": "Тәжікстан",
    "туркменистан": "Түрікменстан",
    "турция": "Түркия",
    "индия": "Үндістан",
    "япония": "Жапония",
    "германия": "Германия",
    "сша": "АҚШ",
    "европа": "Еуропа",
    "азия": "Азия",
}
_KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_RUSSIAN_ONLY = set("ёъьэщЁЪЬЭЩ")
_RUSSIAN_ENDINGS = ("ая", "ый", "ий", "ое", "ые", "ого", "ому", "ть", "ться", "ние", "ость", "ция", "ии")
_CYRILLIC_WORD = re.compile(r"[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ-]+")
# how far a Russian case form may run past the name's stem: Казахстан-ом, Астан-ой, Росси-ей
_MAX_ENDING = 3


def kazakh_spelling(word: str) -> str | None:
    """The Kazakh spelling of a Russian place name in any case form (Казахстане → Қазақстан), if known."""
    lower = word.casefold()
    for russian, kazakh in KAZAKH_SPELLING.items():
        stem = russian[:-1] if russian[-1] in "аяйьео" else russian
        if lower.startswith(stem) and len(lower) - len(stem) <= _MAX_ENDING and not lower.startswith(kazakh.casefold()):
            return kazakh
    return None


def looks_russian(query: str) -> bool:
    """Cyrillic words without a Kazakh letter, with a sign of Russian: a letter Kazakh does not use, a typical
    Russian ending, or a Russian place name."""
    words = _CYRILLIC_WORD.findall(query)
    if not words or any(ch in _KAZAKH_LETTERS for word in words for ch in word):
        return False
    return any(
        any(ch in _RUSSIAN_ONLY for ch in word) or word.casefold().endswith(_RUSSIAN_ENDINGS) or kazakh_spelling(word)
        for word in words
    )


def has_no_kazakh_letters(query: str) -> bool:
    """Cyrillic but not one of Kazakh's own letters: maybe Russian (or a Kazakh word that lacks them)."""
    words = _CYRILLIC_WORD.findall(query)
    return bool(words) and not any(ch in _KAZAKH_LETTERS for word in words for ch in word)


def spellings(query: str) -> list[tuple[str, str]]:
    """(word as typed, Kazakh spelling) for each word of the query the table knows."""
    found = []
    for word in _CYRILLIC_WORD.findall(query):
        kazakh = kazakh_spelling(word)
        if kazakh and (word, kazakh) not in found:
            found.append((word, kazakh))
    return found
