"""People: who an item is signed by or names with their unit and post (rules from a table), the
people list, a person's page, and merged spellings (revertible)."""
import json
from pathlib import Path

import pytest

from archive.store.people import PeopleNames, people_of

FIXTURES = Path(__file__).parent / "fixtures" / "chronicle"
U = [("兰州铝业", "兰州铝业"), ("山西中润", "山西中润"), ("中铝山东", "中铝山东")]


@pytest.mark.parametrize(("text", "author", "want"), [
    ("学史明理。（山西中润 吴昊）", "吴昊", [("吴昊", "山西中润", None, "author")]),
    ("读书心得。（中铝山东 张成、曹勋昶）", "张成、曹勋昶",
     [("张成", "中铝山东", None, "author"), ("曹勋昶", "中铝山东", None, "author")]),
    ("兰州铝业党委书记、董事长张建国主持会议。", None, [("张建国", "兰州铝业", "党委书记、董事长", "named")]),
    ("兰州铝业党委书记、董事长张建国于1月15日带队走访。", None, [("张建国", "兰州铝业", "党委书记、董事长", "named")]),
    ("兰州铝业工会主席王磊带队慰问。", None, [("王磊", "兰州铝业", "工会主席", "named")]),
    ("兰州铝业总经理李娜介绍了情况。", None, [("李娜", "兰州铝业", "总经理", "named")]),
    ("山西中润公司副总经理欧阳建国出席。", None, [("欧阳建国", "山西中润", "副总经理", "named")]),
    ("兰州铝业党委组织党员学习。", None, []),  # a sub-body, no post, no name
    ("兰州铝业书记处理了问题。", None, []),  # 处 is no surname: no name
    ("兰州铝业总经理办公室组织学习。", None, []),  # 办公 is no name
])
def test_people_rule(text, author, want):
    assert [(p.name, p.unit, p.role, p.kind) for p in people_of(text, author, U)] == want


def test_merged_spellings_are_replayed_and_chained():
    names = PeopleNames([{"op": "person_merge", "target": "张建", "after": "张建国"},
                         {"op": "person_rename", "target": "张建国", "after": "张健国"}])
    assert names.canonical("张建") == "张健国" and names.spellings("张建国", ["张建", "王磊"]) == ["张健国", "张建", "张建国"]
    loop = PeopleNames([{"op": "person_merge", "target": "甲", "after": "乙"}, {"op": "person_merge", "target": "乙", "after": "甲"}])
    assert loop.canonical("甲") == "乙"  # a change that would make a circle is not taken


@pytest.fixture
def people_data(archive, data_dir):
    assert archive("import", FIXTURES).exit_code == 0
    return data_dir


def test_people_list_page_merge_and_revert(people_data, archive):
    people = {p["name"]: p for p in json.loads(archive("people", "--json").output)}
    assert people["张建国"]["units"] == ["兰州铝业"] and people["吴昊"]["signed"] == 1
    r = archive("people", "merge", "吴昊", "张建国")
    assert r.exit_code == 0 and "archive revert" in r.output
    cid = int(r.output.split("revert ")[1].split()[0])
    merged = {p["name"]: p for p in json.loads(archive("people", "--json").output)}
    assert "吴昊" not in merged and merged["张建国"]["items"] == 2 and set(merged["张建国"]["spellings"]) == {"吴昊", "张建国"}
    assert archive("revert", cid).exit_code == 0
    assert "吴昊" in {p["name"] for p in json.loads(archive("people", "--json").output)}
    assert archive("people", "merge", "没有这个人", "张建国").exit_code == 2


def test_a_persons_page(people_data):
    from archive.web import create_app
    app = create_app({"TESTING": True, "DATA_DIR": str(people_data), "SECRET_KEY": "t", "ADMIN_TOKEN": None})
    try:
        client = app.test_client()
        page = client.get("/people/张建国").get_data(as_text=True)
        assert "兰州铝业" in page and "党委书记、董事长" in page and "《中铝股份党群工作》2021年第2期" in page
        assert "author:张建国" in page
        listing = client.get("/people").get_data(as_text=True)
        assert "张建国" in listing and "吴昊" in listing and "合并人名写法" not in listing
        assert client.get("/people/没有这个人").status_code == 404
    finally:
        app.extensions["archive.jobs"].close(kill=True)
        app.extensions["archive.renderer"].close()
        app.extensions["archive.search"].close()
