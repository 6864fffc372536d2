"""Direct quotes, their speakers and how each speaker was found, in Kazakh news text.

The constructions of Kazakh reported speech, each a rule below:
- after the quote: «…», – деді ROLE NAME. / «…» деп атап өтті NAME / "…" деп NAME жауап берді / – …, – дейді ол;
- before it: NAME: «…» / NAME былай деп жазады: «…» / NAME «…» деп сұрады;
- around it: – …, – деді NAME. – … (the words after the attribution are the same speaker's);
- unmarked and dash-led paragraphs that end in «, – деді NAME», also over several paragraphs;
- «Name, role:» lines (TV soundbites, transcripts) and «Name: statement» headlines;
- interviews: unattributed dash paragraphs, questions by the journalist and answers by the person interviewed;
- documents and organisations: «…», – делінген Президенттің жарлығында / хабарламада (the organisation named
  before), – деді СІМ баспасөз қызметі;
- quotes inside quotes, each with its own speaker; «деп ойлайды» (a thought) is not speech, and «X-тың
  айтуынша, …» is indirect speech.
Each Quote says how its speaker was found (`speaker_source`), so callers can use only the certain ones.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace
from functools import cached_property
from typing import NamedTuple

from bot.analysis.lexicon import ROLE_WORDS
from bot.analysis.morphology import name_nominative
from bot.analysis.names import PersonMention, find_people
from bot.analysis.quote_marks import MarkedSpan, pair_marks
from bot.analysis.speakers import (
    People,
    Speaker,
    clean_zone,
    group_phrase,
    is_group,
    is_organisation,
    looks_like_role,
    nominative_phrase,
)
from bot.analysis.text_scan import matches_at, positions_of
from bot.records import Quote, QuoteKind

_SAY = (
    r"(?:деді(?:м|к|ңіз)?|дейді|деймін|дейміз|депсіз|дейсіз|дегенсіз|депті|деседі|десті|дейтін(?:\s+еді)?"
    r"|деп\s+еді|деген(?:\s+еді)?|делінген|делінеді|делінді)"
)
# «деп» + a verb of saying; «деп ойлайды» (thinks) is not among them on purpose.
_DEP_VERBS = (
    r"(?:атап\s+өт|атап\s+көрсет|мәлім\s+ет|мәлімде|жаз|хабарла|түсіндір|сендір|қос|айт|толықтыр|түйінде|"
    r"қорытындыла|сұра|жауап\s+(?:бер|қайтар)|есепте|сана|пікір\s+білдір|білдір|ескерт|үнде|шақыр|"
    r"тапсыр|мойында|бөліс|сипатта|баға\s+бер|жауап|қағыт|тұжырымда|пайымда|нақтыла|мақтан|уәде\s+бер|"
    r"кеңес\s+бер|жырла|әңгімесін\s+\w+|өсиет\s+ет|сөзін\s+\w+|қуан|алаңда|таңдан|күлді|жалғастыр|еске\s+сал|атады|дәлелде|"
    r"баса\s+(?:айт|назар)|шағымдан|ұсын|талап\s+ет|өтін|мақұлда|жеткіз|айыпта|әзілде)[а-яәғқңөұүһі]*"
)
_DEP = rf"деп(?P<mid>(?:\s+[^\s.!?«»\"“”]+){{0,6}}?)\s+{_DEP_VERBS}"
# «деп нақтыланады», «деп айыпталды»: a passive names no speaker, so it is not reported speech
_PASSIVE = re.compile(
    r"^деп.*\s(?:нақтылан|айыптал|жазыл|айтыл|атал|тапсырыл|ұсыныл|сана|есептел|мәлімделд|хабарланд|шақырыл|"
    r"білдіріл|ескертіл|көрсетіл|қосыл|сипаттал|жеткізіл|таныл|бағалан|мақұлдан|түсіндіріл|дәлелден)[а-яәғқңөұүһі]*$"
)


def _news_credit(tail: str) -> bool:
    """Does `tail` name a news source (_NEWS_CREDIT)? Every character the regex takes for one of its letters
    case-folds to that letter, except the dotless ı and the İ (folded to i and a combining dot), which it takes
    for «i»: so the words are in the folded text, with those mended, wherever the regex finds them."""
    folded = fold_like_news_credit(tail)
    return _NEWS_CREDIT_FOLDED.search(folded) is not None and _NEWS_CREDIT.search(tail) is not None


def fold_like_news_credit(text: str) -> str:
    return text.casefold().replace("ı", "i").replace("\u0307", "")


def _not_speech(verb: str) -> bool:
    return bool(_PASSIVE.match(verb)) and not _DOCUMENT.match(verb)


_VERB = rf"(?P<verb>{_SAY}|{_DEP})(?=[\s.,!?:;)…»”“\"]|$)"
_AFTER_MARK = re.compile(rf"[\s,.]{{0,4}}(?:[–—−-]\s*)?{_VERB}")
_AFTER_UNMARKED = re.compile(rf"(?P<punct>[,.!?…])?[ \t]*[–—−-][ \t]*{_VERB}")
_DASH_VERB = re.compile(rf"[–—−-][ \t]*{_VERB}")
_NEWS_CREDIT = re.compile(
    r"(?i)\.kz\b|\.ru\b|\.com\b|тілшісі|ақпарат(?:тық)?\s+агенттігі|kazinform|sputnik|aikyn|айқын|хабар\s+24|"
    r"baq|tengrinews|orda|zakon|inform|редакцияға|сайты|порталы|басылымы"
)
# The same words without «\b», case-sensitive, for the text case-folded as _news_credit folds it: a regex that
# ignores case tries each word at every character slowly, so this one rules most texts out first.
_NEWS_CREDIT_FOLDED = re.compile(
    r"\.kz|\.ru|\.com|тілшісі|ақпарат(?:тық)?\s+агенттігі|kazinform|sputnik|aikyn|айқын|хабар\s+24|"
    r"baq|tengrinews|orda|zakon|inform|редакцияға|сайты|порталы|басылымы"
)
# a stop (not after a capital: an initial), a line break, a dash after a word, a dash between spaces
_CLAUSE_END = re.compile(r"[.!?…](?<![A-ZА-ЯӘҒҚҢӨҰҮҺІ][.!?…])(?=\s|$)|\n|[–—−-](?<=\w[–—−-])(?=\s)|\s[–—](?=\s)")
# the characters _CLAUSE_END needs: scanned for alone (fast), the whole pattern tried only where one stands
_CLAUSE_MARK = re.compile(r"[.!?…\n–—−-]")
_DOCUMENT = re.compile(r"(?:делінген|делінеді|делінді|деп\s+жазылған)")
_AUXILIARY = re.compile(r"\s+(?:болатын|болған|болды|болатұғын|еді|екен|жатыр|отыр|тұр|жүр)(?![\w-])")
_FIRST_PERSON = re.compile(r"(?:деді[мк]|деймін|дейміз)$")
_SECOND_PERSON = re.compile(r"(?:дедіңіз|депсіз|дейсіз|дегенсіз)$")
# keyword first, so the engine skips ahead; the genitive before it is checked in Python
_INDIRECT = re.compile(r"(?:айтуынша|сөзінше|пікірінше|сөзіне\s+қарағанда)\s*,\s*")
_INDIRECT_WORDS = ("айтуынша", "сөзінше", "пікірінше", "сөзіне")  # where _INDIRECT can start
_GENITIVE_BEFORE = re.compile(r"(?:ның|нің|дың|дің|тың|тің)\s+$")
_LINE = re.compile(r"[^\n]+")
_SENTENCE_BREAK = re.compile(r"[.!?…][ \t]+[А-ЯӘҒҚҢӨҰҮҺІA-Z«]")
_WORD = re.compile(r"[^\W\d_]+")
# an «i» after or before a Cyrillic letter (starting with the letter itself lets the engine skip ahead fast)
_LATIN_I = re.compile(r"i(?:(?<=[а-яәғқңөұүһіА-ЯӘҒҚҢӨҰҮҺІ]i)|(?=[а-яәғқңөұүһі]))")
_DASH_LINE = re.compile(r"^[ \t]*[–—─−-][ \t]*(?=\S)")
# the same at a given position (a «^» would only match at the start of the whole text)
_DASH_AT = re.compile(r"[ \t]*[–—─−-][ \t]*(?=\S)")
_TERMINAL = '.!?…»"”'
_TRAILING_SAY = re.compile(r",?[ \t]+(?:дейді|деді|деседі)$")
_TRAILING_SAY_ENDS = ("дейді", "деді", "деседі", "дейді\n", "деді\n", "деседі\n")
_DASH_AFTER = re.compile(r"[,.]?[ \t]*[–—−-][ \t]*(?=\w)")
# a line with an opening mark never closed, ending in «дейді.»
_UNCLOSED_LINE = re.compile(r"[«“](?P<q>[^«»“”\"\n]{20,}?),?[ \t]+(?:дейді|деді|деседі)\.[ \t]*$", re.MULTILINE)
# «…» (өткізу) екенін / керектігін / дегенін: a quote as the object of a verb of saying
_COMPLEMENT = re.compile(
    r"(?:[ \t]+[^\s.!?«»,:;]+){0,2}?[ \t]+(?:екен|екенд|деген|керект|қажетт)[а-яәғқңөұүһі]*(?:н|ін|ын)(?![\w-])"
)
_SAYING_AT_END = re.compile(
    r"(?:мәлімде|мәлім\s+ет|атап\s+өт|атап\s+көрсет|айт|жаз|ескерт|хабарла|түсіндір|жеткіз|мойында|раста|сендір)"
    r"(?:ты|ті|ды|ді|ады|еді|йды|йді|ған|ген|қан|кен)[\s»\"”]*$"
)
_DEP_AFTER = re.compile(r"[ \t]*[,]?[ \t]*(?:[–—−-][ \t]*)?деп\s")
_QUESTION_NOUN = re.compile(
    r"\s*(?:сұра[қғ]|сауал)(?P<case>[а-яәғқңөұүһі]*(?:ға|ге|қа|ке|на|не))?[а-яәғқңөұүһі]*"
    r"(?P<put>\s+(?:қой|жолда|берді|берген))?"
)
_ASKERS = re.compile(r"(?i)(?<![\w-])(?P<stem>журналист|тілші)(?P<plural>тер|лер|ер)?[а-яәғқңөұүһі]*")
_HONORIFICS = {"апа", "аға", "ағаң", "ағай", "апай", "ата", "әже", "ханым", "мырза", "әпке", "жеңге", "қажы"}
_NOT_NAMES = {
    "бірде",
    "кейде",
    "сонда",
    "содан",
    "кейін",
    "бүгін",
    "кеше",
    "ертең",
    "биыл",
    "енді",
    "тіпті",
    "алайда",
    "бірақ",
}
_OBLIQUE_PRONOUN = {"маған", "оған", "бізге", "сізге", "одан", "олардан", "бұдан", "менен", "болса", "да", "де"}
_SPEECH_BEFORE_COLON = re.compile(
    r"(?i)(?:деді|дейді|деп\s+\w+|айтты|айтқан|мәлімдеді|былай|сөзінде|өлеңінде|жазады|жазған|жолдауында|"
    r"естелігінде|жазбасында|үндеуінде|хатында|сұхбатында)[^:]{0,40}$"
)


class _Candidate(NamedTuple):
    start: int
    end: int
    rank: int
    quote: Quote


class _Finder:
    """The state shared by the rules: the text, its paired quote marks and its people."""

    def __init__(self, text: str, people: list[PersonMention] | None) -> None:
        self.original = text
        # Some pages type a Latin «i» for the Kazakh «і»; one character for one, so positions hold.
        self.text = _LATIN_I.sub("і", text) if "i" in text else text
        self.spans = pair_marks(text)
        quoted = sorted((s.start, s.close) for s in self.spans if s.open is not None)
        if people is None or self.text != text:
            people = find_people(self.text, strict=False)
        self.people = People(self.text, people, quoted)
        self.found: list[_Candidate] = []
        # line breaks, and where attributed quotes end, looked up by bisection so hostile texts stay linear
        self.newlines = positions_of(self.text, "\n")
        self.spoken: list[tuple[int, Speaker]] = []
        self.unmarked_ends: list[int] = []
        self.by_opener = {s.open: s for s in self.spans if s.open is not None}
        self.header_speakers: dict[tuple[int, int], Speaker | None] = {}

    def line_start(self, pos: int) -> int:
        """Start of the line holding `pos`."""
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i - 1] + 1 if i else 0

    def line_end(self, pos: int) -> int:
        """End of the line holding `pos` (its line break, or the text's end)."""
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i] if i < len(self.newlines) else len(self.text)

    def add(self, start: int, end: int, rank: int, speaker: Speaker | None, kind: QuoteKind) -> None:
        if speaker is None or not (speaker.name or speaker.source == "nested"):
            return
        words = _clean_quote(self.original[start:end])
        # one quoted word («Алла» деп еді) is a word being cited or a name, not speech
        first = _WORD.search(words)
        if first is None or _WORD.search(words, first.end()) is None:
            return
        quote = Quote(words, speaker.name, speaker.role, kind, speaker.source)
        self.found.append(_Candidate(start, end, rank, quote))
        if speaker.name and speaker.source not in ("group", "nested"):
            bisect.insort(self.spoken, (end, Speaker(speaker.name, speaker.role, "role_noun")), key=lambda x: x[0])
        if rank in (2, 3):
            bisect.insort(self.unmarked_ends, self.clause_end(end) + 1)

    @cached_property
    def header_lines(self) -> list[re.Match[str]]:
        """«Name, role:» at a line start or after a sentence, looked for only on the lines that have a colon."""
        found: list[re.Match[str]] = []
        colon = self.text.find(":")
        while colon != -1:
            start, end = self.line_start(colon), self.line_end(colon)
            at_start = _HEADER.match(self.text, start, end)
            if at_start:
                found.append(at_start)
            if _COLON_DASH.search(self.text, start, end):  # what _INLINE_HEADER needs, found fast
                found.extend(_INLINE_HEADER.finditer(self.text, start, end))
            colon = self.text.find(":", end)
        return found

    @cached_property
    def inline_turns(self) -> list[int]:
        """Where each «… . – …» turn inside a paragraph starts (just after its dash): the dashes are found first,
        then the stop and the spaces before each."""
        found: list[int] = []
        for dash in positions_of(self.text, "–—─−"):
            stop = _spaces_before(self.text, dash) - 1
            if stop >= 0 and (match := _INLINE_DASH.match(self.text, stop)) is not None:
                found.append(match.end())
        return found

    def clause_end(self, pos: int, limit: int = 240) -> int:
        """Where the clause going on at `pos` ends (at most `limit` characters on): where _CLAUSE_END first
        matches, looked for only at its characters (a spaced dash matches from the space before it)."""
        end = min(len(self.text), pos + limit)
        at = pos
        while (mark := _CLAUSE_MARK.search(self.text, at, end)) is not None:
            i = mark.start()
            if i > pos and self.text[i] in "–—" and _CLAUSE_END.match(self.text, i - 1, end):
                return i - 1
            if _CLAUSE_END.match(self.text, i, end):
                return i
            at = i + 1
        return end

    def sentence_start(self, pos: int) -> int:
        line = self.line_start(pos)
        window = self.text[max(line, pos - 300) : pos]
        cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "), window.rfind("… "))
        return max(line, pos - 300) + cut + 2 if cut != -1 else max(line, pos - 300)

    def last_speaker_before(self, pos: int) -> Speaker | None:
        """The speaker of the last attributed quote that ends before `pos`."""
        i = bisect.bisect_right(self.spoken, pos, key=lambda x: x[0])
        return self.spoken[i - 1][1] if i else None


