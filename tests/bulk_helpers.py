"""Article files for the bulk import's tests (own short texts), and a worker that dies on a chosen file.

The worker functions here run in the bulk import's worker processes, so they live in an importable module.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

from bot.bulk_import import Group, Outcome, Packed, work

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
