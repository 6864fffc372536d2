"""Backups: `aikyn-bot backup` and `restore`, the running bot's daily backup into BACKUP_DIR, and the line /status
shows about it. The SQLite work is storage.maintenance's; this module names files, rotates them and reports."""

from __future__ import annotations

import asyncio
import errno
import logging
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from bot.config import Settings
from bot.i18n import editor_text
from bot.render import Reply, local_datetime
from bot.run_lock import BotRunning, run_lock
from bot.services import Services
from storage import maintenance
from storage.maintenance import DatabaseFacts, DatabaseFileError
from storage.migrations import LATEST_VERSION
from storage.timestamps import utc_now

log = logging.getLogger(__name__)

# A daily backup is due once the newest one is this old; the job looks every BACKUP_CHECK_SECONDS, so backups
# come 23-24 hours apart and a bot that was down at the usual hour catches up within the hour after it starts.
DUE_AFTER = timedelta(hours=23)
BACKUP_CHECK_SECONDS = 3600.0
BACKUP_FIRST_CHECK_SECONDS = 60.0
# /status warns when the newest backup is older than this (the job has been failing, or the bot was down)
OVERDUE_AFTER = timedelta(hours=26)
# What editors are told, written in each one's language: language → replies (as bot/editorial.py's Notice).
Notice = Callable[[str], list[Reply]]
_NAME = re.compile(r"aikyn-(\d{8}T\d{6}Z)\.sqlite3")
_STALE_PARTIAL = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    taken_at: datetime
    size: int


def backup_name(moment: datetime) -> str:
    """The file name of a backup taken at `moment`: UTC, sorting like time (aikyn-20260101T040000Z.sqlite3)."""
    return f"aikyn-{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}.sqlite3"


