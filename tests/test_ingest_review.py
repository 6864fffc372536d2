"""Extractions held for editors: never posted in a slot on their own; editors told with a preview and buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import feeds, importer, jobs, posting
from bot.page_extract import HOLD_CAPTION
from bot.records import ArticleDraft
from bot.services import services
from storage import articles, posts
from tests.harness import ADMIN_ID, READER_ID, Harness, running_bot
from tests.test_editorial import RU_ADMIN, assert_kazakh_or_russian, editor_messages
from tests.test_feeds import Site, site  # noqa: F401 (the fixture, used by name)

CAPTION_PAGE = """<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>{title} | Айқын</title></head>
<body><header><nav><a href="/">Басты бет</a></nav></header><article><h1>{title}</h1>
<p>Суретте: облыс әкімі жаңа нысанды аралап жүр. Фото: Айқын</p></article></body></html>"""
THE_NEXT_MORNING = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)


def held_notices(bot: Harness, editor: int = ADMIN_ID) -> list:  # type: ignore[type-arg]
    return [
        m
        for m in bot.fake.messages.values()
        if str(m.chat_id) == str(editor) and m.reply_markup and "hp:" in str(m.reply_markup)
    ]


async def test_a_held_article_waits_for_an_editor_who_publishes_or_drops_it(
    tmp_path: Path,
    site: Site,  # noqa: F811
) -> None:
    for path, title in (("/news/caption", "Жаңа нысан ашылды"), ("/news/other", "Тағы бір нысан")):
        html = CAPTION_PAGE.format(title=title)
        site.items[path] = {"title": title, "date": "Mon, 24 Nov 2026 05:30:00 GMT", "html": html}
    async with running_bot(
        tmp_path,
        feed_urls=(f"{site.base}/rss.xml",),
        fetcher_options={"pace_seconds": 0.0, "timeout": 2.0},
        clock=lambda: THE_NEXT_MORNING,
    ) as bot:
        svc = services(bot.app)
        await bot.fake.wait_for(lambda: len(held_notices(bot)) == 2, timeout=15)
        caption_id = await articles.id_by_url(svc.db, f"{site.base}/news/caption")
        other_id = await articles.id_by_url(svc.db, f"{site.base}/news/other")
        assert caption_id and other_id
        notice = next(m for m in held_notices(bot) if f"hp:{caption_id}" in str(m.reply_markup))
        assert "тек сурет жазуы" in notice.text and "Суретте: облыс әкімі" in notice.text
        assert f"{site.base}/news/caption" in notice.text
        # daily slots take the seed and the good article, never a held one
        slots = [THE_NEXT_MORNING - timedelta(minutes=m) for m in range(3)]
        created = [await posting.create_slot_post(svc, slot) for slot in slots]
        assert created[0] is not None and created[1] is not None and created[2] is None
        assert await posts.of_article(svc.db, caption_id) == [] and await posts.of_article(svc.db, other_id) == []
        # a reader's press changes nothing; the editor's releases it for the next slot
        bot.fake.add_update(bot.fake.button_press(notice, f"hp:{caption_id}", user_id=READER_ID))
        await bot.fake.wait_for(
            lambda: any("тек редакторларға" in str(c.params.get("text")) for c in bot.fake.sent("answerCallbackQuery"))
        )
        assert f"hp:{caption_id}" in str(bot.fake.messages[(str(ADMIN_ID), notice.message_id)].reply_markup)
        bot.fake.add_update(bot.fake.button_press(notice, f"hp:{caption_id}", user_id=ADMIN_ID))
        await bot.fake.wait_for(lambda: "енді ұсталмайды" in bot.fake.messages[(str(ADMIN_ID), notice.message_id)].text)
        assert "hp:" not in str(bot.fake.messages[(str(ADMIN_ID), notice.message_id)].reply_markup)
        assert await posting.create_slot_post(svc, THE_NEXT_MORNING - timedelta(minutes=10)) is not None
        assert [p.origin for p in await posts.of_article(svc.db, caption_id)] == ["slot"]
        # dropped: deleted, and the feed never fetches its page again
        other = next(m for m in held_notices(bot) if f"hd:{other_id}" in str(m.reply_markup))
        bot.fake.add_update(bot.fake.button_press(other, f"hd:{other_id}", user_id=ADMIN_ID))
        await bot.fake.wait_for(lambda: "алып тасталды" in bot.fake.messages[(str(ADMIN_ID), other.message_id)].text)
        assert await articles.get(svc.db, other_id) is None
        fetched_before = site.requests.count("/news/other")
        assert svc.fetcher is not None
        later = THE_NEXT_MORNING + timedelta(hours=2)
        await feeds.poll_feed(svc.db, svc.fetcher, f"{site.base}/rss.xml", later)
        assert site.requests.count("/news/other") == fetched_before
        assert await articles.id_by_url(svc.db, f"{site.base}/news/other") is None


def _alerts(bot: Harness) -> list[str]:
    return [str(c.params.get("text")) for c in bot.fake.sent("answerCallbackQuery") if c.params.get("text")]


async def test_held_notices_and_what_their_buttons_say_are_in_each_editors_language(tmp_path: Path) -> None:
    async with running_bot(tmp_path, admin_ids=frozenset({ADMIN_ID, RU_ADMIN})) as bot:
        [queue] = await bot.ask("/queue", user_id=RU_ADMIN, language="ru")  # this editor's language is remembered
        assert "В очереди нет постов" in queue
        body = "Суретте: облыс әкімі жаңа нысанды аралап жүр. Фото: Айқын"
        draft = ArticleDraft(title="Жаңа нысан ашылды", body=body, hold_reason=HOLD_CAPTION)
        held = await importer.save_article(services(bot.app).db, draft)
        assert bot.app.job_queue is not None
        [job] = bot.app.job_queue.get_jobs_by_name(jobs.HELD_JOB)
        await job.run(bot.app)
        [kazakh] = held_notices(bot)
        [russian] = held_notices(bot, RU_ADMIN)
        assert "редакторға ұсталды</b>: мәтіні тек сурет жазуы сияқты" in kazakh.text
        assert "задержана для редактора</b>: текст похож только на подпись к фото" in russian.text
        assert body in kazakh.text and body in russian.text
        labels = [b["text"] for row in (russian.reply_markup or {})["inline_keyboard"] for b in row]
        assert labels == ["✅ Опубликовать как есть", "🗑 Убрать"]
        # forged or mistyped ids: beyond SQLite's integers, or digits that are not ASCII — refused, nothing changes
        for data in (f"hp:{2**63}", "hd:99999999999999999999", "hp:١٢", f"hd:{held.id}\n"):
            bot.fake.add_update(bot.fake.button_press(russian, data, user_id=RU_ADMIN, language="ru"))
        await bot.fake.wait_for(lambda: len(bot.fake.sent("answerCallbackQuery")) >= 4)
        assert _alerts(bot)[0] == "Эта кнопка устарела." and len(_alerts(bot)) == 4
        assert await articles.get(services(bot.app).db, held.id) is not None
        bot.fake.add_update(bot.fake.button_press(russian, f"hp:{held.id}", user_id=RU_ADMIN, language="ru"))
        await bot.fake.wait_for(
            lambda: "больше не задержана" in bot.fake.messages[(str(RU_ADMIN), russian.message_id)].text
        )
        bot.fake.add_update(bot.fake.button_press(kazakh, f"hd:{held.id}", user_id=ADMIN_ID))
        await bot.fake.wait_for(
            lambda: "алынбады: ол ұсталмаған" in bot.fake.messages[(str(ADMIN_ID), kazakh.message_id)].text
        )
        assert await articles.get(services(bot.app).db, held.id) is not None
        for message in [*editor_messages(bot), *_alerts(bot)]:
            assert_kazakh_or_russian(message)
