"""Reading and writing the service's rows. Every function takes a session and commits nothing:
the caller owns the transaction. Access is by district: a key sees a scenario when the key's
court is the scenario's dispatcher or a superior of it in the scenario's own court tree."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import zlib
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session

from api.db.models import ApiKey, AuditEntry, Run, Scenario, ScenarioAccess, ScenarioBody, ScenarioVersion, utcnow
from api.offload import CheckedScenario
from api.security import Principal, new_key
from optimizer.data.scenario import Scenario as ScenarioData
from optimizer.data.validate import Defect, ScenarioError
from optimizer.law.errors import error_item
from optimizer.law.vocabulary import RUN_CANCELLABLE, RUN_REQUEUEABLE, RunStatus


def new_id() -> str:
    return uuid.uuid4().hex


def dispatcher_and_superiors(s: ScenarioData | CheckedScenario) -> list[str]:
    """The courts whose keys may see the scenario: the dispatcher and its superiors (parent,
    parent's parent, …) in the scenario's tree — upwards, where the district
    (`optimizer.data.validate.courts_at_and_below`) goes down."""
    parent = {c.id: c.parent for c in s.courts}
    chain: list[str] = []
    court: str | None = s.dispatcher
    while court is not None and court not in chain:
        chain.append(court)
        court = parent.get(court)
    return chain


def audit(session: Session, who: Principal, action: str, scenario_id: str | None = None,
          run_id: str | None = None, content_hash: str | None = None, subject: str | None = None) -> None:
    """An audit entry in the caller's transaction: it is stored with the change it records, or
    not at all. `subject`: the key a key action concerns."""
    session.add(AuditEntry(key_id=who.key_id, action=action, scenario_id=scenario_id,
                           run_id=run_id, content_hash=content_hash, subject=subject))


def _visible(stmt: Any, who: Principal) -> Any:
    return stmt.join(ScenarioAccess, ScenarioAccess.scenario_id == Scenario.id).where(
        ScenarioAccess.court == who.court)


def scenario_version(session: Session, who: Principal, sid: str,
                     version: int | None = None) -> ScenarioVersion | None:
    """A version (default: the latest) of a scenario the key may see, else None."""
    stmt = _visible(select(ScenarioVersion).join(Scenario, Scenario.id == ScenarioVersion.scenario_id),
                    who).where(Scenario.id == sid)
    stmt = stmt.where(ScenarioVersion.version == (version or Scenario.latest_version))
    return session.scalars(stmt).first()


def store_scenario(session: Session, who: Principal, s: ScenarioData | CheckedScenario,
                   sid: str | None = None) -> ScenarioVersion:
    """Store `s` as a new scenario (sid None) or as the next version of `sid` (which the caller
    has checked is visible). The key's court must be in the new version's district too."""
    district = dispatcher_and_superiors(s)
    if who.court not in district:
        raise ScenarioError([Defect("dispatcher", s.dispatcher, (
            f"court {who.court} (of this API key) is neither the dispatcher nor a superior of it "
            "in the scenario's court tree, so the key could not see the scenario"))])
    canonical = s.model_dump_json().encode("utf-8")
    if sid is None:
        sid = new_id()
        row = Scenario(id=sid, latest_version=1, created_by=who.key_id)
        session.add(row)
        session.flush()
        redistricted = False
    else:
        row = session.get_one(Scenario, sid, with_for_update=True)
        redistricted = _district_changes(session, who, sid, row.latest_version, s, district)
        row.latest_version += 1
        if redistricted:  # (an admin's act: who sees the scenario, every version, changes)
            session.execute(delete(ScenarioAccess).where(ScenarioAccess.scenario_id == sid))
    version = ScenarioVersion(
        scenario_id=sid, version=row.latest_version, name=s.name, dispatcher=s.dispatcher,
        courts=len(s.courts), cases=len(s.cases), size_bytes=len(canonical),
        content_hash=hashlib.sha256(canonical).hexdigest(), created_by=who.key_id)
    session.add(version)
    session.flush()
    session.add(ScenarioBody(version_id=version.id, body=zlib.compress(canonical, 6)))
    if row.latest_version == 1 or redistricted:
        session.add_all(ScenarioAccess(scenario_id=sid, court=c) for c in district)
    audit(session, who, "scenario.create" if row.latest_version == 1 else "scenario.update", sid,
          content_hash=version.content_hash)
    if redistricted:
        audit(session, who, "scenario.redistrict", sid, content_hash=version.content_hash)
    return version


def _district_changes(session: Session, who: Principal, sid: str, latest: int,
                      s: ScenarioData | CheckedScenario, district: list[str]) -> bool:
    """Whether the new version of `sid` changes its district (the dispatcher, or the chain of
    superiors above it). Who sees a scenario — every stored version of it — follows its
    district, so a later version must not change it: that is a new scenario (422 naming the
    field), or an admin's act (True: allowed, and audited as scenario.redistrict)."""
    before = set(session.scalars(select(ScenarioAccess.court).where(ScenarioAccess.scenario_id == sid)))
    dispatcher = session.scalar(select(ScenarioVersion.dispatcher).where(
        ScenarioVersion.scenario_id == sid, ScenarioVersion.version == latest))
    if dispatcher == s.dispatcher and before == set(district):
        return False
    if who.admin:
        return True
    new_scenario = ("; store it as a new scenario (POST /scenarios), or have an admin key of the "
                    "district make the change (it is audited) — 调度法院或上级链变更即为新方案")
    if dispatcher != s.dispatcher:
        raise ScenarioError([Defect("dispatcher", s.dispatcher, (
            f"the dispatcher changes from {dispatcher} to {s.dispatcher}: the courts that see this "
            "scenario's stored versions would change" + new_scenario))])
    courts: list[Any] = list(s.courts)  # (Court or CourtLink: both have id and parent)
    index = {c.id: i for i, c in enumerate(courts)}
    for i, court in enumerate(district):  # the first link of the chain that differs
        parent = district[i + 1] if i + 1 < len(district) else None
        if (parent not in before) if parent is not None else bool(before - set(district)):
            raise ScenarioError([Defect(f"courts[{index[court]}].parent", court, (
                f"the chain of superiors above the dispatcher changes here (before: "
                f"{', '.join(sorted(before))}; now: {', '.join(district)}): the courts that see this "
                "scenario's stored versions would change" + new_scenario))])
    raise ScenarioError([Defect("courts", None, "the chain of superiors above the dispatcher changes"
                                + new_scenario)])  # (not reached: a changed chain has a first link)


def list_scenarios(session: Session, who: Principal, limit: int,
                   offset: int) -> tuple[list[tuple[ScenarioVersion, int]], int]:
    """Latest versions the key may see, newest first, read from metadata only."""
    base = _visible(select(ScenarioVersion, Scenario.latest_version).join(
        Scenario, (Scenario.id == ScenarioVersion.scenario_id)
        & (ScenarioVersion.version == Scenario.latest_version)), who)
    total = session.scalar(_visible(select(func.count()).select_from(Scenario), who)) or 0
    rows = session.execute(base.order_by(ScenarioVersion.created_at.desc(), ScenarioVersion.id.desc())
                           .limit(limit).offset(offset)).all()
    return [(row[0], row[1]) for row in rows], total


def list_versions(session: Session, sid: str, limit: int, offset: int) -> tuple[list[ScenarioVersion], int]:
    total = session.scalar(select(func.count()).select_from(ScenarioVersion)
                           .where(ScenarioVersion.scenario_id == sid)) or 0
    rows = session.scalars(select(ScenarioVersion).where(ScenarioVersion.scenario_id == sid)
                           .order_by(ScenarioVersion.version.desc()).limit(limit).offset(offset))
    return list(rows), total


def scenario_body(session: Session, version_id: int) -> bytes:
    """The stored canonical JSON of a version; ValueError if the stored bytes are damaged."""
    row = session.get(ScenarioBody, version_id)
    if row is None:
        raise ValueError("the stored scenario body is missing")
    try:
        return zlib.decompress(row.body)
    except zlib.error:
        raise ValueError("the stored scenario body is damaged") from None


def visible_run(session: Session, who: Principal, run_id: str) -> Run | None:
    stmt = _visible(select(Run).join(Scenario, Scenario.id == Run.scenario_id), who).where(Run.id == run_id)
    return session.scalars(stmt).first()


def run_version(session: Session, run: Run) -> int:
    return session.scalar(select(ScenarioVersion.version).where(ScenarioVersion.id == run.version_id)) or 0


def list_runs(session: Session, sid: str, limit: int, offset: int,
              kind: str | None = None) -> tuple[list[Run], int]:
    where = [Run.scenario_id == sid, *([Run.kind == kind] if kind else [])]
    total = session.scalar(select(func.count()).select_from(Run).where(*where)) or 0
    rows = session.scalars(select(Run).where(*where)
                           .order_by(Run.created_at.desc(), Run.id).limit(limit).offset(offset))
    return list(rows), total


def queue_run(session: Session, who: Principal, v: ScenarioVersion, params: dict[str, Any],
              changes: dict[str, Any], *, kind: str = "plan", task: dict[str, Any] | None = None,
              warm_from: str | None = None, action: str = "run.create") -> Run:
    """A new queued run of version `v` (a plan, or a workbench job of `kind` asking `task`),
    audited as `action`; the workers take it from the queue."""
    run = Run(id=new_id(), scenario_id=v.scenario_id, version_id=v.id, created_by=who.key_id,
              params=params, changes=changes, status=RunStatus.QUEUED, progress={}, warm_from=warm_from,
              kind=kind, task=task)
    session.add(run)
    audit(session, who, action, v.scenario_id, run.id, v.content_hash)
    session.flush()
    return run


def cancel_run(session: Session, who: Principal, run: Run) -> bool:
    """Cancel `run` (audited), or False if it had already ended. One conditional UPDATE
    decides, so a cancel racing the worker's finish cannot be acknowledged and then lose (the
    worker's finish locks the row): a queued run ends `cancelled` at once; a running one gets
    the flag its worker polls (it kills the solver, and what the solver finishes is dropped)."""
    queued = Run.status == RunStatus.QUEUED
    decided = session.execute(
        update(Run).where(Run.id == run.id, Run.status.in_(RUN_CANCELLABLE))
        .values(cancel_requested=True, status=case((queued, RunStatus.CANCELLED.value), else_=Run.status),
                finished_at=case((queued, utcnow()), else_=Run.finished_at))
        .returning(Run.status).execution_options(synchronize_session=False)).first()
    session.refresh(run)
    if decided is None:
        return False
    audit(session, who, "run.cancel", run.scenario_id, run.id, _content_hash(session, run))
    session.flush()
    return True


def requeue_run(session: Session, who: Principal, run: Run) -> bool:
    """Queue `run` again with the same parameters (audited), its last attempt's traces cleared,
    or False if it is not requeueable (`RUN_REQUEUEABLE`). One conditional UPDATE decides: of
    several requeues at once, one succeeds (the run is queued once)."""
    decided = session.execute(
        update(Run).where(Run.id == run.id, Run.status.in_(RUN_REQUEUEABLE)).values(
            status=RunStatus.QUEUED, cancel_requested=False, worker=None, progress={}, summary=None,
            error=None, started_at=None, finished_at=None, heartbeat_at=None, lease_expires_at=None,
            solve_seconds=None, created_at=utcnow()).returning(Run.id)
        .execution_options(synchronize_session=False)).first()
    session.refresh(run)
    if decided is None:
        return False
    audit(session, who, "run.requeue", run.scenario_id, run.id, _content_hash(session, run))
    session.flush()
    return True


def _content_hash(session: Session, run: Run) -> str | None:
    """The content hash of the scenario version the run plans (for its audit entries)."""
    return session.scalar(select(ScenarioVersion.content_hash).where(ScenarioVersion.id == run.version_id))


def create_key(session: Session, who: Principal, court: str, admin: bool,
               label: str = "") -> tuple[ApiKey, str]:
    """A new API key bound to `court` (audited): its row and its token (shown once)."""
    row, token = new_key(session, court, admin, label)
    session.flush()
    audit(session, who, "key.create", subject=row.id)
    return row, token


def revoke_key(session: Session, who: Principal, row: ApiKey) -> bool:
    """Revoke the key (audited); False if it was revoked already."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit(session, who, "key.revoke", subject=row.id)
    session.flush()
    return True


def interrupt_expired(session: Session, now: dt.datetime | None = None, run_id: str | None = None) -> int:
    """End running runs whose worker's lease has expired (the worker died or lost the
    database): `cancelled` when a cancel was acknowledged (that answer holds), else
    `interrupted`; returns how many. Their stored rows are otherwise left as they were."""
    now = now or utcnow()
    expired = update(Run).where(Run.status == RunStatus.RUNNING, Run.lease_expires_at < now)
    if run_id is not None:
        expired = expired.where(Run.id == run_id)
    cancelled = session.execute(expired.where(Run.cancel_requested.is_(True)).values(
        status=RunStatus.CANCELLED, finished_at=now))
    interrupted = session.execute(expired.where(Run.cancel_requested.is_(False)).values(
        status=RunStatus.INTERRUPTED, finished_at=now, error=[error_item(
            "(run)", None, "the worker stopped renewing its lease (killed or cut off); requeue to run again")]))
    return int(getattr(cancelled, "rowcount", 0) or 0) + int(getattr(interrupted, "rowcount", 0) or 0)
