"""What a news page says about its article outside the text: title, description, publication time, picture and
view count — read from JSON-LD, meta tags, `<time datetime>` and the article's own elements. Pure.

trafilatura finds the text; these are the details it gets wrong on real pages (a «| Site» suffix on the title, the
day without the time, the site logo as the picture) and Aikyn's own view counter, which sits beside a «most read»
widget showing other articles' counts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

ALMATY = ZoneInfo("Asia/Almaty")
ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "report"}
# Meta names (name, property or itemprop) that carry the publication time, most specific first.
PUBLISHED_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "date",
    "dc.date",
    "dcterms.date",
    "dc:date",
    "dcterms:issued",
    "dcterms:created",
)
# Site names the pages of Aikyn and its stand-ins end their titles with, whatever host serves them.
KNOWN_SITE_NAMES = ("aikyn.kz", "айқын", "aikyn", "aiqyn")
_PUBLISHED_TIME = re.compile(r"datepublished|pubdate|publish|entry-date|post-date", re.I)
_UPDATED_TIME = re.compile(r"updated|modified", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|›|»|::|·|•|//)\s+")
# Parts of a page that are never the article: menus, sidebars, widgets, related and most-read lists.
_FURNITURE_CLASS = re.compile(
    r"sidebar|widget|popular|most-?read|mostviewed|related|timeline|teaser|menu|recommend", re.I
)
_VIEWS_TEXT = re.compile(r"^\s*(\d{1,3}(?:[,\u00a0 .]\d{3})+|\d{1,9})\s*(?:рет\s+)?оқылды\s*$", re.I)
_NOT_A_PICTURE = re.compile(r"logo|favicon|sprite|placeholder|blank\.|spacer|pixel|default[-_.]?im|avatar", re.I)


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str
    description: str
    published_at: datetime | None
    image: str | None
    views: int | None
    canonical_url: str | None


def parse_html(html: str) -> lxml_html.HtmlElement | None:
    """The page's element tree; None for what is not HTML at all."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input that declares an encoding
    try:
        return lxml_html.document_fromstring(text)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None


def read_meta(tree: lxml_html.HtmlElement, url: str, *, day: str | None = None) -> PageMeta:
    """Everything but the text, from one parsed page whose address is `url`; `day` is the publication day found
    otherwise (trafilatura's), used when the page's own tags give none."""
    metas = _meta_values(tree)
    objects = _json_ld_objects(tree)
    ld = [o for o in objects if _is_article(o)]
    base = _base_url(tree, url)
    canonical = _canonical(tree, metas, base)
    return PageMeta(
        title=page_title(tree, metas, ld, canonical or url),
        description=_first(
            metas.get("description"), metas.get("og:description"), *(_ld_text(o, "description") for o in ld)
        ),
        published_at=published_time(tree, metas, objects, day),
        image=article_image(tree, metas, ld, base),
        views=article_views(tree),
        canonical_url=canonical,
    )


def page_address(tree: lxml_html.HtmlElement) -> str | None:
    """The address a saved page gives itself (its canonical link, else og:url), if absolute."""
    return _canonical(tree, _meta_values(tree), "")


def _clean(text: object) -> str:
    return " ".join(str(text or "").split())


def _first(*values: str | None) -> str:
    return next((_clean(v) for v in values if v and _clean(v)), "")


