"""Editors in control of the channel, over the HTTP Bot API fake with a real SQLite file: one post per article
unless an editor insists, correcting and deleting a published post, approving automatic posts, the queue, dates
as editors write them, their own menu and language, failures told once, and the action log."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import editorial, importer, jobs, posting
from bot.fakeapi import FakeBotApi
from bot.fakeapi.core import Message
from bot.records import ArticleDraft
from bot.services import services
from storage import Database, articles, feed_state, posts
from tests.harness import ADMIN_ID, CHANNEL, READER_ID, Harness, running_bot

ALMATY = ZoneInfo("Asia/Almaty")
RU_ADMIN = 43
# Tuesday 1 December 2026, 08:00 in Almaty
START = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


class Clock:
    """The bot's clock, moved by the test."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _with_button(bot: Harness, data: str) -> Message:
    for message in reversed(list(bot.fake.messages.values())):
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            if any(button.get("callback_data") == data for button in row):
                return message
    raise AssertionError(f"no message has the button {data!r}")


def _buttons(bot: Harness, text_part: str) -> list[str]:
    """The callback data of the newest message containing `text_part`."""
    for message in reversed(list(bot.fake.messages.values())):
        if text_part in message.text:
            rows = (message.reply_markup or {}).get("inline_keyboard", [])
            return [b["callback_data"] for row in rows for b in row if "callback_data" in b]
    raise AssertionError(f"no message says {text_part!r}")


async def press(
    bot: Harness,
    data: str,
    *,
    user_id: int = ADMIN_ID,
    language: str = "kk",
    count: int = 1,
    message: Message | None = None,
) -> list[str]:
    """Press a button of the bot's newest message that has it (or of `message`, as an old button whose
    message has changed since); the texts sent or edited in answer."""
    message = message or _with_button(bot, data)
    start = len(bot.fake.calls)
    bot.fake.add_update(bot.fake.button_press(message, data, user_id=user_id, language=language))

    def answers() -> list[str]:
        return [
            c.params.get("text") or c.params.get("caption") or ""
            for c in bot.fake.calls[start:]
            if c.method in ("sendMessage", "editMessageText") and str(c.params.get("chat_id")) == str(message.chat_id)
        ]

    await bot.fake.wait_for(lambda: len(answers()) >= count)
    return answers()


async def _add_article(bot: Harness, title: str, clock: Clock) -> int:
    body = f"{title} туралы хабар. " + "Ауданда жаңа нысан ашылды, тұрғындар қуанды. " * 6
    saved = await importer.save_article(services(bot.app).db, ArticleDraft(title=title, body=body), now=clock())
    return saved.id


# Commands, addresses, setting names and file kinds are written as they are typed; «AMANAT» is in the seed's title.
_ALLOWED_LATIN = re.compile(
    r"/[a-z]+|https?://\S+|@\w+|CHANNEL_ID|POST_TIMES|BACKUP_DIR|\.env|\.txt|\.jsonl?|\.html?|Telegram|JSON|#\w+"
    r"|aikyn\.kz|AMANAT"
)


def assert_kazakh_or_russian(text: str) -> None:
    """No English: only commands, addresses, setting names, file kinds — and one identifier set as code (a field
    of the editor's file, an error's class)."""
    text = re.sub(r"<code>[A-Za-z_]\w*</code>", "", text)
    plain = _ALLOWED_LATIN.sub("", unescape(re.sub(r"<[^>]+>", "", text)))
    assert not re.search(r"[A-Za-z]{2,}", plain), f"English in an editor's message: {plain!r}"


def editor_messages(bot: Harness) -> list[str]:
    """Everything the bot told editors except channel post previews (article text, with their link buttons)."""
    texts = []
    for call in bot.fake.sent("sendMessage") + bot.fake.sent("editMessageText"):
        if str(call.params.get("chat_id")) not in (str(ADMIN_ID), str(RU_ADMIN)):
            continue
        rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        if any("url" in button for row in rows for button in row):
            continue
        texts.append(call.params["text"])
    return texts


