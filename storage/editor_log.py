"""Editors: what each did and when (the action log), and the language and name each was last seen with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timestamps import required_from_db, to_db


@dataclass(frozen=True, slots=True)
class Action:
    at: datetime
    editor_id: int | None  # None: the bot itself (an approval default applied)
    editor_name: str
    action: str
    post_id: int | None
    article_id: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class KnownEditor:
    user_id: int
    name: str
    language: str


async def record(
    db: Database,
    action: str,
    *,
    editor_id: int | None,
    now: datetime,
    post_id: int | None = None,
    article_id: int | None = None,
    detail: str = "",
) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO editor_actions (at, editor_id, action, post_id, article_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (to_db(now), editor_id, action, post_id, article_id, detail[:300]),
        )


async def record_each(
    db: Database, action: str, *, editor_id: int | None, now: datetime, article_ids: list[int]
) -> None:
    """The same action on many articles (an upload of many), one row each, in one transaction."""
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO editor_actions (at, editor_id, action, article_id, detail) VALUES (?, ?, ?, ?, '')",
            [(to_db(now), editor_id, action, article_id) for article_id in article_ids],
        )


async def latest(db: Database, *, limit: int = 15) -> list[Action]:
    """The newest actions first."""
    rows = await db.fetchall(
        "SELECT x.at, x.editor_id, coalesce(e.name, ''), x.action, x.post_id, x.article_id, x.detail"
        " FROM editor_actions x LEFT JOIN editors e ON e.user_id = x.editor_id ORDER BY x.id DESC LIMIT ?",
        (limit,),
    )
    return [Action(required_from_db(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


async def remember_editor(db: Database, user_id: int, *, name: str, language: str, now: datetime) -> bool:
    """The editor's name and language as last seen, for messages the bot sends on its own (jobs); True when the
    language is new (their command menu follows it)."""
    known = await db.fetchone("SELECT name, language FROM editors WHERE user_id = ?", (user_id,))
    if known is not None and (known[0], known[1]) == (name, language):
        return False
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO editors (user_id, name, language, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id)"
            " DO UPDATE SET name = excluded.name, language = excluded.language, seen_at = excluded.seen_at",
            (user_id, name[:100], language, to_db(now)),
        )
    return known is None or known[1] != language


async def known_editors(db: Database) -> dict[int, KnownEditor]:
    rows = await db.fetchall("SELECT user_id, name, language FROM editors")
    return {r[0]: KnownEditor(r[0], r[1], r[2]) for r in rows}
