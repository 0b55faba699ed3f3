"""Times are shown in `TIMEZONE`, whatever it is: a run at 01:30 UTC reads 20:30 the day
before in New York, in the terminal and in Slack alike — never Seoul's 10:30."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from bot import alerts
from bot.core import BotCore, ReplyTarget
from bot.render.status_message import status_message
from sync.cli.terminal import print_status
from sync.errors import ErrorKind
from sync.presented import Presenter
from sync.status import gather_status
from tests.fixtures.runs import FakeRunner, ShiftedClock
from tests.fixtures.slack import SlackStandIn, slack_settings

RUN_AT = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)
NEW_YORK = "2026-11-26 20:30"
SEOUL = "2026-11-27 10:30"


async def test_times_follow_timezone_in_slack_and_in_the_terminal(
        make_settings, sqlite_url, slack_api: SlackStandIn) -> None:
    settings = make_settings(**slack_settings(slack_api), timezone="America/New_York",
                             database_url=sqlite_url, alert_after_failures=1)
    clock = ShiftedClock(RUN_AT)
    core = BotCore(settings, clock=clock, runner=FakeRunner().then(ErrorKind.LOGIN_FAILED))
    alerts.install(core)

    await core.sync(trigger="slash", requested_by="U0OPERATOR",
                    target=ReplyTarget(settings.slack_channel))

    # Slack: the run's message and the alert ("since …").
    [running] = [call for call in slack_api.of("chat.postMessage")
                 if alerts.RETRY_ACTION not in call.text][:1]
    [alert] = [call for call in slack_api.of("chat.postMessage")
               if alerts.RETRY_ACTION in call.text]
    for call in (running, alert):
        assert NEW_YORK in call.text and SEOUL not in call.text, call.text
    # /publ-sync status and `publ-sync status` read the same run.
    view = await gather_status(settings, clock())
    text, _blocks = status_message(Presenter.for_settings(settings), view)
    assert NEW_YORK in text and SEOUL not in text, text
    output = io.StringIO()
    print_status(Console(file=output, width=200), view, Presenter.for_settings(settings))
    terminal = output.getvalue()
    assert f"{NEW_YORK} EST" in terminal and SEOUL not in terminal, terminal
