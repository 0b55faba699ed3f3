"""`publ-bot` / `python -m bot`: the Slack bot.

Socket Mode when `SLACK_APP_TOKEN` is set (no public URL needed), otherwise HTTP on `PORT`
at `/slack/events`. `GET /healthz` on `PORT` (HTTP mode) or `HEALTH_PORT` (Socket Mode).
Missing tokens end it at once with exit 2 and a sentence saying which.
An app token Slack refuses ends it with exit 2 (a settings error: systemd does not restart
it), Slack out of reach after `SLACK_CONNECT_ATTEMPTS` with exit 1 (systemd may try again).
SIGTERM / Ctrl-C stop taking requests, give a running sync time to report, then exit 0 —
also while the bot is still connecting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence

from aiohttp import web
from pydantic import ValidationError
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot import connection
from bot.app import build_app
from bot.core import BotCore, Runner
from bot.health import HealthServer, LoopTicker
from bot.scheduler import schedule_trigger
from sync import faults, housekeeping, install_folder, redact
from sync.adopt import adoption_refusal
from sync.db import close_all
from sync.errors import SettingsError
from sync.i18n import t
from sync.settings import Settings

log = logging.getLogger("bot")


def create_bot(settings: Settings, *, runner: Runner | None = None) -> tuple[BotCore, AsyncApp]:
    """The real bot: core with the daily schedule and alerts installed, and its Bolt app."""
    from bot import alerts, drift_notice, scheduler

    core = BotCore(settings, runner=runner)
    scheduler.install(core)
    alerts.install(core)
    drift_notice.install(core)
    return core, build_app(core)


def missing_slack_settings(settings: Settings) -> list[str]:
    """The settings the bot cannot start without, by their .env names, for the mode chosen:
    Socket Mode when `SLACK_APP_TOKEN` is set, HTTP when only `SLACK_SIGNING_SECRET` is.
    With neither, the app token is asked for: Socket Mode is how the guide sets it up."""
    missing = []
    if not settings.slack_bot_token.get_secret_value():
        missing.append("SLACK_BOT_TOKEN")
    if (not settings.slack_app_token.get_secret_value()
            and not settings.slack_signing_secret.get_secret_value()):
        missing.append("SLACK_APP_TOKEN")
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    """Start the bot; returns the process exit code."""
    del argv  # no options: everything is a setting
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    lang = install_folder.language_hint()
    try:
        settings = Settings()
    except ValidationError as error:
        fields = ", ".join(str(e["loc"][0]).upper() for e in error.errors() if e["loc"])
        print(t("bot.start.invalid", lang, names=fields), file=sys.stderr)
        return 2
    except PermissionError as error:  # a .env made by root, mode 0600
        print(install_folder.unreadable_env_message(lang, error), file=sys.stderr)
        return 2
    logging.getLogger().setLevel(settings.log_level.upper())
    redact.install(settings)
    missing = missing_slack_settings(settings)
    if missing:
        if install_folder.outside_install_folder():
            print(install_folder.no_env_message(settings.bot_language), file=sys.stderr)
        else:
            key = "bot.start.missing_mode" if "SLACK_APP_TOKEN" in missing else "bot.start.missing"
            print(t(key, settings.bot_language, names=", ".join(missing)), file=sys.stderr)
        return 2
    try:  # a wrong TIMEZONE or SYNC_SCHEDULE is one sentence and exit 2, not a traceback
        schedule_trigger(settings.sync_schedule, settings.timezone, settings.bot_language)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    refusal = asyncio.run(adoption_refusal(settings.effective_database_url))
    if refusal is not None:  # the dashboard's tables cannot be adopted: say why, start nothing
        for sentence in [*refusal.sentences(settings.bot_language),
                         t("adopt.refused", settings.bot_language)]:
            print(sentence, file=sys.stderr)
        return 2
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(settings))
    except connection.ConnectFailed as failed:
        print(failed.message, file=sys.stderr)
        return 2 if failed.refused else 1
    return 0


async def serve(settings: Settings, stop: asyncio.Event | None = None, *,
                runner: Runner | None = None) -> None:
    """Run the bot until `stop` is set (by SIGTERM/SIGINT when not given)."""
    stop = stop or _stop_on_signals()
    core, app = create_bot(settings, runner=runner)
    app_token = settings.slack_app_token.get_secret_value()
    socket: AsyncSocketModeHandler | None = None
    http: web.AppRunner | None = None
    ticker = LoopTicker(settings.health_loop_stale_seconds)
    ticking = asyncio.create_task(ticker.run())
    probe: HealthServer | None = None
    try:
        if app_token:
            socket = AsyncSocketModeHandler(app, app_token)
            if not await connection.connect(socket, settings, stop):
                return
            log.info(t("bot.start.socket", settings.bot_language))
            if settings.health_port:
                probe = HealthServer(core, ticker, settings.bot_host,
                                     settings.health_port).start()
        else:
            http = web.AppRunner(app.web_app(path="/slack/events"))
            await http.setup()
            # The health thread owns PORT: /healthz answered there even when the loop
            # stalls, every Slack request handed to aiohttp as it arrives.
            probe = HealthServer(core, ticker, settings.bot_host, settings.port,
                                 handoff=http.server).start()
            log.info(t("bot.start.http", settings.bot_language, port=settings.port))
        if not settings.slack_channel:
            log.warning(t("bot.start.no_channel", settings.bot_language))
        await _prepare_storage(settings)
        await core.start()
        log.info(t("bot.start.ready", settings.bot_language))
        await stop.wait()
        log.info(t("bot.stop.stopping", settings.bot_language))
    finally:
        if probe is not None:
            probe.stop()
        ticking.cancel()
        if socket is not None:
            await socket.close_async()
        if http is not None:
            await http.cleanup()
        await core.stop()
        await close_all()


async def _prepare_storage(settings: Settings) -> None:
    """At start: storage folders made and tightened (0700, files 0600, the SQLite file too),
    the database migrated, runs left unfinished closed. A fault here is told in one line;
    each run tries again and reports it."""
    try:
        await housekeeping.prepare(settings)
    except Exception as error:  # the bot still answers Slack; the run will say what is wrong
        fault = faults.recognise(error, settings)
        if fault is not None:
            log.warning("%s", fault.message)
        else:
            log.warning("could not prepare storage: %s", type(error).__name__)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return stop


if __name__ == "__main__":
    sys.exit(main())
