"""Topics (专题): the tagging rules from a table, precision and recall on the labelled sample kept
in tests/fixtures/chronicle/activities.json, the vocabulary's changes (replayed, revertible, every
activity re-tagged and re-indexed), the topic filter and facet, and synonyms (含同义词)."""
import json
from pathlib import Path

import pytest

from archive.store.topics import TopicRegistry, apply_topic_op

FIXTURES = Path(__file__).parent / "fixtures" / "chronicle"
DSXX, BWCX, XXSX = "党史学习教育", "不忘初心、牢记使命主题教育", "学习贯彻习近平新时代中国特色社会主义思想主题教育"


@pytest.fixture(scope="module")
def topics():
    return TopicRegistry.load()


@pytest.mark.parametrize(("text", "date", "heading", "want"), [
    # a name or alias: at any date
    ("兰州铝业推进“两学一做”学习教育常态化制度化。", "2021-05-01", "", ["两学一做"]),
    ("兰州铝业推进两学一做学习教育常态化。", "2016-05-01", "", ["两学一做"]),
    ("兰州铝业召开党史学习教育总结会。", "2023-03-01", "", [DSXX]),
    ("兰州铝业召开“不忘初心、牢记使命”主题教育动员会。", "2019-06-01", "", [BWCX]),
    ("兰州铝业组织“安全生产月”应急演练。", "2018-06-01", "", ["安全生产"]),
    ("兰州铝业赴定点帮扶村开展调研。", "2019-06-01", "", ["乡村振兴"]),
    ("兰州铝业召开党风廉政建设工作会议。", "2019-06-01", "", ["廉洁从业"]),
    # an alias two topics share: the one whose years hold the date, none outside them
    ("兰州铝业开展主题教育专题调研。", "2019-10-01", "", [BWCX]),
    ("兰州铝业开展主题教育专题调研。", "2023-06-01", "", [XXSX]),
    ("兰州铝业开展主题教育专题调研。", "2021-06-01", "", []),
    ("兰州铝业开展主题教育专题调研。", None, "", []),
    # a keyword: within the topic's years only
    ("兰州铝业举办党史知识竞赛。", "2021-06-01", "", [DSXX]),
    ("兰州铝业举办党史知识竞赛。", "2017-06-01", "", []),
    ("兰州铝业组织党员志愿者协助社区开展核酸检测。", "2022-04-01", "", ["疫情防控"]),
    ("兰州铝业组织党员志愿者协助社区开展核酸检测。", "2025-04-01", "", []),
    ("兰州铝业围绕严以修身、严以用权开展研讨。", "2015-09-01", "", ["三严三实"]),
    ("兰州铝业开展安全生产大检查，排查整改隐患50处。", "2014-06-01", "", ["安全生产"]),  # no years: any
    ("兰州铝业推进精益管理，完成降本增效项目5个。", "2016-03-01", "", ["精益管理"]),
    ("兰州铝业开展合规管理专题培训。", "2022-03-01", "", ["合规管理"]),
    # an excluded phrase holds a keyword without being about the topic
    ("兰州铝业开展全民国家安全教育日宣传活动。", "2021-04-15", "", []),
    ("兰州铝业组织网络安全知识培训。", "2021-04-15", "", []),
    ("兰州铝业开展食品安全检查。", "2021-04-15", "", []),
    ("兰州铝业职工发扬精益求精的工匠精神。", "2021-04-15", "", []),  # 精益求精 is no 精益管理
    # quotation marks and spaces do not part a name
    ("兰州铝业推进“两学一做” 学习教育。", "2017-05-01", "", ["两学一做"]),
    # the heading an activity stands under is read too
    ("兰州铝业组织党员观看红色电影。", "2021-04-15", "党史学习教育进行篇", [DSXX]),
    ("兰州铝业组织党员观看红色电影。", "2021-04-15", "基层动态", []),
    # two topics at once, in the vocabulary's order
    ("兰州铝业开展“我为群众办实事”活动，为职工开展安全培训。", "2021-05-01", "", [DSXX, "安全生产"]),
])
def test_topic_rule(topics, text, date, heading, want):
    assert topics.tag(text, date, heading) == want


def test_tagging_on_the_labelled_sample():
    """≥ 200 activities labelled by the generator that wrote them (scripts/fixtures/chronicle_content.py: by
    meaning, some with no keyword at all): precision ≥ 0.95, recall ≥ 0.9 of (activity, topic)."""
    from archive.store.event_dates import event_date
    sample = json.loads((FIXTURES / "activities.json").read_text(encoding="utf-8"))
    topics = TopicRegistry.load()
    tp = fp = fn = 0
    for a in sample:
        tags = set(topics.tag(a["text"], event_date(a["text"], a["issue_date"])[0], a["heading"]))
        want = set(a["topics"])
        tp, fp, fn = tp + len(tags & want), fp + len(tags - want), fn + len(want - tags)
    assert len(sample) >= 200 and sum(bool(a["topics"]) for a in sample) >= 100
    assert tp / (tp + fp) >= 0.95, (tp, fp)
    assert tp / (tp + fn) >= 0.9, (tp, fn)
    assert fn > 0  # phrases with no word of their topic are missed: the sample is no echo of the vocabulary


