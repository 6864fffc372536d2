"""Names, places, organisations, word forms and hashtags, on short Kazakh examples written for these tests."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime

from bot import importer
from bot.analysis.entities import extract_entities, hashtag_worthy
from bot.analysis.morphology import lemma, name_nominative, search_stems, without_case
from bot.analysis.names import find_people
from bot.batch_analysis import analyze_lines
from bot.post_format import render_post
from bot.records import ArticleDraft
from storage import Database, articles
from storage.article_analysis import StoredEntity
from storage.articles import Article
from tests.conftest import ROOT


def _found(text: str) -> dict[str, tuple[str, list[str]]]:
    """name → (kind, the mentions as written)."""
    return {e.name: (e.kind, [text[s:t] for s, t in e.spans]) for e in extract_entities(text)}


def test_a_title_before_a_name_does_not_swallow_the_person() -> None:
    text = (
        "Елбасы Нұрсұлтан Назарбаев жиынға қатысты. Министр Асқар Жұмабаев пен Президент Қасым-Жомарт Тоқаев сөйледі."
    )
    found = _found(text)
    assert found["Нұрсұлтан Назарбаев"] == ("person", ["Нұрсұлтан Назарбаев"])
    assert found["Қасым-Жомарт Тоқаев"][0] == "person"
    assert not any(name.startswith(("Елбасы", "Министр", "Президент")) for name in found)
    assert [p.name for p in find_people(text, strict=False)] == [
        "Нұрсұлтан Назарбаев",
        "Асқар Жұмабаев",
        "Қасым-Жомарт Тоқаев",
    ]


def test_surnames_without_russian_or_patronymic_endings_are_kept() -> None:
    text = "Жиында ақын Серік Ақсұңқар мен журналист Дәурен Қуат сөз алды. Дәурен Қуаттың айтуынша, кітап биыл шығады."
    found = _found(text)
    assert found["Дәурен Қуат"] == ("person", ["Дәурен Қуат", "Дәурен Қуаттың"])
    assert found["Серік Ақсұңқар"][0] == "person"


def test_places_beyond_a_list_and_regions_keep_their_whole_name() -> None:
    text = (
        "Батыс Қазақстан облысының әкімі Бөрлі ауданына барды. Алматы облысында жаңа мектеп ашылды, "
        "ал Түлкібас ауданындағы ауылға газ келді."
    )
    found = _found(text)
    assert found["Батыс Қазақстан облысы"] == ("place", ["Батыс Қазақстан облысының"])
    assert found["Алматы облысы"] == ("place", ["Алматы облысында"])
    assert "Алма облысы" not in found and "Қазақстан облысы" not in found
    assert found["Түлкібас"][0] == "place"  # KazNERD's convention: a district's name without «ауданы»


def test_nominatives_are_never_cut() -> None:
    text = "Астана мен Алматы арасында жаңа пойыз жүрді. Пойыз Астанадан шығып, Алматыға жетті."
    found = _found(text)
    assert found["Астана"] == ("place", ["Астана", "Астанадан"])
    assert found["Алматы"] == ("place", ["Алматы", "Алматыға"])
    assert {lemma(w) for w in ("Астана", "Астанаға", "Астананың")} == {"астана"}
    assert [lemma(w) for w in ("Алматы", "Алматыдан", "Президенті", "президентінің")] == [
        "алматы",
        "алматы",
        "президент",
        "президент",
    ]


def test_word_forms_follow_kazakh_endings() -> None:
    forms = {
        "мектебінде": "мектеп",
        "балаларының": "бала",
        "министрлігіне": "министрлік",
        "халқының": "халық",
        "кітаптар": "кітап",
        "еліміздің": "ел",
        "Қазақстанның": "қазақстан",
        "қала": "қала",
        "ана": "ана",
    }
    assert {word: lemma(word) for word in forms} == forms
    assert without_case("министрлігінің") == "министрлігі"
    assert without_case(["Шығыс", "Қазақстан", "облысында"][-1]) == "облысы"


async def test_a_search_for_a_city_finds_its_forms_and_not_a_shorter_word(fresh_db: Database) -> None:
    for title, body in (
        ("Бақ", "Бақта алма піседі. Алманың түрі көп."),
        ("Қала", "Алматыда жаңа саябақ ашылды. Алматының тұрғындары қуанды."),
    ):
        await importer.save_article(fresh_db, ArticleDraft(title=title, body=body))
    found, total = await articles.search(fresh_db, search_stems("Алматы"), limit=5)
    assert [h.title for h in found] == ["Қала"] and total == 1
    found, _ = await articles.search(fresh_db, search_stems("алмалар"), limit=5)
    assert "Бақ" in [h.title for h in found]  # a prefix search for «алма» still reaches «Алматы» too


def test_multi_word_organisations_stay_whole_and_in_the_nominative() -> None:
    text = (
        "Ауыл шаруашылығы министрлігінің өкілі «Нұр Отан» партиясының жиынында сөйледі. "
        "Қазақстан халқы Ассамблеясы жобаны қолдады."
    )
    found = _found(text)
    assert found["Ауыл шаруашылығы министрлігі"] == ("org", ["Ауыл шаруашылығы министрлігінің"])
    assert found["«Нұр Отан» партиясы"] == ("org", ["Нұр Отан"])


def test_datelines_and_site_credits_are_not_entities() -> None:
    text = (
        "АСТАНА. KAZINFORM – Үкімет отырысында жаңа бағдарлама қаралды, – деп хабарлайды Aikyn.kz.\n"
        "Алматы, 5 наурыз. ҚазАқпарат — Жиынға Мұрат Әлиев қатысты."
    )
    found = _found(text)
    assert "Астана" not in found and "Алматы" not in found
    assert not any("Aikyn" in name or "KAZINFORM" in name.upper() or "ҚазАқпарат" in name for name in found)
    assert found["Мұрат Әлиев"][0] == "person"


def test_hashtags_come_only_from_confident_entities() -> None:
    assert hashtag_worthy("Нұрсұлтан Назарбаев", "person", 1)
    assert not hashtag_worthy("Назарбаев", "person", 3)
    assert not hashtag_worthy("Қ. Тоқаев", "person", 2)
    assert hashtag_worthy("Алматы облысы", "place", 1)
    assert hashtag_worthy("Астана", "place", 1)
    assert not hashtag_worthy("Бөрлі", "place", 1)
    assert hashtag_worthy("Бөрлі", "place", 2)
    assert hashtag_worthy("«AMANAT» партиясы", "org", 1)
    assert not hashtag_worthy("Шығыс өңіріндегі мемлекеттік тұрғын үй қоры", "org", 3)
    assert not hashtag_worthy("Ауыл шаруашылығы министрлігі", "org", 1)


def test_a_post_shows_hashtags_of_confident_entities_only() -> None:
    article = Article(
        id=7,
        title="Облыста жаңа мектеп ашылды",
        lead="",
        body="Мектеп ашылды.",
        url=None,
        published_at=None,
        views=None,
        source="",
        summary="Алматы облысында жаңа мектеп ашылды.",
        imported_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    entities = [
        StoredEntity("Шығыс өңіріндегі мемлекеттік тұрғын үй қоры", "org", "шығыс өңіріндегі …", 2),
        StoredEntity("Алматы облысы", "place", "алматы облысы", 2),
        StoredEntity("Ерлан Сәрсенов", "person", "ерлан сәрсенов", 1),
        StoredEntity("Сәрсенов", "person", "сәрсенов", 1),
    ]
    text = render_post(article, [], entities, "aikyn_bot").text
    assert text.endswith("#АлматыОблысы #ЕрланСәрсенов")


def test_analyze_jsonl_writes_one_result_per_line_with_spans_into_the_body() -> None:
    body = "  Мұрат Әлиев Астанада сөйледі.\n\n Әлиевтің айтуынша, Астанаға жаңа мектеп керек.  "
    lines = [
        json.dumps({"title": "Жиын", "lead": "", "body": body}, ensure_ascii=False),
        "{not json",
        json.dumps({"title": "Бос", "body": 5}),
        json.dumps({"title": "Тізім", "lead": "Жетекші", "body": ["Асқар Жұмабаев келді.", "Ол Алматыда."]}),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "analyze", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PATH": "", "DATABASE_PATH": "/nonexistent/x"},
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 4
    assert set(records[0]) == {"title", "lead", "summary", "sentences", "quotes", "events", "entities"}
    entities = {e["name"]: e for e in records[0]["entities"]}
    assert [body[s:t] for s, t in entities["Мұрат Әлиев"]["spans"]] == ["Мұрат Әлиев", "Әлиевтің"]
    assert [body[s:t] for s, t in entities["Астана"]["spans"]] == ["Астанада", "Астанаға"]
    assert records[1]["line"] == 2 and records[1]["error"].startswith("invalid JSON")
    assert records[2]["line"] == 3 and "body" in records[2]["error"]
    joined = "Асқар Жұмабаев келді.\n\nОл Алматыда."
    spans = {e["name"]: e["spans"] for e in records[3]["entities"]}
    assert [joined[s:t] for s, t in spans["Алматы"]] == ["Алматыда"]


def test_batch_analysis_keeps_input_order_across_worker_processes() -> None:
    lines = [json.dumps({"title": f"Жаңалық {i}", "body": f"Асқар Жұмабаев {i} рет келді."}) for i in range(7)]
    lines[4] = "[1, 2]"
    out = io.StringIO()
    assert analyze_lines(lines, out, workers=2, batch=3) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("title") for r in records] == [f"Жаңалық {i}" if i != 4 else None for i in range(7)]
    assert records[4] == {"error": "a record must be a JSON object with title, lead and body", "line": 5}


def test_words_that_only_open_a_line_or_join_names_are_not_part_of_them() -> None:
    text = "Орталық\nБүгін Түркістан облысында жиын өтті. Оған министр Олжас Бектенов және әкім келді."
    assert {name: kind for name, (kind, _) in _found(text).items()} == {
        "Түркістан облысы": "place",
        "Олжас Бектенов": "person",
    }


def test_given_names_that_end_like_a_case_ending_stay_whole() -> None:
    forms = {
        "Зияда": "Зияда",
        "Айдана": "Айдана",
        "Арыстан": "Арыстан",
        "Сатыбалды": "Сатыбалды",
        "Айша": "Айша",
        "Тоқаевтың": "Тоқаев",
        "Италиеваға": "Италиева",
        "Асқарға": "Асқар",
        "Байтұрсынұлының": "Байтұрсынұлы",
    }
    assert {word: name_nominative(word) for word in forms} == forms
