"""The sandbox console: an aiohttp app imitating console.publ.biz for tests, the demo and
the benchmark (publ-console.md). `Sandbox` runs it on a loopback port and exposes its
switches and counters; `/_sandbox/control` and `/_sandbox/state` do the same over HTTP.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import socket
from dataclasses import asdict
from typing import Any, Literal

from aiohttp import web

from sync.exports import MEMBERS, ORDERS, REFUNDS, ExportFormat
from sync.sandbox import pages
from sync.sandbox.fake_exports import render
from sync.sandbox.state import ConsoleData, Counters, Sessions, Switches, page_slice

COOKIE = "publ_session"
LOGIN_PATH = "/?type=enter"
WRONG_PASSWORD_TEXT = "The e-mail or password is incorrect."  # noqa: S105
SESSION_ENDED_TEXT = "Your session has ended. Please log in again."
PREVIEW_ROWS = 20  # rows drawn in a page's table; exports always carry every row
PagedExport = Literal["orders", "refunds"]


class Sandbox:
    """A running imitation of the publ console with one channel.

    `email`, `password` and `channel_id` are what it accepts; `switches` change how it
    behaves (see `Switches`); `counters` record what it saw.
    """

    def __init__(self, *, email: str = "operator@example.com", password: str = "sandbox-pass",  # noqa: S107
                 channel_id: str = "L2NoYW5uZWxzLzE3Njkx", members: int = 40, orders: int = 25,
                 refunds: int = 5, seed: int = 7, **switches: Any) -> None:
        self.email = email
        self.password = password
        self.channel_id = channel_id
        self.data = ConsoleData.make(members, orders, refunds, seed=seed)
        self.switches = Switches(**switches)
        self.counters = Counters()
        self.waiting: set[str] = set()  # exports held by `release_together`
        self.released = asyncio.Event()
        self.sessions = Sessions()
        self.app = build_app(self)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.host = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> Sandbox:
        """Listen on `host:port` (a free port when 0)."""
        self.host = host
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        self.port = sock.getsockname()[1]
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def set(self, **changes: Any) -> None:
        """Change switches; changing `stale_sessions` makes every session issued so far stale,
        so that `set(stale_sessions="expired")` expires the session a sync just saved."""
        for name, value in changes.items():
            if not hasattr(self.switches, name):
                raise AttributeError(f"no sandbox switch {name!r}")
            setattr(self.switches, name, value)
        if "stale_sessions" in changes:
            self.sessions.make_all_stale()
        if "release_together" in changes:
            self.switches.release_together = frozenset(changes["release_together"])
            self.waiting.clear()
            self.released = asyncio.Event()

    def break_downloads(self, export: str, times: int = 1) -> None:
        """The next `times` downloads of `export` break off half-way."""
        self.switches.broken_downloads[export] = times

    def add_orders(self, count: int) -> list[dict[str, str]]:
        return self.data.add_orders(count)

    def add_members(self, count: int) -> list[dict[str, str]]:
        return self.data.add_members(count)

    def state(self) -> dict[str, Any]:
        switches = asdict(self.switches)
        switches["release_together"] = sorted(switches["release_together"])
        return {"switches": switches, "counters": asdict(self.counters),
                "members": len(self.data.members), "orders": len(self.data.orders),
                "refunds": len(self.data.refunds)}


def build_app(sandbox: Sandbox) -> web.Application:
    app = web.Application()
    app[SANDBOX_KEY] = sandbox
    channel = "/channels/{channel_id}"
    app.router.add_get("/", root)
    app.router.add_post("/", login)
    app.router.add_get("/all-channels", all_channels)
    app.router.add_get(channel, channel_home)
    app.router.add_get(channel + "/members/registered-users", members_page)
    app.router.add_get(channel + "/orders/subs-products", orders_page)
    app.router.add_get(channel + "/orders/refunds", refunds_page)
    app.router.add_get("/api" + channel + "/members/export", members_export)
    app.router.add_get("/api" + channel + "/orders/export", orders_export)
    app.router.add_get("/api" + channel + "/refunds/export", refunds_export)
    app.router.add_get("/static/{name}", asset)
    app.router.add_post("/_sandbox/control", control)
    app.router.add_get("/_sandbox/state", state)
    return app


SANDBOX_KEY = web.AppKey("sandbox", Sandbox)


def _sandbox(request: web.Request) -> Sandbox:
    return request.app[SANDBOX_KEY]


async def _page_load(request: web.Request) -> Sandbox:
    """Count a page load and wait the configured latency."""
    sandbox = _sandbox(request)
    sandbox.counters.page_loads += 1
    sandbox.counters.pages.append(request.path_qs)
    if sandbox.switches.latency_ms:
        await asyncio.sleep(sandbox.switches.latency_ms / 1000)
    return sandbox


def _html(text: str) -> web.Response:
    return web.Response(text=text, content_type="text/html")


def _session_state(request: web.Request, sandbox: Sandbox) -> str:
    return sandbox.sessions.state(request.cookies.get(COOKIE), sandbox.switches.stale_sessions)


def _require_session(request: web.Request, sandbox: Sandbox) -> str:
    """'valid' or 'half_valid'; anything else is sent to the login page."""
    session = _session_state(request, sandbox)
    if session == "expired":
        # Consoles like to greet a visitor they sent back with a message of their own.
        raise web.HTTPFound(LOGIN_PATH + "&expired=1")
    return session


def _require_channel(request: web.Request, sandbox: Sandbox) -> None:
    if request.match_info["channel_id"] != sandbox.channel_id:
        raise web.HTTPNotFound(text="channel not found")


async def root(request: web.Request) -> web.Response:
    sandbox = await _page_load(request)
    if request.query.get("type") == "enter":
        greeting = SESSION_ENDED_TEXT if request.query.get("expired") else None
        return _html(_login_page(sandbox, greeting))
    _require_session(request, sandbox)
    raise web.HTTPFound("/all-channels")


def _login_page(sandbox: Sandbox, message: str | None) -> str:
    switches = sandbox.switches
    return pages.login_page(message, attributes_only=switches.attribute_login,
                            unclassed_error=switches.unclassed_error)


async def login(request: web.Request) -> web.Response:
    """The login form's POST: right credentials → a session cookie and `/all-channels`."""
    sandbox = await _page_load(request)
    sandbox.counters.login_attempts += 1
    form = await request.post()
    accepted = (not sandbox.switches.wrong_password
                and form.get("email") == sandbox.email
                and form.get("password") == sandbox.password)
    if not accepted:
        # The real console stays on a type=enter URL and says why.
        return _html(_login_page(sandbox, WRONG_PASSWORD_TEXT))
    sandbox.counters.logins += 1
    response = web.HTTPFound("/all-channels")
    response.set_cookie(COOKIE, sandbox.sessions.issue(), httponly=True, path="/",
                        samesite="Lax")
    raise response


