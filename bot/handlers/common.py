"""Helpers every handler uses: the reader's language, the command's argument, sending rendered replies."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.i18n import pick_language
from bot.message_split import split_html
from bot.posting import keyboard, preview
from bot.reading import ReaderContext
from bot.render import Button, Reply
from bot.services import services

_SURROGATE = re.compile("[\ud800-\udfff]")


def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    user = update.effective_user
    stored = services(context).readers.language(user.id) if user else None
    return pick_language(stored, user.language_code if user else None)


def reader_context(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ReaderContext:
    svc = services(context)
    return ReaderContext(svc.db, language(update, context), svc.settings.timezone)


def split_reply(reply: Reply) -> list[Reply]:
    """A reply as messages within Telegram's 4,096 characters: the buttons go with the last one, the link
    preview with the first."""
    parts = split_html(reply.text)
    if len(parts) == 1:
        return [reply]
    last = len(parts) - 1
    return [
        Reply(part, reply.buttons if n == last else [], reply.preview_url if n == 0 else None)
        for n, part in enumerate(parts)
    ]


async def send(update: Update, replies: Reply | list[Reply]) -> None:
    """Send one or more rendered replies to the chat the update came from, in order; a reply longer than a
    message is split, never refused."""
    chat = update.effective_chat
    assert chat is not None
    for reply in replies if isinstance(replies, list) else [replies]:
        for part in split_reply(reply):
            await chat.send_message(part.text, api_kwargs=_markup_and_preview(part))


def _markup_and_preview(reply: Reply) -> dict[str, Any]:
    """The keyboard and link preview of a reply as the Bot API's JSON, given through PTB's documented `api_kwargs`.

    Passed as PTB objects, both would be turned into dicts again for every message (and the link preview merged
    with the Defaults into a new object first): for /latest's seven buttons that was the largest part of what
    PTB spends building a request (bench/run.py, a burst of readers). The dicts are built once per keyboard and
    only read afterwards (PTB puts them in the request as they are; the transport serialises them)."""
    options = {"link_preview_options": _preview_json(reply.preview_url)}
    if reply.buttons:
        options["reply_markup"] = _keyboard_json(tuple(tuple(row) for row in reply.buttons))
    return options


@lru_cache(maxsize=1024)
def _keyboard_json(rows: tuple[tuple[Button, ...], ...]) -> dict[str, Any]:
    keyboard_markup = keyboard(Reply("", [list(row) for row in rows]))
    assert keyboard_markup is not None
    return keyboard_markup.to_dict()


@lru_cache(maxsize=256)
def _preview_json(url: str | None) -> dict[str, Any]:
    return preview(Reply("", preview_url=url)).to_dict()


def argument_text(update: Update) -> str:
    """Everything after the command word, as typed (context.args loses the spacing). A lone surrogate (JSON can
    carry one; Python cannot encode it back) becomes U+FFFD, so the reply that quotes it can be sent."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    parts = text.split(maxsplit=1)
    return _SURROGATE.sub("\ufffd", parts[1]) if len(parts) > 1 else ""


async def show_in_place(update: Update, reply: Reply) -> None:
    """For a button press: the reply in place of the message whose button was pressed (unless it is already
    shown there), or as a new message when that one cannot be edited."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if isinstance(message, Message) and message.text is not None:
        if message.text_html != reply.text or message.reply_markup != keyboard(reply):
            await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
    else:
        await send(update, reply)
