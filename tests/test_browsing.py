"""Better browsing: /quotes pages and person filters, follow buttons, matched words in bold, Russian queries."""

from __future__ import annotations

from pathlib import Path

from bot import importer
from bot.browsing import bold_matches, match_terms, russian_hint
from bot.fakeapi.html_check import check_html
from bot.records import ArticleDraft
from bot.russian_names import kazakh_spelling, looks_russian
from storage import Database, listings
from tests.harness import READER_ID, Harness, running_bot

HARVEST = ArticleDraft(
    title="Егін науқаны басталды",
    body=(
        "Ауыл шаруашылығы министрлігінде жиын өтті.\n\n"
        "«Биыл егін жақсы шығады», – деді министр Дәурен Сәрсенов.\n\n"
        "«Су жеткілікті, арналар тазаланды», – деді облыс әкімі Мұрат Жақыпов.\n\n"
        "«Фермерлерге несие беріледі», – деді Дәурен Сәрсенов.\n\n"
        "«Жаңа техника сатып алынды», – деді Мұрат Жақыпов."
    ),
)


async def last_message_buttons(bot: Harness) -> list[list[dict[str, str]]]:
    message = max(bot.fake.messages.values(), key=lambda m: m.message_id)
    return (message.reply_markup or {}).get("inline_keyboard", [])


async def press(bot: Harness, data: str, method: str = "editMessageText") -> str:
    """Press a button of the newest message; the text the bot shows in answer."""
    message = max(bot.fake.messages.values(), key=lambda m: m.message_id)
    before = len(bot.fake.sent(method))
    bot.fake.add_update(bot.fake.button_press(message, data))
    await bot.fake.wait_for(lambda: len(bot.fake.sent(method)) > before)
    return bot.fake.sent(method)[-1].params["text"]


async def test_quotes_page_with_buttons_and_filter_by_person(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        await importer.save_article(bot.app.bot_data["services"].db, HARVEST)
        [first] = await bot.ask("/quotes")
        assert first.count("— <b>") == 5 and "Жақыпов" in first and "1 бет" in first
        rows = await last_message_buttons(bot)
        people = {b["text"]: b["callback_data"] for b in rows[0]}
        assert people["👤 Жақыпов"] == "qs:жақыпов::0"
        assert rows[-1][-1]["callback_data"] == "qp:5"
        second = await press(bot, "qp:5")
        assert "2 бет" in second and "Италиева" in second and "Жақыпов" not in second
        person = await press(bot, "qs:жақыпов::0")
        assert "Дәйексөздер: Жақыпов" in person and person.count("— <b>Мұрат Жақыпов") == 2
        assert "Сәрсенов" not in person
        follow = (await last_message_buttons(bot))[-1][0]
        assert follow == {"text": "🔔 Жазылу: Жақыпов", "callback_data": "fs:жақыпов"}
        confirmation = await press(bot, "fs:жақыпов", method="sendMessage")
        assert "Жазылдыңыз: <b>Жақыпов</b>" in confirmation
        [listing] = await bot.ask("/following")
        assert "1. Жақыпов" in listing


async def test_a_person_quotes_in_any_case_form_and_an_article_offers_follow_buttons(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        [reply] = await bot.ask("/quotes Абдуллинге", language="ru")
        assert "Цитаты: Абдуллин" in reply and reply.count("— <b>Руслан Абдуллин") == 2
        replies = await bot.ask("/article 1")
        rows = bot.fake.sent("sendMessage", chat_id=READER_ID)[-1].params["reply_markup"]["inline_keyboard"]
        follow_row = rows[-1]
        assert follow_row[0]["text"].startswith("🔔 Жазылу: ")
        assert all(b["callback_data"].startswith("fe:") for b in follow_row)
        done = await press(bot, follow_row[0]["callback_data"], method="sendMessage")
        assert "Жазылдыңыз" in done
        assert replies
        await bot.ask("/quotes 1")
        under_quotes = bot.fake.sent("sendMessage", chat_id=READER_ID)[-1].params["reply_markup"]["inline_keyboard"]
        assert under_quotes == [follow_row]


async def test_search_results_show_matched_words_in_bold(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        [reply] = await bot.ask("/search керуенге")
        assert "<b>керуені</b>" in reply
        assert check_html(reply)[0] is None
        assert not [c for c in bot.fake.calls if c.status != 200]


def test_bold_matches_escapes_text_and_balances_tags() -> None:
    terms = match_terms(["қазақстан", "іс-шара"])
    html = bold_matches("A <b> & Қазақстанның іс-шарасы, «AMANAT»", terms)
    assert html == "A &lt;b&gt; &amp; <b>Қазақстанның</b> <b>іс</b>-<b>шарасы</b>, «AMANAT»"
    assert check_html(html)[0] is None


async def test_a_russian_query_gets_a_hint_with_the_kazakh_spelling(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        [russian] = await bot.ask("/search Казахстана", language="ru")
        assert "Архив на казахском языке" in russian and "Казахстана → <b>Қазақстан</b>" in russian
        [road] = await bot.ask("/search дорога", language="ru")
        assert "ничего не найдено" in road and "Попробуйте искать казахскими словами" in road
        [kazakh_reader] = await bot.ask("/search Казахстан")
        assert "Мұрағат қазақ тілінде" in kazakh_reader and "<b>Қазақстан</b>" in kazakh_reader
        [kazakh] = await bot.ask("/search Қазақстан")
        assert "ℹ️" not in kazakh


def test_russian_place_names_and_russian_looking_words() -> None:
    assert kazakh_spelling("Казахстане") == "Қазақстан"
    assert kazakh_spelling("Москве") == "Мәскеу"
    assert kazakh_spelling("Алматы") is None  # the same in both languages
    assert kazakh_spelling("Астанада") is None  # already Kazakh, with a Kazakh ending
    assert looks_russian("образование") and looks_russian("Казахстан")
    assert not looks_russian("дала") and not looks_russian("Қазақстан") and not looks_russian("road")
    assert russian_hint("kk", "Қазақстан", found_any=False) is None
    assert russian_hint("ru", "дорога", found_any=True) is None


async def test_a_persons_quotes_are_paged_and_counted_on_every_page(fresh_db: Database) -> None:
    said = "".join(f"«Жаңа мектеп саламыз, {n}-жоспар дайын», – деді әкім Мұрат Жақыпов.\n\n" for n in range(7))
    said += "«Жол жөнделеді», – деді Марат Жақыпов.\n\n«Су бар», – деді Дәурен Сәрсенов."
    await importer.save_article(fresh_db, ArticleDraft(title="Әкімнің жиыны", body=said))
    pages = [await listings.quotes_of_person_page(fresh_db, "Жақыпов", limit=5, offset=o) for o in (0, 5, 10)]
    assert [(len(found), total) for found, total in pages] == [(5, 8), (3, 8), (0, 8)]
    only_murat, total = await listings.quotes_of_person_page(fresh_db, "жақыпов", given_prefix="Мұр", limit=5, offset=5)
    assert total == 7 and [q.speaker for q in only_murat] == ["Мұрат Жақыпов"] * 2
    assert await listings.quotes_of_person_page(fresh_db, "Сәрсенов", limit=5, offset=0) == (
        [await _only_quote(fresh_db, "Сәрсенов")],
        1,
    )


async def _only_quote(db: Database, surname: str) -> listings.PagedQuote:
    [quote], _ = await listings.quotes_of_person_page(db, surname, limit=1, offset=0)
    return quote
