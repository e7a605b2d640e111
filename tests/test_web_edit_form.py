"""Editing that does not lose work (issue 22, §3): one form per item and one save (every field, a
correction per changed field, one transaction, the version checked: 409 with both versions and the
editor's own values kept), a split where 【拆分】 stands in the text, merge / hide / 撤销 asked
first (a page with the same form, no script needed), the history as a character-level diff, and
the review queue's actions coming back where the editor was, one entry or several ticked at once."""
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from test_web_edit import EDITOR, accounts, editor_client, log_in  # noqa: F401  (fixtures)
from webtools import csrf, html


class FormReader(HTMLParser):
    """The fields of one form (by id) as a browser would send them unchanged."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields, self.buttons = form_id, False, [], []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.buttons.append(a)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def item_form(client, item_id):
    """The item page's one form as loaded: a dict (the units as a list)."""
    import html as h
    reader = FormReader("edit-form")
    reader.feed(html(client.get(f"/items/{item_id}")))
    out = {}
    for k, v in reader.fields:
        v = h.unescape(v)
        if k == "unit":
            out.setdefault("unit", []).append(v)
        else:
            out[k] = v
    out.setdefault("unit", [])
    return out


def save(client, item_id, data):
    return client.post(f"/items/{item_id}/edit", data=data)


def api_item(client, item_id):
    return client.get(f"/api/items/{item_id}").get_json()


def test_one_form_one_save_keeps_every_field(editor_client):
    """Seen: seven forms with seven save buttons; change 标题, press 保存正文, and the title change was
    dropped. Now the page has one form and one save, and both changes are kept, a correction each."""
    c = editor_client
    page = html(c.get("/items/2021-005-003"))
    assert page.count('<form method="post" action="/items/2021-005-003/edit" class="edit-item"') == 1
    assert len(re.findall(r"<textarea", page)) == 1 and "保存正文" not in page and "保存标题" not in page
    data = item_form(c, "2021-005-003")
    assert data["op"] == "save" and data["text"].startswith("4月15日")
    data.update(heading="国家安全教育日", text=data["text"].replace("全民国家安全教育日", "全民国家安全教育日（第六个）"),
                note="对照原版")
    r = save(c, "2021-005-003", data)
    assert r.status_code == 303 and r.headers["Location"].endswith("/items/2021-005-003?saved=2#edit")
    it = api_item(c, "2021-005-003")
    assert it["heading"] == "国家安全教育日" and "（第六个）" in it["text"]
    history = c.get("/api/items/2021-005-003/history").get_json()["corrections"]
    assert [(h["op"], h["field"]) for h in history] == [("set", "heading"), ("set", "text")]
    assert {h["note"] for h in history} == {"对照原版"}
    assert "已保存 2 处修改" in html(c.get("/items/2021-005-003?saved=2"))
    # the same form again, unchanged: nothing recorded
    assert save(c, "2021-005-003", item_form(c, "2021-005-003")).status_code == 303
    assert len(c.get("/api/items/2021-005-003/history").get_json()["corrections"]) == 2


def test_units_are_ticked_or_added_in_the_same_form(editor_client):
    c = editor_client
    data = item_form(c, "2021-005-017")
    assert "广西分公司" in data["unit"] and data["units_given"] == "1"
    data["unit"] = [u for u in data["unit"] if u != "广西分公司"]
    data["add_units"] = "热电厂、动力厂"
    data["author"] = "某人"
    assert save(c, "2021-005-017", data).status_code == 303
    it = api_item(c, "2021-005-017")
    assert "广西分公司" not in it["units"] and {"热电厂", "动力厂"} <= set(it["units"]) and it["author"] == "某人"
    ops = [h["op"] for h in c.get("/api/items/2021-005-017/history").get_json()["corrections"]]
    assert sorted(ops) == ["add_unit", "add_unit", "remove_unit", "set"]


def test_a_bad_field_saves_nothing(editor_client):
    """One transaction: a heading over 200 characters refuses the whole save, the text change too."""
    c = editor_client
    data = item_form(c, "2021-005-003")
    before = api_item(c, "2021-005-003")
    data.update(heading="长" * 300, text=data["text"] + "补一句。")
    assert save(c, "2021-005-003", data).status_code == 400
    assert api_item(c, "2021-005-003") == before
    assert c.get("/api/items/2021-005-003/history").get_json()["corrections"] == []


