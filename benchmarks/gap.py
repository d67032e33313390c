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


def read_gap_file(path: Path) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """All problems of an OR-Library file (leading count) or a Yagiura file (one problem)."""
    tok = np.array(path.read_text().split(), dtype=np.int64)
    problems = []

    def one(pos: int) -> tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        m, n = int(tok[pos]), int(tok[pos + 1])
        pos += 2
        c = tok[pos:pos + m * n].reshape(m, n)
        pos += m * n
        a = tok[pos:pos + m * n].reshape(m, n)
        pos += m * n
        b = tok[pos:pos + m]
        return pos + m, (c, a, b)

    m0, n0 = int(tok[0]), int(tok[1])
    if len(tok) == 2 + 2 * m0 * n0 + m0:  # Yagiura: a single problem without the count
        problems.append(one(0)[1])
        return problems
    pos = 1
    for _ in range(int(tok[0])):
        pos, prob = one(pos)
        problems.append(prob)
    return problems


def load_instances(best_known: Path, files: list[Path]) -> list[tuple[GapInstance, dict[str, str]]]:
    """Instances of `files`, named and ordered as in best_known.csv (columns file, index)."""
    root = best_known.parent
    rows = list(csv.DictReader(best_known.open()))
    wanted = {f.resolve() for f in files}
    cache: dict[Path, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    out = []
    for r in rows:
        path = (root / r["file"]).resolve()
        if path not in wanted:
            continue
        if path not in cache:
            cache[path] = read_gap_file(path)
        c, a, b = cache[path][int(r["index"]) - 1]
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


def solve_gap(g: GapInstance, time_limit: float, seed: int = 0) -> dict[str, float | str]:
    t0 = time.perf_counter()
    model = gap_model(g)
    r = solve_piece(model, PieceSettings(time_limit=time_limit, gap=0.0, seed=seed))
    seconds = time.perf_counter() - t0
    obj = r.objective if r.values is not None else float("nan")
    if r.values is not None:  # check the answer independently of the solver
        x = np.round(r.values[: g.m * g.n]).reshape(g.m, g.n)
        assert np.all(x.sum(axis=0) == 1), "a job is not assigned exactly once"
        assert np.all((x * g.weight).sum(axis=1) <= g.capacity + 1e-9), "capacity exceeded"
        obj = float((x * g.cost).sum())
    return {"objective": obj, "bound": r.bound, "seconds": seconds, "status": r.status,
            "method": r.method}
