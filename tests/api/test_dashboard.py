"""The dashboard in a real headless browser (the system's chromium through Playwright) against a
real `courtplan serve` on 127.0.0.1: a key entered, the Lishui scenario uploaded, a run watched to
the end, the map's courts, the case filter, downloads, compare, the English switch, no console
errors, the key in no URL, and Chinese text drawn with real CJK glyphs (no tofu boxes).

Without chromium the tests skip with the reason, unless COURTPLAN_REQUIRE_BROWSER=1 (.ci/run).
With COURTPLAN_SCREENSHOTS=1 the screenshots go to docs/img/ (dashboard, report, drafts).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
LISHUI = ROOT / "scenarios" / "lishui.json"
IMAGES = ROOT / "docs" / "img"
HOST = "127.0.0.1"
CLI = "import sys; from optimizer.cli import main; sys.exit(main(sys.argv[1:]))"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = os.environ.get("COURTPLAN_SCREENSHOTS") == "1"
WIDTH = 1200


def _unavailable(why: str) -> None:
    if os.environ.get("COURTPLAN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{why} and COURTPLAN_REQUIRE_BROWSER=1", pytrace=False)
    print(f"\nskipping the browser tests: {why}")
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`courtplan serve` with one worker on a fresh data directory; (base URL, a 丽水中院 key)."""
    tmp = tmp_path_factory.mktemp("dashboard")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COURTPLAN_DATA_DIR": str(tmp / "data"),
           "COURTPLAN_POLL_INTERVAL": "0.2", "COURTPLAN_PROGRESS_INTERVAL": "0.2"}
    env.pop("COURTPLAN_DATABASE_URL", None)
    made = subprocess.run([sys.executable, "-c", CLI, "keys", "create", "--court", "C331100", "--label", "ui"],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    token = made.stdout.rsplit(": ", 1)[-1].strip()
    port = _free_port()
    log = (tmp / "serve.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-c", CLI, "serve", "--host", HOST, "--port", str(port),
                             "--workers", "1"], env=env, cwd=ROOT, stdout=log, stderr=log)
    base = f"http://{HOST}:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        if proc.poll() is not None or httpx.get(f"{base}/health", timeout=1).status_code != 200:
            raise RuntimeError(f"the service did not start: {(tmp / 'serve.log').read_text()[-2000:]}")
        yield base, token
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no chromium at {CHROMIUM} (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Watched:
    """A page with its console errors, page errors and request URLs recorded."""

    def __init__(self, browser: Any, base: str, viewport: tuple[int, int] = (WIDTH, 900)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                           accept_downloads=True, locale="zh-CN")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.urls: list[str] = []
        self.posts: list[tuple[str, str]] = []  # (url, body) of each POST
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on("request", lambda r: self.urls.append(r.url))
        self.page.on("request", lambda r: self.posts.append((r.url, r.post_data or ""))
                     if r.method == "POST" else None)
        self.page.goto(f"{base}/ui/")


@pytest.fixture(scope="module")
def planned(browser: Any, server: tuple[str, str]) -> Iterator[Watched]:
    """The dashboard after a key was entered, Lishui uploaded and one run watched to the end."""
    base, token = server
    w = Watched(browser, base)
    page = w.page
    page.fill("#key", token)
    page.click("#key-use")
    page.wait_for_selector("#app", state="visible")
    page.set_input_files("#file", str(LISHUI))
    page.click("#upload")
    page.wait_for_selector("#runs-panel", state="visible")
    page.evaluate("""() => { window.seen = []; const note = () => window.seen.push(
        [document.getElementById('p-status').textContent, document.getElementById('p-phase').textContent,
         document.getElementById('p-elapsed').textContent]);
      new MutationObserver(note).observe(document.getElementById('progress-panel'),
        {subtree: true, childList: true, characterData: true}); }""")
    page.fill("#time-limit", "10")
    page.click("#run-start")
    page.wait_for_selector("#result", state="visible", timeout=180_000)
    page.wait_for_selector("#map svg circle")
    yield w
    w.context.close()


def _courts() -> list[str]:
    return [c["name"] for c in json.loads(LISHUI.read_text(encoding="utf-8"))["courts"]]


def test_a_run_is_watched_live_and_its_plan_shown(planned: Watched, server: tuple[str, str]) -> None:
    page = planned.page
    seen = page.evaluate("window.seen")
    statuses = [s[0] for s in seen]
    assert "已完成" in statuses and statuses.index("已完成") > 0, seen  # an earlier state was shown first
    assert any(s in statuses for s in ("排队中", "求解中")), seen
    assert page.text_content("#p-status") == "已完成" and page.text_content("#p-phase") == "完成"
    assert page.text_content("#p-elapsed").endswith(" s")
    objective = page.text_content("#p-objective")
    assert objective and objective != "—"
    rows = page.eval_on_selector_all("#kpis tbody tr", "rs => rs.map(r => r.innerText)")
    assert any(r.startswith("规划案件数") and "1,500" in r for r in rows), rows
    rules = page.eval_on_selector_all("#rules tbody tr td:first-child", "ts => ts.map(t => t.textContent)")
    assert len(rules) >= 10 and any("第237条" in r for r in rules)
    assert server[1] not in " ".join(planned.urls)  # the key only ever in a header
    assert server[1] not in page.content()  # nor shown on the page (its id is)
    assert not planned.errors, planned.errors


def test_the_map_draws_the_ten_lishui_courts(planned: Watched) -> None:
    page = planned.page
    assert page.locator("#map svg circle").count() == 10
    labels = page.eval_on_selector_all("#map svg text.court-name", "ts => ts.map(t => t.textContent)")
    assert set(labels) <= set(_courts()) and len(labels) >= 8  # (a name that would overlap is left out)
    tips = page.eval_on_selector_all("#map svg g > title", "ts => ts.map(t => t.textContent)")
    assert all(any(tip.startswith(c + ":") for tip in tips) for c in _courts())  # every court named
    box = page.locator("#map svg").bounding_box()
    assert box and box["width"] > 400 and box["height"] > 250  # drawn at a readable size
    assert page.locator("#map svg circle").first.is_visible()  # drawn as SVG, not as unknown XML


def test_the_case_table_filters(planned: Watched) -> None:
    page = planned.page
    page.fill("#case-search", "")
    everything = page.locator("#cases tbody tr").count()
    assert everything == 300 and "1,500" in page.text_content("#case-count")
    page.click("#page-next")  # paging: the next 300, then back
    assert "301–600" in page.text_content("#page-at") and page.locator("#cases tbody tr").count() == 300
    page.click("#page-prev")
    page.fill("#case-search", "青田 指令执行")
    rows = page.eval_on_selector_all("#cases tbody tr", "rs => rs.map(r => r.innerText)")
    assert 0 < len(rows) < everything
    assert all("青田" in r and "指令执行" in r for r in rows), rows[:3]
    page.fill("#case-search", "没有这样的案件")
    assert page.locator("#cases tbody tr").count() == 0
    page.fill("#case-search", "")


def test_downloads_and_compare(planned: Watched, tmp_path: Path) -> None:
    page = planned.page
    files = {}
    for button, name in (("#dl-xlsx", "plan.xlsx"), ("#dl-report", "report.html"), ("#dl-drafts", "drafts.zip")):
        with page.expect_download() as d:
            page.click(button)
        files[name] = tmp_path / name
        d.value.save_as(files[name])
    assert zipfile.is_zipfile(files["plan.xlsx"])
    report = files["report.html"].read_text(encoding="utf-8")
    assert all(c in report for c in _courts())
    with zipfile.ZipFile(files["drafts.zip"]) as z:
        assert len(z.namelist()) > 100 and all(n.endswith(".docx") for n in z.namelist())
    if SCREENSHOTS:
        _report_screenshot(planned, files["report.html"])
        _drafts_screenshot(files["drafts.zip"], tmp_path)
    page.fill("#time-limit", "5")
    page.fill("#gap", "0.05")
    page.click("#run-start")
    page.wait_for_selector("#compare-panel", state="visible", timeout=180_000)
    # the second run starts where the first ended (热启动, checked by default)
    first, second = [json.loads(b) for u, b in planned.posts if u.endswith("/runs")][:2]
    assert "warm_start_run" not in first and len(second["warm_start_run"]) == 32
    page.wait_for_selector("#result", state="visible", timeout=180_000)
    page.click("#compare")
    page.wait_for_selector("#compare-out dl")
    assert "目标值变化" in page.text_content("#compare-out")
    assert page.locator("#compare-cases tbody tr").count() >= 1
    assert not planned.errors, planned.errors


def test_english_switch_is_remembered(planned: Watched) -> None:
    page = planned.page
    page.click("#lang")
    assert page.text_content("#title") == "Cross-execution planning · Command centre"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.text_content("#p-status") == "done"
    kpis = page.eval_on_selector_all("#kpis tbody tr td:first-child", "ts => ts.map(t => t.textContent)")
    assert "cases planned" in kpis
    assert page.get_attribute("#case-search", "placeholder").startswith("Search")
    page.reload()  # the language from localStorage; the key and the open run from sessionStorage
    page.wait_for_selector("#map svg circle", state="attached")
    assert page.text_content("#title") == "Cross-execution planning · Command centre"
    assert page.text_content("#p-status") == "done" and page.locator("#cases tbody tr").count() > 0
    assert page.text_content("#lang") == "中文"
    page.click("#lang")
    assert page.text_content("#title") == "交叉执行规划 · 执行指挥中心"
    assert not planned.errors, planned.errors


GLYPHS = """(font) => { const c = document.createElement('canvas'); c.width = 40; c.height = 40;
  const g = c.getContext('2d'); const out = [];
  for (const ch of ['交', '叉', '执', '行', '法', '院', '\\u{10FFFD}']) {
    g.clearRect(0, 0, 40, 40); g.font = '28px ' + font; g.fillText(ch, 4, 32);
    const px = g.getImageData(0, 0, 40, 40).data; let h = 0, ink = 0;
    for (let i = 3; i < px.length; i += 4) { h = (h * 31 + px[i]) >>> 0; ink += px[i] > 0; }
    out.push([h, ink, g.measureText(ch).width]); }
  return out; }"""


def test_chinese_renders_with_cjk_glyphs_not_tofu(planned: Watched) -> None:
    """Each Chinese character of the heading, drawn in the heading's own font, has its own
    shape; with missing glyphs they would all be the same box (or nothing), like the
    private-use character drawn last."""
    page = planned.page
    assert page.evaluate("""document.fonts.check('16px "Noto Sans CJK SC"')""")
    font = page.evaluate("getComputedStyle(document.getElementById('title')).fontFamily")
    drawn = page.evaluate(GLYPHS, font)
    chinese, missing = drawn[:-1], drawn[-1]
    assert len({h for h, _, _ in chinese}) == len(chinese), drawn  # six different shapes
    assert all(h != missing[0] and ink > 40 for h, ink, _ in chinese), drawn
    assert all(abs(width - 28) < 2 for _, _, width in chinese), drawn  # full-width CJK advance
    heading = page.locator("#title").bounding_box()
    assert heading and heading["width"] > 8 * 18  # 12 characters at 20 px, none collapsed
    if SCREENSHOTS:
        _dashboard_screenshot(planned)


# ---- screenshots for docs/img (COURTPLAN_SCREENSHOTS=1) ------------------------------------------

def _save_png(png: bytes, name: str, width: int = WIDTH) -> None:
    """A PNG of at most `width` pixels, 256 colours: small enough to commit (≤ 300 KB)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    IMAGES.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(IMAGES / name, optimize=True)
    assert (IMAGES / name).stat().st_size <= 300_000, f"{name} is too large"


def _dashboard_screenshot(w: Watched) -> None:
    page = w.page
    page.fill("#case-search", "")
    top = page.evaluate("document.getElementById('app').getBoundingClientRect().top + window.scrollY")
    _save_png(page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": top + 1450}),
              "dashboard.png")


def _report_screenshot(w: Watched, report: Path) -> None:
    page = w.context.new_page()
    page.set_viewport_size({"width": WIDTH, "height": 1400})
    page.goto(report.as_uri())
    page.wait_for_selector("#cases tbody tr")
    _save_png(page.screenshot(), "report.png")
    page.close()


def _drafts_screenshot(drafts_zip: Path, tmp: Path) -> None:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        pytest.fail("COURTPLAN_SCREENSHOTS=1 needs LibreOffice (soffice) and poppler (pdftoppm)")
    with zipfile.ZipFile(drafts_zip) as z:
        def text(n: str) -> str:
            return "".join(p.text for p in docx.Document(io.BytesIO(z.read(n))).paragraphs)

        name = next(n for n in sorted(z.namelist()) if n.endswith("_执行裁定书.docx")
                    and "指令本辖区其他人民法院执行" in text(n))
        (tmp / "draft.docx").write_bytes(z.read(name))  # a 指令执行 ruling
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp), str(tmp / "draft.docx")], check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(tmp / "draft.pdf"),
                    str(tmp / "draft")], check=True, capture_output=True, timeout=60)
    _save_png((tmp / "draft.png").read_bytes(), "drafts.png", width=900)


def test_projection_charts_and_screening_list_show(planned: Watched) -> None:
    page = planned.page
    page.wait_for_selector("#projection svg polyline", state="attached")
    assert page.locator("#projection svg").count() >= 2  # the district and its courts
    assert page.locator("#proj-kpis tbody tr").count() == 4  # pending and pool at 6 and 12 months
    assert "征询" in page.text_content("#screen-counts")
    assert page.locator("#screening tbody tr").count() > 0
    assert not planned.errors, planned.errors
