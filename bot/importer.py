"""Importing articles: parse files, analyse the text, store article and analysis in one transaction."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.analysis import ANALYSIS_VERSION, analyze_article
from bot.article_files import ArticleFileError, find_article_files, read_article_file
from storage import Database, articles
from storage import analysis as stored_analysis
from storage.articles import ArticleDraft, SavedArticle

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts, the id and title of each new or updated article, and failures."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    changed: list[tuple[int, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"imported {self.imported}, updated {self.updated}, unchanged {self.unchanged}, failed {self.failed}"


def content_hash(draft: ArticleDraft) -> str:
    """Fingerprint of what readers see, so an unchanged re-import writes nothing."""
    parts = [draft.title, draft.lead, draft.body, draft.url or "", str(draft.published_at or "")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


async def save_article(db: Database, draft: ArticleDraft) -> SavedArticle:
    """Store one article and, if it is new or changed, its analysis — all or nothing."""
    analysis = None
    digest = content_hash(draft)
    async with db.transaction() as conn:
        saved = await articles.save_draft(conn, draft, digest)
        if saved.outcome != "unchanged":
            analysis = analyze_article(draft.title, draft.lead, draft.body, draft.published_at)
            await stored_analysis.replace_analysis(
                conn, saved.id, analysis, version=ANALYSIS_VERSION, new_article=saved.outcome == "imported"
            )
    return saved


async def import_paths(
    db: Database, paths: list[Path], *, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Import every article file under `paths`; a bad file is reported and the rest still import."""
    report = ImportReport()
    files = list(find_article_files(paths))
    for done, path in enumerate(files, start=1):
        try:
            parsed = read_article_file(path)
        except ArticleFileError as exc:
            report.failed += 1
            report.errors.append(f"{path}: {exc}")
            continue
        for problem in parsed.problems:
            report.failed += 1
            report.errors.append(f"{path}: {problem}")
        for draft in parsed.drafts:
            try:
                saved = await save_article(db, draft)
            except Exception as exc:  # one article that breaks the analysis must not stop the batch
                log.exception("%s: could not import %r", path, draft.title[:80])
                report.failed += 1
                report.errors.append(f"{path}: {draft.title[:60]!r}: {type(exc).__name__}: {exc}")
                continue
            setattr(report, saved.outcome, getattr(report, saved.outcome) + 1)
            if saved.outcome != "unchanged":
                report.changed.append((saved.id, saved.outcome, draft.title))
        if progress:
            progress(done, len(files))
    return report


async def import_seeds_if_empty(db: Database, seeds_dir: Path) -> ImportReport | None:
    """On first start, fill an empty archive from the seeds folder so new users see content at once."""
    if await articles.count(db) > 0 or not seeds_dir.is_dir():
        return None
    return await import_paths(db, [seeds_dir])


async def reanalyse_outdated(db: Database, *, batch: int = 200) -> int:
    """Re-run the analysis on articles stored by an older analyser; returns how many were updated."""
    total = 0
    while stale := await articles.needing_analysis(db, ANALYSIS_VERSION, limit=batch):
        for article in stale:
            analysis = analyze_article(article.title, article.lead, article.body, article.published_at)
            async with db.transaction() as conn:
                await stored_analysis.replace_analysis(conn, article.id, analysis, version=ANALYSIS_VERSION)
        total += len(stale)
    return total
