"""The bulk import's writer: one synchronous sqlite3 connection that stores many analysed articles per transaction.

It runs the same statements with the same parameters as the bot's connection (FIND_STORED_SQL, INSERT_ARTICLE_SQL,
`analysis_statements`… from storage/articles.py and storage/article_analysis.py), so what a bulk import stores is
what a one-by-one import stores; the triggers keep the full-text index and the counters in step as they do there.

A running bot shares the database. SQLite's busy handler lets a waiting writer try again only after growing sleeps
(up to 100 ms between tries), so a writer that takes the lock again right after each commit can keep it from the
bot for seconds. `transaction()` therefore leaves the lock free for YIELD_SECONDS after each commit, longer than
the longest of those sleeps, before it takes it again.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bot.records import Analysis, ArticleDraft
from storage.article_analysis import MARK_ANALYSIS_SQL, analysis_statements
from storage.articles import (
    ADD_ADDRESS_SQL,
    FIND_STORED_SQL,
    INSERT_ARTICLE_SQL,
    UPDATE_ARTICLE_SQL,
    StoredVersion,
    address_params,
    article_params,
    find_stored_params,
    stored_version,
)
from storage.db import BUSY_TIMEOUT_MS

# SQLite's busy handler sleeps at most 100 ms between two tries: a free lock for longer than that is always seen.
YIELD_SECONDS = 0.11


def _pause(seconds: float) -> None:
    """Sleep. Not time.sleep: it waits with an absolute monotonic deadline, which libfaketime (the suite also runs
    a year away under `faketime`) turns into EINVAL; a timed wait on an event that is never set sleeps alike."""
    threading.Event().wait(seconds)


class BulkWriter:
    """Write transactions on a database the bot's migrations have already brought up to date."""

    def __init__(self, path: Path, *, yield_seconds: float = YIELD_SECONDS) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        self.yield_seconds = yield_seconds
        self._committed_at = float("-inf")
        # A 64 MB page cache (SQLite's default is 2 MB): the indexes' pages, the full-text ones above all, stay in
        # memory across the many articles of a transaction (measured: 3.32 -> 3.03 ms an article stored).
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "cache_size = -65536"):
            self.connection.execute(f"PRAGMA {pragma}")

    def close(self) -> None:
        """Close the connection; a transaction still open is rolled back."""
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; taken no sooner than YIELD_SECONDS after the last
        commit, so another connection waiting for the lock gets it in between."""
        pause = self._committed_at + self.yield_seconds - time.monotonic()
        if pause > 0:
            _pause(pause)
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.connection.execute("COMMIT")
        except BaseException:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            raise
        finally:
            self._committed_at = time.monotonic()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """One article inside a transaction that stands or falls alone (see storage.db.savepoint)."""
        self.connection.execute("SAVEPOINT unit")
        try:
            yield
        except BaseException:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK TO unit")
                self.connection.execute("RELEASE unit")
            raise
        self.connection.execute("RELEASE unit")

    def ready(self) -> bool:
        """Has the lock been free for YIELD_SECONDS since the last commit (so `transaction()` will not wait)?"""
        return time.monotonic() - self._committed_at >= self.yield_seconds

    @property
    def in_transaction(self) -> bool:
        return self.connection.in_transaction

    def find_stored(self, draft: ArticleDraft) -> StoredVersion | None:
        return stored_version(self.connection.execute(FIND_STORED_SQL, find_stored_params(draft)).fetchone())

    def insert_article(self, draft: ArticleDraft, *, summary: str, analysis_version: int, now: datetime) -> int:
        cursor = self.connection.execute(INSERT_ARTICLE_SQL, article_params(draft, summary, analysis_version, now))
        return int(cursor.lastrowid or 0)

    def update_article(
        self, article_id: int, draft: ArticleDraft, *, summary: str, analysis_version: int, now: datetime
    ) -> None:
        params = {**article_params(draft, summary, analysis_version, now), "id": article_id}
        self.connection.execute(UPDATE_ARTICLE_SQL, params)

    def add_address(self, article_id: int, draft: ArticleDraft, *, now: datetime) -> None:
        self.connection.execute(ADD_ADDRESS_SQL, address_params(article_id, draft, now))

    def replace_analysis(self, article_id: int, analysis: Analysis, *, new_article: bool = False) -> None:
        for sql, rows in analysis_statements(article_id, analysis, new_article=new_article):
            self.connection.executemany(sql, rows)

    def mark_analysis(self, article_id: int, *, error: str | None) -> None:
        self.connection.execute(MARK_ANALYSIS_SQL, (error, article_id))


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection (the bulk import's workers look up whether an article is stored already)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def find_stored_read_only(connection: sqlite3.Connection, draft: ArticleDraft) -> StoredVersion | None:
    return stored_version(connection.execute(FIND_STORED_SQL, find_stored_params(draft)).fetchone())
