"""The saved login session: Playwright storage state in `sessions/.session.json` (0600)."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.downloader.failures import Secrets
from sync.models import utcnow
from sync.storage import Storage, write_private

log = logging.getLogger(__name__)


def load(storage: Storage, secrets: Secrets) -> dict[str, Any] | None:
    """The saved session, or None; an unreadable file is set aside rather than trusted."""
    path = storage.session_file
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(state, dict) or not isinstance(state.get("cookies"), list):
            raise ValueError("not a storage state")
    except (OSError, ValueError):
        moved = set_aside(storage, "unreadable")
        log.warning("the saved session could not be read; set aside as %s", moved)
        return None
    remember_cookies(state, secrets)
    return state


def remember_cookies(state: dict[str, Any], secrets: Secrets) -> None:
    """Cookie values are credentials: scrub them from anything we write."""
    for cookie in state.get("cookies", []):
        if isinstance(cookie, dict):
            secrets.add(str(cookie.get("value", "")))
    for origin in state.get("origins", []):
        for item in origin.get("localStorage", []) if isinstance(origin, dict) else []:
            if isinstance(item, dict):
                secrets.add(str(item.get("value", "")))


def save(storage: Storage, state: dict[str, Any], secrets: Secrets) -> Path:
    """Write the session readable only by its owner (atomically, never half-written)."""
    remember_cookies(state, secrets)
    storage.sessions.mkdir(parents=True, exist_ok=True)
    storage.sessions.chmod(0o700)
    write_private(storage.session_file, json.dumps(state).encode("utf-8"))
    return storage.session_file


def set_aside(storage: Storage, reason: str, when: datetime | None = None) -> Path | None:
    """Move the session to `trash/` (timestamped), or None when there is none."""
    if not storage.session_file.exists():
        return None
    return storage.set_aside(storage.session_file, when or utcnow(), label=reason)
