"""`aikyn-bot run`: the bot on Telegram, by long polling or a webhook, with logs that never show the token."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.application import build_application
from bot.config import Settings
from bot.services import services
from bot.webhook_server import run_webhook

log = logging.getLogger("bot")


class _RedactToken(logging.Filter):
    """Keeps the bot token out of every log line (PTB's request URLs contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token and self.token in record.getMessage():
            record.msg = record.getMessage().replace(self.token, "<BOT_TOKEN>")
            record.args = None
        return True


def configure_logging(token: str, *, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RedactToken(token))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and those URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def run_bot(settings: Settings) -> int:
    """Long polling by default; a webhook when WEBHOOK_URL is set. Stops cleanly on SIGTERM and Ctrl-C."""
    if not settings.bot_token:
        print(
            "aikyn-bot: BOT_TOKEN is not set. Put the token from @BotFather in .env (see .env.example), "
            "or try the bot offline with `aikyn-bot console`.",
            file=sys.stderr,
        )
        return 2
    configure_logging(settings.bot_token)
    app = build_application(settings)
    app.post_init = _freezing_after(app.post_init)
    if settings.webhook_url:
        run_webhook(app, settings)  # Telegram's updates and GET /healthz on one port
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 3 if services(app).polling_conflict else 0


def _freezing_after(
    startup: Callable[[Application], Coroutine[Any, Any, None]] | None,
) -> Callable[[Application], Coroutine[Any, Any, None]]:
    """Startup, then what is alive (modules, settings, handlers, the database) is kept out of the collector's
    full passes: it lives as long as the process, and under a burst of readers those passes would rescan it again
    and again (bench/run.py: fewer rounds that run a third slower than the rest). Process-wide, so only here."""

    async def started(app: Application) -> None:
        if startup is not None:
            await startup(app)
        gc.collect()
        gc.freeze()

    return started
