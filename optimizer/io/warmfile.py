"""The warm-start file beside a plan (`plan.json.warm.npz`): what a what-if variant planned
from the command line (`courtplan solve … --warm-start plan.json`) starts from — each piece's
cuts, LP basis and whole officers (`optimizer/solver/warm.py`), as plain numeric arrays in a
NumPy archive (read without pickle).

It is a solver's cache, not a record: nothing in it decides anything (a variant validates each
carried cut against its own rows and maps the rest by column and row keys), so a file from
another scenario only makes the start worse, never the plan wrong. A damaged file is refused
with a message naming it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

from optimizer.io.files import write_atomic
from optimizer.law.errors import UserError
from optimizer.solver.cuts import Cuts
from optimizer.solver.warm import WarmStart

FORMAT = 1
_ARRAYS = ("courts", "col_key", "row_key", "cut_start", "cut_index", "cut_value",
           "cut_upper", "basis_cols", "basis_rows", "officers")


class WarmFileError(UserError):
    """A warm-start file that cannot be read (named in the message)."""

    path = "warm_start"


def warm_path(plan_path: str | Path) -> Path:
    """Where the warm start of the plan file `plan_path` lives."""
    return Path(f"{plan_path}.warm.npz")


def write_warm(path: str | Path, warm_starts: dict[tuple[int, ...], WarmStart],
               scenario: str | None = None) -> None:
    """Write the pieces' warm starts (atomically: a reader never sees half a file), with the
    name of the scenario they belong to."""
    write_atomic(path, warm_bytes(warm_starts, scenario))


def warm_bytes(warm_starts: dict[tuple[int, ...], WarmStart], scenario: str | None = None) -> bytes:
    """The pieces' warm starts as the bytes of a warm-start file (and the scenario's name)."""
    arrays: dict[str, np.ndarray] = {"format": np.array([FORMAT]),
                                     "pieces": np.array([len(warm_starts)])}
    if scenario is not None:
        arrays["scenario"] = np.array([scenario], dtype=np.str_)
    for n, (courts, w) in enumerate(warm_starts.items()):
        empty = np.zeros(0, dtype=np.int8)
        values: tuple[np.ndarray, ...] = (
                  np.asarray(courts, dtype=np.int64), w.col_key, w.row_key,
                  w.cuts.start, w.cuts.index, w.cuts.value, w.cuts.upper,
                  w.basis[0] if w.basis else empty, w.basis[1] if w.basis else empty,
                  w.officers if w.officers is not None else np.zeros(0))
        arrays.update({f"{n}_{name}": v for name, v in zip(_ARRAYS, values, strict=True)})
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def read_warm(path: str | Path | bytes, name: str | None = None
              ) -> dict[tuple[int, ...], WarmStart]:
    """The warm starts in `path` (or in the bytes of such a file, called `name` in messages);
    `WarmFileError` naming the file when it is not one."""
    if isinstance(path, bytes):
        return _read(io.BytesIO(path), name or "(warm start)")
    return _read(path, str(path))


def warm_scenario(path: str | Path) -> str | None:
    """The name of the scenario whose plan wrote the warm-start file (None: not recorded, or
    not readable — `read_warm` then names the problem)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if "scenario" not in z.files or z["scenario"].dtype.kind != "U":
                return None
            return str(z["scenario"][0])
    except (OSError, KeyError, IndexError, TypeError, ValueError, AttributeError,
            zipfile.BadZipFile):
        return None


def _read(source: str | Path | io.BytesIO, name: str) -> dict[tuple[int, ...], WarmStart]:
    try:
        z = np.load(source, allow_pickle=False)
        if not isinstance(z, np.lib.npyio.NpzFile):  # a lone .npy array, not an archive
            raise ValueError("not a NumPy archive")
        with z:
            version = int(_vector(z, "format", np.integer)[0])
            if version != FORMAT:
                raise WarmFileError(f"{name}: warm-start format {version}, this courtplan reads "
                                    f"{FORMAT}")
            out = {}
            for n in range(int(_vector(z, "pieces", np.integer)[0])):
                a = {key: _vector(z, f"{n}_{key}", _KINDS[key]) for key in _ARRAYS}
                out[tuple(a["courts"].astype(np.int64).tolist())] = _warm(a)
            return out
    except WarmFileError:
        raise
    except (OSError, KeyError, IndexError, TypeError, ValueError, zipfile.BadZipFile) as e:
        raise WarmFileError(f"{name}: not a courtplan warm-start file ({e})") from None


#: the kind of numbers each array must hold (a file with others is refused, not converted)
_KINDS: dict[str, type] = {"courts": np.integer, "col_key": np.integer, "row_key": np.integer,
                           "cut_start": np.integer, "cut_index": np.integer,
                           "cut_value": np.floating, "cut_upper": np.floating,
                           "basis_cols": np.integer, "basis_rows": np.integer,
                           "officers": np.floating}


def _vector(z: np.lib.npyio.NpzFile, key: str, kind: type) -> np.ndarray:
    """Array `key` of the archive: one-dimensional, of the expected kind of number, finite."""
    v = z[key]
    if v.ndim != 1 or not (np.issubdtype(v.dtype, kind) or (len(v) == 0 and v.dtype.kind in "iuf")):
        raise ValueError(f"{key}: a one-dimensional array of {kind.__name__} expected")
    if v.dtype.kind == "f" and not np.all(np.isfinite(v)):
        raise ValueError(f"{key}: not finite")
    return v


def _warm(a: dict[str, np.ndarray]) -> WarmStart:
    cuts = Cuts(a["cut_start"].astype(np.int64), a["cut_index"].astype(np.int64),
                a["cut_value"].astype(np.float64), a["cut_upper"].astype(np.float64))
    n_cols, n_rows = len(a["col_key"]), len(a["row_key"])
    if np.any(a["col_key"] < 0) or np.any(a["row_key"] < 0):
        raise ValueError("keys out of shape")
    if (len(cuts.start) != cuts.n + 1 or cuts.start[0] != 0 or np.any(np.diff(cuts.start) < 0)
            or cuts.start[-1] != len(cuts.index) or len(cuts.value) != len(cuts.index)
            or np.any((cuts.index < 0) | (cuts.index >= n_cols))
            or not np.all(np.isfinite(cuts.value)) or not np.all(np.isfinite(cuts.upper))):
        raise ValueError("cut rows out of shape")
    basis = None
    if len(a["basis_cols"]):
        basis = (a["basis_cols"].astype(np.int8), a["basis_rows"].astype(np.int8))
        if (len(basis[0]) != n_cols or len(basis[1]) != n_rows + cuts.n
                or np.any((basis[0] < 0) | (basis[0] > 4)) or np.any((basis[1] < 0) | (basis[1] > 4))):
            raise ValueError("basis out of shape")
    officers = a["officers"].astype(np.float64) if len(a["officers"]) else None
    n_loans = int(((a["col_key"].astype(np.int64) >> 56) == 2).sum())  # z columns
    if officers is not None and (len(officers) != n_loans or not np.all(np.isfinite(officers))):
        raise ValueError("officers out of shape")
    return WarmStart(a["col_key"].astype(np.int64), a["row_key"].astype(np.int64),
                     cuts, basis, officers)
