"""Plain records shared by parsers, the text analysis and storage: articles before they have an id, and what
the analysis finds in them. Depends on nothing else in the project, so importing storage loads no NLP code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

QuoteKind = Literal["direct", "indirect", "dialogue"]
EntityKind = Literal["person", "org", "place"]


@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to a speaker; `text` has no quote marks and no attribution."""

    text: str
    speaker: str | None
    role: str = ""
    kind: QuoteKind = "direct"


@dataclass(frozen=True, slots=True)
class Event:
    """A dated happening: the date expression as written, normalised to a year (and a day if given)."""

    when: str
    year: int
    what: str
    date: date | None = None
    year_end: int | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place; `key` is the case-folded nominative used to merge mentions;
    `spans` are the [start, end) character offsets of its mentions in the analysed text."""

    name: str
    kind: EntityKind
    key: str
    mentions: int = 1
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the bot stores about one article's text."""

    sentences: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article as parsed from a file or a page, before it has an id."""

    title: str
    body: str
    lead: str = ""
    url: str | None = None
    published_at: datetime | None = None
    views: int | None = None
    source: str = ""
    image_url: str | None = None

    @property
    def identity(self) -> str:
        """What makes two drafts the same article: its URL, else its title (whitespace and case folded)."""
        if self.url:
            return "url:" + self.url.strip()
        return "title:" + " ".join(self.title.casefold().split())
