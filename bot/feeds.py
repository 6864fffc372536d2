"""Polling the site's feeds: new items fetched, extracted, analysed and stored once; changed ones updated."""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import feedparser

from bot import importer
from bot.page_extract import NotAnArticle, extract_article
from bot.web_fetch import Fetcher, FetchError
from storage import Database, feed_state

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PollReport:
    feed_url: str
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    problem: str = ""

    def summary(self) -> str:
        if self.problem:
            return f"error: {self.problem}"
        text = f"new {self.imported}, updated {self.updated}, unchanged {self.unchanged}, failed {self.failed}"
        return text + (f" ({self.errors[0]})" if self.errors else "")


def _field(entry: feedparser.FeedParserDict, name: str) -> object:
    """A field as the feed gave it; dict.get skips feedparser's deprecated updated→published fallback."""
    return dict.get(entry, name)


def _entry_time(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = _field(entry, "published_parsed") or _field(entry, "updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None  # type: ignore[arg-type]


async def poll_feed(db: Database, fetcher: Fetcher, feed_url: str, now: datetime) -> PollReport:
    """One poll of one feed. Failures are recorded on the feed (or the item) and never raised."""
    report = PollReport(feed_url)
    etag, last_modified = await feed_state.validators(db, feed_url)
    try:
        fetched = await fetcher.get(feed_url, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        report.problem = f"feed not fetched: {exc}"
        log.warning("feed %s: %s", feed_url, report.problem)
        await feed_state.record_poll(db, feed_url, now, report.summary(), ok=False)
        return report
    if fetched.not_modified:
        await feed_state.record_poll(db, feed_url, now, "not modified", ok=True)
        return report
    parsed = feedparser.parse(fetched.content)
    if parsed.bozo and not parsed.entries:
        report.problem = f"malformed feed: {parsed.get('bozo_exception', 'not RSS or Atom')}"
        log.warning("feed %s: %s", feed_url, report.problem)
        await feed_state.record_poll(db, feed_url, now, report.summary(), ok=False)
        return report
    if parsed.bozo:  # feedparser recovers what it can from broken XML: say so, keep what it found
        report.errors.append(f"malformed feed: {parsed.get('bozo_exception', '?')}")
        log.warning("feed %s: %s", feed_url, report.errors[-1])
    for entry in parsed.entries:
        await _take_entry(db, fetcher, feed_url, entry, now, report)
    log.info("feed %s: %s", feed_url, report.summary())
    await feed_state.record_poll(
        db, feed_url, now, report.summary(), ok=True, etag=fetched.etag, last_modified=fetched.last_modified
    )
    return report


async def _take_entry(
    db: Database, fetcher: Fetcher, feed_url: str, entry: feedparser.FeedParserDict, now: datetime, report: PollReport
) -> None:
    link = str(_field(entry, "link") or "").strip()
    if not link:
        report.failed += 1
        report.errors.append(f"item without a link: {str(_field(entry, 'title') or '?')[:60]}")
        log.warning("feed %s: %s", feed_url, report.errors[-1])
        return
    entry_updated = str(_field(entry, "updated") or _field(entry, "published") or "")
    known = await feed_state.known_item(db, link)
    # Without an update date in the feed, the page is asked again each poll (a conditional GET, so cheap).
    if known is not None and entry_updated and known.entry_updated == entry_updated and known.article_id:
        report.unchanged += 1
        return
    try:
        page = await fetcher.get(
            link, etag=known.etag if known else None, last_modified=known.last_modified if known else None
        )
        if page.not_modified:
            report.unchanged += 1
            await feed_state.remember_item(
                db,
                link,
                feed_url,
                entry_updated=entry_updated,
                article_id=None,
                etag=page.etag or (known.etag if known else None),
                last_modified=page.last_modified,
                now=now,
            )
            return
        draft, image = extract_article(page.text(), link, source=feed_url)
    except (FetchError, NotAnArticle) as exc:
        report.failed += 1
        report.errors.append(f"{link}: {exc}")
        log.warning("feed %s: item %s: %s", feed_url, link, exc)
        return
    published = _entry_time(entry) or draft.published_at
    title = " ".join(str(_field(entry, "title") or "").split()) or draft.title
    draft = replace(draft, title=title, published_at=published, image_url=image)
    try:
        saved = await importer.save_article(db, draft, now=now)
    except Exception as exc:  # a page that breaks the analysis is one failed item, not a failed feed
        log.exception("feed %s: item %s could not be imported", feed_url, link)
        report.failed += 1
        report.errors.append(f"{link}: {type(exc).__name__}: {exc}")
        return
    setattr(report, saved.outcome, getattr(report, saved.outcome) + 1)
    await feed_state.remember_item(
        db,
        link,
        feed_url,
        entry_updated=entry_updated,
        article_id=saved.id,
        etag=page.etag,
        last_modified=page.last_modified,
        now=now,
    )


async def poll_all(db: Database, fetcher: Fetcher, feed_urls: tuple[str, ...], now: datetime) -> list[PollReport]:
    """Every feed in turn; one feed's failure never stops the others."""
    reports = []
    for url in feed_urls:
        try:
            reports.append(await poll_feed(db, fetcher, url, now))
        except Exception:  # a bug in one feed's handling must not stop the rest
            log.exception("feed %s: unexpected error", url)
            await feed_state.record_poll(db, url, now, "error: unexpected (see log)", ok=False)
    return reports
