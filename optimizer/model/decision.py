"""A decision: which option every case takes, which target every debtor group, how many
officers each lending pair lends. Rows refer to `Options`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Decision:
    """What the plan decides: per case an individual option row (or −1 when its group is
    concentrated), per group a target row (or −1), per lending pair the officers lent."""

    option: NDArray[np.int64]
    group_target: NDArray[np.int64]
    lent: NDArray[np.int64]
