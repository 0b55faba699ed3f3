"""Adopting the Rails dashboard's existing tables: on start, with `publ-sync db adopt`
(and `--dry-run`), and the refusals — on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from sync import housekeeping, runlog, runner
from sync.cli import main
from sync.db import alembic_config, open_database
from sync.presented import Presenter
from sync.report import SyncType
from sync.status import gather_status
from tests.dashboard import DUPLICATE_CODES, OLD_LOG_MESSAGE, create_dashboard, snapshot
from tests.paths import ROOT

SAMPLES = ROOT / "sync" / "samples"
SAMPLE_FILES = {
    SyncType.MEMBERS: SAMPLES / "251218_164857_members.csv",
    SyncType.ORDERS: SAMPLES / "251218_164857_orders_latest.csv",
    SyncType.REFUNDS: SAMPLES / "251218_164857_refunds.csv",
}
RAILS_TABLES = ("schema_migrations", "ar_internal_metadata")


async def import_samples(settings) -> None:
    report = await runner.run_sync(settings, trigger="cli", files=dict(SAMPLE_FILES),
                                   types=list(SAMPLE_FILES))
    assert report.succeeded, report


async def test_start_on_a_dashboard_database_adopts_it_and_imports(database_url, make_settings):
    await create_dashboard(database_url)
    before = await snapshot(database_url)
    settings = make_settings(database_url=database_url)

    await import_samples(settings)

    db = await open_database(database_url)
    async with db.read() as conn:
        members = (await conn.execute(text(
            "SELECT id, member_code, name, memo, created_at, updated_at FROM members "
            "ORDER BY id"))).all()
        old_log = (await conn.execute(text(
            "SELECT status, error_message, run_id FROM sync_logs WHERE run_id IS NULL"))).all()
        revision = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    codes = [row.member_code for row in members]
    assert len(codes) == len(set(codes)) == 1 + 40  # the old M000001, and M100000 updated
    ids = [row.id for row in members]
    assert len(ids) == len(set(ids))  # new ids come after the old ones, on PostgreSQL too
    by_code = {row.member_code: row for row in members}
    assert (by_code["M000001"].id, by_code["M000001"].name, by_code["M000001"].memo) == \
        (3, "옛회원", "VIP")
    assert by_code["M100000"].name != "이전이름"  # updated from the export, id kept
    assert all(row.created_at is not None and row.updated_at is not None for row in members)
    assert old_log == [("failed", OLD_LOG_MESSAGE, None)]
    assert revision == [(ScriptDirectory.from_config(alembic_config()).get_current_head(),)]
    after = await snapshot(database_url)
    for table in RAILS_TABLES:
        assert after[table] == before[table]
    # Adopting again is a no-op: the next start just upgrades.
    await import_samples(settings)


async def test_old_importer_rows_are_history_not_streak_or_running(database_url, make_settings):
    await create_dashboard(database_url)
    engine_url = database_url
    settings = make_settings(database_url=engine_url)
    db = await open_database(engine_url)
    async with db.write() as conn:  # three more old rows: a 'running' one and two failures
        for sync_type, status in (("orders", "failed"), ("refunds", "failed"),
                                  ("members", "running")):
            await conn.execute(text(
                "INSERT INTO sync_logs (sync_type, status, error_message, created_at, "
                "updated_at) VALUES (:t, :s, 'old', :at, :at)"),
                {"t": sync_type, "s": status, "at": datetime(2024, 6, 2)})
    now = datetime.now(UTC)

    view = await gather_status(settings, now)

    assert view.streak == 0 and view.running is None
    assert view.last_logs["members"].status == "failed"
    assert view.last_logs["members"].error_message == OLD_LOG_MESSAGE
    assert view.last_logs["members"].started_at == datetime(2024, 6, 1, 3, tzinfo=UTC)
    assert await runlog.close_dead_runs(db, now, 5, "ko") == []
    await import_samples(settings)
    view = await gather_status(settings, datetime.now(UTC))
    assert view.last_logs["members"].run_id is not None  # publ-sync's own run comes first
    assert view.last_logs["members"].status == "success"


def test_status_shows_old_rows_as_earlier_history(
        tmp_path, database_url, make_settings, capsys, monkeypatch) -> None:
    asyncio.run(create_dashboard(database_url))
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["status"]) == 0  # status only reads: it says the tables wait for adoption
    assert "대시보드의 기존 표" in capsys.readouterr().out
    assert main(["db", "adopt"]) == 0
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.strip().startswith("회원"))
    assert "이전 기록" in line and "실패" in line and OLD_LOG_MESSAGE in line
    assert "연속 실패: 없음" in out


@pytest.fixture
def cli(tmp_path, database_url, capsys, monkeypatch):
    """`publ-sync …` in English against `database_url`: (exit code, output)."""
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "storage"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_LANGUAGE", "en")
    monkeypatch.setenv("COLUMNS", "200")

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        return code, capsys.readouterr().out

    return run


def test_dry_run_prints_the_plan_and_changes_nothing(database_url, cli) -> None:
    asyncio.run(create_dashboard(database_url))
    before = asyncio.run(snapshot(database_url))

    code, out = cli("db", "adopt", "--dry-run")

    assert code == 0, out
    assert asyncio.run(snapshot(database_url)) == before
    assert "nothing was changed" in out
    assert "members: keeps every existing row (2)" in out
    assert "sync_logs: keeps every existing row (1)" in out
    members_columns = out.split("members: keeps")[1].splitlines()[1]
    assert "country" in members_columns and "extra" in members_columns
    assert "member_code" not in members_columns  # already there
    assert "uq_orders_order_number (order_number, unique)" in out
    assert "uq_members_member_code" not in out  # Rails' own unique index serves
    assert "tables to create: alert_incidents, schedule_claims, sync_locks" in out
    if "postgresql" in database_url:
        assert "new ids continue after 3" in out

    code, out = cli("db", "adopt")
    assert code == 0, out
    assert "was adopted" in out and "members: keeps every existing row (2)" in out
    code, out = cli("db", "adopt", "--dry-run")
    assert code == 0 and "Nothing to adopt" in out


def test_dry_run_on_a_fresh_database_creates_nothing(tmp_path, sqlite_url, cli) -> None:
    code, out = cli("db", "adopt", "--dry-run")
    assert code == 0 and "Nothing to adopt" in out
    assert not (tmp_path / "storage" / "publ.db").exists()


@pytest.mark.parametrize(("variant", "sentence"), [
    ("no_key", "The orders table has no key column order_number, so it cannot be adopted"),
    ("duplicates", f"12 values of members.member_code are stored more than once, which "
                   f"blocks its unique index: {', '.join(DUPLICATE_CODES[:10])} and 2 more"),
    ("text_price", "The column orders.price is of type VARCHAR, which cannot hold what "
                   "publ-sync stores there (integer)"),
    ("required", "The column members.plan requires a value (NOT NULL, no default) that "
                 "publ-sync does not fill"),
    ("text_id", "The refunds table has no integer primary key column id, so it cannot be "
                "adopted"),
    ("no_sequence", "The column refunds.id "),  # the rest is the database's own sentence
])
@pytest.mark.parametrize("command", [("db", "adopt"), ("status",)])
def test_what_cannot_be_adopted_is_refused_in_one_sentence_and_nothing_changes(
        database_url, cli, variant, sentence, command) -> None:
    asyncio.run(create_dashboard(database_url, variant))
    before = asyncio.run(snapshot(database_url))

    code, out = cli(*command)

    assert code == 2
    assert sentence in " ".join(out.split()), out
    if variant == "no_sequence":
        assert ("has no sequence to number new rows" in out if "postgresql" in database_url
                else "is not an INTEGER PRIMARY KEY, so SQLite does not number" in out), out
    assert "nothing was changed" in out and "Traceback" not in out
    assert asyncio.run(snapshot(database_url)) == before


def test_dry_run_names_the_problems_too(database_url, cli) -> None:
    asyncio.run(create_dashboard(database_url, "no_key"))
    before = asyncio.run(snapshot(database_url))
    code, out = cli("db", "adopt", "--dry-run")
    assert code == 2 and "no key column order_number" in out
    assert asyncio.run(snapshot(database_url)) == before


async def test_doctor_says_the_database_needs_adopting_and_changes_nothing(
        database_url, make_settings):
    from sync.cli.doctor import _database_check

    settings = make_settings(database_url=database_url, bot_language="en")
    await create_dashboard(database_url)
    before = await snapshot(database_url)
    check = await _database_check(settings)
    assert check.ok is True
    assert "need adopting (5 rows kept)" in check.text and "db adopt --dry-run" in check.text
    assert await snapshot(database_url) == before

    await open_database(database_url)  # adopted on start
    check = await _database_check(settings)
    assert check.ok is True and "adopt" not in check.text


async def test_doctor_names_what_blocks_adoption(database_url, make_settings):
    from sync.cli.doctor import _database_check

    await create_dashboard(database_url, "text_price")
    check = await _database_check(make_settings(database_url=database_url, bot_language="en"))
    assert check.ok is False
    assert "cannot be adopted" in check.text and "orders.price" in check.text


async def test_bot_refuses_to_start_on_a_database_it_cannot_adopt(
        tmp_path, sqlite_url, slack_api) -> None:
    from tests.fixtures.slack import BotProcess, bot_env

    await create_dashboard(sqlite_url, "no_key")
    before = await snapshot(sqlite_url)
    env = bot_env(tmp_path, slack_api, DATABASE_URL=sqlite_url, BOT_LANGUAGE="en")
    bot = await BotProcess(env).start(ready_marker=None)
    assert await bot.wait() == 2
    output = "\n".join(bot.lines)
    assert "The orders table has no key column order_number" in output, output
    assert "nothing was changed" in output and "Traceback" not in output
    assert await snapshot(sqlite_url) == before


async def test_an_adoption_that_fails_half_way_leaves_the_database_as_it_was(
        database_url, monkeypatch):
    """Columns and indexes already added when the last step fails: all rolled back (DDL is
    transactional on both databases, and adoption runs in one transaction)."""
    from sync import adopt

    await create_dashboard(database_url)
    before = await snapshot(database_url)

    def fail(conn) -> None:
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(adopt, "_stamp", fail)
    with pytest.raises(RuntimeError):
        await open_database(database_url)
    assert await snapshot(database_url) == before


async def test_slack_status_shows_old_rows_as_earlier_history(sqlite_url, make_settings):
    from bot.render.status_message import status_message

    await create_dashboard(sqlite_url)
    settings = make_settings(database_url=sqlite_url, bot_language="en")
    text_, _blocks = status_message(Presenter.for_settings(settings),
                                    await gather_status(settings, datetime.now(UTC)))
    assert "the dashboard's existing tables, not yet taken over" in text_  # status only reads
    await housekeeping.prepare(settings)  # the bot's start adopts them
    text_, _blocks = status_message(Presenter.for_settings(settings),
                                    await gather_status(settings, datetime.now(UTC)))
    line = next(line for line in text_.splitlines() if line.startswith("*Members*"))
    assert "earlier history from the old importer — failed" in line
    assert "2024-06-01 12:00" in line  # created_at (UTC 03:00) in Korea time
