"""The bulk import (worker processes, one writer): the same database as the one-by-one path, and its faults."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, Future
from concurrent.futures import wait as wait_for_futures
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import bulk_import, importer
from bot.article_files import find_article_files
from bot.bulk_import import import_in_bulk
from bot.records import Analysis, ArticleDraft
from storage import open_database
from storage.bulk_writer import BulkWriter
from tests.bulk_helpers import dying_later_work, dying_work, refusing_work, write_articles, write_jsonl
from tests.conftest import ROOT

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TABLES = {
    "articles": "SELECT * FROM articles ORDER BY id",
    "quotes": "SELECT * FROM quotes ORDER BY id",
    "events": "SELECT * FROM events ORDER BY id",
    "entities": "SELECT * FROM entities ORDER BY id",
    "article_entities": "SELECT * FROM article_entities ORDER BY article_id, entity_id",
    "counters": "SELECT * FROM counters ORDER BY name",
}


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table the import writes, and what the full-text indexes hold (each term, in which row and column,
    at which offset), after both indexes passed their own integrity check."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for index in ("articles_fts", "events_fts"):
            db.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
            db.execute(f"CREATE VIRTUAL TABLE temp.{index}_terms USING fts5vocab(main, {index}, instance)")
        dump = {name: db.execute(sql).fetchall() for name, sql in TABLES.items()}
        for index in ("articles_fts", "events_fts"):
            dump[index] = db.execute(f"SELECT * FROM temp.{index}_terms ORDER BY 1, 2, 3, 4").fetchall()
    return dump


async def _migrated(path: Path) -> Path:
    db = await open_database(path)
    await db.close()
    return path


async def _import_one_by_one(path: Path, files: list[Path]) -> importer.ImportReport:
    db = await open_database(path)
    try:
        return await importer.import_paths(db, files, now=NOW)
    finally:
        await db.close()


@pytest.fixture
def small_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Groups of a few files and short transactions, so a small test crosses many of both."""
    monkeypatch.setattr(bulk_import, "GROUP_ARTICLES", 4)
    monkeypatch.setattr(bulk_import, "FLUSH_ARTICLES", 7)


async def test_both_paths_store_the_same_rows_full_text_and_flags(tmp_path: Path, small_groups: None) -> None:
    folder = tmp_path / "in"
    write_articles(folder / "a", 30)
    write_jsonl(folder / "b.jsonl", range(12))
    (folder / "c.txt").write_bytes(b"")  # a bad file fails alone
    (folder / "d.txt").write_text((folder / "a" / "0003.txt").read_text())  # the same article again: unchanged
    edited = (folder / "a" / "0005.txt").read_text().replace("мектеп салуды", "мектеп пен аурухана салуды")
    (folder / "e.txt").write_text(edited)  # a new version of an article (same title): updated
    files = list(find_article_files([folder]))
    first, second = tmp_path / "one_by_one.sqlite3", await _migrated(tmp_path / "bulk.sqlite3")

    simple = await _import_one_by_one(first, files)
    changed: list[tuple[int, str, str]] = []
    bulk = await asyncio.to_thread(
        import_in_bulk, second, files, jobs=2, now=NOW, on_change=lambda *args: changed.append(args)
    )

    assert (simple.imported, simple.updated, simple.unchanged, simple.failed) == (42, 1, 1, 1)
    assert (bulk.imported, bulk.updated, bulk.unchanged, bulk.failed) == (42, 1, 1, 1)
    assert bulk.errors == simple.errors == [f"{folder / 'c.txt'}: empty file"]
    assert [article_id for article_id, _, _ in changed] == [*range(1, 43), 6]
    assert _dump(first) == _dump(second)
    # a second run finds everything stored (nothing doubled); the edited file left out, the first version is back
    files.remove(folder / "e.txt")
    simple = await _import_one_by_one(first, files)
    bulk = await asyncio.to_thread(import_in_bulk, second, files, jobs=2, now=NOW)
    assert (simple.imported, simple.updated, simple.unchanged, simple.failed) == (0, 1, 42, 1)
    assert (bulk.imported, bulk.updated, bulk.unchanged, bulk.failed) == (0, 1, 42, 1)
    assert _dump(first) == _dump(second)


