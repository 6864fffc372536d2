"""Delivery of followers' notifications: daily cap and digest, readers who blocked the bot, 429s, restarts,
channel posts first — over the HTTP Bot API fake with a real SQLite file."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from telegram.error import NetworkError, TimedOut

from bot import importer
from bot.fakeapi import FakeBotApi
from bot.records import ArticleDraft
from bot.telegram_http import JsonRequest, never_reached_telegram
from storage import Database, open_database, outbox, posts, subscriptions
from tests.harness import running_bot
from tests.test_following import ABOUT_ABDULLIN, FOLLOWER, NOW, OTHER, clock, matched_past, notifications_to, until


async def settles_as(db: Database, expected: dict[str, int]) -> None:
    """Wait, bounded, until the outbox's rows have these statuses (a sent message is recorded just after)."""

    async def settled() -> bool:
        return await outbox.status_counts(db) == expected

    try:
        await until(settled)
    except TimeoutError:
        raise AssertionError(f"outbox is {await outbox.status_counts(db)}, expected {expected}") from None


class MovableClock:
    """The bot's time, set by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def about_abdullin(n: int) -> ArticleDraft:
    return ArticleDraft(
        title=f"Абдуллин туралы жаңалық {n}",
        body=f"Қордың президенті Руслан Абдуллин {n}-кездесуін өткізді. Руслан Абдуллин жастармен сөйлесті.",
        url=f"https://aikyn.kz/news/{n}.html",
    )


async def test_over_the_daily_cap_articles_wait_for_one_evening_digest(tmp_path: Path) -> None:
    moving = MovableClock(NOW)
    async with running_bot(tmp_path, clock=moving, notify_interval=0.1, notify_daily_cap=2) as bot:
        await bot.ask("/follow Абдуллин", user_id=FOLLOWER)
        db = bot.app.bot_data["services"].db
        saved = [await importer.save_article(db, about_abdullin(n), now=NOW) for n in range(5)]
        await matched_past(db, saved[-1].id)
        await bot.fake.wait_for(lambda: len(notifications_to(bot, FOLLOWER)) == 2)
        await settles_as(db, {"sent": 2, "capped": 3})
        moving.now = datetime(2026, 3, 10, 15, 1, tzinfo=UTC)  # 20:01 in Almaty: the digest's time
        await bot.fake.wait_for(lambda: any("📰" in c.params["text"] for c in bot.fake.sent(chat_id=FOLLOWER)))
        [digest] = [c.params["text"] for c in bot.fake.sent(chat_id=FOLLOWER) if "📰" in c.params["text"]]
        assert "тағы 3 мақала" in digest
        for article in saved[2:]:
            assert f"start=article_{article.id}" in digest
        await settles_as(db, {"sent": 3, "digested": 3})
        moving.now = datetime(2026, 3, 11, 3, 0, tzinfo=UTC)  # the next morning: a new day's allowance
        later = await importer.save_article(db, about_abdullin(9), now=moving.now)
        await bot.fake.wait_for(lambda: len(notifications_to(bot, FOLLOWER)) == 3)
        assert "жаңалық 9" in notifications_to(bot, FOLLOWER)[-1].params["text"]
        assert later.id > saved[-1].id


async def test_a_reader_who_blocked_the_bot_is_paused_and_resumes_with_start(tmp_path: Path) -> None:
    fake = FakeBotApi()
    async with running_bot(tmp_path, fake, clock=clock, notify_interval=0.1) as bot:
        await bot.ask("/follow Абдуллин", user_id=FOLLOWER)
        db = bot.app.bot_data["services"].db
        fake.blocked_by.add(FOLLOWER)
        first = await importer.save_article(db, about_abdullin(1), now=NOW)
        await fake.wait_for(lambda: fake.sent("sendMessage", chat_id=FOLLOWER, ok_only=False)[-1].status == 403)
        await until(lambda: subscriptions.is_paused(db, FOLLOWER))
        second = await importer.save_article(db, about_abdullin(2), now=NOW)
        await matched_past(db, second.id)
        await settles_as(db, {"held": 2})
        assert len([c for c in fake.calls if c.status == 403]) == 1  # no more tries while paused
        fake.blocked_by.clear()
        await bot.ask("/start", user_id=FOLLOWER)
        await fake.wait_for(lambda: len(notifications_to(bot, FOLLOWER)) == 2)
        texts = [c.params["text"] for c in notifications_to(bot, FOLLOWER)]
        assert any(f"жаңалық {1}" in t for t in texts) and any("жаңалық 2" in t for t in texts)
        assert not await subscriptions.is_paused(db, FOLLOWER)
        assert first.id < second.id


async def test_a_429_pauses_sending_and_the_message_goes_out_once_after_retry_after(tmp_path: Path) -> None:
    started = time.monotonic()

    def running_clock() -> datetime:
        return NOW + timedelta(seconds=time.monotonic() - started)

    fake = FakeBotApi()
    async with running_bot(tmp_path, fake, clock=running_clock, notify_interval=0.1) as bot:
        await bot.ask("/follow Абдуллин", user_id=FOLLOWER)
        fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=FOLLOWER)
        await importer.save_article(bot.app.bot_data["services"].db, ABOUT_ABDULLIN, now=NOW)
        await fake.wait_for(lambda: notifications_to(bot, FOLLOWER), timeout=10)
        attempts = fake.sent("sendMessage", chat_id=FOLLOWER, ok_only=False)
        assert [c.status for c in attempts[-2:]] == [429, 200]
        assert attempts[-1].at - attempts[-2].at >= 0.9
        assert len(notifications_to(bot, FOLLOWER)) == 1


async def test_after_a_crash_claimed_rows_are_sent_and_rows_being_sent_are_never_sent_again(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "aikyn.sqlite3")
    try:
        saved = await importer.save_article(db, ABOUT_ABDULLIN, now=NOW)
        for user_id in (FOLLOWER, OTHER):
            await subscriptions.add(db, user_id, "entity", "абдуллин", "Абдуллин", language="kk", now=NOW, limit=50)
        async with db.transaction() as conn:
            made = await outbox.enqueue_for_article(
                conn, saved.id, entity_keys=["абдуллин"], word_keys=[], local_day="2026-03-10", now=NOW, daily_cap=10
            )
            await outbox.set_matched_up_to(conn, saved.id)
        assert made == 2
        claimed = await outbox.claim(db, NOW, limit=10)
        being_sent = next(n for n in claimed if n.user_id == FOLLOWER)
        await outbox.mark_sending(db, [being_sent.id])  # the process dies here, its request perhaps delivered
    finally:
        await db.close()
    async with running_bot(tmp_path, clock=clock, notify_interval=0.1) as bot:
        await bot.fake.wait_for(lambda: notifications_to(bot, OTHER))
        db = bot.app.bot_data["services"].db
        later = await importer.save_article(db, ArticleDraft(title="Ауа райы", body="Ертең жаңбыр жауады."), now=NOW)
        await matched_past(db, later.id)
        assert notifications_to(bot, FOLLOWER) == []
        await settles_as(db, {"sent": 1, "unconfirmed": 1})


async def test_a_due_channel_post_goes_before_notifications(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "aikyn.sqlite3")
    try:
        saved = await importer.save_article(db, ABOUT_ABDULLIN, now=NOW)
        for user_id in range(700, 760):
            await subscriptions.add(db, user_id, "entity", "абдуллин", "Абдуллин", language="kk", now=NOW, limit=50)
        async with db.transaction() as conn:
            await outbox.enqueue_for_article(
                conn, saved.id, entity_keys=["абдуллин"], word_keys=[], local_day="2026-03-10", now=NOW, daily_cap=10
            )
            await outbox.set_matched_up_to(conn, saved.id)
        await posts.create(db, saved.id, NOW - timedelta(minutes=1), "admin", created_by=42, now=NOW)
    finally:
        await db.close()
    async with running_bot(tmp_path, clock=clock, notify_interval=0.1) as bot:
        await bot.fake.wait_for(lambda: bot.fake.ok_counts["sendMessage"] >= 61, timeout=15)
        sends = [c for c in bot.fake.calls if c.method == "sendMessage" and c.status == 200]
        assert str(sends[0].params["chat_id"]) == "@aikyn_test_channel"
        assert {int(c.params["chat_id"]) for c in sends[1:]} == set(range(700, 760))


async def test_an_error_answer_is_retried_after_a_backoff_and_sent_once(tmp_path: Path) -> None:
    moving = MovableClock(NOW)
    fake = FakeBotApi()
    async with running_bot(tmp_path, fake, clock=moving, notify_interval=0.1) as bot:
        await bot.ask("/follow Абдуллин", user_id=FOLLOWER)
        fake.fail_next("sendMessage", status=502, chat_id=FOLLOWER)
        await importer.save_article(bot.app.bot_data["services"].db, ABOUT_ABDULLIN, now=NOW)
        await fake.wait_for(lambda: [c for c in fake.calls if c.status == 502])
        moving.now = NOW + timedelta(seconds=6)  # past the first backoff
        await fake.wait_for(lambda: notifications_to(bot, FOLLOWER))
        await settles_as(bot.app.bot_data["services"].db, {"sent": 1})
        assert [c.status for c in fake.sent("sendMessage", chat_id=FOLLOWER, ok_only=False)][-2:] == [502, 200]


async def test_only_requests_that_surely_did_not_reach_telegram_are_tried_again() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = JsonRequest(pool_size=1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as refused:
            await request.do_request(f"http://127.0.0.1:{port}/botX/sendMessage", "POST")
    finally:
        await request.shutdown()
    assert never_reached_telegram(refused.value)
    assert never_reached_telegram(NetworkError("Bad Gateway"))  # Telegram answered with an error

    def caused(error: NetworkError, cause: BaseException) -> NetworkError:
        error.__cause__ = cause
        return error

    assert never_reached_telegram(caused(TimedOut("no free connection"), aiohttp.ConnectionTimeoutError()))
    assert not never_reached_telegram(caused(TimedOut(), TimeoutError()))  # while waiting for the answer
    assert not never_reached_telegram(caused(NetworkError("x"), aiohttp.ServerDisconnectedError()))