async def test_a_repeat_postnow_makes_no_second_post_unless_the_editor_insists(tmp_path: Path) -> None:
    clock = Clock()
    async with running_bot(tmp_path, clock=clock) as bot:
        [sent] = await bot.ask("/postnow 1", user_id=ADMIN_ID)
        assert "✅ Пост №1 арнаға жарияланды" in sent
        [again] = await bot.ask("/postnow 1", user_id=ADMIN_ID)
        assert "арнаға жарияланған: пост №1, сейсенбі, 01.12.2026 08:00" in again
        assert _buttons(bot, "Тағы жариялау керек пе?") == ["again:n:1", "keep"]
        assert len(bot.channel_posts()) == 1
        [kept] = await press(bot, "keep")
        assert "қайта жарияланбайды" in kept and len(bot.channel_posts()) == 1
        [scheduled] = await bot.ask("/schedule 1 ертең 09:00", user_id=ADMIN_ID)
        assert "арнаға жарияланған: пост №1" in scheduled
        minute = int(datetime(2026, 12, 2, 9, 0, tzinfo=ALMATY).timestamp()) // 60
        assert _buttons(bot, "Тағы жариялау керек пе?") == [f"again:s:1:{minute}", "keep"]
        await bot.ask("/postnow 1", user_id=ADMIN_ID)
        [insisted] = await press(bot, "again:n:1")
        assert "✅ Пост №2 арнаға жарияланды" in insisted and len(bot.channel_posts()) == 2
        second = await _add_article(bot, "Павлодарда жаңа көпір ашылды", clock)
        [queued] = await bot.ask(f"/schedule {second} 02.12.2026 10:00", user_id=ADMIN_ID)
        assert "Пост №3 жоспарланды: сәрсенбі, 02.12.2026 10:00 (Алматы уақыты)" in queued
        [twice] = await bot.ask(f"/schedule {second} 2026-12-02 10:00", user_id=ADMIN_ID, language="ru")
        assert "уже есть пост: пост №3 стоит в очереди, среда, 02.12.2026 10:00" in twice
        [insisted_schedule] = await press(bot, _buttons(bot, "Опубликовать ещё раз?")[0], language="ru")
        assert "Пост №4 запланирован" in insisted_schedule
        assert len(bot.channel_posts()) == 2
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


async def test_edit_after_a_correction_edits_the_channel_message_and_editors_are_told_of_the_change(
    tmp_path: Path,
) -> None:
    clock = Clock()
    async with running_bot(tmp_path, clock=clock) as bot:
        db = services(bot.app).db
        await bot.ask("/postnow 1", user_id=ADMIN_ID)
        [[key, channel_message]] = [(k, m) for k, m in bot.fake.messages.items() if k[0] == CHANNEL]
        [unchanged] = await bot.ask("/edit 1", user_id=ADMIN_ID)
        assert "Пост №1 өзгерген жоқ" in unchanged
        [refused] = [c for c in bot.fake.calls if c.method == "editMessageText" and c.status != 200]
        assert refused.status == 400  # Telegram's «message is not modified», told plainly
        article = await articles.get(db, 1)
        assert article is not None and "бірегей тәжірибесі" in article.summary
        corrected = article.body.replace("бірегей тәжірибесі", "ерекше тәжірибесі")
        draft = ArticleDraft(title=article.title, lead=article.lead, body=corrected, views=article.views)
        assert (await importer.save_article(db, draft, now=clock())).outcome == "updated"
        await bot.fake.wait_for(lambda: any("өзгерді" in t for t in editor_messages(bot)))
        assert _buttons(bot, "өзгерді") == ["up:1"]
        [updated] = await press(bot, "up:1")
        assert "✏️ Пост №1 арнада түзетілді" in updated
        assert "ерекше тәжірибесі" in channel_message.text and channel_message.edited
        [same] = await bot.ask("/edit 1", user_id=ADMIN_ID, language="ru")
        assert "Пост №1 не изменился" in same
        channel_message.is_caption = True  # a photo post: Telegram says there is no text to edit
        draft = ArticleDraft(title=article.title, lead=article.lead, body=corrected.replace("ерекше", "айрықша"))
        await importer.save_article(db, draft, now=clock())
        # the editor last wrote in Russian, so the second notice is in Russian
        await bot.fake.wait_for(lambda: any("изменилась" in t for t in editor_messages(bot)))
        [as_caption] = await bot.ask("/edit 1", user_id=ADMIN_ID)
        assert "түзетілді" in as_caption and "айрықша тәжірибесі" in channel_message.text
        assert [c.status for c in bot.fake.calls if c.method == "editMessageCaption"] == [200]
        del bot.fake.messages[key]  # someone deleted it in the channel by hand
        [gone] = await bot.ask("/edit 1", user_id=ADMIN_ID)
        assert "табылмады" in gone
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


async def test_delete_removes_the_channel_message_and_refusals_are_explained(tmp_path: Path) -> None:
    fake = FakeBotApi()
    async with running_bot(tmp_path, fake, clock=Clock()) as bot:
        db = services(bot.app).db
        await bot.ask("/postnow 1", user_id=ADMIN_ID)
        [deleted] = await bot.ask("/delete 1", user_id=ADMIN_ID)
        assert "🗑 Пост №1 арнадан өшірілді" in deleted
        assert [k for k in fake.messages if k[0] == CHANNEL] == []
        assert (await posts.get(db, 1)).status == "deleted"  # type: ignore[union-attr]
        [twice] = await bot.ask("/delete 1", user_id=ADMIN_ID)
        assert "арнадан өшірілген" in twice
        await bot.ask("/postnow 1", user_id=ADMIN_ID)  # a deleted post no longer holds its article
        [key] = [k for k in fake.messages if k[0] == CHANNEL]
        fake.can_delete_messages = False
        fake.age_message(CHANNEL, key[1], 49 * 3600)
        [too_old] = await bot.ask("/delete 2", user_id=ADMIN_ID, language="ru")
        assert "больше 48 часов" in too_old
        assert (await posts.get(db, 2)).status == "sent"  # type: ignore[union-attr]
        fake.channel_admin = False
        [no_rights] = await bot.ask("/delete 2", user_id=ADMIN_ID)
        assert "құқығы жоқ" in no_rights
        fake.channel_admin = True
        del fake.messages[key]
        [gone] = await bot.ask("/delete 2", user_id=ADMIN_ID)
        assert "бұрыннан жоқ" in gone and (await posts.get(db, 2)).status == "deleted"  # type: ignore[union-attr]
        answers = [c for c in fake.calls if c.method == "deleteMessage"]
        assert [c.status for c in answers] == [200, 400, 403, 400]
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


