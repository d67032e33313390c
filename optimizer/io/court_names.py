"""Suggestions for a court written in short (莲都法院, 莲都区人民法院, 丽水中院): the courts of the
workbook whose place and level it names. Only suggested, never taken: a short name can be wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SUFFIX = r"(?:自治县|自治州|自治区|自治旗|特别行政区|省|市|区|县|旗|盟|州)"
_PART = re.compile(rf".+?{_SUFFIX}|.+$")
_LEVELS = (("最高", "最高"), ("高级", "高级"), ("高院", "高级"), ("中级", "中级"), ("中院", "中级"))
_MAX_SUGGESTIONS = 3


def court_stem(name: str) -> tuple[str, str]:
    """(place, level) of a court name: 丽水市莲都区人民法院 → (莲都, ""), 丽水中院 → (丽水, 中级)."""
    text = re.sub(r"\s+", "", name).replace("人民法院", "").replace("法院", "")
    level = ""
    for word, meaning in _LEVELS:
        if word in text:
            level, text = meaning, text.replace(word, "")
    parts = _PART.findall(text)
    last = parts[-1] if parts else text
    return re.sub(rf"{_SUFFIX}$", "", last) or last, level


def suggest_courts(text: str, names: Iterable[str]) -> list[str]:
    """Court names (from `names`) that `text` may mean: the same level and a place that equals
    or begins the other's (景宁法院 → 景宁畲族自治县人民法院)."""
    place, level = court_stem(text)
    if len(place) < 2:
        return []
    out = []
    for name in names:
        other, other_level = court_stem(name)
        if other_level == level and len(other) >= 2 and (other.startswith(place) or place.startswith(other)):
            out.append(name)
    return sorted(set(out))[:_MAX_SUGGESTIONS]
