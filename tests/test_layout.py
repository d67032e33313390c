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


# ---------------------------------------------------------------- the service and the benchmarks
API = ROOT / "api"
BENCHMARKS = ROOT / "benchmarks"
#: each edge may import these top-level packages of the repository (and the world outside it)
EDGE_MAY_IMPORT = {"api": ("api", "optimizer"), "benchmarks": ("benchmarks", "optimizer", "api")}
REPOSITORY_PACKAGES = ("api", "benchmarks", "optimizer", "tests")
#: calls that change the database's state: in a route they belong in `api/crud.py` (or the jobs)
STATE_CHANGES = {"add", "add_all", "merge", "delete", "flush", "execute", "commit"}
SQL_WRITES = {"update", "insert", "delete"}


def _edge_modules() -> list[Path]:
    """api/ (its Alembic migrations aside: generated, versioned history) and benchmarks/."""
    return sorted(p for p in [*API.rglob("*.py"), *BENCHMARKS.rglob("*.py")]
                  if "migrations" not in p.relative_to(ROOT).parts)


@pytest.mark.parametrize("path", _edge_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_edges_are_short(path: Path) -> None:
    test_modules_and_functions_are_short(path)


@pytest.mark.parametrize("path", _edge_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_edges_import_only_what_they_may(path: Path) -> None:
    """The service uses the library, never the benchmarks or the tests; the benchmarks use
    the library and the service; the library below reaches neither (tested above). Inside
    `api/`, only `api/main.py` knows the routes."""
    edge = path.relative_to(ROOT).parts[0]
    for name in _imports(path):
        top = name.split(".")[0]
        if top in REPOSITORY_PACKAGES:
            assert top in EDGE_MAY_IMPORT[edge], f"{path}: imports {name}"
        in_routes = path.parent == API / "routes"
        if name.startswith("api.routes") and not in_routes:
            assert path == API / "main.py", f"{path}: imports the routes ({name})"


@pytest.mark.parametrize("path", sorted((API / "routes").glob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_routes_change_no_state(path: Path) -> None:
    """A route reads, checks and answers; every write of the session (rows added, updated,
    flushed, a loaded row's attribute set) lives in `api/crud.py` or the jobs, where it can
    be found, reused and tested without HTTP."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # (a route may set its own answer's status and headers: a parameter typed `Response`)
    responses = {a.arg for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                 for a in f.args.args if a.annotation is not None
                 and ast.unparse(a.annotation).endswith("Response")}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
            writes = SQL_WRITES & {a.name for a in node.names}
            assert not writes, f"{path}:{node.lineno} imports the SQL writes {sorted(writes)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in STATE_CHANGES, \
                f"{path}:{node.lineno} {ast.unparse(node.func)}(…) changes state in a route"
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                assert not isinstance(target, ast.Attribute) or ast.unparse(target.value) in responses, \
                    f"{path}:{node.lineno} sets {ast.unparse(target)} in a route"