async def test_readers_can_neither_edit_nor_delete_nor_press_editors_buttons(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=Clock()) as bot:
        await bot.ask("/postnow 1", user_id=ADMIN_ID)
        await bot.ask("/schedule 1 ертең 09:00", user_id=ADMIN_ID)
        for command in ["/edit 1", "/delete 1", "/log"]:
            [refused] = await bot.ask(command, user_id=READER_ID)
            assert "тек редакторларға" in refused
        [russian] = await bot.ask("/delete 1", user_id=READER_ID, language="ru")
        assert "только для редакторов" in russian
        message = _with_button(bot, "again:s:1:" + _buttons(bot, "Тағы")[0].rsplit(":", 1)[1])
        start = len(bot.fake.calls)
        bot.fake.add_update(bot.fake.button_press(message, "again:n:1", user_id=READER_ID))
        await bot.fake.wait_for(lambda: any(c.method == "answerCallbackQuery" for c in bot.fake.calls[start:]))
        [alert] = [c for c in bot.fake.calls[start:] if c.method == "answerCallbackQuery"]
        assert alert.params["show_alert"] and "тек редакторларға" in alert.params["text"]
        [channel_message] = [m for k, m in bot.fake.messages.items() if k[0] == CHANNEL]
        assert not channel_message.edited and len(bot.channel_posts()) == 1
        statuses = [p.status for p in await posts.of_article(services(bot.app).db, 1)]
        assert statuses == ["sent"]


async def test_the_approval_flow_publishes_skips_swaps_and_applies_the_default(tmp_path: Path) -> None:
    clock = Clock()
    settings: dict[str, Any] = {"admin_ids": frozenset({ADMIN_ID, RU_ADMIN}), "approval_minutes": 15}
    async with running_bot(tmp_path, clock=clock, **settings) as bot:
        await bot.ask("/help", user_id=RU_ADMIN, language="ru")  # the Russian editor is seen once
        for title in ("Алматыда жаңа саябақ ашылды", "Шымкентте мектеп салынды", "Атырауда көпір жөнделді"):
            clock.now += timedelta(minutes=1)
            await _add_article(bot, title, clock)
        nine = datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY)
        post_id = await jobs.ask_for_approval(bot.app, nine)
        assert post_id == 1
        await bot.fake.wait_for(lambda: len([t for t in editor_messages(bot) if "🕘" in t]) == 2)
        kk, ru = (t for t in editor_messages(bot) if "🕘" in t)
        assert "сейсенбі, 01.12.2026 09:00 слоты" in kk and "09:00-де: жарияланады" in kk
        assert "Слот вторник, 01.12.2026 09:00" in ru and "в 09:00: будет опубликован" in ru
        first_article = (await posts.get(services(bot.app).db, 1)).article_id  # type: ignore[union-attr]
        swapped = await press(bot, f"ap:o:1:{first_article}", count=2)
        assert "пост №1" in swapped[1] and swapped[0].startswith("<b>")
        second_article = (await posts.get(services(bot.app).db, 1)).article_id  # type: ignore[union-attr]
        assert second_article != first_article
        [stale] = await press(bot, f"ap:y:1:{first_article}", user_id=RU_ADMIN, language="ru")
        assert f"теперь статья №{second_article}" in stale  # the older question cannot publish the new article
        [decided] = await press(bot, f"ap:y:1:{second_article}")
        assert "✅ Пост №1 сейсенбі, 01.12.2026 09:00 жарияланады" in decided
        ru_chat = next(m for m in reversed(list(bot.fake.messages.values())) if m.chat_id == RU_ADMIN)
        [late] = await press(bot, f"ap:n:1:{second_article}", user_id=RU_ADMIN, language="ru", message=ru_chat)
        assert "уже есть решение: опубликовать" in late
        assert bot.channel_posts() == []  # not before its time
        clock.now = nine.astimezone(UTC)
        await bot.fake.wait_for(lambda: len(bot.channel_posts()) == 1)
        [published] = bot.channel_posts()
        assert (await articles.get(services(bot.app).db, second_article)).title in unescape(published.params["text"])  # type: ignore[union-attr]

        one = datetime(2026, 12, 1, 13, 0, tzinfo=ALMATY)
        assert await jobs.ask_for_approval(bot.app, one) == 2
        [skipped] = await press(bot, _buttons(bot, "пост №2")[1], user_id=RU_ADMIN, language="ru")
        assert "Пост №2 не будет опубликован" in skipped
        clock.now = one.astimezone(UTC) + timedelta(minutes=1)
        await jobs.send_round(bot.app)
        assert len(bot.channel_posts()) == 1

        six = datetime(2026, 12, 1, 18, 0, tzinfo=ALMATY)
        assert await jobs.ask_for_approval(bot.app, six) == 3
        clock.now = six.astimezone(UTC)  # nobody answered: the default (publish) applies
        await bot.fake.wait_for(lambda: len(bot.channel_posts()) == 2)
        await bot.fake.wait_for(lambda: any("әдепкі бойынша жарияланды" in t for t in editor_messages(bot)))
        await bot.fake.wait_for(lambda: any("опубликован по умолчанию" in t for t in editor_messages(bot)))
        [log] = await bot.ask("/log", user_id=ADMIN_ID)
        for entry in ("мақұлдады", "басқа мақала таңдады", "жарияламады", "бот: жауап болмады"):
            assert entry in log, entry
        [queue] = await bot.ask("/queue", user_id=ADMIN_ID)
        assert "Кезекте пост жоқ" in queue
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


