"""The notifications outbox: one row per message to a reader, and the mark of the last article matched.

A row's status is the truth about it:
  pending → claimed (taken by the sender, not yet on the wire) → sending (its request is being made) → sent;
  capped (over the reader's daily cap) → digested (listed in a digest row, which is itself sent like any row);
  held (the reader blocked the bot) → pending again when they come back, or expired when it is too old;
  failed (Telegram refused it for good); unconfirmed (the bot stopped while its request was under way).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.fts import prefix_query
from storage.subscriptions import pause
from storage.timestamps import required_from_db, to_db

MARK = "articles_matched"
# between the labels of the subscriptions a notification answers, the first being the one its unfollow button ends
REASON_SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class NewArticle:
    id: int
    shown_at: datetime


@dataclass(frozen=True, slots=True)
class Notification:
    """A message to send: about one article, or a digest (article_id None); `attempts`: requests made before."""

    id: int
    user_id: int
    kind: str
    article_id: int | None
    subscription_id: int | None
    reason: str
    language: str
    attempts: int


# ---- matching new articles (call inside one transaction, so the mark moves with the rows it produced) -----


async def matched_up_to(conn: aiosqlite.Connection) -> int:
    rows = await conn.execute_fetchall("SELECT value FROM counters WHERE name = ?", (MARK,))
    row = next(iter(rows), None)
    return int(row[0]) if row else 0


async def set_matched_up_to(conn: aiosqlite.Connection, article_id: int) -> None:
    await conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (MARK, article_id),
    )


async def work_waiting(db: Database, now: datetime, *, digests_through: str) -> bool:
    """Is there anything for the job to do (new articles, due rows, capped rows whose digest is due)? One read,
    so an idle round takes no write lock and leaves the read cache alone."""
    return bool(
        await db.fetchval(
            "SELECT coalesce((SELECT max(id) FROM articles), 0)"
            " > coalesce((SELECT value FROM counters WHERE name = ?), 0)"
            " OR EXISTS (SELECT 1 FROM notifications WHERE status = 'pending'"
            "  AND (next_attempt_at IS NULL OR next_attempt_at <= ?))"
            " OR EXISTS (SELECT 1 FROM notifications WHERE status = 'capped' AND local_day <= ?)",
            (MARK, to_db(now), digests_through),
        )
    )


async def start_matching_after_stored(db: Database) -> None:
    """On the bot's first start, articles already stored (seeds, an archive imported beforehand) are not news:
    matching starts after the newest of them."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE counters SET value = (SELECT coalesce(max(id), 0) FROM articles) WHERE name = ? AND value = 0",
            (MARK,),
        )


