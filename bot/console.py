"""The offline console: the real application, handlers and database, with Telegram replaced by the in-process
fake. Type commands as a reader would; press an inline button by typing its number."""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import AsyncIterator
from html import unescape
from typing import Any, TextIO

from telegram import Update

from bot.application import build_application
from bot.config import Settings
from bot.fakeapi import FakeBotApi
from bot.fakeapi.core import Message
from bot.fakeapi.inprocess import InProcessRequest

CONSOLE_USER_ID = 1
CONSOLE_CHANNEL = "@aikyn_console"


def plain(html_text: str) -> str:
    """HTML message text as the reader would see it."""
    return unescape(re.sub(r"</?(?:b|strong)>", "*", re.sub(r"<(?!/?(?:b|strong)>)[^>]+>", "", html_text)))


def show(message: Message, buttons: list[dict[str, Any]], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    where = "📢 channel" if isinstance(message.chat_id, str) else "🤖 bot"
    edited = " (edited)" if message.edited else ""
    print(f"\n── {where}{edited} ──\n{plain(message.text)}", file=out)
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        cells = []
        for button in row:
            buttons.append({"message": message, **button})
            target = f" → {button['url']}" if "url" in button else ""
            cells.append(f"[{len(buttons)}] {button['text']}{target}")
        print("   " + "   ".join(cells), file=out)


async def console(settings: Settings, *, user_id: int, language: str, lines: AsyncIterator[str] | None = None) -> None:
    fake = FakeBotApi()
    if not settings.channel_id:
        settings = settings.model_copy(update={"channel_id": CONSOLE_CHANNEL})
    app = build_application(settings, request=InProcessRequest(fake), send_interval=1.0)
    seen: set[tuple[str, int]] = set()
    buttons: list[dict[str, Any]] = []

    def flush() -> None:
        for key, message in list(fake.messages.items()):
            marker = (key[0], message.message_id if not message.edited else -message.message_id)
            if marker in seen:
                continue
            seen.add(marker)
            show(message, buttons)

    async with app:
        await app.post_init(app)  # type: ignore[misc]  # run_polling would call it; `async with` does not
        await app.start()
        print(
            f"Aikyn bot console — user {user_id} ({language}); /help for commands, a number presses a button, "
            "Ctrl-D quits."
        )
        if user_id in settings.admin_ids:
            print("You are an admin here: /schedule, /queue, /cancel, /postnow, /preview, /status.")
        flush()
        source = lines if lines is not None else _stdin_lines()
        async for line in source:
            line = line.strip()
            if not line:
                continue
            if line.isdigit() and 0 < int(line) <= len(buttons):
                button = buttons[int(line) - 1]
                if "callback_data" in button:
                    update = fake.button_press(
                        button["message"],
                        button["callback_data"],
                        user_id=user_id,
                        language=language,
                    )
                else:
                    start = re.search(r"\?start=([\w-]+)", button.get("url", ""))
                    if not start:
                        print(f"(opens {button.get('url')} in a browser)")
                        continue
                    update = fake.user_message(f"/start {start[1]}", user_id=user_id, language=language)
            else:
                update = fake.user_message(line, user_id=user_id, language=language)
            stored = fake.add_update(update)
            await app.process_update(Update.de_json(stored, app.bot))
            await asyncio.sleep(0)
            flush()
        await app.stop()
        await app.post_shutdown(app)  # type: ignore[misc]
    flush()


async def _stdin_lines() -> AsyncIterator[str]:
    while True:
        try:
            line = await asyncio.to_thread(input, "› ")
        except EOFError:
            print()
            return
        yield line


def run_console(settings: Settings, *, user_id: int | None, language: str) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    uid = user_id if user_id is not None else (min(settings.admin_ids) if settings.admin_ids else CONSOLE_USER_ID)
    if user_id is None and not settings.admin_ids:
        settings = settings.model_copy(update={"admin_ids": frozenset({uid})})
    try:
        asyncio.run(console(settings, user_id=uid, language=language))
    except KeyboardInterrupt:
        print()
    return 0
