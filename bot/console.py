"""The offline console: the real application, handlers and database, with Telegram replaced by the in-process
fake. Type commands as a reader would; press an inline button by typing its number.

What the bot sends is printed as soon as it is sent (a scheduled channel post too, while the console waits for a
line). Ctrl-D, Ctrl-C or SIGTERM stop it cleanly (a second Ctrl-C stops it at once), and so does the reader of its
output going away (`aikyn-bot console | head`).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import AsyncIterator
from html import unescape
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application

from bot.application import build_application
from bot.config import Settings
from bot.fakeapi import FakeBotApi
from bot.fakeapi.core import Message
from bot.fakeapi.inprocess import InProcessRequest
from bot.i18n import EDITOR_COMMAND_DESCRIPTIONS, console_text
from storage import DatabaseUnavailable

CONSOLE_USER_ID = 1
CONSOLE_CHANNEL = "@aikyn_console"
PROMPT = "› "


def plain(html_text: str) -> str:
    """HTML message text as the reader would see it."""
    return unescape(re.sub(r"</?(?:b|strong)>", "*", re.sub(r"<(?!/?(?:b|strong)>)[^>]+>", "", html_text)))


def show(message: Message, buttons: list[dict[str, Any]], out: TextIO | None = None, language: str = "kk") -> None:
    """One message as the console prints it, in the console's language; its buttons are numbered on."""
    out = out or sys.stdout
    where = console_text(language, "channel" if isinstance(message.chat_id, str) else "bot")
    edited = console_text(language, "edited") if message.edited else ""
    print(f"\n── {where}{edited} ──\n{plain(message.text)}", file=out)
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        cells = []
        for button in row:
            buttons.append({"message": message, **button})
            target = f" → {button['url']}" if "url" in button else ""
            cells.append(f"[{len(buttons)}] {button['text']}{target}")
        print("   " + "   ".join(cells), file=out)
    out.flush()


class _Screen:
    """Prints each message the bot sends (or edits) once, as soon as the fake has it."""

    def __init__(self, fake: FakeBotApi, out: TextIO, language: str) -> None:
        self.fake, self.out, self.language = fake, out, language
        self.seen: set[tuple[str, int]] = set()
        self.buttons: list[dict[str, Any]] = []

    def _new(self) -> list[tuple[tuple[str, int], Message]]:
        found = []
        for key, message in list(self.fake.messages.items()):
            marker = (key[0], message.message_id if not message.edited else -message.message_id)
            if marker not in self.seen:
                found.append((marker, message))
        return found

    def flush(self) -> None:
        for marker, message in self._new():
            self.seen.add(marker)
            show(message, self.buttons, self.out, self.language)

    async def follow(self) -> None:
        """Print messages as they are sent, whatever the console is doing (waiting for a line, say)."""
        while True:
            await self.fake.wait_for(self._new, timeout=24 * 3600.0)
            self.flush()


