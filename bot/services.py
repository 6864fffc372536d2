"""What handlers and jobs share: settings, the database, the clock, the fetcher — built once with the
application, kept in bot_data, and reached through one typed accessor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from telegram.ext import Application, CallbackContext
from telegram.request import BaseRequest

from bot.channel_window import ChannelWindow
from bot.config import Settings
from bot.reader_memory import ReaderMemory
from bot.web_fetch import Fetcher
from storage import Database
from storage.timestamps import utc_now

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    clock: Callable[[], datetime] = field(default=utc_now)
    fetcher: Fetcher | None = None
    # the Bot API connections (replies and posts; long polling), closed by whoever runs the application
    transports: tuple[BaseRequest, ...] = ()
    # how often the job that sends due channel posts runs, in seconds
    send_interval: float = 10.0
    # set by the error handler when Telegram answers 409 (another instance polls this token)
    polling_conflict: bool = False
    # why the last daily backup failed (a kind: bot/backups.failure_kind), until one succeeds; editors are told once
    backup_failure: str | None = None
    # at most 20 channel posts in any minute, one post sent at a time
    channel_window: ChannelWindow = field(default_factory=ChannelWindow)
    # posts Telegram accepted whose recording failed (database locked…): post id → (message id, text); recorded
    # before anything else is sent, and never sent again
    unrecorded: dict[int, tuple[int, str]] = field(default_factory=dict)
    # readers' chosen languages and recent searches, bounded (PTB's user_data/chat_data are not used)
    readers: ReaderMemory = field(default_factory=ReaderMemory)
    # when admins were last told of each kind of unexpected error (bot/error_handler.py)
    alerted_at: dict[str, float] = field(default_factory=dict)
    _db: Database | None = None

    @property
    def db(self) -> Database:
        """The open database (opened when the application starts, closed when it stops)."""
        if self._db is None:
            raise RuntimeError("the database is not open: the application has not started")
        return self._db

    def attach_database(self, db: Database) -> None:
        self._db = db

    async def close_database(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()


def services(context: CallbackContext | Application) -> Services:
    """The running bot's services (database, settings, clock)."""
    app = context if isinstance(context, Application) else context.application
    return app.bot_data[SERVICES_KEY]
