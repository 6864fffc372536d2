"""`aikyn-bot run`: the bot on Telegram, by long polling or a webhook, with logs that never show a secret.

Expected failures end the start with one line that says what to do and a non-zero exit code, never a traceback:
a malformed or rejected token (2), a database that cannot be used (2), Telegram out of reach (1); a second
instance on the same token stops with 3.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.application import build_application, close_transports
from bot.cli import database_problem
from bot.config import Settings
from bot.event_loop import new_event_loop, settle_collector
from bot.services import services
from bot.webhook_server import run_webhook
from storage import DatabaseUnavailable

log = logging.getLogger("bot")

# What @BotFather gives: the bot's numeric id, a colon, and a secret of letters, digits, _ and -.
TOKEN_SHAPE = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{1,200}")
# 1: worth a restart (Telegram out of reach, an unexpected error); 2: a setting to fix first; 3: another instance.
EXIT_RETRY, EXIT_CONFIGURATION, EXIT_CONFLICT = 1, 2, 3


class RedactingFormatter(logging.Formatter):
    """Formats a record, its exception and stack included, then replaces every secret in the result: the token
    hides in PTB's request URLs and in its InvalidToken message, and may hide in httpx's errors."""

    def __init__(self, secrets: Iterable[str], fmt: str | None = None) -> None:
        super().__init__(fmt)
        self.replacements: list[tuple[str, str]] = []
        for secret, name in zip(secrets, ("<BOT_TOKEN>", "<WEBHOOK_SECRET>"), strict=False):
            if secret:
                self.replacements += [(secret, name), (secret.replace(":", "%3A"), name)]

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        for secret, name in self.replacements:
            text = text.replace(secret, name)
        return text


class _StartupFailures(logging.Filter):
    """PTB logs a failed start (a rejected token, no network) with a traceback before raising it; run_bot says
    it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        failed = record.exc_info[1] if record.exc_info else None
        return not (isinstance(failed, TelegramError) and "(Bootstrap" in record.getMessage())


def configure_logging(token: str, webhook_secret: str = "", *, level: int = logging.INFO) -> RedactingFormatter:
    formatter = RedactingFormatter((token, webhook_secret), "%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    handler.addFilter(_StartupFailures())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.captureWarnings(True)  # warnings go through the same redaction
    # httpx (feeds and pages) logs every request at INFO: a line per feed poll says nothing an operator needs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return formatter


def run_bot(settings: Settings) -> int:
    """Long polling by default; a webhook when WEBHOOK_URL is set. Stops cleanly on SIGTERM and Ctrl-C."""
    problem = token_problem(settings.bot_token)
    if problem:
        print(f"aikyn-bot: {problem}", file=sys.stderr)
        return EXIT_CONFIGURATION
    formatter = configure_logging(settings.bot_token, settings.webhook_secret)
    app = build_application(settings)
    app.post_init = _freezing_after(app.post_init)
    try:
        _run(app, settings)
    except InvalidToken:
        return _stop(
            "Telegram rejected BOT_TOKEN (401 Unauthorized): it was revoked or mistyped. Put the current token "
            "from @BotFather in .env and start again.",
            EXIT_CONFIGURATION,
        )
    except DatabaseUnavailable as exc:
        return _stop(database_problem(exc), EXIT_CONFIGURATION)
    except NetworkError as exc:
        where = formatter.redact(settings.telegram_api_url)
        reason = formatter.redact(str(exc))
        return _stop(f"cannot reach Telegram at {where} ({reason}); check the network and start again.", EXIT_RETRY)
    except OSError as exc:
        if settings.webhook_url:
            return _stop(
                f"cannot listen on WEBHOOK_PORT={settings.webhook_port}: {exc.strerror or exc}", EXIT_CONFIGURATION
            )
        raise
    except Exception:  # a bug: its traceback belongs in the log, where the formatter redacts it
        log.critical("the bot stopped on an unexpected error", exc_info=True)
        return EXIT_RETRY
    return EXIT_CONFLICT if services(app).polling_conflict else 0


def token_problem(token: str) -> str:
    """What is wrong with BOT_TOKEN before anything is sent with it ("" when it has the right shape)."""
    if not token:
        return (
            "BOT_TOKEN is not set. Put the token from @BotFather in .env (see .env.example), "
            "or try the bot offline with `aikyn-bot console`."
        )
    if not TOKEN_SHAPE.fullmatch(token):
        return (
            "BOT_TOKEN is malformed: a token from @BotFather looks like 123456789:AAH… (the bot's number, a colon, "
            "letters and digits). Check .env; nothing was sent to Telegram."
        )
    return ""


def _stop(message: str, code: int) -> int:
    print(f"aikyn-bot: {message}", file=sys.stderr)
    return code


def _run(app: Application, settings: Settings) -> None:
    """Serve until stopped; the Bot API connections are closed on the loop that opened them, however it ends."""
    if settings.webhook_url:
        run_webhook(app, settings)  # Telegram's updates and GET /healthz on one port
        return
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES, close_loop=False)
    finally:
        loop.run_until_complete(close_transports(app))
        loop.close()


def _freezing_after(
    startup: Callable[[Application], Coroutine[Any, Any, None]] | None,
) -> Callable[[Application], Coroutine[Any, Any, None]]:
    """Startup, then the collector settled for a long-running process (bot/event_loop.py)."""

    async def started(app: Application) -> None:
        if startup is not None:
            await startup(app)
        settle_collector()

    return started