async def test_the_default_can_be_to_skip(tmp_path: Path) -> None:
    clock = Clock()
    async with running_bot(tmp_path, clock=clock, approval_minutes=10, approval_default="skip") as bot:
        nine = datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY)
        assert await jobs.ask_for_approval(bot.app, nine) == 1
        await bot.fake.wait_for(lambda: any("жарияланбайды" in t for t in editor_messages(bot)))
        clock.now = nine.astimezone(UTC)
        await bot.fake.wait_for(lambda: any("әдепкі бойынша жарияланбады" in t for t in editor_messages(bot)))
        assert bot.channel_posts() == []
        assert (await posts.get(services(bot.app).db, 1)).status == "cancelled"  # type: ignore[union-attr]


async def test_the_queue_pages_with_labelled_entries_and_buttons(tmp_path: Path) -> None:
    clock = Clock()
    async with running_bot(tmp_path, clock=clock, post_times=(datetime(2000, 1, 1, 13).time(),)) as bot:
        ids = [1] + [await _add_article(bot, f"{n}-ауданда жаңа аурухана ашылды", clock) for n in range(1, 7)]
        for n, article_id in enumerate(ids):
            await bot.ask(f"/schedule {article_id} 0{n + 1}.12.2026 1{n}:30", user_id=ADMIN_ID)
        [page] = await bot.ask("/queue", user_id=ADMIN_ID)
        assert "<b>Кезек</b> — 7 пост" in page and "1/2 бет" in page
        assert "<b>Пост №1</b> · сейсенбі, 01.12.2026 10:30" in page and "Мақала №1: «Бейбітшілік" in page
        data = _buttons(bot, "1/2 бет")
        assert data[:4] == ["q:v:1", "q:n:1", "q:m:1", "q:c:1"] and data[-1] == "q:p:5"
        assert all(len(d.encode()) <= 64 for d in data)
        [second] = await press(bot, "q:p:5")
        assert "2/2 бет" in second and "Пост №7" in second
        [moved] = await press(bot, "q:m:7")
        assert "келесі слотқа көшірілді: сейсенбі, 08.12.2026 13:00" in moved  # the first 13:00 after its own time
        moved_to = datetime(2026, 12, 8, 13, 0, tzinfo=ALMATY)
        assert await posting.create_slot_post(services(bot.app), moved_to) is None  # the moved post fills the slot
        [cancelled] = await press(bot, "q:c:6")
        assert "Пост №6 тоқтатылды" in cancelled
        await bot.ask("/queue", user_id=ADMIN_ID)  # page 1 again (the paged message now shows page 2)
        [preview] = await press(bot, "q:v:2")
        assert "ауданда жаңа аурухана ашылды" in preview
        [now] = await press(bot, "q:n:2")
        assert "✅ Пост №2 арнаға жарияланды" in now and len(bot.channel_posts()) == 1
        [cancelled_again] = await press(bot, "q:c:6")
        assert "тоқтатылған" in cancelled_again
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25.12.2026 09:00", datetime(2026, 12, 25, 9, 0)),
        ("2026-12-25 09:00", datetime(2026, 12, 25, 9, 0)),
        ("2026-12-25T09:00", datetime(2026, 12, 25, 9, 0)),
        ("18:00", datetime(2026, 12, 1, 18, 0)),  # later today
        ("07:30", datetime(2026, 12, 2, 7, 30)),  # already past today: tomorrow
        ("ертең 09:00", datetime(2026, 12, 2, 9, 0)),
        ("Завтра  09:00", datetime(2026, 12, 2, 9, 0)),
        ("бүгін 21:15", datetime(2026, 12, 1, 21, 15)),
        ("келесі 09:00", None),
        ("09.00", None),
        ("１８:００", None),
        ("tomorrow", None),
    ],
)
def test_dates_as_editors_write_them(typed: str, expected: datetime | None) -> None:
    understood = editorial.parse_local_time(typed, START, ALMATY)
    assert understood == (expected.replace(tzinfo=ALMATY) if expected else None)


def test_impossible_dates_are_told_apart_from_unknown_forms() -> None:
    for typed in ("31.02.2026 09:00", "2026-12-01 25:00"):
        with pytest.raises(ValueError):
            editorial.parse_local_time(typed, START, ALMATY)