async def test_a_failed_analysis_is_flagged_alike_on_both_paths(tmp_path: Path) -> None:
    first, second = await _migrated(tmp_path / "a.sqlite3"), await _migrated(tmp_path / "b.sqlite3")
    failed = importer.Analysed(
        importer.checked_draft(ArticleDraft(title="Бұзылған мақала", body="Мәтін «бұзылды».")),
        Analysis(),
        "KeyError: '“'",
    )
    fine = importer.analyse(importer.checked_draft(ArticleDraft(title="Дұрыс мақала", body="Мәтін 2020 жылы.")))
    db = await open_database(first)
    try:
        for item in (failed, fine):
            async with db.transaction() as conn:
                await importer._store(conn, item, NOW)
    finally:
        await db.close()
    writer = BulkWriter(second)
    try:
        with writer.transaction():
            for item in (failed, fine):
                bulk_import.store(writer, item, NOW)
    finally:
        writer.close()
    assert _dump(first) == _dump(second)
    with sqlite3.connect(second) as db:
        assert db.execute("SELECT analysis_error FROM articles ORDER BY id").fetchall() == [("KeyError: '“'",), (None,)]


async def test_a_worker_that_dies_is_reported_and_only_its_culprit_fails(tmp_path: Path, small_groups: None) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 24)
    (folder / "0010_poison.txt").write_text("Улы файл\n\nБұл файлды оқыған процесс өледі.")
    path = await _migrated(tmp_path / "bulk.sqlite3")
    notices: list[str] = []
    report = await asyncio.to_thread(
        import_in_bulk, path, list(find_article_files([folder])), jobs=2, on_notice=notices.append, worker=dying_work
    )
    assert (report.imported, report.failed) == (24, 1)
    assert report.errors == [
        f"{folder / '0010_poison.txt'}: the analysis process died on it (killed, or out of memory)"
    ]
    assert notices and "died" in notices[0]
    with sqlite3.connect(path) as db:
        titles = [row[0] for row in db.execute("SELECT title FROM articles ORDER BY id")]
    assert len(titles) == 24 and not any("Улы" in t for t in titles)
    assert titles == [f"{t.split(chr(10))[1]}" for t in (p.read_text() for p in sorted(folder.glob("0*[0-9].txt")))]


