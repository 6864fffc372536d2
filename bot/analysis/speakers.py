"""Who said it: the speaker of a quote from the words around it, and how sure that is.

Kazakh reported speech names its speaker after the verb («…», – деді министр Асқар Мамин), between «деп» and
the verb («…» деп Мамин атап өтті), or as the subject before the quote (Мамин: «…» / Мамин «…» деп жауап
берді). A pronoun (ол) or a role noun (министр) points back to a person the text introduced; a plural noun
(тұрғындар) is a group that stays as written; an organisation or a document may speak too.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property, lru_cache
from typing import NamedTuple

from bot.analysis.lexicon import ORG_HEADS, ROLE_WORDS
from bot.analysis.morphology import is_surname_like, name_nominative
from bot.analysis.names import PersonMention, role_in, role_start
from bot.records import SpeakerSource


class Speaker(NamedTuple):
    name: str
    role: str
    source: SpeakerSource


_PRONOUN = re.compile(r"(?i)(?:ол|олар|ол\s+кісі)(?![\w-])")
_SURNAME_WORD = re.compile(
    r"(?<![\w.])(?:[А-ЯӘҒҚҢӨҰҮҺІ]\.\s?){0,2}([А-ЯӘҒҚҢӨҰҮҺІ][а-яәғқңөұүһі]+(?:ов|ев|ова|ева|ин|ина|ұлы|қызы|ұлына|ский|ская))(?![\w])"
)
_WORDS = re.compile(r"[^\s,;:()]+")
# plural and collective nouns that speak as a group (тұрғындар «…» дейді; – дейді халық)
_PLURAL = re.compile(r"(?:лар|лер|дар|дер|тар|тер)(?:ы|і)?$")
_COLLECTIVE = {"халық", "жұрт", "жұртшылық", "көпшілік", "қауым", "қазақ", "ел", "жұрты", "ағайын", "ауыл"}
_ORG_HEAD_STEMS = tuple(sorted({h.casefold()[:-1] if len(h) > 4 else h.casefold() for h in ORG_HEADS}, key=len))
_ORG_WORDS = re.compile(
    r"(?i)(?:^|\s)(?:" + "|".join(re.escape(h) for h in _ORG_HEAD_STEMS if len(h) > 3) + r")[а-яәғқңөұүһі]*"
    r"|(?:^|\s)(?:рмм|мкк|жшс|рмк|рмқк|ақорда|сім|тжм|тжд|әкімдік)[а-яәғқңөұүһі]*(?=\s|$)"
)
_OBLIQUE_ENDING = re.compile(
    r"(?:ның|нің|дың|дің|тың|тің|нан|нен|дан|ден|тан|тен|на|не|да|де|та|те|ға|ге|қа|ке|ны|ні)$"
)
_CIRCUMSTANCE = re.compile(
    r"(?:нда|нде|да|де|та|те|ған|ген|қан|кен|ып|іп|п|уда|уде|ғанда|генде|нан|нен|дан|ден|тан|тен|ға|ге|қа|ке)$"
)
# finite verbs and participles (өтті, берді, айтқан, жатыр) end a clause, never a role
_VERB_LIKE = re.compile(
    r"(?:[бвгғджзйклмңпрстфхһцчшщ][дт][ыі]|ған|ген|қан|кен|ады|еді|йды|йді|йды|уда|уде|ыр|ір|мақ|мек|"
    r"атын|етін|йтын|йтін|атұғын|иды|иді)$"
)
_ROLE_SUFFIXES = ("шы", "ші", "гер", "кер", "ист", "ор", "ент", "ер", "ар", "лы", "лі", "ы", "і")


def _nominative_word(word: str) -> str:
    """A common noun without its oblique case ending (департаментінен → департаменті, жарлығында → жарлығы)."""
    lower = word.casefold()
    for ending in ("ның", "нің", "нан", "нен", "на", "не", "нда", "нде", "да", "де"):
        if lower.endswith(ending) and len(lower) - len(ending) >= 4 and lower[-len(ending) - 1] in "ыі":
            return word[: len(word) - len(ending)]
    for ending in ("тың", "тің", "дың", "дің", "тан", "тен", "дан", "ден", "қа", "ке", "ға", "ге"):
        if lower.endswith(ending) and len(lower) - len(ending) >= 4:
            return word[: len(word) - len(ending)]
    return word


def nominative_phrase(phrase: str) -> str:
    """The phrase with its last word in the nominative (облыс әкімдігінен → облыс әкімдігі)."""
    words = phrase.split()
    if not words:
        return phrase
    return " ".join([*words[:-1], _nominative_word(words[-1])])


_QUANTIFIERS = {"бірқатар", "кейбір", "көптеген", "бірнеше", "барлық", "осы", "бұл", "сол", "ал", "енді", "және"}


def group_phrase(words: list[str]) -> str:
    """A group noun with the genitive words that belong to it (ақпарат құралдарының өкілдері)."""
    phrase = [words[-1]]
    for word in reversed(words[:-1][-3:]):
        lower = word.casefold()
        if lower in _QUANTIFIERS or word[:1].isupper() or word.endswith(","):
            break
        if not (
            re.search(r"(?:ның|нің|дың|дің|тың|тің)$", lower) or re.search(r"(?:ның|нің|дың|дің|тың|тің)$", phrase[0])
        ):
            break
        phrase.insert(0, word)
    return " ".join(phrase)


def is_group(phrase: str) -> bool:
    """Is the phrase a plural or collective noun group (тұрғындар, ауыл жұрты, халық)?"""
    words = phrase.casefold().split()
    if not words or len(words) > 5 or words[-1][:1].isdigit():
        return False
    return _group_word(words[-1])


@lru_cache(maxsize=65536)
def _group_word(last: str) -> bool:
    return last in _COLLECTIVE or (bool(_PLURAL.search(last)) and len(last) > 4)


def is_organisation(phrase: str) -> bool:
    """Does the phrase end in an organisation's head noun (министрлігі, департаменті, МКК, Ақорда)?"""
    words = phrase.split()
    return 0 < len(words) <= 12 and _organisation_word(words[-1])


