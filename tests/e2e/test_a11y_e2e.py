"""A phone you can tap, a page you can read, a keyboard that works (issue 22, §5), in headless
Chromium over the samples, an editor logged in (the import and review pages are theirs):

- every visible control at least 44 × 44 CSS px at 390 × 844, on each page (tests/e2e/a11y.py
  lists any smaller: seen 100 on the search page), and nothing wider than a 320 px screen;
- axe-core (the axe-playwright-python wheel's JS, offline) on the search, item, issue, page view,
  unit, years, year, import, job and review pages: 0 critical, 0 serious (seen: 1 critical and 2
  serious on search, 3 serious on a unit page); the counts per page written to accessibility.md
  (ARCHIVE_A11Y_REPORT, docs/accessibility.md by scripts/docs/make_screenshots.py);
- a skip link first; the results before the filter lists by keyboard (seen: the first result was
  the 33rd Tab stop, Tab stop 5 an invisible checkbox); every Tab stop visible with a focus ring;
- the page view on a phone opens on the chosen lines enlarged (text ≥ 16 CSS px), the whole page
  a tap away.
Screenshots of every page at 1280 × 900 and 390 × 844 go to SHOTS/pages; a11y-focus.png and
phone-page-view.png to SHOTS."""
import os
import re
from pathlib import Path

import pytest

from a11y import axe_counts, small_controls, tab_stops
from conftest import FIXTURES, share_ocr_cache, shared_ocr_folder
from test_web_e2e import ARGS, CHROMIUM, SHOTS, serving, sync_api, watchdog  # noqa: F401  (fixtures; skips without a browser)

TOKEN = "a11y-editor-token"
PAGES = {  # name: path (what a reader, a writer and an editor open every day)
    "search": "/?q=党史",
    "home": "/",
    "item": "/items/2021-005-017?q=党史",
    "issue": "/issues/2021-005",
    "page-view": "/issues/2021-005/pages/5?item=2021-005-017&q=党史",
    "unit": "/units/遵义铝业",
    "units": "/units",
    "years": "/years",
    "year": "/years/2021",
    "import": "/import",
    "review": "/review",
    "help": "/help",
}
SCANNED: dict = {}  # "scan": the page of a scanned document (its searchable PDF the first download), set by `site`
REPORT = Path(os.environ.get("ARCHIVE_A11Y_REPORT") or SHOTS / "accessibility.md")
PAGE_SHOTS = SHOTS / "pages"  # every page at both sizes (looked at; docs/screenshots/pages is not kept in git)
MEASURED: dict = {}  # what the tests of this module found, for the report


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The samples, one item with a unit the registry lacks (the queue has an entry), an issue
    flagged for review, and an import job done: every page has something on it."""
    from archive.service.correcting import Editor
    from archive.service.importing import Importer
    from archive.store import DataDir
    from archive.web import create_app
    from webtools import sample_files
    data = DataDir(share_ocr_cache(tmp_path_factory.mktemp("a11y") / "data", shared_ocr_folder(tmp_path_factory)))
    with data.records() as records:
        assert all(not r.failed for r in Importer(records, data).import_paths(sample_files()))
        from archive.ingest import ocr
        if ocr.available() is None:  # a scanned book (another document): read by OCR
            [scan] = Importer(records, data).import_paths([FIXTURES / "scans" / "book.pdf"])
            SCANNED["scan"] = f"/issues/{scan.issue_id}"
        Editor(records, data).correct_item("2021-005-017", "add_unit", "热电厂", who="parser")
        records.conn.execute("UPDATE issues SET needs_review = 1, review_reasons = '[{\"kind\": \"no_sections\"}]'"
                             " WHERE id = '2018-002'")
    with serving(create_app({"DATA_DIR": str(data.root), "SECRET_KEY": "a11y", "ADMIN_TOKEN": TOKEN})) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def open_as_editor(browser, site, **context):
    ctx = browser.new_context(locale="zh-CN", **context)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    page.goto(site + "/import")
    page.fill("input[name=token]", TOKEN)
    page.click("form.login button[type=submit]")
    return ctx, page


def visit(page, site, path, settled: bool = True):
    """Open the page (until its load event: its pictures, the page view's SVG image among them, are
    in); `settled`: and its web fonts, what a screenshot or axe needs. No page asks for more after it
    loads but a job page still running (polling), and these pages' job is done. (Waiting for the
    network to be idle half a second cost ~15 s over the module's two passes of 14 pages.)"""
    page.goto(site + path)
    if settled:
        page.evaluate("document.fonts.ready.then(() => true)")


