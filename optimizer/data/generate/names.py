"""Names of parties and case numbers, in the shapes Chinese court documents use.

Parties are anonymised the way published judgments do it (王某, 莲都建设有限公司); a debtor's
name follows from its number alone, so all cases of one debtor name the same party.
"""

from __future__ import annotations

from typing import Any

import numpy as np

PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "贵",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"  # noqa: E501
TRADES = ("建设", "贸易", "实业", "科技", "置业", "物流", "建材", "食品", "机械", "纺织", "农业", "商贸")
AGENCIES = ("人民政府", "住房和城乡建设局", "交通运输局", "自然资源和规划局", "城市管理局")
SOE = ("城市建设投资集团有限公司", "交通投资集团有限公司", "国有资产经营有限公司", "水务集团有限公司")


def short_name(name: str) -> str:
    """A county's name without its administrative suffix (莲都区 → 莲都), as firms are named."""
    for suffix in ("畲族自治县", "自治县", "自治旗", "特区", "林区", "区", "县", "市", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def case_number(court: dict[str, Any], year: int, serial: int) -> str:
    """The 案号 of an enforcement case: （2025）浙1102执123号 — year, court tag, serial."""
    code = str(court["place"])
    abbr = PROVINCE_ABBR.get(code[:2], "")
    if court["level"] == "basic":
        tag = f"{abbr}{code[2:6]}"
    elif court["level"] == "intermediate":
        tag = f"{abbr}{code[2:4]}"
    else:
        tag = abbr
    return f"（{year}）{tag}执{serial}号"


def person_name(rng: np.random.Generator) -> str:
    """An anonymised person: a surname, then 某 or 某某 (draws: surname, then length)."""
    return SURNAMES[int(rng.integers(len(SURNAMES)))] + "某" + ("某" if rng.random() < 0.5 else "")


def company_name(rng: np.random.Generator, county: str) -> str:
    """A private firm of `county` in a drawn trade (draws: the trade)."""
    return f"{short_name(county)}{TRADES[int(rng.integers(len(TRADES)))]}有限公司"


def debtor_name(debtor: int, kind: str, county: str) -> str:
    """The name of debtor number `debtor` of `kind` at home in `county`; draws nothing, so every
    case of one debtor names it alike."""
    if kind == "person":
        return SURNAMES[debtor % len(SURNAMES)] + "某" + SURNAMES[(debtor // 7) % len(SURNAMES)]
    if kind == "company":
        return f"{short_name(county)}{TRADES[debtor % len(TRADES)]}有限公司（{debtor % 1000:03d}）"
    if kind == "state_owned":
        return f"{short_name(county)}{SOE[debtor % len(SOE)]}"
    return f"{county}{AGENCIES[debtor % len(AGENCIES)]}"
