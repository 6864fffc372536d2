"""Channel posting: daily slots, admin schedules, and sending each due post exactly once; editing and deleting a
post in the channel.

The database is the truth and the job queue only the clock: every post is a row. Posts are claimed one at a
time (status 'sending') in a transaction before calling Telegram, so a crash leaves at most that one in doubt.
Once Telegram accepted a post, only its recording is retried, never the send.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache, partial
from typing import Literal
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.post_format import render_post
from bot.render import CAPTION_LIMIT, MESSAGE_LIMIT, Button, Reply
from bot.services import Services
from storage import article_analysis, articles, posts
from storage.posts import FailReason

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (5, 15, 60, 180, 600)
# Waits between tries to record a post Telegram accepted (a bulk import may hold SQLite's write lock).
RECORD_WAITS = (0.2, 0.5, 1.0, 2.0, 4.0)
FRESH_FOR = timedelta(days=3)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return _markup(tuple(tuple(row) for row in reply.buttons))


@lru_cache(maxsize=1024)
def _markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """PTB's keyboard objects are immutable and slow to build; a burst of readers gets the same few keyboards."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row] for row in rows]
    )


_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def preview(reply: Reply) -> LinkPreviewOptions:
    if reply.preview_url:
        return LinkPreviewOptions(
            is_disabled=False, url=reply.preview_url, prefer_large_media=True, show_above_text=True
        )
    return _NO_PREVIEW


async def post_for_article(
    svc: Services, article_id: int, bot_username: str, *, limit: int = MESSAGE_LIMIT
) -> Reply | None:
    """The exact channel post for an article as stored now (what /preview shows and the channel receives)."""
    article = await articles.get(svc.db, article_id)
    if article is None:
        return None
    quotes = await article_analysis.quotes_of_article(svc.db, article_id)
    entities = await article_analysis.entities_of_article(svc.db, article_id)
    return render_post(article, quotes, entities, bot_username, limit=limit)


def recent_slots(post_times: tuple[time, ...], tz: ZoneInfo, now: datetime, grace: timedelta) -> list[datetime]:
    """The daily slots whose time passed at most `grace` ago: a bot started just after a slot still fills it."""
    local_today = now.astimezone(tz).date()
    passed = (
        datetime.combine(day, slot, tzinfo=tz)
        for slot in post_times
        for day in (local_today - timedelta(days=1), local_today)
    )
    return sorted(at.astimezone(UTC) for at in passed if now - grace <= at <= now)


def next_slot(post_times: tuple[time, ...], tz: ZoneInfo, after: datetime) -> datetime | None:
    """The first daily slot strictly after `after`, in `tz` (None without POST_TIMES)."""
    local = after.astimezone(tz)
    for days in (0, 1):
        day = (local + timedelta(days=days)).date()
        for slot in post_times:
            moment = datetime.combine(day, slot, tzinfo=tz)
            if moment > local:
                return moment
    return None


async def create_slot_post(svc: Services, slot_at: datetime, *, awaiting_approval: bool = False) -> int | None:
    """For a daily slot: queue the newest fresh article no post holds (None when there is none, or the slot
    already has its post, or an editor moved a post into it)."""
    if await posts.pending_at(svc.db, slot_at):
        log.info("slot %s: an editor put a post there already", slot_at.isoformat())
        return None
    candidate = await posts.slot_candidate(svc.db, since=svc.clock() - FRESH_FOR)
    if candidate is None:
        log.info("slot %s: no new article to post", slot_at.isoformat())
        return None
    post_id = await posts.create(
        svc.db, candidate, slot_at, "slot", created_by=None, now=svc.clock(), awaiting_approval=awaiting_approval
    )
    if post_id is None:
        log.info("slot %s already has its post", slot_at.isoformat())
    else:
        log.info("slot %s: article %s queued as post %s", slot_at.isoformat(), candidate, post_id)
    return post_id


@dataclass(frozen=True, slots=True)
class SendOutcome:
    post_id: int
    status: Literal["sent", "retry", "failed"]
    detail: str = ""
    reason: FailReason | None = None
    retry_in: float | None = None  # seconds until the post is tried again


@dataclass(slots=True)
class SendRound:
    """What one round of sending did, and when the next one should run (None: at the usual interval)."""

    outcomes: list[SendOutcome] = field(default_factory=list)
    again_in: float | None = None


async def send_due_posts(svc: Services, bot: Bot) -> SendRound:
    """Send due posts one at a time until none is due, Telegram asks to wait, or the channel's minute is full;
    failures are recorded on the post, never raised."""
    result = SendRound()
    await _record_accepted_posts(svc)
    while True:
        wait = svc.channel_window.wait_seconds()
        if wait > 0:
            result.again_in = wait
            return result
        outcome = await send_one(svc, bot)
        if outcome is None:
            return result
        result.outcomes.append(outcome)
        if outcome.retry_in is not None:
            result.again_in = outcome.retry_in
            return result