# The word-level tests below are asked again and again of the same words (each attribution, each role), and a
# regex of endings tried at every character of a word is slow: each word's answer is kept.
@lru_cache(maxsize=65536)
def _organisation_word(word: str) -> bool:
    return bool(_ORG_WORDS.search(" " + word))


_NOT_IN_A_ROLE = frozenset({"бұл", "осы", "сол", "мен", "біз", "сіз"})


def looks_like_role(phrase: str) -> bool:
    """Role words (министр, облыс әкімі, Сенат спикері), not a clause."""
    words = phrase.casefold().split()
    if not words or len(words) > 6 or not _NOT_IN_A_ROLE.isdisjoint(words):
        return False
    last = words[-1].strip("«»")
    if _verb_not_role(last):
        return False
    if len(words) == 1 and phrase[:1].islower() and last.isalpha() and len(last) > 3:
        return True  # a lone common noun after the verb (– дейді дипломат) is a role
    return _role_noun(last)


@lru_cache(maxsize=65536)
def _verb_not_role(last: str) -> bool:
    return bool(_VERB_LIKE.search(last)) and last not in ROLE_WORDS


@lru_cache(maxsize=65536)
def _role_noun(last: str) -> bool:
    return last in ROLE_WORDS or last.endswith(_ROLE_SUFFIXES) or name_nominative(last) in ROLE_WORDS


_NOT_IN_ROLE = re.compile(r"(?:ға|ге|қа|ке|нда|нде|дан|ден|тан|тен|нан|нен|лар|лер|дар|дер|тар|тер|ты|ті)$")
# nouns of roles whose ending looks like a case ending (аудан is not an ablative)
_CASE_LIKE_NOUNS = {"аудан", "майдан"}
_ROLE_LEAD = {"бұл", "осы", "сол", "ол", "ал", "енді", "кеше", "бүгін", "жиында", "туралы", "жайында", "жөнінде"}


def trim_role(role: str) -> str:
    """A role without the words of the sentence that lead into it (Бұл жайында [денсаулық сақтау министрі])."""
    words = role.split()
    cut = 0
    for index, word in enumerate(words[:-1]):
        if _leads_into_role(word):
            cut = index + 1
    return " ".join(words[cut:])


@lru_cache(maxsize=65536)
def _leads_into_role(word: str) -> bool:
    """A word of the sentence before a role: a lead word, one before a comma, a verb, a case form."""
    lower = word.casefold().strip(",")
    case_form = bool(_NOT_IN_ROLE.search(lower)) and lower not in _CASE_LIKE_NOUNS
    return lower in _ROLE_LEAD or word.endswith(",") or bool(_VERB_LIKE.search(lower)) or case_form


