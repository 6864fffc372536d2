"""Reader-facing texts in Kazakh and Russian. Values are HTML; `{…}` fields are filled with escaped text."""

from __future__ import annotations

LANGUAGES = ("kk", "ru")

TEXTS: dict[str, dict[str, str]] = {
    "kk": {
        "greeting": "Сәлеметсіз бе! Бұл — <b>Айқын</b> газетінің боты. Мұнда мақалаларды оқып, іздей аласыз.",
        "help": (
            "<b>Командалар</b>\n"
            "/latest — соңғы мақалалар\n/article &lt;id&gt; — мақаланың толық мәтіні\n"
            "/quotes [id | есім] — дәйексөздер\n/related &lt;id&gt; — байланысты мақалалар\n"
            "/events [id | сөз] — оқиғалар хронологиясы\n/search &lt;сөздер&gt; — іздеу\n"
            "/lang — тілді ауыстыру (қазақша / русский)"
        ),
        "latest_title": "<b>Соңғы мақалалар</b>",
        "empty_archive": "Мұрағатта әзірге мақала жоқ.",
        "need_id": "Мақаланың нөмірін жазыңыз, мысалы: <code>{command} 1</code>",
        "bad_id": "«{value}» — мақала нөмірі емес. Нөмір оң бүтін сан болуы керек, мысалы: <code>{command} 1</code>",
        "no_article": "№{id} мақала табылмады. Соңғы мақалалар: /latest",
        "no_quotes": "Дәйексөз табылмады.",
        "no_quotes_by": "«{name}» есімімен дәйексөз табылмады.",
        "quotes_title": "<b>Дәйексөздер</b>",
        "indirect": "жанама",
        "no_related": "№{id} мақалаға байланысты мақала табылмады.",
        "related_title": "<b>№{id} мақалаға байланысты</b>",
        "shared": "ортақ",
        "no_events": "Күні көрсетілген оқиға табылмады.",
        "events_title": "<b>Оқиғалар хронологиясы</b>",
        "need_words": "Іздейтін сөзді жазыңыз, мысалы: <code>/search Қазақстан</code>",
        "need_longer_words": "Кемінде 3 әріптен тұратын сөз жазыңыз, мысалы: <code>/search Қазақстан</code>",
        "short_words_ignored": "3 әріптен қысқа сөздер ескерілмеді: {words}",
        "search_title": "<b>Іздеу: {query}</b> — {total} мақала",
        "nothing_found": "«{query}» бойынша ештеңе табылмады.",
        "too_long": "Сұрау тым ұзын ({length} таңба). {limit} таңбадан аспасын.",
        "unknown_command": "Мұндай команда жоқ. Көмек: /help",
        "private_only": "Маған жеке хабарлама жазыңыз: t.me/{username}",
        "not_text": "Мен тек мәтінді түсінемін. Көмек: /help",
        "edited": "Өзгертілген хабарламаға жауап бермеймін — команданы жаңа хабарламамен жіберіңіз.",
        "stale_button": "Бұл батырма ескірген. /latest командасын қайта жіберіңіз.",
        "error": "Кешіріңіз, бірдеңе дұрыс болмады. Қайталап көріңіз.",
        "lang_set": "Тіл: қазақша.",
        "open": "Ашу",
        "prev": "‹ Алдыңғы",
        "next": "Келесі ›",
        "read_full": "Толық оқу",
        "on_site": "Сайтта",
        "part": "бөлім",
        "views": "қаралым",
        "page": "бет",
    },
    "ru": {
        "greeting": "Здравствуйте! Это бот газеты <b>Айқын</b>. Здесь можно читать и искать статьи.",
        "help": (
            "<b>Команды</b>\n"
            "/latest — последние статьи\n/article &lt;id&gt; — полный текст статьи\n"
            "/quotes [id | имя] — цитаты\n/related &lt;id&gt; — связанные статьи\n"
            "/events [id | слово] — хронология событий\n/search &lt;слова&gt; — поиск\n"
            "/lang — сменить язык (қазақша / русский)"
        ),
        "latest_title": "<b>Последние статьи</b>",
        "empty_archive": "В архиве пока нет статей.",
        "need_id": "Укажите номер статьи, например: <code>{command} 1</code>",
        "bad_id": "«{value}» — не номер статьи. Номер — положительное целое число, например: <code>{command} 1</code>",
        "no_article": "Статья №{id} не найдена. Последние статьи: /latest",
        "no_quotes": "Цитаты не найдены.",
        "no_quotes_by": "Цитаты с именем «{name}» не найдены.",
        "quotes_title": "<b>Цитаты</b>",
        "indirect": "в пересказе",
        "no_related": "Связанных со статьёй №{id} статей не найдено.",
        "related_title": "<b>Связано со статьёй №{id}</b>",
        "shared": "общее",
        "no_events": "Событий с датами не найдено.",
        "events_title": "<b>Хронология событий</b>",
        "need_words": "Напишите, что искать, например: <code>/search Қазақстан</code>",
        "need_longer_words": "Напишите слово не короче 3 букв, например: <code>/search Қазақстан</code>",
        "short_words_ignored": "Слова короче 3 букв не учитывались: {words}",
        "search_title": "<b>Поиск: {query}</b> — статей: {total}",
        "nothing_found": "По запросу «{query}» ничего не найдено.",
        "too_long": "Слишком длинный запрос ({length} символов). Не больше {limit}.",
        "unknown_command": "Такой команды нет. Помощь: /help",
        "private_only": "Напишите мне в личные сообщения: t.me/{username}",
        "not_text": "Я понимаю только текст. Помощь: /help",
        "edited": "На изменённые сообщения я не отвечаю — отправьте команду новым сообщением.",
        "stale_button": "Эта кнопка устарела. Отправьте /latest ещё раз.",
        "error": "Извините, что-то пошло не так. Попробуйте ещё раз.",
        "lang_set": "Язык: русский.",
        "open": "Открыть",
        "prev": "‹ Назад",
        "next": "Далее ›",
        "read_full": "Толық оқу",
        "on_site": "На сайте",
        "part": "часть",
        "views": "просмотров",
        "page": "стр.",
    },
}


# The command menu (setMyCommands), in the order shown.
COMMAND_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "kk": {
        "start": "Бастау",
        "help": "Көмек",
        "latest": "Соңғы мақалалар",
        "article": "Мақаланың толық мәтіні",
        "quotes": "Дәйексөздер",
        "related": "Байланысты мақалалар",
        "events": "Оқиғалар хронологиясы",
        "search": "Іздеу",
        "lang": "Тілді ауыстыру",
    },
    "ru": {
        "start": "Начать",
        "help": "Помощь",
        "latest": "Последние статьи",
        "article": "Полный текст статьи",
        "quotes": "Цитаты",
        "related": "Связанные статьи",
        "events": "Хронология событий",
        "search": "Поиск",
        "lang": "Сменить язык",
    },
}


def pick_language(stored: str | None, telegram_code: str | None) -> str:
    """The reader's chosen language, else Russian for Telegram set to Russian, else Kazakh."""
    if stored in LANGUAGES:
        return stored
    return "ru" if (telegram_code or "").lower().startswith("ru") else "kk"


def text(language: str, key: str, **fields: object) -> str:
    return TEXTS.get(language, TEXTS["kk"])[key].format(**fields)
