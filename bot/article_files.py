"""Reading article files: Aikyn's plain-text layout, JSON and JSONL. Pure functions, no database."""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.records import ArticleDraft

MAX_TEXT_BYTES = 2 * 1024 * 1024
MAX_JSON_BYTES = 200 * 1024 * 1024
MAX_TITLE_CHARS = 300
ARTICLE_SUFFIXES = {".txt", ".json", ".jsonl", ".html", ".htm"}
# Saved web pages: the same extraction as pages from feeds (bot/page_extract.py).
HTML_SUFFIXES = {".html", ".htm"}
MAX_HTML_BYTES = 5 * 1024 * 1024

_VIEWS_LINE = re.compile(r"\d{1,3}(?:[,\u00a0 .]\d{3})+|\d{1,9}")
_VIEWS_WORD = re.compile(r"(?i)оқылды")
# Boilerplate paragraphs Aikyn appends to articles (promo for its channels); matched case-insensitively.
_PROMO_PATTERNS = [
    re.compile(r"(?i)telegram\s+арнасынан\s+таба\s+аласыз"),
    re.compile(r"(?i)«?айқын(ның|)»?\s+(telegram|телеграм|инстаграм|instagram)"),
    re.compile(r"(?i)^жаңалықтарды\s+(telegram|телеграм)"),
]


# Unicode's control characters (category Cc: U+0000–U+001F, U+007F–U+009F) other than \t \n \f \r, found by one
# regular expression rather than a category lookup per character (a tenth of a bulk import's reading time).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class ArticleFileError(Exception):
    """A file that cannot become an article; the message says why."""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """Articles read from one file, and per-record problems that did not stop the rest."""

    drafts: list[ArticleDraft]
    problems: list[str]


def find_article_files(paths: list[Path]) -> Iterator[Path]:
    """Files to import from the given files and folders (recursively, sorted, hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(p.startswith(".") for p in child.relative_to(path).parts)
                wanted = child.suffix.lower() in ARTICLE_SUFFIXES and not _is_gold_annotation(child)
                if child.is_file() and wanted and not hidden:
                    yield child
        else:
            yield path


def _is_gold_annotation(path: Path) -> bool:
    """Evaluation gold files (NNN.quotes.json, NNN.events.json) lie beside articles but are not articles."""
    return path.name.endswith((".quotes.json", ".events.json"))


def display_name(path: Path | str) -> str:
    """A path as text that can be printed and stored: a file name that is not valid UTF-8 (a Windows archive
    unpacked as is) shows its undecodable bytes as U+FFFD instead of breaking the output or the database."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def _size_limit(suffix: str) -> int:
    if suffix in HTML_SUFFIXES:
        return MAX_HTML_BYTES
    return MAX_JSON_BYTES if suffix in {".json", ".jsonl"} else MAX_TEXT_BYTES


def read_article_file(path: Path, *, url: str | None = None) -> ParsedFile:
    """Parse one file by its extension; raises ArticleFileError for a file that holds no article. `url` is the
    address of a saved .html page (else the page's own canonical address is used)."""
    suffix = path.suffix.lower()
    try:
        if not path.is_file():  # a FIFO or a device would block the import or never end
            raise ArticleFileError("not a regular file" if path.exists() else "no such file")
        size = path.stat().st_size
        if size > _size_limit(suffix):
            raise ArticleFileError(_too_large(size, _size_limit(suffix)))
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleFileError(f"cannot read: {exc.strerror or exc}") from exc
    return parse_article_bytes(raw, suffix=suffix, source=display_name(path), url=url)


def _too_large(size: int, limit: int) -> str:
    return f"too large for an article file ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB)"


