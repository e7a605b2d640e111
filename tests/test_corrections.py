"""Corrections (issue 14): each kind through the CLI, the corrected record everywhere (export,
search, units, activities) while the parser's stays retrievable, reverts, bad input, and
corrections surviving reindex, check --repair, reparse with a changed parser rule and
import --replace of a re-rendered file."""
import json
import sqlite3

import pytest

from archive.search.spec import SearchSpec

from archive.store import DataDir
from conftest import FIXTURES

RERENDERED = FIXTURES / "producers" / "chromium" / "2021-005.pdf"  # the sample 2021-005, drawn by Chromium


def export(run, *flags):
    return {r["id"]: r for r in json.loads(run("export", *flags).output)}


def items(record):
    return {it["id"]: {**it, "section": s["title"]} for s in record["sections"] for it in s["items"]}


def item(run, item_id, *flags):
    issue = item_id.rsplit("-", 1)[0] if item_id.count("-") == 2 else item_id[:8]
    return items(export(run, *flags)[issue]).get(item_id)


def test_each_kind_of_item_correction_through_the_cli(run):
    run("correct", "2021-005-003", "--text", "4月15日是全民国家安全教育日。", "--note", "OCR")
    run("correct", "2021-005-003", "--heading", "国家安全教育日")
    run("correct", "2021-005-003", "--author", "某某")
    run("correct", "2021-005-003", "--source", "新华网")
    run("correct", "2021-005-003", "--kind", "caption")
    run("correct", "2021-005-002", "--section", "思·理之源")
    got = items(export(run)["2021-005"])
    assert got["2021-005-003"]["text"] == "4月15日是全民国家安全教育日。"
    assert (got["2021-005-003"]["heading"], got["2021-005-003"]["author"], got["2021-005-003"]["source"],
            got["2021-005-003"]["kind"]) == ("国家安全教育日", "某某", "新华网", "caption")
    assert got["2021-005-002"]["section"] == "思·理之源"
    original = items(export(run, "--original")["2021-005"])
    assert original["2021-005-003"]["text"].startswith("4月15日是全民国家安全教育日。国家安全包括")
    assert original["2021-005-002"]["section"] == "学·习之路"
    history = json.loads(run("history", "2021-005-003", "--json").output)
    assert [c["op"] for c in history][:5] == ["set"] * 5 and history[0]["note"] == "OCR"
    assert history[0]["who"] and history[0]["at"] and history[0]["before"].startswith("4月15日")


def test_units_add_remove_search_units_and_activities_follow(run, samples_copy):
    from archive.search.searcher import Searcher
    run("correct", "2021-005-017", "--add-unit", "热电厂", "--remove-unit", "广西分公司")
    it = item(run, "2021-005-017")
    assert it["units"] == ["热电厂"]
    data = DataDir(samples_copy)
    with data.records() as records, Searcher(data, records) as s:  # search sees it at once
        assert [h["id"] for h in s.search(SearchSpec("", unit="热电厂")).hits] == ["2021-005-017"]
        assert "2021-005-017" not in [h["id"] for h in s.search(SearchSpec("", unit="广西分公司"), limit=100).hits]
        assert any(a["item"] == "2021-005-017" for a in records.unit_activities("热电厂"))
        assert not any(a["item"] == "2021-005-017" for a in records.unit_activities("广西分公司"))
    assert "热电厂" in run("units").output
    assert "2021-005-017" in run("search", "--unit", "热电厂").output


