"""Settings: one frozen object read once from the environment and `.env`."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_URL = "https://api.telegram.org/bot"


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Everything `.env.example` documents, validated at start."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", frozen=True, extra="ignore")

    bot_token: str = ""
    channel_id: str = ""
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    database_path: Path = Path("data/aikyn.sqlite3")
    telegram_api_url: str = DEFAULT_API_URL
    timezone: Annotated[ZoneInfo, NoDecode] = ZoneInfo("Asia/Almaty")
    post_times: Annotated[tuple[time, ...], NoDecode] = (time(9), time(13), time(18))
    post_grace_minutes: int = Field(default=30, ge=0)
    send_rate_limit: float = Field(default=30.0, ge=0)
    seeds_dir: Path = Path("seeds")
    feed_urls: Annotated[tuple[str, ...], NoDecode] = ()
    # Approval of automatic posts: editors are asked this many minutes before each daily slot (0: not asked).
    approval_minutes: int = Field(default=0, ge=0, le=720)
    # What happens to an automatic post nobody answered by its slot.
    approval_default: Literal["publish", "skip"] = "publish"
    feed_interval: float = Field(default=5.0, gt=0, description="minutes between feed polls")
    notify_interval: float = Field(default=10.0, gt=0, description="seconds between runs of the followers' job")
    notify_daily_cap: int = Field(default=10, ge=1)
    notify_digest_time: Annotated[time, NoDecode] = time(20, 0)
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    backup_dir: Path | None = None
    backup_keep: int = Field(default=7, ge=1, description="daily backups kept in BACKUP_DIR")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> frozenset[int]:
        if isinstance(value, frozenset):
            return value
        if isinstance(value, int):
            return frozenset({value})
        ids = set()
        for part in str(value).replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not re.fullmatch(r"-?\d{1,20}", part):
                raise ValueError(f"{part!r} is not a numeric Telegram user id")
            ids.add(int(part))
        return frozenset(ids)

    @field_validator("timezone", mode="before")
    @classmethod
    def _parse_timezone(cls, value: object) -> ZoneInfo:
        if isinstance(value, ZoneInfo):
            return value
        try:
            return ZoneInfo(str(value).strip())
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Almaty)") from exc

    @field_validator("post_times", mode="before")
    @classmethod
    def _parse_post_times(cls, value: object) -> tuple[time, ...]:
        if isinstance(value, tuple):
            return value
        times = set()
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            match = re.fullmatch(r"(\d{1,2}):(\d{2})", part)
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                raise ValueError(f"{part!r} is not a time of day in HH:MM form")
            times.add(time(int(match[1]), int(match[2])))
        return tuple(sorted(times))

    @field_validator("notify_digest_time", mode="before")
    @classmethod
    def _parse_digest_time(cls, value: object) -> time:
        if isinstance(value, time):
            return value
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueError(f"{value!r} is not a time of day in HH:MM form")
        return time(int(match[1]), int(match[2]))

    @field_validator("feed_urls", mode="before")
    @classmethod
    def _parse_feed_urls(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        urls = tuple(u.strip() for u in str(value).split(",") if u.strip())
        for url in urls:
            if not re.match(r"https?://\S+$", url):
                raise ValueError(f"{url!r} is not an http(s) URL")
        return urls

    @field_validator("backup_dir", mode="before")
    @classmethod
    def _parse_backup_dir(cls, value: object) -> object:
        return None if value is None or not str(value).strip() else value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _parse_webhook_url(cls, value: object) -> str:
        url = str(value).strip()
        if url and not re.match(r"https?://[^/\s]+", url):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _parse_webhook_secret(cls, value: object) -> str:
        secret = str(value).strip()
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ValueError("use 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)")
        return secret

    @field_validator("telegram_api_url", mode="before")
    @classmethod
    def _parse_api_url(cls, value: object) -> str:
        url = str(value).strip() or DEFAULT_API_URL
        if not re.match(r"https?://", url):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url

    @field_validator("channel_id", mode="before")
    @classmethod
    def _parse_channel_id(cls, value: object) -> str:
        channel = str(value).strip()
        if channel and not re.fullmatch(r"@[A-Za-z][A-Za-z0-9_]{3,}|-?\d+", channel):
            raise ValueError(f"{channel!r} is neither @channelname nor a numeric chat id")
        return channel

    @property
    def telegram_file_url(self) -> str:
        """Where files sent to the bot are downloaded from: …/bot → …/file/bot (also for self-hosted servers)."""
        base = self.telegram_api_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    @property
    def channel_chat_id(self) -> int | str:
        """CHANNEL_ID as Telegram expects it: an int for numeric ids, else the @name."""
        return int(self.channel_id) if re.fullmatch(r"-?\d+", self.channel_id) else self.channel_id


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one message per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "?"
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise SettingsError("invalid setting: " + "; ".join(lines)) from None
