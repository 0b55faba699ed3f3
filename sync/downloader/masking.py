"""Masking a console page before anything of it leaves the machine.

Two outputs, one rule (`Readable.keeps`):
- `cover_page` lays opaque boxes over everything on the page that is not allowlisted, for
  the screenshot the bot posts to Slack: every text node, field, `aria-label`/`title`/`alt`
  carrier, image larger than 32×32 px, canvas, video, shadow root and frame (frames are
  covered from the parent: whatever their origin, nothing inside one is assumed safe).
- `masked_aria_snapshot` is Playwright's accessibility snapshot of the page with every name
  and text that is not allowlisted replaced by `•••`, for `publ-sync doctor --snapshot`.

The page tells Python which texts it shows; Python decides; the page covers the rest. A
text that appears between the two steps is not in the kept set, so it is covered too.
"""

from __future__ import annotations

import contextlib
import json
import re

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from sync.downloader.readable import Readable

MASK = "•••"
COVER_COLOUR = "#8a8a8a"

# Every text the page shows or announces: rendered text nodes, labelling attributes,
# values of button-like inputs, and CSS-generated content (a name drawn by `::before`).
_COLLECT = """() => {
  const found = new Set();
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    range.selectNodeContents(node);
    if (range.getClientRects().length) found.add(node.data);
  }
  for (const element of document.querySelectorAll("*")) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value && value.trim()) found.add(value);
    }
    if (element.localName === "input" && element.value) found.add(element.value);
    for (const pseudo of ["::before", "::after"]) {
      const content = getComputedStyle(element, pseudo).content;
      if (content && content !== "none" && content !== "normal") found.add(unquote(content));
    }
  }
  return [...found];
}"""

# Covers what is not kept. The boxes live in one container in the browser's top layer, so
# no z-index, stacking context or modal dialog of the page can draw over them; positions are
# in document coordinates (scrolled to the top first), so a full-page capture matches.
_COVER = """([kept, extra, colour, pad]) => {
  const keep = new Set(kept);
  const hidden = (value) => value && value.trim() && !keep.has(value);
  scrollTo(0, 0);
  const boxes = [];
  const add = (r) => { if (r.width > 0 && r.height > 0) boxes.push(r); };
  const addElement = (element) => add(element.getBoundingClientRect());
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim() || keep.has(node.data)) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) add(r);
  }
  const WHOLE = new Set(["canvas", "iframe", "frame", "object", "embed", "textarea", "select"]);
  const PICTURES = new Set(["img", "svg", "video", "picture", "image"]);
  const BUTTONS = new Set(["button", "submit", "reset"]);
  const extras = new Set(extra ? document.querySelectorAll(extra) : []);
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    let cover = WHOLE.has(tag) || extras.has(element) || !!element.shadowRoot
      || element.hasAttribute("data-publ-sync-shadow")
      || ATTRIBUTES.some((name) => hidden(element.getAttribute(name)));
    if (tag === "input") {
      const type = (element.getAttribute("type") || "text").toLowerCase();
      cover = cover || !BUTTONS.has(type) || hidden(element.value);
    }
    if (!cover) {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      const large = box.width > 32 || box.height > 32;
      cover = (large && (PICTURES.has(tag) || style.backgroundImage.includes("url(")))
        || ["::before", "::after"].some((pseudo) => {
          const content = getComputedStyle(element, pseudo).content;
          return content && content !== "none" && content !== "normal"
            && hidden(unquote(content));
        });
    }
    if (cover) addElement(element);
  }
  const layer = document.createElement("div");
  layer.setAttribute("data-publ-sync-mask", "");
  const width = Math.max(document.documentElement.scrollWidth, innerWidth);
  const height = Math.max(document.documentElement.scrollHeight, innerHeight);
  Object.assign(layer.style, {position: "absolute", inset: "auto", left: "0", top: "0",
    width: width + "px", height: height + "px", margin: "0", padding: "0", border: "0",
    background: "transparent", overflow: "visible", pointerEvents: "none",
    zIndex: "2147483647"});
  for (const r of boxes) {
    const left = Math.floor(r.left + scrollX) - pad, top = Math.floor(r.top + scrollY) - pad;
    const cover = document.createElement("div");
    Object.assign(cover.style, {position: "absolute", left: left + "px", top: top + "px",
      width: (Math.ceil(r.right + scrollX) + pad - left) + "px",
      height: (Math.ceil(r.bottom + scrollY) + pad - top) + "px", background: colour});
    layer.append(cover);
  }
  document.documentElement.append(layer);  // not body: body may be positioned
  try { layer.popover = "manual"; layer.showPopover(); } catch (error) { /* z-index only */ }
  return boxes.length;
}"""

_HELPERS = """
const ATTRIBUTES = ["aria-label", "aria-description", "aria-roledescription",
  "aria-valuetext", "aria-placeholder", "title", "alt", "placeholder"];
const unquote = (content) => /^"(?:[^"\\\\]|\\\\.)*"$/.test(content)
  ? content.slice(1, -1).replace(/\\\\(.)/g, "$1") : content;
"""

COVER_PADDING_PX = 2  # glyphs may reach a little outside their text box


def _with_helpers(function: str) -> str:
    """`function` with the shared constants in scope (one list of attributes for both)."""
    return f"(arg) => {{{_HELPERS}\nreturn ({function})(arg);}}"


COLLECT = _with_helpers(_COLLECT)
COVER = _with_helpers(_COVER)


