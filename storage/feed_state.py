"""Feeds and the items seen in them: validators for conditional GET and each poll's result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timestamps import from_db, to_db


@dataclass(frozen=True, slots=True)
class FeedStatus:
    url: str
    last_poll_at: datetime | None
    last_ok_at: datetime | None
    last_result: str


@dataclass(frozen=True, slots=True)
class KnownItem:
    entry_updated: str
    etag: str | None
    last_modified: str | None
    article_id: int | None


async def validators(db: Database, feed_url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified the feed last answered with."""
    row = await db.fetchone("SELECT etag, last_modified FROM feeds WHERE url = ?", (feed_url,))
    return (row[0], row[1]) if row else (None, None)


async def record_poll(
    db: Database,
    feed_url: str,
    now: datetime,
    result: str,
    *,
    ok: bool,
    etag: str | None = None,
    last_modified: str | None = None,
) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO feeds (url, etag, last_modified, last_poll_at, last_ok_at, last_result)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
            " etag = CASE WHEN ? THEN coalesce(excluded.etag, feeds.etag) ELSE feeds.etag END,"
            " last_modified = CASE WHEN ? THEN coalesce(excluded.last_modified, feeds.last_modified)"
            "   ELSE feeds.last_modified END,"
            " last_poll_at = excluded.last_poll_at,"
            " last_ok_at = CASE WHEN ? THEN excluded.last_poll_at ELSE feeds.last_ok_at END,"
            " last_result = excluded.last_result",
            (feed_url, etag, last_modified, to_db(now), to_db(now) if ok else None, result[:300], ok, ok, ok),
        )


async def statuses(db: Database) -> list[FeedStatus]:
    rows = await db.fetchall("SELECT url, last_poll_at, last_ok_at, last_result FROM feeds ORDER BY url")
    return [FeedStatus(r[0], from_db(r[1]), from_db(r[2]), r[3] or "") for r in rows]


async def known_item(db: Database, item_url: str) -> KnownItem | None:
    row = await db.fetchone(
        "SELECT entry_updated, etag, last_modified, article_id FROM feed_items WHERE item_url = ?", (item_url,)
    )
    return KnownItem(row[0], row[1], row[2], row[3]) if row else None


async def remember_item(
    db: Database,
    item_url: str,
    feed_url: str,
    *,
    entry_updated: str,
    article_id: int | None,
    etag: str | None,
    last_modified: str | None,
    now: datetime,
) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO feed_items (item_url, feed_url, entry_updated, article_id, etag, last_modified, seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_url) DO UPDATE SET entry_updated = excluded.entry_updated,"
            " article_id = coalesce(excluded.article_id, feed_items.article_id),"
            " etag = excluded.etag, last_modified = excluded.last_modified, seen_at = excluded.seen_at",
            (item_url, feed_url, entry_updated, article_id, etag, last_modified, to_db(now)),
        )
