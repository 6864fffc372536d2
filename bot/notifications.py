"""Telling followers about new articles: find new articles, queue one message per reader, send them.

One repeating job does it all, every NOTIFY_INTERVAL seconds. It finds new articles by id above a stored mark, so
articles another process wrote (`aikyn-bot import`) are noticed like those from feeds and editors. Every message is
a row in the outbox (storage/outbox.py) before it is sent, and each row is marked 'sending' (committed) just before
its request is made: after a crash a row that was 'sending' may have been delivered, so it is never sent again,
and a row that was only 'claimed' never left and is sent after the restart. See the README for the window left.

Sending shares the bot's budget: every message goes through PTB's rate limiter (SEND_RATE_LIMIT in all), this job
takes at most NOTIFY_SHARE of it so replies to readers are not starved, and it waits while a channel post is due.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time as monotonic_time
import warnings
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from html import escape

from aiolimiter import AsyncLimiter
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot.follow_keys import entity_match_keys
from bot.i18n import text
from bot.render import Button, Reply, shorten
from bot.services import Services, services
from bot.telegram_http import never_reached_telegram
from storage import articles, outbox
from storage.outbox import Notification

log = logging.getLogger(__name__)

JOB_NAME = "notify-followers"
STATE_KEY = "notifications"
FRESH_FOR = timedelta(days=3)  # older articles (an archive imported today) are not news
NOTIFY_SHARE = 0.8  # of SEND_RATE_LIMIT; the rest is left for replies to readers and channel posts
GROUP = 4  # requests made at once (the bot has 8 connections to the Bot API)
BATCH = 64
ROUND_SECONDS = 1.0
MATCH_BATCH = 50
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = (5, 30, 120, 600)
DIGEST_LINES = 20
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass
class DeliveryState:
    """What the job keeps between runs: its share of the sending budget, and a pause after a 429."""

    limiter: AsyncLimiter | None
    paused_until: float = 0.0


def start_notifications(app: Application) -> None:
    """Start the job (call after the database is open and recovered)."""
    svc = services(app)
    rate = svc.settings.send_rate_limit * NOTIFY_SHARE
    # one message every 1/rate s, not bursts of `rate` at once: Telegram counts messages in any second
    app.bot_data[STATE_KEY] = DeliveryState(AsyncLimiter(1, 1 / rate) if rate > 0 else None)
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    app.job_queue.run_once(notify_job, 0, name=JOB_NAME)


async def recover(svc: Services) -> None:
    """At start, before the job runs: rows a crash left half-way are settled (see outbox.recover_after_restart)."""
    await outbox.start_matching_after_stored(svc.db)
    released, unconfirmed = await outbox.recover_after_restart(svc.db)
    if released or unconfirmed:
        log.warning(
            "notifications after a restart: %s back in the queue, %s were being sent (not sent again)",
            released,
            unconfirmed,
        )


async def notify_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One round: match new articles, make due digests, send for at most ROUND_SECONDS. The job schedules its own
    next round: at once while work is left, else after NOTIFY_INTERVAL; so rounds never overlap, a fan-out to
    many readers never idles between rounds, and a stopping bot waits for one short round at most."""
    svc = services(context)
    more = False
    try:
        more = await _round(context, svc)
    finally:
        if context.application.running and context.job_queue is not None:
            context.job_queue.run_once(notify_job, 0 if more else svc.settings.notify_interval, name=JOB_NAME)


async def _round(context: ContextTypes.DEFAULT_TYPE, svc: Services) -> bool:
    """True when the round ran out of time with work left."""
    state: DeliveryState = context.application.bot_data[STATE_KEY]
    if not await outbox.work_waiting(svc.db, svc.clock(), digests_through=_digests_through(svc).isoformat()):
        return False
    deadline = monotonic_time.monotonic() + ROUND_SECONDS
    queued = await enqueue_new_articles(svc, deadline=deadline)
    digests = await make_due_digests(svc)
    outcomes = await deliver(svc, context.bot, state, deadline=deadline, running=lambda: context.application.running)
    if queued or digests or outcomes:
        log.info("followers: %s queued, %s digests, sent: %s", queued, digests, dict(outcomes))
    return monotonic_time.monotonic() >= deadline


# ---- matching -------------------------------------------------------------------------------------------------


