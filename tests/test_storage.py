from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import importer
from bot.analysis.morphology import search_stems
from bot.records import ArticleDraft
from storage import Database, articles, open_database
from storage.migrations import LATEST_VERSION
from tests.conftest import SEED


async def test_database_uses_wal_and_latest_schema(fresh_db: Database) -> None:
    assert await fresh_db.fetchval("PRAGMA journal_mode") == "wal"
    assert await fresh_db.fetchval("PRAGMA user_version") == LATEST_VERSION
    assert await fresh_db.fetchval("PRAGMA busy_timeout") == 5000


async def test_reimport_is_idempotent_and_an_edited_article_is_updated(fresh_db: Database, tmp_path: Path) -> None:
    first = await importer.import_paths(fresh_db, [SEED])
    again = await importer.import_paths(fresh_db, [SEED])
    assert (first.imported, again.imported, again.unchanged) == (1, 0, 1)
    edited = tmp_path / "edited.txt"
    edited.write_text(SEED.read_text().replace("1,142", "1,500").replace("сөз сөйледі.", "сөз сөйледі. Жаңа сөйлем."))
    report = await importer.import_paths(fresh_db, [edited])
    assert (report.imported, report.updated) == (0, 1)
    assert await articles.count(fresh_db) == 1
    article = await articles.get(fresh_db, 1)
    assert article is not None and article.views == 1500 and article.body.endswith("Жаңа сөйлем.")


