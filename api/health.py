"""Is the service well (健康检查)? `/health/live`: this HTTP process answers. `/health/ready`: the
service can do its work — the database answers, at least one worker is alive (it renewed its
heartbeat row within three beats, api/jobs.py), and no run has waited in the queue longer than
COURTPLAN_QUEUE_WAIT_SECONDS. `/health` answers the same document as `/health/ready` with 200
whatever it says (its `status` was always there: `ok`, now also `degraded`).

Workers are counted from the database, not from `serve`'s children, so workers on other hosts
(`courtplan worker` against the same PostgreSQL) count, and a `serve --workers 0` whose workers
run under systemd reports them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.db.models import Run, WorkerBeat, utcnow
from api.deps import Service
from api.settings import Settings
from optimizer.law.vocabulary import RunStatus

#: a worker whose heartbeat is older than this many beats is counted dead
BEATS_TO_DEAD = 3


class Checks(BaseModel):
    database: bool = Field(description="The database answered a query.")
    workers_alive: int = Field(description="Workers whose heartbeat is recent (any host).")
    queued: int = Field(description="Runs waiting for a worker.")
    oldest_queued_seconds: float = Field(description="How long the oldest queued run has waited (0: none).")


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"]
    checks: Checks | None = Field(None, description="Absent when the database did not answer.")
    problems: list[str] = Field(description="What is wrong, in Chinese and English; empty when ok.")


class LiveOut(BaseModel):
    status: Literal["ok"]


def aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)  # (SQLite hands back naive UTC)


def workers_alive(s: Session, settings: Settings) -> int:
    since = utcnow() - dt.timedelta(seconds=BEATS_TO_DEAD * settings.worker_beat_seconds)
    return int(s.scalar(select(func.count()).select_from(WorkerBeat).where(WorkerBeat.beat_at >= since)) or 0)


def readiness(service: Service) -> HealthOut:
    settings = service.settings
    try:
        with service.reads() as s:
            s.execute(text("SELECT 1"))
            alive = workers_alive(s, settings)
            queued, oldest = s.execute(select(func.count(), func.min(Run.created_at))
                                       .where(Run.status == RunStatus.QUEUED)).one()
    except SQLAlchemyError as e:
        return HealthOut(status="degraded", problems=[
            f"数据库无法连接 the database does not answer ({type(e).__name__}): {settings.where()}"])
    waited = max(0.0, (utcnow() - aware(oldest)).total_seconds()) if oldest is not None else 0.0
    problems = []
    if alive == 0:
        problems.append("没有存活的求解进程 no worker is alive: queued runs will not be solved "
                        "(start `courtplan worker`, or `serve --workers N`)")
    if waited > settings.queue_wait_seconds:
        problems.append(f"运行排队过久 a run has waited {waited:,.0f} s for a worker "
                        f"(more than COURTPLAN_QUEUE_WAIT_SECONDS = {settings.queue_wait_seconds:g})")
    checks = Checks(database=True, workers_alive=alive, queued=int(queued or 0),
                    oldest_queued_seconds=round(waited, 1))
    return HealthOut(status="degraded" if problems else "ok", checks=checks, problems=problems)