async def send_one(svc: Services, bot: Bot) -> SendOutcome | None:
    """Claim and send the next due post; None when none is due or the channel's minute is full."""
    async with svc.channel_window.lock:
        if svc.channel_window.wait_seconds() > 0:
            return None
        post = await posts.claim_next(svc.db, svc.clock())
        if post is None:
            return None
        return await _send_claimed(svc, bot, post)


async def send_now(
    svc: Services, bot: Bot, make_due: Callable[[], Awaitable[int | None]]
) -> tuple[int | None, SendOutcome | None]:
    """Make a post due (create it, or move it to now) and send it at once: under the sending lock, so no round
    in between takes it. The outcome is None when the channel's minute is full (the post waits in the queue)."""
    async with svc.channel_window.lock:
        post_id = await make_due()
        if post_id is None or svc.channel_window.wait_seconds() > 0:
            return post_id, None
        post = await posts.claim_next(svc.db, svc.clock(), post_id=post_id)
        return post_id, (await _send_claimed(svc, bot, post, told_here=True) if post is not None else None)


def channel_wait(svc: Services) -> float:
    """Seconds until the channel may take another post (0 now)."""
    return svc.channel_window.wait_seconds()


def _retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _send_claimed(svc: Services, bot: Bot, post: posts.Post, *, told_here: bool = False) -> SendOutcome:
    """Send one claimed post. With `told_here`, a failure is recorded as told (the caller tells the editor), so
    a round does not report it again."""
    fail = partial(_fail, told_here=told_here)
    try:
        reply = await post_for_article(svc, post.article_id, bot.username)
        if reply is None:
            return await fail(svc, post, "article_gone", "article no longer exists")
        message = await bot.send_message(
            svc.settings.channel_chat_id, reply.text, reply_markup=keyboard(reply), link_preview_options=preview(reply)
        )
    except RetryAfter as exc:
        wait = _retry_after_seconds(exc)
        return await _retry_or_fail(
            svc, post, f"429 Too Many Requests: retry after {wait:g} s", wait, told_here=told_here
        )
    except Forbidden as exc:
        return await fail(svc, post, "forbidden", f"Forbidden: {exc.message}")
    except BadRequest as exc:
        reason: FailReason = "no_channel" if "chat not found" in exc.message.lower() else "rejected"
        return await fail(svc, post, reason, f"BadRequest: {exc.message}")
    except (TimedOut, NetworkError) as exc:
        backoff = BACKOFF_SECONDS[min(post.attempts - 1, len(BACKOFF_SECONDS) - 1)]
        return await _retry_or_fail(svc, post, f"{type(exc).__name__}: {exc.message}", backoff, told_here=told_here)
    except TelegramError as exc:
        return await fail(svc, post, "rejected", f"{type(exc).__name__}: {exc.message}")
    except Exception as exc:  # a bug must not leave the post claimed forever; nothing reached Telegram
        log.exception("post %s: unexpected error before Telegram accepted it", post.id)
        return await _retry_or_fail(
            svc, post, f"{type(exc).__name__}: {exc}", 60, reason="unexpected", told_here=told_here
        )
    svc.channel_window.note_accepted()
    await _record_sent(svc, post.id, message.message_id, reply.text)
    log.info("post %s (article %s) sent to the channel as message %s", post.id, post.article_id, message.message_id)
    return SendOutcome(post.id, "sent")


async def _record_sent(svc: Services, post_id: int, message_id: int, text: str) -> None:
    """Telegram accepted the post: record it, retrying the bookkeeping and never the send. If it still cannot
    be recorded, the row stays 'sending' (never sent again) and the next round records it."""
    for wait in (*RECORD_WAITS, None):
        try:
            await posts.mark_sent(svc.db, post_id, message_id, svc.clock(), text)
        except Exception as exc:
            if wait is None:
                svc.unrecorded[post_id] = (message_id, text)
                log.error(
                    "post %s is in the channel as message %s but could not be recorded (%s); it stays 'sending',"
                    " is never sent again, and is recorded at the next round",
                    post_id,
                    message_id,
                    exc,
                )
                return
            log.warning("post %s: recording the sent post failed (%s); trying again in %g s", post_id, exc, wait)
            await asyncio.sleep(wait)
        else:
            svc.unrecorded.pop(post_id, None)
            return


