"""Buttons of /quotes pages: the next or previous page, one person's quotes."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import ContextTypes

from bot import browsing
from bot.handlers.common import reader_context, show_in_place
from bot.render import Reply

LATEST_QUOTES_PAGE = browsing.LATEST_QUOTES_PAGE
PERSON_QUOTES_PAGE = browsing.PERSON_QUOTES_PAGE


def _groups(update: Update, pattern: str) -> tuple[str, ...]:
    query = update.callback_query
    assert query is not None
    match = re.match(pattern, query.data or "")
    assert match is not None  # the handler's pattern matched already
    return match.groups()


async def latest_quotes_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    [offset] = _groups(update, LATEST_QUOTES_PAGE)
    await _answered(update, await browsing.latest_quotes(ctx, int(offset)) or Reply(ctx.t("no_quotes")))


async def person_quotes_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    surname, given, offset = _groups(update, PERSON_QUOTES_PAGE)
    page = await browsing.person_quotes(ctx, surname, given, int(offset))
    await _answered(update, page or Reply(ctx.t("no_quotes_by", name=surname)))


async def _answered(update: Update, reply: Reply) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await show_in_place(update, reply)
