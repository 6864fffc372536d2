"""The objects handlers and jobs share, kept in bot_data and reached through one typed accessor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.web_fetch import Fetcher
from storage import Database
from storage.timestamps import utc_now

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Callable[[], datetime] = field(default=utc_now)
    fetcher: Fetcher | None = None


def services(context: CallbackContext | Application) -> Services:  # type: ignore[type-arg]
    """The running bot's services (database, settings, clock)."""
    app = context if isinstance(context, Application) else context.application
    return app.bot_data[SERVICES_KEY]  # type: ignore[no-any-return]
