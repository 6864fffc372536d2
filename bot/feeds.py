"""Polling the site's feeds: new items fetched, extracted, analysed and stored once; changed ones updated.

Feeds as they are: relative links are resolved against the feed's address, items whose only id is not a web address
(`urn:uuid:…`, `tag:…`) are never fetched, an item whose page keeps failing is tried less and less often and then
given up, and a poll fetches at most MAX_PAGE_FETCHES pages (the rest wait for the next one). Corrections: a feed
that carries only a publication date never says an article changed, so the pages of the last RECHECK_DAYS days are
asked again (a conditional GET) every RECHECK_EVERY; a changed page updates its article, and the poll reports it
(with the article's posts already in the channel) so editors can be told.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import feedparser

from bot import importer
from bot.page_extract import NotAnArticle, extract_article
from bot.web_fetch import Fetched, Fetcher, FetchError
from storage import Database, feed_state, posts
from storage.feed_state import KnownItem, PollCounts

log = logging.getLogger(__name__)

MAX_PAGE_FETCHES = 40
RECHECK_DAYS = 3
RECHECK_EVERY = timedelta(hours=1)
RETRY_FIRST = timedelta(minutes=10)
RETRY_LONGEST = timedelta(hours=12)
GIVE_UP_AFTER = 6  # failures in a row
GIVE_UP_PERMANENT_AFTER = 3  # for answers that will not change by waiting: 404, 410, a page with no text
_PERMANENT = ("http 404", "http 410", "not_article")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: its page's absolute address (None when it has no web page), title, time, and the
    update date as the feed wrote it ("" when the feed gives none)."""

    link: str | None
    title: str
    published_at: datetime | None
    updated_marker: str


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    items: list[FeedItem]
    problem: str = ""  # a `not_feed: …` code when nothing could be read
    warning: str = ""  # what feedparser complained of while still finding entries


@dataclass(frozen=True, slots=True)
class ArticleChange:
    """An article a poll updated from its changed page; `sent_posts` are its posts already in the channel (ids),
    so editors can be told and its post corrected."""

    article_id: int
    title: str
    sent_posts: tuple[int, ...]


@dataclass(slots=True)
class PollReport:
    feed_url: str
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0
    failed: int = 0
    waiting: int = 0  # items neither stored nor given up after the poll
    no_link: int = 0
    items: int = 0
    fetches: int = 0
    errors: list[str] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)
    problem: str = ""
    feed_not_modified: bool = False
    changes: list[ArticleChange] = field(default_factory=list)
    held_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """The poll in the log's words."""
        if self.problem:
            return f"error: {self.problem}"
        if self.feed_not_modified and not self.fetches:
            return "not modified"
        text = ("feed not modified; " if self.feed_not_modified else "") + (
            f"new {self.imported}, updated {self.updated}, unchanged {self.unchanged}, held {self.held},"
            f" failed {self.failed}, waiting {self.waiting}, no link {self.no_link}"
        )
        return text + (f" ({self.errors[0]})" if self.errors else "")

    def counts(self) -> PollCounts:
        return PollCounts(
            items=self.items,
            new=self.imported,
            updated=self.updated,
            unchanged=self.unchanged,
            held=self.held,
            failed=self.failed,
            waiting=self.waiting,
            no_link=self.no_link,
            first_error=self.error_codes[0] if self.error_codes else "",
            feed_not_modified=self.feed_not_modified,
        )


def _field(entry: feedparser.FeedParserDict, name: str) -> object:
    """A field as the feed gave it; dict.get skips feedparser's deprecated updated→published fallback."""
    return dict.get(entry, name)


def _entry_time(entry: feedparser.FeedParserDict) -> datetime | None:
    """The entry's time in UTC (feedparser applies the zone); RFC 822 dates written with another language's
    month names («Seg, 24 Set 2018 19:42:40 -0300») are read here."""
    parsed = _field(entry, "published_parsed") or _field(entry, "updated_parsed")
    if parsed:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # type: ignore[arg-type]
    return _localized_rfc822(str(_field(entry, "published") or _field(entry, "updated") or ""))