async def cover_page(page: Page, readable: Readable, extra_selector: str = "") -> int:
    """Cover everything on `page` that `readable` does not keep; returns how many boxes.

    Shadow roots the page closed to scripts are found through the browser's DevTools view
    of the document and covered like open ones.
    """
    await _mark_closed_shadow_hosts(page)
    shown: list[str] = await page.evaluate(COLLECT)
    kept = [text for text in shown if readable.keeps(text)]
    return int(await page.evaluate(COVER, [kept, extra_selector, COVER_COLOUR,
                                           COVER_PADDING_PX]))


async def _mark_closed_shadow_hosts(page: Page) -> None:
    """Mark every shadow host (closed ones included) with `data-publ-sync-shadow`.

    A failure here raises: without knowing where closed shadow roots are, no masked
    screenshot is made at all (the private capture stays; nothing half-masked leaves).
    """
    cdp = await page.context.new_cdp_session(page)
    try:
        document = await cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})
        for backend_id in _shadow_hosts(document["root"]):
            found = await cdp.send("DOM.resolveNode", {"backendNodeId": backend_id})
            await cdp.send("Runtime.callFunctionOn", {
                "objectId": found["object"]["objectId"],
                "functionDeclaration":
                    "function () { this.setAttribute('data-publ-sync-shadow', ''); }"})
    finally:
        with contextlib.suppress(PlaywrightError):
            await cdp.detach()


def _shadow_hosts(node: dict[str, object]) -> list[int]:
    """Backend ids of the page's own shadow hosts (not the browser's built-in ones, such as
    an <input>'s), outside frames (frames are covered whole)."""
    hosts: list[int] = []
    stack = [node]
    while stack:
        current = stack.pop()
        roots = current.get("shadowRoots") or []
        assert isinstance(roots, list)
        if any(root.get("shadowRootType") in ("open", "closed") for root in roots):
            hosts.append(int(current["backendNodeId"]))  # type: ignore[call-overload]
        children = current.get("children") or []
        assert isinstance(children, list)
        stack.extend([*children, *roots])
    return hosts


# --- the accessibility snapshot ----------------------------------------------------------
# One line of Playwright's snapshot YAML: `- key`, `- key:` or `- key: value`, where the key
# is `role "name" [attribute]…`, `text` or `/property`, single-quoted when it needs to be.
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
_KEY = re.compile(rf'^(?P<role>/?[A-Za-z][\w-]*)(?:\s+(?P<name>{_JSON_STRING}|/(?:[^/\\]|\\.)*/))?'
                  r'(?P<attributes>(?:\s*\[[\w-]+(?:=[\w-]+)?\])*)$')


async def masked_aria_snapshot(page: Page, readable: Readable) -> str:
    """The page's accessibility snapshot with every text `readable` does not keep masked."""
    return mask_snapshot(await page.locator("body").aria_snapshot(), readable)


def mask_snapshot(snapshot: str, readable: Readable) -> str:
    """Each line of an accessibility snapshot with its name and text masked unless kept; a
    line that cannot be read is masked whole (never passed through)."""
    return "\n".join(_mask_line(line, readable) for line in snapshot.splitlines())


def _mask_line(line: str, readable: Readable) -> str:
    indent = line[:len(line) - len(line.lstrip())]
    item = line.lstrip()
    if not item.startswith("- "):
        return indent + MASK if item else line
    item = item[2:]
    key, rest = _split_key(item)
    if key is None:
        return f"{indent}- {MASK}"
    match = _KEY.match(key)
    if match is None:
        return f"{indent}- {MASK}"
    name = match["name"]
    if name is not None and not (name.startswith('"') and readable.keeps(json.loads(name))):
        name = f'"{MASK}"'
    masked_key = match["role"] + (f" {name}" if name else "") + match["attributes"]
    if masked_key == key and item.startswith("'"):  # kept as it was, quoting included
        masked_key = "'" + key.replace("'", "''") + "'"
    elif masked_key != key and _needs_quotes(masked_key):
        masked_key = "'" + masked_key.replace("'", "''") + "'"
    if rest is None:
        return f"{indent}- {masked_key}"
    value = rest.strip()
    if not value:
        return f"{indent}- {masked_key}:"
    text = _scalar(value)
    shown = value if text is not None and readable.keeps(text) else MASK
    return f"{indent}- {masked_key}: {shown}"


def _split_key(item: str) -> tuple[str | None, str | None]:
    """(key, what follows its colon or None when there is no colon)."""
    if item.startswith("'"):
        end, index = [], 1
        while index < len(item):
            if item[index] == "'":
                if item[index + 1:index + 2] == "'":
                    end.append("'")
                    index += 2
                    continue
                tail = item[index + 1:]
                if tail == "":
                    return "".join(end), None
                if tail.startswith(":"):
                    return "".join(end), tail[1:]
                return None, None
            end.append(item[index])
            index += 1
        return None, None
    # unquoted: the key ends at the first ':' outside a "…" name
    in_string = escaped = False
    for index, char in enumerate(item):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == ":" and (index + 1 == len(item) or item[index + 1] == " "):
            return item[:index], item[index + 1:]
    return item, None


def _scalar(value: str) -> str | None:
    """The text of a YAML scalar as Playwright writes them (plain, "…" or '…')."""
    if value.startswith('"'):
        try:
            decoded = json.loads(value)
        except ValueError:
            return None
        return decoded if isinstance(decoded, str) else None
    if value.startswith("'"):
        return value[1:-1].replace("''", "'") if value.endswith("'") else None
    return value


def _needs_quotes(key: str) -> bool:
    return ": " in key or key.endswith(":") or "#" in key
