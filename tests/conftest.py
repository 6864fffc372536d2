from __future__ import annotations

import os

# Opt in to PTB's coming behaviour (durations as timedelta), as the bot's entry points do.
os.environ.setdefault("PTB_TIMEDELTA", "1")

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import importer
from storage import Database, open_database

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_bb976cd12282bddc.txt"
API_SPEC = ROOT.parent / "shared" / "botapi-spec" / "api.json"


def bot_api_spec() -> dict[str, Any]:
    """The machine-readable Bot API description, or a skip where it is not beside this checkout. CI runs beside
    ../shared: there a missing spec is a broken checkout, not a reason to skip a contract test."""
    if not API_SPEC.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{API_SPEC} is missing: the Bot API contract cannot be checked")
        pytest.skip("shared/botapi-spec/api.json is not beside this checkout")
    spec: dict[str, Any] = json.loads(API_SPEC.read_text())
    return spec


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
