"""Text analysis on the seed article and on short Kazakh examples written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime

from bot.analysis import analyze_article
from bot.analysis.entities import extract_entities
from bot.analysis.events import extract_events
from bot.analysis.morphology import name_nominative, search_stems
from bot.analysis.quotes import extract_quotes
from bot.analysis.sentences import split_sentences
from bot.analysis.summary import summarize
from bot.article_files import read_article_file
from tests.conftest import ROOT, SEED


def _seed():  # type: ignore[no-untyped-def]
    draft = read_article_file(SEED).drafts[0]
    return draft, analyze_article(draft.title, draft.lead, draft.body)


def test_seed_quotes_have_the_right_speakers_roles_and_kinds() -> None:
    _, analysis = _seed()
    direct = [q for q in analysis.quotes if q.kind == "direct"]
    assert [q.speaker for q in direct] == ["Еркебұлан Жаулыбаев", "Руслан Абдуллин", "Талшын Италиева"]
    assert direct[0].role == "«AMANAT» партиясы саяси жұмыс департаментінің директоры"
    assert direct[0].text.startswith("«AMANAT» партиясының саяси платформасында")
    assert direct[0].text.endswith("өздерінің ашықтығын көрсетуде")
    assert direct[1].text.startswith("Біздің қызметіміз 1995 жылы") and direct[1].text.endswith("айтып жүр")
    assert direct[1].role == "«Бейбітшілік және келісім» қайырымдылық қорының президенті"
    assert direct[2].role == "«Қоғамдық келісім» РММ бас сарапшысы"
    [indirect] = [q for q in analysis.quotes if q.kind == "indirect"]
    assert indirect.speaker == "Руслан Абдуллин"
    assert indirect.text.startswith("керуен мәдени мұра мен")


def test_seed_events_and_organisations() -> None:
    _, analysis = _seed()
    assert [(e.year, e.year_end) for e in analysis.events] == [(1995, None), (1940, 1949), (2015, None)]
    assert analysis.events[1].when == "Өткен ғасырдың 40-жылдарында"
    orgs = {e.name for e in analysis.entities if e.kind == "org"}
    assert {
        "«AMANAT» партиясы",
        "Қазақстан халқы Ассамблеясы",
        "«Бейбітшілік және келісім» қайырымдылық қоры",
        "«Қоғамдық келісім» РММ",
    } <= orgs
    people = {e.name for e in analysis.entities if e.kind == "person"}
    assert people == {"Еркебұлан Жаулыбаев", "Руслан Абдуллин", "Талшын Италиева"}
    places = {e.name for e in analysis.entities if e.kind == "place"}
    assert {"Қазақстан", "Шешенстан", "Кавказ"} <= places
    kazakhstan = [e for e in analysis.entities if e.name == "Қазақстан"]
    assert len(kazakhstan) == 1 and kazakhstan[0].mentions >= 4


def test_seed_summary_is_short_self_contained_and_without_boilerplate() -> None:
    draft, analysis = _seed()
    assert 100 < len(analysis.summary) <= 600
    assert draft.title not in analysis.summary
    assert "Aikyn.kz" not in analysis.summary and "Telegram" not in analysis.summary
    assert not analysis.summary.startswith(("Ол ", "Өз кезегінде", "Бұл "))
    assert 2 <= len(split_sentences(analysis.summary)) <= 3


def test_sentences_respect_abbreviations_initials_numbers_and_quotes() -> None:
    text = (
        "Жиынға А. Байтұрсынұлы атындағы институт, ҚХА және «Нұр» ЖШС өкілдері т.б. қатысты. "
        "Бюджет 602,865 млн теңгеге жетті, өсім 3.5 пайыз. Кітап 1,142 данамен шықты... "
        "«Біз дайынбыз. Жұмыс басталды», – деді ол. Жоба 2020 ж. басталған.\nТақырып жолы\n"
        "Келесі абзац — мұнда да сөйлем бар! Иә?"
    )
    assert [s.text for s in split_sentences(text)] == [
        "Жиынға А. Байтұрсынұлы атындағы институт, ҚХА және «Нұр» ЖШС өкілдері т.б. қатысты.",
        "Бюджет 602,865 млн теңгеге жетті, өсім 3.5 пайыз.",
        "Кітап 1,142 данамен шықты...",
        "«Біз дайынбыз.",
        "Жұмыс басталды», – деді ол.",
        "Жоба 2020 ж. басталған.",
        "Тақырып жолы",
        "Келесі абзац — мұнда да сөйлем бар!",
        "Иә?",
    ]


def test_quote_forms_and_pronoun_resolution() -> None:
    text = (
        "Облыс әкімінің орынбасары Айгүл Серікова жиында сөз сөйледі.\n"
        "«Жол жөндеуі күзге дейін аяқталады», – деді ол.\n"
        "«Мектеп салынады» деп мәлім етті білім басқармасының басшысы Ерлан Тоқтаров.\n"
        "«Бағалар тұрақты», – деп атап өтті Қ.Тоқаев.\n"
        "– Су құбыры тартылды, – дейді ауыл тұрғыны Болат Жұмабаев.\n"
        "– Сіз қалай ойлайсыз?\n– Білмеймін.\n"
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Жол жөндеуі күзге дейін аяқталады", "Айгүл Серікова"),
        ("Мектеп салынады", "Ерлан Тоқтаров"),
        ("Бағалар тұрақты", "Қ.Тоқаев"),
        ("Су құбыры тартылды", "Болат Жұмабаев"),
    ]
    assert quotes[0].role == "Облыс әкімінің орынбасары"
    assert quotes[1].role == "білім басқармасының басшысы"
    assert quotes[3].role == "ауыл тұрғыны"


def test_names_in_case_forms_become_nominative() -> None:
    pairs = {
        "Абдуллиннің": "Абдуллин",
        "Италиеваның": "Италиева",
        "Жаулыбаевқа": "Жаулыбаев",
        "Байтұрсынұлының": "Байтұрсынұлы",
        "Әшірматтың": "Әшірмат",
        "Айдана": "Айдана",
        "Тоқаев": "Тоқаев",
    }
    assert {word: name_nominative(word) for word in pairs} == pairs
    assert search_stems("Қазақстанның мектептері") == ["қазақстан", "мекте"]


def test_entities_merge_case_forms_into_one_record() -> None:
    text = (
        "Мұрат Әлиев Астанада сөйледі. Мұрат Әлиевтің айтуынша, Астанаға жаңа мектеп керек. "
        "Астананың әкімдігі «Болашақ» қорымен келісті. «Болашақ» қоры жобаны қолдайды."
    )
    entities = extract_entities(text)
    assert [(e.name, e.kind, e.mentions) for e in entities if e.kind != "place"] == [
        ("Мұрат Әлиев", "person", 2),
        ("Астана әкімдігі", "org", 1),
        ("«Болашақ» қоры", "org", 2),
    ]
    assert [(e.name, e.mentions) for e in entities if e.kind == "place"] == [("Астана", 2)]


def test_date_expressions_are_normalised() -> None:
    text = (
        "Зауыт 24 қараша 2012 жылы ашылды. Заң 2023 жылғы 30 қазаннан бастап күшіне енді. "
        "Газет 2005 жылдан 2009 жылға дейін шықты. 1990-жылдары өндіріс тоқтады. "
        "Келісім 15.04.2024 күні жасалды. Тұрғын саны 2574 адам."
    )
    events = extract_events(text)
    assert [(e.when, e.year, e.date, e.year_end) for e in events] == [
        ("24 қараша 2012 жылы", 2012, date(2012, 11, 24), None),
        ("2023 жылғы 30 қазаннан бастап", 2023, date(2023, 10, 30), None),
        ("2005 жылдан 2009 жылға дейін", 2005, None, 2009),
        ("1990-жылдары", 1990, None, 1999),
        ("15.04.2024", 2024, date(2024, 4, 15), None),
    ]
    assert events[0].what == "Зауыт ашылды"


def test_publication_date_dates_the_articles_own_event() -> None:
    analysis = analyze_article("Форум өтті", "", "Форум Астанада өтті.", datetime(2026, 3, 2, 6, tzinfo=UTC))
    assert analysis.events[0].year == 2026 and analysis.events[0].what == "Форум өтті"


def test_summary_says_what_the_headline_says_from_the_first_sentences() -> None:
    body = (
        "Кеше облыс орталығында кезекті жиын өтті, оған барлық аудан әкімдері қатысты. "
        "Жиында облыс әкімі ауыл шаруашылығы жұмыстарының барысын сөз етті. "
        "Облыста биыл жиырма мың гектар жерге қант қызылшасы егіледі, бұл өткен жылдан екі есе көп. "
        "Егіс науқанына қажетті тұқым мен жанар-жағармай толық дайындалды."
    )
    summary = summarize("Облыста қант қызылшасы екі есе көп егіледі", body)
    assert "қант қызылшасы егіледі" in summary and len(summary) <= 300
    assert [s for s in split_sentences(body) if s.text in summary] == sorted(
        (s for s in split_sentences(body) if s.text in summary), key=lambda s: s.start
    )


def test_summary_skips_dangling_openers_and_respects_the_limit() -> None:
    body = (
        "Ол бұл туралы кеше айтты. Өз кезегінде министр жаңа бағдарламаны таныстырды. "
        "Алматы облысында жаңа ауруханалар салу бағдарламасы қабылданды, оған 40 млрд теңге бөлінеді. "
        "Бағдарлама аясында 2027 жылға дейін облыста он екі аурухана салынып, жабдықталады. "
        "Ауруханалар салу бағдарламасы тұрғындардың медициналық көмекке қолжетімділігін арттырады."
    )
    summary = summarize("Облыста ауруханалар салынады", body, max_chars=300)
    assert len(summary) <= 300
    assert summary.startswith("Алматы облысында")


def test_analyze_command_prints_one_json_object() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "analyze", str(SEED), "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PATH": "", "DATABASE_PATH": "/nonexistent/x"},
    )
    record = json.loads(result.stdout)
    assert set(record) == {
        *("title", "lead", "body", "published_at", "image", "url", "views", "held"),
        *("summary", "sentences", "quotes", "events", "entities"),
    }
    assert record["quotes"][0]["speaker"] == "Еркебұлан Жаулыбаев"
    assert {"when", "year", "date", "what"} <= set(record["events"][0])


def test_speakers_found_by_role_before_the_quote_and_not_the_addressee() -> None:
    text = (
        "Белгілі ақын Серік Жанботаев тілші Дана Омарқызына сұхбат берді.\n"
        'Тілші "Өлеңдеріңіз неге мұңды?" деп сұрады.\n'
        '"Өмір солай" деп жауап берді ақын.\n'
        "«Рахмет саған», – деді ақын Дана Омарқызына.\n"
        "Бірде Мұхаң: «Ертең келесің бе?» – деп сұрады.\n"
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Өлеңдеріңіз неге мұңды?", "Дана Омарқызы"),
        ("Өмір солай", "Серік Жанботаев"),
        ("Рахмет саған", "Серік Жанботаев"),
        ("Ертең келесің бе?", "Мұхаң"),
    ]


def test_degen_needs_someone_who_said_it() -> None:
    text = (
        "Министр Асқар Маминнің «Экономика өседі» деген мәлімдемесі талқыланды.\n"
        "«Ел іші – алтын бесік» деген сөз бар.\n"
        "Жиында «Жол салынады» деген тілші сөзіне әкім жауап бермеді.\n"
    )
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [
        ("Экономика өседі", "Асқар Мамин"),
        ("Жол салынады", "тілші"),
    ]


def test_a_stray_closing_guillemet_before_a_name_does_not_break_the_analysis() -> None:
    text = "Жиын басталды, оның ұраны» Ерлан Тоқтаров сөз сөйледі. «Бәрі дайын», – деді ол."
    analysis = analyze_article("Жиын", "", text)
    assert [q.speaker for q in analysis.quotes] == ["Ерлан Тоқтаров"]


def test_every_kind_of_date_phrase_and_a_clean_event_phrase() -> None:
    text = (
        "Заңға 2001, 2009 және 2018 жылдары түзетулер енгізілді. Ашаршылық 1931-33 жылдары болды. "
        "Сексенінші жылдары ауылда клуб салынды. Зауыт 1996-дан бері жұмыс істейді. "
        "Жиынға 1000-нан астам адам келді. Ауыл 1950-60 ж.ж. көркейді."
    )
    events = extract_events(text)
    assert [(e.when, e.year, e.year_end) for e in events] == [
        ("2001", 2001, None),
        ("2009", 2009, None),
        ("2018 жылдары", 2018, None),
        ("1931-33 жылдары", 1931, 1933),
        ("Сексенінші жылдары", 1980, 1989),
        ("1996-дан бері", 1996, None),
        ("1950-60 ж.ж.", 1950, 1960),
    ]
    assert events[0].what == "Заңға түзетулер енгізілді"
    assert events[5].what == "Зауыт жұмыс істейді"
    long = extract_events(
        "Биыл, яғни 2024 жылы, облыс орталығында, көптеген тұрғындардың өтініші бойынша, жаңа саябақ ашылды."
    )
    assert long[0].what.endswith("саябақ ашылды") and not long[0].what.endswith(",")


def test_summary_leads_with_the_news_and_never_with_furniture_quotes_or_cut_words() -> None:
    body = (
        "Фото: ашық дереккөз\n"
        "АСТАНА. KAZINFORM – Елордада жаңа көпір ашылды, оның ұзындығы бір жарым шақырым болды, – деп хабарлайды "
        "Aikyn.kz тілшісі.\n"
        "Мәселен, көпір арқылы тәулігіне жиырма мың көлік өтеді деп күтілуде.\n"
        "«Көпір қала тұрғындарының көптен күткен нысаны еді, енді кептеліс азаяды», – деді әкім Асхат Оразов.\n"
        "Құрылысқа отандық компаниялар қатысып, жұмыс мерзімінен бұрын аяқталды.\n"
        "Келесі жылы тағы екі көпір салу жоспарланып отыр, оның жобасы дайындал"
    )
    key_quote = "Көпір қала тұрғындарының көптен күткен нысаны еді, енді кептеліс азаяды"
    summary = summarize("Елордада көпір ашылды", body, skip=[key_quote])
    assert summary.startswith("Елордада жаңа көпір ашылды")
    assert "KAZINFORM" not in summary and "хабарлайды" not in summary and "Фото" not in summary
    assert "кептеліс азаяды" not in summary and "дайындал" not in summary
    assert summary.endswith(".") and len(summary) <= 600
    # «Мәселен, …» may follow the sentence it leans on, never open the summary or stand without it
    assert not summarize("Көпір", body.split("\n", 2)[2]).startswith("Мәселен")
    with_lead = summarize("Елордада көпір ашылды", body, lead="Астанада Есіл өзені арқылы жаңа көпір ашылды.")
    assert with_lead.startswith("Астанада Есіл өзені арқылы жаңа көпір ашылды.")


def test_the_summary_never_repeats_any_sentence_of_the_key_quote() -> None:
    body = (
        "Астанада жаңа аурухана ашылды.\n"
        "«Жаңа аурухана бүкіл ауданға қызмет етеді. Жаңа ауруханада заманауи құрылғылар орнатылды. Дәрігерлер "
        "де жеткілікті», – деді облыс әкімі Ерлан Сапаров.\n"
        "Ауруханада 300 төсек бар."
    )
    analysis = analyze_article("Жаңа ауруханада заманауи құрылғылар орнатылды", "", body)
    [quote] = [q for q in analysis.quotes if q.speaker == "Ерлан Сапаров"]
    for sentence in quote.text.split(". "):
        assert sentence.strip(".") not in analysis.summary
