"""`publ-sync doctor --snapshot`: each console page's accessibility snapshot, masked by the
same allowlist as the screenshot sent to Slack, saved privately, and the operator told
where it is and what to do with it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sync.cli import entry as cli
from sync.cli.browser_commands import cmd_doctor
from sync.sandbox import Sandbox
from tests.sync.cli.test_cli_browser import terminal
from tests.sync.downloader.test_masking import personal_strings


def saved_path(text: str) -> Path:
    match = re.search(r"(?:저장했습니다|publ pages): (\S+_pages\.txt)", text)
    assert match, text
    return Path(match.group(1))


async def test_snapshot_masks_personal_data_and_keeps_the_console_labels(
        sandbox: Sandbox, sandbox_settings):
    # names as links with an aria-label, usernames as buttons, e-mails and phones in <div>s,
    # the operator's e-mail in an account menu
    sandbox.set(div_lists=True, account_menu=True)
    settings = sandbox_settings()
    console, output = terminal()

    code = await cmd_doctor(argparse.Namespace(snapshot=True), settings, console)

    text = output.getvalue()
    assert code == 0, text
    assert "개발 담당자에게 보내 주세요" in text and "개인정보" in text
    path = saved_path(text)
    assert path.parent == Path(settings.storage_dir, "debug", "snapshots")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.parent.parent.stat().st_mode & 0o777 == 0o700
    saved = path.read_text(encoding="utf-8")
    for page in ("channels", "members", "orders", "refunds"):
        assert f"## {page} (" in saved
    assert "# not captured" not in saved
    leaked = sorted(s for s in personal_strings(sandbox) if s in saved)
    assert leaked == []
    assert settings.publ_email not in saved and sandbox.channel_id not in saved
    # the structure and the console's own labels stay readable
    assert 'button "All Member download(CSV)"' in saved
    assert 'heading "Registered users" [level=1]' in saved
    assert 'button "Log out"' in saved
    assert 'link "•••"' in saved  # a member's link: there, but not who
    # the members' rows really were on the page (the test would pass on an empty page)
    assert saved.count("•••") > 100


async def test_snapshot_is_saved_when_a_page_has_changed(sandbox: Sandbox, sandbox_settings):
    """The case it is for: a control is missing; the pages are still captured, exit 1."""
    sandbox.set(button_missing=True, div_lists=True)
    settings = sandbox_settings(browser_timeout_ms=1500)
    console, output = terminal()

    code = await cmd_doctor(argparse.Namespace(snapshot=True), settings, console)

    text = output.getvalue()
    assert code == 1
    saved = saved_path(text).read_text(encoding="utf-8")
    assert 'heading "Registered users" [level=1]' in saved
    assert "All Member download" not in saved  # the page as it is now: without the button
    assert "# not captured" not in saved
    assert [s for s in personal_strings(sandbox) if s in saved] == []


async def test_snapshot_without_a_login_says_nothing_was_saved_in_english(
        sandbox: Sandbox, sandbox_settings):
    sandbox.set(wrong_password=True)
    settings = sandbox_settings(bot_language="en")
    console, output = terminal()

    code = await cmd_doctor(argparse.Namespace(snapshot=True), settings, console)

    text = output.getvalue()
    assert code == 1
    assert "Could not save the structure of the publ pages: no page could be opened" in text
    assert not Path(settings.storage_dir, "debug", "snapshots").exists()


def test_doctor_takes_a_snapshot_flag() -> None:
    assert cli.build_parser().parse_args(["doctor", "--snapshot"]).snapshot is True
    assert cli.build_parser().parse_args(["doctor"]).snapshot is False
