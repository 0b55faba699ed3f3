"""Download benchmark: whole `publ-sync run` processes against a floor script, as ratios.

Everything is timed as a whole process, from spawn to exit, because that is what an operator
waits for: interpreter start, imports, browser start, session check or login, the three
downloads, the import into SQLite, teardown. CPU counts the whole process tree: this
process makes itself a child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`), so Chromium's
processes that outlive their parent are re-parented here and reaped, and their CPU lands in
`RUSAGE_CHILDREN` too; how many were still alive when the command exited is reported.

Against the sandbox console (real-use data: 2,000 members, 650 orders of which the newest
page of 300, 65 refunds; served from a thread of this process, whose CPU is not counted),
for each latency (0 and 100 ms per page) and in rounds that alternate the cases:

- **floor**: `bench/download_floor.py` with the saved session — three tabs at once, click,
  save, nothing else;
- **floor + login**: the same after logging in through the form;
- `publ-sync run` with a **valid** session (the one the previous run saved), an
  **expired** one (the sandbox sends it to the login page) and a **half-valid** one (the
  seed incident: pages load, the members button is missing).

Targets: valid ≤ 1.3× the floor's wall time; half-valid ≤ 2× floor-plus-login.

Usage: `python bench/download_bench.py [--rounds N] [--latency-ms 0,100]`. Prints a markdown
table with the `SESSION_CHECK_TIMEOUT_MS` used.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import os
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import download_floor  # noqa: E402

from sync.downloader.browser import LAUNCH_FLAGS  # noqa: E402
from sync.sandbox import Sandbox  # noqa: E402
from sync.settings import Settings  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36
TARGET_VALID = 1.3  # × floor
TARGET_HALF_VALID = 2.0  # × floor + login
CASES = ("floor", "valid", "floor + login", "expired", "half-valid")


def chromium() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def become_subreaper() -> None:
    """Orphaned grandchildren (Chromium's helpers) are re-parented to this process."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def descendants_alive() -> int:
    """Running processes whose parent is this one (only re-parented orphans, once the
    command itself has been reaped); zombies are dead, only not yet reaped."""
    me = str(os.getpid())
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if parent == me and state != "Z":
            count += 1
    return count


def reap_all() -> None:
    """Wait for every child, orphans included, so that their CPU is counted."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def timed(command: list[str], env: dict[str, str], cwd: Path) -> dict[str, float]:
    """Wall time from spawn to the command's exit; CPU of the whole tree once all are gone."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    survivors = descendants_alive()
    reap_all()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed ({process.returncode}):\n"
                         + output.decode(errors="replace")[-2000:])
    return {"wall": wall, "cpu": children_cpu() - cpu_before, "survivors": survivors}