async def test_schedule_repeats_the_understood_time_with_the_weekday(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=Clock()) as bot:
        [kk] = await bot.ask("/schedule 1 18:00", user_id=ADMIN_ID)
        assert "жоспарланды: сейсенбі, 01.12.2026 18:00 (Алматы уақыты)" in kk
        second = await _add_article(bot, "Таразда жаңа театр ашылды", Clock())
        [ru] = await bot.ask(f"/schedule {second} завтра 09:00", user_id=ADMIN_ID, language="ru")
        assert "запланирован: среда, 02.12.2026 09:00 (время Алматы)" in ru
        [past] = await bot.ask(f"/schedule {second} бүгін 07:00", user_id=ADMIN_ID)
        assert "өтіп кетті: сейсенбі, 01.12.2026 07:00" in past
        [impossible] = await bot.ask(f"/schedule {second} 31.02.2027 09:00", user_id=ADMIN_ID)
        assert "мұндай күн не уақыт жоқ" in impossible
        [usage] = await bot.ask(f"/schedule {second} кейін", user_id=ADMIN_ID)
        assert "<code>ертең 09:00</code>" in usage
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


async def test_editors_have_their_own_menu_help_and_language(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=Clock()) as bot:
        await bot.fake.wait_for(lambda: len(bot.fake.sent("setMyCommands")) >= 5)
        own = [c for c in bot.fake.sent("setMyCommands") if c.params["scope"] == {"type": "chat", "chat_id": ADMIN_ID}]
        assert sorted(c.params.get("language_code") or "" for c in own) == ["", "ru"]
        kazakh = next(c for c in own if not c.params.get("language_code"))
        names = [command["command"] for command in kazakh.params["commands"]]
        assert {"latest", "queue", "schedule", "postnow", "edit", "delete", "log", "status"} <= set(names)
        assert "Арнадағы постты түзету" in [command["description"] for command in kazakh.params["commands"]]
        readers = [c for c in bot.fake.sent("setMyCommands") if c.params["scope"]["type"] == "all_private_chats"]
        assert all("edit" not in [x["command"] for x in c.params["commands"]] for c in readers)
        [editor_help] = await bot.ask("/help", user_id=ADMIN_ID)
        assert "/latest" in editor_help and "/edit &lt;пост&gt;" in editor_help and "/log" in editor_help
        [reader_help] = await bot.ask("/help", user_id=READER_ID)
        assert "/edit" not in reader_help
        await bot.ask("/lang ru", user_id=ADMIN_ID)
        [queue] = await bot.ask("/queue", user_id=ADMIN_ID)
        assert queue == "В очереди нет постов."
        # the editor's menu follows the new language, whatever language their Telegram is in
        menus = [c for c in bot.fake.sent("setMyCommands") if c.params["scope"].get("chat_id") == ADMIN_ID]
        for menu in menus[-2:]:
            assert "Исправить пост в канале" in [x["description"] for x in menu.params["commands"]]
        [status] = await bot.ask("/status", user_id=ADMIN_ID)
        assert "Канал @aikyn_test_channel: ✅" in status and "в очереди 0" in status
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


async def test_failures_are_told_once_whatever_sent_the_post(tmp_path: Path) -> None:
    fake = FakeBotApi(channel_admin=False)
    clock = Clock()
    async with running_bot(tmp_path, fake, clock=clock) as bot:
        svc = services(bot.app)
        [reply] = await bot.ask("/postnow 1", user_id=ADMIN_ID)
        assert "❌ Пост №1 жіберілмеді" in reply and "бот арнаға жаза алмайды" in reply and "/postnow 1" in reply
        second = await _add_article(bot, "Қостанайда жаңа зауыт ашылды", clock)
        await posts.create(svc.db, second, clock(), "slot", created_by=None, now=clock())
        await bot.fake.wait_for(lambda: any("Пост №2 жіберілмеді" in t for t in editor_messages(bot)))
        for _ in range(3):
            await jobs.send_round(bot.app)
        told = [t for t in editor_messages(bot) if "жіберілмеді" in t]
        assert [t.split(" жіберілмеді")[0] for t in told] == ["❌ Пост №1", "❌ Пост №2"]
        [status] = await bot.ask("/status", user_id=ADMIN_ID)
        assert "жіберілмеген 2" in status and "қазір жариялады" in status
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


async def test_a_correction_imported_by_another_process_reaches_editors(tmp_path: Path) -> None:
    """`aikyn-bot import` runs in its own process: the database itself records the change (a trigger), and the
    running bot tells editors, in the language each last wrote in."""
    from storage import open_database

    clock = Clock()
    async with running_bot(tmp_path, clock=clock, admin_ids=frozenset({ADMIN_ID, RU_ADMIN})) as bot:
        await bot.ask("/postnow 1", user_id=ADMIN_ID)
        await bot.ask("/log", user_id=RU_ADMIN, language="ru")
        other_process = await open_database(bot.settings.database_path)
        try:
            article = await articles.get(other_process, 1)
            assert article is not None
            body = article.body.replace("бірегей тәжірибесі", "ерекше тәжірибесі")
            draft = ArticleDraft(title=article.title, lead=article.lead, body=body)
            report = importer.ImportReport()
            await importer.import_drafts(other_process, [draft], report, source="cli")
            assert report.updated == 1
        finally:
            await other_process.close()

        def notices() -> list[str]:
            return [t for t in editor_messages(bot) if "өзгерді" in t or "изменилась" in t]

        await bot.fake.wait_for(lambda: len(notices()) >= 2, timeout=10)
        assert len(notices()) == 2 and any("изменилась" in t for t in notices())
        unchanged_again = await importer.save_article(services(bot.app).db, draft, now=clock())
        assert unchanged_again.outcome == "unchanged"
        await jobs.send_round(bot.app)
        assert len(notices()) == 2  # told once


