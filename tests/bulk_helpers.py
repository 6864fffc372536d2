"""Article files for the bulk import's tests (own short texts), and workers that die or fail on a chosen file.

The worker functions here run in the bulk import's worker processes, so they live in an importable module.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

from bot import bulk_import
from bot.bulk_import import Group, Outcome, Packed, work
from bot.records import ArticleDraft
from storage.articles import StoredVersion
from storage.bulk_writer import find_stored_read_only

PEOPLE = ["Асқар Серікбаев", "Дана Жұмабаева", "Ерлан Тоқтаров", "Гүлнар Оспанова", "Марат Ахметов"]
PLACES = ["Алматы", "Атырау", "Тараз", "Қостанай", "Семей"]
ORGS = ["«Жасыл ел» қоры", "«Таза су» ЖШС", "Білім министрлігі"]


def article_text(n: int) -> str:
    """An article in Aikyn's layout: lead, title, views, «оқылды», paragraphs with a quote, a date and names."""
    person, place, org = PEOPLE[n % 5], PLACES[n % 5], ORGS[n % 3]
    year = 1995 + n % 30
    return (
        f"{place} тұрғындары жаңа жобаны талқылады\n"
        f"{place}да жаңа мектеп салынады ({n})\n"
        f"{100 + n}\nоқылды\n\n"
        f"{place} қаласында {org} {year} жылы жаңа мектеп салуды бастады. Құрылысқа {n + 3} миллион теңге бөлінді.\n\n"
        f"«Мектеп келесі жылы {n % 12 + 1} қыркүйекте ашылады, балалар жаңа сыныптарда оқиды», – деді "
        f"аудан әкімі {person}.\n\n"
        f"Тұрғындардың айтуынша, ауылда бұрын мектеп болмаған. {person.split()[1]} жобаның "
        f"{year + 2} жылы аяқталатынын айтты."
    )


def write_articles(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"{n:04d}.txt"
        path.write_text(article_text(n), encoding="utf-8")
        paths.append(path)
    return paths


def write_jsonl(path: Path, numbers: range) -> Path:
    records = [
        {"title": f"Жазба {n}: көпір жөнделді", "body": [f"Көпірді {2000 + n} жылы жөндеді.", "Жұмыс аяқталды."]}
        for n in numbers
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def dying_work(group: Group) -> list[Outcome | Packed]:
    """`work`, except that a worker given a file named *poison* is killed as by the kernel's OOM killer."""
    if any("poison" in path.name for path in group.files):
        os.kill(os.getpid(), signal.SIGKILL)
    return work(group)


def dying_later_work(group: Group) -> list[Outcome | Packed]:
    """`dying_work`, except that the worker given the poison file dies only once a file named `go` is beside it
    (the test makes it when the importer has taken the first groups), or after a minute."""
    poison = [path for path in group.files if "poison" in path.name]
    if poison:
        go, never_set = poison[0].parent / "go", threading.Event()
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            never_set.wait(0.01)
        os.kill(os.getpid(), signal.SIGKILL)
    return work(group)


def _lookup_refused(connection: sqlite3.Connection, draft: ArticleDraft) -> StoredVersion | None:
    if "бұғатталған" in draft.title.casefold():
        raise sqlite3.OperationalError("database is locked")
    return find_stored_read_only(connection, draft)


def refusing_work(group: Group) -> list[Outcome | Packed]:
    """`work`, except that looking up an article titled with «бұғатталған» fails, as on a locked database."""
    bulk_import.find_stored_read_only = _lookup_refused  # in this worker process only
    return work(group)
