"""Checks HTML parse mode text the way Telegram does, returning the error Telegram would give."""

from __future__ import annotations

import re
from html import unescape

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
    "tg-time",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*(/?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_PLAIN_RUN = re.compile(r"[^<&]+")


def check_html(text: str) -> tuple[str | None, str]:
    """(error or None, the text after entity parsing)."""
    stack: list[str] = []
    plain: list[str] = []
    position = 0
    while position < len(text):
        ch = text[position]
        if ch == "<":
            match = _TAG.match(text, position)
            if not match:
                return f"Can't parse entities: unexpected character '<' at byte offset {position}", ""
            closing, name, _attrs, _self = match.groups()
            name = name.lower()
            if name not in ALLOWED_TAGS:
                return f'Can\'t parse entities: unsupported start tag "{name}" at byte offset {position}', ""
            if closing:
                if not stack or stack[-1] != name:
                    return (
                        f"Can't parse entities: can't find end tag corresponding to start tag "
                        f'"{stack[-1] if stack else name}"'
                    ), ""
                stack.pop()
            else:
                stack.append(name)
            position = match.end()
            continue
        if ch == "&":
            match = _ENTITY.match(text, position)
            if not match:
                return f"Can't parse entities: unsupported entity at byte offset {position}", ""
            plain.append(unescape(match.group(0)))
            position = match.end()
            continue
        run = _PLAIN_RUN.match(text, position)
        assert run is not None  # text[position] is neither < nor &
        plain.append(run.group(0))
        position = run.end()
    if stack:
        return f"Can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\"", ""
    return None, "".join(plain)
