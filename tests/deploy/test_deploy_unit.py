"""deploy/publ-bot.service: a systemd unit systemd itself accepts (`systemd-analyze verify`,
every line understood), with what the bot needs to run unattended and safely."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from sync.settings import Settings
from tests.paths import ROOT

UNIT = ROOT / "deploy" / "publ-bot.service"


def service() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser["Service"]


def test_the_unit_runs_the_bot_safely_and_unattended() -> None:
    unit = service()
    assert unit["User"] and unit["User"] != "root"
    assert unit["WorkingDirectory"] == "/opt/publ-sync"  # where .env is read from
    assert unit["ExecStart"] == "/opt/publ-sync/.venv/bin/publ-bot"
    assert "EnvironmentFile" not in unit  # the app reads .env itself
    assert unit["UMask"] == "0077"
    assert unit["Environment"] == "HOME=/var/lib/publ-sync" and unit["StateDirectory"]
    assert unit["Restart"] == "always"
    assert unit["RestartPreventExitStatus"] == "2"  # a settings error does not loop
    grace = Settings(_env_file=None).bot_shutdown_grace_seconds  # type: ignore[call-arg]
    assert float(unit["TimeoutStopSec"]) > grace


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed here (apt-get install systemd)")
def test_systemd_analyze_verify_accepts_every_line(tmp_path: Path) -> None:
    # verify checks that ExecStart exists: point the copy at this checkout's publ-bot.
    publ_bot = ROOT / ".venv" / "bin" / "publ-bot"
    if not publ_bot.exists():
        pytest.skip(f"{publ_bot} is missing (run `make setup`)")
    text = UNIT.read_text(encoding="utf-8").replace(
        "/opt/publ-sync/.venv/bin/publ-bot", str(publ_bot)).replace(
        "WorkingDirectory=/opt/publ-sync", f"WorkingDirectory={tmp_path}")
    copy = tmp_path / "publ-bot.service"
    copy.write_text(text, encoding="utf-8")

    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True,
                          text=True, timeout=60, check=False)

    complaints = [line for line in (done.stdout + done.stderr).splitlines()
                  if copy.name in line]
    assert done.returncode == 0 and not complaints, done.stdout + done.stderr
