"""Kazakh word forms: the normal (dictionary) form of nouns and names, and stems for search.

Kazakh builds a noun form as stem + plural + possessive + case, each ending chosen by vowel harmony and by
the sound before it: Абдуллин-нің, Италиева-ның, Жаулыбаев-тың, Қазақстан-ға, президент-і, мектеб-і (мектеп).
`lemma` lists every way a word can be cut by those rules — an ending is cut only where Kazakh would put it
(the accusative after a vowel is -ны, never -ты, so «Алматы» is not «алма» + -ты; the dative -на follows only
a possessive, so «Астана» is not «аста» + -на) — and picks the stem that the most attested word forms of a
news corpus share (its paradigm; see `bench/train_ner.py`). A word the corpus does not know loses only its
case ending, and only where the stem left is a possible one.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources

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
VOWELS = frozenset("аәеёиоөуұүыіэюя")
_PURE_VOWELS = frozenset("аәеёоөұүыіэюя")  # у and и also close syllables as a consonant would (тау-лар, Атырау-дың)
_VOICELESS = frozenset("кқпстфхцчшщбвгд")  # б в г д: loanwords devoice before an ending (Тоқаев-тың, клуб-қа)
_NASAL = frozenset("мнң")
_VOICED = frozenset("лрйузжмнңиw")


@lru_cache(maxsize=65536)
def is_surname_like(word: str) -> bool:
    """Ends like a Kazakh or Russian surname (-ов, -ева, -ин, -ұлы, -қызы …)."""
    lower = word.casefold()
    return len(lower) >= 4 and lower.endswith(SURNAME_ENDINGS)


def _sound(stem: str) -> str:
    """The class of a stem's last letter that picks the ending: vowel, nasal, voiced or voiceless consonant."""
    last = stem[-1]
    if last in _PURE_VOWELS:
        return "V"
    if last in _NASAL:
        return "N"
    if last in _VOICELESS:
        return "T"
    return "R"  # л р й у и з ж


# Case endings with the classes of stem sound they follow (V vowel, N м/н/ң, R other voiced, T voiceless).
_CASES: dict[str, str] = {
    "ның": "VN",
    "нің": "VN",
    "дың": "R",
    "дің": "R",
    "тың": "T",
    "тің": "T",
    "ны": "V",
    "ні": "V",
    "ды": "NR",
    "ді": "NR",
    "ты": "T",
    "ті": "T",
    "ға": "VNR",
    "ге": "VNR",
    "қа": "T",
    "ке": "T",
    "да": "VNR",
    "де": "VNR",
    "та": "T",
    "те": "T",
    "дан": "VR",
    "ден": "VR",
    "нан": "N",
    "нен": "N",
    "тан": "T",
    "тен": "T",
    "мен": "VNR",
    "бен": "NR",
    "пен": "T",
    "менен": "VNR",
    "бенен": "NR",
    "пенен": "T",
    "дағы": "VNR",
    "дегі": "VNR",
    "тағы": "T",
    "тегі": "T",
    "дай": "VNR",
    "дей": "VNR",
    "тай": "T",
    "тей": "T",
    "ша": "VNRT",
    "ше": "VNRT",
}
# After a third-person possessive (-ы/-і/-сы/-сі) the case endings take their н- forms: ісі-нде, министрлігі-не.
_AFTER_POSSESSIVE = (
    "ның",
    "нің",
    "н",
    "на",
    "не",
    "нда",
    "нде",
    "нан",
    "нен",
    "мен",
    "менен",
    "ндағы",
    "ндегі",
    "ндай",
    "ндей",
)
_PLURALS: dict[str, str] = {"лар": "VR", "лер": "VR", "дар": "NR", "дер": "NR", "тар": "T", "тер": "T"}
# First person plural and polite second person possessives (еліміз, еліңіз), after a consonant or a vowel.
_PERSONAL = (
    ("ымыз", "C"),
    ("іміз", "C"),
    ("мыз", "V"),
    ("міз", "V"),
    ("ыңыз", "C"),
    ("іңіз", "C"),
    ("ңыз", "V"),
    ("ңіз", "V"),
    ("ым", "C"),
    ("ім", "C"),
    ("м", "V"),
    ("ың", "C"),
    ("ің", "C"),
    ("ң", "V"),
)
# Stems that lose a vowel before a vowel ending: халық → халқы, орын → орны, ауыз → аузы.
_ELIDED = {
    "халқ": "халық",
    "орн": "орын",
    "ауз": "ауыз",
    "ерн": "ерін",
    "мұрн": "мұрын",
    "мойн": "мойын",
    "ойн": "ойын",
    "қарн": "қарын",
    "көңл": "көңіл",
    "ерк": "ерік",
    "бөрк": "бөрік",
    "құлқ": "құлық",
    "ғұрп": "ғұрып",
    "нарқ": "нарық",
    "қалп": "қалып",
    "парқ": "парық",
    "дәрп": "дәріп",
    "сырт": "сыртқы",
}
_UNVOICED = {"б": "п", "г": "к", "ғ": "қ"}
_MIN_STEM = 2


