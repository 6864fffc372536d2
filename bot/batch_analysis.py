"""`aikyn-bot analyze --json/--jsonl`: an article's analysis as a JSON record, one record per input line.

Entity spans are character offsets into the `body` as given. The analysis reads the body with its lines
stripped and blank lines dropped, after the title and the lead (see `analyze_article`); `body_offsets` maps
offsets in that text back to the body.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import datetime
from typing import IO, Any

from bot.analysis import Analysis, analyze_article


def analysis_record(title: str, lead: str, body: str, published_at: datetime | None = None) -> dict[str, Any]:
    """The analysis of one article as plain JSON-ready data."""
    analysis = analyze_article(title, lead, body, published_at)
    return {"title": title, "lead": lead, **analysis_fields(analysis, title, lead, body)}


def analysis_fields(analysis: Analysis, title: str, lead: str, body: str) -> dict[str, Any]:
    """What the analysis found, as plain JSON-ready data (entity spans are offsets into `body`)."""
    return {
        "summary": analysis.summary,
        "sentences": analysis.sentences,
        "quotes": [asdict(q) for q in analysis.quotes],
        "events": [
            {
                "when": e.when,
                "year": e.year,
                "year_end": e.year_end,
                "date": e.date.isoformat() if e.date else None,
                "what": e.what,
            }
            for e in analysis.events
        ],
        "entities": _entities(analysis, title, lead, body),
    }


def _entities(analysis: Analysis, title: str, lead: str, body: str) -> list[dict[str, Any]]:
    to_body = BodyOffsets(title, lead, body)
    entities = []
    for e in analysis.entities:
        spans = [span for span in (to_body.span(s, t) for s, t in e.spans) if span is not None]
        entities.append({"name": e.name, "kind": e.kind, "mentions": e.mentions, "spans": spans})
    return entities


class BodyOffsets:
    """Maps offsets in the text the analysis read (title, lead, then the body's non-blank stripped lines, each
    on its own line) to offsets in the body; a span in the title or the lead maps to nothing."""

    def __init__(self, title: str, lead: str, body: str) -> None:
        head = "\n".join(part for part in (title, lead) if part)
        self._text_starts: list[int] = []
        self._body_starts: list[int] = []
        self._lengths: list[int] = []
        position = len(head) + 1 if head else 0
        line_start = 0
        for line in body.split("\n"):
            stripped = line.strip()
            if stripped:
                self._text_starts.append(position)
                self._body_starts.append(line_start + len(line) - len(line.lstrip()))
                self._lengths.append(len(stripped))
                position += len(stripped) + 1
            line_start += len(line) + 1

    def span(self, start: int, end: int) -> list[int] | None:
        """[start, end] in the body, if the span lies within one line of it."""
        line = bisect.bisect_right(self._text_starts, start) - 1
        if line < 0 or end - self._text_starts[line] > self._lengths[line]:
            return None
        shift = self._body_starts[line] - self._text_starts[line]
        return [start + shift, end + shift]


def _record_from_line(line: str) -> dict[str, Any]:
    """One input line → its analysis, or an error object saying what is wrong with the line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"invalid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(data, dict):
        return {"error": "a record must be a JSON object with title, lead and body"}
    body = data.get("body")
    if isinstance(body, list) and all(isinstance(p, str) for p in body):
        body = "\n\n".join(body)
    title, lead = data.get("title") or "", data.get("lead") or ""
    if not isinstance(body, str) or not isinstance(title, str) or not isinstance(lead, str):
        return {"error": "title, lead and body must be text (body may be a list of paragraphs)"}
    try:
        return analysis_record(title, lead, body)
    except Exception as exc:  # one text the analysis cannot handle must not stop the batch
        return {"error": f"analysis failed: {type(exc).__name__}: {exc}"}


def _result_line(numbered: tuple[int, str]) -> str:
    number, line = numbered
    record: dict[str, Any] = _record_from_line(line) if line.strip() else {"error": "empty line"}
    if "error" in record:
        record["line"] = number
    return json.dumps(record, ensure_ascii=False) + "\n"


def analyze_lines(lines: Iterable[str], out: IO[str], *, workers: int | None = None, batch: int = 2000) -> int:
    """Analyse JSON Lines records and write one compact JSON result per input line, in order.

    Beyond one batch of lines, batches are analysed by `workers` processes (default: one per core); results are
    still written in input order.
    """
    workers = workers or os.cpu_count() or 1
    numbered = enumerate(lines, start=1)
    chunk = list(itertools.islice(numbered, batch))
    if workers == 1 or len(chunk) < batch:  # a short input is done before a pool of processes would start
        out.writelines(map(_result_line, itertools.chain(chunk, numbered)))
        out.flush()
        return 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        while chunk:
            out.writelines(pool.map(_result_line, chunk, chunksize=max(1, len(chunk) // (4 * workers))))
            chunk = list(itertools.islice(numbered, batch))
    out.flush()
    return 0
