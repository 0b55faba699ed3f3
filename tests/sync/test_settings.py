"""Settings read the contract's names from the environment and `.env`."""

from pathlib import Path

import pytest

from sync.settings import Settings


def test_env_names_and_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SLACK_ALLOWED_USERS", "U1, U2,,U3")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_LANGUAGE", "EN")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.slack_allowed_users == ["U1", "U2", "U3"]
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.bot_language == "en"
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path}/publ.db"
    assert settings.sync_schedule == "0 9 * * *"
    assert settings.publ_members_button == "All Member download(CSV)"


def test_dotenv_is_read_and_secrets_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text("PUBL_PASSWORD=hunter2-very-secret\nPUBL_CHANNEL_ID=L2NoYW5uZWxzLzE3Njkx\n")
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    assert settings.publ_password.get_secret_value() == "hunter2-very-secret"
    assert "hunter2" not in repr(settings)
    assert settings.channel_url(settings.publ_members_path) == (
        "https://console.publ.biz/channels/L2NoYW5uZWxzLzE3Njkx/members/registered-users"
    )
