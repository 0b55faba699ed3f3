"""The message catalog: every text in both languages with the same fields, and no two keys
saying exactly the same thing in one language unless listed here with the reason."""

from __future__ import annotations

import string

from sync.i18n import LANGUAGES, _messages

# Keys that say the same words on purpose. Slack and the terminal tell the operator the same
# fact through separate keys so that either can be reworded without changing the other.
SAME_TEXT_ALLOWED: dict[frozenset[str], str] = {
    frozenset({"bot.reset.none", "download.cli.no_session"}):
        "reset-session with no saved session: Slack's answer and the terminal's",
    frozenset({"bot.run.success_header", "imports.report.title_ok"}):
        "the finished run's title: Slack's header and the terminal's",
    frozenset({"bot.run.failed_header", "imports.report.title_failed"}):
        "the failed run's title: Slack's header and the terminal's",
    frozenset({"bot.status.success", "imports.result.success"}):
        "a type's result word in Slack's status and in the terminal's table",
    frozenset({"bot.status.streak_none", "imports.status.no_streak"}):
        "the status line with no failure streak: Slack's and the terminal's",
    frozenset({"bot.status.streak", "imports.status.streak"}):
        "the status line with a failure streak: Slack's and the terminal's",
    frozenset({"bot.status.session", "imports.status.session"}):
        "the status line with the session's age: Slack's and the terminal's (English only)",
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
