"""Warm starts for what-if variants (假设方案的热启动): what a solved piece leaves behind so
that a variant of the same piece (one court's officers changed, a weight, a shock…) starts
where the base plan ended instead of from nothing.

A piece keeps (only when asked, `SolveParams.keep_warm_start`; in memory, never in the plan
file):
- the residual-capacity cuts its LP ended with (`cuts.py`), with a fingerprint of the
  `coordinate_officers` rows they were derived from. A cut depends only on its row (the cases'
  columns, the officers' columns and k), so it is valid in any variant whose row is the same;
  the fingerprint is what decides that, whatever else the variant changed;
- the LP's optimal basis *with* those cut rows: the variant's LP, cuts included, re-solves in a
  few dual simplex iterations, and the separation rounds find little new;
- the lent officers (z) of its final plan: a variant first tries them as its whole officers
  (one warm LP) instead of diving from the LP's fractional officers.
None of these decides anything: a basis that does not fit is dropped, the carried officers
are only kept when the plan they lead to is within the gap, otherwise the variant dives as a
cold solve does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from optimizer.model.rows import Model
from optimizer.solver import cuts as rc

Basis = tuple[NDArray[np.int8], NDArray[np.int8]]


@dataclass(frozen=True)
class WarmStart:
    """What a variant of the same piece starts from (see the module's docstring)."""

    n_cols: int
    coordinate_key: bytes  # fingerprint of the coordinate_officers rows the cuts come from
    cuts: rc.Cuts
    basis: Basis | None  # columns, then the model's rows followed by the cut rows
    officers: NDArray[np.float64] | None = None  # z of the piece's final plan

    def with_officers(self, m: Model, values: NDArray[np.float64] | None) -> WarmStart:
        return replace(self, officers=None if values is None else values[m.layout.z].copy())


def coordinate_key(rows: list[rc.CoordinateRow]) -> bytes:
    """A fingerprint of the rows cuts are derived from: their columns and k."""
    digest = hashlib.blake2b(digest_size=16)
    for row in rows:
        digest.update(row.x_cols.tobytes())
        digest.update(b"|")
        digest.update(row.z_cols.tobytes())
        digest.update(np.float64(row.k).tobytes())
    return digest.digest()


def carry(m: Model, rows: list[rc.CoordinateRow], warm: WarmStart | None
          ) -> tuple[Model, rc.Cuts | None, Basis | None]:
    """The model with the base's cuts appended when they are valid here (same rows), the
    cuts carried, and the basis when it fits the model with them."""
    if warm is None or warm.n_cols != m.n_cols:
        return m, None, None
    if not warm.cuts.n or warm.coordinate_key != coordinate_key(rows):
        basis = warm.basis if warm.basis is not None and not warm.cuts.n else None
        return m, None, basis if basis is not None and len(basis[1]) == m.n_rows else None
    with_cuts = rc.with_cuts(m, [warm.cuts])
    basis = warm.basis
    fits = basis is not None and len(basis[0]) == m.n_cols and len(basis[1]) == with_cuts.n_rows
    return with_cuts, warm.cuts, basis if fits else None


def officers(m: Model, warm: WarmStart | None) -> NDArray[np.float64] | None:
    """The base's lent officers, inside this model's bounds, or None when they do not fit."""
    if warm is None or warm.officers is None or len(warm.officers) != m.layout.n_z:
        return None
    z = m.layout.z
    return np.clip(np.round(warm.officers), m.lower[z], m.upper[z])


def concat(parts: list[rc.Cuts]) -> rc.Cuts:
    """One set of cut rows from several (in order)."""
    parts = [c for c in parts if c.n]
    if not parts:
        return rc.Cuts(np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    offsets = np.cumsum([0] + [len(c.index) for c in parts[:-1]])
    start = np.concatenate([parts[0].start[:1]]
                           + [c.start[1:] + off for c, off in zip(parts, offsets, strict=True)])
    return rc.Cuts(start.astype(np.int64), np.concatenate([c.index for c in parts]),
                   np.concatenate([c.value for c in parts]),
                   np.concatenate([c.upper for c in parts]))
