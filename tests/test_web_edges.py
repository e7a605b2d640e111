"""The web's edges: every message a user sees is Chinese and speaks of the web (404, 500, errors of
the core), out-of-range numbers are 404 not 500, the pager always offers a way back, search links
carry no empty fields, and the date boxes' hints do not look like values."""
import ast
import re
from pathlib import Path

import pytest

from archive.search.query import QueryError, date_range
from archive.web import create_app
from webtools import html

CJK = re.compile(r"[\u4e00-\u9fff]")
WEB_SRC = Path(__file__).resolve().parent.parent / "src" / "archive" / "web"


@pytest.mark.parametrize("url", ["/years/99999999999999999999999", "/years/0", "/years/10000",
                                 "/issues/2021-005/pages/99999999999999999999999",
                                 "/issues/2021-005/pages/99999999999999999999999.png"])
def test_huge_numbers_in_paths_are_404_in_chinese(client, url):
    r = client.get(url)
    assert r.status_code == 404 and CJK.search(html(r))


def test_the_500_page_is_chinese(samples_copy):
    app = create_app({"DATA_DIR": str(samples_copy), "SECRET_KEY": "t"})  # not TESTING: errors are answered

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    @app.get("/api/boom")
    def api_boom():
        raise RuntimeError("a bug")
    c = app.test_client()
    r = c.get("/boom")
    assert r.status_code == 500 and "服务器内部错误" in html(r) and "Internal Server Error" not in html(r)
    j = c.get("/api/boom")
    assert j.status_code == 500 and "服务器内部错误" in j.get_json()["error"]
    app.extensions["archive.renderer"].close()


def test_http_errors_werkzeug_raises_are_chinese_too(client):
    for method, url, code in [("get", "/nowhere", 404), ("post", "/", 405), ("delete", "/api/search", 405)]:
        r = getattr(client, method)(url)
        assert r.status_code == code
        text = r.get_json()["error"] if url.startswith("/api") else html(r)
        assert CJK.search(text) and "Method Not Allowed" not in text and "Not Found" not in text


def test_every_message_the_web_code_writes_is_chinese():
    """Each abort_with(...) in the web blueprints says its message in Chinese."""
    constants = {}  # module-level string constants (auth.NEED_LOGIN_API…), by name
    for path in WEB_SRC.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                constants.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
    for path in WEB_SRC.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "abort_with" and len(node.args) > 1:
                msg = node.args[1]
                if isinstance(msg, ast.Name):
                    assert msg.id in constants, f"{path.name}:{node.lineno}: {msg.id} is not a string constant"
                    msg = ast.Constant(constants[msg.id])
                text = msg.value if isinstance(msg, ast.Constant) else "".join(
                    v.value for v in getattr(msg, "values", []) if isinstance(v, ast.Constant))
                if isinstance(msg, ast.Call):
                    continue  # a helper (too_many_files): tested where it is used
                assert CJK.search(text), f"{path.name}:{node.lineno}: {text!r}"
                assert "archive " not in text and "--" not in text, f"{path.name}:{node.lineno}: a CLI command"


def test_core_errors_without_a_kind_are_still_chinese():
    """(Every kind has its wording: tests/test_errors.py; one raised without a kind is internal.)"""
    from archive.errors import ArchiveError
    from archive.messages import error_cn
    assert CJK.search(error_cn(ArchiveError("use --replace")))
    assert "--" not in error_cn(ArchiveError("use --replace"))


def test_a_page_past_the_last_offers_a_way_back(client):
    r = client.get("/?q=党史&page=99")
    page = html(r)
    assert r.status_code == 200
    assert "没有第 99 页" in page
    back = re.search(r'<a href="([^"]+)" rel="prev">‹ 回到最后一页（第 (\d+) 页）</a>', page)
    assert back, page[page.find('class="pager"') - 200:][:800]
    last = int(back.group(2))
    target = html(client.get(back.group(1).replace("&amp;", "&")))
    assert '<article class="hit">' in target and "没有第" not in target
    assert last >= 1


def test_the_pager_offers_the_previous_page_and_page_one_without_a_number(app, client):
    app.config["PAGE_SIZE"] = 2
    page = html(client.get("/?q=党史&page=3"))
    assert re.search(r'<a href="/\?q=%E5%85%9A%E5%8F%B2&amp;page=2" rel="prev">', page)
    assert '<a href="/?q=%E5%85%9A%E5%8F%B2">1</a>' in page
    two = html(client.get("/?q=党史&page=2"))
    assert '<a href="/?q=%E5%85%9A%E5%8F%B2" rel="prev">' in two  # page 1 is the plain URL


def test_empty_fields_are_dropped_from_search_links(client):
    r = client.get("/?q=党史&from=&to=&sort=&unit=")
    assert r.status_code == 302 and r.headers["Location"] == "/?q=%E5%85%9A%E5%8F%B2"
    kept = client.get("/?q=党史&from=2016&to=&page=2")
    assert kept.status_code == 302 and kept.headers["Location"] == "/?q=%E5%85%9A%E5%8F%B2&from=2016&page=2"
    assert client.get("/?q=党史&from=2016").status_code == 200
    assert client.get("/?q=&from=&to=").headers["Location"] == "/"
    # and the links a results page makes carry none either
    page = html(client.get("/?q=党史"))
    assert not re.search(r'href="/\?[^"]*(from|to|sort|unit|section|year)=(&amp;|")', page)


def test_date_box_hints_do_not_look_like_values(client):
    page = html(client.get("/"))
    hints = re.findall(r'name="(from|to)"[^>]*placeholder="([^"]*)"', page)
    assert [k for k, _ in hints] == ["from", "to"]
    for _, hint in hints:
        with pytest.raises(QueryError):
            date_range(hint)  # not a date anyone could take for one typed in
        assert CJK.search(hint)


def test_the_phone_layout_needs_no_inline_style_or_script(client):
    page = html(client.get("/?q=党史"))
    assert '<input type="checkbox" id="show-filters" class="toggle-input"' in page
    assert '<label for="show-filters" class="filter-button">筛选</label>' in page
    assert page.index('class="filter-button"') < page.index('class="results"')
    assert " style=" not in page and "<script>" not in page
    unit = html(client.get("/units/广西分公司"))
    assert '<div class="chart-scroll"><svg class="chart"' in unit