@pytest.mark.parametrize(("op", "target", "after", "anchor", "text", "want"), [
    ("topic_add", "职工书屋", None, {"aliases": ["读书角"], "keywords": ["读书分享"]}, "兰州铝业开展读书分享会。",
     ["职工书屋"]),
    ("topic_alias", "精益管理", "精益改善", {}, "兰州铝业推进精益改善。", ["精益管理"]),
    ("topic_keyword", "安全生产", "防暑降温", {}, "兰州铝业开展防暑降温专项检查。", ["安全生产"]),
    ("topic_exclude", "合规管理", "合规性审查", {}, "兰州铝业开展合同合规性审查。", []),
    ("topic_rename", "精益管理", "精益运营", {}, "兰州铝业推进精益管理。", ["精益运营"]),
    ("topic_merge", "合规管理", "廉洁从业", {}, "兰州铝业开展合规管理培训。", ["廉洁从业"]),
    ("topic_remove", "精益管理", None, {}, "兰州铝业推进精益管理。", []),
    ("topic_alias", "没有这个专题", "x", {}, "兰州铝业推进精益管理。", ["精益管理"]),  # a change whose topic is gone
])
def test_topic_change_rule(op, target, after, anchor, text, want):
    reg = TopicRegistry.load()
    apply_topic_op(reg, op, target, after, anchor)
    assert reg.tag(text, "2021-05-01") == want


def test_a_renamed_topic_keeps_its_old_name_as_an_alias():
    reg = TopicRegistry.load()
    apply_topic_op(reg, "topic_rename", "精益管理", "精益运营", {})
    assert reg.canonical_name("精益管理") == "精益运营" and "精益管理" in reg.names_for("精益运营")


# --- the vocabulary in a data folder --------------------------------------------------------------

def topic_counts(run):
    return {t["name"]: t["activities"] for t in json.loads(run("topics", "--json").output)}


def facet(client, **args):
    from urllib.parse import urlencode
    return dict(map(tuple, client.get("/api/search?" + urlencode({**args, "facets": 1})).get_json()["facets"]["topic"]))


def test_a_change_tags_again_reindexes_and_reverts(run, client):
    """Add a topic: the activities that print its keyword are tagged, the search's facet and filter
    know it at once; revert it: gone again."""
    assert "职工关爱" not in topic_counts(run)
    out = run("topics", "add", "职工关爱", "--keyword", "捐款", "--alias", "送温暖").output
    assert "re-indexed" in out and "archive revert" in out
    assert topic_counts(run)["职工关爱"] >= 1
    assert json.loads(run("search", "--topic", "职工关爱", "--json").output)["total"] >= 1
    assert facet(client, q="捐款").get("职工关爱", 0) >= 1
    cid = int(out.split("archive revert ")[1].split()[0])
    run("revert", cid)
    assert "职工关爱" not in topic_counts(run)
    assert json.loads(run("search", "--topic", "职工关爱", "--json").output)["total"] == 0
    assert "职工关爱" not in facet(client, q="捐款")


def test_topic_changes_are_refused_with_a_reason(run):
    run("topics", "add", "安全生产", code=2)  # there is one
    run("topics", "add", "新专题", "--alias", "安全月", code=2)  # an alias another topic has
    run("topics", "alias", "没有这个", "别名", code=2)
    run("topics", "rename", "精益管理", "安全生产", code=2)
    run("topics", "merge", "精益管理", "没有这个", code=2)
    run("topics", "add", "", code=2)


def test_topic_filter_facet_and_synonyms_on_the_search(run, client):
    """A topic's name finds its other names too (含同义词), unless asked not to; topic: filters."""
    run("topics", "add", "红色教育", "--alias", "主题党日")
    with_syn = json.loads(run("search", "红色教育", "--json").output)
    assert with_syn["total"] >= 1 and "主题党日" in with_syn["synonyms"]
    assert json.loads(run("search", "红色教育", "--no-synonyms", "--json").output)["total"] == 0
    page = client.get("/?q=红色教育").get_data(as_text=True)
    assert "含同义词" in page and "主题党日" in page and "syn=0" in page
    off = client.get("/?q=红色教育&syn=0").get_data(as_text=True)
    assert "未含同义词" in off and "没有找到结果" in off
    assert client.get("/api/search?q=红色教育&syn=0").get_json()["total"] == 0
    filtered = json.loads(run("search", "topic:红色教育", "--json").output)
    assert filtered["total"] >= 1
    assert facet(client, q="党史").get(DSXX, 0) >= 1
    html = client.get("/?q=党史").get_data(as_text=True)
    assert 'data-facet="topic"' in html and "topic=" in html


def test_the_units_by_topics_page_and_its_drill_down(client, run):
    page = client.get("/topics/units").get_data(as_text=True)
    assert "单位 × 专题" in page and DSXX in page
    table = json.loads(run("topics", "--by-unit", "--json").output)
    unit, counts = next((u, c) for u, c in table.items() if c.get(DSXX))
    drill = client.get(f"/topics/{DSXX}?unit={unit}")
    assert drill.status_code == 200
    assert drill.get_data(as_text=True).count('class="act"') == counts[DSXX]
    assert client.get("/topics/党史学习教育").status_code == 200
    assert client.get("/topics/没有这个专题").status_code == 404
    assert client.get("/topics/units?from=2021-13").status_code == 400


def test_the_topics_page_edits_for_editors_only(editor_app, client):
    from webtools import TOKEN
    assert "修改专题表" not in client.get("/topics").get_data(as_text=True)
    assert client.post("/topics/edit", data={"op": "add", "name": "x"}).status_code in (401, 403)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/topics/edit", data={"op": "add", "name": "职工关爱", "keywords": "捐款，慰问"}, headers=headers)
    assert r.status_code == 303
    page = client.get("/topics", headers=headers).get_data(as_text=True)
    assert "职工关爱" in page and "修改专题表" in page and "撤销" in page
    cid = int(page.split('data-revert="')[1].split('"')[0])
    assert client.post(f"/topics/revert/{cid}", headers=headers).status_code == 303
    assert "职工关爱</a>" not in client.get("/topics").get_data(as_text=True)
    assert client.post("/topics/edit", data={"op": "add", "name": "安全生产"}, headers=headers).status_code == 400