def parse_article_bytes(
    raw: bytes, *, suffix: str, source: str, max_bytes: int | None = None, url: str | None = None
) -> ParsedFile:
    """Articles from the bytes of a .txt, .json, .jsonl or .html file (read from disk or sent to the bot). The
    size is checked on the bytes themselves (what a sender claims may differ): at most `max_bytes`, or the limit
    of the file's kind. `url` is a saved page's address."""
    limit = _size_limit(suffix) if max_bytes is None else max_bytes
    if len(raw) > limit:
        raise ArticleFileError(_too_large(len(raw), limit))
    if not raw:
        raise ArticleFileError("empty file")
    if suffix in HTML_SUFFIXES:
        return ParsedFile([_parse_html(raw, source=source, url=url)], [])
    text = decode_text(raw)
    if suffix == ".json":
        return _parse_json(text, source=source)
    if suffix == ".jsonl":
        return _parse_jsonl(text, source=source)
    return ParsedFile([parse_article_text(text, source=source)], [])


def _parse_html(raw: bytes, *, source: str, url: str | None) -> ArticleDraft:
    # imported here: bot/page_extract.py uses this module's Aikyn-layout helpers
    from bot.page_extract import NotAnArticle, extract_article
    from bot.web_fetch import decode_document

    try:
        return extract_article(decode_document(raw), url, source=source)
    except NotAnArticle as exc:
        raise ArticleFileError(str(exc)) from exc


def decode_text(raw: bytes) -> str:
    """Bytes to text, whatever the editor's tool saved: UTF-8 (BOM or not, cut short or with a stray bad byte),
    UTF-16 (BOM or not, cut short), else the Kazakh single-byte code page KZ-1048 — which reads Russian
    windows-1251 text identically (the two differ only in letters Kazakh and Russian do not use).

    Binary data (NUL bytes, many control characters) is refused rather than imported as garbage.
    """
    text = _decoded(raw)
    sample = text[:8192]
    controls = len(_CONTROLS.findall(sample))
    if sample and controls / len(sample) > 0.05:
        raise ArticleFileError("binary file (control characters), not text")
    return text


