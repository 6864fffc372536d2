"""Which update goes to which handler: the whole table on one screen.

PTB tries handlers in order and the first whose filter matches wins, so readers' commands come first (the most
asked first: every handler tried costs each update a check), editors' commands only for ADMIN_IDS (anyone else gets
a refusal), then buttons, then editors' uploads, then whatever is left (edits, unknown commands, non-text, group
commands).
"""

from __future__ import annotations

from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import ingest_review
from bot.config import Settings
from bot.handlers import browse_buttons as browse
from bot.handlers import editor_commands as editor
from bot.handlers import follow_commands as follow
from bot.handlers import held_buttons as held
from bot.handlers import inline_mode
from bot.handlers import reader_commands as reader

PRIVATE = filters.ChatType.PRIVATE
# Only new messages run commands: an edited «/postnow 2» or a business message must not post again.
NEW_PRIVATE_MESSAGE = PRIVATE & filters.UpdateType.MESSAGE

READER_COMMANDS = {
    "latest": reader.latest,
    "article": reader.article,
    "search": reader.search,
    "quotes": reader.quotes,
    "related": reader.related,
    "events": reader.events,
    "start": reader.start,
    "help": reader.help_command,
    "follow": follow.follow,
    "following": follow.following_list,
    "unfollow": follow.unfollow,
    "lang": reader.set_language,
}
# In the order of the editors' command menu.
EDITOR_COMMANDS = {
    "queue": editor.queue,
    "schedule": editor.schedule,
    "postnow": editor.post_now,
    "preview": editor.preview,
    "edit": editor.edit,
    "delete": editor.delete,
    "cancel": editor.cancel,
    "status": editor.status,
    "log": editor.log_command,
}
# Editors' buttons check the user themselves: a callback query cannot be filtered by user when registered.
EDITOR_BUTTONS = [
    (editor.AGAIN_NOW, editor.again_now_button),
    (editor.AGAIN_SCHEDULE, editor.again_schedule_button),
    (editor.KEEP, editor.keep_button),
    (editor.QUEUE_PAGE, editor.queue_page_button),
    (editor.QUEUE_ENTRY, editor.queue_entry_button),
    (editor.APPROVAL, editor.approval_button),
    (editor.UPDATE_POST, editor.update_post_button),
]


def handlers(settings: Settings) -> list[BaseHandler]:
    editors = NEW_PRIVATE_MESSAGE & filters.User(user_id=list(settings.admin_ids))
    return [
        CommandHandler("help", editor.help_command, filters=editors),  # editors' /help lists their commands too
        *(CommandHandler(name, callback, filters=NEW_PRIVATE_MESSAGE) for name, callback in READER_COMMANDS.items()),
        *(CommandHandler(name, callback, filters=editors) for name, callback in EDITOR_COMMANDS.items()),
        CommandHandler(list(EDITOR_COMMANDS), editor.refuse, filters=NEW_PRIVATE_MESSAGE),
        CallbackQueryHandler(reader.open_article_button, pattern=reader.OPEN_ARTICLE),
        CallbackQueryHandler(reader.latest_page_button, pattern=reader.LATEST_PAGE),
        CallbackQueryHandler(reader.related_button, pattern=reader.RELATED),
        CallbackQueryHandler(reader.search_page_button, pattern=reader.SEARCH_PAGE),
        CallbackQueryHandler(held.publish_button, pattern=ingest_review.PUBLISH),
        CallbackQueryHandler(held.drop_button, pattern=ingest_review.DROP),
        *(CallbackQueryHandler(callback, pattern=pattern) for pattern, callback in EDITOR_BUTTONS),
        CallbackQueryHandler(follow.follow_entity_button, pattern=follow.FOLLOW_ENTITY),
        CallbackQueryHandler(follow.follow_surname_button, pattern=follow.FOLLOW_SURNAME),
        CallbackQueryHandler(follow.unfollow_button, pattern=follow.UNFOLLOW),
        CallbackQueryHandler(follow.unfollow_in_list_button, pattern=follow.UNFOLLOW_IN_LIST),
        CallbackQueryHandler(browse.latest_quotes_button, pattern=browse.LATEST_QUOTES_PAGE),
        CallbackQueryHandler(browse.person_quotes_button, pattern=browse.PERSON_QUOTES_PAGE),
        CallbackQueryHandler(reader.stale_button),
        InlineQueryHandler(inline_mode.inline_query),
        ChosenInlineResultHandler(inline_mode.chosen_result),
        MessageHandler(editors & filters.Document.ALL, editor.receive_document),
        MessageHandler(editors & filters.TEXT & ~filters.COMMAND, editor.receive_text),
        MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, reader.edited),
        MessageHandler(NEW_PRIVATE_MESSAGE & filters.COMMAND, reader.unknown_command),
        MessageHandler(filters.COMMAND & filters.ChatType.GROUPS, reader.group_command),
        MessageHandler(NEW_PRIVATE_MESSAGE & ~filters.TEXT, reader.not_text),
        MessageHandler(NEW_PRIVATE_MESSAGE & filters.TEXT, reader.help_command),
    ]


def register_handlers(app: Application, settings: Settings) -> None:
    app.add_handlers(handlers(settings))
    # beside /start, not instead of it: a reader who had blocked the bot is sent notifications again
    app.add_handler(CommandHandler("start", follow.came_back, filters=NEW_PRIVATE_MESSAGE), group=-1)
