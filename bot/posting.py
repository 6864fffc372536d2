"""Channel posting: daily slots, admin schedules, and sending each due post exactly once.

The database is the truth and the job queue only the clock: every post is a row; a repeating job claims
due rows (status 'sending') in a transaction before calling Telegram and records the message id after.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.post_format import render_post
from bot.render import Button, Reply
from bot.services import Services
from storage import article_analysis, articles, posts

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (5, 15, 60, 180, 600)
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


async def post_for_article(svc: Services, article_id: int, bot_username: str) -> Reply | None:
    """The exact channel post for an article (what /preview shows and the channel receives)."""
    article = await articles.get(svc.db, article_id)
    if article is None:
        return None
    quotes = await article_analysis.quotes_of_article(svc.db, article_id)
    entities = await article_analysis.entities_of_article(svc.db, article_id)
    return render_post(article, quotes, entities, bot_username)


def recent_slots(post_times: tuple[time, ...], tz: ZoneInfo, now: datetime, grace: timedelta) -> list[datetime]:
    """The daily slots whose time passed at most `grace` ago: a bot started just after a slot still fills it."""
    local_today = now.astimezone(tz).date()
    passed = (
        datetime.combine(day, slot, tzinfo=tz)
        for slot in post_times
        for day in (local_today - timedelta(days=1), local_today)
    )
    return sorted(at.astimezone(UTC) for at in passed if now - grace <= at <= now)


async def create_slot_post(svc: Services, slot_at: datetime) -> int | None:
    """At a daily slot: queue the newest fresh article not yet posted (None when there is none)."""
    candidate = await articles.newest_not_posted(svc.db, since=svc.clock() - FRESH_FOR)
    if candidate is None:
        log.info("slot %s: no new article to post", slot_at.isoformat())
        return None
    post_id = await posts.create(svc.db, candidate.id, slot_at, "slot", created_by=None, now=svc.clock())
    if post_id is None:
        log.info("slot %s already has its post", slot_at.isoformat())
    else:
        log.info("slot %s: article %s queued as post %s", slot_at.isoformat(), candidate.id, post_id)
    return post_id


@dataclass(frozen=True, slots=True)
class SendOutcome:
    post_id: int
    status: str
    detail: str = ""


async def send_due_posts(svc: Services, bot: Bot) -> list[SendOutcome]:
    """Send every post that is due; failures are recorded on the post, never raised."""
    outcomes = []
    for post in await posts.claim_due(svc.db, svc.clock()):
        try:
            outcomes.append(await _send_claimed(svc, bot, post))
        except Exception as exc:  # a bug must not leave the post claimed forever
            log.exception("post %s: unexpected error while sending", post.id)
            outcomes.append(await _retry_or_fail(svc, post, f"{type(exc).__name__}: {exc}", 60))
    return outcomes


def _retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _send_claimed(svc: Services, bot: Bot, post: posts.Post) -> SendOutcome:
    reply = await post_for_article(svc, post.article_id, bot.username)
    if reply is None:
        await posts.mark_failed(svc.db, post.id, "article no longer exists")
        return SendOutcome(post.id, "failed", "article no longer exists")
    try:
        message = await bot.send_message(
            svc.settings.channel_chat_id, reply.text, reply_markup=keyboard(reply), link_preview_options=preview(reply)
        )
    except RetryAfter as exc:
        wait = _retry_after_seconds(exc)
        return await _retry_or_fail(svc, post, f"429 Too Many Requests: retry after {wait:g} s", wait)
    except (Forbidden, BadRequest) as exc:
        await posts.mark_failed(svc.db, post.id, f"{type(exc).__name__}: {exc.message}")
        log.error("post %s failed for good: %s", post.id, exc.message)
        return SendOutcome(post.id, "failed", exc.message)
    except (TimedOut, NetworkError) as exc:
        backoff = BACKOFF_SECONDS[min(post.attempts - 1, len(BACKOFF_SECONDS) - 1)]
        return await _retry_or_fail(svc, post, f"{type(exc).__name__}: {exc.message}", backoff)
    except TelegramError as exc:
        await posts.mark_failed(svc.db, post.id, f"{type(exc).__name__}: {exc.message}")
        return SendOutcome(post.id, "failed", exc.message)
    await posts.mark_sent(svc.db, post.id, message.message_id, svc.clock())
    log.info("post %s (article %s) sent to the channel as message %s", post.id, post.article_id, message.message_id)
    return SendOutcome(post.id, "sent")


async def _retry_or_fail(svc: Services, post: posts.Post, error: str, wait_seconds: float) -> SendOutcome:
    if post.attempts >= MAX_ATTEMPTS:
        await posts.mark_failed(svc.db, post.id, f"gave up after {post.attempts} attempts; last: {error}")
        log.error("post %s failed after %s attempts: %s", post.id, post.attempts, error)
        return SendOutcome(post.id, "failed", error)
    await posts.mark_retry(svc.db, post.id, svc.clock() + timedelta(seconds=wait_seconds), error)
    log.warning("post %s will be retried in %.0f s: %s", post.id, wait_seconds, error)
    return SendOutcome(post.id, "retry", error)
