"""Import benchmark: this project's importer against a stdlib baseline and sqlite-utils.

Generates realistic exports (Korean names, `12,900원` prices, KST dates) at the size seen in
real use (2,000 members / 300 orders / 65 refunds) and at scale (100,000 members,
1,000,000 orders), then measures on the same files, each in its own fresh process so that
peak memory (RSS) is that measurement's alone:

- this project's import of 1M orders into SQLite, through the real importer;
- a second, unchanged import of the same file (must write no rows);
- the baseline: `csv.reader` + one `sqlite3.executemany` of
  `INSERT … ON CONFLICT(order_number) DO UPDATE SET …` over the same columns, one transaction,
  into a table with the project's indexes (unique `order_number`, `paid_at`);
- `sqlite-utils upsert DB orders FILE --csv --pk "Order Number"` with default options (its
  table has only that primary key);
- the real-use size, all three types, through `run_sync` as `publ-sync import` runs it;
- 100,000 members through the importer.

Usage: `python bench/import_bench.py [--orders N] [--members N] [--out DIR] [--repeat N]
[--no-sqlite-utils]`. The first import's ratio to the baseline is the figure that counts: both
are measured in the same run, taking turns, so the machine's load falls on both alike.
Each measurement is taken `--repeat` times (fresh databases each time) and the fastest
counts, because a shared machine's load otherwise decides more than the code does.
Prints a markdown table. Files go to `bench/out/` (git-ignored) unless `--out` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.exports import MEMBERS, ORDERS, REFUNDS  # noqa: E402
from sync.sandbox import fake_exports  # noqa: E402

TARGET_RSS_MB = 200
# The first import of the big orders file may take this many times the baseline. 3×, not 2×,
# deliberately (issue 10): real use is 2,000 members and 300 orders, imported in well under a
# tenth of a second either way, and one row-by-row reader is worth more than the last factor
# at 500× the real size.
TARGET_BASELINE_RATIO = 3.0
TARGET_REAL_USE_S = 0.3


# --- the measured work, each run in a child process ------------------------------------


def _clock(children: bool = False) -> tuple[float, float]:
    """Wall-clock and CPU seconds (of this process, or of its finished children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return time.perf_counter(), usage.ru_utime + usage.ru_stime


def _since(started: tuple[float, float], children: bool = False) -> tuple[float, float]:
    """Wall-clock and CPU seconds spent since `started`."""
    wall, cpu = _clock(children)
    return wall - started[0], cpu - started[1]



async def _project_import(db_file: Path, export: Path, kind: str) -> dict[str, object]:
    """One export through the project's importer into the SQLite file (created if new)."""
    from sync import housekeeping, runlog, runner
    from sync.report import SyncType, TypeResult
    from sync.settings import Settings

    settings = Settings(_env_file=None, storage_dir=db_file.parent / "storage",  # type: ignore[call-arg]
                        database_url=f"sqlite+aiosqlite:///{db_file}")
    _storage, db = await housekeeping.prepare(settings)
    sync_type = SyncType(kind)
    run_id = f"bench-{time.time_ns()}"
    await runlog.start_run(db, run_id, "cli", None, runner.utcnow(), [sync_type])
    started = _clock()
    # The runner's own step: the rows and the sync-log row in one transaction.
    result = await runner._import_one(db, settings, TypeResult(sync_type), export, run_id,
                                      runner.utcnow)
    seconds, cpu = _since(started)
    await db.close()
    with sqlite3.connect(db_file) as check:
        count, last_write = check.execute(
            f"SELECT count(*), max(updated_at) FROM {kind}").fetchone()
    return {"seconds": seconds, "cpu": cpu, "new": result.new, "updated": result.updated,
            "unchanged": result.unchanged, "skipped": result.skipped, "rows": count,
            "last_write": last_write}


async def _project_real_use(storage: Path, exports: dict[str, Path]) -> dict[str, object]:
    """The three real-use files through `run_sync`, as `publ-sync import` does it."""
    from sync import runner
    from sync.report import SyncType
    from sync.settings import Settings

    settings = Settings(_env_file=None, storage_dir=storage)  # type: ignore[call-arg]
    files = {SyncType(kind): path for kind, path in exports.items()}
    await runner.prepare(settings)  # migrations are a one-time cost, not the import's
    started = _clock()
    report = await runner.run_sync(settings, trigger="cli", files=files)
    seconds, cpu = _since(started)
    assert report.succeeded, report
    return {"seconds": seconds, "cpu": cpu,
            "new": sum(r.new for r in report.results.values()),
            "updated": sum(r.updated for r in report.results.values())}


def _baseline(db_file: Path, export: Path) -> dict[str, object]:
    """The stdlib baseline: csv.reader + one executemany upsert in one transaction."""
    columns = list(ORDERS.columns.values())
    conn = sqlite3.connect(db_file, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, "
        + ", ".join(f"{name} TEXT" for name in columns)
        + ", UNIQUE(order_number))")
    # The indexes of the project's own `orders` table (sync/models.py): the unique key and
    # paid_at. sqlite-utils creates only its primary key, as it does by default.
    conn.execute("CREATE INDEX IF NOT EXISTS ix_paid ON orders(paid_at)")
    placeholders = ", ".join("?" for _ in columns)
    updates = ", ".join(f"{name}=excluded.{name}" for name in columns[1:])
    statement = (f"INSERT INTO orders ({', '.join(columns)}) VALUES ({placeholders}) "
                 f"ON CONFLICT(order_number) DO UPDATE SET {updates}")
    started = _clock()
    with export.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        positions = [header.index(name) for name in ORDERS.columns]
        conn.execute("BEGIN")
        conn.executemany(statement, ([row[i] for i in positions] for row in reader))
        conn.execute("COMMIT")
    seconds, cpu = _since(started)
    rows = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    conn.close()
    return {"seconds": seconds, "cpu": cpu, "new": rows}


def _sqlite_utils(db_file: Path, export: Path) -> dict[str, object]:
    """`sqlite-utils upsert` with default options, timed as the command it is."""
    tool = Path(sys.executable).with_name("sqlite-utils")
    started = _clock(children=True)
    subprocess.run([str(tool), "upsert", str(db_file), "orders", str(export), "--csv",
                    "--pk", "Order Number"], check=True)
    seconds, cpu = _since(started, children=True)
    child_rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "cpu": cpu, "child_rss_kb": child_rss_kb}


