"""Scheduled slots and who ran them, kept in `schedule_claims`: the unique (job_id,
scheduled_for) row lets exactly one process — and one of the job and the catch-up after a
downtime — run a slot.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from sync import runlog
from sync.db import Database
from sync.models import ScheduleClaim

log = logging.getLogger(__name__)


async def claim_slot(db: Database, job_id: str, slot: datetime, now: datetime,
                     stale_seconds: float) -> bool:
    """Claim (`job_id`, `slot`) for this process; True when it got it.

    The unique row decides between live processes. A claim whose process died before its
    run was recorded is taken over, so that a crash at the wrong moment cannot lose a slot.
    """
    try:
        async with db.write() as conn:
            await conn.execute(insert(ScheduleClaim).values(
                job_id=job_id, scheduled_for=slot, claimed_by=runlog.owner_id(),
                claimed_at=now))
    except IntegrityError:
        return await _take_over_abandoned(db, job_id, slot, now, stale_seconds)
    return True


async def _take_over_abandoned(db: Database, job_id: str, slot: datetime, now: datetime,
                               stale_seconds: float) -> bool:
    """Take a claim whose owner is gone and that never got a run; False otherwise."""
    async with db.write() as conn:
        claim = (await conn.execute(select(ScheduleClaim).where(
            ScheduleClaim.job_id == job_id, ScheduleClaim.scheduled_for == slot))).one_or_none()
        if claim is None or claim.run_id is not None or runlog.owner_alive(
                claim.claimed_by, claim.claimed_at, now, stale_seconds):
            return False
        taken = await conn.execute(
            update(ScheduleClaim)
            .where(ScheduleClaim.job_id == job_id, ScheduleClaim.scheduled_for == slot,
                   ScheduleClaim.claimed_by == claim.claimed_by)
            .values(claimed_by=runlog.owner_id(), claimed_at=now))
    log.warning("took over the %s slot from %s, which stopped before running it",
                slot.isoformat(), claim.claimed_by)
    return taken.rowcount == 1


async def record_claim_run(db: Database, job_id: str, slot: datetime, run_id: str) -> None:
    """Note which run served a claimed slot (for the record; nothing depends on it)."""
    async with db.write() as conn:
        await conn.execute(update(ScheduleClaim)
                           .where(ScheduleClaim.job_id == job_id,
                                  ScheduleClaim.scheduled_for == slot)
                           .values(run_id=run_id))
