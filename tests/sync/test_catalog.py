"""The message catalog: every text in both languages with the same fields, and no two keys
saying exactly the same thing in one language unless listed here with the reason."""

from __future__ import annotations

import string

from sync.i18n import LANGUAGES, _messages

# Keys that say the same words on purpose. Slack and the terminal tell the operator the same
# fact through separate keys so that either can be reworded without changing the other.
SAME_TEXT_ALLOWED: dict[frozenset[str], str] = {
    frozenset({"bot.status.success", "imports.result.success"}):
        "a type's result word in Slack's status and in the terminal's table",
    frozenset({"bot.status.session", "imports.status.session"}):
        "the status line with the session's age: Slack's and the terminal's (English only)",
    frozenset({"bot.starter.schedule", "bot.starter.catch_up"}):
        "one template around two trigger words (`{trigger}가`), filled in they differ "
        "(Korean only)",
    frozenset({"bot.starter.schedule", "bot.starter.cli"}):
        "one template around two trigger words (`the {trigger}`), filled in they differ "
        "(English only)",
    frozenset({"type.members", "download.page.members"}):
        "the export type and the console page of the same name (Korean only)",
    frozenset({"type.orders", "download.page.orders"}):
        "the export type and the console page of the same name (Korean only)",
    frozenset({"type.refunds", "download.page.refunds"}):
        "the export type and the console page of the same name (Korean only)",
    frozenset({"digest.change.new", "imports.report.col_new"}):
        "신규 is both the column of new rows and the change mark of a week with no "
        "earlier one (Korean only)",
}


def fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in
            string.Formatter().parse(template) if name}


def test_every_key_has_both_languages_with_the_same_fields() -> None:
    for key, texts in _messages().items():
        assert set(texts) == set(LANGUAGES), f"{key} lacks a language"
        assert all(texts[lang].strip() for lang in LANGUAGES), f"{key} has an empty text"
        assert fields(texts["ko"]) == fields(texts["en"]), f"{key}: fields differ"


def test_no_two_keys_say_the_same_in_one_language_unless_listed() -> None:
    duplicates: set[frozenset[str]] = set()
    for lang in LANGUAGES:
        by_text: dict[str, set[str]] = {}
        for key, texts in _messages().items():
            by_text.setdefault(texts[lang], set()).add(key)
        duplicates |= {frozenset(keys) for keys in by_text.values() if len(keys) > 1}
    unlisted = duplicates - set(SAME_TEXT_ALLOWED)
    assert not unlisted, f"keys with identical text: {sorted(map(sorted, unlisted))}"
    stale = set(SAME_TEXT_ALLOWED) - duplicates
    assert not stale, f"listed but no longer identical: {sorted(map(sorted, stale))}"
    assert all(reason.strip() for reason in SAME_TEXT_ALLOWED.values())


def test_no_two_keys_hold_the_same_text_in_both_languages() -> None:
    """A text said alike in Korean and in English under two keys is one text: it has one
    key, which the terminal and Slack share (no allowance list for this one)."""
    by_texts: dict[tuple[str, ...], list[str]] = {}
    for key, texts in _messages().items():
        by_texts.setdefault(tuple(texts[lang] for lang in LANGUAGES), []).append(key)
    twins = sorted(keys for keys in by_texts.values() if len(keys) > 1)
    assert not twins, f"keys holding the same texts: {twins}"
