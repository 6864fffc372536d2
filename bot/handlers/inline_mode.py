"""Inline mode: `@<bot> <words>` in any chat, and Telegram's note of which result was sent (inline feedback)."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import inline_results
from bot.handlers.common import language
from bot.posting import keyboard
from bot.render import Reply
from bot.services import services

log = logging.getLogger(__name__)

CACHE_SECONDS = 60
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    assert query is not None
    svc = services(context)
    ctx = inline_results.InlineContext(svc.db, language(update, context), svc.settings.timezone, context.bot.username)
    found = await inline_results.answer(ctx, query.query, query.offset)
    results = [
        InlineQueryResultArticle(
            id=r.id,
            title=r.title,
            input_message_content=InputTextMessageContent(
                r.card_html, parse_mode=ParseMode.HTML, link_preview_options=_NO_PREVIEW
            ),
            reply_markup=keyboard(Reply(r.card_html, r.buttons)),
            description=r.description,
            thumbnail_url=r.thumbnail_url,
        )
        for r in found.results
    ]
    # personal: the buttons are in the reader's language
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, next_offset=found.next_offset)


async def chosen_result(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chosen = update.chosen_inline_result
    assert chosen is not None
    await inline_results.record_choice(services(context).db, chosen.result_id)


def warn_if_inline_mode_is_off(bot: Bot) -> None:
    """At start: inline mode needs /setinline at @BotFather (and /setinlinefeedback for chosen results)."""
    if not bot.supports_inline_queries:
        log.warning("inline mode is off for this bot: enable it with /setinline at @BotFather")