async def all_channels(request: web.Request) -> web.Response:
    sandbox = await _page_load(request)
    _require_session(request, sandbox)
    return _html(pages.channels_page(sandbox.channel_id, _channel_name(sandbox.channel_id)))


async def channel_home(request: web.Request) -> web.Response:
    sandbox = await _page_load(request)
    _require_session(request, sandbox)
    _require_channel(request, sandbox)
    raise web.HTTPFound(f"/channels/{sandbox.channel_id}/members/registered-users")


def _preview(fmt: ExportFormat, rows: list[dict[str, str]], first_number: int = 1,
             switches: Switches | None = None, email: str = "") -> dict[str, object]:
    shown = rows[:PREVIEW_ROWS]
    table = [[str(first_number + i), *[r.get(h, "") for h in fmt.columns]] if fmt.ignored
             else [r.get(h, "") for h in fmt.columns] for i, r in enumerate(shown)]
    view: dict[str, object] = {"headers": fmt.headers, "rows": table}
    if switches is not None and switches.div_lists:
        view["div_lists"] = True
    if switches is not None and switches.account_menu:
        view["account"] = email
    return view


async def members_page(request: web.Request) -> web.Response:
    sandbox = await _page_load(request)
    session = _require_session(request, sandbox)
    _require_channel(request, sandbox)
    view = _preview(MEMBERS, sandbox.data.members, switches=sandbox.switches,
                    email=sandbox.email)
    if session == "half_valid":
        # The seed's trap: the page loads, but without permission to export.
        view["notice"] = "You don't have permission to download member data."
    elif not sandbox.switches.button_missing:
        label = ("All Member download (CSV)" if sandbox.switches.spaced_label
                 else "All Member download(CSV)")
        view["button"] = {"label": label, "mode": "file",
                          "url": f"/api/channels/{sandbox.channel_id}/members/export"}
    view["delay"] = sandbox.switches.render_delay_ms
    view["content_delay"] = sandbox.switches.content_delay_ms
    return _html(pages.data_page("Registered users", view))


