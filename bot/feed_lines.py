"""What /status says about each feed, in the editor's language: what failed — the feed itself, or some of its
pages (and which were given up, why) — and what came in. Storage gives the facts (storage/feed_state.py)."""

from __future__ import annotations

from functools import partial
from html import escape

from bot.i18n import editor_text
from bot.render import shorten
from storage.feed_state import FeedStatus, GivenUp, PollCounts

# error codes (bot/web_fetch.py's FetchError.code, bot/feeds.py) → the key of their wording
_REASON_KEYS = {
    "not_modified": "feed_reason_not_modified",
    "timeout": "feed_reason_timeout",
    "network": "feed_reason_network",
    "too_large": "feed_reason_too_large",
    "not_web": "feed_reason_not_web",
    "not_feed": "feed_reason_not_feed",
    "not_article": "feed_reason_not_article",
    "import": "feed_reason_import",
    "unexpected": "feed_reason_unexpected",
}
_HTTP_KEYS = {401: "feed_http_refused", 403: "feed_http_refused", 404: "feed_http_not_found", 410: "feed_http_gone"}


def reason(language: str, code: str) -> str:
    """An error code (`http 404`, `timeout`, `not_feed: …`) in the editor's words; the code's details (English,
    from the library that failed) stay in the log."""
    t = partial(editor_text, language)
    kind = code.partition(":")[0].strip()
    if kind.startswith("http "):
        number = kind.removeprefix("http ").strip()
        status = int(number) if number.isascii() and number.isdigit() else 0
        key = _HTTP_KEYS.get(status) or ("feed_http_server" if status >= 500 else "feed_http_other")
        return t("feed_http", reason=t(key), status=status)
    return t(_REASON_KEYS.get(kind, "feed_reason_unknown"))


def _counts(language: str, counts: PollCounts) -> str:
    t = partial(editor_text, language)
    if counts.feed_not_modified and not (counts.new or counts.updated or counts.failed or counts.unchanged):
        return t("feed_not_modified")
    parts = [t("feed_not_modified")] if counts.feed_not_modified else []
    parts.append(t("feed_counts", new=counts.new, updated=counts.updated, unchanged=counts.unchanged))
    if counts.held:
        parts.append(t("feed_held", count=counts.held))
    if counts.failed:
        parts.append(t("feed_failed", count=counts.failed, reason=reason(language, counts.first_error)))
    if counts.waiting:
        parts.append(t("feed_waiting", count=counts.waiting))
    if counts.no_link:
        parts.append(t("feed_no_link", count=counts.no_link))
    return ", ".join(parts)


def _given_up(language: str, given_up: tuple[GivenUp, ...]) -> str:
    """Pages no longer tried, and why; with several reasons, how many pages each."""
    if len(given_up) == 1:
        reasons = reason(language, given_up[0].reason)
    else:
        reasons = "; ".join(
            editor_text(language, "feed_given_up_reason", reason=reason(language, g.reason), count=g.count)
            for g in given_up
        )
    return editor_text(language, "feed_given_up", count=sum(g.count for g in given_up), reasons=reasons)


def result(language: str, feed: FeedStatus) -> str:
    """The last poll in the editor's words (plain text: escape it for HTML)."""
    if feed.problem:
        text = editor_text(language, "feed_unread", reason=reason(language, feed.problem))
    elif feed.counts is None:
        text = editor_text(language, "feed_not_polled")
    else:
        text = _counts(language, feed.counts)
    if feed.given_up:
        text += "; " + _given_up(language, feed.given_up)
    return text


def _mark(feed: FeedStatus) -> str:
    """✅ all read, ⚠️ the feed was read but some pages were not (or were given up), ❌ the feed was not read."""
    if feed.problem or (feed.last_poll_at is not None and feed.last_ok_at != feed.last_poll_at):
        return "❌"
    return "⚠️" if (feed.counts is not None and feed.counts.failed) or feed.given_up else "✅"


def status_line(language: str, feed: FeedStatus, when: str) -> str:
    """One feed's line in /status (HTML): its address, when it was last read (`when`, as the editor reads dates;
    "" when never), and what that did."""
    return editor_text(
        language,
        "status_feed",
        url=escape(shorten(feed.url, 60)),
        when=when or "—",
        result=f"{_mark(feed)} {escape(result(language, feed))}",
    )
