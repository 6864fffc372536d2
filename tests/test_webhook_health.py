"""Webhook mode: GET /healthz on the webhook port, next to Telegram's updates, against the HTTP Bot API fake."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from pathlib import Path

import httpx

from bot.application import build_application
from bot.fakeapi.server import FakeBotApiServer
from bot.services import services
from bot.webhook_server import health_problem, serve_webhook
from tests.harness import make_settings

SECRET = "s3cret-Token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _get_until(client: httpx.AsyncClient, url: str, status: int, timeout: float = 10.0) -> httpx.Response:
    """GET `url` until it answers `status` (the application starts just after the webhook is registered)."""
    deadline = time.monotonic() + timeout
    while True:
        response = await client.get(url)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.02)


async def test_healthz_is_200_while_the_bot_runs_and_503_when_its_database_does_not_answer(tmp_path: Path) -> None:
    port = _free_port()
    async with FakeBotApiServer() as server:
        settings = make_settings(
            tmp_path,
            server,
            webhook_url="https://bot.aikyn.example/tg-hook",
            webhook_secret=SECRET,
            webhook_port=port,
        )
        app = build_application(settings, send_interval=3600)
        assert await health_problem(app) == "the application is not running"
        stop = asyncio.Event()
        serving = asyncio.create_task(serve_webhook(app, settings, stop=stop))
        try:
            await server.fake.wait_for(lambda: server.fake.sent("setWebhook"), timeout=20)
            [hook] = server.fake.sent("setWebhook")
            assert (hook.params["url"], hook.params["secret_token"]) == ("https://bot.aikyn.example/tg-hook", SECRET)
            async with httpx.AsyncClient() as client:
                healthz = f"http://127.0.0.1:{port}/healthz"
                healthy = await _get_until(client, healthz, 200)
                assert (healthy.status_code, healthy.text) == (200, "ok\n")
                assert healthy.headers["Cache-Control"] == "no-store"

                update = server.fake.user_message("/latest", user_id=777)
                update["update_id"] = 1
                headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
                hook_url = f"http://127.0.0.1:{port}/tg-hook"
                assert (await client.post(hook_url, content=json.dumps(update), headers=headers)).status_code == 200
                await server.fake.wait_for(lambda: server.fake.sent("sendMessage", chat_id=777), timeout=10)
                forged = {**headers, "X-Telegram-Bot-Api-Secret-Token": "wrong"}
                assert (await client.post(hook_url, content=json.dumps(update), headers=forged)).status_code == 403

                await services(app).close_database()
                sick = await client.get(healthz)
                assert sick.status_code == 503
                assert sick.text.startswith("the database did not answer: ")
        finally:
            stop.set()
            await asyncio.wait_for(serving, 20)
        assert not app.running
        async with httpx.AsyncClient() as client:
            try:
                response = await client.get(f"http://127.0.0.1:{port}/healthz")
            except httpx.ConnectError:
                response = None
        assert response is None, "the server still answers after the bot stopped"
