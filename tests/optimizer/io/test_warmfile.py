"""The warm-start file beside a plan: written with `--keep-warm-start`, read by `--warm-start`,
refused with its name when damaged."""

from __future__ import annotations

import json

import numpy as np
import pytest

from optimizer.cli import main
from optimizer.io.warmfile import WarmFileError, read_warm, warm_path, write_warm
from optimizer.solver.cuts import Cuts
from optimizer.solver.warm import WarmStart

LISHUI = "scenarios/lishui.json"


def _start() -> WarmStart:
    cuts = Cuts(np.array([0, 2, 3]), np.array([0, 4, 1]), np.array([1.0, -2.0, 1.0]),
                np.array([3.0, 0.0]))
    col_key = np.r_[np.arange(4), (np.int64(2) << 56) + np.arange(2)].astype(np.int64)
    return WarmStart(col_key, np.arange(3, dtype=np.int64), cuts,
                     (np.array([1, 0, 0, 1, 0, 2], np.int8), np.array([1, 0, 1, 0, 1], np.int8)),
                     np.array([2.0, 0.0]))


def test_a_warm_start_survives_the_file(tmp_path):
    path = tmp_path / "p.json.warm.npz"
    write_warm(path, {(3, 5, 7): _start()})
    (courts, back), = read_warm(path).items()
    w = _start()
    assert courts == (3, 5, 7)
    for name in ("col_key", "row_key", "officers"):
        assert np.array_equal(getattr(back, name), getattr(w, name))
    assert back.basis is not None and w.basis is not None
    assert all(np.array_equal(a, b) for a, b in zip(back.basis, w.basis, strict=True))
    for name in ("start", "index", "value", "upper"):
        assert np.array_equal(getattr(back.cuts, name), getattr(w.cuts, name))


DAMAGE = {  # array → what replaces it
    "shape": ("0_cut_index", np.array([0, 99, 1])),  # a column the piece does not have
    "two-dimensional": ("0_courts", np.array([[1, 2], [3, 4]])),
    "not-a-number": ("0_col_key", np.array([0.0, np.nan, 2.0, 3.0, 4.0, 5.0])),
    "infinite": ("0_cut_upper", np.array([np.inf, 0.0])),
    "scalar": ("0_officers", np.array(2.0)),
    "negative-key": ("0_row_key", np.array([0, -1, 2])),
}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "lone-array", *DAMAGE])
def test_a_damaged_file_is_refused_naming_it(tmp_path, damage):
    path = tmp_path / "p.json.warm.npz"
    write_warm(path, {(1,): _start()})
    if damage == "garbage":
        path.write_bytes(b"not an archive")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "lone-array":
        with open(path, "wb") as f:
            np.save(f, np.arange(3))
    else:
        with np.load(path) as z:
            arrays = dict(z)
        key, value = DAMAGE[damage]
        arrays[key] = value
        with open(path, "wb") as f:
            np.savez(f, **arrays)
    with pytest.raises(WarmFileError, match=r"p\.json\.warm\.npz"):
        read_warm(path)


def test_the_command_line_keeps_and_uses_the_warm_start(tmp_path, capsys):
    base, variant = tmp_path / "base.json", tmp_path / "variant.json"
    assert main(["solve", LISHUI, "--out", str(base), "--keep-warm-start", "--workers", "1"]) == 0
    assert warm_path(base).exists()
    assert "warm_starts" not in base.read_text(encoding="utf-8")
    court = json.loads(base.read_text(encoding="utf-8"))["courts"][2]["court_id"]
    assert main(["solve", LISHUI, "--officers", f"{court}=+3", "--warm-start", str(base),
                 "--out", str(variant), "--workers", "1"]) == 0
    steps = json.loads(variant.read_text(encoding="utf-8"))["stats"]["pieces_detail"]
    assert any("base plan" in s for piece in steps for s in piece["steps"])
    capsys.readouterr()
    warm_path(base).write_bytes(b"damaged")
    assert main(["solve", LISHUI, "--warm-start", str(base), "--workers", "1"]) == 2
    assert "base.json.warm.npz" in capsys.readouterr().err


def test_keeping_a_warm_start_needs_an_output_file(capsys):
    assert main(["solve", LISHUI, "--keep-warm-start"]) == 2
    assert "--out" in capsys.readouterr().err
