"""What editors do with the channel — schedule, post, correct, delete, approve — and what they are told.

Plain functions over storage and the channel (bot/posting.py) that return what to show, in the editor's
language; the handlers (bot/handlers/editor_commands.py) only parse updates and send replies. Every action that
changes something is recorded (storage/editor_log.py) and shown by /log and /status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from html import escape
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import TelegramError

from bot import backups, feed_lines, importer, ingest_review, posting
from bot.article_files import ARTICLE_SUFFIXES, ArticleFileError, parse_article_bytes, parse_article_text
from bot.command_menu import set_editor_menu
from bot.i18n import COMMAND_DESCRIPTIONS, EDITOR_TEXTS, WEEKDAYS, editor_text
from bot.records import ArticleDraft
from bot.render import CAPTION_LIMIT, MESSAGE_LIMIT, Button, Reply, shorten
from bot.services import Services
from storage import Database, article_analysis, articles, editor_log, feed_state, outbox, posts
from storage.articles import Article

QUEUE_PAGE = 5
MAX_ID = 2**63 - 1
LOG_LENGTH = 15
# A message for every editor, written in each one's language: language → replies.
Notice = Callable[[str], list[Reply]]


class EditorMistake(Exception):
    """Editor input the bot cannot use, or an action that cannot be done; the message is the reply (HTML)."""


@dataclass(frozen=True, slots=True)
class Editor:
    """One editor acting now: the bot's services, the bot (to reach the channel), who, and in which language."""

    svc: Services
    bot: Bot
    user_id: int
    name: str
    language: str

    @property
    def db(self) -> Database:
        return self.svc.db

    @property
    def tz(self) -> ZoneInfo:
        return self.svc.settings.timezone

    def t(self, key: str, **fields: object) -> str:
        return editor_text(self.language, key, **fields)

    def when(self, moment: datetime) -> str:
        return when_text(self.language, moment, self.tz)

    async def record(self, action: str, *, post_id: int | None = None, article_id: int | None = None) -> None:
        await editor_log.record(
            self.db, action, editor_id=self.user_id, now=self.svc.clock(), post_id=post_id, article_id=article_id
        )

    async def record_each(self, action: str, article_ids: list[int]) -> None:
        """The same action on many articles, recorded in one transaction."""
        if article_ids:
            await editor_log.record_each(
                self.db, action, editor_id=self.user_id, now=self.svc.clock(), article_ids=article_ids
            )


async def enter(svc: Services, bot: Bot, user_id: int, name: str, language: str) -> Editor:
    """The editor behind an update; their name and language are remembered for messages from jobs, and their
    command menu follows a new language."""
    if await editor_log.remember_editor(svc.db, user_id, name=name, language=language, now=svc.clock()):
        await set_editor_menu(bot, user_id, language)
    return Editor(svc, bot, user_id, name, language)


async def editor_languages(db: Database) -> dict[int, str | None]:
    """The language each editor was last seen with."""
    return {user_id: known.language for user_id, known in (await editor_log.known_editors(db)).items()}


# ---- dates and numbers as editors write them ---------------------------------------------------------------


def when_text(language: str, moment: datetime, tz: ZoneInfo) -> str:
    """«сейсенбі, 01.12.2026 09:00»: local time with the weekday."""
    local = moment.astimezone(tz)
    return f"{WEEKDAYS.get(language, WEEKDAYS['kk'])[local.weekday()]}, {local:%d.%m.%Y %H:%M}"


_DMY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}) ([0-9]{1,2}):([0-9]{2})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[ t]([0-9]{1,2}):([0-9]{2})")
_HM = re.compile(r"(?:(\w+) )?([0-9]{1,2}):([0-9]{2})")
_DAY_WORDS = {"бүгін": 0, "сегодня": 0, "ертең": 1, "завтра": 1}


