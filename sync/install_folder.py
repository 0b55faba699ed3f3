"""Where a command runs: the install folder with its `.env`, and who owns the storage.

Every command reads `./.env` and, by default, keeps its data in `./storage`. Run from the
wrong folder it would quietly start a new, empty installation there; run once as another
user (root, say) it leaves files the service's own user cannot open. Both are told in one
sentence with the fix, before anything is created or touched.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Mapping
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from sync.errors import SettingsError
from sync.i18n import t
from sync.settings import Settings

# Settings that say whose installation this is or where its data lives. Any one of them in
# the environment (a test, CI, a systemd EnvironmentFile) means the settings come from
# there, so a missing `.env` is no sign of the wrong folder.
LOCATING_SETTINGS = ("PUBL_EMAIL", "PUBL_PASSWORD", "PUBL_CHANNEL_ID", "DATABASE_URL",
                     "STORAGE_DIR", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
DEFAULT_DATABASE = Path("storage") / "publ.db"


class _LanguageOnly(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore", case_sensitive=False)
    bot_language: str = "ko"


def language_hint() -> str:
    """`BOT_LANGUAGE` from the environment or `.env`, for what must be said before the
    settings are known to be valid (a usage error, a bad value, an unreadable `.env`);
    Korean when it cannot be read."""
    try:
        value = _LanguageOnly().bot_language.strip().lower()
    except Exception:  # an unreadable or broken .env: the full settings will say so
        return "ko"
    return value if value in ("ko", "en") else "ko"


def outside_install_folder(folder: Path | None = None,
                           environ: Mapping[str, str] | None = None) -> bool:
    """True exactly when all three hold: there is no `.env` in `folder` (the current one),
    none of `LOCATING_SETTINGS` is set in the environment, and there is no database at the
    default place (`storage/publ.db`). Then a command would start an empty installation
    here instead of using the real one."""
    folder = folder if folder is not None else Path.cwd()
    environ = environ if environ is not None else os.environ
    given = {name.upper() for name, value in environ.items() if value}
    if given.intersection(LOCATING_SETTINGS):
        return False
    return not (folder / ".env").exists() and not (folder / DEFAULT_DATABASE).exists()


def no_env_message(lang: str, folder: Path | None = None) -> str:
    return t("install.no_env", lang, folder=folder if folder is not None else Path.cwd())


def unreadable_env_message(lang: str, error: OSError) -> str:
    """`.env` exists but this user may not read it (made by root, mode 0600)."""
    path = Path(error.filename or ".env")
    return t("install.env_unreadable", lang, path=path, owner=_owner_name(path),
             user=_user_name(), fix=f"sudo chown {_user_name()}: {path.resolve()}")


def check_storage_owner(settings: Settings) -> None:
    """Raise `SettingsError` naming the fix when the storage folder and the user running
    now do not belong together: something in it belongs to another user (the `chown` that
    fixes it), or root runs a command in a folder that is another user's — root may open
    anything, but every file it writes would then be one the service cannot (so it is
    told to run as that user with `sudo -u`)."""
    root_dir = Path(settings.storage_dir)
    if os.geteuid() == 0:
        try:
            owner = root_dir.stat().st_uid
        except OSError:
            return
        if owner != 0:
            name = _owner_name(root_dir)
            raise SettingsError(t("install.root_in_users_folder", settings.bot_language,
                                  path=root_dir.resolve(), owner=name,
                                  fix=f"sudo -u {name} .venv/bin/publ-sync …"))
        return
    foreign = foreign_owned(root_dir)
    if not foreign:
        return
    root = Path(settings.storage_dir).resolve()
    lang = settings.bot_language
    more = t("install.and_more", lang, count=len(foreign) - 1) if len(foreign) > 1 else ""
    raise SettingsError(t("install.foreign_owner", lang, path=foreign[0],
                          owner=_owner_name(foreign[0]), user=_user_name(), more=more,
                          fix=f"sudo chown -R {_user_name()}: {root}"))


def foreign_owned(root: Path) -> list[Path]:
    """The storage folder, its folders and their files (two levels: `sessions/.session.json`,
    `publ.db`, exports waiting in `downloads/`) that the current user does not own."""
    if not root.exists():
        return []
    me = os.geteuid()
    found: list[Path] = []
    candidates = [root]
    try:
        for child in sorted(root.iterdir()):
            candidates.append(child)
            if child.is_dir() and os.access(child, os.R_OK | os.X_OK):
                candidates.extend(sorted(child.iterdir()))
    except OSError:
        pass  # a folder we may not list is owned by someone else: its owner is checked
    for path in candidates:
        try:
            if path.lstat().st_uid != me:
                found.append(path)
        except OSError:
            continue
    return found


def _owner_name(path: Path) -> str:
    try:
        uid = path.lstat().st_uid
    except OSError:
        return "?"
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _user_name() -> str:
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())
