"""The composition root: settings + database + python-telegram-bot application, handlers and jobs."""

from __future__ import annotations

import asyncio
import gc
import html
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import BotCommand, BotCommandScopeAllPrivateChats, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import Conflict, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import feeds, importer, posting
from bot.config import Settings
from bot.handlers import admin, reader
from bot.i18n import text
from bot.reader import BadRequest
from bot.services import SERVICES_KEY, Services, services
from bot.telegram_http import JsonRequest
from bot.web_fetch import Fetcher
from storage import open_database, posts

log = logging.getLogger(__name__)

SEND_JOB = "send-due-posts"
FEED_JOB = "poll-feeds"
CONFLICT_KEY = "polling-conflict"
CONCURRENT_UPDATES = 32
# Few connections to the Bot API: at Telegram's ~100 ms round trip 8 carry ~80 requests/s, above the ~30 messages/s
# Telegram allows, while httpcore scans its whole pool, idle connections against each other, for every request:
# with 40 connections that scan cost a burst of readers a fifth of the bot's throughput (bench/run.py). Handlers
# past the eighth wait for a free connection; every request gives its connection back within its own timeouts.
TELEGRAM_CONNECTIONS = 8
TELEGRAM_POOL_TIMEOUT = 20.0
READER_COMMANDS = ["start", "help", "latest", "article", "quotes", "related", "events", "search", "lang"]
ADMIN_COMMANDS = ["schedule", "queue", "cancel", "postnow", "preview", "status"]
COMMAND_DESCRIPTIONS = {
    "kk": {
        "start": "Бастау",
        "help": "Көмек",
        "latest": "Соңғы мақалалар",
        "article": "Мақаланың толық мәтіні",
        "quotes": "Дәйексөздер",
        "related": "Байланысты мақалалар",
        "events": "Оқиғалар хронологиясы",
        "search": "Іздеу",
        "lang": "Тілді ауыстыру",
    },
    "ru": {
        "start": "Начать",
        "help": "Помощь",
        "latest": "Последние статьи",
        "article": "Полный текст статьи",
        "quotes": "Цитаты",
        "related": "Связанные статьи",
        "events": "Хронология событий",
        "search": "Поиск",
        "lang": "Сменить язык",
    },
}


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    send_interval: float = 10.0,
    clock: Callable[[], datetime] | None = None,
    fetcher_options: dict[str, float] | None = None,
) -> Application:  # type: ignore[type-arg]
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
    app.bot_data["settings"] = settings
    app.bot_data["send_interval"] = send_interval
    app.bot_data["clock"] = clock
    app.bot_data["fetcher_options"] = fetcher_options or {}
    register_handlers(app, settings)
    app.add_error_handler(on_error)
    return app


def register_handlers(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    admins = filters.User(user_id=list(settings.admin_ids)) if settings.admin_ids else filters.User(user_id=[])
    reader_handlers = {
        "start": reader.start,
        "help": reader.help_command,
        "latest": reader.latest,
        "article": reader.article,
        "quotes": reader.quotes,
        "related": reader.related,
        "events": reader.events,
        "search": reader.search,
        "lang": reader.set_language,
    }
    # group 0: commands in private chat, readers' first (every update is checked against handlers in order);
    # admin commands only for ADMIN_IDS, everyone else is refused
    for name, callback in reader_handlers.items():
        app.add_handler(CommandHandler(name, callback, filters=private & filters.UpdateType.MESSAGE))
    for name in ADMIN_COMMANDS:
        app.add_handler(
            CommandHandler(name, getattr(admin, {"postnow": "post_now"}.get(name, name)), filters=private & admins)
        )
        app.add_handler(CommandHandler(name, admin.refuse, filters=private))
    app.add_handler(CallbackQueryHandler(reader.button))
    # editors send articles: a .txt/.json/.jsonl file, or the text pasted as a message
    new_message = private & admins & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(new_message & filters.Document.ALL, admin.receive_document))
    app.add_handler(MessageHandler(new_message & filters.TEXT & ~filters.COMMAND, admin.receive_text))
    # what is left: edits, unknown commands, non-text messages, commands in groups
    app.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, reader.edited))
    app.add_handler(MessageHandler(private & filters.COMMAND, reader.unknown_command))
    app.add_handler(MessageHandler(filters.COMMAND & (filters.ChatType.GROUPS), reader.group_command))
    app.add_handler(MessageHandler(private & ~filters.TEXT, reader.not_text))
    app.add_handler(MessageHandler(private & filters.TEXT, reader.help_command))


