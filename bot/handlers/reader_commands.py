"""Reader commands in private chat."""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import reading
from bot.handlers.common import argument_text, language, reader_context, send
from bot.i18n import text
from bot.posting import keyboard
from bot.render import Button, Reply
from bot.services import services

_DEEP_LINK = re.compile(r"article_([0-9]{1,19})")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    payload = context.args[0] if context.args else ""
    link = _DEEP_LINK.fullmatch(payload)
    if link:
        await send(update, await reading.article_messages(ctx, reading.parse_article_id(ctx, link[1], "/article")))
        return
    await send(update, Reply(f"{ctx.t('greeting')}\n\n{ctx.t('help')}"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(reader_context(update, context).t("help")))


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await reading.latest(reader_context(update, context)))


async def article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    await send(
        update, await reading.article_messages(ctx, reading.parse_article_id(ctx, argument_text(update), "/article"))
    )


async def quotes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await reading.quotes(reader_context(update, context), argument_text(update)))


async def related(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await reading.related(reader_context(update, context), argument_text(update)))


async def events(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await reading.events(reader_context(update, context), argument_text(update)))


async def search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    query = argument_text(update)
    reply, paged = await reading.search(ctx, query)
    if paged:
        reply = _bind_search(reply, _remember_search(update, context, query))
    await send(update, reply)


def _remember_search(update: Update, context: ContextTypes.DEFAULT_TYPE, query: str) -> int:
    chat = update.effective_chat
    assert chat is not None
    return services(context).readers.search_token(chat.id, query)


def _bind_search(reply: Reply, token: int) -> Reply:
    """Paging buttons carry a short token for the query (kept, bounded, in ReaderMemory), not the query itself."""
    rows = [[_with_token(b, token) for b in row] for row in reply.buttons]
    return Reply(reply.text, rows)


def _with_token(button: Button, token: int) -> Button:
    if button.data and button.data.startswith("s:"):
        return Button(button.label, data=f"s:{token}:{button.data[2:]}")
    return button


async def set_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    assert user is not None
    wanted = (context.args[0].lower() if context.args else "")[:2]
    current = language(update, context)
    new = wanted if wanted in ("kk", "ru") else ("ru" if current == "kk" else "kk")
    services(context).readers.set_language(user.id, new)
    await send(update, Reply(text(new, "lang_set")))


# Inline buttons, one pattern per kind (callback_data ≤ 64 bytes): a:<id> open, l:<offset> latest page,
# r:<id> related, s:<token>:<offset> search page. Anything else is an old or forged button.
OPEN_ARTICLE = r"^a:([0-9]{1,9})\Z"
LATEST_PAGE = r"^l:([0-9]{1,9})\Z"
RELATED = r"^r:([0-9]{1,9})\Z"
SEARCH_PAGE = r"^s:([0-9]{1,6}):([0-9]{1,9})\Z"


def _button_number(update: Update, group: int = 1) -> int:
    query = update.callback_query
    assert query is not None
    match = re.match(r"^\w:([0-9]+)(?::([0-9]+))?\Z", query.data or "")
    assert match is not None  # the handler's pattern matched already
    return int(match[group])


async def open_article_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer(update)
    await send(update, await reading.article_messages(reader_context(update, context), _button_number(update)))


async def latest_page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer(update)
    await _edit_or_send(update, await reading.latest(reader_context(update, context), _button_number(update)))


async def related_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer(update)
    await send(update, await reading.related(reader_context(update, context), str(_button_number(update))))


async def search_page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    token = _button_number(update, 1)
    query = services(context).readers.search_query(chat.id, token) if chat else None
    if query is None:  # the query behind the token was forgotten (old button, or the bot restarted)
        await stale_button(update, context)
        return
    await _answer(update)
    reply, _ = await reading.search(reader_context(update, context), query, _button_number(update, 2))
    await _edit_or_send(update, _bind_search(reply, token))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(reader_context(update, context).t("stale_button"), show_alert=True)


async def _answer(update: Update) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()


async def _edit_or_send(update: Update, reply: Reply) -> None:
    query = update.callback_query
    assert query is not None
    message = query.message
    if isinstance(message, Message) and message.text is not None:
        if message.text_html == reply.text and message.reply_markup == keyboard(reply):
            return
        try:
            await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
        except BadRequest as exc:
            # a double tap: the first tap already showed this page (the button's message is as it was before)
            if "message is not modified" not in exc.message.lower():
                raise
    else:
        await send(update, reply)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(reader_context(update, context).t("unknown_command")))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(reader_context(update, context).t("not_text")))


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(reader_context(update, context).t("edited")))


async def group_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(reader_context(update, context).t("private_only", username=context.bot.username)))