_LEADING_DASH = re.compile(r"^[–—─−-]\s*")


def _clean_quote(text: str) -> str:
    text = text.strip()
    text = _LEADING_DASH.sub("", text)
    return text.strip().rstrip(",").strip()


# --- speakers -------------------------------------------------------------------------------------------------


def _named(f: _Finder, start: int, end: int) -> Speaker | None:
    """A person named in the nominative within [start, end), or a single surname the text gives in full."""
    for mention in f.people.in_range(start, end):
        if mention.is_nominative:
            lead = f.text[start : mention.start].strip(" ,–—−-")
            role = lead if lead and looks_like_role(lead) else ""
            return f.people.speaker(mention, "named", role)
    zone = f.text[start : _before_addressee(f, start, end)]
    words = clean_zone(zone).split()
    for index, word in enumerate(words[:4]):
        full = f.people.by_word(word) if word[:1].isupper() else None
        if full is not None and not _oblique_name(word, full):
            role = " ".join(words[:index]) if looks_like_role(" ".join(words[:index])) else ""
            return Speaker(full, role, "named")
    if words and _single_name(words[0]) and (len(words) == 1 or words[1].casefold() in _HONORIFICS):
        return Speaker(words[0].strip(",."), "", "named")
    return None


_OBLIQUE = re.compile(r"(?:ның|нің|дың|дің|тың|тің|нан|нен|дан|ден|тан|тен|ға|ге|қа|ке|ны|ні|да|де|та|те|мен|бен|пен)$")


