"""Synthetic Kazakh articles for benchmarks, built from real sentences (the seed and a corpus folder).

Names, organisations, places and years are varied so that search, quotes by name and related-article
ranking see realistic distributions: a few frequent entities and a long tail.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from bot.analysis.sentences import split_sentences
from bot.article_files import ArticleFileError, read_article_file
from bot.records import ArticleDraft

GIVEN = [
    "Асқар",
    "Ерлан",
    "Айгүл",
    "Нұрлан",
    "Дана",
    "Серік",
    "Гүлнар",
    "Бауыржан",
    "Жанар",
    "Марат",
    "Әсел",
    "Қанат",
    "Мәди",
    "Сәуле",
    "Ержан",
    "Ләззат",
    "Олжас",
    "Динара",
    "Арман",
    "Зарина",
]
SURNAME_STEMS = [
    "Абдулл",
    "Жұмабаев",
    "Серікбаев",
    "Тоқтар",
    "Ахмет",
    "Смағұл",
    "Нұрпейіс",
    "Қасым",
    "Байжан",
    "Оспан",
    "Ермек",
    "Мұқан",
    "Әбіл",
    "Дәулет",
    "Сұлтан",
    "Төлеу",
    "Жақып",
    "Иман",
    "Есім",
    "Бекмұхамед",
]
ROLES = [
    "облыс әкімінің орынбасары",
    "министрлік басқармасының басшысы",
    "қор президенті",
    "бас сарапшы",
    "аудан әкімі",
    "компания директоры",
    "университет ректоры",
    "депутат",
]
ORGS = [
    "«Болашақ» қоры",
    "«Самұрық-Қазына» ҰӘҚ",
    "«Қазақстан темір жолы» ҰК",
    "«Нұр» ЖШС",
    "«Атамекен» палатасы",
    "«Ақ жол» партиясы",
    "«Жастар» орталығы",
    "«Шапағат» қайырымдылық қоры",
]
PLACES = [
    "Алматы",
    "Астана",
    "Шымкент",
    "Қарағанды",
    "Ақтөбе",
    "Атырау",
    "Павлодар",
    "Семей",
    "Тараз",
    "Түркістан",
    "Қызылорда",
    "Орал",
    "Көкшетау",
    "Қостанай",
    "Өскемен",
]


def real_sentences(sources: list[Path]) -> list[str]:
    """Sentences of 40–300 characters from the given article files and folders."""
    sentences: list[str] = []
    for source in sources:
        files = sorted(source.glob("*.txt")) if source.is_dir() else [source]
        for path in files:
            try:
                draft = read_article_file(path).drafts[0]
            except ArticleFileError:
                continue
            for sentence in split_sentences(draft.body.replace("\n\n", "\n")):
                text = sentence.text
                if 40 <= len(text) <= 300 and text.count("«") == text.count("»"):
                    sentences.append(text)
    return sentences


def _person(rng: random.Random) -> str:
    surname = rng.choice(SURNAME_STEMS) + rng.choice(["ов", "ев", "ин", "ова", "ева", "ұлы"])
    surname = re.sub(r"(ов|ев)(ов|ев|ин|ова|ева|ұлы)$", r"\2", surname)
    return f"{rng.choice(GIVEN)} {surname}"


def articles(count: int, sentences: list[str], *, seed: int = 7, start: int = 0) -> Iterator[ArticleDraft]:
    """Articles number `start` … `start + count - 1` (each the same in every run): 8–16 real sentences each,
    with people, quotes, organisations, places, years."""
    for n in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + n)
        person = _person(rng)
        # a long tail of people: most articles get someone rare, some the frequent ones
        if rng.random() < 0.2:
            person = f"{GIVEN[n % 3]} {SURNAME_STEMS[n % 4]}ов"
        place, org = rng.choice(PLACES), rng.choice(ORGS)
        body = rng.sample(sentences, k=min(len(sentences), rng.randint(8, 16)))
        year = rng.randint(1991, 2026)
        body.insert(rng.randint(0, 3), f"{place} қаласында {org} {year} жылы жаңа жобаны бастады.")
        quote = rng.choice(sentences).rstrip(".!?")
        body.insert(rng.randint(2, 6), f"«{quote}», – деді {rng.choice(ROLES)} {person}.")
        paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
        title = f"{place}: {rng.choice(sentences)[:90].rstrip(' ,.')} ({n})"
        yield ArticleDraft(
            title=title, lead=rng.choice(sentences), body="\n\n".join(paragraphs), source=f"synthetic/{n}"
        )


def write_files(folder: Path, drafts: Iterator[ArticleDraft], *, per_jsonl: int = 0) -> int:
    """Write articles as files `aikyn-bot import` reads: Aikyn's text layout (lead, title, views, «оқылды», body),
    one .txt file each, or JSON Lines files of `per_jsonl` records. Returns how many were written."""
    folder.mkdir(parents=True, exist_ok=True)
    written, lines = 0, []
    for draft in drafts:
        if per_jsonl:
            record = {"title": draft.title, "lead": draft.lead, "body": draft.body, "source": draft.source}
            lines.append(json.dumps(record, ensure_ascii=False))
            if len(lines) == per_jsonl:
                (folder / f"{written // per_jsonl:06d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
                lines = []
        else:
            text = f"{draft.lead}\n{draft.title}\n{1000 + written}\nоқылды\n\n{draft.body}\n"
            (folder / f"{written:07d}.txt").write_text(text, encoding="utf-8")
        written += 1
    if lines:
        (folder / f"{written // per_jsonl:06d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written
