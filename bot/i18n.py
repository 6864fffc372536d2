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
            "/follow &lt;есім | жер | сөздер&gt; — жаңа мақала шықса, хабарлау\n/following — жазылымдар\n"
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
        "follow_need": (
            "Кімге немесе неге жазыласыз? Мысалы: <code>/follow Абдуллин</code>, <code>/follow Алматы</code>, "
            "<code>/follow жол құрылысы</code>"
        ),
        "follow_done": (
            "🔔 Жазылдыңыз: <b>{label}</b>. Бұл туралы жаңа мақала шықса, хабарлаймын. Жазылымдар: /following"
        ),
        "follow_already": "Сіз бұған жазылғансыз: <b>{label}</b>. Жазылымдар: /following",
        "follow_limit": "Жазылым саны {limit}-ден аспайды. Біреуін өшіріңіз: /following",
        "follow_button": "🔔 Жазылу: {label}",
        "unfollow_button": "🔕 Тоқтату: {label}",
        "following_title": "<b>Жазылымдарыңыз</b> ({count})",
        "following_note": "Жаңа мақала шықса, жеке хабарлама келеді. Өшіру үшін батырманы басыңыз.",
        "following_empty": "Сіз әлі ешнәрсеге жазылмағансыз. Мысалы: <code>/follow Абдуллин</code>",
        "unfollow_done": "🔕 Жазылым тоқтатылды: <b>{label}</b>",
        "unfollow_none": "«{value}» деген жазылым жоқ. Жазылымдар: /following",
        "unfollow_toast": "Жазылым тоқтатылды: {label}",
        "unfollow_gone": "Бұл жазылым бұрын тоқтатылған.",
        "notify_reason": "Сіз жазылғансыз: {reason}",
        "notify_read": "Оқу",
        "digest_title": "📰 <b>Жазылымдарыңыз бойынша тағы {count} мақала</b>",
        "digest_more": "…және тағы {count}",
        "digest_note": "Күніне {cap} хабарламадан артығы кешке осындай бір тізіммен келеді.",
        "inline_read_in_bot": "Ботта оқу",
        "inline_no_results": "Ештеңе табылмады",
        "inline_quote_of": "{speaker} сөзі",
        "quotes_of_title": "<b>Дәйексөздер: {name}</b>",
        "quotes_filter_hint": "Адамның дәйексөздері — батырмада.",
        "russian_hint": "ℹ️ Мұрағат қазақ тілінде. Қазақша сөздермен іздеп көріңіз.",
        "russian_hint_spelling": "ℹ️ Мұрағат қазақ тілінде. Қазақша жазылуы: {spellings}",
    },
    "ru": {
        "greeting": "Здравствуйте! Это бот газеты <b>Айқын</b>. Здесь можно читать и искать статьи.",
        "help": (
            "<b>Команды</b>\n"
            "/latest — последние статьи\n/article &lt;id&gt; — полный текст статьи\n"
            "/quotes [id | имя] — цитаты\n/related &lt;id&gt; — связанные статьи\n"
            "/events [id | слово] — хронология событий\n/search &lt;слова&gt; — поиск\n"
            "/follow &lt;имя | место | слова&gt; — сообщать о новых статьях\n/following — подписки\n"
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
        "follow_need": (
            "На кого или на что подписаться? Например: <code>/follow Абдуллин</code>, <code>/follow Алматы</code>, "
            "<code>/follow жол құрылысы</code>"
        ),
        "follow_done": (
            "🔔 Вы подписались: <b>{label}</b>. Когда выйдет новая статья об этом, я напишу. Подписки: /following"
        ),
        "follow_already": "Вы уже подписаны: <b>{label}</b>. Подписки: /following",
        "follow_limit": "Подписок может быть не больше {limit}. Удалите одну: /following",
        "follow_button": "🔔 Следить: {label}",
        "unfollow_button": "🔕 Отписаться: {label}",
        "following_title": "<b>Ваши подписки</b> ({count})",
        "following_note": "О каждой новой статье придёт личное сообщение. Чтобы отписаться, нажмите кнопку.",
        "following_empty": "У вас пока нет подписок. Например: <code>/follow Абдуллин</code>",
        "unfollow_done": "🔕 Подписка отменена: <b>{label}</b>",
        "unfollow_none": "Подписки «{value}» нет. Подписки: /following",
        "unfollow_toast": "Подписка отменена: {label}",
        "unfollow_gone": "Эта подписка уже отменена.",
        "notify_reason": "Вы подписаны: {reason}",
        "notify_read": "Читать",
        "digest_title": "📰 <b>Ещё статьи по вашим подпискам: {count}</b>",
        "digest_more": "…и ещё {count}",
        "digest_note": "Сверх {cap} уведомлений в день статьи приходят вечером одним списком.",
        "inline_read_in_bot": "Читать в боте",
        "inline_no_results": "Ничего не найдено",
        "inline_quote_of": "Слова: {speaker}",
        "quotes_of_title": "<b>Цитаты: {name}</b>",
        "quotes_filter_hint": "Цитаты одного человека — на кнопке.",
        "russian_hint": "ℹ️ Архив на казахском языке. Попробуйте искать казахскими словами.",
        "russian_hint_spelling": "ℹ️ Архив на казахском языке. По-казахски: {spellings}",
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
        "follow": "Жаңа мақалаға жазылу",
        "following": "Жазылымдар",
        "unfollow": "Жазылымды тоқтату",
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
        "follow": "Подписаться на новые статьи",
        "following": "Подписки",
        "unfollow": "Отписаться",
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
