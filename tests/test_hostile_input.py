"""What a careless or hostile sender, or an unlucky moment, does to the running bot: it answers, or says why,
and nothing it does multiplies into more failures."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot import browsing, importer, reading
from bot.fakeapi.core import FakeBotApi
from bot.handlers import follow_commands, reader_commands
from bot.message_split import split_html
from bot.records import ArticleDraft
from bot.render import visible_length
from bot.services import services
from storage import posts
from storage.timestamps import utc_now
from tests.harness import ADMIN_ID, READER_ID, running_bot
from tests.test_editorial import RU_ADMIN, assert_kazakh_or_russian


async def test_an_edited_postnow_posts_nothing(tmp_path: Path) -> None:
    async with running_bot(tmp_path, send_interval=3600) as bot:
        edited = bot.fake.add_update(bot.fake.user_message("/postnow 1", user_id=ADMIN_ID, edited=True))
        [reply] = await bot.replies_to(edited)
        assert "жаңа хабарламамен" in reply.params["text"]
        assert bot.channel_posts() == []
        assert await posts.of_article(services(bot.app).db, 1) == []


async def test_a_queue_of_52_posts_is_paged_in_messages_that_telegram_takes(tmp_path: Path) -> None:
    async with running_bot(tmp_path, send_interval=3600) as bot:
        db = services(bot.app).db
        title = "Өте ұзын тақырып: Алматы облысында жаңа мектептер мен ауруханалар салынып, жолдар жөнделді"
        for n in range(52):
            saved = await importer.save_article(db, ArticleDraft(title=f"{title} {n}", body=f"Мәтін {n}."))
            await posts.create(
                db, saved.id, utc_now() + timedelta(days=1, minutes=n), "admin", created_by=ADMIN_ID, now=utc_now()
            )
        [reply] = await bot.ask("/queue", user_id=ADMIN_ID)
        assert visible_length(reply) <= 4096
        assert not [c for c in bot.fake.calls if c.method == "sendMessage" and c.status != 200]
        [call] = bot.fake.sent("sendMessage", chat_id=ADMIN_ID)
        pages = [
            b
            for row in call.params["reply_markup"]["inline_keyboard"]
            for b in row
            if b["callback_data"].startswith("q:p:")
        ]
        assert pages, "52 posts: the queue pages, five at a time"


async def test_the_reply_to_an_upload_of_200_records_is_split_not_refused(tmp_path: Path) -> None:
    records = [
        json.dumps({"title": f"Ауылдағы жаңалықтар туралы ұзын тақырып, нөмірі {n}", "body": f"Ауылда {n} үй салынды."})
        for n in range(200)
    ]
    async with running_bot(tmp_path) as bot:
        upload = bot.fake.add_update(
            bot.fake.user_document("\n".join(records).encode(), "many.jsonl", user_id=ADMIN_ID)
        )
        chat = upload["message"]["chat"]["id"]

        def texts() -> list[str]:
            return [c.params["text"] for c in bot.fake.sent("sendMessage", chat_id=chat)]

        await bot.fake.wait_for(lambda: sum(t.count("(жаңа)") for t in texts()) == 200, timeout=90)
        assert len(texts()) >= 3 and all(visible_length(t) <= 4096 for t in texts())
        assert not [c for c in bot.fake.calls if c.status != 200 and c.method == "sendMessage"]


def test_splitting_keeps_markup_balanced_and_loses_nothing() -> None:
    line = '<b>{n}</b> · <i>Ұзын &amp; &lt;тақырып&gt; 😀 {words}</i> <a href="https://aikyn.kz/{n}">сайт</a>'
    text = "\n".join(line.format(n=n, words="сөз " * (n % 40)) for n in range(300))
    parts = split_html(text)
    assert len(parts) > 1
    from bot.fakeapi.html_check import check_html

    for part in parts:
        error, plain = check_html(part)
        assert error is None, error
        assert len(plain.encode("utf-16-le")) // 2 <= 4096
    assert "".join(check_html(p)[1] for p in parts).replace("\n", "") == check_html(text)[1].replace("\n", "")
    word = "ә" * 9000
    assert [visible_length(p) for p in split_html(f"<b>{word}</b>")] == [4096, 4096, 808]


async def test_a_double_tap_on_a_paging_button_is_not_an_error(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        db = services(bot.app).db
        for n in range(7):
            await importer.save_article(db, ArticleDraft(title=f"Ауыл жаңалығы {n}", body=f"Ауылда {n} үй салынды."))
        update = await bot.send("/latest")
        [page] = await bot.replies_to(update)
        message = max(bot.fake.messages.values(), key=lambda m: m.message_id)
        data = page.params["reply_markup"]["inline_keyboard"][-1][-1]["callback_data"]
        for _ in range(2):  # both presses carry the page as it was before the first one changed it
            bot.fake.add_update(bot.fake.button_press(message, data))
        await bot.fake.wait_for(lambda: len(bot.fake.sent("answerCallbackQuery")) == 2)
        await bot.fake.wait_for(lambda: len(bot.fake.sent("editMessageText", ok_only=False)) == 2)
        await bot.ask("/help")  # the second press has been handled by the time this is answered
        sent_after = [
            c for c in bot.fake.calls if c.method == "sendMessage" and c.params["text"] != page.params["text"]
        ]
        assert [c.params["text"][:40] for c in sent_after if "/search" not in c.params["text"]] == []


async def test_unexpected_errors_apologise_once_and_reach_admins_once_per_kind(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    async with running_bot(tmp_path, admin_ids=frozenset({ADMIN_ID, RU_ADMIN})) as bot:
        await bot.ask("/log", user_id=RU_ADMIN, language="ru")  # this editor's language is remembered
        await bot.ask("/lang ru", user_id=203)
        monkeypatch.setattr(reading, "latest", broken)
        for reader in (201, 202, 203):
            [apology] = await bot.ask("/latest", user_id=reader)
            assert ("что-то пошло не так" if reader == 203 else "бірдеңе дұрыс болмады") in apology
        await bot.fake.wait_for(lambda: bot.fake.sent("sendMessage", chat_id=ADMIN_ID))
        [alert] = bot.fake.sent("sendMessage", chat_id=ADMIN_ID)
        await bot.fake.wait_for(lambda: len(bot.fake.sent("sendMessage", chat_id=RU_ADMIN)) == 2)
        russian = bot.fake.sent("sendMessage", chat_id=RU_ADMIN)[1].params["text"]
        # what happened, where and what to do, in each admin's language; of the error, only its class
        assert "<code>RuntimeError</code>, /latest командасы орындалғанда" in alert.params["text"]
        assert "Пайдаланушыға кешірім айтылды" in alert.params["text"] and "журнал" in alert.params["text"]
        assert "<code>RuntimeError</code>, при выполнении команды /latest" in russian and "журнал" in russian
        for note in (alert.params["text"], russian):
            assert "database on fire" not in note
            assert_kazakh_or_russian(note)


async def test_telegram_refusing_a_reply_is_logged_once_without_apology_or_alert(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    async with running_bot(tmp_path) as bot:
        for status in (429, 403, 502):
            bot.fake.fail_next("sendMessage", status=status, chat_id=READER_ID)
            update = await bot.send("/latest")
            await bot.replies_to(update)
        [still] = await bot.ask("/help")
        assert "/search" in still
        replies = [c for c in bot.fake.calls if c.method == "sendMessage"]
        assert [c.status for c in replies] == [429, 403, 502, 200]
    assert "uncaught error" not in caplog.text
    assert caplog.text.count("Telegram: ") == 3
    assert not bot.fake.sent("sendMessage", chat_id=ADMIN_ID)  # no admin alert


async def test_a_failing_apology_does_not_cascade(tmp_path: Path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    async with running_bot(tmp_path) as bot:
        monkeypatch.setattr(reading, "latest", broken)
        bot.fake.fail_next("sendMessage", status=500, chat_id=READER_ID)  # the apology
        await bot.send("/latest")
        await bot.fake.wait_for(lambda: bot.fake.sent("sendMessage", chat_id=ADMIN_ID))
        monkeypatch.undo()
        [latest] = await bot.ask("/latest")
        assert "Бейбітшілік" in latest
    assert "uncaught error was raised while handling the error" not in caplog.text
    assert "could not answer update" in caplog.text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/article ١٢", "мақала нөмірі емес"),
        ("/article １２", "мақала нөмірі емес"),
        ("/article 9223372036854775808", "мақала нөмірі емес"),  # 2^63
        ("/events -1", "мақала нөмірі емес"),
        ("/quotes ١", "мақала нөмірі емес"),
        ("/search \ud800", "Іздейтін сөзді"),
        ("/search \ud83d ауыл", "ештеңе табылмады"),
        ("/article \udcff", "мақала нөмірі емес"),
        ("/search а б в г д е ж з", "Кемінде 3 әріптен"),
        ("/events а б", "Кемінде 3 әріптен"),
    ],
)
async def test_input_edges_get_a_reply(tmp_path: Path, command: str, expected: str) -> None:
    async with running_bot(tmp_path) as bot:
        [reply] = await bot.ask(command)
        assert expected in reply


async def test_short_search_words_are_left_out_and_the_reader_is_told(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        [reply] = await bot.ask("/search а Абдуллин")
        assert "<b>1.</b>" in reply and "3 әріптен қысқа сөздер ескерілмеді: а" in reply


async def test_a_stored_url_no_button_could_carry_never_breaks_the_article(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        db = services(bot.app).db
        with pytest.raises(importer.ArticleRejected, match="not a valid http"):
            await importer.save_article(db, ArticleDraft(title="Т", body="М.", url="http://a b/<x>"))
        async with db.transaction() as conn:  # written by an older version that let it through
            await conn.execute("UPDATE articles SET url = 'http://a b/<x>' WHERE id = 1")
        replies = await bot.ask("/article 1", count=1)
        assert replies[0].startswith("<b>Бейбітшілік")
        assert not [c for c in bot.fake.calls if c.status != 200]


async def test_an_update_python_telegram_bot_cannot_read_is_skipped_without_a_busy_loop(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING)
    async with running_bot(tmp_path) as bot:
        bot.fake.add_update({"message": {"message_id": 1, "date": "yesterday", "chat": "broken"}})
        [reply] = await bot.ask("/help")
        assert "/search" in reply
        polls = len(bot.fake.sent("getUpdates", ok_only=False))
        assert polls < 20, f"{polls} getUpdates calls: polling retried without pause"
    assert "skipped update" in caplog.text


async def test_per_reader_state_stays_bounded(tmp_path: Path) -> None:
    from bot.reader_memory import ReaderMemory

    async with running_bot(tmp_path, FakeBotApi()) as bot:
        svc = services(bot.app)
        svc.readers = ReaderMemory(max_languages=10, max_searches=10)
        db = svc.db
        for n in range(7):
            await importer.save_article(db, ArticleDraft(title=f"Ауыл жаңалығы {n}", body=f"Ауылда {n} үй салынды."))
        readers = range(50_000, 50_030)
        for user_id in readers:
            bot.fake.add_update(bot.fake.user_message("/search ауыл", user_id=user_id))
            bot.fake.add_update(bot.fake.user_message("/lang ru", user_id=user_id))
        await bot.fake.wait_for(lambda: len(bot.fake.sent("sendMessage")) >= 2 * len(readers), timeout=60)
        assert len(bot.app.user_data) == 0 and len(bot.app.chat_data) == 0
        assert len(svc.readers) == 20
        [russian] = await bot.ask("/article abc", user_id=readers[-1])
        assert "не номер статьи" in russian  # the newest readers are remembered
        [kazakh] = await bot.ask("/article abc", user_id=readers[0])
        assert "мақала нөмірі емес" in kazakh  # the oldest forgotten: Telegram's language again


async def test_an_upload_being_analysed_blocks_neither_readers_nor_other_writers(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from storage import open_database

    analysing, release = threading.Event(), threading.Event()
    real = importer.analyze_article

    def slow(title: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if title == "Ұзақ талданатын мақала":
            analysing.set()
            assert release.wait(20), "the test never released the analysis"
        return real(title, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "analyze_article", slow)
    record = json.dumps({"title": "Ұзақ талданатын мақала", "body": "Ауылда жаңа мектеп ашылды."})
    async with running_bot(tmp_path) as bot:
        upload = bot.fake.add_update(bot.fake.user_document(record.encode(), "slow.json", user_id=ADMIN_ID))
        await bot.fake.wait_for(analysing.is_set, timeout=10)
        [latest] = await bot.ask("/latest")  # answered while the analysis runs
        assert "Бейбітшілік" in latest
        other = await open_database(tmp_path / "aikyn.sqlite3")  # another writer: no write lock is held
        try:
            await other.connection.execute("PRAGMA busy_timeout = 100")
            await importer.save_article(other, ArticleDraft(title="Басқа мақала", body="Мәтін."))
        finally:
            await other.close()
        release.set()
        [reply, *_] = await bot.replies_to(upload, timeout=10)
        assert "(жаңа): Ұзақ талданатын мақала" in reply.params["text"]


@pytest.mark.parametrize(
    ("pattern", "data"),
    [
        (reader_commands.OPEN_ARTICLE, "a:١٢"),
        (reader_commands.OPEN_ARTICLE, "a:12\n"),
        (reader_commands.SEARCH_PAGE, "s:1:٣"),
        (follow_commands.UNFOLLOW, "uf:7\n"),
        (browsing.LATEST_QUOTES_PAGE, "qp:૧"),
    ],
)
def test_buttons_take_only_ascii_digits_and_nothing_after_them(pattern: str, data: str) -> None:
    """Callback data comes from the client: a digit of another script or a trailing newline is not our button."""
    assert re.match(pattern, data) is None
    assert re.match(pattern, data.strip().translate(str.maketrans("١٢٣૧", "1231"))) is not None
