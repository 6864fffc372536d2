"""What editors are told about articles that arrived by themselves, and what their buttons do: an extraction held
for them (a preview, «publish as is» and «drop»), and a correction of an article already in the channel. Returns
what to show; no Telegram here."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

from bot.page_extract import HOLD_BOILERPLATE, HOLD_CAPTION, HOLD_DATE, HOLD_INCOMPLETE, HOLD_SHORT
from bot.render import Button, Reply, shorten
from bot.services import Services
from storage import articles, feed_state
from storage.articles import Article

log = logging.getLogger(__name__)

PUBLISH = r"^hp:(\d{1,9})$"
DROP = r"^hd:(\d{1,9})$"
PREVIEW_CHARS = 700
HOLD_REASONS = {
    HOLD_SHORT: "мәтіні тым қысқа",
    HOLD_CAPTION: "мәтіні тек сурет жазуы сияқты",
    HOLD_DATE: "мәтіні тек күн жолы",
    HOLD_BOILERPLATE: "беттің көбі мәзір, жарнама, сілтемелер",
    HOLD_INCOMPLETE: "беттегі мәтіннің бір бөлігі ғана алынды",
}


def held_notice(article: Article) -> Reply:
    """The message about one held article: why, a preview of what would be posted, and the two buttons."""
    reason = HOLD_REASONS.get(article.held_reason or "", "мәтінін тексеру керек")
    preview = shorten(" ".join(filter(None, [article.lead, *article.paragraphs])), PREVIEW_CHARS)
    lines = [
        f"⏸ <b>Мақала №{article.id} редакторға ұсталды</b>: {escape(reason)}. Арнаға өздігінен шықпайды.",
        "",
        f"<b>{escape(shorten(article.title, 200))}</b>",
        escape(preview),
    ]
    if article.url:
        lines += ["", escape(article.url)]
    return Reply(
        "\n".join(lines),
        [
            [
                Button("✅ Осы күйінде жариялау", data=f"hp:{article.id}"),
                Button("🗑 Алып тастау", data=f"hd:{article.id}"),
            ]
        ],
    )


async def held_to_announce(svc: Services) -> tuple[list[int], list[Reply]]:
    """Held articles editors have not been told of, and the messages that tell them; mark them told with
    `announced` once sent."""
    held = await articles.held_to_announce(svc.db)
    return [a.id for a in held], [held_notice(a) for a in held]


async def announced(svc: Services, article_ids: list[int]) -> None:
    if article_ids:
        await articles.mark_held_announced(svc.db, article_ids, svc.clock())


@dataclass(frozen=True, slots=True)
class Decision:
    """What pressing a button did: `text` to show, and whether the notice is settled (its buttons can go)."""

    text: str
    settled: bool = True


NOT_AN_EDITOR = Decision("Бұл батырма тек редакторларға арналған.", settled=False)


async def publish_held(svc: Services, article_id: int, user_id: int) -> Decision:
    """«Publish as is»: the article is no longer held and goes out like any other (the next daily slot)."""
    if user_id not in svc.settings.admin_ids:
        return NOT_AN_EDITOR
    if not await articles.release_hold(svc.db, article_id):
        return Decision(f"№{article_id} мақала ұсталмаған (шешім бұрын қабылданған немесе ол жойылған).")
    log.info("editor %s released held article %s", user_id, article_id)
    return Decision(
        f"✅ №{article_id} мақала енді ұсталмайды: келесі слотта арнаға шығуы мүмкін. "
        f"Қазір жариялау: /postnow {article_id}"
    )


class _NotDropped(Exception):
    pass


async def drop_held(svc: Services, article_id: int, user_id: int) -> Decision:
    """«Drop»: the held article is deleted, and the feed items it came from are never fetched again."""
    if user_id not in svc.settings.admin_ids:
        return NOT_AN_EDITOR
    try:
        async with svc.db.transaction() as conn:
            await feed_state.mark_dropped(conn, article_id)
            if not await articles.delete_held(conn, article_id):
                raise _NotDropped
    except _NotDropped:
        return Decision(f"№{article_id} мақала алынбады: ол ұсталмаған, жойылған немесе арнаға жіберілген.")
    log.info("editor %s dropped held article %s", user_id, article_id)
    return Decision(f"🗑 №{article_id} мақала алып тасталды; лентадан қайта алынбайды.")
