"""The browser commands as an operator runs them: run, reset-session, doctor, demo."""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
from pathlib import Path

from rich.console import Console

from sync.cli import entry as cli
from sync.cli.browser_commands import cmd_doctor, cmd_reset_session, cmd_run
from sync.sandbox import WRONG_PASSWORD_TEXT, Sandbox
from sync.storage import Storage
from tests.fixtures.slack import slack_settings

EXPORT_SELECTOR = 'button:has(svg path[d*="20.1835,14.7857"])'


def terminal() -> tuple[Console, io.StringIO]:
    output = io.StringIO()
    return Console(file=output, width=240), output


async def test_run_prints_the_report_and_exits_0(sandbox: Sandbox, sandbox_settings):
    console, output = terminal()

    code = await cmd_run(argparse.Namespace(all_orders=True), sandbox_settings(), console)

    assert code == 0
    text = output.getvalue()
    assert "회원" in text and "주문" in text and "환불" in text
    assert "_members.csv" in text


async def test_run_that_fails_exits_1_and_names_the_screenshots(sandbox: Sandbox,
                                                                sandbox_settings):
    sandbox.set(button_missing=True)
    console, output = terminal()

    code = await cmd_run(argparse.Namespace(all_orders=False),
                         sandbox_settings(browser_timeout_ms=2000), console)

    assert code == 1
    text = output.getvalue()
    assert "All Member download(CSV)" in text
    debug = Path(sandbox_settings().storage_dir, "debug")
    assert any(str(path) in text for path in debug.glob("*.png"))


def test_run_without_login_settings_exits_2_saying_what_to_set(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("PUBL_EMAIL", "operator@example.com")

    code = cli.main(["run"])

    assert code == 2
    out = capsys.readouterr().out
    assert "PUBL_PASSWORD" in out and "PUBL_CHANNEL_ID" in out and "PUBL_EMAIL," not in out
    assert not (tmp_path / "storage" / "publ.db").exists()  # nothing was started


async def test_reset_session_moves_it_to_trash_and_says_so(make_settings, saved_session,
                                                           sandbox_settings):
    settings = sandbox_settings()
    saved_session()
    console, output = terminal()

    assert await cmd_reset_session(argparse.Namespace(), settings, console) == 0
    storage = Storage(settings.storage_dir)
    assert not storage.session_file.exists()
    assert [p.name for p in storage.trash.iterdir()][0].endswith("_reset_session.json")
    assert "휴지통" in output.getvalue()

    console, output = terminal()
    assert await cmd_reset_session(argparse.Namespace(), settings, console) == 0
    assert "저장된 로그인 세션이 없습니다" in output.getvalue()


async def test_doctor_all_green_with_slack(sandbox: Sandbox, sandbox_settings, slack_api):
    settings = sandbox_settings(**slack_settings(slack_api))
    console, output = terminal()

    code = await cmd_doctor(argparse.Namespace(), settings, console)

    text = output.getvalue()
    assert code == 0, text
    assert "✗" not in text and text.count("✓") == 11  # permissions, token, scopes, channel
    assert slack_api.of("auth.test") and slack_api.of("conversations.info")
    assert not Storage(settings.storage_dir).session_file.exists()  # doctor changes nothing


async def test_doctor_refused_slack_token(sandbox: Sandbox, sandbox_settings, slack_api):
    slack_api.fail("auth.test", "invalid_auth")
    settings = sandbox_settings(**slack_settings(slack_api))
    console, output = terminal()

    code = await cmd_doctor(argparse.Namespace(), settings, console)

    text = output.getvalue()
    assert code == 1
    slack_line = next(line for line in text.splitlines() if line.startswith("✗"))
    assert "invalid_auth" in slack_line and "SLACK_BOT_TOKEN" in slack_line
    assert settings.slack_bot_token.get_secret_value() not in text


async def test_doctor_wrong_password(sandbox: Sandbox, sandbox_settings):
    sandbox.set(wrong_password=True)
    settings = sandbox_settings()
    console, output = terminal()

    code = await cmd_doctor(argparse.Namespace(), settings, console)

    text = output.getvalue()
    assert code == 1
    login_line = next(line for line in text.splitlines() if line.startswith("✗ 로그인"))
    assert WRONG_PASSWORD_TEXT in login_line and "PUBL_PASSWORD" in login_line
    assert "로그인하지 못해 확인하지 않았습니다" in text  # pages skipped, not failed
    assert "SLACK_BOT_TOKEN" in text  # Slack skipped with a note
    shot = next(line for line in text.splitlines() if "화면 캡처:" in line).split(": ", 1)[1]
    assert Path(shot.strip()).exists()
    assert settings.publ_password.get_secret_value() not in text


async def test_doctor_missing_button_names_label_selector_and_screenshot(sandbox: Sandbox,
                                                                         sandbox_settings):
    sandbox.set(button_missing=True)
    settings = sandbox_settings(browser_timeout_ms=2000)
    console, output = terminal()

    code = await cmd_doctor(argparse.Namespace(), settings, console)

    text = output.getvalue()
    assert code == 1
    assert "✓ 로그인" in text
    failed = [line for line in text.splitlines() if line.startswith("✗")]
    assert len(failed) == 3
    assert "All Member download(CSV)" in failed[0] and "PUBL_MEMBERS_BUTTON" in failed[0]
    assert all(EXPORT_SELECTOR in line and "PUBL_EXPORT_ICON_SELECTOR" in line
               for line in failed[1:])
    shots = [line.split(": ", 1)[1].strip() for line in text.splitlines() if "화면 캡처:" in line]
    assert len(shots) == 3 and all(Path(shot).exists() for shot in shots)


async def test_demo_exits_0_and_prints_both_reports(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PUBL_", "SLACK_", "DATABASE_URL", "STORAGE_DIR"))}
    env["COLUMNS"] = "200"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sync.cli", "demo", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=90)
    text = out.decode()

    assert process.returncode == 0, text
    assert text.count("publ 동기화 완료") == 2
    assert "650" in text  # every order of the sandbox on the first sync
    assert "데모 완료" in text
    assert not (tmp_path / "storage").exists()  # the demo used a temporary folder


async def test_all_orders_flag_fetches_every_page_although_orders_are_stored(
        sandbox: Sandbox, sandbox_settings):
    settings = sandbox_settings(publ_page_size=10)
    console, _ = terminal()
    assert await cmd_run(argparse.Namespace(all_orders=False), settings, console) == 0
    sandbox.counters.reset()

    code = await cmd_run(argparse.Namespace(all_orders=True), settings, console)

    assert code == 0
    # Without the flag, page 1 (all stored) would have been the only one.
    assert sum("subs-products" in page for page in sandbox.counters.pages) == 3
