"""The bot's HTTP layer against the Bot API fake on 127.0.0.1: JSON bodies, uploads, timeouts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.fakeapi.server import FakeBotApiServer
from bot.telegram_http import JsonRequest, json_body


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


async def test_no_more_connections_than_the_pool_and_a_request_that_waits_too_long_is_not_sent() -> None:
    open_now, most = 0, 0
    release = asyncio.Event()

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal open_now, most
        open_now += 1
        most = max(most, open_now)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(
                    next(
                        line.split(b":")[1]
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    )
                )
                await reader.readexactly(length)
                await release.wait()
                body = b'{"ok":true,"result":true}'
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(body), body)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            open_now -= 1
            writer.close()

    server = await asyncio.start_server(slow, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/bot1:x/close"
    request = JsonRequest(pool_size=2, pool_timeout=0.2, connect_timeout=0.2)
    await request.initialize()
    try:
        waiting = [asyncio.create_task(request.post(url)) for _ in range(2)]
        await asyncio.sleep(0)
        with pytest.raises(TimedOut):  # both connections are busy: the third gives up without being sent
            await request.post(url)
        release.set()
        assert await asyncio.gather(*waiting) == [True, True]
        assert await asyncio.gather(*(request.post(url) for _ in range(10))) == [True] * 10
        assert most == 2
    finally:
        await request.shutdown()
        server.close()
        await server.wait_closed()


async def test_a_failed_connection_is_a_network_error_that_does_not_show_the_token() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()  # nothing listens there any more
    request = JsonRequest(pool_size=1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot123456:SECRET-token/getMe")
        assert "SECRET" not in str(caught.value) and "SECRET" not in repr(caught.value)
    finally:
        await request.shutdown()


def test_answers_are_read_as_python_telegram_bot_reads_them() -> None:
    """orjson reads the usual answer; what it refuses is read by PTB's own parser, so nothing reads differently."""
    answers = [
        '{"ok":true,"result":{"text":"Қазақстан «дәйексөз» 😀","id":-1001234567890,"views":1.5}}'.encode(),
        b'{"ok":true,"result":{"text":"\\ud800 a lone surrogate"}}',
        b'{"ok":true,"result":{"text":"not UTF-8: \xff"}}',
        b'{"ok":true,"result":{"n":NaN,"big":123456789012345678901234567890}}',
    ]
    for answer in answers:
        assert repr(JsonRequest.parse_json_payload(answer)) == repr(BaseRequest.parse_json_payload(answer))
    with pytest.raises(TelegramError, match="Invalid server response"):
        JsonRequest.parse_json_payload(b"<html>502 Bad Gateway</html>")


def test_bodies_are_the_json_of_the_parameters_whatever_they_hold() -> None:
    cases = [
        {"chat_id": 1001, "text": "<b>Қазақстан</b> «дәйексөз» 😀", "reply_markup": {"inline_keyboard": [[]]}},
        {"chat_id": 123456789012345678901234567890, "text": "an integer orjson refuses"},
    ]
    for parameters in cases:
        data = RequestData([RequestParameter.from_input(name, value) for name, value in parameters.items()])
        assert json.loads(json_body(data)) == parameters