async def enqueue_new_articles(svc: Services, *, deadline: float | None = None) -> int:
    """Queue messages for the articles stored since the last run; returns how many rows were made."""
    made = 0
    while deadline is None or monotonic_time.monotonic() < deadline:
        now = svc.clock()
        local_day = now.astimezone(svc.settings.timezone).date().isoformat()
        async with svc.db.transaction() as conn:
            after = await outbox.matched_up_to(conn)
            new = await outbox.articles_after(conn, after, limit=MATCH_BATCH)
            if not new:
                break
            words: dict[int, list[str]] = defaultdict(list)
            for key in await outbox.followed_word_keys(conn):
                for article_id in await outbox.articles_matching_words(conn, key, after=after, up_to=new[-1].id):
                    words[article_id].append(key)
            for article in new:
                if article.shown_at < now - FRESH_FOR:
                    continue
                found = await outbox.entity_keys_of(conn, article.id)
                keys = list(dict.fromkeys(k for key, kind in found for k in entity_match_keys(key, kind)))
                count = await outbox.enqueue_for_article(
                    conn,
                    article.id,
                    entity_keys=keys,
                    word_keys=words[article.id],
                    local_day=local_day,
                    now=now,
                    daily_cap=svc.settings.notify_daily_cap,
                )
                if count:
                    log.info("article %s: %s followers to tell", article.id, count)
                made += count
            await outbox.set_matched_up_to(conn, new[-1].id)
        if len(new) < MATCH_BATCH:
            break
    return made


async def make_due_digests(svc: Services) -> int:
    """A digest per reader of what went over their daily cap, once the day's digest time has come."""
    today = svc.clock().astimezone(svc.settings.timezone).date()
    return await outbox.make_digests(
        svc.db, through_day=_digests_through(svc).isoformat(), local_day=today.isoformat(), now=svc.clock()
    )


def _digests_through(svc: Services) -> date:
    """The last day whose capped rows are due in a digest: today once its digest time has come, else yesterday."""
    local_now = svc.clock().astimezone(svc.settings.timezone)
    today = local_now.date()
    return today if local_now.time() >= svc.settings.notify_digest_time else today - timedelta(days=1)


# ---- sending --------------------------------------------------------------------------------------------------


async def deliver(
    svc: Services, bot: Bot, state: DeliveryState, *, deadline: float, running: Callable[[], bool] = lambda: True
) -> Counter[str]:
    """Send due rows until none is left, `deadline` (monotonic) passes or the bot stops; a due channel post goes
    first."""
    outcomes: Counter[str] = Counter()
    while monotonic_time.monotonic() < deadline and running():
        if monotonic_time.monotonic() < state.paused_until:
            break
        if await outbox.channel_post_due(svc.db, svc.clock()):
            break
        batch = await outbox.claim(svc.db, svc.clock(), limit=BATCH)
        if not batch:
            break
        await _send_batch(svc, bot, state, batch, outcomes)
    return outcomes


async def _send_batch(
    svc: Services, bot: Bot, state: DeliveryState, batch: list[Notification], outcomes: Counter[str]
) -> None:
    """Send a claimed batch GROUP rows at a time: each group ready to go, marked 'sending' in one commit, then its
    requests made at once."""
    waiting = deque(batch)
    sent: list[tuple[int, int]] = []
    try:
        while waiting and monotonic_time.monotonic() >= state.paused_until:
            group = [waiting.popleft() for _ in range(min(GROUP, len(waiting)))]
            ready = await _ready(svc, bot, group, outcomes)
            if not ready:
                continue
            if state.limiter is not None:
                for _ in ready:
                    await state.limiter.acquire()
            await outbox.mark_sending(svc.db, [n.id for n, _ in ready])
            results = await asyncio.gather(
                *(_send_one(svc, bot, state, n, reply) for n, reply in ready), return_exceptions=True
            )
            for (notification, _), result in zip(ready, results, strict=True):
                outcome, message_id = await _settle(svc, notification, result)
                outcomes[outcome] += 1
                if message_id is not None:
                    sent.append((notification.id, message_id))
    finally:
        await outbox.mark_sent(svc.db, sent, svc.clock())
        # left over after a 429 paused sending: never on the wire, so back to the queue as they were
        await outbox.release(svc.db, [n.id for n in waiting], next_attempt_at=None, error=None)


async def _ready(
    svc: Services, bot: Bot, group: list[Notification], outcomes: Counter[str]
) -> list[tuple[Notification, Reply]]:
    """The group's messages rendered (a row whose article is gone fails here, before anything is sent)."""
    ready = []
    for notification in group:
        reply = await render_notification(svc, notification, bot.username)
        if reply is None:
            await outbox.mark_final(svc.db, notification.id, "failed", "the article no longer exists")
            outcomes["failed"] += 1
        else:
            ready.append((notification, reply))
    return ready


async def _settle(
    svc: Services, notification: Notification, result: tuple[str, int | None] | BaseException
) -> tuple[str, int | None]:
    if isinstance(result, tuple):
        return result
    if not isinstance(result, Exception):
        raise result
    log.error("notification %s: unexpected error", notification.id, exc_info=result)  # a bug: the row fails
    await outbox.mark_final(svc.db, notification.id, "failed", f"{type(result).__name__}: {result}")
    return "failed", None


