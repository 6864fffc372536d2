"""An article page's HTML to an article: trafilatura finds the text, bot/page_meta.py the title, time, picture and
views, and Aikyn's own layout is recognised on top. Pure.

A page whose extraction looks wrong (too short, only a photo caption or a date, mostly page furniture) is still
returned, marked with a hold reason: it is stored for editors to look at, never posted on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from trafilatura.settings import Document

from bot.article_files import MAX_TITLE_CHARS, is_promo, is_views_marker, view_count
from bot.page_meta import PageMeta, page_address, parse_html, read_meta
from bot.records import ArticleDraft

# Hold reasons, stored on the article; bot/held.py words them for editors.
HOLD_SHORT = "short"
HOLD_CAPTION = "caption"
HOLD_DATE = "date"
HOLD_BOILERPLATE = "boilerplate"
HOLD_INCOMPLETE = "incomplete"
MIN_BODY_CHARS = 300
# trafilatura's precise mode drops furniture its default keeps, but on some pages it drops most of the article
# too: below this share of the default's text the default is taken instead.
PRECISE_MIN_SHARE = 1 / 3

# Furniture that trafilatura leaves in the text, in the languages of the pages measured and Aikyn's.
_READ_ALSO = re.compile(
    r"^(?:auch interessant|lesen sie (?:auch|mehr)|mehr zum thema|zum weiterlesen|à lire aussi|lire aussi|"
    r"read (?:more|also)|see also|also read|related:|czytaj (?:też|także|więcej)|zobacz (?:też|także)|"
    r"vea también|lee también|te puede interesar|leia também|читайте также|сондай-ақ оқыңыз|оқи отырыңыз|"
    r"тағы оқыңыз)\b",
    re.IGNORECASE,
)
_SUBSCRIBE = re.compile(
    r"newsletter|\bsign(?:ing)? up\b|\bsubscribe\b|abonnier|подписыва|жазылыңыз|escucha esta nota|"
    r"listen to this article|^\W*(?:werbung|anzeige|advertisement|реклама|жарнама)\b",
    re.IGNORECASE,
)
_FURNITURE_WORDS = {
    "share",
    "teilen",
    "partager",
    "compartir",
    "поделиться",
    "бөлісу",
    "mehr von",
    "related",
    "inhaltsverzeichnis",
    "table of contents",
    "contents",
    "quellenangaben",
    "quellen",
    "sources",
    "ұқсас жаңалықтар",
    "ең көп оқылған",
    "пікірлер",
    "comments",
    "kommentare",
}
_COPYRIGHT_START = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_RIGHTS_RESERVED = re.compile(
    r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
    r"все права защищены|барлық құқықтар қорғалған",
    re.IGNORECASE,
)
_CAPTION_LINE = re.compile(
    r"^(?:фото|сурет(?:те)?|photo|foto|fotó|bild|image|crédits? photos?|credit|quelle|source|дереккөз)\s*"
    r"(?:[:：©/|-]|\b(?:by|von|de)\b)",
    re.IGNORECASE,
)
_CREDIT_AT_END = re.compile(r"©\s*[^.!?]{1,60}$")
# a photo credit at the end of a caption: «… (Фото: Айқын)», «Foto: dpa», «Photo by …», «© Reuters»
_CREDIT = re.compile(r"(?:фото|сурет|photo|foto|bild|credit|©|getty|reuters|afp|dpa|ap photo|shutterstock)", re.I)
_MONTH = re.compile(
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|mai|juni|juli|august|"
    r"september|oktober|november|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    r"diciembre|january|february|march|april|june|july|october|december|января|февраля|марта|апреля|мая|"
    r"июня|июля|августа|сентября|октября|ноября|декабря|қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|"
    r"тамыз|қыркүйек|қазан|қараша|желтоқсан"
)


class NotAnArticle(Exception):
    """The page holds no article text at all (an empty shell, an error page without words)."""


@dataclass(frozen=True, slots=True)
class _Body:
    lines: list[str]
    views: int | None
    default_chars: int  # length of trafilatura's default extraction, to see what cleaning took away
    removed: list[str]  # furniture lines taken out here
    day: str | None  # the publication day trafilatura found (htmldate), for pages whose tags give none


def extract_article(html: str, url: str | None, *, source: str = "") -> ArticleDraft:
    """The article on a page at `url` (None for a saved page: its canonical address is taken): title, lead,
    paragraphs, time, picture, views, and a hold reason when the extraction should be seen by an editor first.
    Raises NotAnArticle when there is no text at all."""
    tree = parse_html(html)
    if url is None and tree is not None:
        url = page_address(tree)
    body = _body(html, url)
    meta = read_meta(tree, url or "", day=body.day) if tree is not None else PageMeta("", "", None, None, None, None)
    title = meta.title
    lines = _without_heading(body.lines, title)
    if not title and lines:
        title = lines.pop(0)
    if not title and not lines:
        raise NotAnArticle("no article text found on the page")
    lead, lines = _lead_and_body(meta.description, title, lines)
    hold = hold_reason(lines, body)
    if not lines:  # held: the editor sees (and may publish) what the page had
        lines = body.removed or [lead or title]
    return ArticleDraft(
        title=title[:MAX_TITLE_CHARS],
        lead=lead,
        body="\n\n".join(lines),
        url=url or None,
        published_at=meta.published_at,
        views=meta.views if meta.views is not None else body.views,
        source=source or url or "",
        image_url=meta.image,
        hold_reason=hold,
    )


def _extracted(html: str, url: str | None, *, precise: bool = False) -> tuple[str, str | None]:
    """trafilatura's text of the page and, from the default run, the publication day it found."""
    document = trafilatura.bare_extraction(
        html, url=url, include_comments=False, favor_precision=precise, with_metadata=not precise
    )
    if not isinstance(document, Document):
        return "", None
    return document.text or "", document.date


