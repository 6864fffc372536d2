"""HTTP to the Bot API: python-telegram-bot's request interface over aiohttp, sending JSON bodies.

Two choices, both measured under a burst of readers (bench/run.py):
- JSON bodies. PTB's own HTTPXRequest posts form data, and percent-encoding Kazakh text (two bytes per letter, each
  escaped by urllib in pure Python) cost about 0.1 ms of CPU for a 2.5 KB /latest page. The Bot API accepts both.
- aiohttp instead of httpx. httpx (with httpcore's pool) cost about 1 ms of the bot's CPU per Bot API call; the same
  call through one aiohttp session costs about 0.2 ms. Everything else the bot fetches (feeds, pages) stays on httpx.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from typing import Any

import aiohttp
import orjson
from telegram import Update
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)
_NO_UPDATES = re.compile(rb'"result"\s*:\s*\[\s*\]')

# A Bot API URL carries the token: /bot<token>/method and /file/bot<token>/path.
_TOKEN_IN_URL = re.compile(r"/bot[^/\s]+")


def without_token(message: str) -> str:
    """An error message with any Bot API URL's token replaced (aiohttp puts request URLs in some errors)."""
    return _TOKEN_IN_URL.sub("/bot<BOT_TOKEN>", message)


def never_reached_telegram(exc: TelegramError) -> bool:
    """Did a failed call surely not reach the Bot API? True for a connection that could not be made (or no free
    one in time) and for an HTTP error answer (Telegram answered, so it did not take the call); False when the
    request may have been delivered before the failure (a timeout or a dropped connection while waiting for
    the answer), where sending again could deliver it twice."""
    cause = exc.__cause__
    if cause is None:
        return isinstance(exc, NetworkError) and not isinstance(exc, TimedOut)  # PTB's error for a 5xx answer
    # an answer that could not be parsed is still an answer
    return isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError | TelegramError)


class JsonRequest(BaseRequest):
    """Sends a method's parameters as one UTF-8 JSON body; uploads go as multipart form data.

    At most `pool_size` connections; a request that finds them all busy waits up to `pool_timeout` for one, then
    fails with TimedOut without being sent. Timeouts raise TimedOut, other transport failures NetworkError, and
    neither message contains the token.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_offset_with_updates",
        "_pool",
        "_pool_size",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

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
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool = pool_timeout
        # aiohttp has no separate write timeout: a write is bounded by the whole request's deadline
        self._media_write_timeout = media_write_timeout
        self._write_timeout = write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._offset_with_updates: object = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:  # an application can be initialised again
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=self._pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                json_serialize=lambda value: json.dumps(value, ensure_ascii=False),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This JsonRequest is not initialized!")
        uploads = request_data is not None and request_data.contains_files
        timeout = self._timeout(uploads, read_timeout, write_timeout, connect_timeout, pool_timeout)
        try:
            if request_data is not None and uploads:
                body: Any = _form(request_data)
            else:
                body = aiohttp.BytesPayload(json_body(request_data), content_type="application/json")
            async with self._session.request(method, url, data=body, timeout=timeout) as response:
                status, content = response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as exc:
            raise TimedOut("Timed out while connecting (or waiting for a free connection)") from exc
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(without_token(f"aiohttp.{type(exc).__name__}: {exc}")) from exc
        if status == 200 and url.endswith("/getUpdates"):
            return 200, self._readable_updates(request_data, content)
        return status, content

    def _timeout(self, uploads: bool, read: Any, write: Any, connect: Any, pool: Any) -> aiohttp.ClientTimeout:
        read_s = _chosen(read, self._read_timeout)
        write_s = _chosen(write, self._media_write_timeout if uploads else self._write_timeout)
        connect_s = _chosen(connect, self._connect_timeout)
        pool_s = _chosen(pool, self._pool)
        # aiohttp's `connect` covers waiting for a pooled connection and opening one; `sock_connect` the opening
        waiting = None if connect_s is None or pool_s is None else connect_s + pool_s
        # the whole request may take its parts' time together; a long poll's read timeout includes its `timeout`
        parts = (read_s, write_s, waiting)
        total = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
        return _client_timeout(total, waiting, connect_s, read_s)

    @staticmethod
    def parse_json_payload(payload: bytes) -> Any:
        """Telegram's answer parsed by orjson (PTB's documented place to choose the parser); anything orjson
        refuses and the standard library reads (invalid UTF-8, a lone surrogate, NaN) is left to PTB's own parser,
        so what can be read is the same. One difference: an integer beyond 64 bits comes back as a float, not an
        int; Telegram's ids stay below 2^53, where both are exact."""
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError:
            return BaseRequest.parse_json_payload(payload)

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


def json_body(request_data: RequestData | None) -> bytes:
    """The parameters as UTF-8 JSON; orjson takes a fifth of the standard library's time for a page of Kazakh text.
    What orjson refuses (a lone surrogate, an integer over 64 bits) goes through json as before."""
    parameters = request_data.parameters if request_data else {}
    try:
        return orjson.dumps(parameters)
    except TypeError:
        return json.dumps(parameters, ensure_ascii=False).encode()


@lru_cache(maxsize=64)
def _client_timeout(
    total: float | None, connect: float | None, sock_connect: float | None, sock_read: float | None
) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=total, connect=connect, sock_connect=sock_connect, sock_read=sock_read)


def _form(request_data: RequestData) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


def _chosen(value: object, default: float | None) -> float | None:
    """A timeout passed for this call, else the request's own (PTB marks "not passed" with DEFAULT_NONE)."""
    if value is BaseRequest.DEFAULT_NONE:
        return default
    return value  # type: ignore[return-value]


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