def _paging(request: web.Request) -> tuple[int, int]:
    try:
        page = max(1, int(request.query.get("page", "1")))
        limit = max(1, int(request.query.get("limit", "10")))
    except ValueError as error:
        raise web.HTTPBadRequest(text="page and limit must be numbers") from error
    return page, limit


async def orders_page(request: web.Request) -> web.Response:
    # Orders come as a script-made download (a blob link), like some consoles do.
    return await _paged_page(request, "orders", ORDERS, "Subscription products", "script")


async def refunds_page(request: web.Request) -> web.Response:
    return await _paged_page(request, "refunds", REFUNDS, "Refunds", "file")


async def _paged_page(request: web.Request, name: PagedExport, fmt: ExportFormat, title: str,
                      mode: str) -> web.Response:
    """A paged list (newest first) with its `current / total` counter and export button."""
    sandbox = await _page_load(request)
    _require_session(request, sandbox)
    _require_channel(request, sandbox)
    page, limit = _paging(request)
    rows, total = _page_rows(sandbox, name, page, limit)
    view = _preview(fmt, rows, first_number=(page - 1) * limit + 1, switches=sandbox.switches,
                    email=sandbox.email)
    view["pager"] = [page, total]
    titled = sandbox.switches.titled_icon
    if not sandbox.switches.button_missing:
        view["button"] = {"mode": mode, "filename": f"{name}_{page}.csv",
                          "url": f"/api/channels/{sandbox.channel_id}/{name}/export"
                                 f"?page={page}&limit={limit}",
                          "title": "Download CSV" if titled else ""}
    view["delay"] = sandbox.switches.render_delay_ms
    view["content_delay"] = sandbox.switches.content_delay_ms
    return _html(pages.data_page(title, view,
                                 icon=pages.CHANGED_ICON if titled else pages.EXPORT_ICON))


def _page_rows(sandbox: Sandbox, name: PagedExport, page: int, limit: int
               ) -> tuple[list[dict[str, str]], int]:
    """Page `page` of the orders or refunds, newest first, and the page count."""
    rows = sandbox.data.orders if name == "orders" else sandbox.data.refunds
    return page_slice(sandbox.data.newest_first(rows), page, limit)


