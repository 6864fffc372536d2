"""HTTP to the Bot API: python-telegram-bot's request interface over httpx, sending JSON bodies."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import httpx
from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)
_NO_UPDATES = re.compile(rb'"result"\s*:\s*\[\s*\]')


class JsonRequest(BaseRequest):
    """Sends a method's parameters as one UTF-8 JSON body; uploads still go as multipart form data.

    PTB's own HTTPXRequest posts form data, and percent-encoding Kazakh text (two bytes per letter, each
    escaped by urllib in pure Python) was the largest single cost of a reply under load: about 0.1 ms of
    CPU for a 2.5 KB /latest page (bench/run.py). The Bot API accepts both encodings.
    """

    __slots__ = ("_client", "_limits", "_media_write_timeout", "_offset_with_updates", "_timeout")

    def __init__(
        self,
        *,
        pool_size: int,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._timeout = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=write_timeout, pool=pool_timeout
        )
        self._media_write_timeout = media_write_timeout
        self._limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
        self._client = self._new_client()
        self._offset_with_updates: object = None

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeout, limits=self._limits, http1=True, http2=False)

    @property
    def read_timeout(self) -> float | None:
        return self._timeout.read

    async def initialize(self) -> None:
        if self._client.is_closed:  # an application can be initialised again after shutdown
            self._client = self._new_client()

    async def shutdown(self) -> None:
        if not self._client.is_closed:
            await self._client.aclose()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._client.is_closed:
            raise RuntimeError("This JsonRequest is not initialized!")
        uploads = request_data is not None and request_data.contains_files
        default_write = self._media_write_timeout if uploads else self._timeout.write
        timeout = httpx.Timeout(
            connect=_chosen(connect_timeout, self._timeout.connect),
            read=_chosen(read_timeout, self._timeout.read),
            write=_chosen(write_timeout, default_write),
            pool=_chosen(pool_timeout, self._timeout.pool),
        )
        headers = {"User-Agent": self.USER_AGENT}
        try:
            if request_data is not None and uploads:
                response = await self._client.request(
                    method,
                    url,
                    headers=headers,
                    timeout=timeout,
                    files=request_data.multipart_data,
                    data=request_data.json_parameters,
                )
            else:
                headers["Content-Type"] = "application/json"
                body = json.dumps(request_data.parameters if request_data else {}, ensure_ascii=False).encode()
                response = await self._client.request(method, url, headers=headers, timeout=timeout, content=body)
        except httpx.PoolTimeout as exc:
            raise TimedOut("Pool timeout: all connections are busy; the request was not sent") from exc
        except httpx.TimeoutException as exc:
            raise TimedOut from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"httpx.{type(exc).__name__}: {exc}") from exc
        if url.endswith("/getUpdates") and response.status_code == 200:
            return 200, self._readable_updates(request_data, response.content)
        return response.status_code, response.content

    def _readable_updates(self, request_data: RequestData | None, content: bytes) -> bytes:
        """getUpdates' answer, with any update python-telegram-bot cannot read replaced by its bare update_id.

        PTB parses a batch all at once; one update it cannot read fails the batch, the offset never moves past
        it, and polling asks for the same batch again with no pause (37,000 times in 4 minutes, measured). So
        when the same offset is asked for again after a batch that had updates, that batch is checked update by
        update; the normal path costs nothing (parsing every batch twice would cost ~0.2 ms an update)."""
        offset = (request_data.parameters.get("offset") if request_data else None) or 0
        repeated = offset == self._offset_with_updates
        self._offset_with_updates = None if _NO_UPDATES.search(content) else offset
        if not repeated:
            return content
        data = json.loads(content)
        readable = [_readable(update) for update in data.get("result", [])]
        data["result"] = [update for update in readable if update is not None]
        return json.dumps(data, ensure_ascii=False).encode()


def _chosen(value: object, default: float | None) -> float | None:
    """A timeout passed for this call, else the request's own (PTB marks "not passed" with DEFAULT_NONE)."""
    return default if value is BaseRequest.DEFAULT_NONE else value  # type: ignore[return-value]


def _readable(update: Any) -> Any:
    try:
        Update.de_json(update, None)
        return update
    except Exception as exc:
        update_id = update.get("update_id") if isinstance(update, dict) else None
        log.warning(
            "skipped update %s that python-telegram-bot cannot read: %s: %s", update_id, type(exc).__name__, exc
        )
        return {"update_id": update_id}
