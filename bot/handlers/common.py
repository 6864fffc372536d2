"""Helpers every handler uses: the reader's language, sending rendered replies."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.i18n import pick_language
from bot.posting import keyboard, preview
from bot.reading import ReaderContext
from bot.render import Reply
from bot.services import services


def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    user = update.effective_user
    stored = context.user_data.get("lang") if context.user_data is not None else None
    return pick_language(stored, user.language_code if user else None)


def reader_context(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ReaderContext:
    svc = services(context)
    return ReaderContext(svc.db, language(update, context), svc.settings.timezone)


async def send(update: Update, replies: Reply | list[Reply]) -> None:
    """Send one or more rendered replies to the chat the update came from, in order."""
    chat = update.effective_chat
    assert chat is not None
    for reply in replies if isinstance(replies, list) else [replies]:
        await chat.send_message(reply.text, reply_markup=keyboard(reply), link_preview_options=preview(reply))


def argument_text(update: Update) -> str:
    """Everything after the command word, as typed (context.args loses the spacing)."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


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