async def articles_after(conn: aiosqlite.Connection, article_id: int, *, limit: int) -> list[NewArticle]:
    """Articles stored after `article_id` (ids only grow: SQLite gives a new row the largest id plus one, and
    articles are never deleted), oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT id, sort_at FROM articles WHERE id > ? ORDER BY id LIMIT ?", (article_id, limit)
    )
    return [NewArticle(row[0], required_from_db(row[1])) for row in rows]


async def followed_word_keys(conn: aiosqlite.Connection) -> list[str]:
    rows = await conn.execute_fetchall("SELECT DISTINCT key FROM subscriptions WHERE kind = 'words'")
    return [row[0] for row in rows]


async def articles_matching_words(conn: aiosqlite.Connection, key: str, *, after: int, up_to: int) -> list[int]:
    """Which articles with ids in (after, up_to] contain a word form of every prefix term of `key`."""
    rows = await conn.execute_fetchall(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ? AND rowid <= ?",
        (prefix_query(key.split()), after, up_to),
    )
    return [row[0] for row in rows]


async def entity_keys_of(conn: aiosqlite.Connection, article_id: int) -> list[tuple[str, str]]:
    """(key, kind) of every entity an article mentions."""
    rows = await conn.execute_fetchall(
        "SELECT e.key, e.kind FROM article_entities ae JOIN entities e ON e.id = ae.entity_id WHERE ae.article_id = ?",
        (article_id,),
    )
    return [(row[0], row[1]) for row in rows]


async def enqueue_for_article(
    conn: aiosqlite.Connection,
    article_id: int,
    *,
    entity_keys: list[str],
    word_keys: list[str],
    local_day: str,
    now: datetime,
    daily_cap: int,
) -> int:
    """One row per reader following any of the keys (their labels, joined by REASON_SEPARATOR, as the reason),
    unless that reader
    already has a row for this article: pending, or capped when the reader already had `daily_cap` messages
    about articles on `local_day`, or held when the reader blocked the bot. Returns how many rows were made."""
    if not entity_keys and not word_keys:
        return 0
    entity_marks = ",".join("?" * len(entity_keys)) or "NULL"
    word_marks = ",".join("?" * len(word_keys)) or "NULL"
    cursor = await conn.execute(
        "INSERT INTO notifications (user_id, kind, article_id, subscription_id, reason, status, local_day, created_at)"
        " SELECT g.user_id, 'article', ?, g.first_id,"
        "  (SELECT label FROM subscriptions WHERE id = g.first_id) || char(31) || g.labels,"
        "  CASE WHEN f.paused_at IS NOT NULL THEN 'held'"
        "   WHEN (SELECT count(*) FROM notifications n WHERE n.user_id = g.user_id AND n.local_day = ?"
        "    AND n.kind = 'article' AND n.status NOT IN ('capped', 'digested', 'expired')) >= ? THEN 'capped'"
        "   ELSE 'pending' END, ?, ?"
        " FROM (SELECT user_id, min(id) AS first_id, group_concat(label, char(31)) AS labels FROM subscriptions"
        f"   WHERE (kind = 'entity' AND key IN ({entity_marks})) OR (kind = 'words' AND key IN ({word_marks}))"
        "   GROUP BY user_id) g"
        " JOIN followers f ON f.user_id = g.user_id WHERE true"
        " ON CONFLICT (user_id, article_id) DO NOTHING",
        [article_id, local_day, daily_cap, local_day, to_db(now), *entity_keys, *word_keys],
    )
    return max(cursor.rowcount, 0)


async def make_digests(db: Database, *, through_day: str, local_day: str, now: datetime) -> int:
    """Gather each reader's capped rows of days up to `through_day` into one digest row per reader (dated
    `local_day`). Returns how many digests were made."""
    async with db.transaction() as conn:
        readers = list(
            await conn.execute_fetchall(
                "SELECT DISTINCT user_id FROM notifications WHERE status = 'capped' AND local_day <= ?", (through_day,)
            )
        )
        for (user_id,) in readers:
            cursor = await conn.execute(
                "INSERT INTO notifications (user_id, kind, status, local_day, created_at)"
                " VALUES (?, 'digest', 'pending', ?, ?)",
                (user_id, local_day, to_db(now)),
            )
            await conn.execute(
                "UPDATE notifications SET status = 'digested', digest_id = ?"
                " WHERE user_id = ? AND status = 'capped' AND local_day <= ?",
                (cursor.lastrowid, user_id, through_day),
            )
    return len(readers)


# ---- delivery ----------------------------------------------------------------------------------------------


async def claim(db: Database, now: datetime, *, limit: int) -> list[Notification]:
    """Take up to `limit` due pending rows for sending (status 'claimed'), oldest first."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            "UPDATE notifications SET status = 'claimed' WHERE id IN ("
            " SELECT id FROM notifications WHERE status = 'pending'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?)"
            " RETURNING id, user_id, kind, article_id, subscription_id, reason, attempts",
            (to_db(now), limit),
        )
        claimed = sorted(rows, key=lambda row: row[0])
        languages: dict[int, str] = {}
        users = sorted({row[1] for row in claimed})
        if users:
            marks = ",".join("?" * len(users))
            for user_id, language in await conn.execute_fetchall(
                f"SELECT user_id, language FROM followers WHERE user_id IN ({marks})", users
            ):
                languages[user_id] = language
    return [
        Notification(row[0], row[1], row[2], row[3], row[4], row[5], languages.get(row[1], "kk"), row[6])
        for row in claimed
    ]


async def mark_sending(db: Database, ids: list[int]) -> None:
    """Committed just before these rows' requests are made: after a crash a row in this state may have been
    delivered, so it is never sent again."""
    marks = ",".join("?" * len(ids))
    await db.write_one(
        f"UPDATE notifications SET status = 'sending', attempts = attempts + 1 WHERE id IN ({marks})"
        " AND status = 'claimed'",
        ids,
        cached_reads_affected=False,
    )


