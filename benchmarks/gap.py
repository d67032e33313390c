"""Generalized-assignment (GAP) instances through the planner's own engine.

The GAP is the planner's core with court-dependent workloads and hard capacities: jobs (cases)
to agents (courts), each job on exactly one agent, Σ workload ≤ capacity. Instances are turned
into the same `Model` arrays `courtplan solve` builds and solved by the same `solve_piece`.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix

from benchmarks.errors import BenchInputError
from optimizer.model.layout import ColumnLayout
from optimizer.model.pieces import Piece
from optimizer.model.rows import Model
from optimizer.solver.piece import PieceSettings, solve_piece


@dataclass(frozen=True)
class GapInstance:
    name: str
    cost: np.ndarray  # (m, n)
    weight: np.ndarray  # (m, n)
    capacity: np.ndarray  # (m,)

    @property
    def m(self) -> int:
        return int(self.cost.shape[0])

    @property
    def n(self) -> int:
        return int(self.cost.shape[1])


def _tokens(path: Path) -> np.ndarray:
    """The integers of `path`; a token that is not one is named with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BenchInputError(f"{path}: not a GAP instance file (not text)") from None
    try:
        return np.array(text.split(), dtype=np.int64)
    except (ValueError, OverflowError):
        pass
    for lineno, line in enumerate(text.splitlines(), 1):
        for tok in line.split():
            try:
                int(tok)
                np.int64(tok)
            except (ValueError, OverflowError):
                raise BenchInputError(f"{path}, line {lineno}: {tok!r} is not an integer "
                                      "(a GAP instance file holds integers only)") from None
    raise BenchInputError(f"{path}: not a GAP instance file")  # pragma: no cover


def read_gap_file(path: Path) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """All problems of an OR-Library file (leading count) or a Yagiura file (one problem)."""
    tok = _tokens(path)
    problems = []

    def one(pos: int, k: int) -> tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        if pos + 2 > len(tok):
            raise BenchInputError(f"{path}: ends after {len(tok)} numbers, before problem {k}'s sizes")
        m, n = int(tok[pos]), int(tok[pos + 1])
        if m <= 0 or n <= 0:
            raise BenchInputError(f"{path}: problem {k} has {m} agents and {n} jobs (both must be > 0)")
        need = 2 + 2 * m * n + m
        if pos + need > len(tok):
            raise BenchInputError(f"{path}: ends after {len(tok)} numbers; problem {k} "
                                  f"({m} agents × {n} jobs) needs {need} from number {pos + 1}")
        pos += 2
        c = tok[pos:pos + m * n].reshape(m, n)
        pos += m * n
        a = tok[pos:pos + m * n].reshape(m, n)
        pos += m * n
        b = tok[pos:pos + m]
        return pos + m, (c, a, b)

    if len(tok) < 2:
        raise BenchInputError(f"{path}: {len(tok)} numbers, not a GAP instance file")
    m0, n0 = int(tok[0]), int(tok[1])
    if m0 > 0 and n0 > 0 and len(tok) == 2 + 2 * m0 * n0 + m0:  # Yagiura: one problem, no count
        problems.append(one(0, 1)[1])
        return problems
    count = int(tok[0])
    if count <= 0:
        raise BenchInputError(f"{path}: starts with {count}, not a number of problems")
    pos = 1
    for k in range(1, count + 1):
        pos, prob = one(pos, k)
        problems.append(prob)
    if pos != len(tok):
        raise BenchInputError(f"{path}: {len(tok) - pos} numbers left over after the {count} "
                              "problems the file announces (its first number)")
    return problems


BEST_KNOWN_COLUMNS = ("instance", "file", "index", "best_known")


