"""The sandbox console's data and switches: what it serves and how it misbehaves.

Everything a test or the demo wants to change — expire the saved session, refuse the
password, drop a button, slow every page, cut a download off, add new orders — is a field
or a method here, settable when the sandbox is made and while it runs.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from typing import Literal

from sync.sandbox.fake_exports import Generator

SessionMode = Literal["valid", "expired", "half_valid"]
ExportName = Literal["members", "orders", "refunds"]
SESSION_PREFIX = "sbx-"


@dataclass
class Switches:
    """How the sandbox behaves; every field can be changed at any time."""

    wrong_password: bool = False  # every login is refused, whatever is typed
    button_missing: bool = False  # a layout change: no export button on any page
    latency_ms: int = 0  # added to every page (HTML) response
    # lists drawn with <div>s (names as links with an aria-label, usernames as buttons), as a
    # styled-components app may
    div_lists: bool = False
    account_menu: bool = False  # a header menu showing the operator's e-mail
    # how sessions the sandbox did not issue since the last change are treated
    stale_sessions: SessionMode = "expired"
    # export name -> how many of its next downloads break off half-way
    broken_downloads: dict[str, int] = field(default_factory=dict)
    # export name -> the page whose export has a Korean character cut to its first bytes
    # (whole file, damaged inside: what a lenient decoder would hide)
    damaged_pages: dict[str, int] = field(default_factory=dict)
    # exports named here are held until each of them has been asked for, then all sent
    # at the same moment (two downloads finishing together, as on a fast connection)
    release_together: frozenset[str] = frozenset()
    # drifts: small changes on publ's side that a fallback locator must absorb
    spaced_label: bool = False  # the members button reads "All Member download (CSV)"
    attribute_login: bool = False  # login fields without labels, only name/type attributes
    unclassed_error: bool = False  # a refused login's message without role=alert
    titled_icon: bool = False  # the export icon's SVG path changed; the button has a title
    render_delay_ms: int = 0  # data pages draw themselves this long after load
    # the navigation (its "Log out" button) is drawn at once, the rest this long after it,
    # with no request in between: a console busy building a long list
    content_delay_ms: int = 0
    # export name -> bytes per second it is sent at (a stalling download)
    slow_exports: dict[str, float] = field(default_factory=dict)


@dataclass
class Counters:
    """What the sandbox saw; tests and the benchmark read these."""

    page_loads: int = 0
    login_attempts: int = 0
    logins: int = 0
    downloads: dict[str, int] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    assets: int = 0  # images and fonts fetched (a fast downloader fetches none)

    def reset(self) -> None:
        self.page_loads = self.login_attempts = self.logins = self.assets = 0
        self.downloads.clear()
        self.pages.clear()


@dataclass
class ConsoleData:
    """The channel's members, orders (oldest first, as made) and refunds."""

    generator: Generator
    members: list[dict[str, str]] = field(default_factory=list)
    orders: list[dict[str, str]] = field(default_factory=list)
    refunds: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def make(cls, members: int, orders: int, refunds: int, seed: int = 7) -> ConsoleData:
        generator = Generator(seed=seed, member_count=max(members, 1))
        data = cls(generator)
        data.members = list(generator.members(members))
        data.orders = list(generator.orders(orders))
        data.refunds = list(generator.refunds(refunds, max(orders, 1)))
        return data

    def add_orders(self, count: int) -> list[dict[str, str]]:
        """New orders, newer than every existing one (they land on page 1)."""
        added = list(self.generator.orders(count, start=len(self.orders)))
        self.orders.extend(added)
        return added

    def add_members(self, count: int) -> list[dict[str, str]]:
        added = list(self.generator.members(count, start=len(self.members)))
        self.members.extend(added)
        return added

    def newest_first(self, rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return list(reversed(rows))


def page_slice(rows: list[dict[str, str]], page: int, limit: int
               ) -> tuple[list[dict[str, str]], int]:
    """The rows on page `page` (1 = first) and the page count (at least 1)."""
    total = max(1, math.ceil(len(rows) / limit))
    start = (page - 1) * limit
    return rows[start:start + limit], total


class Sessions:
    """Session tokens the sandbox issued, and how stale ones are treated."""

    def __init__(self) -> None:
        self.fresh: set[str] = set()

    def issue(self) -> str:
        token = SESSION_PREFIX + secrets.token_hex(16)
        self.fresh.add(token)
        return token

    def make_all_stale(self) -> None:
        """Sessions issued so far now follow `Switches.stale_sessions`."""
        self.fresh.clear()

    def state(self, token: str | None, stale_mode: SessionMode) -> SessionMode:
        """Whether a cookie value opens the console fully, half, or not at all."""
        if not token or not token.startswith(SESSION_PREFIX):
            return "expired"
        if token in self.fresh:
            return "valid"
        return stale_mode
