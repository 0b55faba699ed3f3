"""A sync that cannot start for a reason the operator can fix (a storage file left by a run
as root) says that reason with its fix in Slack, not "unexpected error"."""

from __future__ import annotations

from typing import Any

from sync.errors import SettingsError
from sync.i18n import t
from tests.fixtures.slack import SlackStandIn


async def test_a_settings_error_reaches_slack_as_its_sentence(start_bot,
                                                             slack_api: SlackStandIn) -> None:
    sentence = t("install.foreign_owner", "ko", path="/srv/publ-sync/storage/sessions/"
                 ".session.json", owner="root", user="publ", more="",
                 fix="sudo chown -R publ: /srv/publ-sync/storage")

    async def runner(settings: Any, **_: Any) -> Any:
        raise SettingsError(sentence)

    bot = await start_bot(runner=runner)
    assert (await bot.command("")).status == 200
    [posted] = await slack_api.wait_for("chat.postMessage", lambda c: "실패" in c.text)
    assert "sudo chown -R publ: /srv/publ-sync/storage" in posted.text
    assert "예상치 못한" not in posted.text and "SettingsError" not in posted.text
