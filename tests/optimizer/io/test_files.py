"""`write_atomic`: whole files or nothing, private by default, never over a device or a link."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from optimizer.cli import main
from optimizer.io import files
from optimizer.io.files import write_atomic


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_process_umask_is_never_touched(tmp_path, monkeypatch):
    def no_umask(_: int) -> int:
        raise AssertionError("os.umask changes process-wide state (not thread-safe)")

    monkeypatch.setattr(os, "umask", no_umask)
    write_atomic(tmp_path / "a.json", "{}")
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "{}"


def test_new_files_are_private_unless_asked(tmp_path):
    write_atomic(tmp_path / "plan.json", "x")
    assert stat.S_IMODE((tmp_path / "plan.json").stat().st_mode) == 0o600
    write_atomic(tmp_path / "shared.json", "x", mode=0o644)
    assert stat.S_IMODE((tmp_path / "shared.json").stat().st_mode) == 0o644


def test_replacing_a_file_keeps_its_mode(tmp_path):
    p = tmp_path / "plan.json"
    p.write_text("old", encoding="utf-8")
    p.chmod(0o640)
    write_atomic(p, "new")
    assert p.read_text(encoding="utf-8") == "new" and stat.S_IMODE(p.stat().st_mode) == 0o640


def test_dash_is_not_a_file_name(tmp_path):
    with pytest.raises(ValueError, match="standard output"):
        write_atomic("-", "x")


def test_a_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through the pipe")
    reader.join(10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _names(tmp_path) == ["pipe"]


def test_dev_null_is_written_through():
    write_atomic(os.devnull, "discarded")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_dev_full_is_an_error_naming_it_and_stays_a_device(capsys):
    with pytest.raises(OSError) as e:
        write_atomic("/dev/full", "x" * 100_000)
    assert e.value.errno == errno.ENOSPC and "/dev/full" in str(e.value)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert main(["schema", "--out", "/dev/full"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("courtplan: /dev/full") and "Traceback" not in err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_directory_is_refused_by_name(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError, match="d"):
        write_atomic(tmp_path / "d", "x")
    assert _names(tmp_path / "d") == []


def test_a_symlink_is_followed_not_replaced(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "sub" / "made.json")
    write_atomic(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "sub" / "made.json").read_text(encoding="utf-8") == "made"
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(OSError, match=r"loop\.json"):
        write_atomic(loop, "x")


def test_errors_name_the_target_and_leave_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    temps: list[str] = []

    def full(fd: int, data: object) -> int:
        temps.append(os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else "")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", full)
    with pytest.raises(OSError) as e:
        write_atomic(target, "new")
    monkeypatch.undo()
    assert str(target) in str(e.value) and ".tmp" not in str(e.value) and e.value.filename == str(target)
    assert _names(tmp_path) == ["plan.json"] and target.read_text(encoding="utf-8") == "old"
    if temps[0]:
        assert Path(temps[0]).name.startswith(".plan.json.")

    def no_rename(src: str, dst: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link", src)

    monkeypatch.setattr(files.os, "replace", no_rename)
    with pytest.raises(OSError) as e:
        write_atomic(target, "new")
    monkeypatch.undo()
    assert e.value.filename == str(target) and _names(tmp_path) == ["plan.json"]


@pytest.mark.parametrize("exc", [KeyboardInterrupt, MemoryError])
def test_interrupted_write_leaves_no_temp_file(tmp_path, monkeypatch, exc):
    def boom(fd: int) -> None:
        raise exc()

    monkeypatch.setattr(files.os, "fsync", boom)
    with pytest.raises(exc):
        write_atomic(tmp_path / "plan.json", "x")
    assert _names(tmp_path) == []


def test_unencodable_text_leaves_nothing(tmp_path):
    with pytest.raises(UnicodeEncodeError):
        write_atomic(tmp_path / "plan.json", "bad \ud800")
    assert _names(tmp_path) == []


def test_a_file_as_parent_folder_names_the_target(tmp_path):
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(OSError) as e:
        write_atomic(tmp_path / "file" / "plan.json", "x")
    assert str(tmp_path / "file" / "plan.json") in str(e.value)


def test_chunks_are_written_whole_as_one_text(tmp_path):
    from optimizer.io.files import write_chunks_atomic

    target = tmp_path / "plan.json"
    write_chunks_atomic(target, iter(["{", '"名": ', '"丽水"', "}\n"]))
    assert target.read_text(encoding="utf-8") == '{"名": "丽水"}\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_chunks_failing_part_way_leave_the_old_file_and_no_temporary(tmp_path):
    from optimizer.io.files import write_chunks_atomic

    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")

    def chunks():
        yield "new, first part"
        yield "\ud800"  # a lone surrogate: not encodable as UTF-8

    with pytest.raises(UnicodeEncodeError):
        write_chunks_atomic(target, chunks())
    assert target.read_text(encoding="utf-8") == "old"
    assert _names(tmp_path) == ["plan.json"]
