"""Channel posts: rows with a status are the truth about what was, is and will be posted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import aiosqlite

from storage.db import Database
from storage.timestamps import from_db, required_from_db, to_db

Origin = Literal["slot", "admin", "now"]
Decision = Literal["publish", "skip"]
# Why a post failed, as a code: editors are told the reason and what to do in their own language.
FailReason = Literal[
    "forbidden", "no_channel", "rejected", "gave_up", "article_gone", "interrupted", "missed", "unexpected"
]
# Posts that hold their article: a daily slot never picks it again, and /postnow asks before posting it again.
# A post interrupted while sending may have reached the channel, so it holds its article as well.
HOLDING = "(p.status IN ('pending', 'sending', 'sent') OR (p.status = 'failed' AND p.fail_reason = 'interrupted'))"


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
    sent_at: datetime | None = None
    fail_reason: str | None = None
    sent_text: str | None = None
    sent_as_caption: bool = False
    approval: str | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None


_SELECT = (
    "SELECT p.id, p.article_id, a.title, p.due_at, p.origin, p.status, p.attempts, p.message_id, p.last_error,"
    " p.created_by, p.sent_at, p.fail_reason, p.sent_text, p.sent_as_caption, p.approval, p.decided_by,"
    " p.decided_at FROM posts p JOIN articles a ON a.id = p.article_id"
)


def _post(row: aiosqlite.Row) -> Post:
    return Post(
        row[0],
        row[1],
        row[2],
        required_from_db(row[3]),
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        from_db(row[10]),
        row[11],
        row[12],
        bool(row[13]),
        row[14],
        row[15],
        from_db(row[16]),
    )


async def create(
    db: Database,
    article_id: int,
    due_at: datetime,
    origin: Origin,
    *,
    created_by: int | None,
    now: datetime,
    awaiting_approval: bool = False,
) -> int | None:
    """A pending post; for a daily slot None when that slot already has its post (a second instance, a rerun).
    A post awaiting approval is not sent until an editor (or, at its time, the configured default) decides."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO posts (article_id, due_at, origin, created_by, created_at, approval)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (article_id, to_db(due_at), origin, created_by, to_db(now), "waiting" if awaiting_approval else None),
        )
        return cursor.lastrowid if cursor.rowcount else None


async def get(db: Database, post_id: int) -> Post | None:
    row = await db.fetchone(f"{_SELECT} WHERE p.id = ?", (post_id,))
    return _post(row) if row else None


async def queue(db: Database, *, limit: int = 50, offset: int = 0) -> list[Post]:
    """Pending posts, soonest first."""
    rows = await db.fetchall(
        f"{_SELECT} WHERE p.status = 'pending' ORDER BY p.due_at, p.id LIMIT ? OFFSET ?", (limit, offset)
    )
    return [_post(row) for row in rows]


async def queue_length(db: Database) -> int:
    return int(await db.fetchval("SELECT count(*) FROM posts WHERE status = 'pending'") or 0)


async def of_article(db: Database, article_id: int) -> list[Post]:
    rows = await db.fetchall(f"{_SELECT} WHERE p.article_id = ? ORDER BY p.id", (article_id,))
    return [_post(row) for row in rows]


async def holding_article(db: Database, article_id: int) -> list[Post]:
    """The article's posts that are in the channel, on their way, or waiting in the queue (oldest first)."""
    rows = await db.fetchall(f"{_SELECT} WHERE p.article_id = ? AND {HOLDING} ORDER BY p.id", (article_id,))
    return [_post(row) for row in rows]


async def slot_candidate(db: Database, *, since: datetime, older_than: int | None = None) -> int | None:
    """The article a daily slot posts: the newest dated after `since` that no post holds (so never one already
    posted or queued), that is not held for editors (a doubtful extraction) and whose analysis did not fail (its
    summary is empty: editors may still post it themselves); with `older_than`, the next one older than that
    article (an editor asked for another)."""
    rows = await db.fetchall(
        "SELECT a.id FROM articles a WHERE a.sort_at >= ? AND a.held_reason IS NULL AND a.analysis_error IS NULL"
        f" AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.article_id = a.id AND {HOLDING})"
        " AND (? IS NULL OR (a.sort_at, a.id) < (SELECT sort_at, id FROM articles WHERE id = ?))"
        " ORDER BY a.sort_at DESC, a.id DESC LIMIT 1",
        (to_db(since), older_than, older_than),
    )
    return rows[0][0] if rows else None


