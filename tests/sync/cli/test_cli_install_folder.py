"""The command line where an operator really types it: outside the install folder, with a
typo, with a wrong value, and after a command was once run as root.

`outside_install_folder` is exactly: no `./.env`, none of the locating settings in the
environment, no `./storage/publ.db`. Tests and CI that give settings by environment are
therefore never mistaken for the wrong folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.cli import entry as cli
from sync.install_folder import outside_install_folder
from tests.paths import ROOT

SYSTEM_PYTHON = Path("/usr/bin/python3")


def test_status_outside_the_install_folder_says_so_and_creates_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["status"]) == 2
    out = capsys.readouterr().out
    assert "이 폴더에는 .env가 없습니다: 설치 폴더에서 실행하세요" in out
    assert list(tmp_path.iterdir()) == []  # no storage/publ.db, nothing at all


@pytest.mark.parametrize("command", [["run"], ["doctor"], ["reset-session"], ["import"]])
def test_every_command_but_demo_checks_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
        command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_LANGUAGE", "en")
    assert cli.main(command) == 2
    assert "There is no .env in this folder: run this in the install folder" in (
        capsys.readouterr().out)
    assert list(tmp_path.iterdir()) == []


def test_the_rule_exactly(tmp_path: Path) -> None:
    assert outside_install_folder(tmp_path, {})
    assert outside_install_folder(tmp_path, {"BOT_LANGUAGE": "en", "PUBL_EMAIL": ""})
    assert not outside_install_folder(tmp_path, {"DATABASE_URL": "sqlite+aiosqlite:///x.db"})
    assert not outside_install_folder(tmp_path, {"storage_dir": "/srv/publ-sync/storage"})
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "publ.db").touch()
    assert not outside_install_folder(tmp_path, {})  # an installation run without .env
    (tmp_path / "storage" / "publ.db").unlink()
    (tmp_path / ".env").write_text("")
    assert not outside_install_folder(tmp_path, {})


def test_settings_by_environment_still_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "elsewhere"))
    assert cli.main(["status"]) == 0
    assert "publ-sync 상태" in capsys.readouterr().out


def test_usage_errors_in_korean_and_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["stauts"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("사용법: publ-sync")
    assert "오류: 인자 명령: 'stauts'은(는) 고를 수 없습니다" in err
    assert "usage" not in err and "error" not in err and "invalid choice" not in err

    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "옵션:" in out and "이 도움말을 보여 주고 끝냅니다" in out and "show this" not in out

    monkeypatch.setenv("BOT_LANGUAGE", "en")
    assert cli.main(["import", "--type", "payments"]) == 2
    err = capsys.readouterr().err
    assert "usage: publ-sync import" in err and "invalid choice: 'payments'" in err


def test_a_wrong_value_is_named_in_the_operators_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("BOT_LANGUAGE=en\nPORT=three-thousand\n"
                                   "PUBL_PASSWORD=hunter2-secret\n")
    assert cli.main(["status"]) == 2
    out = capsys.readouterr().out
    assert "Invalid setting(s): PORT. Check .env." in out
    assert "three-thousand" not in out and "hunter2" not in out


# --- files left by a run as another user -----------------------------------------------------

def _as_nobody(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`publ-sync ARGS` as uid/gid 65534 (nobody), through the system Python (the test's
    own interpreter may sit under root's home, which nobody cannot enter)."""
    site = next(Path(sys.prefix, "lib").glob("python3*/site-packages"))
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8",
             "PYTHONPATH": f"{ROOT}{os.pathsep}{site}", **env}
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "-i",
         *[f"{k}={v}" for k, v in clean.items()], str(SYSTEM_PYTHON), "-m", "sync.cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def _nobody_can_run_here() -> str | None:
    if os.geteuid() != 0:
        return "needs root to switch to another user with setpriv"
    if shutil.which("setpriv") is None:
        return "setpriv is not installed"
    if not SYSTEM_PYTHON.exists() or subprocess.run(
            [str(SYSTEM_PYTHON), "-c", "import sys; sys.exit(sys.version_info[:2] != "
             f"{tuple(sys.version_info[:2])})"], check=False).returncode:
        return f"no system Python {sys.version_info[0]}.{sys.version_info[1]} at /usr/bin"
    return None


@pytest.fixture
def install_folder() -> Iterator[Path]:
    """A folder another user can reach (pytest's own temporary folders are root's, 0700)."""
    base = Path(tempfile.mkdtemp(prefix="publ-owner-"))
    base.chmod(0o755)
    folder = base / "install"
    folder.mkdir(mode=0o755)
    yield folder
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(_nobody_can_run_here() is not None, reason=str(_nobody_can_run_here()))
@pytest.mark.parametrize("command", ["status", "run"])
def test_root_owned_storage_is_named_with_the_chown_that_fixes_it(install_folder: Path,
                                                                  command: str) -> None:
    folder = install_folder
    (folder / ".env").write_text("PUBL_EMAIL=operator@example.com\nPUBL_PASSWORD=pw-123456\n"
                                 "PUBL_CHANNEL_ID=L2NoYW5uZWxzLzE3Njkx\n"
                                 "PUBL_CONSOLE_URL=http://127.0.0.1:9\n")
    (folder / ".env").chmod(0o644)
    assert cli_as_root(["reset-session"], folder) == 0  # root makes storage/ and its folders
    session = folder / "storage" / "sessions" / ".session.json"
    session.write_text("{}")
    session.chmod(0o600)

    done = _as_nobody([command], folder, {})

    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    out = " ".join(done.stdout.split())  # the terminal may wrap the sentence
    assert "주인이 root라서 지금 사용자(nobody)가 쓸 수 없습니다" in out
    assert f"sudo chown -R nobody: {folder / 'storage'}" in out
    assert "예상치 못한 오류" not in out


@pytest.mark.skipif(_nobody_can_run_here() is not None, reason=str(_nobody_can_run_here()))
def test_an_env_only_root_may_read_is_named_with_its_chown(install_folder: Path) -> None:
    folder = install_folder
    (folder / ".env").write_text("PUBL_PASSWORD=pw-123456\n")
    (folder / ".env").chmod(0o600)

    done = _as_nobody(["status"], folder, {})

    assert done.returncode == 2, done.stdout + done.stderr
    out = " ".join(done.stdout.split())
    assert "Traceback" not in done.stdout + done.stderr
    assert "읽을 수 없습니다: 주인이 root인데 지금 사용자는 nobody입니다" in out
    assert f"sudo chown nobody: {folder / '.env'}" in out
    assert not (folder / "storage").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: the check is about a run as root")
def test_root_in_another_users_storage_is_told_to_use_sudo_u(
        install_folder: Path, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    storage = install_folder / "storage"
    storage.mkdir()
    os.chown(storage, 65534, 65534)
    (install_folder / ".env").write_text(f"STORAGE_DIR={storage}\n")
    monkeypatch.chdir(install_folder)

    assert cli.main(["reset-session"]) == 2

    out = " ".join(capsys.readouterr().out.split())
    assert "nobody 사용자의 것입니다" in out and "sudo -u nobody .venv/bin/publ-sync" in out
    assert list(storage.iterdir()) == []  # root wrote nothing there


def cli_as_root(args: list[str], folder: Path) -> int:
    return subprocess.run([sys.executable, "-m", "sync.cli", *args], cwd=folder,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          check=False, timeout=60).returncode
