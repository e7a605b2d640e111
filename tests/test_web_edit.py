"""Corrections over the web (issue 14): the item page's forms for editors, 「已校对」 and history,
search following at once, reverting, hiding, an issue's new id redirecting, 403 / 400 (CSRF) /
404 / 409 (a stale form), the review queue and the unit registry on /units."""
import re
import time

import pytest

from webtools import csrf, html


EDITOR, READER = "王编辑", "李读者"
PASSWORD = "a-long-password-1"


@pytest.fixture
def accounts(app):
    from archive.store.accounts import Accounts
    with app.extensions["archive.datadir"].records() as records:
        acc = Accounts(records.conn)
        acc.add(EDITOR, "editor", PASSWORD)
        acc.add(READER, "reader", PASSWORD)
    return app


def log_in(client, name):
    token = csrf(client.get("/login"))
    assert client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token}).status_code == 303
    return client


@pytest.fixture
def editor_client(accounts, client):
    """A logged-in editor account: what it changes is recorded under its name."""
    return log_in(client, EDITOR)


def form(client, item_id, op, field=None, value=None, **extra):
    page = client.get(f"/items/{item_id}")
    data = {"csrf_token": csrf(page), "op": op, "version": version(page)}
    if field:
        data["field"] = field
    if value is not None:
        data["value"] = value
    data.update(extra)
    return client.post(f"/items/{item_id}/edit", data=data)


def version(page):
    return re.search(r'name="version" value="([^"]+)"', html(page)).group(1)


def hits(client, **args):
    return [h["id"] for h in client.get("/api/search", query_string={**args, "limit": 100}).get_json()["hits"]]


def editing_routes(client):
    """What each editing route answers: the item form, the API, the queue, the registry."""
    r = client.post("/api/items/2021-005-003/corrections", data={"op": "hide"})
    return [client.post("/items/2021-005-003/edit", data={"op": "hide"}).status_code,
            (r.status_code, (r.get_json() or {}).get("status")),
            client.get("/review").status_code, client.post("/units/edit", data={"op": "add", "name": "甲"}).status_code]


def test_readers_cannot_edit(accounts, client):
    log_in(client, READER)
    page = client.get("/items/2021-005-003")
    assert page.status_code == 200 and 'name="version"' not in html(page)
    assert editing_routes(client) == [403, (403, 403), 403, 403]
    assert "审核" not in html(client.get("/")) and "导入" not in html(client.get("/"))


def test_anonymous_users_are_asked_to_log_in(accounts, client):
    codes = editing_routes(client)
    assert codes[0] == 401 and codes[1] == (401, 401) and codes[3] == 401
    assert codes[2] == 302  # the queue's page sends to the login page
    assert client.get("/items/2021-005-003").status_code == 200  # reading needs no login by default


def test_text_edit_history_search_and_revert(editor_client):
    c = editor_client
    assert "全民国家安全教育日" in html(c.get("/items/2021-005-003"))
    r = form(c, "2021-005-003", "set", "text", "4月15日是全民国家安全教育日。校对用词甲乙丙。", note="OCR 有误")
    assert r.status_code == 303 and r.headers["Location"].endswith("/items/2021-005-003")
    page = html(c.get("/items/2021-005-003"))
    assert "已校对" in page and "校对记录" in page and "OCR 有误" in page and "甲乙丙" in page
    assert hits(c, q="甲乙丙") == ["2021-005-003"]  # search sees it at once
    assert "已校对" in html(c.get("/issues/2021-005"))
    cid = re.search(r'data-revert="(\d+)"', page).group(1)
    back = c.post(f"/corrections/{cid}/revert", data={"csrf_token": csrf(c.get("/items/2021-005-003"))})
    assert back.status_code == 303, html(back)
    assert hits(c, q="甲乙丙") == [] and f"已由 {EDITOR} 撤销" in html(c.get("/items/2021-005-003"))
    assert c.get("/api/items/2021-005-003/history").get_json()["corrections"][0]["state"] == "reverted"


