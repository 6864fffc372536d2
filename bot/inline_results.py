"""Inline mode: what `@<bot> <words>` lists in any chat, and the card each result sends. Knows the database,
not Telegram (bot/handlers/inline_mode.py turns these into Telegram's result objects).

Empty query: the newest articles. Words: full-text search, best first. «, or «Name, or a name that someone was
quoted under: quotes. Telegram allows at most 50 results an answer, result ids of at most 64 bytes and a
next_offset of at most 64 bytes; answers here are pages of 20 with the next page's position as next_offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

from bot.analysis.morphology import name_nominative, search_stems
from bot.i18n import text
from bot.render import Button, in_guillemets, local_date, shorten
from storage import Database, articles, listings
from storage.listings import ArticleCard, PagedQuote

PAGE = 20
MAX_QUERY_CHARS = 256  # Telegram's limit on the query text
MAX_OFFSET = 10_000
_OFFSET = re.compile(r"\d{1,5}")
_NAME_WORDS = re.compile(r"[^\W\d_][\w-]*")
_IMAGE_URL = re.compile(r"https?://\S+$")


@dataclass(frozen=True, slots=True)
class InlineResult:
    """One result: what the list shows (title, description, thumbnail) and the card it sends."""

    id: str
    title: str
    description: str
    card_html: str
    buttons: list[list[Button]]
    thumbnail_url: str | None = None


@dataclass(frozen=True, slots=True)
class InlineAnswer:
    results: list[InlineResult]
    next_offset: str


@dataclass(frozen=True, slots=True)
class InlineContext:
    db: Database
    language: str
    timezone: ZoneInfo
    bot_username: str


async def answer(ctx: InlineContext, query: str, offset: str) -> InlineAnswer:
    """The page of results at `offset` (as Telegram hands back our next_offset; anything else is the start)."""
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    start = int(offset) if _OFFSET.fullmatch(offset or "") else 0
    if start >= MAX_OFFSET:
        return InlineAnswer([], "")
    if query.startswith("«"):
        return await _quotes(ctx, query.lstrip("«").rstrip("»").strip(), start)
    words = _NAME_WORDS.findall(query)
    if query and len(words) <= 3 and " ".join(words) == query:
        quoted = await _quotes(ctx, query, start, only_if_any=True)
        if quoted.results:
            return quoted
    if not query:
        cards = await listings.newest_cards(ctx.db, limit=PAGE + 1, offset=start)
        return _page([_article_result(ctx, c) for c in cards], start)
    stems = search_stems(query)
    if not stems:
        return InlineAnswer([], "")
    found, total = await articles.search(ctx.db, stems, limit=PAGE, offset=start)
    cards = await listings.cards(ctx.db, [h.id for h in found])
    more = start + PAGE < total
    return InlineAnswer([_article_result(ctx, c) for c in cards], str(start + PAGE) if more else "")


def _page(results: list[InlineResult], start: int) -> InlineAnswer:
    """A page fetched with one extra row, which says whether there is a next page."""
    return InlineAnswer(results[:PAGE], str(start + PAGE) if len(results) > PAGE else "")


async def _quotes(ctx: InlineContext, name: str, start: int, *, only_if_any: bool = False) -> InlineAnswer:
    words = _NAME_WORDS.findall(name)
    if not words:
        found = await listings.latest_quotes_page(ctx.db, limit=PAGE + 1, offset=start)
        return _page([_quote_result(ctx, q) for q in found], start)
    surname = name_nominative(words[-1])
    given = name_nominative(words[0])[:3].capitalize() if len(words) > 1 else ""
    quotes, total = await listings.quotes_of_person_page(ctx.db, surname, given_prefix=given, limit=PAGE, offset=start)
    if total == 0 and given:
        quotes, total = await listings.quotes_of_person_page(ctx.db, surname, limit=PAGE, offset=start)
    if total == 0 and only_if_any:
        return InlineAnswer([], "")
    more = start + PAGE < total
    return InlineAnswer([_quote_result(ctx, q) for q in quotes], str(start + PAGE) if more else "")


def _links(ctx: InlineContext, article_id: int, url: str | None) -> list[list[Button]]:
    """Read it in the bot (a deep link: /start article_<id>) and on the site."""
    deep_link = f"https://t.me/{ctx.bot_username}?start=article_{article_id}"
    row = [Button(text(ctx.language, "inline_read_in_bot"), url=deep_link)]
    if url:
        row.append(Button(text(ctx.language, "on_site"), url=url))
    return [row]


def _article_result(ctx: InlineContext, card: ArticleCard) -> InlineResult:
    day = local_date(card.shown_at, ctx.timezone)
    summary = card.summary or card.lead
    html = f"<b>{escape(shorten(card.title, 300))}</b>\n<i>{day}</i>"
    if summary:
        html += f"\n\n{escape(shorten(summary, 700))}"
    image = card.image_url if card.image_url and _IMAGE_URL.match(card.image_url) else None
    return InlineResult(
        id=f"a{card.id}",
        title=shorten(card.title, 120),
        description=f"{day} · {shorten(summary, 150)}" if summary else day,
        card_html=html,
        buttons=_links(ctx, card.id, card.url),
        thumbnail_url=image,
    )


def _quote_result(ctx: InlineContext, quote: PagedQuote) -> InlineResult:
    speaker = quote.speaker or "?"
    role = f", {escape(shorten(quote.role, 100))}" if quote.role else ""
    html = (
        f"{in_guillemets(escape(shorten(quote.text, 1500)))}\n— <b>{escape(speaker)}</b>{role}\n"
        f"<i>{escape(shorten(quote.article_title, 200))}</i>"
    )
    return InlineResult(
        id=f"q{quote.id}",
        title=text(ctx.language, "inline_quote_of", speaker=speaker),
        description=f"«{shorten(quote.text, 150)}»",
        card_html=html,
        buttons=_links(ctx, quote.article_id, quote.article_url),
    )


def shared_article_id(result_id: str) -> int | None:
    """The article of a chosen article card (None for a quote card, which is not counted)."""
    match = re.fullmatch(r"a(\d{1,18})", result_id)
    return int(match[1]) if match else None


async def record_choice(db: Database, result_id: str) -> None:
    """A reader sent one of the results into a chat: an article's card counts as a share of that article."""
    article_id = shared_article_id(result_id)
    if article_id is not None:
        await listings.record_share(db, article_id)
