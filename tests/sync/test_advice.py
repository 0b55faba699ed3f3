"""Advice that agrees with itself: one recommended action per error kind, the primary button
only when that action is a button, who acts when someone at the server must, nothing said
twice in one message, and no command promised to do what it does not."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import alerts
from bot.render import run_message
from sync.advice import Action, recommended
from sync.errors import ErrorKind, RunGoing, SyncError
from sync.i18n import _messages, duration_text, t
from sync.presented import Presenter
from sync.report import SYNC_TYPES, RunReport, TypeResult
from sync.settings import Settings
from tests.fixtures.runs import FAILURES

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
BUTTON_ACTION = {Action.RETRY: alerts.RETRY_ACTION,
                 Action.RESET_RETRY: alerts.RESET_RETRY_ACTION}
WHO_ACTS = {"ko": "서버 관리자", "en": "hoever runs the server"}
# What the engine really says for each kind (its own catalog), not the fixtures' stand-ins.
ENGINE_MESSAGE = {
    ErrorKind.LOGIN_FAILED: ("download.login_failed", {"said": "Wrong password"}),
    ErrorKind.LAYOUT_CHANGED: ("download.element_missing",
                               {"page": "members", "what": "All Member download(CSV)",
                                "setting": "PUBL_MEMBERS_BUTTON"}),
    ErrorKind.DOWNLOAD_FAILED: ("download.gave_up", {"reason": "timeout.", "attempts": 3}),
}


def settings(lang: str) -> Settings:
    return Settings(_env_file=None, bot_language=lang)  # type: ignore[call-arg]


def failed_report(kind: ErrorKind, lang: str, screenshot: Path | None = None) -> RunReport:
    report = RunReport(run_id="run-1", trigger="schedule", requested_by=None, started_at=NOW,
                       finished_at=NOW)
    if kind in ENGINE_MESSAGE:
        key, values = ENGINE_MESSAGE[kind]
        message, detail = t(key, lang, **values), "detail"
    else:
        message, detail = FAILURES[kind]
    for sync_type in SYNC_TYPES:
        report.results[sync_type] = result = TypeResult(sync_type)
        result.fail(SyncError(kind, message, detail))
    report.masked_screenshot = screenshot
    return report


def alert_of(kind: ErrorKind, lang: str, screenshot: Path | None = None) -> tuple[str, list]:
    incident = alerts.Incident(id=7, first_failed_at=NOW, opened_at=NOW, channel="C1",
                               message_ts=None, last_reminded_at=None, failure_count=2)
    _, blocks = alerts.render_alert(settings(lang), incident,
                                    failed_report(kind, lang, screenshot), NOW)
    dicts = [block.to_dict() for block in blocks]
    return json.dumps(dicts, ensure_ascii=False), dicts


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?다요])\s+|\n", text)
    return [re.sub(r"^\d+\.\s*", "", part).strip(" *_") for part in parts
            if len(part.strip()) > 12]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("kind", list(ErrorKind))
def test_the_primary_button_is_the_recommended_action_or_none(kind: ErrorKind, lang: str):
    text, blocks = alert_of(kind, lang)
    [actions] = [block for block in blocks if block["type"] == "actions"]
    primary = [button["action_id"] for button in actions["elements"]
               if button.get("style") == "primary"]
    action = recommended(kind)
    if action is Action.AT_THE_SERVER:
        assert primary == []
        assert WHO_ACTS[lang] in text  # says who has to act
    else:
        assert primary == [BUTTON_ACTION[action]]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("kind", list(ErrorKind))
def test_a_run_message_says_each_thing_once_and_names_no_screenshot(kind: ErrorKind,
                                                                    lang: str):
    _, blocks = run_message.finished(Presenter.for_settings(settings(lang)),
                                     failed_report(kind, lang))
    text = "\n".join(json.dumps(block.to_dict(), ensure_ascii=False) for block in blocks)
    body = "\n".join(str(block.to_dict().get("text", {}).get("text", "")) for block in blocks)
    said = sentences(body)
    assert len(said) == len(set(said)), f"repeated in the {kind} message: {said}"
    assert t(f"bot.hint.{kind.value}", lang) in body
    for word in ("PUBL_PASSWORD", "publ-sync doctor", "reset-session"):
        assert body.count(word) <= 1, f"{word} said twice"
    assert not re.search(r"screenshot|화면 캡처", text, re.I)
    if recommended(kind) is Action.AT_THE_SERVER:
        assert WHO_ACTS[lang] in body


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_alert_mentions_the_screenshot_only_when_attached(lang: str, tmp_path: Path):
    word = {"ko": "화면 캡처", "en": "screenshot"}[lang]
    without, _ = alert_of(ErrorKind.LAYOUT_CHANGED, lang)
    assert word not in without.lower()
    shot = tmp_path / "masked.png"
    shot.write_bytes(b"\x89PNG")
    attached, _ = alert_of(ErrorKind.LAYOUT_CHANGED, lang, shot)
    assert word in attached.lower()


def test_no_text_says_reset_session_runs_a_sync() -> None:
    """`/publ-sync reset-session` only sets the session aside: a text that goes on to a sync
    must name the command that syncs (`/publ-sync`) as a separate step."""
    for key, texts in _messages().items():
        for lang, text in texts.items():
            for sentence in re.split(r"(?<=[.。])\s+|\n", text):
                if "/publ-sync reset-session" not in sentence:
                    continue
                if re.search(r"다시 실행|동기화합|sync again|and sync|runs? a sync", sentence):
                    assert "`/publ-sync`" in sentence, f"{key} [{lang}]: {sentence}"


@pytest.mark.parametrize(("seconds", "ko", "en"), [(0, "1분 미만", "under a minute"),
                                                   (59.9, "1분 미만", "under a minute"),
                                                   (60, "1분", "1 min")])
def test_short_durations_never_read_zero_minutes(seconds: float, ko: str, en: str) -> None:
    assert duration_text(seconds, "ko") == ko
    assert duration_text(seconds, "en") == en


def test_the_english_busy_note_reads_started_by_whom() -> None:
    busy = RunGoing("run-1", "slash", "U0OPERATOR", NOW)
    text = run_message.already_running(Presenter.for_settings(settings("en")), busy)
    assert "started by <@U0OPERATOR> with /publ-sync at" in text
    assert "Run by" not in text
    scheduled = run_message.already_running(Presenter.for_settings(settings("en")),
                                            RunGoing("run-2", "schedule", None, NOW))
    assert "started by the daily schedule at" in scheduled
    korean = run_message.already_running(Presenter.for_settings(settings("ko")), busy)
    assert "<@U0OPERATOR>님이 /publ-sync로 시작" in korean