def parse_local_time(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """A moment as editors write it, in `tz`: DD.MM.YYYY HH:MM, YYYY-MM-DD HH:MM, HH:MM (today, or tomorrow
    when already past), «ертең 09:00» / «завтра 09:00» (and «бүгін» / «сегодня»). None when the form is not
    one of these; ValueError when it is, but there is no such day or time (31.02, 25:00)."""
    text = " ".join(text.strip().casefold().split())
    if match := _DMY.fullmatch(text):
        day, month, year, hour, minute = (int(g) for g in match.groups())
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    if match := _YMD.fullmatch(text):
        year, month, day, hour, minute = (int(g) for g in match.groups())
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    match = _HM.fullmatch(text)
    if match is None or (match[1] is not None and match[1] not in _DAY_WORDS):
        return None
    local_now = now.astimezone(tz)
    moment = datetime.combine(local_now.date(), datetime.min.time(), tzinfo=tz).replace(
        hour=int(match[2]), minute=int(match[3])
    )
    if match[1] is not None:
        return moment + timedelta(days=_DAY_WORDS[match[1]])
    return moment if moment > local_now else moment + timedelta(days=1)


def parse_number(value: str) -> int | None:
    """A positive id as typed («12», «#12», «№12»): ASCII digits only, within SQLite's integer range."""
    value = value.strip().lstrip("#№")
    if not re.fullmatch(r"[0-9]{1,19}", value) or not 0 < int(value) <= MAX_ID:
        return None
    return int(value)


def _number_or_mistake(ed: Editor, value: str, usage: str, command: str) -> int:
    """The id typed after a command; the usage when there is none, and a polite refusal of anything that is not
    one (a sign, a letter, «١٢» or «１２», a number beyond 2^63 − 1)."""
    if not value.strip():
        raise EditorMistake(ed.t(usage, command=command))
    number = parse_number(value)
    if number is None:
        raise EditorMistake(ed.t("bad_number", value=escape(shorten(value, 40)), command=command))
    return number


def _zone(ed: Editor) -> str:
    return ed.t("zone_local") if ed.tz.key == "Asia/Almaty" else escape(ed.tz.key)


def _need_channel(ed: Editor) -> None:
    if not ed.svc.settings.channel_id:
        raise EditorMistake(ed.t("no_channel"))


async def _article(ed: Editor, article_id: int) -> Article:
    article = await articles.get(ed.db, article_id)
    if article is None:
        raise EditorMistake(ed.t("no_article", id=article_id))
    return article


async def _post(ed: Editor, post_id: int) -> posts.Post:
    post = await posts.get(ed.db, post_id)
    if post is None:
        raise EditorMistake(ed.t("no_post", id=post_id))
    return post


def _title(title: str, limit: int = 100) -> str:
    return escape(shorten(title, limit))


def state_word(language: str, post: posts.Post) -> str:
    """What a post's status means, in words (never the raw status)."""
    key = "interrupted" if post.status == "failed" and post.fail_reason == "interrupted" else post.status
    return editor_text(language, f"state_{key}")


# ---- help ----------------------------------------------------------------------------------------------------


def help_reply(ed: Editor) -> Reply:
    """Readers' commands as the menu names them, then the editors' own."""
    readers = COMMAND_DESCRIPTIONS.get(ed.language, COMMAND_DESCRIPTIONS["kk"])
    lines = "\n".join(f"/{name} — {escape(description)}" for name, description in readers.items())
    return Reply(f"{lines}\n\n{ed.t('help', zone=_zone(ed))}")


# ---- one article, one post unless an editor insists --------------------------------------------------------


def _already(ed: Editor, article: Article, post: posts.Post, again: str) -> Reply:
    """The article is in the channel or on its way: say when and as which post, and ask."""
    when = ed.when(post.sent_at or post.due_at)
    text = ed.t(
        "already",
        article=article.id,
        title=_title(article.title),
        state=state_word(ed.language, post),
        post=post.id,
        when=when,
    )
    return Reply(text, [[Button(ed.t("btn_again"), data=again), Button(ed.t("btn_keep"), data="keep")]])


def kept(ed: Editor) -> Reply:
    return Reply(ed.t("kept"))


async def schedule(ed: Editor, argument: str) -> Reply:
    """/schedule <article> <when>: a post at that local time, unless the article is already posted or queued."""
    _need_channel(ed)
    usage = ed.t("usage_schedule", zone=_zone(ed))
    parts = argument.split(maxsplit=1)
    if len(parts) < 2:
        raise EditorMistake(usage)
    article_id = _number_or_mistake(ed, parts[0], "usage_schedule", "/schedule")
    try:
        local = parse_local_time(parts[1], ed.svc.clock(), ed.tz)
    except ValueError:
        raise EditorMistake(ed.t("bad_date", value=escape(shorten(parts[1], 40)))) from None
    if local is None:
        raise EditorMistake(usage)
    _refuse_past(ed, local)
    article = await _article(ed, article_id)
    holding = await posts.holding_article(ed.db, article_id)
    if holding:
        return _already(ed, article, holding[-1], again=f"again:s:{article_id}:{int(local.timestamp()) // 60}")
    return await _schedule(ed, article, local)


def _refuse_past(ed: Editor, local: datetime) -> None:
    now = ed.svc.clock()
    if local <= now:
        raise EditorMistake(ed.t("past", when=ed.when(local), now=ed.when(now)))


async def schedule_anyway(ed: Editor, article_id: int, minute: int) -> Reply:
    """«Post again» pressed under a /schedule warning (`minute`: the understood time, in minutes since 1970)."""
    _need_channel(ed)
    try:
        local = datetime.fromtimestamp(minute * 60, ed.tz)
    except (ValueError, OverflowError, OSError):  # no such time: a forged button
        raise EditorMistake(ed.t("stale")) from None
    _refuse_past(ed, local)
    article = await _article(ed, article_id)
    await ed.record("again", article_id=article_id)
    return await _schedule(ed, article, local)


async def _schedule(ed: Editor, article: Article, local: datetime) -> Reply:
    post_id = await posts.create(ed.db, article.id, local, "admin", created_by=ed.user_id, now=ed.svc.clock())
    await ed.record("schedule", post_id=post_id, article_id=article.id)
    return Reply(
        ed.t(
            "scheduled",
            post=post_id,
            when=ed.when(local),
            zone=_zone(ed),
            article=article.id,
            title=_title(article.title),
        )
    )


async def post_now(ed: Editor, argument: str) -> Reply:
    """/postnow <article>: to the channel now, unless it is already posted or queued."""
    _need_channel(ed)
    article = await _article(ed, _number_or_mistake(ed, argument, "usage_article", "/postnow"))
    holding = await posts.holding_article(ed.db, article.id)
    if holding:
        return _already(ed, article, holding[-1], again=f"again:n:{article.id}")
    return await _publish_now(ed, article)


async def post_now_anyway(ed: Editor, article_id: int) -> Reply:
    """«Post again» pressed under a /postnow warning."""
    _need_channel(ed)
    article = await _article(ed, article_id)
    await ed.record("again", article_id=article_id)
    return await _publish_now(ed, article)


async def _publish_now(ed: Editor, article: Article) -> Reply:
    async def create() -> int | None:
        now = ed.svc.clock()
        return await posts.create(ed.db, article.id, now, "now", created_by=ed.user_id, now=now)

    post_id, outcome = await posting.send_now(ed.svc, ed.bot, create)
    assert post_id is not None  # only slot posts can conflict
    await ed.record("postnow", post_id=post_id, article_id=article.id)
    return await _told(ed, post_id, outcome)


async def _told(ed: Editor, post_id: int, outcome: posting.SendOutcome | None) -> Reply:
    """What happened to a post an editor sent now; a failure is told here, once (recorded as told, so no round
    reports it again)."""
    if outcome is None:
        wait = posting.channel_wait(ed.svc)
        if wait > 0:
            return Reply(ed.t("window_full", post=post_id, seconds=math.ceil(wait)))
        return Reply(ed.t("queued_for_later", post=post_id))
    if outcome.status == "sent":
        post = await _post(ed, post_id)
        return Reply(ed.t("sent", post=post_id, article=post.article_id))
    if outcome.status == "retry":
        return Reply(ed.t("will_retry", post=post_id, seconds=math.ceil(outcome.retry_in or 0)))
    return failure_notice(await _post(ed, post_id), ed.language)[0]


def failure_notice(post: posts.Post, language: str) -> list[Reply]:
    """Why a post failed and what to do, for editors."""
    reason = post.fail_reason or "unexpected"
    t = partial(editor_text, language)
    text = t(
        "failed",
        post=post.id,
        article=post.article_id,
        title=_title(post.article_title, 80),
        reason=t(f"reason_{reason}", attempts=post.attempts),
        advice=t(f"advice_{reason}", article=post.article_id),
    )
    return [Reply(text)]


# ---- the queue -------------------------------------------------------------------------------------------------


async def queue_page(ed: Editor, offset: int = 0) -> Reply:
    """A page of upcoming posts: labelled ids, local time, title, and buttons per entry."""
    total = await posts.queue_length(ed.db)
    if total == 0:
        return Reply(ed.t("queue_empty"))
    offset = min(max(0, offset), (total - 1) // QUEUE_PAGE * QUEUE_PAGE)
    entries = await posts.queue(ed.db, limit=QUEUE_PAGE, offset=offset)
    rows = [
        [
            Button(ed.t("btn_preview", post=p.id), data=f"q:v:{p.id}"),
            Button(ed.t("btn_now"), data=f"q:n:{p.id}"),
            Button(ed.t("btn_next_slot"), data=f"q:m:{p.id}"),
            Button(ed.t("btn_cancel"), data=f"q:c:{p.id}"),
        ]
        for p in entries
    ]
    pager = []
    if offset > 0:
        pager.append(Button(ed.t("prev"), data=f"q:p:{offset - QUEUE_PAGE}"))
    if offset + QUEUE_PAGE < total:
        pager.append(Button(ed.t("next"), data=f"q:p:{offset + QUEUE_PAGE}"))
    page = ed.t("page", page=offset // QUEUE_PAGE + 1, pages=(total - 1) // QUEUE_PAGE + 1)
    body = "\n\n".join(_queue_entry(ed, p) for p in entries)
    return Reply(f"{ed.t('queue_title', total=total)}\n\n{body}\n\n<i>{page}</i>", [*rows, *([pager] if pager else [])])


def _queue_entry(ed: Editor, post: posts.Post) -> str:
    text = ed.t(
        "queue_entry",
        post=post.id,
        when=ed.when(post.due_at),
        article=post.article_id,
        title=_title(post.article_title),
    )
    if post.approval == "waiting":
        text += "\n" + ed.t("note_waiting")
    elif post.approval == "publish":
        text += "\n" + ed.t("note_approved")
    if post.last_error:
        text += "\n" + ed.t("note_retry")
    return text


async def preview(ed: Editor, argument: str) -> Reply:
    """/preview <article>: the exact channel post."""
    article_id = _number_or_mistake(ed, argument, "usage_article", "/preview")
    reply = await posting.post_for_article(ed.svc, article_id, ed.bot.username)
    if reply is None:
        raise EditorMistake(ed.t("no_article", id=article_id))
    return reply


async def preview_post(ed: Editor, post_id: int) -> Reply:
    """The exact channel post a queued post will send."""
    post = await _post(ed, post_id)
    return await preview(ed, str(post.article_id))


async def _pending(ed: Editor, post_id: int) -> posts.Post:
    post = await _post(ed, post_id)
    if post.status != "pending":
        raise EditorMistake(ed.t("not_pending", post=post_id, state=state_word(ed.language, post)))
    return post


async def send_queued_now(ed: Editor, post_id: int) -> Reply:
    """«Post now» on a queued post (one awaiting approval counts as approved)."""
    _need_channel(ed)
    post = await _pending(ed, post_id)

    async def move_to_now() -> int | None:
        if post.approval == "waiting":
            await posts.decide(ed.db, post_id, "publish", by=ed.user_id, now=ed.svc.clock())
        return post_id if await posts.reschedule(ed.db, post_id, ed.svc.clock()) else None

    moved, outcome = await posting.send_now(ed.svc, ed.bot, move_to_now)
    if moved is None:
        raise EditorMistake(ed.t("not_pending", post=post_id, state=state_word(ed.language, await _post(ed, post_id))))
    await ed.record("postnow", post_id=post_id, article_id=post.article_id)
    return await _told(ed, post_id, outcome)


async def move_to_next_slot(ed: Editor, post_id: int) -> Reply:
    """A queued post moved to the first daily slot after both now and its time."""
    post = await _pending(ed, post_id)
    settings = ed.svc.settings
    slot = posting.next_slot(settings.post_times, ed.tz, max(ed.svc.clock(), post.due_at))
    if slot is None:
        raise EditorMistake(ed.t("no_slots"))
    if not await posts.reschedule(ed.db, post_id, slot):
        raise EditorMistake(ed.t("slot_taken", when=ed.when(slot)))
    await ed.record("move", post_id=post_id, article_id=post.article_id)
    return Reply(ed.t("moved", post=post_id, when=ed.when(slot)))


async def cancel(ed: Editor, argument: str) -> Reply:
    return await cancel_post(ed, _number_or_mistake(ed, argument, "usage_post", "/cancel"))


async def cancel_post(ed: Editor, post_id: int) -> Reply:
    if not await posts.cancel(ed.db, post_id):
        post = await _post(ed, post_id)
        raise EditorMistake(ed.t("not_pending", post=post_id, state=state_word(ed.language, post)))
    post = await _post(ed, post_id)
    await ed.record("cancel", post_id=post_id, article_id=post.article_id)
    return Reply(ed.t("cancelled", post=post_id))


# ---- correcting and deleting a published post --------------------------------------------------------------


async def _in_channel(ed: Editor, argument: str, command: str) -> posts.Post:
    _need_channel(ed)
    post = await _post(ed, _number_or_mistake(ed, argument, "usage_post", command))
    if post.status != "sent" or post.message_id is None:
        raise EditorMistake(ed.t("not_in_channel", post=post.id, state=state_word(ed.language, post)))
    return post


async def edit_post(ed: Editor, argument: str) -> Reply:
    """/edit <post>: the channel message rendered again from the article as stored now."""
    post = await _in_channel(ed, argument, "/edit")
    result = await posting.edit_in_channel(ed.svc, ed.bot, post)
    if result.answer == "done":
        await ed.record("edit", post_id=post.id, article_id=post.article_id)
        return Reply(ed.t("edited", post=post.id))
    if result.answer == "not_found":
        return Reply(ed.t("edit_not_found", post=post.id))
    return _refused(ed, post, result, cant="cant_edit")


async def delete_post(ed: Editor, argument: str) -> Reply:
    """/delete <post>: the channel message deleted and the post marked deleted."""
    post = await _in_channel(ed, argument, "/delete")
    result = await posting.delete_in_channel(ed.svc, ed.bot, post)
    if result.answer in ("done", "not_found"):
        await posts.mark_deleted(ed.db, post.id, by=ed.user_id, now=ed.svc.clock())
        await ed.record("delete", post_id=post.id, article_id=post.article_id)
        return Reply(ed.t("deleted" if result.answer == "done" else "already_gone", post=post.id))
    return _refused(ed, post, result, cant="cant_delete")


def _refused(ed: Editor, post: posts.Post, result: posting.ChannelResult, *, cant: str) -> Reply:
    """Telegram's refusal of an edit or a delete, told in the editor's words."""
    if result.answer == "not_modified":
        return Reply(ed.t("not_modified", post=post.id))
    if result.answer == "no_rights":
        return Reply(ed.t("no_rights"))
    if result.answer == "try_later":
        return Reply(ed.t("try_later", seconds=math.ceil(result.wait_seconds)))
    if result.answer == "article_gone":
        return Reply(ed.t("no_article", id=post.article_id))
    if result.answer == "cant":
        return Reply(ed.t(cant, post=post.id))
    return Reply(ed.t("channel_error"))


async def update_changed_post(ed: Editor, post_id: int) -> Reply:
    """«Update the post» pressed under a change notice: the same as /edit."""
    return await edit_post(ed, str(post_id))


async def note_article_changed(db: Database, article_id: int, now: datetime) -> None:
    """Tell editors, soon, that an article changed: for each of its sent posts whose channel text now differs
    from the article as stored, editors get a message with a button to update the post. Changes of an article's
    content are noticed without this call (a trigger records them, whichever process wrote them); call it for a
    change that does not alter the article's content hash."""
    await posts.note_article_change(db, article_id, now)


async def article_change_notices(svc: Services, bot_username: str) -> list[Notice]:
    """The changes recorded since the last call, as notices for editors (only posts whose text would differ)."""
    notices: list[Notice] = []
    for article_id in await posts.take_article_changes(svc.db):
        for post in await posts.sent_of_article(svc.db, article_id):
            limit = CAPTION_LIMIT if post.sent_as_caption else MESSAGE_LIMIT
            reply = await posting.post_for_article(svc, article_id, bot_username, limit=limit)
            if reply is not None and reply.text != post.sent_text:
                notices.append(partial(_change_notice, post))
    return notices


def _change_notice(post: posts.Post, language: str) -> list[Reply]:
    t = partial(editor_text, language)
    text = t("changed", article=post.article_id, title=_title(post.article_title), post=post.id)
    return [Reply(text, [[Button(t("btn_update"), data=f"up:{post.id}")]])]


async def failure_notices(svc: Services) -> list[Notice]:
    """Posts that failed or were missed and editors were not told yet; each is told once."""
    return [partial(failure_notice, post) for post in await posts.take_unreported(svc.db, svc.clock())]


# ---- approval of automatic posts ---------------------------------------------------------------------------


async def approval_notice(svc: Services, bot_username: str, post_id: int) -> Notice | None:
    """The exact post, then the question with publish / skip / another article buttons."""
    post = await posts.get(svc.db, post_id)
    if post is None or post.approval != "waiting":
        return None
    reply = await posting.post_for_article(svc, post.article_id, bot_username)
    if reply is None:
        return None
    return partial(_approval_question, reply, post, svc.settings.timezone, svc.settings.approval_default)


def _approval_question(
    preview_reply: Reply, post: posts.Post, tz: ZoneInfo, default: str, language: str
) -> list[Reply]:
    t = partial(editor_text, language)
    text = t(
        "approval_ask",
        when=when_text(language, post.due_at, tz),
        post=post.id,
        article=post.article_id,
        time=f"{post.due_at.astimezone(tz):%H:%M}",
        default=t(f"default_{default}"),
    )
    # The article is in the data: after «another article» an older question must not publish the new one.
    buttons = [
        Button(t("btn_publish"), data=f"ap:y:{post.id}:{post.article_id}"),
        Button(t("btn_skip"), data=f"ap:n:{post.id}:{post.article_id}"),
        Button(t("btn_other"), data=f"ap:o:{post.id}:{post.article_id}"),
    ]
    return [preview_reply, Reply(text, [buttons])]


async def _asked_about(ed: Editor, post_id: int, article_id: int) -> posts.Post:
    """The post an approval question was about, if it still has the article the question showed."""
    post = await _post(ed, post_id)
    if post.article_id != article_id and post.approval == "waiting":
        raise EditorMistake(ed.t("approval_stale", post=post_id, article=post.article_id))
    return post


async def decide(ed: Editor, post_id: int, article_id: int, decision: posts.Decision) -> Reply:
    """An editor's answer to a post awaiting approval (the first answer counts)."""
    post = await _asked_about(ed, post_id, article_id)
    if not await posts.decide(ed.db, post_id, decision, by=ed.user_id, now=ed.svc.clock()):
        return _already_decided(ed, post)
    await ed.record(decision, post_id=post_id, article_id=post.article_id)
    if decision == "skip":
        return Reply(ed.t("decided_skip", post=post_id, who=escape(ed.name)))
    return Reply(ed.t("decided_publish", post=post_id, when=ed.when(post.due_at), who=escape(ed.name)))


def _already_decided(ed: Editor, post: posts.Post) -> Reply:
    decision = ed.t(f"decision_{post.approval}") if post.approval in ("publish", "skip") else ed.t("decision_none")
    return Reply(ed.t("already_decided", post=post.id, decision=decision))


async def another_article(ed: Editor, post_id: int, article_id: int) -> list[Reply]:
    """«Another article» for a post awaiting approval: the next fresh one no post holds, asked about again."""
    post = await _asked_about(ed, post_id, article_id)
    if post.approval != "waiting" or post.status != "pending":
        return [_already_decided(ed, post)]
    since = ed.svc.clock() - posting.FRESH_FOR
    candidate = await posts.slot_candidate(ed.db, since=since, older_than=post.article_id)
    candidate = candidate or await posts.slot_candidate(ed.db, since=since)
    if candidate is None or not await posts.swap_article(ed.db, post_id, candidate):
        return [Reply(ed.t("no_other"))]
    await ed.record("swap", post_id=post_id, article_id=candidate)
    notice = await approval_notice(ed.svc, ed.bot.username, post_id)
    return notice(ed.language) if notice else [Reply(ed.t("no_other"))]


async def settle_approvals(svc: Services) -> list[Notice]:
    """Posts still awaiting approval at their time get the configured default (recorded, and told)."""
    default: posts.Decision = svc.settings.approval_default
    notices: list[Notice] = []
    for post in await posts.awaiting_approval_due(svc.db, svc.clock()):
        if await posts.decide(svc.db, post.id, default, by=None, now=svc.clock()):
            await editor_log.record(
                svc.db,
                f"default_{default}",
                editor_id=None,
                now=svc.clock(),
                post_id=post.id,
                article_id=post.article_id,
            )
            notices.append(partial(_default_notice, post.id, default))
    return notices


def _default_notice(post_id: int, default: str, language: str) -> list[Reply]:
    return [Reply(editor_text(language, f"default_applied_{default}", post=post_id))]


# ---- what happened: /log and /status -----------------------------------------------------------------------


def _log_line(ed: Editor, action: editor_log.Action) -> str:
    if action.editor_id is None:
        who = ed.t("the_bot")
    else:
        who = escape(shorten(action.editor_name, 40)) or ed.t("editor", id=action.editor_id)
    what = ed.t(f"act_{action.action}") if f"act_{action.action}" in _ACTIONS else escape(action.action)
    refs = []
    if action.post_id is not None:
        refs.append(ed.t("post_ref", post=action.post_id))
    if action.article_id is not None:
        refs.append(ed.t("article_ref", article=action.article_id))
    suffix = f" ({', '.join(refs)})" if refs else ""
    return ed.t("log_entry", when=ed.when(action.at), who=who, action=what) + suffix


_ACTIONS = {key for key in EDITOR_TEXTS["kk"] if key.startswith("act_")}


async def log_page(ed: Editor) -> Reply:
    """/log: the latest editor actions (and approval defaults), newest first."""
    actions = await editor_log.latest(ed.db, limit=LOG_LENGTH)
    if not actions:
        return Reply(ed.t("log_empty"))
    return Reply(ed.t("log_title") + "\n" + "\n".join(_log_line(ed, a) for a in actions))


async def status_lines(ed: Editor) -> list[str]:
    """/status: the channel, the next slot and post, counts, feeds, approval, the last action."""
    settings = ed.svc.settings
    lines = [ed.t("status_title"), await _channel_line(ed)]
    now = ed.svc.clock()
    slot = posting.next_slot(settings.post_times, ed.tz, now)
    lines.append(ed.t("status_next_slot", when=ed.when(slot)) if slot else ed.t("status_no_slot"))
    due = await posts.next_due(ed.db)
    if due:
        lines.append(ed.t("status_next_post", when=ed.when(due)))
    counts = await posts.status_counts(ed.db)
    named = ("pending", "sent", "failed", "missed", "cancelled", "deleted")
    lines.append(ed.t("status_counts", **{name: counts.get(name, 0) for name in named}))
    lines.append(ed.t("status_articles", count=await articles.count(ed.db)))
    lines.append(await _outbox_line(ed))
    for feed in await feed_state.statuses(ed.db):
        lines.append(feed_lines.status_line(ed.language, feed, ed.when(feed.last_poll_at) if feed.last_poll_at else ""))
    lines.append(backups.status_line(ed.svc, ed.language))
    if settings.approval_minutes:
        default = ed.t(f"default_{settings.approval_default}")
        lines.append(ed.t("status_approval", minutes=settings.approval_minutes, default=default))
    else:
        lines.append(ed.t("status_approval_off"))
    latest = await editor_log.latest(ed.db, limit=1)
    if latest:
        lines.append(ed.t("status_last_action", entry=_log_line(ed, latest[0])))
    return lines


async def _outbox_line(ed: Editor) -> str:
    """The followers' notifications: waiting and sent, then only the kinds there are (HTML)."""
    counts = await outbox.status_counts(ed.db)
    waiting = sum(counts.get(status, 0) for status in ("pending", "claimed", "sending"))
    line = ed.t("status_outbox", waiting=waiting, sent=counts.get("sent", 0))
    others = {
        "capped": counts.get("capped", 0),
        "held": counts.get("held", 0),
        "failed": counts.get("failed", 0) + counts.get("expired", 0),
        "unconfirmed": counts.get("unconfirmed", 0),
    }
    return line + "".join(", " + ed.t(f"status_outbox_{kind}", count=n) for kind, n in others.items() if n)


async def _channel_line(ed: Editor) -> str:
    settings = ed.svc.settings
    if not settings.channel_id:
        return ed.t("status_no_channel")
    channel = escape(settings.channel_id)
    try:
        member = await ed.bot.get_chat_member(settings.channel_chat_id, ed.bot.id)
    except TelegramError:
        return ed.t("status_channel_error", channel=channel)
    if member.status in ("administrator", "creator"):
        return ed.t("status_channel_ok", channel=channel)
    return ed.t("status_channel_not_admin", channel=channel)


# ---- articles editors send -------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MIN_PASTED_CHARS = 200


def upload_refusal(ed: Editor, name: str, size: int | None) -> Reply | None:
    """Why a file an editor sent is not read at all (wrong kind, too big), or None to read it."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ARTICLE_SUFFIXES:
        return Reply(ed.t("send_file_types"))
    if (size or 0) > MAX_UPLOAD_BYTES:
        return Reply(ed.t("file_too_big", name=escape(name)))
    return None


async def import_upload(ed: Editor, name: str, raw: bytes) -> list[Reply]:
    """An editor's article file (.txt, .json, .jsonl, .html): imported, analysed, answered with what became of
    each article, then the channel post preview of the last one."""
    suffix = "." + name.rsplit(".", 1)[-1].lower()
    try:  # the size is checked on the bytes read, whatever Telegram said of the file
        parsed = parse_article_bytes(raw, suffix=suffix, source=f"telegram:{name}", max_bytes=MAX_UPLOAD_BYTES)
    except ArticleFileError as exc:
        return [Reply(ed.t("file_problem", name=escape(name), problem=file_problem(ed.language, str(exc))))]
    problems = [ed.t("file_problem", name=escape(name), problem=file_problem(ed.language, p)) for p in parsed.problems]
    if len(parsed.drafts) == 1 and not problems:
        return await _import_one(ed, parsed.drafts[0])
    return await _import_many(ed, parsed.drafts, problems, source=f"telegram:{name}")


async def import_pasted(ed: Editor, text: str) -> list[Reply]:
    """An editor's pasted article (title on the first line); short texts get a hint instead."""
    if len(text) < MIN_PASTED_CHARS:
        return [Reply(ed.t("paste_hint"))]
    try:
        draft = parse_article_text(text, source="telegram:pasted")
    except ArticleFileError as exc:
        return [Reply(file_problem(ed.language, str(exc)))]
    return await _import_one(ed, draft)


async def _import_one(ed: Editor, draft: ArticleDraft) -> list[Reply]:
    """One article in its own transaction (the analysis off the event loop): its id, what became of it, whether
    it is held for editors or stored without its analysis, and the channel post preview."""
    try:
        saved = await importer.save_article(ed.db, draft, now=ed.svc.clock())
    except importer.ArticleRejected as exc:
        return [
            Reply(ed.t("upload_rejected", title=_title(draft.title or "—", 80), problem=rejected(ed.language, exc)))
        ]
    if saved.outcome != "unchanged":
        await ed.record("import", article_id=saved.id)
    lines = [
        ed.t("imported_line", id=saved.id, outcome=ed.t(f"outcome_{saved.outcome}"), title=_title(draft.title, 150))
    ]
    article = await _article(ed, saved.id)
    if article.held_reason:
        lines.append(ed.t("upload_held", reason=ingest_review.hold_reason(ed.language, article.held_reason)))
    if saved.outcome != "unchanged" and await article_analysis.analysis_error(ed.db, saved.id):
        lines.append(ed.t("upload_analysis_failed", count=1))
    return [Reply("\n".join(lines)), await preview(ed, str(saved.id))]


async def _import_many(ed: Editor, drafts: list[ArticleDraft], problems: list[str], *, source: str) -> list[Reply]:
    """Many articles in one batch (importer.import_drafts: short transactions, each article reported once it is
    committed): a count, then each new or updated article, the records refused and why; the last one's preview."""
    checked, refused = [], []
    for draft in drafts:
        try:
            checked.append(importer.checked_draft(draft))
        except importer.ArticleRejected as exc:
            title = _title(draft.title or "—", 80)
            refused.append(ed.t("upload_rejected", title=title, problem=rejected(ed.language, exc)))
    changed: list[tuple[int, str, str]] = []

    def committed(article_id: int, outcome: str, title: str) -> None:
        changed.append((article_id, outcome, title))

    report, aborted = importer.ImportReport(), False
    try:
        await importer.import_drafts(ed.db, checked, report, source=source, on_change=committed, now=ed.svc.clock())
    except importer.ImportAborted:
        aborted = True  # what was committed before stays, and is listed
    await ed.record_each("import", [article_id for article_id, _, _ in changed])
    return await _import_report(ed, report, changed, [*problems, *refused], aborted)


async def _import_report(
    ed: Editor, report: importer.ImportReport, changed: list[tuple[int, str, str]], refused: list[str], aborted: bool
) -> list[Reply]:
    counts = {"new": report.imported, "updated": report.updated, "unchanged": report.unchanged}
    lines = [ed.t("upload_counts", **counts, refused=len(refused) + report.failed)]
    lines += [
        ed.t("imported_line", id=article_id, outcome=ed.t(f"outcome_{outcome}"), title=_title(title, 150))
        for article_id, outcome, title in changed
    ]
    if report.analysis_failed:
        lines.append(ed.t("upload_analysis_failed", count=report.analysis_failed))
    if report.failed:
        lines.append(ed.t("upload_not_stored", count=report.failed))
    if aborted:
        lines.append(ed.t("upload_aborted"))
    lines += ["⚠️ " + line for line in refused]
    replies = [Reply("\n".join(lines))]
    if changed:
        replies.append(await preview(ed, str(changed[-1][0])))
    return replies


def rejected(language: str, exc: importer.ArticleRejected) -> str:
    """Why the importer refused an article (English, for the log and the command line), in the editor's words."""
    reason = str(exc)
    if reason == "no title":
        return editor_text(language, "problem_no_title")
    if reason == "no body":
        return editor_text(language, "problem_no_article_text")
    if "URL" in reason:
        return editor_text(language, "problem_url")
    return editor_text(language, "problem_other")


_PROBLEMS = (
    (re.compile(r"cannot read"), "problem_unreadable"),
    (re.compile(r"too large"), "problem_too_large"),
    (re.compile(r"empty file|no records"), "problem_empty"),
    (re.compile(r"binary file"), "problem_binary"),
    (re.compile(r"no text"), "problem_no_text"),
    (re.compile(r"no article text"), "problem_not_article"),
    (re.compile(r"no body"), "problem_no_body"),
    (re.compile(r"invalid JSON"), "problem_json"),
    (re.compile(r"must be a JSON object"), "problem_record"),
)
_FIELD = re.compile(r"field '?(\w+)'?")
_FIELDS = ("title", "lead", "body", "url", "published_at", "views", "source")
_WHERE = re.compile(r"^(record|line) ([0-9]+): (.*)$", re.S)


def file_problem(language: str, message: str) -> str:
    """The importer's reason for a file or record (English, for the log and the CLI) in the editor's words."""
    first = message.split("; ")[0]
    where = _WHERE.match(first)
    if where:
        inner = file_problem(language, where[3])
        key = "problem_at_record" if where[1] == "record" else "problem_at_line"
        return editor_text(language, key, n=where[2], problem=inner)
    if field := _FIELD.search(first):
        name = field[1]
        word = editor_text(language, f"field_{name}") if name in _FIELDS else name
        return editor_text(language, "problem_field", word=escape(word), field=escape(name))
    for pattern, key in _PROBLEMS:
        if pattern.search(first):
            return editor_text(language, key)
    return editor_text(language, "problem_other")
