"""`courtplan bench` as a command: packaging, help, and exit 2 with a clear message on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import benchmarks.common as bench_common
import optimizer
from benchmarks.errors import BenchInputError
from benchmarks.gap import read_gap_file
from optimizer.cli import main
from tests.conftest import ROOT

# 2 agents, 3 jobs (Yagiura layout: m n, costs, weights, capacities); optimum 1 + 1 + 4 = 6
TOY = "2 3\n1 1 1\n5 4 9\n2 2 2\n1 1 1\n4 3\n"


def _env_without_pythonpath() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A tiny instance and its best_known.csv in tmp_path; outputs kept out of the checkout."""
    monkeypatch.setattr(bench_common, "OUT", tmp_path / "out")
    (tmp_path / "toy.txt").write_text(TOY)
    (tmp_path / "best_known.csv").write_text("instance,file,index,best_known\ntoy,toy.txt,1,6\n")
    return tmp_path


def _bench(args: list[str], capsys) -> tuple[int, str, str]:
    """`courtplan bench ARGS` in this process: exit code, stdout, stderr."""
    try:
        rc = main(["bench", *args])
    except SystemExit as e:  # argparse: --help, usage errors
        rc = e.code if isinstance(e.code, int) else 1
    out, err = capsys.readouterr()
    return rc, out, err


# ---------------------------------------------------------------- 1. packaging
def test_the_wheel_holds_the_product_only():
    from setuptools import find_namespace_packages

    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    pkgs = find_namespace_packages(where=str(ROOT), include=find.get("include", ("*",)),
                                   exclude=find.get("exclude", ()))
    assert "optimizer" in pkgs and "api" in pkgs and "optimizer.solver" in pkgs
    assert not [p for p in pkgs if p.split(".")[0] in ("benchmarks", "tests")], pkgs


def test_bench_from_a_wheel_install_says_to_use_a_checkout(tmp_path, monkeypatch, capsys):
    site = tmp_path / "site-packages" / "optimizer"
    site.mkdir(parents=True)
    monkeypatch.setattr(optimizer, "__file__", str(site / "__init__.py"))
    for args in (["gap"], ["--help"]):
        rc, _, err = _bench(args, capsys)
        assert rc == 2
        assert "the benchmarks are the repository's scripts" in err
        assert "from a checkout (pip install -e .)" in err and "Traceback" not in err


