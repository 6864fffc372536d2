"""Operating the database file: consistent copies while the bot writes, checking a file, putting a copy back.

These run in a thread or a command-line process, on their own `sqlite3` connections (not the bot's aiosqlite one):
a copy is one read transaction, which in WAL mode never blocks the running bot's writes.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from storage.db import BUSY_TIMEOUT_MS, Database
from storage.migrations import LATEST_VERSION

PARTIAL_SUFFIX = ".partial"
RESTORING_SUFFIX = ".restoring"
_SHOWN_PROBLEMS = 5


class DatabaseFileError(Exception):
    """A database file cannot be used as asked: missing, unreadable, damaged, not this bot's, or too new."""


class DatabaseInUse(DatabaseFileError):
    """Another process has the database open, so it must not be replaced now."""


@dataclass(frozen=True, slots=True)
class DatabaseFacts:
    """What a look at a database file found."""

    path: Path
    size: int
    schema_version: int
    problems: tuple[str, ...]  # PRAGMA integrity_check's findings; empty when the file is sound
    articles: int | None  # None where the table does not exist (a file older than the table)
    posts: int | None

    @property
    def sound(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class Restored:
    facts: DatabaseFacts  # the database now in place
    replaced: Path | None  # where the database it replaced was moved; None when there was none


@contextmanager
def _connect(path: Path, *, mode: str) -> Iterator[sqlite3.Connection]:
    """A plain connection that never creates the file (`mode` is SQLite's URI mode: ro or rw)."""
    if not path.is_file():
        raise DatabaseFileError(f"{path}: no such database file")
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        raise DatabaseFileError(f"{path}: cannot open: {exc}") from exc
    with closing(connection):
        yield connection


def _count(connection: sqlite3.Connection, table: str) -> int | None:
    exists = connection.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", (table,)).fetchone()
    if not exists:
        return None
    # The table name comes from this module's own literals below, never from input.
    return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _facts(connection: sqlite3.Connection, path: Path) -> DatabaseFacts:
    rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    problems = () if rows == ["ok"] else tuple(rows)
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    articles = _count(connection, "articles") if not problems else None
    posts = _count(connection, "posts") if not problems else None
    return DatabaseFacts(path, path.stat().st_size, version, problems, articles, posts)


def inspect(path: Path, *, read_only: bool = True) -> DatabaseFacts:
    """Integrity, schema version and counts of a database file, changing nothing in it.

    `read_only=False` is for the live database: a read-only connection to a WAL database cannot remove the -wal
    and -shm files it creates, a read-write one removes them when it closes (and writes nothing else)."""
    try:
        with _connect(path, mode="ro" if read_only else "rw") as connection:
            return _facts(connection, path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(f"{path}: not a readable SQLite database: {exc}") from exc


def describe_problems(facts: DatabaseFacts) -> str:
    shown = "; ".join(facts.problems[:_SHOWN_PROBLEMS])
    more = len(facts.problems) - _SHOWN_PROBLEMS
    return shown + (f" (and {more} more)" if more > 0 else "")


def backup(db_path: Path, dest: Path) -> DatabaseFacts:
    """Copy the database to `dest` consistently while others write, then verify the copy.

    The copy is one read transaction on the live file (SQLite's online backup API reusing it), written under
    `dest` + PARTIAL_SUFFIX, switched from WAL to a rollback journal so it is one self-contained file, flushed
    to disk, checked (integrity, and the same article and post counts as the snapshot it was taken from), and only
    then renamed to `dest`. A process killed on the way leaves at most the partial file; the live database is only
    read."""
    partial = dest.with_name(dest.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    try:
        snapshot = _copy(db_path, partial)
        _flush(partial)
        copy = inspect(partial)
        if not copy.sound:
            raise DatabaseFileError(f"the copy failed its integrity check: {describe_problems(copy)}")
        if (copy.articles, copy.posts) != snapshot:
            raise DatabaseFileError(
                f"the copy has {copy.articles} articles and {copy.posts} posts, the database had {snapshot[0]} "
                f"and {snapshot[1]}"
            )
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _flush_folder(dest.parent)
    return DatabaseFacts(dest, copy.size, copy.schema_version, (), copy.articles, copy.posts)


def _copy(db_path: Path, partial: Path) -> tuple[int | None, int | None]:
    """The live database copied into `partial`; returns the counts read in the same snapshot."""
    try:
        with _connect(db_path, mode="rw") as source:
            source.execute("BEGIN")
            counts = (_count(source, "articles"), _count(source, "posts"))
            with closing(sqlite3.connect(partial, isolation_level=None)) as target:
                source.backup(target)  # uses the open read transaction: the very snapshot counted above
                target.execute("PRAGMA journal_mode = DELETE")
            source.execute("COMMIT")
    except sqlite3.Error as exc:
        raise DatabaseFileError(f"copying {db_path} failed: {exc}") from exc
    return counts


def restore(db_path: Path, source: Path, *, aside_suffix: str) -> Restored:
    """Put the database in `source` in place of `db_path`; the replaced one is kept as `db_path` + `aside_suffix`.

    The source is copied next to the database first and the copy checked (integrity, a schema this code knows,
    this bot's tables), so a bad file changes nothing. The live database must not be open anywhere: refused with
    DatabaseInUse when another connection holds it (the caller also holds the bot's run lock). An older schema is
    fine: the bot migrates it at start."""
    staged = db_path.with_name(db_path.name + RESTORING_SUFFIX)
    staged.unlink(missing_ok=True)
    try:
        facts = _stage(source, staged)
        replaced = _set_aside(db_path, aside_suffix) if db_path.exists() else None
        os.replace(staged, db_path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    _flush_folder(db_path.parent)
    return Restored(DatabaseFacts(db_path, facts.size, facts.schema_version, (), facts.articles, facts.posts), replaced)


def _stage(source: Path, staged: Path) -> DatabaseFacts:
    try:
        with _connect(source, mode="ro") as connection, closing(sqlite3.connect(staged)) as target:
            connection.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(f"{source}: not a readable SQLite database: {exc}") from exc
    _flush(staged)
    facts = inspect(staged)
    if not facts.sound:
        raise DatabaseFileError(f"{source}: failed its integrity check: {describe_problems(facts)}")
    if facts.schema_version > LATEST_VERSION:
        raise DatabaseFileError(
            f"{source}: schema version {facts.schema_version} is newer than this bot knows ({LATEST_VERSION}); "
            "upgrade the bot first"
        )
    if facts.schema_version < 1 or facts.articles is None:
        raise DatabaseFileError(f"{source}: not an Aikyn bot database (no articles table)")
    return facts


def _set_aside(db_path: Path, suffix: str) -> Path:
    """Move the live database (and a -wal file still holding its last writes) out of the way, after making sure
    no other connection has it open: in WAL mode every connection holds a shared lock for as long as it is open,
    so an exclusive lock is granted only to a lone connection."""
    aside = db_path.with_name(db_path.name + suffix)
    for number in itertools.count(2):  # never over an earlier one (two restores in one second)
        if not aside.exists():
            break
        aside = db_path.with_name(f"{db_path.name}{suffix}-{number}")
    try:
        with _connect(db_path, mode="rw") as connection:
            connection.execute("PRAGMA locking_mode = EXCLUSIVE")
            connection.execute("PRAGMA busy_timeout = 0")
            connection.execute("BEGIN EXCLUSIVE")
            connection.execute("COMMIT")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseInUse(f"{db_path} is open in another process; stop it first") from exc
        raise DatabaseFileError(f"{db_path}: {exc}") from exc
    except (sqlite3.DatabaseError, DatabaseFileError):
        pass  # a damaged database (often the reason for restoring) is set aside as it is
    os.replace(db_path, aside)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        os.replace(wal, aside.with_name(aside.name + "-wal"))
    wal.unlink(missing_ok=True)
    db_path.with_name(db_path.name + "-shm").unlink(missing_ok=True)
    return aside


def _flush(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _flush_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (where the platform allows opening a folder)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


async def answers(db: Database) -> None:
    """Raises unless the database answers a trivial query (the health check)."""
    await db.fetchval("SELECT 1")
