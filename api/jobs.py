"""Runs as jobs: workers claim queued runs from the database and solve each in a child process.

The database is the queue (see docs/service.md): a worker claims a run atomically (PostgreSQL:
`SELECT … FOR UPDATE SKIP LOCKED`; SQLite: one `UPDATE … WHERE status='queued'` under the write
lock), renews a lease while it works, writes throttled progress, polls the run's cancel flag
and kills the child's process group on cancel. A worker killed outright stops renewing its lease;
any worker (or the API, when the run is read) then marks the run interrupted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import multiprocessing as mp
import os
import queue
import signal
import socket
import time
import zlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api import crud
from api.db.engine import session_factory
from api.db.models import Run, RunPlan, RunResult, RunWarmStart, WorkerBeat, utcnow
from api.results import finite, summary_of
from api.settings import Settings
from optimizer.law.errors import UserError, error_item
from optimizer.law.vocabulary import Phase, RunStatus

log = logging.getLogger("courtplan.worker")
_CTX = mp.get_context("fork")
#: what the solving child sends its worker: progress events, then its plan, a job's answer or
#: its errors
_PROGRESS, _PLAN, _ANSWER, _ERROR = "progress", "plan", "answer", "error"


def claim(writes: sessionmaker[Session], worker: str, lease: float) -> tuple[str, int] | None:
    """Atomically take the oldest queued run for `worker`: (run id, scenario version row id)."""
    now = utcnow()
    with writes.begin() as s:
        pick = select(Run.id).where(Run.status == RunStatus.QUEUED).order_by(Run.created_at, Run.id).limit(1)
        if s.get_bind().dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        else:  # SQLite: the session began IMMEDIATE, so select and update are one step
            pass
        run_id = s.scalar(pick)
        if run_id is None:
            return None
        row = s.execute(update(Run).where(Run.id == run_id, Run.status == RunStatus.QUEUED).values(
            status=RunStatus.RUNNING, worker=worker, started_at=now, heartbeat_at=now, finished_at=None,
            lease_expires_at=now + dt.timedelta(seconds=lease), attempts=Run.attempts + 1,
            progress={}, error=None).returning(Run.version_id)).first()
        return (run_id, row[0]) if row else None


def _event(e: Any) -> dict[str, Any]:
    return finite({"phase": e.phase.value, "message": e.message, "elapsed": e.elapsed,
                   "pieces_done": e.pieces_done, "pieces_total": e.pieces_total,
                   "incumbent": e.incumbent, "bound": e.bound, "gap": e.gap})


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Linux: this process gets `sig` when its parent dies (a worker killed with -9 takes its
    solver along instead of leaving it burning CPU for a run nobody will record)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(sig))  # PR_SET_PDEATHSIG


def _yield_cpu() -> None:
    """Reads must never wait for solves: the solver runs in the idle scheduling class (Linux
    SCHED_IDLE: it gets a core only when nothing else wants one), or at the lowest priority
    where that class is not available. Its pool processes inherit it."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.nice(19)


def _solve_child(body: bytes, params: dict[str, Any], changes: dict[str, Any], out: Any,
                 warm: bytes | None = None, job: tuple[str, dict[str, Any], bytes | None] | None = None) -> None:
    """In the child process: plan the scenario (from the base run's warm start, if any),
    sending progress, then the plan, its summary and its own warm start, or the error: a
    `UserError` (the scenario, the changes, a job's task) as its own items, anything else as a
    fault. A workbench job (`job`: its kind, task and base plan) sends its answer instead."""
    os.setpgid(0, 0)  # its own process group: a cancel kills the solver's helpers too
    die_with_parent()
    _yield_cpu()  # solves yield the CPU to the API's readers
    try:
        if job is not None:
            out.put((_ANSWER, _job_answer(body, params, out, *job)))
        else:
            out.put((_PLAN, _plan(body, params, changes, out, warm)))
    except UserError as e:
        out.put((_ERROR, e.items(where="changes" if job is None else "task")))
    except Exception as e:  # reported, not hidden: the worker logs it and the run is failed
        log.exception("run failed")
        out.put((_ERROR, [error_item("(run)", None, f"internal error in the solver: {type(e).__name__}")]))


