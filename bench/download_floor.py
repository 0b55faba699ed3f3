"""The floor of a download: the least a script must do to fetch the three exports.

Run by `bench/download_bench.py` in its own process, to compare `publ-sync run` against it.
It starts the same Playwright and Chromium with the same flags, loads the saved session,
opens the members page and page 1 of orders and refunds in three tabs at once, clicks their
export buttons and saves the files — no session check, no database, no fixed waits, no
error handling. `--login` first logs in through the form (floor-plus-login).

Usage: `python bench/download_floor.py URL CHANNEL_ID SESSION_FILE OUT_DIR [--login EMAIL]
[--chromium PATH]` (the password from `PUBL_PASSWORD`, never on the command line).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from pathlib import Path

from playwright.async_api import Page, async_playwright

# The downloader's own flags (sync/downloader/browser.py); the bench checks they match.
LAUNCH_FLAGS = ["--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
MEMBERS_BUTTON = "All Member download(CSV)"
EXPORT_ICON = 'button:has(svg path[d*="20.1835,14.7857"])'


async def fetch(page: Page, url: str, selector: str | None, target: Path) -> None:
    """Open `url`, click its export control once visible, save the download."""
    await page.goto(url, wait_until="domcontentloaded")
    button = (page.get_by_role("button", name=MEMBERS_BUTTON, exact=True) if selector is None
              else page.locator(selector))
    await button.first.wait_for(state="visible")
    async with page.expect_download() as info:
        await button.first.click(no_wait_after=True, force=True)
    await (await info.value).save_as(target)


async def main(args: argparse.Namespace) -> None:
    base = f"{args.url}/channels/{args.channel_id}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=args.chromium,
                                                   headless=True, args=LAUNCH_FLAGS)
        state = None if args.login else json.loads(Path(args.session).read_text())
        context = await browser.new_context(locale="en-US", timezone_id="Asia/Seoul",
                                            accept_downloads=True,
                                            storage_state=state)  # type: ignore[arg-type]
        first = await context.new_page()
        if args.login:
            email, password = args.login, os.environ["PUBL_PASSWORD"]
            await first.goto(f"{args.url}/?type=enter", wait_until="domcontentloaded")
            await first.get_by_label("E-mail", exact=True).fill(email)
            await first.get_by_label("Password", exact=True).fill(password)
            await first.get_by_role("button", name="Login", exact=True).click()
            await first.wait_for_url(lambda url: "type=enter" not in url,
                                     wait_until="domcontentloaded")
        second, third = await context.new_page(), await context.new_page()
        await asyncio.gather(
            fetch(first, f"{base}/members/registered-users", None, out / "members.csv"),
            fetch(second, f"{base}/orders/subs-products?page=1&limit=300", EXPORT_ICON,
                  out / "orders.csv"),
            fetch(third, f"{base}/orders/refunds?page=1&limit=300", EXPORT_ICON,
                  out / "refunds.csv"))
        await context.close()
        await browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("channel_id")
    parser.add_argument("session")
    parser.add_argument("out")
    parser.add_argument("--login", metavar="EMAIL")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    asyncio.run(main(parser.parse_args()))
