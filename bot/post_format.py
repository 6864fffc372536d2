"""The channel post for an article: title, summary, a key quote, hashtags, buttons — within Telegram's limits."""

from __future__ import annotations

from html import escape

from bot.analysis.entities import hashtag_worthy
from bot.render import MESSAGE_LIMIT, Button, Reply, hashtag, in_guillemets, shorten, visible_length
from storage.article_analysis import StoredEntity, StoredQuote
from storage.articles import Article

MAX_HASHTAGS = 4


def deep_link(bot_username: str, article_id: int) -> str:
    """t.me link whose /start payload (article_<id>: ≤ 64 chars of A-Za-z0-9_-) opens the article in the bot."""
    return f"https://t.me/{bot_username}?start=article_{article_id}"


def key_quote(quotes: list[StoredQuote], *, already_shown: str = "") -> StoredQuote | None:
    """The quote a channel post shows: a direct quote whose speaker was named where it stands (a guessed
    speaker is never published: no quote is better than a wrong one), not already in the title or summary,
    preferring one short enough to read in a feed."""
    shown = " ".join(already_shown.casefold().split())
    named = [
        q
        for q in quotes
        if q.kind == "direct" and q.speaker and q.certain and " ".join(q.text.casefold().split()) not in shown
    ]
    short = [q for q in named if len(q.text) <= 300]
    return (short or named)[0] if named else None


def render_post(
    article: Article,
    quotes: list[StoredQuote],
    entities: list[StoredEntity],
    bot_username: str,
    *,
    limit: int = MESSAGE_LIMIT,
) -> Reply:
    """One HTML message for the channel; `limit` is CAPTION_LIMIT when the post is a photo's caption."""
    summary = article.summary or article.lead or shorten(article.body, 500)
    parts = [f"<b>{escape(article.title)}</b>", escape(summary)]
    quote = key_quote(quotes, already_shown=f"{article.title}\n{summary}")
    if quote is not None:
        role = f", {escape(shorten(quote.role, 100))}" if quote.role else ""
        parts.append(f"{in_guillemets(escape(shorten(quote.text, 350)))}\n— <i>{escape(quote.speaker or '')}{role}</i>")
    tags = []
    for entity in entities:
        if not hashtag_worthy(entity.name, entity.kind, entity.mentions):
            continue
        tag = hashtag(entity.name)
        if tag and tag not in tags:
            tags.append(tag)
        if len(tags) == MAX_HASHTAGS:
            break
    if tags:
        parts.append(" ".join(tags))
    text = "\n\n".join(parts)
    while visible_length(text) > limit and len(parts) > 2:
        parts.pop(2)
        text = "\n\n".join(parts)
    if visible_length(text) > limit:
        title = escape(shorten(article.title, min(300, limit // 4)))
        text = f"<b>{title}</b>\n\n{escape(shorten(summary, min(3000, limit - visible_length(title) - 4)))}"
    buttons = [Button("Толық оқу", url=deep_link(bot_username, article.id))]
    if article.url:
        buttons.append(Button("aikyn.kz", url=article.url))
    # The article's own page as the link preview brings its photo without a second message or a 1,024 caption.
    return Reply(text, [buttons], preview_url=article.url)