async def test_a_worker_that_dies_while_the_window_is_refilled_loses_nothing(
    tmp_path: Path, small_groups: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool breaks while the importer stores the first groups: the next group it submits finds the pool broken
    at once. That group is not lost: it is tried again with the ones in flight, and only the culprit fails."""
    folder = tmp_path / "in"
    write_articles(folder, 80)  # 21 groups of 4 files: more than the window holds (12)
    (folder / "0010_poison.txt").write_text("Улы файл\n\nБұл файлды оқыған процесс өледі.")  # in the third group
    files = list(find_article_files([folder]))
    path = await _migrated(tmp_path / "bulk.sqlite3")
    submitted: list[Future[list[bulk_import.Outcome | bulk_import.Packed]]] = []
    refused: list[bulk_import.Group] = []
    submit = bulk_import._Pool.submit

    def watched_submit(
        pool: bulk_import._Pool, group: bulk_import.Group
    ) -> Future[list[bulk_import.Outcome | bulk_import.Packed]]:
        try:
            submitted.append(future := submit(pool, group))
        except BrokenProcessPool:
            refused.append(group)
            raise
        return future

    def on_change(*_: object) -> None:
        """At the first article stored, the worker holding the poison file dies; the importer goes on only once
        the pool knows it is broken (its pending futures have failed)."""
        if not (folder / "go").exists():
            (folder / "go").touch()
            wait_for_futures(submitted, timeout=60, return_when=FIRST_EXCEPTION)

    monkeypatch.setattr(bulk_import._Pool, "submit", watched_submit)
    notices: list[str] = []
    report = await asyncio.to_thread(
        import_in_bulk, path, files, jobs=2, on_change=on_change, on_notice=notices.append, worker=dying_later_work
    )
    assert [group.files[0].name for group in refused] == ["0051.txt"], "no submit found the pool broken"
    assert (report.imported, report.failed) == (80, 1)
    assert report.errors == [
        f"{folder / '0010_poison.txt'}: the analysis process died on it (killed, or out of memory)"
    ]
    assert len(notices) == 1 and "died" in notices[0]
    with sqlite3.connect(path) as db:
        titles = [row[0] for row in db.execute("SELECT title FROM articles ORDER BY id")]
    assert titles == [p.read_text().split("\n")[1] for p in sorted(folder.glob("0*[0-9].txt"))]


async def test_a_failed_lookup_fails_its_article_alone(tmp_path: Path, small_groups: None) -> None:
    write_articles(tmp_path / "in", 10)
    record = {"title": "Бұғатталған база туралы", "body": "Бұл мақаланы іздеу сәтсіз болады."}
    (tmp_path / "in" / "0004_locked.txt").write_text(f"{record['title']}\n\n{record['body']}")
    (tmp_path / "in" / "z.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n")
    path = await _migrated(tmp_path / "bulk.sqlite3")
    files = list(find_article_files([tmp_path / "in"]))
    report = await asyncio.to_thread(import_in_bulk, path, files, jobs=2, worker=refusing_work)
    assert (report.imported, report.failed) == (10, 2)
    assert report.errors == [
        f"{tmp_path / 'in' / name}: 'Бұғатталған база туралы': OperationalError: database is locked"
        for name in ("0004_locked.txt", "z.jsonl")
    ]


async def test_what_an_earlier_file_of_the_run_changed_is_decided_again_as_one_by_one(
    tmp_path: Path, small_groups: None
) -> None:
    """A worker finds an article unchanged against the database as it was when it looked; an earlier file of the
    same run may have changed that since (both files are in one group, so the worker looks both up before either
    is stored). The one-by-one path stores each before it looks up the next: both end alike."""
    old = {"title": "Екі нұсқалы мақала", "body": "Екінші нұсқа: көпір жабылды."}
    dated = {"title": "Көпір жөндеуі", "body": "Көпір 2021 жылы жөнделді.", "url": "https://aikyn.kz/1"}
    folder = tmp_path / "in"
    _jsonl(tmp_path / "before.jsonl", [old, dated])
    _jsonl(folder / "a.jsonl", [{**old, "body": "Бірінші нұсқа: көпір жөнделді."}, old])
    # an article inserted at another's address, then a record found by its content: now found by its address
    moved = {**dated, "url": "https://aikyn.kz/2"}
    _jsonl(folder / "b.jsonl", [{**moved, "title": "Жаңа көпір", "body": "Жаңа көпір салынады."}, moved])
    (folder / "c1.txt").write_text("Үш нұсқа\n\nАлғашқы мәтін.")
    (folder / "c2.txt").write_text("Үш нұсқа\n\nСоңғы мәтін.")
    (folder / "c3.txt").write_text("Үш нұсқа\n\nАлғашқы мәтін.")
    files = list(find_article_files([folder]))
    first, second = tmp_path / "one_by_one.sqlite3", tmp_path / "bulk.sqlite3"
    for path in (first, second):
        await _import_one_by_one(path, [tmp_path / "before.jsonl", folder / "c3.txt"])

    simple = await _import_one_by_one(first, files)
    bulk = await asyncio.to_thread(import_in_bulk, second, files, jobs=2, now=NOW)

    assert (simple.imported, simple.updated, simple.unchanged, simple.failed) == (1, 5, 1, 0)
    assert (bulk.imported, bulk.updated, bulk.unchanged, bulk.failed) == (1, 5, 1, 0)
    assert _dump(first) == _dump(second)
    with sqlite3.connect(second) as db:
        rows = db.execute("SELECT title, body, url FROM articles ORDER BY id").fetchall()
    assert rows == [
        (old["title"], old["body"], None),
        (dated["title"], dated["body"], dated["url"]),
        ("Үш нұсқа", "Алғашқы мәтін.", None),
        (dated["title"], dated["body"], moved["url"]),
    ]


def _jsonl(path: Path, records: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


async def test_a_writer_beside_the_import_waits_briefly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The running bot's writes (another connection with the bot's busy timeout) get the lock between the
    import's transactions: well under a second, not the seconds a lock taken again at once would cost."""
    write_articles(tmp_path / "in", 400)
    path = await _migrated(tmp_path / "bulk.sqlite3")
    files = list(find_article_files([tmp_path / "in"]))
    waits: list[float] = []
    importing = threading.Thread(target=import_in_bulk, args=(path, files), kwargs={"jobs": 2})
    bot = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    bot.execute("CREATE TABLE bot_writes (at REAL)")
    importing.start()
    try:
        while importing.is_alive():
            started = time.monotonic()
            bot.execute("BEGIN IMMEDIATE")
            waits.append(time.monotonic() - started)
            bot.execute("INSERT INTO bot_writes VALUES (?)", (started,))
            bot.execute("COMMIT")
            await asyncio.sleep(0.02)
    finally:
        importing.join()
        bot.close()
    assert len(waits) > 5, "the import ended before the other writer could measure anything"
    assert max(waits) < 1.0, f"the longest wait for the write lock was {max(waits):.2f} s"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (400,)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT])
