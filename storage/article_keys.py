"""Stored articles' identity and content keys kept in step with the rules in bot/records.py.

Those rules live in Python (URL normalisation, text folding, SHA-256), so a schema migration cannot apply them:
when the database is opened, articles whose keys follow an older version of the rules (`keys_version` below
records.KEYS_VERSION) get their keys recomputed here, a batch per transaction. Where a new identity is already
taken by another article (two rows an older rule told apart), the row keeps its old identity: it is still found by
its content key, and no article is merged or lost.
"""

from __future__ import annotations

import aiosqlite

from bot.records import KEYS_VERSION, ArticleDraft

BATCH = 1000


async def refresh_article_keys(connection: aiosqlite.Connection) -> int:
    """Re-key every article stored under older identity rules; returns how many were re-keyed."""
    total = 0
    while True:
        rows = list(
            await connection.execute_fetchall(
                "SELECT id, title, lead, body, url FROM articles WHERE keys_version < ? ORDER BY id LIMIT ?",
                (KEYS_VERSION, BATCH),
            )
        )
        if not rows:
            return total
        await connection.execute("BEGIN IMMEDIATE")
        try:
            for row in rows:
                draft = ArticleDraft(title=row[1], lead=row[2], body=row[3], url=row[4])
                await connection.execute(
                    "UPDATE articles SET identity = CASE WHEN EXISTS (SELECT 1 FROM articles"
                    " WHERE identity = :identity AND id != :id) THEN identity ELSE :identity END,"
                    " content_hash = :content, version_hash = :version, keys_version = :keys_version WHERE id = :id",
                    {
                        "id": row[0],
                        "identity": draft.identity,
                        "content": draft.content_key,
                        "version": draft.version_key,
                        "keys_version": KEYS_VERSION,
                    },
                )
            await connection.commit()
        except BaseException:
            await connection.rollback()
            raise
        total += len(rows)
