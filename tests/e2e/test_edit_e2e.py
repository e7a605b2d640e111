"""End to end in headless Chromium (issues 14 and 22 §3): an editor logs in, corrects an item in its
one form beside its page image (a unit added, the title and the text changed, one save), finds the
item by that unit, splits an item at the caret, is asked before a merge and before 撤销, reads the
history as a character diff, and works through the review queue (several entries at once, back
where they were). Screenshots go to edit-*.png in SHOTS, at 1280 × 900 and 390 × 844."""
from urllib.parse import quote, unquote

import pytest

from test_web_e2e import ARGS, CHROMIUM, SHOTS, page, serving, sync_api, watchdog  # noqa: F401  (fixtures; skips without a browser)

EDITOR, READER, PASSWORD = "王编辑", "李读者", "e2e-password-1"
NEW_UNITS = [("2021-005-017", "热电厂"), ("2021-005-007", "动力厂"), ("2021-005-003", "机修厂")]


@pytest.fixture
def server(samples_copy):
    import sqlite3

    from archive.service.correcting import Editor
    from archive.store import DataDir
    from archive.store.accounts import Accounts
    from archive.web import create_app
    db = sqlite3.connect(samples_copy / "archive.sqlite3")  # what an import of a poor scan flags
    db.execute("UPDATE issues SET needs_review = 1, review_reasons = '[{\"kind\": \"low_confidence\", \"count\": 1}]'"
               " WHERE id = '2018-002'")
    db.execute("UPDATE items SET confidence = 0.62 WHERE id = '2018-002-003'")
    db.commit()
    db.close()
    data = DataDir(samples_copy)
    with data.records() as records:
        Accounts(records.conn).add(EDITOR, "editor", PASSWORD)
        Accounts(records.conn).add(READER, "reader", PASSWORD)
    with serving(create_app({"DATA_DIR": str(samples_copy), "SECRET_KEY": "e2e-edit"})) as url:
        yield url, data


def login(page, server, name=EDITOR):
    page.goto(server + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(server + "/")


def test_editor_fixes_an_item_in_one_form_finds_it_and_reverts_after_being_asked(server, page):
    server, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, server)

    item = server + "/items/2021-005-017"
    page.goto(item)
    form = page.locator("form#edit-form")
    expect(form).to_be_visible()
    expect(page.locator("h1 .badge.corrected")).to_have_count(0)
    # the page image beside the text on a desktop: the item's lines, boxed, to the right of the form
    crop = page.locator("aside.item-page svg.page-crop")
    expect(crop).to_be_visible()
    assert crop.locator("rect.line").count() > 0
    assert crop.bounding_box()["x"] > page.locator("article.item-full").bounding_box()["x"] + 400
    # one save: a unit added, the title and the text changed
    form.locator("input[name=add_units]").fill("热电厂")
    form.locator("input[name=heading]").fill("热值攻关")
    text = form.locator("textarea[name=text]")
    text.fill(text.input_value().replace("煤气热值", "煤气的热值", 1))
    form.locator("input[name=note]").fill("正文写明是热电厂的攻关")
    form.locator("button[type=submit]", has_text="保存").click()
    page.wait_for_url(item + "?saved=3#edit")
    expect(page.locator("p.saved")).to_contain_text("已保存 3 处修改")
    expect(page.locator("h1")).to_contain_text("热值攻关")
    expect(page.locator("h1 .badge.corrected")).to_have_text("已校对")
    expect(page.locator("p.units")).to_contain_text("热电厂")
    expect(page.locator("ol.history li")).to_have_count(3)
    diff = page.locator("ol.history .diff").last
    expect(diff.locator("ins")).to_have_text("的")  # one character put in: shown as that, not a paragraph
    assert len(diff.inner_text()) < 40
    page.locator("section.corrections").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "edit-item.png"), full_page=True)

    page.goto(server + "/?unit=" + quote("热电厂"))
    expect(page.locator("a[href^='/items/2021-005-017']").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "edit-search.png"), full_page=False)

    # 撤销 asks first: a page saying what goes back, then the confirmation
    page.goto(item)
    page.locator("li.correction", has_text="添加单位").locator("button[data-revert]").click()
    expect(page.locator("h1")).to_have_text("撤销这项校对？")
    expect(page.locator("p.units")).to_have_count(0)  # not the item page: nothing changed yet
    page.screenshot(path=str(SHOTS / "edit-confirm-revert.png"))
    page.click("button:has-text('确认撤销')")
    page.wait_for_url(item)
    expect(page.locator("ol.history li.state-reverted")).to_have_count(1)
    expect(page.locator("p.units")).not_to_contain_text("热电厂")
    page.locator("section.corrections").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "edit-reverted.png"), full_page=False)
    page.goto(server + "/?unit=" + quote("热电厂"))
    expect(page.locator("a[href^='/items/2021-005-017']")).to_have_count(0)

    # the history names the editor; a reader sees no forms and is refused every editing route
    page.goto(item)
    expect(page.locator("ol.history")).to_contain_text(EDITOR)
    page.click("header nav form.nav-logout button")
    login(page, server, READER)
    page.goto(item)
    expect(page.locator("section.edit")).to_have_count(0)
    expect(page.locator("header nav")).not_to_contain_text("审核")
    assert page.goto(server + "/review").status == 403
    expect(page.locator("main")).to_contain_text("读者")
    assert problems == []


