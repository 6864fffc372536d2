"""Feeds and the items seen in them: validators for conditional GET, each item's checks, failures and backoff,
and each poll's result as facts (counts and error codes; bot/feed_lines.py words them for editors)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.timestamps import from_db, to_db


@dataclass(frozen=True, slots=True)
class PollCounts:
    """What one poll of a feed did with its items."""

    items: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0  # of the new and updated ones, kept back for editors
    failed: int = 0
    waiting: int = 0  # failed before and waiting for their next try, or left for the next poll
    no_link: int = 0  # items with no web page to fetch (no link, or an id such as urn:uuid: or tag:)
    first_error: str = ""  # the error code of the first failed item (`http 404`, `timeout`…; bot/feed_lines.py)
    feed_not_modified: bool = False  # the feed answered 304: only re-checks of recent pages were made


@dataclass(frozen=True, slots=True)
class GivenUp:
    """Pages of a feed no longer tried, for one reason (an error code, as `PollCounts.first_error`)."""

    reason: str
    count: int


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """A feed's last poll as facts (bot/feed_lines.py words them for editors): when, what it did with the items,
    the error code when the feed itself could not be read, and the pages given up, by reason (most first)."""

    url: str
    last_poll_at: datetime | None
    last_ok_at: datetime | None
    last_result: str  # the last poll in the log's words (English)
    counts: PollCounts | None
    problem: str  # an error code when the feed itself could not be read, else ""
    given_up: tuple[GivenUp, ...]

    @property
    def given_up_total(self) -> int:
        return sum(g.count for g in self.given_up)


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
    counts: PollCounts | None = None,
    problem: str = "",
    etag: str | None = None,
    last_modified: str | None = None,
) -> None:
    """One poll's outcome; validators are kept only from a poll that read the feed (no `problem`)."""
    ok = not problem
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO feeds (url, etag, last_modified, last_poll_at, last_ok_at, last_result, last_counts,"
            " last_problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
            " etag = CASE WHEN ? THEN coalesce(excluded.etag, feeds.etag) ELSE feeds.etag END,"
            " last_modified = CASE WHEN ? THEN coalesce(excluded.last_modified, feeds.last_modified)"
            "   ELSE feeds.last_modified END,"
            " last_poll_at = excluded.last_poll_at,"
            " last_ok_at = CASE WHEN ? THEN excluded.last_poll_at ELSE feeds.last_ok_at END,"
            " last_result = excluded.last_result, last_counts = coalesce(excluded.last_counts, feeds.last_counts),"
            " last_problem = excluded.last_problem",
            (
                feed_url,
                etag,
                last_modified,
                to_db(now),
                to_db(now) if ok else None,
                result[:300],
                json.dumps(asdict(counts)) if counts is not None else None,
                problem[:300],
                ok,
                ok,
                ok,
            ),
        )


