"""The Home tab as a `views.publish` view: the status, the open incident, messages waiting,
the last runs, and — for users allowed to run — the two run buttons."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.render.common import local_time, seconds, trigger_label, validated
from bot.render.status_message import status_message
from sync.home import HomeView
from sync.i18n import t
from sync.runlog import RunInfo
from sync.settings import Settings

HOME_RUN_ACTION = "publ_sync_home_run"
HOME_RESET_RUN_ACTION = "publ_sync_home_reset_run"


def home_view(settings: Settings, view: HomeView, *, can_run: bool) -> dict[str, Any]:
    """The Home view for one user; `can_run` shows the run buttons."""
    lang = settings.bot_language
    _, blocks = status_message(settings, view.status)
    if view.incident is not None:
        incident = t("home.incident", lang, since=local_time(settings, view.incident.since),
                     count=view.incident.failed_runs,
                     kind=t(f"kind.{view.incident.error_kind or 'unexpected'}", lang))
    else:
        incident = t("home.no_incident", lang)
    lines = [incident]
    if view.messages_waiting:
        lines.append(t("home.waiting", lang, count=view.messages_waiting))
    blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(lines))))
    if can_run:
        blocks += [
            ActionsBlock(block_id="publ_home_run", elements=[
                ButtonElement(text=PlainTextObject(text=t("home.button.run", lang)),
                              action_id=HOME_RUN_ACTION, value="run", style="primary"),
                ButtonElement(text=PlainTextObject(text=t("home.button.reset_run", lang)),
                              action_id=HOME_RESET_RUN_ACTION, value="reset_run"),
            ]),
            ContextBlock(elements=[MarkdownTextObject(text=t("home.buttons_note", lang))]),
        ]
    blocks.append(DividerBlock())
    if view.runs:
        runs = "\n".join(_run_line(settings, run) for run in view.runs)
        title = t("home.runs_title", lang, count=len(view.runs))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"{title}\n{runs}")))
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=t("home.no_runs", lang))))
    return {"type": "home", "blocks": [block.to_dict() for block in validated(blocks)]}


def unreadable_view(settings: Settings, reason: str) -> dict[str, Any]:
    """What Home shows when the status cannot be read: a sentence, never a traceback."""
    text = t("home.failed_to_read", settings.bot_language, reason=reason)
    return {"type": "home", "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def _run_line(settings: Settings, run: RunInfo) -> str:
    lang = settings.bot_language
    fields = dict(time=local_time(settings, run.started_at),
                  who=trigger_label(lang, run.trigger, run.requested_by))
    if run.status == "running":
        return t("home.run_running", lang, **fields)
    if run.status == "success":
        took = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
        return t("home.run_ok", lang, seconds=seconds(took), **fields)
    kind = next((log.error_kind for log in run.logs if log.error_kind), None) or "unexpected"
    return t("home.run_failed", lang, kind=t(f"kind.{kind}", lang), **fields)
