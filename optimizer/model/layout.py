"""The column layout of a piece's model: the one place where column offsets live.

Columns, in this order:
- `x[o]`   binary, individual option o (keep / internal / supervise / designate / elevate /
           coordinate) of one case;
- `y[t]`   binary, group target t: every member of a debtor group goes to court t (集中执行);
- `z[p]`   integer, officers lent on pair p (协同执行);
- `s[j,b]` continuous, court j's load above its target in penalty band b (convex: rising slopes).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnLayout:
    n_x: int  # individual options
    n_y: int  # group targets
    n_z: int  # lending pairs
    n_courts: int  # courts whose load can change
    n_bands: int  # penalty bands per court

    @property
    def x0(self) -> int:
        return 0

    @property
    def y0(self) -> int:
        return self.n_x

    @property
    def z0(self) -> int:
        return self.n_x + self.n_y

    @property
    def s0(self) -> int:
        return self.n_x + self.n_y + self.n_z

    @property
    def n_s(self) -> int:
        return self.n_courts * self.n_bands

    @property
    def n_cols(self) -> int:
        return self.s0 + self.n_s

    @property
    def x(self) -> slice:
        return slice(self.x0, self.y0)

    @property
    def y(self) -> slice:
        return slice(self.y0, self.z0)

    @property
    def z(self) -> slice:
        return slice(self.z0, self.s0)

    @property
    def s(self) -> slice:
        return slice(self.s0, self.n_cols)

    @property
    def n_discrete(self) -> int:
        """Columns that must take whole values (x, y and z come first)."""
        return self.s0