async def test_a_bad_file_is_reported_and_the_rest_of_the_batch_imports(fresh_db: Database, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Ақтауда жаңа порт\n\nПорт 2027 жылы іске қосылады.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    report = await importer.import_paths(fresh_db, [tmp_path])
    assert (report.imported, report.failed) == (1, 2)
    assert any("empty.txt: empty file" in e for e in report.errors)
    assert any("binary.txt: binary file" in e for e in report.errors)


async def test_a_failure_after_the_article_row_leaves_no_half_written_article(
    fresh_db: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    real = importer.article_analysis.replace_analysis

    async def breaks_on_storm(conn, article_id, analysis, **kwargs):  # type: ignore[no-untyped-def]
        if any("Дауыл" in s for s in analysis.sentences):  # the article row is already written when this fails
            raise sqlite3.OperationalError("disk I/O error")
        await real(conn, article_id, analysis, **kwargs)

    monkeypatch.setattr(importer.article_analysis, "replace_analysis", breaks_on_storm)
    storm = "Дауыл ауылдағы үйлердің шатырын ұшырып әкетті, деп хабарлады төтенше жағдайлар департаменті."
    with contextlib.suppress(sqlite3.OperationalError):
        await importer.save_article(fresh_db, ArticleDraft(title="Дауыл", body=storm))
    assert await articles.count(fresh_db) == 0

    # in a bulk import (one transaction, a savepoint per article) the others before and after it are kept
    calm = "Ауа райы тыныш болады, жауын-шашын күтілмейді, деп хабарлады Қазгидромет мамандары бүгін таңертең."
    (tmp_path / "1.txt").write_text(f"Ауа райы\n\n{calm}")
    (tmp_path / "2.txt").write_text(f"Дауыл\n\n{storm}")
    (tmp_path / "3.txt").write_text(f"Ертеңгі ауа райы\n\n{calm} Ертең де солай.")
    report = await importer.import_paths(fresh_db, [tmp_path])
    assert (report.imported, report.failed) == (2, 1)
    assert await articles.count(fresh_db) == 2
    rows = await fresh_db.fetchall("SELECT title FROM articles ORDER BY id")
    assert [r["title"] for r in rows] == ["Ауа райы", "Ертеңгі ауа райы"]


async def test_kazakh_full_text_search_finds_word_forms_case_insensitively(seeded_db: Database) -> None:
    for query in ["қазақстан", "ҚАЗАҚСТАННЫҢ", "Абдуллин", "этномедиация", "шешенстанға", "ассамблеясы"]:
        found, total = await articles.search(seeded_db, search_stems(query), limit=5)
        assert [h.id for h in found] == [1], query
        assert total == 1
    found, _ = await articles.search(seeded_db, search_stems("жоқсөз"), limit=5)
    assert found == []


async def test_search_ranks_title_matches_first(fresh_db: Database) -> None:
    await importer.save_article(fresh_db, ArticleDraft(title="Ауыл жаңалығы", body="Өнер туралы бір сөз. " * 3))
    await importer.save_article(fresh_db, ArticleDraft(title="Өнер фестивалі", body="Фестиваль өтті."))
    found, _ = await articles.search(fresh_db, search_stems("өнер"), limit=5)
    assert [h.title for h in found] == ["Өнер фестивалі", "Ауыл жаңалығы"]


async def test_sql_looking_search_text_is_just_text(seeded_db: Database) -> None:
    found, total = await articles.search(seeded_db, search_stems("'; DROP TABLE articles; --"), limit=5)
    assert total == 0 and found == []
    found, _ = await articles.search(seeded_db, search_stems('"AMANAT" * :'), limit=5)
    assert [h.id for h in found] == [1]
    assert await articles.count(seeded_db) == 1


async def test_older_schema_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = await open_database(path, target_version=1)
    await old.connection.execute(
        "INSERT INTO articles (identity, title, body, content_hash, imported_at)"
        " VALUES ('title:ескі', 'Ескі мақала', 'Мәтін.', 'h', '2025-01-01T00:00:00Z')"
    )
    await old.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    db = await open_database(path)
    try:
        assert await db.fetchval("PRAGMA user_version") == LATEST_VERSION
        article = await articles.get(db, 1)
        assert article is not None and article.title == "Ескі мақала" and article.summary == ""
        assert await importer.reanalyse_outdated(db) == 1
    finally:
        await db.close()


async def test_seeds_are_imported_on_first_start_only(fresh_db: Database) -> None:
    first = await importer.import_seeds_if_empty(fresh_db, SEED.parent)
    assert first is not None and first.imported == 1
    assert await importer.import_seeds_if_empty(fresh_db, SEED.parent) is None


async def test_an_article_that_breaks_the_analysis_is_kept_flagged_and_analysed_again_after_an_upgrade(
    fresh_db: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from bot import reading
    from storage import article_analysis

    real = importer.analyze_article

    def fragile(title: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if "сынық" in title.casefold():
            raise KeyError("“")
        return real(title, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "analyze_article", fragile)
    (tmp_path / "a.txt").write_text("Сынық мақала\n\nМинистр Асқар Бекұлы: «Жұмыс жалғасады», – деді.")
    (tmp_path / "b.txt").write_text("Дұрыс мақала\n\nМәтін.")
    report = await importer.import_paths(fresh_db, [tmp_path])
    assert (report.imported, report.failed, report.analysis_failed) == (2, 0, 1)
    assert "without its analysis, which failed (KeyError: '“')" in report.errors[0]
    assert await article_analysis.analysis_error(fresh_db, 1) == "KeyError: '“'"
    assert await article_analysis.analysis_error(fresh_db, 2) is None
    ctx = reading.ReaderContext(fresh_db, "kk", ZoneInfo("Asia/Almaty"))
    [shown] = await reading.article_messages(ctx, 1)
    assert "Жұмыс жалғасады" in shown.text

    assert await importer.reanalyse_outdated(fresh_db) == 0  # the same analyser: not tried again at every start
    monkeypatch.setattr(importer, "analyze_article", real)
    monkeypatch.setattr(importer, "ANALYSIS_VERSION", importer.ANALYSIS_VERSION + 1)  # an upgrade
    assert await importer.reanalyse_outdated(fresh_db) == 2
    assert await article_analysis.analysis_error(fresh_db, 1) is None
    assert [q.text for q in await article_analysis.quotes_of_article(fresh_db, 1)] == ["Жұмыс жалғасады"]


async def test_latest_pages_and_a_stale_page_button_shows_the_last_page(fresh_db: Database) -> None:
    from zoneinfo import ZoneInfo

    from bot import reading

    ctx = reading.ReaderContext(fresh_db, "kk", ZoneInfo("Asia/Almaty"))
    assert (await reading.latest(ctx)).text == "Мұрағатта әзірге мақала жоқ."
    for n in range(1, 13):
        await importer.save_article(fresh_db, ArticleDraft(title=f"Жаңалық нөмірі {n}", body=f"Мәтін {n}."))
    first = await reading.latest(ctx)
    assert [b.data for b in first.buttons[0]] == [f"a:{n}" for n in (12, 11, 10, 9, 8)]
    assert [b.data for b in first.buttons[1]] == ["l:5"]
    last = await reading.latest(ctx, 10)
    assert [b.data for b in last.buttons[0]] == ["a:2", "a:1"] and "3/3" in last.text
    assert (await reading.latest(ctx, 500)).text == last.text  # a button from when the archive was larger


async def test_cached_reads_see_every_write_of_this_bot_and_soon_those_of_another_process(
    fresh_db: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from bot import reading

    ctx = reading.ReaderContext(fresh_db, "kk", ZoneInfo("Asia/Almaty"))
    await importer.save_article(fresh_db, ArticleDraft(title="Бірінші жаңалық", body="Мәтін."))
    page, total = await articles.newest_page(fresh_db, limit=5)
    assert total == 1 and "Бірінші жаңалық" in (await reading.latest(ctx)).text
    await importer.save_article(fresh_db, ArticleDraft(title="Екінші жаңалық", body="Мәтін."))
    page, total = await articles.newest_page(fresh_db, limit=5)
    assert (total, page[0].title) == (2, "Екінші жаңалық")  # a write through this connection: seen at once
    assert "Екінші жаңалық" in (await reading.latest(ctx)).text  # and the page kept rendered is made again

    other = await open_database(fresh_db.path)  # a CLI import running beside the bot
    try:
        await importer.save_article(other, ArticleDraft(title="Үшінші жаңалық", body="Мәтін."))
    finally:
        await other.close()
    monkeypatch.setattr("storage.db.EXTERNAL_WRITES_CHECK_SECONDS", 0.0)
    page, total = await articles.newest_page(fresh_db, limit=5)
    assert (total, page[0].title) == (3, "Үшінші жаңалық")
    assert "Үшінші жаңалық" in (await reading.latest(ctx)).text
    edited = await articles.get(fresh_db, 3)
    assert edited is not None and edited.title == "Үшінші жаңалық"


async def test_a_bulk_import_holds_no_transaction_while_it_reads_and_commits_as_it_goes(
    fresh_db: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from bot import article_files

    monkeypatch.setattr(importer, "FLUSH_SECONDS", 0.0)
    for n in range(1, 4):
        (tmp_path / f"{n}.txt").write_text(f"Жаңалық {n}\n\nМәтін {n}.")
    reader = await open_database(fresh_db.path)  # the running bot, in another process
    seen_while_reading = []
    real_read = article_files.read_article_file

    def read(path: Path, **options):  # type: ignore[no-untyped-def]
        assert not fresh_db.connection.in_transaction, "a write transaction is open while a file is read"
        seen_while_reading.append(path.name)
        return real_read(path, **options)

    monkeypatch.setattr(importer, "read_article_file", read)
    committed = []

    def changed(article_id: int, outcome: str, title: str) -> None:
        committed.append(article_id)

    try:
        report = await importer.import_paths(fresh_db, [tmp_path], on_change=changed)
        assert report.imported == 3 and seen_while_reading == ["1.txt", "2.txt", "3.txt"]
        assert committed == [1, 2, 3]
        assert await articles.count(reader) == 3
    finally:
        await reader.close()
