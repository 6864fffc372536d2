"""Measure ingestion on real material: pages, feeds, and Aikyn's own pages, all served from 127.0.0.1 and read
through the bot's own fetcher, feed reader and extractor.

    python bench/evaluate_pages.py ../shared/web [--details]

Pages (WEB/pages + WEB/expected.json): an extraction keeps an expected fragment when the fragment is found in
title + lead + body (whitespace-normalised, case-folded); boilerplate fragments found count against it. Set against
`trafilatura.extract(html, url=url)` with default options on the same pages in the same run. Also: pages rejected,
pages held (by reason), titles still naming the site, leads repeating the opening paragraph, publication times kept
with their time of day where the page has one machine-readable, pictures named like a logo, and the time per page.

Feeds (WEB/feeds): every feed parsed; items with a web page (links made absolute), items without one (urn:uuid,
tag: ids), entries with a time (zones applied), entries that carry an update date, titles garbled by a charset.

Aikyn (WEB/aikyn_rebuilt): each page and its variants (most-read widget first, KZ-1048 declared in <meta> only)
against expected.json's true title, lead, paragraphs, views, time and picture; and the theme's feed polled into a
fresh database the way the bot does it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import trafilatura
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot import feeds
from bot.page_extract import NotAnArticle, extract_article
from bot.page_meta import parse_time
from bot.records import ArticleDraft
from bot.web_fetch import Fetcher
from storage import articles, open_database

# A machine-readable time of day in a page: JSON-LD date fields, meta content, <time datetime>; found by a plain
# scan of the HTML, independently of the extractor, to count the pages that have one.
_MACHINE_TIME = re.compile(
    r"""(?:"date(?:Published|Created)"\s*:\s*"|content=["']|datetime=["'])"""
    r"""(\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)""",
    re.IGNORECASE,
)
_SEPARATED_TAIL = re.compile(r"\s(?:\||-|–|—|›|»|::|·)\s+([^|–—›»·]+)$")


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@asynccontextmanager
async def serve(routes: dict[str, tuple[bytes, str]]) -> AsyncIterator[str]:
    """Serve `routes` (path → body, content type) from 127.0.0.1; yields the base URL."""

    async def handle(request: web.Request) -> web.Response:
        found = routes.get(request.path_qs) or routes.get(request.path)
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found[0], headers={"Content-Type": found[1]})

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def new_fetcher() -> Fetcher:
    return Fetcher(timeout=10.0, retries=0, backoff=0.0, pace_seconds=0.0)


# --- pages ---------------------------------------------------------------------------------------------------------


@dataclass
class PageScores:
    pages: int = 0
    expected: int = 0
    boilerplate: int = 0
    kept: dict[str, int] = field(default_factory=lambda: {"bot": 0, "trafilatura": 0})
    junk: dict[str, int] = field(default_factory=lambda: {"bot": 0, "trafilatura": 0})
    empty: dict[str, int] = field(default_factory=lambda: {"bot": 0, "trafilatura": 0})
    seconds: dict[str, float] = field(default_factory=lambda: {"bot": 0.0, "trafilatura": 0.0})
    held: Counter[str] = field(default_factory=Counter)
    site_in_title: dict[str, int] = field(default_factory=lambda: {"bot": 0, "trafilatura": 0})
    lead_repeated: int = 0
    with_lead: int = 0
    machine_time: int = 0
    time_kept: int = 0
    images: int = 0
    logo_images: int = 0
    details: list[str] = field(default_factory=list)


def names_site(title: str, url: str) -> bool:
    """The title ends (or starts) with a part that names the site: measured by the host name, not the extractor."""
    host = re.sub(r"^www\.", "", (re.match(r"https?://([^/:]+)", url) or ["", ""])[1]).split(".")
    label = max(host[:-1] or host, key=len).replace("-", "")
    match = _SEPARATED_TAIL.search(title)
    head = re.match(r"^([^|–—›»·]+?)\s(?:\||-|–|—|›|»|::|·)\s", title)
    parts = [p for p in (match[1] if match else "", head[1] if head else "") if p]
    return any(len(label) >= 4 and label[:6].casefold() in re.sub(r"\W", "", p.casefold()) for p in parts)


def score_page(
    scores: PageScores, name: str, expected: dict[str, list[str]], raw: bytes, url: str, draft: ArticleDraft | None
) -> None:
    """Score one page's extraction and trafilatura's on it (timing the latter)."""
    started = time.perf_counter()
    theirs = trafilatura.extract(raw, url=url) or ""
    scores.seconds["trafilatura"] += time.perf_counter() - started
    meta = trafilatura.extract_metadata(raw, default_url=url)
    if meta is not None and meta.title and names_site(meta.title, url):
        scores.site_in_title["trafilatura"] += 1
    ours = norm(" ".join([draft.title, draft.lead, draft.body])) if draft else ""
    scores.empty["bot"] += not ours
    scores.empty["trafilatura"] += not theirs.strip()
    texts = {"bot": ours, "trafilatura": norm(theirs)}
    for who, text in texts.items():
        scores.kept[who] += sum(norm(f) in text for f in expected["with"])
        scores.junk[who] += sum(norm(f) in text for f in expected["without"])
        if who == "bot":
            missed = [f for f in expected["with"] if norm(f) not in text]
            kept = [f for f in expected["without"] if norm(f) in text]
            if missed or kept:
                scores.details.append(f"{name}: missed {missed} kept {kept}")
    scores.expected += len(expected["with"])
    scores.boilerplate += len(expected["without"])
    if draft is not None:
        score_details(scores, raw, url, draft)


def score_details(scores: PageScores, raw: bytes, url: str, draft: ArticleDraft) -> None:
    if draft.hold_reason:
        scores.held[draft.hold_reason] += 1
    scores.site_in_title["bot"] += names_site(draft.title, url)
    paragraphs = draft.body.split("\n\n")
    if draft.lead:
        scores.with_lead += 1
        lead, first = norm(draft.lead).rstrip(" .…"), norm(paragraphs[0]).rstrip(" .…")
        scores.lead_repeated += first.startswith(lead) or lead.startswith(first)
    found = [parse_time(m) for m in _MACHINE_TIME.findall(raw.decode("utf-8", errors="replace"))]
    times = {t[0] for t in found if t is not None and t[1]}
    if times:
        scores.machine_time += 1
        scores.time_kept += draft.published_at in times
    if draft.image_url:
        scores.images += 1
        scores.logo_images += bool(re.search(r"logo", draft.image_url, re.IGNORECASE))


async def evaluate_pages(web_dir: Path) -> PageScores:
    expected = json.loads((web_dir / "expected.json").read_text())
    routes = {}
    for index, name in enumerate(sorted(expected)):
        routes[f"/p/{index}"] = ((web_dir / "pages" / name).read_bytes(), "text/html")
    scores = PageScores(pages=len(expected))
    fetcher = new_fetcher()
    async with serve(routes) as base:
        for index, (name, entry) in enumerate(sorted(expected.items())):
            page = await fetcher.get(f"{base}/p/{index}")
            started = time.perf_counter()
            try:
                draft: ArticleDraft | None = extract_article(page.text(), entry["url"])
            except NotAnArticle:
                draft = None
            scores.seconds["bot"] += time.perf_counter() - started
            score_page(scores, name, entry, page.content, entry["url"], draft)
    await fetcher.close()
    return scores


def print_pages(scores: PageScores, details: bool) -> None:
    def share(n: int, total: int) -> str:
        return f"{n}/{total} ({100 * n / total:.1f}%)" if total else "—"

    print(f"\nPages: {scores.pages} real news pages, each served from 127.0.0.1")
    print(f"{'':38} {'bot':>18} {'trafilatura defaults':>22}")
    rows = [
        ("expected fragments kept (higher better)", scores.kept, scores.expected),
        ("boilerplate fragments kept (lower better)", scores.junk, scores.boilerplate),
    ]
    for label, values, total in rows:
        print(f"{label:38} {share(values['bot'], total):>18} {share(values['trafilatura'], total):>22}")
    print(f"{'pages with no text':38} {scores.empty['bot']:>18} {scores.empty['trafilatura']:>22}")
    print(f"{'titles naming the site':38} {scores.site_in_title['bot']:>18} {scores.site_in_title['trafilatura']:>22}")
    ratio = scores.seconds["bot"] / scores.seconds["trafilatura"] if scores.seconds["trafilatura"] else 0
    per_page = 1000 * scores.seconds["bot"] / max(scores.pages, 1)
    print(f"{'time per page (bot / trafilatura)':38} {per_page:>15.0f} ms {ratio:>21.2f}×")
    print(f"held for editors: {sum(scores.held.values())} ({', '.join(f'{k} {v}' for k, v in scores.held.items())})")
    print(f"lead repeating the opening paragraph: {scores.lead_repeated} of {scores.with_lead} pages with a lead")
    print(
        f"time of day kept: {scores.time_kept} of {scores.machine_time} pages with a machine-readable time"
        f" (JSON-LD, meta, <time datetime>)"
    )
    print(f"pictures: {scores.images} pages, {scores.logo_images} named like a logo")
    if details:
        print("\n".join(scores.details))


# --- feeds ---------------------------------------------------------------------------------------------------------


@dataclass
class FeedRow:
    name: str
    entries: int = 0
    linked: int = 0
    relative: int = 0
    no_page: int = 0
    timed: int = 0
    updated: int = 0
    garbled: int = 0
    problem: str = ""


_GARBLED = re.compile(r"\ufffd|Ã.|Ð.|Ñ.|â€")


def feed_row(name: str, raw: bytes, parsed: feeds.ParsedFeed) -> FeedRow:
    text = raw.decode("latin-1")
    row = FeedRow(name, entries=len(parsed.items), problem=parsed.problem)
    relative_links = re.findall(r"""<link[^>]*?(?:href=["']|>)\s*(?!https?:|urn:|tag:)([./\w][^"'<\s]*)""", text)
    row.relative = len([r for r in relative_links if not r.startswith(("http", "<"))])
    for item in parsed.items:
        row.linked += item.link is not None
        row.no_page += item.link is None
        row.timed += item.published_at is not None
        row.garbled += bool(_GARBLED.search(item.title))
    first_entry = min((i for i in (text.find("<entry"), text.find("<item")) if i >= 0), default=len(text))
    row.updated = len(re.findall(r"<(?:atom:)?updated>", text[first_entry:]))
    return row


async def evaluate_feeds(web_dir: Path) -> list[FeedRow]:
    files = sorted(p for p in (web_dir / "feeds").rglob("*") if p.is_file())
    routes = {f"/f/{i}": (p.read_bytes(), "application/xml") for i, p in enumerate(files)}
    rows = []
    fetcher = new_fetcher()
    async with serve(routes) as base:
        for index, path in enumerate(files):
            url = f"{base}/f/{index}"
            fetched = await fetcher.get(url)
            parsed = feeds.parse_feed(fetched.content, url, fetched.content_type)
            rows.append(feed_row(str(path.relative_to(web_dir / "feeds")), fetched.content, parsed))
    await fetcher.close()
    return rows


def print_feeds(rows: list[FeedRow], details: bool) -> None:
    print(f"\nFeeds: {len(rows)} real RSS/Atom feeds, each served from 127.0.0.1 as application/xml (no charset)")
    names = ("entries", "linked", "relative", "no_page", "timed", "updated", "garbled")
    header = ("items", "web page", "relative", "no page", "timed", "updated", "garbled")
    print(f"{'feed':40} " + " ".join(f"{h:>8}" for h in header) + "  problem")
    total = FeedRow("total")
    for row in rows:
        for name in names:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        if details or row.problem or row.garbled or row.no_page or row.relative or row.entries != row.timed:
            cells = [getattr(row, name) for name in names]
            print(f"{row.name[:40]:40} " + " ".join(f"{c:>8}" for c in cells) + f"  {row.problem[:40]}")
    print(f"{'all feeds':40} " + " ".join(f"{getattr(total, name):>8}" for name in names))
    print(
        f"feeds read: {sum(not r.problem for r in rows)} of {len(rows)}; items with a web page: every link absolute"
        " http(s) (relative ones resolved against the feed's address); 'no page': only a non-web id; 'timed': a time"
        " with its zone applied; 'updated': entries carrying an update date"
    )


async def evaluate_failing_feed(items: int = 730, polls: int = 12) -> list[int]:
    """Page requests per 5-minute poll of a feed whose every page answers 404 (the size of the 730-item podcast
    feed among the real ones): bounded per poll, and each page given up after its third 404."""
    routes: dict[str, tuple[bytes, str]] = {}
    requests: list[int] = []
    async with serve(routes) as base:
        entries = "".join(f"<item><title>{n}</title><link>{base}/gone/{n}</link></item>" for n in range(items))
        routes["/feed"] = (
            f'<rss version="2.0"><channel><title>x</title>{entries}</channel></rss>'.encode(),
            "application/rss+xml",
        )
        fetcher = new_fetcher()
        with tempfile.TemporaryDirectory() as folder:
            db = await open_database(Path(folder) / "bench.sqlite3")
            start = datetime(2026, 1, 5, 6, 0).astimezone()
            for poll in range(polls):
                report = await feeds.poll_feed(db, fetcher, f"{base}/feed", start + timedelta(minutes=5 * poll))
                requests.append(report.fetches)
            await db.close()
        await fetcher.close()
    return requests


# --- Aikyn ---------------------------------------------------------------------------------------------------------


@dataclass
class AikynCheck:
    page: str
    checks: dict[str, bool]


def check_aikyn(draft: ArticleDraft, truth: dict[str, object], rewrite: Callable[[str], str]) -> dict[str, bool]:
    published = datetime.fromisoformat(str(truth["published"]))
    body = draft.body.split("\n\n")
    image = truth.get("image")
    return {
        "title": draft.title == truth["title"],
        "lead": draft.lead == truth["lead"],
        "paragraphs": body == [" ".join(str(p).split()) for p in truth["body"]],  # type: ignore[attr-defined]
        "views": draft.views == truth["views"],
        "time": draft.published_at == published,
        "image": draft.image_url == (rewrite(str(image)) if image else None),
        "promo": not any("Telegram" in p and "арна" in p for p in body),
        "not held": not draft.hold_reason,
    }


async def evaluate_aikyn(web_dir: Path) -> list[AikynCheck]:
    root = web_dir / "aikyn_rebuilt"
    truth = json.loads((root / "expected.json").read_text())
    routes: dict[str, tuple[bytes, str]] = {}
    results = []
    async with serve(routes) as base:

        def rewrite(url: str) -> str:
            return url.replace("http://127.0.0.1:8765", base)

        for url, entry in truth.items():
            stem = entry["file"].removesuffix(".html")
            for variant in (f"{stem}.html", f"{stem}-mostreadfirst.html", f"{stem}.kz1048.html"):
                raw = (root / "pages" / variant).read_bytes().replace(b"http://127.0.0.1:8765", base.encode())
                path = f"/variant/{variant}"
                routes[path] = (raw, "text/html")
                if variant == f"{stem}.html":
                    routes[rewrite(url).removeprefix(base)] = (raw, "text/html")
        routes["/rss"] = (
            (root / "feed.xml").read_bytes().replace(b"http://127.0.0.1:8765", base.encode()),
            "application/rss+xml",
        )
        fetcher = new_fetcher()
        for url, entry in truth.items():
            stem = entry["file"].removesuffix(".html")
            for variant in (f"{stem}.html", f"{stem}-mostreadfirst.html", f"{stem}.kz1048.html"):
                page = await fetcher.get(f"{base}/variant/{variant}")
                draft = extract_article(page.text(), rewrite(url))
                results.append(AikynCheck(variant, check_aikyn(draft, entry, rewrite)))
        results += await _aikyn_feed(fetcher, base, truth, rewrite, routes)
        await fetcher.close()
    return results


async def _aikyn_feed(
    fetcher: Fetcher,
    base: str,
    truth: dict[str, dict[str, object]],
    rewrite: Callable[[str], str],
    routes: dict[str, tuple[bytes, str]],
) -> list[AikynCheck]:
    """The theme's feed polled into a fresh database the day after its newest item, each stored article checked;
    then one page corrected (the feed, carrying only pubDate, says nothing) and polled again two hours later."""
    results = []
    newest = max(datetime.fromisoformat(str(entry["published"])) for entry in truth.values())
    now = newest + timedelta(days=1)
    with tempfile.TemporaryDirectory() as folder:
        db = await open_database(Path(folder) / "bench.sqlite3")
        report = await feeds.poll_feed(db, fetcher, f"{base}/rss", now)
        for url, entry in truth.items():
            article_id = await articles.id_by_url(db, rewrite(url))
            article = await articles.get(db, article_id) if article_id else None
            if article is None:
                results.append(AikynCheck(f"feed: {entry['file']}", {"stored": False}))
                continue
            draft = ArticleDraft(
                title=article.title,
                body=article.body,
                lead=article.lead,
                published_at=article.published_at,
                views=article.views,
                image_url=article.image_url,
                hold_reason=article.held_reason or "",
            )
            results.append(AikynCheck(f"feed: {entry['file']}", check_aikyn(draft, entry, rewrite)))
        print(f"\nAikyn feed poll: {report.summary()}")
        newest_url = next(rewrite(u) for u, e in truth.items() if datetime.fromisoformat(str(e["published"])) == newest)
        path = newest_url.removeprefix(base)
        page, kind = routes[path]
        routes[path] = (page.replace(b"</p>", " (Түзетілді.)</p>".encode(), 1), kind)
        again = await feeds.poll_feed(db, fetcher, f"{base}/rss", now + timedelta(hours=2))
        print(f"a page corrected, the feed unchanged, polled 2 hours later: {again.summary()}")
        await db.close()
    return results


def print_aikyn(results: list[AikynCheck]) -> None:
    names = list(dict.fromkeys(name for r in results for name in r.checks))
    print(f"\nAikyn pages (rebuilt theme): {len(results)} extractions; ✓ = equal to expected.json")
    print(f"{'page':34} " + " ".join(f"{n:>10}" for n in names))
    for result in results:
        cells = ["✓" if result.checks.get(n) else ("✗" if n in result.checks else "·") for n in names]
        print(f"{result.page[:34]:34} " + " ".join(f"{c:>10}" for c in cells))
    right = sum(all(r.checks.values()) for r in results)
    print(f"all fields right: {right} of {len(results)}")


async def main_async(web_dir: Path, details: bool) -> None:
    print_pages(await evaluate_pages(web_dir), details)
    print_feeds(await evaluate_feeds(web_dir), details)
    per_poll = await evaluate_failing_feed()
    print(
        f"a 730-item feed whose pages all answer 404, polled every 5 minutes: page requests per poll {per_poll}"
        f" (at most {feeds.MAX_PAGE_FETCHES}, so at most {feeds.MAX_PAGE_FETCHES} s at 1 request/s)"
    )
    print_aikyn(await evaluate_aikyn(web_dir))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("web", type=Path, help="the folder with pages/, expected.json, feeds/, aikyn_rebuilt/")
    parser.add_argument("--details", action="store_true", help="per-page misses and every feed")
    args = parser.parse_args()
    logging.getLogger("bot").setLevel(logging.ERROR)  # each failed page would be a warning line
    asyncio.run(main_async(args.web, args.details))


if __name__ == "__main__":
    main()