def test_units_fields_split_merge_hide_show(editor_client):
    c = editor_client
    page = c.get("/items/2021-005-017")
    started = time.monotonic()
    r = c.post("/items/2021-005-017/edit", data={"csrf_token": csrf(page), "version": version(page), "op": "add_unit",
                                                 "value": "热电厂"})
    assert r.status_code == 303
    assert "2021-005-017" in hits(c, unit="热电厂")
    assert time.monotonic() - started < 1.0  # saved, re-indexed and found within a second
    assert "热电厂" in html(c.get("/units")) and c.get("/units/热电厂").status_code == 200
    assert form(c, "2021-005-017", "remove_unit", value="广西分公司").status_code == 303
    assert "2021-005-017" not in hits(c, unit="广西分公司")
    for field, value in (("heading", "热值攻关"), ("section", "践·铝之行"), ("author", "某人"), ("source", "本刊"),
                         ("kind", "caption")):
        assert form(c, "2021-005-017", "set", field, value).status_code == 303
    it = c.get("/api/items/2021-005-017").get_json()
    assert (it["heading"], it["author"], it["source"], it["kind"]) == ("热值攻关", "某人", "本刊", "caption")
    text = it["text"]
    assert form(c, "2021-005-007", "split", value=10).status_code == 303
    assert c.get("/api/items/2021-005-007-2").status_code == 200
    assert form(c, "2021-005-007", "merge").status_code == 303
    for page in ("/items/", "/api/items/"):  # the part merged into the item before it: one redirect for both
        gone = c.get(page + "2021-005-007-2")
        assert gone.status_code == 301 and gone.headers["Location"].endswith(page + "2021-005-007")
    r = form(c, "2021-005-001", "hide")
    assert r.status_code == 303 and r.headers["Location"].endswith("/issues/2021-005")
    hidden = c.get("/items/2021-005-001")
    assert hidden.status_code == 200 and "重新显示" in html(hidden)
    assert "2021-005-001" not in hits(c, q="职业教育")
    c.post("/items/2021-005-001/edit", data={"op": "show", "csrf_token": csrf(hidden)})
    assert "2021-005-001" in hits(c, q="职业教育") and text


def test_bad_input_and_csrf(editor_client):
    c = editor_client
    assert form(c, "2021-005-003", "set", "text", "   ").status_code == 400
    assert "最多 40 个字" in html(form(c, "2021-005-003", "add_unit", value="长" * 200))
    assert form(c, "2021-005-003", "set", "text", "x", csrf_token="forged").status_code == 400
    assert c.post("/items/2099-001-001/edit", data={"op": "hide", "csrf_token": csrf(c.get("/items/2021-005-003"))}).status_code == 404
    assert c.get("/items/2021-005-003").status_code == 200
    assert c.get("/api/items/2021-005-003/history").get_json()["corrections"] == []


def test_a_stale_form_is_409_showing_both_versions(editor_client):
    c = editor_client
    page = c.get("/items/2021-005-003")
    token, loaded = csrf(page), version(page)
    first = {"csrf_token": token, "op": "set", "field": "text", "version": loaded, "value": "第一位编辑的版本。"}
    assert c.post("/items/2021-005-003/edit", data=first).status_code == 303
    second = dict(first, value="第二位编辑的版本。")
    r = c.post("/items/2021-005-003/edit", data=second)
    assert r.status_code == 409 and "第一位编辑的版本" in html(r) and "第二位编辑的版本" in html(r)
    assert c.get("/api/items/2021-005-003").get_json()["text"] == "第一位编辑的版本。"
    api = c.post("/api/items/2021-005-003/corrections", data=second)
    assert api.status_code == 409 and api.get_json()["current"]["text"] == "第一位编辑的版本。"