def _single_name(word: str) -> bool:
    """A lone capitalised word that can be a person's name in the nominative (Нұргүл, Ахметов, Абай)."""
    bare = word.strip(",.:")
    lower = bare.casefold()
    return (
        len(bare) > 2
        and bare[:1].isupper()
        and bare[1:].islower()
        and bare.isalpha()
        and not _OBLIQUE.search(lower)
        and lower not in ROLE_WORDS
        and not is_organisation(bare)
        and lower not in _NOT_NAMES
    )


def _oblique_name(word: str, full: str) -> bool:
    """Is the written word a case form of the name (Ахметовтен, Омарованың) rather than the name itself?"""
    bare = word.strip("«»,.:")
    if any(bare.casefold() == part.casefold() for part in full.split()):
        return False
    return bool(_OBLIQUE.search(bare.casefold())) and name_nominative(bare) != bare


_THEY = re.compile(r"олар(?![\w-])")
_HE_SHE = re.compile(r"ол(?:\s+кісі)?(?![\w-])")


def _described(
    f: _Finder, start: int, end: int, quote_start: int, skip: frozenset[str] | set[str] = frozenset()
) -> Speaker | None:
    """A pronoun, an organisation, a group or a role after the verb («– деді ол», «– дейді тұрғындар»)."""
    phrase = clean_zone(f.text[start:end]).rstrip(".")  # «… МКК.»: an abbreviation's full stop ends the clause
    if not phrase:
        return None
    lower = phrase.casefold()
    if _THEY.match(lower):
        return None
    if _HE_SHE.match(lower):
        person = f.people.last_before(quote_start)
        return f.people.speaker(person, "pronoun") if person else None
    first = lower.split()[0]
    if first.endswith(("мыз", "міз")):
        return Speaker(phrase.split()[0], "", "organization")
    if is_organisation(phrase):
        return Speaker(nominative_phrase(phrase), "", "organization")
    if is_group(phrase):
        return Speaker(nominative_phrase(phrase), "", "group")
    if looks_like_role(phrase):
        return _by_role(f, phrase, quote_start, skip)
    return None


def _by_role(f: _Finder, phrase: str, quote_start: int, skip: frozenset[str] | set[str] = frozenset()) -> Speaker:
    """«– деді министр»: the person the text gave that role; else the last speaker or the last person named,
    unless the text gave that person another role (a minister's words never go to the official named last);
    else the role as written."""
    person = f.people.by_role(phrase, quote_start, skip)
    if person is not None:
        return f.people.speaker(person, "role_noun")
    previous = f.last_speaker_before(quote_start)
    if previous is not None and previous.name not in skip:
        return previous
    person = f.people.last_before(quote_start)
    if person is not None and not f.people.role_of(person) and f.people.full_name(person) not in skip:
        return f.people.speaker(person, "role_noun", phrase)
    return Speaker(nominative_phrase(phrase), "", "role_noun")


def _subject(f: _Finder, quote_open: int) -> Speaker | None:
    """The speaker standing before the quote in its sentence: «Мамин: «…»», «Абай «…» деп өсиет етті»,
    «Ол «…» деп жауап береді», «тұрғындар «…» дейді»; with no subject at all (Kazakh drops it), the person
    the paragraph is about."""
    start = f.sentence_start(quote_open)
    zone = f.text[start:quote_open].rstrip(" :,–—−-\t")
    colon = zone.rfind(": ")
    if colon != -1:  # «Name: Абай «…» деп еді»: a headline's speaker is not the subject of the words after it
        start, zone = start + colon + 2, zone[colon + 2 :]
    mentions = f.people.in_range(start, start + len(zone))
    nominative = [m for m in mentions if m.is_nominative]
    if nominative:
        return f.people.speaker(nominative[-1], "named")
    # the words of a name in another case (Ержан Әлімовтен: whom it was asked) are not the subject
    for mention in reversed(mentions):
        zone = zone[: mention.start - start] + " " * (mention.end - mention.start) + zone[mention.end - start :]
    words = [w.strip('«»"“”,') for w in zone.split()]
    words = [w for w in words if w and w.casefold() not in _OBLIQUE_PRONOUN]
    if not words:
        return _zero_subject(f, start)
    if words[0].casefold() == "ол":
        person = f.people.last_before(start)
        return f.people.speaker(person, "pronoun") if person else None
    for word in reversed(words):
        full = f.people.by_word(word) if word[:1].isupper() else None
        if full is not None and not _oblique_name(word, full):
            return Speaker(full, "", "named")
    last = words[-1]
    if is_group(last):
        return Speaker(group_phrase(words).casefold() if len(words) == 1 else group_phrase(words), "", "group")
    if _single_name(last) and (len(words) == 1 or words[0].casefold() in _NOT_NAMES or words[-2].endswith(":")):
        return Speaker(last.strip(",.:"), "", "named")
    if last.casefold() in ROLE_WORDS:  # … сөзіне журналист «…» деп қағытты: the role noun nearest the quote
        return _by_role(f, last.casefold(), quote_open)
    return None


