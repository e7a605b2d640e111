"""End to end in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright; never
`playwright install`): the app on waitress on a free port, the samples imported through the import
page, a search for 党史, a unit filter, a hit, its citation and its page image with highlights.
Screenshots go to SHOTS (a temporary folder; docs/screenshots/ by scripts/docs/make_screenshots.py)."""
import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Screenshots go to a temporary folder (running the tests changes no tracked file);
# scripts/docs/make_screenshots.py runs these tests with ARCHIVE_SCREENSHOTS=docs/screenshots.
SHOTS = Path(os.environ.get("ARCHIVE_SCREENSHOTS") or tempfile.mkdtemp(prefix="archive-screenshots-"))
TOKEN = "e2e-editor-token"
WATCHDOG_S = 240

if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(f"no browser: {CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')")


@pytest.fixture(autouse=True)
def watchdog():
    """A stuck browser fails its test instead of holding the whole suite: some Playwright calls
    (closing a page or a context) have no timeout of their own. SIGUSR1, sent by a timer thread,
    interrupts the main thread's wait; SIGALRM is the importer's."""
    def expire(signum, frame):
        raise TimeoutError(f"the browser test ran past {WATCHDOG_S} s")
    previous = signal.signal(signal.SIGUSR1, expire)
    main = threading.main_thread().ident
    timer = threading.Timer(WATCHDOG_S, lambda: signal.pthread_kill(main, signal.SIGUSR1))
    timer.daemon = True
    timer.start()
    yield
    timer.cancel()
    signal.signal(signal.SIGUSR1, previous)


@contextmanager
def serving(app):
    """The app on waitress on a loopback port of its own, for as long as the block runs: its URL."""
    from waitress import create_server
    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    closing = threading.Event()

    def run():
        try:
            srv.run()
        except Exception:  # its sockets closed under its select loop: expected once we close it
            if not closing.is_set():
                raise
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        closing.set()
        srv.close()
        thread.join(timeout=5)
        app.extensions["archive.search"].close()
        app.extensions["archive.renderer"].close()


@pytest.fixture
def server(tmp_path):
    from archive.web import create_app
    with serving(create_app({"DATA_DIR": str(tmp_path / "data"), "ADMIN_TOKEN": TOKEN, "SECRET_KEY": "e2e"})) as url:
        yield url


@pytest.fixture
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(20000)
        yield pg
        context.close()
        browser.close()


def test_import_search_filter_open_hit_see_citation_and_page(server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    expect = sync_api.expect

    # import the samples as an editor
    page.goto(server + "/import")
    page.fill("input[name=token]", TOKEN)
    page.click("form.login button[type=submit]")
    samples = sorted(Path(str(resources.files("archive").joinpath("samples"))).glob("*.pdf"))
    page.set_input_files("input[type=file][name=files]", [str(p) for p in samples])
    page.click("form.upload button[type=submit]")
    # the job page: one row per file, brought up to date by app.js polling the job (no reload)
    expect(page.locator("table.results-table tbody tr")).to_have_count(len(samples))
    page.wait_for_load_state("load")
    loads = []
    page.on("load", lambda p: loads.append(p.url))
    expect(page.locator("section.job")).to_have_attribute("data-state", "done", timeout=120000)
    expect(page.locator("tr.status-imported")).to_have_count(len(samples))
    expect(page.locator(".job-summary")).to_contain_text(f"{len(samples)} 个文件导入成功")
    expect(page.locator("tr.status-imported .f-progress-text").first).to_contain_text("页")
    assert loads == [], "the job page reloaded"
    assert page.locator("tr.status-refused").count() == 0

    # search 党史
    page.click("header nav >> text=检索")
    page.fill("input[name=q]", "党史")
    page.press("input[name=q]", "Enter")
    expect(page.locator("article.hit").first).to_be_visible()
    expect(page.locator("article.hit mark").first).to_have_text("党史")
    total = int(page.locator(".results-head .total strong").first.inner_text())
    assert total > 1
    page.screenshot(path=str(SHOTS / "search.png"))

    # a unit filter
    unit_link = page.locator("[data-facet=unit] li a").first
    unit = unit_link.inner_text()
    count = int(page.locator("[data-facet=unit] li .count").first.inner_text())
    unit_link.click()
    expect(page.locator(".chips")).to_contain_text(f"单位：{unit}")
    assert int(page.locator(".results-head .total strong").first.inner_text()) == count
    assert "unit=" in page.url

    # the citation can be copied
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    first = page.locator("article.hit").first
    first.locator("button.copy").first.click()
    expect(first.locator("button.copy").first).to_have_text("已复制")

    # open the hit: its citation, then its page with the lines highlighted
    first.locator("h2 a").click()
    expect(page.locator(".item-full .cite-text").first).to_contain_text("《中铝股份党群工作》")
    expect(page.locator(".item-full .cite-text").nth(1)).to_contain_text("[J]. 中铝股份党群工作")
    with page.expect_response(lambda r: ".png?v=" in r.url and r.status == 200):
        page.locator("a.page-link").first.click()
    expect(page.locator("svg.page image")).to_have_count(1)
    assert page.locator("svg.page g.chosen rect").count() > 0
    assert page.locator("svg.page g.match rect").count() > 0
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")  # app.js scrolled the chosen lines into view
    page.screenshot(path=str(SHOTS / "page-view.png"), full_page=True)

    # the unit's own page, with its chart
    page.goto(server + "/units/" + unit)
    expect(page.locator("svg.chart rect.bar").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "unit.png"), full_page=True)
    page.goto(server + "/issues/2021-005")
    page.screenshot(path=str(SHOTS / "issue.png"))

    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems


