"""Polite HTTP for feeds and pages: a named User-Agent, conditional GET, timeouts, retries with backoff,
a size cap and a pace per host."""

from __future__ import annotations

import asyncio
import codecs
import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from charset_normalizer import from_bytes

log = logging.getLogger(__name__)

USER_AGENT = "AikynChannelBot/0.1 (+https://aikyn.kz; Telegram bot fetching Aikyn's feed)"
MAX_BYTES = 5 * 1024 * 1024
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL that could not be fetched; the message says why, `code` says it for bot/feed_lines.reason
    (`http 404`, `timeout`, `network`, `too_large`)."""

    def __init__(self, message: str, code: str = "network") -> None:
        super().__init__(message)
        self.code = code


_XML_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def declared_charset(content: bytes) -> str | None:
    """The charset a document names itself: its XML declaration, else a `<meta charset>` or
    `<meta http-equiv="Content-Type" content="…; charset=…">` near its top."""
    head = content[:16384]
    match = _XML_DECLARED.match(head) or _META_CHARSET.search(head)
    return match[1].decode("ascii") if match else None


def decode_document(content: bytes, http_charset: str | None = None) -> str:
    """A page or feed as text: a byte-order mark, else the charset of the HTTP header, else the one the document
    declares, else UTF-8 if it is valid, else a detected one (pages in CP1251 or KZ-1048 happen)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return content.decode(codec, errors="replace")
    for charset in (http_charset, declared_charset(content)):
        if charset:
            try:
                return content.decode(_python_codec(charset))
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(content).best()
        return str(best) if best is not None else content.decode("utf-8", errors="replace")


def _python_codec(charset: str) -> str:
    """Python's name for a web charset label: ISO-8859-1 is read as windows-1252 and a declared ASCII as UTF-8
    (as browsers do), the rest as Python knows them (KZ-1048 is kz1048)."""
    label = charset.strip().strip("'\"").casefold()
    return {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}.get(
        label, label
    )


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    status: int
    content: bytes
    etag: str | None
    last_modified: str | None
    encoding: str | None  # the charset of the HTTP Content-Type header
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text (see decode_document)."""
        return decode_document(self.content, self.encoding)


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
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"not a web address: {url[:80]}", "not_web")
        host = urlsplit(url).netloc
        last_error = _Retryable("not tried", "network")
        for attempt in range(self.retries + 1):
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            await self._pace(host)
            try:
                return await self._get_once(url, headers)
            except _Retryable as exc:
                last_error = exc
                log.info("fetch %s failed (attempt %s): %s", url, attempt + 1, exc)
        raise FetchError(str(last_error), last_error.code)

    async def _get_once(self, url: str, headers: dict[str, str]) -> Fetched:
        try:
            async with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code in RETRY_STATUSES:
                    raise _Retryable(f"HTTP {response.status_code}", f"http {response.status_code}")
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code}", f"http {response.status_code}")
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > self.max_bytes:
                    raise FetchError(f"too large: {declared} bytes > {self.max_bytes}", "too_large")
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"too large: over {self.max_bytes} bytes", "too_large")
                    chunks.append(chunk)
                return Fetched(
                    str(response.url),
                    response.status_code,
                    b"".join(chunks),
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                    response.charset_encoding,
                    response.headers.get("Content-Type"),
                )
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})", "timeout") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"network error: {exc}", "network") from exc


class _Retryable(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code
