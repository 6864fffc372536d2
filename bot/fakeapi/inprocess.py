"""python-telegram-bot's request interface answered by a FakeBotApi in the same process (no sockets)."""

from __future__ import annotations

import json

from telegram.request import BaseRequest, RequestData

from bot.fakeapi.core import FakeBotApi


class InProcessRequest(BaseRequest):
    """Hands each Bot API call to the fake directly: what the offline console runs on."""

    def __init__(self, fake: FakeBotApi) -> None:
        self.fake = fake

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            content = self.fake.file_content(url.split("/file/bot", 1)[1].split("/", 1)[1])
            return (200, content) if content is not None else (404, b"Not Found")
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, object] = dict(request_data.json_parameters) if request_data else {}
        if request_data and request_data.contains_files:
            for name in request_data.multipart_data:
                params.setdefault(name, "<file>")
        status, body = await self.fake.handle(api_method, params)
        return status, json.dumps(body).encode()