async def _on_startup(app: Application) -> None:  # type: ignore[type-arg]
    settings: Settings = app.bot_data["settings"]
    db = await open_database(settings.database_path)
    clock = app.bot_data.get("clock")
    svc = Services(settings, db, clock) if clock else Services(settings, db)
    if settings.feed_urls:
        svc.fetcher = Fetcher(**app.bot_data["fetcher_options"])
    app.bot_data[SERVICES_KEY] = svc
    seeded = await importer.import_seeds_if_empty(db, settings.seeds_dir, now=svc.clock())
    if seeded:
        log.info("empty archive: imported seeds (%s)", seeded.summary())
    reanalysed = await importer.reanalyse_outdated(db)
    if reanalysed:
        log.info("re-analysed %s articles with the current analyser", reanalysed)
    await _register_commands(app)
    interrupted, missed = await posts.recover_after_restart(
        db, svc.clock(), timedelta(minutes=settings.post_grace_minutes)
    )
    for post in interrupted + missed:
        await _tell_admins(
            app,
            f"⚠️ Пост №{post.id} (мақала №{post.article_id}): "
            f"{'жіберу кезінде үзілді' if post in interrupted else 'уақыты өтіп кетті'}. /queue",
        )
    grace = timedelta(minutes=settings.post_grace_minutes)
    for slot_at in posting.recent_slots(settings.post_times, settings.timezone, svc.clock(), grace):
        await posting.create_slot_post(svc, slot_at)  # a slot that passed while the bot was down; once per slot
    schedule_jobs(app, settings)
    # What is alive now (modules, settings, handlers, the database) lives as long as the process: keep it out
    # of the collector's full passes, which under a burst of readers would rescan it again and again
    # (bench/run.py: fewer rounds that run a third slower than the rest).
    gc.collect()
    gc.freeze()


async def _register_commands(app: Application) -> None:  # type: ignore[type-arg]
    for language in (None, "kk", "ru"):
        descriptions = COMMAND_DESCRIPTIONS[language or "kk"]
        commands = [BotCommand(name, descriptions[name]) for name in READER_COMMANDS]
        try:
            await app.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(), language_code=language)
        except TelegramError as exc:
            log.warning("could not register commands (%s): %s", language or "default", exc.message)


def schedule_jobs(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    job_queue = app.job_queue
    assert job_queue is not None, "install python-telegram-bot[job-queue]"
    job_queue.run_repeating(_send_due_job, interval=app.bot_data["send_interval"], first=0, name=SEND_JOB)
    for slot in settings.post_times:
        at = slot.replace(tzinfo=settings.timezone)
        job_queue.run_daily(_slot_job, time=at, name=f"slot-{slot:%H:%M}")
    if settings.feed_urls:
        job_queue.run_repeating(_feed_job, interval=settings.feed_interval * 60, first=1, name=FEED_JOB)


async def _feed_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    assert svc.fetcher is not None
    await feeds.poll_all(svc.db, svc.fetcher, svc.settings.feed_urls, svc.clock())


async def _send_due_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    if not svc.settings.channel_id:
        return
    for outcome in await posting.send_due_posts(svc, context.bot):
        if outcome.status == "failed":
            await _tell_admins(
                context.application, f"❌ Пост №{outcome.post_id} жіберілмеді: {html.escape(outcome.detail)}"
            )


async def _slot_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    now = svc.clock()
    slot_at = now.replace(second=0, microsecond=0)
    if await posting.create_slot_post(svc, slot_at):
        await _send_due_job(context)


async def _on_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    svc = app.bot_data.get(SERVICES_KEY)
    if svc is not None and svc.fetcher is not None:
        await svc.fetcher.close()
    if svc is not None:
        await svc.db.close()
    gc.unfreeze()  # what startup froze may be garbage now (an application built again in the same process)


async def _tell_admins(app: Application, message: str) -> None:  # type: ignore[type-arg]
    settings: Settings = app.bot_data["settings"]
    for admin_id in settings.admin_ids:
        try:
            await app.bot.send_message(admin_id, message)
        except TelegramError as exc:
            log.warning("could not notify admin %s: %s", admin_id, exc.message)


def _stop_unless_stopping(app: Application) -> None:  # type: ignore[type-arg]
    """stop_running(), unless a signal has already begun the shutdown (the updater stops first)."""
    if app.updater is None or app.updater.running:
        app.stop_running()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: explain reader mistakes; log anything else with context and apologise."""
    error = context.error
    if isinstance(error, Conflict):
        if not context.application.bot_data.get(CONFLICT_KEY):
            context.application.bot_data[CONFLICT_KEY] = True
            log.error(
                "409 Conflict: another instance is polling this bot token. Stop the other one (or use a "
                "webhook); this instance is shutting down."
            )
            # Deferred and once: a 409 can arrive while run_polling is still starting, and stop_running()
            # only takes effect once the loop runs forever; a second stop during shutdown would break it.
            asyncio.get_running_loop().call_later(1.0, _stop_unless_stopping, context.application)
        return
    if update is None and isinstance(error, NetworkError):
        log.warning("network error while polling (will retry): %s", error)
        return
    if isinstance(update, Update) and isinstance(error, BadRequest) and update.effective_chat:
        await update.effective_chat.send_message(str(error))
        return
    log.error("error while handling %s", update.to_dict() if isinstance(update, Update) else update, exc_info=error)
    if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
        user = update.effective_user
        language = "ru" if user and (user.language_code or "").startswith("ru") else "kk"
        try:
            await update.effective_chat.send_message(text(language, "error"))
        except TelegramError:
            log.warning("could not tell the user about the error")
    if isinstance(update, Update):
        await _tell_admins(
            context.application, f"⚠️ Қате: {html.escape(type(error).__name__)}: {html.escape(str(error))[:300]}"
        )
