"""The composition root: settings + database + python-telegram-bot application, handlers and jobs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot import editorial, importer, notifications, posting
from bot.command_menu import register_menus
from bot.config import Settings
from bot.error_handler import on_error
from bot.handlers.inline_mode import warn_if_inline_mode_is_off
from bot.handlers.registry import register_handlers
from bot.jobs import schedule_jobs
from bot.services import SERVICES_KEY, Services, services
from bot.telegram_http import JsonRequest
from bot.web_fetch import Fetcher
from storage import open_database, posts
from storage.timestamps import utc_now

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 32
# A connection to the Bot API for each update handled at once, so that no handler queues for one: with 8, a burst
# of readers spent 3% of the bot's CPU in aiohttp's queue of waiters (bench/run.py). Telegram's ~30 messages/s is
# kept by the rate limiter, not by the pool. A request that finds every connection busy (jobs send too) waits up to
# TELEGRAM_POOL_TIMEOUT; every request gives its connection back within its own timeouts.
TELEGRAM_CONNECTIONS = CONCURRENT_UPDATES
TELEGRAM_POOL_TIMEOUT = 20.0


class _RetryAfterIsHandled(logging.Filter):
    """PTB's rate limiter logs every 429 with a traceback before raising it; whoever sent the message handles
    it (the posting job logs one line with its retry plan), so that traceback is only noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], RetryAfter))


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
        transports: tuple[BaseRequest, ...] = (request,)
    else:
        transports = (
            JsonRequest(pool_size=TELEGRAM_CONNECTIONS, pool_timeout=TELEGRAM_POOL_TIMEOUT),
            JsonRequest(pool_size=1),
        )
    app = builder.request(transports[0]).get_updates_request(transports[-1]).build()
    rate_limiter_log = logging.getLogger("telegram.ext.AIORateLimiter")
    if not any(isinstance(f, _RetryAfterIsHandled) for f in rate_limiter_log.filters):
        rate_limiter_log.addFilter(_RetryAfterIsHandled())
    app.bot_data[SERVICES_KEY] = Services(
        settings,
        clock=clock or utc_now,
        fetcher=Fetcher(**(fetcher_options or {})) if settings.feed_urls else None,
        send_interval=send_interval,
        transports=transports,
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
    # Interrupted and missed posts are told to editors by the first send round (once each).
    interrupted, missed = await posts.recover_after_restart(svc.db, svc.clock(), grace)
    if interrupted or missed:
        log.warning("at start: %s posts interrupted while sending, %s missed", len(interrupted), len(missed))
    for slot_at in posting.recent_slots(settings.post_times, settings.timezone, svc.clock(), grace):
        # a slot that passed while the bot was down; once per slot (with approval on, the default applies)
        await posting.create_slot_post(svc, slot_at, awaiting_approval=bool(settings.approval_minutes))
    schedule_jobs(app)
    await notifications.recover(svc)
    notifications.start_notifications(app)


async def _register_commands(app: Application) -> None:
    svc = services(app)
    known = await editorial.editor_languages(svc.db)
    await register_menus(app.bot, {editor_id: known.get(editor_id) for editor_id in svc.settings.admin_ids})


async def _on_shutdown(app: Application) -> None:
    svc = services(app)
    if svc.fetcher is not None:
        await svc.fetcher.close()
    await svc.close_database()


async def close_transports(app: Application) -> None:
    """Close the Bot API connections even when the application never finished starting (a rejected token): PTB
    shuts them down only for an application that initialised. Safe to call twice."""
    for transport in services(app).transports:
        await transport.shutdown()
