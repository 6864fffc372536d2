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

from bot import feed_lines, feeds, importer, posting
from bot.article_files import parse_article_text
from bot.services import services
from bot.web_fetch import Fetcher
from storage import Database, articles, feed_state, posts
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
    # other documents served as they are: path → (body, Content-Type)
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    # conditional requests seen: (path, If-None-Match)
    conditional: list[tuple[str, str]] = field(default_factory=list)
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
                    "В парке есть велодорожки, детские площадки и пруд. Вход в парк бесплатный, он открыт "
                    "круглосуточно, а по выходным там будут проходить концерты.",
                ],
            )
            return web.Response(
                body=html.encode("cp1251", errors="replace"),
                headers={"Content-Type": "text/html; charset=windows-1251"},
            )
        if path in self.files:
            body, content_type = self.files[path]
            return web.Response(body=body, headers={"Content-Type": content_type})
        if path in self.items:
            return self.item_page(request, self.items[path])
        return web.Response(status=404)

    def item_page(self, request: web.Request, item: dict[str, str]) -> web.Response:
        """An article page; with an "etag" it answers a matching If-None-Match with 304."""
        if request.headers.get("If-None-Match"):
            self.conditional.append((request.path, request.headers["If-None-Match"]))
        if item.get("etag") and request.headers.get("If-None-Match") == item["etag"]:
            return web.Response(status=304)
        headers = {"ETag": item["etag"]} if item.get("etag") else {}
        return web.Response(text=item["html"], content_type="text/html", headers=headers)


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
    assert status.last_result == "not modified" and feed_lines.result("kk", status) == "лента өзгермеген"
    assert feed_lines.result("ru", status) == "лента не изменилась"


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
    assert (report.failed, report.no_link) == (4, 1)
    reasons = " | ".join(report.errors)
    for expected in ["HTTP 404", "HTTP 500", "timed out", "too large"]:
        assert expected in reasons
    parks = await articles.search(fresh_db, ["парк"], limit=5)
    assert parks[1] == 1 and parks[0][0].title == "Новый парк"
    [status] = await feed_state.statuses(fresh_db)
    # the feed was read: only some of its pages failed, and /status says so rather than calling the feed broken
    line = feed_lines.result("kk", status)
    assert line.startswith("жаңа 2, жаңартылды 0, өзгеріссіз 0, бет алынбады 4 (бет табылмады, сайт жауабы 404)")
    assert "сілтемесіз 1" in line
    russian = feed_lines.result("ru", status)
    assert russian.startswith("новых 2, обновлено 0, без изменений 0, страниц не получено 4 (страница не найдена")
    assert "без ссылки 1" in russian
    broken = await feeds.poll_all(fresh_db, fetcher, (f"{site.base}/broken.xml", f"{site.base}/nothing.xml"), utc_now())
    assert (broken[0].problem, broken[0].items, broken[0].no_link) == ("", 1, 1)  # what feedparser recovered
    assert broken[1].problem == "http 404"
    statuses = {s.url.rsplit("/", 1)[-1]: s for s in await feed_state.statuses(fresh_db)}
    assert feed_lines.result("kk", statuses["nothing.xml"]) == "лента оқылмады: бет табылмады, сайт жауабы 404"
    assert (
        feed_lines.result("ru", statuses["nothing.xml"])
        == "ленту прочитать не удалось: страница не найдена, ответ сайта 404"
    )
    assert "HTTP 404" in caplog.text


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
        assert "rss.xml" in status and "жаңа 1" in status


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
        assert "bad.txt: бұл мәтін емес" in error.params["text"]


