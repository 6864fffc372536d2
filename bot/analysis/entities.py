"""People, organisations and places, with case forms merged into one record each and where each is mentioned.

The names come from the tagger (ner.py); this module keeps datelines («АСТАНА. KAZINFORM –») and site credits
(«– деп хабарлайды Aikyn.kz») out, puts each name in the nominative (only the last word of a Kazakh noun
phrase takes endings: «Батыс Қазақстан облысының» → «Батыс Қазақстан облысы»), names an organisation quoted
before its head noun as Kazakh does («AMANAT» партиясы), and merges «Қ. Тоқаев» or «Тоқаев» into
«Қасым-Жомарт Тоқаев» when the text names him in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.analysis.lexicon import DANGLING_OPENERS, FIXED_ORGS, LEGAL_FORMS, ORG_HEADS, PLACE_HEADS, PLACES, ROLE_WORDS
from bot.analysis.morphology import GENITIVE, fold, is_surname_like, lemma, name_nominative, without_case
from bot.analysis.names import PersonMention, find_people
from bot.analysis.ner import NameSpan, WordCache, is_common_word, is_name_head, tag
from bot.analysis.text_scan import matches_at, positions_of
from bot.records import Entity, EntityKind

_UPPER = "А-ЯӘҒҚҢӨҰҮҺІЁA-Z"
_LOWER = "а-яәғқңөұүһіё"
# «АСТАНА. KAZINFORM –», «Алматы, 5 наурыз. ҚазАқпарат —»: a city, maybe a date, an agency, a dash, at a line start.
# Searched for after a line break, in "\n" + text: the search then jumps from break to break, where «^» in
# MULTILINE mode would be tried at every character. No match goes past its line. The city's words are taken
# whole (possessive): what follows them (a space, «.» or «,») is never a letter they could give back.
_DATELINE_AFTER_BREAK = re.compile(
    rf"\n[^\S\n]*[{_UPPER}][\w-]*+(?:[^\S\n]+[{_UPPER}][\w-]*+)?[^\S\n]*[.,][^\S\n]*"
    rf"(?:\d{{1,2}}[^\S\n]+\w+[.,]?[^\S\n]*)?(?:[{_UPPER}][\w.]*[^\S\n]*){{0,3}}[–—-]"
)
# «– деп хабарлайды Aikyn.kz», «хабарлайды Kazinform тілшісі»; web addresses (Aikyn.kz, www.akorda.kz) apart.
_CREDIT = re.compile(r"хабарлайды\s+[\w«»\"-]+(?:\s+(?:агенттігі|тілшісі|сайты|порталы)\w*)?", re.IGNORECASE)
_DOMAIN = re.compile(r"\.(?:kz|ru|com|org|net|info)\b", re.IGNORECASE)
# Only from a word's start, each word taken whole (possessive): a run of capitals is not tried again letter by letter.
_REGION = re.compile(rf"(?<![\w-])[{_UPPER}][\w-]++(?:[^\S\n]++[{_UPPER}][\w-]++)?[^\S\n]++облысы[{_LOWER}]*+(?!\w)")
_WORD = re.compile(r"\S+")
_ADJECTIVE_ENDINGS = ("лық", "лік", "дық", "дік", "тық", "тік", "ғы", "гі", "қы", "кі")
_CAPITALISED = re.compile(rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?")
_HEADS = "|".join(sorted({h.casefold() for h in ORG_HEADS}, key=len, reverse=True))
# «Бейбітшілік және келісім» қайырымдылық қорының; «AMANAT» партиясы; «Қоғамдық келісім» РММ
_QUOTED_ORG = re.compile(
    rf"«(?P<name>[^«»\n]{{2,80}})»\s+(?P<head>(?:[{_LOWER}-]+\s+){{0,2}}?(?:{_HEADS})[{_LOWER}]*)(?!\w)",
    re.IGNORECASE,
)
_AFTER_QUOTE = re.compile(rf"»\s+(?P<head>(?:[{_LOWER}-]+\s+){{0,2}}?(?:{_HEADS})[{_LOWER}]*)(?!\w)", re.IGNORECASE)
# A place followed by one of these is the name of an institution: Астананың әкімдігі → Астана әкімдігі.
_INSTITUTION = re.compile(
    rf"[^\S\n]+(?:әкімдіг|министрліг|университет|институт|академия|мәслихат|департамент|басқарма|полиция)[{_LOWER}]*"
)
_NOT_NAMES = (
    frozenset(ROLE_WORDS)
    | {w.strip() for w in DANGLING_OPENERS}
    | {
        "бұл",
        "осы",
        "сол",
        "әр",
        "әрбір",
        "барлық",
        "біздің",
        "сіздің",
        "олардың",
        "жаңа",
    }
)


@dataclass(slots=True)
class _Found:
    name: str
    kind: EntityKind
    key: str
    spans: list[tuple[int, int]] = field(default_factory=list)


class _Collector:
    """Entities found so far, and which stretches of the text are already someone's (or a dateline's)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[tuple[str, EntityKind], _Found] = {}
        self._taken = bytearray(len(text))
        for start, end in _blocked_zones(text):
            self.take(start, end)

    def free(self, start: int, end: int) -> bool:
        return self._taken.find(1, start, end) < 0

    def take(self, start: int, end: int) -> None:
        self._taken[start:end] = b"\x01" * (end - start)

    def add(self, name: str, kind: EntityKind, start: int, end: int) -> None:
        key = fold(name.replace("«", "").replace("»", "")) if kind == "org" else fold(name)
        entry = self.found.get((key, kind))
        if entry is None:
            entry = self.found[key, kind] = _Found(name, kind, key)
        entry.spans.append((start, end))
        self.take(start, end)

    def entities(self) -> list[Entity]:
        ordered = sorted(self.found.values(), key=lambda f: min(f.spans))
        return [Entity(f.name, f.kind, f.key, len(f.spans), tuple(sorted(f.spans))) for f in ordered]


