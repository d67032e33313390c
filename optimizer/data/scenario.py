"""The scenario file format (JSON, UTF-8): courts, places, cases, weights and rules.

These pydantic models *are* the format: `courtplan schema` prints the JSON Schema generated
from them. They check each record on its own (types, ranges, finite numbers); checks that need
several records (references, cycles, levels) live in `validate.py`.

Every number has an upper bound, stated in its description: a count or quantity far beyond any
real court (10^20 officers) would overflow numpy's int64 later, and a weight or rule far beyond any
sensible setting could make the objective infinite. Within the bounds the objective stays finite
(travel ≤ 5,000 km × detour 5 ÷ 1 km/h, times weights ≤ 10^9, stays below 10^25 per case). Ids
and names refuse control characters (newlines, NUL, escape…), so a record id printed in a message
or a report cannot break a line or drive a terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    create_model,
    field_serializer,
    field_validator,
)

from optimizer.data.scenario_outcomes import CourtHistory, Debtor, TerminatedStock
from optimizer.law.modes import MODE_SPECS

FORMAT_VERSION = 1

# no C0 or C1 control character (newline, tab, NUL, ESC, DEL, NEL…), nor a Unicode line separator
NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
MAX_NAME = 200
MAX_WEIGHT = 1e9
MAX_LOAD_BANDS = 10

NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
PosFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT, allow_inf_nan=False)]
Utilisation = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=73.0, le=135.5, allow_inf_nan=False)]  # China's extent
Latitude = Annotated[float, Field(ge=3.0, le=53.6, allow_inf_nan=False)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=NO_CONTROL)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME, pattern=NO_CONTROL)]


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
    name: Name = Field(description="Chinese name, e.g. '莲都区'; at most 200 characters.")
    lon: Longitude
    lat: Latitude


class Court(_Record):
    """A people's court with its enforcement bureau (执行局)."""

    id: Id
    name: Name = Field(
        description="Chinese name, e.g. '丽水市莲都区人民法院'; at most 200 characters."
    )
    level: Level
    parent: Id | None = Field(None, description="Court one level up (上一级法院); null at the top.")
    place: Id = Field(description="Place (region code) where the court sits.")
    officers: int = Field(ge=0, le=100_000, description="Enforcement officers (执行人员), 0–100,000.")
    teams: int = Field(ge=1, le=10_000, description="Enforcement teams (执行团队), 1–10,000.")
    open_caseload: NonNegFloat = Field(
        le=10_000_000,
        description="Open enforcement caseload in workload units, listed cases included; "
        "0–10,000,000.",
    )
    cases_per_officer: float = Field(
        ge=0.01, le=100_000, allow_inf_nan=False,
        description="Workload units one officer can carry in the planning period; 0.01–100,000.",
    )


class Party(_CaseRecord):
    name: Name = Field(description="At most 200 characters.")
    kind: PartyKindLiteral
    place: Id = Field(description="Domicile (住所地) place id.")


class Asset(_CaseRecord):
    id: Id
    kind: AssetKindLiteral
    place: Id = Field(description="Place where the asset lies (财产所在地).")
    value: NonNegFloat = Field(
        le=1e13, description="Estimated value in yuan, 0–10,000,000,000,000 (10^13)."
    )


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
        0, ge=0, le=36_500,
        description="Days excluded from the Art. 237 clock (公告、鉴定评估、中止…), 0–36,500.",
    )
    amount: NonNegFloat = Field(
        le=1e13, description="Amount to execute (执行标的), yuan, 0–10,000,000,000,000 (10^13)."
    )
    workload: float = Field(
        1.0, ge=0.001, le=10_000, allow_inf_nan=False,
        description="Workload weight in caseload units, 0.001–10,000.",
    )
    property_found: dt.date | None = Field(
        None, description="When property was found during execution (执行程序解释 Art. 10(2)): "
        "the Art. 237 clock for it runs from this date instead of the filing date.")
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


