"""The bot's HTTP layer against the Bot API fake on 127.0.0.1: JSON bodies, uploads, timeouts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TimedOut

from bot.fakeapi.server import FakeBotApiServer
from bot.telegram_http import JsonRequest


@asynccontextmanager
async def bot_on(base_url: str, token: str, request: JsonRequest) -> AsyncIterator[Bot]:
    bot = Bot(token, base_url=base_url, request=request, get_updates_request=JsonRequest(pool_size=1))
    async with bot:
        yield bot


async def test_parameters_travel_as_json_with_their_types_and_kazakh_text_intact() -> None:
    async with FakeBotApiServer() as server, bot_on(server.base_url, server.token, JsonRequest(pool_size=2)) as bot:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ашу 7", callback_data="a:7")]])
        message = await bot.send_message(
            1001, "<b>Қазақстанның</b> жаңалығы &amp; «дәйексөз»", parse_mode="HTML", reply_markup=keyboard
        )
        assert message.text == "Қазақстанның жаңалығы & «дәйексөз»"
        [call] = server.fake.sent("sendMessage")
        # a form body would carry every value as a string; JSON keeps numbers and objects
        assert call.params["chat_id"] == 1001
        assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Ашу 7", "callback_data": "a:7"}]]}


async def test_uploads_still_go_as_multipart_form_data() -> None:
    async with FakeBotApiServer() as server, bot_on(server.base_url, server.token, JsonRequest(pool_size=2)) as bot:
        message = await bot.send_photo(1001, photo=b"\x89PNG\r\n\x1a\n fake image", caption="Сурет")
        assert message.caption == "Сурет"
        [call] = server.fake.sent("sendPhoto")
        assert call.params["photo"] == "<file>" and call.params["chat_id"] == "1001"


async def test_a_server_that_never_answers_is_a_timeout_not_a_hang() -> None:
    accepted: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)  # read nothing, answer nothing

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = JsonRequest(pool_size=1, read_timeout=0.3)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot1:x/getMe")
    finally:
        await request.shutdown()
        for writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()
