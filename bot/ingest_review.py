"""What editors are told about articles that arrived by themselves, and what their buttons do: an extraction held
for them (a preview, «publish as is» and «drop»), in each editor's language. Returns what to show; no Telegram
here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape

from bot.i18n import editor_text
from bot.page_extract import HOLD_BOILERPLATE, HOLD_CAPTION, HOLD_DATE, HOLD_INCOMPLETE, HOLD_SHORT
from bot.render import Button, Reply, shorten
from bot.services import Services
from storage import articles, feed_state
from storage.articles import Article

log = logging.getLogger(__name__)

# ASCII digits only (a Python `\d` also takes «١٢»); the id's range is checked when the button is pressed
PUBLISH = r"^hp:([0-9]{1,19})\Z"
DROP = r"^hd:([0-9]{1,19})\Z"
PREVIEW_CHARS = 700
# why an extraction is held (bot/page_extract.py) → the key of its wording for editors
HOLD_REASON_KEYS = {
    HOLD_SHORT: "hold_short",
    HOLD_CAPTION: "hold_caption",
    HOLD_DATE: "hold_date",
    HOLD_BOILERPLATE: "hold_boilerplate",
    HOLD_INCOMPLETE: "hold_incomplete",
}
# A message for every editor, written in each one's language: language → replies.
HeldNotice = Callable[[str], list[Reply]]


def hold_reason(language: str, reason: str | None) -> str:
    """Why an extraction was held, in the editor's words."""
    return editor_text(language, HOLD_REASON_KEYS.get(reason or "", "hold_unknown"))


def held_notice(article: Article, language: str) -> list[Reply]:
    """The message about one held article: why, a preview of what would be posted, and the two buttons."""
    t = partial(editor_text, language)
    preview = shorten(" ".join(filter(None, [article.lead, *article.paragraphs])), PREVIEW_CHARS)
    lines = [
        t("held_notice", id=article.id, reason=hold_reason(language, article.held_reason)),
        "",
        f"<b>{escape(shorten(article.title, 200))}</b>",
        escape(preview),
    ]
    if article.url:
        lines += ["", escape(article.url)]
    buttons = [
        Button(t("btn_publish_held"), data=f"hp:{article.id}"),
        Button(t("btn_drop_held"), data=f"hd:{article.id}"),
    ]
    return [Reply("\n".join(lines), [buttons])]


async def held_to_announce(svc: Services) -> tuple[list[int], list[HeldNotice]]:
    """Held articles editors have not been told of, and the notices that tell them (each written in the language
    it is sent in); mark them told with `announced` once sent."""
    held = await articles.held_to_announce(svc.db)
    return [a.id for a in held], [partial(held_notice, a) for a in held]


async def announced(svc: Services, article_ids: list[int]) -> None:
    if article_ids:
        await articles.mark_held_announced(svc.db, article_ids, svc.clock())


@dataclass(frozen=True, slots=True)
class Decision:
    """What pressing a button did: `text` to show, and whether the notice is settled (its buttons can go)."""

    text: str
    settled: bool = True


def _refusal(svc: Services, article_id: int | None, user_id: int, language: str) -> Decision | None:
    """Not an editor, or an id no article can have (None: beyond SQLite's integers): nothing is done."""
    if user_id not in svc.settings.admin_ids:
        return Decision(editor_text(language, "only_editors_button"), settled=False)
    if article_id is None:
        return Decision(editor_text(language, "stale"), settled=False)
    return None


async def publish_held(svc: Services, article_id: int | None, user_id: int, language: str) -> Decision:
    """«Publish as is»: the article is no longer held and goes out like any other (the next daily slot)."""
    if refused := _refusal(svc, article_id, user_id, language):
        return refused
    assert article_id is not None
    if not await articles.release_hold(svc.db, article_id):
        return Decision(editor_text(language, "held_not_held", id=article_id))
    log.info("editor %s released held article %s", user_id, article_id)
    return Decision(editor_text(language, "held_released", id=article_id))


class _NotDropped(Exception):
    pass


async def drop_held(svc: Services, article_id: int | None, user_id: int, language: str) -> Decision:
    """«Drop»: the held article is deleted, and the feed items it came from are never fetched again."""
    if refused := _refusal(svc, article_id, user_id, language):
        return refused
    assert article_id is not None
    try:
        async with svc.db.transaction() as conn:
            await feed_state.mark_dropped(conn, article_id)
            if not await articles.delete_held(conn, article_id):
                raise _NotDropped
    except _NotDropped:
        return Decision(editor_text(language, "held_not_dropped", id=article_id))
    log.info("editor %s dropped held article %s", user_id, article_id)
    return Decision(editor_text(language, "held_dropped", id=article_id))