def _has_vowel(stem: str) -> bool:
    return any(ch in VOWELS for ch in stem)


def _possible_stem(stem: str) -> bool:
    return len(stem) >= _MIN_STEM and _has_vowel(stem)


def _possessive_stems(form: str) -> Iterator[str]:
    """Stems of a third-person possessive form: басшы-сы, президент-і, мектеб-і → мектеп, халқ-ы → халық."""
    if form.endswith(("сы", "сі")) and len(form) > 3 and form[-3] in _PURE_VOWELS:
        yield form[:-2]
    if form.endswith(("ы", "і")) and len(form) > 2 and form[-2] not in _PURE_VOWELS:
        yield from _unvoiced(form[:-1])


def _unvoiced(stem: str) -> Iterator[str]:
    """A stem before a vowel ending, and the dictionary forms it may stand for (мектеб → мектеп, халқ → халық)."""
    yield stem
    if stem[-1] in _UNVOICED:
        yield stem[:-1] + _UNVOICED[stem[-1]]
    if stem in _ELIDED:
        yield _ELIDED[stem]


Cut = tuple[str, float]  # a stem and the weight of the endings cut to reach it
# How much each kind of cut weighs against a stem's paradigm: plural and possessive are regular and common,
# a case ending a little less so, my/your (-ым, -ың) rare in news and easily mistaken (қысым, отын).
_PLURAL_COST = 0.3
_POSSESSIVE_COST = 0.5
_CASE_COST = 0.5
_PERSONAL_COST = (1.0, 2.0)  # our/your (-ымыз, -ыңыз); my/your (-ым, -ың)


def _bare_stems(form: str, *, possessive: bool = True) -> Iterator[Cut]:
    """`form` itself and, where it ends in a plural or a possessive, the stems under those. A third-person
    possessive is only considered when `possessive` (a plain case ending cannot follow one: ағын-ы, not ағы-ны).
    My/your (-ым, -ың) count as two cuts: news rarely uses them, and many stems end that way (қысым, отын)."""
    yield form, 0
    if possessive:
        yield from _under_possessive(form, 0)
    for ending, after in _PERSONAL:
        if form.endswith(ending) and len(form) >= len(ending) + (2 if len(ending) == 4 else 3):
            stem = form[: -len(ending)]
            if (stem[-1] in _PURE_VOWELS) == (after == "V"):
                cost = _PERSONAL_COST[0] if len(ending) > 2 else _PERSONAL_COST[1]
                for base in _unvoiced(stem) if after == "C" else (stem,):
                    yield base, cost
                    yield from _plural_stems(base, cost)
    yield from _plural_stems(form, 0)


def _under_possessive(form: str, cost: float) -> Iterator[Cut]:
    for stem in _possessive_stems(form):
        yield stem, cost + _POSSESSIVE_COST
        yield from _plural_stems(stem, cost + _POSSESSIVE_COST)


def _plural_stems(form: str, cost: float) -> Iterator[Cut]:
    ending = form[-3:]
    if ending in _PLURALS:
        stem = form[:-3]
        if _possible_stem(stem) and _sound(stem) in _PLURALS[ending]:
            yield stem, cost + _PLURAL_COST


