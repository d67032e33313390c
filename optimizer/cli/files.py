"""Commands for the planners' files: spreadsheets in and out, the HTML report, document drafts.

import (workbook → scenario JSON), template (an empty documented workbook), export-scenario
(scenario → workbook), export (plan → workbook), report (plan → one offline HTML file), drafts
(plan → DOCX drafts of the documents each decision needs).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from optimizer.cli.common import err
from optimizer.data.scenario import Scenario
from optimizer.data.validate import Defect, ScenarioError
from optimizer.io.files import write_atomic
from optimizer.results.plan import Plan


def _read_plan(path: str) -> Plan:
    from optimizer.data.read import decode_json, read_bytes_bounded

    raw = decode_json(read_bytes_bounded(path), path)
    try:
        return Plan.from_dict(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ScenarioError([Defect(path, None, f"不是 courtplan 方案文件 (not a plan file: "
                                                f"{type(e).__name__} {e})")]) from None


def _read_scenario(path: str | None) -> Scenario | None:
    from optimizer.data.read import read_scenario

    return read_scenario(path) if path else None


def _done(what: str) -> None:
    print(what, file=sys.stderr)


def cmd_import(a: argparse.Namespace) -> int:
    from optimizer.io.xlsx_in import import_workbook

    imported = import_workbook(a.workbook)
    scenario = imported.scenario
    if imported.warnings:
        _done(f"注意 {len(imported.warnings)} warning(s):")
        for w in imported.warnings:
            _done(f"  - {w}")
    text = json.dumps(scenario.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(a.out, text)
        _done(f"wrote {a.out}: {len(scenario.courts)} courts 法院, {len(scenario.cases)} cases 案件, "
              f"{len(scenario.places)} places 地点")
    return 0


def cmd_template(a: argparse.Namespace) -> int:
    from optimizer.io.xlsx_scenario import write_template

    write_template(a.xlsx)
    _done(f"wrote {a.xlsx}: empty scenario workbook 空白模板 (see its 说明 sheet)")
    return 0


def cmd_export_scenario(a: argparse.Namespace) -> int:
    from optimizer.data.read import read_scenario
    from optimizer.io.xlsx_scenario import write_scenario_workbook

    scenario = read_scenario(a.scenario)
    write_scenario_workbook(scenario, a.xlsx)
    _done(f"wrote {a.xlsx}: {len(scenario.cases)} cases 案件 in the case-system format")
    if scenario.debtors or scenario.terminated or scenario.history:
        err("注意 note: the workbook does not carry the debtors, 终本库 and history blocks "
            "(工作簿不含被执行人、终本库与近期数据; docs/outcomes.md): keep the scenario file for them")
    return 0


def cmd_export(a: argparse.Namespace) -> int:
    from optimizer.io.xlsx_out import write_plan_workbook

    plan = _read_plan(a.plan)
    write_plan_workbook(plan, a.xlsx, _read_scenario(a.scenario))
    sheets = ", 预测, 执转破" if a.scenario else ""
    _done(f"wrote {a.xlsx}: 汇总, 案件 ({len(plan.cases)}), 法院 ({len(plan.courts)}), 人员调配{sheets}")
    return 0


def cmd_report(a: argparse.Namespace) -> int:
    from optimizer.report.html import plan_report

    plan = _read_plan(a.plan)
    scenario = _read_scenario(a.scenario)
    assert scenario is not None  # required by the parser
    write_atomic(a.html, plan_report(plan, scenario))
    _done(f"wrote {a.html}: one self-contained page 报告 (works offline)")
    return 0


def cmd_drafts(a: argparse.Namespace) -> int:
    from optimizer.report.drafts import draft_docx, drafts_zip

    plan = _read_plan(a.plan)
    scenario = _read_scenario(a.scenario)
    assert scenario is not None
    if a.one:
        write_atomic(a.out, draft_docx(plan, scenario, a.one))
        _done(f"wrote {a.out}: draft 文书草稿 for {a.one}")
        return 0
    data, count = drafts_zip(plan, scenario, a.cases or None, a.consult_letters)
    write_atomic(a.out, data)
    _done(f"wrote {a.out}: {count} drafts 文书草稿 (one .docx per case)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    im = sub.add_parser("import", help="read a scenario workbook (.xlsx) into a scenario file")
    im.add_argument("workbook")
    im.add_argument("--out", required=True, help="scenario JSON to write, or - for stdout")
    im.set_defaults(func=cmd_import)
    te = sub.add_parser("template", help="write an empty, documented scenario workbook")
    te.add_argument("--xlsx", required=True, type=Path)
    te.set_defaults(func=cmd_template)
    es = sub.add_parser("export-scenario", help="write a scenario as a workbook (case-system format)")
    es.add_argument("scenario")
    es.add_argument("--xlsx", required=True, type=Path)
    es.set_defaults(func=cmd_export_scenario)
    ex = sub.add_parser("export", help="write a plan as a workbook for reading")
    ex.add_argument("plan")
    ex.add_argument("--xlsx", required=True, type=Path)
    ex.add_argument("--scenario", default=None, help="adds parties, amounts and filing dates")
    ex.set_defaults(func=cmd_export)
    re_ = sub.add_parser("report", help="write a plan as one self-contained HTML page")
    re_.add_argument("plan")
    re_.add_argument("--scenario", required=True)
    re_.add_argument("--html", required=True, type=Path)
    re_.set_defaults(func=cmd_report)
    dr = sub.add_parser("drafts", help="write DOCX drafts of the documents the decisions need")
    dr.add_argument("plan")
    dr.add_argument("cases", nargs="*", metavar="CASE", help="only these case numbers (案号)")
    dr.add_argument("--scenario", required=True)
    dr.add_argument("--out", required=True, type=Path, help="a .zip (or a .docx with --one)")
    dr.add_argument("--one", default=None, metavar="CASE", help="one case's draft as a .docx")
    dr.add_argument("--consult-letters", action="store_true",
                    help="also a 征询意见函 per debtor group screened consult (执转破)")
    dr.set_defaults(func=cmd_drafts)