async def _record_accepted_posts(svc: Services) -> None:
    for post_id, (message_id, text) in list(svc.unrecorded.items()):
        try:
            await posts.mark_sent(svc.db, post_id, message_id, svc.clock(), text)
        except Exception as exc:
            log.warning("post %s: recording the sent post failed again (%s); next round", post_id, exc)
        else:
            del svc.unrecorded[post_id]
            log.info("post %s: recorded as sent (message %s)", post_id, message_id)


async def _fail(
    svc: Services, post: posts.Post, reason: FailReason, error: str, *, told_here: bool = False
) -> SendOutcome:
    await posts.mark_failed(svc.db, post.id, reason, error, reported_at=svc.clock() if told_here else None)
    log.error("post %s failed for good (%s): %s", post.id, reason, error)
    return SendOutcome(post.id, "failed", error, reason)


async def _retry_or_fail(
    svc: Services,
    post: posts.Post,
    error: str,
    wait_seconds: float,
    *,
    reason: FailReason = "gave_up",
    told_here: bool = False,
) -> SendOutcome:
    if post.attempts >= MAX_ATTEMPTS:
        error = f"gave up after {post.attempts} attempts; last: {error}"
        return await _fail(svc, post, reason, error, told_here=told_here)
    await posts.mark_retry(svc.db, post.id, svc.clock() + timedelta(seconds=wait_seconds), error)
    log.warning(
        "post %s: %s; sending again in %g s (attempt %s of %s)",
        post.id,
        error,
        wait_seconds,
        post.attempts + 1,
        MAX_ATTEMPTS,
    )
    return SendOutcome(post.id, "retry", error, retry_in=wait_seconds)


# ---- correcting and deleting a post in the channel --------------------------------------------------------

ChannelAnswer = Literal[
    "done", "not_modified", "not_found", "cant", "no_rights", "try_later", "unreachable", "article_gone"
]


@dataclass(frozen=True, slots=True)
class ChannelResult:
    answer: ChannelAnswer
    wait_seconds: float = 0.0


async def edit_in_channel(svc: Services, bot: Bot, post: posts.Post) -> ChannelResult:
    """Render the post again from the article as stored now and edit its channel message: the text, or the
    caption when the message is a photo (Telegram says which when the recorded kind is wrong)."""
    assert post.message_id is not None
    for as_caption in (post.sent_as_caption, not post.sent_as_caption):
        limit = CAPTION_LIMIT if as_caption else MESSAGE_LIMIT
        reply = await post_for_article(svc, post.article_id, bot.username, limit=limit)
        if reply is None:
            return ChannelResult("article_gone")
        try:
            await _edit(svc, bot, post.message_id, reply, as_caption=as_caption)
        except BadRequest as exc:
            message = exc.message.lower()
            if "no text in the message" in message or "no caption in the message" in message:
                continue
            if "not modified" in message:
                await posts.record_edit(svc.db, post.id, reply.text, as_caption=as_caption)
                return ChannelResult("not_modified")
            return _refusal(exc, post.id, "edit")
        except TelegramError as exc:
            return _refusal(exc, post.id, "edit")
        await posts.record_edit(svc.db, post.id, reply.text, as_caption=as_caption)
        log.info("post %s: channel message %s edited", post.id, post.message_id)
        return ChannelResult("done")
    return ChannelResult("cant")


async def _edit(svc: Services, bot: Bot, message_id: int, reply: Reply, *, as_caption: bool) -> None:
    chat_id = svc.settings.channel_chat_id
    if as_caption:
        await bot.edit_message_caption(chat_id, message_id, caption=reply.text, reply_markup=keyboard(reply))
    else:
        await bot.edit_message_text(
            reply.text, chat_id, message_id, reply_markup=keyboard(reply), link_preview_options=preview(reply)
        )


async def delete_in_channel(svc: Services, bot: Bot, post: posts.Post) -> ChannelResult:
    """Delete the post's channel message; "not_found" when it is already gone."""
    assert post.message_id is not None
    try:
        await bot.delete_message(svc.settings.channel_chat_id, post.message_id)
    except TelegramError as exc:
        return _refusal(exc, post.id, "delete")
    log.info("post %s: channel message %s deleted", post.id, post.message_id)
    return ChannelResult("done")


def _refusal(exc: TelegramError, post_id: int, action: str) -> ChannelResult:
    """Telegram's answer to an edit or a delete, as what editors are told."""
    log.warning("post %s: %s in the channel refused: %s", post_id, action, exc.message)
    message = exc.message.lower()
    if isinstance(exc, RetryAfter):
        return ChannelResult("try_later", _retry_after_seconds(exc))
    if isinstance(exc, Forbidden) or "not enough rights" in message or "chat not found" in message:
        return ChannelResult("no_rights")
    if "not found" in message:
        return ChannelResult("not_found")
    if isinstance(exc, BadRequest):
        return ChannelResult("cant")
    return ChannelResult("unreachable")