async def test_approval_is_asked_the_configured_minutes_before_each_slot(tmp_path: Path) -> None:
    from datetime import time

    async with running_bot(tmp_path, post_times=(time(0, 10), time(9)), approval_minutes=15) as bot:
        jobs_by_name = {j.name: j for j in bot.app.job_queue.jobs()}  # type: ignore[union-attr]
        asked = {name: job.next_t.astimezone(ALMATY).time() for name, job in jobs_by_name.items() if job.next_t}
        assert asked["approval-09:00"] == time(8, 45) and asked["slot-09:00"] == time(9)
        assert asked["approval-00:10"] == time(23, 55)  # the evening before


async def _feed_facts(db: Database, now: datetime) -> None:
    """A feed read with some pages failing and three given up for two reasons; another that could not be read."""
    good, broken = "https://aikyn.kz/rss", "https://aikyn.kz/broken.xml"
    counts = feed_state.PollCounts(items=9, new=2, updated=1, unchanged=3, held=1, failed=2, first_error="timeout")
    await feed_state.record_poll(db, good, now, "new 2", counts=counts)
    for n, error in enumerate(("http 404", "not_article", "not_article")):
        page = f"https://aikyn.kz/news/{n}"
        await feed_state.record_item_failure(
            db, page, good, entry_updated="", error=error, now=now, retry_at=now, give_up=True
        )
    await feed_state.record_poll(db, broken, now, "error", problem="not_feed: mismatched tag: line 3, column 2")
    async with db.transaction() as conn:
        for user_id, status in ((7, "sent"), (8, "sent"), (9, "pending"), (10, "capped"), (11, "failed")):
            await conn.execute(
                "INSERT INTO notifications (user_id, kind, article_id, status, local_day, created_at)"
                " VALUES (?, 'article', 1, ?, '2026-12-01', '2026-12-01T03:00:00Z')",
                (user_id, status),
            )


async def test_status_tells_what_each_feed_brought_and_what_failed_and_the_followers_outbox(tmp_path: Path) -> None:
    clock = Clock()
    async with running_bot(tmp_path, clock=clock) as bot:
        await _feed_facts(services(bot.app).db, clock())
        [kazakh] = await bot.ask("/status", user_id=ADMIN_ID)
        assert (
            "Лента https://aikyn.kz/rss: сейсенбі, 01.12.2026 08:00 — ⚠️ жаңа 2, жаңартылды 1, өзгеріссіз 3, "
            "редакторға ұсталды 1, бет алынбады 2 (сайт жауабы кешікті); 3 бет енді алынбайды "
            "(бетте мақала мәтіні жоқ — 2; бет табылмады, сайт жауабы 404 — 1)" in kazakh
        )
        assert "Лента https://aikyn.kz/broken.xml: сейсенбі, 01.12.2026 08:00 — ❌ лента оқылмады: бұл " in kazakh
        assert "Жазылушыларға хабарламалар: кезекте 1, жіберілген 2, кешкі тізімді күтеді 1, жеткізілмеген 1" in kazakh
        await bot.ask("/lang ru", user_id=ADMIN_ID)
        [russian] = await bot.ask("/status", user_id=ADMIN_ID)
        assert (
            "— ⚠️ новых 2, обновлено 1, без изменений 3, задержано для редактора 1, страниц не получено 2 (сайт не "
            "ответил вовремя); страниц больше не запрашивается: 3 (на странице нет текста статьи — 2; страница не "
            "найдена, ответ сайта 404 — 1)" in russian
        )
        assert "— ❌ ленту прочитать не удалось: это не лента новостей или она повреждена" in russian
        assert "Уведомления подписчикам: в очереди 1, отправлено 2, ждут вечерней сводки 1, не доставлено 1" in russian
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


# ---- articles editors send ----------------------------------------------------------------------------------