def test_split_merge_hide_show_and_revert(run):
    text = item(run, "2021-005-007")["text"]
    at = text.index("云铝文山")
    run("correct", "2021-005-007", "--split-at", at)
    got = items(export(run)["2021-005"])
    assert got["2021-005-007"]["text"] == text[:at] and got["2021-005-007-2"]["text"] == text[at:]
    assert "云铝文山" in got["2021-005-007-2"]["units"] and "云铝文山" not in got["2021-005-007"]["units"]
    run("correct", "2021-005-007", "--merge-next")
    assert item(run, "2021-005-007")["text"] == text and item(run, "2021-005-007-2") is None
    run("correct", "2021-005-001", "--hide")
    assert item(run, "2021-005-001") is None and "2021-005-002" in items(export(run)["2021-005"])
    run("correct", "2021-005-001", "--show")
    assert item(run, "2021-005-001") is not None
    # every change can be reverted: back to the parser's record
    for c in json.loads(run("history", "2021-005", "--json").output):
        if c["state"] != "reverted":
            run("revert", c["id"])
    assert export(run)["2021-005"] == export(run, "--original")["2021-005"]
    assert "reverted by" in run("history", "2021-005").output


def test_issue_metadata_and_a_new_id(run, samples_copy):
    r = run("correct-issue", "2016-002", "--number", "3", "--date", "2016-01-16")
    assert "2016-003" in r.output
    got = export(run)
    assert "2016-002" not in got and got["2016-003"]["date"] == "2016-01-16"
    assert all(i.startswith("2016-003-") for i in items(got["2016-003"]))
    assert "2016-002" in export(run, "--original")
    with DataDir(samples_copy).records() as records:
        assert records.current_id("2016-002") == "2016-003"
    run("check")  # the index followed (old id's documents gone)
    run("correct-issue", "2016-003", "--number", "6", code=1)  # 2016-006 is another issue: refused
    run("correct-issue", "2016-003", "--year", "20x", code=2)


def test_bad_input(run, samples_copy):
    assert "no item" in run("correct", "2099-001-001", "--text", "x", code=2).output
    run("correct", "2021-005-003", "--text", "   ", code=2)
    run("correct", "2021-005-003", "--add-unit", "长" * 200, code=2)
    run("correct", "2021-005-003", "--add-unit", "", code=2)
    run("correct", "2021-005-018", "--merge-next", code=2)  # the last item
    run("correct", "2021-005-003", "--split-at", 0, code=2)
    run("correct", "2021-005-003", "--show", code=2)  # not hidden
    run("revert", 999, code=2)
    run("history", "nothing-here", code=2)
    assert json.loads(run("history", "2021-005", "--json").output) == []  # nothing was recorded
    from archive.service.correcting import Editor, StaleForm
    data = DataDir(samples_copy)
    with data.records() as records:
        ed = Editor(records, data)
        loaded = ed.version("2021-005-003")
        ed.correct_item("2021-005-003", "set", "甲。", fld="text", version=loaded, who="a")
        with pytest.raises(StaleForm):  # a second editor's form, loaded before the first saved
            ed.correct_item("2021-005-003", "set", "乙。", fld="text", version=loaded, who="b")
        assert records.item("2021-005-003")["text"] == "甲。"