def _plan(body: bytes, params: dict[str, Any], changes: dict[str, Any], out: Any,
          warm: bytes | None) -> tuple[str, dict[str, Any], bytes | None]:
    from optimizer.data.read import parse_scenario
    from optimizer.io.warmfile import read_warm, warm_bytes
    from optimizer.pipeline import Changes, plan_scenario
    from optimizer.solver.params import SolveParams

    scenario = parse_scenario(body)
    try:
        start = read_warm(warm, "the base run's warm start") if warm else None
    except (ValueError, TypeError):  # (a WarmFileError is a ValueError) damaged: only slower
        log.warning("the base run's warm start is unreadable; planning without it")
        start = None
    plan = plan_scenario(scenario, Changes.model_validate(changes),
                         SolveParams(**params, keep_warm_start=True),
                         lambda e: out.put((_PROGRESS, _event(e))), warm_start=start)
    kept = warm_bytes(plan.warm_starts) if plan.warm_starts else None
    return plan.to_json(), summary_of(plan).model_dump(), kept


def _job_answer(body: bytes, params: dict[str, Any], out: Any, kind: str, task: dict[str, Any],
                plan_zlib: bytes | None) -> bytes:
    """A workbench job's answer (its JSON, compressed), with progress by re-solves done."""
    import json

    from api.workbench import run_job

    t0 = time.monotonic()

    def progress(done: int, total: int, message: str) -> None:
        out.put((_PROGRESS, {"phase": Phase.SOLVE.value, "message": message, "elapsed": time.monotonic() - t0,
                              "pieces_done": done, "pieces_total": total}))

    answer = run_job(kind, body, plan_zlib, task, params, progress)
    return zlib.compress(json.dumps(answer, ensure_ascii=False).encode("utf-8"), 6)


def _job(s: Session, run: Run) -> tuple[str, dict[str, Any], bytes | None] | None:
    """A workbench job's kind, task and its base run's plan (compressed); None for a plan."""
    if run.kind == "plan":
        return None
    task = dict(run.task or {})
    base = s.get(RunPlan, task["base_run"]) if task.get("base_run") else None
    return run.kind, task, bytes(base.body) if base is not None else None


@dataclass
class _Job:
    run_id: str
    proc: Any
    out: Any
    t0: float
    pending: dict[str, Any] | None = None
    last_write: float = 0.0
    next_beat: float = 0.0


