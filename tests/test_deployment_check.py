"""`aikyn-bot check` against the HTTP Bot API fake and real SQLite files: one line per check, exit code 1 on any
failure, and neither the token nor the webhook secret ever printed."""

from __future__ import annotations

import asyncio
import ctypes
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.fakeapi import FakeBotApi
from bot.fakeapi.server import FakeBotApiServer
from storage import open_database
from storage.migrations import LATEST_VERSION
from tests.conftest import ROOT

PR_CAPBSET_DROP = 24  # prctl(2) and capabilities(7)
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2
SECRET = "hook-Secret_123"


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApiServer]:
    async with FakeBotApiServer() as running:
        yield running


def _deployment(tmp_path: Path, server: FakeBotApiServer, **overrides: str) -> dict[str, str]:
    values = {
        "BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.base_url,
        "CHANNEL_ID": "@aikyn_test_channel",
        "ADMIN_IDS": "42,43",
        "DATABASE_PATH": str(tmp_path / "data" / "aikyn.sqlite3"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "WEBHOOK_URL": "https://bot.aikyn.example/tg-hook",
        "WEBHOOK_SECRET": SECRET,
    }
    values.update(overrides)
    return values


async def _check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, env: dict[str, str]
) -> tuple[int, list[str]]:
    """`aikyn-bot check` as an operator runs it (in a thread: it runs its own event loop, the fake runs in ours)."""
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = await asyncio.to_thread(main, ["check"])
    out = capsys.readouterr().out
    assert env["BOT_TOKEN"] not in out and SECRET not in out
    return code, out.splitlines()


def _line(lines: list[str], name: str) -> str:
    [line] = [line for line in lines if line.split(":")[0].split(None, 1)[-1] == name]
    return line


async def test_a_ready_deployment_passes_every_check(
    tmp_path: Path, server: FakeBotApiServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = await open_database(tmp_path / "data" / "aikyn.sqlite3")
    await db.close()
    code, lines = await _check(monkeypatch, capsys, tmp_path, _deployment(tmp_path, server))
    assert code == 0, lines
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "ok    settings",
        "ok    database folder",
        "ok    database",
        "ok    backups",
        "ok    telegram",
        "ok    channel @aikyn_test_channel",
        "ok    editor 42",
        "ok    editor 43",
    ]
    assert lines[-1] == "all 8 checks passed"
    assert f"integrity ok, schema version {LATEST_VERSION}, articles 0, posts 0" in _line(lines, "database")
    assert "knows this token as @aikyn_test_bot" in _line(lines, "telegram")
    assert "the bot is an administrator allowed to post" in _line(lines, "channel @aikyn_test_channel")
    assert "does not exist yet; it will be created in" in _line(lines, "backups")
    assert "webhook at bot.aikyn.example, port 8443" in _line(lines, "settings") and "tg-hook" not in "".join(lines)


async def test_a_bad_token_fails_clearly_and_is_not_printed(
    tmp_path: Path, server: FakeBotApiServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = _deployment(tmp_path, server, BOT_TOKEN="123456:WRONG-token-from-a-typo")
    code, lines = await _check(monkeypatch, capsys, tmp_path, env)
    assert code == 1
    assert "FAIL  telegram: 127.0.0.1" in _line(lines, "telegram")
    assert "refused this token (401 Unauthorized): copy BOT_TOKEN again from @BotFather" in _line(lines, "telegram")
    assert _line(lines, "channel and editors").startswith("--    channel and editors: not checked")
    assert lines[-1] == "1 of 6 checks failed"
    assert [c.method for c in server.fake.calls] == []  # the fake answered 401 before any method ran


async def test_a_channel_where_the_bot_is_not_an_administrator_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakeBotApiServer(FakeBotApi(channel_member_status="member")) as server:
        code, lines = await _check(monkeypatch, capsys, tmp_path, _deployment(tmp_path, server))
    assert code == 1
    assert _line(lines, "channel @aikyn_test_channel") == (
        "FAIL  channel @aikyn_test_channel: «Aikyn»: the bot is not an administrator (status: member); make it one"
    )
    assert lines[-1] == "1 of 8 checks failed"


async def test_an_administrator_without_the_right_to_post_and_an_unknown_editor_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeBotApi(channel_can_post_messages=False, unknown_chats={43})
    async with FakeBotApiServer(fake) as server:
        code, lines = await _check(monkeypatch, capsys, tmp_path, _deployment(tmp_path, server))
    assert code == 1
    assert "administrator without the right to post messages" in _line(lines, "channel @aikyn_test_channel")
    assert _line(lines, "editor 42").startswith("ok    editor 42: ")
    assert _line(lines, "editor 43").startswith(
        "FAIL  editor 43: Telegram says: Chat not found; the editor must open the bot and press Start"
    )
    assert lines[-1] == "2 of 8 checks failed"


async def test_missing_settings_and_a_database_newer_than_the_code_fail(
    tmp_path: Path, server: FakeBotApiServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "data" / "aikyn.sqlite3"
    db = await open_database(db_path)
    await db.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    connection.close()
    code, lines = await _check(monkeypatch, capsys, tmp_path, _deployment(tmp_path, server, CHANNEL_ID=""))
    assert code == 1
    assert _line(lines, "settings") == "FAIL  settings: CHANNEL_ID not set (see .env.example)"
    assert f"schema version {LATEST_VERSION + 1} is newer than this bot knows" in _line(lines, "database")
    assert lines[-1] == "2 of 7 checks failed"


async def test_a_malformed_setting_is_one_failed_line(
    tmp_path: Path, server: FakeBotApiServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = await _check(monkeypatch, capsys, tmp_path, _deployment(tmp_path, server, POST_TIMES="25:00"))
    assert code == 1
    assert lines == [
        "FAIL  settings: invalid setting: POST_TIMES: '25:00' is not a time of day in HH:MM form",
        "1 of 1 checks failed",
    ]


def _obey_permission_bits() -> None:
    """In the child before exec: drop the capabilities by which root ignores permission bits (as a systemd unit
    with a CapabilityBoundingSet would), so a read-only folder is read-only for it too."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


async def test_a_database_folder_the_bot_cannot_write_fails(tmp_path: Path, server: FakeBotApiServer) -> None:
    data = tmp_path / "data"
    db = await open_database(data / "aikyn.sqlite3")
    await db.close()
    (data / "aikyn.sqlite3").chmod(0o444)
    data.chmod(0o555)
    env = {**os.environ, **_deployment(tmp_path, server, BACKUP_DIR=""), "PYTHONPATH": str(ROOT)}
    as_root = os.geteuid() == 0
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "check",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            preexec_fn=_obey_permission_bits if as_root else None,
        )
        output, _ = await asyncio.wait_for(process.communicate(), 60)
    except subprocess.SubprocessError as exc:
        pytest.skip(f"running as root, and root cannot be made to obey permission bits here: {exc}")
    finally:
        data.chmod(0o755)
    lines = output.decode().splitlines()
    assert process.returncode == 1, lines
    assert _line(lines, "database folder") == f"FAIL  database folder: {data} is not writable (Permission denied)"
    assert _line(lines, "database") == f"FAIL  database: {data / 'aikyn.sqlite3'}: Permission denied"
    assert _line(lines, "telegram").startswith("ok    telegram: ")
    assert lines[-1] == "2 of 7 checks failed"
    assert server.token not in output.decode()
