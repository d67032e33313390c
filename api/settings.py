"""Service settings from the environment (prefix COURTPLAN_), e.g. COURTPLAN_DATA_DIR."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COURTPLAN_", extra="ignore")

    data_dir: Path = Field(Path("courtplan-data"), description=(
        "COURTPLAN_DATA_DIR: where the embedded SQLite database lives (created 0700, files 0600)."))
    database_url: str | None = Field(None, description=(
        "COURTPLAN_DATABASE_URL: a SQLAlchemy URL (postgresql+psycopg://user@host/db) to use "
        "instead of the embedded SQLite file."))
    max_body_bytes: int = Field(256 * 1024 * 1024, gt=0, description="Largest accepted request body.")
    body_timeout: float = Field(30.0, gt=0, description="Seconds a client may pause mid-body.")
    # the whole request, however steadily it trickles (api/deadlines.py)
    header_timeout: float = Field(10.0, gt=0, description=(
        "Seconds from a request's first byte to the end of its head (request line and headers)."))
    body_deadline: float = Field(120.0, gt=0, description=(
        "Seconds from the end of a request's head to the end of its body."))
    default_time_limit: float = Field(60.0, gt=0, description="A run's time limit when none is given.")
    max_time_limit: float = Field(600.0, gt=0, description="Cap on any run's time limit.")
    lease_seconds: float = Field(30.0, gt=0, description=(
        "A running run whose worker has not renewed its lease for this long is interrupted."))
    progress_interval: float = Field(0.5, gt=0, description="Least seconds between progress writes.")
    poll_interval: float = Field(0.25, gt=0, description="How often a worker looks for cancels / work.")
    cors_origins: list[str] = Field(default_factory=list, description=(
        "Origins allowed to call the API from a browser (CORS); empty = CORS off."))
    max_small_body_bytes: int = Field(1 << 20, gt=0, description=(
        "Largest body of the routes that take no scenario or workbook (runs, keys): api/limits.py."))
    # heavy inputs and outputs run in bounded child processes (api/sandbox.py)
    child_memory_bytes: int = Field(6 << 30, ge=64 << 20, description=(
        "Memory a child reading a large scenario or workbook, or building a run's file, may use "
        "(a national scenario takes 2.3 GB)."))
    child_seconds: float = Field(300.0, gt=0, description="Deadline of such a child.")
    child_slots: int = Field(2, ge=1, le=64, description="Such children at once per HTTP process.")
    # health (api/health.py): a worker is alive while it renews its heartbeat row
    worker_beat_seconds: float = Field(5.0, gt=0, description=(
        "How often a worker renews its heartbeat; a worker silent for three beats counts as dead."))
    queue_wait_seconds: float = Field(600.0, gt=0, description=(
        "A run queued longer than this makes /health/ready answer 503 (no worker takes runs)."))
    # watching the service (api/metrics.py, docs/operations.md)
    access_log: Literal["text", "json", "off"] = Field("text", description=(
        "One line per request: uvicorn's text line, one JSON object, or none."))
    metrics_token: str | None = Field(None, min_length=16, description=(
        "The bearer token Prometheus presents to read /metrics; unset: /metrics is off (404)."))

    def url(self) -> str:
        """The database URL: COURTPLAN_DATABASE_URL, else the SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'courtplan.sqlite3').resolve()}"

    def where(self) -> str:
        """Where the data lives, for the start-up log (no password shown)."""
        if self.database_url:
            from sqlalchemy.engine import make_url

            return f"PostgreSQL {make_url(self.database_url).render_as_string(hide_password=True)}"
        return f"SQLite {(self.data_dir / 'courtplan.sqlite3').resolve()}"
