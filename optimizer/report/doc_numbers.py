"""What a draft can say of its own number, its issuer's full name, addresses and its date.

- 文号: （年度）法院代字 类型代字 序号 号, as 案号 are written (最高人民法院关于人民法院案件案号的若干
  规定): the year of the plan date; the court's 代字 — taken from the case numbers of its own cases
  where the scenario has them (（2024）浙1102执70号 → 浙1102), else made from its place as the
  rule makes it (province abbreviation; + the prefecture's two digits for an intermediate court;
  + the county's four for a basic one); the 类型代字 of the document (执监 for the supervision
  measures of 执行程序解释 第十一、十二条 and 执行工作规定 第74条); the serial number, which only the
  court's docketing gives, is always a placeholder.
- The issuer: a basic or intermediate court's name with its province in front (浙江省丽水市中级
  人民法院), as the 制作规范 writes the court in the title.
- The date: the plan date in Chinese, or a placeholder when that day is not a working day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from optimizer.data.scenario import Court, Level
from optimizer.io.place_names import full_name, region_by_code
from optimizer.law.calendar import Calendar, national_calendar
from optimizer.law.modes import MODE_SPECS
from optimizer.report.draft_texts import blank

#: province code → abbreviation used in case numbers (案号的法院代字)
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "内", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}
#: the 类型代字 of each decision's document (the specs' `number_code`); None where the court's
#: docketing decides it
TYPE_CODES = {s.key: s.number_code for s in MODE_SPECS if s.drafted}
_CASE_COURT = re.compile(r"^[（(]\d{4}[）)]\s*([^\d\s（()）]{1,3}\d{0,4})执")
_DIGITS = "〇一二三四五六七八九"


def court_codes_from_cases(cases: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Court id → its 代字 as its own case numbers show it: (case number, court id) pairs."""
    seen: dict[str, Counter[str]] = {}
    for number, court in cases:
        m = _CASE_COURT.match(number)
        if m:
            seen.setdefault(court, Counter())[m[1]] += 1
    return {court: counts.most_common(1)[0][0] for court, counts in seen.items()}


def court_code(court: Court) -> str | None:
    """A court's 代字 made from its place and level, where the place is of that level."""
    if court.level == Level.SUPREME:
        return "最高法"
    code = court.place
    abbreviation = PROVINCE_ABBREVIATIONS.get(code[:2])
    if abbreviation is None or not re.fullmatch(r"\d{6}", code):
        return None
    if court.level == Level.HIGH and code.endswith("0000"):
        return abbreviation
    if court.level == Level.INTERMEDIATE and code.endswith("00") and not code.endswith("0000"):
        return abbreviation + code[2:4]
    if court.level == Level.BASIC and not code.endswith("00"):
        return abbreviation + code[2:]
    return None


def document_number(year: str, court: str | None, kind: str | None) -> str:
    """（2026）浙11执监【待填：序号】号: what is known filled, the rest placeholders."""
    return f"（{year}）{court or blank('法院代字')}{kind or blank('类型代字')}{blank('序号')}号"


def _province(place: str) -> str | None:
    region = region_by_code().get(place[:2] + "0000")
    return region.name if region else None


def issuer_name(court: Court) -> str:
    """The court as the title of its document names it: the province in front of a basic or
    intermediate court's name."""
    province = _province(court.place)
    if court.level in (Level.BASIC, Level.INTERMEDIATE) and province and not court.name.startswith(province):
        return province + court.name
    return court.name


def address(place: str, fallback: str) -> str:
    """A place as the start of an address: 浙江省丽水市莲都区 (the scenario's name if unknown)."""
    if place not in region_by_code():
        return fallback
    name, province = full_name(place), _province(place)
    return name if not province or name.startswith(province) else province + name


def is_working_day(day: dt.date, calendar: Calendar | None = None) -> bool:
    """Whether a document may be dated `day`: not a 法定休假日 of `calendar` (default: the State
    Council's arrangements, `optimizer/law/calendar.py`; weekends unless a 调休 working day)."""
    return not bool((calendar or national_calendar()).is_rest_day([day])[0])


def chinese_date(iso: str) -> str:
    """2026-01-01 → 二〇二六年一月一日 (the usual way a document is dated)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return blank("日期")

    def small(n: int) -> str:
        if n < 10:
            return _DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")

    return "".join(_DIGITS[int(c)] for c in str(day.year)) + f"年{small(day.month)}月{small(day.day)}日"


def document_date(iso: str, calendar: Calendar | None = None) -> str:
    """The date a document carries: the plan date if it is a working day, else a placeholder
    (the plan acts on a day the court does not sit; the clerk dates the document)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return blank("日期")
    if is_working_day(day, calendar):
        return chinese_date(iso)
    return blank(f"日期（规划日期{chinese_date(iso)}非工作日）")
