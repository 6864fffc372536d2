"""`aikyn-bot run` killed with SIGKILL in the middle of telling followers, then started again: nobody gets a message
twice, and everybody gets theirs except readers whose request was under way at the kill and never arrived."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot import importer
from bot.fakeapi import FakeBotApi
from bot.fakeapi.server import FakeBotApiServer
from storage import open_database, subscriptions
from tests.conftest import ROOT, SEED

FOLLOWERS = range(20_000, 20_300)


async def _prepare(db_path: Path) -> None:
    db = await open_database(db_path)
    try:
        await importer.import_paths(db, [SEED])
        now = datetime.now(UTC)
        await subscriptions.add_in_bulk(db, list(FOLLOWERS), "entity", "абдуллин", "Абдуллин", language="kk", now=now)
    finally:
        await db.close()


async def _start(env: dict[str, str], fake: FakeBotApi, log: Path) -> asyncio.subprocess.Process:
    polls = len(fake.sent("getUpdates", ok_only=False))
    with open(log, "ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT
        )
    await fake.wait_for(lambda: len(fake.sent("getUpdates", ok_only=False)) > polls, timeout=60)
    return process


def _statuses(db_path: Path) -> dict[int, str]:
    with sqlite3.connect(db_path) as db:
        return dict(db.execute("SELECT user_id, status FROM notifications").fetchall())


async def test_kill_9_midway_sends_nothing_twice_and_loses_only_requests_under_way(tmp_path: Path) -> None:
    db_path = tmp_path / "aikyn.sqlite3"
    await _prepare(db_path)
    article = tmp_path / "article.json"
    body = "Қордың президенті Руслан Абдуллин жастармен кездесті."
    article.write_text(
        json.dumps(ensure_ascii=False, obj={"title": "Керуен Павлодарда", "body": body, "url": "https://a.kz/k"})
    )
    async with FakeBotApiServer(FakeBotApi(latency=0.01)) as server:
        fake = server.fake
        env = {
            **os.environ,
            "BOT_TOKEN": server.token,
            "TELEGRAM_API_URL": server.base_url,
            "DATABASE_PATH": str(db_path),
            "SEEDS_DIR": str(tmp_path / "none"),
            "CHANNEL_ID": "@aikyn_test_channel",
            "POST_TIMES": "",
            "SEND_RATE_LIMIT": "0",
            "NOTIFY_INTERVAL": "0.2",
            "PYTHONPATH": str(ROOT),
        }
        first = await _start(env, fake, tmp_path / "run.log")
        imported = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "import", str(article), env=env)
        assert await asyncio.wait_for(imported.wait(), 60) == 0
        await fake.wait_for(lambda: fake.ok_counts["sendMessage"] >= 60, timeout=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        second = await _start(env, fake, tmp_path / "run.log")

        def settled() -> bool:
            statuses = _statuses(db_path)
            return len(statuses) == len(FOLLOWERS) and not {"pending", "claimed", "sending"} & set(statuses.values())

        async with asyncio.timeout(60):  # bounded: the outbox read until every row is final
            while not settled():
                await asyncio.sleep(0.1)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 30) == 0
    received = [int(c.params["chat_id"]) for c in fake.sent("sendMessage") if int(c.params["chat_id"]) in FOLLOWERS]
    assert len(received) == len(set(received))  # nobody twice
    statuses = _statuses(db_path)
    missing = set(FOLLOWERS) - set(received)
    assert all(statuses[user] == "unconfirmed" for user in missing)  # only requests under way at the kill
    assert set(statuses.values()) <= {"sent", "unconfirmed"}
    assert len(missing) <= 4  # at most the requests under way at once
