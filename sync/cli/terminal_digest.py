"""The business digest in the terminal (`publ-sync report`): the same lines as in Slack."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from sync.digest import DigestText


def print_digest(console: Console, text: DigestText) -> None:
    """Print the digest; product names are plain text, never markup."""
    console.print(Text(text.title, style="bold"))
    for line in text.lines:
        console.print(Text(line.replace("*", "").replace("_", "")))
    if text.products:
        console.print(Text(text.products_title.replace("*", ""), style="bold"))
        for name, line in text.products:
            console.print(Text(line.replace("{name}", name)))
    if text.note:
        console.print(Text(text.note, style="dim"))
