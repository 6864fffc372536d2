"""The one error handler: reader mistakes explained, 409 Conflict stops this instance, Telegram's passing troubles
logged in one line, and anything unexpected logged in full, apologised for once and told to admins — at most once
per kind of error every few minutes, so a flood of failures is not multiplied into a flood of messages."""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
import traceback
from datetime import datetime
from functools import partial
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes

from bot.i18n import editor_text, pick_language, text
from bot.jobs import tell_each_editor
from bot.reading import ReaderMistake
from bot.render import Reply, local_datetime
from bot.services import Services, services

log = logging.getLogger(__name__)

ALERT_EVERY_SECONDS = 300.0
# Telegram's answers that say "not now" or "not this chat", not "the bot is broken": a 429 flood, the network, a
# reader who blocked the bot. Apologising would fail the same way; admins can do nothing about them.
_PASSING = (RetryAfter, NetworkError, Forbidden)
# Answers to a repeated action that already happened: a double tap on a paging button, an old button's query.
_HARMLESS = ("message is not modified", "query is too old", "query id is invalid")


def _stop_unless_stopping(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """stop_running(), unless a signal has already begun the shutdown (the updater stops first)."""
    if app.updater is None or app.updater.running:
        app.stop_running()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain reader mistakes; log anything else with context; apologise and alert only when it is a bug."""
    error = context.error
    if isinstance(error, Conflict):
        _on_conflict(context)
    elif isinstance(error, BadRequest) and any(text in error.message.lower() for text in _HARMLESS):
        log.debug("harmless: %s", error.message)
    elif isinstance(error, _PASSING) and not isinstance(error, BadRequest):  # a BadRequest is a NetworkError
        where = f"update {update.update_id}" if isinstance(update, Update) else "polling or a job"
        log.warning("Telegram: %s (%s): %s", type(error).__name__, where, error)
    elif isinstance(update, Update) and isinstance(error, ReaderMistake):
        await _reply(update, str(error))
    else:
        await _unexpected(update, context, error)


def _on_conflict(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    if svc.polling_conflict:
        return
    svc.polling_conflict = True
    log.error(
        "409 Conflict: another instance is polling this bot token. Stop the other one (or use a "
        "webhook); this instance is shutting down."
    )
    # Deferred and once: a 409 can arrive while run_polling is still starting, and stop_running()
    # only takes effect once the loop runs forever; a second stop during shutdown would break it.
    app = context.application
    asyncio.get_running_loop().call_later(1.0, lambda: _stop_unless_stopping(app))


async def _unexpected(update: object, context: ContextTypes.DEFAULT_TYPE, error: BaseException | None) -> None:
    described = update.to_dict() if isinstance(update, Update) else update
    log.error("error while handling %s", described, exc_info=error)
    svc = services(context)
    apologised = False
    if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
        user = update.effective_user
        chosen = svc.readers.language(user.id) if user else None  # /lang, else the Telegram language
        await _reply(update, text(pick_language(chosen, user.language_code if user else None), "error"))
        apologised = True
    if error is not None and _first_in_a_while(svc, error):
        notice = partial(_admin_note, type(error).__name__, _where(update), apologised, svc.clock(), svc)
        try:
            await tell_each_editor(context.application, notice)
        except Exception:  # telling admins must not become a second failure
            log.warning("could not tell the editors about the error", exc_info=True)


def _where(update: object) -> tuple[str, str]:
    """Where the error happened, for admins: a command (and which), a button, another message, or background work
    (a job, polling). The command is named only when it is a plain command word."""
    if not isinstance(update, Update):
        return "error_in_background", ""
    if update.callback_query is not None:
        return "error_in_button", ""
    message = update.effective_message
    word = (message.text or "").split(maxsplit=1)[0].split("@")[0] if message and message.text else ""
    if re.fullmatch(r"/[a-z_]{1,32}", word):
        return "error_in_command", word
    return "error_in_message", ""


def _admin_note(
    kind: str, where: tuple[str, str], apologised: bool, at: datetime, svc: Services, language: str
) -> list[Reply]:
    """What happened (the error's class, where, when) and what to do, in the admin's language; the error's own
    message (English, possibly with data) stays in the log."""
    t = partial(editor_text, language)
    return [
        Reply(
            t(
                "error_note",
                kind=html.escape(kind),
                where=t(where[0], command=where[1]),
                when=local_datetime(at, svc.settings.timezone),
                user=t("error_apologised") if apologised else "",
                minutes=round(ALERT_EVERY_SECONDS / 60),
            )
        )
    ]


async def _reply(update: Update, message: str) -> None:
    """One message to the reader; if even that fails (a 429 flood, a blocked bot) it is logged, not raised."""
    try:
        if update.effective_chat is not None:
            await update.effective_chat.send_message(message)
    except Exception as exc:
        log.warning("could not answer update %s: %s: %s", update.update_id, type(exc).__name__, exc)


def _first_in_a_while(svc: Services, error: BaseException) -> bool:
    """Whether admins hear of this kind of error (its type and where it was raised) now: once per
    ALERT_EVERY_SECONDS."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].name}" if frames else ""
    kind = f"{type(error).__name__}@{where}"
    now = time.monotonic()
    last = svc.alerted_at.get(kind)
    if last is not None and now - last < ALERT_EVERY_SECONDS:
        return False
    if len(svc.alerted_at) > 1000:
        svc.alerted_at.clear()
    svc.alerted_at[kind] = now
    return True
