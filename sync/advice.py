"""The one recommended action for each kind of failure, so that every message about a failure
agrees: the run message's hint, the alert's steps and which alert button is the primary one.

A button helps only when pressing it again can work: a network blip (retry), a half-expired
session (reset, then retry), an error nobody foresaw (retry once). A wrong password, a
changed publ page, a broken export or a database that is down need someone at the server
first; for those no button is primary and the text says who acts and what they do.
"""

from __future__ import annotations

from enum import StrEnum

from sync.errors import ErrorKind


class Action(StrEnum):
    RETRY = "retry"
    RESET_RETRY = "reset_retry"
    AT_THE_SERVER = "at_the_server"


RECOMMENDED: dict[ErrorKind, Action] = {
    ErrorKind.LOGIN_FAILED: Action.AT_THE_SERVER,  # the fresh login was refused already
    ErrorKind.LAYOUT_CHANGED: Action.AT_THE_SERVER,
    ErrorKind.DOWNLOAD_FAILED: Action.RETRY,
    ErrorKind.FILE_MISSING: Action.RESET_RETRY,
    ErrorKind.FILE_INVALID: Action.AT_THE_SERVER,
    ErrorKind.DATABASE: Action.AT_THE_SERVER,
    ErrorKind.UNEXPECTED: Action.RETRY,
    # an older export was refused: only someone at the server can choose to --force it
    ErrorKind.STALE_FILE: Action.AT_THE_SERVER,
}


def recommended(kind: ErrorKind) -> Action:
    """What to do first about a failure of `kind`."""
    return RECOMMENDED[kind]
