"""Tables. Scenario versions are immutable (an edit stores a new version); bodies and plans sit
in their own tables so listings read metadata only."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from optimizer.law.vocabulary import RunStatus


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the whole token
    court: Mapped[str] = mapped_column(String(64))
    admin: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class Scenario(Base):
    """A scenario: its versions, and the courts whose keys may see it (`ScenarioAccess`)."""

    __tablename__ = "scenarios"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    latest_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(16))


class ScenarioVersion(Base):
    __tablename__ = "scenario_versions"
    __table_args__ = (Index("ix_versions_scenario_version", "scenario_id", "version", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    dispatcher: Mapped[str] = mapped_column(String(64))
    courts: Mapped[int] = mapped_column(Integer)
    cases: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the canonical JSON
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(16))


class ScenarioBody(Base):
    """The canonical scenario JSON of a version, zlib-compressed."""

    __tablename__ = "scenario_bodies"
    version_id: Mapped[int] = mapped_column(
        ForeignKey("scenario_versions.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class ScenarioAccess(Base):
    """The dispatcher of the latest version and its superiors in the scenario's court tree."""

    __tablename__ = "scenario_access"
    scenario_id: Mapped[str] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True)
    court: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Run(Base):
    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_status_created", "status", "created_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    params: Mapped[dict[str, Any]] = mapped_column()  # time_limit, gap, seed (after capping)
    changes: Mapped[dict[str, Any]] = mapped_column()  # {"weights": {...}, "rules": {...}}
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.QUEUED.value)
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    error: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200), default=None)
    created_by: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    solve_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    #: the finished run whose warm start this run starts from (a what-if of it), or None
    warm_from: Mapped[str | None] = mapped_column(String(32), default=None)
    #: 'plan', or a workbench job that re-solves: 'explain', 'officers', 'sweep' (its answer in
    #: `RunResult`; its question in `task`, e.g. the base run and the cases asked)
    kind: Mapped[str] = mapped_column(String(16), default="plan", server_default="plan")
    task: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class RunPlan(Base):
    """The plan of a finished run (Plan.to_json, zlib-compressed)."""

    __tablename__ = "run_plans"
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class RunResult(Base):
    """The answer of a finished workbench job (its JSON document, zlib-compressed)."""

    __tablename__ = "run_results"
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class RunWarmStart(Base):
    """What a what-if run of this one starts from: each piece's cuts, LP basis and officers
    (`optimizer/io/warmfile.py`, a NumPy archive). A solver's cache, not a record."""

    __tablename__ = "run_warm_starts"
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntry(Base):
    """Who did what, when, to which scenario (by hash). Never names of parties."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    key_id: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40))
    scenario_id: Mapped[str | None] = mapped_column(String(32), default=None)
    run_id: Mapped[str | None] = mapped_column(String(32), default=None)
    content_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    #: the key a key action (key.create, key.revoke) concerns; None for other actions
    subject: Mapped[str | None] = mapped_column(String(64), default=None)


class WorkerBeat(Base):
    """A running worker's heartbeat (心跳): written when it starts, renewed every
    COURTPLAN_WORKER_BEAT_SECONDS, deleted when it stops. A worker killed outright leaves its row
    to age: a row not renewed for three beats is a dead worker (/health/ready, /metrics)."""

    __tablename__ = "workers"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid, as in runs.worker
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    run_id: Mapped[str | None] = mapped_column(String(32), default=None)  # what it solves now