def test_a_job_goes_on_when_the_browser_is_closed(server, page):
    page.goto(server + "/import")
    page.fill("input[name=token]", TOKEN)
    page.click("form.login button[type=submit]")
    samples = sorted(Path(str(resources.files("archive").joinpath("samples"))).glob("*.pdf"))
    page.set_input_files("input[type=file][name=files]", [str(p) for p in samples[:2]])
    page.click("form.upload button[type=submit]")
    job_url = page.url
    assert "/import/jobs/" in job_url
    browser = page.context.browser
    page.context.close()  # the browser goes away (its tabs and cookies) while the job runs
    ctx = browser.new_context(locale="zh-CN")
    again = ctx.new_page()
    again.set_default_timeout(20000)
    again.goto(server + "/import")
    again.fill("input[name=token]", TOKEN)
    again.click("form.login button[type=submit]")
    for _ in range(240):  # the import page lists the job; reloaded by hand here, as a person would
        again.goto(server + "/import")
        if again.locator(".job-list li.job-done").count():
            break
        again.wait_for_timeout(500)
    assert again.locator(".job-list li.job-done").count() == 1
    again.goto(job_url)
    sync_api.expect(again.locator("tr.status-imported")).to_have_count(2)
    ctx.close()


@pytest.fixture
def samples_server(tmp_path):
    """The app on waitress over a data folder holding the samples."""
    from archive.service.importing import Importer
    from archive.store import DataDir
    from archive.web import create_app
    data = DataDir(tmp_path / "data")
    samples = sorted(Path(str(resources.files("archive").joinpath("samples"))).glob("*.pdf"))
    with data.records() as records:
        assert all(not r.failed for r in Importer(records, data).import_paths(samples))
    with serving(create_app({"DATA_DIR": str(data.root), "SECRET_KEY": "e2e"})) as url:
        yield url


def test_a_phone_sees_results_first_filters_behind_a_button_readable_chart_and_a_way_back(samples_server):
    """390 × 844, the size of a common phone: the first hit shows without scrolling, the filter
    counts open from a 筛选 button, the unit chart's labels are at least 11 px, a page past the
    last leads back, and a search sent from the form carries no empty fields."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
        page = ctx.new_page()
        page.set_default_timeout(20000)
        problems = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

        page.goto(samples_server + "/")
        page.fill("input[name=q]", "党史")
        page.press("input[name=q]", "Enter")
        first = page.locator("article.hit").first
        expect(first).to_be_visible()
        assert "from=" not in page.url and "sort=" not in page.url and "to=" not in page.url, page.url
        box = first.bounding_box()
        assert box["y"] + 120 < 844, box  # the first hit (its title and the start of its text) is on screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        facets = page.locator("aside.facets")
        expect(facets).to_be_hidden()
        page.screenshot(path=str(SHOTS / "phone-search.png"))
        page.click("label.filter-button")
        expect(facets).to_be_visible()
        expect(page.locator("[data-facet=unit] li a").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "phone-filters.png"))

        unit = page.locator("[data-facet=unit] li a").first.inner_text()
        page.goto(samples_server + "/units/" + unit)
        label = page.locator("svg.chart text.year").first
        expect(label).to_be_visible()
        assert label.bounding_box()["height"] >= 11, label.bounding_box()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the chart scrolls in its box
        page.screenshot(path=str(SHOTS / "phone-unit.png"))

        page.goto(samples_server + "/?q=党史&page=99")
        expect(page.locator(".out-of-range")).to_contain_text("没有第 99 页")
        page.click("text=回到最后一页")
        expect(page.locator("article.hit").first).to_be_visible()
        assert not problems, problems
        ctx.close()
        browser.close()