def _child(task: str, args: list[str]) -> None:
    """Entry point of a measuring child: do one task, print its figures as JSON."""
    if task == "project":
        figures = asyncio.run(_project_import(Path(args[0]), Path(args[1]), args[2]))
    elif task == "real_use":
        storage = Path(args[0])
        exports = dict(zip(("members", "orders", "refunds"), map(Path, args[1:]), strict=True))
        figures = asyncio.run(_project_real_use(storage, exports))
    elif task == "baseline":
        figures = _baseline(Path(args[0]), Path(args[1]))
    elif task == "sqlite_utils":
        figures = _sqlite_utils(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown task {task}")
    rss_kb = int(figures.pop("child_rss_kb", 0)) or \
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures["peak_rss_mb"] = rss_kb / 1024
    print(json.dumps(figures))


def best(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The best of several attempts: the lowest wall-clock and the lowest CPU time (each
    over all attempts), with the highest peak memory of any of them."""
    fastest = dict(min(results, key=lambda figures: figures["seconds"]))
    fastest["cpu"] = min(figures["cpu"] for figures in results)
    fastest["peak_rss_mb"] = max(figures["peak_rss_mb"] for figures in results)
    return fastest


def measure(task: str, *args: object) -> dict[str, Any]:
    """Run one task in a fresh Python process and return what it printed."""
    done = subprocess.run([sys.executable, __file__, "--child", task, *map(str, args)],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the files ----------------------------------------------------------------------


def generate(out: Path, members: int, orders: int) -> dict[str, Path]:
    """Real-use and at-scale exports, shaped exactly like the console's (UTF-8 with BOM)."""
    out.mkdir(parents=True, exist_ok=True)
    real = fake_exports.Generator(seed=11, member_count=2000)
    scale = fake_exports.Generator(seed=12, member_count=members)
    files = {
        "real_members": out / "real_members.csv",
        "real_orders": out / "real_orders_latest.csv",
        "real_refunds": out / "real_refunds.csv",
        "big_members": out / f"big_{members}_members.csv",
        "big_orders": out / f"big_{orders}_orders_all.csv",
    }
    fake_exports.write(files["real_members"], MEMBERS, real.members())
    fake_exports.write(files["real_orders"], ORDERS, real.orders(300, start=5000))
    fake_exports.write(files["real_refunds"], REFUNDS, real.refunds(65, 5300))
    if not files["big_members"].exists():
        fake_exports.write(files["big_members"], MEMBERS, scale.members(members))
    if not files["big_orders"].exists():
        fake_exports.write(files["big_orders"], ORDERS, scale.orders(orders))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--repeat", type=int, default=2,
                        help="attempts per measurement; the fastest counts")
    parser.add_argument("--no-sqlite-utils", action="store_true",
                        help="skip sqlite-utils (the slowest part; the ratio does not need it)")
    opts = parser.parse_args()
    files = generate(opts.out, opts.members, opts.orders)
    work = opts.out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    orders = files["big_orders"]
    size_mb = orders.stat().st_size / 1e6
    print(f"files in {opts.out}; orders export {opts.orders:,} rows, {size_mb:.0f} MB", flush=True)

    real_storage = work / "real"
    downloads = real_storage / "downloads"
    downloads.mkdir(parents=True)
    real_exports = [
        shutil.copy(files[f"real_{kind.split('_')[0]}"], downloads / f"251218_164857_{kind}.csv")
        for kind in ("members", "orders_latest", "refunds")]
    runs: dict[str, list[dict[str, Any]]] = {}
    for attempt in range(opts.repeat):
        # Each attempt starts from empty databases; the tools take turns so that a busy
        # moment on the machine does not fall on one of them only.
        fresh = work / f"attempt{attempt}"
        fresh.mkdir()
        if attempt == 0:
            runs.setdefault("real", []).append(measure("real_use", real_storage, *real_exports))
        first = measure("project", fresh / "project.db", orders, "orders")
        again = measure("project", fresh / "project.db", orders, "orders")
        assert first["new"] == opts.orders, first
        assert again["new"] == 0 and again["updated"] == 0, again
        assert again["last_write"] == first["last_write"], "the re-import wrote rows"
        runs.setdefault("project", []).append(first)
        runs.setdefault("again", []).append(again)
        runs.setdefault("baseline", []).append(measure("baseline", fresh / "base.db", orders))
        if not opts.no_sqlite_utils:
            runs.setdefault("tool", []).append(
                measure("sqlite_utils", fresh / "su.db", orders))
        runs.setdefault("members", []).append(
            measure("project", fresh / "members.db", files["big_members"], "members"))
        print(f"attempt {attempt + 1}: " + ", ".join(
            f"{name} {results[-1]['seconds']:.2f} s" for name, results in runs.items()),
            flush=True)
    real, project, again, baseline, members = (
        best(runs[name]) for name in ("real", "project", "again", "baseline", "members"))
    tool = best(runs["tool"]) if "tool" in runs else None
    n = f"{opts.orders:,}"
    rows = [
        ("real use: 2,000 members + 300 orders + 65 refunds (run_sync)", real,
         f"< {TARGET_REAL_USE_S} s"),
        (f"this project: {n} orders, first import", project,
         f"≤ {TARGET_BASELINE_RATIO:g}× baseline, ≥ 5× faster than sqlite-utils, "
         f"< {TARGET_RSS_MB} MB"),
        (f"this project: {n} orders, unchanged re-import", again,
         "writes no rows, ≤ first import"),
        (f"this project: {opts.members:,} members, first import", members, ""),
        (f"baseline: csv.reader + sqlite3 executemany upsert, {n} orders, same indexes",
         baseline, ""),
    ]
    if tool is not None:
        rows.append((f"sqlite-utils upsert --csv --pk, {n} orders, primary key only", tool, ""))
    print()
    print("| measurement | wall s | CPU s | CPU ÷ baseline CPU | rows/s (wall) | peak RSS MB "
          "| target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, figures, target in rows:
        count = figures.get("new", 0) or figures.get("unchanged", 0) or opts.orders
        rate = f"{int(count) / figures['seconds']:,.0f}" if "real use" not in label else "-"
        ratio_shown = "-" if "real use" in label else f"{figures['cpu'] / baseline['cpu']:.2f}×"
        print(f"| {label} | {figures['seconds']:.2f} | {figures['cpu']:.2f} | {ratio_shown} | "
              f"{rate} | {figures['peak_rss_mb']:.0f} | {target} |")
    print()
    for measure_name in ("seconds", "cpu"):
        ratio = project[measure_name] / baseline[measure_name]
        kind = "wall-clock" if measure_name == "seconds" else "CPU"
        line = (f"- {kind}: first import = {ratio:.2f}× the baseline (target ≤ "
                f"{TARGET_BASELINE_RATIO:g}×: {verdict(ratio <= TARGET_BASELINE_RATIO)})")
        if tool is not None:
            speedup = tool[measure_name] / project[measure_name]
            line += (f"; {speedup:.1f}× faster than sqlite-utils (target ≥ 5×: "
                     f"{verdict(speedup >= 5)})")
        print(line)
    if tool is not None:
        print(f"- for reference, the baseline itself is {tool['cpu'] / baseline['cpu']:.1f}× "
              f"faster than sqlite-utils in CPU time, {tool['seconds'] / baseline['seconds']:.1f}× "
              "in wall-clock time")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"- load average at the end of the run (1, 5, 15 min): {load}")
    print(f"- peak RSS of the {n}-order import: {project['peak_rss_mb']:.0f} MB "
          f"(target < {TARGET_RSS_MB} MB: {verdict(project['peak_rss_mb'] < TARGET_RSS_MB)})")
    print(f"- real-use size: {real['seconds']:.3f} s (target < {TARGET_REAL_USE_S} s: "
          f"{verdict(real['seconds'] < TARGET_REAL_USE_S)})")
    print(f"- unchanged re-import: new={again['new']} updated={again['updated']}, no row "
          f"rewritten; {again['seconds']:.2f} s vs {project['seconds']:.2f} s first "
          f"(target ≤ first: {verdict(again['seconds'] <= project['seconds'])})")


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3:])
    else:
        main()
