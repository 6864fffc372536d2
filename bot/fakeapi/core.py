"""The fake Bot API's behaviour: answers like Telegram, rejects what Telegram rejects, records every call."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.fakeapi.html_check import check_html
from bot.fakeapi.inline_check import InlineAnswerRejected, check_inline_answer

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
_JSON_FIELDS = {
    "results",
    "button",
    "reply_markup",
    "entities",
    "caption_entities",
    "allowed_updates",
    "commands",
    "scope",
    "link_preview_options",
    "reply_parameters",
    "media",
}
_COMMAND_SCOPES = {
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
}
BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Aikyn",
    "username": "aikyn_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,  # enabled with /setinline at @BotFather, as the README says
}


@dataclass(frozen=True, slots=True)
class RecordedCall:
    method: str
    params: dict[str, Any]
    status: int
    at: float


@dataclass(slots=True)
class _Failure:
    method: str
    chat_id: str | None
    status: int
    description: str
    retry_after: int | None
    remaining: int


@dataclass(slots=True)
class Message:
    message_id: int
    chat_id: int | str
    text: str
    reply_markup: dict[str, Any] | None
    is_caption: bool = False
    edited: bool = False
    date: float = field(default_factory=time.time)


@dataclass
class FakeBotApi:
    """In-memory Telegram: chats, messages, pending updates, injected failures, and a log of calls."""

    bot_user: dict[str, Any] = field(default_factory=lambda: dict(BOT_USER))
    calls: list[RecordedCall] = field(default_factory=list)
    messages: dict[tuple[str, int], Message] = field(default_factory=dict)
    channel_admin: bool = True
    # Overrides the bot's channel status that channel_admin gives (administrator / left): e.g. "member", a plain
    # subscriber that may not post; and whether the bot as an administrator has the right to post.
    channel_member_status: str | None = None
    channel_can_post_messages: bool = True
    # Users who never started the bot: Telegram answers getChat (and sendMessage) for them with "chat not found".
    unknown_chats: set[int] = field(default_factory=set)
    # the channel administrator right to delete any message; without it only messages under 48 hours old go
    can_delete_messages: bool = True
    latency: float = 0.0  # seconds each answer (other than getUpdates) takes, like a distant server
    ok_counts: Counter[str] = field(default_factory=Counter)
    files: dict[str, bytes] = field(default_factory=dict)
    blocked_by: set[int] = field(default_factory=set)  # users who blocked the bot: sending to them is a 403
    inline_answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # inline query id → accepted answer
    _inline_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _failures: list[_Failure] = field(default_factory=list)
    _changed: asyncio.Condition | None = None
    _poll_generation: int = 0

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    # ---- what tests and the console do -------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 429,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next `times` calls of `method` (to `chat_id`, if given) fail like Telegram would."""
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after or 1}",
                403: "Forbidden: bot is not a member of the channel chat",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, "Bad Request")
        if status == 429 and retry_after is None:
            retry_after = 1
        self._failures.append(
            _Failure(method, None if chat_id is None else str(chat_id), status, description, retry_after, times)
        )

    def add_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    def user_message(
        self,
        text: str,
        *,
        user_id: int = 100,
        chat_type: str = "private",
        language: str = "kk",
        chat_id: int | None = None,
        first_name: str = "Оқырман",
        edited: bool = False,
    ) -> dict[str, Any]:
        """An update carrying a user's text message (commands get their bot_command entity)."""
        chat = {"id": chat_id if chat_id is not None else user_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "Топ"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language},
            "text": text,
        }
        command = re.match(r"/[A-Za-z0-9_]+(?:@\w+)?", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command.group(0))}]
        if edited:
            message["edit_date"] = int(time.time())
        return {"edited_message" if edited else "message": message}

    def user_sticker(self, *, user_id: int = 100, language: str = "kk") -> dict[str, Any]:
        update = self.user_message("x", user_id=user_id, language=language)
        message = update["message"]
        del message["text"]
        message["sticker"] = {
            "file_id": "CAACAgI",
            "file_unique_id": "AgAD",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return update

    def user_photo(self, *, user_id: int = 100, language: str = "kk", caption: str | None = None) -> dict[str, Any]:
        update = self.user_message("x", user_id=user_id, language=language)
        message = update["message"]
        del message["text"]
        message["photo"] = [{"file_id": "AgACAgI", "file_unique_id": "AQAD", "width": 90, "height": 90}]
        if caption:
            message["caption"] = caption
        return update

    def user_document(
        self, content: bytes, file_name: str, *, user_id: int = 100, language: str = "kk"
    ) -> dict[str, Any]:
        """An update carrying a file the user sent; the fake keeps its bytes for getFile and the download."""
        update = self.user_message("x", user_id=user_id, language=language)
        message = update["message"]
        del message["text"]
        file_id = f"BQACAgI{len(self.files) + 1}"
        self.files[file_id] = content
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"AgAD{len(self.files)}",
            "file_name": file_name,
            "file_size": len(content),
            "mime_type": "text/plain",
        }
        return update

    def file_content(self, path: str) -> bytes | None:
        """Bytes behind a file_path that getFile returned (documents/<file_id>)."""
        return self.files.get(path.rsplit("/", 1)[-1])

    def button_press(self, message: Message, data: str, *, user_id: int = 100, language: str = "kk") -> dict[str, Any]:
        """An update for a press on an inline button of a message the bot sent."""
        return {
            "callback_query": {
                "id": str(next(self._update_ids) * 7919),
                "chat_instance": "ci",
                "from": {"id": user_id, "is_bot": False, "first_name": "Оқырман", "language_code": language},
                "message": {
                    "message_id": message.message_id,
                    "date": int(time.time()),
                    "chat": {"id": message.chat_id, "type": "private", "first_name": "Оқырман"},
                    "from": self.bot_user,
                    "text": message.text,
                },
                "data": data,
            }
        }

    def inline_query(
        self, query: str, *, offset: str = "", user_id: int = 100, language: str = "kk", chat_type: str = "sender"
    ) -> dict[str, Any]:
        """An update for a user typing `@bot <query>` in some chat (the bot must answer it by its id)."""
        query_id = str(next(self._update_ids) * 7919 + 1)
        inline = {
            "id": query_id,
            "from": {"id": user_id, "is_bot": False, "first_name": "Оқырман", "language_code": language},
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        self._inline_queries[query_id] = inline
        return {"inline_query": inline}

    def chosen_inline_result(self, result_id: str, query: str, *, user_id: int = 100) -> dict[str, Any]:
        """An update telling the bot which inline result a user sent (needs /setinlinefeedback at @BotFather)."""
        return {
            "chosen_inline_result": {
                "result_id": result_id,
                "from": {"id": user_id, "is_bot": False, "first_name": "Оқырман"},
                "query": query,
            }
        }

    def sent(
        self, method: str = "sendMessage", *, chat_id: int | str | None = None, ok_only: bool = True
    ) -> list[RecordedCall]:
        return [
            c
            for c in self.calls
            if c.method == method
            and (not ok_only or c.status == 200)
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        """Wait, at most `timeout` seconds, until `predicate()` is truthy; return its value."""
        condition = self._condition()
        async with condition:
            try:
                await asyncio.wait_for(condition.wait_for(predicate), timeout)
            except TimeoutError:
                raise AssertionError(
                    f"timed out after {timeout}s; calls so far: {[(c.method, c.status) for c in self.calls][-15:]}"
                ) from None
        return predicate()

    async def _notify(self) -> None:
        condition = self._condition()
        async with condition:
            condition.notify_all()

    # ---- the API ------------------------------------------------------------------------------------

    async def handle(self, method: str, raw_params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, JSON body)."""
        params = {k: self._decode(k, v) for k, v in raw_params.items()}
        if self.latency and method != "getUpdates":
            await asyncio.sleep(self.latency)
        status, body = await self._answer(method, params)
        self.calls.append(RecordedCall(method, params, status, time.monotonic()))
        if status == 200:
            self.ok_counts[method] += 1
        await self._notify()
        return status, body

    @staticmethod
    def _decode(key: str, value: Any) -> Any:
        if isinstance(value, str) and key in _JSON_FIELDS:
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def _injected_failure(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        for failure in self._failures:
            if (
                failure.method == method
                and failure.remaining > 0
                and (failure.chat_id is None or failure.chat_id == str(params.get("chat_id")))
            ):
                failure.remaining -= 1
                body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
                if failure.retry_after is not None:
                    body["parameters"] = {"retry_after": failure.retry_after}
                return failure.status, body
        return None

    async def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        injected = self._injected_failure(method, params)
        if injected:
            return injected
        handler = getattr(self, "_api_" + method, None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        try:
            result = await handler(params)
        except _Rejected as exc:
            return exc.status, {"ok": False, "error_code": exc.status, "description": exc.description}
        return 200, {"ok": True, "result": result}

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # Like Telegram, a newer getUpdates ends a waiting older one with 409 Conflict.
        self._poll_generation += 1
        generation = self._poll_generation
        await self._notify()
        if not self._updates:
            timeout = min(float(params.get("timeout") or 0), 2.0)
            condition = self._condition()
            async with condition:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        condition.wait_for(lambda: bool(self._updates) or self._poll_generation != generation), timeout
                    )
        if self._poll_generation != generation:
            raise _Rejected(
                409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
            )
        limit = int(params.get("limit") or 100)
        return self._updates[:limit]

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise _Rejected(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = str(params.get("secret_token") or "")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise _Rejected(400, "Bad Request: secret token contains unallowed characters")
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands") or []
        scope = params.get("scope") or {"type": "default"}
        if scope.get("type") not in _COMMAND_SCOPES:
            raise _Rejected(400, "Bad Request: wrong parameter scope")
        if scope["type"] in ("chat", "chat_administrators", "chat_member") and not scope.get("chat_id"):
            raise _Rejected(400, "Bad Request: chat_id is empty")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise _Rejected(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise _Rejected(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        return True

    async def _api_getChat(self, params: dict[str, Any]) -> Any:
        chat_id = params["chat_id"]
        common = {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(
                ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"),
                False,
            ),
        }
        if str(chat_id).startswith("@") or str(chat_id).startswith("-100"):
            return {"id": _channel_numeric_id(chat_id), "type": "channel", "title": "Aikyn", **common}
        if int(chat_id) in self.unknown_chats:
            raise _Rejected(400, "Bad Request: chat not found")
        return {"id": int(chat_id), "type": "private", "first_name": "Оқырман", **common}

    def _channel_status(self) -> str:
        if self.channel_member_status is not None:
            return self.channel_member_status
        return "administrator" if self.channel_admin else "left"

    async def _api_getChatMember(self, params: dict[str, Any]) -> Any:
        status = self._channel_status()
        member: dict[str, Any] = {"status": status, "user": self.bot_user}
        if status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": False,
                    "can_restrict_members": False,
                    "can_promote_members": False,
                    "can_change_info": False,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_post_messages": self.channel_can_post_messages,
                }
            )
        return member

    def _check_chat(self, params: dict[str, Any]) -> int | str:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _Rejected(400, "Bad Request: chat_id is empty")
        text = str(chat_id)
        if text.startswith("@") or text.startswith("-100"):
            status = self._channel_status()
            if status in ("left", "kicked"):
                raise _Rejected(403, "Forbidden: bot is not a member of the channel chat")
            if status != "creator" and (status != "administrator" or not self.channel_can_post_messages):
                raise _Rejected(400, "Bad Request: need administrator rights in the channel chat")
            return text
        if not re.fullmatch(r"-?\d+", text) or int(text) in self.unknown_chats:
            raise _Rejected(400, "Bad Request: chat not found")
        if int(text) in self.blocked_by:
            raise _Rejected(403, "Forbidden: bot was blocked by the user")
        return int(text)

    def _check_text(self, text: Any, parse_mode: Any, limit: int, *, what: str = "message text") -> str:
        if not isinstance(text, str) or not text.strip():
            raise _Rejected(400, f"Bad Request: {what} is empty")
        plain = text
        if parse_mode == "HTML":
            error, plain = check_html(text)
            if error:
                raise _Rejected(400, f"Bad Request: {error}")
        elif parse_mode not in (None, ""):
            raise _Rejected(400, f"Bad Request: unsupported parse_mode {parse_mode!r} in this fake")
        if not plain.strip():
            raise _Rejected(400, f"Bad Request: {what} is empty")
        if len(plain.encode("utf-16-le")) // 2 > limit:
            raise _Rejected(
                400,
                "Bad Request: message is too long"
                if limit == MESSAGE_LIMIT
                else "Bad Request: message caption is too long",
            )
        return text

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if markup in (None, ""):
            return None
        if not isinstance(markup, dict):
            raise _Rejected(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise _Rejected(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                kinds = [
                    k
                    for k in ("url", "callback_data", "switch_inline_query", "login_url", "pay", "web_app", "copy_text")
                    if k in button
                ]
                if len(kinds) != 1:
                    raise _Rejected(
                        400,
                        "Bad Request: can't parse inline keyboard button: exactly one of the "
                        "optional fields must be used",
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                    raise _Rejected(400, "Bad Request: BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not re.match(r"(https?|tg)://\S+$", url):
                    raise _Rejected(400, "Bad Request: inline keyboard button URL is invalid")
        return markup

    def _store(self, chat_id: int | str, text: str, markup: dict[str, Any] | None, *, caption: bool = False) -> Message:
        message = Message(next(self._message_ids), chat_id, text, markup, is_caption=caption)
        self.messages[(str(chat_id), message.message_id)] = message
        return message

    def _message_json(self, message: Message) -> dict[str, Any]:
        chat_id = message.chat_id
        is_channel = isinstance(chat_id, str)
        chat: dict[str, Any] = (
            {
                "id": -1001234567890 if str(chat_id).startswith("@") else int(chat_id),
                "type": "channel",
                "title": "Aikyn",
            }
            if is_channel
            else {"id": chat_id, "type": "private", "first_name": "Оқырман"}
        )
        _, plain = check_html(message.text)
        body: dict[str, Any] = {"message_id": message.message_id, "date": int(time.time()), "chat": chat}
        if not is_channel:
            body["from"] = self.bot_user
        body["caption" if message.is_caption else "text"] = plain
        if message.is_caption:
            body["photo"] = [{"file_id": "AgACAgI", "file_unique_id": "AQAD", "width": 800, "height": 600}]
        if message.reply_markup:
            body["reply_markup"] = message.reply_markup
        return body

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._check_chat(params)
        text = self._check_text(params.get("text"), params.get("parse_mode"), MESSAGE_LIMIT)
        markup = self._check_markup(params.get("reply_markup"))
        return self._message_json(self._store(chat_id, text, markup))

    async def _api_sendPhoto(self, params: dict[str, Any]) -> Any:
        chat_id = self._check_chat(params)
        caption = params.get("caption") or ""
        if caption:
            self._check_text(caption, params.get("parse_mode"), CAPTION_LIMIT, what="caption")
        if not params.get("photo"):
            raise _Rejected(400, "Bad Request: there is no photo in the request")
        markup = self._check_markup(params.get("reply_markup"))
        return self._message_json(self._store(chat_id, caption or " ", markup, caption=True))

    def _message_to_edit(self, params: dict[str, Any]) -> Message:
        chat_id = self._check_chat(params)
        message = self.messages.get((str(chat_id), int(params.get("message_id") or 0)))
        if message is None:
            raise _Rejected(400, "Bad Request: message to edit not found")
        return message

    @staticmethod
    def _not_modified() -> _Rejected:
        return _Rejected(
            400,
            "Bad Request: message is not modified: specified new message content and reply "
            "markup are exactly the same as a current content and reply markup of the message",
        )

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        message = self._message_to_edit(params)
        if message.is_caption:
            raise _Rejected(400, "Bad Request: there is no text in the message to edit")
        text = self._check_text(params.get("text"), params.get("parse_mode"), MESSAGE_LIMIT)
        markup = self._check_markup(params.get("reply_markup"))
        if message.text == text and message.reply_markup == markup:
            raise self._not_modified()
        message.text, message.reply_markup, message.edited = text, markup, True
        return self._message_json(message)

    async def _api_editMessageCaption(self, params: dict[str, Any]) -> Any:
        message = self._message_to_edit(params)
        if not message.is_caption:
            raise _Rejected(400, "Bad Request: there is no caption in the message to edit")
        caption = params.get("caption") or ""
        if caption:
            self._check_text(caption, params.get("parse_mode"), CAPTION_LIMIT, what="caption")
        markup = self._check_markup(params.get("reply_markup"))
        if message.text == (caption or " ") and message.reply_markup == markup:
            raise self._not_modified()
        message.text, message.reply_markup, message.edited = caption or " ", markup, True
        return self._message_json(message)

    def age_message(self, chat_id: int | str, message_id: int, seconds: float) -> None:
        """Make a stored message `seconds` older (Telegram lets bots delete only recent ones without the right)."""
        self.messages[(str(chat_id), message_id)].date -= seconds

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        if not params.get("callback_query_id"):
            raise _Rejected(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text") or "") > 200:
            raise _Rejected(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _api_answerInlineQuery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("inline_query_id") or "")
        if query_id not in self._inline_queries or query_id in self.inline_answers:
            raise _Rejected(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        results = params.get("results")
        if not isinstance(results, list):
            raise _Rejected(400, "Bad Request: can't parse inline query results JSON object")
        try:
            texts = check_inline_answer(results, params.get("next_offset"), params.get("cache_time"))
        except InlineAnswerRejected as exc:
            raise _Rejected(400, f"Bad Request: {exc}") from None
        for text, parse_mode in texts:
            self._check_text(text, parse_mode, MESSAGE_LIMIT)
        for result in results:
            self._check_markup(result.get("reply_markup"))
        self.inline_answers[query_id] = {"results": results, "next_offset": params.get("next_offset") or ""}
        return True

    async def _api_deleteMessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._check_chat(params)
        key = (str(chat_id), int(params.get("message_id") or 0))
        message = self.messages.get(key)
        if message is None:
            raise _Rejected(400, "Bad Request: message to delete not found")
        in_channel = isinstance(chat_id, str)
        if in_channel and not self.can_delete_messages and time.time() - message.date > 48 * 3600:
            raise _Rejected(400, "Bad Request: message can't be deleted")
        del self.messages[key]
        return True

    async def _api_getFile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id") or "")
        if file_id not in self.files:
            raise _Rejected(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": "AgAD" + file_id[-4:],
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    async def _api_close(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_logOut(self, params: dict[str, Any]) -> Any:
        return True


class _Rejected(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _channel_numeric_id(chat_id: int | str) -> int:
    """The channel's numeric id: the fake has one channel, whatever @name it is called by."""
    return -1001234567890 if str(chat_id).startswith("@") else int(chat_id)
