"""The one error handler: reader mistakes explained, 409 Conflict stops this instance, the rest logged."""

from __future__ import annotations

import asyncio
import html
import logging
from typing import Any

from telegram import Update
from telegram.error import Conflict, NetworkError, TelegramError
from telegram.ext import Application, ContextTypes

from bot.i18n import pick_language, text
from bot.jobs import tell_editors
from bot.reading import ReaderMistake
from bot.services import services

log = logging.getLogger(__name__)


def _stop_unless_stopping(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """stop_running(), unless a signal has already begun the shutdown (the updater stops first)."""
    if app.updater is None or app.updater.running:
        app.stop_running()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain reader mistakes; log anything else with context and apologise."""
    error = context.error
    if isinstance(error, Conflict):
        svc = services(context)
        if not svc.polling_conflict:
            svc.polling_conflict = True
            log.error(
                "409 Conflict: another instance is polling this bot token. Stop the other one (or use a "
                "webhook); this instance is shutting down."
            )
            # Deferred and once: a 409 can arrive while run_polling is still starting, and stop_running()
            # only takes effect once the loop runs forever; a second stop during shutdown would break it.
            app = context.application
            asyncio.get_running_loop().call_later(1.0, lambda: _stop_unless_stopping(app))
        return
    if update is None and isinstance(error, NetworkError):
        log.warning("network error while polling (will retry): %s", error)
        return
    if isinstance(update, Update) and isinstance(error, ReaderMistake) and update.effective_chat:
        await update.effective_chat.send_message(str(error))
        return
    log.error("error while handling %s", update.to_dict() if isinstance(update, Update) else update, exc_info=error)
    if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
        user = update.effective_user
        language = pick_language(None, user.language_code if user else None)
        try:
            await update.effective_chat.send_message(text(language, "error"))
        except TelegramError:
            log.warning("could not tell the user about the error")
    if isinstance(update, Update):
        await tell_editors(
            context.application, f"⚠️ Қате: {html.escape(type(error).__name__)}: {html.escape(str(error))[:300]}"
        )
