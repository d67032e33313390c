"""The layout rules of `optimizer/`, checked: data flows one way through the stages, the
library never reaches the web layer, modules and functions stay small enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "optimizer"
#: the stages in data-flow order; a stage may import only from itself and earlier ones
STAGES = ("law", "data", "model", "solver", "results", "outcomes", "workbench", "io", "report")
EDGES = {"pipeline", "cli"}  # the edges may import any stage
#: stages that may import the `pipeline` edge (the planner's workbench re-solves variants)
USES_PIPELINE = {"workbench"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _stage(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem  # a package, or a top module


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_stage_imports_only_earlier_stages(path: Path) -> None:
    stage = _stage(path)
    for name in _imports(path):
        forbidden = ("api", "tests") if stage == "cli" else ("api", "benchmarks", "tests")
        # (`courtplan bench` runs the repository's benchmark scripts from a checkout)
        assert not name.startswith(forbidden), f"{path}: imports {name}"
        if not name.startswith("optimizer.") or stage in EDGES or stage == "__init__":
            continue
        target = name.split(".")[1]
        if target in EDGES and not (target == "pipeline" and stage in USES_PIPELINE):
            pytest.fail(f"{path}: a stage imports the edge {name}")
        if stage in STAGES and target in STAGES:
            assert STAGES.index(target) <= STAGES.index(stage), \
                f"{path} ({stage}) imports {name} ({target}), a later stage"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_are_short(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_MODULE_LINES, f"{path}: {text.count(chr(10))} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{path}:{node.lineno} {node.name}: {length} lines"


def test_the_library_does_not_print() -> None:
    for path in _modules():
        if _stage(path) == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                pytest.fail(f"{path}:{node.lineno} prints (only the CLI prints)")
