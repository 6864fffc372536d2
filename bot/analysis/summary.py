"""Short extractive summaries a channel subscriber understands without the article."""

from __future__ import annotations

import math
import re
from collections import Counter
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


def _clean(sentence: str) -> str:
    """Drop the newsroom credit («…, – деп хабарлайды Aikyn.kz») and make the sentence end properly."""
    text = _CREDIT.sub("", sentence).strip()
    if text and text[-1] not in '.!?…»"”':
        text += "."
    return text


def _usable(sentence: Sentence, title: str) -> bool:
    text = sentence.text
    lower = text.casefold()
    if len(text) < 40 or len(text) > 420:
        return False
    if text.count("«") != text.count("»") or text.count("“") != text.count("”"):
        return False
    if lower.startswith(("–", "—", "-", "•")) or text.endswith(":"):
        return False
    if _similar(text, title) > 0.7:
        return False
    return not _PROMO.search(text)


def _dangling(text: str) -> bool:
    lower = text.casefold()
    return lower.startswith(DANGLING_OPENERS) or bool(_POINTING_BACK.match(lower))


def _similar(a: str, b: str) -> float:
    sa, sb = set(_stems(a)), set(_stems(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def summarize(
    title: str,
    body: str,
    *,
    max_chars: int = MAX_CHARS,
    max_sentences: int = MAX_SENTENCES,
    sentences: list[Sentence] | None = None,
) -> str:
    """2–3 central, self-contained sentences of the body in their original order, at most `max_chars`.

    Each sentence scores by how much of the article's recurring vocabulary it carries (TF-IDF-like weights of
    stems repeated across sentences), by its overlap with the title, and by an early position; sentences that
    start by pointing back («Ол …», «Өз кезегінде …») are allowed only right after the sentence they lean on.
    """
    sentences = split_sentences(body) if sentences is None else sentences
    if not sentences:
        return ""
    stems_per = [set(_stems(s.text)) for s in sentences]
    frequency: Counter[str] = Counter(stem for stems in stems_per for stem in stems)
    n = len(sentences)
    title_stems = set(_stems(title))
    scores = []
    for index, (sentence, stems) in enumerate(zip(sentences, stems_per, strict=True)):
        if not stems or not _usable(sentence, title):
            scores.append(-1.0)
            continue
        centrality = sum(math.log(1 + frequency[s]) for s in stems if frequency[s] > 1) / math.sqrt(len(stems))
        title_overlap = len(stems & title_stems) / (len(title_stems) or 1)
        position = 1.0 / (1 + index / 3)
        scores.append(centrality + 2.0 * title_overlap + 3.0 * position)
    ranked = sorted((i for i in range(n) if scores[i] > 0), key=lambda i: -scores[i])
    chosen: list[int] = []
    length = 0
    for index in ranked:
        text = _clean(sentences[index].text)
        if _dangling(text) and (index - 1) not in chosen:
            continue
        if length + len(text) + 1 > max_chars:
            continue
        if any(_similar(text, sentences[c].text) > 0.8 for c in chosen):
            continue
        chosen.append(index)
        length += len(text) + 1
        if len(chosen) == max_sentences:
            break
    chosen.sort()
    while chosen and _dangling(_clean(sentences[chosen[0]].text)):
        chosen.pop(0)
    if not chosen:
        fallback = next((s.text for s in sentences if _usable(s, title) and not _dangling(s.text)), "")
        return _shorten(_clean(fallback), max_chars) if fallback else ""
    return " ".join(_clean(sentences[i].text) for i in chosen)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def lead_baseline(body: str, count: int = 3) -> str:
    """Lead-3: the first sentences of the body, the baseline summaries are compared with."""
    return " ".join(s.text for s in split_sentences(body)[:count])
