from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import httpx
import pytest

from bot import importer, reading
from bot.fakeapi.server import FakeBotApiServer
from bot.records import ArticleDraft
from tests.conftest import bot_api_spec
from tests.harness import ADMIN_ID, READER_ID, running_bot


def visible(html_text: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html_text))


async def test_start_greets_and_deep_link_opens_the_article(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        [greeting] = await bot.ask("/start")
        assert "Айқын" in greeting and "/latest" in greeting
        replies = await bot.ask("/start article_1")
        assert replies[0].startswith("<b>Бейбітшілік және келісім керуені")
        [russian] = await bot.ask("/start", language="ru")
        assert "Здравствуйте" in russian
        readers_menu = [c for c in bot.fake.sent("setMyCommands") if c.params["scope"]["type"] == "all_private_chats"]
        kinds = [c.params.get("language_code") for c in readers_menu]
        assert sorted(k or "" for k in kinds) == ["", "kk", "ru"]


async def test_latest_lists_articles_with_buttons_and_a_button_opens_one(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        update = await bot.send("/latest")
        [call] = await bot.replies_to(update)
        assert "<b>1.</b> Бейбітшілік және келісім керуені" in call.params["text"]
        markup = call.params["reply_markup"]["inline_keyboard"]
        assert markup[0][0]["callback_data"] == "a:1"
        message = bot.fake.messages[(str(READER_ID), max(m for (_, m) in bot.fake.messages))]
        press = bot.fake.add_update(bot.fake.button_press(message, "a:1"))
        opened = await bot.replies_to(press)
        assert opened[0].params["text"].startswith("<b>Бейбітшілік")
        forged = bot.fake.add_update(bot.fake.button_press(message, "a:1;DROP"))
        await bot.fake.wait_for(
            lambda: any(c.method == "answerCallbackQuery" and c.params.get("show_alert") for c in bot.fake.calls)
        )
        alert = next(c for c in bot.fake.calls if c.method == "answerCallbackQuery" and c.params.get("show_alert"))
        assert "ескірген" in alert.params["text"]
        assert alert.params["callback_query_id"] == forged["callback_query"]["id"]  # the forged press, refused


async def test_long_article_is_split_without_losing_or_repeating_text(tmp_path: Path) -> None:
    paragraphs = [f"{n}-абзац. " + "Ауылда жаңа мектеп ашылды & <оқушылар> қуанды. " * 40 for n in range(1, 9)]
    paragraphs.append("Бір өте ұзын абзац " + "сөз " * 1500 + "соңы.")
    async with running_bot(tmp_path) as bot:
        saved = await importer.save_article(
            bot.app.bot_data["services"].db, ArticleDraft(title="Ұзын <мақала>", body="\n\n".join(paragraphs))
        )
        start = len(bot.fake.calls)
        await bot.send(f"/article {saved.id}")
        await bot.fake.wait_for(
            lambda: any("r:" in json.dumps(c.params.get("reply_markup")) for c in bot.fake.calls[start:])
        )
        replies = [c.params["text"] for c in bot.fake.calls[start:] if c.method == "sendMessage"]
        assert len(replies) >= 5
        texts = [visible(t) for t in replies]
        assert all(len(t) <= 4096 for t in texts)
        joined = " ".join(" ".join(t.split()) for t in texts)
        assert joined.startswith("Ұзын <мақала>")
        for paragraph in paragraphs:
            assert joined.count(" ".join(paragraph.split())[:60]) == 1
        assert " ".join(joined.split()).endswith("соңы.")
        assert sum(t.count("сөз") for t in texts) == 1500
        failed = [c for c in bot.fake.calls if c.status != 200 and c.method == "sendMessage"]
        assert failed == []


async def test_quotes_by_name_in_any_case_form_by_article_and_latest(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        for query in ["/quotes Абдуллиннің", "/quotes абдуллин", "/quotes Руслан Абдуллин"]:
            [reply] = await bot.ask(query)
            assert "Руслан Абдуллин" in reply and "1995 жылы" in reply, query
        [by_article] = await bot.ask("/quotes 1")
        for speaker in ["Еркебұлан Жаулыбаев", "Руслан Абдуллин", "Талшын Италиева"]:
            assert speaker in by_article
        [nobody] = await bot.ask("/quotes Назарбаев")
        assert "табылмады" in nobody
        [latest] = await bot.ask("/quotes")
        assert "Италиева" in latest


async def test_related_events_and_paged_search(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        db = bot.app.bot_data["services"].db
        await importer.save_article(
            db,
            ArticleDraft(
                title="Қазақстан халқы Ассамблеясы жиын өткізді",
                body="Жиынға «Бейбітшілік және келісім» қайырымдылық қорының президенті Руслан Абдуллин қатысты. "
                "Қор 1995 жылы құрылған. Руслан Абдуллин жаңа жобаларды таныстырды.",
            ),
        )
        for n in range(7):
            await importer.save_article(db, ArticleDraft(title=f"Ауыл жаңалығы {n}", body=f"Ауылда {n} үй салынды."))
        [related] = await bot.ask("/related 1")
        assert "<b>2.</b>" in related and "Руслан Абдуллин" in related
        [timeline] = await bot.ask("/events 1")
        assert timeline.index("1940–1949") < timeline.index("1995") < timeline.index("2015")
        [by_word] = await bot.ask("/events қор")
        assert "1995" in by_word
        # a plausible year is a year across the archive, with or without «жылы»; article 1's 2015 event is not in it
        for command in ("/events 1995", "/events 1995 жылы"):
            [year] = await bot.ask(command)
            assert "<b>1995</b>" in year and "(№1)" in year and "(№2)" in year and "2015" not in year
        update = await bot.send("/search ауыл")
        [page1] = await bot.replies_to(update)
        assert "7" in page1.params["text"]
        pager = page1.params["reply_markup"]["inline_keyboard"][-1]
        assert pager[-1]["callback_data"].startswith("s:")
        message = max(bot.fake.messages.values(), key=lambda m: m.message_id)
        bot.fake.add_update(bot.fake.button_press(message, pager[-1]["callback_data"]))
        await bot.fake.wait_for(lambda: bot.fake.sent("editMessageText"))
        page2 = bot.fake.sent("editMessageText")[0].params["text"]
        listed = [re.findall(r"<b>(\d+)\.</b>", page) for page in (page1.params["text"], page2)]
        assert len(listed[0]) == 5 and len(listed[1]) == 2  # 7 articles: a page of 5, then the other 2
        assert set(listed[0]).isdisjoint(listed[1])


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/article", "нөмірін жазыңыз"),
        ("/article abc", "мақала нөмірі емес"),
        ("/article -5", "мақала нөмірі емес"),
        ("/article 0", "мақала нөмірі емес"),
        ("/article 99999999999999999999999", "мақала нөмірі емес"),
        ("/article 999", "табылмады"),
        ("/related", "нөмірін жазыңыз"),
        ("/search", "Іздейтін сөзді"),
        ("/search " + "ә" * 5000, "тым ұзын"),
        ("/quotes " + "x" * 5000, "тым ұзын"),
        ("/search '; DROP TABLE articles; --", "ештеңе табылмады"),
        ("/frobnicate", "Мұндай команда жоқ"),
        ("жай мәтін", "Командалар"),
    ],
)
async def test_bad_input_gets_a_clear_reply(tmp_path: Path, command: str, expected: str) -> None:
    async with running_bot(tmp_path) as bot:
        [reply] = await bot.ask(command)
        assert expected in reply
        [still_works] = await bot.ask("/latest")
        assert "Бейбітшілік" in still_works


async def test_stickers_photos_edits_and_group_commands_are_answered(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        sticker = bot.fake.add_update(bot.fake.user_sticker())
        assert "мәтінді" in (await bot.replies_to(sticker))[0].params["text"]
        photo = bot.fake.add_update(bot.fake.user_photo(caption="/latest"))
        assert "мәтінді" in (await bot.replies_to(photo))[0].params["text"]
        edited = bot.fake.add_update(bot.fake.user_message("/latest", edited=True))
        assert "жаңа хабарламамен" in (await bot.replies_to(edited))[0].params["text"]
        group = bot.fake.add_update(bot.fake.user_message("/latest", chat_type="group", chat_id=-500))
        assert "t.me/aikyn_test_bot" in (await bot.replies_to(group))[0].params["text"]


async def test_an_unexpected_error_is_logged_reported_and_the_bot_keeps_serving(
    tmp_path: Path, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    async with running_bot(tmp_path) as bot:
        monkeypatch.setattr(reading, "latest", broken)
        [apology] = await bot.ask("/latest")
        assert "бірдеңе дұрыс болмады" in apology
        await bot.fake.wait_for(lambda: bot.fake.sent("sendMessage", chat_id=ADMIN_ID))
        assert "database on fire" in caplog.text
        [help_text] = await bot.ask("/help")
        assert "/search" in help_text


async def test_language_follows_telegram_and_lang_switches_it(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        [ru] = await bot.ask("/article abc", language="ru")
        assert "не номер статьи" in ru
        [switched] = await bot.ask("/lang", language="ru")
        assert "қазақша" in switched
        [kk] = await bot.ask("/article abc", language="ru")
        assert "мақала нөмірі емес" in kk


async def test_every_recorded_call_uses_real_bot_api_methods_and_parameters(tmp_path: Path) -> None:
    spec = bot_api_spec()["methods"]
    async with running_bot(tmp_path) as bot:
        await bot.ask("/latest")
        await bot.ask("/article 1")
        await bot.ask("/postnow 1", user_id=ADMIN_ID)
        await bot.ask("/status", user_id=ADMIN_ID)
    for call in bot.fake.calls:
        assert call.method in spec, call.method
        known = {f["name"] for f in spec[call.method].get("fields", [])}
        assert set(call.params) <= known, (call.method, set(call.params) - known)


async def test_the_fake_rejects_what_telegram_rejects() -> None:
    async with FakeBotApiServer() as server:
        url = f"{server.base_url}{server.token}/sendMessage"
        async with httpx.AsyncClient() as client:

            async def send(**params: object) -> httpx.Response:
                data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
                return await client.post(url, data={"chat_id": "5", **data})

            assert (await send(text="<b>ok</b> &amp; fine", parse_mode="HTML")).status_code == 200
            assert (await send(text="x" * 4097)).status_code == 400
            assert (await send(text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML")).status_code == 200
            assert "unsupported start tag" in (await send(text="<div>x</div>", parse_mode="HTML")).json()["description"]
            assert (await send(text="<b>open", parse_mode="HTML")).status_code == 400
            assert (await send(text="a < b", parse_mode="HTML")).status_code == 400
            assert (await send(text="a & b", parse_mode="HTML")).status_code == 400
            button = {"inline_keyboard": [[{"text": "x", "callback_data": "ә" * 33}]]}
            assert (await send(text="x", reply_markup=button)).json()[
                "description"
            ] == "Bad Request: BUTTON_DATA_INVALID"
            server.fake.fail_next("sendMessage", status=429, retry_after=7)
            limited = await send(text="x")
            assert limited.status_code == 429 and limited.json()["parameters"] == {"retry_after": 7}
            assert (await client.post(f"{server.base_url}wrong/getMe")).status_code == 401


async def test_a_burst_of_more_readers_than_connections_is_answered_in_full(tmp_path: Path) -> None:
    from bot.application import TELEGRAM_CONNECTIONS
    from bot.fakeapi.core import FakeBotApi

    async with running_bot(tmp_path, FakeBotApi(latency=0.05)) as bot:
        readers = range(70_000, 70_000 + 5 * TELEGRAM_CONNECTIONS)
        for user_id in readers:
            bot.fake.add_update(bot.fake.user_message("/latest", user_id=user_id))
        await bot.fake.wait_for(lambda: bot.fake.ok_counts["sendMessage"] >= len(readers), timeout=20)
        answered = {int(c.params["chat_id"]) for c in bot.fake.sent("sendMessage")}
        assert answered == set(readers)
        assert not [c for c in bot.fake.calls if c.status != 200]