def clean_zone(zone: str) -> str:
    """The speaker words of an attribution: up to the first circumstance (кулуарда, брифингте, сұхбатында)."""
    words: list[str] = []
    for word in _WORDS.findall(zone):
        bare = word.strip('«»"“”')
        if words and _circumstance(bare):
            break
        if bare.casefold() in {"өз", "бұл", "сонда", "сөзінде", "кезегінде"}:
            break
        words.append(word)
        if len(words) == 10:
            break
    return " ".join(words).strip(" ,–—-")


@lru_cache(maxsize=65536)
def _circumstance(bare: str) -> bool:
    """A word saying where or when (кулуарда, брифингте), which ends the speaker words of an attribution."""
    return bool(_CIRCUMSTANCE.search(bare.casefold())) and not bare[:1].isupper() and not is_organisation(bare)


@lru_cache(maxsize=65536)
def _opens_with_role(first: str) -> bool:
    """Is the first word of a name a role word, also in the plural («Депутаттар Болат Мұхтаров пен …»)?"""
    role = _PLURAL.sub("", first.casefold()) if len(first) > 6 else first.casefold()
    if not (role in ROLE_WORDS or role.endswith(("кер", "гер", "шы", "ші", "ист"))):
        return False
    return looks_like_role(first.casefold())


