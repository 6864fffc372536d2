"""Following people, places, organisations and words: /follow, /following, /unfollow and their buttons."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import ContextTypes

from bot import following
from bot.handlers.common import argument_text, reader_context, send, show_in_place
from bot.reading import ReaderMistake
from bot.services import services

# Buttons (callback_data ≤ 64 bytes): fe:<entity id> follow an article's person/place/organisation,
# fs:<surname> follow a person from their quotes, uf:<subscription id> unfollow (under a notification or a
# confirmation), ul:<subscription id> unfollow from the /following list (the list is redrawn).
FOLLOW_ENTITY = r"^fe:([0-9]{1,9})\Z"
FOLLOW_SURNAME = r"^fs:([^\W\d_][\w-]{0,29})\Z"
UNFOLLOW = r"^uf:([0-9]{1,9})\Z"
UNFOLLOW_IN_LIST = r"^ul:([0-9]{1,9})\Z"


def _user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


async def follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    await send(update, await following.follow(ctx, _user_id(update), argument_text(update), services(context).clock()))


async def following_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await following.following(reader_context(update, context), _user_id(update)))


async def unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    await send(update, await following.unfollow(ctx, _user_id(update), argument_text(update)))


async def came_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs beside /start (its own handler group): a reader the bot had paused is sent notifications again."""
    ctx = reader_context(update, context)
    await following.came_back(ctx, _user_id(update), services(context).clock())


def _button_data(update: Update, pattern: str) -> str:
    query = update.callback_query
    assert query is not None
    match = re.match(pattern, query.data or "")
    assert match is not None  # the handler's pattern matched already
    return match[1]


async def follow_entity_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    entity_id = int(_button_data(update, FOLLOW_ENTITY))
    try:
        reply = await following.follow_entity(ctx, _user_id(update), entity_id, services(context).clock())
    except ReaderMistake as mistake:
        await _answer(update, str(mistake))
        return
    await _answer(update)
    await send(update, reply)


async def follow_surname_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    surname = _button_data(update, FOLLOW_SURNAME)
    reply = await following.follow_surname(ctx, _user_id(update), surname, services(context).clock())
    await _answer(update)
    await send(update, reply)


async def unfollow_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    subscription_id = int(_button_data(update, UNFOLLOW))
    await _answer(update, await following.unfollow_by_button(ctx, _user_id(update), subscription_id))


async def unfollow_in_list_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = reader_context(update, context)
    subscription_id = int(_button_data(update, UNFOLLOW_IN_LIST))
    await _answer(update, await following.unfollow_by_button(ctx, _user_id(update), subscription_id))
    await show_in_place(update, await following.following(ctx, _user_id(update)))


async def _answer(update: Update, toast: str | None = None) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(toast)
