"""Webhook mode with a health check: updates POSTed by Telegram on WEBHOOK_URL's path, and GET /healthz on the
same port for a load balancer, a container runtime or a monitor.

python-telegram-bot's own webhook server serves only the update path (its maintainers leave extra endpoints to a
custom server: PTB's customwebhookbot example). So this is that custom server, on tornado (which PTB's webhooks
extra installs): the update handler does what PTB's does — JSON only, the secret token checked, the update put on
the application's queue — and the application is run around it the way Application.run_webhook runs it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from telegram import Update
from telegram.ext import Application, ExtBot
from tornado.httpserver import HTTPServer

from bot.application import close_transports
from bot.config import Settings
from bot.event_loop import new_event_loop
from bot.services import services
from storage import maintenance

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
DATABASE_TIMEOUT = 5.0  # seconds the database may take to answer the health check
LISTEN = "0.0.0.0"


def run_webhook(app: Application, settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT, then stop cleanly (as Application.run_webhook would)."""

    async def serve_then_close() -> None:
        try:
            await serve_webhook(app, settings, stop=None)
        finally:
            await close_transports(app)

    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        runner.run(serve_then_close())


async def serve_webhook(app: Application, settings: Settings, *, stop: asyncio.Event | None) -> None:
    """Start the application, listen on WEBHOOK_PORT, register the webhook, run until `stop` is set (or a stop
    signal arrives when `stop` is None), and shut everything down in order."""
    with _stop_event(stop) as stopping:
        try:
            async with app:  # initialize … shutdown
                if app.post_init is not None:
                    await app.post_init(app)
                server = HTTPServer(_web_app(app, settings))
                server.listen(settings.webhook_port, address=LISTEN)
                try:
                    await app.bot.set_webhook(
                        settings.webhook_url,
                        secret_token=settings.webhook_secret or None,
                        allowed_updates=Update.ALL_TYPES,
                    )
                    await app.start()
                    await stopping.wait()
                finally:
                    server.stop()
                    await server.close_all_connections()
                    if app.running:
                        await app.stop()
                        if app.post_stop is not None:
                            await app.post_stop(app)
        finally:
            if app.post_shutdown is not None:
                await app.post_shutdown(app)


@contextmanager
def _stop_event(stop: asyncio.Event | None) -> Iterator[asyncio.Event]:
    if stop is not None:
        yield stop
        return
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for number in signals:
        loop.add_signal_handler(number, stopping.set)
    try:
        yield stopping
    finally:
        for number in signals:
            loop.remove_signal_handler(number)


def _web_app(app: Application, settings: Settings) -> tornado.web.Application:
    path = "/" + urlsplit(settings.webhook_url).path.lstrip("/")
    return tornado.web.Application(
        [
            (HEALTH_PATH, HealthHandler, {"app": app}),
            (rf"{path.rstrip('/')}/?", UpdateHandler, {"app": app, "secret": settings.webhook_secret or None}),
        ],
        log_function=lambda handler: None,  # no access log: the update path may be a secret of its own
    )


async def health_problem(app: Application) -> str | None:
    """Why the bot is not healthy, or None: the application must be running and the database answering."""
    if not app.running:
        return "the application is not running"
    try:
        await asyncio.wait_for(maintenance.answers(services(app).db), DATABASE_TIMEOUT)
    except TimeoutError:
        return f"the database did not answer within {DATABASE_TIMEOUT:g} s"
    except Exception as exc:
        return f"the database did not answer: {exc}"
    return None


class HealthHandler(tornado.web.RequestHandler):
    """GET /healthz: 200 `ok`, or 503 and the reason."""

    def initialize(self, app: Application) -> None:
        self.app = app

    def compute_etag(self) -> None:
        return None  # a health answer is never "not modified"

    async def get(self) -> None:
        problem = await health_problem(self.app)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if problem is not None:
            log.warning("health check failed: %s", problem)
            self.set_status(HTTPStatus.SERVICE_UNAVAILABLE)
        self.finish(f"{problem or 'ok'}\n")


class UpdateHandler(tornado.web.RequestHandler):
    """POST from Telegram: one update, queued for the application."""

    def initialize(self, app: Application, secret: str | None) -> None:
        self.app = app
        self.secret = secret

    async def post(self) -> None:
        if self.request.headers.get("Content-Type") != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        if self.secret is not None and self.request.headers.get("X-Telegram-Bot-Api-Secret-Token") != self.secret:
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data: Any = json.loads(self.request.body)
            update = Update.de_json(data, self.app.bot)
        except Exception as exc:
            log.error("webhook: an update that could not be read was refused", exc_info=exc)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from exc
        if isinstance(self.app.bot, ExtBot):
            self.app.bot.insert_callback_data(update)
        await self.app.update_queue.put(update)
