"""The saved login session: Playwright storage state in `sessions/.session.json` (0600)."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sync.clock import utcnow
from sync.downloader.failures import Secrets
from sync.storage import Storage, write_private

log = logging.getLogger(__name__)


def load(storage: Storage, secrets: Secrets) -> dict[str, Any] | None:
    """The saved session, or None; an unreadable file is set aside rather than trusted."""
    path = storage.session_file
    if not path.exists():
        return None
    state: object = None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        problem = schema_problem(state)
    except (OSError, ValueError) as error:
        problem = type(error).__name__
    if isinstance(state, dict):
        remember_cookies(state, secrets)  # even a broken one's values stay out of the logs
    if problem is not None or not isinstance(state, dict):
        moved = set_aside(storage, "invalid")
        log.warning("the saved session is not a valid session (%s); set aside as %s",
                    problem, moved)
        return None
    return state


SAME_SITE = ("Strict", "Lax", "None")


def schema_problem(state: object) -> str | None:
    """What makes `state` not a Playwright storage state, or None when it is one: a cookie
    must have a text name and value and a domain and path (or a url), an origin must be
    an http(s) origin with text localStorage items. Says where, never the values."""
    if not isinstance(state, dict) or not isinstance(state.get("cookies"), list):
        return "not a storage state"
    for index, cookie in enumerate(state["cookies"]):
        problem = _cookie_problem(cookie)
        if problem:
            return f"cookies[{index}]: {problem}"
    origins = state.get("origins", [])
    if not isinstance(origins, list):
        return "origins is not a list"
    for index, origin in enumerate(origins):
        problem = _origin_problem(origin)
        if problem:
            return f"origins[{index}]: {problem}"
    return None


def _cookie_problem(cookie: object) -> str | None:
    if not isinstance(cookie, dict):
        return "not an object"
    for key in ("name", "value"):
        if not isinstance(cookie.get(key), str):
            return f"{key} is not text"
    if not cookie["name"]:
        return "empty name"
    has_url = isinstance(cookie.get("url"), str)
    if not has_url and not (isinstance(cookie.get("domain"), str) and cookie["domain"]
                            and isinstance(cookie.get("path"), str)):
        return "no url, or no domain and path"
    if "expires" in cookie and (isinstance(cookie["expires"], bool)
                                or not isinstance(cookie["expires"], (int, float))):
        return "expires is not a number"
    for key in ("httpOnly", "secure"):
        if key in cookie and not isinstance(cookie[key], bool):
            return f"{key} is not true/false"
    if "sameSite" in cookie and cookie["sameSite"] not in SAME_SITE:
        return "sameSite is not Strict, Lax or None"
    return None


def _origin_problem(origin: object) -> str | None:
    if not isinstance(origin, dict):
        return "not an object"
    where = origin.get("origin")
    if not isinstance(where, str):
        return "origin is not text"
    parsed = urlsplit(where)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.path not in ("",
                                                                                        "/"):
        return "origin is not an http(s) origin"
    items = origin.get("localStorage", [])
    if not isinstance(items, list) or not all(
            isinstance(item, dict) and isinstance(item.get("name"), str)
            and isinstance(item.get("value"), str) for item in items):
        return "localStorage items are not name/value text"
    return None


def remember_cookies(state: dict[str, Any], secrets: Secrets) -> None:
    """Cookie values are credentials: scrub them from anything we write."""
    cookies, origins = state.get("cookies"), state.get("origins")
    for cookie in cookies if isinstance(cookies, list) else []:
        if isinstance(cookie, dict):
            secrets.add(str(cookie.get("value", "")))
    for origin in origins if isinstance(origins, list) else []:
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
