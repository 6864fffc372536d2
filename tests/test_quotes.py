"""Quotes and their speakers, on short Kazakh examples written for these tests: each construction of reported
speech, how sure each speaker is, and what a channel post may show."""

from __future__ import annotations

import re

from bot import importer
from bot.analysis import quotes
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


def test_two_people_with_one_surname_keep_their_own_names() -> None:
    """A father and son, or namesakes: a surname is never widened to the other person's full name, and a bare
    surname both share stays bare."""
    text = (
        "«Мектеп салынады», – деді аудан әкімі Мұрат Жақыпов.\n"
        "«Жол жөнделеді», – деді кәсіпкер Марат Жақыпов.\n"
        "«Су жеткілікті», – деді Жақыпов.\n"
    )
    assert [(q, who) for q, who, _ in _said(text)] == [
        ("Мектеп салынады", "Мұрат Жақыпов"),
        ("Жол жөнделеді", "Марат Жақыпов"),
        ("Су жеткілікті", "Жақыпов"),
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
        "«Тұрғындар маған „Дүкен қашан ашылады?“ деп сұрайды. Мен „Көктемде ашылады“ дедім», – деді Дина Әлиева.\n"
    )
    quotes = _said(text)
    assert quotes[0][1:] == ("Дина Әлиева", "named")
    assert ("Дүкен қашан ашылады?", "тұрғындар", "group") in quotes
    assert ("Көктемде ашылады", "Дина Әлиева", "nested") in quotes


def test_a_pronoun_inside_a_quote_is_someone_the_speaker_named_never_the_speaker() -> None:
    text = (
        "Зейнеткер Бақыт Омаров әкімдікке барғанын айтты.\n"
        "«Әкімдікке бардым. Ол „Үйді жөндемейміз“ дейді. Сосын көршім Серік Ахметовке бардым. "
        "Ол „Көмектесемін, аға“ дейді», – деді Бақыт Омаров.\n"
    )
    quotes = _said(text)
    assert ("Үйді жөндемейміз", "Бақыт Омаров", "pronoun") not in quotes
    assert all(q[0] != "Үйді жөндемейміз" for q in quotes)
    assert ("Көмектесемін, аға", "Серік Ахметов", "pronoun") in quotes


def test_one_quoted_word_is_a_cited_word_not_speech() -> None:
    text = "Ақын Марат Ерғалиев: Бабаларымыз «Тәңір» деп еді. Біз де солай айтамыз.\nЖиын аяқталды."
    assert all(len(words.split()) > 1 for words, _, _ in _said(text))


def test_a_soundbite_line_may_name_an_organisation_in_marks_and_run_on_in_its_paragraph() -> None:
    text = (
        "Сайлау науқаны басталды.\n"
        "Дәурен Сейітов, «Болашақ» қоғамдық бірлестігінің төрағасы:- Біз ауылдарды араладық. Халық белсенді.\n"
        "Өнім жиналып жатыр. Гүлмира Оспанова, фермер: - Биыл астық мол болды. Бағасы да жақсы.\n"
    )
    assert _said(text) == [
        ("Біз ауылдарды араладық. Халық белсенді.", "Дәурен Сейітов", "header"),
        ("Биыл астық мол болды. Бағасы да жақсы.", "Гүлмира Оспанова", "header"),
    ]


def test_a_soundbite_cut_off_mid_sentence_is_not_a_quote() -> None:
    headline = "Жиында не айтылды?\nАйжан Мұратова: Жаңа емхана биыл ашылады. Ал келесі жылы бізге"
    text = "Жиын\nКеше жиын өтті.\nАудан тұрғындары келді.\nАйжан Мұратова: Емхана биыл ашылады деп"
    assert _said(headline) == []
    assert _said(text) == []


def test_a_name_heading_a_line_is_nominative_whatever_its_ending_looks_like() -> None:
    text = "Бақытжан Кәртен: Тарихты білу – парыз\nТарихшымен әңгімелестік.\n"
    assert _said(text) == [("Тарихты білу – парыз", "Бақытжан Кәртен", "header")]


def test_a_role_headline_to_its_addressees_is_the_person_with_that_role() -> None:
    text = (
        "Облыс әкімі әкімдерге: Жолдарды күзге дейін жөндеңіздер\n"
        "Облыс әкімі Нұрлан Сәрсенов аудан әкімдерімен кеңес өткізді.\n"
    )
    assert _said(text) == [("Жолдарды күзге дейін жөндеңіздер", "Нұрлан Сәрсенов", "role_noun")]


def test_statement_then_name_titles_are_quotes_only_over_an_interview() -> None:
    interview = (
        "Кітап – ең жақсы дос – Ерлан Тоқаев\n"
        "– Ерлан аға, жаңа кітабыңыз туралы айтыңызшы?\n"
        "– Кітап биыл шықты. Онда менің туған ауылымның өмірі жазылған.\n"
    )
    report = (
        "Жаңа мектептер салынады – Асқар Бекұлы\n"
        "Вице-министр Асқар Бекұлы жаңа мектептер туралы айтты.\n"
        "– Биыл он мектеп салынады, – деді Асқар Бекұлы.\n"
    )
    assert ("Кітап – ең жақсы дос", "Ерлан Тоқаев", "header") in _said(interview)
    assert [words for words, _, _ in _said(report)] == ["Биыл он мектеп салынады"]