def test_two_editors_with_the_one_form_409_with_both_versions_and_yours_kept(accounts, app):  # noqa: F811
    first, second = log_in(app.test_client(), EDITOR), log_in(app.test_client(), EDITOR)
    a, b = item_form(first, "2021-005-003"), item_form(second, "2021-005-003")
    assert save(first, "2021-005-003", {**a, "heading": "第一位编辑的标题"}).status_code == 303
    r = save(second, "2021-005-003", {**b, "text": b["text"] + "第二位编辑补的一句。", "source": "本刊"})
    assert r.status_code == 409
    page = html(r)
    assert "第一位编辑的标题" in page and "第二位编辑补的一句。" in page  # both versions
    assert api_item(first, "2021-005-003")["heading"] == "第一位编辑的标题"
    assert "第二位编辑补的一句" not in api_item(first, "2021-005-003")["text"]
    # the second editor's values are in the conflict page's own form, stamped with the current version
    kept = dict(re.findall(r'<input type="hidden" name="(version|op)" value="([^"]+)"', page.split("versions-table")[1]))
    assert kept["op"] == "save"
    text = re.search(r'<textarea id="y-text" name="text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert text.endswith("第二位编辑补的一句。")
    again = {"csrf_token": csrf(r), "op": "save", "version": kept["version"], "text": text, "source": "本刊"}
    assert save(second, "2021-005-003", again).status_code == 303
    it = api_item(second, "2021-005-003")
    assert it["text"].endswith("第二位编辑补的一句。") and it["source"] == "本刊"
    assert it["heading"] == "第一位编辑的标题"  # the form sent no heading: the first editor's stays


@pytest.mark.parametrize(("make", "code"), [
    (lambda t: t[:30] + "【拆分】" + t[30:], 303),
    (lambda t: "【拆分】" + t, 400),  # at the start: nothing before it
    (lambda t: t + "【拆分】", 400),
    (lambda t: t[:10] + "【拆分】" + t[10:20] + "【拆分】" + t[20:], 400),  # one place per save
])
def test_a_split_where_the_mark_stands(editor_client, make, code):
    """Seen: 「在第几个字之后拆分（共 350 字）」. Now 【拆分】 typed (or put at the caret by the page's
    script) where the text parts; the rest of the form is saved with it."""
    c = editor_client
    data = item_form(c, "2021-005-007")
    text = data["text"]
    assert "在第几个字之后拆分" not in html(c.get("/items/2021-005-007"))
    data["text"] = make(text)
    r = save(c, "2021-005-007", data)
    assert r.status_code == code, html(r)[:400]
    second = c.get("/api/items/2021-005-007-2")
    if code != 303:
        assert second.status_code == 404 and api_item(c, "2021-005-007")["text"] == text
        return
    assert api_item(c, "2021-005-007")["text"] == text[:30].rstrip()
    assert second.get_json()["text"] == text[30:].lstrip()
    assert "【拆分】" not in api_item(c, "2021-005-007")["text"]


@pytest.mark.parametrize("op", ["merge", "hide"])
def test_merge_and_hide_ask_first(editor_client, op):
    """Seen: merge acted on one click. Now the button answers a page saying what will happen, with
    the same form and confirm=1; only that changes anything."""
    c = editor_client
    page = c.get("/items/2021-005-007")
    form = {"csrf_token": csrf(page), "version": item_form(c, "2021-005-007")["version"], "op": op}
    asked = c.post("/items/2021-005-007/edit", data=form)
    assert asked.status_code == 200
    text = html(asked)
    assert ("确认合并" if op == "merge" else "确认隐藏") in text and 'name="confirm" value="1"' in text
    assert c.get("/api/items/2021-005-007/history").get_json()["corrections"] == []  # nothing yet
    if op == "merge":
        assert "2021-005-008" in text  # both items shown
    done = c.post("/items/2021-005-007/edit", data={**form, "confirm": "1"})
    assert done.status_code == 303
    assert [h["op"] for h in c.get("/api/items/2021-005-007/history").get_json()["corrections"]] == [op]


def test_revert_asks_first_and_the_history_is_a_character_diff(editor_client):
    """Seen: 撤销 acted on one click; the history struck the whole paragraph for a one-character fix."""
    c = editor_client
    data = item_form(c, "2021-005-003")
    old = data["text"]
    at = old.index("国家安全")
    data["text"] = old[:at] + "國" + old[at + 1:]  # one character
    assert save(c, "2021-005-003", data).status_code == 303
    page = html(c.get("/items/2021-005-003"))
    diff = re.search(r'<span class="diff"[^>]*>(.*?)</span>\s*\n', page, re.S).group(1)
    assert "<del>国</del><ins>國</ins>" in diff
    assert len(re.sub(r"<[^>]+>", "", diff)) < 40  # the change and a little context, not the paragraph
    cid = re.search(r'data-revert="(\d+)"', page).group(1)
    token = csrf(c.get("/items/2021-005-003"))
    asked = c.post(f"/corrections/{cid}/revert", data={"csrf_token": token})
    assert asked.status_code == 200 and "确认撤销" in html(asked) and "<del>国</del>" in html(asked)
    assert api_item(c, "2021-005-003")["text"] != old  # not yet
    assert c.post(f"/corrections/{cid}/revert", data={"csrf_token": token, "confirm": "1"}).status_code == 303
    assert api_item(c, "2021-005-003")["text"] == old


@pytest.mark.parametrize(("before", "after", "shown"), [
    ("abcdef", "abXdef", "ab<del>c</del><ins>X</ins>def"),
    ("", "新", "<ins>新</ins>"),
    ("旧", "", "<del>旧</del>"),
    ("一" * 100 + "甲" + "二" * 100, "一" * 100 + "乙" + "二" * 100,
     "…" + "一" * 12 + "<del>甲</del><ins>乙</ins>" + "二" * 12 + "…"),
    ("<b>", "<i>", "&lt;<del>b</del><ins>i</ins>&gt;"),  # escaped
    ("甲" + "同" * 40 + "乙", "丙" + "同" * 40 + "丁",
     "<del>甲</del><ins>丙</ins>" + "同" * 12 + "…" + "同" * 12 + "<del>乙</del><ins>丁</ins>"),
])
def test_char_diff(before, after, shown):
    from archive.web.textdiff import char_diff
    assert str(char_diff(before, after)) == shown


# --- the review queue -------------------------------------------------------------------------------

NEW_UNITS = [("2021-005-017", "热电厂"), ("2021-005-007", "动力厂"), ("2021-005-003", "机修厂"), ("2016-006-002", "检修车间")]


@pytest.fixture
def new_units(app):
    """Four units the registry lacks, on items (as discovery would tag them): the queue lists them."""
    from archive.service.correcting import Editor
    from archive.store import DataDir
    data = DataDir(app.config["DATA_DIR"])
    with data.records() as records:
        ed = Editor(records, data)
        for item, unit in NEW_UNITS:
            ed.correct_item(item, "add_unit", unit, who="parser")
    return [u for _, u in NEW_UNITS]


def queue_keys(page, kind="new_unit"):
    return re.findall(rf'<li class="review-{kind}" id="([^"]+)"', page)


def test_review_actions_come_back_to_the_queue_where_you_were(editor_client, new_units):
    """Seen: every 登记为单位 / 不是单位 jumped to /units. Now back to /review with the same filter,
    at the entry that followed, with a line saying what was done."""
    c = editor_client
    page = html(c.get("/review?kind=new_unit"))
    keys = queue_keys(page)
    assert len(keys) >= 3 and all(k.startswith("unit:") for k in keys)
    assert "review-needs_review" not in page  # the filter
    r = c.post("/review", data={"csrf_token": csrf(c.get("/review")), "kind": "new_unit", "do": f"ignore|{keys[1]}"})
    assert r.status_code == 303
    where = urlsplit(r.headers["Location"])
    assert where.path == "/review" and "kind=new_unit" in where.query and unquote(where.fragment) == keys[2]
    back = html(c.get(f"{where.path}?{where.query}"))
    assert queue_keys(back) == keys[:1] + keys[2:] and "已把 1 项标为“不是单位”" in back


def test_several_entries_ticked_and_acted_on_at_once(editor_client, app, new_units):
    c = editor_client
    from archive.store import DataDir
    with DataDir(app.config["DATA_DIR"]).records() as records:  # two issues the importer flagged
        records.conn.execute("UPDATE issues SET needs_review = 1, review_reasons = '[{\"kind\": \"no_sections\"}]'"
                             " WHERE id IN ('2018-002', '2016-006')")
    page = html(c.get("/review"))
    units = queue_keys(page)
    assert 'type="checkbox" name="sel"' in page and 'name="bulk" value="add"' in page
    data = {"csrf_token": csrf(c.get("/review")), "bulk": "add", "sel": units[:2] + ["issue:2018-002"]}
    r = c.post("/review", data=data)
    assert r.status_code == 303 and unquote(urlsplit(r.headers["Location"]).fragment) == units[2]
    after = html(c.get("/review"))
    assert queue_keys(after) == units[2:]  # registered: no longer new
    assert set(queue_keys(after, "needs_review")) == {"issue:2016-006", "issue:2018-002"}  # not a unit: untouched
    assert "已把 2 项登记为单位" in html(c.get(r.headers["Location"]))
    names = [k.partition(":")[2] for k in units[:2]]
    assert all(n in html(c.get("/units")) for n in names)
    r = c.post("/review", data={"csrf_token": csrf(c.get("/review")), "bulk": "reviewed",
                                "sel": ["issue:2018-002", "issue:2016-006"]})
    assert r.status_code == 303 and queue_keys(html(c.get("/review")), "needs_review") == []
    nothing = c.post("/review", data={"csrf_token": csrf(c.get("/review")), "bulk": "reviewed"})
    assert nothing.status_code == 400 and "勾选" in html(nothing)


def test_the_api_saves_the_one_form_too(editor_client):
    c = editor_client
    data = item_form(c, "2021-005-003")
    r = c.post("/api/items/2021-005-003/corrections", data={**data, "heading": "接口改的标题", "author": "某人"})
    assert r.status_code == 200, r.get_data(as_text=True)
    out = r.get_json()
    assert out["item"] == "2021-005-003" and len(out["corrections"]) == 2 and out["state"] == "applied"
    stale = c.post("/api/items/2021-005-003/corrections", data={**data, "heading": "晚了一步"})  # the old version
    assert stale.status_code == 409 and stale.get_json()["current"]["heading"] == "接口改的标题"
