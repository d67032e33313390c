"""The workbench in the dashboard, driven in chromium at 1280×800 and at 390×844 (a phone):
a case opened from the keyboard (explanation, alternatives, why-not), a what-if edited and run
warm from the open run, compare listing the changed cases, officers' marginal values, recommend,
a sweep with its chart; and what chromium showed before: every problem counted and listed, rows
and sortable headers reachable by keyboard, every input labelled, the gap never sent empty, one
duration per run, no sideways scroll on a phone with map labels readable there."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.test_dashboard import LISHUI, SCREENSHOTS, Watched, _save_png, browser, server  # noqa: F401

DESKTOP, PHONE = (1280, 800), (390, 844)
LABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter((e) => e.type !== 'file' && e.offsetParent !== null)
  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.id)"""


def _until(check: Any, timeout: float = 180) -> None:
    """Wait for `check()` (the page's CSP forbids the evaluated strings of wait_for_function)."""
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def _open(w: Watched, token: str) -> None:
    page = w.page
    page.fill("#key", token)
    page.click("#key-use")
    page.wait_for_selector("#app", state="visible")


def _planned(w: Watched, token: str) -> None:
    _open(w, token)
    page = w.page
    page.set_input_files("#file", str(LISHUI))
    page.click("#upload")
    page.wait_for_selector("#runs-panel", state="visible")
    page.fill("#time-limit", "8")
    page.click("#run-start")
    page.wait_for_selector("#result", state="visible", timeout=180_000)
    page.wait_for_selector("#map svg circle")


@pytest.fixture(scope="module")
def desk(browser: Any, server: tuple[str, str]) -> Iterator[Watched]:  # noqa: F811
    w = Watched(browser, server[0], DESKTOP)
    _planned(w, server[1])
    yield w
    w.context.close()


def test_a_case_opened_by_keyboard_is_explained_and_why_not_answered(desk: Watched) -> None:
    page = desk.page
    first = page.locator("#cases tbody tr").first
    case_id = first.locator("td").first.text_content()
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#case-panel", state="visible")
    assert page.text_content("#case-id") == case_id
    assert page.locator("#alternatives tbody tr").count() >= 1
    assert "依据" in page.text_content("#case-facts")
    page.click("#whynot-form button[type=submit]")
    _until(lambda: len(page.text_content("#whynot-out") or "") > 5)
    assert not desk.errors, desk.errors


def test_sorting_by_keyboard_sets_aria_sort_and_every_input_is_labelled(desk: Watched) -> None:
    page = desk.page
    button = page.locator("#cases thead button.sort").nth(3)
    button.focus()
    page.keyboard.press("Enter")
    th = page.locator("#cases thead th").nth(3)
    assert th.get_attribute("aria-sort") == "ascending"
    courts = page.eval_on_selector_all("#cases tbody tr td:nth-child(4)", "ts => ts.map(t => t.textContent)")
    assert courts == sorted(courts, key=lambda c: courts.index(c))  # grouped, in the collation's order
    page.keyboard.press("Enter")
    assert th.get_attribute("aria-sort") == "descending"
    assert page.locator("#cases thead th[aria-sort=none]").count() == 5
    assert page.evaluate(LABELLED) == []
    rows = page.eval_on_selector_all("#runs tbody tr, #scenarios tbody tr, #cases tbody tr",
                                     "rs => rs.every(r => r.tabIndex === 0)")
    assert rows


def test_the_gap_left_empty_is_said_not_sent_and_one_duration_is_shown(desk: Watched) -> None:
    page = desk.page
    seconds = page.locator("#runs tbody tr.chosen td").nth(4).text_content()
    assert seconds == page.text_content("#p-elapsed")  # the same run, the same duration
    posts = len(desk.posts)
    page.fill("#gap", "")
    page.click("#run-start")
    assert "容许差距" in page.text_content("#message")
    assert page.get_attribute("#gap", "aria-invalid") == "true"
    assert len(desk.posts) == posts  # nothing was sent
    page.fill("#gap", "0.001")


def test_a_what_if_is_edited_run_warm_and_compared_case_by_case(desk: Watched) -> None:
    page = desk.page
    base = page.locator("#runs tbody tr.chosen").get_attribute("data-id")
    page.select_option("#wi-officers-court", index=1)
    page.fill("#wi-officers-add", "-5")
    page.click("#wi-officers button[type=submit]")
    page.select_option("#wi-bar-court", index=2)
    page.click("#wi-bar button[type=submit]")
    case_id = page.text_content("#case-id")
    page.click("#case-forbid")
    assert page.locator("#wi-list li").count() == 3
    page.locator("#wi-list li button").nth(1).click()  # a change removed again
    assert page.locator("#wi-list li").count() == 2
    page.click("#wi-run")
    _until(lambda: page.locator("#runs tbody tr.chosen").get_attribute("data-id") != base)
    page.wait_for_selector("#result", state="visible", timeout=180_000)
    _, body = [(u, json.loads(b)) for u, b in desk.posts if u.endswith("/runs")][-1]
    assert body["warm_start_run"] == base
    assert body["changes"]["officers"][0]["add"] == -5 and body["changes"]["forbid"][0]["case"] == case_id
    assert "bar_receiving" not in body["changes"]
    page.select_option("#cmp-a", base)
    page.select_option("#cmp-b", page.locator("#runs tbody tr.chosen").get_attribute("data-id"))
    page.click("#compare")
    page.wait_for_selector("#compare-cases")
    rows = page.eval_on_selector_all("#compare-cases tbody tr", "rs => rs.map(r => r.innerText)")
    assert rows and all("@" in r for r in rows)  # before and after, each a mode at a court
    assert not page.locator("#compare-cases .better, #compare-cases .worse").count()  # cases neutral
    assert not desk.errors, desk.errors


