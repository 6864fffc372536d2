"""One aiosqlite connection with serialised write transactions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import migrate

BUSY_TIMEOUT_MS = 5000
# How stale a cached read may be after another process (a CLI import while the bot runs) writes.
EXTERNAL_WRITES_CHECK_SECONDS = 1.0
CACHED_READS = 256


class Database:
    """The bot's database: reads go straight through, writes go through `transaction()`."""

    def __init__(self, connection: aiosqlite.Connection, path: Path, *, cache_reads: bool = True) -> None:
        self.connection = connection
        self.path = path
        self.cache_reads = cache_reads
        self._write_lock = asyncio.Lock()
        self._cache: dict[tuple[str, tuple[Any, ...]], list[aiosqlite.Row]] = {}
        self._generation = 0
        self._data_version: int | None = None
        self._checked_at = float("-inf")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One unit of work: BEGIN IMMEDIATE … COMMIT, rolled back on any error.

        The lock keeps concurrent handlers from interleaving statements inside each other's transaction
        on the shared connection.
        """
        async with self._write_lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
                await self.connection.commit()
            except BaseException:
                await self.connection.rollback()
                raise
            finally:
                self.forget_cached_reads()

    async def write_one(self, sql: str, params: Iterable[Any] = (), *, cached_reads_affected: bool = True) -> int:
        """One statement as its own transaction, in one trip to aiosqlite's thread (a transaction() costs three);
        returns the rows changed. `cached_reads_affected=False` keeps cached reads when the statement writes no
        table they read (the notifications outbox, for instance)."""
        async with self._write_lock:
            cursor = await self.connection.execute(sql, tuple(params))  # autocommit: committed when it returns
            if cached_reads_affected:
                self.forget_cached_reads()
            return cursor.rowcount

    @asynccontextmanager
    async def write_batch(self, *, commit_every: float = 0.5) -> AsyncIterator[WriteBatch]:
        """Many units of work in few transactions, for bulk imports; see WriteBatch. Completed units are
        committed on the way out, whatever ends the batch."""
        async with self._write_lock:
            batch = WriteBatch(self, commit_every)
            try:
                yield batch
            finally:
                await batch.commit()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        # One trip to aiosqlite's thread instead of three (execute, fetch, close): reads are the hot path.
        return list(await self.connection.execute_fetchall(sql, tuple(params)))

    async def fetchall_cached(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """`fetchall` for small hot reads (the newest page, one article), answered from memory until something
        is written: a burst of readers from a channel post asks the same few things, and each trip to
        aiosqlite's thread costs the busy event loop far more than the query. Writes through this Database
        forget the cache at once; writes by another process are noticed through PRAGMA data_version, checked at
        most every EXTERNAL_WRITES_CHECK_SECONDS."""
        if not self.cache_reads:
            return await self.fetchall(sql, params)
        await self._notice_external_writes()
        key = (sql, tuple(params))
        rows = self._cache.get(key)
        if rows is None:
            generation = self._generation
            rows = await self.fetchall(sql, key[1])
            if generation == self._generation:  # nothing was written while this read was on its way
                if len(self._cache) >= CACHED_READS:
                    self._cache.clear()
                self._cache[key] = rows
        return rows

    async def _notice_external_writes(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < EXTERNAL_WRITES_CHECK_SECONDS:
            return
        self._checked_at = now
        version = await self.fetchval("PRAGMA data_version")
        if version != self._data_version:
            self._data_version = version
            self.forget_cached_reads()

    def forget_cached_reads(self) -> None:
        """Something was written: no cached read may be answered any more, nor one still on its way stored."""
        self._generation += 1
        self._cache.clear()

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def close(self) -> None:
        await self.connection.close()


async def open_database(path: str | Path, *, target_version: int | None = None, cache_reads: bool = True) -> Database:
    """Open (creating folder and file if needed), configure and migrate the database."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    connection = await aiosqlite.connect(path, isolation_level=None)
    try:
        connection.row_factory = aiosqlite.Row
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        await migrate(connection, target_version=target_version)
    except BaseException:
        await connection.close()
        raise
    return Database(connection, path, cache_reads=cache_reads)


class WriteBatch:
    """Units of work that each stand or fall alone (a SAVEPOINT each), committed together every
    `commit_every` seconds: a commit per article added half again to the cost of its inserts (measured with the
    full-text index), while one long transaction would keep another writer (the running bot) waiting; it waits
    at most `commit_every`."""

    def __init__(self, db: Database, commit_every: float) -> None:
        self._db = db
        self._commit_every = commit_every
        self._began_at: float | None = None

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[aiosqlite.Connection]:
        connection = self._db.connection
        if self._began_at is None:
            await connection.execute("BEGIN IMMEDIATE")
            self._began_at = time.monotonic()
        await connection.execute("SAVEPOINT unit")
        try:
            yield connection
        except BaseException:
            await connection.execute("ROLLBACK TO unit")
            await connection.execute("RELEASE unit")
            raise
        finally:
            self._db.forget_cached_reads()
        await connection.execute("RELEASE unit")

    async def commit_if_due(self) -> None:
        """Commit once the open transaction is `commit_every` old; call between units. A failure here is not one
        unit's: every unit since the last commit is lost, so it is raised to whoever runs the batch."""
        if self._began_at is not None and time.monotonic() - self._began_at >= self._commit_every:
            await self.commit()

    async def commit(self) -> None:
        if self._began_at is None:
            return
        self._began_at = None
        try:
            await self._db.connection.commit()
        except BaseException:
            await self._db.connection.rollback()
            raise
        finally:
            self._db.forget_cached_reads()