def _meta_values(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """The first content of each meta name/property/itemprop (and RDFa or microdata `content` on other elements),
    keys case-folded."""
    values: dict[str, str] = {}
    for meta in tree.xpath("//*[@content]"):
        content = meta.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().casefold()
            if key and key not in values:
                values[key] = content.strip()
    return values


def _json_ld_objects(tree: lxml_html.HtmlElement) -> list[dict[str, object]]:
    """Every object in the page's JSON-LD (inside lists and @graph too), articles first."""
    found: list[dict[str, object]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().casefold() != "application/ld+json" or not script.text:
            continue
        try:
            stack = [json.loads(script.text.strip().rstrip(";"))]
        except ValueError:
            continue
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity") and v is not item)
                found.append(item)
    return sorted(found, key=lambda item: not _is_article(item))


def _is_article(item: dict[str, object]) -> bool:
    kinds = item.get("@type")
    return any(str(kind).casefold() in ARTICLE_TYPES for kind in (kinds if isinstance(kinds, list) else [kinds]))


def _ld_text(item: dict[str, object], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


def _base_url(tree: lxml_html.HtmlElement, url: str) -> str:
    base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    return urljoin(url, base) if base else url


def _canonical(tree: lxml_html.HtmlElement, metas: dict[str, str], base: str) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").casefold().split() and link.get("href"):
            return _web_url(link.get("href"), base)
    return _web_url(metas.get("og:url"), base)


def _web_url(value: str | None, base: str) -> str | None:
    """`value` made absolute against `base`, if it is an http(s) address."""
    if not value or not value.strip():
        return None
    absolute = urljoin(base, value.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).netloc else None


# --- title -----------------------------------------------------------------------------------------------------


def page_title(tree: lxml_html.HtmlElement, metas: dict[str, str], ld: list[dict[str, object]], url: str) -> str:
    """The headline without the site's name: a meta or <title> title whose part matches a heading on the page
    wins; else the title with a part that names the site (og:site_name, the host, Aikyn) cut off."""
    titles = [
        _first(metas.get("og:title")),
        _first(*(_ld_text(o, "headline") for o in ld)),
        _first(metas.get("twitter:title")),
        _first(next((t.text_content() for t in tree.iter("title")), "")),
    ]
    titles = [t for t in titles if t]
    headings = [_clean(h.text_content()).casefold() for h in tree.iter("h1", "h2")]
    for title in titles:
        parts = [title, *_TITLE_SEPARATORS.split(title)]
        for part in parts:
            if len(part) >= 12 and part.casefold() in headings:
                return part
    site_names = _site_names(metas, url)
    for title in titles:
        stripped = _strip_site_name(title, site_names)
        if stripped:
            return stripped
    return next((h for h in (_clean(h.text_content()) for h in tree.iter("h1")) if h), "")


def _site_names(metas: dict[str, str], url: str) -> list[str]:
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    label = host.rsplit(".", 1)[0] if "." in host and not host.replace(".", "").isdigit() else ""
    names = [_squash(metas.get("og:site_name", "")), _squash(metas.get("application-name", "")), _squash(label)]
    return [n for n in names if len(n) >= 3] + [_squash(n) for n in KNOWN_SITE_NAMES]


def _squash(text: str) -> str:
    """Letters and digits only, case-folded: «St.Galler Tagblatt» → «stgallertagblatt»."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _names_site(part: str, site_names: list[str]) -> bool:
    squashed = _squash(part)
    if not squashed or len(part.split()) > 6:
        return False
    return any(name in squashed or (len(squashed) >= 4 and squashed in name) for name in site_names)


def _strip_site_name(title: str, site_names: list[str]) -> str:
    """The title without a leading or trailing part that names the site."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if _names_site(parts[-1], site_names):
        return _rejoin(title, parts[:-1])
    if _names_site(parts[0], site_names):
        return _rejoin(title, parts[1:])
    return title


def _rejoin(title: str, parts: list[str]) -> str:
    """The span of `title` from the first to the last of `parts`, separators as written."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else " ".join(parts)


# --- time ------------------------------------------------------------------------------------------------------


def published_time(
    tree: lxml_html.HtmlElement, metas: dict[str, str], objects: list[dict[str, object]], day: str | None = None
) -> datetime | None:
    """The publication time, in UTC: the first source that gives a time of day (JSON-LD, meta tags, a `<time>`
    marked as the publication or inside the article, a `<time>` on the publication `day`); else the first that
    gives a day, else `day` (taken as noon in Almaty). A time without a zone is Almaty time."""
    times = [t for t in tree.iter("time") if t.get("datetime") and not _in_furniture(t)]
    candidates = [
        *(_ld_text(o, key) for o in objects for key in ("datePublished", "dateCreated")),
        *(metas.get(name) for name in PUBLISHED_NAMES),
        *(t.get("datetime") for t in times if _marked_published(t)),
        *(t.get("datetime") for t in times if any(a.tag == "article" for a in t.iterancestors())),
    ]
    parsed = [p for p in map(parse_time, candidates) if p is not None]
    with_time = next((moment for moment, has_time in parsed if has_time), None)
    if with_time is not None:
        return with_time
    on_day = [p[0] for p in map(parse_time, (t.get("datetime") for t in times)) if p and p[1]]
    on_day = [moment for moment in on_day if day and moment.astimezone(ALMATY).date().isoformat() == day]
    if on_day:
        return on_day[0]
    day_only = parse_time(day)
    return parsed[0][0] if parsed else (day_only[0] if day_only else None)


def _marked_published(element: lxml_html.HtmlElement) -> bool:
    """A <time> that says it is the publication: itemprop=datePublished or `pubdate`, else a class or id such as
    «entry-date published» (and not «updated»)."""
    if (element.get("itemprop") or "").casefold() == "datepublished" or element.get("pubdate") is not None:
        return True
    marks = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(_PUBLISHED_TIME.search(marks)) and not _UPDATED_TIME.search(marks)


def parse_time(value: str | None) -> tuple[datetime, bool] | None:
    """(moment in UTC, whether it had a time of day) from ISO 8601 or RFC 822 text; None if neither."""
    text = _clean(value)
    if not text:
        return None
    match = re.match(
        r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?", text
    )
    try:
        if match:
            year, month, day, hour, minute, second, zone = match.groups()
            if hour is None:
                return datetime(int(year), int(month), int(day), 12, tzinfo=ALMATY).astimezone(UTC), False
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
            return _with_zone(moment, zone).astimezone(UTC), True
        moment = parsedate_to_datetime(text)
    except (ValueError, TypeError, OverflowError):
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=ALMATY)).astimezone(UTC), True


def _with_zone(moment: datetime, zone: str | None) -> datetime:
    if not zone:
        return moment.replace(tzinfo=ALMATY)
    if zone == "Z":
        return moment.replace(tzinfo=UTC)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.replace(tzinfo=UTC) - sign * offset


# --- picture and views -----------------------------------------------------------------------------------------


def _in_furniture(element: lxml_html.HtmlElement) -> bool:
    """Inside a menu, sidebar or widget (a «related» list inside the article too), or in the page's header or
    footer (not the article's own)."""
    ancestors = list(element.iterancestors())
    article_at = next((i for i, a in enumerate(ancestors) if a.tag == "article"), None)
    for ancestor in ancestors[:article_at]:
        if ancestor.tag in ("aside", "nav") or _FURNITURE_CLASS.search(
            f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        ):
            return True
        if article_at is None and ancestor.tag in ("header", "footer"):
            return True
    return article_at is not None and any(a.tag in ("aside", "nav") for a in ancestors[article_at:])


def article_image(
    tree: lxml_html.HtmlElement, metas: dict[str, str], ld: list[dict[str, object]], base: str
) -> str | None:
    """The article's own picture as an absolute URL: og/twitter/JSON-LD image, else the first picture in the
    article — never the site's logo (a picture that also sits in the page's header, or is named like a logo)."""
    furniture = {
        _web_url(img.get("src") or img.get("data-src"), base) for img in tree.iter("img") if _in_furniture(img)
    }
    candidates = [metas.get("og:image"), metas.get("og:image:url"), metas.get("twitter:image")]
    candidates += [_ld_image(o) for o in ld]
    for scope in tree.xpath("//article | //*[@itemprop='articleBody']"):
        candidates += [img.get("data-original") or img.get("data-src") or img.get("src") for img in scope.iter("img")]
    for candidate in candidates:
        absolute = _web_url(candidate, base)
        if absolute and absolute not in furniture and not _NOT_A_PICTURE.search(urlsplit(absolute).path):
            return absolute
    return None


def _ld_image(item: dict[str, object]) -> str | None:
    image = item.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url")
    return image if isinstance(image, str) else None


def article_views(tree: lxml_html.HtmlElement) -> int | None:
    """The article's own view count («741 оқылды», or the number and the word in two elements side by side):
    the first one outside widgets such as «most read», which show other articles' counts."""
    for text in tree.xpath("//text()[contains(., 'оқылды')]"):
        count = _views_near(text.getparent())
        if count is not None and not _in_furniture(text.getparent()):
            return count
    return None


def _views_near(element: lxml_html.HtmlElement | None) -> int | None:
    """The count told by the smallest element around an «оқылды» that holds the count too."""
    while element is not None and len(element.text_content()) <= 60:
        match = _VIEWS_TEXT.match(element.text_content())
        if match:
            return int(re.sub(r"\D", "", match[1]))
        previous = element.getprevious()
        if element.text_content().strip().casefold() == "оқылды" and previous is not None:
            match = _VIEWS_TEXT.match(f"{previous.text_content()} оқылды")
            if match:
                return int(re.sub(r"\D", "", match[1]))
        element = element.getparent()
    return None
