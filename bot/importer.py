"""Importing articles: parse files, analyse the text outside any write transaction (and, in the bot, off the event
loop), then store each article with its analysis all or nothing, in short write transactions.

An article whose analysis fails is still stored and shown: without quotes, events, entities and summary, flagged
with why (`articles.analysis_error`), and analysed again at the first start after the analyser changes.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

import aiosqlite

from bot.analysis import ANALYSIS_VERSION, analyze_article
from bot.article_files import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_VIEWS,
    ArticleFileError,
    display_name,
    find_article_files,
    read_article_file,
    web_url,
)
from bot.records import Analysis, ArticleDraft
from storage import Database, article_analysis, articles
from storage.articles import SavedArticle
from storage.db import savepoint
from storage.timestamps import utc_now

log = logging.getLogger(__name__)

# Told of each new or updated article once it is committed: (id, "imported" or "updated", title).
OnChange = Callable[[int, str, str], None]

# A bulk import writes what it has analysed in one short transaction (a savepoint per article) at least this
# often, so the running bot never waits long for the write lock, and no transaction is open while files are read
# and analysed. A commit per article would add half again to the cost of its inserts (full-text index).
FLUSH_ARTICLES = 32
FLUSH_SECONDS = 0.25


class ArticleRejected(Exception):
    """A draft that cannot be stored as it is (no title, a URL no button could carry…); the message says why."""


class ImportAborted(Exception):
    """The database refused a write that is no one article's fault (disk full, locked, I/O error). What was
    committed before stays; `report` counts it."""

    def __init__(self, message: str, report: ImportReport) -> None:
        super().__init__(message)
        self.report = report

    @classmethod
    def write_refused(cls, report: ImportReport, exc: Exception, lost: int) -> ImportAborted:
        """A batch's transaction failed: its `lost` articles (not already failed alone) are counted failed."""
        report.failed += lost
        return cls(f"the database refused the write ({exc}); the last {lost} articles were not saved", report)


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts and failures (each new or updated article goes to `on_change` once it is
    committed, so a 100,000-article import does not hold a list of them)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # stored, but their analysis failed (each is also in `errors`, which says why)
    analysis_failed: int = 0
    # the bulk import's largest worker process at its peak (for the benchmark)
    worker_peak_rss_mb: float = 0.0

    def fail(self, where: str, reason: str) -> None:
        self.failed += 1
        self.errors.append(f"{where}: {reason}")

    def summary(self) -> str:
        text = f"imported {self.imported}, updated {self.updated}, unchanged {self.unchanged}, failed {self.failed}"
        return text + (f", analysis failed {self.analysis_failed}" if self.analysis_failed else "")


def content_hash(draft: ArticleDraft) -> str:
    """What makes two drafts the same article whatever their source: the normalised title and body (not the URL,
    date, lead or views, which differ between a page, an editor's file and an import of one article)."""
    return draft.content_key


_SURROGATE = re.compile("[\ud800-\udfff]")


