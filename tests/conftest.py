from __future__ import annotations

import os

# Opt in to PTB's coming behaviour (durations as timedelta), as the bot's entry points do.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import importer
from storage import Database, open_database

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_bb976cd12282bddc.txt"


@pytest.fixture
async def fresh_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = await open_database(tmp_path / "aikyn.sqlite3")
    yield db
    await db.close()


@pytest.fixture
async def seeded_db(fresh_db: Database) -> Database:
    report = await importer.import_paths(fresh_db, [SEED])
    assert report.imported == 1
    return fresh_db
