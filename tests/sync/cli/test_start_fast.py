"""`publ-sync run` starts fast without giving up a guarantee: Chromium starts while the
database is prepared, yet nothing is downloaded before the guard is taken and a browser the
run does not use leaves no process; `run` loads no module it never uses; the session check
decides as soon as the members page has drawn, without throwing away a session whose page
draws late.

Real Chromium against the sandbox console, the real runner on a real database; the speed
itself is measured by `bench/download_bench.py`, never asserted here.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

from sync import runlog
from sync.errors import AlreadyRunning
from sync.housekeeping import prepare
from sync.models import utcnow
from sync.runner import run_sync
from sync.sandbox import Sandbox
from tests.browsers import chromium_children
from tests.paths import ROOT

# Modules `publ-sync run` never uses (the doctor, the sandbox's web server, Slack, Alembic
# with an up-to-date schema).
NOT_FOR_RUN = ("alembic", "sync.cli.doctor", "sync.sandbox", "slack_sdk", "slack_bolt",
               "aiohttp", "sync.downloader.snapshots")




async def test_refused_guard_kills_the_early_browser_and_downloads_nothing(
        sandbox: Sandbox, sandbox_settings, saved_session):
    settings = sandbox_settings()
    saved_session()
    _, db = await prepare(settings)
    await runlog.acquire_guard(db, "the-other-run", "schedule", None, utcnow(),
                               settings.heartbeat_stale_seconds)
    seen: list[int] = []

    async def watch() -> None:
        while True:
            seen.extend(proc.pid for proc in chromium_children())
            await asyncio.sleep(0.02)

    watcher = asyncio.create_task(watch())
    try:
        with pytest.raises(AlreadyRunning):
            await run_sync(settings, trigger="cli")
    finally:
        watcher.cancel()
        await runlog.release_guard(db, "the-other-run")

    assert seen, "no browser was started early"  # the speculative launch did happen
    assert chromium_children() == []
    assert sandbox.counters.page_loads == 0 and sandbox.counters.downloads == {}


async def test_cli_run_imports_nothing_it_never_uses(sandbox: Sandbox, sandbox_settings,
                                                     saved_session, tmp_path: Path):
    settings = sandbox_settings()
    saved_session()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PUBL_", "SLACK_"))}
    env.update(PYTHONPATH=str(ROOT), STORAGE_DIR=str(settings.storage_dir),
               DATABASE_URL=settings.database_url, CHROMIUM_PATH=settings.chromium_path,
               PUBL_CONSOLE_URL=sandbox.url, PUBL_EMAIL=sandbox.email,
               PUBL_PASSWORD=sandbox.password, PUBL_CHANNEL_ID=sandbox.channel_id)
    listing = tmp_path / "modules.txt"
    # The modules loaded by the end of the process, whichever thread loaded them.
    script = ("import atexit, runpy, sys\n"
              "path = sys.argv.pop()\n"
              "atexit.register(lambda: open(path, 'w').write('\\n'.join(sys.modules)))\n"
              "sys.argv[:1] = ['publ-sync']\n"
              "runpy.run_module('sync.cli', run_name='__main__')\n")
    # Twice: the first run creates the database (a new schema may use Alembic); the second
    # is the everyday run.
    for _ in range(2):
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, "run", str(listing), cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0, out.decode(errors="replace")

    imported = set(listing.read_text().split())
    assert "sync.runner" in imported and "playwright" in imported  # the list is complete
    used = sorted(name for name in imported
                  if any(name == bad or name.startswith(bad + ".") for bad in NOT_FOR_RUN))
    assert used == []


async def test_half_valid_session_is_decided_once_the_members_page_has_drawn(
        sandbox: Sandbox, sandbox_settings, saved_session):
    """The seed's incident with a check long enough to tell: the members page draws without
    its button, and the session is set aside then — not when the check runs out."""
    settings = sandbox_settings(browser_timeout_ms=60_000, session_check_timeout_ms=60_000)
    saved_session()
    sandbox.set(stale_sessions="half_valid")

    started = time.monotonic()
    report = await run_sync(settings, trigger="cli")
    elapsed = time.monotonic() - started

    assert report.succeeded, report.first_error
    assert sandbox.counters.logins == 1
    assert report.download is not None and report.download.session_set_aside is not None
    assert elapsed < 30  # half the check: it did not run out


@pytest.mark.parametrize(("settings_given", "drawing"), [
    # A quiet DOM (here after 0.3 s) is not proof the page has drawn: the whole page draws
    # 2 s late.
    ({"publ_layout_quiet_ms": 300}, {"render_delay_ms": 2000}),
    # The navigation (a "Log out" button: what PUBL_MEMBERS_READY matches by default) shows
    # at once and the rest 0.8 s later, with no request in between — a console busy
    # building a long list. A pause shorter than SESSION_SETTLE_MS is not the page done.
    ({"session_settle_ms": 2000}, {"content_delay_ms": 800}),
], ids=["page going quiet before drawing late", "navigation drawn before the list"])
async def test_a_page_that_draws_late_keeps_its_valid_session(
        sandbox: Sandbox, sandbox_settings, saved_session, settings_given, drawing):
    """A valid session whose members page is slow to show its button is kept: no login."""
    settings = sandbox_settings(browser_timeout_ms=60_000, session_check_timeout_ms=10_000,
                                **settings_given)
    saved_session()
    sandbox.set(**drawing)

    report = await run_sync(settings, trigger="cli")

    assert report.succeeded, report.first_error
    assert sandbox.counters.login_attempts == 0
    assert report.download is not None and report.download.session_set_aside is None