class People:
    """The people a text names, with positions, so an attribution can point back to them."""

    def __init__(self, text: str, mentions: list[PersonMention], quoted: list[tuple[int, int]]) -> None:
        self.text = text
        # every name, also those inside quotations: what a quoted speaker refers to («Ол …» inside a quote)
        self.everyone = [m for m in mentions if not _LATIN.search(m.written)]
        quoted_starts = [start for start, _ in quoted]
        self.mentions = [
            m
            for m in map(self._with_surname, map(self._without_role_word, self.everyone))
            if "\n" not in m.written  # a name never runs over a line break
            and not _inside(quoted, quoted_starts, m.start)
            and not text[m.end : m.end + 12].lstrip().startswith("атында")
        ]
        self.starts = [m.start for m in self.mentions]
        self._roles: dict[int, str] = {}
        self._zones: dict[int, str] = {}  # name start → the text its role can be in (see names.role_start)
        self._folded_zones: dict[int, str] = {}

    def _without_role_word(self, mention: PersonMention) -> PersonMention:
        """«Кәсіпкер Раиса Тұралиева» read as the name «Кәсіпкер Раиса»: a role word opening a sentence is not a
        given name, so the name is the next two words."""
        first, _, given = mention.written.partition(" ")
        if not given or " " in given or not _opens_with_role(first):
            return mention
        after = _NEXT_WORD.match(self.text, mention.end)
        if not after:
            return mention
        start = mention.end - len(given)
        surname = name_nominative(after["word"])
        return PersonMention(start, after.end(), f"{given} {surname}", surname, self.text[start : after.end()])

    def _with_surname(self, mention: PersonMention) -> PersonMention:
        """«Гүлжан Сағатқызы Омарова»: a given name and a patronymic are followed by the surname — one name."""
        if not mention.surname.endswith(_PATRONYMIC) or " " not in mention.written.strip():
            return mention
        after = _NEXT_WORD.match(self.text, mention.end)
        if not after or not is_surname_like(after["word"]) or after["word"].endswith(_PATRONYMIC):
            return mention
        surname = name_nominative(after["word"])
        written = self.text[mention.start : after.end()]
        return PersonMention(mention.start, after.end(), f"{mention.name} {surname}", surname, written)

    @cached_property
    def full_names(self) -> dict[str, str]:
        """Surname (and given name, when only one person has it) → the fullest form the text gives."""
        full: dict[str, str] = {}
        given: dict[str, set[str]] = {}
        for m in self.mentions:
            if " " in m.name and "." not in m.name:
                full.setdefault(m.surname.casefold(), m.name)
                given.setdefault(m.name.split()[0].casefold(), set()).add(m.name)
        for first, names in given.items():
            if len(names) == 1:  # one person with the given name (whom no patronymic form can be of)
                full.setdefault(first, next(iter(names)))
                continue
            # «Мейрамбек Сәкенұлы» after «Мейрамбек Тұрсынов»: the given name with the patronymic, as Kazakh
            # addresses a person politely, is the same person when the text names one such person in full
            surnamed = {n for n in names if not n.endswith(_PATRONYMIC)}
            if len(surnamed) == 1:
                for name in names - surnamed:
                    full[name.split()[-1].casefold()] = next(iter(surnamed))
        for m in self.mentions:  # a surname the text gives only with initials (Б.Қ.Ахметов … Ахметов)
            if "." in m.name:
                full.setdefault(m.surname.casefold(), _initialled(m))
        for surname in self._shared_surnames:  # «Жақыпов» alone, after two Жақыповs: nobody can tell which
            full.pop(surname, None)
        return full

    @cached_property
    def _shared_surnames(self) -> set[str]:
        """Surnames the text gives to more than one person (different given names)."""
        given: dict[str, set[str]] = {}
        for m in self.mentions:
            if " " in m.name and "." not in m.name and not m.surname.endswith(_PATRONYMIC):
                given.setdefault(m.surname.casefold(), set()).add(m.name.split()[0].casefold())
        return {surname for surname, names in given.items() if len(names) > 1}

    def in_range(self, start: int, end: int) -> list[PersonMention]:
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return [m for m in self.mentions[i:j] if m.end <= end]

    def last_within(self, start: int, end: int) -> PersonMention | None:
        """The last person named, in any case and also inside quotations, in [start, end)."""
        inside = [m for m in self.everyone if start <= m.start and m.end <= end]
        return inside[-1] if inside else None

    def last_before(self, pos: int) -> PersonMention | None:
        """The person a pronoun points back to: the last one named as a subject (nominative) in the last
        stretch of text, else the last one named at all."""
        i = bisect.bisect_left(self.starts, pos)
        last: PersonMention | None = None
        while i > 0:
            i -= 1
            mention = self.mentions[i]
            if mention.end > pos:
                continue
            if mention.is_nominative or _REPORTING.match(self.text, mention.end):
                return mention
            last = last or mention
            if pos - mention.start > 600:
                break
        return last

    def full_name(self, mention: PersonMention) -> str:
        """The fullest form of the name; initials stay as the text wrote them (Ө.Шөкеев, Г.П. Потанин)."""
        surname = mention.surname.casefold()
        full = self.full_names.get(surname)
        if full is not None:
            return full
        if surname in self._shared_surnames and " " in mention.name and "." not in mention.name:
            return mention.name  # named in full here: this one, not the other person with the surname
        return _initialled(mention) if "." in mention.name else mention.name

    def role_of(self, mention: PersonMention) -> str:
        if mention.start not in self._roles:
            role = trim_role(role_in(self._zone(mention.start)))
            self._roles[mention.start] = role if looks_like_role(role) or is_organisation(role) else ""
        return self._roles[mention.start]

    def speaker(self, mention: PersonMention, source: SpeakerSource, role: str = "") -> Speaker:
        return Speaker(self.full_name(mention), role or self.role_of(mention), source)

    def by_role(self, phrase: str, pos: int, skip: frozenset[str] | set[str] = frozenset()) -> PersonMention | None:
        """The person the text gave this role (министр, облыс әкімі): the head noun matching counts most, any
        other word of the role a little (Сенат спикері ~ Сенат төрағасы); the nearest before `pos` wins, else
        the first after; None when no one carries any of it."""
        words = [name_nominative(w)[:5] for w in _LONG_WORD.findall(phrase.casefold())]
        if not words:
            return None
        head, others = words[-1], words[:-1]
        best: tuple[int, int, PersonMention] | None = None
        # the people of the surrounding stretch of text (a role is given near where it is used; bounded work)
        low, high = bisect.bisect_left(self.starts, pos - 6000), bisect.bisect_left(self.starts, pos + 3000)
        # the words that can score, looked for in the text before each name first (a role is only worked out,
        # which is slow, for a name that has one of them before it)
        keys = (*words, *_SAME_POST.get(head, ()), *(_HEAD_POSTS if head.startswith(_GENERIC_HEADS) else ()))
        keys = (*keys, "басшы") if head.startswith("әкім") else keys
        for mention in self.mentions[low:high]:
            if skip and self.full_name(mention) in skip:
                continue
            if mention.start not in self._roles and not self._may_hold(mention.start, keys):
                continue
            role = self.role_of(mention).casefold()
            score = (2 if head in role else _same_post(head, role)) + sum(1 for w in others if w in role)
            if not score:
                continue
            order = mention.start if mention.end <= pos else -mention.start
            if best is None or (score, order) > (best[0], best[1]):
                best = (score, order, mention)
        return best[2] if best else None

    def _may_hold(self, pos: int, keys: tuple[str, ...]) -> bool:
        """Can the role of the name at `pos` hold one of `keys` (words without spaces)? Its role is made of words
        after the last stop before it, so a key must be there (working out the role itself is slower)."""
        zone = self._folded_zones.get(pos)
        if zone is None:
            zone = self._folded_zones[pos] = self._zone(pos).casefold()
        return any(key in zone for key in keys)

    def _zone(self, pos: int) -> str:
        """The text before the name at `pos` that its role can be in (read once: by_role looks at it for every
        role asked about, role_of to work out the role)."""
        zone = self._zones.get(pos)
        if zone is None:
            zone = self._zones[pos] = self.text[role_start(self.text, pos) : pos]
        return zone

    def by_word(self, word: str) -> str | None:
        """A single name word (Тұрсынов, Ахметов, Мейрамбек) expanded to the full name the text gives; an
        affectionate short form (Мұқаң, Қанекең) matches the one given name it starts like."""
        base = name_nominative(word.strip("«»,.:"))
        if base.isupper() and len(base) > 3:
            base = base[:1] + base[1:].lower()
        folded = base.casefold()
        found = self.full_names.get(folded)
        if found is not None or len(base) < 5 or not _AFFECTIONATE.search(base):
            return found
        like = {name for key, name in self.full_names.items() if key[:4] == folded[:4] and key != folded}
        return next(iter(like)) if len(like) == 1 else None


