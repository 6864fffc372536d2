"""Short extractive summaries a channel subscriber understands without the article."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.analysis.lexicon import BOILERPLATE_CREDIT, DANGLING_OPENERS
from bot.analysis.morphology import word_stem
from bot.analysis.sentences import Sentence, split_sentences

MAX_CHARS = 600
MAX_SENTENCES = 3
# without an editor's lead: a news lead's length (about 250 characters, two lines of a post), from the first
# few informative sentences
LEAD_CHARS = 260
CANDIDATES = 5
_WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)
_WORDS_2 = re.compile(r"[^\W\d_]{2,}")
_CREDIT = re.compile(BOILERPLATE_CREDIT, re.IGNORECASE)
# Each pattern of many alternatives opens with a look-ahead for the first letters they can start with: one test
# rejects most positions, where the engine would otherwise try every alternative at every character.
_PROMO = re.compile(r"(?i)(?=[tifжот])(?:telegram\s+арна|instagram|facebook|жазылыңыз|оқи\s+отырыңыз|толығырақ)")
_POINTING_BACK = re.compile(r"(?i)(ол|бұл|осы|сол|олар)\b")
_STOP = {
    "және",
    "мен",
    "бен",
    "пен",
    "да",
    "де",
    "та",
    "те",
    "бұл",
    "осы",
    "ол",
    "үшін",
    "деп",
    "деді",
    "бар",
    "жоқ",
    "болып",
    "табылады",
    "болды",
    "еді",
    "екен",
    "бір",
    "сол",
    "қазір",
    "тағы",
    "сияқты",
    "туралы",
    "бойынша",
    "арқылы",
    "кейін",
    "дейін",
    "бастап",
    "ретінде",
    "бойы",
    "әр",
    "өз",
    "біз",
    "олар",
    "сондай-ақ",
    "ал",
}


class _Stems(dict[str, frozenset[str]]):
    """The content-word stems of each text one summary compares, found once per text and summary (the title is
    compared with every sentence, each chosen sentence with every candidate)."""

    def __missing__(self, text: str) -> frozenset[str]:
        stems = frozenset(word_stem(w) for w in _WORD.findall(text) if len(w) > 2 and w.casefold() not in _STOP)
        self[text] = stems
        return stems


# «АСТАНА. KAZINFORM –», «АЛМАТЫ, 21 сәуір – Sputnik.», «Нұр-Сұлтан, BAQ.KZ.»: where and who, not news
_DATELINE = re.compile(
    r"^(?:[А-ЯӘҒҚҢӨҰҮҺІA-Z][А-ЯӘҒҚҢӨҰҮҺІA-Zа-яәғқңөұүһі-]{2,}(?:,\s*\d{1,2}\s+[а-яәғқңөұүһі]+)?[.,]?\s*"
    r"(?:[–—-]\s*)?(?:KAZINFORM|Kazinform|Sputnik|BAQ\.KZ|[A-Z][\w]*\.(?:kz|KZ))(?:\s+тілшісі)?\s*[.–—-]\s*)"
    r"|^(?:KAZINFORM|Kazinform|Sputnik|BAQ\.KZ|[A-Z][\w]*\.(?:kz|KZ))\s*[–—-]\s*"
)
_CREDIT_TAIL = re.compile(
    r"[,.]?\s*[–—-]?\s*деп\s+хабарла[а-яәғқңөұүһі]*\s+[^.!?]{1,80}$|"
    r"[,.]?\s*[–—-]?\s*деп\s+хабарла[а-яәғқңөұүһі]*\.?$"
)
_JUNK = re.compile(
    r"(?i)(?=[фсбортұhwgпкc\d])(?:фото:|сурет:|бөлісу|оқылды|рет\s+көрсетілді|рет\s+қаралды|тағы\s+оқыңыз|"
    r"оқи\s+отырыңыз|ұқсас\s+жаңалық|https?://|www\.|\bgmt\b|\d{1,2}:\d{2}|поделиться|комментари|caption)"
)
# background, not news: «Еске салайық, …», «Айта кетейік, …», «Бұған дейін …»
_BACKGROUND = re.compile(r"(?i)(?:еске\s+сал|айта\s+кет|бұған\s+дейін|бұдан\s+бұрын|мәселен|мысалы|естеріңізге)")


def _clean(sentence: str) -> str:
    """Drop a dateline and the newsroom credit («…, – деп хабарлайды Aikyn.kz») and end the sentence properly."""
    text = sentence.strip()
    if text[:1].isupper() and any(ch in text[:40] for ch in ".–—-,"):
        text = _DATELINE.sub("", text)
    if "хабарла" in text:
        text = _CREDIT_TAIL.sub("", _CREDIT.sub("", text))
    text = text.strip()
    if text and text[-1] not in '.!?…»"”':
        text += "."
    return text[:1].upper() + text[1:]


def _informative(sentences: list[Sentence], index: int, title: str, stems_of: _Stems) -> bool:
    """A sentence a subscriber can read on its own: complete (a line without a final stop counts only when the
    text goes on after it — the last line of a cut page is not), not boilerplate or page furniture, not the
    title again."""
    text = sentences[index].text.strip()
    if len(text) < 40 or len(text) > 420:
        return False
    if text[-1] not in '.!?…»"”' and (index == len(sentences) - 1 or text[-1] in ":,;–—-"):
        return False
    if _JUNK.search(text) or _PROMO.search(text):
        return False
    if len(_WORDS_2.findall(text)) < 6:
        return False
    stems = stems_of[text]
    return bool(stems) and not stems <= stems_of[title]


def _dangling(text: str) -> bool:
    """Does the sentence lean on an earlier one («Ол …», «Мәселен, …», «Бұған дейін …»)? It may follow that
    sentence but never open a summary."""
    lower = text.casefold()
    return lower.startswith(DANGLING_OPENERS) or bool(_POINTING_BACK.match(lower) or _BACKGROUND.match(lower))


def _similar(a: str, b: str, stems_of: _Stems) -> float:
    sa, sb = stems_of[a], stems_of[b]
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


_WORDS = re.compile(r"\w+")
_CLOSING_MARK = re.compile(r"[»”]")


def summarize(
    title: str,
    body: str,
    *,
    lead: str = "",
    max_chars: int = MAX_CHARS,
    max_sentences: int = MAX_SENTENCES,
    sentences: list[Sentence] | None = None,
    skip: Sequence[str] = (),
) -> str:
    """The news first: the editor's lead when there is one; otherwise the sentences among the first informative
    ones that say what the headline says (a headline states the main fact; the words they share with it
    count, and an earlier sentence a little more), in the text's order, about two lines long.

    Left out: page furniture (photo credits, view counts, times), the title repeated, datelines and newsroom
    credits, a cut last line, and the quote the post shows apart (`skip`); it never opens with a sentence that
    points back («Ол …», «Мәселен, …», «Бұған дейін …») and never cuts a sentence, so never ends mid-word."""
    sentences = split_sentences(body) if sentences is None else sentences
    chosen: list[tuple[int, str]] = [(-1, _clean(lead))] if lead.strip() and len(lead) <= max_chars else []
    budget = max_chars if chosen else LEAD_CHARS
    total = sum(len(text) + 1 for _, text in chosen)
    stems_of = _Stems()
    for index, text in _ranked(title, sentences, skip, stems_of):
        if len(chosen) >= max_sentences:
            break
        if (chosen and total + len(text) > budget) or total + len(text) > max_chars:
            continue
        if any(_similar(text, other, stems_of) > 0.6 for _, other in chosen):
            continue
        # a sentence that points back («Ол …», «Мәселен, …») only right after the sentence it leans on
        if _dangling(text) and all(other != index - 1 for other, _ in chosen):
            continue
        chosen.append((index, text))
        total += len(text) + 1
    return " ".join(text for _, text in sorted(chosen))


def _ranked(title: str, sentences: list[Sentence], skip: Sequence[str], stems_of: _Stems) -> list[tuple[int, str]]:
    """The first informative sentences (a few: news puts its facts first), best first: the words shared with
    the headline, and 1/(rank+1) for being early."""
    headline = stems_of[title]
    quoted = [_quote_words(" ".join(q.split())) for q in skip if q.strip()]
    scored: list[tuple[float, int, str]] = []
    for index, sentence in enumerate(sentences):
        if not _informative(sentences, index, title, stems_of):
            continue
        text = _clean(sentence.text)
        flat = " ".join(text.split()) if quoted else ""
        if any(_within_quote(flat, q) for q in quoted):
            continue
        scored.append((len(stems_of[text] & headline) + 1 / (1 + len(scored)), index, text))
        if len(scored) == CANDIDATES:
            break
    return [(index, text) for _, index, text in sorted(scored, key=lambda s: (-s[0], s[1]))]


def _within_quote(sentence: str, quote: tuple[str, str]) -> bool:
    """The sentence holds the quote's opening words, or starts inside the quote (one of its sentences, maybe with
    the attribution after it): either way the post would say the same words twice. Compared word by word,
    punctuation and quote marks aside; `quote` as `_quote_words` gives it."""
    quote_words, opening = quote
    if not quote_words:
        return False
    if opening in f" {' '.join(_WORDS.findall(sentence.casefold()))} ":
        return True
    # up to a closing mark, the sentence is still inside a quote: the last sentence of one before its attribution
    inside = _WORDS.findall(_CLOSING_MARK.split(sentence, maxsplit=1)[0].casefold())[:6]
    return len(inside) >= 2 and f" {' '.join(inside)} " in f" {quote_words} "


def _quote_words(quote: str) -> tuple[str, str]:
    """A quote's words, case-folded, one space apart, and its first six words with a space on each side (found once
    per summary: a quote is compared with every candidate sentence)."""
    quote_words = " ".join(_WORDS.findall(quote.casefold()))
    return quote_words, f" {' '.join(quote_words.split()[:6])} "


def lead_baseline(body: str, count: int = 3) -> str:
    """Lead-3: the first sentences of the body, the baseline summaries are compared with."""
    return " ".join(s.text for s in split_sentences(body)[:count])