def test_issue_metadata_new_id_redirects(editor_client):
    c = editor_client
    token = csrf(c.get("/issues/2016-002"))
    r = c.post("/issues/2016-002/edit", data={"csrf_token": token, "number": "3", "date": "2016-01-16"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/issues/2016-003")
    old = c.get("/issues/2016-002")
    assert old.status_code == 301 and old.headers["Location"].endswith("/issues/2016-003")
    item = c.get("/items/2016-002-004")
    assert item.status_code == 301 and item.headers["Location"].endswith("/items/2016-003-004")
    assert "2016-01-16" in html(c.get("/issues/2016-003"))
    api = c.get("/api/issues/2016-002")
    assert api.status_code == 301 and api.headers["Location"].endswith("/api/issues/2016-003")
    assert c.post("/issues/2016-003/edit", data={"csrf_token": token, "year": "20x"}).status_code == 400
    assert c.post("/issues/2016-003/edit", data={"csrf_token": token, "date": "明天"}).status_code == 400
    bad = c.post("/issues/2016-003/edit", data={"csrf_token": token, "number": "6"})
    assert bad.status_code == 409  # 2016-006 exists


def test_review_queue_and_marking_reviewed(editor_client, app):
    c = editor_client
    from archive.store import DataDir
    with DataDir(app.config["DATA_DIR"]).records() as records:  # an issue the importer flagged
        records.conn.execute("UPDATE issues SET needs_review = 1, review_reasons = '[{\"kind\": \"no_sections\"}]'"
                             " WHERE id = '2018-002'")
    page = html(c.get("/review"))
    assert "期刊需复核" in page and "2018-002" in page
    c.post("/issues/2018-002/reviewed", data={"csrf_token": csrf(c.get("/review"))})
    assert "2018-002" not in re.findall(r"期刊需复核</strong> <a[^>]*>([^<]+)", html(c.get("/review")))
    assert "已审核" in html(c.get("/years")) and "已审核" in html(c.get("/issues/2018-002"))


def test_unit_registry_on_units_page(editor_client):
    c = editor_client
    assert "修改单位登记表" in html(c.get("/units"))
    token = csrf(c.get("/units"))
    r = c.post("/units/edit", data={"csrf_token": token, "op": "rename", "name": "广西华昇", "other": "华昇新材料"})
    assert r.status_code == 303
    assert hits(c, unit="华昇新材料") and hits(c, unit="华昇新材料") == hits(c, unit="广西华昇")
    assert "华昇新材料" in html(c.get("/units"))
    assert c.post("/units/edit", data={"csrf_token": token, "op": "add", "name": "长" * 200}).status_code == 400


def issue_form(client, issue_id):
    page = client.get(f"/issues/{issue_id}")
    fields = dict(re.findall(r'<input (?:type="hidden" )?name="(\w+)" value="([^"]*)"', html(page)))
    return {k: fields[k] for k in ("csrf_token", "version", "publication", "year", "number", "date", "publisher")}


def test_two_editors_changing_one_issue_lose_neither_silently(accounts, app):
    """Both load the issue's form; the first changes its date, the second (from the form as loaded)
    its publisher: the second is refused with both versions in words, and the first's date stays —
    the second form's old date would otherwise have put it back unseen."""
    first, second = log_in(app.test_client(), EDITOR), log_in(app.test_client(), EDITOR)
    a, b = issue_form(first, "2018-002"), issue_form(second, "2018-002")
    assert first.post("/issues/2018-002/edit", data={**a, "date": "2018-01-16"}).status_code == 303
    r = second.post("/issues/2018-002/edit", data={**b, "publisher": "党群工作部（编辑二）"})
    assert r.status_code == 409
    page = html(r)
    assert "日期 2018-01-16" in page and "日期 2018-01-15" in page  # now, and what the form held
    now = app.test_client().get("/api/issues/2018-002").get_json()
    assert (now["date"], now["publisher"]) == ("2018-01-16", "党群工作部")
    fresh = issue_form(second, "2018-002")  # reloaded, the second editor's change goes in
    assert second.post("/issues/2018-002/edit", data={**fresh, "publisher": "党群工作部（编辑二）"}).status_code == 303
