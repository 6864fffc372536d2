"""`aikyn-bot check`: is this deployment ready to run? Settings, the database and its folder, backups, and
Telegram (the token, the channel and the bot's right to post there, every editor) — without starting the bot.

One line per check, `ok` or `FAIL` and why; the exit code is 1 when anything failed. Nothing printed contains the
token or the webhook secret.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError

from bot.backups import backups_in, human_size
from bot.config import Settings, SettingsError, load_settings
from storage import maintenance
from storage.migrations import LATEST_VERSION


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    ok: bool | None  # None: not checked, because something it needs failed
    detail: str


Report = Callable[[Outcome], None]


def check_command() -> int:
    """Run every check, printing each line as it is known; 0 when all passed."""
    outcomes: list[Outcome] = []
    secrets: list[str] = []

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        mark = {True: "ok", False: "FAIL", None: "--"}[outcome.ok]
        print(_redact(f"{mark:<4}  {outcome.name}: {outcome.detail}", secrets), flush=True)

    try:
        settings = load_settings()
    except SettingsError as exc:
        report(Outcome("settings", False, str(exc)))
    else:
        secrets += [s for s in (settings.bot_token, settings.webhook_secret) if s]
        run_checks(settings, report)
    failed = sum(1 for o in outcomes if o.ok is False)
    print(f"{failed} of {len(outcomes)} checks failed" if failed else f"all {len(outcomes)} checks passed")
    return 1 if failed else 0


def run_checks(settings: Settings, report: Report) -> None:
    report(_settings_outcome(settings))
    report(_folder_outcome("database folder", settings.database_path.parent))
    report(_database_outcome(settings.database_path))
    if settings.backup_dir is not None:
        report(_backups_outcome(settings))
    # httpx logs each request URL at INFO, and those carry the token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(_telegram_checks(settings, report))


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "<hidden>")
    return text


def _settings_outcome(settings: Settings) -> Outcome:
    required = {"BOT_TOKEN": settings.bot_token, "CHANNEL_ID": settings.channel_id, "ADMIN_IDS": settings.admin_ids}
    missing = [name for name, value in required.items() if not value]
    if missing:
        return Outcome("settings", False, f"{', '.join(missing)} not set (see .env.example)")
    # the host only: the webhook's path is best kept unguessable, like a secret
    host = urlsplit(settings.webhook_url).netloc
    mode = f"webhook at {host}, port {settings.webhook_port}" if settings.webhook_url else "polling"
    backups = f"backups in {settings.backup_dir}" if settings.backup_dir else "no BACKUP_DIR (no daily backups)"
    editors = len(settings.admin_ids)
    return Outcome(
        "settings", True, f"channel {settings.channel_id}, {editors} editor{'s' * (editors != 1)}, {mode}, {backups}"
    )


def _folder_outcome(name: str, folder: Path) -> Outcome:
    """A real write (a file created, written, flushed, deleted): permission bits alone say nothing to root, and
    nothing about a read-only mount or a full disk."""
    try:
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            return Outcome(name, False, f"{existing} is not a folder")
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".aikyn-check-") as probe:
            probe.write(b"aikyn-bot check\n")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return Outcome(name, False, f"{folder} is not writable ({exc.strerror or exc})")
    if existing != folder:
        return Outcome(name, True, f"{folder} does not exist yet; it will be created in {existing}, which is writable")
    return Outcome(name, True, f"{folder} is writable")


def _database_outcome(path: Path) -> Outcome:
    if not path.exists():
        return Outcome("database", True, f"{path} does not exist yet; the bot creates it at first start")
    try:
        os.close(os.open(path, os.O_RDWR))
        facts = maintenance.inspect(path, read_only=False)
    except (OSError, maintenance.DatabaseFileError) as exc:
        return Outcome("database", False, f"{path}: {getattr(exc, 'strerror', None) or exc}")
    if not facts.sound:
        return Outcome("database", False, f"{path} is damaged: {maintenance.describe_problems(facts)}")
    contents = f"articles {facts.articles or 0}, posts {facts.posts or 0}, {human_size(facts.size)}"
    version = facts.schema_version
    if version > LATEST_VERSION:
        return Outcome(
            "database", False, f"schema version {version} is newer than this bot knows ({LATEST_VERSION}); upgrade"
        )
    if version < LATEST_VERSION:
        return Outcome("database", True, f"integrity ok, {contents}; schema {version} is migrated to {LATEST_VERSION}")
    return Outcome("database", True, f"integrity ok, schema version {version}, {contents}")


def _backups_outcome(settings: Settings) -> Outcome:
    assert settings.backup_dir is not None
    folder = _folder_outcome("backups", settings.backup_dir)
    if not folder.ok:
        return folder
    found = backups_in(settings.backup_dir)
    newest = f"newest {found[0].path.name} ({human_size(found[0].size)})" if found else "none yet"
    return Outcome("backups", True, f"{folder.detail}; {newest}; keeping {settings.backup_keep}")


async def _telegram_checks(settings: Settings, report: Report) -> None:
    if not settings.bot_token:
        report(Outcome("telegram, channel and editors", None, "not checked: BOT_TOKEN is not set"))
        return
    bot = Bot(settings.bot_token, base_url=settings.telegram_api_url)
    try:
        reached = await _reach(bot, settings)
        report(reached)
        if not reached.ok:  # nothing else can be asked
            report(Outcome("channel and editors", None, "not checked: Telegram could not be asked"))
            return
        if settings.channel_id:
            report(await _channel_outcome(bot, settings))
        for editor in sorted(settings.admin_ids):
            report(await _editor_outcome(bot, editor))
    finally:
        await bot.shutdown()


async def _reach(bot: Bot, settings: Settings) -> Outcome:
    host = urlsplit(settings.telegram_api_url).netloc
    try:
        await bot.initialize()  # getMe
    except InvalidToken:  # its message quotes the token: never shown
        return Outcome(
            "telegram", False, f"{host} refused this token (401 Unauthorized): copy BOT_TOKEN again from @BotFather"
        )
    except NetworkError as exc:
        return Outcome("telegram", False, f"cannot reach {host}: {exc.message}")
    except TelegramError as exc:
        return Outcome("telegram", False, f"{host} answered getMe with an error: {exc.message}")
    return Outcome("telegram", True, f"{host} knows this token as @{bot.username} (id {bot.id})")


async def _channel_outcome(bot: Bot, settings: Settings) -> Outcome:
    name = f"channel {settings.channel_id}"
    try:
        chat = await bot.get_chat(settings.channel_chat_id)
        member = await bot.get_chat_member(chat.id, bot.id)
    except (BadRequest, Forbidden) as exc:
        return Outcome(name, False, f"Telegram says: {exc.message} (is CHANNEL_ID right, and the bot added to it?)")
    except TelegramError as exc:
        return Outcome(name, False, f"could not ask Telegram: {exc.message}")
    title = f"«{chat.title or chat.username or chat.id}»"
    if isinstance(member, ChatMemberOwner):
        return Outcome(name, True, f"{title}: the bot owns it")
    if not isinstance(member, ChatMemberAdministrator):
        status = member.status
        return Outcome(name, False, f"{title}: the bot is not an administrator (status: {status}); make it one")
    if chat.type == ChatType.CHANNEL and not member.can_post_messages:
        return Outcome(name, False, f"{title}: the bot is an administrator without the right to post messages")
    return Outcome(name, True, f"{title}: the bot is an administrator allowed to post")


async def _editor_outcome(bot: Bot, editor: int) -> Outcome:
    name = f"editor {editor}"
    try:
        chat = await bot.get_chat(editor)
    except (BadRequest, Forbidden) as exc:
        return Outcome(
            name,
            False,
            f"Telegram says: {exc.message}; the editor must open the bot and press Start (a bot can "
            "write only to people who started it), or the id in ADMIN_IDS is wrong",
        )
    except TelegramError as exc:
        return Outcome(name, False, f"could not ask Telegram: {exc.message}")
    if chat.type != ChatType.PRIVATE:
        return Outcome(name, False, f"is a {chat.type} chat, not a person")
    return Outcome(name, True, f"{chat.full_name or chat.username or 'known'}")
