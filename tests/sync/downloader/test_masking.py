"""The masked screenshot, checked pixel by pixel in real Chromium.

A test page seeds personal data everywhere a console might draw it: a list drawn with
`<div>`s, a table, links, buttons, an account menu with the operator's e-mail, an
`aria-label` and a `title`, an input's value, a canvas, an image, an open and a closed
shadow root, a same-origin frame and a cross-origin frame (another server, another host
name). For every seeded string, every pixel inside its text boxes (`Range.getClientRects`,
in every frame, offset into page coordinates) must be one colour in the masked PNG — and
more than one in a screenshot taken just before masking (the positive control that proves
the boxes are measured where the text is).
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Frame, Page, async_playwright

from sync import runner
from sync.downloader.evidence import capture
from sync.downloader.failures import Secrets
from sync.downloader.flow import open_console
from sync.downloader.masking import mask_snapshot
from sync.downloader.readable import Readable
from sync.report import DownloadStats
from sync.sandbox import Sandbox
from sync.storage import Storage
from tests.conftest import chromium_path
from tests.pngpixels import decode

OPERATOR_EMAIL = "operator.kim@example.com"
IN_DIVS = ["김민준", "minjun.kim@example.com", "010-1234-5678", "이서연", "seoyeon@example.org",
           "010-9876-5432"]
IN_TABLE = ["박지훈", "jihoon.park@example.net", "010-2222-3333"]
AS_LINKS = ["최유나", "yuna.choi@example.com"]
AS_BUTTONS = ["정하은", "haeun@example.com"]
IN_SHADOW = ["윤도현", "dohyun@example.com"]
IN_SAME_FRAME = ["한지민", "jimin@example.com"]
IN_OTHER_FRAME = ["송민호", "minho@example.net"]
IN_TOAST = "김하늘 님이 가입했습니다"  # fixed, at the page's own highest z-index
IN_DIALOG = "오세훈 sehun@example.com"  # a modal dialog: the browser's top layer
DRAWN_TEXT = [*IN_DIVS, *IN_TABLE, *AS_LINKS, *AS_BUTTONS, OPERATOR_EMAIL, *IN_SHADOW,
              *IN_SAME_FRAME, *IN_OTHER_FRAME, IN_TOAST, IN_DIALOG]
# Not drawn as text (attributes, values, pixels): their element's whole box is checked.
BOXED = {"aria-label": "[aria-label='강동원 님 삭제']", "title": "[title='dongwon@example.com']",
         "input value": "#search", "canvas": "canvas", "avatar image": "img.avatar",
         "closed shadow root": "#closed-host"}
LABELS = ["All Member download(CSV)", "Registered users"]

AVATAR = ("data:image/svg+xml," + "%3Csvg xmlns='http://www.w3.org/2000/svg' width='48' "
          "height='48'%3E%3Ccircle cx='24' cy='24' r='20' fill='%23c0392b'/%3E%3C/svg%3E")

FRAME_HTML = """<!doctype html><html><body style="margin:4px;font:16px sans-serif">
<div>{0}</div><div style="color:#036">{1}</div></body></html>"""


def page_html(other_origin: str) -> str:
    rows = "".join(
        f'<div class="sc-row"><div class="sc-cell">{IN_DIVS[i]}</div>'
        f'<div class="sc-cell">{IN_DIVS[i + 1]}</div><div class="sc-cell">{IN_DIVS[i + 2]}'
        "</div></div>" for i in (0, 3))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
body{{margin:0;font:16px sans-serif}} .sc-row{{display:flex;gap:12px;padding:4px;
border-bottom:1px solid #ddd}} .sc-cell{{padding:2px 4px}}
header{{display:flex;justify-content:space-between;background:#223;color:#fff;
padding:8px 16px}} td,th{{border:1px solid #ccc;padding:2px 6px}}
iframe{{width:360px;height:70px;border:2px solid #999;padding:3px}}
</style></head><body>
<header><span>publ console</span><div class="sc-menu"><span>{OPERATOR_EMAIL}</span>
<button>Log out</button></div></header>
<main style="padding:12px">
<h1>Registered users</h1>
<button type="button">All Member download(CSV)</button>
<div class="sc-list">{rows}</div>
<table><tr><th>Name</th><th>E-mail</th><th>Mobile number</th></tr>
<tr><td>{IN_TABLE[0]}</td><td>{IN_TABLE[1]}</td><td>{IN_TABLE[2]}</td></tr></table>
<p><a href="/members/1">{AS_LINKS[0]}</a> · <a href="/members/2">{AS_LINKS[1]}</a></p>
<p><button>{AS_BUTTONS[0]}</button> <button type="button">{AS_BUTTONS[1]}</button></p>
<p><button aria-label="강동원 님 삭제" style="width:40px;height:30px">✕</button>
<span title="dongwon@example.com" style="display:inline-block;padding:4px;
background:#fe9">DW</span>
<input id="search" value="dongwon.kang@example.com" style="width:260px"></p>
<p><canvas width="220" height="30"></canvas>
<img class="avatar" src="{AVATAR}" width="48" height="48" alt=""></p>
<div id="open-host"></div><div id="closed-host" style="min-height:20px"></div>
<iframe id="same" src="/frame"></iframe>
<iframe id="other" src="{other_origin}/frame"></iframe>
</main>
<div style="position:fixed;right:16px;bottom:16px;z-index:2147483647;background:#fff;
border:1px solid #333;padding:6px">{IN_TOAST}</div>
<dialog id="notice" style="margin:0;inset:60px 16px auto auto"><p>{IN_DIALOG}</p></dialog>
<script>
document.getElementById("notice").showModal();
const canvas = document.querySelector("canvas").getContext("2d");
canvas.font = "16px sans-serif"; canvas.fillText("{IN_SHADOW[0]} 010-5555-6666", 4, 20);
document.getElementById("open-host").attachShadow({{mode: "open"}}).innerHTML =
  "<p>{IN_SHADOW[0]}</p><p>{IN_SHADOW[1]}</p>";
document.getElementById("closed-host").attachShadow({{mode: "closed"}}).innerHTML =
  "<b>강동원 dongwon@example.com</b>";
</script></body></html>"""


