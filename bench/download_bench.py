"""Download benchmark: whole syncs against the sandbox console with 100 ms per page.

A sync here is `runner.run_sync` from start to report — browser start, session check or
login, the three downloads, the import into SQLite — with the real-use volumes of
publ-console.md (2,000 members, 300 orders on the latest page, 65 refunds). Two cases, five
runs each, median:

- **valid session**: the session saved by the previous sync is reused;
- **expired session**: the sandbox expires it before each run, so the sync sets it aside,
  logs in afresh and carries on.

The sandbox counts every page load; the goal is that a valid-session sync loads at most one
page more than its downloads need, and takes under 2 s.

Usage: `python bench/download_bench.py [--runs N] [--latency-ms MS]`. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync import db as sync_db  # noqa: E402
from sync import runner  # noqa: E402
from sync.downloader.browser import new_context, open_browser  # noqa: E402
from sync.downloader.failures import Secrets  # noqa: E402
from sync.sandbox import Sandbox  # noqa: E402
from sync.settings import Settings  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_EXTRA_LOADS = 1


def chromium() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the Playwright driver, and through
    it Chromium): on a busy machine, wall time grows but this does not."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


async def browser_only(settings: Settings) -> dict[str, float]:
    """The fixed cost inside every sync: start Playwright and Chromium, open a page, close."""
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    async with open_browser(settings, Secrets()) as browser:
        context = await new_context(browser, settings, None)
        await context.new_page()
        await context.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "download": seconds, "cpu": cpu_seconds() - cpu_before,
            "page_loads": 0, "downloads": 0, "logins": 0}


async def one_sync(settings: Settings, sandbox: Sandbox) -> dict[str, float]:
    """One timed sync, with what the sandbox saw during it."""
    sandbox.counters.reset()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    report = await runner.run_sync(settings, trigger="cli")
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    if not report.succeeded:
        raise SystemExit(f"sync failed: {report.first_error}")
    downloads = sum(sandbox.counters.downloads.values())
    download = report.download.duration_s if report.download else 0.0
    return {"seconds": seconds, "download": download, "cpu": cpu,
            "page_loads": sandbox.counters.page_loads,
            "downloads": downloads, "logins": sandbox.counters.logins}


async def bench(runs: int, latency_ms: int) -> list[tuple[str, list[dict[str, float]]]]:
    folder = Path(tempfile.mkdtemp(prefix="publ-download-bench-"))
    sandbox = Sandbox(password=secrets.token_urlsafe(12), members=2000, orders=650, refunds=65,
                      latency_ms=latency_ms)
    await sandbox.start()
    try:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, storage_dir=folder / "storage",
            database_url=f"sqlite+aiosqlite:///{folder / 'storage' / 'publ.db'}",
            chromium_path=chromium(), publ_console_url=sandbox.url,
            publ_email=sandbox.email, publ_password=sandbox.password,
            publ_channel_id=sandbox.channel_id)
        await one_sync(settings, sandbox)  # fills the database and saves a session
        valid = [await one_sync(settings, sandbox) for _ in range(runs)]
        expired = []
        for _ in range(runs):
            sandbox.set(stale_sessions="expired")
            expired.append(await one_sync(settings, sandbox))
        browser = [await browser_only(settings) for _ in range(runs)]
        return [("valid session", valid), ("expired session", expired),
                ("browser start + close only", browser)]
    finally:
        await sandbox.stop()
        await sync_db.close_all()
        shutil.rmtree(folder, ignore_errors=True)


def table(results: list[tuple[str, list[dict[str, float]]]], latency_ms: int) -> str:
    lines = [f"Whole sync against the sandbox, {latency_ms} ms per page, load average "
             f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, "
             f"{len(results[0][1])} runs each (median):", "",
             "| case | median s | min s | max s | of which browser s | CPU s | page loads "
             "| downloads | extra loads | logins |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, runs in results:
        seconds = [r["seconds"] for r in runs]
        loads = statistics.median(r["page_loads"] for r in runs)
        downloads = statistics.median(r["downloads"] for r in runs)
        lines.append(f"| {name} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
                     f"{max(seconds):.2f} | {statistics.median(r['download'] for r in runs):.2f} | "
                     f"{statistics.median(r['cpu'] for r in runs):.2f} | "
                     f"{loads:g} | {downloads:g} | "
                     f"{loads - downloads:g} | {statistics.median(r['logins'] for r in runs):g} |")
    valid = results[0][1]
    median = statistics.median(r["seconds"] for r in valid)
    extra = statistics.median(r["page_loads"] - r["downloads"] for r in valid)
    lines += ["", f"goal (valid session): ≤ {TARGET_EXTRA_LOADS} extra page load and "
              f"< {TARGET_SECONDS:g} s → extra {extra:g}, {median:.2f} s: "
              + ("met" if extra <= TARGET_EXTRA_LOADS and median < TARGET_SECONDS
                 else "NOT met")]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()
    results = asyncio.run(bench(args.runs, args.latency_ms))
    print(table(results, args.latency_ms))


if __name__ == "__main__":
    main()