def safe_text(value: str) -> str:
    """Text SQLite and Telegram accept: a lone surrogate (from a broken file name or JSON) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


def checked_draft(draft: ArticleDraft) -> ArticleDraft:
    """A draft from a file, an editor or a feed, made safe to store and to show; ArticleRejected when it has no
    title or body, or its URL could not be a button. Out-of-range view counts and dates are dropped."""
    title, body = safe_text(draft.title).strip(), safe_text(draft.body).strip()
    if not title or not body:
        raise ArticleRejected("no title" if not title else "no body")
    try:
        url = web_url(safe_text(draft.url)) if draft.url else None
    except ArticleFileError as exc:
        raise ArticleRejected(str(exc).replace("field 'url'", "the URL")) from exc
    try:
        image_url = web_url(draft.image_url) if draft.image_url else None
    except ArticleFileError:
        image_url = None
    published = draft.published_at
    if published is not None and not EARLIEST_YEAR <= published.year <= LATEST_YEAR:
        published = None
    views = draft.views if draft.views is not None and 0 <= draft.views <= MAX_VIEWS else None
    return replace(
        draft,
        title=title,
        body=body,
        lead=safe_text(draft.lead),
        source=safe_text(draft.source),
        url=url,
        image_url=image_url,
        published_at=published,
        views=views,
    )


@dataclass(frozen=True, slots=True)
class Analysed:
    """A checked draft with its analysis (empty, and `error` saying why, when the analysis failed)."""

    draft: ArticleDraft
    analysis: Analysis
    error: str | None
    source: str = ""


def analyse(draft: ArticleDraft, source: str = "") -> Analysed:
    try:
        analysis = analyze_article(draft.title, draft.lead, draft.body, draft.published_at)
    except Exception as exc:  # a text that breaks the analysis is still an article
        error = f"{type(exc).__name__}: {exc}"[:300]
        log.warning("analysis failed for %r (stored without it): %s", draft.title[:80], error, exc_info=True)
        return Analysed(draft, Analysis(), error, source)
    return Analysed(draft, analysis, None, source)


def nothing_to_store(stored: articles.StoredVersion | None, draft: ArticleDraft) -> bool:
    """The stored article already is this draft (the same exact text, and nothing it would add), or the draft is
    a doubtful extraction that must not replace text editors and readers already have."""
    if stored is None:
        return False
    if stored.version_hash == draft.version_key:
        return not (draft.url and not stored.url)  # the same text, but now with its page's address: store that
    if draft.hold_reason and not stored.held:
        log.warning("article %s: new version not taken (%s extraction)", stored.id, draft.hold_reason)
        return True
    return False


async def _stored_unchanged(db: Database, draft: ArticleDraft) -> int | None:
    """The id of the stored article when this draft brings nothing to store (checked again inside the
    transaction)."""
    stored = await articles.find_stored(db.connection, draft)
    return stored.id if stored is not None and nothing_to_store(stored, draft) else None


async def save_article(db: Database, draft: ArticleDraft, *, now: datetime | None = None) -> SavedArticle:
    """Store one article and, if it is new or changed, its analysis — all or nothing, in its own transaction.
    The analysis runs in a worker thread before the transaction, so readers are answered meanwhile.
    `now` is when it counts as imported (the bot's clock; the wall clock when not given)."""
    draft = checked_draft(draft)
    unchanged = await _stored_unchanged(db, draft)
    if unchanged is not None:
        return SavedArticle(unchanged, "unchanged")
    analysed = await asyncio.to_thread(analyse, draft)
    async with db.transaction() as conn:
        return await _store(conn, analysed, now or utc_now())


StoreStep = Literal["unchanged", "address", "insert", "update"]


def store_step(stored: articles.StoredVersion | None, draft: ArticleDraft) -> StoreStep:
    """What storing a draft does, given the stored article it is a version of (found inside the transaction):
    nothing, give a stored article the page's address, insert a new article, or update the stored one. Shared by
    this module and the bulk import (bot/bulk_import.py), so both store the same."""
    if stored is not None and nothing_to_store(stored, draft):
        return "unchanged"
    if stored is not None and stored.version_hash == draft.version_key:  # the same text, now with its address
        return "address"
    return "insert" if stored is None else "update"


async def _store(conn: aiosqlite.Connection, item: Analysed, now: datetime) -> SavedArticle:
    draft, analysis = item.draft, item.analysis
    stored = await articles.find_stored(conn, draft)
    step = store_step(stored, draft)
    if stored is not None and step == "unchanged":
        return SavedArticle(stored.id, "unchanged")
    if stored is not None and step == "address":
        await articles.add_address(conn, stored.id, draft, now=now)
        return SavedArticle(stored.id, "updated")
    if stored is None:
        article_id = await articles.insert_article(
            conn, draft, summary=analysis.summary, analysis_version=ANALYSIS_VERSION, now=now
        )
    else:
        article_id = stored.id
        await articles.update_article(
            conn, article_id, draft, summary=analysis.summary, analysis_version=ANALYSIS_VERSION, now=now
        )
    await article_analysis.replace_analysis(conn, article_id, analysis, new_article=stored is None)
    if item.error is not None or stored is not None:
        await article_analysis.mark_analysis(conn, article_id, error=item.error)
    return SavedArticle(article_id, "imported" if stored is None else "updated")


def report_saved(report: ImportReport, item: Analysed, saved: SavedArticle, on_change: OnChange | None) -> None:
    """Count a committed article, say why when its analysis failed, and tell `on_change` of a new or updated one."""
    setattr(report, saved.outcome, getattr(report, saved.outcome) + 1)
    if saved.outcome == "unchanged":
        return
    if item.error is not None:
        report.analysis_failed += 1
        report.errors.append(
            f"{item.source}: {item.draft.title[:60]!r}: stored as article {saved.id} without its analysis, "
            f"which failed ({item.error}); it is analysed again after an upgrade"
        )
    if on_change is not None:
        on_change(saved.id, saved.outcome, item.draft.title)


class _Batch:
    """Drafts checked and analysed one by one, written FLUSH_ARTICLES at a time (or every FLUSH_SECONDS) in one
    short transaction with a savepoint per article; an article is reported only once its transaction is
    committed, so what is printed is what is stored."""

    def __init__(self, db: Database, report: ImportReport, on_change: OnChange | None, now: datetime | None):
        self.db, self.report, self.on_change, self.now = db, report, on_change, now
        self.pending: list[Analysed] = []
        self.since = time.monotonic()

    async def add(self, draft: ArticleDraft, source: str) -> None:
        try:
            draft = checked_draft(draft)
        except ArticleRejected as exc:
            self.report.fail(source, f"{safe_text(draft.title)[:60]!r}: {exc}")
            return
        unchanged = await _stored_unchanged(self.db, draft) is not None
        if unchanged and self.pending:  # one waiting to be stored may change what this was compared with: store it
            await self.flush()
            unchanged = await _stored_unchanged(self.db, draft) is not None
        if unchanged:
            self.report.unchanged += 1
            return
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append(analyse(draft, source))
        if len(self.pending) >= FLUSH_ARTICLES or time.monotonic() - self.since >= FLUSH_SECONDS:
            await self.flush()

    async def flush(self) -> None:
        items, self.pending = self.pending, []
        if not items:
            return
        saved: list[tuple[Analysed, SavedArticle]] = []
        failed_before = self.report.failed
        try:
            async with self.db.transaction() as conn:
                for item in items:
                    outcome = await self._store_alone(conn, item)
                    if outcome is not None:
                        saved.append((item, outcome))
        except Exception as exc:
            lost = len(items) - (self.report.failed - failed_before)
            raise ImportAborted.write_refused(self.report, exc, lost) from exc
        for item, outcome in saved:
            report_saved(self.report, item, outcome, self.on_change)

    async def _store_alone(self, conn: aiosqlite.Connection, item: Analysed) -> SavedArticle | None:
        """One article in its savepoint: one that fails is rolled back alone and reported. An error that ended
        the whole transaction (SQLite rolls back on a full disk) is not this article's: it is raised."""
        try:
            async with savepoint(conn):
                return await _store(conn, item, self.now or utc_now())
        except Exception as exc:
            if not conn.in_transaction:
                raise
            log.warning("%s: could not import %r", item.source, item.draft.title[:80], exc_info=True)
            self.report.fail(item.source, f"{item.draft.title[:60]!r}: {type(exc).__name__}: {exc}")
            return None


async def import_paths(
    db: Database,
    paths: list[Path],
    *,
    progress: Callable[[int, int], None] | None = None,
    on_change: OnChange | None = None,
    now: datetime | None = None,
    page_url: str | None = None,
) -> ImportReport:
    """Import every article file under `paths`; a bad file is reported and the rest still import. `page_url` is
    the address of the one saved .html page given. Raises ImportAborted when the database refuses writes altogether
    (what was committed before stays)."""
    report = ImportReport()
    files = list(find_article_files(paths))
    batch = _Batch(db, report, on_change, now)
    for done, path in enumerate(files, start=1):
        name = display_name(path)
        try:
            parsed = read_article_file(path, url=page_url)
        except ArticleFileError as exc:
            report.fail(name, str(exc))
        else:
            for problem in parsed.problems:
                report.fail(name, problem)
            for draft in parsed.drafts:
                await batch.add(draft, name)
        if progress:
            progress(done, len(files))
    await batch.flush()
    return report


async def import_drafts(
    db: Database,
    drafts: Iterable[ArticleDraft],
    report: ImportReport,
    *,
    source: str,
    on_change: OnChange | None = None,
    now: datetime | None = None,
) -> None:
    """Import drafts as `import_paths` does (one that fails is reported, the rest still import)."""
    batch = _Batch(db, report, on_change, now)
    for draft in drafts:
        await batch.add(draft, source)
    await batch.flush()


async def import_seeds_if_empty(db: Database, seeds_dir: Path, *, now: datetime | None = None) -> ImportReport | None:
    """On first start, fill an empty archive from the seeds folder so new users see content at once."""
    if await articles.count(db) > 0 or not seeds_dir.is_dir():
        return None
    return await import_paths(db, [seeds_dir], now=now)


async def reanalyse_outdated(db: Database, *, batch: int = 200) -> int:
    """Re-run the analysis (in a worker thread) on articles stored by an older analyser, or whose analysis failed
    under one; returns how many were done. One that fails again is flagged and left until the next upgrade."""
    total = 0
    while stale := await articles.needing_analysis(db, ANALYSIS_VERSION, limit=batch):
        for article in stale:
            draft = ArticleDraft(article.title, article.body, article.lead, published_at=article.published_at)
            item = await asyncio.to_thread(analyse, draft)
            async with db.transaction() as conn:
                await article_analysis.replace_analysis(conn, article.id, item.analysis)
                await article_analysis.set_summary(conn, article.id, item.analysis.summary, version=ANALYSIS_VERSION)
                await article_analysis.mark_analysis(conn, article.id, error=item.error)
        total += len(stale)
    return total
