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

from bot.render.common import trigger_label, validated
from bot.render.status_message import status_message
from sync.home import HomeView
from sync.presented import Presenter
from sync.runlog import RunInfo

HOME_RUN_ACTION = "publ_sync_home_run"
HOME_RESET_RUN_ACTION = "publ_sync_home_reset_run"


def home_view(p: Presenter, view: HomeView, *, can_run: bool) -> dict[str, Any]:
    """The Home view for one user; `can_run` shows the run buttons."""
    w = p.words
    _, blocks = status_message(p, view.status)
    if view.incident is not None:
        incident = w("home.incident", since=p.time(view.incident.since),
                     count=view.incident.failed_runs, kind=p.kind(view.incident.error_kind))
    else:
        incident = w("home.no_incident")
    lines = [incident]
    if view.messages_waiting:
        lines.append(w("home.waiting", count=view.messages_waiting))
    blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(lines))))
    if can_run:
        blocks += [
            ActionsBlock(block_id="publ_home_run", elements=[
                ButtonElement(text=PlainTextObject(text=w("home.button.run")),
                              action_id=HOME_RUN_ACTION, value="run", style="primary"),
                ButtonElement(text=PlainTextObject(text=w("home.button.reset_run")),
                              action_id=HOME_RESET_RUN_ACTION, value="reset_run"),
            ]),
            ContextBlock(elements=[MarkdownTextObject(text=w("home.buttons_note"))]),
        ]
    blocks.append(DividerBlock())
    if view.runs:
        runs = "\n".join(_run_line(p, run) for run in view.runs)
        title = w("home.runs_title", count=len(view.runs))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"{title}\n{runs}")))
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=w("home.no_runs"))))
    return {"type": "home", "blocks": [block.to_dict() for block in validated(blocks)]}


def unreadable_view(p: Presenter, reason: str) -> dict[str, Any]:
    """What Home shows when the status cannot be read: a sentence, never a traceback."""
    text = p.words("home.failed_to_read", reason=reason)
    return {"type": "home", "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def _run_line(p: Presenter, run: RunInfo) -> str:
    fields = dict(time=p.time(run.started_at),
                  who=trigger_label(p, run.trigger, run.requested_by))
    if run.status == "running":
        return p.words("home.run_running", **fields)
    if run.status == "success":
        took = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
        return p.words("home.run_ok", duration=p.duration(took, precise=True), **fields)
    kind = next((log.error_kind for log in run.logs if log.error_kind), None)
    return p.words("home.run_failed", kind=p.kind(kind), **fields)
