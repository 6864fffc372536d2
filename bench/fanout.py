"""Fan-out benchmark: one new article, 100,000 followers, the bot killed (kill -9) midway and started again.

    python bench/fanout.py                 # 100,000 followers, SEND_RATE_LIMIT=0 (no overall limit)
    python bench/fanout.py --followers 5000 --quick

`aikyn-bot run` runs as a real process against the HTTP Bot API fake in this process, on a real SQLite file that
already holds the followers. A separate `aikyn-bot import` process stores an article about Руслан Абдуллин, whom
every follower follows; once half of them have their message, the bot gets SIGKILL, then is started again and
finishes. Counted from what the fake received: messages sent, readers reached, duplicates, lost; the outbox rows
the crash left 'sending' (never sent again) and whether the fake had received them; time and the bot's memory.

A second, small run measures the budget at Telegram's rate (SEND_RATE_LIMIT=30): notifications take at most 0.8
of it, and readers who write to the bot meanwhile are answered.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

FIRST_FOLLOWER = 10_000_000
ARTICLE = {
    "title": "Бейбітшілік керуені Павлодарға жетті",
    "lead": "Керуен қатысушылары облыс жастарымен кездесті.",
    "body": (
        "Бейбітшілік және келісім керуені Павлодар қаласына жетті. Қордың президенті Руслан Абдуллин "
        "жергілікті жастармен, мәдениет қызметкерлерімен кездесті.\n\n"
        "«Біз елдің бірлігін нығайтуға бар күшімізді саламыз», – деді Руслан Абдуллин.\n\n"
        "Кездесу соңында қатысушылар ортақ концерт қойды."
    ),
    "url": "https://aikyn.kz/bench/keruen-pavlodar.html",
}


def _env(db_path: Path, base_url: str, token: str, rate: str) -> dict[str, str]:
    return {
        **os.environ,
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": base_url,
        "DATABASE_PATH": str(db_path),
        "CHANNEL_ID": "@bench_channel",
        "ADMIN_IDS": "42",
        "POST_TIMES": "",
        "SEND_RATE_LIMIT": rate,
        "NOTIFY_INTERVAL": "1",
        "NOTIFY_DAILY_CAP": "10",
        "SEEDS_DIR": str(db_path.parent / "no-seeds"),
        "PYTHONPATH": str(ROOT),
    }


async def _prepare(db_path: Path, followers: int) -> None:
    """The archive (the seed article) and `followers` readers following «Абдуллин»."""
    from bot import importer
    from storage import open_database, subscriptions

    db = await open_database(db_path)
    try:
        await importer.import_paths(db, [ROOT / "seeds"])
        ids = list(range(FIRST_FOLLOWER, FIRST_FOLLOWER + followers))
        now = datetime.now(UTC)
        for start in range(0, len(ids), 10_000):
            chunk = ids[start : start + 10_000]
            await subscriptions.add_in_bulk(db, chunk, "entity", "абдуллин", "Абдуллин", language="kk", now=now)
    finally:
        await db.close()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _start_bot(env: dict[str, str], fake, log_path: Path):  # type: ignore[no-untyped-def]
    polls = len(fake.sent("getUpdates", ok_only=False))
    with open(log_path, "ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
    await fake.wait_for(lambda: len(fake.sent("getUpdates", ok_only=False)) > polls, timeout=120)
    return process


async def _import_article(env: dict[str, str], workdir: Path) -> float:
    path = workdir / "article.json"
    path.write_text(json.dumps(ARTICLE, ensure_ascii=False))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "import", str(path), cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL
    )
    await asyncio.wait_for(process.wait(), 120)
    if process.returncode != 0:
        raise RuntimeError("aikyn-bot import failed")
    return time.monotonic()


def _outbox_counts(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT status, count(*) FROM notifications GROUP BY status").fetchall())


def _rows_with_status(db_path: Path, status: str) -> list[int]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT user_id FROM notifications WHERE status = ?", (status,))]


async def _settled(db_path: Path, followers: int, timeout: float) -> dict[str, int]:
    """Wait until every follower's row is final (nothing pending, claimed or being sent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = _outbox_counts(db_path)
        open_rows = sum(counts.get(s, 0) for s in ("pending", "claimed", "sending"))
        if sum(counts.values()) >= followers and open_rows == 0:
            return counts
        await asyncio.sleep(0.5)
    raise TimeoutError(f"the outbox did not settle: {_outbox_counts(db_path)}")


