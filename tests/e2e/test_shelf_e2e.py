"""The shelf in a browser (issue 22, §7): a folder picked on the import page (the files' paths in
it kept as their names, what is not a PDF left out, a document that is not the bulletin counted
apart as 「导入为其他文件」), the job's table readable at 1280 px and on a phone, and a year's
calendar marking its missing numbers. Screenshots: shelf-*.png in SHOTS, desktop and 390 × 844."""
import shutil

from test_web_e2e import ARGS, CHROMIUM, SHOTS, page, serving, sync_api, watchdog  # noqa: F401  (fixtures)

TOKEN = "shelf-token"


def test_a_folder_is_imported_and_the_years_calendar_marks_what_is_missing(tmp_path, page):  # noqa: F811
    from archive.web import create_app
    from test_other_documents import notice_pdf
    from webtools import sample_files
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    folder = tmp_path / "党群工作资料"
    (folder / "2021").mkdir(parents=True)
    (folder / "2016").mkdir()
    for f in sample_files():
        shutil.copy(f, folder / f.stem[:4] / f"第{int(f.stem[5:])}期.pdf") if f.stem[:4] in ("2016", "2021") \
            else shutil.copy(f, folder / f.name)
    notice_pdf(folder / "误放的通知.pdf")
    (folder / "说明.txt").write_text("不是 PDF", encoding="utf-8")
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    with serving(create_app({"DATA_DIR": str(tmp_path / "data"), "ADMIN_TOKEN": TOKEN, "SECRET_KEY": "shelf"})) as url:
        page.goto(url + "/import")
        page.fill("input[name=token]", TOKEN)
        page.click("form.login button[type=submit]")
        page.set_input_files("input[name=folder]", str(folder))  # <input webkitdirectory>: the folder itself
        page.click("form.upload button[type=submit]")
        expect(page.locator("section.job")).to_have_attribute("data-state", "done", timeout=180000)
        names = page.locator("td.f-name").all_inner_texts()
        assert sorted(names) == sorted(["党群工作资料/2016/第2期.pdf", "党群工作资料/2016/第6期.pdf",
                                        "党群工作资料/2021/第5期.pdf", "党群工作资料/2018-002.pdf",
                                        "党群工作资料/误放的通知.pdf"]), names
        other = page.locator("tr", has=page.locator("td.f-name", has_text="误放的通知"))
        expect(other.locator(".f-status")).to_have_text("导入为其他文件")
        expect(page.locator(".job-summary")).to_have_text("已完成：4 个文件导入成功，1 个导入为其他文件，0 个未导入")
        expect(page.locator("p.skipped")).to_contain_text("说明.txt")
        table = page.locator("table.job-table")
        assert table.bounding_box()["width"] <= 1280 - 2 * 24  # within the page at 1280 px
        page.screenshot(path=str(SHOTS / "shelf-import-job.png"), full_page=True)
        job = page.url

        page.goto(url + "/years/2021")
        expect(page.locator(".missing-note")).to_contain_text("缺第 1、2、3、4 期")
        expect(page.locator("td.missing-day")).to_have_count(4)
        page.screenshot(path=str(SHOTS / "shelf-year.png"))
        page.goto(url + "/years")
        page.screenshot(path=str(SHOTS / "shelf-years.png"))

        phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                                 is_mobile=True, has_touch=True, locale="zh-CN")
        pp = phone.new_page()
        pp.set_default_timeout(20000)
        pp.goto(url + "/import")
        pp.fill("input[name=token]", TOKEN)
        pp.click("form.login button[type=submit]")
        pp.goto(job)
        cards = pp.locator("table.job-table tbody tr")
        expect(cards).to_have_count(5)
        box = cards.first.bounding_box()
        assert box["width"] <= 390 and pp.evaluate("document.documentElement.scrollWidth") <= 390
        pp.screenshot(path=str(SHOTS / "shelf-phone-import-job.png"))
        pp.goto(url + "/years/2021")
        pp.screenshot(path=str(SHOTS / "shelf-phone-year.png"))
        phone.close()
    assert problems == []