async def console(
    settings: Settings,
    *,
    user_id: int,
    language: str,
    lines: AsyncIterator[str] | None = None,
    out: TextIO | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the bot against the in-process fake, reading commands from `lines` (standard input by default) until
    they end or `stop` is set."""
    fake = FakeBotApi()
    if not settings.channel_id:
        settings = settings.model_copy(update={"channel_id": CONSOLE_CHANNEL})
    app = build_application(settings, request=InProcessRequest(fake), send_interval=1.0)
    screen = _Screen(fake, out or sys.stdout, language)
    async with app:
        try:
            await app.post_init(app)  # type: ignore[misc]  # run_polling would call it; `async with` does not
            await app.start()
            try:
                await _session(app, fake, screen, settings, user_id, language, lines, stop or asyncio.Event())
            finally:
                await app.stop()
        finally:
            await app.post_shutdown(app)  # type: ignore[misc]
    screen.flush()


async def _session(
    app: Application,
    fake: FakeBotApi,
    screen: _Screen,
    settings: Settings,
    user_id: int,
    language: str,
    lines: AsyncIterator[str] | None,
    stop: asyncio.Event,
) -> None:
    print(console_text(language, "usage", user_id=user_id), file=screen.out)
    if user_id in settings.admin_ids:
        commands = ", ".join(f"/{name}" for name in EDITOR_COMMAND_DESCRIPTIONS["kk"])
        print(console_text(language, "editor", commands=commands), file=screen.out)
    screen.flush()
    following = asyncio.create_task(screen.follow())
    source = lines if lines is not None else _stdin_lines()
    try:
        while (line := await _next_line(source, stop, following)) is not None:
            update = _update_for(line.strip(), fake, screen, user_id, language)
            if update is not None:
                await app.process_update(Update.de_json(fake.add_update(update), app.bot))
                screen.flush()
    finally:
        following.cancel()
        with contextlib.suppress(asyncio.CancelledError, BrokenPipeError):
            await following


async def _next_line(source: AsyncIterator[str], stop: asyncio.Event, following: asyncio.Task[None]) -> str | None:
    """The next typed line; None when input ends, `stop` is set, or output cannot be written any more."""
    reading = asyncio.ensure_future(anext(source, None))
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({reading, stopping, following}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if reading.done():
        return reading.result()
    reading.cancel()
    if following.done() and not following.cancelled() and following.exception() is not None:
        raise following.exception()  # type: ignore[misc]
    return None


def _update_for(line: str, fake: FakeBotApi, screen: _Screen, user_id: int, language: str) -> dict[str, Any] | None:
    """The update a typed line makes: a message, or a press of the button with that number."""
    if not line:
        return None
    if not (line.isdigit() and 0 < int(line) <= len(screen.buttons)):
        return fake.user_message(line, user_id=user_id, language=language)
    button = screen.buttons[int(line) - 1]
    if "callback_data" in button:
        return fake.button_press(button["message"], button["callback_data"], user_id=user_id, language=language)
    start = re.search(r"\?start=([\w-]+)", button.get("url", ""))
    if not start:
        print(console_text(language, "opens", url=button.get("url")), file=screen.out)
        return None
    return fake.user_message(f"/start {start[1]}", user_id=user_id, language=language)


async def _stdin_lines() -> AsyncIterator[str]:
    """Lines from standard input, read by a daemon thread straight from the file descriptor: neither a thread
    blocked in input() (asyncio.to_thread's waited for Enter after Ctrl-C) nor one holding sys.stdin's buffer lock
    (fatal at interpreter exit) may outlive the console."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    interactive = sys.stdin.isatty() and sys.stdout.isatty()

    def deliver(line: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed while this thread waited for input
            loop.call_soon_threadsafe(queue.put_nowait, line)

    def read() -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(sys.stdin.fileno(), 65536)
            except (OSError, ValueError):
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *complete, pending = pending.split("\n")
            for line in complete:
                deliver(line)
            if not chunk:
                if pending:
                    deliver(pending)
                deliver(None)
                return

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    while True:
        if interactive:
            print(PROMPT, end="", flush=True)
        line = await queue.get()
        if line is None:
            break
        yield line
    if interactive:
        print()


def run_console(settings: Settings, *, user_id: int | None, language: str) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    uid = user_id if user_id is not None else (min(settings.admin_ids) if settings.admin_ids else CONSOLE_USER_ID)
    if user_id is None and not settings.admin_ids:
        settings = settings.model_copy(update={"admin_ids": frozenset({uid})})
    try:
        asyncio.run(_until_stopped(settings, uid, language))
    except BrokenPipeError:
        _silence_stdout()
    except DatabaseUnavailable as exc:
        from bot.cli import database_problem

        print(f"aikyn-bot: {database_problem(exc)}", file=sys.stderr)
        return 2
    return 0


async def _until_stopped(settings: Settings, user_id: int, language: str) -> None:
    """The console, stopped cleanly by Ctrl-C or SIGTERM; a second Ctrl-C ends the process at once."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def interrupted() -> None:
        if stop.is_set():
            os._exit(130)
        stop.set()

    loop.add_signal_handler(signal.SIGINT, interrupted)
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await console(settings, user_id=user_id, language=language, stop=stop)


def _silence_stdout() -> None:
    """The reader of our output went away: later writes, and the flush at exit, go nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
