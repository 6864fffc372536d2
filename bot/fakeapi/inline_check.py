"""answerInlineQuery checked the way Telegram checks it: result types and their required fields, ids of 1-64
bytes and unique, at most 50 results, message texts within limits, next_offset of at most 64 bytes."""

from __future__ import annotations

import re
from typing import Any

MAX_RESULTS = 50
MAX_ID_BYTES = 64
MAX_OFFSET_BYTES = 64
MESSAGE_LIMIT = 4096

# Required fields of each result type besides type and id (Bot API 9.x); a cached variant names a file id instead.
_REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("title",), ("input_message_content",)),
    "photo": (("photo_url", "photo_file_id"),),
    "gif": (("gif_url", "gif_file_id"),),
    "mpeg4_gif": (("mpeg4_url", "mpeg4_file_id"),),
    "video": (("video_url", "video_file_id"), ("title",)),
    "audio": (("audio_url", "audio_file_id"),),
    "voice": (("voice_url", "voice_file_id"),),
    "document": (("document_url", "document_file_id"), ("title",)),
    "location": (("latitude",), ("longitude",), ("title",)),
    "venue": (("latitude",), ("longitude",), ("title",), ("address",)),
    "contact": (("phone_number",), ("first_name",)),
    "game": (("game_short_name",),),
    "sticker": (("sticker_file_id",),),
}
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*$")


class InlineAnswerRejected(Exception):
    """What Telegram answers with 400 for this answerInlineQuery (the text after «Bad Request: »)."""


def check_inline_answer(results: list[Any], next_offset: Any, cache_time: Any) -> list[tuple[str, Any]]:
    """Raise InlineAnswerRejected for anything Telegram would refuse; return the message texts (with their parse
    modes) the results would send, for the caller's text checks."""
    if len(results) > MAX_RESULTS:
        raise InlineAnswerRejected("RESULTS_TOO_MUCH")
    if next_offset is not None and len(str(next_offset).encode()) > MAX_OFFSET_BYTES:
        raise InlineAnswerRejected("NEXT_OFFSET_INVALID")
    if cache_time is not None and (not isinstance(cache_time, int) or cache_time < 0):
        raise InlineAnswerRejected("CACHE_TIME_INVALID")
    seen: set[str] = set()
    texts: list[tuple[str, Any]] = []
    for result in results:
        if not isinstance(result, dict):
            raise InlineAnswerRejected("can't parse inline query result")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= MAX_ID_BYTES:
            raise InlineAnswerRejected("RESULT_ID_INVALID")
        if result_id in seen:
            raise InlineAnswerRejected("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        _check_fields(result)
        content = result.get("input_message_content")
        if content is not None:
            texts.append(_message_text(content))
    return texts


def _check_fields(result: dict[str, Any]) -> None:
    kind = result.get("type")
    if kind not in _REQUIRED:
        raise InlineAnswerRejected("RESULT_TYPE_INVALID")
    for alternatives in _REQUIRED[kind]:
        if not any(result.get(name) not in (None, "") for name in alternatives):
            raise InlineAnswerRejected(f'can\'t parse InlineQueryResult: field "{alternatives[0]}" is required')
    for url_field in ("thumbnail_url", "url", "photo_url"):
        value = result.get(url_field)
        if value is not None and not _URL.match(str(value)):
            raise InlineAnswerRejected(f"{url_field.upper()}_INVALID")


def _message_text(content: Any) -> tuple[str, Any]:
    if not isinstance(content, dict) or "message_text" not in content:
        raise InlineAnswerRejected("can't parse input message content")
    text = content.get("message_text")
    if not isinstance(text, str) or not text.strip():
        raise InlineAnswerRejected("MESSAGE_EMPTY")
    return text, content.get("parse_mode")
