"""Finding a console control through a chain of locators: the configured one first, then
deliberately looser fallbacks, so that a small change on publ's side (a space in a label, a
form without labels, a new icon) is a warning rather than a failed sync.

A fallback counts only when it matches exactly one visible element: a loose locator that
matches two things cannot say which one is meant. Generated class names (`sc-…`) are never
used — they change with every release of the console.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from sync.report import Drift

CONFIGURED = "configured"
# Words an icon-only export button's title or aria-label may carry.
EXPORT_WORDS = re.compile(r"download|export|csv|다운로드|내보내기", re.IGNORECASE)


@dataclass
class Control:
    """A control the downloader needs, with the setting that describes it."""

    page: str  # members / orders / refunds / login
    what: str  # the label or selector, as the operator would search for it
    setting: str  # the PUBL_… setting to change when publ changes it


@dataclass
class Candidate:
    """One way of finding a control; `how` names it in drift warnings."""

    how: str
    locator: Locator


@dataclass
class Chain:
    """A control and its locators, the configured one first."""

    control: Control
    candidates: list[Candidate]

    @property
    def anything(self) -> Locator:
        """Any of the candidates: what to wait for before deciding which one matched."""
        union = self.candidates[0].locator
        for candidate in self.candidates[1:]:
            union = union.or_(candidate.locator)
        return union


@dataclass
class Found:
    """A control found, and how: `drift` is set when only a fallback found it."""

    locator: Locator
    drift: Drift | None


def loose_name(label: str) -> re.Pattern[str]:
    """An accessible name compared with whitespace and case normalised:
    `All Member download(CSV)` also matches `All Member download (CSV)` and
    `all member download(csv)`."""
    letters = [re.escape(char) for char in label if not char.isspace()]
    return re.compile(r"^\s*" + r"\s*".join(letters) + r"\s*$", re.IGNORECASE)


async def _visible(locator: Locator) -> list[Locator]:
    try:
        return [item for item in await locator.all() if await item.is_visible()]
    except PlaywrightError:
        return []


async def _describe(locator: Locator) -> str:
    """What a fallback found, in words a maintainer can search the page for."""
    try:
        return str(await locator.evaluate(
            """e => {
              const name = e.getAttribute('aria-label') || e.getAttribute('title') || '';
              const text = (e.innerText || '').trim().replace(/\\s+/g, ' ');
              const attrs = ['name', 'type'].filter(a => e.hasAttribute(a))
                .map(a => `${a}="${e.getAttribute(a)}"`).join(' ');
              return (text || name || `<${e.tagName.toLowerCase()} ${attrs}>`).slice(0, 80);
            }"""))
    except PlaywrightError:
        return "?"


async def pick(chain: Chain) -> Found | None:
    """The first candidate that matches now: the configured locator's first visible
    element, or a fallback's only visible element. None when none matches (yet)."""
    for index, candidate in enumerate(chain.candidates):
        visible = await _visible(candidate.locator)
        if index == 0 and visible:
            return Found(visible[0], None)
        if len(visible) == 1:
            control = chain.control
            drift = Drift(page=control.page, setting=control.setting, how=candidate.how,
                          found=await _describe(visible[0]))
            return Found(visible[0], drift)
    return None


def icon_only_export_buttons(page: Page) -> Locator:
    """Buttons without text whose title or aria-label speaks of downloading or exporting
    (the export button with a changed icon)."""
    buttons = page.locator("button:has(svg)").filter(has_not_text=re.compile(r"\S"))
    return buttons.and_(page.locator("[title], [aria-label]")).filter(
        has=page.locator("svg")).and_(
        page.get_by_title(EXPORT_WORDS).or_(page.get_by_label(EXPORT_WORDS)))