def load_instances(best_known: Path, files: list[Path]) -> list[tuple[GapInstance, dict[str, str]]]:
    """Instances of `files`, named and ordered as in best_known.csv (columns instance, file,
    index, best_known; `file` relative to the CSV's folder, `index` from 1 within the file)."""
    root = best_known.parent
    try:
        with best_known.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in BEST_KNOWN_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise BenchInputError(
                    f"{best_known}: missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)} (needs {', '.join(BEST_KNOWN_COLUMNS)})")
            rows = [(reader.line_num, r) for r in reader]
    except (UnicodeDecodeError, csv.Error) as e:
        raise BenchInputError(f"{best_known}: not a readable CSV ({e})") from None
    wanted = {f.resolve() for f in files}
    cache: dict[Path, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    out = []
    for line, r in rows:
        where = f"{best_known}, line {line} ({r['instance']!r})"
        if not r["file"]:
            raise BenchInputError(f"{where}: empty file column")
        path = (root / r["file"]).resolve()
        if path not in wanted:
            continue
        try:
            index = int(r["index"])
        except (TypeError, ValueError):
            raise BenchInputError(f"{where}: index {r['index']!r} is not an integer") from None
        try:
            best = float(r["best_known"])
        except (TypeError, ValueError):
            raise BenchInputError(f"{where}: best_known {r['best_known']!r} is not a number") from None
        if not np.isfinite(best):
            raise BenchInputError(f"{where}: best_known {r['best_known']!r} is not a finite number")
        if path not in cache:
            cache[path] = read_gap_file(path)
        if not 1 <= index <= len(cache[path]):
            raise BenchInputError(f"{where}: index {index}, but {path} holds {len(cache[path])} "
                                  f"problem{'s' if len(cache[path]) > 1 else ''}")
        c, a, b = cache[path][index - 1]
        out.append((GapInstance(r["instance"], c, a, b), r))
    return out


def gap_model(g: GapInstance) -> Model:
    """The planner's model arrays for a GAP: one_option rows and hard load ceilings."""
    m, n = g.m, g.n
    opt_case = np.tile(np.arange(n), m)
    opt_court = np.repeat(np.arange(m), n)
    n_x = m * n
    rows = np.r_[opt_case, n + opt_court]
    cols = np.r_[np.arange(n_x), np.arange(n_x)]
    vals = np.r_[np.ones(n_x), g.weight.ravel().astype(np.float64)]
    a = coo_matrix((vals, (rows, cols)), shape=(n + m, n_x)).tocsc()
    e = np.zeros(0, dtype=np.int64)
    piece = Piece(cases=np.arange(n), options=np.arange(n_x), targets=e, lends=e,
                  courts=np.arange(m))
    return Model(
        piece=piece, cost=g.cost.ravel().astype(np.float64), lower=np.zeros(n_x),
        upper=np.ones(n_x), integer=np.ones(n_x, dtype=bool),
        row_lower=np.r_[np.ones(n), np.full(m, -np.inf)],
        row_upper=np.r_[np.ones(n), g.capacity.astype(np.float64)],
        layout=ColumnLayout(n_x, 0, 0, 0, 0),
        row_family={"one_option": slice(0, n), "load_band": slice(n, n),
                    "load_ceiling": slice(n, n + m)},
        a_start=a.indptr.astype(np.int64), a_index=a.indices.astype(np.int64),
        a_value=a.data.astype(np.float64), band_width=np.zeros(0), x_case=opt_case, y_group=e,
        z_lender=e, z_cap=np.zeros(0),
    )


def solve_gap(g: GapInstance, time_limit: float, seed: int = 0, improve_share: float = 0.0,
              assignment_search_share: float = 0.3) -> dict[str, float | str]:
    t0 = time.perf_counter()
    model = gap_model(g)
    r = solve_piece(model, PieceSettings(time_limit=time_limit, gap=0.0, seed=seed,
                                         improve_share=improve_share,
                                         assignment_search_share=assignment_search_share))
    seconds = time.perf_counter() - t0
    obj = r.objective if r.values is not None else float("nan")
    if r.values is not None:  # check the answer independently of the solver
        x = np.round(r.values[: g.m * g.n]).reshape(g.m, g.n)
        assert np.all(x.sum(axis=0) == 1), "a job is not assigned exactly once"
        assert np.all((x * g.weight).sum(axis=1) <= g.capacity + 1e-9), "capacity exceeded"
        obj = float((x * g.cost).sum())
    return {"objective": obj, "bound": r.bound, "seconds": seconds, "status": r.status,
            "method": r.method}
