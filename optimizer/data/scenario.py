"""The scenario file format (JSON, UTF-8): courts, places, cases, weights and rules.

These pydantic models *are* the format: `courtplan schema` prints the JSON Schema generated
from them. They check each record on its own (types, ranges, finite numbers); checks that need
several records (references, cycles, levels) live in `validate.py`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT_VERSION = 1

NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
PosFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=73.0, le=135.5, allow_inf_nan=False)]  # China's extent
Latitude = Annotated[float, Field(ge=3.0, le=53.6, allow_inf_nan=False)]
Id = Annotated[str, Field(min_length=1, max_length=64)]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _CaseRecord(BaseModel):
    """Records that exist once per case or asset (10^6 of them nationally). Not frozen: frozen
    models cost 30 % more to validate (25 s → 18 s for 300,000 cases); treat them as read-only."""

    model_config = ConfigDict(extra="forbid")


class Level(StrEnum):
    SUPREME = "supreme"  # 最高人民法院 (dispatcher of a national scenario)
    HIGH = "high"  # 高级人民法院
    INTERMEDIATE = "intermediate"  # 中级人民法院
    BASIC = "basic"  # 基层人民法院


class PartyKind(StrEnum):
    PERSON = "person"  # 自然人
    COMPANY = "company"  # 企业
    STATE_OWNED = "state_owned"  # 国有企业
    GOVERNMENT = "government"  # 党政机关


class AssetKind(StrEnum):
    DEPOSIT = "deposit"  # 存款、理财、证券
    REAL_ESTATE = "real_estate"  # 不动产、土地使用权
    VEHICLE = "vehicle"  # 车辆、设备
    EQUITY = "equity"  # 股权、债权、基金份额、知识产权


class PriorAction(StrEnum):
    NONE = "none"
    SUPERVISED_DEADLINE_MISSED = "supervised_deadline_missed"  # 督促期满未执结 (执行程序解释 Art. 12)
    DESIGNATED = "designated"  # 已指令执行过 (no ping-pong)


# Case-level enums are validated as Literal strings: 15 % faster than Enum at 10^6 records.
# The values equal the StrEnum members above, which code compares against.
PartyKindLiteral = Literal["person", "company", "state_owned", "government"]
AssetKindLiteral = Literal["deposit", "real_estate", "vehicle", "equity"]
PriorActionLiteral = Literal["none", "supervised_deadline_missed", "designated"]


class Place(_Record):
    """An administrative region (行政区划) where courts sit and parties and assets lie."""

    id: Id = Field(description="Administrative code (行政区划代码), e.g. '331102'.")
    name: str = Field(min_length=1, description="Chinese name, e.g. '莲都区'.")
    lon: Longitude
    lat: Latitude


class Court(_Record):
    """A people's court with its enforcement bureau (执行局)."""

    id: Id
    name: str = Field(min_length=1, description="Chinese name, e.g. '丽水市莲都区人民法院'.")
    level: Level
    parent: Id | None = Field(None, description="Court one level up (上一级法院); null at the top.")
    place: Id = Field(description="Place (region code) where the court sits.")
    officers: int = Field(ge=0, description="Enforcement officers (执行人员).")
    teams: int = Field(ge=1, description="Enforcement teams (执行团队).")
    open_caseload: NonNegFloat = Field(
        description="Open enforcement caseload in workload units, listed cases included."
    )
    cases_per_officer: PosFloat = Field(
        description="Workload units one officer can carry in the planning period."
    )


class Party(_CaseRecord):
    name: str = Field(min_length=1)
    kind: PartyKindLiteral
    place: Id = Field(description="Domicile (住所地) place id.")


class Asset(_CaseRecord):
    id: Id
    kind: AssetKindLiteral
    place: Id = Field(description="Place where the asset lies (财产所在地).")
    value: NonNegFloat = Field(description="Estimated value in yuan.")


class CaseFlags(_CaseRecord):
    interference: bool = Field(False, description="不当干预 / 地方保护 suspected.")
    passive_handling: bool = Field(False, description="消极执行 by the current team.")
    complex: bool = Field(False, description="重大疑难复杂, needs upper-court coordination.")


class ApplicantWish(_CaseRecord):
    objects_to_transfer: bool = Field(False, description="申请执行人反对变更执行法院.")
    requests_escalation: bool = Field(False, description="申请执行人依第237条申请上一级法院执行.")
    preferred_court: Id | None = None


class Case(_CaseRecord):
    """A troubled enforcement case (执行案件) under consideration."""

    id: Id = Field(description="案号, e.g. '（2024）浙1102执1234号'.")
    court: Id = Field(description="Current executing court.")
    filed: dt.date = Field(description="Filing date (立案日期).")
    excluded_days: int = Field(
        0, ge=0, description="Days excluded from the Art. 237 clock (公告、鉴定评估、中止…)."
    )
    property_found: dt.date | None = Field(
        None, description="When property was found during execution (执行程序解释 Art. 10(2)): "
        "the Art. 237 clock for it runs from this date instead of the filing date.")
    amount: NonNegFloat = Field(description="Amount to execute (执行标的), yuan.")
    workload: PosFloat = Field(1.0, description="Workload weight in caseload units.")
    applicant: Party
    debtor: Party
    debtor_id: Id = Field(description="Links the related cases of one debtor (关联案件).")
    assets: tuple[Asset, ...] = ()
    act_obligation: bool = Field(False, description="An obligation to act (行为义务) is executed.")
    flags: CaseFlags = CaseFlags()
    wish: ApplicantWish = ApplicantWish()
    prior_action: PriorActionLiteral = "none"


