"""The one clock every stage reads: the real time in production, a moved one in tests.

It lives apart from the runner and the importer so that both (and the downloader) can take
it without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sync.models import utcnow

Clock = Callable[[], datetime]

__all__ = ["Clock", "utcnow"]
