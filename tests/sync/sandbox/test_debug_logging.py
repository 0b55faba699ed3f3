"""At LOG_LEVEL=DEBUG nothing personal or secret reaches the log: `publ-bot` in its own
process runs the real pipeline (sandbox console, real Chromium, real SQLite) for a signed
/publ-sync and a signed button press, and everything it printed — every logger, stdout and
stderr — holds none of the seeded personal data, tokens, the password, the session cookie,
or the response_url paths.

SQLAlchemy and aiosqlite log whole rows and statement parameters at DEBUG, slack_sdk and
Bolt log request bodies (with response_url) and headers: the fix is one place
(`sync.redact.setup_logging`), not each call site.
"""

from __future__ import annotations

import asyncio
import os
import re
import urllib.parse
from pathlib import Path

from sync.sandbox import Sandbox
from tests.fixtures.slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    BotProcess,
    SlackStandIn,
    block_actions_body,
    bot_env,
    send_signed,
    slash_body,
)


def personal_values(sandbox: Sandbox) -> set[str]:
    data = sandbox.data
    values: set[str] = set()
    for row in data.members:
        values.update(row[key] for key in ("E-mail", "Name", "Username", "Mobile number",
                                           "Personal email address"))
    for row in data.orders:
        values.update((row["E-mail"], row["Name"]))
    for row in data.refunds:
        values.add(row["Username"])
    return {value for value in values if value and len(value) >= 4}


async def test_debug_logs_hold_no_personal_data_or_secrets(
        tmp_path: Path, slack_api: SlackStandIn, sandbox: Sandbox) -> None:
    env = bot_env(tmp_path, slack_api, LOG_LEVEL="DEBUG", PUBL_CONSOLE_URL=sandbox.url,
                  PUBL_EMAIL=sandbox.email, PUBL_PASSWORD=sandbox.password,
                  PUBL_CHANNEL_ID=sandbox.channel_id, BROWSER_TIMEOUT_MS="8000",
                  CHROMIUM_PATH=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    bot = await BotProcess(env).start()
    url = f"http://127.0.0.1:{env['PORT']}/slack/events"
    command_url = slack_api.new_response_url()
    button_url = slack_api.new_response_url()
    status_url = slack_api.new_response_url() + "Xy9secretHookPath"
    try:
        answer = await send_signed(url, slash_body(response_url=command_url))
        assert answer.status == 200
        await slack_api.wait_for("chat.update", timeout=90)
        pressed = await send_signed(url, block_actions_body("publ_sync_retry",
                                                            response_url=button_url))
        assert pressed.status == 200
        await slack_api.wait_for("chat.update", count=2, timeout=90)
        # `status` answers through its response_url (slack_sdk's webhook client)
        status = await send_signed(url, slash_body("status", response_url=status_url))
        assert status.status == 200
        await slack_api.wait_for("response_url", timeout=30)
        await asyncio.sleep(0.3)  # the last lines of the second run
    finally:
        assert await bot.stop() == 0
    output = "\n".join(bot.lines)
    assert "DEBUG" in output  # the level really was DEBUG
    assert sandbox.counters.logins >= 1

    secrets = {"bot token": BOT_TOKEN, "signing secret": SIGNING_SECRET,
               "password": sandbox.password, "e-mail": sandbox.email}
    for name, path in (("command response_url", command_url),
                       ("button response_url", button_url),
                       ("status response_url", status_url)):
        secrets[name] = urllib.parse.urlsplit(path).path
    cookies = set(sandbox.sessions.fresh)
    assert cookies, "the sandbox issued no session"
    for index, cookie in enumerate(sorted(cookies)):
        secrets[f"cookie {index}"] = cookie
    leaked_secrets = sorted(name for name, value in secrets.items() if value in output)
    leaked_personal = sorted(value for value in personal_values(sandbox) if value in output)
    assert leaked_secrets == [], _context(output, [secrets[n] for n in leaked_secrets])
    assert leaked_personal == [], _context(output, leaked_personal)


def _context(output: str, values: list[str]) -> str:
    """The first log lines holding each leaked value, to say which logger leaked it."""
    lines = []
    for value in values[:5]:
        for line in output.splitlines():
            if value in line:
                lines.append(re.sub(r"\s+", " ", line)[:300])
                break
    return "\n".join(lines)
