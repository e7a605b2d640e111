"""The 大事记 in a real browser, on a desktop (1280 × 900) and a phone (390 × 844): months in order,
entries dated as their text dates them, the event two issues reported cited twice, the topic
filter, the Word download clicked and read back. Screenshots go to SHOTS (docs/screenshots/ by
scripts/docs/make_screenshots.py)."""
import io
from importlib import resources
from pathlib import Path

import pytest

from test_web_e2e import ARGS, CHROMIUM, SHOTS, serving, sync_api, watchdog  # noqa: F401  (fixtures)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "chronicle"


@pytest.fixture
def chronicle_server(tmp_path):
    """The samples and the two dated fixture issues (2021-01-10, 2021-01-24), on waitress."""
    from archive.service.importing import Importer
    from archive.store import DataDir
    from archive.web import create_app
    data = DataDir(tmp_path / "data")
    files = sorted(Path(str(resources.files("archive").joinpath("samples"))).glob("*.pdf"))
    files += sorted(FIXTURES.glob("*.pdf"))
    with data.records() as records:
        assert all(not r.failed for r in Importer(records, data).import_paths(files))
    with serving(create_app({"DATA_DIR": str(data.root), "SECRET_KEY": "e2e"})) as url:
        yield url


def browse(viewport: dict, **extra):
    p = sync_api.sync_playwright().start()
    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    ctx = browser.new_context(viewport=viewport, locale="zh-CN", **extra)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    return p, browser, ctx, page


def test_the_chronicle_on_a_desktop_and_a_phone(chronicle_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    p, browser, ctx, page = browse({"width": 1280, "height": 900}, accept_downloads=True)
    try:
        problems = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(chronicle_server + "/years/2021")
        page.get_by_text("2021 年大事记").click()
        expect(page.locator("h1")).to_contain_text("2021年大事记")
        months = page.locator(".chronicle-month h2").all_inner_texts()
        order = "一二三四五六七八九十"
        assert months and months == sorted(months, key=lambda m: (len(m), order.index(m[-2]))), months
        dates = page.locator(".entry-date").all_inner_texts()
        assert "1月5日" in dates and dates.index("1月5日") < dates.index("1月15日") < dates.index("1月18日")
        page.screenshot(path=str(SHOTS / "chronicle.png"), full_page=False)

        with page.expect_download() as info:
            page.locator(".export a.download", has_text="Word").click()
        import docx
        paras = [x.text for x in docx.Document(io.BytesIO(open(info.value.path(), "rb").read())).paragraphs]
        assert paras[0] == "2021年大事记" and any(x.startswith("1月15日\u3000兰州铝业") for x in paras)

        page.select_option("select[name=topic]", "合规管理")
        page.locator(".chronicle-filter button").click()
        expect(page.locator("h1")).to_contain_text("「合规管理」")
        assert all("合规管理" in t for t in page.locator(".entry .entry-topics").all_inner_texts())

        page.goto(chronicle_server + "/years/2020/chronicle")
        twice = page.locator(".entry").filter(has_text="兰州铝业组织党员赴革命纪念馆")
        expect(twice).to_have_count(1)
        expect(twice.locator(".cite")).to_have_count(2)
        assert not problems, problems
    finally:
        ctx.close()
        browser.close()
        p.stop()

    p, browser, ctx, page = browse({"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                   has_touch=True)
    try:
        page.goto(chronicle_server + "/years/2021/chronicle")
        first = page.locator(".entry").first
        expect(first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        date_box, text_box = first.locator(".entry-date").bounding_box(), first.locator(".entry-text").bounding_box()
        assert date_box["y"] + date_box["height"] <= text_box["y"] + 1  # the date above its text, not squeezed beside
        for control in ("input[name=unit]", "select[name=topic]", ".chronicle-filter button"):
            assert page.locator(control).bounding_box()["height"] >= 32, control  # a finger can hit it
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.entry-text')).fontSize)")
        assert font >= 15
        page.screenshot(path=str(SHOTS / "phone-chronicle.png"), full_page=False)
    finally:
        ctx.close()
        browser.close()
        p.stop()