def test_an_interview_is_known_by_its_layout_and_a_question_may_go_without_a_dash() -> None:
    text = (
        "Ауыл мұғалімі Сәуле Жақыпова: Бала – болашақ\n"
        "− Сіз мектепте қанша жыл істедіңіз?\n"
        "− Отыз жыл. Соның бәрі осы ауылда өтті.\n"
        "Шәкірттеріңіз хабарласып тұра ма?\n"
        "− Әрине, хабарласады. Бәрі де жақсы азамат болды.\n"
    )
    quotes = _said(text)
    assert ("Сіз мектепте қанша жыл істедіңіз?", "журналист", "interview") in quotes
    assert ("Отыз жыл. Соның бәрі осы ауылда өтті.", "Сәуле Жақыпова", "interview") in quotes
    assert ("Әрине, хабарласады. Бәрі де жақсы азамат болды.", "Сәуле Жақыпова", "interview") in quotes
    assert all("хабарласып тұра ма" not in words for words, _, _ in quotes)


def test_a_question_put_to_someone_is_asked_by_the_journalists_and_one_in_the_air_by_nobody() -> None:
    text = (
        "Тілшілер министр Арман Қожахметовке сұрақ қойды.\n"
        "«Бағасы қашан түседі?» деген сұраққа Қожахметов жауап бермеді.\n"
        "Қоғамда «Бензин тағы қымбаттай ма?» деген сұрақ туындап отыр.\n"
    )
    assert _said(text) == [("Бағасы қашан түседі?", "тілшілер", "group")]


def test_the_subject_is_the_nominative_nearest_the_quote_not_a_name_in_another_case() -> None:
    text = "Депутат Ержан Әлімов сөйледі. Ержан Әлімовтен журналистер «Сіз келісесіз бе?» деп сұрады.\n"
    assert _said(text) == [("Сіз келісесіз бе?", "журналистер", "group")]


def test_an_auxiliary_after_the_verb_is_not_the_speaker() -> None:
    text = "Мемлекет басшысы Қасым Әлиев жиында «Ғылым – басты байлық» деп атап өткен болатын.\n"
    assert _said(text) == [("Ғылым – басты байлық", "Қасым Әлиев", "named")]


def test_role_nouns_find_the_person_the_text_described_in_other_words() -> None:
    text = (
        "Парламент Сенатының депутаты Болат Мұхтаров кездесу өткізді.\n"
        "– Заң жобасы дайын, – деді сенатор.\n"
        "Аудан әкімі Ерболат Сапаров жолды аралады.\n"
        "– Жол күзге дейін бітеді, – деді аудан басшысы.\n"
        "Комитет төрағасы Дана Қасымова тарифтер туралы айтты.\n"
        "«Тариф өседі», – деді спикер.\n"
    )
    assert [speaker for _, speaker, _ in _said(text)] == ["Болат Мұхтаров", "Ерболат Сапаров", "Дана Қасымова"]


def test_a_given_name_with_a_patronymic_is_the_person_named_in_full_before() -> None:
    text = (
        "Бұрынғы әкім Мейрамбек Тұрсынов сайлауға түспейтінін айтты.\n"
        "– Мен бұл туралы естіген жоқпын, – деді Мейрамбек Сәкенұлы.\n"
    )
    assert _said(text) == [("Мен бұл туралы естіген жоқпын", "Мейрамбек Тұрсынов", "named")]


def test_an_abbreviation_speaks_as_the_organisation_it_stands_for() -> None:
    text = (
        "Кеше облыстық Төтенше жағдайлар жөніндегі департаменті жол жабылғанын хабарлады. "
        'ТЖД хабарламасында "көліктер айналма жолмен жүреді" деп жазылған.\n'
    )
    assert _said(text) == [
        ("көліктер айналма жолмен жүреді", "облыстық Төтенше жағдайлар жөніндегі департаменті", "organization")
    ]


def test_one_closing_mark_for_a_quote_and_the_quote_inside_it() -> None:
    text = (
        'Жолаушылар болған жайды айтты. "Бізді тоқтатып, ақша сұрады. "Көлікті жөндеп беріңдер", – деді жолаушылар.\n'
    )
    assert _said(text) == [
        ('Бізді тоқтатып, ақша сұрады. "Көлікті жөндеп беріңдер', "жолаушылар", "group"),
    ]


def test_an_unmarked_epigraph_is_one_saying_not_a_paragraph_over_a_byline() -> None:
    epigraph = "Білім – таусылмас байлық, оны ұрлап ала алмайды.\nАхмет Байтұрсынов\nМақала мәтіні осында.\n"
    byline = "Ауылда су жоқ. Тұрғындар қар суын ішеді. Әкімдік не дейді?\nНұрбол Бекенов\n"
    assert _said(epigraph) == [("Білім – таусылмас байлық, оны ұрлап ала алмайды.", "Ахмет Байтұрсынов", "header")]
    assert _said(byline) == []