async def pending_at(db: Database, moment: datetime) -> bool:
    """Whether a pending post is due exactly then (an editor moved one into a daily slot)."""
    return bool(await db.fetchval("SELECT 1 FROM posts WHERE status = 'pending' AND due_at = ?", (to_db(moment),)))


async def cancel(db: Database, post_id: int) -> bool:
    """Cancel a pending post; False when there is none (already sent, being sent, or unknown)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE posts SET status = 'cancelled' WHERE id = ? AND status = 'pending'", (post_id,)
        )
        return cursor.rowcount == 1


async def reschedule(db: Database, post_id: int, due_at: datetime) -> bool:
    """Move a pending post to another time (its retry wait forgotten); False when it is no longer pending."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE posts SET due_at = ?, next_attempt_at = NULL WHERE id = ? AND status = 'pending'"
            " AND (origin != 'slot' OR NOT EXISTS (SELECT 1 FROM posts o WHERE o.origin = 'slot' AND o.due_at = ?))",
            (to_db(due_at), post_id, to_db(due_at)),
        )
        return cursor.rowcount == 1


async def claim_next(db: Database, now: datetime, *, post_id: int | None = None) -> Post | None:
    """Mark the next due pending post (or the given one, if due) as 'sending' and return it: from here on no one
    else sends it. One at a time, so a crash leaves at most the post being sent in doubt."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            "UPDATE posts SET status = 'sending', claimed_at = :now, attempts = attempts + 1 WHERE id = ("
            " SELECT id FROM posts WHERE status = 'pending' AND due_at <= :now"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= :now)"
            " AND (approval IS NULL OR approval = 'publish') AND (:id IS NULL OR id = :id)"
            " ORDER BY due_at, id LIMIT 1) RETURNING id",
            {"now": to_db(now), "id": post_id},
        )
        ids = [row[0] for row in rows]
    return await get(db, ids[0]) if ids else None


async def mark_sent(db: Database, post_id: int, message_id: int, now: datetime, text: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE posts SET status = 'sent', message_id = ?, sent_at = ?, sent_text = ?, last_error = NULL"
            " WHERE id = ?",
            (message_id, to_db(now), text, post_id),
        )


async def mark_retry(db: Database, post_id: int, next_attempt_at: datetime, error: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE posts SET status = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?",
            (to_db(next_attempt_at), error[:500], post_id),
        )


async def mark_failed(
    db: Database, post_id: int, reason: FailReason, error: str, *, reported_at: datetime | None = None
) -> None:
    """The post failed for good; editors are told once (see take_unreported), or were told already when
    `reported_at` is given (the editor who asked for it hears it in the reply)."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE posts SET status = 'failed', fail_reason = ?, last_error = ?, reported_at = ? WHERE id = ?",
            (reason, error[:500], to_db(reported_at) if reported_at else None, post_id),
        )


async def take_unreported(db: Database, now: datetime) -> list[Post]:
    """Failed and missed posts editors have not been told about, marked as told: each failure is reported once,
    whoever sent the post."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            "UPDATE posts SET reported_at = ? WHERE status IN ('failed', 'missed') AND reported_at IS NULL"
            " RETURNING id",
            (to_db(now),),
        )
    return await _posts_by_id(db, [row[0] for row in rows])


async def record_edit(db: Database, post_id: int, text: str, *, as_caption: bool) -> None:
    """The channel message now shows `text` (after an editor's /edit)."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE posts SET sent_text = ?, sent_as_caption = ? WHERE id = ?", (text, int(as_caption), post_id)
        )


async def mark_deleted(db: Database, post_id: int, *, by: int, now: datetime) -> bool:
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE posts SET status = 'deleted', deleted_by = ?, deleted_at = ? WHERE id = ? AND status = 'sent'",
            (by, to_db(now), post_id),
        )
        return cursor.rowcount == 1


