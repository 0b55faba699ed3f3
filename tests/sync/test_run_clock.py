"""One clock for the whole run: the clock handed to `run_sync` names the downloaded exports,
the evidence of a failure and the set-aside session, as it stamps the sync log — so a run
on a moved clock (the scheduler's tests, a replay) leaves no trace of the real time."""

from __future__ import annotations

from datetime import UTC, datetime

from sync import runner
from sync.report import SyncType
from sync.sandbox import Sandbox
from sync.storage import Storage

MOVED = datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC)  # 2031-01-02 12:04:05 in Korea


def moved_clock() -> datetime:
    return MOVED


async def test_exports_and_the_reset_session_are_named_by_the_runs_clock(
        sandbox: Sandbox, sandbox_settings, sqlite_url) -> None:
    settings = sandbox_settings(database_url=sqlite_url)
    assert (await runner.run_sync(settings, trigger="cli")).succeeded  # a session to reset

    report = await runner.run_sync(settings, trigger="cli", clock=moved_clock,
                                   reset_session=True)

    assert report.succeeded, report.first_error
    assert report.results[SyncType.MEMBERS].file_name.startswith("310102_120405")
    trash = [path.name for path in Storage(settings.storage_dir).trash.iterdir()]
    assert any(name.startswith("20310102") for name in trash), trash


async def test_failure_evidence_is_named_by_the_runs_clock(
        sandbox: Sandbox, sandbox_settings, sqlite_url) -> None:
    sandbox.set(button_missing=True)
    settings = sandbox_settings(database_url=sqlite_url)

    report = await runner.run_sync(settings, trigger="cli", clock=moved_clock)

    assert report.debug_files
    assert all("20310102_120405" in name for name in report.debug_files), report.debug_files
