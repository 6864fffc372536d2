"""Better browsing: /quotes page by page with filters by person, matched words in bold in search results, a hint
for Russian queries, and follow buttons under articles. Knows the database, not Telegram.

bot/reading.py calls these; this module imports reading's types for type checking only (reading imports it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.analysis.morphology import fold
from bot.follow_keys import entity_target
from bot.i18n import text
from bot.render import Button, Reply, in_guillemets, local_date, shorten
from bot.russian_names import has_no_kazakh_letters, looks_russian, spellings
from storage import listings, subscriptions
from storage.articles import Headline
from storage.fts import INDEXED_PREFIX
from storage.listings import PagedQuote

if TYPE_CHECKING:
    from bot.reading import ReaderContext

QUOTES_PER_PAGE = 5
PERSON_BUTTONS = 3
CALLBACK_LIMIT = 64
# Buttons: qp:<offset> a page of the latest quotes; qs:<surname>:<given-name prefix>:<offset> a person's quotes
LATEST_QUOTES_PAGE = r"^qp:([0-9]{1,6})\Z"
PERSON_QUOTES_PAGE = r"^qs:([^\W\d_][\w-]{0,29}):([^\W\d_]{0,3}):([0-9]{1,6})\Z"


def _fits(data: str) -> bool:
    return len(data.encode()) <= CALLBACK_LIMIT


def _quote_entries(quotes: list[PagedQuote], ctx: ReaderContext) -> str:
    entries = []
    for q in quotes:
        role = f", {escape(shorten(q.role, 100))}" if q.role else ""
        marker = f" ({ctx.t('indirect')})" if q.kind == "indirect" else ""
        source = f"\n<i>№{q.article_id}. {escape(shorten(q.article_title, 80))}</i>"
        who = escape(q.speaker or "?")
        entries.append(f"{in_guillemets(escape(shorten(q.text, 500)))}\n— <b>{who}</b>{role}{marker}{source}")
    return "\n\n".join(entries)


def _pager(ctx: ReaderContext, make: str, offset: int, has_next: bool) -> list[Button]:
    """‹ › buttons; `make` is the callback data with {} where the offset goes."""
    row = []
    if offset > 0:
        row.append(Button(ctx.t("prev"), data=make.format(max(0, offset - QUOTES_PER_PAGE))))
    if has_next:
        row.append(Button(ctx.t("next"), data=make.format(offset + QUOTES_PER_PAGE)))
    return row if all(_fits(b.data or "") for b in row) else []


async def latest_quotes(ctx: ReaderContext, offset: int = 0) -> Reply | None:
    """A page of the newest attributed quotes, with a button for each person quoted on it; None when there is none."""
    offset = max(0, offset)
    found = await listings.latest_quotes_page(ctx.db, limit=QUOTES_PER_PAGE + 1, offset=offset)
    if not found and offset:
        offset = 0
        found = await listings.latest_quotes_page(ctx.db, limit=QUOTES_PER_PAGE + 1, offset=0)
    if not found:
        return None
    page, has_next = found[:QUOTES_PER_PAGE], len(found) > QUOTES_PER_PAGE
    people: dict[str, str] = {}
    for q in page:
        if q.surname and q.speaker and len(people) < PERSON_BUTTONS:
            people.setdefault(q.surname, q.speaker.split()[-1])
    person_row = [
        Button(f"👤 {name}", data=f"qs:{surname}::0") for surname, name in people.items() if _fits(f"qs:{surname}::0")
    ]
    rows = [row for row in (person_row, _pager(ctx, "qp:{}", offset, has_next)) if row]
    number = f"\n<i>{offset // QUOTES_PER_PAGE + 1} {ctx.t('page')}</i>"
    return Reply(f"{ctx.t('quotes_title')}\n\n{_quote_entries(page, ctx)}{number}", rows)


async def person_quotes(ctx: ReaderContext, surname: str, given: str = "", offset: int = 0) -> Reply | None:
    """A page of one person's quotes (surname in any case; `given`, the start of a given name, narrows it when
    that leaves any), with paging and a follow button; None when the person has none."""
    surname_key, prefix = surname.casefold(), given[:3].capitalize()
    found, total = await listings.quotes_of_person_page(
        ctx.db, surname_key, given_prefix=prefix, limit=QUOTES_PER_PAGE, offset=max(0, offset)
    )
    if total == 0 and prefix:
        prefix = ""
        found, total = await listings.quotes_of_person_page(
            ctx.db, surname_key, limit=QUOTES_PER_PAGE, offset=max(0, offset)
        )
    if not found and total:
        offset = (total - 1) // QUOTES_PER_PAGE * QUOTES_PER_PAGE  # an old button past the end: the last page
        found, total = await listings.quotes_of_person_page(
            ctx.db, surname_key, given_prefix=prefix, limit=QUOTES_PER_PAGE, offset=offset
        )
    if not found:
        return None
    name = found[0].speaker.split()[-1] if found[0].speaker else surname
    pages = f"\n<i>{offset // QUOTES_PER_PAGE + 1}/{(total - 1) // QUOTES_PER_PAGE + 1} {ctx.t('page')}</i>"
    rows = [_pager(ctx, f"qs:{surname_key}:{prefix.casefold()}:{{}}", offset, offset + QUOTES_PER_PAGE < total)]
    follow = f"fs:{surname_key}"
    if _fits(follow):
        rows.append([Button(ctx.t("follow_button", label=name), data=follow)])
    title = ctx.t("quotes_of_title", name=escape(name))
    return Reply(f"{title}\n\n{_quote_entries(found, ctx)}{pages}", [row for row in rows if row])


async def follow_buttons(ctx: ReaderContext, article_id: int, *, limit: int = 2) -> list[Button]:
    """«Follow Абдуллин» buttons for an article's most mentioned people (else its places and organisations)."""
    entities = await subscriptions.entities_of_article(ctx.db, article_id, limit=limit)
    return [Button(ctx.t("follow_button", label=entity_target(e).label), data=f"fe:{e.id}") for e in entities]


