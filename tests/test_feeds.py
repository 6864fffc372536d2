"""Feeds and article pages served from 127.0.0.1, shaped like a news site's; and editors sending articles."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot import feeds, posting
from bot.services import services
from bot.web_fetch import Fetcher
from storage import Database, articles, feed_state
from storage.timestamps import utc_now
from tests.harness import ADMIN_ID, READER_ID, running_bot, wait_until

PAGE = """<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>{title} | Айқын</title>
<meta name="description" content="{lead}">
<meta property="og:image" content="https://aikyn.example/img/{n}.jpg">
<meta property="article:published_time" content="2026-11-24T09:30:00+05:00"></head>
<body><header><nav><a href="/">Басты бет</a> <a href="/saiasat">Саясат</a> <a href="/qogam">Қоғам</a></nav></header>
<main><article><h1>{title}</h1><div class="views">1,142</div><div>оқылды</div>
{paragraphs}
<p>Сараптама, зерттеу мақала, күнделікті өзекті ақпаратты «Айқынның» Telegram арнасынан таба аласыз.</p>
</article><aside><h3>Ұқсас жаңалықтар</h3><ul><li><a href="/x">Басқа жаңалық</a></li>
<li><a href="/y">Тағы бір жаңалық</a></li></ul></aside></main>
<footer>© 2026 Айқын. Барлық құқықтар қорғалған.</footer></body></html>"""

PARAGRAPHS = [
    "Қарағандыда жаңа мектеп ашылды. Мектеп 1200 оқушыға арналған, онда заманауи зертханалар бар.",
    "«Мектеп құрылысы 2024 жылы басталған еді, биыл мерзімінде аяқталды», – деді облыс әкімінің орынбасары "
    "Айгүл Серікова.",
    "Ашылу салтанатына ата-аналар мен ұстаздар қатысты. Мектепте спорт залы мен кітапхана жұмыс істейді.",
]


@dataclass
class Site:
    """A tiny news site: a feed, article pages, and pages that misbehave."""

    items: dict[str, dict[str, str]] = field(default_factory=dict)
    feed_etag: str = '"v1"'
    requests: list[str] = field(default_factory=list)
    base: str = ""
    # set when the site closes, so a page that answers too late does not hold up the test's teardown
    closing: asyncio.Event = field(default_factory=asyncio.Event)

    def page(self, n: int, title: str, paragraphs: list[str]) -> str:
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        return PAGE.format(
            title=title, lead="Қарағандыда 1200 орындық жаңа мектеп пайдалануға берілді.", paragraphs=body, n=n
        )

    def feed(self) -> str:
        entries = []
        for path, item in self.items.items():
            link = f"<link>{self.base}{path}</link>" if path != "nolink" else ""
            entries.append(f"<item><title>{item['title']}</title>{link}<pubDate>{item['date']}</pubDate></item>")
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Айқын</title>'
            f"<link>{self.base}/</link>{''.join(entries)}</channel></rss>"
        )

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path)
        path = request.path
        if path == "/rss.xml":
            if request.headers.get("If-None-Match") == self.feed_etag:
                return web.Response(status=304)
            return web.Response(text=self.feed(), content_type="application/rss+xml", headers={"ETag": self.feed_etag})
        if path == "/broken.xml":
            return web.Response(text="<rss><channel><item><title>жартылай", content_type="application/rss+xml")
        if path == "/news/missing":
            return web.Response(status=404, text="Бет табылмады")
        if path == "/news/error":
            return web.Response(status=500, text="Сервер қатесі")
        if path == "/news/slow":  # answers after the fetcher's timeout, or at once when the site closes
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), 3)
            return web.Response(text="кеш")
        if path == "/news/huge":
            response = web.StreamResponse(headers={"Content-Type": "text/html"})
            await response.prepare(request)
            chunk = b"<p>" + b"x" * (1024 * 1024) + b"</p>"
            try:
                for _ in range(20):
                    await response.write(chunk)
            except (ConnectionResetError, RuntimeError):
                pass
            return response
        if path == "/news/cp1251":
            html = self.page(
                9,
                "Новый парк открыт в Алматы",
                [
                    "В Алматы открыли новый парк площадью 12 гектаров. В нём высажено более 3000 деревьев.",
                    "Строительство парка началось в 2023 году и завершилось этой осенью, сообщили в акимате.",
                ],
            )
            return web.Response(
                body=html.encode("cp1251", errors="replace"),
                headers={"Content-Type": "text/html; charset=windows-1251"},
            )
        if path in self.items:
            return web.Response(text=self.items[path]["html"], content_type="text/html")
        return web.Response(status=404)


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    site = Site()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", site.handle)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    assert tcp._server is not None
    site.base = f"http://127.0.0.1:{tcp._server.sockets[0].getsockname()[1]}"
    site.items["/news/1"] = {
        "title": "Қарағандыда жаңа мектеп ашылды",
        "date": "Mon, 24 Nov 2026 04:30:00 GMT",
        "html": site.page(1, "Қарағандыда жаңа мектеп ашылды", PARAGRAPHS),
    }
    yield site
    site.closing.set()
    await runner.cleanup()


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    fetcher = Fetcher(timeout=0.5, retries=1, backoff=0.0, pace_seconds=0.0, max_bytes=5 * 1024 * 1024)
    yield fetcher
    await fetcher.close()


async def test_new_items_are_imported_once_with_aikyn_layout_recognised(
    fresh_db: Database, site: Site, fetcher: Fetcher
) -> None:
    report = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", utc_now())
    assert (report.imported, report.failed, report.problem) == (1, 0, "")
    article = await articles.get(fresh_db, 1)
    assert article is not None
    assert article.title == "Қарағандыда жаңа мектеп ашылды"
    assert article.url == f"{site.base}/news/1"
    assert article.views == 1142
    assert article.paragraphs == PARAGRAPHS
    assert article.lead.startswith("Қарағандыда 1200 орындық")
    assert article.published_at is not None and article.published_at.isoformat() == "2026-11-24T04:30:00+00:00"
    assert "Басты бет" not in article.body and "Ұқсас жаңалықтар" not in article.body
    again = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", utc_now())
    assert (again.imported, again.updated) == (0, 0)
    assert await articles.count(fresh_db) == 1
    [status] = await feed_state.statuses(fresh_db)
    assert status.last_result == "not modified"


async def test_a_changed_article_is_updated_not_duplicated(fresh_db: Database, site: Site, fetcher: Fetcher) -> None:
    await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", utc_now())
    site.items["/news/1"]["html"] = site.page(
        1, "Қарағандыда жаңа мектеп ашылды", [*PARAGRAPHS, "Түзету: мектеп 1250 оқушыға арналған."]
    )
    site.items["/news/1"]["date"] = "Mon, 24 Nov 2026 08:00:00 GMT"
    site.feed_etag = '"v2"'
    report = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", utc_now())
    assert (report.imported, report.updated) == (0, 1)
    article = await articles.get(fresh_db, 1)
    assert article is not None and article.body.endswith("1250 оқушыға арналған.")
    assert await articles.count(fresh_db) == 1


async def test_bad_items_and_feeds_are_logged_and_survived(
    fresh_db: Database, site: Site, fetcher: Fetcher, caplog
) -> None:  # type: ignore[no-untyped-def]
    for path in ["/news/missing", "/news/error", "/news/slow", "/news/huge"]:
        site.items[path] = {"title": path, "date": "Mon, 24 Nov 2026 04:30:00 GMT", "html": ""}
    site.items["/news/cp1251"] = {"title": "Новый парк", "date": "Mon, 24 Nov 2026 04:30:00 GMT", "html": ""}
    site.items["nolink"] = {"title": "Сілтемесі жоқ жаңалық", "date": "Mon, 24 Nov 2026 04:30:00 GMT", "html": ""}
    report = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", utc_now())
    assert report.imported == 2  # the good page and the windows-1251 one
    assert report.failed == 5
    reasons = " | ".join(report.errors)
    for expected in ["HTTP 404", "HTTP 500", "timed out", "too large", "item without a link"]:
        assert expected in reasons
    parks = await articles.search(fresh_db, ["парк"], limit=5)
    assert parks[1] == 1 and parks[0][0].title == "Новый парк"
    broken = await feeds.poll_all(fresh_db, fetcher, (f"{site.base}/broken.xml", f"{site.base}/nothing.xml"), utc_now())
    assert "malformed feed" in broken[0].errors[0] and "HTTP 404" in broken[1].problem
    statuses = {s.url.rsplit("/", 1)[-1]: s.last_result for s in await feed_state.statuses(fresh_db)}
    assert "malformed feed" in statuses["broken.xml"]
    assert statuses["nothing.xml"].startswith("error: feed not fetched: HTTP 404")
    assert "item without a link" in caplog.text


async def test_crash_between_storing_and_remembering_an_item_imports_nothing_twice(
    fresh_db: Database, site: Site, fetcher: Fetcher, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    async def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(feed_state, "remember_item", crash)
    with pytest.raises(RuntimeError):
        await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", utc_now())
    monkeypatch.undo()
    report = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", utc_now())
    assert (report.imported, report.unchanged) == (0, 1)
    assert await articles.count(fresh_db) == 1


async def test_the_running_bot_polls_feeds_and_new_articles_reach_the_next_slot(tmp_path: Path, site: Site) -> None:
    # the bot's clock on the feed's day: slots take only articles of the last few days
    the_next_morning = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    async with running_bot(
        tmp_path,
        feed_urls=(f"{site.base}/rss.xml",),
        fetcher_options={"pace_seconds": 0.0, "timeout": 2.0},
        clock=lambda: the_next_morning,
    ) as bot:
        svc = services(bot.app)
        await bot.fake.wait_for(lambda: "/news/1" in site.requests, timeout=10)
        await wait_until(lambda: articles.id_by_url(svc.db, f"{site.base}/news/1"))
        # two slots: the seed (imported just now, so newest) goes first, the feed's article next
        slot = the_next_morning
        assert await posting.create_slot_post(svc, slot) is not None
        assert await posting.create_slot_post(svc, slot - timedelta(minutes=1)) is not None
        await bot.fake.wait_for(lambda: len(bot.channel_posts()) == 2)
        [post] = [c for c in bot.channel_posts() if "Қарағандыда жаңа мектеп ашылды" in c.params["text"]]
        # the page's own link preview carries its photo above the text: one message, no 1,024-character caption
        assert post.params["link_preview_options"] == {
            "is_disabled": False,
            "url": f"{site.base}/news/1",
            "prefer_large_media": True,
            "show_above_text": True,
        }
        [status] = await bot.ask("/status", user_id=ADMIN_ID)
        assert "rss.xml" in status and "new 1" in status


async def test_an_editor_sends_a_file_or_pastes_an_article_and_gets_it_imported(tmp_path: Path) -> None:
    article_text = (
        "Лид жолы: Павлодарда көпір ашылды.\nПавлодарда жаңа көпір ашылды\n310\nоқылды\n\n"
        "Көпірдің ұзындығы 800 метр. Құрылыс 2023 жылы басталған.\n\n"
        "«Көпір екі ауданды жалғайды», – деді қала әкімі Нұрлан Бекетов."
    )
    async with running_bot(tmp_path) as bot:
        update = bot.fake.add_update(bot.fake.user_document(article_text.encode(), "kopir.txt", user_id=ADMIN_ID))
        replies = await bot.replies_to(update, count=2)
        assert "№2 (жаңа): Павлодарда жаңа көпір ашылды" in replies[0].params["text"]
        assert replies[1].params["text"].startswith("<b>Павлодарда жаңа көпір ашылды</b>")
        pasted = "Ақтөбеде жаңа саябақ ашылды\n\n" + "Саябақта 500 ағаш отырғызылды, балаларға арналған алаң бар. " * 4
        [confirmation, _preview] = await bot.ask(pasted, user_id=ADMIN_ID, count=2)
        assert "№3 (жаңа): Ақтөбеде жаңа саябақ ашылды" in confirmation
        stranger = bot.fake.add_update(bot.fake.user_document(article_text.encode(), "x.txt", user_id=READER_ID))
        [refused] = await bot.replies_to(stranger)
        assert "мәтінді" in refused.params["text"]
        [not_imported] = await bot.ask(pasted, user_id=READER_ID)
        assert "Командалар" in not_imported
        assert await articles.count(services(bot.app).db) == 3
        bad = bot.fake.add_update(bot.fake.user_document(b"\x00\x01binary", "bad.txt", user_id=ADMIN_ID))
        [error] = await bot.replies_to(bad)
        assert "binary file" in error.params["text"]
