"""Inputs refused by what they would cost before they are parsed: workbooks (rows, cells with
their padding, columns, shared strings, uncompressed bytes, entity declarations) and scenario
JSON (records per top-level array). The counts are checked against hand-made files at the limit
and one past it, and the JSON counter against `json.loads` on generated documents."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import hostile
from optimizer.cli import main
from optimizer.data.counts import MAX_RECORDS, check_record_counts, top_level_counts
from optimizer.data.read import parse_scenario
from optimizer.data.validate import ScenarioError
from optimizer.io.xlsx_limits import WorkbookLimits, check_workbook, column_number


def refusal(data: bytes, limits: WorkbookLimits) -> str:
    with pytest.raises(ScenarioError) as caught:
        check_workbook(data, "workbook", limits)
    return str(caught.value)


def test_rows_at_the_limit_pass_one_more_is_refused():
    limits = WorkbookLimits(max_rows=100)
    check_workbook(hostile.many_rows(100), "w", limits)  # header + 99 rows: row 100 is the last
    assert "max_rows" in refusal(hostile.many_rows(101), limits)


def test_padding_to_the_declared_width_counts_as_cells():
    # ten rows declared 26 columns wide (A:Z): 260 cells once padded, whatever the file holds
    check_workbook(hostile.many_rows(10, dimension="A1:Z10"), "w", WorkbookLimits(max_cells=260))
    assert "max_cells" in refusal(hostile.many_rows(10, dimension="A1:Z10"), WorkbookLimits(max_cells=259))
    message = refusal(hostile.many_rows(10, dimension="A1:XFD10"), WorkbookLimits())
    assert "max_columns" in message and "16,384" in message
    assert [column_number(c) for c in (b"A", b"Z", b"AA", b"ZZ", b"XFD")] == [1, 26, 27, 702, 16_384]


def test_shared_strings_and_uncompressed_size():
    check_workbook(hostile.many_shared_strings(50), "w", WorkbookLimits(max_shared_strings=50))
    assert "max_shared_strings" in refusal(hostile.many_shared_strings(51), WorkbookLimits(max_shared_strings=50))
    bomb = hostile.zip_bomb(3)  # 3 MB of XML in a few KB
    assert len(bomb) < 100_000
    assert "max_uncompressed_bytes" in refusal(bomb, WorkbookLimits(max_uncompressed_bytes=2 << 20))
    check_workbook(bomb, "w", WorkbookLimits(max_uncompressed_bytes=4 << 20))


@pytest.mark.parametrize("make", [hostile.external_entity, hostile.entity_expansion])
def test_entity_declarations_are_refused(make):
    assert "DOCTYPE" in refusal(make(), WorkbookLimits())


def test_the_real_size_hostile_workbooks_are_refused_in_seconds():
    for data, limit in ((hostile.many_shared_strings(3_000_000), "max_shared_strings"),
                        (hostile.zip_bomb(400), "max_uncompressed_bytes")):
        t0 = time.perf_counter()
        assert limit in refusal(data, WorkbookLimits())
        assert time.perf_counter() - t0 < 20


@pytest.mark.parametrize(("make", "words"), [
    (hostile.external_entity, "DOCTYPE"), (hostile.entity_expansion, "DOCTYPE"),
    (lambda: hostile.many_shared_strings(1_000_001), "max_shared_strings"),
    (lambda: hostile.many_rows(20, dimension="A1:XFD20"), "max_columns")])
def test_courtplan_import_refuses_them_by_name(tmp_path, capsys, make, words):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(make())
    assert main(["import", str(path), "--out", str(tmp_path / "s.json")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and not (tmp_path / "s.json").exists()


def test_a_million_empty_places_are_refused_at_once():
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(hostile.empty_places(1_000_000))
    assert time.perf_counter() - t0 < 10
    [defect] = caught.value.defects
    assert defect.path == "places" and "1,000,000" in defect.message and "20,000" in defect.message


def test_records_at_the_limit_are_not_refused_by_count():
    def places(n: int) -> bytes:  # (above the size below which nothing is counted)
        return b'{"places": [' + b",".join([b"1000"] * n) + b"]}"

    check_record_counts(places(MAX_RECORDS["places"]))  # at the limit: the parser names what is wrong
    with pytest.raises(ScenarioError):
        check_record_counts(places(MAX_RECORDS["places"] + 1))


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(alphabet=st.sampled_from('ab"\\[]{},: \n\u4e2d'), max_size=8))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=4), inner, max_size=4), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(alphabet=st.sampled_from('ab"\\[]{},:'), max_size=6),
                       st.one_of(st.lists(_values, max_size=6), _values), max_size=5),
       st.booleans())
def test_top_level_counts_agree_with_the_json_parser(doc, pretty):
    text = json.dumps(doc, indent=1 if pretty else None, ensure_ascii=False).encode()
    expected = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
    assert top_level_counts(text) == expected
