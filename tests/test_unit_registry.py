"""The site's unit registry (issue 14): archive units add / alias / rename / merge / ignore, each
re-tagging and re-indexing the items concerned at once, recorded and revertible; new imports use
it; `archive units` with its listing options keeps working as before. And the review queue."""
import json


from archive.store import DataDir
from webtools import NEW_ISSUE


def units(run):
    return {u["unit"]: u["items"] for u in json.loads(run("units", "--json").output)}


def search_ids(run, *args):
    return [h["id"] for h in json.loads(run("search", *args, "--json", "--limit", "200").output)["hits"]]


def test_units_listing_still_works(run, tmp_path):
    assert units(run)["中铝山东"] > 0
    assert "中铝山东" in run("units").output
    out = tmp_path / "u.xlsx"
    run("units", "--by-year", "--format", "xlsx", "-o", out)
    assert out.stat().st_size > 0
    run("units", "--format", "csv", code=2)


def test_add_tags_items_that_print_the_name(run):
    assert "热电厂" not in units(run)
    r = run("units", "add", "热电厂", "--alias", "热电分厂", "--note", "广西分公司的热电厂")
    assert "re-tagged" in r.output
    assert units(run)["热电厂"] >= 1
    assert "2021-005-017" in search_ids(run, "--unit", "热电厂")
    hist = json.loads(run("history", "2021-005-017", "--json").output)
    assert hist == []  # a registry change is not an item's correction


def test_rename_merge_alias_ignore_and_revert(run, samples_copy):
    before = search_ids(run, "--unit", "广西华昇")
    assert before
    run("units", "rename", "广西华昇", "华昇新材料")
    got = units(run)
    assert "华昇新材料" in got and "广西华昇" not in got
    assert search_ids(run, "--unit", "华昇新材料") == before == search_ids(run, "--unit", "广西华昇")
    run("units", "merge", "华西铝业", "西南铝业")
    assert "华西铝业" not in units(run)
    run("units", "alias", "中铝山东", "山东公司")
    run("units", "ignore", "内审部")
    assert "内审部" not in units(run)
    data = DataDir(samples_copy)
    with data.records() as records:
        unit_ops = [c for c in records.conn.execute("SELECT id, op FROM corrections WHERE issue_key = ''")]
    assert [op for _, op in unit_ops] == ["unit_rename", "unit_merge", "unit_alias", "unit_ignore"]
    run("revert", unit_ops[-1][0])  # not ignored any more: tagged again
    assert "内审部" in units(run)
    run("revert", unit_ops[0][0])
    assert "广西华昇" in units(run) and "华昇新材料" not in units(run)
    run("units", "rename", "没有这个单位", "甲", code=2)
    run("units", "add", "长" * 200, code=2)


def test_new_imports_use_the_site_registry(run):
    run("units", "add", "中铝测试中心")
    run("units", "rename", "中铝山东", "山东新材料")
    run("import", NEW_ISSUE)
    got = units(run)
    assert "中铝山东" not in got  # the renamed unit, in the new issue too


def test_review_queue(run, samples_copy):
    run("correct", "2021-005-004", "--text", "短。")
    run("correct", "2021-005-017", "--add-unit", "热电厂")
    data = DataDir(samples_copy)
    with data.records() as records:  # what an import of a scan would have flagged
        records.conn.execute("UPDATE issues SET needs_review = 1, review_reasons = '[{\"kind\": \"no_sections\"}]'"
                             " WHERE id = '2018-002'")
        records.conn.execute("UPDATE items SET confidence = 0.5 WHERE id = '2021-005-003'")
    queue = json.loads(run("review", "--json").output)
    kinds = [e["kind"] for e in queue]
    assert kinds == sorted(kinds, key=["stale_correction", "needs_review", "low_confidence", "suspicious",
                                       "new_unit"].index)
    assert {"kind": "needs_review", "issue": "2018-002"}.items() <= next(e for e in queue if e["issue"] == "2018-002").items()
    assert any(e["kind"] == "low_confidence" and e["item"] == "2021-005-003" for e in queue)
    assert not any(e["item"] == "2021-005-004" for e in queue if e["kind"] == "suspicious")  # corrected: seen
    new = next(e for e in queue if e["kind"] == "new_unit" and e["unit"] == "热电厂")
    assert new["count"] == 1 and "热电厂" in new["examples"][0]["text"] and new["examples"][0]["item"] == "2021-005-017"
    text = run("review").output
    assert "issue 2018-002 needs review" in text and "confidence 0.5" in text
    run("mark-reviewed", "2018-002")
    queue = json.loads(run("review", "--json").output)
    assert not any(e.get("issue") == "2018-002" for e in queue if e["kind"] in ("needs_review", "low_confidence"))
    run("mark-reviewed", "2099-001", code=2)


def test_a_registry_change_on_the_command_line_reaches_a_running_server(app, client, app_cli):
    """The server reads the site's registry again when it changed (from any process), so a new
    alias typed on the command line works in the web's unit filter without a restart."""
    def hits(unit):
        return {h["id"] for h in client.get("/api/search", query_string={"unit": unit, "limit": 100}).get_json()["hits"]}
    before = hits("广西分公司")
    assert before and hits("平果铝") == set()
    assert app_cli("units", "alias", "广西分公司", "平果铝").exit_code == 0
    assert hits("平果铝") == before