def _zero_subject(f: _Finder, sentence_start: int) -> Speaker | None:
    """«…», – дейді. with no subject: the person last named as a subject in the paragraph or the one before."""
    paragraph = f.line_start(max(0, f.line_start(sentence_start) - 1))
    person = f.people.last_before(sentence_start)
    if person is None or person.start < paragraph:
        return None
    return f.people.speaker(person, "pronoun")


def _genitive_owner(f: _Finder, quote_open: int) -> Speaker | None:
    """«Маминнің «…» деген мәлімдемесі»: the person named in the genitive just before the quote."""
    before = f.people.in_range(max(0, quote_open - 120), quote_open)
    if before and not f.text[before[-1].end : quote_open].strip(" \t"):
        return f.people.speaker(before[-1], "named")
    return None


def _asker(f: _Finder, quote_open: int) -> Speaker:
    """Who put a question to the person answering: the journalists the text just named, else the journalist
    who wrote the piece."""
    window = f.text[max(0, quote_open - 400) : quote_open]
    asked = list(_ASKERS.finditer(window))
    if asked:
        word = asked[-1]
        return Speaker((word["stem"] + (word["plural"] or "")).casefold(), "", "group")
    return Speaker("журналист", "", "interview")


_WORDS_OF = re.compile(r"\s*([^\W\d_]+)\s+сөз")


def _degen(f: _Finder, span: MarkedSpan, after: int) -> Speaker | None:
    """«…» деген …: words said by a genitive owner, or a question put to someone (… деген сұраққа)."""
    owner = _genitive_owner(f, span.open or 0)
    if owner is not None:
        return owner
    question = _QUESTION_NOUN.match(f.text, after)
    if question and f.text[: span.close].rstrip().endswith("?"):
        if question["case"]:
            # «…?» деген сұраққа X жауап берді: the question was put to the subject, so someone else asked it
            return _asker(f, span.open or 0)
        if question["put"]:
            return _subject(f, span.open or 0)  # X «…?» деген сұрақ қойды: the subject asked
        return None  # «…?» деген сұрақ туындайды: a question in the air, nobody's words
    tail = _WORDS_OF.match(f.text[after : after + 60])
    if tail and looks_like_role(tail.group(1)):
        return Speaker(tail.group(1), "", "group")
    return None


_ORG_PHRASE_STOP = re.compile(r"(?:ған|ген|қан|кен|ды|ді|ты|ті|ып|іп|ады|еді|йды|йді)$")


_ACRONYM = re.compile(r"[А-ЯӘҒҚҢӨҰҮҺІ]{2,6}")
_REGIONAL = re.compile(r"(?:лық|лік|тық|тік|дық|дік)$")


def _expand_acronym(words: list[re.Match[str]], acronym: str) -> str:
    """The name an abbreviation stands for, written out earlier in the text: ТЖД → (облыстық) Төтенше жағдайлар
    жөніндегі департаменті — the initials of its words, a linking word (жөніндегі, істері) skipped, with the
    regional adjective before it. Empty when the text never wrote it out."""
    letters = acronym.casefold()
    for end in range(len(words) - 1, -1, -1):
        last = words[end].group()
        if last[:1].casefold() != letters[-1] or not is_organisation(last):
            continue
        need, index, skipped = len(letters) - 2, end - 1, 0
        while need >= 0 and index >= 0 and skipped <= 2:
            token = words[index].group()
            if token[:1].casefold() == letters[need]:
                need -= 1
            elif token.islower() and len(token) > 3:
                skipped += 1
            else:
                break
            index -= 1
        if need >= 0:
            continue
        first = index + 1
        while first > 0 and _REGIONAL.search(words[first - 1].group()) and words[first - 1].group().islower():
            first -= 1
        return " ".join([*(w.group() for w in words[first:end]), nominative_phrase(last)])
    return ""


def _organisation_before(f: _Finder, pos: int, head: str = "") -> Speaker | None:
    """The organisation the text last named before `pos` (for «…», – делінген хабарламада)."""
    window_start = max(0, pos - 700)
    words = list(re.finditer(r"[^\s,.:;()—–]+|[,.:;()—–]", f.text[window_start:pos]))
    for index in range(len(words) - 1, -1, -1):
        word = words[index].group()
        if not is_organisation(word) or (head and not word.casefold().startswith(head[:5])):
            continue
        if _ACRONYM.fullmatch(word):
            expanded = _expand_acronym(words[:index], word)
            if expanded:
                return Speaker(expanded, "", "organization")
        phrase = [nominative_phrase(word)]
        for earlier in reversed(words[max(0, index - 9) : index]):
            token = earlier.group()
            if not re.match(r"[\w«»\"-]", token) or _ORG_PHRASE_STOP.search(token.casefold()):
                break
            phrase.insert(0, token)
        while len(phrase) > 1 and not (phrase[0][:1].isupper() or phrase[0].startswith("«")):
            phrase.pop(0)
        return Speaker(" ".join(phrase), "", "organization")
    return None


def _document(f: _Finder, start: int, end: int, quote_start: int) -> Speaker | None:
    """«…», – делінген Президенттің жарлығында / басқарма жауабында / хабарламада."""
    words = [w.strip(".,") for w in f.text[start:end].split()[:3]]
    if len(words) >= 2 and re.search(r"(?:ның|нің|дың|дің|тың|тің)$", words[0]):
        owner = re.sub(r"(?:ның|нің|дың|дің|тың|тің)$", "", words[0])
        return Speaker(f"{owner} {nominative_phrase(words[1])}", "", "organization")
    if len(words) >= 2 and is_organisation(words[0]):
        return _organisation_before(f, quote_start, words[0]) or Speaker(words[0], "", "organization")
    return _organisation_before(f, quote_start)


def _addressee(f: _Finder, quote_start: int) -> Speaker:
    """«…» депсіз (you said) in an interviewer's question: the guest's own words; unknown anywhere else."""
    question = f.text[quote_start : f.line_end(quote_start)].rstrip().endswith("?")
    guest = _interviewee(f) if question else None
    return Speaker(guest.name, guest.role, "interview") if guest else Speaker("", "", "interview")