def _case_cuts(word: str) -> Iterator[tuple[str, str]]:
    """What is left of `word` after each case ending Kazakh could have put there, with what may stand before
    that ending: "any" (no ending cut), "plain" (no third-person possessive) or "possessive" (only one)."""
    yield word, "any"
    for size in (5, 4, 3, 2):
        ending = word[-size:]
        rest = word[:-size]
        after = _CASES.get(ending)
        if after and len(rest) >= _MIN_STEM and _possible_stem(rest) and _sound(rest) in after:
            yield rest, "plain"
    if len(word) > 4 and word[-1] in "ае" and word[-2] in "мң":  # басым-а, үйің-е: the dative after my/your
        yield word[:-1], "plain"
    for ending in _AFTER_POSSESSIVE:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            rest = word[: -len(ending)]
            if rest[-1] in "ыі":
                yield rest, "possessive"


def _stems_after_cut(rest: str, before: str) -> Iterator[Cut]:
    if before == "possessive":
        yield from _under_possessive(rest, _CASE_COST)
    elif before == "plain":
        yield from ((stem, cost + _CASE_COST) for stem, cost in _bare_stems(rest, possessive=False))
    else:
        yield from _bare_stems(rest)


@cache
def _paradigms() -> dict[str, int]:
    """How many attested word forms each stem has (built from a news corpus by bench/train_ner.py)."""
    table: dict[str, int] = {}
    data = resources.files("bot.analysis").joinpath("models/stems.txt.gz").read_bytes()
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        stem, _, count = line.partition("\t")
        table[stem] = int(count)
    return table


def analyses(word: str) -> dict[str, float]:
    """Every stem `word` (case-folded) can be cut to by Kazakh noun endings, the word itself included, with the
    fewest endings cut to reach it."""
    lower = word.casefold()
    stems: dict[str, float] = {}
    for rest, before in _case_cuts(lower):
        for stem, cost in _stems_after_cut(rest, before):
            if _possible_stem(stem) and cost < stems.get(stem, 99.0):
                stems[stem] = cost
    return stems


# For names: a stem shared by fewer forms (often just the word itself) tells nothing, and the rules decide.
_ATTESTED = 2
_DECAY = 0.6  # each ending cut weighs a paradigm down: a longer stem with a paradigm near as large wins


@lru_cache(maxsize=262144)
def lemma(word: str) -> str:
    """The dictionary form of a noun or name, case-folded: Алматыдан → алматы, мектебінде → мектеп.

    Of the possible stems the one with the largest attested paradigm wins, weighed down by the endings cut
    (ties: the longer stem); a word whose stems the corpus does not know loses only endings that are
    unambiguous (`_unknown_lemma`).
    """
    lower = word.casefold()
    if not lower.isalpha():
        return _hyphenated_lemma(lower) if "-" in lower else lower
    known = _paradigms()
    best, best_score = lower, 0.0
    for stem, cost in analyses(lower).items():
        score = known.get(stem, 0) * _DECAY**cost
        if score > best_score or (score == best_score and score and len(stem) > len(best)):
            best, best_score = stem, score
    if not best_score:
        return _unknown_lemma(lower, capitalised=word[:1].isupper())
    return best


def _unknown_lemma(lower: str, *, capitalised: bool) -> str:
    """A word the corpus has not seen: its longest case ending goes, then a plural; a possessive only where a
    case ending needs one (министрлігі-не) or, in a common noun, after a plural or a vowel (жота-сы)."""
    rest, before = lower, "any"
    for candidate, mode in _case_cuts(lower):
        if len(candidate) >= 3 and len(candidate) < len(rest):
            rest, before = candidate, mode
    if before == "possessive":
        stems = list(_possessive_stems(rest))
        return stems[1] if len(stems) > 1 and not rest.endswith(("оғы", "убы", "ыбы")) else (stems or [rest])[0]
    plural = next(_plural_stems(rest, 0), None)
    if plural:
        return plural[0]
    if before == "any" and not capitalised and len(rest) > 5:
        if rest.endswith(("лары", "лері", "дары", "дері", "тары", "тері")):
            return rest[:-4]
        if rest[-2:] in ("сы", "сі") and rest[-3] in _PURE_VOWELS:
            return rest[:-2]
    return rest


def _hyphenated_lemma(lower: str) -> str:
    """Нұр-Сұлтанға → нұр-сұлтан: only the last part takes endings."""
    head, _, tail = lower.rpartition("-")
    if not tail.isalpha() or not head:
        return lower
    if tail in _CASES or tail in _AFTER_POSSESSIVE or tail in _PLURALS:  # АҚШ-пен, БҰҰ-ның: an ending after a hyphen
        return head
    if head[-1].isdigit():  # 2017-жылы, 5-сынып: the number is the word
        return lower
    return f"{head}-{lemma(tail)}"


