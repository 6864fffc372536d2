"""The composition root: settings + database + python-telegram-bot application, handlers and jobs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot import importer, notifications, posting
from bot.config import Settings
from bot.error_handler import on_error
from bot.handlers.inline_mode import warn_if_inline_mode_is_off
from bot.handlers.registry import READER_COMMANDS, register_handlers
from bot.i18n import COMMAND_DESCRIPTIONS
from bot.jobs import schedule_jobs, tell_editors
from bot.services import SERVICES_KEY, Services, services
from bot.telegram_http import JsonRequest
from bot.web_fetch import Fetcher
from storage import open_database, posts
from storage.timestamps import utc_now

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 32
# Few connections to the Bot API: at Telegram's ~100 ms round trip 8 carry ~80 requests/s, above the ~30 messages/s
# Telegram allows, while httpcore scans its whole pool, idle connections against each other, for every request:
# with 40 connections that scan cost a burst of readers a fifth of the bot's throughput (bench/run.py). Handlers
# past the eighth wait for a free connection; every request gives its connection back within its own timeouts.
TELEGRAM_CONNECTIONS = 8
TELEGRAM_POOL_TIMEOUT = 20.0


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    send_interval: float = 10.0,
    clock: Callable[[], datetime] | None = None,
    fetcher_options: dict[str, Any] | None = None,
) -> Application:
    """The bot: handlers registered, database opened in post_init and closed in post_shutdown."""
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token or "0:offline-console")
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # max_retries=0: a 429 is handled by whoever sent the message; PTB's own retry would pause every chat.
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.send_rate_limit, group_max_rate=20, max_retries=0))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_on_startup)
        .post_shutdown(_on_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.request(
            JsonRequest(pool_size=TELEGRAM_CONNECTIONS, pool_timeout=TELEGRAM_POOL_TIMEOUT)
        ).get_updates_request(JsonRequest(pool_size=1))
    app = builder.build()
    app.bot_data[SERVICES_KEY] = Services(
        settings,
        clock=clock or utc_now,
        fetcher=Fetcher(**(fetcher_options or {})) if settings.feed_urls else None,
        send_interval=send_interval,
    )
    register_handlers(app, settings)
    app.add_error_handler(on_error)
    return app


async def _on_startup(app: Application) -> None:
    svc = services(app)
    settings = svc.settings
    svc.attach_database(await open_database(settings.database_path))
    seeded = await importer.import_seeds_if_empty(svc.db, settings.seeds_dir, now=svc.clock())
    if seeded:
        log.info("empty archive: imported seeds (%s)", seeded.summary())
    reanalysed = await importer.reanalyse_outdated(svc.db)
    if reanalysed:
        log.info("re-analysed %s articles with the current analyser", reanalysed)
    await _register_commands(app)
    warn_if_inline_mode_is_off(app.bot)
    grace = timedelta(minutes=settings.post_grace_minutes)
    interrupted, missed = await posts.recover_after_restart(svc.db, svc.clock(), grace)
    for post in interrupted + missed:
        await tell_editors(
            app,
            f"⚠️ Пост №{post.id} (мақала №{post.article_id}): "
            f"{'жіберу кезінде үзілді' if post in interrupted else 'уақыты өтіп кетті'}. /queue",
        )
    for slot_at in posting.recent_slots(settings.post_times, settings.timezone, svc.clock(), grace):
        await posting.create_slot_post(svc, slot_at)  # a slot that passed while the bot was down; once per slot
    schedule_jobs(app)
    await notifications.recover(svc)
    notifications.start_notifications(app)


async def _register_commands(app: Application) -> None:
    for language in (None, "kk", "ru"):
        descriptions = COMMAND_DESCRIPTIONS[language or "kk"]
        commands = [BotCommand(name, descriptions[name]) for name in READER_COMMANDS]
        try:
            await app.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(), language_code=language)
        except TelegramError as exc:
            log.warning("could not register commands (%s): %s", language or "default", exc.message)


async def _on_shutdown(app: Application) -> None:
    svc = services(app)
    if svc.fetcher is not None:
        await svc.fetcher.close()
    await svc.close_database()
