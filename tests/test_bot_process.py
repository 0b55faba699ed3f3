"""`publ-bot` as the operator starts it: a separate process reading its settings from the
environment. Exit codes, graceful stop, and that no secret ever reaches a log line."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from fixtures.slack import (
    BOT_TOKEN,
    CHANNEL_ID,
    SIGNING_SECRET,
    SlackStandIn,
    send_signed,
    slash_body,
)

ROOT = Path(__file__).resolve().parent.parent
PUBL_PASSWORD = "Pr0cess-Test-Passw0rd"  # noqa: S105 - a test value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BotProcess:
    """`python -m bot` with its own environment; collects every line it logs."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.lines: list[str] = []
        self.proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self, ready_marker: str | None = "started") -> BotProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=self.env.get("PWD", str(ROOT)), env=self.env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        self._reader = asyncio.create_task(self._read())
        if ready_marker is not None:
            await self.wait_for_line(ready_marker)
        return self

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        async for raw in self.proc.stdout:
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    async def wait_for_line(self, fragment: str, timeout: float = 20.0) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            for line in self.lines:
                if fragment in line:
                    return line
            if self.proc is not None and self.proc.returncode is not None:
                break
            await asyncio.sleep(0.02)
        raise AssertionError(f"no log line with {fragment!r}; got:\n" + "\n".join(self.lines))

    async def stop(self, timeout: float = 15.0) -> int:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout)
        return code

    async def wait(self, timeout: float = 15.0) -> int:
        assert self.proc is not None
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout)
        return code


def bot_env(tmp_path: Path, slack_api: SlackStandIn, **extra: str) -> dict[str, str]:
    """A clean environment for a bot process (no developer settings, private HOME)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
        "PWD": str(tmp_path), "PYTHONPATH": str(ROOT),
        "STORAGE_DIR": str(tmp_path / "storage"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'storage' / 'publ.db'}",
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.base_url, "SLACK_CHANNEL": CHANNEL_ID,
        "SLACK_RETRY_BACKOFF_SECONDS": "0.01", "PUBL_PASSWORD": PUBL_PASSWORD,
        "PUBL_EMAIL": "operator@example.com", "PUBL_CHANNEL_ID": "L2NoYW5uZWxzLzE3Njkx",
        "PUBL_CONSOLE_URL": "http://127.0.0.1:9",  # nothing listens: the download fails fast
        "BROWSER_TIMEOUT_MS": "2000", "RETRY_BACKOFF_SECONDS": "0.01", "DOWNLOAD_RETRIES": "0",
        "BOT_HOST": "127.0.0.1", "PORT": str(free_port()), "LOG_LEVEL": "DEBUG",
        "BOT_SHUTDOWN_GRACE_SECONDS": "10",
    }
    if os.environ.get("CHROMIUM_PATH"):
        env["CHROMIUM_PATH"] = os.environ["CHROMIUM_PATH"]
    env.update(extra)
    return env


async def test_missing_tokens_exit_2_with_a_clear_sentence(tmp_path: Path,
                                                         slack_api: SlackStandIn) -> None:
    env = bot_env(tmp_path, slack_api, SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="")
    bot = await BotProcess(env).start(ready_marker=None)
    assert await bot.wait() == 2
    output = "\n".join(bot.lines)
    assert "SLACK_BOT_TOKEN" in output and "SLACK_SIGNING_SECRET" in output
    assert ".env" in output
    assert "Traceback" not in output


async def test_sigterm_stops_the_bot_cleanly(tmp_path: Path, slack_api: SlackStandIn) -> None:
    env = bot_env(tmp_path, slack_api)
    bot = await BotProcess(env).start()
    url = f"http://127.0.0.1:{env['PORT']}/slack/events"
    assert (await send_signed(url, slash_body("help"))).status == 200
    assert await bot.stop() == 0
    assert "Traceback" not in "\n".join(bot.lines)


async def test_no_secret_in_any_log_line(tmp_path: Path, slack_api: SlackStandIn) -> None:
    """At DEBUG, through a run that fails (its errors logged too): neither token, the signing
    secret nor the publ password appears. (Socket Mode: `test_bot_socket_mode`.)"""
    env = bot_env(tmp_path, slack_api)
    http_bot = await BotProcess(env).start()
    url = f"http://127.0.0.1:{env['PORT']}/slack/events"
    assert (await send_signed(url, slash_body(""))).status == 200
    assert (await send_signed(url, slash_body("status",
                                              response_url=slack_api.new_response_url()))
            ).status == 200
    await slack_api.wait_for("chat.update", timeout=30)  # the run ended (failed: no console)
    assert (await send_signed(url, slash_body(), secret="forged")).status == 401
    await http_bot.stop()

    logged = "\n".join(http_bot.lines)
    assert "DEBUG" in logged  # the check ran at the most talkative level
    assert "chat.update" in logged  # …and saw the Web API traffic
    for secret in (BOT_TOKEN, SIGNING_SECRET, PUBL_PASSWORD):
        assert secret not in logged
    # Parts of a token are secrets too (a log that cut it would still leak it).
    assert BOT_TOKEN[-12:] not in logged
