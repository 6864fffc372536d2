"""The offline console: the real application on the in-process Bot API fake, driven by typed lines."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console import console
from storage import open_database, posts
from storage.timestamps import utc_now
from tests.conftest import ROOT, SEED
from tests.harness import wait_until
from tests.test_editorial import assert_kazakh_or_russian


async def _typed(*lines: str) -> AsyncIterator[str]:
    for line in lines:
        yield line


async def test_console_answers_commands_presses_buttons_and_prints_channel_posts(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    settings = Settings(
        _env_file=None,
        database_path=tmp_path / "db.sqlite3",
        seeds_dir=tmp_path / "seeds",  # type: ignore[call-arg]
        admin_ids=frozenset({1}),
        post_times=(),
    )
    out = io.StringIO()
    with redirect_stdout(out):
        await console(
            settings,
            user_id=1,
            language="kk",
            lines=_typed("/latest", "1", "/quotes Абдуллиннің", "/article abc", "/postnow 1", "/status"),
        )
    text = out.getvalue()
    assert "*Соңғы мақалалар*" in text and "[1] Ашу 1" in text
    assert "*1.* Бейбітшілік және келісім керуені" in text  # the list
    assert text.count("*Бейбітшілік және келісім керуені") == 2  # the opened article and the channel post
    assert "— *Руслан Абдуллин*" in text
    assert "мақала нөмірі емес" in text
    assert "📢 арна" in text and "#AMANAT" in text
    assert "жарияланған 1" in text


@pytest.mark.parametrize(
    ("language", "banner", "channel"),
    [
        ("kk", "Сіз мұнда редакторсыз: /queue, /schedule, /postnow", "── 📢 арна ──"),
        ("ru", "Вы здесь редактор: /queue, /schedule, /postnow", "── 📢 канал ──"),
    ],
)
async def test_the_console_speaks_the_users_language_from_banner_to_buttons(
    tmp_path: Path, language: str, banner: str, channel: str
) -> None:
    out = io.StringIO()
    lines = _typed("/status", "/postnow 1", "/edit 1", "/queue")
    await console(_settings(tmp_path), user_id=1, language=language, lines=lines, out=out)
    text = out.getvalue()
    assert banner in text and channel in text
    # everything but the channel post (the article's own text) and the keys to press
    for block in text.split("\n── "):
        if not block.startswith(("📢", "🤖 бот (")) and "#AMANAT" not in block:
            assert_kazakh_or_russian(block.replace("Ctrl-D", ""))


def _settings(tmp_path: Path) -> Settings:
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    return Settings(
        _env_file=None,
        database_path=tmp_path / "db.sqlite3",
        seeds_dir=tmp_path / "seeds",  # type: ignore[call-arg]
        admin_ids=frozenset({1}),
        post_times=(),
    )


async def test_a_post_that_falls_due_while_the_console_waits_for_a_line_is_printed_at_once(tmp_path: Path) -> None:
    out = io.StringIO()
    go_on = asyncio.Event()

    async def typed_then_waiting() -> AsyncIterator[str]:
        yield "/status"
        await go_on.wait()

    async def schedule_and_watch() -> None:
        await wait_until(lambda: "кезекте 0" in out.getvalue(), timeout=20)  # started, and answered /status
        other = await open_database(tmp_path / "db.sqlite3")  # a post scheduled by another process
        try:
            await posts.create(other, 1, utc_now(), "admin", created_by=1, now=utc_now())
        finally:
            await other.close()
        await wait_until(lambda: "📢 арна" in out.getvalue(), timeout=10, what=out.getvalue())
        go_on.set()

    await asyncio.gather(
        console(_settings(tmp_path), user_id=1, language="kk", lines=typed_then_waiting(), out=out),
        schedule_and_watch(),
    )
    assert "#AMANAT" in out.getvalue()


async def _console_process(tmp_path: Path, stdout: int | None = asyncio.subprocess.PIPE) -> asyncio.subprocess.Process:
    settings = _settings(tmp_path)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(settings.database_path),
        "SEEDS_DIR": str(settings.seeds_dir),
        "ADMIN_IDS": "1",
        "POST_TIMES": "",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "console",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=stdout,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_ctrl_c_stops_the_console_cleanly_while_it_waits_for_a_line(tmp_path: Path) -> None:
    process = await _console_process(tmp_path)
    assert process.stdout is not None and process.stderr is not None
    greeting = await asyncio.wait_for(process.stdout.readline(), 30)
    assert greeting.decode().startswith("«Айқын» ботының консолі")
    process.send_signal(signal.SIGINT)
    await asyncio.wait_for(process.wait(), 15)
    errors = (await process.stderr.read()).decode()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors and "still running" not in errors


async def test_the_console_stops_when_the_reader_of_its_output_goes_away(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    process = await _console_process(tmp_path, stdout=write_end)
    os.close(write_end)
    assert process.stdin is not None and process.stderr is not None
    with os.fdopen(read_end, "rb") as head:  # `aikyn-bot console | head -1`
        assert head.readline().decode().startswith("«Айқын» ботының консолі")
    process.stdin.write(b"/latest\n/help\n")  # output to a closed pipe; the input stays open
    await process.stdin.drain()
    await asyncio.wait_for(process.wait(), 15)
    errors = (await process.stderr.read()).decode()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
