"""One line of `publ-sync doctor`'s answer, shared by the checks in `sync/` and the Slack
checks in `bot/` (which the CLI runs too)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Check:
    """One line of the doctor's answer: passed (True), failed (False) or skipped (None)."""

    ok: bool | None
    text: str
    notes: list[str] = field(default_factory=list)
