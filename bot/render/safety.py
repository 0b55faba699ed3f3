"""Making outside text safe to post in Slack.

Product names, error texts, file names and page titles come from publ or from the machine;
Slack reads `<!channel>`, `<@U…>` and `<https://…|x>` in them as pings and links. They are
escaped, and anything that looks like an e-mail address or a phone number is masked —
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


def escape(text: str) -> str:
    """`&`, `<`, `>` as Slack's entities, so nothing in `text` is markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mask_personal(text: str) -> str:
    """Mask e-mail addresses and phone numbers."""
    return _PHONE.sub(MASK, _EMAIL.sub(MASK, text))


def outside_text(text: str | None, limit: int = 1500) -> str:
    """Text from outside, ready for a message: personal data masked, escaped, shortened."""
    if not text:
        return ""
    safe = escape(mask_personal(text))
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def user_mention(user_id: str | None) -> str | None:
    """`<@U…>` for a real Slack user id; anything else is shown as plain escaped text."""
    if not user_id:
        return None
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(user_id)