def _attributed(f: _Finder, verb: re.Match[str], verb_start: int, quote_start: int) -> Speaker | None:
    """The speaker an attribution names: after the verb, between «деп» and the verb, or before the quote."""
    after = verb_start + len(verb["verb"])
    auxiliary = _AUXILIARY.match(f.text, after)
    if auxiliary:  # «деп атап өткен болатын», «деген еді»: the auxiliary belongs to the verb
        after = auxiliary.end()
    end = f.clause_end(after)
    text = verb["verb"]
    if _DOCUMENT.match(text):
        return _document(f, after, end, quote_start)
    if _FIRST_PERSON.search(text):
        return Speaker("", "", "nested")
    if _SECOND_PERSON.search(text):
        return _addressee(f, quote_start)
    between = (verb.start("mid"), verb.end("mid")) if verb["mid"] else None
    for zone in (between, (after, end)):
        if zone is not None and (found := _named(f, *zone)) is not None:
            return found
    # a name in another case after the verb is whom the words were addressed to (– деді ақын Данаға)
    addressees = {f.people.full_name(m) for m in f.people.in_range(after, end) if not m.is_nominative}
    for zone in (between, (after, end)):
        if zone is None:
            continue
        found = _described(f, zone[0], _before_addressee(f, *zone), quote_start, addressees)
        if found is not None:
            return found
    return None


def _before_addressee(f: _Finder, start: int, end: int) -> int:
    oblique = [m for m in f.people.in_range(start, end) if not m.is_nominative]
    return oblique[0].start if oblique else end


# --- rules ----------------------------------------------------------------------------------------------------


def _after_marks(f: _Finder) -> None:
    """«…», – деді NAME / «…» деп атап өтті NAME / NAME «…» деп жауап берді / Маминнің «…» деген."""
    for span in f.spans:
        match = _AFTER_MARK.match(f.text, span.close + 1, span.close + 300)
        if not match:
            if span.open is not None:
                _led_by_colon(f, span)
                _embedded(f, span)
                _verb_inside(f, span)
            continue
        open_ = span.open if span.open is not None else _missing_opener(f.text, span.close)
        verb_start = match.start("verb")
        tail = f.text[match.end() : f.clause_end(match.end())]
        if _news_credit(tail) or _not_speech(match["verb"]):
            continue
        if match["verb"].startswith("деген"):
            speaker = _degen(f, span, match.end())
        else:
            speaker = _attributed(f, match, verb_start, open_ + 1) or _subject(f, open_)
        if span.shared is not None:
            open_ = span.shared  # the attribution is the enclosing quotation's; the inner one is nobody we know
        f.add(open_ + 1, span.close, 1, speaker, "direct")
        _continuation(f, match.end(), speaker)


def _verb_inside(f: _Finder, span: MarkedSpan) -> None:
    """«Құбыр ескірген дейді», – әкім.: the verb typed inside the closing mark, the speaker after the dash."""
    # the verb ends the quoted words (or stands before a line break that ends them): looked for only then
    said = f.text.endswith(_TRAILING_SAY_ENDS, span.start, span.close)
    verb = _TRAILING_SAY.search(f.text, span.start, span.close) if said else None
    after = _DASH_AFTER.match(f.text, span.close + 1)
    if verb is None or after is None:
        return
    speaker = _described(f, after.end(), f.clause_end(after.end()), span.start)
    f.add(span.start, verb.start(), 1, speaker, "direct")


def _unclosed(f: _Finder) -> None:
    """Әнші Айгерім Серікова «… үлкен мәртебе болды дейді.: a quotation whose closing mark was forgotten, running to
    the verb of saying that ends its paragraph; the speaker is the subject before it."""
    if not any(verb in f.text for verb in ("дейді.", "деді.", "деседі.")):  # the pattern tries every opener
        return
    closes = {s.close for s in f.spans}
    for line in matches_at(_UNCLOSED_LINE, f.text, positions_of(f.text, "«“")):
        opener = line.start("q") - 1
        if opener in f.by_opener or opener in closes:
            continue
        f.add(line.start("q"), line.end("q"), 3, _subject(f, opener), "direct")


def _embedded(f: _Finder, span: MarkedSpan) -> None:
    """A quote inside a reported clause: Ахметов бірден «ауылда мектеп жоқ» екенін, «…» салу керектігін
    мәлімдеді — the quote, a complement (екенін, керектігін, дегенін) and a verb of saying that ends
    the sentence; the speaker is its subject."""
    complement = _COMPLEMENT.match(f.text, span.close + 1, span.close + 120)
    if complement is None:
        return
    end = _sentence_end(f.text, complement.end())
    if not _SAYING_AT_END.search(f.text, complement.end(), end):
        return
    f.add(span.start, span.close, 1, _subject(f, span.open or 0), "direct")


def _sentence_end(text: str, pos: int) -> int:
    """The end of the sentence that goes on at `pos` (quotation marks inside it are skipped), within 300 chars."""
    depth = 0
    for index in range(pos, min(len(text), pos + 300)):
        ch = text[index]
        if ch in "«“„":
            depth += 1
        elif ch in "»”" and depth:
            depth -= 1
        elif ch == "\n" or (ch in ".!?" and not depth):
            return index
    return min(len(text), pos + 300)


def _missing_opener(text: str, close: int) -> int:
    """Where a quote without its opening mark began: after a colon on its line, else at the line start
    («AMANAT» партиясының …», – деді: the opener merged with a nested quote's)."""
    line = text.rfind("\n", max(0, close - 2000), close) + 1
    colon = text.rfind(": ", line, close)
    return colon + 1 if colon != -1 and text[line] not in "«“" else line - 1


def _led_by_colon(f: _Finder, span: MarkedSpan) -> None:
    """NAME былай деп жазады: «…» / NAME: «…» — the speaker before a colon, with no attribution after."""
    open_ = span.open or 0
    before = f.text[max(0, open_ - 120) : open_].rstrip()
    if not before.endswith(":"):
        return
    start = f.sentence_start(open_)
    zone = f.text[start:open_].rstrip(" :")
    nominative = [m for m in f.people.in_range(start, open_) if m.is_nominative]
    # «деп» after the quote (… хатты беріп: «…» деп берді) makes the colon's words speech too
    said = _DEP_AFTER.match(f.text, span.close + 1)
    if not nominative or not (
        said or _SPEECH_BEFORE_COLON.search(zone) or f.text[nominative[-1].end : open_].strip(" ,:") == ""
    ):
        return
    speaker = f.people.speaker(nominative[-1], "named")
    f.add(span.start, span.close, 2, speaker, "direct")


_SAME_SPEAKER_GOES_ON = re.compile(r"[.,]?[ \t]*[–—−-][ \t]*(?=[А-ЯӘҒҚҢӨҰҮҺІA-Z«])")


def _continuation(f: _Finder, after_verb: int, speaker: Speaker | None) -> None:
    """– …, – деді NAME. – … : the words after the attribution, to the paragraph end, are the same speaker's."""
    if speaker is None or not speaker.name:
        return
    end = f.clause_end(after_verb)
    rest = _SAME_SPEAKER_GOES_ON.match(f.text[end : end + 6])
    if rest is None:
        return
    start = end + rest.end()
    line_end = f.line_end(start)
    words = f.text[start:line_end]
    if words.rstrip()[-1:] in _TERMINAL and not _DASH_VERB.search(words):
        f.add(start, line_end, 2, speaker, "direct")


