"""Listings of the archive, page by page: quotes (all, or one person's), and article cards for inline mode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.timestamps import required_from_db


@dataclass(frozen=True, slots=True)
class PagedQuote:
    id: int
    article_id: int
    article_title: str
    article_url: str | None
    text: str
    speaker: str | None
    surname: str | None
    role: str
    kind: str


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """What an inline result shows of an article."""

    id: int
    title: str
    summary: str
    lead: str
    shown_at: datetime
    url: str | None
    image_url: str | None


_QUOTE_COLUMNS = "q.id, q.article_id, a.title, a.url, q.text, q.speaker, q.speaker_surname, q.role, q.kind"


def _quote(row: aiosqlite.Row) -> PagedQuote:
    return PagedQuote(*row)


async def latest_quotes_page(db: Database, *, limit: int, offset: int) -> list[PagedQuote]:
    """Attributed quotes, newest articles first, in their order in the article; `limit` rows from `offset`.
    The articles' newest-first index drives the walk, so a page costs its offset, not the archive's size."""
    rows = await db.fetchall(
        f"SELECT {_QUOTE_COLUMNS} FROM articles a CROSS JOIN quotes q ON q.article_id = a.id"
        " WHERE q.speaker IS NOT NULL ORDER BY a.sort_at DESC, a.id DESC, q.position LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_quote(row) for row in rows]


async def quotes_of_person_page(
    db: Database, surname: str, *, given_prefix: str = "", limit: int, offset: int
) -> tuple[list[PagedQuote], int]:
    """Quotes whose speaker's nominative surname is `surname` (and whose name starts with `given_prefix`, when
    given), newest articles first; and how many there are. The page walks `quotes_by_surname` and stops at
    `limit`; the total is counted apart, from `quotes_by_speaker` alone (a window count over the page's join
    would read every quote of the person and its article)."""
    key, given = surname.casefold(), given_prefix.replace("%", "").replace("_", "") + "%"
    rows = await db.fetchall(
        f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id"
        " WHERE q.speaker_surname = ? AND q.speaker LIKE ? ORDER BY q.article_id DESC, q.position LIMIT ? OFFSET ?",
        (key, given, limit, offset),
    )
    if offset == 0 and len(rows) < limit:
        return [_quote(row) for row in rows], len(rows)
    total = await db.fetchval(
        "SELECT count(*) FROM quotes WHERE speaker_surname = ? AND speaker LIKE ?",
        (key, given),
    )
    return [_quote(row) for row in rows], int(total)


_CARD_COLUMNS = "id, title, summary, lead, sort_at, url, image_url"


def _card(row: aiosqlite.Row) -> ArticleCard:
    return ArticleCard(row[0], row[1], row[2], row[3], required_from_db(row[4]), row[5], row[6])


async def newest_cards(db: Database, *, limit: int, offset: int) -> list[ArticleCard]:
    rows = await db.fetchall_cached(
        f"SELECT {_CARD_COLUMNS} FROM articles ORDER BY sort_at DESC, id DESC LIMIT ? OFFSET ?", (limit, offset)
    )
    return [_card(row) for row in rows]


async def cards(db: Database, ids: list[int]) -> list[ArticleCard]:
    """Cards of these articles, in the order given."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(f"SELECT {_CARD_COLUMNS} FROM articles WHERE id IN ({marks})", ids)
    by_id = {row[0]: _card(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


async def record_share(db: Database, article_id: int) -> None:
    """A reader sent an article's card into a chat through inline mode (Telegram tells the bot when inline
    feedback is on): counted per article in inline_shares."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO inline_shares (article_id, shares) SELECT id, 1 FROM articles WHERE id = ?"
            " ON CONFLICT (article_id) DO UPDATE SET shares = shares + 1",
            (article_id,),
        )


async def shares(db: Database, article_id: int) -> int:
    """How many times readers shared an article's card through inline mode."""
    value = await db.fetchval("SELECT shares FROM inline_shares WHERE article_id = ?", (article_id,))
    return int(value or 0)
