"""`publ-sync doctor --snapshot`: each console page's structure, masked, in one private file.

When publ changes its pages, whoever maintains the server needs to see what the pages now
contain — roles, labels, buttons — without the operator's members in it. Playwright's
accessibility snapshot is that structure as text; every name and text in it that is not
one of the console's own labels is masked by the same rule as the screenshot sent to Slack
(`sync.downloader.readable`). The file is 0600 in `debug/snapshots/` (0700).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sync.downloader.failures import brief
from sync.downloader.masking import masked_aria_snapshot
from sync.downloader.readable import Readable
from sync.downloader.tab import PublTab
from sync.settings import Settings
from sync.storage import KST, Storage, write_private

log = logging.getLogger(__name__)

PAGES = ("channels", "members", "orders", "refunds")  # the login page aside
PATH_SETTINGS = {"channels": "PUBL_CHANNELS_PATH", "members": "PUBL_MEMBERS_PATH",
                 "orders": "PUBL_ORDERS_PATH", "refunds": "PUBL_REFUNDS_PATH"}


@dataclass
class Snapshots:
    """Masked snapshots gathered while the doctor visits the pages, then written at once."""

    settings: Settings
    taken: dict[str, str] = field(default_factory=dict)  # page -> masked snapshot
    missed: dict[str, str] = field(default_factory=dict)  # page -> why there is none

    async def take(self, console: PublTab, page: str) -> None:
        """The masked snapshot of the page `console` shows now (once it has drawn
        something: a script-drawn page may still be empty right after load)."""
        try:
            content = console.page.get_by_role("heading").or_(
                console.page.get_by_role("button")).first
            # a page without headings or buttons is worth a snapshot too
            with contextlib.suppress(PlaywrightTimeout):
                await content.wait_for(timeout=self.settings.session_check_timeout_ms)
            self.taken[page] = await masked_aria_snapshot(
                console.page, Readable.from_settings(self.settings))
        except PlaywrightError as error:
            self.missed[page] = brief(error, console.secrets)

    def write(self, storage: Storage, when: datetime) -> Path | None:
        """One text file with a section per page; None when no page could be captured."""
        if not self.taken:
            return None
        folder = storage.debug / "snapshots"
        folder.mkdir(parents=True, exist_ok=True)
        storage.debug.chmod(0o700)
        folder.chmod(0o700)
        path = folder / (when.astimezone(KST).strftime("%Y%m%d_%H%M%S") + "_pages.txt")
        write_private(path, self.render(when).encode("utf-8"))
        return path

    def render(self, when: datetime) -> str:
        lines = [
            f"# publ-sync doctor --snapshot, {when.astimezone(KST):%Y-%m-%d %H:%M:%S} KST",
            "# The accessibility snapshot (Playwright aria_snapshot) of each publ console page.",
            "# Every name and text that is not one of the console's own labels, the configured",
            "# PUBL_… labels or PUBL_PAGE_HEADINGS is masked as •••.",
        ]
        for page in PAGES:
            setting = PATH_SETTINGS[page]
            value = getattr(self.settings, setting.lower())
            lines += ["", f"## {page} ({setting}={value})"]
            if page in self.taken:
                lines.append(self.taken[page])
            else:
                lines.append(f"# not captured: {self.missed.get(page, 'not opened')}")
        return "\n".join(lines) + "\n"