class _Weights(_Record):
    """Objective weights, in cost points (1 point ≈ 1 minute of a party's travel). Each weight is
    0–1,000,000,000 (10^9), so the objective stays finite. The fixed cost of each mode
    (`mode_internal`, `mode_supervise`, …) is a field too, made from the mode's spec in
    `optimizer/law/modes.py` (one place per mode)."""

    applicant_travel: Weight = Field(1.0, description="Per minute, applicant → court. ≤ 1,000,000,000.")
    debtor_travel: Weight = Field(0.3, description="Per minute, debtor → court. ≤ 1,000,000,000.")
    asset_travel: Weight = Field(
        1.0, description="Per minute court → asset, shared by asset value. ≤ 1,000,000,000."
    )
    entrust_matter: Weight = Field(
        25.0, description="Fixed cost of one entrusted matter. ≤ 1,000,000,000."
    )
    change_court: Weight = Field(
        60.0, description="File hand-over when the court changes. ≤ 1,000,000,000."
    )
    applicant_objection: Weight = Field(
        600.0, description="Moving a case whose applicant objects. ≤ 1,000,000,000."
    )
    preferred_court_bonus: Weight = Field(
        30.0, description="Saved when the wish is met. ≤ 1,000,000,000."
    )
    unresolved_passive: Weight = Field(400.0, description="Kept despite 消极执行. ≤ 1,000,000,000.")
    unresolved_overdue: Weight = Field(
        300.0, description="Kept despite the Art. 237 clock. ≤ 1,000,000,000."
    )
    unresolved_complex: Weight = Field(
        250.0, description="Complex case without help. ≤ 1,000,000,000."
    )
    unresolved_understaffed: Weight = Field(
        150.0, description="Left at a short-staffed court. ≤ 1,000,000,000."
    )
    unresolved_request: Weight = Field(
        300.0, description="Applicant's Art. 237 request unmet. ≤ 1,000,000,000."
    )
    unresolved_related: Weight = Field(
        150.0, description="Related case not concentrated. ≤ 1,000,000,000."
    )
    unresolved_watch: Weight = Field(
        100.0, description="Past the planner's watch period (rules.watch_months) and not "
        "supervised. ≤ 1,000,000,000."
    )
    load_slopes: tuple[Weight, ...] = Field(
        (30.0, 120.0, 400.0), min_length=1, max_length=MAX_LOAD_BANDS,
        description="Cost per workload unit above the target, in rising bands (convex): 1–10 "
        "bands, each ≤ 1,000,000,000.",
    )
    officer_lending: Weight = Field(
        4.0, description="Per minute of travel per lent officer (协同执行). ≤ 1,000,000,000."
    )
    stability: Weight = Field(
        50.0, description="Re-planning (--previous): per case whose decision differs from the "
        "previous plan (计划稳定: a changed plan costs the courts a new round of documents and "
        "hand-overs). ≤ 1,000,000,000.",
    )
    officer_lending_fixed: Weight = Field(
        1500.0, description="Per officer lent for the period: allowances, the lender's disruption. "
        "≤ 1,000,000,000.",
    )


def _mode_weights() -> dict[str, Any]:
    return {spec.weight: (Weight, Field(spec.default_weight,
                                        description=f"{spec.label_zh} ({spec.label_en}): fixed cost "
                                        "per case. ≤ 1,000,000,000."))
            for spec in MODE_SPECS if spec.weight}


if TYPE_CHECKING:
    class Weights(_Weights):
        """Objective weights (the mode costs are fields made from `MODE_SPECS`)."""

        def __getattr__(self, name: str) -> float: ...
else:
    Weights = create_model("Weights", __base__=_Weights, __module__=__name__,
                           __doc__=_Weights.__doc__, **_mode_weights())


# ---------------------------------------------------------------- the clocks (期间)
# The statutory six months, the planner's watch period and the holiday calendar live in these
# blocks (docs/law.md, rules 5 and 13): the Art. 237 period is the law's, not a setting.
MAX_CALENDAR_DAYS = 3660


class _ClockRules(_Record):
    """The Art. 237 clock (statutory) and the planner's watch period for 督促 (a setting)."""

    overdue_months: int = Field(
        6, ge=6, le=6, description="民事诉讼法第237条: six calendar months unexecuted, counted from the day after "
        "filing (or after property was found; an obligation to act from filing), net of the "
        "periods of 执行程序解释 Art. 13, a last day on a 法定休假日 moving to the next working day. "
        "Statutory: only 6 is accepted (kept so that older files read); a shorter period for the "
        "superior court's own 督促 is `watch_months`.")
    watch_months: int | None = Field(
        None, ge=1, le=5,
        description="督促观察期 (null = off): calendar months after which the superior court "
        "supervises (督促) on its own initiative (执行工作规定第74条第1款), counted like the Art. 237 "
        "clock; 1–5. A case past it but within the six months may be supervised, never cited "
        "under 第237条, and its applicant's request stays a wish.")

    @field_validator("overdue_months", mode="before")
    @classmethod
    def _statutory(cls, v: Any) -> Any:
        if isinstance(v, int | float) and not isinstance(v, bool) and v != 6:
            raise ValueError(
                "the six months of 民事诉讼法第237条 are statutory, not a setting; "
                "for a shorter watch period for 督促 on the superior court's own initiative "
                "(执行工作规定第74条第1款) set rules.watch_months")
        return v