async def test_a_stopped_bulk_import_leaves_a_consistent_database_and_a_rerun_finishes_it(
    tmp_path: Path, stop: signal.Signals
) -> None:
    write_articles(tmp_path / "in", 500)
    path = tmp_path / "aikyn.sqlite3"
    marker = f"{os.getpid()}-{stop}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_PATH": str(path), "IMPORT_UNDER_TEST": marker}
    command = [sys.executable, "-m", "bot", "import", str(tmp_path / "in"), "--jobs", "2"]
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    listed = []
    while len(listed) < 40:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line, "the import ended before it could be stopped"
        listed.append(line.split()[0].decode())
    process.send_signal(stop)
    rest, err = await asyncio.wait_for(process.communicate(), 60)
    listed += [line.split()[0].decode() for line in rest.splitlines() if line.strip()[:1].isdigit()]
    assert b"Traceback" not in err
    with sqlite3.connect(path) as db:
        stored = {str(row[0]) for row in db.execute("SELECT id FROM articles")}
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        assert db.execute("SELECT value FROM counters WHERE name = 'articles'").fetchone() == (len(stored),)
    assert len(listed) == len(set(listed)), "an id was listed twice"
    assert set(listed) <= stored and len(stored) < 500
    await _no_orphans(marker)
    rerun = await asyncio.create_subprocess_exec(*command, env=env, stdout=asyncio.subprocess.PIPE)
    out, _ = await asyncio.wait_for(rerun.communicate(), 300)
    assert rerun.returncode == 0
    assert (
        out.splitlines()[-1].decode() == f"imported {500 - len(stored)}, updated 0, unchanged {len(stored)}, failed 0"
    )
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*), count(DISTINCT identity) FROM articles").fetchone() == (500, 500)
        assert db.execute("SELECT value FROM counters WHERE name = 'articles'").fetchone() == (500,)


async def _no_orphans(marker: str) -> None:
    """No process of the stopped import (its workers, the process that starts them) is left running, within a
    few seconds: each carries `marker` in its environment."""
    needle = f"IMPORT_UNDER_TEST={marker}".encode()
    deadline = time.monotonic() + 15
    while True:
        alive = []
        for entry in Path("/proc").iterdir():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    alive += [] if state == "Z" else [entry.name]
            except OSError:
                continue
        if not alive or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert not alive, f"processes of the stopped import still run: {alive}"
