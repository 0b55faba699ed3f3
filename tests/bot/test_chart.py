"""The weekly 28-day chart: Korean labels that really render, a PNG of the promised size, in
the scheduled message's thread on DIGEST_WEEKDAY, and a failed upload said in the message."""

from __future__ import annotations

import struct
import warnings
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import scheduler
from bot.core import BotCore
from sync.chart import render_chart
from sync.digest import CHART_DAYS, DayPoint, chart_labels
from sync.settings import Settings
from tests.fixtures.runs import FakeRunner, ShiftedClock
from tests.fixtures.slack import CHANNEL_ID, slack_settings

KST = ZoneInfo("Asia/Seoul")
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=KST)
FONT = Settings(_env_file=None).digest_font_path  # type: ignore[call-arg]


def points() -> list[DayPoint]:
    first = date(2026, 11, 2)
    return [DayPoint(first + timedelta(days=i), None if i == 5 else 45000 * (i % 7),
                     None if i == 5 else i % 7) for i in range(CHART_DAYS)]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_chart_draws_without_a_missing_glyph_at_the_promised_size(lang: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        data = render_chart(points(), lang, FONT)
    width, height = png_size(data)
    assert abs(width - 1200) <= 20 and abs(height - 600) <= 20
    assert len(data) <= 300_000


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_font_file_covers_every_label(lang: str) -> None:
    from fontTools.ttLib import TTFont

    cmap = TTFont(FONT).getBestCmap()
    text = "".join(chart_labels(lang)) + "0123456789/,"
    missing = sorted({char for char in text if not char.isspace() and ord(char) not in cmap})
    assert missing == []


def test_a_missing_font_file_is_a_clear_error(tmp_path) -> None:
    from sync.chart import ChartError

    with pytest.raises(ChartError, match="font file not found"):
        render_chart(points(), "ko", str(tmp_path / "nope.ttf"))


async def run_monday(make_settings, slack_api, **overrides):
    settings = make_settings(**slack_settings(slack_api, **overrides))
    clock = ShiftedClock(MONDAY)
    core = BotCore(settings, clock=clock, runner=FakeRunner())
    report = await scheduler.install(core).run_slot(clock(), trigger="schedule")
    assert report is not None and report.succeeded
    [message] = [call for call in slack_api.of("chat.postMessage")
                 if call.body.get("channel") == CHANNEL_ID and not call.body.get("thread_ts")]
    return message


async def test_on_digest_weekday_the_chart_goes_into_the_message_thread(make_settings,
                                                                        slack_api):
    message = await run_monday(make_settings, slack_api)
    [complete] = slack_api.of("files.completeUploadExternal")
    assert complete.body["query.channel_id"] == CHANNEL_ID
    assert complete.body["query.thread_ts"] == message.answer["ts"]
    [upload] = slack_api.of("upload")
    assert upload.body["raw"][1:4] == "PNG"
    assert "차트를 올리지 못했습니다" not in slack_api.of("chat.update")[-1].text


async def test_a_failed_chart_upload_is_said_in_the_message_and_the_run_stands(
        make_settings, slack_api):
    slack_api.fail("files.getUploadURLExternal", "internal_error", times=5)
    await run_monday(make_settings, slack_api)
    last = slack_api.of("chat.update")[-1].text
    assert "차트를 올리지 못했습니다" in last and "publ 동기화 완료" in last


async def test_no_chart_on_other_days_or_when_switched_off(make_settings, slack_api):
    await run_monday(make_settings, slack_api, digest_weekday="")
    assert slack_api.of("files.getUploadURLExternal") == []
