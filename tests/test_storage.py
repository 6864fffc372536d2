from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from bot import importer
from bot.analysis.morphology import search_stems
from storage import Database, articles, open_database
from storage.articles import ArticleDraft
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


async def test_failed_analysis_leaves_no_half_written_article(fresh_db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("analysis crashed")

    monkeypatch.setattr(importer, "analyze_article", broken)
    draft = ArticleDraft(title="Тақырып", body="Мәтін.")
    with contextlib.suppress(RuntimeError):
        await importer.save_article(fresh_db, draft)
    assert await articles.count(fresh_db) == 0


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


async def test_an_article_that_breaks_the_analysis_is_reported_and_the_batch_goes_on(
    fresh_db: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    real = importer.analyze_article

    def fragile(title: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if "сынық" in title.casefold():
            raise ValueError("unexpected text")
        return real(title, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "analyze_article", fragile)
    (tmp_path / "a.txt").write_text("Сынық мақала\n\nМәтін.")
    (tmp_path / "b.txt").write_text("Дұрыс мақала\n\nМәтін.")
    report = await importer.import_paths(fresh_db, [tmp_path])
    assert (report.imported, report.failed) == (1, 1)
    assert "ValueError: unexpected text" in report.errors[0]
    assert await articles.count(fresh_db) == 1
