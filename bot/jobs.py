"""The bot's clockwork: sending due channel posts, filling daily slots, asking editors to approve them, polling
feeds; and telling editors what they need to know, each in their own language.

The job queue is only the clock: every decision is made from the database, so a restart loses nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot import backups, editorial, feeds, ingest_review, posting
from bot.i18n import LANGUAGES
from bot.services import services

log = logging.getLogger(__name__)

SEND_JOB = "send-due-posts"
SEND_AGAIN_JOB = "send-due-posts-again"
FEED_JOB = "poll-feeds"
BACKUP_JOB = "daily-backup"
HELD_JOB = "tell-editors-of-held-articles"
HELD_INTERVAL = 60.0
# A retry is run this long after Telegram's retry_after (or the channel's minute) ends, never before.
AFTER_WAIT = 0.05


def schedule_jobs(app: Application) -> None:
    svc = services(app)
    job_queue = app.job_queue
    assert job_queue is not None, "install python-telegram-bot[job-queue]"
    job_queue.run_repeating(send_due_posts_job, interval=svc.send_interval, first=0, name=SEND_JOB)
    tz = svc.settings.timezone
    for slot in svc.settings.post_times:
        job_queue.run_daily(daily_slot_job, time=slot.replace(tzinfo=tz), name=f"slot-{slot:%H:%M}", data=slot)
        if svc.settings.approval_minutes:
            ask = datetime.combine(datetime(2000, 1, 2).date(), slot) - timedelta(minutes=svc.settings.approval_minutes)
            job_queue.run_daily(
                approval_job, time=ask.time().replace(tzinfo=tz), name=f"approval-{slot:%H:%M}", data=slot
            )
    if svc.settings.feed_urls:
        job_queue.run_repeating(poll_feeds_job, interval=svc.settings.feed_interval * 60, first=1, name=FEED_JOB)
    if svc.settings.backup_dir is not None:
        job_queue.run_repeating(
            daily_backup_job,
            interval=backups.BACKUP_CHECK_SECONDS,
            first=backups.BACKUP_FIRST_CHECK_SECONDS,
            name=BACKUP_JOB,
        )
    # held articles come from feeds and from `aikyn-bot import` of saved pages alike: told of on their own clock
    job_queue.run_repeating(held_articles_job, interval=HELD_INTERVAL, first=2, name=HELD_JOB)


async def poll_feeds_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    assert svc.fetcher is not None
    # a corrected article whose post is in the channel is told to editors by the send round (editorial), with a
    # button to update the post, whichever process stored the correction
    reports = await feeds.poll_all(svc.db, svc.fetcher, svc.settings.feed_urls, svc.clock())
    if any(r.held_ids for r in reports):
        await held_articles_job(context)


async def held_articles_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell editors of articles held for them (a preview and buttons), once each."""
    svc = services(context)
    article_ids, notices = await ingest_review.held_to_announce(svc)
    for notice in notices:
        await tell_each_editor(context.application, notice)
    await ingest_review.announced(svc, article_ids)


async def send_due_posts_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_round(context.application)


async def send_round(app: Application) -> None:
    """Apply approval defaults, send what is due, and tell editors about failures (once each, whatever sent
    the post) and about changed articles whose post is in the channel."""
    svc = services(app)
    notices: list[editorial.Notice] = []
    if svc.settings.channel_id:
        notices += await editorial.settle_approvals(svc)
        result = await posting.send_due_posts(svc, app.bot)
        if result.again_in is not None:
            _send_again_in(app, result.again_in)
    notices += await editorial.failure_notices(svc)
    notices += await editorial.article_change_notices(svc, app.bot.username)
    for notice in notices:
        await tell_each_editor(app, notice)


def _send_again_in(app: Application, seconds: float) -> None:
    """One extra round when Telegram's wait (or the channel's minute) ends, not at the next interval."""
    job_queue = app.job_queue
    assert job_queue is not None
    for job in job_queue.get_jobs_by_name(SEND_AGAIN_JOB):
        job.schedule_removal()
    job_queue.run_once(send_due_posts_job, when=seconds + AFTER_WAIT, name=SEND_AGAIN_JOB)


def nearest_slot(slot: object, around: datetime, app: Application) -> datetime:
    """The day's occurrence of a daily slot nearest to `around` (a job that fires a little late still means
    today's slot, not tomorrow's)."""
    assert isinstance(slot, time), "slot jobs carry their time of day"
    tz = services(app).settings.timezone
    local = around.astimezone(tz)
    moments = [datetime.combine(local.date() + timedelta(days=d), slot, tzinfo=tz) for d in (-1, 0, 1)]
    return min(moments, key=lambda moment: abs(moment - local))


async def daily_slot_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    assert context.job is not None
    await fill_slot(context.application, nearest_slot(context.job.data, services(context).clock(), context.application))


async def fill_slot(app: Application, slot_at: datetime) -> None:
    """At a daily slot: its post (created now unless editors were asked about it before), then a send round.
    With approval on, a post nobody was asked about gets the default at once."""
    svc = services(app)
    await posting.create_slot_post(svc, slot_at, awaiting_approval=bool(svc.settings.approval_minutes))
    await send_round(app)


async def approval_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    assert context.job is not None
    svc = services(context)
    minutes = timedelta(minutes=svc.settings.approval_minutes)
    await ask_for_approval(
        context.application, nearest_slot(context.job.data, svc.clock() + minutes, context.application)
    )


async def ask_for_approval(app: Application, slot_at: datetime) -> int | None:
    """Before a daily slot: its post, awaiting approval, shown to every editor with publish / skip / another."""
    svc = services(app)
    post_id = await posting.create_slot_post(svc, slot_at, awaiting_approval=True)
    if post_id is None:
        return None
    notice = await editorial.approval_notice(svc, app.bot.username, post_id)
    if notice is not None:
        await tell_each_editor(app, notice)
    return post_id


async def tell_each_editor(app: Application, notice: editorial.Notice) -> None:
    """A notice to every editor in their language (/lang, else the language they last wrote in, else Kazakh);
    one who cannot be reached is logged, not raised."""
    svc = services(app)
    try:
        stored = await editorial.editor_languages(svc.db)
    except Exception:  # a troubled database must not keep editors from being told (of that, say)
        log.warning("could not read the editors' languages", exc_info=True)
        stored = {}
    for admin_id in sorted(svc.settings.admin_ids):
        chosen = svc.readers.language(admin_id)
        language = chosen if chosen in LANGUAGES else stored.get(admin_id) or "kk"
        for reply in notice(language):
            try:
                await app.bot.send_message(
                    admin_id,
                    reply.text,
                    reply_markup=posting.keyboard(reply),
                    link_preview_options=posting.preview(reply),
                )
            except TelegramError as exc:
                log.warning("could not notify editor %s: %s", admin_id, exc.message)
                break


async def daily_backup_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    notice = await backups.backup_if_due(services(context))
    if notice is not None:
        await tell_each_editor(context.application, notice)
