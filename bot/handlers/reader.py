"""Reader commands in private chat."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import ContextTypes

from bot import reader
from bot.handlers.common import argument_text, language, reader_context, send
from bot.i18n import text
from bot.posting import keyboard
from bot.render import Button, Reply

_DEEP_LINK = re.compile(r"article_(\d{1,19})")
_MAX_SEARCHES_KEPT = 20


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    payload = context.args[0] if context.args else ""
    link = _DEEP_LINK.fullmatch(payload)
    if link:
        await send(update, await reader.article_messages(ctx, reader.parse_article_id(ctx, link[1], "/article")))
        return
    await send(update, Reply(f"{ctx.t('greeting')}\n\n{ctx.t('help')}"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(reader_context(update, context).t("help")))


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await reader.latest(reader_context(update, context)))


async def article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    await send(
        update, await reader.article_messages(ctx, reader.parse_article_id(ctx, argument_text(update), "/article"))
    )


async def quotes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await reader.quotes(reader_context(update, context), argument_text(update)))


async def related(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await reader.related(reader_context(update, context), argument_text(update)))


async def events(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await reader.events(reader_context(update, context), argument_text(update)))


async def search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    query = argument_text(update)
    reply, paged = await reader.search(ctx, query)
    if paged:
        reply = _bind_search(context, reply, query)
    await send(update, reply)


def _bind_search(context: ContextTypes.DEFAULT_TYPE, reply: Reply, query: str) -> Reply:
    """Paging buttons carry a short token for the query (kept in chat data), not the query itself."""
    assert context.chat_data is not None
    searches: dict[int, str] = context.chat_data.setdefault("searches", {})
    token = next((k for k, v in searches.items() if v == query), None)
    if token is None:
        token = max(searches, default=0) + 1
        searches[token] = query
        for old in sorted(searches)[:-_MAX_SEARCHES_KEPT]:
            del searches[old]
    rows = [[_with_token(b, token) for b in row] for row in reply.buttons]
    return Reply(reply.text, rows)


def _with_token(button: Button, token: int) -> Button:
    if button.data and button.data.startswith("s:"):
        return Button(button.label, data=f"s:{token}:{button.data[2:]}")
    return button


async def set_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert context.user_data is not None
    wanted = (context.args[0].lower() if context.args else "")[:2]
    current = language(update, context)
    new = wanted if wanted in ("kk", "ru") else ("ru" if current == "kk" else "kk")
    context.user_data["lang"] = new
    await send(update, Reply(text(new, "lang_set")))


_CALLBACK = re.compile(r"(?P<kind>[alr]):(?P<n>\d{1,9})|s:(?P<token>\d{1,6}):(?P<offset>\d{1,9})")


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline buttons: a:<id> open, l:<offset> latest page, r:<id> related, s:<token>:<offset> search page."""
    query = update.callback_query
    assert query is not None
    ctx = reader_context(update, context)
    match = _CALLBACK.fullmatch(query.data or "")
    searches = (context.chat_data or {}).get("searches", {})
    if not match or (match["token"] and int(match["token"]) not in searches):
        await query.answer(ctx.t("stale_button"), show_alert=True)
        return
    await query.answer()
    if match["token"]:
        reply, _ = await reader.search(ctx, searches[int(match["token"])], int(match["offset"]))
        reply = _bind_search(context, reply, searches[int(match["token"])])
        await _edit_or_send(update, reply)
    elif match["kind"] == "l":
        await _edit_or_send(update, await reader.latest(ctx, int(match["n"])))
    elif match["kind"] == "a":
        await send(update, await reader.article_messages(ctx, int(match["n"])))
    else:
        await send(update, await reader.related(ctx, match["n"]))


async def _edit_or_send(update: Update, reply: Reply) -> None:
    query = update.callback_query
    assert query is not None
    message = query.message
    if message is not None and getattr(message, "text", None) is not None:
        if message.text_html == reply.text and message.reply_markup == keyboard(reply):
            return
        await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
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