def test_officers_recommend_and_a_sweep_with_its_chart(desk: Watched) -> None:
    page = desk.page
    page.click("#officers-estimate")
    page.wait_for_selector("#officers tbody tr")
    assert page.locator("#officers tbody tr").count() == 10
    page.fill("#officers-top", "2")
    page.click("#officers-exact")  # a job: re-solved, its progress shown, the exact falls filled in
    _until(lambda: "已完成" in (page.text_content("#officers-status") or ""), 240)
    exact = page.eval_on_selector_all("#officers tbody tr td:nth-child(5)", "ts => ts.map(t => t.textContent)")
    assert sum(e != "—" for e in exact) == 2, exact
    page.click("#recommend-fill")
    page.click("#recommend-form button[type=submit]")
    page.wait_for_selector("#recommend tbody tr")
    assert "+" in page.text_content("#recommend tbody")
    page.fill("#sweep-time", "5")
    page.click("#sweep-form button[type=submit]")
    page.wait_for_selector("#sweep tbody tr", timeout=240_000)
    assert page.locator("#sweep tbody tr").count() == 2
    page.wait_for_selector("#sweep-chart", state="visible")
    assert page.evaluate("document.getElementById('sweep-chart').naturalWidth") > 100
    assert "2/2" in page.text_content("#sweep-status")
    assert not desk.errors, desk.errors
    if SCREENSHOTS:
        top = page.evaluate("document.getElementById('case-panel').getBoundingClientRect().top + window.scrollY")
        clip = {"x": 0, "y": top - 10, "width": DESKTOP[0], "height": 1900}
        _save_png(page.screenshot(full_page=True, clip=clip), "workbench.png", width=DESKTOP[0])


def _upload_forty_defects(page: Any, tmp_path: Any) -> None:
    scenario = json.loads(LISHUI.read_text(encoding="utf-8"))
    for case in scenario["cases"][:40]:
        case["court"] = "NO-SUCH-COURT"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.click("#upload")


def test_every_problem_is_counted_and_listed(desk: Watched, tmp_path: Any) -> None:
    page = desk.page
    _upload_forty_defects(page, tmp_path)
    page.wait_for_selector("#message details")
    count = page.text_content("#message .count")
    listed = page.locator("#message details li").count()
    assert listed >= 40 and f"共 {listed} 个问题" in count
    page.click("#message details summary")
    assert page.locator("#message details li").nth(listed - 1).is_visible()


def test_the_phone_layout_has_no_sideways_scroll_and_readable_map_labels(
        desk: Watched, browser: Any, server: tuple[str, str], tmp_path: Any) -> None:  # noqa: F811
    """(`desk` planned a run: the phone opens it.)"""
    w = Watched(browser, server[0], PHONE)
    try:
        _open(w, server[1])
        page = w.page
        page.locator("#scenarios tbody tr").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("#runs tbody tr.pick")
        page.locator("#runs tbody tr.pick").first.click()
        page.wait_for_selector("#map svg circle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE[0], f"the page is {width} px wide on a {PHONE[0]} px screen"
        sizes = page.eval_on_selector_all("#map svg text.court-name",
                                          "ts => ts.map(t => t.getBoundingClientRect().height)")
        assert sizes and min(sizes) >= 9, sizes
        assert page.evaluate(LABELLED) == []
        # the same findings on the phone: sorting by keyboard with aria-sort, paging, one duration
        # per run, the origin–destination table, a case opened by keyboard, the gap never sent empty
        page.locator("#cases thead button.sort").nth(3).focus()
        page.keyboard.press("Enter")
        assert page.locator("#cases thead th").nth(3).get_attribute("aria-sort") == "ascending"
        page.click("#page-next")
        assert "301–600" in page.text_content("#page-at") and page.locator("#cases tbody tr").count() == 300
        page.click("#page-prev")
        seconds = page.locator("#runs tbody tr.chosen td").nth(4).text_content()
        assert seconds == page.text_content("#p-elapsed")
        page.click("#flows summary")
        od = page.eval_on_selector_all("#od tbody tr td:last-child", "ts => ts.map(t => t.textContent)")
        assert od and all(int(n.replace(",", "")) > 0 for n in od), od
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        # a case opened by keyboard, the gap never sent empty
        page.locator("#cases tbody tr").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("#case-panel", state="visible")
        posts = len(w.posts)
        page.fill("#gap", "")
        page.click("#run-start")
        assert "容许差距" in page.text_content("#message") and len(w.posts) == posts
        _upload_forty_defects(page, tmp_path)
        page.wait_for_selector("#message details")
        assert f"共 {page.locator('#message details li').count()} 个问题" in page.text_content("#message .count")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        w.errors = [e for e in w.errors if not e.startswith(("422 ", "Failed to load resource"))]  # (the upload's)
        assert not w.errors, w.errors
        if SCREENSHOTS:
            page.locator("#map").scroll_into_view_if_needed()
            _save_png(page.screenshot(), "dashboard-phone.png", width=PHONE[0])
    finally:
        w.context.close()
