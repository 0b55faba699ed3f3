"""The one message catalog: every text the CLI and the bot show, in Korean and English.

Texts live in `sync/texts/*.py` as `MESSAGES = {key: {"ko": ..., "en": ...}}`, one module
per area; `t()` looks a key up in the language asked for and fills in its fields. `Words` is
`t` bound to one language, made once from `BOT_LANGUAGE` when the CLI or the bot starts and
handed to whatever speaks, so the language is not passed along with every text.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
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


def duration_text(seconds: float, lang: str, *, precise: bool = False) -> str:
    """A span as an operator reads it: `2일 3시간`, `5시간 12분`, `7분` or `1분 미만` (never
    `0분`, which reads as "no time at all"). `precise` is for what a run took: under a
    minute in tenths of a second (`2.2초`), then `1분 15초`, and from an hour on as above."""
    if precise and seconds < 60:
        return t("duration.seconds", lang, seconds=f"{max(seconds, 0.0):.1f}")
    if precise and seconds < 3600:
        minutes, rest = divmod(int(seconds), 60)
        return t("duration.minutes_seconds", lang, minutes=minutes, seconds=rest)
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


@dataclass(frozen=True)
class Words:
    """The catalog in one language: `words("key", **fields)` is `t("key", lang, **fields)`."""

    lang: str = "ko"

    def __call__(self, key: str, **fields: Any) -> str:
        return t(key, self.lang, **fields)

    def has(self, key: str) -> bool:
        return has(key)

    def duration(self, seconds: float, *, precise: bool = False) -> str:
        return duration_text(seconds, self.lang, precise=precise)
