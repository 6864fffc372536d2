from __future__ import annotations

import asyncio
import contextlib
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import importer, posting
from bot.fakeapi import FakeBotApi
from bot.records import ArticleDraft
from bot.services import services
from storage import open_database, posts
from storage.timestamps import utc_now
from tests.harness import ADMIN_ID, CHANNEL, READER_ID, running_bot, wait_until


async def _post_statuses(bot) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.status for p in await posts.of_article(services(bot.app).db, 1)]


async def _settled_statuses(bot) -> list[str]:  # type: ignore[no-untyped-def]
    """Statuses once no post is mid-send (the fake records a call before the bot stores its answer)."""

    async def settled() -> list[str] | None:
        statuses = await _post_statuses(bot)
        return None if "sending" in statuses else statuses

    return await wait_until(settled, what="a post stayed 'sending'")


async def test_a_post_scheduled_a_second_ahead_arrives_once(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        svc = services(bot.app)
        await posts.create(svc.db, 1, utc_now() + timedelta(seconds=1), "admin", created_by=ADMIN_ID, now=utc_now())
        await bot.fake.wait_for(lambda: bot.channel_posts(), timeout=5)
        assert await _settled_statuses(bot) == ["sent"]
        assert (await posting.send_due_posts(svc, bot.app.bot)).outcomes == []
        [post] = bot.channel_posts()
        text = post.params["text"]
        assert text.startswith("<b>Бейбітшілік және келісім керуені")
        assert "#AMANAT" in text and "Жаулыбаев" in text
        assert post.params["reply_markup"]["inline_keyboard"][0][0]["url"] == (
            "https://t.me/aikyn_test_bot?start=article_1"
        )
        assert await _post_statuses(bot) == ["sent"]


async def test_pending_post_survives_a_restart_and_is_sent_once(tmp_path: Path) -> None:
    fake = FakeBotApi()
    async with running_bot(tmp_path, fake, send_interval=3600) as bot:
        svc = services(bot.app)
        # the sender job ran once at start; this post comes due while the bot is "down"
        await posts.create(svc.db, 1, utc_now() + timedelta(seconds=1), "admin", created_by=ADMIN_ID, now=utc_now())
    assert fake.sent("sendMessage", chat_id=CHANNEL) == []
    async with running_bot(tmp_path, fake) as bot:
        await fake.wait_for(lambda: fake.sent("sendMessage", chat_id=CHANNEL))
        assert await _settled_statuses(bot) == ["sent"]
    async with running_bot(tmp_path, fake) as bot:
        [reply] = await bot.ask("/queue", user_id=ADMIN_ID)
        assert "Кезекте пост жоқ" in reply
    assert len(fake.sent("sendMessage", chat_id=CHANNEL)) == 1


async def test_post_left_sending_by_a_crash_is_not_sent_again_and_admins_are_told(tmp_path: Path) -> None:
    fake = FakeBotApi()
    async with running_bot(tmp_path, fake, send_interval=3600) as bot:
        svc = services(bot.app)
        await posts.create(svc.db, 1, utc_now() - timedelta(seconds=5), "admin", created_by=ADMIN_ID, now=utc_now())
        await posts.claim_next(svc.db, utc_now())  # the process dies right after claiming (kill -9)
    async with running_bot(tmp_path, fake) as bot:
        await fake.wait_for(lambda: fake.sent("sendMessage", chat_id=ADMIN_ID))
        assert "тоқтап қалды" in fake.sent("sendMessage", chat_id=ADMIN_ID)[0].params["text"]
        assert await _post_statuses(bot) == ["failed"]
    assert fake.sent("sendMessage", chat_id=CHANNEL) == []


async def test_post_more_than_the_grace_period_late_is_marked_missed(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "aikyn.sqlite3")
    from bot import importer
    from tests.conftest import SEED

    await importer.import_paths(db, [SEED])
    await posts.create(db, 1, utc_now() - timedelta(hours=2), "admin", created_by=ADMIN_ID, now=utc_now())
    await posts.create(db, 1, utc_now() - timedelta(minutes=5), "admin", created_by=ADMIN_ID, now=utc_now())
    await db.close()
    async with running_bot(tmp_path, post_grace_minutes=30) as bot:
        await bot.fake.wait_for(lambda: bot.channel_posts())
        assert sorted(await _settled_statuses(bot)) == ["missed", "sent"]
        await bot.fake.wait_for(
            lambda: any("уақыты өтіп кетті" in c.params["text"] for c in bot.fake.sent("sendMessage", chat_id=ADMIN_ID))
        )


async def test_429_twice_then_success_sends_the_post_once(tmp_path: Path) -> None:
    fake = FakeBotApi()
    fake.fail_next("sendMessage", chat_id=CHANNEL, status=429, retry_after=1, times=2)
    async with running_bot(tmp_path, fake) as bot:
        svc = services(bot.app)
        await posts.create(svc.db, 1, utc_now(), "admin", created_by=ADMIN_ID, now=utc_now())
        await fake.wait_for(lambda: fake.sent("sendMessage", chat_id=CHANNEL), timeout=10)
        attempts = [c.status for c in fake.calls if c.method == "sendMessage" and c.params["chat_id"] == CHANNEL]
        assert attempts == [429, 429, 200]
        await _settled_statuses(bot)
        [post] = await posts.of_article(svc.db, 1)
        assert (post.status, post.attempts) == ("sent", 3)


async def test_readers_are_answered_while_the_channel_is_rate_limited(tmp_path: Path) -> None:
    fake = FakeBotApi()
    fake.fail_next("sendMessage", chat_id=CHANNEL, status=429, retry_after=30, times=1)
    async with running_bot(tmp_path, fake) as bot:
        svc = services(bot.app)
        await posts.create(svc.db, 1, utc_now(), "admin", created_by=ADMIN_ID, now=utc_now())
        await fake.wait_for(lambda: [c for c in fake.calls if c.status == 429])
        await _settled_statuses(bot)
        started = datetime.now(UTC)
        [reply] = await bot.ask("/latest")
        assert "Бейбітшілік" in reply
        assert datetime.now(UTC) - started < timedelta(seconds=5)
        [post] = await posts.of_article(svc.db, 1)
        assert post.status == "pending" and "429" in (post.last_error or "")


async def test_forbidden_channel_marks_the_post_failed_and_tells_admins(tmp_path: Path) -> None:
    fake = FakeBotApi(channel_admin=False)
    async with running_bot(tmp_path, fake) as bot:
        [reply] = await bot.ask("/postnow 1", user_id=ADMIN_ID)
        assert "жіберілмеді" in reply and "бот арнаға жаза алмайды" in reply and "әкімшісі" in reply
        assert await _post_statuses(bot) == ["failed"]
        [status] = await bot.ask("/status", user_id=ADMIN_ID)
        assert "жіберілмеген 1" in status


async def test_non_admin_cannot_schedule_and_nothing_is_scheduled(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        commands = ["/schedule 1 2030-01-01 09:00", "/postnow 1", "/cancel 1", "/queue", "/preview 1", "/status"]
        for command in [*commands, "/edit 1", "/delete 1", "/log"]:
            [reply] = await bot.ask(command, user_id=READER_ID)
            assert "тек редакторларға" in reply, command
        assert await _post_statuses(bot) == []
        assert bot.channel_posts() == []


async def test_schedule_converts_almaty_time_to_utc_and_cancel_stops_the_post(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        [reply] = await bot.ask("/schedule 1 2030-01-01 09:00", user_id=ADMIN_ID)
        assert "Пост №1" in reply and "сейсенбі, 01.01.2030 09:00 (Алматы уақыты)" in reply
        post = await posts.get(services(bot.app).db, 1)
        assert post is not None and post.due_at == datetime(2030, 1, 1, 4, 0, tzinfo=UTC)
        [queue] = await bot.ask("/queue", user_id=ADMIN_ID)
        assert "01.01.2030 09:00" in queue
        [cancelled] = await bot.ask("/cancel 1", user_id=ADMIN_ID)
        assert "тоқтатылды" in cancelled
        [again] = await bot.ask("/cancel 1", user_id=ADMIN_ID)
        assert "тоқтатылған" in again
        assert await _post_statuses(bot) == ["cancelled"]
        [past] = await bot.ask("/schedule 1 2020-01-01 09:00", user_id=ADMIN_ID)
        assert "өтіп кетті" in past
        [bad] = await bot.ask("/schedule 1 tomorrow", user_id=ADMIN_ID)
        assert "Қолданылуы" in bad


async def test_preview_shows_the_exact_channel_post_privately(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        [preview] = await bot.ask("/preview 1", user_id=ADMIN_ID)
        await bot.ask("/postnow 1", user_id=ADMIN_ID)
        [posted] = bot.channel_posts()
        assert posted.params["text"] == preview
        # with its buttons and link preview too (a reply's go to PTB as Bot API JSON, a post's as PTB objects)
        saved = await importer.save_article(
            services(bot.app).db, ArticleDraft(title="Сайттағы жаңалық", body="Мәтін.", url="https://aikyn.kz/news/5")
        )
        [with_page] = await bot.ask(f"/preview {saved.id}", user_id=ADMIN_ID)
        await bot.ask(f"/postnow {saved.id}", user_id=ADMIN_ID)
        for text, post in ((preview, posted), (with_page, bot.channel_posts()[-1])):
            [shown] = [c for c in bot.fake.sent("sendMessage", chat_id=ADMIN_ID) if c.params["text"] == text]
            for name in ("reply_markup", "link_preview_options", "parse_mode"):
                assert shown.params[name] == post.params[name], name
        assert shown.params["link_preview_options"]["url"] == "https://aikyn.kz/news/5"


async def test_daily_slot_posts_the_newest_article_not_yet_posted(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        svc = services(bot.app)
        slot = utc_now().replace(second=0)
        assert await posting.create_slot_post(svc, slot) is not None
        assert await posting.create_slot_post(svc, slot) is None  # nothing new left, and the slot is taken
        await bot.fake.wait_for(lambda: bot.channel_posts())
        jobs = [j.name for j in bot.app.job_queue.jobs()]  # type: ignore[union-attr]
        assert "send-due-posts" in jobs


async def test_post_times_become_daily_jobs_in_almaty_time(tmp_path: Path) -> None:
    from datetime import time

    async with running_bot(tmp_path, post_times=(time(9), time(18, 30))) as bot:
        jobs = {j.name: j for j in bot.app.job_queue.jobs()}  # type: ignore[union-attr]
        nine = jobs["slot-09:00"].next_t
        assert nine is not None and nine.astimezone(UTC).hour == 4 and nine.astimezone(UTC).minute == 0
        assert jobs["slot-18:30"].next_t.astimezone(UTC).hour == 13  # type: ignore[union-attr]


async def test_without_a_channel_editors_are_told_to_set_channel_id(tmp_path: Path) -> None:
    async with running_bot(tmp_path, channel_id="") as bot:
        for command in ["/postnow 1", "/schedule 1 2030-01-01 09:00"]:
            [reply] = await bot.ask(command, user_id=ADMIN_ID)
            assert "CHANNEL_ID" in reply, command
        assert await _post_statuses(bot) == []


async def test_a_slot_that_passed_while_the_bot_was_down_is_filled_once_within_the_grace(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo("Asia/Almaty"))
    ten_minutes_ago = (now - timedelta(minutes=10)).time().replace(second=0, microsecond=0)
    two_hours_ago = (now - timedelta(hours=2)).time().replace(second=0, microsecond=0)
    times = (two_hours_ago, ten_minutes_ago)
    async with running_bot(tmp_path, post_times=times, post_grace_minutes=30) as bot:
        await bot.fake.wait_for(lambda: bot.channel_posts(), timeout=5)
        assert await _settled_statuses(bot) == ["sent"]
        [slot_post] = await posts.of_article(services(bot.app).db, 1)
        assert slot_post.origin == "slot"
        assert slot_post.due_at.astimezone(ZoneInfo("Asia/Almaty")).time() == ten_minutes_ago
    async with running_bot(tmp_path, post_times=times, post_grace_minutes=30) as bot:  # started again
        assert [p.status for p in await posts.of_article(services(bot.app).db, 1)] == ["sent"]
        assert bot.channel_posts() == []


def test_recent_slots_cross_midnight_in_almaty_time() -> None:
    from datetime import time
    from zoneinfo import ZoneInfo

    almaty = ZoneInfo("Asia/Almaty")
    just_after_midnight = datetime(2026, 11, 26, 0, 10, tzinfo=almaty)
    slots = posting.recent_slots((time(23, 55), time(9)), almaty, just_after_midnight, timedelta(minutes=30))
    assert slots == [datetime(2026, 11, 25, 18, 55, tzinfo=UTC)]  # yesterday 23:55 in Almaty
    assert posting.recent_slots((time(0, 20),), almaty, just_after_midnight, timedelta(minutes=30)) == []


# ---- issue 14: retries, the one window, claiming, the channel's minute -------------------------------------


async def _many_due_posts(svc, count: int) -> None:  # type: ignore[no-untyped-def]
    now = utc_now()
    for n in range(count):
        await posts.create(svc.db, 1, now - timedelta(seconds=count - n), "admin", created_by=ADMIN_ID, now=now)


async def test_a_429_waits_retry_after_not_the_next_interval_and_is_logged_in_one_line(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.INFO)
    fake = FakeBotApi()
    fake.fail_next("sendMessage", chat_id=CHANNEL, status=429, retry_after=1, times=2)
    async with running_bot(tmp_path, fake, send_interval=30) as bot:  # the job's own interval is far away
        svc = services(bot.app)
        await posts.create(svc.db, 1, utc_now(), "admin", created_by=ADMIN_ID, now=utc_now())
        await posting_round(bot)
        await fake.wait_for(lambda: fake.sent("sendMessage", chat_id=CHANNEL), timeout=25)
        attempts = [c for c in fake.calls if c.method == "sendMessage" and c.params["chat_id"] == CHANNEL]
        assert [c.status for c in attempts] == [429, 429, 200]
        gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(attempts)]
        assert all(1 <= gap < 15 for gap in gaps), gaps  # retry_after (1 s), not the next interval (30 s)
    assert not [r for r in caplog.records if r.exc_info], "a 429 is expected: no traceback"
    retries = [r.getMessage() for r in caplog.records if r.name.startswith("bot") and "429" in r.getMessage()]
    assert len(retries) == 2 and all("sending again in 1 s" in line and "\n" not in line for line in retries)


async def posting_round(bot) -> None:  # type: ignore[no-untyped-def]
    """One send round as the job runs it (the repeating job is far away in these tests)."""
    from bot import jobs

    await jobs.send_round(bot.app)


async def test_a_sent_post_whose_recording_fails_is_recorded_later_and_never_sent_again(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    real_mark_sent = posts.mark_sent
    failures = {"left": len(posting.RECORD_WAITS) + 1}  # every retry of the first round fails

    async def locked_then_fine(*args, **kwargs):  # type: ignore[no-untyped-def]
        if failures["left"] > 0:
            failures["left"] -= 1
            raise sqlite3.OperationalError("database is locked")
        return await real_mark_sent(*args, **kwargs)

    monkeypatch.setattr(posting, "RECORD_WAITS", (0.01,) * 5)
    monkeypatch.setattr(posts, "mark_sent", locked_then_fine)
    now = [utc_now()]
    async with running_bot(tmp_path, send_interval=3600, clock=lambda: now[0]) as bot:
        svc = services(bot.app)
        await posts.create(svc.db, 1, now[0], "admin", created_by=ADMIN_ID, now=now[0])
        first = await posting.send_due_posts(svc, bot.app.bot)
        assert [o.status for o in first.outcomes] == ["sent"]
        assert await _post_statuses(bot) == ["sending"]  # in the channel, not back in the queue
        now[0] += timedelta(minutes=5)  # long after any retry would have come due
        again = await posting.send_due_posts(svc, bot.app.bot)
        assert again.outcomes == []
        [post] = await posts.of_article(svc.db, 1)
        assert post.status == "sent" and post.message_id is not None
        assert len(bot.channel_posts()) == 1


async def test_a_sent_post_is_recorded_when_the_database_is_locked_for_a_moment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    real_mark_sent = posts.mark_sent
    calls = {"n": 0}

    async def locked_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise sqlite3.OperationalError("database is locked")
        return await real_mark_sent(*args, **kwargs)

    monkeypatch.setattr(posts, "mark_sent", locked_once)
    now = [utc_now()]
    async with running_bot(tmp_path, send_interval=3600, clock=lambda: now[0]) as bot:
        svc = services(bot.app)
        await posts.create(svc.db, 1, now[0], "admin", created_by=ADMIN_ID, now=now[0])
        await posting.send_due_posts(svc, bot.app.bot)
        assert await _post_statuses(bot) == ["sent"]
        now[0] += timedelta(minutes=5)
        assert (await posting.send_due_posts(svc, bot.app.bot)).outcomes == []
        assert len(bot.channel_posts()) == 1


async def test_only_the_post_being_sent_is_sending_so_a_crash_fails_at_most_one(tmp_path: Path) -> None:
    fake = FakeBotApi()
    fake.latency = 0.05
    async with running_bot(tmp_path, fake, send_interval=3600) as bot:
        svc = services(bot.app)
        await _many_due_posts(svc, 5)
        sending = asyncio.create_task(posting.send_due_posts(svc, bot.app.bot))
        await fake.wait_for(lambda: len(bot.channel_posts()) >= 2)
        sending.cancel()  # the process dies here
        with contextlib.suppress(asyncio.CancelledError):
            await sending
        statuses = [p.status for p in await posts.of_article(svc.db, 1)]
        assert statuses.count("sending") <= 1 and statuses.count("pending") >= 2, statuses
    fake.latency = 0
    async with running_bot(tmp_path, fake) as bot:  # restarted: never-sent posts still go, once
        await fake.wait_for(lambda: len(bot.channel_posts()) >= 4, timeout=20)
        statuses = await _settled_statuses(bot)
        while "pending" in statuses:
            await fake.wait_for(lambda: len(bot.channel_posts()) > 4, timeout=20)
            statuses = await _settled_statuses(bot)
        assert statuses.count("failed") <= 1 and statuses.count("sent") + statuses.count("failed") == 5
    # each post reached the channel at most once (the interrupted one may have: that is the one window)
    assert len(fake.sent("sendMessage", chat_id=CHANNEL)) - statuses.count("sent") in (0, statuses.count("failed"))


async def test_never_more_than_20_channel_posts_in_a_minute(tmp_path: Path) -> None:
    async with running_bot(tmp_path, send_interval=3600) as bot:
        svc = services(bot.app)
        await _many_due_posts(svc, 30)
        sent = 0
        for _ in range(5):  # rounds as fast as they come: the 21st must wait for the minute
            round_ = await posting.send_due_posts(svc, bot.app.bot)
            sent += len(round_.outcomes)
        assert sent == 20 and len(bot.channel_posts()) == 20
        assert round_.again_in is not None and 50 < round_.again_in <= 60
        statuses = [p.status for p in await posts.of_article(svc.db, 1)]
        assert statuses.count("pending") == 10


def test_the_channel_window_is_a_sliding_minute() -> None:
    from bot.channel_window import ChannelWindow

    clock = [0.0]
    window = ChannelWindow(limit=20, period=60, clock=lambda: clock[0])
    accepted: list[float] = []
    while clock[0] < 300:
        if window.wait_seconds() == 0:
            window.note_accepted()
            accepted.append(clock[0])
        clock[0] += 0.5
    assert len(accepted) > 80
    assert max(sum(1 for t in accepted if start <= t < start + 60) for start in accepted) == 20


async def test_a_daily_slot_skips_an_article_whose_analysis_failed_but_postnow_still_posts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importer.analyze_article

    def failing(title: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if title.startswith("Талдауы сәтсіз"):
            raise ValueError("the analysis broke on this text")
        return real(title, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "analyze_article", failing)
    body = "Ауданда жаңа аурухана ашылды. Онда 200 төсек бар, дәрігерлер жаңа құралдармен жұмыс істейді. " * 3
    async with running_bot(tmp_path) as bot:
        svc = services(bot.app)
        ok = await importer.save_article(svc.db, ArticleDraft(title="Аудандағы аурухана", body=body))
        broken = await importer.save_article(svc.db, ArticleDraft(title="Талдауы сәтсіз мақала", body=body))
        assert broken.id > ok.id  # the newest: a slot would take it first
        chosen = []
        for minutes in (10, 20, 30):
            post_id = await posting.create_slot_post(svc, utc_now() + timedelta(minutes=minutes))
            post = await posts.get(svc.db, post_id) if post_id else None
            chosen.append(post.article_id if post else None)
        assert broken.id not in chosen and ok.id in chosen
        [sent] = await bot.ask(f"/postnow {broken.id}", user_id=ADMIN_ID)
        assert "арнаға жарияланды" in sent and len(bot.channel_posts()) == 1