def job_path(page, site):
    """An import job's page (one file, already imported: quick)."""
    from webtools import sample_files
    visit(page, site, "/import")
    page.set_input_files("input[name=files]", [str(sample_files()[0])])
    page.click("form.upload button[type=submit]")
    sync_api.expect(page.locator("section.job")).to_have_attribute("data-state", "done", timeout=120000)
    return page.url.removeprefix(site)


def test_axe_finds_nothing_critical_or_serious_on_any_page(site, browser):
    PAGE_SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, page = open_as_editor(browser, site, viewport={"width": 1280, "height": 900})
    pages = dict(PAGES, job=job_path(page, site), **SCANNED)
    rows, bad = [], []
    for name, path in pages.items():
        visit(page, site, path)
        page.screenshot(path=str(PAGE_SHOTS / f"{name}.png"))
        if name == "help":  # the staff guide as the app shows it (docs/screenshots, issue 26)
            page.screenshot(path=str(SHOTS / "help.png"))
        if name == "scan":  # 下载可检索的 PDF beside the original scan (issue 24)
            page.screenshot(path=str(SHOTS / "issue-scan.png"))
        counts, lines = axe_counts(page)
        rows.append((name, "/import/jobs/<id>" if name == "job" else path, counts, lines))
        if counts["critical"] or counts["serious"]:
            bad.append((name, lines))
    ctx.close()
    MEASURED["axe"] = rows
    write_report()
    assert bad == []


def write_report():
    """accessibility.md: axe-core's counts per page (and what is left below serious), and the
    phone's controls under 44 × 44 and pages wider than 320 px, as far as this run measured them."""
    from axe_playwright_python.base import AXE_SCRIPT
    version = AXE_SCRIPT[:40].split("axe v")[1].split()[0] if "axe v" in AXE_SCRIPT[:40] else "?"
    out = ["# Accessibility: every page checked in a browser", "",
           "Made by `tests/e2e/test_a11y_e2e.py` in headless Chromium over the bundled samples, an editor logged in",
           "(`.venv/bin/python -m scripts.docs.make_screenshots -k a11y` writes this file).", ""]
    if "axe" in MEASURED:
        rows = MEASURED["axe"]
        out += [f"axe-core {version} (its JS from the axe-playwright-python wheel: no network) at 1280 × 900;"
                " the test fails on any critical or serious violation:", "",
                "| page | path | critical | serious | moderate | minor |", "|---|---|---|---|---|---|"]
        for name, path, c, _ in rows:
            out.append(f"| {name} | `{path}` | {c['critical']} | {c['serious']} | {c['moderate']} | {c['minor']} |")
        rest = [(name, line) for name, _, _, lines in rows for line in lines]
        out += ["", "Each violation:" if rest else "No violation of any impact.", ""]
        out += [f"- {name}: {line}" for name, line in rest]
    if "phone" in MEASURED:
        small, wide = MEASURED["phone"]
        out += ["", "On a phone: visible controls under 44 × 44 CSS px at 390 × 844 (WCAG 2.5.5; the search page with"
                " its filter counts open), and the page's width at a 320 px screen:", "",
                "| page | controls under 44 × 44 | width at 320 px |", "|---|---|---|"]
        for name in small:
            out.append(f"| {name} | {len(small[name])} | {wide[name]} px |")
        out += [""] + [f"- {name}: {c}" for name in small for c in small[name]]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip() + "\n", encoding="utf-8")


