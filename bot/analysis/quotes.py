"""Direct quotes, their speakers and roles, in Kazakh news text.

Kazakh news attributes a quote after it: «…», – деді ROLE NAME. / «…», – деп атап өтті … / «…» деп
мәлім етті …; before it: NAME: «…»; or, for indirect speech, NAME-ның айтуынша, …. A pronoun
(– деді ол) or a bare role (– деді аудан басшысы) points back to the person the text last introduced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.analysis.lexicon import ORG_HEADS
from bot.analysis.names import PersonMention, find_people, role_before
from bot.records import Quote, QuoteKind

_SAY = r"(?:деді|дейді|депті|деседі|деген(?:\s+еді)?)"
_DEP_VERBS = (
    r"(?:атап\s+өт|атап\s+көрсет|мәлім\s+ет|мәлімде|жаз|хабарла|түсіндір|сендір|қос|айт|толықтыр|түйінде|"
    r"қорытындыла|сұра|жауап\s+(?:бер|қайтар)|есепте|сана|ойла|пікір\s+білдір|білдір|ескерт|үнде|шақыр|"
    r"тапсыр|мойында|бөліс|сипатта|баға\s+бер|жауап|қағыт|тұжырымдады|пайымда|тұжырымда|нақтыла|мақтан|уәде\s+бер|кеңес\s+бер|"
    r"сөзін\s+\w+|қуан|алаңда|таңдан|күлді|жалғастыр|еске\s+сал|сөзін|атады|дәлелде|баса\s+(?:айт|назар))\w*"
)
# After «деп» up to six words may stand before the verb (– деп Name атап өтті).
_DEP = rf"деп(?:\s+[^\s.!?]+){{0,6}}?\s+{_DEP_VERBS}"
_ATTRIBUTION_AFTER_DASH = re.compile(rf"^\s*,?\s*[–—-]\s*(?P<verb>{_SAY}|{_DEP})(?=[\s.,!?]|$)")
_ATTRIBUTION_AFTER_MARK = re.compile(rf"^\s*,?\s*(?P<verb>{_SAY}|{_DEP})(?=[\s.,!?]|$)")
_DASH_ATTRIBUTION_IN_LINE = re.compile(rf"(?<=[,.!?…])\s*[–—-]\s*(?P<verb>{_SAY}|{_DEP})(?=[\s.,!?]|$)")
_NEWS_CREDIT = re.compile(
    r"(?i)\.kz\b|\.ru\b|\.com\b|тілшісі|ақпарат\s+агенттігі|kazinform|sputnik|aikyn|айқын|хабар\s+24|"
    r"baq|tengrinews|orda|zakon|inform\.kz|редакцияға"
)
_INDIRECT = re.compile(r"(?:ның|нің|дың|дің|тың|тің)\s+(?:айтуынша|сөзінше|пікірінше)\s*,\s*")
_AUXILIARY = re.compile(r"^(?:қалды|жіберді|отырды|тұрды|кетті|салды|берді|алды|өтті|шықты)(?=[\s.,!?]|$)")
_PRONOUNS = re.compile(r"(?i)^(?:ол|олар|ол\s+өз|ол\s+кісі)\b")
_OPEN_TO_CLOSE = {"«": "»", "“": "”", "„": "“"}
_CLOSERS = "»”"
_ORG_TAIL = re.compile(r"(?i)(" + "|".join(h for h in ORG_HEADS if len(h) > 3) + r")\b")


_Add = Callable[[int, int, Quote], None]


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int


_MARKS = re.compile("[«»“”„]")


def _match_openers(text: str) -> dict[int, int | None]:
    """For each closing mark, the position of its opening mark (None when the opener is missing)."""
    pairs: dict[int, int | None] = {}
    stacks: dict[str, list[int]] = {"»": [], "”": []}
    for match in _MARKS.finditer(text):
        i, ch = match.start(), match.group()
        if ch == "«":
            stacks["»"].append(i)
        elif (ch == "“" and not (stacks["”"] and text[stacks["”"][-1]] == "„")) or ch == "„":
            stacks["”"].append(i)
        else:
            stack = stacks[ch]
            pairs[i] = stack.pop() if stack else None
    return pairs


def _straight_pairs(text: str) -> dict[int, int]:
    """Straight double quotes paired within each paragraph."""
    pairs = {}
    for paragraph in re.finditer(r"[^\n]+", text):
        positions = [paragraph.start() + m.start() for m in re.finditer('"', paragraph[0])]
        for a, b in zip(positions[::2], positions[1::2], strict=False):
            pairs[b] = a
    return pairs


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


_CLAUSE_END = re.compile(r"(?<![A-ZА-ЯӘҒҚҢӨҰҮҺІ])[.!?](?=\s|$)|\n")


def _sentence_end(text: str, pos: int) -> int:
    """End of the attribution clause that starts at `pos`: the next full stop, line break or quote."""
    match = _CLAUSE_END.search(text, pos)
    return match.start() if match else len(text)


def _clean_quote(text: str) -> str:
    text = text.strip()
    text = re.sub(r"^[–—-]\s*", "", text)
    return text.strip().rstrip(",").strip()


class _Resolver:
    """Finds who the text had last introduced before a position (for «– деді ол»)."""

    def __init__(self, text: str, quoted: list[_Span], people: list[PersonMention] | None = None) -> None:
        self.text = text
        self.people = [
            m
            for m in (find_people(text, strict=False) if people is None else people)
            if not any(s.start <= m.start < s.end for s in quoted)
            and not text[m.end : m.end + 12].lstrip().startswith("атында")  # Ғ.Мүсірепов атындағы театр
        ]
        self.full_names = {m.surname.casefold(): m.name for m in self.people if " " in m.name and "." not in m.name}

    def last_before(self, pos: int) -> PersonMention | None:
        candidates = [m for m in self.people if m.end <= pos]
        return candidates[-1] if candidates else None

    def full_name(self, mention: PersonMention) -> str:
        """Expand «Қ. Тоқаев» or «Қалиев» to the full name the text gives elsewhere."""
        return self.full_names.get(mention.surname.casefold(), mention.name)

    def role_of(self, mention: PersonMention) -> str:
        return role_before(self.text, mention.start)

    def by_role(self, phrase: str, pos: int) -> PersonMention | None:
        """The person the text gave this role (министр, ақын, аудан басшысы …): the nearest before `pos`,
        else the nearest after; None when no one carries it."""
        stems = [w[:5].casefold() for w in re.findall(r"[^\W\d_]{3,}", phrase)]
        if not stems:
            return None
        carriers = []
        for mention in self.people:
            role = self.role_of(mention).casefold()
            if role and all(stem in role for stem in stems[-1:]):
                carriers.append(mention)
        before = [m for m in carriers if m.end <= pos]
        after = [m for m in carriers if m.start > pos]
        return before[-1] if before else (after[0] if after else None)


def _speaker_from_tail(
    tail: str, verb: str, resolver: _Resolver, tail_start: int, quote_start: int
) -> tuple[str | None, str]:
    """Speaker and role from the words after «деді» / inside «деп … атап өтті».

    A name in the nominative is the speaker; a name in another case (the dative «Фархадқа») is whom the words
    were addressed to. A pronoun (ол) points to the last person introduced; a role noun (министр, ақын) to the
    person the text gave that role, else to the last person introduced; «-мыз» (редакциямыз) is the outlet.
    """
    between = re.sub(r"^деп\s*", "", verb)
    between = re.sub(_DEP_VERBS + "$", "", between).strip()
    # an auxiliary after the verb (деп қағытып қалды, деп айтып берді) belongs to the verb, not the speaker
    words_after = _AUXILIARY.sub("", tail.strip(" ,")).strip(" ,")
    if _PRONOUNS.match(words_after) or (between and _PRONOUNS.match(between)):
        person = resolver.last_before(quote_start)
        if person is None:
            return None, ""
        return resolver.full_name(person), resolver.role_of(person)
    for zone, offset in ((between, None), (words_after, tail_start)):
        if not zone:
            continue
        people = [m for m in find_people(zone, strict=False) if m.is_nominative]
        if people:
            person = people[0]
            role = zone[: person.start].strip(" ,–—-") if offset is not None else ""
            role = re.sub(r"(?i)^(ол|өз\s+сөзінде)\s+", "", role)
            return resolver.full_name(person), role
        single = re.search(
            r"(?<![\w.])(?:[А-ЯӘҒҚҢӨҰҮҺІ]\.\s?)?([А-ЯӘҒҚҢӨҰҮҺІ][а-яәғқңөұүһі]+(?:ов|ев|ова|ева|ин|ина|ұлы|қызы))(?![\w])",
            zone,
        )
        if single:
            surname = single.group(1)
            full = resolver.full_names.get(surname.casefold(), surname)
            return full, zone[: single.start()].strip(" ,") if offset is not None else ""
    phrase = re.split(r"\s+(?:өз\s+\w+(?:нде|нда|де|да)|брифингте|жиында|отырыста|сұхбатында)\b", words_after)[0]
    phrase = phrase.strip(" ,")
    addressees = find_people(phrase, strict=False)
    if addressees:  # only an addressee (dative) was named: a role before it, else whoever was introduced last
        addressee = addressees[0].surname.casefold()
        role_words = phrase[: addressees[0].start].strip()
        person = resolver.by_role(role_words, quote_start) if role_words else None
        if person is None:
            earlier = [m for m in resolver.people if m.end <= quote_start and m.surname.casefold() != addressee]
            person = earlier[-1] if earlier else None
        return (resolver.full_name(person), resolver.role_of(person)) if person else (None, "")
    if not phrase:
        return None, ""
    words = phrase.split()
    if re.search(r"(мыз|міз)$", words[0]):
        return words[0], ""
    if _ORG_TAIL.search(phrase) and len(words) <= 8:
        return phrase, ""
    if len(words) <= 5:
        person = resolver.by_role(" ".join(words[:3]), quote_start) or resolver.last_before(quote_start)
        if person is not None:
            return resolver.full_name(person), resolver.role_of(person) or phrase
    return None, phrase if len(words) <= 8 else ""


def _speaker_before(text: str, open_: int, resolver: _Resolver) -> tuple[str | None, str]:
    """When «деп сұрады» names no one: the speaker stands before the quote in its sentence
    («Бірде Мұзағам: «…» – деп сұрады», «Айтыскердің бұл сөзіне журналист "…" деп қағытты»)."""
    sentence_start = max(text.rfind(". ", 0, open_), text.rfind("\n", 0, open_)) + 1
    before = text[sentence_start:open_].strip(" :,–—-")
    if not before:
        return None, ""
    people = [m for m in find_people(before, strict=False) if m.is_nominative]
    if people and not before[people[-1].end :].strip(" :"):
        return resolver.full_name(people[-1]), role_before(before, people[-1].start)
    last = before.split()[-1]
    person = resolver.by_role(last, open_)
    if person is not None:
        return resolver.full_name(person), resolver.role_of(person)
    return (last, "") if last[:1].isupper() and len(last) > 2 else (None, "")


def _speaker_of_degen(text: str, open_: int, tail: str, resolver: _Resolver) -> tuple[str | None, str]:
    """«…» деген (“the words …”): said by a person named just before in the genitive (Асқар Маминнің «…»
    деген мәлімдемесі) or by the noun that owns «сөзі» after it («…» деген тілші сөзіне)."""
    before = text[max(0, open_ - 80) : open_]
    people = find_people(before, strict=False)
    if people and not before[people[-1].end :].strip():
        person = people[-1]
        return resolver.full_name(person), role_before(before, person.start)
    owner = re.match(r"\s*([^\W\d_]+)\s+сөз", tail)
    return (owner.group(1), "") if owner else (None, "")


def extract_quotes(body: str, people: list[PersonMention] | None = None) -> list[Quote]:
    """Quotes of a body whose paragraphs are separated by line breaks, in text order; `people` are the body's
    names (find_people(body, strict=False)) when the caller has them already."""
    text = body
    openers = _match_openers(text)
    openers.update(_straight_pairs(text))
    found: list[tuple[int, int, Quote]] = []
    quoted = [_Span(o, c) for c, o in openers.items() if o is not None]
    resolver = _Resolver(text, quoted, people)
    claimed: list[_Span] = []

    def add(start: int, end: int, quote: Quote) -> None:
        if any(s.start < end and start < s.end for s in claimed) or len(quote.text) < 3:
            return
        claimed.append(_Span(start, end))
        found.append((start, end, quote))

    for close, open_ in sorted(openers.items()):
        after = text[close + 1 : close + 1 + 300]
        match = _ATTRIBUTION_AFTER_DASH.match(after) or _ATTRIBUTION_AFTER_MARK.match(after)
        if not match:
            continue
        if open_ is None:
            line = _line_start(text, close)
            colon = text.rfind(": ", line, close)
            # «AMANAT» партиясының …», – деді: the opening mark merged with a nested quote's opener
            open_ = colon + 1 if colon != -1 and text[line] not in "«“" else line - 1
        tail_start = close + 1 + match.end()
        tail = text[tail_start : _sentence_end(text, tail_start)]
        if _NEWS_CREDIT.search(tail):
            continue
        if match["verb"].startswith("деген"):
            speaker, role = _speaker_of_degen(text, open_, tail, resolver)
        else:
            speaker, role = _speaker_from_tail(tail, match["verb"], resolver, tail_start, open_ + 1)
            if speaker is None and not role:
                speaker, role = _speaker_before(text, open_, resolver)
        if speaker is None and not role:
            continue  # «…» деген with no one saying it: a saying, a title, a thought — not a quote
        add(open_, tail_start, Quote(_clean_quote(text[open_ + 1 : close]), speaker, role, "direct"))

    for text_line in re.finditer(r"[^\n]+", text):
        for dash in _DASH_ATTRIBUTION_IN_LINE.finditer(text_line[0]):
            end = text_line.start() + dash.start()
            if text[end - 1] in _CLOSERS + '"' or any(s.start <= end <= s.end for s in claimed):
                continue
            start = text_line.start()
            tail_start = text_line.start() + dash.end()
            tail = text[tail_start : _sentence_end(text, tail_start)]
            if _NEWS_CREDIT.search(tail):
                continue
            speaker, role = _speaker_from_tail(tail, dash["verb"], resolver, tail_start, start)
            add(start, tail_start, Quote(_clean_quote(text[start:end]), speaker, role, "direct"))
            break

    _add_speaker_led(text, openers, resolver, add)
    _add_indirect(text, resolver, add)
    found.sort(key=lambda item: item[0])
    return [quote for _, _, quote in found]


_SPEAKER_HEADER = re.compile(r"^(?P<who>[^\n:«»]{4,160}?)\s*:\s*(?P<dash>[–—-]\s*)?(?P<rest>[^\n]*)$", re.MULTILINE)


def _add_speaker_led(text: str, openers: dict[int, int | None], resolver: _Resolver, add: _Add) -> None:
    """Quotes led by their speaker: «Name, role:» headers (TV captions, transcripts) and «Name: «…»»."""
    for match in _SPEAKER_HEADER.finditer(text):
        who = match["who"]
        people = find_people(who, strict=False)
        if not people or people[0].start > 2:
            continue
        person = people[0]
        role = who[person.end :].strip(" ,–—-")
        if len(who.split()) > 14:
            continue
        rest = match["rest"].strip()
        if rest:
            start = match.start("rest")
            end = match.end("rest")
        else:
            nxt = re.compile(r"[^\n]+").search(text, match.end())
            if not nxt:
                continue
            start, end = nxt.start(), nxt.end()
        body = text[start:end].strip()
        if body[:1] in '«“"':
            close = next(
                (c for c, o in openers.items() if o == start + (len(text[start:end]) - len(text[start:end].lstrip()))),
                None,
            )
            if close is None:
                continue
            body = text[start:close].strip()[1:]
            kind: QuoteKind = "direct"
        else:
            kind = "dialogue"
        if not re.search(r"[.!?…»]$", body.rstrip()):
            continue
        add(start, end, Quote(_clean_quote(body), resolver.full_name(person), role, kind))


def _add_indirect(text: str, resolver: _Resolver, add: _Add) -> None:
    """Reported speech: «Руслан Абдуllinнің айтуынша, …» — the clause after it, kind «indirect»."""
    for match in _INDIRECT.finditer(text):
        begin = max(text.rfind(".", 0, match.start()), text.rfind("\n", 0, match.start()), match.start() - 200) + 1
        who = text[begin : match.start() + 4]
        people = find_people(who, strict=False)
        if not people:
            continue
        person = people[-1]
        clause_end = _sentence_end(text, match.end())
        clause = text[match.end() : clause_end].strip()
        if not clause:
            continue
        role = role_before(text, begin + person.start)
        add(match.end(), clause_end, Quote(clause, resolver.full_name(person), role, "indirect"))
