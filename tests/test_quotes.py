"""Quotes and their speakers, on short Kazakh examples written for these tests: each construction of reported
speech, how sure each speaker is, and what a channel post may show."""

from __future__ import annotations

from bot import importer
from bot.analysis.quote_marks import pair_marks
from bot.analysis.quotes import extract_quotes
from bot.post_format import key_quote
from bot.records import ArticleDraft
from storage import Database
from storage.article_analysis import StoredQuote, quotes_of_article


def _said(text: str) -> list[tuple[str, str | None, str]]:
    return [(q.text, q.speaker, q.speaker_source) for q in extract_quotes(text) if q.kind != "indirect"]


def test_nested_marks_of_every_kind_pair_and_stray_closers_do_not_break() -> None:
    text = '«Ол „Жаңа жол“ деп айтты», – деді ол. Тағы » бір “сөз” мен "сөз" және ‹белгі› «ашық'
    spans = {(s.open, s.close) for s in pair_marks(text)}
    assert (text.index("„"), text.index("“")) in spans
    assert (0, text.index("»")) in spans
    assert (None, text.index("» бір")) in spans
    assert (text.index("‹"), text.index("›")) in spans


def test_attribution_after_before_and_around_the_quote() -> None:
    text = (
        "Аудан әкімі Серік Балтабаев жиын өткізді.\n"
        "– Жол күзге дейін салынады, – деді Серік Балтабаев. – Қаржы бөлінді.\n"
        "Ауыл тұрғыны Гүлнар Сейітова: «Біз көптен күттік» деп қуанды.\n"
        "«Мектеп те ашылады» деп Балтабаев атап өтті.\n"
    )
    assert _said(text) == [
        ("Жол күзге дейін салынады", "Серік Балтабаев", "named"),
        ("Қаржы бөлінді.", "Серік Балтабаев", "named"),
        ("Біз көптен күттік", "Гүлнар Сейітова", "named"),
        ("Мектеп те ашылады", "Серік Балтабаев", "named"),
    ]


def test_pronouns_and_role_nouns_point_back_to_the_person_the_text_named() -> None:
    text = (
        "Денсаулық сақтау министрі Дәурен Ахметов брифинг өткізді. Бұрын бұл қызметті Марат Оспанов атқарған.\n"
        '"Жаңа ауруханалар ашылады", – деді министр.\n'
        "Облыс әкімінің орынбасары Айгүл Нұрланқызы да сөз алды.\n"
        "«Қаражат жеткілікті», – деді ол.\n"
    )
    assert _said(text) == [
        ("Жаңа ауруханалар ашылады", "Дәурен Ахметов", "role_noun"),
        ("Қаражат жеткілікті", "Айгүл Нұрланқызы", "pronoun"),
    ]


def test_a_name_phrase_never_swallows_the_following_words() -> None:
    text = (
        "Бұл туралы денсаулық сақтау министрі Ерлан Дәулетов айтты. Бұған дейін бұл қызметті Нұрлан Әбенов атқарды.\n"
        '"Тәжірибелі маман жіберілді", – деп атап өтті министр.\n'
    )
    [(words, speaker, _)] = _said(text)
    assert (words, speaker) == ("Тәжірибелі маман жіберілді", "Ерлан Дәулетов")


def test_dash_quotes_over_two_paragraphs_and_unmarked_paragraphs() -> None:
    text = (
        "Депутат Асқар Қасымов сұхбат берді.\n"
        "- Заң жобасы дайын. Біз оны талқыладық.\n"
        "Келесі аптада қабылданады, - деді депутат.\n"
        "Тұрғындар су жоқ екенін айтады.\n"
        "Бір апта бойы су болмады. Малды қалай суарамыз? – дейді тұрғындар.\n"
    )
    quotes = _said(text)
    assert quotes[0] == (
        "Заң жобасы дайын. Біз оны талқыладық.\nКелесі аптада қабылданады",
        "Асқар Қасымов",
        "role_noun",
    )
    assert quotes[1] == ("Бір апта бойы су болмады. Малды қалай суарамыз?", "тұрғындар", "group")


