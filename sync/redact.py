"""A safety net for logs: any known secret that slips into a log record is masked.

Code must not log secrets in the first place; this catches what a library might print
(an exception's repr with a URL, a request body). Secrets are the password, the Slack
tokens and signing secret, and the session's cookie values once the browser has them.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from urllib.parse import parse_qs, unquote, urlsplit

from sync.settings import Settings

MASK = "***"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words

# Libraries that put data into their own records below these levels: SQLAlchemy logs each
# statement with its parameters (every member row) at INFO and result rows at DEBUG,
# aiosqlite each call with its arguments at DEBUG, slack_sdk and Bolt request and response
# bodies (response_urls, user ids) at DEBUG, websockets each Socket Mode frame at DEBUG.
# Whatever LOG_LEVEL says, they log no lower than this.
LIBRARY_FLOORS: dict[str, int] = {
    "sqlalchemy": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
    "alembic": logging.WARNING,
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
    "bot.bolt": logging.INFO,
    "websockets": logging.INFO,
    "aiohttp.client": logging.INFO,
    "aiohttp.server": logging.INFO,
}
# Secrets with a known shape, masked even when nobody registered them: Slack tokens and
# response_urls (anyone holding one may post to the channel for half an hour).
SECRET_PATTERNS = (
    re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+"),
    re.compile(r"\bxapp-[A-Za-z0-9-]+"),
    re.compile(r"https://hooks\.slack\.com/[^\s'\"<>]+"),
)

_secrets: set[str] = set()
_lock = threading.Lock()


def add_secret(value: object) -> None:
    """Mask `value` in every log record from now on."""
    if value and len(str(value)) >= MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(str(value))


def forget_secrets() -> None:
    """Mask none of the values added so far: each test starts as a fresh process does, so
    a test cannot pass only because an earlier one taught the mask its secret."""
    with _lock:
        _secrets.clear()


def add_settings_secrets(settings: Settings) -> None:
    for secret in (settings.publ_password, settings.slack_bot_token, settings.slack_app_token,
                   settings.slack_signing_secret, settings.healthcheck_url):
        add_secret(secret.get_secret_value())
    if settings.database_url:
        # A DATABASE_URL may carry a password; a driver's error can quote the URL, as
        # written (percent-encoded) or decoded. Read with urllib, not SQLAlchemy's
        # `make_url`: `publ-sync run` installs this before it starts Chromium, and importing
        # SQLAlchemy first would hold the browser's start back (bench/download_bench.py).
        for written in _url_passwords(settings.database_url):
            add_secret(written)
            add_secret(unquote(written))


# What SQLAlchemy itself takes as the password: everything between the user's `:` and the
# last `@` before the host (a password may hold a raw `/`, `?`, `#` or `[`, which urllib's
# parser stops at or refuses).
_URL_PASSWORD = re.compile(r"^[\w+.-]+://[^:/@]*:(.*)@[^@]*$", re.DOTALL)


def _url_passwords(url: str) -> set[str]:
    """The password of a database URL as it is written, however urllib or SQLAlchemy would
    read it, and one given as `?password=` in its query."""
    found: set[str] = set()
    matched = _URL_PASSWORD.match(url)
    if matched and matched.group(1):
        found.add(matched.group(1))
    with contextlib.suppress(ValueError):
        parts = urlsplit(url)
        if parts.password:
            found.add(parts.password)
        found.update(parse_qs(parts.query).get("password", []))
    return found


def scrub(text: str) -> str:
    """`text` with every known secret replaced by `***`."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """Formats the record once and masks secrets in the result (message and traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = scrub(message), None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def install(settings: Settings) -> None:
    """Register the settings' secrets, put the filter on every root handler, and hold the
    libraries that log data at their floors. Called once, by `publ-sync` and `publ-bot`,
    after the root level is set (LOG_LEVEL, `-v`)."""
    add_settings_secrets(settings)
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    quiet_libraries(root.getEffectiveLevel())


def quiet_libraries(root_level: int) -> None:
    """Each library in `LIBRARY_FLOORS` logs at its floor or the root's level, whichever
    is higher (never more than the root asks for)."""
    for name, floor in LIBRARY_FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, root_level))
