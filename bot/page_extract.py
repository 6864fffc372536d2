"""An article page's HTML to an article: trafilatura for the generic work, Aikyn's own layout on top. Pure."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import trafilatura
from trafilatura.settings import Document

from bot.article_files import MAX_TITLE_CHARS, is_promo, is_views_marker, view_count
from bot.records import ArticleDraft

_PUBLISHED_META = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)=["'](?:article:published_time|datePublished|pubdate)["'][^>]*"""
    r"""content=["']([^"']+)["']""",
    re.IGNORECASE,
)
ALMATY = ZoneInfo("Asia/Almaty")
# «1,142» in one element and «оқылды» in the next, as Aikyn's article pages show the view count
_VIEWS_IN_HTML = re.compile(r">\s*(\d{1,3}(?:[,\u00a0 ]\d{3})*|\d+)\s*(?:<[^>]+>\s*){1,6}оқылды", re.IGNORECASE)


class NotAnArticle(Exception):
    """The page holds no article text (a listing, an error page, an empty shell)."""


def extract_article(html: str, url: str, *, source: str = "") -> tuple[ArticleDraft, str | None]:
    """(article, image URL) from a page; raises NotAnArticle when there is no article text."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if not isinstance(document, Document) or not (document.text or "").strip():
        raise NotAnArticle("no article text found on the page")
    title = " ".join((document.title or "").split())
    lines = [" ".join(line.split()) for line in (document.text or "").splitlines()]
    lines = [line for line in lines if line]
    views = None
    # Aikyn's layout: the title repeated, then the view count and «оқылды» before the body
    for index, line in enumerate(lines[:6]):
        if is_views_marker(line) and index > 0 and view_count(lines[index - 1]) is not None:
            views = view_count(lines[index - 1])
            lines = lines[index + 1 :]
            break
    if views is None:
        views_match = _VIEWS_IN_HTML.search(html)
        views = view_count(views_match[1]) if views_match else None
    if lines and title and lines[0] == title:
        lines = lines[1:]
    while lines and is_promo(lines[-1]):
        lines.pop()
    if not title and lines:
        title = lines.pop(0)
    if not lines:
        raise NotAnArticle("the page has a title but no body")
    lead = " ".join((document.description or "").split())
    if lead in (title, lines[0]) or len(lead) < 20:
        lead = ""
    return (
        ArticleDraft(
            title=title[:MAX_TITLE_CHARS],
            lead=lead,
            body="\n\n".join(lines),
            url=url,
            published_at=_published_at(html, document.date),
            views=views,
            source=source or url,
        ),
        getattr(document, "image", None),
    )


def _published_at(html: str, day: str | None) -> datetime | None:
    """The page's publication time: the full timestamp from its meta tags, else trafilatura's day (Almaty noon)."""
    match = _PUBLISHED_META.search(html)
    if match:
        try:
            moment = datetime.fromisoformat(match[1].strip().replace("Z", "+00:00"))
            return (moment if moment.tzinfo else moment.replace(tzinfo=ALMATY)).astimezone(UTC)
        except ValueError:
            pass
    if day:
        try:
            return datetime.fromisoformat(day).replace(hour=12, tzinfo=ALMATY).astimezone(UTC)
        except ValueError:
            return None
    return None
