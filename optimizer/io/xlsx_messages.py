"""Every defect of a workbook in both languages, Chinese first: a field's own check (pydantic,
`optimizer/data/scenario.py`) and a check across records (`optimizer/data/validate.py`) say in
English what is wrong; here each becomes `中文说明 (English as before)`. A check added later
without a translation still reads `场景校验未通过 (…)`: never English alone.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic_core import ErrorDetails

from optimizer.data.read import shown

_BOUNDS = {"greater_than_equal": ("ge", "应不小于 {}"), "greater_than": ("gt", "应大于 {}"),
           "less_than_equal": ("le", "应不大于 {}"), "less_than": ("lt", "应小于 {}")}
_PLAIN = {
    "missing": "必填项为空",
    "string_too_short": "不能为空",
    "too_short": "项数太少",
    "too_long": "项数太多",
    "finite_number": "应为有限的数字",
    "int_parsing": "应为整数", "int_from_float": "应为整数", "int_type": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字",
    "bool_parsing": "应为 是 或 否", "bool_type": "应为 是 或 否",
    "date_parsing": "不是日期", "date_from_datetime_parsing": "不是日期", "date_type": "不是日期",
    "string_type": "应为文字",
    "literal_error": "不是可选值", "enum": "不是可选值",
    "extra_forbidden": "不是可识别的项目",
}


def _number(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else shown(x)


def field_message(error: ErrorDetails) -> str:
    """One pydantic error of a cell's value, in both languages."""
    kind, ctx = error["type"], error.get("ctx") or {}
    english = error["msg"]
    value = error.get("input")
    loc = error.get("loc") or ()
    got = f" (got {shown(value, 40)})" if isinstance(value, str | int | float) else ""
    if kind in _BOUNDS and loc and loc[-1] in ("lon", "lat"):
        axis = "经度" if loc[-1] == "lon" else "纬度"
        span = "73–135.5" if loc[-1] == "lon" else "3–53.6"
        return f"{axis} {shown(value)} 不在中国境内 ({axis} outside China, {span})"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        bound = ctx.get(key)
        return f"{_number(value)} {words.format(_number(bound))} ({english})"
    if kind == "string_too_long":
        return f"长度超过 {ctx.get('max_length')} 个字 ({english})"
    if kind == "string_pattern_mismatch":
        return "含有换行、制表符等控制字符 (contains a control character, not allowed here)"
    return f"{_PLAIN.get(kind, '取值无效')} ({english}{got})"


_Q = r"'(.*)'"
#: check_scenario's messages (optimizer/data/validate.py) → Chinese, by pattern
_CHECKS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), z) for p, z in (
    (r"^duplicate id " + _Q + "$", "编号 '{0}' 重复"),
    (r"^end (\S+) is before start (\S+)$", "规划期结束 {0} 早于开始 {1}"),
    (r"^dispatching court " + _Q + " is not defined$", "调度法院 '{0}' 不在 法院 表中"),
    (r"^place " + _Q + " is not defined$", "地点 '{0}' 未定义"),
    (r"^parent court " + _Q + " is not defined$", "上级法院 '{0}' 不在 法院 表中"),
    (r"^a (\w+) court's parent must be (?:an?|no) ?(\w*) court, but " + _Q + r" is (\w+)$",
     "上级法院层级不符：'{2}' 不是上一级法院"),
    (r"^parent chain forms a cycle$", "上级法院关系成环"),
    (r"^executing court " + _Q + " is not defined$", "执行法院 '{0}' 不在 法院 表中"),
    (r"^asset " + _Q + " place " + _Q + " is not defined$", "财产 '{0}' 的所在地 '{1}' 未定义"),
    (r"^duplicate asset ids within the case$", "同一案件的财产编号重复"),
    (r"^court " + _Q + " is not defined$", "法院 '{0}' 不在 法院 表中"),
    (r"^filing date (\S+) is after the planning date (\S+)$", "立案日期 {0} 晚于规划期开始 {1}"),
    (r"^property found on (\S+), outside the filing date (\S+) … planning date (\S+)$",
     "发现财产日期 {0} 不在立案日期 {1} 与规划期开始 {2} 之间"),
    (r"^(\d+) excluded days exceed the case's age of (\d+) days$",
     "扣除天数 {0} 超过立案至规划期开始的 {1} 天"),
    (r"^open caseload (\S+) is below the workload of its listed cases \((\S+)\)$",
     "未结案件量 {0} 小于 案件 表所列本院案件的工作量 {1}"),
    (r"^a court holding cases in the district needs at least one officer$",
     "辖区内有案件的法院至少需要一名执行人员"),
    (r"^the district of " + _Q + " holds no case to plan$", "调度法院 '{0}' 的辖区内没有待规划的案件"),
))


def check_message(english: str) -> str:
    """A cross-record defect's message in both languages."""
    for pattern, chinese in _CHECKS:
        m = pattern.match(english)
        if m:
            return f"{chinese.format(*m.groups())} ({english})"
    return f"场景校验未通过 (scenario check: {english})"