@dataclass
class Pages:
    url: str


def _free_socket(host: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, 0))
    return sock


@pytest.fixture
async def seeded() -> AsyncIterator[Pages]:
    """The seeded page on 127.0.0.1, its cross-origin frame on `localhost` (another site, so
    Chromium puts it in a process of its own)."""
    main_sock, other_sock = _free_socket("127.0.0.1"), _free_socket("127.0.0.1")
    other_origin = f"http://localhost:{other_sock.getsockname()[1]}"

    async def page(_: web.Request) -> web.Response:
        return web.Response(text=page_html(other_origin), content_type="text/html")

    async def same_frame(_: web.Request) -> web.Response:
        return web.Response(text=FRAME_HTML.format(*IN_SAME_FRAME), content_type="text/html")

    async def other_frame(_: web.Request) -> web.Response:
        return web.Response(text=FRAME_HTML.format(*IN_OTHER_FRAME), content_type="text/html")

    main_app, other_app = web.Application(), web.Application()
    main_app.router.add_get("/", page)
    main_app.router.add_get("/frame", same_frame)
    other_app.router.add_get("/frame", other_frame)
    servers = [web.AppRunner(main_app), web.AppRunner(other_app)]
    for server, sock in zip(servers, (main_sock, other_sock), strict=True):
        await server.setup()
        await web.SockSite(server, sock).start()
    try:
        yield Pages(f"http://127.0.0.1:{main_sock.getsockname()[1]}/")
    finally:
        for server in servers:
            await server.cleanup()


