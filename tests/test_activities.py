"""Each unit's own activities: the split rules (one row each), their pages, and their storage:
written with each import, made again when an item changes, filled in for an older data folder."""
import json
import sqlite3

import pytest

from archive.store.activities import mentions_in, page_finder, sentences, split_activities

U = ["中州铝业", "抚顺铝业", "广西华昇", "遵义铝业", "青海分公司", "云铝文山", "中铝山东", "兰州铝业",
     "中铝稀土（江苏）有限公司", "中铝矿业"]


def split(text, units=U, **kw):
    units = [(u, u) for u in units]
    return [("、".join(a.units), a.text_of(text)) for a in split_activities(text, units, **kw)]


@pytest.mark.parametrize(("text", "want"), [
    # one sentence each
    ("中州铝业组织党员学习。抚顺铝业开展志愿服务。",
     [("中州铝业", "中州铝业组织党员学习。"), ("抚顺铝业", "抚顺铝业开展志愿服务。")]),
    # a list of units opens a sentence
    ("抚顺铝业、广西华昇、遵义铝业组织党员观看红色电影。",
     [("抚顺铝业、广西华昇、遵义铝业", "抚顺铝业、广西华昇、遵义铝业组织党员观看红色电影。")]),
    ("中州铝业和抚顺铝业联合开展竞赛。", [("中州铝业、抚顺铝业", "中州铝业和抚顺铝业联合开展竞赛。")]),
    # sub-bodies in the list
    ("中州铝业党委、广西华昇党委召开会议。", [("中州铝业、广西华昇", "中州铝业党委、广西华昇党委召开会议。")]),
    # a run of sentences no other unit opens stays with its opener
    ("青海分公司开展讲党史比赛。比赛共收到作品30件。评出一等奖3名。云铝文山开展志愿服务。",
     [("青海分公司", "青海分公司开展讲党史比赛。比赛共收到作品30件。评出一等奖3名。"),
      ("云铝文山", "云铝文山开展志愿服务。")]),
    # an introduction no unit opens belongs to none
    ("集团巡回指导组赴纪念馆开展主题党日活动。中州铝业组织学习。",
     [("中州铝业", "中州铝业组织学习。")]),
    # a leading adverbial before the unit, short or long
    ("近日，中州铝业开展学习。3月5日，兰州铝业召开会议。",
     [("中州铝业", "近日，中州铝业开展学习。"), ("兰州铝业", "3月5日，兰州铝业召开会议。")]),
    ("为深入贯彻落实集团公司党委关于开展党史学习教育的部署要求，中铝山东组织专题学习。",
     [("中铝山东", "为深入贯彻落实集团公司党委关于开展党史学习教育的部署要求，中铝山东组织专题学习。")]),
    # a clause another unit opens starts its activity
    ("中铝山东推进精益管理，完成项目3个，云铝文山举办党史知识竞赛，36支代表队参赛。",
     [("中铝山东", "中铝山东推进精益管理，完成项目3个"), ("云铝文山", "云铝文山举办党史知识竞赛，36支代表队参赛。")]),
    # a unit named inside a sentence (not opening it) does not take it over
    ("中州铝业组织党员赴兰州铝业参观学习。", [("中州铝业", "中州铝业组织党员赴兰州铝业参观学习。")]),
    # the same unit again continues its activity
    ("中州铝业开展学习，中州铝业党委书记讲党课。", [("中州铝业", "中州铝业开展学习，中州铝业党委书记讲党课。")]),
    # a legal name with a bracket of its own
    ("中铝稀土（江苏）有限公司举办党史知识竞赛。", [("中铝稀土（江苏）有限公司", "中铝稀土（江苏）有限公司举办党史知识竞赛。")]),
    # a closing quote after the full stop stays with its sentence
    ("中州铝业提出“学党史、办实事。”兰州铝业开展竞赛。",
     [("中州铝业", "中州铝业提出“学党史、办实事。”"), ("兰州铝业", "兰州铝业开展竞赛。")]),
    # units named, none opening: each sentence to the units it names
    ("公司组织中州铝业、兰州铝业等单位开展联学。", [("中州铝业、兰州铝业", "公司组织中州铝业、兰州铝业等单位开展联学。")]),
    # signed and credited items are one activity of their unit
    ("历史是最好的教科书。要勇挑重担。（中州铝业 王磊）", [("中州铝业", "历史是最好的教科书。要勇挑重担。（中州铝业 王磊）")]),
    ("兰州铝业与中州铝业联合攻关，节约成本50万元。（兰州铝业）",
     [("兰州铝业", "兰州铝业与中州铝业联合攻关，节约成本50万元。（兰州铝业）")]),
    # a source is not a signature
    ("要弘扬劳模精神。（人民网）", []),
])
def test_split_rule(text, want):
    assert split(text) == want


def test_a_longer_name_wins_over_a_name_inside_it():
    found = mentions_in("中铝山东新材料公司开展学习。", [("中铝山东", "中铝山东"), ("中铝山东新材料公司", "中铝山东")])
    assert found == [(0, 9, "中铝山东新材料公司")]