class CalendarDays(_Record):
    """法定休假日 (民事诉讼法第85条第3款): the scenario's additions to the State Council's holiday
    arrangements shipped for 2024–2026 (`optimizer/law/holidays.json`). A period whose last day is
    a rest day ends on the next working day."""

    holidays: tuple[dt.date, ...] = Field(
        (), max_length=MAX_CALENDAR_DAYS,
        description="Rest days (放假) to add, e.g. a later year's notice; they override a shipped "
        "working day.")
    working_days: tuple[dt.date, ...] = Field(
        (), max_length=MAX_CALENDAR_DAYS,
        description="Working days (e.g. a 调休 weekend day); they override a weekend or a shipped "
        "holiday.")
    covers_years: tuple[Annotated[int, Field(ge=1990, le=2100)], ...] = Field(
        (), max_length=100,
        description="Years whose whole arrangement this block gives (the validator then does not "
        "warn about periods ending in them).")


class Rules(_ClockRules):
    """Rule switches (hard constraints) with their defaults."""

    target_utilisation: float = Field(
        1.0, ge=0.01, le=10, allow_inf_nan=False,
        description="Load per capacity where penalties start, 0.01–10.",
    )
    load_band_width: float = Field(
        0.15, ge=0.01, le=10, allow_inf_nan=False,
        description="Width of each penalty band, as a share of own capacity, 0.01–10.",
    )
    max_utilisation: Utilisation | None = Field(
        1.6,
        description="Hard ceiling on load per capacity for receiving courts (null = off), above 0 "
        "and at most 100; a court already above it may not get worse.",
    )
    understaffed_utilisation: Utilisation = Field(
        1.1, description="Utilisation before the plan above which a court is short of staff; "
        "above 0 and at most 100.",
    )
    cases_per_lent_officer: float = Field(
        10.0, ge=0.1, le=10_000, allow_inf_nan=False,
        description="协同执行 for a staff shortage: how many such cases one lent officer serves in the "
        "period; a court's staffing 协同 cases need at least cases ÷ this officers borrowed; "
        "0.1–10,000.")
    min_internal_teams: int = Field(2, ge=2, le=10_000, description="Teams needed for 内部交叉, 2–10,000.")
    concentrate_min_cases: int = Field(
        2, ge=2, le=1_000_000, description="Related cases for 集中执行, 2–1,000,000."
    )
    concentrate_min_courts: int = Field(
        2, ge=1, le=10_000, description="Distinct courts for 集中执行, 1–10,000."
    )
    allow_redesignation: bool = Field(False, description="Allow 指令 of an already designated case.")
    interference_scope: str = Field(
        "county", pattern="^(county|prefecture)$",
        description="Home locality an interference case must leave: the debtor's county or prefecture.",
    )
    lending_min_keep_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = Field(
        0.85, description="Share of its own officers a lender keeps, 0–1."
    )
    max_candidates: int = Field(
        8, ge=1, le=1_000, description="K: courts kept per case after pruning, 1–1,000."
    )
    entrust_matters: bool = Field(True, description="Allow 事项委托 of single matters.")
    detour_factor: float = Field(
        1.3, ge=1, le=5, allow_inf_nan=False,
        description="Road distance per great-circle distance, 1–5.",
    )
    speed_kmh: float = Field(
        60.0, ge=1, le=300, allow_inf_nan=False, description="Average road speed in km/h, 1–300."
    )


class Scenario(_Record):
    """One district to plan: the root object of a scenario file."""

    format_version: int = Field(FORMAT_VERSION, ge=1, le=1, description="Must be 1.")
    name: Name = Field(description="At most 200 characters.")
    dispatcher: Id = Field(description="Court whose district is planned (统一调度的法院).")
    period: Period
    places: tuple[Place, ...]
    courts: tuple[Court, ...]
    cases: tuple[Case, ...]
    weights: Weights = Weights()
    rules: Rules = Rules()
    calendar: CalendarDays = CalendarDays()
    # after the plan date (docs/outcomes.md): 执转破 screening and the backlog projection
    debtors: tuple[Debtor, ...] = Field((), description="被执行人: kind, credit code, consent.")
    terminated: tuple[TerminatedStock, ...] = Field((), description="终本库, per court.")
    history: tuple[CourtHistory, ...] = Field((), description="Each court's last months.")

    @field_serializer("cases", mode="wrap")  # (no return annotation: the schema stays the field's)
    def _cases_as_records(self, cases: Sequence[Case], records: SerializerFunctionWrapHandler):
        """Cases held as columns (`CaseSequence`) are written as the records they stand for."""
        from optimizer.data.case_columns import no_cyclic_gc  # (it imports this module)

        with no_cyclic_gc():  # (a slice is a tuple of new records: a collection would walk them)
            return records(cases[:])