# The client rects of every occurrence of `needle` in a frame's text (shadow roots
# included), in that frame's viewport coordinates.
TEXT_BOXES = """(needle) => {
  const boxes = [];
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let at = node.data.indexOf(needle); at >= 0; at = node.data.indexOf(needle, at + 1)) {
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + needle.length);
        for (const r of range.getClientRects()) boxes.push([r.left, r.top, r.right, r.bottom]);
      }
    }
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document.documentElement);
  return boxes;
}"""

# Where a frame's content starts inside its <iframe> element, in the parent's coordinates.
CONTENT_ORIGIN = """(frame) => {
  const box = frame.getBoundingClientRect(), style = getComputedStyle(frame);
  return [box.left + frame.clientLeft + parseFloat(style.paddingLeft),
          box.top + frame.clientTop + parseFloat(style.paddingTop)];
}"""

Box = tuple[float, float, float, float]


async def text_boxes(page: Page, needle: str) -> list[Box]:
    """Every box of `needle` in every frame, in page (full-page screenshot) coordinates."""
    found: list[Box] = []
    for frame in page.frames:
        dx, dy = await _frame_offset(frame)
        for left, top, right, bottom in await frame.evaluate(TEXT_BOXES, needle):
            found.append((left + dx, top + dy, right + dx, bottom + dy))
    scroll_x, scroll_y = await page.evaluate("[scrollX, scrollY]")
    return [(a + scroll_x, b + scroll_y, c + scroll_x, d + scroll_y) for a, b, c, d in found]


async def _frame_offset(frame: Frame) -> tuple[float, float]:
    if frame.parent_frame is None:
        return 0.0, 0.0
    element = await frame.frame_element()
    x, y = await element.evaluate(CONTENT_ORIGIN)
    px, py = await _frame_offset(frame.parent_frame)
    return x + px, y + py


async def element_boxes(page: Page, selector: str) -> list[Box]:
    return [tuple(box) for box in await page.eval_on_selector_all(  # type: ignore[misc]
        selector, "els => els.map(e => { const r = e.getBoundingClientRect();"
                  " return [r.left + scrollX, r.top + scrollY, r.right + scrollX,"
                  " r.bottom + scrollY]; })")]


async def open_seeded(page: Page, url: str) -> None:
    await page.goto(url)
    await page.frame_locator("#other").get_by_text(IN_OTHER_FRAME[0]).wait_for()
    await page.frame_locator("#same").get_by_text(IN_SAME_FRAME[0]).wait_for()


async def test_masked_screenshot_hides_every_seeded_personal_string(seeded: Pages, make_settings,
                                                                   tmp_path: Path):
    settings = make_settings()
    storage = Storage(settings.storage_dir).ensure()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path())
        page = await browser.new_page()
        await open_seeded(page, seeded.url)
        boxes = {needle: await text_boxes(page, needle) for needle in [*DRAWN_TEXT, *LABELS]}
        for what, selector in BOXED.items():
            boxes[what] = await element_boxes(page, selector)
        control = decode(await page.screenshot(full_page=True))

        captured = await capture(page, storage, "members", Readable.from_settings(settings),
                                 Secrets(), 5000)
        await browser.close()

    assert captured.masked is not None
    masked = decode(Path(captured.masked).read_bytes())
    for needle, found in boxes.items():
        assert found, f"{needle!r} is not on the test page"
    leaks = [needle for needle in [*DRAWN_TEXT, *BOXED]
             if any(len(masked.colours(*box)) > 1 for box in boxes[needle])]
    assert leaks == []
    # the positive control: the same boxes show something before masking
    blank = [needle for needle in [*DRAWN_TEXT, *BOXED]
             if not all(len(control.colours(*box)) > 1 for box in boxes[needle])]
    assert blank == []
    # what stays readable: the configured button label and page heading
    for label in LABELS:
        assert all(len(masked.colours(*box)) > 1 for box in boxes[label]), label