def test_split_at_the_caret_and_merge_after_being_asked(server, page):
    server, _ = server
    expect = sync_api.expect
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, server)
    item = server + "/items/2021-005-007"
    page.goto(item)
    area = page.locator("textarea[name=text]")
    whole = area.input_value()
    at = whole.index("。") + 1  # after the first sentence
    area.focus()
    area.evaluate("(el, at) => el.setSelectionRange(at, at)", at)
    page.click("button.split-caret")  # the script puts 【拆分】 at the caret
    assert area.input_value() == whole[:at] + "【拆分】" + whole[at:]
    page.click("button.split-caret")  # again at the same place: still one mark
    assert area.input_value().count("【拆分】") == 1
    page.locator("form#edit-form button[type=submit]", has_text="保存").click()
    page.wait_for_url(item + "?saved=1#edit")
    expect(page.locator(".item-full .text").first).to_have_text(whole[:at])
    expect(page.locator("a[rel=next]")).to_have_attribute("href", "/items/2021-005-007-2")
    expect(page.locator("ol.history .split-mark")).to_have_count(1)

    # merging asks first, showing both items
    page.click("button:has-text('与下一条合并')")
    expect(page.locator("h1")).to_have_text("与下一条合并？")
    expect(page.locator(".versions section")).to_have_count(2)
    expect(page.locator(".versions")).to_contain_text(whole[at:at + 10])
    page.screenshot(path=str(SHOTS / "edit-confirm-merge.png"))
    page.click("button:has-text('确认合并')")
    page.wait_for_url(item)
    expect(page.locator(".item-full .text").first).to_have_text(whole)
    assert problems == []


def test_the_review_queue_acts_on_several_and_comes_back_where_it_was(server, page):
    server, data = server
    from archive.service.correcting import Editor
    with data.records() as records:  # units discovery found that the registry lacks
        ed = Editor(records, data)
        for item, unit in NEW_UNITS:
            ed.correct_item(item, "add_unit", unit, who="parser")
    expect = sync_api.expect
    login(page, server)
    page.goto(server + "/review")
    page.click("nav.review-filters a:has-text('登记表里没有的单位')")
    expect(page.locator("li.review-needs_review")).to_have_count(0)
    entries = page.locator("li.review-new_unit")
    keys = entries.evaluate_all("els => els.map(e => e.id)")
    assert len(keys) == 3
    entries.nth(0).locator("input[name=sel]").check()
    entries.nth(1).locator("input[name=sel]").check()
    expect(page.locator(".selected-count")).to_have_text(" 2 项")
    page.screenshot(path=str(SHOTS / "edit-review.png"), full_page=False)
    page.locator(".bulk-bar button", has_text="登记为单位").click()
    page.wait_for_load_state("load")
    assert "kind=new_unit" in page.url and unquote(page.url).endswith("#" + keys[2])
    expect(page.locator("p.saved")).to_have_text("已把 2 项登记为单位。")
    expect(page.locator("li.review-new_unit")).to_have_count(1)
    expect(page.locator("li.review-new_unit:target")).to_have_count(1)  # the entry that followed

    # the same on a phone: every control a finger's size, the queue readable
    ctx = page.context.browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                           has_touch=True, locale="zh-CN")
    phone = ctx.new_page()
    phone.set_default_timeout(20000)
    login(phone, server)
    phone.goto(server + "/review")
    phone.screenshot(path=str(SHOTS / "phone-edit-review.png"))
    phone.goto(server + "/items/2021-005-017")
    phone.locator("form#edit-form").scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS / "phone-edit-item.png"))
    from a11y import small_controls
    assert small_controls(phone) == []
    ctx.close()
