"""Importing articles: parse files, analyse the text, store each article with its analysis all or nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.analysis import ANALYSIS_VERSION, analyze_article
from bot.article_files import ArticleFileError, find_article_files, read_article_file
from bot.records import ArticleDraft
from storage import Database, article_analysis, articles
from storage.articles import SavedArticle
from storage.db import WriteBatch
from storage.timestamps import utc_now

log = logging.getLogger(__name__)

# Told of each new or updated article as it is saved: (id, "imported" or "updated", title).
OnChange = Callable[[int, str, str], None]


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts and failures (each new or updated article goes to `on_change` as it is saved,
    so a 100,000-article import does not hold a list of them)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"imported {self.imported}, updated {self.updated}, unchanged {self.unchanged}, failed {self.failed}"


def content_hash(draft: ArticleDraft) -> str:
    """What makes two drafts the same article whatever their source: the normalised title and body (not the URL,
    date, lead or views, which differ between a page, an editor's file and an import of one article)."""
    return draft.content_key


async def save_article(db: Database, draft: ArticleDraft, *, now: datetime | None = None) -> SavedArticle:
    """Store one article and, if it is new or changed, its analysis — all or nothing, in its own transaction.
    `now` is when it counts as imported (the bot's clock; the wall clock when not given)."""
    async with db.transaction() as conn:
        return await _save(conn, draft, now or utc_now())


async def _save(conn: aiosqlite.Connection, draft: ArticleDraft, now: datetime) -> SavedArticle:
    stored = await articles.find_stored(conn, draft)
    if stored is not None and stored.version_hash == draft.version_key:
        if draft.url and not stored.url:  # the same text, now with its page's address
            await articles.add_address(conn, stored.id, draft, now=now)
            return SavedArticle(stored.id, "updated")
        return SavedArticle(stored.id, "unchanged")
    if stored is not None and draft.hold_reason and not stored.held:
        # a page that now extracts badly never replaces the text editors or readers already have
        log.warning("article %s: new version not taken (%s extraction)", stored.id, draft.hold_reason)
        return SavedArticle(stored.id, "unchanged")
    analysis = analyze_article(draft.title, draft.lead, draft.body, draft.published_at)
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
    return SavedArticle(article_id, "imported" if stored is None else "updated")


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
    the address of the one saved .html page given."""
    report = ImportReport()
    files = list(find_article_files(paths))
    async with db.write_batch() as batch:
        for done, path in enumerate(files, start=1):
            try:
                parsed = read_article_file(path, url=page_url)
            except ArticleFileError as exc:
                report.failed += 1
                report.errors.append(f"{path}: {exc}")
                continue
            for problem in parsed.problems:
                report.failed += 1
                report.errors.append(f"{path}: {problem}")
            await import_drafts(batch, parsed.drafts, report, source=str(path), on_change=on_change, now=now)
            if progress:
                progress(done, len(files))
    return report


async def import_drafts(
    batch: WriteBatch,
    drafts: Iterable[ArticleDraft],
    report: ImportReport,
    *,
    source: str,
    on_change: OnChange | None = None,
    now: datetime | None = None,
) -> None:
    """Save drafts in a write batch, each article on its own: one that breaks the analysis is reported and
    rolled back, and the rest still import."""
    for draft in drafts:
        try:
            async with batch.unit() as conn:
                saved = await _save(conn, draft, now or utc_now())
        except Exception as exc:
            log.exception("%s: could not import %r", source, draft.title[:80])
            report.failed += 1
            report.errors.append(f"{source}: {draft.title[:60]!r}: {type(exc).__name__}: {exc}")
            continue
        setattr(report, saved.outcome, getattr(report, saved.outcome) + 1)
        if on_change is not None and saved.outcome != "unchanged":
            on_change(saved.id, saved.outcome, draft.title)
        await batch.commit_if_due()


async def import_seeds_if_empty(db: Database, seeds_dir: Path, *, now: datetime | None = None) -> ImportReport | None:
    """On first start, fill an empty archive from the seeds folder so new users see content at once."""
    if await articles.count(db) > 0 or not seeds_dir.is_dir():
        return None
    return await import_paths(db, [seeds_dir], now=now)


async def reanalyse_outdated(db: Database, *, batch: int = 200) -> int:
    """Re-run the analysis on articles stored by an older analyser; returns how many were updated."""
    total = 0
    while stale := await articles.needing_analysis(db, ANALYSIS_VERSION, limit=batch):
        for article in stale:
            analysis = analyze_article(article.title, article.lead, article.body, article.published_at)
            async with db.transaction() as conn:
                await article_analysis.replace_analysis(conn, article.id, analysis)
                await article_analysis.set_summary(conn, article.id, analysis.summary, version=ANALYSIS_VERSION)
        total += len(stale)
    return total
