"""The dashboard keeps working: ActiveRecord (Debian's ruby-activerecord 6.1) migrates the
dashboard's tables itself, publ-sync adopts them and imports the sample exports, then
ActiveRecord reads every table back and writes a row that publ-sync's next import keeps —
on a SQLite file and on PostgreSQL.

Without Ruby these tests are skipped saying why; under CI=true (`.ci/run` installs
`ruby-activerecord`, `ruby-sqlite3` and `ruby-pg`) they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from sync.cli import main
from tests.paths import ROOT, TESTS

HERE = TESTS
DASHBOARD = HERE / "rails" / "dashboard.rb"
SAMPLES = ROOT / "sync" / "samples"
SAMPLE_FILES = [str(SAMPLES / f"251218_164857_{name}.csv")
                for name in ("members", "orders_latest", "refunds")]
IN_CI = os.environ.get("CI", "").lower() == "true"


@cache
def ruby_missing() -> str | None:
    """Why ActiveRecord cannot run here, or None when it can."""
    ruby = shutil.which("ruby")
    if ruby is None:
        return "ruby is not installed (apt-get install ruby-activerecord ruby-sqlite3 ruby-pg)"
    probe = subprocess.run([ruby, "-e", 'require "active_record"; require "sqlite3"; '
                                        'require "pg"'], capture_output=True, text=True,
                           timeout=60)
    if probe.returncode != 0:
        return f"ActiveRecord is not usable: {probe.stderr.strip()[:300]}"
    return None


@pytest.fixture
def rails(database_url: str, tmp_path: Path):
    """Runs `dashboard.rb COMMAND` against `database_url`; `read` answers parsed JSON."""
    reason = ruby_missing()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"ActiveRecord must run in CI: {reason}")
        pytest.skip(reason)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {"adapter": "sqlite3", "database": url.database}
    else:
        config = {"adapter": "postgresql", "host": url.host, "port": url.port,
                  "database": url.database}
        if url.username:
            config["username"] = url.username
    env = {**os.environ, "DASHBOARD_DB": json.dumps(config), "HOME": str(tmp_path)}

    def run(command: str) -> Any:
        done = subprocess.run(["ruby", str(DASHBOARD), command], capture_output=True,
                              text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if command == "read" else None

    return run


@pytest.fixture
def cli(tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_LANGUAGE", "en")

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        return code, capsys.readouterr().out

    return run


def by_key(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


def test_dashboard_keeps_working_after_publ_sync_adopts_its_database(rails, cli) -> None:
    rails("migrate")
    before = rails("read")

    code, out = cli("db", "adopt", "--dry-run")
    assert code == 0 and "orders: keeps every existing row (1)" in out, out
    assert rails("read") == before
    code, out = cli("db", "adopt")
    assert code == 0 and "was adopted" in out, out
    code, out = cli("import", *SAMPLE_FILES)
    assert code == 0, out

    after = rails("read")
    assert [len(after[t]) for t in ("members", "orders", "refunds")] == [41, 31, 7]
    assert after["schema_migrations"] == before["schema_migrations"]
    assert after["environment"] == before["environment"]
    # The old rows: every column they had is as it was.
    for table, key in (("members", "member_code"), ("orders", "order_number"),
                       ("refunds", "order_number"), ("sync_logs", "id")):
        old = by_key(before[table], key)
        new = by_key(after[table], key)
        for code_, row in old.items():
            if code_ == "M100000":  # in the export: updated, its id kept
                assert new[code_]["id"] == row["id"] and new[code_]["name"] != row["name"]
                continue
            assert {column: new[code_][column] for column in row} == row
    old_log = by_key(after["sync_logs"], "id")[before["sync_logs"][0]["id"]]
    assert (old_log["status"], old_log["run_id"]) == ("failed", None)
    orders = by_key(after["orders"], "order_number")
    assert all(isinstance(row["price"], int) for row in after["orders"])
    assert orders["20240000000029"]["price"] == 500
    # Console times are KST; ActiveRecord reads them back as the same instant in UTC.
    assert orders["20240000000029"]["paid_at"] == {"time": "2024-01-01T05:21:00.000000+00:00",
                                                   "utc": True}
    for table in ("members", "orders", "refunds", "sync_logs"):
        for row in after[table]:
            assert row["created_at"]["utc"] and row["updated_at"]["utc"], (table, row)
    new_logs = [row for row in after["sync_logs"] if row["run_id"]]
    assert {row["sync_type"] for row in new_logs} == {"members", "orders", "refunds"}
    assert all(row["status"] == "success" for row in new_logs)

    rails("write")
    code, out = cli("import", *SAMPLE_FILES)
    assert code == 0, out
    final = rails("read")
    members = by_key(final["members"], "member_code")
    assert len(final["members"]) == 42 and members["M900001"]["name"] == "레일즈"
    assert by_key(final["orders"], "order_number")["29990000000001"]["price"] == 33_000
    ids = [row["id"] for row in final["members"]]
    assert len(ids) == len(set(ids))
