"""Stored analysis: quotes, dated events and entities of each article, and the questions asked of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import aiosqlite

from bot.records import CERTAIN_SOURCES, Analysis
from storage.articles import count
from storage.db import Database
from storage.fts import prefix_query


@dataclass(frozen=True, slots=True)
class StoredQuote:
    article_id: int
    article_title: str
    text: str
    speaker: str | None
    role: str
    kind: str
    speaker_source: str = "unknown"

    @property
    def certain(self) -> bool:
        """Was the speaker named where the quote stands (not guessed from a pronoun, a role or the context)?"""
        return self.speaker_source in CERTAIN_SOURCES


@dataclass(frozen=True, slots=True)
class StoredEvent:
    article_id: int
    article_title: str
    when: str
    year: int
    year_end: int | None
    day: date | None
    what: str


@dataclass(frozen=True, slots=True)
class StoredEntity:
    name: str
    kind: str
    key: str
    mentions: int


@dataclass(frozen=True, slots=True)
class RelatedArticle:
    article_id: int
    title: str
    score: float
    shared: list[StoredEntity]
    topic: str = ""


# Statements that store an article's analysis, each with its rows, in order: shared by the bot's connection and the
# bulk import's (storage/bulk_writer.py), so both store the same rows.
AnalysisStatements = list[tuple[str, list[tuple[Any, ...]]]]
MARK_ANALYSIS_SQL = "UPDATE articles SET analysis_error = ? WHERE id = ?"


def analysis_statements(article_id: int, analysis: Analysis, *, new_article: bool = False) -> AnalysisStatements:
    """What `replace_analysis` executes: the earlier rows deleted (not for a new article), then the quotes,
    events and entities; empty lists cost no statement."""
    statements: AnalysisStatements = []
    if not new_article:
        statements += [
            (f"DELETE FROM {table} WHERE article_id = ?", [(article_id,)])
            for table in ("quotes", "events", "article_entities")
        ]
    if analysis.quotes:
        statements.append(
            (
                "INSERT INTO quotes (article_id, position, text, speaker, speaker_surname, role, kind, speaker_source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (article_id, n, q.text, q.speaker, surname_key(q.speaker), q.role, q.kind, q.speaker_source)
                    for n, q in enumerate(analysis.quotes)
                ],
            )
        )
    if analysis.events:
        statements.append(
            (
                "INSERT INTO events (article_id, position, when_text, year, year_end, day, what)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (article_id, n, e.when, e.year, e.year_end, e.date.isoformat() if e.date else None, e.what)
                    for n, e in enumerate(analysis.events)
                ],
            )
        )
    if analysis.entities:
        statements += [
            (
                "INSERT INTO entities (key, kind, name) VALUES (?, ?, ?) ON CONFLICT (key, kind) DO NOTHING",
                [(e.key, e.kind, e.name) for e in analysis.entities],
            ),
            (
                "INSERT INTO article_entities (article_id, entity_id, mentions)"
                " SELECT ?, id, ? FROM entities WHERE key = ? AND kind = ?",
                [(article_id, e.mentions, e.key, e.kind) for e in analysis.entities],
            ),
        ]
    return statements


async def replace_analysis(
    conn: aiosqlite.Connection, article_id: int, analysis: Analysis, *, new_article: bool = False
) -> None:
    """Store an article's quotes, events and entities in place of any earlier ones; call inside the article's
    transaction (the summary is stored with the article)."""
    for sql, rows in analysis_statements(article_id, analysis, new_article=new_article):
        await conn.executemany(sql, rows)


async def set_summary(conn: aiosqlite.Connection, article_id: int, summary: str, *, version: int) -> None:
    """Store a re-analysed article's summary and the analyser version that made it."""
    await conn.execute(
        "UPDATE articles SET summary = ?, analysis_version = ? WHERE id = ?", (summary, version, article_id)
    )


async def mark_analysis(conn: aiosqlite.Connection, article_id: int, *, error: str | None) -> None:
    """Flag an article whose analysis failed, with why (None clears the flag); call inside its transaction."""
    await conn.execute(MARK_ANALYSIS_SQL, (error, article_id))


async def analysis_error(db: Database, article_id: int) -> str | None:
    """Why the article's analysis failed, or None when it did not."""
    value = await db.fetchval("SELECT analysis_error FROM articles WHERE id = ?", (article_id,))
    return str(value) if value is not None else None


def surname_key(speaker: str | None) -> str | None:
    """The case-folded last word of a nominative name: what /quotes looks names up by."""
    if not speaker:
        return None
    return speaker.split()[-1].casefold()


_QUOTE_SELECT = (
    "SELECT q.article_id, a.title, q.text, q.speaker, q.role, q.kind, q.speaker_source FROM quotes q"
    " JOIN articles a ON a.id = q.article_id"
)


def _quote(row: aiosqlite.Row) -> StoredQuote:
    return StoredQuote(row[0], row[1], row[2], row[3], row[4], row[5], row[6])


async def quotes_of_article(db: Database, article_id: int) -> list[StoredQuote]:
    rows = await db.fetchall(f"{_QUOTE_SELECT} WHERE q.article_id = ? ORDER BY q.position", (article_id,))
    return [_quote(row) for row in rows]


async def quotes_by_surname(db: Database, surname: str, *, limit: int) -> list[StoredQuote]:
    """Quotes whose speaker's nominative surname (or single name) is `surname`, newest articles first."""
    rows = await db.fetchall(
        f"{_QUOTE_SELECT} WHERE q.speaker_surname = ? ORDER BY q.article_id DESC, q.position LIMIT ?",
        (surname.casefold(), limit),
    )
    return [_quote(row) for row in rows]


