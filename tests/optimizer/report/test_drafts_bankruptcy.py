"""The 执转破 drafts: a 移送破产审查决定书 for each group the plan suspends (none once the planner
overrides it), a 征询意见函 for each group to consult when asked, in the drafts' placeholder
style, citing what the law folder holds."""

from __future__ import annotations

import copy
import io
import re
import zipfile

from optimizer.data.changes import ChangeSet
from optimizer.data.read import parse_scenario
from optimizer.pipeline import plan_scenario
from optimizer.report.drafts import drafts_zip
from tests.screening_scenarios import SCENARIOS


def _files(raw: dict, changes: ChangeSet | None = None, consult_letters: bool = False
           ) -> dict[str, str]:
    s = parse_scenario(copy.deepcopy(raw))
    data, count = drafts_zip(plan_scenario(s, changes), s, consult_letters=consult_letters)
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            with zipfile.ZipFile(io.BytesIO(z.read(name))) as d:
                xml = d.read("word/document.xml").decode("utf-8")
            out[name] = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert count == len(out)
    return out


def test_a_transfer_group_gets_its_decision_from_the_consenting_court() -> None:
    files = _files(SCENARIOS["transfer_applicant_consent"][0])
    text = files["X_移送破产审查决定书.docx"]
    assert text.startswith("青田县人民法院移送破产审查决定书")  # X1 (at B, 青田) carries the consent
    assert "丽水市中级人民法院：" in text and "移送丽水市中级人民法院进行破产审查" in text
    assert "第五百一十一条" in text and "法发〔2017〕2号" in text
    assert "王某于二〇二五年十二月十五日书面同意" in text
    assert "通知丽水市莲都区人民法院" in text  # the other executing court suspends too
    assert "91331100MA28F3KX0D" in text and "【待填：具体事实与证据】" in text
    assert "院长　【待填：姓名】" in text
    assert not re.search(r"[A-Za-z]{4,}", text.replace("MA28F3KX0D", ""))  # no English prose


def test_no_decision_once_the_planner_overrides_it() -> None:
    files = _files(SCENARIOS["transfer_applicant_consent"][0], ChangeSet(not_transfer=("X",)))
    assert not any("移送破产审查决定书" in name for name in files)


def test_consult_letters_only_when_asked() -> None:
    raw = SCENARIOS["enterprise_zhongben_no_consent"][0]
    assert not any("征询意见函" in name for name in _files(raw))
    text = _files(raw, consult_letters=True)["X_征询意见函.docx"]
    assert "书面答复是否同意移送破产审查" in text and "第五百一十四条" in text
    assert "被裁定终结本次执行程序" in text  # the sign of insolvency the court holds
    assert "【待填：答复期限】" in text
