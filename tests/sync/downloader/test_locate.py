"""Locator chains in real Chromium on a static page: the configured locator first, a
looser fallback only when it matches exactly one visible element."""

from __future__ import annotations

from playwright.async_api import async_playwright

from sync.downloader.locate import CONFIGURED, Candidate, Chain, Control, loose_name, pick
from tests.conftest import chromium_path

PAGE = """<button>All Member download (CSV)</button>
<button>Export (CSV)</button><button>export(csv)</button>
<button style="display:none">Hidden (CSV)</button>"""


async def test_fallback_used_only_when_it_matches_one_visible_element():
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path())
        try:
            page = await browser.new_page()
            await page.set_content(PAGE)

            def chain(label: str) -> Chain:
                return Chain(Control("members", label, "PUBL_MEMBERS_BUTTON"), [
                    Candidate(CONFIGURED, page.get_by_role("button", name=label, exact=True)),
                    Candidate("name", page.get_by_role("button", name=loose_name(label)))])

            spaced = await pick(chain("All Member download(CSV)"))
            assert spaced is not None and spaced.drift is not None
            assert spaced.drift.found == "All Member download (CSV)"
            exact = await pick(chain("All Member download (CSV)"))
            assert exact is not None and exact.drift is None  # the configured one
            assert await pick(chain("Export(CSV)")) is None  # two matches: not used
            assert await pick(chain("Hidden(CSV)")) is None  # invisible: not used
        finally:
            await browser.close()
