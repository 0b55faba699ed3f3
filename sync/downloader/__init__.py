"""The publ console in a real browser: session, login, the three CSV exports.

(Interface stub: the downloader replaces this module.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sync.report import DownloadStats, SyncType
from sync.settings import Settings
from sync.storage import Storage

StoredOrders = Callable[[list[str]], Awaitable[set[str]]]


@dataclass
class Downloaded:
    files: dict[SyncType, Path]
    stats: DownloadStats = field(default_factory=DownloadStats)


async def download_exports(settings: Settings, storage: Storage, *, all_orders: bool,
                           reset_session: bool, stored_orders: StoredOrders) -> Downloaded:
    """Download members, orders (one page, paged back until overlapping `stored_orders`, or
    every page when `all_orders`) and refunds into `storage.downloads`.
    Raises `SyncError` (login_failed, layout_changed, download_failed)."""
    raise NotImplementedError
