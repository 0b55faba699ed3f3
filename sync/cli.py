"""`publ-sync`: run, import, status, report, doctor, reset-session, demo.

Exit codes (design.md): 0 success, 1 the run failed, 2 a usage or settings error.
Each command lives in its own module; this file only parses arguments and dispatches.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from rich.console import Console

from sync import redact
from sync.errors import SettingsError
from sync.settings import Settings

# command -> (module, function); each function is `async (args, settings, console) -> int`
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("sync.cli_browser", "cmd_run"),
    "import": ("sync.cli_data", "cmd_import"),
    "status": ("sync.cli_data", "cmd_status"),
    "report": ("sync.cli_report", "cmd_report"),
    "doctor": ("sync.cli_browser", "cmd_doctor"),
    "reset-session": ("sync.cli_browser", "cmd_reset_session"),
    "demo": ("sync.cli_browser", "cmd_demo"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publ-sync", description="Sync publ.biz members, orders and refunds into a database."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="download the three exports and import them")
    run.add_argument("--all-orders", action="store_true", help="fetch every orders page")
    imp = sub.add_parser("import", help="import export files already on disk")
    imp.add_argument("files", nargs="*", help="CSV files (default: newest of each type)")
    imp.add_argument("--type", choices=["members", "orders", "refunds"], dest="sync_type")
    sub.add_parser("status", help="last run per type, failure streak, session age, next run")
    report = sub.add_parser("report", help="orders, revenue, members and refunds of the last "
                            "days (counts and sums only)")
    report.add_argument("--days", type=int, default=7, help="how many full days (default 7)")
    sub.add_parser("doctor", help="check settings, browser, login, pages, database, Slack")
    sub.add_parser("reset-session", help="set the saved login session aside")
    sub.add_parser("demo", help="the whole pipeline against the built-in sandbox console")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 2 if exit_.code not in (0, None) else 0
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    console = Console()
    try:
        settings = Settings()
    except ValidationError as error:
        console.print(f"[red]설정 오류 / settings error:[/red] {_summarise(error)}")
        return 2
    redact.install(settings)
    module_name, function_name = COMMANDS[args.command]
    command = getattr(importlib.import_module(module_name), function_name)
    try:
        return int(asyncio.run(_run(command, args, settings, console)))
    except SettingsError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    except KeyboardInterrupt:
        return 130


async def _run(command: Any, args: argparse.Namespace, settings: Settings,
               console: Console) -> int:
    from sync.db import close_all

    try:
        return int(await command(args, settings, console))
    finally:
        await close_all()


def _summarise(error: ValidationError) -> str:
    # Never echo the input: it may be a password.
    return "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors())


if __name__ == "__main__":
    sys.exit(main())