async def test_failing_sync_posts_a_screenshot_without_personal_data(
        sandbox: Sandbox, sandbox_settings, sqlite_url):
    """End to end: the sandbox draws its lists with <div>s (names as links, usernames as
    buttons) and shows the operator's e-mail in an account menu; a sync fails on a missing
    button; the masked screenshot in its report — the file the bot posts to Slack — shows
    none of the personal strings on that page."""
    sandbox.set(div_lists=True, account_menu=True, button_missing=True)
    settings = sandbox_settings(database_url=sqlite_url, browser_timeout_ms=2000)

    report = await runner.run_sync(settings, trigger="cli")

    assert report.masked_screenshot is not None
    failed_page = report.masked_screenshot.name.split("_")[3].split("-")[0]
    assert failed_page in ("members", "orders", "refunds")
    # The same page, drawn again in the downloader's own kind of browser context, measured.
    storage = Storage(settings.storage_dir)
    async with open_console(settings, storage, DownloadStats(), Secrets(),
                            use_session=False) as console:
        await console.login()
        await console.open(console.page_url(failed_page, None if failed_page == "members"
                                            else 1), failed_page)
        await console.page.get_by_role("heading").wait_for()
        boxes = {needle: await text_boxes(console.page, needle)
                 for needle in personal_strings(sandbox)}
        label_boxes = await text_boxes(console.page, "Log out")
    boxes = {needle: found for needle, found in boxes.items() if found}
    assert len(boxes) >= 20 and sandbox.email in boxes
    masked = decode(report.masked_screenshot.read_bytes())
    private = decode(Path(next(p for p in report.debug_files if p.endswith(".png")))
                     .read_bytes())
    assert [n for n, found in boxes.items() if any(len(masked.colours(*b)) > 1 for b in found)
            ] == []
    assert [n for n, found in boxes.items() if any(len(private.colours(*b)) < 2 for b in found)
            ] == []
    assert label_boxes and all(len(masked.colours(*box)) > 1 for box in label_boxes)


def personal_strings(sandbox: Sandbox) -> set[str]:
    """Names, e-mails, phones and usernames the sandbox may draw, and the operator's e-mail."""
    found = {sandbox.email}
    for row in [*sandbox.data.members, *sandbox.data.orders, *sandbox.data.refunds]:
        for column in ("Name", "E-mail", "Personal email address", "Mobile number",
                       "Username"):
            if row.get(column):
                found.add(row[column])
    return found


def test_readable_keeps_labels_and_header_rows_but_no_data(make_settings) -> None:
    readable = Readable.from_settings(make_settings())
    for text in ["All Member download(CSV)", "All Member download (CSV)", "  registered USERS ",
                 "Member Code Username E-mail", "1 / 3", "·", "Log out", ""]:
        assert readable.keeps(text), text
    for text in ["김민준", "minjun@example.com", "010-1234-5678", "M100000", "Name 김민준",
                 "Sign-up Date 2024-12-27", "operator@example.com", "12,000원", "Profile of 김"]:
        assert not readable.keeps(text), text


def test_snapshot_lines_are_masked_unless_allowlisted(make_settings) -> None:
    readable = Readable.from_settings(make_settings())
    snapshot = "\n".join([
        '- heading "Registered users" [level=1]',
        '- button "All Member download (CSV)"',
        '- link "김민준":',
        "  - /url: /members/M100000",
        "- text: minjun@example.com 010-1234-5678",
        '- \'row "a: \\"김\\" b"\'',
        '- textbox "E-mail": operator@example.com',
        '- button "Delete 최유나": x',
        "- paragraph: \"it's 'quoted': 이서연\"",
        "- heading /김민준 \\d+/ [level=2]",
        "- cell 'odd",
        "weird line 박지훈",
    ])
    masked = mask_snapshot(snapshot, readable)
    for name in ["김", "minjun", "010", "M100000", "operator", "최유나", "이서연", "박지훈"]:
        assert name not in masked, name
    assert masked.splitlines()[:3] == ['- heading "Registered users" [level=1]',
                                      '- button "All Member download (CSV)"',
                                      '- link "•••":']
    assert '- textbox "E-mail": •••' in masked
    assert '- heading "•••" [level=2]' in masked
    assert len(masked.splitlines()) == len(snapshot.splitlines())