def backups_in(folder: Path) -> list[BackupFile]:
    """The backups in `folder` named as backup_name() names them, newest first; other files are not ours."""
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.fullmatch(path.name)
            if match and path.is_file():
                taken_at = datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                found.append(BackupFile(path, taken_at, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups, and partial copies a killed backup left; return what went."""
    removed = [b.path for b in backups_in(folder)[keep:]]
    cutoff = time.time() - _STALE_PARTIAL.total_seconds()
    removed += [
        p
        for p in folder.glob("aikyn-*.sqlite3" + maintenance.PARTIAL_SUFFIX)
        if p.stat().st_mtime < cutoff  # a younger one may be a backup still being written
    ]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def human_size(size: int, *, cyrillic: bool = False) -> str:
    """«1.5 MB» for the command line; with `cyrillic`, «1,5 МБ» as Kazakh and Russian write it (for editors)."""
    units = ("Б", "КБ", "МБ", "ГБ") if cyrillic else ("B", "KB", "MB", "GB")
    value = float(size)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            text = f"{value:.0f}" if unit == units[0] else f"{value:.1f}"
            return f"{text.replace('.', ',') if cyrillic else text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


# ---- the command line ------------------------------------------------------------------------------------------


def backup_command(settings: Settings, target: Path | None) -> int:
    """`aikyn-bot backup [PATH]`: PATH a file, or a folder to put a dated file in (default BACKUP_DIR, else
    `backups/` beside the database)."""
    folder = target if target is not None else settings.backup_dir or settings.database_path.parent / "backups"
    dest = folder / backup_name(utc_now()) if target is None or target.is_dir() else target
    if dest.exists():
        print(f"aikyn-bot: {dest} exists; name a new file or a folder", file=sys.stderr)
        return 1
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        facts = maintenance.backup(settings.database_path, dest)
    except (DatabaseFileError, OSError) as exc:
        print(f"aikyn-bot: backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {facts.path} ({human_size(facts.size)}): {_contents(facts)}; integrity ok")
    return 0


def restore_command(settings: Settings, source: Path) -> int:
    """`aikyn-bot restore PATH`: refused while the bot runs; the replaced database is kept beside the new one."""
    db_path = settings.database_path
    stamp = f"{utc_now():%Y%m%dT%H%M%SZ}"
    try:
        with run_lock(db_path):
            restored = maintenance.restore(db_path, source, aside_suffix=f".replaced-{stamp}")
    except BotRunning as exc:
        print(f"aikyn-bot: not restoring: {exc}; stop it first (systemctl stop aikyn-bot)", file=sys.stderr)
        return 1
    except (DatabaseFileError, OSError) as exc:
        print(f"aikyn-bot: not restoring: {exc}; the database was not changed", file=sys.stderr)
        return 1
    facts = restored.facts
    print(f"restored {source} to {db_path} ({human_size(facts.size)}): {_contents(facts)}; integrity ok")
    if facts.schema_version < LATEST_VERSION:
        print(f"schema version {facts.schema_version}: the bot brings it to {LATEST_VERSION} when it starts")
    if restored.replaced is not None:
        print(f"the database it replaced is kept as {restored.replaced}")
    return 0


def _contents(facts: DatabaseFacts) -> str:
    return f"articles {facts.articles or 0}, posts {facts.posts or 0}, schema version {facts.schema_version}"


# ---- the running bot -------------------------------------------------------------------------------------------


async def backup_if_due(svc: Services) -> Notice | None:
    """The daily backup into BACKUP_DIR when one is due, in a thread (a large copy must not stall the event loop).

    Returns what editors should be told, in each one's language, or None: a failure once until a backup succeeds
    again (the job retries every hour meanwhile), and that success."""
    settings = svc.settings
    if settings.backup_dir is None:
        return None
    try:
        facts = await asyncio.to_thread(
            _daily_backup, settings.database_path, settings.backup_dir, settings.backup_keep, svc.clock()
        )
    except (DatabaseFileError, OSError) as exc:
        log.error("daily backup into %s failed: %s", settings.backup_dir, exc)
        already_told = svc.backup_failure is not None
        svc.backup_failure = failure_kind(exc)
        return None if already_told else partial(_failed_notice, svc.backup_failure)
    if facts is None:
        return None
    log.info("daily backup %s (%s): %s", facts.path, human_size(facts.size), _contents(facts))
    recovered, svc.backup_failure = svc.backup_failure is not None, None
    return partial(_recovered_notice, facts.size) if recovered else None


def _failed_notice(kind: str, language: str) -> list[Reply]:
    t = partial(editor_text, language)
    return [Reply(t("backup_failed", reason=t(f"backup_reason_{kind}"), advice=t(f"backup_advice_{kind}")))]


def _recovered_notice(size: int, language: str) -> list[Reply]:
    return [Reply(editor_text(language, "backup_recovered", size=human_size(size, cyrillic=True)))]


def _daily_backup(db_path: Path, folder: Path, keep: int, now: datetime) -> DatabaseFacts | None:
    """A backup named for `now` unless the newest is younger than DUE_AFTER (then None); then the rotation."""
    newest = backups_in(folder)
    if newest and now - newest[0].taken_at < DUE_AFTER:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    facts = maintenance.backup(db_path, folder / backup_name(now))
    for path in prune(folder, keep):
        log.info("removed old backup %s", path)
    return facts


def failure_kind(exc: Exception) -> str:
    """Why a backup failed, as a kind editors are told of in their words (the log has the details): no_space,
    no_permission, write_failed (the folder cannot be written) or check_failed (the copy was not sound)."""
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return "no_space"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "no_permission"
        return "write_failed"
    return "check_failed"


def status_line(svc: Services, language: str) -> str:
    """/status: the newest backup, its size, and a failing or overdue backup (HTML), in the editor's language."""
    settings = svc.settings
    if settings.backup_dir is None:
        return editor_text(language, "backup_off")
    try:
        found = backups_in(settings.backup_dir)
    except OSError as exc:
        log.warning("cannot list %s: %s", settings.backup_dir, exc)
        found = []
    if found:
        newest = found[0]
        overdue = editor_text(language, "backup_overdue") if svc.clock() - newest.taken_at > OVERDUE_AFTER else ""
        line = editor_text(
            language,
            "backup_last",
            when=local_datetime(newest.taken_at, settings.timezone),
            size=human_size(newest.size, cyrillic=True),
            overdue=overdue,
            count=len(found),
        )
    else:
        line = editor_text(language, "backup_none")
    if svc.backup_failure is not None:
        line += "\n" + editor_text(
            language, "backup_failing", reason=editor_text(language, f"backup_reason_{svc.backup_failure}")
        )
    return line
