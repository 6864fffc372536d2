"""A stand-in for the Telegram Bot API: the offline console talks to it in-process, tests over HTTP."""

from bot.fakeapi.core import FakeBotApi, RecordedCall

__all__ = ["FakeBotApi", "RecordedCall"]