async def _send_one(
    svc: Services, bot: Bot, state: DeliveryState, notification: Notification, reply: Reply
) -> tuple[str, int | None]:
    """One request (its row already marked 'sending'); what Telegram answered is recorded here, except success,
    which the batch records for all its rows at once."""
    try:
        message = await bot.send_message(
            notification.user_id, reply.text, reply_markup=_markup(reply), link_preview_options=_NO_PREVIEW
        )
    except RetryAfter as exc:
        wait = _retry_after_seconds(exc)
        state.paused_until = max(state.paused_until, monotonic_time.monotonic() + wait)
        await outbox.release(
            svc.db, [notification.id], next_attempt_at=svc.clock() + timedelta(seconds=wait), error=exc.message
        )
        return "retry", None
    except Forbidden as exc:  # the reader blocked the bot: paused until they come back with /start
        await outbox.hold_reader(svc.db, notification.user_id, notification.id, svc.clock(), exc.message)
        return "held", None
    except BadRequest as exc:
        await outbox.mark_final(svc.db, notification.id, "failed", exc.message)
        return "failed", None
    except TelegramError as exc:
        return await _after_transport_error(svc, notification, exc), None
    return "sent", message.message_id


async def _after_transport_error(svc: Services, notification: Notification, exc: TelegramError) -> str:
    """A request that failed on the way: tried again only if it surely did not reach Telegram."""
    error = f"{type(exc).__name__}: {exc.message}"
    if not never_reached_telegram(exc):
        await outbox.mark_final(svc.db, notification.id, "unconfirmed", error)
        log.warning("notification %s may or may not have arrived (not sent again): %s", notification.id, error)
        return "unconfirmed"
    attempts = notification.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        await outbox.mark_final(svc.db, notification.id, "failed", f"gave up after {attempts}: {error}")
        return "failed"
    backoff = BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)]
    await outbox.release(
        svc.db, [notification.id], next_attempt_at=svc.clock() + timedelta(seconds=backoff), error=error
    )
    return "retry"


def _retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# ---- what the reader receives -----------------------------------------------------------------------------------


async def render_notification(svc: Services, notification: Notification, bot_username: str) -> Reply | None:
    """The message for one outbox row (None when its article is gone)."""
    if notification.kind == "digest":
        return await _render_digest(svc, notification, bot_username)
    assert notification.article_id is not None
    article = await articles.get(svc.db, notification.article_id)
    if article is None:
        return None
    language = notification.language
    labels = list(dict.fromkeys(notification.reason.split(outbox.REASON_SEPARATOR)))
    body = _article_body(
        article.title, first_sentence(article.summary or article.lead or article.body), ", ".join(labels), language
    )
    first_row = [Button(text(language, "notify_read"), data=f"a:{article.id}")]
    if article.url:
        first_row.append(Button(text(language, "on_site"), url=article.url))
    rows = [first_row]
    if notification.subscription_id is not None:
        label = text(language, "unfollow_button", label=shorten(labels[0], 40))
        rows.append([Button(label, data=f"uf:{notification.subscription_id}")])
    return Reply(body, rows)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def first_sentence(summary: str) -> str:
    """The one-line summary of a notification: the summary's first sentence."""
    return _SENTENCE_END.split(summary.strip(), maxsplit=1)[0]


@lru_cache(maxsize=256)
def _article_body(title: str, summary: str, reasons: str, language: str) -> str:
    """A fan-out sends the same text to every follower: made once."""
    reason = text(language, "notify_reason", reason=escape(shorten(reasons, 200)))
    return f"🔔 <b>{escape(shorten(title, 300))}</b>\n{escape(shorten(summary, 250))}\n\n<i>{reason}</i>"


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Built here, not through posting.keyboard's cache: every follower's unfollow button is their own, and
    100,000 of them would push the readers' hot keyboards out of that cache."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row] for row in reply.buttons]
    )


async def _render_digest(svc: Services, notification: Notification, bot_username: str) -> Reply | None:
    listed, total = await outbox.digest_articles(svc.db, notification.id, limit=DIGEST_LINES)
    if not listed:
        return None
    language = notification.language
    lines = [
        f'• <a href="https://t.me/{bot_username}?start=article_{article_id}">{escape(shorten(title, 150))}</a>'
        for article_id, title in listed
    ]
    if total > len(listed):
        lines.append(text(language, "digest_more", count=total - len(listed)))
    cap = svc.settings.notify_daily_cap
    note = text(language, "digest_note", cap=cap)
    return Reply(f"{text(language, 'digest_title', count=total)}\n\n" + "\n".join(lines) + f"\n\n<i>{note}</i>")
