"""End to end in headless Chromium (issue 14): an editor logs in, adds a missing unit to an item
on its page, finds the item by that unit in the search, and reverts the change. Screenshots go to
docs/screenshots/edit-*.png (linked from the README's "Editors")."""
from urllib.parse import quote

import pytest

from test_web_e2e import SHOTS, page, serving, sync_api, watchdog  # noqa: F401  (fixtures; skips without a browser)

EDITOR, READER, PASSWORD = "王编辑", "李读者", "e2e-password-1"


@pytest.fixture
def server(samples_copy):
    import sqlite3

    from archive.store import DataDir
    from archive.store.accounts import Accounts
    from archive.web import create_app
    db = sqlite3.connect(samples_copy / "archive.sqlite3")  # what an import of a poor scan flags
    db.execute("UPDATE issues SET needs_review = 1, review_reasons = '[{\"kind\": \"low_confidence\", \"count\": 1}]'"
               " WHERE id = '2018-002'")
    db.execute("UPDATE items SET confidence = 0.62 WHERE id = '2018-002-003'")
    db.commit()
    db.close()
    with DataDir(samples_copy).records() as records:
        Accounts(records.conn).add(EDITOR, "editor", PASSWORD)
        Accounts(records.conn).add(READER, "reader", PASSWORD)
    with serving(create_app({"DATA_DIR": str(samples_copy), "SECRET_KEY": "e2e-edit"})) as url:
        yield url


def login(page, server, name=EDITOR):
    page.goto(server + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(server + "/")


def test_editor_fixes_a_unit_finds_it_and_reverts(server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, server)

    item = server + "/items/2021-005-017"
    page.goto(item)
    expect(page.locator("section.edit")).to_be_visible()
    expect(page.locator("h1 .badge.corrected")).to_have_count(0)
    add = page.locator("form:has(input[name=op][value=add_unit])")
    add.locator("input[name=value]").fill("热电厂")
    add.locator("input[name=note]").fill("正文写明是热电厂的攻关")
    add.locator("button[type=submit]").click()
    page.wait_for_url(item)
    expect(page.locator("h1 .badge.corrected")).to_have_text("已校对")
    expect(page.locator("p.units")).to_contain_text("热电厂")
    expect(page.locator("ol.history li")).to_have_count(1)
    page.locator("section.corrections").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "edit-item.png"), full_page=True)

    page.goto(server + "/?unit=" + quote("热电厂"))
    expect(page.locator("a[href='/items/2021-005-017']").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "edit-search.png"), full_page=False)

    page.goto(server + "/review")
    expect(page.locator("ol.review-queue")).to_contain_text("热电厂")
    page.screenshot(path=str(SHOTS / "edit-review.png"), full_page=False)

    page.goto(item)
    page.locator("button[data-revert]").click()
    page.wait_for_url(item)
    expect(page.locator("ol.history li.state-reverted")).to_have_count(1)
    expect(page.locator("p.units")).not_to_contain_text("热电厂")
    page.locator("section.corrections").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "edit-reverted.png"), full_page=False)
    page.goto(server + "/?unit=" + quote("热电厂"))
    expect(page.locator("a[href='/items/2021-005-017']")).to_have_count(0)

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
