"""The daily schedule string means what standard cron means: Sunday is 0 (and 7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sync.schedule import cron_weekdays, next_run

# Friday 2026-11-27, 10:00 in Korea.
FRIDAY_MORNING = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(("expr", "expected_local"), [
    ("0 9 * * *", "2026-11-28 09:00 Sat"),
    ("0 9 * * 1", "2026-11-30 09:00 Mon"),  # APScheduler alone would say Tuesday
    ("0 9 * * 0", "2026-11-29 09:00 Sun"),
    ("0 9 * * 7", "2026-11-29 09:00 Sun"),
    ("30 8 * * 1-5", "2026-11-30 08:30 Mon"),
    ("0 11 * * 5", "2026-11-27 11:00 Fri"),
    ("0 9 * * sat", "2026-11-28 09:00 Sat"),
])
def test_next_run_in_korea_time(expr: str, expected_local: str) -> None:
    upcoming = next_run(expr, "Asia/Seoul", FRIDAY_MORNING)
    assert upcoming is not None
    assert upcoming.strftime("%Y-%m-%d %H:%M %a") == expected_local


@pytest.mark.parametrize(("field", "names"), [
    ("*", "*"), ("1-5", "mon,tue,wed,thu,fri"), ("*/2", "sun,tue,thu,sat"),
    ("0,6", "sun,sat"), ("5-7", "sun,fri,sat"), ("mon-fri", "mon-fri"),
])
def test_numeric_weekdays_become_names(field: str, names: str) -> None:
    assert cron_weekdays(field) == names


@pytest.mark.parametrize("expr", ["every morning", "0 9 * *", "0 9 * * 8", "0 25 * * *",
                                  "0 9 * * 5-1"])
def test_unreadable_schedules_raise_value_error(expr: str) -> None:
    with pytest.raises(ValueError):
        next_run(expr, "Asia/Seoul", FRIDAY_MORNING)