async def decide(db: Database, post_id: int, decision: Decision, *, by: int | None, now: datetime) -> bool:
    """An editor's (or, with `by` None, the default's) answer to a post awaiting approval; False when it was
    already decided. Skipping cancels the post."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE posts SET approval = :decision, decided_by = :by, decided_at = :now,"
            " status = CASE :decision WHEN 'skip' THEN 'cancelled' ELSE status END"
            " WHERE id = :id AND approval = 'waiting' AND status = 'pending'",
            {"decision": decision, "by": by, "now": to_db(now), "id": post_id},
        )
        return cursor.rowcount == 1


async def swap_article(db: Database, post_id: int, article_id: int) -> bool:
    """Another article for a post still awaiting approval."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE posts SET article_id = ? WHERE id = ? AND approval = 'waiting' AND status = 'pending'",
            (article_id, post_id),
        )
        return cursor.rowcount == 1


async def awaiting_approval_due(db: Database, now: datetime) -> list[Post]:
    """Posts still awaiting approval whose time has come: the configured default decides them."""
    rows = await db.fetchall(
        f"{_SELECT} WHERE p.status = 'pending' AND p.approval = 'waiting' AND p.due_at <= ? ORDER BY p.due_at",
        (to_db(now),),
    )
    return [_post(row) for row in rows]


async def recover_after_restart(db: Database, now: datetime, grace: timedelta) -> tuple[list[Post], list[Post]]:
    """At start: posts left 'sending' by a crash become failed (they may have reached the channel, so they are
    not sent again), and pending posts more than `grace` late become missed. Returns (interrupted, missed);
    editors are told of both through take_unreported."""
    async with db.transaction() as conn:
        interrupted_ids = await conn.execute_fetchall(
            "UPDATE posts SET status = 'failed', fail_reason = 'interrupted', reported_at = NULL, last_error = ?"
            " WHERE status = 'sending' RETURNING id",
            ("interrupted while sending (bot stopped); check the channel before posting again",),
        )
        missed_ids = await conn.execute_fetchall(
            "UPDATE posts SET status = 'missed', fail_reason = 'missed', reported_at = NULL, last_error = ?"
            " WHERE status = 'pending' AND due_at < ? RETURNING id",
            (f"more than {int(grace.total_seconds() // 60)} min late when the bot started", to_db(now - grace)),
        )
    return await _posts_by_id(db, [r[0] for r in interrupted_ids]), await _posts_by_id(db, [r[0] for r in missed_ids])


async def _posts_by_id(db: Database, ids: list[int]) -> list[Post]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [_post(row) for row in await db.fetchall(f"{_SELECT} WHERE p.id IN ({marks}) ORDER BY p.id", ids)]


async def take_article_changes(db: Database) -> list[int]:
    """Articles with a sent post that changed since editors were last told (recorded by a trigger, whichever
    process changed them), forgotten as they are taken."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall("DELETE FROM article_changes RETURNING article_id")
    return sorted(row[0] for row in rows)


async def note_article_change(db: Database, article_id: int, now: datetime) -> None:
    """Record that an article changed, for a change the trigger cannot see (see take_article_changes)."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO article_changes (article_id, changed_at) SELECT id, ? FROM articles WHERE id = ?"
            " ON CONFLICT (article_id) DO UPDATE SET changed_at = excluded.changed_at",
            (to_db(now), article_id),
        )


async def sent_of_article(db: Database, article_id: int) -> list[Post]:
    rows = await db.fetchall(f"{_SELECT} WHERE p.article_id = ? AND p.status = 'sent' ORDER BY p.id", (article_id,))
    return [_post(row) for row in rows]


async def status_counts(db: Database) -> dict[str, int]:
    rows = await db.fetchall("SELECT status, count(*) FROM posts GROUP BY status")
    return {row[0]: row[1] for row in rows}


async def next_due(db: Database) -> datetime | None:
    return from_db(await db.fetchval("SELECT min(due_at) FROM posts WHERE status = 'pending'"))