# Month abbreviations of RFC 822 dates in Portuguese, Spanish, German, French, Russian and Kazakh feeds.
_MONTHS = {
    "jan": 1, "fev": 2, "feb": 2, "mar": 3, "abr": 4, "apr": 4, "mai": 5, "may": 5, "jun": 6, "jul": 7, "ago": 8,
    "aug": 8, "set": 9, "sep": 9, "out": 10, "oct": 10, "okt": 10, "nov": 11, "dez": 12, "dic": 12, "dec": 12,
    "ene": 1, "janv": 1, "févr": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7, "août": 8, "sept": 9, "déc": 12,
    "мар": 3, "янв": 1, "фев": 2, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10,
    "ноя": 11, "дек": 12, "қаң": 1, "ақп": 2, "нау": 3, "сәу": 4, "мам": 5, "мау": 6, "шіл": 7, "там": 8, "қыр": 9,
    "қаз": 10, "қар": 11, "жел": 12,
}  # fmt: skip
_RFC822_LOCAL = re.compile(
    r"(?:[^\W\d_]+\.?,?\s+)?(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*(.*)"
)


def _localized_rfc822(text: str) -> datetime | None:
    match = _RFC822_LOCAL.fullmatch(text.strip())
    month = _MONTHS.get(match[2].casefold()[:4]) or _MONTHS.get(match[2].casefold()[:3]) if match else None
    if match is None or month is None:
        return None
    english = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
    try:
        moment = parsedate_to_datetime(f"{match[1]} {english} {match[3]} {match[4]} {match[5] or '+0000'}")
    except (TypeError, ValueError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def web_address(value: object, base: str) -> str | None:
    """`value` as an absolute http(s) address resolved against `base`; None for ids that are not web pages."""
    text = str(value or "").strip()
    if not text:
        return None
    absolute = urljoin(base, text)
    parts = urlsplit(absolute)
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def _item_link(entry: feedparser.FeedParserDict, base: str) -> str | None:
    """The entry's page: its alternate link, its link, or its id when the feed says the id is the address."""
    links: list[dict[str, str]] = _field(entry, "links") or []  # type: ignore[assignment]
    hrefs: list[object] = [link.get("href") for link in links if link.get("rel", "alternate") == "alternate"]
    hrefs.append(_field(entry, "link"))
    if _field(entry, "guidislink"):
        hrefs.append(_field(entry, "id"))
    return next((address for href in hrefs if (address := web_address(href, base))), None)


def parse_feed(content: bytes, feed_url: str, content_type: str | None = None) -> ParsedFeed:
    """A feed's items. feedparser reads RSS and Atom in any charset (the HTTP header's, the XML declaration's) and
    resolves relative links against the feed's address; what it could not resolve is resolved here."""
    headers = {"content-location": feed_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers)
    exception = str(parsed.get("bozo_exception", "") or "")[:120]
    if parsed.bozo and not parsed.entries:
        return ParsedFeed([], problem=f"not_feed: {exception or 'not RSS or Atom'}")
    items = [
        FeedItem(
            _item_link(entry, feed_url),
            " ".join(str(_field(entry, "title") or "").split()),
            _entry_time(entry),
            str(_field(entry, "updated") or _field(entry, "published") or ""),
        )
        for entry in parsed.entries
    ]
    return ParsedFeed(items, warning=exception if parsed.bozo else "")


async def poll_feed(db: Database, fetcher: Fetcher, feed_url: str, now: datetime) -> PollReport:
    """One poll of one feed: its new and changed items; then items whose (next) try is due, whether or not the
    feed changed; then the re-checks of recent pages. Failures are recorded on the feed (or the item), never
    raised."""
    report = PollReport(feed_url)
    fetched = await _read_feed(db, fetcher, feed_url, now, report)
    await _retry_due(db, fetcher, feed_url, now, report)
    await _recheck_recent(db, fetcher, feed_url, now, report)
    report.waiting = await feed_state.waiting_items(db, feed_url)
    log.info("feed %s: %s", feed_url, report.summary())
    await feed_state.record_poll(
        db,
        feed_url,
        now,
        report.summary(),
        counts=report.counts(),
        problem=report.problem,
        etag=fetched.etag if fetched else None,
        last_modified=fetched.last_modified if fetched else None,
    )
    return report


async def _read_feed(
    db: Database, fetcher: Fetcher, feed_url: str, now: datetime, report: PollReport
) -> Fetched | None:
    """Fetch and parse the feed and take its items; the response, or None when the feed could not be read."""
    etag, last_modified = await feed_state.validators(db, feed_url)
    try:
        fetched = await fetcher.get(feed_url, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        report.problem = exc.code
        log.warning("feed %s: not fetched: %s", feed_url, exc)
        return None
    if fetched.not_modified:
        report.feed_not_modified = True
        return fetched
    parsed = parse_feed(fetched.content, fetched.url, fetched.content_type)  # after redirects
    if parsed.problem:
        report.problem = parsed.problem
        log.warning("feed %s: %s", feed_url, parsed.problem)
        return None
    if parsed.warning:  # feedparser recovered the entries of broken XML: logged, not a failure of the poll
        log.warning("feed %s: read with a problem: %s", feed_url, parsed.warning)
    report.items = len(parsed.items)
    for item in parsed.items:
        await _take_item(db, fetcher, feed_url, item, now, report)
    return fetched


async def _take_item(
    db: Database, fetcher: Fetcher, feed_url: str, item: FeedItem, now: datetime, report: PollReport
) -> None:
    """A feed entry: fetched when it is new, when the feed gives it a new update date, or when its last failure's
    wait is over; an imported one is otherwise left to the re-checks."""
    if item.link is None:
        report.no_link += 1
        return
    known = await feed_state.known_item(db, item.link)
    same_version = known is not None and (not item.updated_marker or item.updated_marker == known.entry_updated)
    if known is not None and (known.dropped or (known.article_id and same_version)):
        report.unchanged += 1
        return
    if known is not None and same_version and (known.gave_up or (known.retry_at and known.retry_at > now)):
        return
    if report.fetches >= MAX_PAGE_FETCHES:
        await feed_state.queue_item(
            db, item.link, feed_url, title=item.title, entry_updated=item.updated_marker,
            published_at=item.published_at, now=now,
        )  # fmt: skip
        return
    await _fetch_item(db, fetcher, feed_url, item, known, now, report)


async def _retry_due(db: Database, fetcher: Fetcher, feed_url: str, now: datetime, report: PollReport) -> None:
    """Items not stored yet whose next try is due (failed before, or left over by a poll that had no time)."""
    budget = MAX_PAGE_FETCHES - report.fetches
    if budget <= 0:
        return
    for known in await feed_state.items_due(db, feed_url, now, limit=budget):
        item = FeedItem(known.item_url, known.title, known.published_at, known.entry_updated)
        await _fetch_item(db, fetcher, feed_url, item, known, now, report)


async def _recheck_recent(db: Database, fetcher: Fetcher, feed_url: str, now: datetime, report: PollReport) -> None:
    """Ask again, conditionally, for the pages of the last RECHECK_DAYS days not checked for RECHECK_EVERY."""
    budget = MAX_PAGE_FETCHES - report.fetches
    if budget <= 0:
        return
    due = await feed_state.items_to_recheck(
        db,
        feed_url,
        published_since=now - timedelta(days=RECHECK_DAYS),
        checked_before=now - RECHECK_EVERY,
        limit=budget,
    )
    for known in due:
        item = FeedItem(known.item_url, known.title, known.published_at, known.entry_updated)
        await _fetch_item(db, fetcher, feed_url, item, known, now, report)


async def _fetch_item(
    db: Database,
    fetcher: Fetcher,
    feed_url: str,
    item: FeedItem,
    known: KnownItem | None,
    now: datetime,
    report: PollReport,
) -> None:
    assert item.link is not None
    report.fetches += 1
    imported = known is not None and known.article_id is not None
    validators = (known.etag, known.last_modified) if known is not None and imported else (None, None)
    try:
        page = await fetcher.get(item.link, etag=validators[0], last_modified=validators[1])
        if page.not_modified:
            report.unchanged += 1
            await _remember(db, feed_url, item, known.article_id if known else None, page, now)
            return
        draft = extract_article(page.text(), item.link, source=feed_url)
    except (FetchError, NotAnArticle) as exc:
        code = exc.code if isinstance(exc, FetchError) else "not_article"
        await _item_failed(db, feed_url, item, known, code, str(exc), now, report)
        return
    draft = replace(draft, title=item.title or draft.title, published_at=item.published_at or draft.published_at)
    try:
        saved = await importer.save_article(db, draft, now=now)
    except Exception as exc:  # a page that breaks the analysis or the store is one failed item, not a failed feed
        log.exception("feed %s: item %s could not be imported", feed_url, item.link)
        await _item_failed(db, feed_url, item, known, "import", f"{type(exc).__name__}: {exc}", now, report)
        return
    setattr(report, saved.outcome, getattr(report, saved.outcome) + 1)
    if draft.hold_reason and saved.outcome != "unchanged":
        report.held += 1
        report.held_ids.append(saved.id)
    if saved.outcome == "updated" and imported:
        sent = tuple(p.id for p in await posts.of_article(db, saved.id) if p.status == "sent")
        report.changes.append(ArticleChange(saved.id, draft.title, sent))
    await _remember(db, feed_url, item, saved.id, page, now)


async def _remember(
    db: Database, feed_url: str, item: FeedItem, article_id: int | None, page: Fetched, now: datetime
) -> None:
    assert item.link is not None
    known = await feed_state.known_item(db, item.link)
    await feed_state.remember_item(
        db,
        item.link,
        feed_url,
        entry_updated=item.updated_marker,
        article_id=article_id,
        etag=page.etag or (known.etag if known and page.not_modified else None),
        last_modified=page.last_modified or (known.last_modified if known and page.not_modified else None),
        now=now,
        published_at=item.published_at,
        title=item.title,
    )


async def _item_failed(
    db: Database,
    feed_url: str,
    item: FeedItem,
    known: KnownItem | None,
    code: str,
    message: str,
    now: datetime,
    report: PollReport,
) -> None:
    """Count and record a failed page; the next try waits twice as long as the last, and an item that keeps
    failing is given up (the reason shows in /status)."""
    assert item.link is not None
    failures = (known.failures if known else 0) + 1
    give_up = failures >= (GIVE_UP_PERMANENT_AFTER if code in _PERMANENT else GIVE_UP_AFTER)
    retry_at = now + min(RETRY_FIRST * 2 ** (failures - 1), RETRY_LONGEST)
    report.failed += 1
    report.errors.append(f"{item.link}: {message}")
    report.error_codes.append(code)
    log.warning("feed %s: item %s: %s%s", feed_url, item.link, message, " (given up)" if give_up else "")
    await feed_state.record_item_failure(
        db,
        item.link,
        feed_url,
        entry_updated=item.updated_marker,
        error=code,
        now=now,
        retry_at=retry_at,
        give_up=give_up,
    )


async def poll_all(db: Database, fetcher: Fetcher, feed_urls: tuple[str, ...], now: datetime) -> list[PollReport]:
    """Every feed in turn; one feed's failure never stops the others."""
    reports = []
    for url in feed_urls:
        try:
            reports.append(await poll_feed(db, fetcher, url, now))
        except Exception:  # a bug in one feed's handling must not stop the rest
            log.exception("feed %s: unexpected error", url)
            await feed_state.record_poll(db, url, now, "error: unexpected (see log)", problem="unexpected")
    return reports
