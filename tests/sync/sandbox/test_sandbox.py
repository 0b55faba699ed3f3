"""The sandbox console against every fact in publ-console.md, so that what passes against
the sandbox would pass against the real console. Browser facts in real Chromium; the rest
over plain HTTP."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import re
import sys
import time

import aiohttp
import pytest
from playwright.async_api import async_playwright

from sync.exports import MEMBERS, ORDERS, REFUNDS
from sync.sandbox import WRONG_PASSWORD_TEXT, Sandbox
from tests.conftest import chromium_path

ICON_PATH_FRAGMENT = "20.1835,14.7857"
EXPORT_SELECTOR = f'button:has(svg path[d*="{ICON_PATH_FRAGMENT}"])'
PRICE = re.compile(r"^(\d{1,3}(,\d{3})*원|\d+)$")
KST_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")
HANGUL = re.compile(r"[가-힣]")


def client() -> aiohttp.ClientSession:
    # The sandbox listens on 127.0.0.1; aiohttp keeps cookies for IP hosts only when unsafe.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def logged_in(session: aiohttp.ClientSession, sandbox: Sandbox) -> None:
    async with session.post(sandbox.url + "/?type=enter", allow_redirects=False,
                            data={"email": sandbox.email, "password": sandbox.password}) as r:
        assert r.status == 302 and r.headers["Location"] == "/all-channels"


def parse(body: bytes) -> tuple[list[str], list[list[str]]]:
    assert body.startswith(b"\xef\xbb\xbf"), "exports are UTF-8 with BOM"
    records = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return records[0], records[1:]


async def test_console_in_a_real_browser(sandbox: Sandbox, tmp_path):
    """Login page, redirects, the members button, the icon-only export button, paging,
    `current / total`, both download styles — as Chromium sees them."""
    sandbox.add_orders(600 - len(sandbox.data.orders) + 10)  # 610 orders: 3 pages of 300
    channel = f"/channels/{sandbox.channel_id}"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path())
        context = await browser.new_context(locale="en-US", accept_downloads=True)
        context.set_default_timeout(5000)
        page = await context.new_page()

        for protected in ("/all-channels", channel + "/members/registered-users",
                          channel + "/orders/subs-products", channel + "/orders/refunds"):
            await page.goto(sandbox.url + protected)
            assert "type=enter" in page.url, protected

        await page.goto(sandbox.url + "/?type=enter")
        await page.get_by_role("textbox", name="E-mail", exact=True).fill(sandbox.email)
        await page.get_by_label("Password", exact=True).fill(sandbox.password)
        await page.get_by_role("button", name="Login", exact=True).click()
        await page.wait_for_url(sandbox.url + "/all-channels")

        await page.goto(sandbox.url + channel + "/members/registered-users")
        async with page.expect_download() as members_download:
            await page.get_by_role("button", name="All Member download(CSV)", exact=True).click()
        members = await members_download.value
        assert members.url.startswith(sandbox.url)  # a plain file response
        _, rows = parse((await _saved(members, tmp_path)).read_bytes())
        assert len(rows) == len(sandbox.data.members) > 20  # all members, not the visible ones

        numbers_seen: list[list[str]] = []
        for number in (1, 2, 3):
            await page.goto(f"{sandbox.url}{channel}/orders/subs-products?page={number}"
                            "&limit=300")
            button = page.locator(EXPORT_SELECTOR)
            await button.wait_for()
            assert (await button.inner_text()).strip() == ""  # icon only, no text
            assert await page.get_by_text(re.compile(rf"^\s*{number} / 3\s*$")).count() == 1
            async with page.expect_download() as orders_download:
                await button.click()
            download = await orders_download.value
            assert download.url.startswith("blob:")  # a script-made download
            header, rows = parse((await _saved(download, tmp_path)).read_bytes())
            numbers_seen.append([row[1] for row in rows])
        assert [len(n) for n in numbers_seen] == [300, 300, 10]  # the current page only
        newest = sandbox.data.orders[-1]["Order Number"]
        assert numbers_seen[0][0] == newest  # page 1 is the newest

        await page.goto(f"{sandbox.url}{channel}/orders/subs-products?page=4&limit=300")
        await page.get_by_text("No data").wait_for()  # past the last page: no rows

        await page.goto(f"{sandbox.url}{channel}/orders/refunds")
        await page.locator(EXPORT_SELECTOR).wait_for()
        await browser.close()
    assert sandbox.counters.assets > 0  # every page has a logo and a web font


async def _saved(download, folder):  # type: ignore[no-untyped-def]
    path = folder / download.suggested_filename
    await download.save_as(path)
    return path


async def test_pages_are_drawn_by_script_after_load(sandbox: Sandbox):
    async with client() as session:
        await logged_in(session, sandbox)
        for path in ("/members/registered-users", "/orders/subs-products?page=1&limit=300",
                     "/orders/refunds"):
            async with session.get(f"{sandbox.url}/channels/{sandbox.channel_id}{path}") as r:
                html = await r.text()
            assert r.status == 200 and "<button" not in html and "<script>" in html


async def test_wrong_password_stays_on_the_login_url_and_says_why(sandbox: Sandbox):
    async with client() as session:
        async with session.post(sandbox.url + "/?type=enter",
                                data={"email": sandbox.email, "password": "nope"}) as r:
            html = await r.text()
        assert "type=enter" in str(r.url) and WRONG_PASSWORD_TEXT in html
        sandbox.set(wrong_password=True)  # even the right password is refused now
        async with session.post(sandbox.url + "/?type=enter", allow_redirects=False,
                                data={"email": sandbox.email,
                                      "password": sandbox.password}) as r:
            assert r.status == 200 and WRONG_PASSWORD_TEXT in await r.text()
    assert sandbox.counters.login_attempts == 2 and sandbox.counters.logins == 0


def test_channel_id_is_base64_of_the_channel_path(sandbox: Sandbox):
    assert base64.b64decode(sandbox.channel_id).decode() == "/channels/17691"


async def test_unknown_channel_is_not_found(sandbox: Sandbox):
    async with client() as session:
        await logged_in(session, sandbox)
        other = base64.b64encode(b"/channels/1").decode()
        async with session.get(f"{sandbox.url}/channels/{other}/orders/refunds") as r:
            assert r.status == 404


async def test_exports_have_the_documented_format(sandbox: Sandbox):
    async with client() as session:
        await logged_in(session, sandbox)
        api = f"{sandbox.url}/api/channels/{sandbox.channel_id}"
        exports = {}
        for name, url in (("members", "/members/export"),
                          ("orders", "/orders/export?page=1&limit=300"),
                          ("refunds", "/refunds/export?page=1&limit=300")):
            async with session.get(api + url) as r:
                assert r.headers["Content-Disposition"].startswith("attachment")
                exports[name] = parse(await r.read())
    members_header, members = exports["members"]
    orders_header, orders = exports["orders"]
    refunds_header, refunds = exports["refunds"]
    assert members_header == MEMBERS.headers == [
        "Member Code", "Username", "E-mail", "Name", "Country", "Gender", "Birth year",
        "Personal email address", "Mobile number", "Sign-up Date"]
    assert orders_header == ORDERS.headers == [
        "Number", "Order Number", "Product name", "Type", "Price", "Name", "E-mail",
        "Member Code", "Payment Type", "Payment Method", "Date and Time of Payment"]
    assert refunds_header == REFUNDS.headers == [
        "Order Number", "Refund Status", "Refund Request Price", "Username", "Member Code",
        "Refund Request Date"]
    assert [row[0] for row in orders] == [str(i) for i in range(1, len(orders) + 1)]
    assert all(PRICE.match(row[4]) for row in orders)
    assert any("원" in row[4] and "," in row[4] for row in orders)
    assert {row[8] for row in orders} <= {"Regular Payment", "One-time Payment"}
    assert "Membership plan" in {row[3] for row in orders}
    assert all(KST_DATE.match(row[10]) for row in orders)
    assert all(KST_DATE.match(row[9]) for row in members)
    assert all(HANGUL.search(row[3]) for row in members)
    assert any(row[5] == "" for row in members)  # empty cells are common
    assert all(PRICE.match(row[2]) and KST_DATE.match(row[5]) for row in refunds)
    assert {row[1] for row in refunds} <= {"Requested", "Refunded", "Rejected"}


async def test_session_switches(sandbox: Sandbox):
    members = f"{sandbox.url}/channels/{sandbox.channel_id}/members/registered-users"
    async with client() as session:
        await logged_in(session, sandbox)
        async with session.get(members) as r:
            assert "All Member download(CSV)" in await r.text()
        sandbox.set(stale_sessions="half_valid")  # the seed's trap
        async with session.get(sandbox.url + "/all-channels") as r:
            assert r.status == 200 and "type=enter" not in str(r.url)
        async with session.get(members) as r:
            assert "type=enter" not in str(r.url)
            assert "All Member download(CSV)" not in await r.text()
        sandbox.set(stale_sessions="expired")
        async with session.get(sandbox.url + "/all-channels") as r:
            assert "type=enter" in str(r.url)
        await logged_in(session, sandbox)  # a fresh login is fully valid again
        async with session.get(members) as r:
            assert "All Member download(CSV)" in await r.text()
        sandbox.set(button_missing=True)
        async with session.get(members) as r:
            assert "All Member download(CSV)" not in await r.text()
    assert sandbox.counters.logins == 2


async def test_latency_broken_downloads_and_new_orders(sandbox: Sandbox):
    api = f"{sandbox.url}/api/channels/{sandbox.channel_id}"
    async with client() as session:
        await logged_in(session, sandbox)
        sandbox.set(latency_ms=150)
        started = time.monotonic()
        async with session.get(sandbox.url + "/all-channels") as r:
            await r.read()
        assert time.monotonic() - started >= 0.15
        sandbox.break_downloads("members", times=1)
        with pytest.raises(aiohttp.ClientPayloadError):
            async with session.get(api + "/members/export") as r:
                await r.read()
        async with session.get(api + "/members/export") as r:
            assert len(parse(await r.read())[1]) == 40
        added = sandbox.add_orders(3)
        async with session.get(api + "/orders/export?page=1&limit=2") as r:
            _, rows = parse(await r.read())
        assert [row[1] for row in rows] == [o["Order Number"] for o in reversed(added)][:2]


async def test_control_endpoint_changes_switches_and_reports_counters(sandbox: Sandbox):
    async with client() as session:
        async with session.post(sandbox.url + "/_sandbox/control",
                                json={"wrong_password": True, "latency_ms": 5,
                                      "add_orders": 2, "break_downloads": {"orders": 1}}) as r:
            state = await r.json()
        assert state["switches"]["wrong_password"] is True
        assert state["switches"]["broken_downloads"] == {"orders": 1}
        assert state["orders"] == 27
        async with session.post(sandbox.url + "/_sandbox/control",
                                json={"no_such_switch": 1}) as r:
            assert r.status == 400
        await session.get(sandbox.url + "/all-channels")
        async with session.get(sandbox.url + "/_sandbox/state") as r:
            counters = (await r.json())["counters"]
        assert counters["page_loads"] == 2  # /all-channels and its redirect to the login page


async def test_standalone_sandbox_prints_the_settings_to_use(tmp_path):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sync.sandbox", "--port", "0", "--members", "3", cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None
        first = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
        url = first.rsplit(" ", 1)[1].strip()
        settings_lines = [(await process.stdout.readline()).decode().strip() for _ in range(4)]
        assert settings_lines[0] == f"PUBL_CONSOLE_URL={url}"
        assert settings_lines[3] == "PUBL_CHANNEL_ID=L2NoYW5uZWxzLzE3Njkx"
        async with client() as session, session.get(url + "/_sandbox/state") as r:
            assert (await r.json())["members"] == 3
    finally:
        process.terminate()
        await process.wait()