def test_a_role_noun_just_before_the_quote_is_its_subject() -> None:
    text = (
        "Ақын Серік Жанұзақ журналист Әлия Нұрланқызына сұхбат берді.\n"
        "Ақынның жауабын естіген соң журналист «Бұл әзіл шығар» деп күлді.\n"
    )
    assert _said(text) == [("Бұл әзіл шығар", "Әлия Нұрланқызы", "role_noun")]


def test_a_colon_and_deb_after_the_quote_make_the_subject_its_speaker() -> None:
    text = "Көршім, ұстаз Гүлжан Сағатқызы Омарова маған хатты беріп: «Мұны сақтап қой, балам» деп берді.\n"
    assert _said(text) == [("Мұны сақтап қой, балам", "Гүлжан Сағатқызы Омарова", "named")]


def test_quotes_inside_a_reported_clause_are_its_subjects() -> None:
    text = (
        "Комиссия төрағасы Б.Қ.Ахметов келген бойда, Ахметов бірден «ауылда мектеп жоқ» екенін, "
        "«жаңа мектеп» салу керектігін мәлімдеді.\n"
    )
    assert _said(text) == [
        ("ауылда мектеп жоқ", "Б.Қ.Ахметов", "named"),
        ("жаңа мектеп", "Б.Қ.Ахметов", "named"),
    ]


def test_an_abbreviated_organisation_after_the_verb_speaks() -> None:
    text = "- Су құбыры жөнделді. Жұмыс аяқталды, - деді «Су арнасы» МКК.\n"
    assert _said(text) == [("Су құбыры жөнделді. Жұмыс аяқталды", "«Су арнасы» МКК", "organization")]


def test_a_forgotten_closing_mark_or_a_verb_typed_inside_the_marks() -> None:
    unclosed = "Жас әнші Айгерім Серікова «Бұл концерт мен үшін үлкен мәртебе болды дейді.\nКеш жалғасты.\n"
    inside = "Ауылда су жоқ. «Құбыр ескірген дейді», – әкім.\n"
    assert _said(unclosed) == [("Бұл концерт мен үшін үлкен мәртебе болды", "Айгерім Серікова", "named")]
    assert _said(inside) == [("Құбыр ескірген", "әкім", "role_noun")]


def test_you_said_in_a_question_is_the_guests_own_words() -> None:
    text = (
        "Еңбек – бақыт – Мұрат Әбенов\n"
        "− Бір мақалаңызда «Еңбек адамды бақытты етеді» депсіз. Осыны тарқатып айтасыз ба?\n"
        "− Иә, айтайын. Мен өмір бойы ауылда еңбек етіп, осы сөздің шындығына көз жеткіздім.\n"
    )
    assert ("Еңбек адамды бақытты етеді", "Мұрат Әбенов", "interview") in _said(text)


def test_a_question_over_two_paragraphs_and_a_headline_among_related_news() -> None:
    text = (
        "Ғалыммен сұхбат\n"
        "– Сіз тарихты да, әдебиетті де зерттейсіз.\n"
        "Алдымен тарихи еңбектеріңіз туралы айтсаңыз. Олардың ерекшелігі неде?\n"
        "– Менің кітаптарым мұрағат деректеріне сүйенеді. Бұл олардың басты ерекшелігі.\n"
        "Сондай-ақ оқыңыз\n"
        "Мұхтар Сейітов: Ауыл шаруашылығы жаңа деңгейге көтеріледі\n"
        "12.05.2025, 10:39\n"
    )
    quotes = _said(text)
    assert quotes[0][0].startswith("Сіз тарихты да") and quotes[0][0].endswith("ерекшелігі неде?")
    assert ("Ауыл шаруашылығы жаңа деңгейге көтеріледі", "Мұхтар Сейітов", "header") in quotes


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


def test_the_case_folded_news_credit_check_misses_nothing_the_case_blind_regex_finds() -> None:
    # every character the case-blind regex takes for one of its letters folds, as _news_credit folds, to it
    words = re.sub(r"\\[.s]|\(\?:|\)\?|\+|\\b", "", quotes._NEWS_CREDIT.pattern.removeprefix("(?i)"))
    letters = sorted(set(words) - set("| .0123456789"))
    any_letter = re.compile("(?i)[" + "".join(letters) + "]")
    for code in range(0x110000):
        char = chr(code)
        if any_letter.fullmatch(char):
            taken_for = [p for p in letters if re.fullmatch("(?i)" + p, char)]
            assert all(quotes.fold_like_news_credit(char) == p for p in taken_for), hex(code)
    for tail in ("ҚазАҚПАРАТ  АгенттігІ хабарлады", "KAZİNFORM", "Kazınform", "tengrinews.kz.", "деді министр"):
        assert quotes._news_credit(tail) == bool(quotes._NEWS_CREDIT.search(tail))
    assert quotes._news_credit("деп хабарлады Kazinform тілшісі")
