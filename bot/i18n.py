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
            "/events [id | жыл | сөз] — оқиғалар хронологиясы: 1000–2100 аралығындағы сан — сол жылдың оқиғалары\n"
            "(<code>/events 1995</code> не <code>/events 1995 жылы</code>), басқа сан — мақала нөмірі\n"
            "/search &lt;сөздер&gt; — іздеу\n"
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
            "/events [id | год | слово] — хронология событий: число от 1000 до 2100 — события этого года\n"
            "(<code>/events 1995</code> или <code>/events 1995 год</code>), другое число — номер статьи\n"
            "/search &lt;слова&gt; — поиск\n"
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


# ---- editors (ADMIN_IDS) ------------------------------------------------------------------------------------
# Every message an editor gets, in the editor's language; no English and no raw status words.

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "kk": ("дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі"),
    "ru": ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
}

EDITOR_TEXTS: dict[str, dict[str, str]] = {
    "kk": {
        "help": (
            "<b>Редактор командалары</b>\n"
            "/queue — кезектегі посттар (батырмалармен)\n"
            "/schedule &lt;мақала&gt; &lt;уақыт&gt; — постты жоспарлау\n"
            "/postnow &lt;мақала&gt; — арнаға қазір жариялау\n"
            "/preview &lt;мақала&gt; — арнадағы пост қандай болатынын көру\n"
            "/edit &lt;пост&gt; — арнадағы постты мақаланың соңғы нұсқасымен түзету\n"
            "/delete &lt;пост&gt; — постты арнадан өшіру\n"
            "/cancel &lt;пост&gt; — кезектегі постты тоқтату\n"
            "/status — арна, слоттар, посттар\n/log — редакторлардың соңғы әрекеттері\n"
            "Мақала қосу: .txt/.json файлын не толық мәтінін жіберіңіз.\n"
            "Уақыт: <code>25.12.2026 09:00</code>, <code>2026-12-25 09:00</code>, <code>18:00</code>, "
            "<code>ертең 09:00</code> ({zone})."
        ),
        "zone_local": "Алматы уақыты",
        "usage_schedule": (
            "Қолданылуы: <code>/schedule &lt;мақала нөмірі&gt; &lt;уақыт&gt;</code>\n"
            "Уақыт: <code>25.12.2026 09:00</code>, <code>2026-12-25 09:00</code>, <code>18:00</code> (бүгін, "
            "өтіп кетсе — ертең), <code>ертең 09:00</code>. {zone}."
        ),
        "usage_post": "Қолданылуы: <code>{command} &lt;пост нөмірі&gt;</code>. Посттардың нөмірі: /queue, /log",
        "usage_article": "Қолданылуы: <code>{command} &lt;мақала нөмірі&gt;</code>. Мақалалар: /latest",
        "bad_date": "«{value}» — мұндай күн не уақыт жоқ.",
        "past": "Бұл уақыт өтіп кетті: {when}. Қазір: {now}.",
        "no_article": "№{id} мақала табылмады. Соңғы мақалалар: /latest",
        "no_post": "№{id} пост табылмады. Кезек: /queue",
        "no_channel": "Арна берілмеген: .env файлында CHANNEL_ID жазыңыз (мысалы, @aikyn_kz), сосын ботты "
        "қайта қосыңыз.",
        "scheduled": "✅ Пост №{post} жоспарланды: {when} ({zone}).\nМақала №{article}: «{title}»",
        "already": "⚠️ Мақала №{article} «{title}» {state}: пост №{post}, {when}.\nТағы жариялау керек пе?",
        "btn_again": "Иә, тағы жариялау",
        "btn_keep": "Жоқ, қалсын",
        "kept": "Жарайды, мақала қайта жарияланбайды.",
        "sent": "✅ Пост №{post} арнаға жарияланды (мақала №{article}).",
        "will_retry": "⏳ Пост №{post}: Telegram күте тұруды сұрады, {seconds} секундтан кейін қайта жіберіледі.",
        "window_full": "⏳ Пост №{post} кезекте: арнаға минутына 20 посттан артық жіберілмейді, ол {seconds} "
        "секундтан кейін кетеді.",
        "queued_for_later": "Пост №{post} кезекте, жақында жіберіледі.",
        "failed": "❌ Пост №{post} жіберілмеді (мақала №{article} «{title}»): {reason}\n{advice}",
        "reason_forbidden": "бот арнаға жаза алмайды.",
        "advice_forbidden": "Ботты арнаның әкімшісі етіп, хабар жариялау құқығын беріңіз, сосын: /postnow {article}",
        "reason_no_channel": "арна табылмады.",
        "advice_no_channel": ".env файлындағы CHANNEL_ID дұрыс па, тексеріп, ботты қайта қосыңыз.",
        "reason_rejected": "Telegram постты қабылдамады.",
        "advice_rejected": "Постты қараңыз: /preview {article}. Себебі бот журналында жазылған.",
        "reason_gave_up": "Telegram-ға {attempts} рет жіберу сәтсіз болды (желі не Telegram қолжетімсіз).",
        "advice_gave_up": "Желі қалпына келгенде қайталаңыз: /postnow {article}",
        "reason_article_gone": "мақала мұрағатта жоқ.",
        "advice_article_gone": "Басқа мақаланы таңдаңыз: /latest",
        "reason_interrupted": "жіберу кезінде бот тоқтап қалды — пост арнаға жетуі мүмкін.",
        "advice_interrupted": "Арнаны тексеріңіз; пост жоқ болса: /postnow {article}",
        "reason_missed": "уақыты өтіп кетті: бот сол кезде өшірулі болды.",
        "advice_missed": "Қажет болса: /postnow {article} немесе /schedule {article} &lt;уақыт&gt;",
        "reason_unexpected": "бот ішіндегі күтпеген қате.",
        "advice_unexpected": "Бот журналын қараңыз, сосын қайталаңыз: /postnow {article}",
        "state_pending": "кезекте тұр",
        "state_sending": "қазір жіберіліп жатыр",
        "state_sent": "арнаға жарияланған",
        "state_failed": "жіберілмеген",
        "state_interrupted": "жіберу кезінде үзілген (арнада болуы мүмкін)",
        "state_missed": "уақытында жіберілмеген (бот өшірулі болған)",
        "state_cancelled": "тоқтатылған",
        "state_deleted": "арнадан өшірілген",
        "queue_empty": "Кезекте пост жоқ.",
        "queue_title": "<b>Кезек</b> — {total} пост",
        "queue_entry": "<b>Пост №{post}</b> · {when}\nМақала №{article}: «{title}»",
        "note_waiting": "⏳ редактордың шешімін күтеді",
        "note_approved": "✅ мақұлданған",
        "note_retry": "⚠️ алдыңғы әрекет сәтсіз, қайталанады",
        "page": "{page}/{pages} бет",
        "btn_preview": "👁 №{post}",
        "btn_now": "▶️ Қазір",
        "btn_next_slot": "⏭ Келесі слот",
        "btn_cancel": "✖️ Тоқтату",
        "prev": "‹ Алдыңғы",
        "next": "Келесі ›",
        "cancelled": "✖️ Пост №{post} тоқтатылды.",
        "not_pending": "Пост №{post} {state}, сондықтан бұл әрекет мүмкін емес.",
        "moved": "⏭ Пост №{post} келесі слотқа көшірілді: {when}.",
        "no_slots": "Күнделікті слоттар жоқ (POST_TIMES бос). Уақытты өзіңіз беріңіз: /schedule",
        "slot_taken": "{when} слотында басқа пост тұр. Уақытты өзіңіз беріңіз: /schedule",
        "edited": "✏️ Пост №{post} арнада түзетілді.",
        "not_modified": "Пост №{post} өзгерген жоқ: арнадағы мәтін мақаланың қазіргі нұсқасымен бірдей.",
        "not_in_channel": "Пост №{post} арнада жоқ: ол {state}.",
        "edit_not_found": "Арнада пост №{post} хабарламасы табылмады — оны біреу арнадан қолмен өшірген болуы мүмкін.",
        "cant_edit": "Telegram пост №{post} хабарламасын өзгертуге рұқсат бермеді. Арнада қолмен түзетіңіз.",
        "no_rights": "Боттың арнада құқығы жоқ: ботты арна әкімшісі етіп, хабарларды өңдеу және өшіру құқығын беріңіз.",
        "try_later": "Telegram күте тұруды сұрады: {seconds} секундтан кейін қайталаңыз.",
        "channel_error": "Telegram-мен байланыс болмады. Сәлден соң қайталаңыз.",
        "deleted": "🗑 Пост №{post} арнадан өшірілді.",
        "already_gone": "Пост №{post} арнада бұрыннан жоқ екен; өшірілді деп белгіленді.",
        "cant_delete": "Telegram пост №{post} хабарламасын өшіруге рұқсат бермеді: ботта арнадағы хабарларды өшіру "
        "құқығы жоқ, ал хабарлама 48 сағаттан ескі. Арнадан қолмен өшіріңіз не ботқа бұл құқықты беріңіз.",
        "changed": "✏️ Мақала №{article} «{title}» өзгерді, ал арнадағы пост №{post} ескі нұсқасын көрсетеді.",
        "btn_update": "Постты жаңарту",
        "approval_ask": "🕘 {when} слоты: арнаға осы пост шығады (пост №{post}, мақала №{article}).\n"
        "Жауап болмаса, {time}-де: {default}.",
        "default_publish": "жарияланады",
        "default_skip": "жарияланбайды",
        "btn_publish": "✅ Жариялау",
        "btn_skip": "✖️ Жарияламау",
        "btn_other": "🔄 Басқа мақала",
        "decided_publish": "✅ Пост №{post} {when} жарияланады. Шешкен: {who}.",
        "decided_skip": "✖️ Пост №{post} жарияланбайды. Шешкен: {who}.",
        "already_decided": "Пост №{post} туралы шешім бұрын қабылданған: {decision}.",
        "decision_publish": "жариялау",
        "decision_skip": "жарияламау",
        "decision_none": "шешім жоқ",
        "no_other": "Басқа жаңа мақала жоқ.",
        "approval_stale": "Бұл сұрақ ескірген: пост №{post} енді мақала №{article} үшін. Жаңа хабарламадағы "
        "батырманы басыңыз.",
        "default_applied_publish": "🕘 Пост №{post}: жауап болмады, әдепкі бойынша жарияланды.",
        "default_applied_skip": "🕘 Пост №{post}: жауап болмады, әдепкі бойынша жарияланбады.",
        "log_title": "<b>Редакторлардың соңғы әрекеттері</b>",
        "log_empty": "Әзірге әрекет жоқ.",
        "log_entry": "{when} — {who}: {action}",
        "the_bot": "бот",
        "editor": "редактор {id}",
        "post_ref": "пост №{post}",
        "article_ref": "мақала №{article}",
        "act_schedule": "жоспарлады",
        "act_postnow": "қазір жариялады",
        "act_again": "қайта жариялауды сұрады",
        "act_cancel": "тоқтатты",
        "act_move": "келесі слотқа көшірді",
        "act_edit": "арнада түзетті",
        "act_delete": "арнадан өшірді",
        "act_publish": "мақұлдады",
        "act_skip": "жарияламады",
        "act_swap": "басқа мақала таңдады",
        "act_default_publish": "жауап болмады — әдепкі бойынша жарияланды",
        "act_default_skip": "жауап болмады — әдепкі бойынша жарияланбады",
        "act_import": "мақала қосты",
        "status_title": "<b>Күйі</b>",
        "status_channel_ok": "Арна {channel}: ✅ бот жариялай алады",
        "status_channel_not_admin": "Арна {channel}: ⚠️ бот арнаның әкімшісі емес",
        "status_channel_error": "Арна {channel}: ❌ Telegram арнаны көрсетпеді",
        "status_no_channel": "Арна: CHANNEL_ID берілмеген",
        "status_next_slot": "Келесі слот: {when}",
        "status_no_slot": "Келесі слот: жоқ (POST_TIMES бос)",
        "status_next_post": "Келесі пост: {when}",
        "status_counts": "Посттар: кезекте {pending}, жарияланған {sent}, жіберілмеген {failed}, уақытында "
        "жіберілмеген {missed}, тоқтатылған {cancelled}, арнадан өшірілген {deleted}",
        "status_articles": "Мақалалар: {count}",
        "backup_off": "Сақтық көшірме: BACKUP_DIR берілмеген, күнделікті көшірме жасалмайды",
        "backup_none": "Сақтық көшірме: әлі жоқ",
        "backup_last": "Сақтық көшірме: {when}, {size}{overdue} (барлығы {count})",
        "backup_overdue": " ⚠️ ескі",
        "backup_failing": "❌ Соңғы әрекет сәтсіз: {reason}",
        "status_feed": "Лента {url}: {when} — {result}",
        "status_feed_ok": "✅",
        "status_feed_error": "❌ қате",
        "status_approval": "Автоматты посттарды мақұлдау: слоттан {minutes} минут бұрын; жауап болмаса — {default}",
        "status_approval_off": "Автоматты посттарды мақұлдау: өшірулі",
        "status_last_action": "Соңғы әрекет: {entry} (барлығы: /log)",
        "send_file_types": "Мақаланы .txt, .json немесе .jsonl файлымен жіберіңіз.",
        "file_too_big": "Файл тым үлкен (2 МБ-тан аспасын): {name}",
        "paste_hint": "Мақаланы қосу үшін толық мәтінін (бірінші жолы — тақырып) немесе .txt/.json файлын "
        "жіберіңіз. Командалар: /help",
        "file_problem": "{name}: {problem}",
        "outcome_imported": "жаңа",
        "outcome_updated": "жаңартылды",
        "outcome_unchanged": "өзгеріссіз",
        "imported_line": "№{id} ({outcome}): {title}",
        "problem_unreadable": "файл оқылмады",
        "problem_too_large": "файл тым үлкен",
        "problem_empty": "файл бос",
        "problem_binary": "бұл мәтін емес",
        "problem_no_text": "мәтін жоқ",
        "problem_no_body": "мақаланың мәтіні жоқ: файлда тек тақырып жолы бар",
        "problem_json": "JSON қате",
        "problem_field": "«{field}» өрісі жоқ не қате",
        "problem_record": "жазба JSON нысаны болуы керек",
        "problem_other": "файлдан мақала оқылмады",
        "problem_at_record": "{n}-жазба: {problem}",
        "problem_at_line": "{n}-жол: {problem}",
        "held_notice": "⏸ <b>Мақала №{id} редакторға ұсталды</b>: {reason}. Арнаға өздігінен шықпайды.",
        "hold_short": "мәтіні тым қысқа",
        "hold_caption": "мәтіні тек сурет жазуы сияқты",
        "hold_date": "мәтіні тек күн жолы",
        "hold_boilerplate": "беттің көбі мәзір, жарнама, сілтемелер",
        "hold_incomplete": "беттегі мәтіннің бір бөлігі ғана алынды",
        "hold_unknown": "мәтінін тексеру керек",
        "btn_publish_held": "✅ Осы күйінде жариялау",
        "btn_drop_held": "🗑 Алып тастау",
        "held_not_held": "№{id} мақала ұсталмаған (шешім бұрын қабылданған немесе ол жойылған).",
        "held_released": "✅ №{id} мақала енді ұсталмайды: келесі слотта арнаға шығуы мүмкін. "
        "Қазір жариялау: /postnow {id}",
        "held_not_dropped": "№{id} мақала алынбады: ол ұсталмаған, жойылған немесе арнаға жіберілген.",
        "held_dropped": "🗑 №{id} мақала алып тасталды; лентадан қайта алынбайды.",
        "only_editors": "Бұл команда тек редакторларға арналған.",
        "only_editors_button": "Бұл батырма тек редакторларға арналған.",
        "stale": "Бұл батырма ескірген.",
    },
    "ru": {
        "help": (
            "<b>Команды редактора</b>\n"
            "/queue — очередь постов (с кнопками)\n"
            "/schedule &lt;статья&gt; &lt;время&gt; — запланировать пост\n"
            "/postnow &lt;статья&gt; — опубликовать в канале сейчас\n"
            "/preview &lt;статья&gt; — каким будет пост в канале\n"
            "/edit &lt;пост&gt; — исправить пост в канале по последней версии статьи\n"
            "/delete &lt;пост&gt; — удалить пост из канала\n"
            "/cancel &lt;пост&gt; — отменить пост из очереди\n"
            "/status — канал, слоты, посты\n/log — последние действия редакторов\n"
            "Добавить статью: пришлите файл .txt/.json или полный текст.\n"
            "Время: <code>25.12.2026 09:00</code>, <code>2026-12-25 09:00</code>, <code>18:00</code>, "
            "<code>завтра 09:00</code> ({zone})."
        ),
        "zone_local": "время Алматы",
        "usage_schedule": (
            "Как писать: <code>/schedule &lt;номер статьи&gt; &lt;время&gt;</code>\n"
            "Время: <code>25.12.2026 09:00</code>, <code>2026-12-25 09:00</code>, <code>18:00</code> (сегодня, "
            "а если уже прошло — завтра), <code>завтра 09:00</code>. {zone}."
        ),
        "usage_post": "Как писать: <code>{command} &lt;номер поста&gt;</code>. Номера постов: /queue, /log",
        "usage_article": "Как писать: <code>{command} &lt;номер статьи&gt;</code>. Статьи: /latest",
        "bad_date": "«{value}» — такой даты или времени нет.",
        "past": "Это время уже прошло: {when}. Сейчас: {now}.",
        "no_article": "Статья №{id} не найдена. Последние статьи: /latest",
        "no_post": "Пост №{id} не найден. Очередь: /queue",
        "no_channel": "Канал не задан: укажите CHANNEL_ID в файле .env (например, @aikyn_kz) и перезапустите бота.",
        "scheduled": "✅ Пост №{post} запланирован: {when} ({zone}).\nСтатья №{article}: «{title}»",
        "already": "⚠️ У статьи №{article} «{title}» уже есть пост: пост №{post} {state}, {when}.\n"
        "Опубликовать ещё раз?",
        "btn_again": "Да, опубликовать ещё раз",
        "btn_keep": "Нет, оставить",
        "kept": "Хорошо, статья не будет опубликована повторно.",
        "sent": "✅ Пост №{post} опубликован в канале (статья №{article}).",
        "will_retry": "⏳ Пост №{post}: Telegram попросил подождать, повторная отправка через {seconds} с.",
        "window_full": "⏳ Пост №{post} в очереди: в канал уходит не больше 20 постов в минуту, он уйдёт через "
        "{seconds} с.",
        "queued_for_later": "Пост №{post} в очереди и скоро уйдёт.",
        "failed": "❌ Пост №{post} не отправлен (статья №{article} «{title}»): {reason}\n{advice}",
        "reason_forbidden": "бот не может писать в канал.",
        "advice_forbidden": "Сделайте бота администратором канала с правом публикации, затем: /postnow {article}",
        "reason_no_channel": "канал не найден.",
        "advice_no_channel": "Проверьте CHANNEL_ID в файле .env и перезапустите бота.",
        "reason_rejected": "Telegram не принял пост.",
        "advice_rejected": "Посмотрите пост: /preview {article}. Причина записана в журнале бота.",
        "reason_gave_up": "{attempts} попыток отправки в Telegram не удались (сеть или Telegram недоступны).",
        "advice_gave_up": "Когда связь восстановится, повторите: /postnow {article}",
        "reason_article_gone": "статьи больше нет в архиве.",
        "advice_article_gone": "Выберите другую статью: /latest",
        "reason_interrupted": "бот остановился во время отправки — пост мог дойти до канала.",
        "advice_interrupted": "Проверьте канал; если поста нет: /postnow {article}",
        "reason_missed": "время прошло, пока бот был выключен.",
        "advice_missed": "Если нужно: /postnow {article} или /schedule {article} &lt;время&gt;",
        "reason_unexpected": "непредвиденная ошибка в боте.",
        "advice_unexpected": "Посмотрите журнал бота и повторите: /postnow {article}",
        "state_pending": "стоит в очереди",
        "state_sending": "отправляется прямо сейчас",
        "state_sent": "опубликован в канале",
        "state_failed": "не отправлен",
        "state_interrupted": "прерван при отправке (мог дойти до канала)",
        "state_missed": "не отправлен вовремя (бот был выключен)",
        "state_cancelled": "отменён",
        "state_deleted": "удалён из канала",
        "queue_empty": "В очереди нет постов.",
        "queue_title": "<b>Очередь</b> — постов: {total}",
        "queue_entry": "<b>Пост №{post}</b> · {when}\nСтатья №{article}: «{title}»",
        "note_waiting": "⏳ ждёт решения редактора",
        "note_approved": "✅ одобрен",
        "note_retry": "⚠️ прошлая попытка не удалась, будет повтор",
        "page": "стр. {page}/{pages}",
        "btn_preview": "👁 №{post}",
        "btn_now": "▶️ Сейчас",
        "btn_next_slot": "⏭ В следующий слот",
        "btn_cancel": "✖️ Отменить",
        "prev": "‹ Назад",
        "next": "Далее ›",
        "cancelled": "✖️ Пост №{post} отменён.",
        "not_pending": "Пост №{post} {state}, поэтому так сделать нельзя.",
        "moved": "⏭ Пост №{post} перенесён в следующий слот: {when}.",
        "no_slots": "Ежедневных слотов нет (POST_TIMES пуст). Укажите время сами: /schedule",
        "slot_taken": "В слоте {when} уже стоит другой пост. Укажите время сами: /schedule",
        "edited": "✏️ Пост №{post} исправлен в канале.",
        "not_modified": "Пост №{post} не изменился: в канале уже текст текущей версии статьи.",
        "not_in_channel": "Поста №{post} нет в канале: он {state}.",
        "edit_not_found": "Сообщение поста №{post} в канале не найдено — возможно, его удалили из канала вручную.",
        "cant_edit": "Telegram не разрешил изменить сообщение поста №{post}. Исправьте его в канале вручную.",
        "no_rights": "У бота нет прав в канале: сделайте бота администратором с правом редактировать и удалять "
        "сообщения.",
        "try_later": "Telegram попросил подождать: повторите через {seconds} с.",
        "channel_error": "Не удалось связаться с Telegram. Повторите чуть позже.",
        "deleted": "🗑 Пост №{post} удалён из канала.",
        "already_gone": "Поста №{post} в канале уже не было; отмечен как удалённый.",
        "cant_delete": "Telegram не разрешил удалить сообщение поста №{post}: у бота нет права удалять сообщения "
        "в канале, а сообщению больше 48 часов. Удалите его в канале вручную или дайте боту это право.",
        "changed": "✏️ Статья №{article} «{title}» изменилась, а пост №{post} в канале показывает старую версию.",
        "btn_update": "Обновить пост",
        "approval_ask": "🕘 Слот {when}: в канал выйдет этот пост (пост №{post}, статья №{article}).\n"
        "Если ответа не будет, в {time}: {default}.",
        "default_publish": "будет опубликован",
        "default_skip": "не будет опубликован",
        "btn_publish": "✅ Опубликовать",
        "btn_skip": "✖️ Не публиковать",
        "btn_other": "🔄 Другая статья",
        "decided_publish": "✅ Пост №{post} выйдет {when}. Решение: {who}.",
        "decided_skip": "✖️ Пост №{post} не будет опубликован. Решение: {who}.",
        "already_decided": "По посту №{post} уже есть решение: {decision}.",
        "decision_publish": "опубликовать",
        "decision_skip": "не публиковать",
        "decision_none": "решения нет",
        "no_other": "Других новых статей нет.",
        "approval_stale": "Этот вопрос устарел: в посте №{post} теперь статья №{article}. Нажмите кнопку в новом "
        "сообщении.",
        "default_applied_publish": "🕘 Пост №{post}: ответа не было, опубликован по умолчанию.",
        "default_applied_skip": "🕘 Пост №{post}: ответа не было, по умолчанию не опубликован.",
        "log_title": "<b>Последние действия редакторов</b>",
        "log_empty": "Пока действий нет.",
        "log_entry": "{when} — {who}: {action}",
        "the_bot": "бот",
        "editor": "редактор {id}",
        "post_ref": "пост №{post}",
        "article_ref": "статья №{article}",
        "act_schedule": "запланировал(а)",
        "act_postnow": "опубликовал(а) сейчас",
        "act_again": "попросил(а) опубликовать повторно",
        "act_cancel": "отменил(а)",
        "act_move": "перенёс(ла) в следующий слот",
        "act_edit": "исправил(а) в канале",
        "act_delete": "удалил(а) из канала",
        "act_publish": "одобрил(а)",
        "act_skip": "отказал(а) в публикации",
        "act_swap": "выбрал(а) другую статью",
        "act_default_publish": "ответа не было — опубликован по умолчанию",
        "act_default_skip": "ответа не было — по умолчанию не опубликован",
        "act_import": "добавил(а) статью",
        "status_title": "<b>Состояние</b>",
        "status_channel_ok": "Канал {channel}: ✅ бот может публиковать",
        "status_channel_not_admin": "Канал {channel}: ⚠️ бот не администратор канала",
        "status_channel_error": "Канал {channel}: ❌ Telegram не показал канал",
        "status_no_channel": "Канал: CHANNEL_ID не задан",
        "status_next_slot": "Следующий слот: {when}",
        "status_no_slot": "Следующий слот: нет (POST_TIMES пуст)",
        "status_next_post": "Следующий пост: {when}",
        "status_counts": "Посты: в очереди {pending}, опубликовано {sent}, не отправлено {failed}, не отправлено "
        "вовремя {missed}, отменено {cancelled}, удалено из канала {deleted}",
        "status_articles": "Статей: {count}",
        "backup_off": "Резервная копия: BACKUP_DIR не задан, ежедневные копии не делаются",
        "backup_none": "Резервная копия: пока нет",
        "backup_last": "Резервная копия: {when}, {size}{overdue} (всего {count})",
        "backup_overdue": " ⚠️ устарела",
        "backup_failing": "❌ Последняя попытка не удалась: {reason}",
        "status_feed": "Лента {url}: {when} — {result}",
        "status_feed_ok": "✅",
        "status_feed_error": "❌ ошибка",
        "status_approval": "Одобрение автоматических постов: за {minutes} мин до слота; без ответа — {default}",
        "status_approval_off": "Одобрение автоматических постов: выключено",
        "status_last_action": "Последнее действие: {entry} (все: /log)",
        "send_file_types": "Пришлите статью файлом .txt, .json или .jsonl.",
        "file_too_big": "Файл слишком большой (не больше 2 МБ): {name}",
        "paste_hint": "Чтобы добавить статью, пришлите её полный текст (первая строка — заголовок) или файл "
        ".txt/.json. Команды: /help",
        "file_problem": "{name}: {problem}",
        "outcome_imported": "новая",
        "outcome_updated": "обновлена",
        "outcome_unchanged": "без изменений",
        "imported_line": "№{id} ({outcome}): {title}",
        "problem_unreadable": "файл не читается",
        "problem_too_large": "файл слишком большой",
        "problem_empty": "файл пуст",
        "problem_binary": "это не текст",
        "problem_no_text": "нет текста",
        "problem_no_body": "нет текста статьи: в файле только строка заголовка",
        "problem_json": "ошибка в JSON",
        "problem_field": "поля «{field}» нет или оно неверно",
        "problem_record": "запись должна быть объектом JSON",
        "problem_other": "статью из файла прочитать не удалось",
        "problem_at_record": "запись {n}: {problem}",
        "problem_at_line": "строка {n}: {problem}",
        "held_notice": "⏸ <b>Статья №{id} задержана для редактора</b>: {reason}. Сама в канал не выйдет.",
        "hold_short": "текст слишком короткий",
        "hold_caption": "текст похож только на подпись к фото",
        "hold_date": "в тексте только строка с датой",
        "hold_boilerplate": "большая часть страницы — меню, реклама, ссылки",
        "hold_incomplete": "со страницы взята лишь часть текста",
        "hold_unknown": "текст нужно проверить",
        "btn_publish_held": "✅ Опубликовать как есть",
        "btn_drop_held": "🗑 Убрать",
        "held_not_held": "Статья №{id} не задержана (решение уже принято или её удалили).",
        "held_released": "✅ Статья №{id} больше не задержана: может выйти в канал в следующий слот. Опубликовать "
        "сейчас: /postnow {id}",
        "held_not_dropped": "Статья №{id} не убрана: она не задержана, удалена или уже отправлена в канал.",
        "held_dropped": "🗑 Статья №{id} убрана; из ленты её больше не возьмут.",
        "only_editors": "Эта команда только для редакторов.",
        "only_editors_button": "Эта кнопка только для редакторов.",
        "stale": "Эта кнопка устарела.",
    },
}

# The editors' command menu (setMyCommands for each editor's chat), after the readers' commands.
EDITOR_COMMAND_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "kk": {
        "queue": "Кезектегі посттар",
        "schedule": "Постты жоспарлау",
        "postnow": "Арнаға қазір жариялау",
        "preview": "Пост қандай болатынын көру",
        "edit": "Арнадағы постты түзету",
        "delete": "Постты арнадан өшіру",
        "cancel": "Кезектегі постты тоқтату",
        "status": "Арна мен посттардың күйі",
        "log": "Редакторлардың соңғы әрекеттері",
    },
    "ru": {
        "queue": "Очередь постов",
        "schedule": "Запланировать пост",
        "postnow": "Опубликовать в канале сейчас",
        "preview": "Каким будет пост",
        "edit": "Исправить пост в канале",
        "delete": "Удалить пост из канала",
        "cancel": "Отменить пост из очереди",
        "status": "Состояние канала и постов",
        "log": "Последние действия редакторов",
    },
}


def editor_text(language: str, key: str, **fields: object) -> str:
    return EDITOR_TEXTS.get(language, EDITOR_TEXTS["kk"])[key].format(**fields)