def _unmarked(f: _Finder) -> None:
    """Unmarked and dash-led quotes ending in «, – деді NAME» (possibly over several paragraphs)."""
    for dash in matches_at(_DASH_VERB, f.text, positions_of(f.text, "–—−-")):
        # the pattern starts at the dash (fast to find); the punctuation before it is matched from there
        match = _AFTER_UNMARKED.match(f.text, _spaces_before(f.text, dash.start()) - 1)
        if match is None or match.start("verb") != dash.start("verb"):
            match = _AFTER_UNMARKED.match(f.text, _spaces_before(f.text, dash.start()))
        if match is None:
            continue
        end = match.start() + (match["punct"] in ("?", "!", "…"))
        before = f.text[end - 1 : end] if end else ""
        if before in '»”“"›' or (
            match["punct"] is None and not f.text[match.start() : match.start("verb")].endswith(("-", "–"))
        ):
            continue
        if match["verb"].startswith("деген"):
            continue
        tail = f.text[match.end() : f.clause_end(match.end())]
        if _news_credit(tail) or _not_speech(match["verb"]):
            continue
        start = _unmarked_start(f, end)
        if start is None or ("хабарла" in match["verb"] and not _DASH_AT.match(f.text, start)):
            continue
        speaker = _attributed(f, match, match.start("verb"), start) or _colon_line_subject(f, start)
        f.add(start, end, 3, speaker, "direct")
        _continuation(f, match.end(), speaker)


def _colon_line_subject(f: _Finder, start: int) -> Speaker | None:
    """«Ахметов күліп:» on the line before an unmarked quote names its speaker."""
    line_end = start - 1
    if line_end <= 0 or f.text[line_end] != "\n":
        return None
    previous = f.text[f.line_start(line_end) : line_end].rstrip()
    if not previous.endswith(":"):
        return None
    return _subject(f, f.line_start(line_end) + len(previous) - 1)


def _spaces_before(text: str, pos: int) -> int:
    """Where the run of spaces and tabs that ends at `pos` starts."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos


def _unmarked_start(f: _Finder, end: int) -> int | None:
    """The start of an unmarked quote that ends at `end`: its paragraph (after an earlier attribution in it), or
    an earlier dash-led paragraph when the paragraphs between carry no attribution."""
    paragraph = f.line_start(end)
    i = bisect.bisect_left(f.unmarked_ends, end)
    line = max(paragraph, f.unmarked_ends[i - 1]) if i and f.unmarked_ends[i - 1] >= paragraph else paragraph
    if _DASH_AT.match(f.text, line) or line != paragraph:
        return line
    start = line
    for _ in range(3):
        if start == 0:
            break
        previous = f.line_start(start - 1)
        above = f.text[previous : start - 1]
        if _DASH_VERB.search(above) or above.rstrip().endswith(":") or not above.strip():
            break
        if _DASH_LINE.match(above):
            return previous
        start = previous
    return line


# «Name, role:» at a line start; the role may hold a quoted name («Ақ жол» партиясының мүшесі)
_HEADER = re.compile(
    r"^[ \t]*(?P<who>(?:[^\n:«»\"“”]|«[^\n:«»]{1,80}»){3,220}?)[ \t]*:[ \t]*(?P<rest>[^\n]*)$", re.MULTILINE
)
# the same inside a paragraph, after a sentence, when a dash opens the soundbite (TV transcripts run together)
_INLINE_HEADER = re.compile(
    r"(?<=[.!?…])[ \t]+(?P<who>(?:[^\n:«»\"“”.!?]|«[^\n:«»]{1,80}»){3,160}?):[ \t]*(?=[–—−-])(?P<rest>[^\n]*)$",
    re.MULTILINE,
)
_COLON_DASH = re.compile(r":[ \t]*[–—−-]")
_DATIVE = re.compile(r"(?:ға|ге|қа|ке|на|не|лерге|ларға)$")
_AND = {"мен", "пен", "бен", "және"}


def _header_role(words: list[str]) -> str:
    """The role of «ROLE ADDRESSEES:» (Облыс әкімі аудан әкімдері мен ауыл әкімдеріне:): the words before those the
    words were addressed to (a dative, with the words joined to it by «мен», «және»)."""
    dative = next((i for i, w in enumerate(words) if _DATIVE.search(w.casefold())), len(words))
    cut = dative
    while cut >= 2 and words[cut - 1].casefold() in _AND:
        cut -= 2
    return " ".join(words[:cut] if dative < len(words) else words)


def _header_speaker(f: _Finder, start: int, end: int) -> Speaker | None:
    """The speaker a header line names (read once: the header, interview and transcript rules all ask)."""
    if (start, end) not in f.header_speakers:
        f.header_speakers[start, end] = _read_header_speaker(f, start, end)
    return f.header_speakers[start, end]


def _read_header_speaker(f: _Finder, start: int, end: int) -> Speaker | None:
    """«Name, role» / «Name» / «ROLE (to whom)» before a colon at a line start. A name heading a line before a
    colon or a comma stands in the nominative, whatever ending it seems to have (Бақытжан Кәртен:)."""
    who = f.text[start:end]
    people = f.people.in_range(start, end)
    lead = f.text[start : people[0].start].strip(" ,") if people else ""
    if people and (not lead or (len(lead.split()) <= 3 and looks_like_role(lead))):
        rest = f.text[people[0].end : end].strip()
        if not rest or rest.startswith(","):
            role = rest.strip(" ,") or lead
            if people[0].is_nominative:
                return f.people.speaker(people[0], "header", role)
            written = " ".join(w[:1] + w[1:].lower() if w.isupper() else w for w in people[0].written.split())
            return Speaker(written, role, "header")
        return None
    words = who.split()
    if people or not words or len(words) > 7 or not words[0][:1].isupper():
        return None
    role = _header_role(words)
    if looks_like_role(role):
        person = f.people.by_role(role, end)
        return f.people.speaker(person, "role_noun") if person else None
    return None


def _headers(f: _Finder) -> None:
    """«Name, role:» lines over a soundbite, and «Name: statement» headlines and transcript lines."""
    for match in f.header_lines:
        speaker = _header_speaker(f, match.start("who"), match.end("who"))
        if speaker is None:
            continue
        rest = match["rest"].strip()
        if rest:
            start = match.start("rest") + (len(match["rest"]) - len(match["rest"].lstrip()))
            end = match.end("rest")
            # a headline (one sentence; a title, or one in a list of related news) need not end in a full stop;
            # a soundbite must, and a line cut off where the text stops is no quote
            headline = len(rest) <= 200 and not _SENTENCE_BREAK.search(rest) and end < len(f.text.rstrip())
            if rest[-1:] not in _TERMINAL and not headline:
                continue
            kind: QuoteKind = "dialogue" if rest[:1] in "–—─−-" or rest[-1:] == "?" else "direct"
        else:
            nxt = _LINE.search(f.text, match.end())
            if nxt is None or nxt.group().rstrip()[-1:] not in ".!…" or _DASH_VERB.search(nxt.group()):
                continue
            start, end, kind = nxt.start(), nxt.end(), "dialogue"
        words = f.text[start:end].strip()
        marked = f.by_opener.get(start)
        if marked is not None and f.text[marked.close + 1 : end].strip(" .,") == "":
            f.add(marked.start, marked.close, 4, speaker, "direct")
        elif words[:1] not in '«“"':
            f.add(start, end, 4, speaker, kind)


_BYLINE_TITLE = re.compile(r"^(?P<q>[^\n]{12,220}?)[ \t]+[–—−-][ \t]+(?P<who>[^\n–—−-]{4,60})$", re.MULTILINE)


def _statement_then_name(f: _Finder) -> None:
    """An interview's headline «Statement – Name Surname» (or «– жас мектеп директоры», the person the
    text gives that role). A news agency's «Statement – Name» title paraphrases a report, so only interviews."""
    for match in _BYLINE_TITLE.finditer(f.text, 0, f.line_end(f.line_end(f.line_end(0) + 1) + 1)):
        who = match["who"].strip()
        if match["q"].rstrip()[-1:] in ",:;":
            continue
        people = f.people.in_range(match.start("who"), match.end("who"))
        if len(people) == 1 and people[0].is_nominative and len(who) - len(people[0].written) <= 1:
            speaker: Speaker | None = Speaker(f.people.full_name(people[0]), "", "header")
        elif not people and looks_like_role(who.rstrip(".")):
            person = f.people.by_role(who, match.end())
            speaker = f.people.speaker(person, "role_noun") if person else None
        else:
            continue
        f.add(match.start("q"), match.end("q"), 5, speaker, "direct")


