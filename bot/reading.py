"""What readers ask the bot, answered as rendered replies. Knows the database, not Telegram."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from zoneinfo import ZoneInfo

from bot import browsing
from bot.analysis.morphology import name_nominative, search_stems
from bot.article_files import is_web_url
from bot.i18n import text
from bot.render import (
    MESSAGE_LIMIT,
    Button,
    Reply,
    in_guillemets,
    local_date,
    pack_paragraphs,
    shorten,
    visible_length,
)
from storage import Database, article_analysis, articles
from storage.articles import Headline

PAGE_SIZE = 5
MAX_ARGUMENT_CHARS = 200
MAX_ARTICLE_ID = 2**63 - 1


class ReaderMistake(Exception):
    """Reader input the bot cannot use; the message is the reply to send."""


@dataclass(frozen=True, slots=True)
class ReaderContext:
    db: Database
    language: str
    timezone: ZoneInfo

    def t(self, key: str, **fields: object) -> str:
        return text(self.language, key, **fields)


def parse_article_id(ctx: ReaderContext, value: str | None, command: str) -> int:
    """A positive article id from a command argument, or ReaderMistake with a reply saying what is wrong."""
    if value is None or not value.strip():
        raise ReaderMistake(ctx.t("need_id", command=command))
    value = value.strip().lstrip("#№")
    # ASCII digits only: int() also reads «١٢» and «１２», which no one means as an article number
    if not re.fullmatch(r"[0-9]{1,19}", value) or not 0 < int(value) <= MAX_ARTICLE_ID:
        raise ReaderMistake(ctx.t("bad_id", value=escape(shorten(value, 40)), command=command))
    return int(value)


# what a reader means as an article number, right or wrong (-1, ١٢ and １２ get "not an article number")
_LOOKS_LIKE_ID = re.compile(r"[#№]?[-+]?\d+")
MIN_TERM_LETTERS = 3


def search_terms(query: str) -> tuple[list[str], list[str]]:
    """Stems to search for, and the ones left out: a stem of 1–2 letters is no prefix the index keeps, and would
    make it merge every word that begins with it (`/search а б в г д е ж з` took 663 ms at 17,000 articles)."""
    stems = search_stems(query)
    return [s for s in stems if len(s) >= MIN_TERM_LETTERS], [s for s in stems if len(s) < MIN_TERM_LETTERS]


def _search_stems(ctx: ReaderContext, query: str) -> list[str]:
    stems, ignored = search_terms(query)
    if not stems:
        raise ReaderMistake(ctx.t("need_longer_words" if ignored else "need_words"))
    return stems


def check_length(ctx: ReaderContext, value: str) -> str:
    if len(value) > MAX_ARGUMENT_CHARS:
        raise ReaderMistake(ctx.t("too_long", length=len(value), limit=MAX_ARGUMENT_CHARS))
    return value.strip()


def _headline_lines(ctx: ReaderContext, headlines: list[Headline]) -> str:
    return "\n\n".join(_headline_line(h, ctx.timezone) for h in headlines)


@lru_cache(maxsize=4096)
def _headline_line(headline: Headline, timezone: ZoneInfo) -> str:
    """One entry of a list; kept by content, since a burst of readers asks for the same few pages."""
    h = headline
    summary = f"\n{escape(shorten(h.summary, 160))}" if h.summary else ""
    return f"<b>{h.id}.</b> {escape(shorten(h.title, 200))} <i>({local_date(h.shown_at, timezone)})</i>{summary}"


def _open_buttons(ctx: ReaderContext, headlines: list[Headline]) -> list[Button]:
    return [Button(f"{ctx.t('open')} {h.id}", data=f"a:{h.id}") for h in headlines]


def _pager(ctx: ReaderContext, prefix: str, offset: int, total: int) -> list[Button]:
    row = []
    if offset > 0:
        row.append(Button(ctx.t("prev"), data=f"{prefix}:{max(0, offset - PAGE_SIZE)}"))
    if offset + PAGE_SIZE < total:
        row.append(Button(ctx.t("next"), data=f"{prefix}:{offset + PAGE_SIZE}"))
    return row


async def latest(ctx: ReaderContext, offset: int = 0) -> Reply:
    """A page of the newest articles. Kept rendered until the next write (the database's read cache): a burst of
    readers arriving from a channel post asks for the same first page."""
    offset = max(0, offset)
    return await ctx.db.cached(("latest", ctx.language, ctx.timezone, offset), lambda: _latest_page(ctx, offset))


async def _latest_page(ctx: ReaderContext, offset: int) -> Reply:
    headlines, total = await articles.newest_page(ctx.db, limit=PAGE_SIZE, offset=offset)
    if not headlines and total > 0:  # a page that no longer exists (an old button): show the last one
        offset = (total - 1) // PAGE_SIZE * PAGE_SIZE
        headlines, total = await articles.newest_page(ctx.db, limit=PAGE_SIZE, offset=offset)
    if not headlines:
        return Reply(ctx.t("empty_archive"))
    page = f"\n<i>{offset // PAGE_SIZE + 1}/{(total - 1) // PAGE_SIZE + 1} {ctx.t('page')}</i>"
    buttons = [row for row in (_open_buttons(ctx, headlines), _pager(ctx, "l", offset, total)) if row]
    return Reply(f"{ctx.t('latest_title')}\n\n{_headline_lines(ctx, headlines)}{page}", buttons)


async def article_messages(ctx: ReaderContext, article_id: int) -> list[Reply]:
    """The full article as one or more messages (Telegram allows 4096 characters each)."""
    article = await articles.get(ctx.db, article_id)
    if article is None:
        raise ReaderMistake(ctx.t("no_article", id=article_id))
    meta = local_date(article.shown_at, ctx.timezone)
    if article.views is not None:
        meta += f" · {article.views:,} {ctx.t('views')}".replace(",", " ")
    header = f"<b>{escape(article.title)}</b>\n<i>{meta}</i>"
    paragraphs = ([article.lead] if article.lead else []) + article.paragraphs
    parts = pack_paragraphs(header, paragraphs)
    replies = [Reply(part) for part in parts]
    buttons = [Button(ctx.t("on_site"), url=article.url)] if article.url and is_web_url(article.url) else []
    buttons.append(Button("/related", data=f"r:{article.id}"))
    follow = await browsing.follow_buttons(ctx, article.id)
    replies[-1] = Reply(replies[-1].text, [row for row in (buttons, follow) if row])
    return replies


def _quote_lines(ctx: ReaderContext, quotes: list[article_analysis.StoredQuote], *, with_article: bool) -> str:
    lines = []
    for q in quotes:
        who = escape(q.speaker or "?")
        role = f", {escape(shorten(q.role, 120))}" if q.role else ""
        source = f"\n<i>№{q.article_id}. {escape(shorten(q.article_title, 80))}</i>" if with_article else ""
        marker = f" ({ctx.t('indirect')})" if q.kind == "indirect" else ""
        lines.append(f"{in_guillemets(escape(shorten(q.text, 600)))}\n— <b>{who}</b>{role}{marker}{source}")
    return "\n\n".join(lines)


async def quotes(ctx: ReaderContext, argument: str) -> list[Reply]:
    """Quotes of one article (/quotes 12), of one person (/quotes Абдуллиннің), or the latest."""
    argument = check_length(ctx, argument)
    if not argument:
        page = await browsing.latest_quotes(ctx)
        return [page or Reply(ctx.t("no_quotes"))]
    if _LOOKS_LIKE_ID.fullmatch(argument):
        article_id = parse_article_id(ctx, argument, "/quotes")
        if await articles.get(ctx.db, article_id) is None:
            raise ReaderMistake(ctx.t("no_article", id=article_id))
        found = await article_analysis.quotes_of_article(ctx.db, article_id)
        if not found:
            return [Reply(ctx.t("no_quotes"))]
        messages = _as_messages(ctx.t("quotes_title"), _quote_lines(ctx, found, with_article=False))
        follow = await browsing.follow_buttons(ctx, article_id)
        return [*messages[:-1], Reply(messages[-1].text, [follow] if follow else [])]
    words = re.findall(r"[^\W\d_][\w-]*", argument)
    if not words:
        raise ReaderMistake(ctx.t("no_quotes_by", name=escape(shorten(argument, 60))))
    given = name_nominative(words[0]) if len(words) > 1 else ""
    page = await browsing.person_quotes(ctx, name_nominative(words[-1]), given)
    return [page or Reply(ctx.t("no_quotes_by", name=escape(shorten(argument, 60))))]


def _as_messages(title: str, body_html: str) -> list[Reply]:
    """A long list split between whole items, each message within Telegram's limit."""
    items = body_html.split("\n\n")
    messages, current = [], title
    for item in items:
        candidate = f"{current}\n\n{item}"
        if visible_length(candidate) > MESSAGE_LIMIT and current != title:
            messages.append(Reply(current))
            current = item
        else:
            current = candidate
    messages.append(Reply(current))
    return messages


async def related(ctx: ReaderContext, argument: str) -> Reply:
    article_id = parse_article_id(ctx, argument, "/related")
    article = await articles.get(ctx.db, article_id)
    if article is None:
        raise ReaderMistake(ctx.t("no_article", id=article_id))
    found = await article_analysis.related_articles(ctx.db, article_id, limit=PAGE_SIZE)
    if len(found) < PAGE_SIZE:
        found += await _topic_neighbours(
            ctx, article, exclude={article_id, *(r.article_id for r in found)}, limit=PAGE_SIZE - len(found)
        )
    if not found:
        return Reply(ctx.t("no_related", id=article_id))
    lines = []
    for r in found:
        shared = ", ".join(escape(e.name) for e in r.shared[:4]) or escape(r.topic)
        lines.append(f"<b>{r.article_id}.</b> {escape(shorten(r.title, 150))}\n<i>{ctx.t('shared')}: {shared}</i>")
    buttons = [[Button(f"{ctx.t('open')} {r.article_id}", data=f"a:{r.article_id}") for r in found]]
    return Reply(f"{ctx.t('related_title', id=article_id)}\n\n" + "\n\n".join(lines), buttons)


async def _topic_neighbours(
    ctx: ReaderContext, article: articles.Article, *, exclude: set[int], limit: int
) -> list[article_analysis.RelatedArticle]:
    """Articles about the same topic: full-text search for the title's two longest words."""
    stems = [s for s in search_stems(article.title) if len(s) >= 5][:6]
    if not stems:
        return []
    found = await articles.search_topic(ctx.db, stems, limit=limit + len(exclude))
    topic = ", ".join(stems[:3])
    return [article_analysis.RelatedArticle(h.id, h.title, 0.0, [], topic) for h in found if h.id not in exclude][
        :limit
    ]


# «/events 1995» and «/events 1995 жылы» ask for a year: four digits from 1000 to 2100, with or without «жыл…»
# («год» in Russian); any other number is an article id.
_YEAR_ARGUMENT = re.compile(
    r"(?P<year>1[0-9]{3}|20[0-9]{2}|2100)(?:\s*-?\s*(?:жыл\w*|ж\.?|год\w*|г\.?))?", re.IGNORECASE
)


async def events(ctx: ReaderContext, argument: str) -> list[Reply]:
    argument = check_length(ctx, argument)
    year = _YEAR_ARGUMENT.fullmatch(argument)
    if year:
        found = await article_analysis.events_in_year(ctx.db, int(year["year"]), limit=60)
        with_article = True
    elif _LOOKS_LIKE_ID.fullmatch(argument):
        article_id = parse_article_id(ctx, argument, "/events")
        if await articles.get(ctx.db, article_id) is None:
            raise ReaderMistake(ctx.t("no_article", id=article_id))
        found = await article_analysis.events_of_article(ctx.db, article_id)
        with_article = False
    elif argument:
        found = await article_analysis.events_matching(ctx.db, _search_stems(ctx, argument), limit=30)
        with_article = True
    else:
        latest_ids = [h.id for h in await articles.newest(ctx.db, limit=PAGE_SIZE)]
        found = [e for a in latest_ids for e in await article_analysis.events_of_article(ctx.db, a)]
        found.sort(key=lambda e: (e.year, e.day or ""))
        with_article = True
    if not found:
        return [Reply(ctx.t("no_events"))]
    lines = []
    for e in found:
        when = e.day.strftime("%d.%m.%Y") if e.day else (f"{e.year}–{e.year_end}" if e.year_end else str(e.year))
        source = f" <i>(№{e.article_id})</i>" if with_article else ""
        lines.append(f"<b>{when}</b> — {escape(shorten(e.what, 200))} <i>[{escape(e.when)}]</i>{source}")
    return _as_messages(ctx.t("events_title"), "\n\n".join(lines))


async def search(ctx: ReaderContext, query: str, offset: int = 0) -> tuple[Reply, bool]:
    """A page of search results; the flag says whether paging buttons were added (then `s:` data refers to it)."""
    query = check_length(ctx, query)
    stems = _search_stems(ctx, query)
    found, total = await articles.search(ctx.db, stems, limit=PAGE_SIZE, offset=max(0, offset))
    hint = browsing.russian_hint(ctx.language, query, found_any=total > 0)
    if total == 0:
        nothing = ctx.t("nothing_found", query=escape(shorten(query, 60)))
        return Reply(f"{nothing}\n\n{hint}" if hint else nothing), False
    shown_total = f"{total}+" if total >= articles.RANKED_MATCHES else str(total)
    header = ctx.t("search_title", query=escape(shorten(query, 60)), total=shown_total)
    ignored = search_terms(query)[1]
    if ignored:
        header += "\n<i>" + ctx.t("short_words_ignored", words=escape(", ".join(ignored))) + "</i>"
    pager = _pager(ctx, "s", offset, total)
    buttons = [row for row in (_open_buttons(ctx, found), pager) if row]
    terms = browsing.match_terms(stems)
    entries = "\n\n".join(browsing.highlighted_entry(h, ctx.timezone, terms) for h in found)
    return Reply(f"{header}\n\n{entries}" + (f"\n\n{hint}" if hint else ""), buttons), bool(pager)
