"""Telegram's per-channel limit kept exactly: at most `limit` posts in any `period` seconds."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable


class ChannelWindow:
    """A sliding window over the times the channel accepted posts, and a lock so one post is sent at a time.

    A token bucket (PTB's AIORateLimiter) lets a full bucket go at once and then refills, so a window can see
    up to twice its rate; here the 21st post waits until the first one is a whole period old. Times are taken
    after Telegram answered, so they are never earlier than when Telegram counted the post.
    """

    def __init__(self, limit: int = 20, period: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self._accepted: deque[float] = deque(maxlen=limit)
        self.lock = asyncio.Lock()

    def wait_seconds(self) -> float:
        """How long until another post may go (0 when it may go now)."""
        if len(self._accepted) < self.limit:
            return 0.0
        return max(0.0, self._accepted[0] + self.period - self.clock())

    def note_accepted(self) -> None:
        self._accepted.append(self.clock())