# Heads of a body (an akim, a chairman, a minister …): «басшы» (head) refers to any of them.
_HEAD_POSTS = tuple(
    w[:5]
    for w in (
        "әкім", "төраға", "директор", "бастық", "министр", "ректор", "жетекші", "президент", "командир",
        "басқарушы", "меңгеруші", "спикер", "басшы",
    )
)  # fmt: skip
_GENERIC_HEADS = ("басшы", "шенеу")  # басшы, шенеунік: a head, an official — whichever the text named
# other names of the same post: a senator is a deputy of the Senate, a speaker chairs a chamber
_SAME_POST = {"сенат": ("сенат", "депут"), "депут": ("сенат",), "спике": ("төрағ",), "төрағ": ("спике",)}


def _same_post(head: str, role: str) -> int:
    """1 when a role noun used in an attribution names the post the text gave as `role` in other words
    (сенатор ~ Сенат депутаты, басшы ~ аудан әкімі, спикер ~ төраға), else 0."""
    if not role:
        return 0
    last = role.split()[-1]
    if any(other in role for other in _SAME_POST.get(head, ())):
        return 1
    role_is_head = any(post in last for post in _HEAD_POSTS)
    if head.startswith(_GENERIC_HEADS) and role_is_head:
        return 1
    # «облыс/аудан/өңір/қала басшысы» is how Kazakh news names an akim
    return int(head.startswith("әкім") and "басшы" in last)


_PATRONYMIC = ("ұлы", "қызы", "улы", "кызы")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_AFFECTIONATE = re.compile(r"(?:ағам|ағаң|еке|ке|ең|аң|ам)$")  # Мұқаң, Қанекең, Ерғалиағам
_LATIN = re.compile("[A-Za-z]")
_NEXT_WORD = re.compile(r" (?P<word>[А-ЯӘҒҚҢӨҰҮҺІ][а-яәғқңөұүһі]+(?:-[А-ЯӘҒҚҢӨҰҮҺІ]?[а-яәғқңөұүһі]+)?)(?![\w])")
_REPORTING = re.compile(r"\s+(?:айтуынша|сөзінше|пікірінше|сөзіне\s+қарағанда|мәліметінше)")


def _initialled(mention: PersonMention) -> str:
    """A name with initials as the text wrote them (Ө.Шөкеев, Г.П. Потанин), the surname in the nominative."""
    initials = mention.written[: len(mention.written) - len(mention.written.split(".")[-1].lstrip())]
    return initials + mention.surname


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Is `pos` inside one of the spans (sorted by start, `starts` their starts; nesting is shallow, so the last
    few that start at or before `pos` are looked at)?"""
    i = bisect.bisect_right(starts, pos)
    return (i > 0 and pos < spans[i - 1][1]) or (i > 1 and pos < spans[i - 2][1]) or (i > 2 and pos < spans[i - 3][1])