# ---- search results --------------------------------------------------------------------------------------------


def match_terms(stems: list[str]) -> tuple[str, ...]:
    """The prefixes a search matched words by (what storage/fts.py asks the index for), split at hyphens."""
    terms = {part[:INDEXED_PREFIX] for stem in stems for part in re.split(r"[\W_]+", stem) if part}
    return tuple(sorted(terms))


_WORD = re.compile(r"\w+")


def bold_matches(plain: str, terms: tuple[str, ...]) -> str:
    """Escaped HTML of `plain` with every word that starts with a term in <b>…</b>; tags are only added around
    whole words, so they always balance."""
    out, last = [], 0
    for match in _WORD.finditer(plain):
        if fold(match[0]).startswith(terms):
            out.append(escape(plain[last : match.start()]))
            out.append(f"<b>{escape(match[0])}</b>")
            last = match.end()
    out.append(escape(plain[last:]))
    return "".join(out)


@lru_cache(maxsize=4096)
def highlighted_entry(headline: Headline, timezone: ZoneInfo, terms: tuple[str, ...]) -> str:
    """One search result with the matched words in bold."""
    h = headline
    summary = f"\n{bold_matches(shorten(h.summary, 160), terms)}" if h.summary else ""
    title = bold_matches(shorten(h.title, 200), terms)
    return f"<b>{h.id}.</b> {title} <i>({local_date(h.shown_at, timezone)})</i>{summary}"


def russian_hint(language: str, query: str, *, found_any: bool) -> str | None:
    """For a query that looks Russian: the archive is Kazakh, and the Kazakh spelling of names the table knows.
    Also when nothing was found for Cyrillic words without a Kazakh letter (дорога)."""
    known = spellings(query)
    if not (looks_russian(query) or (not found_any and has_no_kazakh_letters(query))):
        return None
    if found_any and not known:
        return None
    if known:
        listed = ", ".join(f"{escape(word)} → <b>{escape(kazakh)}</b>" for word, kazakh in known)
        return text(language, "russian_hint_spelling", spellings=listed)
    return text(language, "russian_hint")
