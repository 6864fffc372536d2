"""Inline mode over the HTTP Bot API fake: `@bot <words>` lists articles or quotes within Telegram's limits."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bot import importer
from bot.fakeapi.server import FakeBotApiServer
from bot.records import ArticleDraft
from storage import listings
from tests.conftest import bot_api_spec
from tests.harness import Harness, running_bot
from tests.test_following import until


async def inline(bot: Harness, query: str, *, offset: str = "", language: str = "kk") -> dict[str, Any]:
    """Type `@bot <query>`; the answer the fake accepted (results and next_offset)."""
    update = bot.fake.add_update(bot.fake.inline_query(query, offset=offset, language=language))
    query_id = update["inline_query"]["id"]

    def answered() -> list[Any]:
        return [
            c for c in bot.fake.calls if c.method == "answerInlineQuery" and c.params["inline_query_id"] == query_id
        ]

    [call] = await bot.fake.wait_for(answered)
    assert call.status == 200, call
    return bot.fake.inline_answers[query_id]


def seeded_on_february_1st() -> datetime:
    """The bot's clock: the seed article counts as imported on 1 February 2026, before every article here."""
    return datetime(2026, 2, 1, 6, 0, tzinfo=UTC)


def article_result(n: int) -> ArticleDraft:
    return ArticleDraft(
        title=f"Жол құрылысы: {n}-учаске & <жаңа> тас жол",
        body=f"Астана мен Алматы арасындағы жолдың {n}-учаскесі жөнделді. Жол құрылысы жалғасады.",
        url=f"https://aikyn.kz/roads/{n}.html",
        published_at=datetime(2026, 3, 1 + n % 20, 9, 0, tzinfo=UTC),
        image_url=f"https://aikyn.kz/img/road-{n}.jpg",
    )


async def test_an_empty_query_lists_the_newest_articles_with_thumbnails_and_a_card_to_send(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=seeded_on_february_1st) as bot:
        db = bot.app.bot_data["services"].db
        await importer.save_article(db, article_result(1))
        found = await inline(bot, "")
        first = found["results"][0]
        assert first["type"] == "article" and first["id"] == "a2"
        assert first["title"].startswith("Жол құрылысы: 1-учаске")
        assert first["thumbnail_url"] == "https://aikyn.kz/img/road-1.jpg"
        assert first["description"].startswith("02.03.2026 · ")  # the date in Almaty, then the summary
        card = first["input_message_content"]
        assert card["parse_mode"] == "HTML" and "&amp; &lt;жаңа&gt;" in card["message_text"]
        [buttons] = first["reply_markup"]["inline_keyboard"]
        assert buttons[0]["url"] == "https://t.me/aikyn_test_bot?start=article_2"
        assert buttons[1]["url"] == "https://aikyn.kz/roads/1.html"
        assert found["results"][1]["id"] == "a1" and "thumbnail_url" not in found["results"][1]
        assert found["next_offset"] == ""


async def test_words_page_through_matches_with_next_offset(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=seeded_on_february_1st) as bot:
        db = bot.app.bot_data["services"].db
        for n in range(25):
            await importer.save_article(db, article_result(n))
        first = await inline(bot, "жолдың құрылысы")
        assert len(first["results"]) == 20 and first["next_offset"] == "20"
        second = await inline(bot, "жолдың құрылысы", offset=first["next_offset"])
        assert len(second["results"]) == 5 and second["next_offset"] == ""
        ids = [r["id"] for r in first["results"] + second["results"]]
        assert len(set(ids)) == 25 and "a1" not in ids  # the seed article is not about roads
        assert all(len(i.encode()) <= 64 for i in ids)
        nothing = await inline(bot, "гидротехник")
        assert nothing["results"] == []
        forged = await inline(bot, "жол", offset="'; DROP")
        assert len(forged["results"]) == 20


