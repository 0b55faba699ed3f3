"""What `publ-bot` says when it cannot start: only the settings the chosen mode needs, every
word in BOT_LANGUAGE, exit 2 — and outside the install folder, that it is outside."""

from __future__ import annotations

import re
from pathlib import Path

from tests.fixtures.slack import APP_TOKEN, ROOT, BotProcess, SlackStandIn, bot_env

HANGUL = re.compile(r"[\uac00-\ud7a3]")


async def run_until_exit(env: dict[str, str]) -> tuple[int, str]:
    bot = await BotProcess(env).start(ready_marker=None)
    code = await bot.wait(timeout=40)  # a loaded machine may take a while to import
    return code, "\n".join(bot.lines)


async def test_socket_mode_does_not_ask_for_the_signing_secret(
        tmp_path: Path, slack_api: SlackStandIn) -> None:
    code, output = await run_until_exit(bot_env(tmp_path, slack_api, SLACK_BOT_TOKEN="",
                                                SLACK_APP_TOKEN=APP_TOKEN,
                                                SLACK_SIGNING_SECRET=""))
    assert code == 2
    assert "SLACK_BOT_TOKEN 설정이 비어 있습니다" in output
    assert "SLACK_SIGNING_SECRET" not in output and "Traceback" not in output


async def test_http_mode_asks_only_for_the_bot_token(tmp_path: Path,
                                                     slack_api: SlackStandIn) -> None:
    code, output = await run_until_exit(bot_env(tmp_path, slack_api, SLACK_BOT_TOKEN=""))
    assert code == 2
    assert "SLACK_BOT_TOKEN 설정이 비어 있습니다" in output
    assert "SLACK_APP_TOKEN" not in output and "SLACK_SIGNING_SECRET" not in output


async def test_nothing_set_asks_for_socket_modes_tokens_all_in_english(
        tmp_path: Path, slack_api: SlackStandIn) -> None:
    code, output = await run_until_exit(bot_env(
        tmp_path, slack_api, SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="", BOT_LANGUAGE="en"))
    assert code == 2
    assert "publ-bot cannot start: SLACK_BOT_TOKEN, SLACK_APP_TOKEN is not set" in output
    assert "(or" not in output and not HANGUL.search(output), output


async def test_a_wrong_value_is_named_in_bot_language(tmp_path: Path,
                                                      slack_api: SlackStandIn) -> None:
    code, output = await run_until_exit(bot_env(tmp_path, slack_api, PORT="three-thousand",
                                                BOT_LANGUAGE="en"))
    assert code == 2
    assert "invalid setting(s) PORT" in output and not HANGUL.search(output), output
    assert "three-thousand" not in output


async def test_outside_the_install_folder_it_says_so(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PWD": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    code, output = await run_until_exit(env)
    assert code == 2
    assert "이 폴더에는 .env가 없습니다: 설치 폴더에서 실행하세요" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # no storage/ made