def test_a_table_row_naming_units_is_their_activity_and_a_caption_none():
    table = "单位\t活动\n中州铝业\t主题党日\n兰州铝业\t知识竞赛\n合计\t2"
    assert split(table, kind="table") == [("中州铝业", "中州铝业\t主题党日"), ("兰州铝业", "兰州铝业\t知识竞赛")]
    assert split("图为中州铝业党员志愿者在社区服务", kind="caption") == []


def test_sentences_keep_quotes_and_drop_space():
    text = "甲。” 乙！丙"
    assert [text[a:b] for a, b in sentences(text)] == ["甲。”", "乙！", "丙"]


def test_an_activity_on_the_next_page_is_cited_there():
    """Pages from the item's line boxes: the second of two equal lines is on page 2."""
    boxes = [[1, 50, 700, 550, 712], [2, 50, 60, 550, 72]]
    text = "中州铝业组织学习活动。兰州铝业召开会议了。"
    acts = split_activities(text, [("中州铝业", "中州铝业"), ("兰州铝业", "兰州铝业")], boxes=boxes, page_start=1,
                            page_end=2)
    assert [(a.page_start, a.page_end) for a in acts] == [(1, 1), (2, 2)]
    assert page_finder([], 10, 3, 3)(5) == 3


# --- stored with the records ---------------------------------------------------------------------

@pytest.fixture
def imported(archive, data_dir):
    from conftest import FIXTURES
    assert archive("import", FIXTURES / "newsletter" / "2021-005.pdf").exit_code == 0
    return data_dir


def test_activities_are_stored_and_exported_with_their_item(imported, archive):
    export = json.loads(archive("export").output)
    items = {it["text"][:8]: it for s in export[0]["sections"] for it in s["items"]}
    report = next(it for k, it in items.items() if "中州铝业充分利用" in it["text"])
    units = [a["units"] for a in report["activities"]]
    assert ["抚顺铝业", "广西华昇", "遵义铝业"] in units and ["中州铝业"] in units
    opened = next(a for a in report["activities"] if a["units"] == ["中州铝业"])
    assert opened["text"].startswith("中州铝业充分利用") and opened["text"].endswith("。")
    assert all(not it["activities"] for it in items.values() if not it["units"])


def test_a_unit_lists_its_own_sentences_newest_first(imported):
    from archive.store import DataDir
    with DataDir(imported).records() as records:
        acts = records.unit_activities("遵义铝业")
        assert acts and all("遵义铝业" in a["units"] for a in acts)
        assert all("中州铝业充分利用" not in a["text"] for a in acts)  # not the whole paragraph
        assert records.unit_activity_count("遵义铝业") == len(acts)
        assert records.unit_activity_count("遵义铝业", date_from="2022-01-01") == 0
        assert records.units_by_year()["遵义铝业"][2021] == len(acts)


def test_activities_are_made_again_when_an_item_changes(imported):
    """A correction rewrites the issue: its activities are split again from the corrected item."""
    from archive.service.correcting import Editor
    from archive.store import DataDir
    dd = DataDir(imported)
    with dd.records() as records:
        item = records.item(records.unit_activities("青海分公司")[0]["item"])
        before = records.unit_activity_count("青海分公司")
        editor = Editor(records, dd)
        change = editor.correct_item(item["id"], "set", item["text"].replace("青海分公司开展", "青海分公司、云铝文山开展"),
                                     fld="text", who="t")
        editor.correct_item(change.item_id, "add_unit", "云铝文山", who="t")
        assert records.unit_activity_count("青海分公司") == before
        assert any(a["item"] == change.item_id and "青海分公司" in a["units"] for a in records.unit_activities("云铝文山"))


def test_a_data_folder_of_schema_2_gets_its_activities(tmp_path):
    """Activities came with schema 3: an older folder's items are split when it is first opened."""
    from archive.store import DataDir
    from archive.store import schema
    conn = schema.connect(tmp_path / "archive.sqlite3")
    conn.execute("DROP TABLE activities")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("INSERT INTO issues (id, sha256, year, number, date, pages) VALUES ('2016-001', 'ab', 2016, 1,"
                 " '2016-01-08', 1)")
    conn.execute("INSERT INTO sections VALUES ('2016-001', 1, '践·铝之行')")
    conn.execute("INSERT INTO items (id, issue_id, section_seq, seq, text, page_start, page_end) VALUES"
                 " ('2016-001-001', '2016-001', 1, 1, '中州铝业组织学习。兰州铝业召开会议。', 1, 1)")
    conn.executemany("INSERT INTO item_units VALUES ('2016-001-001', ?, ?, ?)",
                     [(0, "中州铝业", "中州铝业"), (1, "兰州铝业", "兰州铝业")])
    conn.close()
    with DataDir(tmp_path).records() as records:
        assert [a["text"] for a in records.unit_activities("兰州铝业")] == ["兰州铝业召开会议。"]
    assert sqlite3.connect(tmp_path / "archive.sqlite3").execute(
        "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(schema.SCHEMA_VERSION)