NEW_SCHOOL_PAGE = """<!doctype html><html lang="kk"><head><meta charset="utf-8">
<title>Жезқазғанда жаңа мектеп ашылды | Айқын</title></head>
<body><nav><a href="/">Басты бет</a> <a href="/qogam">Қоғам</a></nav><article><h1>Жезқазғанда жаңа мектеп ашылды</h1>
<p>Жезқазған қаласында 600 оқушыға арналған жаңа мектеп ашылды. Ғимаратта химия мен физика зертханалары,
спорт залы және кітапхана бар.</p>
<p>«Балалар енді үш ауысыммен оқымайды, сабақ бір ауысымда өтеді», – деді мектеп директоры Гүлнар Сейітова.</p>
<p>Мектептің құрылысы екі жыл бұрын басталған. Қала әкімдігінің айтуынша, келесі жылы тағы бір мектеп салынады.</p>
</article><footer>© Айқын</footer></body></html>"""
CAPTION_ONLY_PAGE = """<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>Саябақ | Айқын</title></head>
<body><article><h1>Саябақта жаңа алаң</h1><p>Суретте: жаңа балалар алаңы. Фото: Айқын</p></article></body></html>"""


async def _upload(bot: Harness, content: bytes, name: str, *, language: str = "kk", count: int = 1) -> list[str]:
    update = bot.fake.add_update(bot.fake.user_document(content, name, user_id=ADMIN_ID, language=language))
    return [c.params["text"] for c in await bot.replies_to(update, count=count, timeout=30)]


async def test_an_editor_uploads_a_page_of_their_own(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=Clock()) as bot:
        [imported, preview] = await _upload(bot, NEW_SCHOOL_PAGE.encode(), "мектеп.html", count=2)
        assert imported == "№2 (жаңа): Жезқазғанда жаңа мектеп ашылды"
        assert preview.startswith("<b>Жезқазғанда жаңа мектеп ашылды</b>") and "Гүлнар Сейітова" in preview
        [again, _] = await _upload(bot, NEW_SCHOOL_PAGE.encode(), "мектеп.htm", count=2)
        assert again == "№2 (өзгеріссіз): Жезқазғанда жаңа мектеп ашылды"
        [held, _] = await _upload(bot, CAPTION_ONLY_PAGE.encode(), "саябақ.html", language="ru", count=2)
        assert held.startswith("№3 (новая): Саябақ\n⏸ Сама в канал не выйдет: ") and "кнопками" in held
        article = await articles.get(services(bot.app).db, 3)
        assert article is not None and article.held_reason
        [empty] = await _upload(bot, b"<html><head><title></title></head><body></body></html>", "бос.html")
        assert empty == "бос.html: бетте мақала мәтіні табылмады"
        for message in editor_messages(bot):
            assert_kazakh_or_russian(message)


async def test_a_file_of_many_records_is_imported_in_one_batch_and_each_outcome_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "Ауылда жаңа мектеп ашылды. Мектепте 300 бала оқиды, спорт залы мен кітапхана бар."
    records = [json.dumps({"title": f"Ауыл жаңалығы {n}", "body": f"{body} Нөмірі {n}."}) for n in range(3)]
    records.insert(2, '{"title": "Бүлінген жол", ')
    records.append(json.dumps({"title": "Тексеруден өтпейтін жазба", "body": body}))
    real = importer.checked_draft

    def strict(draft: ArticleDraft) -> ArticleDraft:  # the importer refuses a record (as one with no title)
        if draft.title == "Тексеруден өтпейтін жазба":
            raise importer.ArticleRejected("no title")
        return real(draft)

    monkeypatch.setattr(importer, "checked_draft", strict)
    batches: list[int] = []
    real_import = importer.import_drafts

    async def counted(*args: Any, **kwargs: Any) -> None:
        batches.append(1)
        await real_import(*args, **kwargs)

    monkeypatch.setattr(importer, "import_drafts", counted)
    content = "\n".join(records).encode()
    async with running_bot(tmp_path, clock=Clock()) as bot:
        [listed, preview] = await _upload(bot, content, "көп.jsonl", language="ru", count=2)
        assert listed.split("\n") == [
            "Статьи из файла: новых 3, обновлено 0, без изменений 0, не принято 2",
            "№2 (новая): Ауыл жаңалығы 0",
            "№3 (новая): Ауыл жаңалығы 1",
            "№4 (новая): Ауыл жаңалығы 2",
            "⚠️ көп.jsonl: строка 3: ошибка в JSON",
            "⚠️ «Тексеруден өтпейтін жазба»: нет заголовка",
        ]
        assert preview.startswith("<b>Ауыл жаңалығы 2</b>") and batches == [1]
        [again, *_] = await _upload(bot, content, "көп.jsonl")
        assert again.startswith("Файлдағы мақалалар: жаңа 0, жаңартылды 0, өзгеріссіз 3, алынбады 2\n")
        [log] = await bot.ask("/log", user_id=ADMIN_ID)
        assert log.count("мақала қосты") == 3
        # the size is checked on the bytes read, whatever Telegram said of the file
        ed = editorial.Editor(services(bot.app), bot.app.bot, ADMIN_ID, "Редактор", "ru")
        [too_big] = await editorial.import_upload(ed, "үлкен.txt", b"a" * (editorial.MAX_UPLOAD_BYTES + 1))
        assert too_big.text == "үлкен.txt: файл слишком большой (не больше 2 МБ)"
        for message in [*editor_messages(bot), too_big.text]:
            assert_kazakh_or_russian(message)


