"""The storage folder: where exports, the session, set-aside files and debug captures live.

`downloads/` and `archive/` hold exports; `sessions/`, `trash/` and `debug/` hold secrets
or personal data. Private folders are 0700 and every file written is 0600.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sync.report import SyncType

KST = ZoneInfo("Asia/Seoul")
PRIVATE_DIRS = ("sessions", "trash", "debug")
EXPORT_DIRS = ("downloads", "archive")
RETAINED_DIRS = ("archive", "debug", "trash")
EXPORT_NAME = re.compile(
    r"^(?P<stamp>\d{6}_\d{6})_(?P<type>members|orders_latest|orders_all|refunds)\.csv$"
)


@dataclass(frozen=True)
class Storage:
    root: Path

    @property
    def downloads(self) -> Path:
        return self.root / "downloads"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def sessions(self) -> Path:
        return self.root / "sessions"

    @property
    def session_file(self) -> Path:
        return self.sessions / ".session.json"

    @property
    def trash(self) -> Path:
        return self.root / "trash"

    @property
    def debug(self) -> Path:
        return self.root / "debug"

    def ensure(self) -> Storage:
        """Create every folder with its permissions, and tighten what already exists (an
        install from before this rule): the storage folder and private folders 0700, every
        file in them 0600. The folder holds every member's personal data."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        _drop_group_and_other(self.root)
        for name in EXPORT_DIRS:
            (self.root / name).mkdir(mode=0o700, exist_ok=True)
            _drop_group_and_other(self.root / name)
        for name in PRIVATE_DIRS:
            path = self.root / name
            path.mkdir(mode=0o700, exist_ok=True)
            path.chmod(0o700)
        for name in (*EXPORT_DIRS, *PRIVATE_DIRS):
            tighten_files(self.root / name)
        for path in self.root.iterdir():  # the SQLite file and its -wal/-shm live here
            if path.is_file() and not path.is_symlink():
                _drop_group_and_other(path)
        return self

    def export_path(self, sync_type: SyncType, stamp: str, *, all_orders: bool = False) -> Path:
        """`downloads/YYMMDD_HHMMSS_<type>.csv` as design.md names it."""
        suffix = sync_type.value
        if sync_type is SyncType.ORDERS:
            suffix = "orders_all" if all_orders else "orders_latest"
        return self.downloads / f"{stamp}_{suffix}.csv"

    def newest_downloads(self) -> dict[SyncType, Path]:
        """The newest file of each type waiting in `downloads/` (a symbolic link is not one)."""
        newest: dict[SyncType, Path] = {}
        for path in sorted(self.downloads.glob("*.csv")):
            if path.is_symlink():
                continue
            sync_type = type_of_file(path)
            if sync_type is not None:
                newest[sync_type] = path  # sorted by stamp, so the last one wins
        return newest

    def archive_file(self, path: Path, when: datetime) -> Path:
        """Move an imported export from `downloads/` to `archive/YYYYMMDD/`; returns its
        new path. A file imported from elsewhere is copied: the operator's own file stays."""
        day_dir = self.archive / when.astimezone(KST).strftime("%Y%m%d")
        day_dir.mkdir(parents=True, exist_ok=True)
        target = day_dir / path.name
        if path.resolve().parent == self.downloads.resolve():
            shutil.move(str(path), target)
        else:
            shutil.copyfile(path, target)
        target.chmod(0o600)
        return target

    def set_aside(self, path: Path, when: datetime, label: str = "") -> Path:
        """Move a file (a stale session, say) to `trash/` under a timestamped name."""
        self.trash.mkdir(parents=True, exist_ok=True)
        stamp = when.astimezone(KST).strftime("%Y%m%d_%H%M%S_%f")
        target = self.trash / f"{stamp}{('_' + label) if label else ''}_{path.name.lstrip('.')}"
        shutil.move(str(path), target)
        target.chmod(0o600)
        return target

    def purge_old(self, retention_days: int, now: float | None = None) -> list[Path]:
        """Delete files under archive/, debug/, trash/ older than the retention; empty day
        folders go too. Returns what was deleted."""
        cutoff = (now if now is not None else time.time()) - retention_days * 86400
        deleted: list[Path] = []
        for name in RETAINED_DIRS:
            base = self.root / name
            if not base.exists():
                continue
            for path in sorted(base.rglob("*"), reverse=True):
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    deleted.append(path)
                elif path.is_dir() and path.parent == self.archive and not any(path.iterdir()):
                    path.rmdir()
        return deleted


def tighten_files(folder: Path) -> None:
    """Every file under `folder` readable by its owner only (symlinks are left alone: a
    chmod would change what they point to)."""
    for path in folder.rglob("*"):
        if path.is_symlink():
            continue
        _drop_group_and_other(path)


def _drop_group_and_other(path: Path) -> None:
    """Take away every group and other permission bit; the owner's stay as they are (a
    folder made read-only on purpose stays read-only)."""
    mode = path.stat().st_mode
    if mode & 0o077:
        path.chmod(mode & 0o700)


def loose_permissions(path: Path) -> bool:
    """Whether anyone but the owner may read, write or enter `path`."""
    return bool(path.stat().st_mode & 0o077)


def type_of_file(path: Path) -> SyncType | None:
    """The export type a file name says, or None for a name that is not an export's."""
    match = EXPORT_NAME.match(path.name)
    if match is None:
        loose = path.name.lower()
        for sync_type in SyncType:
            if sync_type.value in loose:
                return sync_type
        return None
    return SyncType(match["type"].split("_")[0])


def file_stamp(when: datetime) -> str:
    """`YYMMDD_HHMMSS` in Korea time, the prefix of every export's name."""
    return when.astimezone(KST).strftime("%y%m%d_%H%M%S")


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable only by its owner, atomically (temp name, then rename)."""
    tmp = path.with_name(f".{path.name}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    tmp.chmod(0o600)
    os.replace(tmp, path)