_INTERVIEW_WORDS = ("сұхбат", "әңгіме", "интервью")
# a line opening with a dash: at the text's start, or after a line break (a literal the search skips ahead to)
_DASH_LINE_FIRST = re.compile(r"[ \t]*[–—─−-]")
_DASH_LINE_NEXT = re.compile(r"\n[ \t]*[–—─−-]")
# «… . – …»: a new turn inside a paragraph (matched from the stop; _Finder.inline_turns finds the dashes first)
_INLINE_DASH = re.compile(r"[.!?…][ \t]+[–—─−][ \t]+(?=[А-ЯӘҒҚҢӨҰҮҺІA-Z«])")
_COMITATIVE = re.compile(r"(?i)(?:мен|пен|бен)$")
_POLITE_YOU = re.compile(r"(?i)(?<![\w-])сіз(?:дің|ге|ді|ден|де)?(?![\w-])")


def _interviewee(f: _Finder) -> Speaker | None:
    """Who an interview is with: a «Name: …» headline, a «… – Name» title, or «Name-мен сұхбат»."""
    head = min(len(f.text), 2000)
    for match in f.header_lines:
        if match.start() >= head:
            break
        speaker = _header_speaker(f, match.start("who"), match.end("who"))
        if speaker is not None and speaker.source == "header":
            return Speaker(speaker.name, speaker.role, "interview")
    for mention in f.people.in_range(0, head):
        if _COMITATIVE.search(mention.written):
            return f.people.speaker(mention, "interview")
    # the title pattern opens at a line start: tried only there (a search would try it at every character), and
    # only on a line with a spaced dash
    for line in _spaced_dash_lines(f, head):
        title = _BYLINE_TITLE.match(f.text, line, head)
        if title is None:
            continue
        people = f.people.in_range(title.start("who"), title.end("who"))
        if len(people) == 1:
            return f.people.speaker(people[0], "interview")
    return None


def _spaced_dash_lines(f: _Finder, head: int) -> list[int]:
    """The starts of the lines with a spaced dash (a space or a tab on each side) within the first `head`
    characters, in order: the dashes are found first (fast), then the spaces around each."""
    lines: list[int] = []
    text = f.text
    for dash in positions_of(text[:head], "–—−-"):
        if 0 < dash < head - 1 and text[dash - 1] in " \t" and text[dash + 1] in " \t":
            line = f.line_start(dash)
            if not lines or lines[-1] != line:
                lines.append(line)
    return lines


def _dash_segments(f: _Finder) -> list[tuple[int, int, bool]]:
    """Unattributed dash-led stretches of an interview: dash paragraphs with the undashed paragraphs that
    continue them, and «… . – …» turns inside one paragraph; each with whether a dash opened it. An undashed
    paragraph ending in «?» after a turn is a question of its own (interviews often print questions so)."""
    segments: list[tuple[int, int, bool]] = []
    inline, text = f.inline_turns, f.text
    for line_start, line_end in zip([0, *(n + 1 for n in f.newlines)], [*f.newlines, len(text)], strict=True):
        if line_start == line_end:
            continue
        starts: list[int] = []
        if inline:  # most texts have no «… . – …» turn inside a paragraph
            starts = inline[bisect.bisect_left(inline, line_start) : bisect.bisect_right(inline, line_end)]
        dash = _DASH_AT.match(text, line_start, line_end) if text[line_start] in " \t–—─−-" else None
        if dash:
            starts.insert(0, dash.end())
        elif segments and segments[-1][1] == line_start - 1:  # the line after a turn
            ends = text[line_start:line_end].rstrip()[-1:]
            header = text.find(":", line_start, line_end) != -1 and _HEADER.match(text, line_start, line_end)
            if ends == "?" and not starts and not header:
                segments.append((line_start, line_end, False))
            elif text[segments[-1][0] : segments[-1][1]].rstrip()[-1:] != "?" and ends in ".!…" and not header:
                segments[-1] = (segments[-1][0], line_end, segments[-1][2])
        for index, start in enumerate(starts):
            end = starts[index + 1] - 2 if index + 1 < len(starts) else line_end
            segments.append((start, end, True))
    return segments


def _attributed_turn(words: str) -> bool:
    return bool(_DASH_VERB.search(words) or _AFTER_MARK.match(words, len(words) - 12 if len(words) > 12 else 0))


def _is_question(words: str) -> bool:
    """An interviewer's turn: it ends in «?», or asks («?») and addresses the guest as «сіз» before going on
    (– Ерлан мырза, сіздің …? Сосын … айтып берсеңіз.)."""
    return words.endswith("?") or ("?" in words and bool(_POLITE_YOU.search(words)))


def _qa_layout(f: _Finder, segments: list[tuple[int, int, bool]]) -> bool:
    """Laid out as an interview: a dashed question with no attribution, answered at length (not «– Білмеймін.»)
    by a dashed turn with none."""
    for (start, end, dashed), (next_start, next_end, next_dashed) in itertools.pairwise(segments):
        question, answer = f.text[start:end].rstrip(), f.text[next_start:next_end].rstrip()
        if not (dashed and next_dashed and _is_question(question)) or len(_WORD.findall(answer)) < 8:
            continue
        if not _attributed_turn(question + "\n" + answer):
            return True
    return False


def _is_interview(f: _Finder, segments: list[tuple[int, int, bool]], laid_out: bool) -> bool:
    """An interview says so (сұхбат, әңгіме), names its guest in a «Name, role:» line, or is laid out as one
    (`laid_out`: _qa_layout). Case-folding the whole text is the slowest test, so it comes last."""
    if laid_out or any(c.quote.speaker_source == "header" for c in f.found):
        return True
    if any(_nearest_header(f, start) for start, _, dashed in segments if dashed):
        return True
    lower = f.text.casefold()
    return any(word in lower for word in _INTERVIEW_WORDS)


