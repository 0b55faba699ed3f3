"""Making outside text safe to post in Slack.

Product names, error texts, file names and page titles come from publ or from the machine;
Slack reads `<!channel>`, `<@U…>` and `<https://…|x>` in them as pings and links, and
`*x*`, `_x_`, `~x~`, `` `x` `` as formatting. They are escaped, and anything that looks
like an e-mail address or a phone number is masked —
the bot reports counts and product-level facts only, never personal data.
"""

from __future__ import annotations

import re

MASK = "***"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Korean numbers start with 0 (010-1234-5678, 02-123-4567, 01012345678); international ones
# with +. Dates (2024-12-27 15:30), counts (1,933) and times never look like either.
_PHONE = re.compile(
    r"(?<![\w.+])(?:\+\d{1,3}[-. ]?\d{1,4}(?:[-. ]?\d{2,4}){2,3}"
    r"|0\d{1,2}[-. )]?\d{3,4}[-. ]?\d{4})(?![\w.])"
)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
# mrkdwn has no escape for these: `*긴급*` from the console would be posted bold. A
# zero-width space on each side of each mark keeps it from pairing up with another.
ZERO_WIDTH_SPACE = "\u200b"
# An `_` between two letters or digits never formats (snake_case file names stay as they are).
_MARK = re.compile(r"[*~`]|(?<![^\W_])_|_(?![^\W_])")


def escape(text: str) -> str:
    """`&`, `<`, `>` as Slack's entities, so nothing in `text` is markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def break_formatting(text: str) -> str:
    """`text` with every mrkdwn mark (`*`, `_`, `~`, `` ` ``) shown as itself, never as
    bold, italics, strike-through or code."""
    return _MARK.sub(lambda mark: f"{ZERO_WIDTH_SPACE}{mark[0]}{ZERO_WIDTH_SPACE}", text)


def mask_personal(text: str) -> str:
    """Mask e-mail addresses and phone numbers."""
    return _PHONE.sub(MASK, _EMAIL.sub(MASK, text))


def outside_text(text: str | None, limit: int = 1500) -> str:
    """Text from outside, ready for a message (blocks and the fallback `text` alike):
    personal data masked, escaped, formatting marks broken, shortened."""
    if not text:
        return ""
    shortened = text if len(text) <= limit else text[: limit - 1] + "…"
    # Masked first (an e-mail broken up would no longer be recognised), the mask kept whole.
    parts = escape(mask_personal(shortened)).split(MASK)
    return MASK.join(break_formatting(part) for part in parts)


def user_mention(user_id: str | None) -> str | None:
    """`<@U…>` for a real Slack user id; anything else is shown as plain escaped text."""
    if not user_id:
        return None
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(user_id)
