"""Articles: saving imported ones, and the questions readers ask of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import aiosqlite

from bot.records import KEYS_VERSION, ArticleDraft, identity_key
from storage.db import Database
from storage.fts import prefix_query
from storage.timestamps import from_db, required_from_db, to_db

SaveOutcome = Literal["imported", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    lead: str
    body: str
    url: str | None
    published_at: datetime | None
    views: int | None
    source: str
    summary: str
    imported_at: datetime
    held_reason: str | None = None  # set while an extraction waits for an editor (see bot/page_extract.py)
    image_url: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]

    @property
    def shown_at(self) -> datetime:
        """The date to show: publication date, else when it was imported."""
        return self.published_at or self.imported_at


@dataclass(frozen=True, slots=True)
class Headline:
    """What a list of articles shows for each one."""

    id: int
    title: str
    summary: str
    shown_at: datetime


@dataclass(frozen=True, slots=True)
class SavedArticle:
    id: int
    outcome: SaveOutcome


_ARTICLE_COLUMNS = (
    "id, title, lead, body, url, published_at, views, source, summary, imported_at, held_reason, image_url"
)


def _article(row: aiosqlite.Row) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        lead=row["lead"],
        body=row["body"],
        url=row["url"],
        published_at=from_db(row["published_at"]),
        views=row["views"],
        source=row["source"],
        summary=row["summary"],
        imported_at=required_from_db(row["imported_at"]),
        held_reason=row["held_reason"],
        image_url=row["image_url"],
    )


def _headline(row: aiosqlite.Row) -> Headline:
    return Headline(row["id"], row["title"], row["summary"], required_from_db(row["sort_at"]))


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """What an import compares a draft with: the stored article it matches, the fingerprint of its exact text,
    and whether it is held for editors."""

    id: int
    version_hash: str | None
    held: bool
    url: str | None


# The stored article a draft is a version of: the same identity (normalised URL, or title without one) first, else
# the same content (normalised title and body), whatever the source. The SQL and parameters of this and the writes
# below are shared by the bot's connection and the bulk import's (storage/bulk_writer.py), so both store the same.
FIND_STORED_SQL = (
    "SELECT id, version_hash, held_reason, url FROM (SELECT 0 AS rank, * FROM articles WHERE identity = ?"
    " UNION ALL SELECT 1 AS rank, * FROM articles WHERE content_hash = ?) ORDER BY rank, id LIMIT 1"
)


def find_stored_params(draft: ArticleDraft) -> tuple[str, str]:
    return (draft.identity, draft.content_key)


def stored_version(row: Sequence[Any] | None) -> StoredVersion | None:
    """A row of FIND_STORED_SQL as a StoredVersion."""
    return StoredVersion(row[0], row[1], row[2] is not None, row[3]) if row else None


async def find_stored(conn: aiosqlite.Connection, draft: ArticleDraft) -> StoredVersion | None:
    """The stored article a draft is a version of (see FIND_STORED_SQL)."""
    # one trip to aiosqlite's thread, not three (execute, fetch, close)
    rows = await conn.execute_fetchall(FIND_STORED_SQL, find_stored_params(draft))
    return stored_version(next(iter(rows), None))


def article_params(draft: ArticleDraft, summary: str, analysis_version: int, now: datetime) -> dict[str, object]:
    """The parameters of INSERT_ARTICLE_SQL and UPDATE_ARTICLE_SQL (with the article's `id` added)."""
    return {
        "identity": draft.identity,
        "title": draft.title,
        "lead": draft.lead,
        "body": draft.body,
        "url": draft.url,
        "published_at": to_db(draft.published_at) if draft.published_at else None,
        "views": draft.views,
        "source": draft.source,
        "content_hash": draft.content_key,
        "version_hash": draft.version_key,
        "keys_version": KEYS_VERSION,
        "held_reason": draft.hold_reason or None,
        "now": to_db(now),
        "image_url": draft.image_url,
        "summary": summary,
        "analysis_version": analysis_version,
    }


INSERT_ARTICLE_SQL = (
    "INSERT INTO articles (identity, title, lead, body, url, published_at, views, source, content_hash,"
    " version_hash, keys_version, held_reason, imported_at, image_url, summary, analysis_version) VALUES"
    " (:identity, :title, :lead, :body, :url, :published_at, :views, :source, :content_hash, :version_hash,"
    " :keys_version, :held_reason, :now, :image_url, :summary, :analysis_version)"
)
# An edited article's text and summary, keeping what the new version does not say (URL, date, views, image); an
# article known only by its title takes the draft's URL as its identity.
UPDATE_ARTICLE_SQL = (
    "UPDATE articles SET identity = CASE WHEN url IS NULL AND :url IS NOT NULL THEN :identity ELSE identity END,"
    " title = :title, lead = :lead, body = :body, url = coalesce(url, :url),"
    " published_at = coalesce(:published_at, published_at), views = coalesce(:views, views),"
    " source = :source, content_hash = :content_hash, version_hash = :version_hash, keys_version = :keys_version,"
    " held_reason = CASE WHEN held_reason IS NULL THEN NULL ELSE :held_reason END, updated_at = :now,"
    " image_url = coalesce(:image_url, image_url), summary = :summary, analysis_version = :analysis_version"
    " WHERE id = :id"
)
# An article known without a URL (an editor's file) met again as a page: it takes the page's address as its
# identity, and the date, picture and views it lacked.
ADD_ADDRESS_SQL = (
    "UPDATE articles SET identity = :identity, url = :url, published_at = coalesce(published_at, :published_at),"
    " image_url = coalesce(image_url, :image_url), views = coalesce(:views, views), updated_at = :now"
    " WHERE id = :id AND url IS NULL"
)


def address_params(article_id: int, draft: ArticleDraft, now: datetime) -> dict[str, object]:
    return {
        "id": article_id,
        "identity": draft.identity,
        "url": draft.url,
        "published_at": to_db(draft.published_at) if draft.published_at else None,
        "image_url": draft.image_url,
        "views": draft.views,
        "now": to_db(now),
    }


async def insert_article(
    conn: aiosqlite.Connection, draft: ArticleDraft, *, summary: str, analysis_version: int, now: datetime
) -> int:
    """Store a new article with its summary (held if the draft says so); call inside a transaction. Returns its id."""
    cursor = await conn.execute(INSERT_ARTICLE_SQL, article_params(draft, summary, analysis_version, now))
    return int(cursor.lastrowid or 0)


async def update_article(
    conn: aiosqlite.Connection,
    article_id: int,
    draft: ArticleDraft,
    *,
    summary: str,
    analysis_version: int,
    now: datetime,
) -> None:
    """Replace an edited article's text and summary (see UPDATE_ARTICLE_SQL). Call inside a transaction."""
    await conn.execute(UPDATE_ARTICLE_SQL, {**article_params(draft, summary, analysis_version, now), "id": article_id})


async def add_address(conn: aiosqlite.Connection, article_id: int, draft: ArticleDraft, *, now: datetime) -> None:
    """Give an article known without a URL the page's address (see ADD_ADDRESS_SQL). Call inside a transaction."""
    await conn.execute(ADD_ADDRESS_SQL, address_params(article_id, draft, now))


async def id_by_url(db: Database, url: str) -> int | None:
    """The stored article with this URL (any spelling of it: scheme, `www.`, trailing slash, tracking parameters)."""
    value = await db.fetchval("SELECT id FROM articles WHERE identity = ?", (identity_key(url, ""),))
    return int(value) if value is not None else None


async def get(db: Database, article_id: int) -> Article | None:
    rows = await db.fetchall_cached(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
    return _article(rows[0]) if rows else None


async def count(db: Database) -> int:
    """How many articles are stored (a trigger-kept counter, not a scan)."""
    return int(await db.fetchval("SELECT value FROM counters WHERE name = 'articles'"))


async def newest(db: Database, *, limit: int, offset: int = 0) -> list[Headline]:
    """Newest first: by publication date where known, else by import time, ties by id."""
    rows = await db.fetchall(
        "SELECT id, title, summary, sort_at FROM articles ORDER BY sort_at DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_headline(row) for row in rows]


async def newest_page(db: Database, *, limit: int, offset: int = 0) -> tuple[list[Headline], int]:
    """A page of `newest` and how many articles there are, in one trip to the database (or none: the page is
    what a burst of readers arriving from a channel post asks first). A page past the end comes back empty."""
    rows = await db.fetchall_cached(
        "SELECT id, title, summary, sort_at, (SELECT value FROM counters WHERE name = 'articles') AS total"
        " FROM articles ORDER BY sort_at DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    if not rows:
        return [], await count(db)
    return [_headline(row) for row in rows], int(rows[0]["total"])


RANKED_MATCHES = 500


async def _ranked(db: Database, match: str, *, offset: int, limit: int) -> tuple[list[Headline], int]:
    """One pass over the index: the newest RANKED_MATCHES matches with their BM25 score (title counts most),
    ranked here; so a word found in most of a large archive costs no more than RANKED_MATCHES rows.
    Returns a page of headlines and how many matches were ranked (RANKED_MATCHES means "at least")."""
    scored = await db.fetchall(
        "SELECT rowid, bm25(articles_fts, 10.0, 4.0, 1.0) FROM articles_fts WHERE articles_fts MATCH ?"
        " ORDER BY rowid DESC LIMIT ?",
        (match, RANKED_MATCHES),
    )
    page = [row[0] for row in sorted(scored, key=lambda row: (row[1], -row[0]))[offset : offset + limit]]
    if not page:
        return [], len(scored)
    marks = ",".join("?" * len(page))
    rows = await db.fetchall(f"SELECT id, title, summary, sort_at FROM articles WHERE id IN ({marks})", page)
    by_id = {row["id"]: _headline(row) for row in rows}
    return [by_id[i] for i in page if i in by_id], len(scored)


async def search(db: Database, stems: list[str], *, limit: int, offset: int = 0) -> tuple[list[Headline], int]:
    """Articles containing a word form of every stem, best first; plus how many (RANKED_MATCHES = "or more")."""
    if not stems:
        return [], 0
    return await _ranked(db, prefix_query(stems), offset=offset, limit=limit)


async def search_topic(db: Database, stems: list[str], *, limit: int) -> list[Headline]:
    """Articles on the same topic: containing word forms of the two longest stems given, best first."""
    longest = sorted(stems, key=len, reverse=True)[:2]
    if not longest:
        return []
    found, _ = await _ranked(db, prefix_query(longest), offset=0, limit=limit)
    return found


async def search_by_substring(db: Database, words: list[str], *, limit: int) -> list[Headline]:
    """The naive baseline the benchmark compares FTS with: LIKE '%word%' over every article."""
    clauses = " AND ".join("(title LIKE ? OR lead LIKE ? OR body LIKE ?)" for _ in words)
    params: list[object] = []
    for word in words:
        params += [f"%{word}%"] * 3
    rows = await db.fetchall(
        f"SELECT id, title, summary, sort_at FROM articles WHERE {clauses} ORDER BY sort_at DESC LIMIT ?",
        [*params, limit],
    )
    return [_headline(row) for row in rows]


async def needing_analysis(db: Database, version: int, *, limit: int) -> list[Article]:
    """Articles analysed by an older analyser than `version` (or never)."""
    rows = await db.fetchall(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE analysis_version < ? ORDER BY id LIMIT ?",
        (version, limit),
    )
    return [_article(row) for row in rows]


async def held_to_announce(db: Database, *, limit: int = 20) -> list[Article]:
    """Held articles editors have not been told about yet, oldest first."""
    rows = await db.fetchall(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE held_reason IS NOT NULL AND held_notified_at IS NULL"
        " ORDER BY id LIMIT ?",
        (limit,),
    )
    return [_article(row) for row in rows]


async def mark_held_announced(db: Database, article_ids: list[int], now: datetime) -> None:
    async with db.transaction() as conn:
        await conn.executemany(
            "UPDATE articles SET held_notified_at = ? WHERE id = ?", [(to_db(now), i) for i in article_ids]
        )


async def release_hold(db: Database, article_id: int) -> bool:
    """An editor lets a held article go out like any other; False when it is not held (or not there)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE articles SET held_reason = NULL WHERE id = ? AND held_reason IS NOT NULL", (article_id,)
        )
        return cursor.rowcount == 1


async def delete_held(conn: aiosqlite.Connection, article_id: int) -> bool:
    """Delete a held article that never reached the channel (its pending posts go with it); False when it is not
    held, not there, or has been sent. Call inside a transaction."""
    cursor = await conn.execute(
        "DELETE FROM articles WHERE id = ? AND held_reason IS NOT NULL AND NOT EXISTS ("
        " SELECT 1 FROM posts WHERE article_id = articles.id AND status IN ('sending', 'sent'))",
        (article_id,),
    )
    return cursor.rowcount == 1
