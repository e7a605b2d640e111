"""Reports in a real browser: a search's Word and Excel downloads (clicked, then read back), a
unit's activities with the sentence marked on its item, the units × years table, the coverage
page, and an item printed on A4. Screenshots go to SHOTS (docs/screenshots/ by scripts/docs/make_screenshots.py)."""
import io

import pytest

from test_web_e2e import SHOTS, page, samples_server, sync_api, watchdog  # noqa: F401  (fixtures)


def download(pg, link):
    with pg.expect_download() as info:
        link.click()
    d = info.value
    return d.suggested_filename, open(d.path(), "rb").read()


def test_a_search_downloads_as_word_and_excel_and_a_unit_lists_its_own_activities(samples_server, page):  # noqa: F811
    expect = sync_api.expect
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(samples_server + "/?q=党史")
    shown = [int(t) for t in page.locator(".results-head .total strong").all_inner_texts()]
    total = sum(shown)  # the text matches and those matching only in their titles: all are exported
    exports = page.locator(".export a.download")
    expect(page.locator(".export").first).to_contain_text(f"导出全部 {total} 条")

    name, data = download(page, exports.filter(has_text="Word").first)
    assert name.endswith(".docx") and "党史" in name
    import docx
    paras = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert paras[0] == "检索结果：党史" and any(p.startswith(f"共 {total} 条") for p in paras)
    assert sum(p.startswith("出处：《中铝股份党群工作》") for p in paras) == total

    # the table layout (issue 22, §6): one table of 序号 期号 日期 单位 内容 页码, a row a hit
    name, data = download(page, exports.filter(has_text="Word 表格").first)
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert name.endswith(".docx") and [c.text for c in table.rows[0].cells] == ["序号", "期号", "日期", "单位", "内容", "页码"]
    assert len(table.rows) == total + 1

    name, data = download(page, exports.filter(has_text="Excel").first)
    import openpyxl
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("日期", "期号", "页码") and len(rows) - 1 == total

    # a unit's page: its own sentences, not whole paragraphs; one opens its item with it marked
    page.goto(samples_server + "/units/遵义铝业")
    acts = page.locator("ol.activities li.act")
    expect(acts.first).to_be_visible()
    texts = acts.locator(".act-text").all_inner_texts()
    assert all("遵义铝业" in t for t in texts if "（" not in t[-12:]), texts
    page.screenshot(path=str(SHOTS / "unit-activities.png"), full_page=True)
    first = acts.locator(".act-text a").first
    sentence = first.inner_text()
    first.click()
    expect(page.locator("mark.activity")).to_have_text(sentence)
    page.screenshot(path=str(SHOTS / "item-activity.png"))

    # an item prints on A4 without the navigation, its citations kept
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.locator(".cites").is_visible()
    pdf = page.pdf(format="A4")
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "《中铝股份党群工作》" in text and "档案检索" not in text
    page.emulate_media(media="screen")

    # the units × years table, sorted by a year, and the coverage of each year
    page.goto(samples_server + "/units")
    page.locator("table.units-years th a", has_text="2021").click()
    expect(page.locator("table.units-years th", has_text="2021 ▼")).to_be_visible()
    page.screenshot(path=str(SHOTS / "units-years.png"))
    page.goto(samples_server + "/years")
    expect(page.locator("table.coverage tbody tr")).to_have_count(6)  # 2016..2021, 2017/2019/2020 empty
    expect(page.locator("tr.empty-year").first).to_contain_text("没有任何期刊")
    page.screenshot(path=str(SHOTS / "coverage.png"))
    assert not problems, problems


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_a_unit_report_downloads_in_its_range(samples_server, page, fmt):  # noqa: F811
    page.goto(samples_server + "/units/遵义铝业?from=2018-01-01&to=2018-12-31")
    link = page.locator(".export a.download", has_text={"csv": "CSV", "md": "Markdown"}[fmt])
    name, data = download(page, link)
    text = data.decode("utf-8-sig")
    assert name.endswith("." + fmt) and "2018年第2期" in text and "2021年" not in text.split("\n", 3)[-1]
