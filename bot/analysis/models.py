"""Plain records produced by the text analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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
    """A person, organisation or place; `key` is the case-folded nominative used to merge mentions."""

    name: str
    kind: EntityKind
    key: str
    mentions: int = 1


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the bot stores about one article's text."""

    sentences: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    summary: str = ""
