"""Plain records shared by parsers, the text analysis and storage: articles before they have an id, and what
the analysis finds in them. Depends on nothing else in the project, so importing storage loads no NLP code."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

QuoteKind = Literal["direct", "indirect", "dialogue"]
# How a quote's speaker was found. "named" (the name stands in the attribution) and "header" (a «Name, role:»
# line or a «Name: …» headline) are certain; the others point back or guess, and a channel post never shows them.
SpeakerSource = Literal[
    "named",
    "header",
    "pronoun",
    "role_noun",
    "before_paragraph",
    "interview",
    "group",
    "organization",
    "nested",
    "unknown",
]
CERTAIN_SOURCES: frozenset[str] = frozenset({"named", "header"})
EntityKind = Literal["person", "org", "place"]


@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to a speaker; `text` has no quote marks and no attribution."""

    text: str
    speaker: str | None
    role: str = ""
    kind: QuoteKind = "direct"
    speaker_source: SpeakerSource = "unknown"


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
    # why an extraction from a page waits for an editor before it may be posted ("" = it need not wait)
    hold_reason: str = ""

    @property
    def identity(self) -> str:
        """What makes two drafts the same article: its URL (normalised), else its title (normalised)."""
        return identity_key(self.url, self.title)

    @property
    def content_key(self) -> str:
        """The same article whatever its source: a fingerprint of the normalised title and body only (a page, an
        editor's .txt and an import of one article differ in URL, date, lead and views, not in these)."""
        return content_key(self.title, self.body)

    @property
    def version_key(self) -> str:
        """A fingerprint of what readers see, exactly: a re-import that changes none of it writes nothing."""
        return hashlib.sha256("\x1f".join([self.title, self.lead, self.body]).encode()).hexdigest()


# Raise when identity_key or content_key change: stored articles are re-keyed when the database is opened.
KEYS_VERSION = 1
# Query parameters that say where a reader came from, not which page: dropped from article URLs.
_TRACKING_PARAMETERS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|yclid|ysclid|msclkid|mc_cid|mc_eid|igshid|_ga|_gl|"
    r"ref|ref_src|cmpid|ocid|spm|at_\w+|wt_mc|ncid|sr_share|amp|outputtype)$",
    re.IGNORECASE,
)
_QUOTE_MARKS = re.compile("[«»“”„‟'‘’‚‹›]")
_DASHES = re.compile("[‐‑‒–—―−]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")


def normalize_url(url: str) -> str:
    """One spelling of an article's address: no scheme, lower-case host without `www.` and default port, the path
    percent-decoded without a trailing slash or `/amp`, tracking parameters and the fragment dropped, the other
    parameters sorted. http://www.aikyn.kz/a/1/amp/?utm_source=tg and https://aikyn.kz/a/1 are one article."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").casefold().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = unquote(parts.path).rstrip("/")
    path = re.sub(r"/amp$", "", path, flags=re.IGNORECASE).rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMETERS.match(k)
    )
    return host + path + ("?" + urlencode(query) if query else "")


def normalize_text(text: str) -> str:
    """Text as compared across sources: case, whitespace, quote and dash styles and invisible characters folded.
    (Regular expressions, not str.translate: that looks every character of a non-ASCII text up in a dictionary,
    several times slower on a whole article.)"""
    text = _DASHES.sub("-", _QUOTE_MARKS.sub('"', unicodedata.normalize("NFC", text)))
    text = _INVISIBLE.sub("", text)
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1024)
def identity_key(url: str | None, title: str) -> str:
    """An article's identity: `u:` and its normalised URL, or without one `t:` and its normalised title."""
    if url and url.strip():
        return "u:" + normalize_url(url)
    return "t:" + normalize_text(title)


@lru_cache(maxsize=1024)
def content_key(title: str, body: str) -> str:
    """The fingerprint of an article's normalised title and body (kept for the last articles asked about: one
    import looks it up several times per article)."""
    return hashlib.sha256(f"{normalize_text(title)}\x1f{normalize_text(body)}".encode()).hexdigest()
