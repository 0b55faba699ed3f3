""".env.example lists every setting, and copying it unchanged gives the documented defaults."""

import re

from sync.settings import Settings
from tests.paths import ROOT

TEST_ONLY: set[str] = set()  # test-only hooks live in the tests, never in Settings


def test_every_setting_is_listed() -> None:
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    expected = {name.upper() for name in Settings.model_fields if name not in TEST_ONLY}
    assert expected - listed == set(), "settings missing from .env.example"
    assert listed - expected == set(), ".env.example names settings that do not exist"


def test_example_values_are_the_defaults() -> None:
    from_example = Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    for name in Settings.model_fields:
        assert getattr(from_example, name) == getattr(defaults, name), name
