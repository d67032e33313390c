"""API settings from the environment (prefix COURTPLAN_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COURTPLAN_")

    data_dir: Path = Field(Path("courtplan-data"), description="Where scenarios and plans are kept.")
    max_body_bytes: int = Field(256 * 1024 * 1024, gt=0, description="Largest accepted scenario.")
    default_time_limit: float = Field(60.0, gt=0)
    max_time_limit: float = Field(600.0, gt=0)
