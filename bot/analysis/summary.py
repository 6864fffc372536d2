"""Short extractive summaries a channel subscriber understands without the article."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.analysis.lexicon import BOILERPLATE_CREDIT, DANGLING_OPENERS
from bot.analysis.morphology import word_stem
from bot.analysis.sentences import Sentence, split_sentences

MAX_CHARS = 600
MAX_SENTENCES = 3
_WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)
_CREDIT = re.compile(BOILERPLATE_CREDIT, re.IGNORECASE)
_PROMO = re.compile(r"(?i)telegram\s+арна|instagram|facebook|жазылыңыз|оқи\s+отырыңыз|толығырақ")
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


@lru_cache(maxsize=4096)
def _stems(text: str) -> list[str]:
    return [word_stem(w) for w in _WORD.findall(text) if w.casefold() not in _STOP and len(w) > 2]


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
    r"(?i)фото:|сурет:|бөлісу|оқылды|рет\s+көрсетілді|рет\s+қаралды|тағы\s+оқыңыз|оқи\s+отырыңыз|ұқсас\s+жаңалық|"
    r"https?://|www\.|\bgmt\b|\d{1,2}:\d{2}|поделиться|комментари|caption"
)
# background, not news: «Еске салайық, …», «Айта кетейік, …», «Бұған дейін …»
_BACKGROUND = re.compile(r"(?i)(?:еске\s+сал|айта\s+кет|бұған\s+дейін|бұдан\s+бұрын|мәселен|мысалы|естеріңізге)")
_SPEECH = re.compile(r"(?:деді|дейді|деп\s+\S+\s*\S*|делінген)[.!?]?$|^[–—-]|[«\"“][^»\"”]{40,}[»\"”]")


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


def _usable(sentence: Sentence, title: str) -> bool:
    """A sentence a subscriber can read on its own: complete, not boilerplate, not the title again, not a quote
    (the post shows its key quote separately) and not a line of page furniture."""
    text = sentence.text.strip()
    if len(text) < 40 or len(text) > 420 or text[-1] not in '.!?…»"”':
        return False
    if text.count("«") != text.count("»") or text.count("“") != text.count("”") or text.endswith(":"):
        return False
    if text.startswith(("–", "—", "-", "•", "─")) or _SPEECH.search(text) or _JUNK.search(text):
        return False
    if len(set(_stems(text)) - set(_stems(title))) < 4 or len(re.findall(r"[^\W\d_]{2,}", text)) < 6:
        return False
    return not _PROMO.search(text)


def _dangling(text: str) -> bool:
    """Does the sentence lean on an earlier one («Ол …», «Мәселен, …», «Бұған дейін …»)? It may follow that
    sentence but never open a summary."""
    lower = text.casefold()
    return lower.startswith(DANGLING_OPENERS) or bool(_POINTING_BACK.match(lower) or _BACKGROUND.match(lower))


def _similar(a: str, b: str) -> float:
    sa, sb = set(_stems(a)), set(_stems(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def summarize(
    title: str,
    body: str,
    *,
    lead: str = "",
    max_chars: int = MAX_CHARS,
    max_sentences: int = MAX_SENTENCES,
    sentences: list[Sentence] | None = None,
) -> str:
    """The news first: the editor's lead when there is one, else the first complete, self-contained sentence of
    the body (news puts the main fact first), then the next sentences that add to it, at most `max_chars`.

    Skipped on the way: page furniture (photo credits, view counts, dates), the title repeated, datelines and
    newsroom credits, quotes (the post shows one separately), and sentences that point back («Ол …», «Бұған
    дейін …»). It never cuts a sentence, so it never ends mid-word."""
    sentences = split_sentences(body) if sentences is None else sentences
    chosen: list[str] = [_clean(lead)] if lead.strip() and len(lead) <= max_chars else []
    budget = 400 if not chosen else max_chars
    previous_taken = bool(chosen)
    for sentence, quoted in zip(sentences, _inside_quotes(sentences), strict=True):
        if len(chosen) >= max_sentences:
            break
        text = _clean(sentence.text)
        if quoted or not _usable(sentence, title) or (_dangling(text) and not previous_taken):
            previous_taken = False
            continue
        length = sum(len(c) + 1 for c in chosen)
        if any(_similar(text, c) > 0.6 for c in chosen) or length + len(text) > max_chars:
            previous_taken = False
            continue
        if chosen and length + len(text) > budget:
            break
        chosen.append(text)
        previous_taken = True
    return " ".join(chosen)


def _inside_quotes(sentences: list[Sentence]) -> list[bool]:
    """For each sentence, does it stand inside a quotation that opened in an earlier sentence?"""
    flags = []
    depth = 0
    paragraph = -1
    for sentence in sentences:
        if sentence.paragraph != paragraph:
            depth, paragraph = 0, sentence.paragraph
        flags.append(depth > 0)
        depth = max(0, depth + sentence.text.count("«") - sentence.text.count("»"))
    return flags


def lead_baseline(body: str, count: int = 3) -> str:
    """Lead-3: the first sentences of the body, the baseline summaries are compared with."""
    return " ".join(s.text for s in split_sentences(body)[:count])
