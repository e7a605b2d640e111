"""Issue 22 §1 and §2 in a real browser, on a desktop (1280 × 900) and a phone (390 × 844): a hit
of 「兰州铝业 党史学习教育」 with the unit filter shows 兰州铝业's own sentence, cites its page (3) and
opens that page, where the words are boxed and the paragraph lightly; a document that is not the
bulletin is set apart (its collection in the filters, a 「其他文件」 badge, its own citation).
Screenshots: pointing-*.png and other-documents-*.png in SHOTS."""
import re

import pytest

from test_web_e2e import ARGS, CHROMIUM, SHOTS, serving, sync_api, watchdog  # noqa: F401 (fixtures; skips without a browser)

SENTENCE = "兰州铝业、中铝矿业以“清单式”方式推进党史学习教育。"
VIEWPORTS = {"desktop": dict(viewport={"width": 1280, "height": 900}),
             "phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                           has_touch=True)}


@pytest.fixture(scope="module")
def mixed_server(tmp_path_factory):
    """The samples and a 纪律处分决定书 (not the bulletin) imported, served on waitress."""
    from importlib import resources
    from pathlib import Path

    from archive.service.importing import Importer
    from archive.store import DataDir
    from archive.web import create_app
    from test_other_collection import decision_pdf
    root = tmp_path_factory.mktemp("pointing")
    decision = root / "decision.pdf"
    decision_pdf(decision)
    data = DataDir(root / "data")
    files = sorted(Path(str(resources.files("archive").joinpath("samples"))).glob("*.pdf")) + [decision]
    with data.records() as records:
        assert all(not r.failed for r in Importer(records, data).import_paths(files))
    with serving(create_app({"DATA_DIR": str(data.root), "SECRET_KEY": "e2e"})) as url:
        yield url


@pytest.fixture(params=list(VIEWPORTS))
def browser_page(request):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        ctx = browser.new_context(locale="zh-CN", **VIEWPORTS[request.param])
        page = ctx.new_page()
        page.set_default_timeout(20000)
        problems = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        yield request.param, page
        assert not problems, problems
        ctx.close()
        browser.close()


def test_a_hit_points_at_its_sentence_and_the_page_boxes_the_words(mixed_server, browser_page):
    size, page = browser_page
    expect = sync_api.expect
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(mixed_server + "/?q=兰州铝业+党史学习教育&unit=兰州铝业")
    hit = page.locator("article.hit").first
    expect(hit.locator(".snippet")).to_have_text("…" + SENTENCE + "…")
    expect(hit.locator(".snippet mark")).to_have_count(2)
    expect(hit.locator(".cite-text").first).to_have_text("《中铝股份党群工作》2021年第5期（总第5期），第3页")
    expect(hit.locator(".match-pages")).to_have_text("第3页")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    hit.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"pointing-hit-{size}.png"))

    link = hit.locator("a.page-link")
    expect(link).to_have_text("原版页面（第3页）")
    with page.expect_response(lambda r: ".png?v=" in r.url and r.status == 200):
        link.click()
    assert re.search(r"/issues/2021-005/pages/3\?", page.url)
    words = page.locator("svg.page g.words.chosen rect")
    expect(words.first).to_be_attached()
    assert 2 <= words.count() <= 3
    lines = page.locator("svg.page g.boxes.chosen.light rect")
    assert lines.count() >= 8  # the paragraph's lines on page 3, boxed lightly
    word_w = max(words.nth(k).bounding_box()["width"] for k in range(words.count()))
    line_w = max(lines.nth(k).bounding_box()["width"] for k in range(lines.count()))
    assert word_w < line_w / 2
    page.wait_for_load_state("networkidle")
    if page.viewport_size["width"] > 800:
        box = words.first.bounding_box()  # app.js brought the words into view
        assert 0 <= box["y"] <= page.viewport_size["height"], box
    else:  # a phone opens on the chosen lines enlarged (the page's art, words and all, drawn again there)
        zoom = page.locator(".page-zoom")
        expect(zoom).to_be_visible()
        assert 0 <= zoom.bounding_box()["y"] <= page.viewport_size["height"]
        expect(page.locator(".page-zoom use")).to_have_count(1)
    page.screenshot(path=str(SHOTS / f"pointing-page-{size}.png"))

    page.goto(mixed_server + "/items/2021-005-006?q=兰州铝业+党史学习教育&unit=兰州铝业")
    expect(page.locator("mark.activity")).to_have_text(SENTENCE)
    expect(page.locator(".cites .cite-text").first).to_have_text("《中铝股份党群工作》2021年第5期（总第5期），第3页")
    page.locator("mark.activity").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"pointing-item-{size}.png"))


def test_other_documents_are_apart(mixed_server, browser_page):
    size, page = browser_page
    expect = sync_api.expect
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(mixed_server + "/?q=兰州铝业")
    other = page.locator("article.hit.other-doc")
    expect(other).to_have_count(1)
    expect(other.locator(".badge.other")).to_have_text("其他文件")
    expect(other.locator(".cite-text").first).to_have_text("《纪律处分决定书》，第2页")
    other.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"other-documents-{size}.png"))
    if size == "phone":
        page.click("label.filter-button")
    facet = page.locator("[data-facet=collection]")
    expect(facet).to_be_visible()
    expect(facet.locator("li a")).to_have_text(["《中铝股份党群工作》", "其他文件"])
    assert "实际控制人" not in page.locator("[data-facet=unit]").inner_text()
    facet.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"other-documents-filters-{size}.png"))
    facet.locator("li a", has_text="其他文件").click()
    expect(page.locator(".chips")).to_contain_text("范围：其他文件")
    expect(page.locator("article.hit")).to_have_count(1)
    page.goto(mixed_server + "/units/兰州铝业")
    expect(page.locator("ol.activities")).not_to_contain_text("警示教育")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
