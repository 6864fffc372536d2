"""One running bot per database: `aikyn-bot run` (and `console`) hold an exclusive lock that `restore` asks for.

The lock is `flock(2)` on a file beside the database (`aikyn.sqlite3.lock`, holding the owner's pid for messages).
The kernel releases it when the process ends in any way, kill -9 and power loss included, so there is never a
stale lock to clean up; the file itself stays and means nothing while unlocked.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class BotRunning(Exception):
    """Another process holds the database's run lock."""

    def __init__(self, lock_path: Path, pid: int | None) -> None:
        who = f"pid {pid}" if pid else "another process"
        super().__init__(f"the bot is running on this database ({who}, lock {lock_path})")
        self.pid = pid


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def run_lock(db_path: Path) -> Iterator[None]:
    """Hold the database's run lock for the body; raises BotRunning at once if someone else holds it."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BotRunning(path, _pid_in(fd)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _pid_in(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return int(text) if text.isdigit() else None


def run_exclusively(db_path: Path, run: Callable[[], int]) -> int:
    """`run()` holding the run lock; exit code 3 (as for a second instance on the same token) when it is held."""
    try:
        with run_lock(db_path):
            return run()
    except BotRunning as exc:
        print(f"aikyn-bot: not starting: {exc}", file=sys.stderr)
        return 3
