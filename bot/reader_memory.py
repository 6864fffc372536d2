"""What the bot remembers about readers between their messages, within fixed bounds.

python-telegram-bot's `user_data`/`chat_data` keep an entry for every user and chat that ever wrote, for as long
as the process lives (20,000 readers: +17 MB, never freed); this keeps only the most recent, and forgetting is
harmless: a forgotten language falls back to the reader's Telegram language, a forgotten search makes its
paging buttons say they are stale.
"""

from __future__ import annotations

from collections import OrderedDict

MAX_LANGUAGES = 50_000
MAX_SEARCHES = 20_000


class _Bounded(OrderedDict[tuple[int, int] | int, str]):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, key: tuple[int, int] | int, value: str) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


class ReaderMemory:
    """Each reader's chosen language (/lang) and the queries behind recent search pages' buttons."""

    def __init__(self, *, max_languages: int = MAX_LANGUAGES, max_searches: int = MAX_SEARCHES) -> None:
        self._languages = _Bounded(max_languages)
        self._searches = _Bounded(max_searches)
        self._last_token = 0

    def language(self, user_id: int) -> str | None:
        return self._languages.get(user_id)

    def set_language(self, user_id: int, language: str) -> None:
        self._languages.remember(user_id, language)

    def search_token(self, chat_id: int, query: str) -> int:
        """A short number that stands for the query in a button's callback data (≤ 64 bytes)."""
        self._last_token += 1
        self._searches.remember((chat_id, self._last_token), query)
        return self._last_token

    def search_query(self, chat_id: int, token: int) -> str | None:
        """The query behind a button of this chat, unless it was forgotten (or is another chat's)."""
        return self._searches.get((chat_id, token))

    def __len__(self) -> int:
        return len(self._languages) + len(self._searches)