def extract_entities(text: str, people: list[PersonMention] | None = None) -> list[Entity]:
    """Entities of a text, each once, with its mentions' character spans; the order is by first mention.

    `people` (names found by `find_people`, as the quotes use them) adds a person the tagger missed where
    the name reads as given name + surname (-ов, -ева, -ұлы …); without it they are found here.
    """
    found = _Collector(text)
    for tagged in tag(text):
        span = _tidy(text, tagged)
        if span is not None and found.free(span.start, span.end):
            name, kind, end = _normal_name(text, span)
            if name:
                found.add(name, kind, span.start, end)
    _add_quoted_orgs(found)
    _add_regions(found)
    if people is None:
        people = [p for p in find_people(text, strict=False) if is_surname_like(p.surname)]
    for person in people:
        if " " in person.name and found.free(person.start, person.end):
            found.add(person.name, "person", person.start, person.end)
    _add_single_words(found)
    _merge_people(found.found)
    return found.entities()


def _add_quoted_orgs(found: _Collector) -> None:
    """«Болашақ» қоры, «Қоғамдық келісім» РММ: a quoted name before an organisation's head noun; the span is
    the name inside the marks (as KazNERD marks it)."""
    for match in _QUOTED_ORG.finditer(found.text):
        start, end = match.span("name")
        name = match["name"]
        start, end = start + len(name) - len(name.lstrip()), end - len(name) + len(name.rstrip())
        if start < end and found.free(start, end):
            found.add(_org_with_head(match["name"], match["head"]), "org", start, end)


def _add_regions(found: _Collector) -> None:
    """«Қарағанды облысының әкімі»: the tagger learnt such a phrase as a title, but its region is a place."""
    text = found.text
    for line_start, line_end in _lines_with(text, "облысы"):  # a match stays within a line: the others need no scan
        for match in _REGION.finditer(text, line_start, line_end):
            start, end = match.span()
            words = match.group().split()
            if found.free(start, end) and _starts_word(text, start) and not any(_not_name(w) for w in words[:-1]):
                found.add(" ".join([*words[:-1], without_case(words[-1])]), "place", start, end)


def _lines_with(text: str, word: str) -> Iterator[tuple[int, int]]:
    """[start, end) of each line of the text that has `word` in it, in order, without its line break."""
    at = text.find(word)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        yield start, end
        at = text.find(word, end)


