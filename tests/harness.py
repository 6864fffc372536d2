"""The real python-telegram-bot application against the HTTP Bot API fake on 127.0.0.1."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from telegram.ext import Application

from bot.application import build_application
from bot.config import Settings
from bot.fakeapi import FakeBotApi, RecordedCall
from bot.fakeapi.server import FakeBotApiServer
from tests.conftest import SEED

T = TypeVar("T")
ADMIN_ID = 42
READER_ID = 100
CHANNEL = "@aikyn_test_channel"


def make_settings(tmp_path: Path, server: FakeBotApiServer, **overrides: Any) -> Settings:
    seeds = tmp_path / "seeds"
    if not seeds.exists():
        seeds.mkdir()
        shutil.copy(SEED, seeds / SEED.name)
    values: dict[str, Any] = {
        "bot_token": server.token,
        "telegram_api_url": server.base_url,
        "database_path": tmp_path / "aikyn.sqlite3",
        "seeds_dir": seeds,
        "admin_ids": frozenset({ADMIN_ID}),
        "channel_id": CHANNEL,
        "post_times": (),
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Harness:
    app: Application  # type: ignore[type-arg]
    fake: FakeBotApi
    settings: Settings

    async def send(self, text: str, *, user_id: int = READER_ID, **kwargs: Any) -> dict[str, Any]:
        return self.fake.add_update(self.fake.user_message(text, user_id=user_id, **kwargs))

    async def replies_to(self, update: dict[str, Any], *, count: int = 1, timeout: float = 15.0) -> list[RecordedCall]:
        """Wait, bounded, for `count` messages to the chat of `update`, sent after it arrived."""
        message = update.get("message") or update.get("edited_message") or update["callback_query"]["message"]
        chat_id = message["chat"]["id"]
        start = len(self.fake.calls)

        def found() -> list[RecordedCall]:
            return [
                c
                for c in self.fake.calls[start:]
                if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(chat_id)
            ]

        await self.fake.wait_for(lambda: len(found()) >= count, timeout)
        return found()

    async def ask(self, text: str, *, count: int = 1, **kwargs: Any) -> list[str]:
        start = len(self.fake.calls)
        update = await self.send(text, **kwargs)
        chat_id = update.get("message", update.get("edited_message"))["chat"]["id"]

        def found() -> list[RecordedCall]:
            return [
                c
                for c in self.fake.calls[start:]
                if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(chat_id)
            ]

        await self.fake.wait_for(lambda: len(found()) >= count)
        return [c.params["text"] for c in found()]

    def channel_posts(self) -> list[RecordedCall]:
        return self.fake.sent("sendMessage", chat_id=CHANNEL)


async def wait_until(check: Callable[[], Awaitable[T] | T], *, timeout: float = 15.0, what: str = "") -> T:
    """Wait, bounded, until a check (a state of the database, or of printed output) returns something truthy, and
    return it; the fake's `wait_for` is for calls to the Bot API, this is for what the bot stores or prints."""

    async def value() -> T:
        result = check()
        return await result if inspect.isawaitable(result) else result  # type: ignore[return-value]

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (found := await value()):
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {what or check}")
        await asyncio.sleep(0.01)
    return found


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    fake: FakeBotApi | None = None,
    *,
    send_interval: float = 0.2,
    clock: Callable[[], datetime] | None = None,
    fetcher_options: dict[str, Any] | None = None,
    **overrides: Any,
) -> AsyncIterator[Harness]:
    """The bot polling the HTTP fake. `clock` is the bot's time (articles imported, posts due, freshness);
    PTB's job queue still runs on the real clock."""
    async with FakeBotApiServer(fake) as server:
        settings = make_settings(tmp_path, server, **overrides)
        app = build_application(settings, send_interval=send_interval, clock=clock, fetcher_options=fetcher_options)
        async with app:
            await app.post_init(app)  # type: ignore[misc]
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            try:
                yield Harness(app, server.fake, settings)
            finally:
                await app.updater.stop()
                await app.stop()
                await app.post_shutdown(app)  # type: ignore[misc]
