"""One aiosqlite connection with serialised write transactions."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.article_keys import refresh_article_keys
from storage.migrations import LATEST_VERSION, SchemaTooNew, migrate, schema_version

BUSY_TIMEOUT_MS = 5000
# How stale a cached read may be after another process (a CLI import while the bot runs) writes.
EXTERNAL_WRITES_CHECK_SECONDS = 1.0
CACHED_READS = 256
T = TypeVar("T")
_MISSING = object()


class Database:
    """The bot's database: reads go straight through, writes go through `transaction()`."""

    def __init__(self, connection: aiosqlite.Connection, path: Path, *, cache_reads: bool = True) -> None:
        self.connection = connection
        self.path = path
        self.cache_reads = cache_reads
        self._write_lock = asyncio.Lock()
        self._cache: dict[Hashable, Any] = {}
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

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        # One trip to aiosqlite's thread instead of three (execute, fetch, close): reads are the hot path.
        return list(await self.connection.execute_fetchall(sql, tuple(params)))

    async def fetchall_cached(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """`fetchall` for small hot reads (the newest page, one article), answered from memory until something
        is written: a burst of readers from a channel post asks the same few things, and each trip to
        aiosqlite's thread costs the busy event loop far more than the query. See `cached`."""
        values = tuple(params)
        return await self.cached(("sql", sql, values), lambda: self.fetchall(sql, values))

    async def cached(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """What `compute` returns — something made only of reads, such as a page rendered from cached reads —
        kept under `key` until something is written. Writes through this Database forget it at once; writes by
        another process are noticed through PRAGMA data_version, checked at most every
        EXTERNAL_WRITES_CHECK_SECONDS. The value is shared by every caller: it must not be changed."""
        if not self.cache_reads:
            return await compute()
        await self._notice_external_writes()
        value = self._cache.get(key, _MISSING)
        if value is _MISSING:
            generation = self._generation
            value = await compute()
            if generation == self._generation:  # nothing was written while it was being made
                if len(self._cache) >= CACHED_READS:
                    self._cache.clear()
                self._cache[key] = value
        return value

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


class DatabaseUnavailable(Exception):
    """The database cannot be opened, read or migrated: the path is a folder, not a database, on a read-only
    disk, from a newer bot… The message says which path and why, in one line."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


async def open_database(
    path: str | Path, *, target_version: int | None = None, cache_reads: bool = True, read_only: bool = False
) -> Database:
    """Open (creating folder and file if needed), configure and migrate the database. `read_only` opens an
    existing one for reading only: nothing is created, migrated or written. Raises DatabaseUnavailable."""
    path = Path(path)
    try:
        connection = await (_connect_read_only(path) if read_only else _connect(path))
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseUnavailable(path, _reason(exc)) from exc
    try:
        connection.row_factory = aiosqlite.Row
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:
            await _check_version(connection, path)
        else:
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA synchronous = NORMAL")
            await connection.execute("PRAGMA foreign_keys = ON")
            await migrate(connection, target_version=target_version)
            if target_version is None:
                await refresh_article_keys(connection)
    except BaseException as exc:
        await connection.close()
        if isinstance(exc, sqlite3.Error | SchemaTooNew):
            raise DatabaseUnavailable(path, _reason(exc)) from exc
        raise
    return Database(connection, path, cache_reads=cache_reads)


async def _connect(path: Path) -> aiosqlite.Connection:
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(21, "it is a folder, not a database file")
    return await aiosqlite.connect(path, isolation_level=None)


async def _connect_read_only(path: Path) -> aiosqlite.Connection:
    if not path.is_file():
        what = "it is a folder, not a database file" if path.is_dir() else "no database here yet"
        raise FileNotFoundError(2, what)
    return await aiosqlite.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


async def _check_version(connection: aiosqlite.Connection, path: Path) -> None:
    version = await schema_version(connection)
    if version > LATEST_VERSION:
        raise SchemaTooNew(version)
    if version < LATEST_VERSION:
        raise sqlite3.OperationalError(
            "the database is from an older version of the bot: start the bot or run an import once to upgrade it"
        )


def _reason(exc: BaseException) -> str:
    """What went wrong, in words an operator can act on."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    text = str(exc)
    hints = {
        "file is not a database": "the file is not an SQLite database (corrupt, or another kind of file)",
        "readonly database": "the database is read-only (a read-only disk or file)",
        "unable to open database file": "cannot open or create the file here (missing folder or no permission)",
        "database is locked": "another program holds the database locked",
    }
    return next((hint for key, hint in hints.items() if key in text), text)


@asynccontextmanager
async def savepoint(connection: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """A unit of work inside a transaction that stands or falls alone. When an error has already ended the whole
    transaction (SQLite rolls back by itself on a full disk or an I/O error), there is nothing to roll back to:
    the error is raised as it is, not as «no such savepoint»."""
    await connection.execute("SAVEPOINT unit")
    try:
        yield connection
    except BaseException:
        if connection.in_transaction:
            await connection.execute("ROLLBACK TO unit")
            await connection.execute("RELEASE unit")
        raise
    await connection.execute("RELEASE unit")