async def test_relative_links_are_resolved_and_non_web_ids_never_fetched(
    fresh_db: Database, site: Site, fetcher: Fetcher
) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Айқын</title>
<id>urn:uuid:0f3c5e2a</id><updated>2026-11-24T09:30:00+05:00</updated>
<entry><title>Қарағандыда жаңа мектеп ашылды</title><link rel="alternate" href="../news/1"/><id>urn:uuid:aa11</id>
<updated>2026-11-24T09:30:00+05:00</updated></entry>
<entry><title>Сілтемесіз жазба</title><id>urn:uuid:bb22</id><updated>2026-11-24T10:00:00+05:00</updated></entry>
</feed>"""
    rss = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Айқын</title>
<item><title>Тегпен белгіленген жазба</title><guid>tag:aikyn.example,2026:7</guid>
<pubDate>Mon, 24 Nov 2026 05:00:00 GMT</pubDate></item></channel></rss>"""
    site.files["/feeds/atom.xml"] = (atom.encode(), "application/atom+xml")
    site.files["/feeds/tags.xml"] = (rss.encode(), "application/rss+xml")
    urls = (f"{site.base}/feeds/atom.xml", f"{site.base}/feeds/tags.xml")
    reports = await feeds.poll_all(fresh_db, fetcher, urls, utc_now())
    assert [(r.imported, r.no_link, r.failed) for r in reports] == [(1, 1, 0), (0, 1, 0)]
    assert site.requests == ["/feeds/atom.xml", "/news/1", "/feeds/tags.xml"]
    article = await articles.get(fresh_db, 1)
    assert article is not None and article.url == f"{site.base}/news/1"
    assert article.published_at == datetime(2026, 11, 24, 4, 30, tzinfo=UTC)  # the entry's zone applied


async def test_failing_pages_are_tried_less_often_then_given_up_and_status_says_why(
    fresh_db: Database, site: Site, fetcher: Fetcher
) -> None:
    site.items["/news/missing"] = {"title": "Өшірілген жаңалық", "date": "Mon, 24 Nov 2026 04:30:00 GMT", "html": ""}
    start = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    tries = []
    for minutes in (0, 5, 10, 20, 31, 60, 24 * 60):
        await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", start + timedelta(minutes=minutes))
        tries.append(site.requests.count("/news/missing"))
    # 10 minutes after the first failure, then 20 after the second; a 404 three times running is given up
    assert tries == [1, 1, 2, 2, 3, 3, 3]
    [status] = await feed_state.statuses(fresh_db)
    assert status.given_up == (feed_state.GivenUp("http 404", 1),)
    assert feed_lines.result("kk", status).endswith("; 1 бет енді алынбайды (бет табылмады, сайт жауабы 404)")
    assert feed_lines.result("ru", status).endswith(
        "; страниц больше не запрашивается: 1 (страница не найдена, ответ сайта 404)"
    )
    assert "malformed" not in status.last_result


async def test_a_poll_fetches_a_bounded_number_of_pages_and_the_rest_come_next_time(
    fresh_db: Database, site: Site, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds, "MAX_PAGE_FETCHES", 2)
    for n in range(2, 6):
        html = site.page(n, f"Жаңалық {n}", [f"{p} ({n})" for p in PARAGRAPHS])
        site.items[f"/news/{n}"] = {"title": f"Жаңалық {n}", "date": "Mon, 24 Nov 2026 04:30:00 GMT", "html": html}
    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    first = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", now)
    assert (first.imported, first.fetches, first.waiting) == (2, 2, 3)
    # the feed has not changed (304), and the items it listed still come in
    second = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", now + timedelta(minutes=5))
    third = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", now + timedelta(minutes=10))
    assert (second.imported, third.imported, third.waiting) == (2, 1, 0)
    assert await articles.count(fresh_db) == 5
    assert {a.title for a in [await articles.get(fresh_db, i) for i in range(1, 6)] if a} >= {"Жаңалық 5"}


