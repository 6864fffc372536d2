"""Rendering for Telegram's HTML parse mode: all article text escaped here, limits enforced here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html import escape, unescape
from zoneinfo import ZoneInfo

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: `data` for a callback (≤ 64 bytes), or `url`."""

    label: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button has either callback data or a URL")
        if self.data is not None and len(self.data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send: HTML text and rows of inline buttons."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    preview_url: str | None = None  # a page whose link preview (with its image) shows above the text


def local_date(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%d.%m.%Y}"


def local_datetime(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%d.%m.%Y %H:%M}"


def shorten(text: str, limit: int) -> str:
    """Plain text cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return cut + "…"


def visible_length(html_text: str) -> int:
    """Length of an HTML message as Telegram counts it: after tags are removed and entities decoded."""
    return len(unescape(re.sub(r"<[^>]+>", "", html_text)))


_SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+")


def _pieces(paragraph: str, limit: int) -> list[str]:
    """A paragraph cut into pieces of at most `limit` characters: at sentences, then words, then anywhere."""
    if len(paragraph) <= limit:
        return [paragraph]
    out: list[str] = []
    current = ""
    for unit in _split_keep(paragraph, _SENTENCE_END):
        if len(unit) > limit:
            for word in _split_keep(unit, re.compile(r"(?<=\s)")):
                while len(word) > limit:
                    if current:
                        out.append(current)
                        current = ""
                    out.append(word[:limit])
                    word = word[limit:]
                if len(current) + len(word) > limit:
                    out.append(current)
                    current = ""
                current += word
            continue
        if len(current) + len(unit) > limit:
            out.append(current)
            current = ""
        current += unit
    if current:
        out.append(current)
    return [p.strip() for p in out if p.strip()]


def _split_keep(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split after each match, keeping the separators attached to the preceding piece."""
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(text[last : match.end()])
        last = match.end()
    pieces.append(text[last:])
    return [p for p in pieces if p]


def pack_paragraphs(header_html: str, paragraphs: list[str], *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Messages holding the escaped paragraphs in order, each within `limit` visible characters.

    Paragraphs are kept whole where they fit; a longer one is split at sentence, then word boundaries.
    The header (already HTML) opens the first message. Every message is balanced HTML because tags only
    appear in the header and article text is escaped piece by piece.
    """
    messages: list[str] = []
    current_html = header_html
    current_len = visible_length(header_html)
    for paragraph in paragraphs:
        room = limit - 2
        for piece in _pieces(paragraph, room):
            needed = len(piece) + (2 if current_len else 0)
            if current_len + needed > limit:
                messages.append(current_html)
                current_html, current_len = "", 0
                needed = len(piece)
            current_html += ("\n\n" if current_html else "") + escape(piece, quote=False)
            current_len += needed
    if current_html:
        messages.append(current_html)
    return messages


def hashtag(name: str) -> str | None:
    """#AMANAT, #ҚазақстанХалқыАссамблеясы, #РусланАбдуллин — letters and digits only."""
    inner = re.search(r"«([^»]+)»", name)
    source = inner.group(1) if inner else name
    words = re.findall(r"[^\W_]+", source)
    if not words:
        return None
    tag = "".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)
    if tag.isdigit() or len(tag) > 30:
        return None
    return "#" + tag


def in_guillemets(escaped_text: str) -> str:
    """«…» around a quote; a quote that opens with a nested «…» shares its opening mark, as Kazakh print does."""
    return f"{escaped_text}»" if escaped_text.startswith("«") else f"«{escaped_text}»"