async def statuses(db: Database) -> list[FeedStatus]:
    """Every feed's last poll, by URL."""
    rows = await db.fetchall(
        "SELECT url, last_poll_at, last_ok_at, last_result, last_counts, last_problem FROM feeds ORDER BY url"
    )
    given_up: dict[str, list[GivenUp]] = {}
    for feed_url, reason, count in await db.fetchall(
        "SELECT i.feed_url, coalesce(i.last_error, ''), count(*) FROM feeds f"
        " JOIN feed_items i ON i.feed_url = f.url AND i.gave_up_at IS NOT NULL"
        " GROUP BY i.feed_url, coalesce(i.last_error, '') ORDER BY i.feed_url, count(*) DESC, 2"
    ):
        given_up.setdefault(feed_url, []).append(GivenUp(reason, count))
    return [
        FeedStatus(
            r[0],
            from_db(r[1]),
            from_db(r[2]),
            r[3] or "",
            PollCounts(**json.loads(r[4])) if r[4] else None,
            r[5] or "",
            tuple(given_up.get(r[0], ())),
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class KnownItem:
    item_url: str
    title: str
    entry_updated: str
    etag: str | None
    last_modified: str | None
    article_id: int | None
    published_at: datetime | None
    checked_at: datetime | None
    failures: int
    retry_at: datetime | None
    gave_up: bool
    dropped: bool


_ITEM_COLUMNS = (
    "item_url, title, entry_updated, etag, last_modified, article_id, published_at, checked_at, failures, retry_at,"
    " gave_up_at IS NOT NULL, dropped"
)


def _item(row: aiosqlite.Row) -> KnownItem:
    return KnownItem(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        from_db(row[6]),
        from_db(row[7]),
        row[8],
        from_db(row[9]),
        bool(row[10]),
        bool(row[11]),
    )


async def known_item(db: Database, item_url: str) -> KnownItem | None:
    row = await db.fetchone(f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE item_url = ?", (item_url,))
    return _item(row) if row else None


async def items_to_recheck(
    db: Database, feed_url: str, *, published_since: datetime, checked_before: datetime, limit: int
) -> list[KnownItem]:
    """A feed's recent imported items whose page was last checked before `checked_before`, least recently first."""
    rows = await db.fetchall(
        f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE feed_url = ? AND article_id IS NOT NULL AND dropped = 0"
        " AND gave_up_at IS NULL AND coalesce(published_at, seen_at) >= ? AND coalesce(checked_at, seen_at) < ?"
        " ORDER BY coalesce(checked_at, seen_at) LIMIT ?",
        (feed_url, to_db(published_since), to_db(checked_before), limit),
    )
    return [_item(row) for row in rows]


async def items_due(db: Database, feed_url: str, now: datetime, *, limit: int) -> list[KnownItem]:
    """A feed's items not stored yet whose next try is due: failed ones whose wait is over, and new ones a poll
    left for later. Oldest due first."""
    rows = await db.fetchall(
        f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE feed_url = ? AND article_id IS NULL AND dropped = 0"
        " AND gave_up_at IS NULL AND retry_at <= ? ORDER BY retry_at LIMIT ?",
        (feed_url, to_db(now), limit),
    )
    return [_item(row) for row in rows]


async def waiting_items(db: Database, feed_url: str) -> int:
    """How many of a feed's items are neither stored nor given up: waiting for their (next) try."""
    return int(
        await db.fetchval(
            "SELECT count(*) FROM feed_items WHERE feed_url = ? AND article_id IS NULL AND dropped = 0"
            " AND gave_up_at IS NULL",
            (feed_url,),
        )
    )


async def queue_item(
    db: Database,
    item_url: str,
    feed_url: str,
    *,
    title: str,
    entry_updated: str,
    published_at: datetime | None,
    now: datetime,
) -> None:
    """A new item this poll had no time for: the next poll fetches it, whether or not the feed changes."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO feed_items (item_url, feed_url, title, entry_updated, seen_at, published_at, retry_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_url) DO NOTHING",
            (item_url, feed_url, title, entry_updated, to_db(now), to_db(published_at or now), to_db(now)),
        )


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
    published_at: datetime | None = None,
    title: str = "",
) -> None:
    """An item whose page was read (or answered 304) at `now`: its failures are forgotten."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO feed_items (item_url, feed_url, entry_updated, article_id, etag, last_modified, seen_at,"
            " published_at, checked_at, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_url)"
            " DO UPDATE SET entry_updated = excluded.entry_updated,"
            " title = CASE WHEN excluded.title = '' THEN feed_items.title ELSE excluded.title END,"
            " article_id = coalesce(excluded.article_id, feed_items.article_id),"
            " etag = excluded.etag, last_modified = excluded.last_modified, seen_at = excluded.seen_at,"
            " published_at = coalesce(feed_items.published_at, excluded.published_at),"
            " checked_at = excluded.checked_at, failures = 0, retry_at = NULL, last_error = NULL, gave_up_at = NULL",
            (
                item_url,
                feed_url,
                entry_updated,
                article_id,
                etag,
                last_modified,
                to_db(now),
                to_db(published_at or now),
                to_db(now),
                title,
            ),
        )


async def record_item_failure(
    db: Database,
    item_url: str,
    feed_url: str,
    *,
    entry_updated: str,
    error: str,
    now: datetime,
    retry_at: datetime,
    give_up: bool,
    title: str = "",
    published_at: datetime | None = None,
) -> None:
    """One more failure of an item's page: tried again at `retry_at`, or never again if `give_up` (until the feed
    gives it a new update date)."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO feed_items (item_url, feed_url, title, entry_updated, seen_at, published_at, failures,"
            " retry_at, last_error, gave_up_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT (item_url)"
            " DO UPDATE SET entry_updated = excluded.entry_updated, seen_at = excluded.seen_at,"
            " failures = feed_items.failures + 1,"
            " retry_at = excluded.retry_at, last_error = excluded.last_error, gave_up_at = excluded.gave_up_at",
            (
                item_url,
                feed_url,
                title,
                entry_updated,
                to_db(now),
                to_db(published_at or now),
                to_db(retry_at),
                error[:300],
                to_db(now) if give_up else None,
            ),
        )


async def mark_dropped(conn: aiosqlite.Connection, article_id: int) -> None:
    """An editor dropped this article: the feed items it came from are never fetched again. Call in the
    transaction that deletes it, before the delete (which clears their article_id)."""
    await conn.execute("UPDATE feed_items SET dropped = 1 WHERE article_id = ?", (article_id,))