def _delivered(fake, followers: int) -> tuple[list[int], list[float]]:  # type: ignore[no-untyped-def]
    """Follower chat ids of every message the fake accepted, and when."""
    chats, times = [], []
    for call in fake.calls:
        if call.method == "sendMessage" and call.status == 200:
            chat = int(call.params["chat_id"])
            if FIRST_FOLLOWER <= chat < FIRST_FOLLOWER + followers:
                chats.append(chat)
                times.append(call.at)
    return chats, times


async def fan_out(followers: int, workdir: Path) -> dict[str, object]:
    from bot.fakeapi.server import FakeBotApiServer

    db_path = workdir / "fanout.sqlite3"
    await _prepare(db_path, followers)
    async with FakeBotApiServer() as server:
        fake = server.fake
        env = _env(db_path, server.base_url, server.token, rate="0")
        first = await _start_bot(env, fake, workdir / "bot.log")
        imported_at = await _import_article(env, workdir)
        await fake.wait_for(lambda: fake.ok_counts["sendMessage"] >= followers // 2, timeout=3600)
        peak_first = _peak_rss_mb(first.pid)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        at_kill = len(_delivered(fake, followers)[0])
        left_sending = _rows_with_status(db_path, "sending")
        second = await _start_bot(env, fake, workdir / "bot.log")
        counts = await _settled(db_path, followers, timeout=3600)
        peak_second = _peak_rss_mb(second.pid)
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 60)
    chats, times = _delivered(fake, followers)
    reached = set(chats)
    unconfirmed = set(_rows_with_status(db_path, "unconfirmed"))
    return {
        "followers": followers,
        "messages sent": len(chats),
        "readers reached": len(reached),
        "duplicates": len(chats) - len(reached),
        "lost": followers - len(reached),
        "sent before the kill": at_kill,
        "rows left 'sending' by the kill": len(left_sending),
        "of those, received by the fake": len(set(left_sending) & reached),
        "unconfirmed rows at the end": len(unconfirmed),
        "outbox": counts,
        "first message after import (s)": round(min(times) - imported_at, 2),
        "all sent after import (s)": round(max(times) - imported_at, 1),
        "messages/s (kill and restart included)": round(len(chats) / (max(times) - min(times)), 1),
        "bot peak RSS before the kill (MB)": round(peak_first, 1),
        "bot peak RSS after the restart (MB)": round(peak_second, 1),
    }


async def budget(followers: int, readers: int, workdir: Path) -> dict[str, object]:
    """At SEND_RATE_LIMIT=30: the notifications' rate, and replies to readers asking meanwhile."""
    from bot.fakeapi.server import FakeBotApiServer

    db_path = workdir / "budget.sqlite3"
    await _prepare(db_path, followers)
    async with FakeBotApiServer() as server:
        fake = server.fake
        env = _env(db_path, server.base_url, server.token, rate="30")
        process = await _start_bot(env, fake, workdir / "budget.log")
        await _import_article(env, workdir)
        await fake.wait_for(lambda: fake.ok_counts["sendMessage"] >= followers // 4, timeout=600)
        waits = []
        for n in range(readers):
            user = 500 + n
            started = time.monotonic()
            fake.add_update(fake.user_message("/latest", user_id=user))
            await fake.wait_for(lambda u=user: fake.sent("sendMessage", chat_id=u), timeout=60)
            waits.append(time.monotonic() - started)
        await _settled(db_path, followers, timeout=600)
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)
    _, times = _delivered(fake, followers)
    times.sort()
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    return {
        "followers": followers,
        "SEND_RATE_LIMIT": 30,
        "notifications/s (mean)": round(len(times) / (times[-1] - times[0]), 1),
        "most notifications in any 1 s": busiest,
        f"/latest reply during the fan-out, median of {readers} (s)": round(statistics.median(waits), 2),
        "/latest reply, slowest (s)": round(max(waits), 2),
    }


def _print_table(title: str, figures: dict[str, object]) -> None:
    print(f"\n{title}\n")
    print("| figure | value |\n|---|---|")
    for name, value in figures.items():
        print(f"| {name} | {value} |")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--followers", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="a smaller budget run")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="aikyn-fanout-") as tmp:
        workdir = Path(tmp)
        (workdir / "no-seeds").mkdir()
        started = time.monotonic()
        figures = await fan_out(args.followers, workdir)
        _print_table(f"Fan-out, SEND_RATE_LIMIT=0, kill -9 midway ({time.monotonic() - started:.0f} s in all)", figures)
        small = 300 if args.quick else 1200
        _print_table("Sharing the budget at Telegram's rate", await budget(small, 10, workdir))


if __name__ == "__main__":
    asyncio.run(main())