class SandboxThread:
    """The sandbox console on its own event loop in a thread of this process."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()
        self.call(self.sandbox.start)

    def call(self, make: Callable[[], object]) -> None:
        """Run `make()` (a coroutine maker or a plain function) on the sandbox's loop."""
        async def run() -> None:
            result = make()
            if asyncio.iscoroutine(result):
                await result
        asyncio.run_coroutine_threadsafe(run(), self.loop).result()

    def stop(self) -> None:
        self.call(self.sandbox.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


def bench(rounds: int, latencies: list[int]) -> tuple[dict[tuple[int, str], list[dict[str, float]]],
                                                     int]:
    if download_floor.LAUNCH_FLAGS != LAUNCH_FLAGS:
        raise SystemExit("the floor script's Chromium flags differ from the downloader's")
    become_subreaper()
    folder = Path(tempfile.mkdtemp(prefix="publ-download-bench-"))
    sandbox = Sandbox(password=secrets.token_urlsafe(12), members=2000, orders=650, refunds=65)
    server = SandboxThread(sandbox)
    server.start()
    storage = folder / "storage"
    (folder / "home").mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PUBL_", "SLACK_")) and key not in ("DATABASE_URL",
                                                                      "STORAGE_DIR")}
    # The code measured is this bench's own checkout (a copy of an older commit measures that).
    env.update(PYTHONPATH=str(ROOT), HOME=str(folder / "home"), TMPDIR=str(folder),
               STORAGE_DIR=str(storage),
               CHROMIUM_PATH=chromium(), PUBL_CONSOLE_URL=sandbox.url,
               PUBL_EMAIL=sandbox.email, PUBL_PASSWORD=sandbox.password,
               PUBL_CHANNEL_ID=sandbox.channel_id)
    check_ms = Settings(_env_file=None).session_check_timeout_ms  # type: ignore[call-arg]
    if "SESSION_CHECK_TIMEOUT_MS" in os.environ:
        check_ms = int(os.environ["SESSION_CHECK_TIMEOUT_MS"])
    run = [sys.executable, "-m", "sync.cli", "run"]
    floor = [sys.executable, str(ROOT / "bench" / "download_floor.py"), sandbox.url,
             sandbox.channel_id, str(storage / "sessions" / ".session.json"),
             str(folder / "floor"), "--chromium", chromium()]
    results: dict[tuple[int, str], list[dict[str, float]]] = {}
    try:
        timed(run, env, folder)  # fills the database and saves a session
        for _ in range(rounds):
            for latency in latencies:
                server.call(lambda latency=latency: sandbox.set(latency_ms=latency))
                steps: list[tuple[str, list[str], str | None]] = [
                    ("floor", floor, None), ("valid", run, None),
                    ("floor + login", [*floor, "--login", sandbox.email], None),
                    ("expired", run, "expired"), ("half-valid", run, "half_valid")]
                for name, command, stale in steps:
                    if stale:
                        server.call(lambda stale=stale: sandbox.set(stale_sessions=stale))
                    results.setdefault((latency, name), []).append(timed(command, env, folder))
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return results, check_ms


def table(results: dict[tuple[int, str], list[dict[str, float]]], latencies: list[int],
          check_ms: int) -> str:
    rounds = len(next(iter(results.values())))
    lines = [f"Whole processes against the sandbox, {rounds} alternating rounds (median), "
             f"SESSION_CHECK_TIMEOUT_MS={check_ms}, load average {os.getloadavg()[0]:.1f} on "
             f"{os.cpu_count()} CPUs:", "",
             "| latency | case | wall s | CPU s | × floor (wall) | × floor + login (wall) "
             "| processes left |", "|---|---|---:|---:|---:|---:|---:|"]
    verdicts = []
    for latency in latencies:
        def median(name: str, key: str, latency: int = latency) -> float:
            return statistics.median(r[key] for r in results[(latency, name)])
        floor, floor_login = median("floor", "wall"), median("floor + login", "wall")
        for name in CASES:
            wall = median(name, "wall")
            lines.append(f"| {latency} ms | {name} | {wall:.2f} | {median(name, 'cpu'):.2f} | "
                         f"{wall / floor:.2f} | {wall / floor_login:.2f} | "
                         f"{max(r['survivors'] for r in results[(latency, name)]):g} |")
        valid, half = median("valid", "wall") / floor, median("half-valid", "wall") / floor_login
        verdicts.append(
            f"- {latency} ms: valid {valid:.2f}× floor (target ≤ {TARGET_VALID}×: "
            f"{'met' if valid <= TARGET_VALID else 'NOT met'}); half-valid {half:.2f}× "
            f"floor + login (target ≤ {TARGET_HALF_VALID}×: "
            f"{'met' if half <= TARGET_HALF_VALID else 'NOT met'})")
    return "\n".join([*lines, "", *verdicts])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency-ms", default="0,100", help="comma-separated")
    args = parser.parse_args()
    latencies = [int(value) for value in args.latency_ms.split(",")]
    results, check_ms = bench(args.rounds, latencies)
    print(table(results, latencies, check_ms))


if __name__ == "__main__":
    main()
