"""Backups and restores on real SQLite files: `aikyn-bot backup` and `restore` as operators call them, the copy
taken while an import and channel posting run, kill -9 in the middle of a copy, and the running bot's daily
backup."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import importer
from bot.backups import backups_in
from bot.cli import main
from bot.fakeapi.server import FakeBotApiServer
from bot.jobs import BACKUP_JOB
from bot.services import Services, services
from storage import maintenance, open_database, posts
from storage.migrations import LATEST_VERSION
from storage.timestamps import utc_now
from tests.conftest import ROOT, SEED
from tests.harness import ADMIN_ID, running_bot
from tests.test_editorial import RU_ADMIN, assert_kazakh_or_russian

NAMES = ["Асқар Бекұлы", "Гүлнар Серікова", "Ерлан Төлеуов", "Айгүл Нұрланқызы", "Бауыржан Омаров"]
PLACES = ["Астана", "Алматы", "Шымкент", "Ақтөбе", "Павлодар"]


def write_articles(folder: Path, count: int, *, per_file: int = 50) -> None:
    """Synthetic articles in JSONL files, written for these tests: a place, a speaker, a year, a quote."""
    folder.mkdir(parents=True)
    records = []
    for i in range(count):
        name, place, year = NAMES[i % len(NAMES)], PLACES[i // len(NAMES) % len(PLACES)], 1995 + i % 30
        body = [
            f"{place} қаласында {year} жылы жаңа кітапхана ашылды. Құрылысқа {i % 11 + 3} ай кетті.",
            f"«Кітапхана барлық тұрғынға тегін қызмет көрсетеді», – деді {name}.",
            f"Ашылу салтанатына мектеп оқушылары мен ұстаздар қатысты. Қорда {1000 + i} кітап бар.",
            f"{name} келесі жылы оқу залы кеңейтілетінін айтты. Жоба облыс әкімдігінің қолдауымен жүзеге асады.",
        ]
        records.append(
            {
                "title": f"{place}: жаңа кітапхана, №{i}",
                "lead": f"{place} тұрғындары жаңа кітапханаға ие болды.",
                "body": body,
                "url": f"https://aikyn.example/news/{i}",
                "published_at": f"2026-0{1 + i % 9}-{1 + i % 28:02d}T10:00:00+05:00",
            }
        )
    for start in range(0, count, per_file):
        lines = [json.dumps(r, ensure_ascii=False) for r in records[start : start + per_file]]
        (folder / f"batch-{start:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def dump(path: Path) -> list[str]:
    """Every schema statement and row of a database, in SQLite's own dump order."""
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_consistent(path: Path) -> tuple[int, int]:
    """What a copy taken mid-write must satisfy: sound pages, indexes that match their tables, the kept
    counter, every article stored with its analysis, every sent post with its Telegram message id."""
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        connection.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        connection.execute("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')")
        stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert connection.execute("SELECT value FROM counters WHERE name = 'articles'").fetchone() == (stored,)
        assert connection.execute("SELECT count(*) FROM articles WHERE analysis_version = 0").fetchone() == (0,)
        unsent = connection.execute("SELECT count(*) FROM posts WHERE status = 'sent' AND message_id IS NULL")
        assert unsent.fetchone() == (0,)
        sent = connection.execute("SELECT count(*) FROM posts WHERE status = 'sent'").fetchone()[0]
        connection.rollback()
    return stored, sent


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`aikyn-bot` run in-process as an operator would, on tmp_path's database (no .env from elsewhere)."""
    monkeypatch.chdir(tmp_path)
    for name in ("BACKUP_DIR", "BOT_TOKEN", "CHANNEL_ID", "ADMIN_IDS", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    db_path = tmp_path / "aikyn.sqlite3"
    monkeypatch.setenv("DATABASE_PATH", str(db_path))
    monkeypatch.setenv("SEEDS_DIR", str(tmp_path / "seeds"))
    return db_path


def _env(db_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_PATH": str(db_path),
        "SEEDS_DIR": str(db_path.parent / "seeds"),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


async def _wait_until(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_a_backup_taken_during_an_import_and_channel_posting_is_consistent_and_restores_identically(
    tmp_path: Path, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incoming = tmp_path / "incoming"
    write_articles(incoming, 600)
    copies = tmp_path / "copies"
    copies.mkdir()
    async with running_bot(tmp_path, send_interval=0.2) as bot:
        svc = services(bot.app)
        for k in range(6):
            due = utc_now() + timedelta(seconds=k)
            await posts.create(svc.db, 1, due, "admin", created_by=ADMIN_ID, now=utc_now())
        await bot.fake.wait_for(lambda: bot.channel_posts(), timeout=10)
        with open(tmp_path / "import.log", "wb") as log:
            importing = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "import", str(incoming), env=_env(cli_env), stdout=log, stderr=log
            )
        try:
            # asked on a connection of its own: the bot's waits for the write lock the import keeps taking
            await _wait_until(lambda: asyncio.to_thread(_more_than, cli_env, 30))
            taken = await asyncio.to_thread(maintenance.backup, cli_env, copies / "during.sqlite3")
            await asyncio.wait_for(importing.wait(), 120)
        finally:
            if importing.returncode is None:
                importing.kill()
                await importing.wait()
        assert importing.returncode == 0, (tmp_path / "import.log").read_text()
        await _wait_until(lambda: _settled(svc))
    during = copies / "during.sqlite3"
    stored, sent = assert_consistent(during)
    assert stored == taken.articles and 30 < stored < 601, "the copy was taken in the middle of the import"
    assert taken.posts == 6 and sent >= 1
    settled = await _settled_counts(cli_env)

    final = dump(cli_env)
    assert main(["backup", str(copies / "after.sqlite3")]) == 0
    assert main(["restore", str(during)]) == 0
    assert dump(cli_env) == dump(during)
    assert main(["restore", str(copies / "after.sqlite3")]) == 0
    assert dump(cli_env) == final
    out = capsys.readouterr().out
    assert f"restored {during} to {cli_env}" in out and "articles 601" in out
    assert len(list(tmp_path.glob("aikyn.sqlite3.replaced-*"))) == 2
    async with running_bot(tmp_path) as bot:  # the restored database serves again
        [reply] = await bot.ask("/status", user_id=ADMIN_ID)
        assert "Мақалалар: 601" in reply and f"жарияланған {settled.get('sent', 0)}," in reply


async def _settled(svc: Services) -> bool:
    counts = await posts.status_counts(svc.db)
    return not counts.get("pending") and not counts.get("sending")


async def _settled_counts(db_path: Path) -> dict[str, int]:
    db = await open_database(db_path)
    try:
        return await posts.status_counts(db)
    finally:
        await db.close()


def _more_than(db_path: Path, count: int) -> bool:
    with sqlite3.connect(db_path) as connection:
        stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    connection.close()
    return bool(stored > count)


async def _make_database(db_path: Path, *, ballast_mb: int = 0) -> None:
    db = await open_database(db_path)
    await importer.import_paths(db, [SEED])
    await db.close()
    if ballast_mb:  # bulk for the copy to take a while, so a kill lands in the middle of it
        with sqlite3.connect(db_path) as connection:
            connection.execute("CREATE TABLE ballast (b BLOB)")
            connection.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                " INSERT INTO ballast SELECT randomblob(4000) FROM n",
                (ballast_mb * 256,),
            )
        connection.close()


async def test_kill_9_during_a_backup_leaves_the_database_untouched_and_nothing_under_the_final_name(
    tmp_path: Path, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _make_database(cli_env, ballast_mb=64)
    before = digest(cli_env)
    dest = tmp_path / "backups" / "copy.sqlite3"
    dest.parent.mkdir()
    partial = dest.with_name(dest.name + maintenance.PARTIAL_SUFFIX)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "backup", str(dest), env=_env(cli_env), cwd=tmp_path
    )
    try:
        deadline = time.monotonic() + 60
        while not (partial.exists() and partial.stat().st_size > 0):
            assert process.returncode is None, "the backup ended before it could be killed"
            assert time.monotonic() < deadline, "the backup never started writing"
            await asyncio.sleep(0.001)
        process.send_signal(signal.SIGKILL)
    finally:
        await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == -signal.SIGKILL
    assert not dest.exists()
    assert digest(cli_env) == before
    with sqlite3.connect(cli_env) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    connection.close()
    assert await asyncio.to_thread(main, ["backup", str(dest)]) == 0  # the next one to that name replaces the partial
    assert not partial.exists() and dest.exists()
    assert f"wrote {dest} (" in capsys.readouterr().out


async def test_restore_refuses_a_damaged_file_and_one_newer_than_the_code(
    tmp_path: Path, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _make_database(cli_env)
    good = tmp_path / "good.sqlite3"
    assert main(["backup", str(good)]) == 0
    before = digest(cli_env)

    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    data[4096 * 2 : 4096 * 3] = b"\xa5" * 4096  # one page of garbage inside a table
    damaged.write_bytes(bytes(data))
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    with sqlite3.connect(newer) as connection:
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    connection.close()
    capsys.readouterr()

    assert main(["restore", str(damaged)]) == 1
    assert "not restoring" in capsys.readouterr().err
    assert main(["restore", str(newer)]) == 1
    err = capsys.readouterr().err
    assert f"schema version {LATEST_VERSION + 1} is newer than this bot knows ({LATEST_VERSION})" in err
    assert main(["restore", str(tmp_path / "missing.sqlite3")]) == 1
    assert "no such database file" in capsys.readouterr().err
    assert digest(cli_env) == before
    assert sorted(p.name for p in tmp_path.glob("aikyn.sqlite3*")) == ["aikyn.sqlite3", "aikyn.sqlite3.lock"]


async def test_restore_refuses_a_database_another_process_has_open(
    tmp_path: Path, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _make_database(cli_env)
    copy = tmp_path / "copy.sqlite3"
    assert await asyncio.to_thread(main, ["backup", str(copy)]) == 0
    db = await open_database(cli_env)  # e.g. an `aikyn-bot import` still running
    try:
        assert await asyncio.to_thread(main, ["restore", str(copy)]) == 1
    finally:
        await db.close()
    assert "is open in another process; stop it first" in capsys.readouterr().err
    assert not list(tmp_path.glob("aikyn.sqlite3.replaced-*"))
    assert await asyncio.to_thread(main, ["restore", str(copy)]) == 0


async def test_restore_and_a_second_run_are_refused_while_the_bot_runs(
    tmp_path: Path, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    async with FakeBotApiServer() as server:
        env = _env(
            cli_env,
            BOT_TOKEN=server.token,
            TELEGRAM_API_URL=server.base_url,
            CHANNEL_ID="@aikyn_test_channel",
            ADMIN_IDS="42",
        )
        with open(tmp_path / "run.log", "wb") as log:
            running = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stdout=log, stderr=log
            )
        try:
            await server.fake.wait_for(lambda: server.fake.sent("getUpdates", ok_only=False), timeout=30)
            copy = tmp_path / "copy.sqlite3"
            assert await asyncio.to_thread(main, ["backup", str(copy)]) == 0  # a backup is fine while it runs
            assert await asyncio.to_thread(main, ["restore", str(copy)]) == 1
            assert f"the bot is running on this database (pid {running.pid}" in capsys.readouterr().err
            assert await asyncio.to_thread(main, ["run"]) == 3
            assert f"not starting: the bot is running on this database (pid {running.pid}" in capsys.readouterr().err
        finally:
            running.send_signal(signal.SIGTERM)
            await asyncio.wait_for(running.wait(), 30)
    assert running.returncode == 0, (tmp_path / "run.log").read_text()
    assert not list(tmp_path.glob("aikyn.sqlite3.replaced-*"))
    assert await asyncio.to_thread(main, ["restore", str(copy)]) == 0


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def test_the_running_bot_backs_up_daily_keeps_backup_keep_copies_and_shows_the_last_in_status(
    tmp_path: Path,
) -> None:
    clock = Clock(datetime(2030, 3, 1, 21, 30, tzinfo=UTC))
    folder = tmp_path / "backups"
    async with running_bot(tmp_path, clock=clock, backup_dir=folder, backup_keep=2) as bot:
        assert bot.app.job_queue is not None
        [job] = bot.app.job_queue.get_jobs_by_name(BACKUP_JOB)
        await job.run(bot.app)
        assert [b.path.name for b in backups_in(folder)] == ["aikyn-20300301T213000Z.sqlite3"]
        clock.advance(hours=1)
        await job.run(bot.app)  # not due yet: one a day
        assert len(backups_in(folder)) == 1
        for _ in range(3):
            clock.advance(hours=23)
            await job.run(bot.app)
        kept = backups_in(folder)
        assert [b.path.name for b in kept] == ["aikyn-20300304T193000Z.sqlite3", "aikyn-20300303T203000Z.sqlite3"]
        assert all(maintenance.inspect(b.path).sound for b in kept)
        [status] = await bot.ask("/status", user_id=ADMIN_ID)
        assert "Сақтық көшірме: 05.03.2030 00:30, " in status and "КБ (барлығы 2)" in status
        assert [c.params["text"][:11] for c in bot.fake.sent(chat_id=ADMIN_ID)] == ["<b>Күйі</b>"]  # nothing else


async def test_a_failing_daily_backup_is_reported_to_editors_once_and_its_recovery_too(tmp_path: Path) -> None:
    clock = Clock(datetime(2030, 3, 1, 21, 30, tzinfo=UTC))
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where BACKUP_DIR's parent folder should be\n")
    editors = frozenset({ADMIN_ID, RU_ADMIN})
    async with running_bot(tmp_path, clock=clock, backup_dir=blocker / "backups", admin_ids=editors) as bot:
        assert bot.app.job_queue is not None
        await bot.ask("/log", user_id=RU_ADMIN, language="ru")  # this editor's language is remembered
        [job] = bot.app.job_queue.get_jobs_by_name(BACKUP_JOB)
        for _ in range(3):
            await job.run(bot.app)
            clock.advance(hours=1)

        def told(editor: int = ADMIN_ID) -> list[str]:
            texts = [c.params["text"] for c in bot.fake.sent(chat_id=editor)]
            return [t for t in texts if ("көшірме" in t or "копи" in t) and "<b>" not in t]

        assert told() == [
            "❌ Сақтық көшірме жасалмады: BACKUP_DIR қалтасына жазу мүмкін болмады. Қалта бар ма, дискі қосулы ма — "
            "тексеріңіз; себебі бот журналында. Бот сағат сайын қайталап көреді; көшірме қайта жасалғанда хабарлаймын."
        ]
        assert told(RU_ADMIN) == [
            "❌ Резервная копия не создана: не удалось записать в папку BACKUP_DIR. Проверьте, есть ли папка и "
            "подключён ли диск; причина — в журнале бота. Бот будет пробовать каждый час; когда копия получится, "
            "я сообщу."
        ]
        [status] = await bot.ask("/status", user_id=ADMIN_ID)
        assert "Сақтық көшірме: әлі жоқ\n❌ Соңғы әрекет сәтсіз: BACKUP_DIR қалтасына жазу мүмкін болмады" in status
        [russian] = await bot.ask("/status", user_id=RU_ADMIN, language="ru")
        assert "Резервная копия: пока нет\n❌ Последняя попытка не удалась: не удалось записать в папку" in russian
        blocker.unlink()
        await job.run(bot.app)
        assert len(told()) == 2 and told()[1].startswith("✅ Сақтық көшірме қайта жасалды: ")
        assert told(RU_ADMIN)[1].startswith("✅ Резервная копия снова создана: ") and "КБ" in told(RU_ADMIN)[1]
        [status] = await bot.ask("/status", user_id=ADMIN_ID)
        assert "❌" not in status and "(барлығы 1)" in status
        for message in [*told(), *told(RU_ADMIN), status, russian]:
            assert_kazakh_or_russian(message)
