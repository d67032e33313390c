"""The seeded generator: deterministic, realistic shapes, valid output."""

from __future__ import annotations

from collections import Counter

import pytest

from optimizer.cli import main
from optimizer.data.generate import MAX_CASES, generate, to_json
from optimizer.data.read import parse_scenario


def test_same_seed_same_bytes_and_different_seed_differs():
    a = to_json(generate("lishui", seed=3))
    assert a == to_json(generate("lishui", seed=3))
    assert a != to_json(generate("lishui", seed=4))


def test_lishui_preset_shape():
    d = generate("lishui", seed=0)
    s = parse_scenario(to_json(d).encode())
    assert len(s.courts) == 10
    basic = {c.name for c in s.courts if c.level == "basic"}
    assert basic == {"丽水市莲都区人民法院", "龙泉市人民法院", "青田县人民法院", "缙云县人民法院",
                     "遂昌县人民法院", "松阳县人民法院", "云和县人民法院", "庆元县人民法院",
                     "景宁畲族自治县人民法院"}
    assert 1400 <= len(s.cases) <= 1600
    assert all(15 <= c.officers <= 60 for c in s.courts if c.level == "basic")
    # caseload follows population: 莲都 (562k) busier than 景宁 (111k)
    load = {c.name: c.open_caseload for c in s.courts}
    assert load["丽水市莲都区人民法院"] > 2 * load["景宁畲族自治县人民法院"]


def test_case_distributions_follow_the_domain_numbers():
    s = parse_scenario(to_json(generate("lishui", seed=1)).encode())
    n = len(s.cases)
    interference = [k for k in s.cases if k.flags.interference]
    assert 0.05 <= len(interference) / n <= 0.15
    state = sum(k.debtor.kind in ("state_owned", "government") for k in interference)
    assert state / len(interference) > 0.5  # concentrated on state-owned and government debtors
    old = sum((s.period.start - k.filed).days > 180 for k in s.cases)
    assert old / n > 0.3
    assert max(len(k.assets) for k in s.cases) == 4
    per_debtor = Counter(k.debtor_id for k in s.cases)
    assert max(per_debtor.values()) >= 5
    multi_court = {d for d in per_debtor if len({k.court for k in s.cases if k.debtor_id == d}) > 1}
    assert multi_court
    assert all("执" in k.id and k.id.startswith("（20") for k in s.cases)


def test_zhejiang_shape_small():
    d = generate("zhejiang", seed=0, cases=500)
    s = parse_scenario(to_json(d).encode())
    levels = Counter(c.level.value for c in s.courts)
    assert levels == {"high": 1, "intermediate": 11, "basic": levels["basic"]}
    assert 85 <= levels["basic"] <= 92
    assert len(s.cases) == 500


@pytest.mark.parametrize("value", ["-5", "0", "abc", "1.5", "2000001"])
def test_cli_refuses_a_bad_case_count(value, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["generate", "--preset", "lishui", "--cases", value, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("courtplan: --cases ")
    assert "1 to 2,000,000" in err and repr(value) in err
    assert not out.exists()


def test_cli_cases_overrides_the_preset(tmp_path):
    out = tmp_path / "s.json"
    assert main(["generate", "--preset", "lishui", "--seed", "2", "--cases", "7", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == to_json(generate("lishui", seed=2, cases=7), pretty=True)


@pytest.mark.parametrize("cases", [-5, 0, MAX_CASES + 1, 2.0, True])
def test_generate_refuses_a_bad_case_count(cases):
    with pytest.raises(ValueError, match="whole number from 1 to 2,000,000"):
        generate("lishui", cases=cases)


def test_generate_refuses_an_unknown_preset():
    with pytest.raises(ValueError, match="unknown preset 'hangzhou'"):
        generate("hangzhou")
