"""`publ-sync db adopt [--dry-run]`: take over the dashboard's existing tables.

Exit codes (design.md): 0 adopted (or nothing to adopt), 1 the database could not be
reached, 2 it cannot be adopted (each reason in one sentence; nothing changed).
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.text import Text

from sync.adopt import ADOPTED_REVISION, AdoptionPlan, AdoptionRefused, inspect_adoption
from sync.cli.data_commands import DATABASE_ERRORS, EXIT_FAILED, EXIT_OK, EXIT_USAGE, _short_reason
from sync.db import open_database
from sync.i18n import t
from sync.settings import Settings


async def cmd_db(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """`db adopt`: print the adoption plan (`--dry-run`) or carry it out."""
    lang = settings.bot_language
    url = settings.effective_database_url
    try:
        if args.dry_run:
            plan = await inspect_adoption(url)
            if plan.problems:
                raise AdoptionRefused(plan.problems)
        else:
            plan = (await open_database(url)).adoption or AdoptionPlan(needed=False)
    except AdoptionRefused as refusal:
        print_refusal(console, refusal, lang)
        return EXIT_USAGE
    except DATABASE_ERRORS as error:
        console.print(Text(t("imports.cli.database_unreachable", lang,
                             reason=_short_reason(error)), style="red"))
        return EXIT_FAILED
    print_plan(console, plan, lang, dry_run=args.dry_run)
    return EXIT_OK


def print_refusal(console: Console, refusal: AdoptionRefused, lang: str) -> None:
    """Each reason in one sentence, then that nothing was changed."""
    for sentence in refusal.sentences(lang):
        console.print(Text(sentence, style="red"), soft_wrap=True)
    console.print(Text(t("adopt.refused", lang), style="bold red"))


def print_plan(console: Console, plan: AdoptionPlan, lang: str, *, dry_run: bool) -> None:
    """Tables with the rows they keep, columns and indexes to add, tables to create."""
    if not plan.needed:
        console.print(Text(t("adopt.plan.not_needed", lang)))
        return
    title = "adopt.plan.title_dry_run" if dry_run else "adopt.plan.title_done"
    console.print(Text(t(title, lang), style="bold"))
    for table in plan.tables:
        console.print(Text(t("adopt.plan.table", lang, table=table.name, rows=f"{table.rows:,}")))
        columns = ", ".join(column.name for column in table.add_columns)
        console.print(Text(t("adopt.plan.columns", lang, columns=columns) if columns
                           else t("adopt.plan.no_columns", lang)), soft_wrap=True)
        if table.add_indexes:
            indexes = ", ".join(f"{index.name} ({', '.join(index.columns)}"
                                f"{', unique' if index.unique else ''})"
                                for index in table.add_indexes)
            console.print(Text(t("adopt.plan.indexes", lang, indexes=indexes)), soft_wrap=True)
        if table.sequence is not None:
            sequence, largest = table.sequence
            console.print(Text(t("adopt.plan.sequence", lang, after=largest, sequence=sequence)))
    if plan.create_tables:
        console.print(Text(t("adopt.plan.create", lang, tables=", ".join(plan.create_tables))))
    console.print(Text(t("adopt.plan.untouched", lang)))
    console.print(Text(t("adopt.plan.revision", lang, revision=ADOPTED_REVISION)))
    if dry_run:
        console.print(Text(t("adopt.plan.next_dry_run", lang)))
