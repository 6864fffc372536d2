"""Editors' commands and buttons (ADMIN_IDS only): each parses the update, calls bot/editorial.py and replies."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import editorial
from bot.handlers.common import argument_text, language, send
from bot.i18n import editor_text
from bot.posting import keyboard
from bot.render import Reply
from bot.services import services

log = logging.getLogger(__name__)

Action = Callable[[Update, editorial.Editor], Awaitable[Reply | list[Reply]]]
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]

# Button data, one pattern per kind (registered in bot/handlers/registry.py): ASCII digits only (`\d` would take
# «١٢» too), to the very end (`$` would allow a newline after); numbers beyond 2^63 − 1 are refused by for_editors.
AGAIN_NOW = r"^again:n:([0-9]{1,19})\Z"
AGAIN_SCHEDULE = r"^again:s:([0-9]{1,19}):([0-9]{1,12})\Z"
KEEP = r"^keep\Z"
QUEUE_PAGE = r"^q:p:([0-9]{1,6})\Z"
QUEUE_ENTRY = r"^q:([vnmc]):([0-9]{1,19})\Z"
APPROVAL = r"^ap:([yno]):([0-9]{1,19}):([0-9]{1,19})\Z"
UPDATE_POST = r"^up:([0-9]{1,19})\Z"


def _who(update: Update) -> str:
    user = update.effective_user
    return f"{user.id} ({user.username or user.full_name})" if user else "?"


def for_editors(action: Action, *, edit_in_place: bool = False) -> Handler:
    """A handler running `action` for an editor: refuses anyone else (buttons cannot be filtered by user when
    registered), answers the button press, and sends (or, for paging and decisions, edits in) the reply."""

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        svc = services(context)
        user = update.effective_user
        if user is None or user.id not in svc.settings.admin_ids:
            await refuse(update, context)
            return
        ed = await editorial.enter(svc, context.bot, user.id, user.full_name, language(update, context))
        if update.callback_query is not None:
            if not _numbers_in_range(update.callback_query.data):  # a forged button: nothing is done
                await update.callback_query.answer(ed.t("stale"), show_alert=True)
                return
            await update.callback_query.answer()
        try:
            replies = await action(update, ed)
        except editorial.EditorMistake as exc:
            replies = Reply(str(exc))
        if edit_in_place and isinstance(replies, Reply) and await _edited(update, replies):
            return
        await send(update, replies)

    return handler


def _numbers_in_range(data: str | None) -> bool:
    """Whether every number in a button's data is one SQLite can hold (the patterns allow 19 digits)."""
    return all(int(number) <= editorial.MAX_ID for number in re.findall(r"[0-9]+", data or ""))


async def _edited(update: Update, reply: Reply) -> bool:
    """Show `reply` in the message whose button was pressed; False when it cannot be (then it is sent)."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message) or query.message.text is None:
        return False
    if query.message.text_html == reply.text and query.message.reply_markup == keyboard(reply):
        return True  # a double tap: nothing to change
    await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
    return True


def _data(update: Update, pattern: str) -> re.Match[str]:
    query = update.callback_query
    match = re.fullmatch(pattern, (query.data or "") if query else "")
    assert match is not None, "registered with this pattern"
    return match


# ---- commands -------------------------------------------------------------------------------------------------


async def _help(update: Update, ed: editorial.Editor) -> Reply:
    return editorial.help_reply(ed)


async def _schedule(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.schedule(ed, argument_text(update))


async def _queue(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.queue_page(ed)


async def _cancel(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.cancel(ed, argument_text(update))


async def _post_now(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.post_now(ed, argument_text(update))


async def _preview(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.preview(ed, argument_text(update))


async def _edit(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.edit_post(ed, argument_text(update))


async def _delete(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.delete_post(ed, argument_text(update))


async def _log(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.log_page(ed)


async def _status(update: Update, ed: editorial.Editor) -> Reply:
    return Reply("\n".join(await editorial.status_lines(ed)))


help_command = for_editors(_help)
schedule = for_editors(_schedule)
queue = for_editors(_queue)
cancel = for_editors(_cancel)
post_now = for_editors(_post_now)
preview = for_editors(_preview)
edit = for_editors(_edit)
delete = for_editors(_delete)
log_command = for_editors(_log)
status = for_editors(_status)


# ---- buttons ---------------------------------------------------------------------------------------------------


async def _again_now(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.post_now_anyway(ed, int(_data(update, AGAIN_NOW)[1]))


async def _again_schedule(update: Update, ed: editorial.Editor) -> Reply:
    match = _data(update, AGAIN_SCHEDULE)
    return await editorial.schedule_anyway(ed, int(match[1]), int(match[2]))


async def _keep(update: Update, ed: editorial.Editor) -> Reply:
    return editorial.kept(ed)


async def _queue_page(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.queue_page(ed, int(_data(update, QUEUE_PAGE)[1]))


_QUEUE_ACTIONS = {
    "v": editorial.preview_post,
    "n": editorial.send_queued_now,
    "m": editorial.move_to_next_slot,
    "c": editorial.cancel_post,
}


async def _queue_entry(update: Update, ed: editorial.Editor) -> Reply:
    match = _data(update, QUEUE_ENTRY)
    return await _QUEUE_ACTIONS[match[1]](ed, int(match[2]))


async def _approval(update: Update, ed: editorial.Editor) -> Reply | list[Reply]:
    match = _data(update, APPROVAL)
    post_id, article_id = int(match[2]), int(match[3])
    if match[1] == "o":
        return await editorial.another_article(ed, post_id, article_id)
    return await editorial.decide(ed, post_id, article_id, "publish" if match[1] == "y" else "skip")


async def _update_post(update: Update, ed: editorial.Editor) -> Reply:
    return await editorial.update_changed_post(ed, int(_data(update, UPDATE_POST)[1]))


again_now_button = for_editors(_again_now, edit_in_place=True)
again_schedule_button = for_editors(_again_schedule, edit_in_place=True)
keep_button = for_editors(_keep, edit_in_place=True)
queue_page_button = for_editors(_queue_page, edit_in_place=True)
queue_entry_button = for_editors(_queue_entry)
approval_button = for_editors(_approval, edit_in_place=True)
update_post_button = for_editors(_update_post)


# ---- articles editors send -----------------------------------------------------------------------------------


async def _document(update: Update, ed: editorial.Editor) -> list[Reply]:
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    name = document.file_name or "article.txt"
    refusal = editorial.upload_refusal(ed, name, document.file_size)
    if refusal is not None:
        return [refusal]
    telegram_file = await document.get_file()
    raw = bytes(await telegram_file.download_as_bytearray())
    log.info("editor %s sent the file %s", _who(update), name)
    return await editorial.import_upload(ed, name, raw)


async def _pasted(update: Update, ed: editorial.Editor) -> list[Reply]:
    message = update.effective_message
    assert message is not None
    return await editorial.import_pasted(ed, message.text or "")


receive_document = for_editors(_document)
receive_text = for_editors(_pasted)


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Someone who is not an editor tried an editor command or button: refused, nothing changes."""
    log.warning(
        "user %s tried an editor command or button: %s",
        _who(update),
        (update.effective_message.text or "")[:80] if update.effective_message and not update.callback_query else "",
    )
    lang = language(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(editor_text(lang, "only_editors_button"), show_alert=True)
        return
    await send(update, Reply(editor_text(lang, "only_editors")))
