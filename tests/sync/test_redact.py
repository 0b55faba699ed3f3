"""Secrets that reach a log record are masked before any handler writes them."""

import logging

import pytest

from sync import redact


def test_password_in_a_log_line_and_traceback_is_masked(
    make_settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(slack_bot_token="xoxb-1234-abcdef-secret")
    caplog.handler.addFilter(redact.RedactingFilter())
    redact.add_settings_secrets(settings)
    log = logging.getLogger("publ.test")
    log.warning("login with %s failed", "s3cret-Pa55word!")
    try:
        raise RuntimeError("token xoxb-1234-abcdef-secret rejected")
    except RuntimeError:
        log.exception("slack said no")
    text = caplog.text
    assert "s3cret-Pa55word!" not in text
    assert "xoxb-1234-abcdef-secret" not in text
    assert "login with *** failed" in text
    assert "token *** rejected" in text


def test_a_secret_taught_by_one_test_is_learnt_afresh_by_the_next() -> None:
    # The previous test added the settings' password and token; this one did not.
    assert redact.scrub("s3cret-Pa55word!") == "s3cret-Pa55word!"
    redact.add_secret("a-secret-of-this-test")
    assert redact.scrub("a-secret-of-this-test") == "***"
    redact.forget_secrets()
    assert redact.scrub("a-secret-of-this-test") == "a-secret-of-this-test"


def test_short_values_are_not_treated_as_secrets() -> None:
    redact.add_secret("abc")
    assert redact.scrub("abc def") == "abc def"


def test_a_database_password_is_masked(make_settings) -> None:
    settings = make_settings(database_url="postgresql+asyncpg://publ:db-Pa55w0rd@db.internal/publ")
    redact.add_settings_secrets(settings)
    assert redact.scrub("could not connect: publ:db-Pa55w0rd@db.internal") == (
        "could not connect: publ:***@db.internal")


def test_a_percent_encoded_database_password_is_masked_as_written_and_decoded(
        make_settings) -> None:
    """`p@ss/word!` must be written `p%40ss%2Fword%21` in a URL; a driver may quote either."""
    settings = make_settings(
        database_url="postgresql+asyncpg://publ:p%40ss%2Fword%21@db.internal:5433/publ")
    redact.add_settings_secrets(settings)
    assert redact.scrub("url publ:p%40ss%2Fword%21@db.internal") == "url publ:***@db.internal"
    assert redact.scrub("password 'p@ss/word!' rejected") == "password '***' rejected"


@pytest.mark.parametrize(("url", "password"), [
    # raw / ? #: urllib's parser stops there
    ("postgresql+asyncpg://publ:pa/ss?wo#rd@db.internal/publ", "pa/ss?wo#rd"),
    # a raw [: urllib refuses the URL
    ("postgresql+asyncpg://publ:pa[ss]word@db.internal/publ", "pa[ss]word"),
    # in the query string
    ("postgresql+asyncpg://db.internal/publ?user=publ&password=pa-ss-word", "pa-ss-word"),
], ids=["raw slash, question mark, hash", "raw bracket", "query string"])
def test_a_database_password_written_any_way_is_masked(make_settings, url: str,
                                                         password: str) -> None:
    redact.add_settings_secrets(make_settings(database_url=url))
    assert redact.scrub(f"could not connect with {password}") == "could not connect with ***"
