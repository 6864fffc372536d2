"""The bot's clockwork: sending due channel posts, filling daily slots, polling feeds; and telling editors.

The job queue is only the clock: every decision is made from the database, so a restart loses nothing.
"""

from __future__ import annotations

import html
import logging

from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot import backups, feeds, ingest_review, posting
from bot.render import Reply
from bot.services import services

log = logging.getLogger(__name__)

SEND_JOB = "send-due-posts"
FEED_JOB = "poll-feeds"
BACKUP_JOB = "daily-backup"
HELD_JOB = "tell-editors-of-held-articles"
HELD_INTERVAL = 60.0


def schedule_jobs(app: Application) -> None:
    svc = services(app)
    job_queue = app.job_queue
    assert job_queue is not None, "install python-telegram-bot[job-queue]"
    job_queue.run_repeating(send_due_posts_job, interval=svc.send_interval, first=0, name=SEND_JOB)
    for slot in svc.settings.post_times:
        at = slot.replace(tzinfo=svc.settings.timezone)
        job_queue.run_daily(daily_slot_job, time=at, name=f"slot-{slot:%H:%M}")
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
    reports = await feeds.poll_all(svc.db, svc.fetcher, svc.settings.feed_urls, svc.clock())
    for notice in ingest_review.correction_notices([c for r in reports for c in r.changes]):
        await tell_editors(context.application, notice.text)
    if any(r.held_ids for r in reports):
        await held_articles_job(context)


async def held_articles_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell editors of articles held for them (a preview and buttons), once each."""
    svc = services(context)
    article_ids, notices = await ingest_review.held_to_announce(svc)
    for notice in notices:
        await notify_editors(context.application, notice)
    await ingest_review.announced(svc, article_ids)


async def send_due_posts_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    if not svc.settings.channel_id:
        return
    for outcome in await posting.send_due_posts(svc, context.bot):
        if outcome.status == "failed":
            await tell_editors(
                context.application, f"❌ Пост №{outcome.post_id} жіберілмеді: {html.escape(outcome.detail)}"
            )


async def daily_slot_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    slot_at = svc.clock().replace(second=0, microsecond=0)
    if await posting.create_slot_post(svc, slot_at):
        await send_due_posts_job(context)


async def daily_backup_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    news = await backups.backup_if_due(services(context))
    if news is not None:
        await tell_editors(context.application, news)


async def tell_editors(app: Application, message: str) -> None:
    """A message (HTML) to every editor; one who cannot be reached is logged, not raised."""
    for admin_id in services(app).settings.admin_ids:
        try:
            await app.bot.send_message(admin_id, message)
        except TelegramError as exc:
            log.warning("could not notify editor %s: %s", admin_id, exc.message)


async def notify_editors(app: Application, reply: Reply) -> None:
    """A rendered message, buttons included, to every editor; one who cannot be reached is logged, not raised."""
    for admin_id in services(app).settings.admin_ids:
        try:
            await app.bot.send_message(
                admin_id, reply.text, reply_markup=posting.keyboard(reply), link_preview_options=posting.preview(reply)
            )
        except TelegramError as exc:
            log.warning("could not notify editor %s: %s", admin_id, exc.message)
