"""The baseline to beat: a minimal aiogram 3 echo bot, polling like the Aikyn bot (needs the `bench` extra).

aiogram is measured here only; the bot itself stays on python-telegram-bot.
"""

from __future__ import annotations

import asyncio
import os
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

dispatcher = Dispatcher()


@dispatcher.message()
async def echo(message: Message) -> None:
    await message.answer(message.text or "")


async def main() -> None:
    api = urlsplit(os.environ["TELEGRAM_API_URL"])  # http://127.0.0.1:PORT/bot
    session = AiohttpSession(api=TelegramAPIServer.from_base(f"{api.scheme}://{api.netloc}"))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)


if __name__ == "__main__":
    asyncio.run(main())
