"""Kazakh text analysis: pure functions over strings, knowing nothing of Telegram or the database."""

from __future__ import annotations

from datetime import datetime

from bot.analysis.entities import extract_entities
from bot.analysis.events import extract_events, publication_event
from bot.analysis.morphology import is_surname_like
from bot.analysis.names import find_people
from bot.analysis.quotes import extract_quotes
from bot.analysis.sentences import split_sentences
from bot.analysis.summary import summarize
from bot.records import CERTAIN_SOURCES, Analysis, Entity, Event, Quote

# Bump when the analysis changes so stored articles are analysed again at the next start.
ANALYSIS_VERSION = 4

__all__ = ["ANALYSIS_VERSION", "Analysis", "Entity", "Event", "Quote", "analyze_article"]


def analyze_article(title: str, lead: str, body: str, published_at: datetime | None = None) -> Analysis:
    """Everything the bot knows about an article's text. `body` has paragraphs separated by blank lines."""
    text = "\n".join(p.strip() for p in body.split("\n") if p.strip())
    sentences = split_sentences(text)
    events = extract_events(text, sentences)
    own = publication_event(title, published_at)
    if own is not None:
        events.insert(0, own)
    # one pass for names over title, lead and body serves both the entities and the quotes
    head = "\n".join(part for part in (title, lead) if part)
    whole = f"{head}\n{text}" if head else text
    people = find_people(whole, strict=False)
    # headlines speak too («Name: statement»), so quotes are read over the whole text
    quotes = extract_quotes(whole, people)
    return Analysis(
        sentences=[s.text for s in sentences],
        quotes=quotes,
        events=events,
        entities=extract_entities(whole, [m for m in people if is_surname_like(m.surname)]),
        summary=summarize(title, text, lead=lead, sentences=sentences, skip=_post_quotes(quotes, title)),
    )


def _post_quotes(quotes: list[Quote], title: str) -> list[str]:
    """The quote a channel post will show apart (as post_format.key_quote picks it: certain, direct, not in the
    title, a short one first): the summary leaves it out so the post never says the same words twice."""
    certain = [
        q.text
        for q in quotes
        if q.kind == "direct" and q.speaker and q.speaker_source in CERTAIN_SOURCES and q.text not in title
    ]
    short = [text for text in certain if len(text) <= 300]
    return (short or certain)[:1]