# Endings that also close many names (Айша, Ақтай, Арыстан): a name keeps them unless the corpus says otherwise.
_NAME_LIKE_ENDINGS = ("ша", "ше", "дай", "дей", "тай", "тей")
# A person's name keeps also what reads as a locative or ablative (Зияда, Айда, Арыстан): people are rarely
# "in" or "from" something in news, and many names end that way.
_PERSON_KEEPS = (*_NAME_LIKE_ENDINGS, *LOCATIVE, *ABLATIVE)


@lru_cache(maxsize=65536)
def without_case(word: str, *, person: bool = False) -> str:
    """`word` without its case ending (plural and possessive kept), letter case preserved: министрлігіне →
    министрлігі, Алматыдан → Алматы. Used for the last word of a multi-word name; for a `person` an unknown
    word keeps a locative- or ablative-looking end too (Зияда, Арыстан), and an unknown one an accusative-looking
    end (Сатыбалды)."""
    if "-" in word:
        head, _, tail = word.rpartition("-")
        if not head or not tail.isalpha() or head[-1].isdigit():
            return word
        if tail.casefold() in _CASES or tail.casefold() in _AFTER_POSSESSIVE:
            return head
        return f"{head}-{without_case(tail, person=person)}"
    lower = word.casefold()
    if not lower.isalpha():
        return word
    known = _paradigms()
    best, best_score, fallback = lower, 0, lower
    for rest, before in _case_cuts(lower):
        if rest != lower and lower[len(rest) :] in (_PERSON_KEEPS if person else _NAME_LIKE_ENDINGS):
            continue
        score = max((known.get(s, 0) for s, _ in _stems_after_cut(rest, before) if _possible_stem(s)), default=0)
        if score > best_score:
            best, best_score = rest, score
        guess = not (person and lower[len(rest) :] in ACCUSATIVE)  # Сатыбалды, Жолды: unknown names keep -ды
        if guess and 3 <= len(rest) < len(fallback):
            fallback = rest
    return word[: len(best if best_score >= _ATTESTED else fallback)]


_SURNAME_CASE_ENDINGS = tuple(
    sorted({*NAME_CASE_ENDINGS, "на", "не", "да", "де", "та", "те", "ны", "ні"}, key=len, reverse=True)
)


@lru_cache(maxsize=65536)
def name_nominative(word: str) -> str:
    """One word of a person's name in the nominative: Абдуллиннің → Абдуллин, Италиеваға → Италиева.

    A surname-like result wins; otherwise only case endings that Kazakh could have put after the stem are cut.
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
            if len(stem) >= 3 and is_surname_like(stem) and _sound(stem.casefold()) in _CASES.get(ending, "VN"):
                return stem
    if is_surname_like(word) or not lower.isalpha():
        return word
    return without_case(word, person=True)


@lru_cache(maxsize=262144)
def word_stem(word: str, *, min_stem: int = 4) -> str:
    """The normal form used to compare and search words: `lemma`, or the word itself where that is shorter than
    `min_stem` letters (a two-letter prefix would match half the archive)."""
    lower = word.casefold()
    stem = lemma(lower)
    return stem if len(stem) >= min_stem else lower


_WORD = re.compile(r"[\w\-]+", re.UNICODE)


def search_stems(text: str, *, max_terms: int = 8) -> list[str]:
    """Normal forms of the words in a reader's query, for prefix full-text search.

    A lemma that ends in п/к/қ loses that letter when it is six letters or longer, because a vowel ending
    voices it (мектеп → мектебі) and a prefix must match both.
    """
    stems = []
    for word in _WORD.findall(text):
        word = word.strip("-")
        if not word:
            continue
        stem = word_stem(word)
        if len(stem) >= 6 and stem[-1] in "пкқ":
            stem = stem[:-1]
        if stem not in stems:
            stems.append(stem)
    return stems[:max_terms]


def fold(text: str) -> str:
    """Case-folded, whitespace-normalised text for comparing names."""
    return " ".join(text.casefold().split())
