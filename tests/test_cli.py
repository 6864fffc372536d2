"""`aikyn-bot import/list/show/search/analyze` as a person calls them: exit codes and the lines they read."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import ROOT, SEED


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings for the command line: a database path in tmp_path, seeds beside it, no .env."""
    monkeypatch.chdir(tmp_path)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SEED.name).write_bytes(SEED.read_bytes())
    for name in ("BOT_TOKEN", "ADMIN_IDS", "CHANNEL_ID", "POST_TIMES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "data" / "aikyn.sqlite3"))
    monkeypatch.setenv("SEEDS_DIR", str(seeds))
    return tmp_path / "data" / "aikyn.sqlite3"


def _article(folder: Path, name: str, title: str, body: str = "Ауылда жаңа мектеп ашылды.") -> Path:
    path = folder / name
    path.write_text(f"{title}\n\n{body}")
    return path


def test_import_lists_what_it_kept_reports_each_bad_file_and_exits_1(archive: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    files = tmp_path / "in"
    files.mkdir()
    _article(files, "1.txt", "Ақтауда жаңа порт")
    (files / "2.txt").write_bytes(b"")
    (files / "3.json").write_text('{"title": "Т", "body": "М.", "published_at": "9999-12-31T23:59:59-12:00"}')
    (files / "4.txt").write_bytes("Атырауда көпір салынды\n\nКөпір 2027 жылы ашылады.".encode("utf-16")[:-1])
    assert main(["import", str(files), str(tmp_path / "missing")]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "     1  imported  Ақтауда жаңа порт",
        "     2  imported  Атырауда көпір салынды",
        "imported 2, updated 0, unchanged 0, failed 3",
    ]
    assert f"aikyn-bot: {tmp_path / 'missing'}: no such file or folder" in err
    assert f"error: {files / '2.txt'}: empty file" in err
    assert "3.json: record 1: field 'published_at' is out of range" in err
    assert "Traceback" not in err
    assert main(["import", str(files / "1.txt")]) == 0
    assert capsys.readouterr().out == "imported 0, updated 0, unchanged 1, failed 0\n"


def test_a_file_name_that_is_not_utf8_keeps_its_article(archive: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    files = tmp_path / "in"
    files.mkdir()
    name = os.fsdecode(b"\xcc\xe5\xea\xf2\xe5\xef.txt")  # «Мектеп.txt» in windows-1251, unpacked as bytes
    _article(files, name, "Мектеп ашылды")
    assert main(["import", str(files)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "     1  imported  Мектеп ашылды"
    assert main(["show", "1"]) == 0
    assert "Мектеп ашылды" in capsys.readouterr().out
    with sqlite3.connect(archive) as db:
        [(source,)] = db.execute("SELECT source FROM articles").fetchall()
    assert source.endswith("\ufffd" * 6 + ".txt")


def test_read_commands_never_write_and_say_when_there_is_nothing(archive: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    for command in (["list"], ["show", "1"], ["search", "мектеп"]):
        assert main(command) == 2
        assert f"cannot use the database at DATABASE_PATH={archive}: no database here yet" in capsys.readouterr().err
    assert not archive.exists() and not archive.parent.exists()
    assert main(["import", str(archive.parent.parent / "seeds" / SEED.name)]) == 0
    with sqlite3.connect(archive) as db:
        db.execute("DELETE FROM articles")
    capsys.readouterr()
    assert main(["list"]) == 0
    assert "the archive is empty" in capsys.readouterr().err
    with sqlite3.connect(archive) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (0,)  # no seeds were imported


def test_list_show_and_search(archive: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["import", str(archive.parent.parent / "seeds")]) == 0
    capsys.readouterr()
    assert main(["list"]) == 0
    assert re.match(r"     1  \d{4}-\d\d-\d\d  Бейбітшілік және келісім керуені", capsys.readouterr().out)
    assert main(["show", "1"]) == 0
    assert capsys.readouterr().out.startswith("#1  Бейбітшілік және келісім керуені")
    assert main(["search", "Абдуллин", "а"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "     1  Бейбітшілік және келісім керуені: «AMANAT» партиясында тақырыптық дөңгелек үстел өтті",
        "1 found",
    ]
    assert "words shorter than 3 letters are not searched: а" in err
    assert main(["search", "а", "б"]) == 1
    assert "give at least one word of 3 letters or more" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-1", "abc", "١٢", "１２", "9223372036854775808", "99999999999999999999999"])
def test_show_refuses_what_is_not_an_article_id(archive: Path, capsys, value: str) -> None:  # type: ignore[no-untyped-def]
    assert main(["show", value]) == 1
    assert capsys.readouterr().err == (
        f"aikyn-bot: {value!r} is not an article id (a positive whole number, as `aikyn-bot list` shows)\n"
    )


def test_show_an_id_that_is_not_there(archive: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    main(["import", str(archive.parent.parent / "seeds")])
    capsys.readouterr()
    assert main(["show", "9223372036854775807"]) == 1
    assert capsys.readouterr().err == "aikyn-bot: no article with id 9223372036854775807\n"


@pytest.mark.parametrize("kind", ["folder", "not a database", "newer schema"])
def test_a_database_that_cannot_be_used_is_one_line_naming_database_path(archive: Path, capsys, kind: str) -> None:  # type: ignore[no-untyped-def]
    archive.parent.mkdir()
    if kind == "folder":
        archive.mkdir()
    elif kind == "not a database":
        archive.write_bytes(b"not a database" * 100)
    else:
        with sqlite3.connect(archive) as db:
            db.execute("PRAGMA user_version = 9999")
    for command in (["import", str(SEED)], ["list"], ["console"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"aikyn-bot: cannot use the database at DATABASE_PATH={archive}: ")
        assert len(err.splitlines()) == 1


def test_analyze_reports_a_bad_file_and_a_failing_article_in_one_line(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03")
    assert main(["analyze", str(bad)]) == 1
    assert capsys.readouterr().err == f"aikyn-bot: {bad}: binary file (contains NUL bytes), not text\n"

    import bot.analysis

    def crash(*args: object) -> None:
        raise KeyError("“")

    monkeypatch.setattr(bot.analysis, "analyze_article", crash)
    many = tmp_path / "many.jsonl"
    many.write_text('{"title": "Бір", "body": "Мәтін."}\n{"title": "Екі", "body": "Мәтін."}\n')
    assert main(["analyze", str(many)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"aikyn-bot: {many}: 'Бір': analysis failed: KeyError: '“'",
        f"aikyn-bot: {many}: 'Екі': analysis failed: KeyError: '“'",
    ]


def test_a_full_disk_stops_the_import_with_a_clean_message_and_lists_only_what_was_kept(
    archive: Path, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import storage

    real_open = storage.open_database

    async def small_disk(path, **kwargs):  # type: ignore[no-untyped-def]
        db = await real_open(path, **kwargs)
        pages = await db.fetchval("PRAGMA page_count")
        await db.connection.execute(f"PRAGMA max_page_count = {pages + 60}")
        return db

    monkeypatch.setattr(storage, "open_database", small_disk)
    monkeypatch.setattr("bot.importer.FLUSH_ARTICLES", 4, raising=False)
    files = tmp_path / "in"
    files.mkdir()
    body = "Ауылда жаңа мектеп ашылды, оған 600 оқушы барады. " * 60
    for n in range(40):
        _article(files, f"{n:02}.txt", f"Мектеп жаңалығы {n}", body + f" Нөмір {n}.")
    assert main(["import", str(files)]) == 1
    out, err = capsys.readouterr()
    assert "database or disk is full" in err and "import stopped" in err
    assert "Traceback" not in err and "savepoint" not in err
    listed = [line.split()[0] for line in out.splitlines() if line.strip()[0].isdigit()]
    assert listed and len(listed) < 40
    with sqlite3.connect(archive) as db:
        stored = {str(row[0]) for row in db.execute("SELECT id FROM articles")}
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert set(listed) == stored


async def test_kill_9_during_an_import_leaves_every_listed_article_stored(archive: Path, tmp_path: Path) -> None:
    files = tmp_path / "in"
    files.mkdir()
    body = "Ауылда жаңа мектеп ашылды, оған 600 оқушы барады. " * 40
    for n in range(400):
        _article(files, f"{n:03}.txt", f"Мектеп жаңалығы {n}", body + f" Нөмір {n}.")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "import",
        str(files),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert process.stdout is not None
    listed = []
    while len(listed) < 40:
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert line, "the import ended before it could be killed"
        listed.append(line.split()[0].decode())
    process.send_signal(signal.SIGKILL)
    rest, _ = await process.communicate()
    listed += [line.split()[0].decode() for line in rest.splitlines() if line.strip()[:1].isdigit()]
    with sqlite3.connect(archive) as db:
        stored = {str(row[0]) for row in db.execute("SELECT id FROM articles")}
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert len(listed) == len(set(listed)), "an id was listed twice"
    assert set(listed) <= stored


def test_run_refuses_a_malformed_token_without_asking_telegram(archive: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BOT_TOKEN", "abc")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:9/bot")  # nothing listens there; nothing is sent
    assert main(["run"]) == 2
    assert capsys.readouterr().err == (
        "aikyn-bot: BOT_TOKEN is malformed: a token from @BotFather looks like 123456789:AAH… (the bot's number, "
        "a colon, letters and digits). Check .env; nothing was sent to Telegram.\n"
    )
    assert not archive.exists()