def _interview(f: _Finder) -> None:
    """Questions (ending in «?») are the journalist's; the complete turn after a question is the answer of the
    person interviewed. Turns carrying their own attribution are left to the other rules."""
    dash_line = _DASH_LINE_FIRST.match(f.text) or _DASH_LINE_NEXT.search(f.text)
    if not dash_line and not f.inline_turns:
        return
    segments = _dash_segments(f)
    laid_out = _qa_layout(f, segments)
    if not _is_interview(f, segments, laid_out):
        return
    if laid_out:
        _statement_then_name(f)
    interviewee = _interviewee(f)
    turns: list[tuple[int, int, Speaker | None]] = []  # each turn with its speaker (None: nobody we know)
    asked = False
    for start, end, dashed in segments:
        if not dashed and turns and turns[-1][2] is None and turns[-1][1] == start - 1:
            # an undashed question after a turn that answered nothing: the question goes on over a paragraph
            start = turns.pop()[0]
        words = f.text[start:end].rstrip()
        header = _nearest_header(f, start)
        if _attributed_turn(words):
            asked, speaker = False, None
        elif _is_question(words):
            # a question printed without a dash after an answer is the next question, shown but not quoted
            asked, speaker = True, Speaker("журналист", "", "interview") if dashed or not turns else None
        elif asked and words[-1:] in ".!…" and (header or interviewee):
            asked, speaker = False, header or interviewee
        else:
            asked, speaker = False, None
        turns.append((start, end, speaker))
    for start, end, speaker in turns:
        f.add(start, end, 6, speaker, "dialogue")


def _nearest_header(f: _Finder, pos: int) -> Speaker | None:
    """The «Name, role:» line just above a turn (a transcript names the one who answers)."""
    line = f.line_start(pos) - 1
    previous = f.line_start(max(0, line))
    # «:» looked for first: _HEADER tries every length of the name before giving up
    has_colon = line > 0 and f.text.find(":", previous, line) != -1
    match = _HEADER.match(f.text, previous, max(previous, line)) if has_colon else None
    if match is None or match["rest"].strip():
        return None
    speaker = _header_speaker(f, match.start("who"), match.end("who"))
    return Speaker(speaker.name, speaker.role, "interview") if speaker and speaker.source == "header" else None


def _epigraph(f: _Finder) -> None:
    """An epigraph at the top: a quoted saying on one line, its author's name alone on the next."""
    lines = list(itertools.islice(_LINE.finditer(f.text, 0, 3000), 4))
    for index, (saying, author) in enumerate(itertools.pairwise(lines)):
        marked = saying.group().strip()[:1] in '«“"' and saying.group().rstrip()[-1:] in '»”"'
        if index > 0 and not marked:
            continue
        people = f.people.in_range(author.start(), author.end())
        if len(people) != 1 or author.group().strip() != people[0].written or not people[0].is_nominative:
            continue
        words = saying.group().strip()
        # an unmarked epigraph is one saying: a single sentence (a paragraph over a byline is not one)
        if not marked and (len(words) > 250 or _SENTENCE_BREAK.search(words)):
            continue
        if words[-1:] in _TERMINAL and len(words) > 20:
            f.add(saying.start(), saying.end(), 5, f.people.speaker(people[0], "header"), "direct")


def _indirect(f: _Finder) -> None:
    """Reported speech: «Руслан Абдуллиннің айтуынша, …» — the clause after it, kind «indirect»."""
    for match in matches_at(_INDIRECT, f.text, positions_of(f.text, _INDIRECT_WORDS)):
        if not _GENITIVE_BEFORE.search(f.text, max(0, match.start() - 8), match.start()):
            continue
        name_end = _spaces_before(f.text, match.start())
        owners = [m for m in f.people.in_range(max(0, match.start() - 80), match.start()) if m.end >= name_end]
        if not owners:
            continue
        end = f.clause_end(match.end(), 400)
        speaker = f.people.speaker(owners[-1], "named")
        f.add(match.end(), end, 7, speaker, "indirect")


def _select(f: _Finder) -> list[Quote]:
    """One quote per stretch of text, the more specific rule first; a quote inside another is kept (its own
    speaker), a first-person attribution inside a quote takes the enclosing speaker."""
    kept: list[_Candidate] = []
    for candidate in sorted(f.found, key=lambda c: (c.rank, c.start)):
        if all(_compatible(candidate, other) for other in kept):
            kept.append(candidate)
    kept.sort(key=lambda c: c.start)
    quotes: list[Quote] = []
    # the quotes kept, by their first word: a quote repeats one (case and spacing aside) only if it opens with the
    # same word, so the whole quote is case-folded only then
    seen: dict[str, list[str]] = {}
    for index, candidate in enumerate(kept):
        outer = [o for o in kept[:index] if o.start < candidate.start and candidate.end <= o.end and o.quote.speaker]
        quote = _inside_quote(f, candidate, outer[-1]) if outer else candidate.quote
        if quote is None or (quote.speaker_source == "nested" and not outer):
            continue
        same = seen.setdefault(_first_word(quote.text), [])
        if same and _repeat_key(quote.text) in {_repeat_key(text) for text in same}:
            continue
        same.append(quote.text)
        quotes.append(quote)
    return quotes


def _first_word(text: str) -> str:
    return next(iter(text.split(None, 1)), "").casefold()


def _repeat_key(text: str) -> str:
    """A quote's words case-folded, one space apart: the same quote printed twice has the same key."""
    return " ".join(text.casefold().split())


def _inside_quote(f: _Finder, inner: _Candidate, outer: _Candidate) -> Quote | None:
    """A quote inside another one is told by the outer speaker: «дедім» is the outer speaker's own words, and
    «ол» (or a dropped subject) is someone the outer speaker named before it — never the outer speaker, and
    nobody we know when the outer speaker named no one."""
    quote = inner.quote
    if quote.speaker_source == "nested":
        return replace(quote, speaker=outer.quote.speaker, role=outer.quote.role)
    if quote.speaker_source != "pronoun":
        return quote
    person = f.people.last_within(outer.start, inner.start)
    if person is None:
        return None
    speaker = f.people.speaker(person, "pronoun")
    return replace(quote, speaker=speaker.name, role=speaker.role)


def _compatible(a: _Candidate, b: _Candidate) -> bool:
    """Apart, or one well inside the other."""
    if a.end <= b.start or b.end <= a.start:
        return True
    inner, outer = (a, b) if a.end - a.start < b.end - b.start else (b, a)
    return (
        outer.start <= inner.start
        and inner.end <= outer.end
        and (inner.end - inner.start) < 0.8 * (outer.end - outer.start)
    )


def extract_quotes(text: str, people: list[PersonMention] | None = None) -> list[Quote]:
    """Quotes of a text whose paragraphs are separated by line breaks, in text order; `people` are its names
    (find_people(text, strict=False)) when the caller has them already."""
    f = _Finder(text, people)
    _after_marks(f)
    _unclosed(f)
    _unmarked(f)
    _headers(f)
    _epigraph(f)
    _interview(f)
    _indirect(f)
    return _select(f)
