"""The command menu (setMyCommands): readers' commands in private chats; each editor's own chat (a chat scope)
also shows the editors' commands, in the editor's language."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScope, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import COMMAND_DESCRIPTIONS, EDITOR_COMMAND_DESCRIPTIONS

log = logging.getLogger(__name__)


def _commands(language: str, *, editor: bool) -> list[BotCommand]:
    menus = [COMMAND_DESCRIPTIONS[language], *([EDITOR_COMMAND_DESCRIPTIONS[language]] if editor else [])]
    return [BotCommand(name, description) for menu in menus for name, description in menu.items()]


async def _set(bot: Bot, commands: list[BotCommand], scope: BotCommandScope, language: str | None) -> None:
    try:
        await bot.set_my_commands(commands, scope=scope, language_code=language)
    except TelegramError as exc:
        log.warning("could not register commands (%s): %s", language or "default", exc.message)


async def register_menus(bot: Bot, editors: dict[int, str | None]) -> None:
    """At start: the readers' menu (Kazakh; Russian for a Russian Telegram), and each editor's (editor id →
    the language they last wrote in, None when not known yet)."""
    for language in (None, "kk", "ru"):
        await _set(bot, _commands(language or "kk", editor=False), BotCommandScopeAllPrivateChats(), language)
    for editor_id, language in sorted(editors.items()):
        await set_editor_menu(bot, editor_id, language)


async def set_editor_menu(bot: Bot, editor_id: int, language: str | None) -> None:
    """One editor's menu: in their language once known (also for a Russian Telegram, which would otherwise
    show the Russian one), else Kazakh with Russian for a Russian Telegram."""
    scope = BotCommandScopeChat(editor_id)
    await _set(bot, _commands(language or "kk", editor=True), scope, None)
    await _set(bot, _commands(language or "ru", editor=True), scope, "ru")