async def test_charsets_from_the_http_header_and_the_page_meta(
    fresh_db: Database, site: Site, fetcher: Fetcher
) -> None:
    kazakh_page = site.page(3, "Өскеменде жаңа саябақ ашылды", [p.replace("мектеп", "саябақ") for p in PARAGRAPHS])
    kazakh_page = kazakh_page.replace('<meta charset="utf-8">', '<meta charset="KZ-1048">')
    site.files["/news/kz"] = (kazakh_page.encode("kz1048"), "text/html")  # declared only in the page
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Айқын</title>
<item><title>Өскеменде жаңа саябақ ашылды</title><link>{site.base}/news/kz</link>
<pubDate>Mon, 24 Nov 2026 04:30:00 GMT</pubDate></item></channel></rss>"""
    # the feed's charset is only in the HTTP header
    site.files["/feeds/cp1251.xml"] = (feed.encode("kz1048"), "application/rss+xml; charset=kz1048")
    report = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/feeds/cp1251.xml", utc_now())
    assert (report.imported, report.failed) == (1, 0)
    article = await articles.get(fresh_db, 1)
    assert article is not None and article.title == "Өскеменде жаңа саябақ ашылды"
    assert article.paragraphs[0].startswith("Қарағандыда жаңа саябақ ашылды")


async def test_corrections_arrive_from_a_feed_that_carries_only_publication_dates(
    fresh_db: Database, site: Site, fetcher: Fetcher
) -> None:
    site.items["/news/1"]["etag"] = '"p1"'
    published = datetime(2026, 11, 24, 4, 30, tzinfo=UTC)
    await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", published + timedelta(minutes=10))
    post_id = await posts.create(fresh_db, 1, published, "now", created_by=None, now=published)
    assert post_id is not None
    await posts.mark_sent(fresh_db, post_id, 555, published, text="<b>Қарағандыда жаңа мектеп ашылды</b>")
    # an hour later the page is asked again, conditionally: unchanged, so 304
    unchanged = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", published + timedelta(minutes=75))
    assert (unchanged.fetches, unchanged.unchanged, unchanged.changes) == (1, 1, [])
    assert site.conditional == [("/news/1", '"p1"')]
    # the page is corrected; the feed still says nothing (same pubDate, same ETag for the feed)
    site.items["/news/1"]["html"] = site.page(1, "Қарағандыда жаңа мектеп ашылды", [*PARAGRAPHS, "Түзету енгізілді."])
    site.items["/news/1"]["etag"] = '"p2"'
    soon = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", published + timedelta(minutes=90))
    assert soon.fetches == 0  # checked 15 minutes ago: not yet
    later = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", published + timedelta(hours=3))
    assert later.updated == 1
    assert later.changes == [feeds.ArticleChange(1, "Қарағандыда жаңа мектеп ашылды", (post_id,))]
    article = await articles.get(fresh_db, 1)
    assert article is not None and article.paragraphs[-1] == "Түзету енгізілді."
    # pages older than the re-check window are left alone
    old = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", published + timedelta(days=5))
    assert old.fetches == 0


async def test_one_article_whatever_the_source_and_the_spelling_of_its_url(
    fresh_db: Database, site: Site, fetcher: Fetcher
) -> None:
    text_file = (
        "Қарағандыда 1200 орындық жаңа мектеп пайдалануға берілді.\nҚарағандыда жаңа мектеп ашылды\n1,142\nоқылды\n\n"
        + "\n\n".join(PARAGRAPHS)
    )
    await importer.save_article(fresh_db, parse_article_text(text_file, source="editor.txt"))
    report = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/rss.xml", utc_now())
    assert (report.imported, report.updated + report.unchanged) == (0, 1)
    article = await articles.get(fresh_db, 1)
    assert article is not None and article.url == f"{site.base}/news/1"  # the file's article learnt its address
    # another feed gives the same page with a trailing slash, a tracking parameter and as its AMP page
    for path in ("/news/1/", "/news/1/amp"):
        site.items[path] = dict(site.items["/news/1"])
    other = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Басқа лента</title>
<item><title>Қарағандыда жаңа мектеп ашылды</title><link>{site.base}/news/1/?utm_source=telegram</link></item>
<item><title>Қарағандыда жаңа мектеп ашылды</title><link>{site.base}/news/1/amp</link></item></channel></rss>"""
    site.files["/feeds/other.xml"] = (other.encode(), "application/rss+xml")
    again = await feeds.poll_feed(fresh_db, fetcher, f"{site.base}/feeds/other.xml", utc_now())
    assert (again.imported, again.unchanged, again.failed) == (0, 2, 0)
    assert await articles.count(fresh_db) == 1
    assert await articles.id_by_url(fresh_db, f"https://www.{site.base.removeprefix('http://')}/news/1/amp/") == 1
