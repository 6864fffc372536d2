"""Editors' buttons under a held article's notice: publish it as is, or drop it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import editorial, ingest_review
from bot.handlers.common import language, send
from bot.render import Reply
from bot.services import Services, services

Decide = Callable[[Services, int | None, int, str], Awaitable[ingest_review.Decision]]


async def publish_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _decide(update, context, ingest_review.publish_held, ingest_review.PUBLISH)


async def drop_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _decide(update, context, ingest_review.drop_held, ingest_review.DROP)


async def _decide(update: Update, context: ContextTypes.DEFAULT_TYPE, decide: Decide, pattern: str) -> None:
    """Run the decision, take the buttons off the notice and say what happened, in the presser's language."""
    query = update.callback_query
    assert query is not None
    match = re.match(pattern, query.data or "")
    assert match is not None  # the handler was registered with this pattern
    article_id = editorial.parse_number(match[1])  # None beyond 2^63 − 1: no article has such an id
    decision = await decide(services(context), article_id, query.from_user.id, language(update, context))
    if not decision.settled:
        await query.answer(decision.text, show_alert=True)
        return
    await query.answer()
    notice = query.message
    if isinstance(notice, Message) and notice.text is not None:
        try:  # the notice keeps its preview, loses its buttons and says what was decided
            await query.edit_message_text(f"{notice.text_html}\n\n{decision.text}", reply_markup=None)
            return
        except TelegramError:
            pass  # too old or too long to edit: the decision is said in a new message
    await send(update, Reply(decision.text))
