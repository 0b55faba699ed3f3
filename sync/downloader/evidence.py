"""What the page looked like when something went wrong, kept in `debug/` (0600).

A full-page screenshot and the HTML stay on this machine (they show personal data). A
second screenshot, with everything but an allowlist of the console's own labels covered
(`sync.downloader.masking`), is the only capture meant to leave it — the bot attaches it to
alerts. Form fields are emptied first, so the typed password is in neither.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from sync.clock import utcnow
from sync.downloader import masking
from sync.downloader.failures import Secrets
from sync.downloader.readable import Readable
from sync.storage import KST, Storage, write_private

log = logging.getLogger(__name__)

_CLEAR_FIELDS = """() => {
  for (const field of document.querySelectorAll("input, textarea")) {
    field.value = ""; field.removeAttribute("value");
  }
}"""

@dataclass
class Evidence:
    """Paths of what was captured: private files, and the one masked screenshot."""

    private: list[str] = field(default_factory=list)
    masked: str | None = None


def _name(label: str, when: datetime) -> str:
    """`YYYYMMDD_HHMMSS_micro_<label>` in Korea time, safe as a file name."""
    safe = re.sub(r"[^a-z0-9_-]+", "-", label.lower()).strip("-") or "page"
    return when.astimezone(KST).strftime("%Y%m%d_%H%M%S_%f") + "_" + safe


async def capture(page: Page, storage: Storage, label: str, readable: Readable,
                  secrets: Secrets, timeout_ms: float, extra_mask_selector: str = "",
                  when: datetime | None = None) -> Evidence:
    """Screenshot + HTML + masked screenshot of `page`; whatever fails to capture is left
    out (the error being reported matters more than its picture)."""
    evidence = Evidence()
    base = storage.debug / _name(label, when or utcnow())
    storage.debug.mkdir(parents=True, exist_ok=True)
    storage.debug.chmod(0o700)
    try:
        await page.evaluate(_CLEAR_FIELDS)
        shot = await page.screenshot(full_page=True, timeout=timeout_ms)
        write_private(base.with_suffix(".png"), shot)
        evidence.private.append(str(base.with_suffix(".png")))
        html = secrets.scrub(await page.content())
        write_private(base.with_suffix(".html"), html.encode("utf-8"))
        evidence.private.append(str(base.with_suffix(".html")))
        await masking.cover_page(page, readable, extra_mask_selector)
        masked_path = base.with_name(base.name + "_masked.png")
        write_private(masked_path, await page.screenshot(full_page=True, timeout=timeout_ms))
        evidence.masked = str(masked_path)
    except PlaywrightError as error:
        log.warning("could not capture the page for %s: %s", label,
                    secrets.scrub(str(error).splitlines()[0] if str(error) else "error"))
    return evidence
