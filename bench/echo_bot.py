"""The throughput baselines: a minimal python-telegram-bot echo bot, configured like the Aikyn bot's polling.

With ECHO_PAGE set to a JSON file ({"text": …, "buttons": [[[label, callback_data], …], …]}) it answers every
message with that page instead of the message's text: the same reply the Aikyn bot sends, without its work.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.effective_message is not None
    await update.effective_chat.send_message(update.effective_message.text or "")


def page_reply(path: str):  # type: ignore[no-untyped-def]
    page = json.loads(Path(path).read_text())
    keyboard = [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in page["buttons"]]

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await update.effective_chat.send_message(
            page["text"], parse_mode=ParseMode.HTML, reply_markup=InlineKeyboardMarkup(keyboard)
        )

    return reply


def main() -> None:
    app = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
        .concurrent_updates(32)
        .build()
    )
    callback = page_reply(os.environ["ECHO_PAGE"]) if os.environ.get("ECHO_PAGE") else echo
    app.add_handler(MessageHandler(filters.TEXT, callback))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
