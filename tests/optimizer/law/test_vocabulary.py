"""One vocabulary: a mode's facts live in its spec and reach every table derived from them; each
label, status and error shape has one source (`optimizer/law/vocabulary.py`,
`optimizer/law/errors.py`), and no other module of `optimizer/` or `api/` re-declares one."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

from optimizer.data.read import parse_scenario
from optimizer.law.modes import MODE_SPECS, Mode
from optimizer.law.vocabulary import (
    KPI_LABELS,
    PLAN_STATUS_LABELS,
    RULE_DETAILS,
    RULE_LABELS,
    RUN_STATUS_LABELS,
    PlanStatus,
    RunStatus,
    served_vocabulary,
)
from optimizer.pipeline import plan_scenario
from optimizer.solver.params import SolveParams

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "tests" / "data" / "tiny.json"

#: a script that adds a made-up mode to `optimizer/law/modes.py` in memory, the way
#: docs/dev/new-mode.md says, then asks every derived table about it
ADD_MODE = Path(__file__).resolve().parent / "add_mode.py"


def test_a_new_mode_reaches_every_table() -> None:
    """The made-up mode 执行和解促进, declared only in modes.py, is in every table derived from
    the specs, and a pin to it is refused with its own verb (not a KeyError)."""
    done = subprocess.run([sys.executable, str(ADD_MODE), str(ROOT), str(TINY)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    missing = [table for table, ok in found.items() if not ok]
    assert not missing, f"the new mode is missing from: {missing}"


def test_every_kpi_and_rule_count_has_one_label() -> None:
    """The KPIs and rule counts a plan carries are exactly the labelled ones, and a KPI that is
    a rule count is labelled as that rule (one count, one name)."""
    plan = plan_scenario(parse_scenario(TINY.read_bytes()), params=SolveParams(time_limit=20))
    flat = {k for k, v in plan.kpis.items() if not isinstance(v, dict)}  # (not the nested ones)
    assert flat == set(KPI_LABELS)
    assert set(plan.kpis["rules"]) == set(RULE_LABELS)
    assert set(RULE_LABELS) >= RULE_DETAILS
    assert KPI_LABELS["interference_cases"] == RULE_LABELS["interference_flagged"] \
        == ("不当干预案件（已标记、已规划）", "interference cases (flagged, planned)")
    assert KPI_LABELS["terminable_candidates"] == RULE_LABELS["terminable_not_moved"]
    assert "终本 candidates" not in " ".join(label.en for label in KPI_LABELS.values())


def test_the_served_vocabulary_covers_every_mode_status_and_label() -> None:
    v = served_vocabulary()
    assert [m["key"] for m in v["modes"]] == [s.key for s in MODE_SPECS]
    assert set(v["plan_statuses"]) == {str(s) for s in PlanStatus} == {str(s) for s in PLAN_STATUS_LABELS}
    assert set(v["run_statuses"]) == {str(s) for s in RunStatus} == {str(s) for s in RUN_STATUS_LABELS}
    assert set(v["kpis"]) == set(KPI_LABELS) and set(v["rules"]) == set(RULE_LABELS)
    assert all(label["zh"] and label["en"] for group in ("kpis", "rules", "phases", "terms")
               for label in v[group].values())
    json.dumps(v)  # plain JSON


# ---------------------------------------------------------------- one source, checked
#: plan and piece statuses are spelt nowhere but in the vocabulary; run statuses nowhere in the
#: service (`api/`: a run is a service's notion; `optimizer/outcomes` has a case outcome "done")
_PLAN_WORDS = {str(s) for s in PlanStatus}
_STATUS_WORDS = _PLAN_WORDS | {str(s) for s in RunStatus}
_SOURCES = ("vocabulary.py", "errors.py")  # the declarations themselves (optimizer/law/)


def _modules() -> list[Path]:
    out = sorted((ROOT / "optimizer").rglob("*.py")) + sorted((ROOT / "api").rglob("*.py"))
    return [p for p in out if "migrations" not in p.parts
            and not (p.parent.name == "law" and p.name in _SOURCES)]


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant):
            out.add(id(node.body[0].value))
    return out


def _enum_members(tree: ast.AST) -> set[int]:
    """String values of enum members (another system's statuses, e.g. HiGHS's)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any("Enum" in ast.unparse(b) for b in node.bases):
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Constant):
                    out.add(id(item.value))
    return out


def test_no_module_spells_a_status_by_hand() -> None:
    """Plan, piece and run statuses are compared and written as the enums, never as strings."""
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree) | _enum_members(tree)
        words = _STATUS_WORDS if path.is_relative_to(ROOT / "api") else _PLAN_WORDS
        found += [f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and node.value in words and id(node) not in skip]
    assert not found, "status strings outside optimizer/law/vocabulary.py:\n" + "\n".join(found)


def test_no_module_builds_the_error_shape_by_hand() -> None:
    """Every {path, record, message} item comes from `error_item`."""
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if {"path", "message"} <= keys:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "hand-built error items:\n" + "\n".join(found)


def test_the_dashboard_keeps_no_copy_of_the_vocabulary() -> None:
    """api/static/i18n.js holds the page's own words only; modes, statuses, phases, KPIs and
    rules come from GET /vocabulary."""
    script = (ROOT / "api" / "static" / "i18n.js").read_text(encoding="utf-8")
    keys = re.findall(r"'([a-z_]+\.[a-z_0-9]+)':", script)
    v = served_vocabulary()
    served = {"mode": {m["key"] for m in v["modes"]}, "status": set(v["plan_statuses"]),
              "run": set(v["run_statuses"]), "phase": set(v["phases"]), "kpi": set(v["kpis"]),
              "rule": set(v["rules"]), "coordination": set(v["coordination"]),
              "proj": set(v["projection"]), "screen": set(v["screening"])}
    copied = [k for k in keys if k.split(".")[1] in served.get(k.split(".")[0], ())]
    assert not copied, f"i18n.js copies served labels: {copied}"
    for label in list(KPI_LABELS.values()) + list(RULE_LABELS.values()):
        assert label.zh not in script, f"i18n.js spells {label.zh} by hand"
    assert [m.key for m in Mode] == [m["key"] for m in v["modes"]]