def test_a_schema_3_data_folder_migrates_and_can_be_corrected(run, samples_copy):
    db = samples_copy / "archive.sqlite3"
    conn = sqlite3.connect(db)
    for table in ("parsed", "corrections", "issue_aliases", "reviewed"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    run("correct", "2021-005-003", "--add-unit", "国家安全部门")
    from archive.store import schema
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == \
        str(schema.SCHEMA_VERSION) == "10"
    assert "国家安全部门" in item(run, "2021-005-003")["units"]
    assert "国家安全部门" not in item(run, "2021-005-003", "--original")["units"]


def test_corrections_survive_reindex_repair_reparse_and_replace(run, samples_copy, monkeypatch):
    run("correct", "2021-005-017", "--add-unit", "热电厂")
    run("correct", "2021-005-009", "--author", "王五")
    run("correct", "2021-005-001", "--hide")
    run("correct", "2021-005-003", "--text", "4月15日是全民国家安全教育日。")
    run("correct", "2021-005-010", "--heading", "五星红旗")
    run("correct-issue", "2021-005", "--date", "2021-04-17")
    corrected = export(run)["2021-005"]

    def unchanged():
        assert export(run)["2021-005"] == corrected
    run("reindex")
    unchanged()
    (samples_copy / "whoosh").unlink()  # no index: check --repair builds it from the corrected records
    run("check", "--repair", code=0)
    unchanged()
    assert "2021-005-017" in run("search", "--unit", "热电厂").output

    # a changed parser rule: the first 悟·心之语 paragraph is now read with an extra word
    import archive.service.importing as importer
    real = importer.parse_issues

    def changed_rule(*a, **k):
        [issue] = real(*a, **k)
        for s in issue.sections:
            for it in s.items:
                if it.text.startswith("仰望五星红旗"):
                    it.text = "我们" + it.text
        return [issue]
    monkeypatch.setattr(importer, "parse_issues", changed_rule)
    assert "corrections applied 6, no longer applying 0" in run("reparse", "2021-005").output
    now = items(export(run)["2021-005"])
    assert "热电厂" in now["2021-005-017"]["units"] and now["2021-005-009"]["author"] == "王五"
    assert "2021-005-001" not in now and now["2021-005-003"]["text"] == "4月15日是全民国家安全教育日。"
    assert now["2021-005-010"]["heading"] == "五星红旗"  # not text-bound: found by a like text
    monkeypatch.setattr(importer, "parse_issues", real)
    # the text the editor's correction was anchored to is gone from one item: kept, listed, not dropped
    run("correct", "2021-005-012", "--text", "中国共产党之所以所向披靡。")
    monkeypatch.setattr(importer, "parse_issues", lambda *a, **k: [_shorten(i, "中国共产党之所以") for i in real(*a, **k)])
    run("reparse")
    review = json.loads(run("review", "--json").output)
    stale = [e for e in review if e["kind"] == "stale_correction"]
    assert [e["item"] for e in stale] == ["2021-005-012"] and review[0]["kind"] == "stale_correction"
    assert "no longer applies" in run("history", "2021-005-012").output
    monkeypatch.setattr(importer, "parse_issues", real)

    # another file for the issue (the same issue re-rendered by Chromium)
    assert "replaced as 2021-005" in run("import", "--replace", RERENDERED).output
    after = items(export(run)["2021-005"])
    history = json.loads(run("history", "2021-005", "--json").output)
    states = {c["op"] + (c["field"] or ""): c["state"] for c in history}
    for c in history:  # each one re-applied, or listed as no longer applying
        assert c["state"] in ("applied", "stale")
    assert states["add_unit"] == "applied" and "热电厂" in after["2021-005-017"]["units"]
    assert states["hide"] == "applied" and "2021-005-001" not in after
    assert export(run)["2021-005"]["date"] == "2021-04-17"
    stale_ids = {e["correction"] for e in json.loads(run("review", "--json").output) if e["kind"] == "stale_correction"}
    assert stale_ids == {c["id"] for c in history if c["state"] == "stale"}
    run("check")


def _shorten(issue, prefix):
    for s in issue.sections:
        for it in s.items:
            if it.text.startswith(prefix):
                it.text = it.text[:len(prefix) + 4] + "（节选）"
    return issue


def test_two_editors_at_once_lose_neither_silently(samples_copy):
    """Both load the item, both save: one is saved, the other is told (StaleForm), never lost."""
    import threading

    from archive.service.correcting import Editor, StaleForm
    data = DataDir(samples_copy)
    with data.records() as records:
        loaded = Editor(records, data).version("2021-005-003")
    outcomes, start = {}, threading.Barrier(2)

    def edit(name):
        with data.records() as records:
            ed = Editor(records, data)
            start.wait()
            try:
                ed.correct_item("2021-005-003", "set", f"{name}的版本。", fld="text", version=loaded, who=name)
                outcomes[name] = "saved"
            except StaleForm:
                outcomes[name] = "told"
    threads = [threading.Thread(target=edit, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["saved", "told"]
    winner = next(n for n, o in outcomes.items() if o == "saved")
    with data.records() as records:
        assert records.item("2021-005-003")["text"] == f"{winner}的版本。"
        assert [c["who"] for c in records.history("2021-005-003")] == [winner]
