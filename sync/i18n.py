"""The one message catalog: every text the CLI and the bot show, in Korean and English.

Texts live in `sync/texts/*.py` as `MESSAGES = {key: {"ko": ..., "en": ...}}`, one module
per area; `t()` looks a key up in the language asked for and fills in its fields.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

from sync import texts as text_modules

LANGUAGES = ("ko", "en")


@cache
def _messages() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(text_modules.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{text_modules.__name__}.{info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (in {info.name})")
            merged[key] = texts
    return merged


def t(key: str, lang: str, **fields: Any) -> str:
    """The text for `key` in `lang` (falling back to Korean), with `fields` filled in."""
    texts = _messages()[key]
    template = texts.get(lang) or texts["ko"]
    return template.format(**fields) if fields else template


def duration_text(seconds: float, lang: str) -> str:
    """A span as an operator reads it: `2일 3시간`, `5시간 12분`, `7분` or `1분 미만` (never
    `0분`, which reads as "no time at all")."""
    if seconds < 60:
        return t("duration.under_minute", lang)
    minutes_total = max(int(seconds // 60), 0)
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return t("duration.days", lang, days=days, hours=hours)
    if hours:
        return t("duration.hours", lang, hours=hours, minutes=minutes)
    return t("duration.minutes", lang, minutes=minutes)


def has(key: str) -> bool:
    """Whether the catalog knows `key`."""
    return key in _messages()
