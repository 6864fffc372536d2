"""The running bot's event loop: uvloop's where it is installed (Linux, macOS), else asyncio's own.

Under a burst of readers the bot's process is busy with small network reads and writes, callbacks and timers for
each Bot API call; uvloop does that part in C (callgrind, a burst of /latest: 3.7% fewer instructions per update).
Nothing in the bot depends on which loop runs it, and the tests run it on asyncio's.
"""

from __future__ import annotations

import asyncio
import gc

# Objects a young-generation collection waits for. Each update makes a few hundred short-lived objects
# (python-telegram-bot's parsed update and answer) that reference counting frees anyway; at the default 700 the
# collector ran every couple of updates, rescanning whatever was in flight (callgrind, a burst of /latest: 2% fewer
# instructions per update at 20,000).
YOUNG_COLLECTION_THRESHOLD = 20_000


def new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # Windows: uvloop is not installed there
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def settle_collector() -> None:
    """After start-up: what is alive now (modules, settings, handlers, the database) is kept out of the collector's
    full passes — it lives as long as the process, and under a burst of readers those passes would rescan it again
    and again — and young collections run less often. Process-wide, so only for `aikyn-bot run`."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)
