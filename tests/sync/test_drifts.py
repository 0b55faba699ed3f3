"""The drift store on both databases: announced once, cleared when the configured locator
matches again, announced again when the drift returns; and the migration heads read
without Alembic agree with Alembic's."""

from __future__ import annotations

from datetime import timedelta

from alembic.script import ScriptDirectory

from sync import drifts
from sync.db import alembic_config, newest_revisions, open_database
from sync.models import utcnow
from sync.report import Drift

SPACED = Drift(page="members", setting="PUBL_MEMBERS_BUTTON", how="name",
               found="All Member download (CSV)")
ICON = Drift(page="orders", setting="PUBL_EXPORT_ICON_SELECTOR", how="icon_title",
             found="Download CSV")


async def test_a_drift_is_announced_once_cleared_and_announced_again(database_url):
    db = await open_database(database_url)
    now = utcnow()

    await drifts.observe(db, [SPACED, ICON], {"PUBL_LOGIN_BUTTON"}, now)
    assert await drifts.unannounced(db) == [SPACED, ICON]
    await drifts.mark_announced(db, SPACED, now)
    await drifts.observe(db, [SPACED], set(), now + timedelta(days=1))
    assert await drifts.unannounced(db) == [ICON]  # seen again: not news

    # The configured locator matches again: the drift is over.
    await drifts.observe(db, [], {"PUBL_MEMBERS_BUTTON"}, now + timedelta(days=2))
    assert await drifts.current(db) == [ICON]
    # It comes back: news again.
    await drifts.observe(db, [SPACED], set(), now + timedelta(days=3))
    assert SPACED in await drifts.unannounced(db)


def test_heads_read_from_the_files_match_alembic():
    assert newest_revisions() == set(ScriptDirectory.from_config(alembic_config()).get_heads())
