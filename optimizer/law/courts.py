"""The court tree (法院层级): levels, districts (辖区), ancestors, and home localities.

Built once per scenario from plain arrays (parent index per court, level rank, place codes), so
the rules that depend on the hierarchy (who decides, which courts a case may go to, where an
interfered-with case may not go) read one structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

# level ranks, top down: 最高人民法院, 高级, 中级, 基层
SUPREME, HIGH, INTERMEDIATE, BASIC = 0, 1, 2, 3
N_LEVELS = 4


def _frozen(a: NDArray) -> NDArray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class CourtTree:
    """Parent index (−1 at the top) and level rank per court, and the place code of each."""

    parent: NDArray[np.int64]
    level: NDArray[np.int8]
    place: NDArray[np.int64]  # index into `place_codes`
    place_codes: tuple[str, ...]

    @property
    def n_courts(self) -> int:
        return len(self.parent)

    @cached_property
    def ancestors(self) -> NDArray[np.int64]:
        """anc[c, l] = the ancestor of court c at level rank l (itself at its own level), or −1."""
        anc = np.full((self.n_courts, N_LEVELS), -1, dtype=np.int64)
        cur = np.arange(self.n_courts)
        for _ in range(N_LEVELS):  # a chain has at most one court per level
            ok = cur >= 0
            anc[np.flatnonzero(ok), self.level[cur[ok]]] = cur[ok]
            cur = np.where(ok, self.parent[np.maximum(cur, 0)], -1)
        return _frozen(anc)

    @cached_property
    def children(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """CSR (offsets, members) of each court's children."""
        order = np.argsort(self.parent, kind="stable")
        sp = self.parent[order]
        keep = sp >= 0
        order, sp = order[keep], sp[keep]
        offsets = np.searchsorted(sp, np.arange(self.n_courts + 1))
        return _frozen(offsets), _frozen(order)

    def descendants(self, root: int) -> NDArray[np.int64]:
        """The court `root` and every court below it (its district, 辖区)."""
        return np.flatnonzero(self.ancestors[:, self.level[root]] == root)

    def chain(self, court: int) -> list[int]:
        """The court and its ancestors, bottom up."""
        out = [court]
        while self.parent[out[-1]] >= 0:
            out.append(int(self.parent[out[-1]]))
        return out

    def lowest_common_superior(self, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
        """Per pair, the lowest court that is a strict superior of both a and b (−1 if none).
        Two siblings → their parent; a court and its own parent → the grandparent."""
        anc_a, anc_b = self.ancestors[a], self.ancestors[b]
        # only levels strictly above both courts count as superiors
        top = np.minimum(self.level[a], self.level[b])[:, None]
        same = (anc_a == anc_b) & (anc_a >= 0) & (np.arange(N_LEVELS)[None, :] < top)
        deepest = np.where(same.any(axis=1), N_LEVELS - 1 - np.argmax(same[:, ::-1], axis=1), -1)
        return np.where(deepest >= 0, anc_a[np.arange(len(a)), np.maximum(deepest, 0)], -1)

    @cached_property
    def _prefix_codes(self) -> dict[int, NDArray[np.int64]]:
        out = {}
        for digits in (2, 4, 6):
            out[digits] = np.array(
                [int(c[:digits]) if c[:digits].isdigit() else -1 - i
                 for i, c in enumerate(self.place_codes)], dtype=np.int64)
        return out

    def place_prefix(self, place: NDArray[np.int64], digits: int) -> NDArray[np.int64]:
        """The first `digits` digits of each place's region code (unique negatives if not numeric)."""
        return self._prefix_codes[digits][place]

    def same_locality(self, place_a: NDArray[np.int64], place_b: NDArray[np.int64],
                      digits: int) -> NDArray[np.bool_]:
        return self.place_prefix(place_a, digits) == self.place_prefix(place_b, digits)

    @cached_property
    def place_digits(self) -> NDArray[np.int64]:
        """Significant digits of each place's region code (行政区划代码): 2 for a province
        (xx0000), 4 for a prefecture (xxxx00), 6 for a county."""
        return _frozen(np.array([_code_digits(c) for c in self.place_codes], dtype=np.int64))

    def in_home_locality(self, debtor_place: NDArray[np.int64], court_place: NDArray[np.int64],
                         scope_digits: int) -> NDArray[np.bool_]:
        """Does a court sit in the debtor's home locality? The locality is the debtor's county
        (6 digits) or prefecture (4, `interference_scope`), widened to the whole prefecture or
        province when the debtor is registered at that level (a 市政府 or 市属国企: 331100)."""
        digits = np.minimum(self.place_digits[debtor_place], scope_digits)
        out = np.zeros(len(debtor_place), dtype=bool)
        for d in (2, 4, 6):
            sel = digits == d
            out[sel] = self.same_locality(debtor_place[sel], court_place[sel], d)
        return out


def _code_digits(code: str) -> int:
    if len(code) != 6 or not code.isdigit():
        return 6
    if code.endswith("0000"):
        return 2
    return 4 if code.endswith("00") else 6