def _add_single_words(found: _Collector) -> None:
    """One pass over the capitalised words the tagger left: a surname alone, in any case form, is the person
    named in full elsewhere in the text («Тоқаевтың айтуынша» after «Қасым-Жомарт Тоқаев»); a place of the
    hand-made list (lexicon.PLACES) counts when a case ending other than the genitive shows it stands alone
    (Кавказға барды) — bare or genitive, a place is often part of a longer name the tagger rightly left alone
    (Қостанай әуежайы, Қазақстанның Ресейдегі елшісі)."""
    people = {e.key.split()[-1]: e for (_, kind), e in found.found.items() if kind == "person" and " " in e.key}
    for match in _CAPITALISED.finditer(found.text):
        surname, place = _SINGLE_WORDS[match[0]]
        person = people.get(surname)
        if person is None and not place:  # most capitalised words: nothing to add, whatever their place
            continue
        start, end = match.span()
        if not found.free(start, end) or not _starts_word(found.text, start):
            continue
        if person is not None:
            person.spans.append((start, end))
            found.take(start, end)
        elif place:
            found.add(place, "place", start, end)


def _single_word(word: str) -> tuple[str, str | None]:
    """A capitalised word as a surname (nominative, case-folded) and as a known place standing alone."""
    base = without_case(word)
    place = _KNOWN_PLACE_NAMES.get(base.casefold())
    alone = base != word and word[len(base) :].casefold() not in GENITIVE
    return name_nominative(word).casefold(), place if alone else None


_SINGLE_WORDS = WordCache(_single_word, 65536)


def _not_name(word: str) -> bool:
    return word.casefold() in _NOT_NAMES or is_common_word(word)


def _starts_word(text: str, position: int) -> bool:
    return position == 0 or not (text[position - 1].isalnum() or text[position - 1] in "-«")


def _blocked_zones(text: str) -> list[tuple[int, int]]:
    """Datelines and site credits: what they name is the newsroom, not the news."""
    # a match at the break before text[k] in "\n" + text is at k in text, one character shorter
    zones = [(match.start(), match.end() - 1) for match in _DATELINE_AFTER_BREAK.finditer("\n" + text)]
    for match in _DOMAIN.finditer(text):
        start = match.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-"):
            start -= 1
        zones.append((start, match.end()))
    return zones + _credits(text)


def _credits(text: str) -> list[tuple[int, int]]:
    """Where `_CREDIT` matches, as its finditer would find them, but tried only where a credit can start: at х
    or Х, the only letters that match its first ignoring case (a search tries a pattern that ignores case at
    every character)."""
    return [match.span() for match in matches_at(_CREDIT, text, positions_of(text, "хХ"))]


def _title_case(word: str) -> str:
    """АСТАНА → Астана, ҚАСЫМ-ЖОМАРТ → Қасым-Жомарт; short abbreviations (АҚШ, БҰҰ) stay."""
    if word.isupper() and len(word) >= 5:
        return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
    return word


def _tidy(text: str, span: NameSpan) -> NameSpan | None:
    """A tagged span without what cannot end a name, and as a person where it reads as one: an organisation
    or place does not end in a lower-case word other than its head noun («Олжас Бектенов орталық және»), a
    person not in a lone initial; an "organisation" of one or two capitalised words ending as a surname
    (Аманжол Нұртазин) is a person; a name of one letter is none. The words of the span it returns are the
    whitespace-separated pieces of its text."""
    piece = text[span.start : span.end].rstrip()
    words = piece.split()
    if span.kind != "person":
        while len(words) > 1 and words[-1][0].islower() and not _closes_name(words[-1]):
            piece = piece[: len(piece) - len(words.pop())].rstrip()
    elif len(words) > 1 and len(words[-1]) == 1:
        piece = piece[: len(piece) - len(words.pop())].rstrip()
    if not words or not _two_letters(piece, words[0]):
        return None
    kind = span.kind
    if kind == "place" and len(words) == 1 and _opens_sentence(text, span.start):
        alone = without_case(words[0])
        if alone and is_common_word(alone) and fold(alone) not in _KNOWN_PLACES:
            return None  # «Орталық», «Шығыс» alone: a common word that opened a line, not a name
    if kind == "org" and len(words) <= 2 and all(w[0].isupper() and not w.isupper() for w in words):
        kind = "person" if is_surname_like(name_nominative(words[-1])) else kind
    return NameSpan(span.start, span.start + len(piece), kind, tuple(words))


def _two_letters(piece: str, first: str) -> bool:
    """Has the piece of text at least two letters? Most names say so in their first word already."""
    return (len(first) >= 2 and first.isalpha()) or sum(map(str.isalpha, piece)) >= 2


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].rstrip(' «"–—-')
    return (not before and start < 12) or (bool(before) and before[-1] in ".!?…:\n")


