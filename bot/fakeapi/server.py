"""The fake Bot API served over HTTP on 127.0.0.1, for tests and benchmarks."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from bot.fakeapi.core import FakeBotApi

_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")
_FILE_PATH = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>.+)$")


class FakeBotApiServer:
    """`async with FakeBotApiServer() as server:` then point TELEGRAM_API_URL at `server.base_url`."""

    def __init__(self, fake: FakeBotApi | None = None, *, token: str = "123456:TEST-token") -> None:
        self.fake = fake or FakeBotApi()
        self.token = token
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def __aenter__(self) -> FakeBotApiServer:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("POST", "/{tail:.*}", self._dispatch)
        app.router.add_route("GET", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.Response:
        file_match = _FILE_PATH.match(request.path)
        if file_match and file_match["token"] == self.token:
            content = self.fake.file_content(file_match["path"])
            if content is None:
                return web.Response(status=404, text="Not Found")
            return web.Response(body=content, content_type="application/octet-stream")
        match = _PATH.match(request.path)
        if not match:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        if match["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                form = await request.post()
                for key, value in form.items():
                    params[key] = value if isinstance(value, str) else "<file>"
        status, body = await self.fake.handle(match["method"], params)
        return web.json_response(body, status=status)