async def _export(request: web.Request, name: str, body: bytes, filename: str
                  ) -> web.StreamResponse:
    """Send an export as a file; a switched-on break sends half of it and hangs up."""
    sandbox = _sandbox(request)
    if _session_state(request, sandbox) != "valid":
        raise web.HTTPForbidden(text="no permission")
    _require_channel(request, sandbox)
    sandbox.counters.downloads[name] = sandbox.counters.downloads.get(name, 0) + 1
    await _held_until_together(sandbox, name)
    response = web.StreamResponse(headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"',
    })
    response.content_length = len(body)
    await response.prepare(request)
    broken = sandbox.switches.broken_downloads.get(name, 0)
    if broken > 0:
        sandbox.switches.broken_downloads[name] = broken - 1
        await response.write(body[: len(body) // 2])
        if request.transport is not None:
            request.transport.abort()
        return response
    rate = sandbox.switches.slow_exports.get(name)
    if rate:
        # A stalling export: a byte at a time, at `rate` bytes per second.
        for index in range(len(body)):
            await response.write(body[index:index + 1])
            await asyncio.sleep(1 / rate)
    else:
        await response.write(body)
    await response.write_eof()
    return response


async def _held_until_together(sandbox: Sandbox, name: str) -> None:
    """Wait, when `name` is in `release_together`, until every export named there has been
    asked for since the switch was set."""
    together = sandbox.switches.release_together
    if name not in together:
        return
    sandbox.waiting.add(name)
    if sandbox.waiting >= together:
        sandbox.released.set()
    await sandbox.released.wait()


async def members_export(request: web.Request) -> web.StreamResponse:
    sandbox = _sandbox(request)
    return await _export(request, "members", render(MEMBERS, sandbox.data.members),
                         "registered-users.csv")


async def orders_export(request: web.Request) -> web.StreamResponse:
    return await _paged_export(request, "orders", ORDERS)


async def refunds_export(request: web.Request) -> web.StreamResponse:
    return await _paged_export(request, "refunds", REFUNDS)


async def _paged_export(request: web.Request, name: PagedExport, fmt: ExportFormat
                        ) -> web.StreamResponse:
    """One page's export: that page's rows only, as the real console sends them."""
    page, limit = _paging(request)
    rows, _ = _page_rows(_sandbox(request), name, page, limit)
    body = render(fmt, rows, numbered_from=(page - 1) * limit + 1)
    if _sandbox(request).switches.damaged_pages.get(name) == page:
        body = _damaged(body)
    return await _export(request, name, body, f"{name}_{page}.csv")


def _damaged(body: bytes) -> bytes:
    """`body` with the last byte of its first non-ASCII character after the header gone."""
    start = body.index(b"\n") + 1
    at = next(i for i in range(start, len(body)) if body[i] >= 0xC0)  # a lead byte
    return body[:at + 1] + body[at + 2:]


# A 1×1 transparent PNG; the font is a few bytes that only need to be fetched, not used.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


async def asset(request: web.Request) -> web.Response:
    """The logo and the web font every page asks for, counted."""
    _sandbox(request).counters.assets += 1
    if request.match_info["name"].endswith(".png"):
        return web.Response(body=PIXEL, content_type="image/png")
    return web.Response(body=b"wOF2", content_type="font/woff2")


async def control(request: web.Request) -> web.Response:
    """Change switches over HTTP: `{"wrong_password": true}`, `{"add_orders": 5}`, …"""
    sandbox = _sandbox(request)
    changes: dict[str, Any] = await request.json()
    if "add_orders" in changes:
        sandbox.add_orders(int(changes.pop("add_orders")))
    if "add_members" in changes:
        sandbox.add_members(int(changes.pop("add_members")))
    if "break_downloads" in changes:
        for export, times in dict(changes.pop("break_downloads")).items():
            sandbox.break_downloads(export, int(times))
    if changes.pop("reset_counters", False):
        sandbox.counters.reset()
    try:
        sandbox.set(**changes)
    except AttributeError as error:
        raise web.HTTPBadRequest(text=str(error)) from error
    return web.json_response(sandbox.state())


async def state(request: web.Request) -> web.Response:
    return web.json_response(_sandbox(request).state())


def _channel_name(channel_id: str) -> str:
    """`L2NoYW5uZWxzLzE3Njkx` is base64 of `/channels/17691`."""
    try:
        decoded = base64.b64decode(channel_id + "=" * (-len(channel_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return "Sandbox channel"
    return f"Sandbox channel {decoded.rsplit('/', 1)[-1]}"
