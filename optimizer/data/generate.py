"""Seeded scenario generator on real Chinese court geography.

Presets: `lishui` (丽水 "1+9": 1 intermediate + 9 basic courts, ~1,500 cases), `zhejiang`
(1 high + 11 intermediate + 90 basic courts, ~20,000 cases) and `national` (~3,200 courts,
~300,000 cases). The output is a plain dict in the scenario format; `to_json` serialises it
byte-for-byte deterministically for a seed. Distributions follow the SPC Q&A and published
caseload figures and are listed in docs/scenario-format.md.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimizer.data.geography import Region, regions
from optimizer.data.scenario import FORMAT_VERSION

PRESETS = ("lishui", "zhejiang", "national")

# 2020 census (第七次全国人口普查) population of the Lishui counties
LISHUI_POPULATION = {
    "莲都区": 562_116, "龙泉市": 248_866, "缙云县": 405_318, "青田县": 509_053, "庆元县": 142_551,
    "松阳县": 204_880, "遂昌县": 194_385, "云和县": 129_216, "景宁畲族自治县": 111_011,
}

PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "贵",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"  # noqa: E501
_TRADES = ("建设", "贸易", "实业", "科技", "置业", "物流", "建材", "食品", "机械", "纺织", "农业", "商贸")
_AGENCIES = ("人民政府", "住房和城乡建设局", "交通运输局", "自然资源和规划局", "城市管理局")
_SOE = ("城市建设投资集团有限公司", "交通投资集团有限公司", "国有资产经营有限公司", "水务集团有限公司")
_ASSET_KINDS = ("deposit", "real_estate", "vehicle", "equity")


@dataclass(frozen=True)
class _Shape:
    cases: int
    province: str | None  # 2-digit code, None = whole country
    prefecture: str | None  # 4-digit code for a single-prefecture preset


SHAPES = {
    "lishui": _Shape(cases=1_500, province="33", prefecture="3311"),
    "zhejiang": _Shape(cases=20_000, province="33", prefecture=None),
    "national": _Shape(cases=300_000, province=None, prefecture=None),
}


def _short(name: str) -> str:
    for suffix in ("畲族自治县", "自治县", "自治旗", "特区", "林区", "区", "县", "市", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class _Builder:
    def __init__(self, preset: str, seed: int, cases: int | None):
        if preset not in SHAPES:
            raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
        self.preset = preset
        self.shape = SHAPES[preset]
        self.n_cases = self.shape.cases if cases is None else cases
        self.rng = np.random.default_rng(seed)
        self.places: dict[str, dict[str, Any]] = {}
        self.courts: list[dict[str, Any]] = []

    # ---------- geography and courts ----------
    def _add_place(self, code: str, name: str, lon: float, lat: float) -> str:
        if code not in self.places:
            self.places[code] = {"id": code, "name": name, "lon": round(lon, 6), "lat": round(lat, 6)}
        return code

    def build_courts(self) -> str:
        all_regions = regions()
        by_code = {r.code: r for r in all_regions}
        counties = [r for r in all_regions if r.kind == "county"]
        if self.shape.province:
            counties = [r for r in counties if r.code[:2] == self.shape.province]
        if self.shape.prefecture:
            counties = [r for r in counties if r.code[:4] == self.shape.prefecture]
        pref_codes = sorted({c.prefecture_code for c in counties})
        prov_codes = sorted({c.province_code for c in counties})

        def seat(code: str, members: list[Region]) -> tuple[float, float]:
            r = by_code.get(code)
            if r is not None and r.lon is not None and r.lat is not None:
                return r.lon, r.lat
            return (float(np.mean([m.lon or 0.0 for m in members])),
                    float(np.mean([m.lat or 0.0 for m in members])))

        rng = self.rng
        supreme = self.shape.province is None
        if supreme:
            self._add_place("110000", "北京市", *seat("110000", []))
            self.courts.append(self._court("SPC", "最高人民法院", "supreme", None, "110000", 200, 600.0))
        for pc in prov_codes:
            members = [c for c in counties if c.province_code == pc]
            pname = by_code[pc].name
            if self.shape.prefecture is None:
                self._add_place(pc, pname, *seat(pc, members))
                self.courts.append(self._court(
                    f"C{pc}", f"{pname}高级人民法院", "high", "SPC" if supreme else None, pc,
                    *self._staffed(40, 100),
                ))
        for fc in pref_codes:
            members = [c for c in counties if c.prefecture_code == fc]
            region = by_code.get(fc)
            pname = by_code[fc[:2] + "0000"].name
            fname = region.name if region is not None else "直辖"
            if fname in ("市辖区", "县"):
                label = f"{pname}第一"
            elif fname.endswith("直辖县级行政区划"):
                label = f"{pname}直辖"
            else:
                label = fname
            self._add_place(fc, fname if fname not in ("市辖区", "县") else pname, *seat(fc, members))
            parent = None if self.shape.prefecture else f"C{fc[:2]}0000"
            self.courts.append(self._court(
                f"C{fc}", f"{label}中级人民法院", "intermediate", parent, fc,
                *self._staffed(30, 80),
            ))
        cpo = 60.0
        for c in counties:
            assert c.lon is not None and c.lat is not None
            self._add_place(c.code, c.name, c.lon, c.lat)
            if self.preset == "lishui":
                pop = LISHUI_POPULATION.get(c.name, 200_000)
                caseload = pop * 0.006 * rng.uniform(0.9, 1.1)
            elif c.name.endswith("区"):  # city districts are busier than rural counties
                caseload = rng.uniform(2500, 9000)
            else:
                caseload = rng.uniform(600, 3500)
            util = rng.uniform(0.65, 1.4)
            officers = int(np.clip(round(caseload / cpo / util), 15, 60))
            caseload = min(caseload, officers * cpo * util)  # clipped staff: keep the load sane
            pref_name = self.places[c.prefecture_code]["name"]
            if c.name.endswith("区") and not pref_name.endswith("省"):
                name = f"{pref_name}{c.name}人民法院"
            else:
                name = f"{c.name}人民法院"
            self.courts.append(self._court(
                f"C{c.code}", name, "basic", f"C{c.prefecture_code}", c.code, officers, caseload,
            ))
        return "SPC" if supreme else (
            f"C{self.shape.prefecture}00" if self.shape.prefecture else f"C{self.shape.province}0000"
        )

    def _staffed(self, lo: int, hi: int) -> tuple[int, float]:
        """(officers, open caseload) of an upper court, utilisation 0.5–1.1."""
        officers = int(self.rng.integers(lo, hi + 1))
        return officers, float(round(officers * 60.0 * self.rng.uniform(0.5, 1.1)))

    def _court(self, cid: str, name: str, level: str, parent: str | None, place: str,
               officers: int, caseload: float) -> dict[str, Any]:
        return {
            "id": cid, "name": name, "level": level, "parent": parent, "place": place,
            "officers": officers, "teams": max(1, officers // 8), "open_caseload": round(caseload, 1),
            "cases_per_officer": 60.0,
        }

    def far_places(self) -> list[str]:
        """Places outside the district: where some parties live and assets lie."""
        by_code = {r.code: r for r in regions()}
        if self.preset == "lishui":
            codes = ["330100", "330200", "330300", "330700", "310100", "320100"]
        elif self.preset == "zhejiang":
            codes = ["310100", "320100", "340100", "350100", "360100"]
        else:
            return []
        for code in codes:
            r = by_code[code]
            name = r.name if r.name != "市辖区" else by_code[code[:2] + "0000"].name
            assert r.lon is not None and r.lat is not None
            self._add_place(code, name, r.lon, r.lat)
        return codes

    # ---------- cases ----------
    def build_cases(self, start: dt.date) -> list[dict[str, Any]]:
        rng = self.rng
        n = self.n_cases
        basic = [c for c in self.courts if c["level"] == "basic"]
        inter = [c for c in self.courts if c["level"] == "intermediate"]
        has_high = any(c["level"] == "high" for c in self.courts)
        # cases sit at basic courts, and at intermediate courts when a high court can decide
        holders = basic + (inter if has_high else [])
        weight = np.array([c["open_caseload"] * (0.25 if c["level"] == "intermediate" else 1.0)
                           for c in holders])
        court_idx = np.sort(rng.choice(len(holders), size=n, p=weight / weight.sum()))
        far = self.far_places()
        county_of = [self._home_county(c) for c in holders]
        counties_in_pref: dict[str, list[str]] = {}
        for c in basic:
            counties_in_pref.setdefault(c["place"][:4], []).append(c["place"])
        all_counties = [c["place"] for c in basic]

        # debtors: most have one case; some have 2–30 related cases spread over several courts
        debtor_of = np.full(n, -1)
        n_related = int(n * 0.12)
        related_slots = rng.permutation(n)[:n_related]
        anchor_slot = np.empty(n_related, dtype=np.int64)
        i = 0
        d = 0
        while i < n_related:
            size = int(min(30, 2 + rng.geometric(0.25) - 1))
            debtor_of[related_slots[i:i + size]] = d
            anchor_slot[i:i + size] = related_slots[i]
            d += 1
            i += size
        # related cases sit at courts near each other: mostly one prefecture, some one province
        anchor_court = court_idx[anchor_slot]
        roll = rng.random(n_related)
        u = rng.random(n_related)
        new_court = anchor_court.copy()
        for digits, lo, hi in ((4, 0.0, 0.7), (2, 0.7, 0.95)):
            pkey = np.array([int(str(c["place"])[:digits]) for c in holders])
            order = np.argsort(pkey, kind="stable")
            sk = pkey[order]
            first = np.searchsorted(sk, pkey[anchor_court], side="left")
            count = np.searchsorted(sk, pkey[anchor_court], side="right") - first
            pick = order[first + (u * count).astype(np.int64)]
            sel = (roll >= lo) & (roll < hi)
            new_court[sel] = pick[sel]
        far_pick = (u * len(holders)).astype(np.int64)
        new_court[roll >= 0.95] = far_pick[roll >= 0.95]
        not_anchor_court = related_slots != anchor_slot
        court_idx[related_slots[not_anchor_court]] = new_court[not_anchor_court]
        singles = np.flatnonzero(debtor_of < 0)
        debtor_of[singles] = d + np.arange(len(singles))
        n_debtors = d + len(singles)
        dkind = rng.choice(4, size=n_debtors, p=[0.5, 0.35, 0.1, 0.05])
        dkind[:d] = rng.choice(4, size=d, p=[0.15, 0.55, 0.2, 0.1])  # repeat debtors: firms
        # a debtor's home is near the first court that holds one of its cases
        first_court = np.full(n_debtors, -1)
        order = np.arange(n)
        first_court[debtor_of[order[::-1]]] = court_idx[order[::-1]]
        dhome_roll = rng.random(n_debtors)

        age = np.clip(rng.lognormal(np.log(210), 0.65, size=n), 20, 1500).astype(int)
        excl = np.where(rng.random(n) < 0.3, rng.integers(0, 60, size=n), 0)
        excl = np.minimum(excl, age // 2)
        amount = np.round(np.exp(rng.normal(11.5, 1.4, size=n)), 2)
        n_assets = rng.choice(5, size=n, p=[0.28, 0.32, 0.22, 0.12, 0.06])
        passive = rng.random(n) < 0.08
        complex_ = (rng.random(n) < 0.03) | (amount > 5e6) & (rng.random(n) < 0.5)
        act = rng.random(n) < 0.03
        app_person = rng.random(n) < 0.6
        app_roll = rng.random(n)
        objects = rng.random(n) < 0.05
        requests = rng.random(n) < 0.08
        prior_roll = rng.random(n)
        interf_roll = rng.random(n)
        interf_p = np.array([0.004, 0.03, 0.7, 0.75])

        serial: dict[tuple[str, int], int] = {}
        cases = []
        for k in range(n):
            court = holders[court_idx[k]]
            home_county = county_of[court_idx[k]]
            pref_counties = counties_in_pref.get(home_county[:4], [home_county])
            filed = start - dt.timedelta(days=int(age[k]))
            key = (court["id"], filed.year)
            serial[key] = serial.get(key, 0) + int(rng.integers(1, 4))
            dbt = int(debtor_of[k])
            kind = ("person", "company", "state_owned", "government")[int(dkind[dbt])]
            anchor = county_of[int(first_court[dbt])]
            anchor_pref = counties_in_pref.get(anchor[:4], [anchor])
            roll = dhome_roll[dbt]
            if roll < 0.8 or kind == "government":
                dplace = anchor
            elif roll < 0.95 or not far:
                dplace = anchor_pref[int(roll * 1000) % len(anchor_pref)]
            else:
                dplace = far[int(roll * 1000) % len(far)]
            if app_roll[k] < 0.7:
                aplace = home_county
            elif app_roll[k] < 0.9:
                aplace = pref_counties[int(rng.integers(len(pref_counties)))]
            else:
                pool = far or all_counties
                aplace = pool[int(rng.integers(len(pool)))]
            assets = []
            for a in range(int(n_assets[k])):
                r = rng.random()
                if r < 0.6:
                    place = dplace
                elif r < 0.85:
                    place = pref_counties[int(rng.integers(len(pref_counties)))]
                else:
                    pool = far or all_counties
                    place = pool[int(rng.integers(len(pool)))]
                assets.append({
                    "id": f"A{k:06d}-{a + 1}",
                    "kind": _ASSET_KINDS[int(rng.integers(4))],
                    "place": place,
                    "value": float(round(np.exp(rng.normal(11.8, 1.3)), 2)),
                })
            wl = 1.0
            if complex_[k]:
                wl = float(rng.choice([2.0, 3.0]))
            elif amount[k] > 1e6:
                wl = 1.5
            elif n_assets[k] == 0:
                wl = 0.5
            prior = "none"
            if prior_roll[k] < 0.03:
                prior = "designated"
            elif prior_roll[k] < 0.06:
                prior = "supervised_deadline_missed"
            case = {
                "id": self._case_number(court, filed.year, serial[key]),
                "court": court["id"],
                "filed": filed.isoformat(),
                "excluded_days": int(excl[k]),
                "amount": float(amount[k]),
                "workload": wl,
                "applicant": {
                    "name": self._person(rng) if app_person[k] else self._company(rng, aplace),
                    "kind": "person" if app_person[k] else "company",
                    "place": aplace,
                },
                "debtor": {"name": self._debtor_name(dbt, kind, dplace), "kind": kind,
                           "place": dplace},
                "debtor_id": f"D{dbt:07d}",
                "assets": assets,
                "act_obligation": bool(act[k]),
                "flags": {
                    "interference": bool(interf_roll[k] < interf_p[int(dkind[dbt])]),
                    "passive_handling": bool(passive[k]),
                    "complex": bool(complex_[k]),
                },
                "wish": {
                    "objects_to_transfer": bool(objects[k]),
                    "requests_escalation": bool(requests[k] and age[k] - excl[k] > 180),
                    "preferred_court": None,
                },
                "prior_action": prior,
            }
            cases.append(case)
        # listed cases are part of each court's open caseload
        listed: dict[str, float] = {}
        for case in cases:
            listed[case["court"]] = listed.get(case["court"], 0.0) + case["workload"]
        for c in self.courts:
            c["open_caseload"] = round(max(c["open_caseload"], listed.get(c["id"], 0.0) * 1.25), 1)
        return cases

    def _home_county(self, court: dict[str, Any]) -> str:
        if court["level"] == "basic":
            return str(court["place"])
        # an intermediate court's parties live in the counties of its prefecture
        pref = str(court["place"])[:4]
        for c in self.courts:
            if c["level"] == "basic" and str(c["place"]).startswith(pref):
                return str(c["place"])
        return str(court["place"])

    def _case_number(self, court: dict[str, Any], year: int, serial: int) -> str:
        code = str(court["place"])
        abbr = PROVINCE_ABBR.get(code[:2], "")
        if court["level"] == "basic":
            tag = f"{abbr}{code[2:6]}"
        elif court["level"] == "intermediate":
            tag = f"{abbr}{code[2:4]}"
        else:
            tag = abbr
        return f"（{year}）{tag}执{serial}号"

    def _person(self, rng: np.random.Generator) -> str:
        return _SURNAMES[int(rng.integers(len(_SURNAMES)))] + "某" + ("某" if rng.random() < 0.5 else "")

    def _company(self, rng: np.random.Generator, place: str) -> str:
        county = _short(self.places[place]["name"])
        return f"{county}{_TRADES[int(rng.integers(len(_TRADES)))]}有限公司"

    def _debtor_name(self, debtor: int, kind: str, place: str) -> str:
        county = self.places[place]["name"]
        if kind == "person":
            return _SURNAMES[debtor % len(_SURNAMES)] + "某" + _SURNAMES[(debtor // 7) % len(_SURNAMES)]
        if kind == "company":
            return f"{_short(county)}{_TRADES[debtor % len(_TRADES)]}有限公司（{debtor % 1000:03d}）"
        if kind == "state_owned":
            return f"{_short(county)}{_SOE[debtor % len(_SOE)]}"
        return f"{county}{_AGENCIES[debtor % len(_AGENCIES)]}"


def generate(preset: str, seed: int = 0, cases: int | None = None) -> dict[str, Any]:
    """A scenario of `preset` as a plain dict in the file format; same seed, same scenario."""
    b = _Builder(preset, seed, cases)
    dispatcher = b.build_courts()
    start = dt.date(2026, 1, 1)
    case_list = b.build_cases(start)
    names = {"lishui": "丽水市交叉执行 2026 上半年", "zhejiang": "浙江省交叉执行 2026 上半年",
             "national": "全国交叉执行 2026 上半年"}
    return {
        "format_version": FORMAT_VERSION,
        "name": names[preset] + f"（seed {seed}）",
        "dispatcher": dispatcher,
        "period": {"start": start.isoformat(), "end": dt.date(2026, 6, 30).isoformat()},
        "places": sorted(b.places.values(), key=lambda p: p["id"]),
        "courts": b.courts,
        "cases": case_list,
    }


def to_json(scenario: dict[str, Any], pretty: bool = False) -> str:
    """Deterministic UTF-8 JSON text (Chinese kept as is, not \\u-escaped)."""
    if pretty:
        return json.dumps(scenario, ensure_ascii=False, indent=1) + "\n"
    return json.dumps(scenario, ensure_ascii=False, separators=(",", ":")) + "\n"
