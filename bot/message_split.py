"""Cutting a Telegram HTML message that is too long into several that are not, without breaking its markup."""

from __future__ import annotations

import re
from dataclasses import dataclass

MESSAGE_LIMIT = 4096
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&#?\w+;|.", re.DOTALL)
# Where a cut reads best: after a blank line, then a line break, then a space.
_BREAKS = {"\n\n": 3, "\n": 2, " ": 1}


@dataclass(frozen=True, slots=True)
class _Token:
    raw: str
    width: int  # UTF-16 code units, as Telegram counts a message's length
    tag: str = ""  # the tag's name, for an opening or closing tag
    closing: bool = False


def _tokens(html_text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(html_text):
        raw = match[0]
        if match[2]:
            tokens.append(_Token(raw, 0, match[2].lower(), bool(match[1])))
        elif raw.startswith("&") and len(raw) > 1:
            tokens.append(_Token(raw, 1))
        else:
            tokens.append(_Token(raw, 2 if ord(raw) > 0xFFFF else 1))
    return tokens


def split_html(html_text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Messages of at most `limit` visible characters, cut at the last blank line, line break or space that fits
    (anywhere, for a word longer than a message); a tag open at a cut is closed there and opened again in the
    next message, and no tag or entity (&amp;) is cut in two. A message that fits comes back as it is."""
    if len(html_text) <= limit and len(html_text.encode("utf-16-le")) <= 2 * limit:
        return [html_text]  # the markup alone fits: the common case costs one encode, not a parse
    tokens = _tokens(html_text)
    if sum(t.width for t in tokens) <= limit:
        return [html_text]
    messages: list[str] = []
    start, stack = 0, list[_Token]()
    while start < len(tokens):
        end, stack_at_end = _cut(tokens, start, stack, limit)
        body = "".join(t.raw for t in tokens[start:end])
        closers = "".join(f"</{t.tag}>" for t in reversed(stack_at_end))
        if any(t.width and not t.raw.isspace() for t in tokens[start:end]):
            messages.append("".join(t.raw for t in stack) + body.rstrip() + closers)
        start, stack = end, stack_at_end
    return messages


def _cut(tokens: list[_Token], start: int, stack: list[_Token], limit: int) -> tuple[int, list[_Token]]:
    """Where the message that begins at `start` ends, and which tags are open there: at the best kind of break
    in the second half of what fits, else at the last break, else where the limit falls."""
    open_tags = list(stack)
    width = 0
    latest: dict[int, tuple[int, int, list[_Token]]] = {}  # priority -> (width there, end, open tags)
    for i in range(start, len(tokens)):
        token = tokens[i]
        if width + token.width > limit and i > start:
            return _best_break(latest, limit) or (i, open_tags)
        width += token.width
        if token.tag:
            _track(open_tags, token)
            continue
        pair = "\n\n" if token.raw == "\n" and i > start and tokens[i - 1].raw == "\n" else token.raw
        priority = _BREAKS.get(pair)
        if priority is not None:
            latest[priority] = (width, i + 1, list(open_tags))
    return len(tokens), open_tags


def _best_break(latest: dict[int, tuple[int, int, list[_Token]]], limit: int) -> tuple[int, list[_Token]] | None:
    for priority in sorted(latest, reverse=True):
        width, end, open_tags = latest[priority]
        if width >= limit // 2:
            return end, open_tags
    if not latest:
        return None
    _, end, open_tags = max(latest.values(), key=lambda found: found[1])
    return end, open_tags


def _track(open_tags: list[_Token], tag: _Token) -> None:
    if not tag.closing:
        open_tags.append(tag)
        return
    for k in range(len(open_tags) - 1, -1, -1):
        if open_tags[k].tag == tag.tag:
            del open_tags[k]
            return