def _closes_name(word: str) -> bool:
    """A head noun (банк, одақ, облысы, министрлігінің); one that also reads as an adjective (орталық,
    ұлттық) only in its possessive form (орталығы)."""
    base = without_case(word).casefold()
    return is_name_head(word) and (base.endswith(("ы", "і")) or not base.endswith(_ADJECTIVE_ENDINGS))


def _normal_name(text: str, span: NameSpan) -> tuple[str, EntityKind, int]:
    """The nominative name of a tidied span (`_tidy`), its kind and where its mention ends: only the last word of a
    Kazakh noun phrase takes endings; a quoted name before a head noun is that organisation («AMANAT»
    партиясы); a place before «әкімдігі» is part of that institution's name."""
    words = list(map(_title_case, span.words))
    if not words or not (words[-1].isalpha() or any(map(str.isalpha, words[-1]))):
        return "", span.kind, span.end
    if span.kind == "person":
        return " ".join([*words[:-1], name_nominative(words[-1])]), "person", span.end
    if span.start and text[span.start - 1] == "«" and (after := _AFTER_QUOTE.match(text, span.end)):
        return _org_with_head(text[span.start : span.end], after["head"]), "org", span.end
    institution = _INSTITUTION.match(text, span.end) if span.kind == "place" else None
    if institution:
        head = institution.group().split()[-1]
        return " ".join([*words[:-1], without_case(words[-1]), without_case(head)]), "org", institution.end()
    if len(words) == 1:  # Мәжілісі, Парламентінің: a name of one word keeps no possessive either
        stem = lemma(words[0])
        if len(stem) >= 3 and words[0].casefold().startswith(stem):
            return words[0][: len(stem)], span.kind, span.end
    return " ".join([*words[:-1], without_case(words[-1])]), span.kind, span.end


def _org_with_head(name: str, head: str) -> str:
    """«Бейбітшілік және келісім» қайырымдылық қоры: the quoted name, then its head words in the nominative."""
    words = head.split()
    last = without_case(words[-1])
    if last.casefold() in LEGAL_FORMS:
        last = last.upper()
    return " ".join([f"«{' '.join(name.split())}»", *words[:-1], last])


def _merge_people(found: dict[tuple[str, EntityKind], _Found]) -> None:
    """«Қ. Тоқаев» or «Тоқаев» and «Қасым-Жомарт Тоқаев» in one text are one person."""
    full: dict[str, _Found] = {}
    for (key, kind), entry in found.items():
        if kind == "person" and " " in key and "." not in key:  # two words or more
            full.setdefault(key.rsplit(maxsplit=1)[-1], entry)
    targets = {id(entry) for entry in full.values()}
    for (key, kind), entry in list(found.items()):
        if kind != "person" or id(entry) in targets:
            continue
        words = key.replace(".", ". ").split()
        target = full.get(words[-1]) if words else None
        if target is not None and (len(words) == 1 or words[0][0] == target.key[0]):
            target.spans.extend(entry.spans)
            del found[(key, kind)]


_KNOWN_PLACES = frozenset(fold(p) for p in PLACES)
_KNOWN_PLACE_NAMES = {fold(p): p for p in PLACES if " " not in p}
_PLACE_HEAD_WORDS = frozenset(PLACE_HEADS)
_FIXED_ORG_KEYS = frozenset(fold(o) for o in FIXED_ORGS)


def hashtag_worthy(name: str, kind: str, mentions: int) -> bool:
    """Is the analysis sure enough of this entity to put it on a channel post as a hashtag?

    A person named in full (given name and surname, no initials); a known place, a place with its head noun
    (Алматы облысы) or one named twice; an organisation known by name, quoted («AMANAT» партиясы) or named
    twice, in at most three words. Long descriptive names (Шығыс өңіріндегі мемлекеттік тұрғын үй қоры) never.
    """
    words = name.split()
    if not words or len(words) > 4 or not all(w[:1].isupper() or w[:1] == "«" for w in words[:1]):
        return False
    if kind == "person":
        return len(words) >= 2 and "." not in name and all(w[:1].isupper() for w in words)
    if kind == "place":
        has_head = len(words) >= 2 and words[-1] in _PLACE_HEAD_WORDS
        proper = all(w[:1].isupper() for w in (words[:-1] if has_head else words))
        return proper and (fold(name) in _KNOWN_PLACES or has_head or mentions >= 2)
    if name.startswith("«"):
        return True
    short = len(words) <= 3
    return short and (fold(name) in _FIXED_ORG_KEYS or mentions >= 2 or (len(words) == 1 and name.isupper()))
