"""HTTP to the Bot API: python-telegram-bot's request interface over httpx, sending JSON bodies."""

from __future__ import annotations

import json

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class JsonRequest(BaseRequest):
    """Sends a method's parameters as one UTF-8 JSON body; uploads still go as multipart form data.

    PTB's own HTTPXRequest posts form data, and percent-encoding Kazakh text (two bytes per letter, each
    escaped by urllib in pure Python) was the largest single cost of a reply under load: about 0.1 ms of
    CPU for a 2.5 KB /latest page (bench/run.py). The Bot API accepts both encodings.
    """

    __slots__ = ("_client", "_limits", "_media_write_timeout", "_timeout")

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
        return response.status_code, response.content


def _chosen(value: object, default: float | None) -> float | None:
    """A timeout passed for this call, else the request's own (PTB marks "not passed" with DEFAULT_NONE)."""
    return default if value is BaseRequest.DEFAULT_NONE else value  # type: ignore[return-value]
