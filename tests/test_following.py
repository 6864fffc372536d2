"""Following people, places, organisations and words, over the HTTP Bot API fake with a real SQLite file."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from bot import importer
from bot.fakeapi import FakeBotApi, RecordedCall
from bot.records import ArticleDraft
from storage import Database, outbox
from tests.conftest import ROOT
from tests.harness import Harness, running_bot

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)  # 11:00 in Almaty
FOLLOWER = 501
OTHER = 502
ABOUT_ABDULLIN = ArticleDraft(
    title="Керуен Павлодарға жетті",
    body=(
        "Бейбітшілік және келісім керуені Павлодар қаласына жетті. "
        "Қордың президенті Руслан Абдуллин жергілікті жастармен кездесті.\n\n"
        "«Біз елдің бірлігін нығайтамыз», – деді Руслан Абдуллин."
    ),
    url="https://aikyn.kz/2026/03/10/keruen-pavlodar.html",
)


def clock() -> datetime:
    return NOW


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    """Wait, bounded, until an asynchronous check (a database read) holds."""
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.02)


async def matched_past(db: Database, article_id: int) -> None:
    """Wait until the followers' job has looked at every article up to `article_id`."""

    async def done() -> bool:
        return int(await db.fetchval("SELECT value FROM counters WHERE name = 'articles_matched'")) >= article_id

    await until(done)


def notifications_to(bot: Harness, user_id: int) -> list[RecordedCall]:
    return [c for c in bot.fake.sent("sendMessage", chat_id=user_id) if c.params["text"].startswith("🔔 <b>")]


async def test_a_follower_gets_one_message_about_a_new_article_and_none_twice_across_a_restart(
    tmp_path: Path,
) -> None:
    fake = FakeBotApi()
    async with running_bot(tmp_path, fake, clock=clock, notify_interval=0.1) as bot:
        [reply] = await bot.ask("/follow Абдуллиннің", user_id=FOLLOWER)
        assert "Жазылдыңыз: <b>Абдуллин</b>" in reply
        saved = await importer.save_article(bot.app.bot_data["services"].db, ABOUT_ABDULLIN, now=NOW)
        await fake.wait_for(lambda: notifications_to(bot, FOLLOWER), timeout=10)
        [message] = notifications_to(bot, FOLLOWER)
        text = message.params["text"]
        assert "Керуен Павлодарға жетті" in text and "Абдуллин" in text
        rows = message.params["reply_markup"]["inline_keyboard"]
        assert rows[0][0]["callback_data"] == f"a:{saved.id}"
        assert rows[0][1]["url"] == ABOUT_ABDULLIN.url
        assert rows[1][0]["callback_data"].startswith("uf:")
        [others] = await bot.ask("/following", user_id=OTHER)
        assert "жазылмағансыз" in others and "Жазылымдарыңыз" not in others
    async with running_bot(tmp_path, fake, clock=clock, notify_interval=0.1) as bot:
        db = bot.app.bot_data["services"].db
        later = await importer.save_article(db, ArticleDraft(title="Ауа райы", body="Ертең жаңбыр жауады."), now=NOW)
        await matched_past(db, later.id)  # the restarted bot's job has run a whole round
        assert await outbox.status_counts(db) == {"sent": 1}
    assert len(notifications_to(bot, FOLLOWER)) == 1


async def test_an_article_imported_by_another_process_reaches_the_follower(tmp_path: Path) -> None:
    fake = FakeBotApi()
    article = tmp_path / "new.json"
    draft = ABOUT_ABDULLIN
    article.write_text(json.dumps({"title": draft.title, "body": draft.body, "url": draft.url}, ensure_ascii=False))
    async with running_bot(tmp_path, fake, notify_interval=0.1) as bot:
        await bot.ask("/follow Абдуллин", user_id=FOLLOWER)
        env = {**os.environ, "DATABASE_PATH": str(bot.settings.database_path), "PYTHONPATH": str(ROOT)}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "import", str(article), env=env, stdout=asyncio.subprocess.PIPE
        )
        output, _ = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, output
        await fake.wait_for(lambda: notifications_to(bot, FOLLOWER), timeout=15)
        db = bot.app.bot_data["services"].db
        later = await importer.save_article(db, ArticleDraft(title="Ауа райы", body="Ертең жаңбыр жауады."))
        await matched_past(db, later.id)
        assert len(notifications_to(bot, FOLLOWER)) == 1


async def test_subscriptions_are_private_and_can_be_listed_and_removed(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=clock) as bot:
        await bot.ask("/follow Алматыда", user_id=FOLLOWER)
        await bot.ask("/follow жол құрылысы", user_id=FOLLOWER)
        [listing] = await bot.ask("/following", user_id=FOLLOWER)
        assert "1. Алматы" in listing and "«жол құрылысы»" in listing
        [nothing] = await bot.ask("/following", user_id=OTHER)
        assert "жазылмағансыз" in nothing
        own = bot.fake.sent("sendMessage", chat_id=FOLLOWER)[-1].params["reply_markup"]["inline_keyboard"]
        [removed] = await bot.ask("/unfollow Алматы", user_id=OTHER)
        assert "жоқ" in removed
        message = max(bot.fake.messages.values(), key=lambda m: m.message_id)
        forged = bot.fake.add_update(bot.fake.button_press(message, own[0][0]["callback_data"], user_id=OTHER))
        assert forged
        await bot.fake.wait_for(lambda: bot.fake.sent("answerCallbackQuery"))
        assert "бұрын тоқтатылған" in bot.fake.sent("answerCallbackQuery")[-1].params["text"]
        [still] = await bot.ask("/following", user_id=FOLLOWER)
        assert "Алматы" in still
        [done] = await bot.ask("/unfollow 1", user_id=FOLLOWER)
        assert "тоқтатылды: <b>Алматы</b>" in done
        [left] = await bot.ask("/following", user_id=FOLLOWER)
        assert "Алматы" not in left and "жол құрылысы" in left


async def test_words_follow_a_full_text_query_in_any_word_form(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=clock, notify_interval=0.1) as bot:
        await bot.ask("/follow көпір құрылысы", user_id=FOLLOWER)
        db = bot.app.bot_data["services"].db
        await importer.save_article(
            db, ArticleDraft(title="Ауылда жаңа мектеп", body="Ауылда жаңа мектеп ашылды. Оқушылар қуанды."), now=NOW
        )
        await importer.save_article(
            db,
            ArticleDraft(title="Ертіс үстінде", body="Ертіс өзенінің үстіндегі көпірдің құрылысы биыл аяқталады."),
            now=NOW,
        )
        await bot.fake.wait_for(lambda: notifications_to(bot, FOLLOWER), timeout=10)
        [message] = notifications_to(bot, FOLLOWER)
        assert "Ертіс үстінде" in message.params["text"] and "«көпір құрылысы»" in message.params["text"]


async def test_old_articles_imported_today_are_not_news(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=clock, notify_interval=0.1) as bot:
        await bot.ask("/follow Абдуллин", user_id=FOLLOWER)
        db = bot.app.bot_data["services"].db
        old = ArticleDraft(title="Ескі мақала", body=ABOUT_ABDULLIN.body, published_at=datetime(2019, 5, 1, tzinfo=UTC))
        saved = await importer.save_article(db, old, now=NOW)
        await matched_past(db, saved.id)
        assert await outbox.status_counts(db) == {}
        assert notifications_to(bot, FOLLOWER) == []
