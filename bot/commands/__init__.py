"""The words `/publ-sync` understands, each handled by its own module.

Every handler acks first (Slack wants an answer within 3 seconds) and does slow work after.
"""

from __future__ import annotations

from bot.commands import report, reset_session, run, status, usage
from bot.commands.context import CommandContext, Handler

__all__ = ["CommandContext", "Handler", "handler_for"]

HANDLERS: dict[str, Handler] = {
    "": run.handle, "run": run.handle, "실행": run.handle, "동기화": run.handle,
    "status": status.handle, "상태": status.handle,
    "report": report.handle, "보고": report.handle, "매출": report.handle,
    "help": usage.handle, "도움말": usage.handle,
    "reset-session": reset_session.handle, "reset_session": reset_session.handle,
    "세션초기화": reset_session.handle,
}


def handler_for(word: str) -> Handler:
    """The handler for a subcommand word (Korean aliases too); unknown words get help."""
    return HANDLERS.get(word.lower(), usage.handle_unknown)