async def test_quotes_by_guillemet_or_by_name_and_the_chosen_card_is_counted(tmp_path: Path) -> None:
    async with running_bot(tmp_path, clock=seeded_on_february_1st) as bot:
        latest = await inline(bot, "«")
        assert latest["results"] and all(r["id"].startswith("q") for r in latest["results"])
        by_name = await inline(bot, "Абдуллиннің", language="ru")
        assert len(by_name["results"]) == 2
        assert by_name["results"][0]["title"] == "Слова: Руслан Абдуллин"
        card = by_name["results"][0]["input_message_content"]["message_text"]
        assert "— <b>Руслан Абдуллин</b>" in card
        assert by_name["results"][0]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Читать в боте"
        words = await inline(bot, "керуен")
        assert words["results"][0]["id"] == "a1"
        bot.fake.add_update(bot.fake.chosen_inline_result("a1", "керуен"))
        db = bot.app.bot_data["services"].db

        async def counted() -> bool:
            return await listings.shares(db, 1) == 1

        await until(counted)


async def test_every_inline_result_field_is_one_the_bot_api_defines(tmp_path: Path) -> None:
    types = bot_api_spec()["types"]
    known = {f["name"] for f in types["InlineQueryResultArticle"]["fields"]}
    content = {f["name"] for f in types["InputTextMessageContent"]["fields"]}
    async with running_bot(tmp_path, clock=seeded_on_february_1st) as bot:
        for result in (await inline(bot, ""))["results"] + (await inline(bot, "«"))["results"]:
            assert set(result) <= known, set(result) - known
            assert set(result["input_message_content"]) <= content


async def test_the_fake_refuses_inline_answers_telegram_refuses() -> None:
    async with FakeBotApiServer() as server:
        fake = server.fake
        url = f"{server.base_url}{server.token}/answerInlineQuery"

        def article(result_id: str, **extra: Any) -> dict[str, Any]:
            content = {"message_text": "<b>ok</b>", "parse_mode": "HTML"}
            return {"type": "article", "id": result_id, "title": "t", "input_message_content": content, **extra}

        async with httpx.AsyncClient() as client:

            async def answer(results: list[Any], **params: Any) -> httpx.Response:
                query_id = fake.inline_query("x")["inline_query"]["id"]
                body = {"inline_query_id": query_id, "results": results, **params}
                return await client.post(url, json=body)

            def error(response: httpx.Response) -> str:
                assert response.status_code == 400
                return str(response.json()["description"])

            assert (await answer([article("a1")], next_offset="20")).status_code == 200
            assert error(await answer([article(f"a{n}") for n in range(51)])) == "Bad Request: RESULTS_TOO_MUCH"
            assert error(await answer([article("a" * 65)])) == "Bad Request: RESULT_ID_INVALID"
            assert error(await answer([article("")])) == "Bad Request: RESULT_ID_INVALID"
            assert error(await answer([article("a1"), article("a1")])) == "Bad Request: RESULT_ID_DUPLICATE"
            assert error(await answer([{**article("a1"), "type": "poster"}])) == "Bad Request: RESULT_TYPE_INVALID"
            assert "required" in error(await answer([{"type": "article", "id": "a1", "title": "t"}]))
            assert error(await answer([article("a1")], next_offset="9" * 65)) == "Bad Request: NEXT_OFFSET_INVALID"
            assert error(await answer([article("a1", thumbnail_url="ftp://x")])) == "Bad Request: THUMBNAIL_URL_INVALID"
            bad_html = {**article("a1"), "input_message_content": {"message_text": "<b>x", "parse_mode": "HTML"}}
            assert error(await answer([bad_html])).startswith("Bad Request: Can't parse entities")
            long_text = {**article("a1"), "input_message_content": {"message_text": "x" * 4097}}
            assert error(await answer([long_text])) == "Bad Request: message is too long"
            forged = await client.post(url, json={"inline_query_id": "123", "results": []})
            assert "query ID is invalid" in error(forged)
            query_id = fake.inline_query("x")["inline_query"]["id"]
            assert (await client.post(url, json={"inline_query_id": query_id, "results": []})).status_code == 200
            again = await client.post(url, json={"inline_query_id": query_id, "results": []})
            assert "query ID is invalid" in error(again)
