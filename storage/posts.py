"""Channel posts: rows with a status are the truth about what was, is and will be posted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import aiosqlite

from storage.db import Database
from storage.timestamps import from_db, to_db

Origin = Literal["slot", "admin", "now"]


@dataclass(frozen=True, slots=True)
class Post:
    id: int
    article_id: int
    article_title: str
    due_at: datetime
    origin: str
    status: str
    attempts: int
    message_id: int | None
    last_error: str | None
    created_by: int | None


_SELECT = (
    "SELECT p.id, p.article_id, a.title, p.due_at, p.origin, p.status, p.attempts, p.message_id, p.last_error,"
    " p.created_by FROM posts p JOIN articles a ON a.id = p.article_id"
)


def _post(row: aiosqlite.Row) -> Post:
    return Post(row[0], row[1], row[2], from_db(row[3]), row[4], row[5], row[6], row[7], row[8], row[9])  # type: ignore[arg-type]


async def create(
    db: Database, article_id: int, due_at: datetime, origin: Origin, *, created_by: int | None, now: datetime
) -> int | None:
    """A pending post; for a daily slot None when that slot already has its post (a second instance, a rerun)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO posts (article_id, due_at, origin, created_by, created_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (article_id, to_db(due_at), origin, created_by, to_db(now)),
        )
        return cursor.lastrowid if cursor.rowcount else None


async def get(db: Database, post_id: int) -> Post | None:
    row = await db.fetchone(f"{_SELECT} WHERE p.id = ?", (post_id,))
    return _post(row) if row else None


async def queue(db: Database, *, limit: int = 50) -> list[Post]:
    """Pending posts, soonest first."""
    rows = await db.fetchall(f"{_SELECT} WHERE p.status = 'pending' ORDER BY p.due_at, p.id LIMIT ?", (limit,))
    return [_post(row) for row in rows]


async def of_article(db: Database, article_id: int) -> list[Post]:
    rows = await db.fetchall(f"{_SELECT} WHERE p.article_id = ? ORDER BY p.id", (article_id,))
    return [_post(row) for row in rows]


async def cancel(db: Database, post_id: int) -> bool:
    """Cancel a pending post; False when there is none (already sent, being sent, or unknown)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE posts SET status = 'cancelled' WHERE id = ? AND status = 'pending'", (post_id,)
        )
        return cursor.rowcount == 1


async def claim_due(db: Database, now: datetime, *, limit: int = 5) -> list[Post]:
    """Mark due pending posts as 'sending' and return them: from here on no one else sends them."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT id FROM posts WHERE status = 'pending' AND due_at <= ?"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY due_at, id LIMIT ?",
            (to_db(now), to_db(now), limit),
        ) as cursor:
            ids = [row[0] for row in await cursor.fetchall()]
        for post_id in ids:
            await conn.execute(
                "UPDATE posts SET status = 'sending', claimed_at = ?, attempts = attempts + 1 WHERE id = ?",
                (to_db(now), post_id),
            )
    claimed = [await get(db, post_id) for post_id in ids]
    return [p for p in claimed if p is not None]


async def mark_sent(db: Database, post_id: int, message_id: int, now: datetime) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE posts SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
            (message_id, to_db(now), post_id),
        )


async def mark_retry(db: Database, post_id: int, next_attempt_at: datetime, error: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE posts SET status = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?",
            (to_db(next_attempt_at), error[:500], post_id),
        )


async def mark_failed(db: Database, post_id: int, error: str) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE posts SET status = 'failed', last_error = ? WHERE id = ?", (error[:500], post_id))


async def recover_after_restart(db: Database, now: datetime, grace: timedelta) -> tuple[list[Post], list[Post]]:
    """At start: posts left 'sending' by a crash become failed (they may have reached the channel, so they are
    not sent again), and pending posts more than `grace` late become missed. Returns (interrupted, missed)."""
    async with db.transaction() as conn:
        interrupted_ids = await conn.execute_fetchall(
            "UPDATE posts SET status = 'failed', last_error = ? WHERE status = 'sending' RETURNING id",
            ("interrupted while sending (bot stopped); check the channel before posting again",),
        )
        missed_ids = await conn.execute_fetchall(
            "UPDATE posts SET status = 'missed', last_error = ? WHERE status = 'pending' AND due_at < ? RETURNING id",
            (f"more than {int(grace.total_seconds() // 60)} min late when the bot started", to_db(now - grace)),
        )
    return await _posts_by_id(db, [r[0] for r in interrupted_ids]), await _posts_by_id(db, [r[0] for r in missed_ids])


async def _posts_by_id(db: Database, ids: list[int]) -> list[Post]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [_post(row) for row in await db.fetchall(f"{_SELECT} WHERE p.id IN ({marks}) ORDER BY p.id", ids)]


async def status_counts(db: Database) -> dict[str, int]:
    rows = await db.fetchall("SELECT status, count(*) FROM posts GROUP BY status")
    return {row[0]: row[1] for row in rows}


async def next_due(db: Database) -> datetime | None:
    return from_db(await db.fetchval("SELECT min(due_at) FROM posts WHERE status = 'pending'"))
