"""What may stay readable in a capture of a console page that leaves this machine.

An allowlist, not a blocklist: a console can draw a member's name anywhere (a `<div>` row,
a link, a button, a tooltip), so nothing is assumed safe because of where it is. A text
stays readable only when it is made of words the operator configured or the console
itself uses: the `PUBL_…` labels the downloader looks for, the page headings in
`PUBL_PAGE_HEADINGS`, and the short list below. Both the masked failure screenshot and
`publ-sync doctor --snapshot` ask `Readable.keeps`, so they can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sync.exports import MEMBERS, ORDERS, REFUNDS
from sync.settings import Settings

# The settings whose values are labels of the console (never PUBL_EMAIL: that is a person).
LABEL_SETTINGS = ("publ_email_label", "publ_password_label", "publ_login_button",
                  "publ_members_button")

# Words of the console's own frame: navigation, paging, the account menu's actions. The
# export headers (column titles) are added from sync/exports.py.
CONSOLE_WORDS = (
    "publ", "publ console", "console", "Members", "Member", "Orders", "Order", "Refunds",
    "Refund", "Channels", "Channel", "All channels", "Products", "Subscription products",
    "Registered users", "Dashboard", "Home", "Settings", "Search", "Filter", "Download",
    "Export", "CSV", "Excel", "Previous", "Next", "First", "Last", "Page", "Total",
    "No data", "Loading", "Log out", "Logout", "Sign out", "Log in", "Account", "Profile",
    "My page", "Help", "Notice", "Menu", "Main", "Close", "Cancel", "Confirm", "OK", "Save",
    "Apply", "Reset", "Language", "English", "한국어", "회원", "주문", "환불", "채널",
    "다운로드", "내보내기", "검색", "설정", "로그인", "로그아웃", "이전", "다음",
)

MAX_CHECKED_LENGTH = 2000  # longer texts are never a label: masked without a look
_SPACE = re.compile(r"\s+")


def _key(text: str) -> str:
    """The comparison form: case and whitespace ignored, as the downloader's fallbacks do
    (`All Member download (CSV)` is `All Member download(CSV)`)."""
    return _SPACE.sub("", text.casefold())


class Readable:
    """Decides whether a text from a console page may be shown outside this machine."""

    def __init__(self, phrases: Iterable[str], page_count_pattern: str = "") -> None:
        # A phrase needs two letters or digits, or every short word would pass.
        self.phrases = frozenset(key for key in map(_key, phrases)
                                 if sum(ch.isalnum() for ch in key) >= 2)
        self.longest = max((len(key) for key in self.phrases), default=0)
        self.page_count = re.compile(page_count_pattern) if page_count_pattern else None

    @classmethod
    def from_settings(cls, settings: Settings) -> Readable:
        phrases = [str(getattr(settings, name)) for name in LABEL_SETTINGS]
        phrases += settings.publ_page_headings
        phrases += CONSOLE_WORDS
        phrases += [*MEMBERS.headers, *ORDERS.headers, *REFUNDS.headers]
        return cls(phrases, settings.publ_page_count_pattern)

    def keeps(self, text: str) -> bool:
        """True when `text` is only allowlisted phrases (one, or several in a row, such as a
        table's header row), punctuation and space — or the `current / total` page counter.
        Anything else — a name, an e-mail, a number — is masked."""
        key = _key(text)
        if not any(ch.isalnum() for ch in key):
            return True
        if len(key) > MAX_CHECKED_LENGTH:
            return False
        if self.page_count is not None and self.page_count.fullmatch(text.strip()):
            return True
        return self._made_of_phrases(key)

    def _made_of_phrases(self, key: str) -> bool:
        # reachable[i]: key[:i] is phrases and punctuation only
        reachable = [False] * (len(key) + 1)
        reachable[0] = True
        for start in range(len(key)):
            if not reachable[start]:
                continue
            if not key[start].isalnum():
                reachable[start + 1] = True
                continue
            for end in range(start + 2, min(len(key), start + self.longest) + 1):
                if key[start:end] in self.phrases:
                    reachable[end] = True
        return reachable[len(key)]
