"""The python-telegram-bot throughput baselines (bench/run.py).

A minimal echo bot with PTB's stock settings (its httpx transport, asyncio's loop). With ECHO_PAGE set to a JSON file
({"text": …, "buttons": [[[label, callback_data], …], …]}) it answers every message with that page instead: the same
reply the Aikyn bot sends for /latest, sent the way the Aikyn bot sends it (the keyboard as Bot API JSON) on the
Aikyn bot's transport, event loop and collector settings, but without its work — what python-telegram-bot itself
costs for that reply.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.application import CONCURRENT_UPDATES, TELEGRAM_CONNECTIONS, TELEGRAM_POOL_TIMEOUT
from bot.event_loop import new_event_loop, settle_collector
from bot.telegram_http import JsonRequest


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.effective_message is not None
    await update.effective_chat.send_message(update.effective_message.text or "")


def page_reply(path: str):  # type: ignore[no-untyped-def]
    page = json.loads(Path(path).read_text())
    keyboard = [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in page["buttons"]]
    options: dict[str, Any] = {
        "reply_markup": InlineKeyboardMarkup(keyboard).to_dict(),
        "link_preview_options": {"is_disabled": True},
    }

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await update.effective_chat.send_message(page["text"], parse_mode=ParseMode.HTML, api_kwargs=options)

    return reply


async def settled(app: Application) -> None:  # type: ignore[type-arg]
    settle_collector()


def main() -> None:
    builder = ApplicationBuilder().token(os.environ["BOT_TOKEN"]).base_url(os.environ["TELEGRAM_API_URL"])
    builder = builder.concurrent_updates(CONCURRENT_UPDATES)
    page = os.environ.get("ECHO_PAGE")
    if page:
        requests = JsonRequest(pool_size=TELEGRAM_CONNECTIONS, pool_timeout=TELEGRAM_POOL_TIMEOUT)
        builder = builder.request(requests).get_updates_request(JsonRequest(pool_size=1)).post_init(settled)
        asyncio.set_event_loop(new_event_loop())
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, page_reply(page) if page else echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