class Period(_Record):
    start: dt.date = Field(description="First day of the planning period; the Art. 237 clock date.")
    end: dt.date


class Weights(_Record):
    """Objective weights, in cost points (1 point ≈ 1 minute of a party's travel)."""

    applicant_travel: NonNegFloat = Field(1.0, description="Per minute, applicant → court.")
    debtor_travel: NonNegFloat = Field(0.3, description="Per minute, debtor → court.")
    asset_travel: NonNegFloat = Field(
        1.0, description="Per minute court → asset, shared by asset value."
    )
    entrust_matter: NonNegFloat = Field(25.0, description="Fixed cost of one entrusted matter.")
    change_court: NonNegFloat = Field(60.0, description="File hand-over when the court changes.")
    applicant_objection: NonNegFloat = Field(600.0, description="Moving a case whose applicant objects.")
    preferred_court_bonus: NonNegFloat = Field(30.0, description="Saved when the wish is met.")
    mode_internal: NonNegFloat = Field(20.0, description="内部交叉")
    mode_supervise: NonNegFloat = Field(40.0, description="督促执行")
    mode_designate: NonNegFloat = Field(120.0, description="指令执行")
    mode_concentrate: NonNegFloat = Field(120.0, description="集中执行")
    mode_coordinate: NonNegFloat = Field(90.0, description="协同执行")
    mode_elevate: NonNegFloat = Field(220.0, description="提级执行")
    unresolved_passive: NonNegFloat = Field(400.0, description="Kept despite 消极执行.")
    unresolved_overdue: NonNegFloat = Field(300.0, description="Kept despite the Art. 237 clock.")
    unresolved_complex: NonNegFloat = Field(250.0, description="Complex case without help.")
    unresolved_understaffed: NonNegFloat = Field(150.0, description="Left at a short-staffed court.")
    unresolved_request: NonNegFloat = Field(300.0, description="Applicant's Art. 237 request unmet.")
    unresolved_related: NonNegFloat = Field(150.0, description="Related case not concentrated.")
    load_slopes: tuple[NonNegFloat, ...] = Field(
        (30.0, 120.0, 400.0),
        description="Cost per workload unit above the target, in rising bands (convex).",
    )
    officer_lending: NonNegFloat = Field(
        4.0, description="Per minute of travel per lent officer (协同执行)."
    )
    officer_lending_fixed: NonNegFloat = Field(
        1500.0, description="Per officer lent for the period: allowances, the lender's disruption."
    )


class Rules(_Record):
    """Rule switches (hard constraints) with their defaults."""

    target_utilisation: PosFloat = Field(1.0, description="Load per capacity where penalties start.")
    load_band_width: PosFloat = Field(
        0.15, description="Width of each penalty band, as a share of own capacity."
    )
    max_utilisation: PosFloat | None = Field(
        1.6,
        description="Hard ceiling on load per capacity for receiving courts (null = off); a court "
        "already above it may not get worse.",
    )
    understaffed_utilisation: PosFloat = Field(
        1.1, description="Utilisation before the plan above which a court is short of staff."
    )
    overdue_months: int = Field(
        6, ge=1, le=120,
        description="Art. 237 clock (民事诉讼法第237条): calendar months unexecuted, counted from the "
        "day after filing (or after property was found), net of the periods of 执行程序解释 Art. 13.")
    cases_per_lent_officer: PosFloat = Field(
        10.0, le=10_000,
        description="协同执行 for a staff shortage: how many such cases one lent officer serves in the "
        "period; a court's staffing 协同 cases need at least cases ÷ this officers borrowed.")
    min_internal_teams: int = Field(2, ge=2, description="Teams needed for 内部交叉.")
    concentrate_min_cases: int = Field(2, ge=2, description="Related cases for 集中执行.")
    concentrate_min_courts: int = Field(2, ge=1, description="Distinct courts for 集中执行.")
    allow_redesignation: bool = Field(False, description="Allow 指令 of an already designated case.")
    interference_scope: str = Field(
        "county", pattern="^(county|prefecture)$",
        description="Home locality an interference case must leave: the debtor's county or prefecture.",
    )
    lending_min_keep_share: Annotated[float, Field(ge=0, le=1)] = Field(
        0.85, description="Share of its own officers a lender keeps."
    )
    max_candidates: int = Field(8, ge=1, description="K: courts kept per case after pruning.")
    entrust_matters: bool = Field(True, description="Allow 事项委托 of single matters.")
    detour_factor: PosFloat = Field(1.3, description="Road distance per great-circle distance.")
    speed_kmh: PosFloat = Field(60.0, description="Average road speed.")


class Scenario(_Record):
    """One district to plan: the root object of a scenario file."""

    format_version: int = Field(FORMAT_VERSION, description="Must be 1.")
    name: str = Field(min_length=1)
    dispatcher: Id = Field(description="Court whose district is planned (统一调度的法院).")
    period: Period
    places: tuple[Place, ...]
    courts: tuple[Court, ...]
    cases: tuple[Case, ...]
    weights: Weights = Weights()
    rules: Rules = Rules()
