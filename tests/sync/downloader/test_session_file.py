"""A saved session that is valid JSON but no valid session — a cookie without a value, a
number as a cookie, a bad origin, or one Playwright itself refuses when the browser
context is made — goes to trash/ as it was, and the sync logs in afresh and succeeds
(against the sandbox console, in real Chromium)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from sync import runner
from sync.sandbox import COOKIE, Sandbox
from sync.settings import Settings
from sync.storage import Storage, write_private

SECRET_VALUE = "Leftover-Cookie-Value-0042"


def cookie(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"name": COOKIE, "value": SECRET_VALUE, "domain": "127.0.0.1",
                              "path": "/", "expires": -1, "httpOnly": True, "secure": False,
                              "sameSite": "Lax"}
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


BROKEN_SESSIONS = {
    "cookie without a value": {"cookies": [cookie(value=None)], "origins": []},
    "a number as a cookie": {"cookies": [123], "origins": []},
    "a bad origin": {"cookies": [], "origins": [{"origin": "not a url",
                                                 "localStorage": [{"name": "a",
                                                                   "value": "b"}]}]},
    "cookies not a list": {"cookies": {"name": "x"}, "origins": []},
    # passes the schema check; Playwright refuses it when creating the context
    "refused by Playwright": {"cookies": [cookie(expires=1e20)], "origins": []},
}


@pytest.mark.parametrize("case", list(BROKEN_SESSIONS))
async def test_a_broken_session_goes_to_trash_and_the_sync_logs_in_afresh(
        case: str, sandbox: Sandbox, sandbox_settings: Callable[..., Settings],
        caplog: pytest.LogCaptureFixture) -> None:
    settings = sandbox_settings(download_retries=0)
    storage = Storage(settings.storage_dir).ensure()
    written = json.dumps(BROKEN_SESSIONS[case])
    write_private(storage.session_file, written.encode())

    report = await runner.run_sync(settings, trigger="cli")

    assert report.succeeded, {t.value: r.error_message for t, r in report.results.items()}
    assert sandbox.counters.logins == 1
    trashed = list(storage.trash.iterdir())
    assert len(trashed) == 1 and trashed[0].read_text() == written
    assert trashed[0].stat().st_mode & 0o777 == 0o600
    fresh = json.loads(storage.session_file.read_text())  # the new login's session
    assert [c["name"] for c in fresh["cookies"]] == [COOKIE]
    assert SECRET_VALUE not in caplog.text
