"""`publ-sync report [--days N]`: the business digest of the last N full days in TIMEZONE
(default 7), the same figures `/publ-sync report` shows in Slack. Exit 0; 2 for a bad N."""

from __future__ import annotations

import argparse

from rich.console import Console

from sync import digest, runner
from sync.cli.terminal_digest import print_digest
from sync.i18n import t
from sync.models import utcnow
from sync.presented import Presenter
from sync.settings import Settings

MAX_DAYS = 366


async def cmd_report(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """Print the digest of the last `--days` full days."""
    lang = settings.bot_language
    days = args.days
    if not 1 <= days <= MAX_DAYS:
        console.print(t("digest.report.bad_days", lang), style="red")
        return 2
    now = utcnow()
    _, db = await runner.prepare(settings, lambda: now)
    last = digest.previous_day(now, settings.timezone)
    found = await digest.build_digest(db, settings.timezone, last, days)
    p = Presenter.for_settings(settings)
    based_on = p.time(found.based_on) if found.based_on else None
    print_digest(console, digest.digest_text(found, lang, local_time=based_on))
    return 0
