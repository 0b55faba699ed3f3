"""The Chromium processes a test started: what "no browser outlives a command" is checked on."""

from __future__ import annotations

import psutil


def chromium_children() -> list[psutil.Process]:
    """Chromium processes under this test process (short-lived helpers that end while being
    looked at are passed over)."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "chrom" in proc.name().lower():
                found.append(proc)
        except psutil.Error:
            continue
    return found
