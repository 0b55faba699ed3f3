"""An installation upgraded in place (a `git pull`, no new `pip install`) still starts: the
console scripts' targets, `python -m sync.cli` and `python -m sync.sandbox`
are where the previous layout had them (issue 10, point 7). (`python -m bot` is what
every bot-process test starts: `tests.fixtures.slack.BotProcess`.)"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib

import pytest

from tests.paths import ROOT


def test_the_console_scripts_point_at_functions_that_exist() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    # What an older installation's generated `publ-sync` / `publ-bot` scripts import.
    assert scripts == {"publ-sync": "sync.cli:main", "publ-bot": "bot.__main__:main"}
    for target in scripts.values():
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function))


@pytest.mark.parametrize(("module", "says"), [
    ("sync.cli", "publ-sync"),
    ("sync.sandbox", "python -m sync.sandbox"),
])
def test_the_modules_run_with_python_m(module: str, says: str) -> None:
    done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert says in done.stdout