def test_interview_questions_are_the_journalists_and_answers_the_guests() -> None:
    text = (
        "Жазушы Берік Сұлтанов: Әдебиет – ұлттың жады\n"
        "Біз белгілі жазушымен сұхбаттастық.\n"
        "– Жаңа кітабыңыз қашан шығады?\n"
        "– Күзде шығады. Қазір соңғы тарауын жазып жатырмын.\n"
        "– Оқырманға не айтасыз?\n"
        "– Кітап оқыңыздар, деп айт"
    )
    assert _said(text) == [
        ("Әдебиет – ұлттың жады", "Берік Сұлтанов", "header"),
        ("Жаңа кітабыңыз қашан шығады?", "журналист", "interview"),
        ("Күзде шығады. Қазір соңғы тарауын жазып жатырмын.", "Берік Сұлтанов", "interview"),
        ("Оқырманға не айтасыз?", "журналист", "interview"),
    ]


def test_soundbite_under_a_name_and_role_line() -> None:
    text = (
        "Ауылда жаңа мектеп ашылды.\nӘсел Қайратова, мектеп директоры:\nБалалар жаңа сыныптарда оқиды. Бәріне рақмет.\n"
    )
    assert _said(text) == [("Балалар жаңа сыныптарда оқиды. Бәріне рақмет.", "Әсел Қайратова", "header")]


def test_organisations_and_documents_speak() -> None:
    text = (
        "Төтенше жағдайлар департаменті ескерту жариялады.\n"
        "– Ертең қатты жел соғады, – делінген хабарламада.\n"
        "«Жарлық жарияланған күннен бастап күшіне енеді», – делінген Президенттің жарлығында.\n"
        "– Құрбан болғандар жоқ, – деді облыстық полиция департаменті.\n"
    )
    assert _said(text) == [
        ("Ертең қатты жел соғады", "Төтенше жағдайлар департаменті", "organization"),
        ("Жарлық жарияланған күннен бастап күшіне енеді", "Президент жарлығы", "organization"),
        ("Құрбан болғандар жоқ", "облыстық полиция департаменті", "organization"),
    ]


def test_quotes_inside_quotes_keep_their_own_speakers() -> None:
    text = (
        "Кәсіпкер Дина Әлиева тілшіге жағдайын айтты.\n"
        "«Тұрғындар маған „Дүкен қашан ашылады?“ деп сұрайды. Мен „Көктемде“ дедім», – деді Дина Әлиева.\n"
    )
    quotes = _said(text)
    assert quotes[0][1:] == ("Дина Әлиева", "named")
    assert ("Дүкен қашан ашылады?", "тұрғындар", "group") in quotes
    assert ("Көктемде", "Дина Әлиева", "nested") in quotes


def test_thinking_and_indirect_speech_are_not_direct_quotes() -> None:
    text = (
        "Фермер Нұржан Тоқтаров жерін көрсетті. «Биыл өнім мол болады» деп ойлайды ол.\n"
        "Нұржан Тоқтаровтың айтуынша, егін ерте піседі.\n"
    )
    quotes = extract_quotes(text)
    assert [(q.kind, q.speaker) for q in quotes] == [("indirect", "Нұржан Тоқтаров")]
    assert quotes[0].text == "егін ерте піседі"


def test_sayings_and_passives_have_no_speaker() -> None:
    text = "«Ел іші – алтын бесік» деген сөз бар. Бұл ереже «міндетті» деп танылды. Жоба «Жасыл ел» деп аталады."
    assert extract_quotes(text) == []


def _stored(text: str, source: str, kind: str = "direct") -> StoredQuote:
    return StoredQuote(1, "Тақырып", text, "Асан Үсенов", "", kind, source)


def test_the_channel_post_shows_only_a_certain_speaker_and_no_repeat() -> None:
    guessed = _stored("Жол салынады", "pronoun")
    named = _stored("Мектеп ашылады", "named")
    headline = _stored("Ел дамиды", "header")
    assert key_quote([guessed]) is None
    assert key_quote([guessed, named]) == named
    assert key_quote([headline, named], already_shown="Асан Үсенов: Ел дамиды") == named


async def test_how_the_speaker_was_found_is_stored(fresh_db: Database) -> None:
    saved = await importer.save_article(
        fresh_db,
        ArticleDraft(
            title="Жиын",
            body=(
                "Әкім Асан Үсенов сөз сөйледі.\n\n«Жол салынады», – деді Асан Үсенов.\n\n"
                "«Мектеп те салынады», – деді ол."
            ),
        ),
    )
    stored = await quotes_of_article(fresh_db, saved.id)
    assert [(q.speaker, q.speaker_source, q.certain) for q in stored] == [
        ("Асан Үсенов", "named", True),
        ("Асан Үсенов", "pronoun", False),
    ]
