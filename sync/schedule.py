"""The daily sync schedule: a standard 5-field cron string turned into an APScheduler trigger.

Standard cron counts the day of week from Sunday = 0 (7 is Sunday too), but APScheduler's
`CronTrigger.from_crontab` counts from Monday = 0, so `"0 9 * * 1"` would fire on Tuesdays.
Here every numeric weekday is translated into a name (`sun`, `mon`, …) before APScheduler
sees it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def cron_trigger(expr: str, tz: str) -> CronTrigger:
    """A `CronTrigger` for a standard cron expression (`minute hour day month weekday`).

    Raises `ValueError` for anything that is not five valid cron fields.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"cron expression needs 5 fields, got {len(fields)}: {expr!r}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                       day_of_week=cron_weekdays(weekday), timezone=ZoneInfo(tz))


def next_run(expr: str, tz: str, now: datetime) -> datetime | None:
    """When the schedule fires next after `now` (aware), in the schedule's zone."""
    return cron_trigger(expr, tz).get_next_fire_time(None, now)


def cron_weekdays(field: str) -> str:
    """A cron day-of-week field with numbers (Sunday = 0 or 7) spelled as names.

    `1-5` → `mon,tue,wed,thu,fri`, `*/2` → `sun,tue,thu,sat`; names and `*` pass unchanged.
    """
    if field in ("*", "?"):
        return "*"
    return ",".join(_weekday_item(item) for item in field.split(","))


def _weekday_item(item: str) -> str:
    """One comma-separated part: a number, a range `a-b`, or either with a step `/n`."""
    span, _, step_text = item.partition("/")
    if not _is_numeric_span(span):
        return item  # names (`mon-fri`) mean the same to APScheduler as to cron
    step = int(step_text) if step_text else 1
    if step < 1:
        raise ValueError(f"bad weekday step in {item!r}")
    if span == "*":
        first, last = 0, 6
    elif "-" in span:
        first_text, last_text = span.split("-", 1)
        first, last = int(first_text), int(last_text)
    else:
        first = int(span)
        last = 6 if step_text else first
    if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last):
        raise ValueError(f"bad weekday {item!r} (0-7, Sunday = 0 or 7)")
    days = sorted({day % 7 for day in range(first, last + 1, step)})
    return ",".join(WEEKDAY_NAMES[day] for day in days)


def _is_numeric_span(span: str) -> bool:
    if span == "*":
        return True
    parts = span.split("-")
    return len(parts) in (1, 2) and all(part.isdigit() for part in parts)
