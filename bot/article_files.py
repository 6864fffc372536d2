"""Reading article files: Aikyn's plain-text layout, JSON and JSONL. Pure functions, no database."""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
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


def read_article_file(path: Path, *, url: str | None = None) -> ParsedFile:
    """Parse one file by its extension; raises ArticleFileError for a file that holds no article. `url` is the
    address of a saved .html page (else the page's own canonical address is used)."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ArticleFileError(f"cannot read: {exc.strerror or exc}") from exc
    limit = MAX_TEXT_BYTES if suffix not in {".json", ".jsonl"} else MAX_JSON_BYTES
    limit = MAX_HTML_BYTES if suffix in HTML_SUFFIXES else limit
    if size > limit:
        raise ArticleFileError(f"too large for an article file ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB)")
    if size == 0:
        raise ArticleFileError("empty file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleFileError(f"cannot read: {exc.strerror or exc}") from exc
    return parse_article_bytes(raw, suffix=suffix, source=str(path), url=url)


def parse_article_bytes(raw: bytes, *, suffix: str, source: str, url: str | None = None) -> ParsedFile:
    """Articles from the bytes of a .txt, .json, .jsonl or .html file (read from disk or sent to the bot)."""
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
    """Bytes to text: UTF-8 (BOM or not), else the Kazakh single-byte code page KZ-1048, else CP1251.

    Binary data (NUL bytes, many control characters) is refused rather than imported as garbage.
    """
    if b"\x00" in raw[:8192] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArticleFileError("binary file (contains NUL bytes), not text")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("kz1048", errors="replace")
    sample = text[:8192]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if sample and controls / len(sample) > 0.05:
        raise ArticleFileError("binary file (control characters), not text")
    return text


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

    Files that lack the lead or the view count still parse: without the «оқылды» marker the first line
    is the title and the rest the body.
    """
    lines = [line for line in _clean_lines(text)]
    nonempty = [i for i, line in enumerate(lines) if line]
    if not nonempty:
        raise ArticleFileError("no text (only blank lines)")
    head = [lines[i] for i in nonempty[:8]]
    views: int | None = None
    lead = ""
    body_from: int
    marker = next((k for k, line in enumerate(head) if _VIEWS_WORD.fullmatch(line)), None)
    if marker is not None and marker >= 2 and view_count(head[marker - 1]) is not None:
        views = view_count(head[marker - 1])
        title = head[marker - 2]
        if marker >= 3:
            lead = " ".join(head[: marker - 2])
        body_from = nonempty[marker] + 1
    else:
        first = 0
        if view_count(head[0]) is not None and len(head) > 1:
            views, first = view_count(head[0]), 1
        title = head[first]
        body_from = nonempty[first] + 1
    if lead == title:
        lead = ""
    paragraphs = [line for line in lines[body_from:] if line]
    while paragraphs and is_promo(paragraphs[-1]):
        paragraphs.pop()
    if len(title) > MAX_TITLE_CHARS:
        paragraphs.insert(0, title)
        title = _title_from_text(title)
    if not paragraphs:
        if lead:
            paragraphs = [lead]
        else:
            raise ArticleFileError("no body: the file has a title line and nothing else")
    return ArticleDraft(title=title, lead=lead, body="\n\n".join(paragraphs), views=views, source=source)


def _title_from_text(text: str) -> str:
    """A title for an article whose first line is a whole paragraph: its first sentence, shortened."""
    first = re.split(r"(?<=[.!?…])\s", text, maxsplit=1)[0]
    if len(first) <= MAX_TITLE_CHARS:
        return first
    return first[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _parse_json(text: str, *, source: str) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleFileError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    records = data if isinstance(data, list) else [data]
    drafts, problems = [], []
    for n, record in enumerate(records, start=1):
        try:
            drafts.append(draft_from_record(record, source=source))
        except ArticleFileError as exc:
            problems.append(f"record {n}: {exc}")
    if not drafts and problems:
        raise ArticleFileError("; ".join(problems[:3]))
    return ParsedFile(drafts, problems)


def _parse_jsonl(text: str, *, source: str) -> ParsedFile:
    drafts, problems = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            drafts.append(draft_from_record(json.loads(line), source=source))
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: invalid JSON ({exc.msg})")
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
    body_value = record.get("body")
    if isinstance(body_value, list):
        body_value = "\n\n".join(str(p) for p in body_value)
    body_lines = [line for line in _clean_lines(str(body_value or "")) if line]
    while body_lines and is_promo(body_lines[-1]):
        body_lines.pop()
    if not title:
        raise ArticleFileError("missing field 'title'")
    if not body_lines:
        raise ArticleFileError("missing field 'body'")
    url = _text_field(record, "url") or None
    if url and not re.match(r"https?://", url):
        raise ArticleFileError(f"field 'url' is not an http(s) URL: {url[:80]!r}")
    views = record.get("views")
    if views is not None:
        try:
            views = int(str(views).replace(",", "").replace(" ", ""))
        except ValueError as exc:
            raise ArticleFileError(f"field 'views' is not a number: {views!r}") from exc
    return ArticleDraft(
        title=title[:MAX_TITLE_CHARS],
        lead=_text_field(record, "lead"),
        body="\n\n".join(body_lines),
        url=url,
        published_at=parse_published_at(record.get("published_at")),
        views=views,
        source=_text_field(record, "source") or source,
    )


def _text_field(record: dict[str, object], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ArticleFileError(f"field {name!r} must be text")
    return " ".join(str(value).split())


def parse_published_at(value: object) -> datetime | None:
    """ISO 8601 date or datetime; a value without a zone is taken as Asia/Almaty local time (UTC+5)."""
    if value in (None, ""):
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ArticleFileError(f"field 'published_at' is not an ISO date: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Asia/Almaty"))
    return moment.astimezone(UTC)
