"""`publ-sync`: run, import, status, report, doctor, reset-session, demo, db adopt.

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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from sync import install_folder, redact
from sync.cli.language import argparse_speaks
from sync.errors import SettingsError
from sync.i18n import t
from sync.settings import Settings

# command -> (module, function); each function is `async (args, settings, console) -> int`
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("sync.cli.browser_commands", "cmd_run"),
    "import": ("sync.cli.data_commands", "cmd_import"),
    "status": ("sync.cli.data_commands", "cmd_status"),
    "report": ("sync.cli.report_command", "cmd_report"),
    "doctor": ("sync.cli.browser_commands", "cmd_doctor"),
    "reset-session": ("sync.cli.browser_commands", "cmd_reset_session"),
    "demo": ("sync.cli.browser_commands", "cmd_demo"),
    "db": ("sync.cli.db_commands", "cmd_db"),
}


def build_parser(lang: str = "ko") -> argparse.ArgumentParser:
    """The command line, its help in `lang`."""
    def say(key: str) -> str:
        return t(f"cli.help.{key}", lang)

    parser = argparse.ArgumentParser(prog="publ-sync", description=t("cli.description", lang))
    parser.add_argument("-v", "--verbose", action="store_true", help=say("verbose"))
    sub = parser.add_subparsers(dest="command", required=True, title=say("commands"),
                                metavar=say("command"))
    run = sub.add_parser("run", help=say("run"))
    run.add_argument("--all-orders", action="store_true", help=say("all_orders"))
    imp = sub.add_parser("import", help=say("import"))
    imp.add_argument("files", nargs="*", help=say("files"))
    imp.add_argument("--type", choices=["members", "orders", "refunds"], dest="sync_type",
                     help=say("type"))
    imp.add_argument("--force", action="store_true", help=say("force"))
    sub.add_parser("status", help=say("status"))
    report = sub.add_parser("report", help=say("report"))
    report.add_argument("--days", type=int, default=7, help=say("days"))
    doctor = sub.add_parser("doctor", help=say("doctor"))
    doctor.add_argument("--snapshot", action="store_true", help=say("snapshot"))
    sub.add_parser("reset-session", help=say("reset_session"))
    sub.add_parser("demo", help=say("demo"))
    db = sub.add_parser("db", help=say("db"))
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar=say("command"))
    adopt = db_sub.add_parser("adopt", help=say("adopt"))
    adopt.add_argument("--dry-run", action="store_true", help=say("dry_run"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    lang = install_folder.language_hint()
    with argparse_speaks(lang):  # argparse takes some texts while the parser is built
        parser = build_parser(lang)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:
            return 2 if exit_.code not in (0, None) else 0
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    console = Console()
    # `demo` needs no installation; every other command must not start an empty one here.
    if args.command != "demo" and install_folder.outside_install_folder():
        console.print(Text(install_folder.no_env_message(lang), style="red"), soft_wrap=True)
        return 2
    try:
        settings = Settings()
    except ValidationError as error:
        console.print(Text(t("cli.settings_invalid", lang, names=_summarise(error)),
                           style="red"), soft_wrap=True)
        return 2
    except PermissionError as error:  # a .env made by root, mode 0600
        console.print(Text(install_folder.unreadable_env_message(lang, error), style="red"),
                      soft_wrap=True)
        return 2
    redact.install(settings)
    module_name, function_name = COMMANDS[args.command]
    command = getattr(importlib.import_module(module_name), function_name)
    try:
        _check_timezone(settings)  # every command shows times: refused before any work
        if args.command != "demo":
            install_folder.check_storage_owner(settings)
        return int(asyncio.run(_run(command, args, settings, console)))
    except SettingsError as error:
        console.print(Text(str(error), style="red"), soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        # Imported only now: sync.adopt and sync.faults load SQLAlchemy, which `run` would
        # otherwise load before starting Chromium (start-up time, bench/download_bench.py).
        from sync.adopt import AdoptionRefused
        from sync.cli.db_commands import print_refusal

        if not isinstance(error, AdoptionRefused):
            raise
        print_refusal(console, error, settings.bot_language)
        return 2


async def _run(command: Any, args: argparse.Namespace, settings: Settings,
               console: Console) -> int:
    try:
        return int(await command(args, settings, console))
    except Exception as error:  # a fault of the machine is one sentence, never a traceback
        from sync import faults  # SQLAlchemy: not before `run` has started Chromium

        fault = faults.recognise(error, settings)
        if fault is None:
            raise
        console.print(Text(fault.message, style="red"), soft_wrap=True)
        return fault.exit_code
    finally:
        from sync.db import close_all  # loaded by the command by now (if it used a database)

        await close_all()


def _check_timezone(settings: Settings) -> None:
    """A `TIMEZONE` that names no zone is a settings error (exit 2), said before the command
    runs — not a traceback after a sync has already imported its data."""
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SettingsError(t("imports.cli.bad_timezone", settings.bot_language,
                              timezone=settings.timezone)) from error


def _summarise(error: ValidationError) -> str:
    """The names of the settings that are wrong. Never the input: it may be a password."""
    return ", ".join(dict.fromkeys(str(e["loc"][0]).upper() for e in error.errors() if e["loc"]))


if __name__ == "__main__":
    sys.exit(main())