def test_every_control_is_a_fingers_size_on_a_phone_and_nothing_scrolls_sideways(site, browser):
    PAGE_SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, page = open_as_editor(browser, site, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                               is_mobile=True, has_touch=True)
    pages = dict(PAGES, job=job_path(page, site), **SCANNED)
    small, wide = {}, {}  # page: the controls too small; page: its width at 320 px
    for name, path in pages.items():
        visit(page, site, path)
        page.screenshot(path=str(PAGE_SHOTS / f"phone-{name}.png"))
        if name == "help":
            page.screenshot(path=str(SHOTS / "phone-help.png"))
        if name == "search":  # the filter counts open behind their button: measured too
            page.click("label.filter-button")
        small[name] = small_controls(page)
    ctx.close()
    narrow, page = open_as_editor(browser, site, viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    for name, path in pages.items():
        visit(page, site, path, settled=False)  # a width, no picture: the load event is enough
        wide[name] = page.evaluate("document.documentElement.scrollWidth")
    narrow.close()
    MEASURED["phone"] = (small, wide)
    write_report()
    assert {k: v for k, v in small.items() if v} == {} and {k: v for k, v in wide.items() if v > 320} == {}


def test_keyboard_skip_link_results_before_filters_and_focus_always_seen(site, browser):
    ctx, page = open_as_editor(browser, site, viewport={"width": 1280, "height": 900})
    visit(page, site, PAGES["search"])
    stops = tab_stops(page, 150)
    assert stops[0]["text"] == "跳到检索结果" and stops[1]["text"] == "跳到正文"
    first_hit = next(i for i, s in enumerate(stops) if s and s["hit"])
    first_facet = next(i for i, s in enumerate(stops) if s and s["inFacets"])
    assert first_hit < first_facet, (first_hit, first_facet)
    assert all(s["w"] > 1 and s["h"] > 1 for s in stops if s), [s for s in stops if s and (s["w"] <= 1 or s["h"] <= 1)]
    assert all(s["outline"] or s["shadow"] for s in stops if s), [s for s in stops if s and not s["outline"]]
    # the skip link takes the keyboard to the first hit at once
    visit(page, site, PAGES["search"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('article.hit')")
    page.screenshot(path=str(SHOTS / "a11y-focus.png"))
    for name in ("item", "unit", "review"):  # a ring on every stop of other pages too
        visit(page, site, PAGES[name])
        stops = [s for s in tab_stops(page, 30) if s]
        assert stops[0]["text"] == "跳到正文" and all(s["outline"] or s["shadow"] for s in stops), name
    ctx.close()


def test_the_page_view_on_a_phone_opens_on_the_lines_at_a_legible_size(site, browser):
    ctx, page = open_as_editor(browser, site, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                               is_mobile=True, has_touch=True)
    visit(page, site, PAGES["page-view"])
    zoom = page.locator(".page-zoom svg.page-crop")
    sync_api.expect(zoom).to_be_visible()
    box = zoom.bounding_box()
    assert box["y"] < 844 / 2  # on the first screen
    view_width = float(zoom.get_attribute("viewBox").split()[2])
    text_px = float(zoom.get_attribute("data-text-pt")) * box["width"] / view_width
    assert text_px >= 16, text_px  # seen: 7–8 CSS px in the whole page
    whole = page.locator("svg.page")
    whole_px = float(zoom.get_attribute("data-text-pt")) * whole.bounding_box()["width"] / float(
        whole.get_attribute("viewBox").split()[2])
    assert whole_px < 10  # the whole page alone would not be legible
    page.screenshot(path=str(SHOTS / "phone-page-view.png"))
    page.click("text=看整页")  # a tap away
    assert whole.bounding_box()["y"] < 200
    ctx.close()
