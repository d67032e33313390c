"""The spreadsheet format of a scenario (the case system's export): sheets, columns, value labels.

One definition serves the reader (`xlsx_in`), the scenario writer and the template
(`xlsx_scenario`). Each column has its Chinese header as the case system exports it and an
English alias, the scenario's field path (`applicant.place`); either header is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

#: value labels per kind of enumerated cell: scenario value → Chinese label (written and read);
#: the English value is read too
LEVEL_LABELS = {"supreme": "最高", "high": "高级", "intermediate": "中级", "basic": "基层"}
PARTY_LABELS = {"person": "自然人", "company": "企业", "state_owned": "国有企业", "government": "党政机关"}
ASSET_LABELS = {"deposit": "存款", "real_estate": "不动产", "vehicle": "车辆", "equity": "股权"}
PRIOR_LABELS = {"none": "无", "supervised_deadline_missed": "督促期满未执结", "designated": "已指令执行"}
ENUMS = {"level": LEVEL_LABELS, "party": PARTY_LABELS, "asset": ASSET_LABELS, "prior": PRIOR_LABELS}
#: longer spellings read as the short label (the case system writes some of them)
ENUM_SYNONYMS = {
    "level": {"最高人民法院": "supreme", "高级人民法院": "high", "中级人民法院": "intermediate",
              "基层人民法院": "basic", "高院": "high", "中院": "intermediate"},
    "party": {"个人": "person", "公民": "person", "公司": "company", "法人": "company",
              "国企": "state_owned", "机关": "government", "党政机关单位": "government"},
    "asset": {"存款、理财、证券": "deposit", "理财": "deposit", "证券": "deposit", "房产": "real_estate",
              "土地使用权": "real_estate", "车辆、设备": "vehicle", "设备": "vehicle",
              "债权": "equity", "基金份额": "equity", "知识产权": "equity"},
    "prior": {"": "none", "督促期满": "supervised_deadline_missed", "已指令": "designated"},
}
YES = "是"
NO = "否"
YES_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
NO_WORDS = {"否", "无", "n", "no", "false", "0", ""}
#: a nullable setting (max_utilisation) written as this word means "off" (null)
NULL_WORD = "无"


@dataclass(frozen=True)
class Column:
    header: str  # Chinese header as the case system exports it
    field: str  # scenario field path, also the English alias accepted as header
    kind: str  # text, id, int, float, date, bool, place, court, or an ENUMS key
    required: bool
    help: str  # 说明 (Chinese first)
    width: int = 14  # column width in the written workbook (Chinese characters count twice)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    help: str

    def header_map(self) -> dict[str, Column]:
        """Every accepted header (Chinese, English alias, alias with `_` for `.`) → column."""
        out: dict[str, Column] = {}
        for c in self.columns:
            for h in (c.header, c.field, c.field.replace(".", "_")):
                out[h.lower()] = c
        return out


COURTS = SheetSpec("法院", (
    Column("法院编号", "id", "id", False, "法院代码；空则按所在地生成 C+行政区划代码 (court id)", 12),
    Column("法院名称", "name", "text", True, "全称，如 丽水市莲都区人民法院 (full name)", 26),
    Column("层级", "level", "level", True, "最高/高级/中级/基层 (level)", 8),
    Column("上级法院", "parent", "court", False, "上一级法院的编号或名称；最上级留空 (parent court)", 22),
    Column("所在地", "place", "place", True, "行政区划名称或代码，如 丽水市莲都区 / 331102 (place)", 16),
    Column("执行人员", "officers", "int", True, "执行人员数 (enforcement officers)", 10),
    Column("执行团队", "teams", "int", True, "执行团队数 (teams)", 10),
    Column("未结案件量", "open_caseload", "float", True, "未结执行案件工作量，含本表所列案件 (open caseload)",
           12),
    Column("人均办案量", "cases_per_officer", "float", True, "每名执行人员规划期内可承办的工作量 (per officer)",
           12),
), "每行一个法院 one court per row")

_PLACE_HELP = "行政区划名称或代码 (place name or code)"
CASES = SheetSpec("案件", (
    Column("案号", "id", "id", True, "如 （2025）浙1102执3号 (case number)", 24),
    Column("执行法院", "court", "court", True, "法院编号或名称 (executing court)", 22),
    Column("立案日期", "filed", "date", True, "如 2025-03-01 (filing date)", 12),
    Column("扣除天数", "excluded_days", "int", False, "公告、鉴定评估、中止等不计入六个月的天数 (excluded days)",
           10),
    Column("发现财产日期", "property_found", "date", False, "执行中发现财产的日期 (property found)", 12),
    Column("执行标的", "amount", "float", True, "元 (amount, yuan)", 14),
    Column("工作量", "workload", "float", False, "工作量单位，空则为 1 (workload units)", 8),
    Column("申请执行人", "applicant.name", "text", True, "姓名或名称 (applicant)", 20),
    Column("申请执行人类型", "applicant.kind", "party", True, "自然人/企业/国有企业/党政机关", 12),
    Column("申请执行人住所地", "applicant.place", "place", True, _PLACE_HELP, 16),
    Column("被执行人", "debtor.name", "text", True, "姓名或名称 (debtor)", 20),
    Column("被执行人类型", "debtor.kind", "party", True, "自然人/企业/国有企业/党政机关", 12),
    Column("被执行人住所地", "debtor.place", "place", True, _PLACE_HELP, 16),
    Column("被执行人编号", "debtor_id", "id", False,
           "证件号码或统一社会信用代码，编号相同的案件为同一被执行人的关联案件；空则不关联，同名不视为同一人 "
           "(debtor id: links cases; a name alone never does)", 16),
    Column("行为义务", "act_obligation", "bool", False, "是否执行行为义务 是/否", 8),
    Column("消极执行", "flags.passive_handling", "bool", False, "是/否 (passive handling)", 8),
    Column("不当干预", "flags.interference", "bool", False, "是/否 (interference suspected)", 8),
    Column("重大疑难复杂", "flags.complex", "bool", False, "是/否 (complex)", 10),
    Column("反对移送", "wish.objects_to_transfer", "bool", False, "申请执行人反对变更执行法院 是/否", 8),
    Column("申请提级", "wish.requests_escalation", "bool", False, "申请执行人依第237条申请上一级法院执行 是/否",
           8),
    Column("意向法院", "wish.preferred_court", "court", False, "申请执行人希望的法院 (preferred court)", 22),
    Column("前序处理", "prior_action", "prior", False, "无/督促期满未执结/已指令执行 (prior action)", 14),
), "每行一个案件 one case per row")

ASSETS = SheetSpec("财产", (
    Column("案号", "case", "id", True, "财产所属案件的案号 (case number)", 24),
    Column("财产编号", "id", "id", False, "空则按案号编号 (asset id)", 14),
    Column("财产类型", "kind", "asset", True, "存款/不动产/车辆/股权 (asset kind)", 10),
    Column("财产所在地", "place", "place", True, _PLACE_HELP, 16),
    Column("财产价值", "value", "float", True, "估值，元 (value, yuan)", 14),
), "每行一项财产 one asset per row")

PLACES = SheetSpec("地点", (
    Column("行政区划代码", "id", "id", True, "如 331102 (code)", 12),
    Column("名称", "name", "text", False, "空则取行政区划名称 (name)", 14),
    Column("经度", "lon", "float", False, "空则取行政区划坐标 (longitude)", 12),
    Column("纬度", "lat", "float", False, "空则取行政区划坐标 (latitude)", 12),
), "可选：列出的地点按此表定义，未列出的按行政区划表补全 optional: places given here win")

#: the key/value rows of the 场景 sheet: (Chinese key, scenario field, kind, help)
SCENARIO_KEYS = (
    ("名称", "name", "text", "场景名称 (scenario name)"),
    ("调度法院", "dispatcher", "court", "统一调度的法院，编号或名称 (dispatching court)"),
    ("规划期开始", "period.start", "date", "规划期第一天，亦为第237条期限的计算日 (period start)"),
    ("规划期结束", "period.end", "date", "规划期最后一天 (period end)"),
)
SCENARIO_SHEET = "场景"
WEIGHTS_SHEET = "权重"
RULES_SHEET = "规则"
HELP_SHEET = "说明"
#: headers of the 场景 / 权重 / 规则 sheets (key, value, help)
KEY_VALUE_HEADERS = ("项目", "值", "说明")
DATA_SHEETS = (COURTS, CASES, ASSETS, PLACES)
