"""The offline console: the real application on the in-process Bot API fake, driven by typed lines."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import redirect_stdout
from pathlib import Path

from bot.config import Settings
from bot.console import console
from tests.conftest import SEED


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
    assert "📢 channel" in text and "#AMANAT" in text
    assert "жарияланған 1" in text