def _body(html: str, url: str | None) -> _Body:
    """The article's paragraphs: trafilatura's precise extraction (its default when the precise one found
    nothing, or lost most of a text long enough to be an article); Aikyn's view-count lines, its promo footer and
    generic furniture lines taken out."""
    default, day = _extracted(html, url)
    precise, _ = _extracted(html, url, precise=True)
    lost_most = len(precise) < len(default) * PRECISE_MIN_SHARE and len(default) >= MIN_BODY_CHARS
    text = default if not precise.strip() or lost_most else precise
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    views = None
    # Aikyn's layout: the view count and «оқылды» before the body
    for index, line in enumerate(lines[:6]):
        if is_views_marker(line) and index > 0 and view_count(lines[index - 1]) is not None:
            views = view_count(lines[index - 1])
            lines = lines[: index - 1] + lines[index + 1 :]
            break
    kept: list[str] = []
    removed: list[str] = []
    for line in lines:
        (removed if _is_furniture(line) else kept).append(line)
    while kept and is_promo(kept[-1]):
        removed.append(kept.pop())
    return _Body(kept, views, len(default), removed, day)


def _is_furniture(line: str) -> bool:
    """A line that belongs to the page, not the article: «Read also: …», a newsletter box, a copyright, a photo
    credit."""
    if _COPYRIGHT_START.match(line):
        return len(line) <= 400
    if len(line) > 250:
        return False
    if _READ_ALSO.match(line) or _RIGHTS_RESERVED.search(line) or _CAPTION_LINE.match(line):
        return True
    if _CREDIT_AT_END.search(line) or " ".join(re.findall(r"\w+", line.casefold())) in _FURNITURE_WORDS:
        return True
    return len(line) <= 120 and bool(_SUBSCRIBE.search(line))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[«»“”„\"'‘’]", "", text).casefold().split()).rstrip(" .…")


def _without_heading(lines: list[str], title: str) -> list[str]:
    """The body without the title repeated at its top (the page's own heading)."""
    if lines and title and _norm(lines[0]) == _norm(title):
        return lines[1:]
    return lines


def _lead_and_body(description: str, title: str, lines: list[str]) -> tuple[str, list[str]]:
    """The lead (the page's description) and the body, the lead never repeated: a description that is the title,
    or the body's opening (whole or cut short), is no lead; a first paragraph that is the lead goes."""
    lead = description
    if not lead or len(lead) < 20 or _norm(lead) == _norm(title):
        return "", lines
    if lines and _norm(lines[0]) == _norm(lead):
        return lead, lines[1:]
    if lines and (_norm(lines[0]).startswith(_norm(lead)) or _norm(lead).startswith(_norm(lines[0]))):
        return "", lines
    return lead, lines


def is_date_line(line: str) -> bool:
    """A line that is only a date or time («May 19, 2020», «02.02.2022 •», «19 мамыр 2020 ж.»)."""
    if len(line) > 60 or not re.search(r"\d", line):
        return False
    words = re.findall(r"[^\W\d_]+", line.casefold())
    return all(_MONTH.fullmatch(word) or len(word) <= 3 for word in words) and len(words) <= 4


def hold_reason(lines: list[str], body: _Body) -> str:
    """Why an extraction should wait for an editor, or "" when it can go out like any article."""
    text_chars = sum(len(line) for line in lines)
    removed_chars = sum(len(line) for line in body.removed)
    if not lines:
        if removed_chars >= MIN_BODY_CHARS:
            return HOLD_BOILERPLATE
        captions = [line for line in body.removed if _CAPTION_LINE.match(line) or _CREDIT_AT_END.search(line)]
        return HOLD_CAPTION if captions else HOLD_SHORT
    if removed_chars > text_chars:
        return HOLD_BOILERPLATE
    if text_chars < MIN_BODY_CHARS:
        if all(is_date_line(line) for line in lines):
            return HOLD_DATE
        if len(lines) <= 2 and _CREDIT.search(lines[-1]):
            return HOLD_CAPTION
        return HOLD_SHORT
    if text_chars < body.default_chars * PRECISE_MIN_SHARE:
        return HOLD_INCOMPLETE
    return ""