def test_bench_puts_the_checkout_on_sys_path(tmp_path):
    # `optimizer` imported from outside the checkout's folder (as an editable install maps it):
    # `courtplan bench` still finds and imports the checkout's benchmarks/
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "optimizer").symlink_to(ROOT / "optimizer", target_is_directory=True)
    code = ("from optimizer.cli import main\n"
            "try:\n    main(['bench', 'gap', '--help'])\nexcept SystemExit as e:\n    rc = e.code\n"
            "import benchmarks\nprint(rc, benchmarks.__file__)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                       env={**_env_without_pythonpath(), "PYTHONPATH": str(tmp_path / "src")}, timeout=120)
    assert r.returncode == 0, r.stderr
    rc, path = r.stdout.strip().splitlines()[-1].split(" ", 1)
    assert rc == "0" and Path(path).resolve() == ROOT / "benchmarks" / "__init__.py"


def test_python_m_benchmarks_run_from_the_repository_root():
    r = subprocess.run([sys.executable, "-m", "benchmarks.run", "--help"], capture_output=True,
                       text=True, cwd=ROOT, env=_env_without_pythonpath(), timeout=120)
    assert r.returncode == 0, r.stderr
    assert "gap" in r.stdout and "growth" in r.stdout
    r = subprocess.run([sys.executable, "-m", "benchmarks.run", "gap", "--seed", "x"],
                       capture_output=True, text=True, cwd=ROOT, env=_env_without_pythonpath(), timeout=120)
    assert r.returncode == 2 and "usage:" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------- 2. help
def test_bench_help_lists_the_benchmarks_one_line_each(capsys):
    rc, out, _ = _bench(["--help"], capsys)
    assert rc == 0 and out.startswith("usage: courtplan bench")
    lines = out.splitlines()
    for name in ("gap", "scale", "peers", "growth"):
        [line] = [x for x in lines if x.split()[:1] == [name]]
        assert len(line.split()) > 2  # the name and its one-line description
    assert "one" not in out.split()  # the internal subprocess entry stays hidden


@pytest.mark.parametrize("what", ["gap", "scale", "peers", "growth"])
def test_bench_sub_benchmark_help(what, capsys):
    rc, out, _ = _bench([what, "--help"], capsys)
    assert rc == 0 and out.startswith(f"usage: courtplan bench {what}") and "--time-limit" in out


# ---------------------------------------------------------------- 3. no data folder
def test_gap_without_the_shared_folder_names_it_and_the_source(tmp_path, monkeypatch, capsys):
    nowhere = tmp_path / "shared" / "benchmarks" / "gap"
    monkeypatch.setattr(bench_common, "SHARED", nowhere)
    rc, _, err = _bench(["gap"], capsys)
    assert rc == 2
    assert str(nowhere) in err and "../shared/benchmarks/gap/" in err
    assert "--instances" in err and "--best-known" in err and "Traceback" not in err


def test_gap_options_override_the_shared_folder(toy, monkeypatch, capsys):
    monkeypatch.setattr(bench_common, "SHARED", toy / "nowhere")
    rc, out, err = _bench(["gap", "--instances", str(toy / "*.txt"), "--best-known",
                           str(toy / "best_known.csv"), "--json", str(toy / "gap.json")], capsys)
    assert rc == 0, err
    assert "toy" in out and (toy / "gap.json").exists()


def test_gap_json_path_that_cannot_be_written(toy, capsys):
    bad = toy / "no" / "such" / "gap.json"
    rc, _, err = _bench(["gap", "--instances", str(toy / "toy.txt"), "--best-known",
                         str(toy / "best_known.csv"), "--json", str(bad)], capsys)
    assert rc == 2 and str(bad) in err and "Traceback" not in err


def test_gap_instances_glob_matching_nothing(toy, capsys):
    rc, _, err = _bench(["gap", "--instances", str(toy / "none*.txt"), "--best-known",
                         str(toy / "best_known.csv")], capsys)
    assert rc == 2 and str(toy / "none*.txt") in err and "no instance file matches" in err


# ---------------------------------------------------------------- 4. garbage instance files
@pytest.mark.parametrize(("text", "expect"), [
    ("2 3\n1 1 1\n5 4 x\n2 2 2\n1 1 1\n4 3\n", ["line 3", "'x'", "not an integer"]),
    ("2 3\n1 1 1\n5 4 9.5\n", ["line 3", "'9.5'"]),
    ("1\n2 3\n1 1 1\n", ["ends after 6 numbers", "problem 1"]),
    ("", ["0 numbers"]),
    ("1\n" + TOY + "9 9\n", ["2 numbers left over after the 1 problems"]),
])
def test_garbage_instance_file_is_named(toy, capsys, text, expect):
    (toy / "toy.txt").write_text(text)
    with pytest.raises(BenchInputError) as e:
        read_gap_file(toy / "toy.txt")
    assert str(toy / "toy.txt") in str(e.value)
    assert all(x in str(e.value) for x in expect), str(e.value)
    rc, _, err = _bench(["gap", "--instances", str(toy / "toy.txt"), "--best-known",
                         str(toy / "best_known.csv")], capsys)
    assert rc == 2 and str(toy / "toy.txt") in err and "Traceback" not in err


def test_index_beyond_the_file(toy, capsys):
    (toy / "best_known.csv").write_text("instance,file,index,best_known\ntoy,toy.txt,3,6\n")
    rc, _, err = _bench(["gap", "--instances", str(toy / "toy.txt"), "--best-known",
                         str(toy / "best_known.csv")], capsys)
    assert rc == 2 and "line 2" in err and "index 3" in err and "holds 1 problem" in err


# ---------------------------------------------------------------- 5. best_known.csv columns and values
@pytest.mark.parametrize(("csv_text", "expect"), [
    ("instance,file,best_known\ntoy,toy.txt,6\n", "missing column index"),
    ("instance,file\ntoy,toy.txt\n", "missing columns index, best_known"),
    ("", "missing columns instance, file, index, best_known"),
    ("instance,file,index,best_known\ntoy,toy.txt,one,6\n", "line 2 ('toy'): index 'one' is not an integer"),
    ("instance,file,index,best_known\ntoy,toy.txt,1,?\n", "best_known '?' is not a number"),
])
def test_best_known_csv_problems_name_the_file(toy, capsys, csv_text, expect):
    (toy / "best_known.csv").write_text(csv_text)
    rc, _, err = _bench(["gap", "--instances", str(toy / "toy.txt"), "--best-known",
                         str(toy / "best_known.csv")], capsys)
    assert rc == 2 and str(toy / "best_known.csv") in err and expect in err, err
    assert "Traceback" not in err and "KeyError" not in err


# ---------------------------------------------------------------- 6. --best-known path
def test_best_known_path_that_does_not_exist(toy, capsys):
    missing = toy / "no" / "best_known.csv"
    rc, out, err = _bench(["gap", "--instances", str(toy / "toy.txt"), "--best-known", str(missing)],
                          capsys)
    assert rc == 2 and str(missing) in err and "no such file" in err and out == ""


def test_instances_not_listed_in_best_known(toy, capsys):
    (toy / "other.txt").write_text(TOY)
    rc, out, err = _bench(["gap", "--instances", str(toy / "other.txt"), "--best-known",
                           str(toy / "best_known.csv")], capsys)
    assert rc == 2 and out == "" and str(toy / "other.txt") in err and "is listed in" in err


# ---------------------------------------------------------------- 7. argument mistakes
@pytest.mark.parametrize("args", [
    [], ["foo"], ["one"], ["gap", "--time-limit", "-1"], ["gap", "--time-limit", "0"],
    ["gap", "--time-limit", "nan"], ["gap", "--time-limit", "soon"], ["gap", "--seed", "x"],
    ["gap", "--seed", "-1"], ["gap", "--seed", str(2**31)], ["gap", "--limit", "-2"],
    ["gap", "--bogus"], ["scale", "--presets", "lishui,mars"], ["scale", "--workers", "0"],
    ["peers", "--peers", "cplex"], ["growth", "--cases", "1000,-3"], ["growth", "--cases", "many"],
    ["growth", "--seed", "1.5"], ["scale", "--seeds", "1-x"], ["peers", "--seeds", "-3"],
    ["scale", "--seeds", ""], ["gap", "--improve-share", "1"], ["--bogus"],
])
def test_argument_mistakes_are_usage_errors(args, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(bench_common, "SHARED", tmp_path / "nowhere")
    monkeypatch.setattr(bench_common, "OUT", tmp_path / "out")
    rc, _, err = _bench(args, capsys)
    assert rc == 2 and "usage: courtplan bench" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing ran


def test_outcomes_bench_measures_screening_and_projection(tmp_path, capsys):
    out = tmp_path / "outcomes.json"
    assert main(["bench", "outcomes", "--preset", "lishui", "--repeats", "1", "--json",
                 str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    screening, _, projection, _ = rows
    assert screening["step"].startswith("screening") and screening["budget"] == 2.0
    assert screening["within_budget"] is True
    assert projection["step"].startswith("projection") and projection["budget"] == 1.0
    assert projection["seconds"] > 0
