"""Polite HTTP for feeds and pages: a named User-Agent, conditional GET, timeouts, retries with backoff,
a size cap and a pace per host."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

USER_AGENT = "AikynChannelBot/0.1 (+https://aikyn.kz; Telegram bot fetching Aikyn's feed)"
MAX_BYTES = 5 * 1024 * 1024
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL that could not be fetched; the message says why."""


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    status: int
    content: bytes
    etag: str | None
    last_modified: str | None
    encoding: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text, by the declared charset, else detected (pages in CP1251 or KZ-1048 happen)."""
        if self.encoding:
            try:
                return self.content.decode(self.encoding)
            except (LookupError, UnicodeDecodeError):
                pass
        try:
            return self.content.decode("utf-8")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(self.content).best()
            return str(best) if best is not None else self.content.decode("utf-8", errors="replace")


class Fetcher:
    """One shared client; `get` is safe to call concurrently."""

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        retries: int = 2,
        backoff: float = 1.0,
        pace_seconds: float = 1.0,
        max_bytes: int = MAX_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept-Language": "kk, ru;q=0.8"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            transport=transport,
        )
        self.retries = retries
        self.backoff = backoff
        self.pace_seconds = pace_seconds
        self.max_bytes = max_bytes
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._host_last: dict[str, float] = {}

    async def close(self) -> None:
        await self.client.aclose()

    async def _pace(self, host: str) -> None:
        """At most one request per `pace_seconds` to a host."""
        lock = self._host_locks.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._host_last.get(host, 0.0) + self.pace_seconds - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._host_last[host] = time.monotonic()

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET with validators; retries network errors, 429 and 5xx; raises FetchError on failure."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).netloc
        last_error = ""
        for attempt in range(self.retries + 1):
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            await self._pace(host)
            try:
                return await self._get_once(url, headers)
            except _Retryable as exc:
                last_error = str(exc)
                log.info("fetch %s failed (attempt %s): %s", url, attempt + 1, exc)
        raise FetchError(last_error)

    async def _get_once(self, url: str, headers: dict[str, str]) -> Fetched:
        try:
            async with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code in RETRY_STATUSES:
                    raise _Retryable(f"HTTP {response.status_code}")
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code}")
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > self.max_bytes:
                    raise FetchError(f"too large: {declared} bytes > {self.max_bytes}")
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"too large: over {self.max_bytes} bytes")
                    chunks.append(chunk)
                return Fetched(
                    str(response.url),
                    response.status_code,
                    b"".join(chunks),
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                    response.charset_encoding,
                )
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"network error: {exc}") from exc


class _Retryable(Exception):
    pass