async def mark_sent(db: Database, sent: list[tuple[int, int]], now: datetime) -> None:
    """Record delivered rows: (notification id, Telegram message id)."""
    if not sent:
        return
    async with db.transaction() as conn:
        await conn.executemany(
            "UPDATE notifications SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
            [(message_id, to_db(now), notification_id) for notification_id, message_id in sent],
        )


async def release(db: Database, ids: list[int], *, next_attempt_at: datetime | None, error: str | None) -> None:
    """Rows taken but not sent (or refused for now) go back to pending, to be tried at `next_attempt_at`."""
    if not ids:
        return
    async with db.transaction() as conn:
        await conn.executemany(
            "UPDATE notifications SET status = 'pending', next_attempt_at = ?, last_error = coalesce(?, last_error)"
            " WHERE id = ? AND status IN ('claimed', 'sending')",
            [(to_db(next_attempt_at) if next_attempt_at else None, error, i) for i in ids],
        )


async def mark_final(db: Database, notification_id: int, status: str, error: str) -> None:
    """A row that will not be sent: 'failed' (refused for good) or 'unconfirmed' (may or may not have arrived)."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE notifications SET status = ?, last_error = ? WHERE id = ?", (status, error[:300], notification_id)
        )


async def hold_reader(db: Database, user_id: int, notification_id: int, now: datetime, error: str) -> None:
    """The reader blocked the bot: pause them and hold this row and every other one waiting for them."""
    async with db.transaction() as conn:
        await pause(conn, user_id, now)
        await conn.execute(
            "UPDATE notifications SET status = 'held', last_error = ? WHERE id = ?", (error[:300], notification_id)
        )
        await conn.execute(
            "UPDATE notifications SET status = 'held' WHERE user_id = ? AND status IN ('pending', 'capped')",
            (user_id,),
        )


async def release_held(db: Database, user_id: int, *, since: datetime) -> tuple[int, int]:
    """A paused reader came back: held rows made since `since` are sent after all, older ones expire.
    Returns (released, expired)."""
    async with db.transaction() as conn:
        released = await conn.execute_fetchall(
            "UPDATE notifications SET status = 'pending', next_attempt_at = NULL"
            " WHERE user_id = ? AND status = 'held' AND created_at >= ? RETURNING id",
            (user_id, to_db(since)),
        )
        expired = await conn.execute_fetchall(
            "UPDATE notifications SET status = 'expired' WHERE user_id = ? AND status = 'held' RETURNING id",
            (user_id,),
        )
    return len(list(released)), len(list(expired))


async def recover_after_restart(db: Database) -> tuple[int, int]:
    """At start: claimed rows never reached the wire and go back to pending; rows left 'sending' may have been
    delivered and become unconfirmed (never sent again). Returns (released, unconfirmed)."""
    async with db.transaction() as conn:
        released = await conn.execute_fetchall(
            "UPDATE notifications SET status = 'pending' WHERE status = 'claimed' RETURNING id"
        )
        unconfirmed = await conn.execute_fetchall(
            "UPDATE notifications SET status = 'unconfirmed', last_error = 'the bot stopped while sending'"
            " WHERE status = 'sending' RETURNING id"
        )
    return len(list(released)), len(list(unconfirmed))


async def digest_articles(db: Database, digest_id: int, *, limit: int) -> tuple[list[tuple[int, str]], int]:
    """The articles a digest lists, newest first: (id, title) up to `limit`, and how many there are in all."""
    rows = await db.fetchall(
        "SELECT a.id, a.title, count(*) OVER () FROM notifications n JOIN articles a ON a.id = n.article_id"
        " WHERE n.digest_id = ? ORDER BY a.id DESC LIMIT ?",
        (digest_id, limit),
    )
    return [(row[0], row[1]) for row in rows], (rows[0][2] if rows else 0)


async def status_counts(db: Database) -> dict[str, int]:
    rows = await db.fetchall("SELECT status, count(*) FROM notifications GROUP BY status")
    return {row[0]: row[1] for row in rows}


async def channel_post_due(db: Database, now: datetime) -> bool:
    """Is a channel post due or being sent? Then it goes first: readers' notifications wait for it."""
    return bool(
        await db.fetchval(
            "SELECT EXISTS (SELECT 1 FROM posts WHERE status = 'sending' OR (status = 'pending' AND due_at <= ?"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)))",
            (to_db(now), to_db(now)),
        )
    )