async def latest_quotes(db: Database, *, limit: int) -> list[StoredQuote]:
    """Attributed quotes from the newest articles."""
    rows = await db.fetchall(
        f"{_QUOTE_SELECT} WHERE q.article_id IN (SELECT a2.id FROM articles a2"
        "  WHERE EXISTS (SELECT 1 FROM quotes q2 WHERE q2.article_id = a2.id AND q2.speaker IS NOT NULL)"
        "  ORDER BY a2.sort_at DESC, a2.id DESC LIMIT ?)"
        " AND q.speaker IS NOT NULL ORDER BY a.sort_at DESC, a.id DESC, q.position LIMIT ?",
        (limit, limit),
    )
    return [_quote(row) for row in rows]


_EVENT_SELECT = (
    "SELECT e.article_id, a.title, e.when_text, e.year, e.year_end, e.day, e.what FROM events e"
    " JOIN articles a ON a.id = e.article_id"
)


def _event(row: aiosqlite.Row) -> StoredEvent:
    day = date.fromisoformat(row[5]) if row[5] else None
    return StoredEvent(row[0], row[1], row[2], row[3], row[4], day, row[6])


async def events_of_article(db: Database, article_id: int) -> list[StoredEvent]:
    rows = await db.fetchall(
        f"{_EVENT_SELECT} WHERE e.article_id = ? ORDER BY e.year, e.day, e.position", (article_id,)
    )
    return [_event(row) for row in rows]


async def events_in_year(db: Database, year: int, *, limit: int) -> list[StoredEvent]:
    """A year's timeline across the archive: events dated in `year` (or spanning it), in date order."""
    rows = await db.fetchall(
        f"{_EVENT_SELECT} WHERE e.year = ? OR (e.year < ? AND e.year_end >= ?)"
        " ORDER BY e.day IS NULL, e.day, e.article_id, e.position LIMIT ?",
        (year, year, year, limit),
    )
    return [_event(row) for row in rows]


async def events_matching(db: Database, stems: list[str], *, limit: int) -> list[StoredEvent]:
    """Events whose phrase contains a word form of every stem, the best matches in time order."""
    if not stems:
        return []
    match = prefix_query(stems)
    # The newest matching events (by rowid), not a ranking of every match: the cost stays flat as the archive grows.
    rows = await db.fetchall(
        f"{_EVENT_SELECT} WHERE e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?"
        " ORDER BY rowid DESC LIMIT ?) ORDER BY e.year, e.day, e.article_id, e.position",
        (match, limit),
    )
    return [_event(row) for row in rows]


async def entities_of_article(db: Database, article_id: int) -> list[StoredEntity]:
    rows = await db.fetchall(
        "SELECT e.name, e.kind, e.key, ae.mentions FROM article_entities ae JOIN entities e ON e.id = ae.entity_id"
        " WHERE ae.article_id = ? ORDER BY ae.mentions DESC, e.name",
        (article_id,),
    )
    return [StoredEntity(*row) for row in rows]


async def related_articles(
    db: Database,
    article_id: int,
    *,
    limit: int,
    max_entity_share: float = 0.05,
    max_entity_articles: int = 300,
    rarest_entities: int = 8,
) -> list[RelatedArticle]:
    """Articles sharing this one's entities, ranked by the summed rarity of what they share (1 / articles
    mentioning it; people count 1.5×).

    Entities in more than `max_entity_share` of the archive or more than `max_entity_articles` articles (say,
    «Қазақстан») link everything to everything; they are skipped, and only the `rarest_entities` rarest of the
    rest are followed, which bounds the query's cost whatever the archive's size.
    """
    total = await count(db) or 1
    ceiling = max(3, min(max_entity_articles, int(total * max_entity_share)))
    best = await db.fetchall(  # titles are read for the winners only, not for every article sharing a name
        "SELECT best.article_id, a.title, best.score FROM ("
        "SELECT other.article_id, sum((CASE e.kind WHEN 'person' THEN 1.5 ELSE 1.0 END) / e.article_count) AS score"
        " FROM (SELECT mine.entity_id FROM article_entities mine"
        "  JOIN entities e2 ON e2.id = mine.entity_id AND e2.article_count BETWEEN 2 AND ?"
        "  WHERE mine.article_id = ? ORDER BY e2.article_count LIMIT ?) mine"
        " JOIN entities e ON e.id = mine.entity_id"
        " JOIN article_entities other ON other.entity_id = mine.entity_id AND other.article_id != ?"
        " GROUP BY other.article_id ORDER BY score DESC, other.article_id DESC LIMIT ?) best"
        " JOIN articles a ON a.id = best.article_id ORDER BY best.score DESC, best.article_id DESC",
        (ceiling, article_id, rarest_entities, article_id, limit),
    )
    if not best:
        return []
    ids = [row[0] for row in best]
    marks = ",".join("?" * len(ids))
    shared_rows = await db.fetchall(
        "SELECT other.article_id, e.name, e.kind, e.key, other.mentions FROM article_entities mine"
        " JOIN article_entities other ON other.entity_id = mine.entity_id"
        f" JOIN entities e ON e.id = mine.entity_id WHERE mine.article_id = ? AND other.article_id IN ({marks})"
        " ORDER BY e.article_count, e.name",
        [article_id, *ids],
    )
    shared: dict[int, list[StoredEntity]] = {}
    for other_id, name, kind, key, mentions in shared_rows:
        shared.setdefault(other_id, []).append(StoredEntity(name, kind, key, mentions))
    return [RelatedArticle(row[0], row[1], round(row[2], 4), shared.get(row[0], [])) for row in best]
