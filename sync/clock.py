"""The one clock every stage reads: the real time in production, a moved one in tests.

It lives apart from the runner and the importer so that both (and the downloader) can take
it without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The real time, aware UTC. Defined here rather than taken from `sync.models`, so that
    what only needs the time (the downloader, which `publ-sync run` imports before Chromium
    starts) does not load SQLAlchemy's ORM for it."""
    return datetime.now(UTC)


Clock = Callable[[], datetime]

__all__ = ["Clock", "utcnow"]