@pytest.mark.parametrize(
    ("command", "language", "expected"),
    [
        ("/postnow ١٢", "kk", "«١٢» — нөмір емес."),
        ("/postnow １２", "kk", "«１２» — нөмір емес."),
        ("/postnow 9223372036854775808", "kk", "«9223372036854775808» — нөмір емес."),  # 2^63
        ("/preview -1", "kk", "«-1» — нөмір емес."),
        ("/edit 99999999999999999999", "ru", "«99999999999999999999» — не номер."),
        ("/cancel ٣", "ru", "«٣» — не номер."),
        ("/schedule ١٢ 18:00", "kk", "«١٢» — нөмір емес."),
        ("/postnow 9223372036854775807", "kk", "№9223372036854775807 мақала табылмады"),  # 2^63 − 1: an id
        ("/delete 9223372036854775807", "ru", "Пост №9223372036854775807 не найден"),
    ],
)
async def test_ids_in_editor_commands_are_ascii_digits_within_sqlites_integers(
    tmp_path: Path, command: str, language: str, expected: str
) -> None:
    async with running_bot(tmp_path, clock=Clock()) as bot:
        [reply] = await bot.ask(command, user_id=ADMIN_ID, language=language)
        assert reply.startswith(expected)
        assert_kazakh_or_russian(reply)


async def test_forged_editor_buttons_are_refused_politely_and_change_nothing(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=Clock()) as bot:
        await bot.ask("/postnow 1", user_id=ADMIN_ID)
        message = list(bot.fake.messages.values())[-1]
        forged = [f"again:n:{2**63}", f"ap:y:1:{2**63}", f"q:v:{2**63 + 5}", "up:99999999999999999999", "again:n:١"]
        for data in forged:
            bot.fake.add_update(bot.fake.button_press(message, data, user_id=ADMIN_ID))
        await bot.fake.wait_for(lambda: len(bot.fake.sent("answerCallbackQuery")) == len(forged))
        alerts = [c.params.get("text") for c in bot.fake.sent("answerCallbackQuery")]
        assert alerts.count("Бұл батырма ескірген.") == 3 and all("ескірген" in str(a) for a in alerts)
        [never] = await press(bot, "again:s:1:999999999999", message=message)  # a time no calendar has
        assert never == "Бұл батырма ескірген."
        assert len(bot.channel_posts()) == 1
        assert [p.status for p in await posts.of_article(services(bot.app).db, 1)] == ["sent"]


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_every_editor_message_is_kazakh_or_russian_in_both_languages(tmp_path: Path, language: str) -> None:
    """An editor's day in one language, mistakes included: every message, button answer and alert."""
    from datetime import time

    clock = Clock()
    tomorrow = "ертең 09:00" if language == "kk" else "завтра 09:00"
    async with running_bot(tmp_path, clock=clock, post_times=(time(9), time(18))) as bot:

        async def ask(command: str) -> str:
            return (await bot.ask(command, user_id=ADMIN_ID, language=language))[0]

        for command in ("/help", "/queue", "/log", "/status", "/schedule", "/schedule 1 кейін", "/cancel", "/edit x"):
            await ask(command)
        await ask("/schedule 1 31.02.2027 09:00")
        await ask("/schedule 1 01.01.2020 09:00")
        await ask(f"/schedule 1 {tomorrow}")
        await ask("/schedule 1 20:00")  # already queued: post again?
        await press(bot, _buttons(bot, "№1")[0], language=language)
        await ask("/queue")
        queued = [p.id for p in await posts.of_article(services(bot.app).db, 1)]
        await press(bot, f"q:m:{queued[0]}", language=language)
        await press(bot, f"q:c:{queued[1]}", language=language)
        await press(bot, f"q:c:{queued[1]}", language=language)  # cancelled already
        await press(bot, f"q:n:{queued[0]}", language=language, count=1)
        await ask("/postnow 1")  # in the channel already
        await press(bot, "keep", language=language)
        await ask(f"/edit {queued[0]}")
        await ask(f"/delete {queued[0]}")
        await ask(f"/delete {queued[0]}")  # not in the channel any more
        await ask("/preview 999")
        await ask("/postnow 999")
        await ask("Қысқа мәтін")
        await _upload(bot, b"\x00\x01", "файл.txt", language=language)
        await _upload(bot, b"{}", "файл.json", language=language)
        await _upload(bot, b"x", "фото.png", language=language)
        [status] = [await ask("/status")]
        assert ("Посттар:" if language == "kk" else "Посты:") in status
        texts = [
            *editor_messages(bot),
            *(str(c.params.get("text") or "") for c in bot.fake.sent("answerCallbackQuery")),
        ]
        assert len(texts) > 25
        for message in texts:
            assert_kazakh_or_russian(message)
            if language == "ru":
                ours = re.sub(r"«.*»|<b>[^<]*</b>|Оқырман", "", message)  # article titles, the test user's name
                assert not re.search("[әғқңөұүһі]", ours), message


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_readers_help_and_greeting_have_no_english(tmp_path: Path, language: str) -> None:
    async with running_bot(tmp_path) as bot:
        for command in ("/start", "/help", "/article", "/article х"):
            [reply] = await bot.ask(command, user_id=READER_ID, language=language)
            assert_kazakh_or_russian(reply)
