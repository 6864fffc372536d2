"""Editors' commands (ADMIN_IDS only): schedule, queue, cancel, post now, preview, status."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from html import escape

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import backups, importer, posting
from bot.article_files import ArticleFileError, parse_article_bytes, parse_article_text
from bot.handlers.common import argument_text, send
from bot.render import Reply, local_datetime, shorten
from bot.services import Services, services
from storage import articles, feed_state, posts

log = logging.getLogger(__name__)
NO_CHANNEL = "Арна берілмеген: .env файлында CHANNEL_ID жазыңыз (мысалы, @aikyn_kz), сосын ботты қайта қосыңыз."
_SCHEDULE = re.compile(r"#?(\d{1,19})\s+(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})")


def _who(update: Update) -> str:
    user = update.effective_user
    return f"{user.id} ({user.username or user.full_name})" if user else "?"


async def _article_id_or_reply(update: Update, value: str, usage: str) -> int | None:
    value = value.strip().lstrip("#№")
    if not re.fullmatch(r"\d{1,19}", value) or int(value) == 0:
        await send(update, Reply(f"Қолданылуы: <code>{escape(usage)}</code>"))
        return None
    return int(value)


async def schedule(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    if not svc.settings.channel_id:
        await send(update, Reply(NO_CHANNEL))
        return
    tz = svc.settings.timezone
    match = _SCHEDULE.fullmatch(argument_text(update).strip())
    if not match:
        await send(
            update, Reply(f"Қолданылуы: <code>/schedule &lt;id&gt; YYYY-MM-DD HH:MM</code> (уақыт: {escape(str(tz))})")
        )
        return
    article_id = int(match[1])
    try:
        local = datetime.strptime(f"{match[2]} {match[3]}", "%Y-%m-%d %H:%M").replace(tzinfo=tz)
    except ValueError:
        await send(update, Reply(f"Күн немесе уақыт қате: <code>{escape(match[2])} {escape(match[3])}</code>"))
        return
    now = svc.clock()
    if local <= now:
        await send(
            update,
            Reply(
                f"Бұл уақыт өтіп кетті: {local_datetime(local, tz)} ({escape(str(tz))}). "
                f"Қазір: {local_datetime(now, tz)}."
            ),
        )
        return
    article = await articles.get(svc.db, article_id)
    if article is None:
        await send(update, Reply(f"№{article_id} мақала табылмады."))
        return
    post_id = await posts.create(
        svc.db,
        article_id,
        local,
        "admin",
        created_by=update.effective_user.id if update.effective_user else None,
        now=now,
    )
    log.info("admin %s scheduled article %s for %s as post %s", _who(update), article_id, local.isoformat(), post_id)
    earlier = [p for p in await posts.of_article(svc.db, article_id) if p.status == "sent"]
    note = "\n⚠️ Бұл мақала арнаға бұрын жарияланған." if earlier else ""
    await send(
        update,
        Reply(
            f"✅ Пост №{post_id}: «{escape(shorten(article.title, 120))}»\n"
            f"{local:%Y-%m-%d %H:%M} ({escape(str(tz))}, UTC{local:%z}){note}"
        ),
    )


async def queue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    pending = await posts.queue(svc.db)
    if not pending:
        await send(update, Reply("Кезекте пост жоқ."))
        return
    lines = [
        f"<b>{p.id}</b> · {local_datetime(p.due_at, svc.settings.timezone)} · №{p.article_id} "
        f"{escape(shorten(p.article_title, 80))}" + (f" <i>({escape(p.last_error)})</i>" if p.last_error else "")
        for p in pending
    ]
    await send(update, Reply("<b>Кезек</b>\n" + "\n".join(lines)))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    value = argument_text(update).strip().lstrip("#№")
    if not re.fullmatch(r"\d{1,19}", value):
        await send(update, Reply("Қолданылуы: <code>/cancel &lt;пост нөмірі&gt;</code> (нөмірлер: /queue)"))
        return
    post_id = int(value)
    if await posts.cancel(svc.db, post_id):
        log.info("admin %s cancelled post %s", _who(update), post_id)
        await send(update, Reply(f"Пост №{post_id} тоқтатылды."))
        return
    post = await posts.get(svc.db, post_id)
    state = f"күйі: {post.status}" if post else "мұндай пост жоқ"
    await send(update, Reply(f"Пост №{post_id} тоқтатылмады ({state})."))


async def post_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    if not svc.settings.channel_id:
        await send(update, Reply(NO_CHANNEL))
        return
    article_id = await _article_id_or_reply(update, argument_text(update), "/postnow <id>")
    if article_id is None:
        return
    if await articles.get(svc.db, article_id) is None:
        await send(update, Reply(f"№{article_id} мақала табылмады."))
        return
    now = svc.clock()
    post_id = await posts.create(
        svc.db, article_id, now, "now", created_by=update.effective_user.id if update.effective_user else None, now=now
    )
    log.info("admin %s posts article %s now (post %s)", _who(update), article_id, post_id)
    outcomes = {o.post_id: o for o in await posting.send_due_posts(svc, context.bot)}
    outcome = outcomes.get(post_id or 0)
    if outcome is None or outcome.status == "sent":
        await send(update, Reply(f"✅ Пост №{post_id} арнаға жіберілді." if outcome else f"Пост №{post_id} кезекте."))
    else:
        await send(update, Reply(f"Пост №{post_id}: {outcome.status} — {escape(outcome.detail)}"))


async def preview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    article_id = await _article_id_or_reply(update, argument_text(update), "/preview <id>")
    if article_id is None:
        return
    reply = await posting.post_for_article(svc, article_id, context.bot.username)
    if reply is None:
        await send(update, Reply(f"№{article_id} мақала табылмады."))
        return
    log.info("admin %s previewed article %s", _who(update), article_id)
    await send(update, reply)


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    tz = svc.settings.timezone
    lines = ["<b>Күйі</b>"]
    if svc.settings.channel_id:
        try:
            member = await context.bot.get_chat_member(svc.settings.channel_chat_id, context.bot.id)
            can_post = member.status in ("administrator", "creator")
            lines.append(
                f"Арна {escape(svc.settings.channel_id)}: "
                + ("✅ қолжетімді" if can_post else f"⚠️ бот әкімші емес ({member.status})")
            )
        except TelegramError as exc:
            lines.append(f"Арна {escape(svc.settings.channel_id)}: ❌ {escape(exc.message)}")
    else:
        lines.append("Арна: CHANNEL_ID берілмеген")
    now = svc.clock()
    slot = next_slot(svc, now)
    lines.append("Келесі слот: " + (f"{local_datetime(slot, tz)}" if slot else "жоқ (POST_TIMES бос)"))
    due = await posts.next_due(svc.db)
    if due:
        lines.append(f"Келесі пост: {local_datetime(due, tz)}")
    counts = await posts.status_counts(svc.db)
    lines.append(
        f"Кезекте: {counts.get('pending', 0)}, жіберілді: {counts.get('sent', 0)}, "
        f"қате: {counts.get('failed', 0)}, өткізілді: {counts.get('missed', 0)}"
    )
    lines.append(f"Мақалалар: {await articles.count(svc.db)}")
    for feed in await feed_state.statuses(svc.db):
        when = local_datetime(feed.last_poll_at, tz) if feed.last_poll_at else "—"
        lines.append(f"Лента {escape(shorten(feed.url, 60))}: {when} — {escape(feed.line)}")
    lines.append(backups.status_line(svc))
    await send(update, Reply("\n".join(lines)))


def next_slot(svc: Services, now: datetime) -> datetime | None:
    """The next daily POST_TIMES slot after `now`, in the configured time zone."""
    tz = svc.settings.timezone
    local_now = now.astimezone(tz)
    for days in (0, 1):
        day = (local_now + timedelta(days=days)).date()
        for slot in svc.settings.post_times:
            moment = datetime.combine(day, slot, tzinfo=tz)
            if moment > local_now:
                return moment
    return None


ARTICLE_SUFFIXES = (".txt", ".json", ".jsonl")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MIN_PASTED_CHARS = 200


async def receive_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An editor's article file: imported, analysed, answered with its id, title and channel post preview."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    name = document.file_name or "article.txt"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ARTICLE_SUFFIXES:
        await send(update, Reply("Мақаланы .txt, .json немесе .jsonl файлымен жіберіңіз."))
        return
    if (document.file_size or 0) > MAX_UPLOAD_BYTES:
        await send(update, Reply(f"Файл тым үлкен (2 МБ-тан аспасын): {escape(name)}"))
        return
    telegram_file = await document.get_file()
    raw = bytes(await telegram_file.download_as_bytearray())
    try:
        parsed = parse_article_bytes(raw, suffix=suffix, source=f"telegram:{name}")
    except ArticleFileError as exc:
        await send(update, Reply(f"{escape(name)}: {escape(str(exc))}"))
        return
    await _import_and_preview(update, context, parsed.drafts, parsed.problems)


async def receive_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An editor's pasted article (title on the first line); short texts get the help instead."""
    message = update.effective_message
    assert message is not None
    text_value = message.text or ""
    if len(text_value) < MIN_PASTED_CHARS:
        await send(
            update,
            Reply(
                "Мақаланы импорттау үшін толық мәтінін (бірінші жолы — тақырып) немесе "
                ".txt/.json файлын жіберіңіз. Командалар: /help"
            ),
        )
        return
    try:
        draft = parse_article_text(text_value, source="telegram:pasted")
    except ArticleFileError as exc:
        await send(update, Reply(escape(str(exc))))
        return
    await _import_and_preview(update, context, [draft], [])


async def _import_and_preview(
    update: Update, context: ContextTypes.DEFAULT_TYPE, drafts: list, problems: list[str]
) -> None:
    svc = services(context)
    lines = []
    last_id = None
    for draft in drafts:
        saved = await importer.save_article(svc.db, draft, now=svc.clock())
        last_id = saved.id
        lines.append(f"№{saved.id} ({_OUTCOMES[saved.outcome]}): {escape(shorten(draft.title, 150))}")
        log.info("admin %s imported article %s (%s)", _who(update), saved.id, saved.outcome)
    lines += [f"⚠️ {escape(problem)}" for problem in problems[:5]]
    await send(update, Reply("\n".join(lines)))
    if last_id is not None:
        preview_reply = await posting.post_for_article(svc, last_id, context.bot.username)
        if preview_reply is not None:
            await send(update, preview_reply)


_OUTCOMES = {"imported": "жаңа", "updated": "жаңартылды", "unchanged": "өзгеріссіз"}


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.warning(
        "user %s tried an admin command: %s",
        _who(update),
        (update.effective_message.text or "")[:80] if update.effective_message else "",
    )
    await send(update, Reply("Бұл команда тек редакторларға арналған."))