class Worker:
    """One worker process's loop. `name` identifies it in the run rows (host:pid)."""

    def __init__(self, settings: Settings, engine: Engine, name: str | None = None,
                 parent: int | None = None):
        self.settings = settings
        #: the supervising `serve`'s pid: the worker stops when its parent is no longer that one
        self.parent = parent
        self.engine = engine
        self.reads = session_factory(engine)
        self.writes = session_factory(engine, writes=True)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = False
        self._next_heartbeat = 0.0

    def run(self, once: bool = False, idle_exit: float | None = None) -> int:
        """Work until stopped (SIGTERM/SIGINT); `once`: one run at most; `idle_exit`: stop after
        that many idle seconds. Returns how many runs it finished."""
        # the worker and the solver processes it starts (which inherit this) yield the CPU to
        # the API's readers from their first instruction: imports and parsing included
        _yield_cpu()
        try:
            self.heartbeat(force=True)
            return self._loop(once, idle_exit)
        finally:
            self._forget()

    def _loop(self, once: bool, idle_exit: float | None) -> int:
        done = 0
        idle_since = time.monotonic()
        while not self.stopping:
            if self.orphaned():
                log.warning("worker %s: the serve process %s is gone; stopping", self.name, self.parent)
                break
            self.heartbeat()
            try:
                with self.writes.begin() as s:
                    crud.interrupt_expired(s)
                claimed = claim(self.writes, self.name, self.settings.lease_seconds)
            except OperationalError as e:  # a busy or briefly unreachable database: try again
                log.warning("worker %s: database busy (%s); retrying", self.name,
                            type(e.orig).__name__ if e.orig is not None else "OperationalError")
                time.sleep(self.settings.poll_interval)
                continue
            if claimed is None:
                if once or (idle_exit is not None and time.monotonic() - idle_since > idle_exit):
                    break
                time.sleep(self.settings.poll_interval)
                continue
            self.heartbeat(claimed[0], force=True)
            self.execute(*claimed)
            self.heartbeat(force=True)
            done += 1
            idle_since = time.monotonic()
            if once:
                break
        return done

    def heartbeat(self, run_id: str | None = None, force: bool = False) -> None:
        """Renew this worker's row in `workers` (at most every COURTPLAN_WORKER_BEAT_SECONDS
        unless forced): what /health/ready and /metrics count as a worker alive. A failed write
        (database busy, disk full) is logged and tried again at the next beat: a heartbeat never
        ends the worker."""
        now = time.monotonic()
        if not force and now < self._next_heartbeat:
            return
        self._next_heartbeat = now + self.settings.worker_beat_seconds
        t = utcnow()
        try:
            with self.writes.begin() as s:
                row = s.get(WorkerBeat, self.name)
                if row is None:
                    s.add(WorkerBeat(name=self.name, started_at=t, beat_at=t, run_id=run_id))
                else:
                    row.beat_at, row.run_id = t, run_id
                # rows of workers killed long ago (a clean stop deletes its own)
                s.execute(delete(WorkerBeat).where(WorkerBeat.beat_at < t - dt.timedelta(days=1)))
        except SQLAlchemyError as e:
            log.warning("worker %s: heartbeat not written (%s)", self.name, type(e).__name__)

    def _forget(self) -> None:
        """A worker that stops cleanly takes its row away (it is not a dead worker)."""
        with contextlib.suppress(SQLAlchemyError), self.writes.begin() as s:
            s.execute(delete(WorkerBeat).where(WorkerBeat.name == self.name))

    def orphaned(self) -> bool:
        """Started by a `serve` that has died (where the parent-death signal did not come)."""
        return self.parent is not None and os.getppid() != self.parent

    def execute(self, run_id: str, version_id: int) -> None:
        with self.reads() as s:
            run = s.get_one(Run, run_id)
            params, changes = dict(run.params), dict(run.changes)
            start = s.get(RunWarmStart, run.warm_from) if run.warm_from else None
            warm = bytes(start.body) if start is not None else None
            question = _job(s, run)
            try:
                body = crud.scenario_body(s, version_id)
            except ValueError as e:
                self._finish(run_id, RunStatus.FAILED, error=[error_item("(scenario)", None, str(e))])
                return
        out = _CTX.Queue()
        self.engine.dispose()  # no pooled connection is shared with the child
        proc = _CTX.Process(target=_solve_child, args=(body, params, changes, out, warm, question),
                            daemon=True)
        proc.start()
        log.info("run %s: solving in process %s", run_id, proc.pid)
        job = _Job(run_id, proc, out, time.monotonic())
        try:
            self._watch(job)
        except BaseException:  # stopped (SIGTERM, Ctrl-C) mid-run: the solver goes too
            self._kill(job)
            self._finish(run_id, RunStatus.INTERRUPTED, error=[error_item(
                "(run)", None, "the worker was stopped during the run; requeue to run again")])
            raise

    def _watch(self, job: _Job) -> None:
        poll = self.settings.poll_interval
        while True:
            try:
                kind, payload = job.out.get(timeout=poll)
            except queue.Empty:
                kind, payload = None, None
            if kind == _PROGRESS:
                job.pending = payload
            elif kind is not None:
                self._result(job, kind, payload)
                return
            elif not job.proc.is_alive():
                self._finish(job.run_id, RunStatus.FAILED, error=[error_item("(run)", None, (
                    f"the solver process ended without a result (exit code {job.proc.exitcode})"))])
                return
            if not self._beat(job):
                return
            self.heartbeat(job.run_id)
            if self.orphaned():  # as a SIGTERM would: the run is marked interrupted
                raise SystemExit(0)

    def _beat(self, job: _Job) -> bool:
        """Look at the cancel flag (every poll), write pending progress (throttled) and renew
        the lease (a few times per lease). False when the run is over for this worker
        (cancelled, or no longer ours)."""
        now = time.monotonic()
        values: dict[str, Any] = {}
        if job.pending is not None and now - job.last_write >= self.settings.progress_interval:
            values["progress"], job.pending, job.last_write = job.pending, None, now
        if not values and now < job.next_beat:
            with self.reads() as s:  # a read: no write lock taken for the common case
                seen = s.execute(select(Run.cancel_requested, Run.worker, Run.status)
                                 .where(Run.id == job.run_id)).first()
            if seen is not None and not seen[0] and seen[1] == self.name and seen[2] == RunStatus.RUNNING:
                return True
        job.next_beat = now + min(self.settings.lease_seconds / 4, 5.0)
        t = utcnow()
        values.update(heartbeat_at=t, lease_expires_at=t + dt.timedelta(seconds=self.settings.lease_seconds))
        with self.writes.begin() as s:
            row = s.execute(update(Run).where(Run.id == job.run_id, Run.worker == self.name,
                                              Run.status == RunStatus.RUNNING).values(**values)
                            .returning(Run.cancel_requested)).first()
        if row is None or row[0]:
            self._kill(job)
            if row is not None:
                self._finish(job.run_id, RunStatus.CANCELLED, elapsed=now - job.t0)
                log.info("run %s: cancelled", job.run_id)
            else:
                log.warning("run %s: no longer held by this worker; abandoned", job.run_id)
            return False
        return True

    @staticmethod
    def _kill(job: _Job) -> None:
        try:
            os.killpg(job.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            job.proc.kill()
        job.proc.join(5)

    def _result(self, job: _Job, kind: str, payload: Any) -> None:
        elapsed = time.monotonic() - job.t0
        job.proc.join(5)
        status = RunStatus.FAILED if kind == _ERROR else RunStatus.DONE
        if kind == _PLAN:
            plan_json, summary, warm = payload
            self._finish(job.run_id, status, summary=summary, plan=plan_json.encode("utf-8"), elapsed=elapsed,
                         progress=job.pending, warm=warm)
        elif kind == _ANSWER:
            self._finish(job.run_id, status, answer=payload, elapsed=elapsed, progress=job.pending)
        else:
            self._finish(job.run_id, status, error=payload, elapsed=elapsed)
        log.info("run %s: %s in %.1f s", job.run_id, status.value, elapsed)

    def _finish(self, run_id: str, status: RunStatus, *, summary: dict[str, Any] | None = None,
                plan: bytes | None = None, error: list[Any] | None = None, elapsed: float | None = None,
                progress: dict[str, Any] | None = None, warm: bytes | None = None,
                answer: bytes | None = None) -> None:
        """Record how the run ended, if it is still this worker's. A cancel acknowledged (202)
        before this point wins: the run ends `cancelled` and what the solver made is dropped.
        The row is locked first (PostgreSQL `FOR UPDATE`; SQLite's write transaction holds the
        database's one write lock), so a cancel arriving meanwhile waits and then finds the run
        ended (409) — one outcome, never a 202 for a run that ends `done`."""
        with self.writes.begin() as s:
            held = s.execute(select(Run.cancel_requested).where(
                Run.id == run_id, Run.worker == self.name, Run.status == RunStatus.RUNNING)
                .with_for_update()).first()
            if held is None:
                log.warning("run %s: no longer held by this worker; its %s result is not recorded", run_id, status)
                return
            if held[0] and status != RunStatus.CANCELLED:
                log.info("run %s: cancelled while it ended (%s dropped)", run_id, status)
                status, summary, plan, error, warm, answer = RunStatus.CANCELLED, None, None, None, None, None
            values: dict[str, Any] = dict(status=status, finished_at=utcnow(), summary=summary, error=error,
                                          solve_seconds=elapsed, lease_expires_at=None)
            if progress is not None:
                values["progress"] = progress
            s.execute(update(Run).where(Run.id == run_id).values(**values))
            if answer is not None:
                s.merge(RunResult(run_id=run_id, body=answer))
            if plan is not None:
                s.merge(RunPlan(run_id=run_id, body=zlib.compress(plan, 6)))
                if warm is not None:  # (already compressed: a NumPy archive)
                    s.merge(RunWarmStart(run_id=run_id, body=warm))
