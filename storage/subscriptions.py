"""Readers who follow people, places, organisations or words: their subscriptions and whether they can be reached.

Every question about subscriptions is asked for one reader (`user_id`): no function here lists another reader's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiosqlite

from storage.db import Database
from storage.timestamps import to_db

SubscriptionKind = Literal["entity", "words"]


@dataclass(frozen=True, slots=True)
class Subscription:
    """What a reader follows: an entity key (a case-folded nominative name, or a person's surname) or the
    prefix terms of a full-text query, with the label the reader is shown."""

    id: int
    kind: str
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class KnownEntity:
    id: int
    key: str
    kind: str
    name: str
    article_count: int


@dataclass(frozen=True, slots=True)
class Added:
    subscription: Subscription
    created: bool


def _subscription(row: aiosqlite.Row) -> Subscription:
    return Subscription(row[0], row[1], row[2], row[3])


async def add(
    db: Database,
    user_id: int,
    kind: SubscriptionKind,
    key: str,
    label: str,
    *,
    language: str,
    now: datetime,
    limit: int,
) -> Added | None:
    """Follow `key` for a reader (the reader's language is kept for the messages); the existing subscription when
    the reader already follows it, None when the reader already has `limit` subscriptions."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO followers (user_id, language, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET language = excluded.language",
            (user_id, language, to_db(now)),
        )
        rows = await conn.execute_fetchall(
            "SELECT id, kind, key, label FROM subscriptions WHERE user_id = ? AND kind = ? AND key = ?",
            (user_id, kind, key),
        )
        existing = next(iter(rows), None)
        if existing is not None:
            return Added(_subscription(existing), created=False)
        rows = await conn.execute_fetchall("SELECT count(*) FROM subscriptions WHERE user_id = ?", (user_id,))
        if next(iter(rows))[0] >= limit:
            return None
        cursor = await conn.execute(
            "INSERT INTO subscriptions (user_id, kind, key, label, created_at) VALUES (?, ?, ?, ?, ?)",
            (user_id, kind, key, label, to_db(now)),
        )
        return Added(Subscription(int(cursor.lastrowid or 0), kind, key, label), created=True)


async def of_reader(db: Database, user_id: int) -> list[Subscription]:
    """One reader's subscriptions, oldest first."""
    rows = await db.fetchall("SELECT id, kind, key, label FROM subscriptions WHERE user_id = ? ORDER BY id", (user_id,))
    return [_subscription(row) for row in rows]


async def remove(db: Database, user_id: int, subscription_id: int) -> Subscription | None:
    """Unfollow one of this reader's subscriptions; None when it is not theirs (or already gone). Messages not yet
    sent that only this subscription asked for are dropped."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            "DELETE FROM subscriptions WHERE id = ? AND user_id = ? RETURNING id, kind, key, label",
            (subscription_id, user_id),
        )
        row = next(iter(rows), None)
        if row is not None:  # messages still waiting because of this subscription alone are no longer wanted
            await conn.execute(
                "UPDATE notifications SET status = 'expired' WHERE user_id = ? AND subscription_id = ?"
                " AND status IN ('pending', 'capped', 'held') AND reason = ? || char(31) || ?",
                (user_id, subscription_id, row[3], row[3]),
            )
    return _subscription(row) if row else None


async def pause(conn: aiosqlite.Connection, user_id: int, now: datetime) -> None:
    """The reader blocked the bot (Telegram answered 403): nothing is sent to them until they come back.
    Call inside a transaction."""
    await conn.execute(
        "UPDATE followers SET paused_at = ? WHERE user_id = ? AND paused_at IS NULL", (to_db(now), user_id)
    )


async def resume(db: Database, user_id: int, *, language: str) -> bool:
    """The reader is back (/start): True when they had been paused."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            "UPDATE followers SET paused_at = NULL, language = ? WHERE user_id = ? AND paused_at IS NOT NULL"
            " RETURNING user_id",
            (language, user_id),
        )
    return bool(list(rows))


async def is_paused(db: Database, user_id: int) -> bool:
    return bool(await db.fetchval("SELECT paused_at IS NOT NULL FROM followers WHERE user_id = ?", (user_id,)))


_ENTITY_COLUMNS = "id, key, kind, name, article_count"


async def entities_by_keys(db: Database, keys: list[str]) -> list[KnownEntity]:
    """Stored entities whose key is one of `keys`, the most written about first."""
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    rows = await db.fetchall(
        f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE key IN ({marks}) ORDER BY article_count DESC, id", keys
    )
    return [KnownEntity(*row) for row in rows]


async def organisations_named(db: Database, name: str) -> list[KnownEntity]:
    """Organisations whose key is `name` followed by a head noun («amanat» → «amanat партиясы»), the most written
    about first: a reader names a party or a fund by its proper name alone."""
    rows = await db.fetchall(
        f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE kind = 'org' AND key > ? AND key < ?"
        " ORDER BY article_count DESC, id LIMIT 1",
        (f"{name} ", f"{name} \U0010ffff"),
    )
    return [KnownEntity(*row) for row in rows]


# the last word of an entity's key (the whole key when it is one word): what the index entities_by_surname holds
_LAST_WORD = "substr(key, length(rtrim(key, replace(key, ' ', ''))) + 1)"


async def people_by_surname(db: Database, surname: str, *, limit: int = 5) -> list[KnownEntity]:
    """People whose (case-folded, nominative) name ends with `surname`, the most written about first."""
    rows = await db.fetchall(
        f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE kind = 'person' AND {_LAST_WORD} = ?"
        " ORDER BY article_count DESC, id LIMIT ?",
        (surname, limit),
    )
    return [KnownEntity(*row) for row in rows]


async def entity_by_id(db: Database, entity_id: int) -> KnownEntity | None:
    row = await db.fetchone(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id = ?", (entity_id,))
    return KnownEntity(*row) if row else None


async def entities_of_article(db: Database, article_id: int, *, limit: int) -> list[KnownEntity]:
    """An article's people first, then places and organisations, each by how often it is mentioned."""
    rows = await db.fetchall(
        "SELECT e.id, e.key, e.kind, e.name, e.article_count FROM article_entities ae"
        " JOIN entities e ON e.id = ae.entity_id WHERE ae.article_id = ?"
        " ORDER BY e.kind = 'person' DESC, ae.mentions DESC, e.name LIMIT ?",
        (article_id, limit),
    )
    return [KnownEntity(*row) for row in rows]


async def add_in_bulk(
    db: Database, user_ids: list[int], kind: SubscriptionKind, key: str, label: str, *, language: str, now: datetime
) -> None:
    """Many readers following the same thing at once (benchmarks; an import of subscriptions)."""
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO followers (user_id, language, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(user_id, language, to_db(now)) for user_id in user_ids],
        )
        await conn.executemany(
            "INSERT INTO subscriptions (user_id, kind, key, label, created_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [(user_id, kind, key, label, to_db(now)) for user_id in user_ids],
        )
