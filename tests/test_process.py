"""`aikyn-bot run` as a real process against the HTTP Bot API fake: clean SIGTERM, 409 Conflict, no token in logs."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.fakeapi.server import FakeBotApiServer
from tests.conftest import ROOT, SEED


async def _start(
    server: FakeBotApiServer, workdir: Path, env_extra: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.base_url,
        "CHANNEL_ID": "@aikyn_test_channel",
        "ADMIN_IDS": "42",
        "DATABASE_PATH": str(workdir / "aikyn.sqlite3"),
        "SEEDS_DIR": str(workdir / "seeds"),
        "PYTHONPATH": str(ROOT),
        **(env_extra or {}),
    }
    with open(workdir / "run.log", "wb") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=workdir, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )


def _workdir(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    return tmp_path


async def test_sigterm_stops_the_bot_cleanly_and_the_token_stays_out_of_logs(tmp_path: Path) -> None:
    workdir = _workdir(tmp_path)
    async with FakeBotApiServer() as server:
        process = await _start(server, workdir)
        await server.fake.wait_for(lambda: server.fake.sent("getUpdates", ok_only=False), timeout=20)
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 20)
    log = (workdir / "run.log").read_text()
    assert process.returncode == 0, log
    assert "Application.stop() complete" in log
    assert server.token not in log
    with sqlite3.connect(workdir / "aikyn.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (1,)


async def test_a_second_instance_on_the_same_token_is_reported_as_a_conflict(tmp_path: Path) -> None:
    first_dir = _workdir(tmp_path / "a")
    second_dir = _workdir(tmp_path / "b")
    async with FakeBotApiServer() as server:
        first = await _start(server, first_dir)
        await server.fake.wait_for(lambda: server.fake.sent("getUpdates", ok_only=False), timeout=20)
        second = await _start(server, second_dir)
        waits = [asyncio.ensure_future(p.wait()) for p in (first, second)]
        done, _ = await asyncio.wait(waits, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        for process in (first, second):
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        _, still_running = await asyncio.wait(waits, timeout=30)
        logs = [(d / "run.log").read_text() for d in (first_dir, second_dir)]
        assert done, f"neither instance stopped after 409 Conflict: {logs}"
        assert not still_running, f"an instance ignored SIGTERM: {logs}"
    codes = [first.returncode, second.returncode]
    assert 3 in codes, (codes, logs)
    assert any("409 Conflict: another instance is polling this bot token" in log for log in logs)
    assert not any("Traceback" in log for log in logs), logs


async def test_webhook_mode_registers_the_hook_checks_the_secret_and_answers(tmp_path: Path) -> None:
    import json
    import socket

    import httpx

    workdir = _workdir(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with FakeBotApiServer() as server:
        env_extra = {
            "WEBHOOK_URL": "https://bot.aikyn.example/tg-hook",
            "WEBHOOK_SECRET": "s3cret-Token",
            "WEBHOOK_PORT": str(port),
        }
        process = await _start(server, workdir, env_extra)
        await server.fake.wait_for(lambda: server.fake.sent("setWebhook"), timeout=20)
        [hook] = server.fake.sent("setWebhook")
        assert hook.params["url"] == "https://bot.aikyn.example/tg-hook"
        assert hook.params["secret_token"] == "s3cret-Token"
        update = server.fake.user_message("/latest", user_id=777)
        update["update_id"] = 1
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/tg-hook"
            forged = await client.post(
                url,
                content=json.dumps(update),
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "wrong"},
            )
            assert forged.status_code == 403
            accepted = await client.post(
                url,
                content=json.dumps(update),
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"},
            )
            assert accepted.status_code == 200
        await server.fake.wait_for(lambda: server.fake.sent("sendMessage", chat_id=777), timeout=20)
        assert len(server.fake.sent("sendMessage", chat_id=777)) == 1
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 20)
    assert process.returncode == 0, (workdir / "run.log").read_text()


@contextlib.asynccontextmanager
async def read_only(path: Path | None) -> AsyncIterator[None]:
    """The file as on a read-only mount: immutable (root ignores permission bits, not this attribute)."""
    if path is None:
        yield
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported on this file system, so a read-only disk cannot be imitated")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


async def _finished(process: asyncio.subprocess.Process, workdir: Path) -> str:
    await asyncio.wait_for(process.wait(), 30)
    return (workdir / "run.log").read_text()


async def test_a_rejected_token_ends_the_start_in_one_line_that_never_shows_it(tmp_path: Path) -> None:
    workdir = _workdir(tmp_path)
    rejected = "987654321:AAHrejected-token_that-Telegram-does-not-know"
    async with FakeBotApiServer() as server:
        process = await _start(server, workdir, {"BOT_TOKEN": rejected})
        log = await _finished(process, workdir)
        assert server.fake.sent("getMe", ok_only=False) == []  # the fake answered 401 before recording
    assert process.returncode == 2
    assert rejected not in log and rejected.split(":")[1] not in log
    assert log.splitlines() == [
        "aikyn-bot: Telegram rejected BOT_TOKEN (401 Unauthorized): it was revoked or mistyped. Put the current "
        "token from @BotFather in .env and start again."
    ]


async def test_telegram_out_of_reach_at_start_is_one_line(tmp_path: Path) -> None:
    workdir = _workdir(tmp_path)
    async with FakeBotApiServer() as server:
        token = server.token
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/bot"
    env = {"BOT_TOKEN": token, "TELEGRAM_API_URL": closed}
    async with FakeBotApiServer() as unused:
        process = await _start(unused, workdir, env)
        log = await _finished(process, workdir)
    assert process.returncode == 1, log
    assert token not in log
    [line] = log.splitlines()
    assert line.startswith(f"aikyn-bot: cannot reach Telegram at {closed} (") and "check the network" in line


@pytest.mark.parametrize("kind", ["folder", "not a database", "read-only"])
async def test_a_database_that_cannot_be_used_ends_the_start_in_one_line_naming_database_path(
    tmp_path: Path, kind: str
) -> None:
    workdir = _workdir(tmp_path)
    path = workdir / "aikyn.sqlite3"
    if kind == "folder":
        path.mkdir()
    elif kind == "not a database":
        path.write_bytes(b"this is not SQLite\n" * 100)
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE old (x)")
    async with FakeBotApiServer() as server, read_only(path if kind == "read-only" else None):
        process = await _start(server, workdir)
        log = await _finished(process, workdir)
    assert process.returncode == 2, log
    assert "Traceback" not in log, log
    [line] = [line for line in log.splitlines() if line.startswith("aikyn-bot:")]
    assert line.startswith(f"aikyn-bot: cannot use the database at DATABASE_PATH={path}: ")


def test_every_log_line_is_redacted_tracebacks_included() -> None:
    import logging

    from bot.serve import RedactingFormatter

    token, secret = "123456789:AAHsecret-part_of-the-token", "hook-Secret_1"
    formatter = RedactingFormatter((token, secret), "%(message)s")
    try:
        raise RuntimeError(f"The token `{token}` was rejected; url https://x/bot{token.replace(':', '%3A')}/getMe")
    except RuntimeError:
        record = logging.LogRecord("httpx", logging.ERROR, __file__, 1, "secret %s", (secret,), sys.exc_info())
    text = formatter.format(record)
    assert "Traceback" in text and "<BOT_TOKEN>" in text and "<WEBHOOK_SECRET>" in text
    assert token not in text and "AAHsecret" not in text and secret not in text


async def test_a_webhook_port_in_use_ends_the_start_in_one_line(tmp_path: Path) -> None:
    workdir = _workdir(tmp_path)
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with FakeBotApiServer() as server:
            env = {"WEBHOOK_URL": "https://bot.aikyn.example/hook", "WEBHOOK_PORT": str(port)}
            process = await _start(server, workdir, env)
            log = await _finished(process, workdir)
    assert process.returncode == 2, log
    assert "Traceback" not in log
    assert f"aikyn-bot: cannot listen on WEBHOOK_PORT={port}: " in log
