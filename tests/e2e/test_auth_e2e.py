"""Accounts in a real browser: a reader logs in, sees the name and a logout button but no 导入; with
login required, an anonymous visitor gets only the login page, and after logging in, the archive.
Screenshots: docs/screenshots/login.png (the private archive's login page), reader.png."""
import pytest

from test_web_e2e import SHOTS, page, serving, sync_api, watchdog  # noqa: F401  (fixtures)

READER, PASSWORD = "李读者", "reader-password-1"


@pytest.fixture
def accounts_server(tmp_path):
    """The app on waitress over an empty data folder with a reader and an editor account; yields
    (url, app) so a test may switch login on."""
    from archive.store import DataDir
    from archive.store.accounts import Accounts
    from archive.web import create_app
    data = DataDir(tmp_path / "data")
    with data.records() as records:
        Accounts(records.conn).add(READER, "reader", PASSWORD)
        Accounts(records.conn).add("编辑甲", "editor", "editor-password-1")
    app = create_app({"DATA_DIR": str(data.root), "SECRET_KEY": "e2e"})
    with serving(app) as url:
        yield url, app


def log_in(pg, name, password):
    pg.fill("input[name=name]", name)
    pg.fill("input[name=password]", password)
    pg.click("form.login button[type=submit]")


def test_a_reader_logs_in_and_sees_no_import(accounts_server, page):  # noqa: F811
    server, _ = accounts_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server + "/units")
    nav = page.locator("header nav")
    expect(nav.locator("a.login-link")).to_have_text("登录")
    expect(nav.locator("text=导入")).to_have_count(0)
    page.click("header nav a.login-link")
    log_in(page, READER, "not-the-password")
    expect(page.locator("form.login .error-msg")).to_contain_text("用户名或密码不正确")
    log_in(page, READER, PASSWORD)
    page.wait_for_url(server + "/units")  # back where the login began
    expect(nav.locator(".me")).to_have_text(READER)
    expect(nav.locator("form.nav-logout button")).to_have_text("退出")
    expect(nav.locator("text=导入")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "reader.png"))
    page.goto(server + "/import")  # typed by hand: refused in words
    expect(page.locator("section.error")).to_contain_text("读者")
    page.click("header nav form.nav-logout button")
    expect(nav.locator("a.login-link")).to_be_visible()
    assert not problems, problems


def test_login_required_shows_an_anonymous_visitor_only_the_login_page(accounts_server, page):  # noqa: F811
    server, app = accounts_server
    app.config["REQUIRE_LOGIN"] = True
    expect = sync_api.expect
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in ("/", "/units", "/years", "/import"):
        page.goto(server + path)
        assert page.url.startswith(server + "/login"), page.url
        expect(page.locator("form.login input[name=password]")).to_be_visible()
        expect(page.locator("header nav a")).to_have_count(0)  # no menu to follow
    api = page.request.get(server + "/api/search?q=党史")
    assert api.status == 401 and "需要登录" in api.json()["error"]
    page.goto(server + "/")
    expect(page.locator("main")).to_contain_text("仅对登录用户开放")
    page.screenshot(path=str(SHOTS / "login.png"))
    log_in(page, READER, PASSWORD)
    page.wait_for_url(server + "/")
    expect(page.locator("header nav a", has_text="检索")).to_be_visible()
    expect(page.locator("header nav .me")).to_have_text(READER)
    assert page.request.get(server + "/api/search?q=党史").status == 200  # the session's cookie