def _decoded(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return _utf16(raw[2:], codec)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        # A UTF-8 file cut mid-letter, or with a stray byte, keeps its text; a single-byte file gives a
        # replacement character for nearly every Cyrillic letter.
        if text.count("\ufffd") > max(3, len(text) // 1000):
            text = ""
    if text and "\x00" not in text[:8192]:
        return text
    utf16 = _utf16_without_bom(raw[:8192])
    if utf16 is not None:
        return _utf16(raw, utf16)
    if b"\x00" in raw[:8192]:
        raise ArticleFileError("binary file (contains NUL bytes), not text")
    return text or raw.decode("kz1048", errors="replace")


def _utf16(raw: bytes, codec: str) -> str:
    """UTF-16 text; a file cut in the middle of a character loses that character only."""
    return raw[: len(raw) // 2 * 2].decode(codec, errors="replace")


def _utf16_without_bom(sample: bytes) -> str | None:
    """The UTF-16 byte order ("utf-16-le" or "utf-16-be") in which the sample reads as Cyrillic, Latin or
    punctuation: nearly every high byte is 0x00 (Latin, digits, spaces), 0x04 (Cyrillic) or 0x20 (dashes)."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    for codec, high in (("utf-16-le", sample[1 : pairs * 2 : 2]), ("utf-16-be", sample[0 : pairs * 2 : 2])):
        if sum(1 for byte in high if byte in (0x00, 0x04, 0x20)) >= 0.95 * pairs:
            return codec
    return None


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\u00a0\u200b]+", " ", line).strip()
        lines.append(line)
    return lines


def is_promo(paragraph: str) -> bool:
    """Aikyn's boilerplate promo paragraph («…«Айқынның» Telegram арнасынан таба аласыз.»)."""
    return any(p.search(paragraph) for p in _PROMO_PATTERNS)


def is_views_marker(line: str) -> bool:
    return bool(_VIEWS_WORD.fullmatch(line.strip()))


def view_count(line: str) -> int | None:
    """The number on a view-count line («1,142»), else None."""
    if _VIEWS_LINE.fullmatch(line):
        return int(re.sub(r"\D", "", line))
    return None


def parse_article_text(text: str, *, source: str = "") -> ArticleDraft:
    """Parse Aikyn's text layout: [lead], title, view count, «оқылды», body paragraphs, promo footer.

    Files that lack the lead or the view count still parse: without the «оқылды» marker the first line is the
    title, unless it reads as a paragraph (long, ends like a sentence): then it is body, and the title comes from
    the start of the text. A file of one line is one paragraph.
    """
    lines = _clean_lines(text)
    nonempty = [i for i, line in enumerate(lines) if line]
    if not nonempty:
        raise ArticleFileError("no text (only blank lines)")
    head = [lines[i] for i in nonempty[:8]]
    title, lead, views, first_body = _head(head)
    paragraphs = head[first_body:] + [line for line in lines[nonempty[len(head) - 1] + 1 :] if line]
    if len(title) > MAX_TITLE_CHARS:
        paragraphs.insert(0, title)
        title = ""
    while paragraphs and is_promo(paragraphs[-1]):
        paragraphs.pop()
    if not paragraphs:  # one line (or a lead and a title only): that line is the body
        paragraphs, title = ([lead], title) if lead else ([title], "")
    if not title:
        title = _title_from_text(paragraphs[0])
    return ArticleDraft(title=title, lead=lead, body="\n\n".join(paragraphs), views=views, source=source)


def _head(head: list[str]) -> tuple[str, str, int | None, int]:
    """Title line, lead, view count, and where the body starts among the first non-empty lines. Without Aikyn's
    layout, a first line that reads as a paragraph is body: the title is "" then."""
    marker = next((k for k, line in enumerate(head) if _VIEWS_WORD.fullmatch(line)), None)
    if marker is not None and marker >= 2 and view_count(head[marker - 1]) is not None:
        title, lead = head[marker - 2], " ".join(head[: marker - 2])
        first_body = marker + 1
        views = view_count(head[marker - 1])
    else:
        first, views = 0, None
        if view_count(head[0]) is not None and len(head) > 1:
            views, first = view_count(head[0]), 1
        title, lead, first_body = head[first], "", first + 1
        if reads_as_paragraph(title):
            return "", "", views, first
    return title, "" if lead == title else lead, views, first_body


_SENTENCE_END = re.compile(r"[.!?…][»\"”’)]*$")
PARAGRAPH_MIN_CHARS = 100


def reads_as_paragraph(line: str) -> bool:
    """A line that is body text rather than a title: long and ending like a sentence."""
    return len(line) >= PARAGRAPH_MIN_CHARS and bool(_SENTENCE_END.search(line))


DERIVED_TITLE_CHARS = 120


def _title_from_text(text: str) -> str:
    """A title for an article that has none of its own: its first sentence, shortened at a word."""
    first = re.split(r"(?<=[.!?…])\s", text, maxsplit=1)[0].strip()
    if len(first) > DERIVED_TITLE_CHARS:
        first = first[: DERIVED_TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:–—-") + "…"
    return first[:-1] if first.endswith(".") and not first.endswith("..") else first


def _json_value(text: str, *, where: bool = True) -> object:
    """json.loads, with every way it can fail on hostile input turned into one reason."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if not where:
            raise ArticleFileError(f"invalid JSON ({exc.msg})") from exc
        raise ArticleFileError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise ArticleFileError("invalid JSON: nested too deep") from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ArticleFileError(f"invalid JSON: {exc}") from exc


def _parse_json(text: str, *, source: str) -> ParsedFile:
    data = _json_value(text)
    records = data if isinstance(data, list) else [data]
    drafts, problems = [], []
    for n, record in enumerate(records, start=1):
        try:
            drafts.append(draft_from_record(record, source=source))
        except ArticleFileError as exc:
            problems.append(f"record {n}: {exc}")
    if not drafts:
        raise ArticleFileError("; ".join(problems[:3]) or "no records")
    return ParsedFile(drafts, problems)


def _parse_jsonl(text: str, *, source: str) -> ParsedFile:
    drafts, problems = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            drafts.append(draft_from_record(_json_value(line, where=False), source=source))
        except ArticleFileError as exc:
            problems.append(f"line {n}: {exc}")
    if not drafts:
        raise ArticleFileError("; ".join(problems[:3]) or "no records")
    return ParsedFile(drafts, problems)


def draft_from_record(record: object, *, source: str) -> ArticleDraft:
    """One JSON object with explicit fields (title, lead, body, url, published_at, views, source)."""
    if not isinstance(record, dict):
        raise ArticleFileError("a record must be a JSON object")
    title = _text_field(record, "title")
    body_lines = _body_field(record.get("body"))
    if not title:
        raise ArticleFileError("missing field 'title'")
    if not body_lines:
        raise ArticleFileError("missing field 'body'")
    url = _text_field(record, "url") or None
    return ArticleDraft(
        title=title[:MAX_TITLE_CHARS],
        lead=_text_field(record, "lead"),
        body="\n\n".join(body_lines),
        url=web_url(url) if url else None,
        published_at=parse_published_at(record.get("published_at")),
        views=_views_field(record.get("views")),
        source=_text_field(record, "source") or source,
    )


def _body_field(value: object) -> list[str]:
    """The body's paragraphs, from text or a list of texts; promo footer dropped."""
    if isinstance(value, list):
        if not all(isinstance(p, str | int | float) for p in value):
            raise ArticleFileError("field 'body' must be text or a list of paragraphs (texts)")
        value = "\n\n".join(str(p) for p in value)
    elif value is not None and not isinstance(value, str | int | float):
        raise ArticleFileError("field 'body' must be text or a list of paragraphs (texts)")
    lines = [line for line in _clean_lines(str(value or "")) if line]
    while lines and is_promo(lines[-1]):
        lines.pop()
    return lines


MAX_VIEWS = 10**12


def _views_field(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        views = int(str(value).replace(",", "").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        views = -1
    if isinstance(value, bool) or not 0 <= views <= MAX_VIEWS:
        raise ArticleFileError(f"field 'views' is not a view count: {str(value)[:40]!r}")
    return views


MAX_URL_CHARS = 2048
# http(s), a host of letters, digits, dots and hyphens (IDN letters too), an optional port, then no whitespace,
# control characters or marks that are not allowed in a URL: Telegram refuses a button with such a URL.
_WEB_URL = re.compile(r"https?://(?:[^\W_]|[-.])+(?::\d{1,5})?(?:[/?#][^\s<>\"'`{}|\\^\x00-\x1f\x7f]*)?", re.IGNORECASE)


def is_web_url(value: str) -> bool:
    """Whether a URL (stored by an older version, say) can go on a button."""
    return len(value) <= MAX_URL_CHARS and bool(_WEB_URL.fullmatch(value))


def web_url(value: str) -> str:
    """An article's http(s) URL as given, or ArticleFileError: refused here, it can never break a button."""
    url = value.strip()
    if len(url) > MAX_URL_CHARS or not _WEB_URL.fullmatch(url):
        raise ArticleFileError(f"field 'url' is not a valid http(s) URL: {url[:80]!r}")
    return url


def _text_field(record: dict[str, object], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ArticleFileError(f"field {name!r} must be text")
    return " ".join(str(value).split())


EARLIEST_YEAR, LATEST_YEAR = 1800, 2200


def parse_published_at(value: object) -> datetime | None:
    """ISO 8601 date or datetime; a value without a zone is taken as Asia/Almaty local time (UTC+5)."""
    if value in (None, ""):
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ArticleFileError(f"field 'published_at' is not an ISO date: {str(value)[:40]!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Asia/Almaty"))
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ArticleFileError(f"field 'published_at' is out of range ({EARLIEST_YEAR}–{LATEST_YEAR}): {text!r}")
    return moment.astimezone(UTC)
