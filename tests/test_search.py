import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.search.spec import SearchSpec

from archive.ingest.units import Registry
from archive.service.checking import check
from archive.model import Issue, Item, Section
from archive.search import index
from archive.search.indexer import drain
from archive.store.schema import SCHEMA_VERSION
from archive.search.highlight import match_spans, snippet
from archive.search.query import Leaf, QueryError, date_range, parse, year_range
from archive.search.searcher import Searcher
from archive.store import DataDir

LONG = ("集团党史学习教育第二巡回指导组指导总裁办公室党支部赴北京香山革命纪念馆主题党日活动。" * 4
        + "中州铝业充分利用网络教学资源做到中层以上管理人员100%注册。")


def issue(year, number, date, sections, total=None):
    return Issue(publication="中铝股份党群工作", year=year, number=number, total_number=total or number, date=date,
                 publisher="党群工作部", pages=4, sections=[Section(t, items) for t, items in sections])


ISSUES = [
    issue(2021, 5, "2021-04-16", [
        ("践·铝之行", [
            Item("云铝文山召开党史学习教育动员会，中州分公司开展主题党日。", 3, 4, heading="党史学习教育进行篇",
                 units=["云铝文山", "中州分公司"]),
            Item("分析检测中心为病困职工捐款51680元。", 4, 4, heading="为群众办实事篇", units=["分析检测中心"]),
        ]),
        ("悟·心之语", [
            Item("重温入党誓词，初心如磐。（贵州分公司林涛）", 5, 5, author="林涛", units=["贵州分公司"]),
            Item("使用ＥＲＰ系统，开展QC小组活动，4月16日完成。", 5, 5),
        ]),
    ]),
    issue(2016, 1, "2016-01-08", [
        ("学·习之路", [
            Item("党", 1, 1),
            Item("安全生产大检查，排查整改隐患150处。<script>&", 1, 1, units=["中州铝业"]),
            Item(LONG, 2, 2),
        ]),
    ]),
    issue(2018, 2, "2018-06-30", [
        ("践·铝之行", [Item("抚顺铝业开展安全生产月活动，党员先锋岗评比。", 1, 2, units=["抚顺铝业"])]),
    ]),
]


def write(records, datadir, iss, replace=False):
    reg = Registry.load()
    sha = f"{iss.year}{iss.number:03d}".ljust(64, "0")
    datadir.save_pdf(sha, b"%PDF-1.4 test")
    canonical = {u: reg.canonical_name(u) for s in iss.sections for it in s.items for u in it.units}
    issue_id = iss.issue_id(sha)
    records.write_issue(issue_id, iss, sha, "x.pdf", canonical, replace=replace)
    return issue_id


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    dd = DataDir(data)
    with dd.records() as records:
        for iss in ISSUES:
            write(records, dd, iss)
            assert drain(records, dd) == 1  # what the importer does after write_issue
    return data


@pytest.fixture(scope="module")
def searcher(data):
    with DataDir(data).records() as records, Searcher(DataDir(data), records) as s:
        yield s


def ids(searcher, q="", **kw):
    return sorted(h["id"] for h in searcher.search(SearchSpec(q, **kw), limit=100).hits)


# -- parsing ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "groups"), [
    ("党史 安全", [[Leaf(None, "党史")], [Leaf(None, "安全")]]),
    ('"主题 党日"', [[Leaf(None, "主题 党日", quoted=True)]]),
    ("“党员先锋岗”", [[Leaf(None, "党员先锋岗", quoted=True)]]),
    ("党课 OR 报告会 安全", [[Leaf(None, "党课"), Leaf(None, "报告会")], [Leaf(None, "安全")]]),
    ("-安全 党史", [[Leaf(None, "安全", negated=True)], [Leaf(None, "党史")]]),
    ("unit:中州铝业 section：践·铝之行", [[Leaf("unit", "中州铝业")], [Leaf("section", "践·铝之行")]]),
    ('unit:"云铝 文山"', [[Leaf("unit", "云铝 文山", quoted=True)]]),
    ("-unit:中州铝业", [[Leaf("unit", "中州铝业", negated=True)]]),
    ("year:2021 date:2021-04..2021-06-30", [[Leaf("year", "2021")], [Leaf("date", "2021-04..2021-06-30")]]),
    ("or 党史", [[Leaf(None, "or")], [Leaf(None, "党史")]]),
    ("http://x", [[Leaf(None, "http://x")]]),
    ("", []),
])
def test_parse(q, groups):
    assert parse(q).groups == groups


@pytest.mark.parametrize(("q", "message"), [
    ('"党史 学习', "unbalanced quote"),
    ("“党史", "unbalanced quote"),
    ("党史”", "unbalanced quote"),
    ("year:20x", "bad year"),
    ("year:2021..2016", "ends before it starts"),
    ("date:2021-13-01", "bad date"),
    ("date:2021-02-30", "no such day"),
    ("date:April", "bad date"),
    ("date:2021-06..2021-04", "ends before it starts"),
    ("unit:", "needs a value"),
    ("OR 党史", "OR needs"),
    ("党史 OR", "OR needs"),
    ("党史 OR OR 安全", "OR needs"),
])
def test_malformed_queries(q, message):
    with pytest.raises(QueryError) as err:
        parse(q)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_ranges():
    assert year_range("2016..2018") == (2016, 2018)
    assert year_range("2021") == (2021, 2021)
    assert date_range("2021-04") == ("2021-04-01", "2021-04-30")
    assert date_range("2020-02") == ("2020-02-01", "2020-02-29")
    assert date_range("..2021") == (None, "2021-12-31")
    assert date_range("2021年4月16日") == ("2021-04-16", "2021-04-16")


# -- matching --------------------------------------------------------------------------------

def test_substring_recall(searcher):
    assert ids(searcher, "党史") == ["2016-001-003", "2021-005-001"]
    assert ids(searcher, "云铝文山") == ["2021-005-001"]
    assert ids(searcher, "铝文") == ["2021-005-001"]  # straddles two words
    assert ids(searcher, "史学习教") == ["2016-001-003", "2021-005-001"]
    assert ids(searcher, "文山党史") == []  # bigrams in the wrong order are no match


def test_single_character_and_numbers_with_units(searcher):
    党 = ids(searcher, "党")
    assert "2016-001-001" in 党 and "2021-005-001" in 党 and "2016-001-002" not in 党
    assert ids(searcher, "51680元") == ["2021-005-002"]
    assert ids(searcher, "51680") == ["2021-005-002"]
    assert ids(searcher, "4月16日") == ["2021-005-004"]
    assert ids(searcher, "元") == ["2021-005-002"]


def test_full_width_folds_both_ways(searcher):
    assert ids(searcher, "ERP") == ["2021-005-004"]
    assert ids(searcher, "erp系统") == ["2021-005-004"]
    assert ids(searcher, "ＱＣ小组") == ["2021-005-004"]


def test_boolean_operators(searcher):
    assert ids(searcher, "安全 抚顺") == ["2018-002-001"]
    assert ids(searcher, "安全 -抚顺") == ["2016-001-002"]
    assert ids(searcher, "捐款 OR 誓词") == ["2021-005-002", "2021-005-003"]
    assert ids(searcher, '"主题 党日"') == ["2016-001-003", "2021-005-001"]
    assert ids(searcher, '"主题 党日" -"北京香山"') == ["2021-005-001"]
    assert ids(searcher, "-党") == ["2016-001-002", "2021-005-002", "2021-005-004"]  # all but these


def test_filters(searcher):
    assert ids(searcher, unit="中州铝业") == ["2016-001-002", "2021-005-001"]
    assert ids(searcher, unit="中铝中州铝业有限公司") == ["2016-001-002", "2021-005-001"]  # an alias
    assert ids(searcher, "unit:中州分公司 党史") == ["2021-005-001"]
    assert ids(searcher, "安全", year="2018") == ["2018-002-001"]
    assert ids(searcher, "year:2016..2018 安全") == ["2016-001-002", "2018-002-001"]
    assert ids(searcher, date_from="2021-04-01", date_to="2021-06-30") == [f"2021-005-00{i}" for i in range(1, 5)]
    assert ids(searcher, "date:2018-06") == ["2018-002-001"]
    assert ids(searcher, section="铝之行") == ["2018-002-001", "2021-005-001", "2021-005-002"]
    assert ids(searcher, "heading:办实事") == ["2021-005-002"]
    assert ids(searcher, "-unit:中州铝业", year=2021) == ["2021-005-002", "2021-005-003", "2021-005-004"]


def test_empty_query_with_filters_lists_by_date(searcher):
    result = searcher.search(SearchSpec("", year="2016..2021"))
    assert result.sort == "date" and result.total == 8
    assert [h["date"] for h in result.hits] == sorted((h["date"] for h in result.hits), reverse=True)


def test_empty_query_without_filters_is_an_error(searcher):
    with pytest.raises(QueryError):
        searcher.search(SearchSpec(""))
    with pytest.raises(QueryError):
        searcher.search(SearchSpec("，。"))


def test_total_counts_all_matches_beyond_limit(searcher):
    result = searcher.search(SearchSpec("党"), limit=1)
    assert result.total > 1 and len(result.hits) == 1


def test_hit_fields(searcher):
    hit = searcher.search(SearchSpec("党史学习"), limit=5).hits[0]
    assert set(hit) == {"id", "issue", "publication", "year", "number", "number_end", "special", "total_number",
                        "date", "section", "heading", "kind", "text", "units", "author", "source", "page_start",
                        "page_end", "snippet", "citation", "citation_gbt", "score"}
    assert hit["kind"] == "paragraph" and hit["number_end"] is None and hit["special"] is None
    assert hit["id"] == "2021-005-001" and hit["units"] == ["云铝文山", "中州分公司"]
    assert hit["citation"] == "《中铝股份党群工作》2021年第5期（总第5期），第3–4页"
    assert hit["citation_gbt"] == "党群工作部. 践·铝之行：党史学习教育进行篇[J]. 中铝股份党群工作, 2021(5): 3-4."
    assert hit["snippet"].startswith("云铝文山召开<mark>党史学习</mark>教育")


# -- highlighting ----------------------------------------------------------------------------

def test_match_spans_across_full_width_and_spaces():
    text = "使用ＥＲＰ系统，云铝 文山"
    assert match_spans(text, ["erp"]) == [(2, 5)]
    assert match_spans(text, ["ERP系统"]) == [(2, 7)]
    assert match_spans(text, ["云铝文山"]) == [(8, 13)]
    assert match_spans(text, ["系统", "ＥＲＰ系"]) == [(2, 7)]  # overlapping matches merge


def test_snippet_escapes_and_marks_exactly():
    text = "排查<b>隐患</b>&150处"
    assert snippet(text, match_spans(text, ["隐患"])) == "排查&lt;b&gt;<mark>隐患</mark>&lt;/b&gt;&amp;150处"


def test_snippet_window_on_long_text():
    spans = match_spans(LONG, ["中州铝业"])
    out = snippet(LONG, spans)
    assert out.startswith("…") and "<mark>中州铝业</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) <= 125


# -- index maintenance -----------------------------------------------------------------------

def test_reindex_swaps_and_check(tmp_path):
    dd = DataDir(tmp_path)
    conn = dd.records()
    first = write(conn, dd, ISSUES[0])
    assert check(conn, dd)  # records but no index yet
    index.rebuild(conn, dd)
    assert check(conn, dd) == []
    link = dd.index_link
    assert link.is_symlink()
    old_target = link.resolve()
    with Searcher(dd, conn) as s:
        assert s.search(SearchSpec("党史")).total == 1
        # an issue written without indexing: check notices, reindex repairs, the searcher sees it
        write(conn, dd, ISSUES[1])
        problems = check(conn, dd)
        assert [p.kind for p in problems] == ["queued", "not_indexed"] and problems[0].ids == ("2016-001",)
        assert problems[1].ids == ("2016-001-001", "2016-001-002", "2016-001-003")
        index.rebuild(conn, dd)
        assert link.resolve() != old_target and not old_target.exists()
        assert check(conn, dd) == []
        assert s.search(SearchSpec("党史")).total == 2
    # a stored PDF gone missing
    sha = conn.sha_for_issue(first)
    dd.pdf_path(sha).unlink()
    assert [(p.kind, p.ids) for p in check(conn, dd)] == [("missing_pdf", (first,))]


def test_replace_reindexes_the_issue(tmp_path):
    dd = DataDir(tmp_path)
    conn = dd.records()
    issue_id = write(conn, dd, ISSUES[2])
    drain(conn, dd)
    changed = issue(2018, 2, "2018-06-30", [("践·铝之行", [Item("新的文字。", 1, 1), Item("第二条。", 2, 2)])])
    conn.write_issue(issue_id, changed, conn.sha_for_issue(issue_id), "y.pdf", {}, replace=True)
    drain(conn, dd)
    assert check(conn, dd) == []
    with Searcher(dd, conn) as s:
        assert s.search(SearchSpec("抚顺")).total == 0
        assert [h["id"] for h in s.search(SearchSpec("第二条")).hits] == ["2018-002-002"]


def test_searcher_on_empty_folder(tmp_path):
    with DataDir(tmp_path).records() as records, Searcher(DataDir(tmp_path), records) as s:
        assert s.search(SearchSpec("党史")).total == 0


# -- command line ----------------------------------------------------------------------------

def run_cli(data, *args):
    code = "from archive.cli.main import main; main()"
    return subprocess.run([sys.executable, "-c", code, "--data", str(data), *args], capture_output=True,
                          text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)


def test_cli_search_json_and_errors(data):
    out = run_cli(data, "search", "--json", "--limit", "10000", "--unit", "中州铝业")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["total"] == 2 and {h["id"] for h in result["hits"]} == {"2016-001-002", "2021-005-001"}
    out = run_cli(data, "search", "安全", "-抚顺")
    assert out.returncode == 0 and "2016-001-002" in out.stdout and "2018-002-001" not in out.stdout
    out = run_cli(data, "search", '"党史')
    assert out.returncode == 2 and out.stderr.strip().startswith("error: unbalanced quote")
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    out = run_cli(data, "search", "--from", "2021-02-30")
    assert out.returncode == 2 and "no such day" in out.stderr


def test_cli_check_and_reindex(tmp_path):
    dd = DataDir(tmp_path)
    conn = dd.records()
    write(conn, dd, ISSUES[2])
    out = run_cli(tmp_path, "check")
    assert out.returncode == 1 and "archive check --repair" in out.stdout and "waiting to be indexed" in out.stdout
    out = run_cli(tmp_path, "reindex")
    assert out.returncode == 0 and "indexed 1 items" in out.stdout
    out = run_cli(tmp_path, "check")
    assert out.returncode == 0, out.stdout


def test_latin_words_highlight_whole_words_only():
    assert match_spans("ERP and interpret, erp-2", ["erp"]) == [(0, 3), (19, 22)]
    assert match_spans("捐款51680元", ["5168"]) == []
    assert match_spans("捐款51680元", ["51680元"]) == [(2, 8)]


def test_word_boundaries_and_punctuation_in_matching(searcher):
    assert ids(searcher, "5168") == []  # numbers are whole words
    assert ids(searcher, "排查整改隐患150处") == ["2016-001-002"]
    assert ids(searcher, "大检查排查") == []  # a bigram chain does not run across punctuation
    assert ids(searcher, "大检查，排查") == ["2016-001-002"]


def test_old_index_version_is_rebuilt_on_next_import(tmp_path):
    dd = DataDir(tmp_path)
    conn = dd.records()
    first = write(conn, dd, ISSUES[0])
    index.rebuild(conn, dd)
    (dd.index_link / index.VERSION_FILE).write_text('{"version": 0}')
    with pytest.raises(index.IndexUnavailable):
        index.open_index(dd)
    second = write(conn, dd, ISSUES[1])
    assert drain(conn, dd)
    assert check(conn, dd) == [] and first != second


def test_an_index_of_the_format_before_the_analyzers_moved_is_rebuilt_not_read(tmp_path, monkeypatch):
    """Index format 4 pickled its analyzers as archive.analysis, a module that no longer exists.
    Such an index is built here for real (its filter class pickled under the old path, which is
    then made unimportable): reading its schema fails, and `archive serve` (ensure_current) and
    imports replace it without reading it."""
    import sys
    import types

    import whoosh.index

    from archive.search import analysis
    old_module = types.ModuleType("archive.analysis")
    old_filter = type("CJKBigramFilter", (analysis.CJKBigramFilter,), {"__module__": "archive.analysis"})
    old_module.CJKBigramFilter = old_filter
    monkeypatch.setitem(sys.modules, "archive.analysis", old_module)
    real_schema = index.schema

    def old_schema():
        sch = real_schema()
        sch["text"].analyzer = analysis.ScriptTokenizer() | analysis.WidthFoldFilter() | old_filter()
        return sch
    dd = DataDir(tmp_path)
    conn = dd.records()
    write(conn, dd, ISSUES[0])
    monkeypatch.setattr(index, "schema", old_schema)
    index.rebuild(conn, dd)
    monkeypatch.setattr(index, "schema", real_schema)
    (dd.index_link / index.VERSION_FILE).write_text('{"version": 4}')
    del sys.modules["archive.analysis"]
    old = dd.index_link.resolve()
    with pytest.raises(ModuleNotFoundError):  # what reading it would do
        whoosh.index.open_dir(str(dd.index_link)).schema
    with pytest.raises(index.IndexUnavailable, match="archive reindex"):
        Searcher(dd, conn).search(SearchSpec("党史"))
    assert index.ensure_current(conn, dd) is True and dd.index_link.resolve() != old and not old.exists()
    assert index.read_version(dd.index_link) == index.INDEX_VERSION
    with Searcher(dd, conn) as s:
        assert s.search(SearchSpec("党史")).total == 1
    assert index.ensure_current(conn, dd) is False  # current now: nothing to do


# -- end to end: every import indexes what it stored -------------------------------------------

NEWSLETTER = Path(__file__).parent / "fixtures" / "newsletter"


def test_import_indexes_and_replace_keeps_the_index_in_step(archive, data_dir, tmp_path):
    from pypdf import PdfReader, PdfWriter
    assert archive("import", NEWSLETTER).exit_code == 0
    assert archive("check").exit_code == 0
    result = archive("search", "--json", "--limit", "10000", "云铝文山")
    hits = json.loads(result.output)["hits"]
    assert hits and all("云铝文山" in h["text"] for h in hits)
    assert any(h["issue"] == "2021-005" for h in hits)
    writer = PdfWriter(clone_from=PdfReader(NEWSLETTER / "2021-005.pdf"))
    writer.add_metadata({"/Producer": "re-saved"})
    copy = tmp_path / "copy.pdf"
    with open(copy, "wb") as fh:
        writer.write(fh)
    assert archive("import", "--replace", copy).exit_code == 0
    assert archive("check").exit_code == 0, archive("check").output
    again = json.loads(archive("search", "--json", "--limit", "10000", "云铝文山").output)["hits"]
    assert sorted(h["id"] for h in again) == sorted(h["id"] for h in hits)


def test_searcher_refresh_sees_incremental_commits(tmp_path):
    dd = DataDir(tmp_path)
    conn = dd.records()
    write(conn, dd, ISSUES[0])
    drain(conn, dd)
    with Searcher(dd, conn) as s:
        assert s.search(SearchSpec("党史")).total == 1
        write(conn, dd, ISSUES[1])
        drain(conn, dd)
        assert s.search(SearchSpec("党史")).total == 2  # refreshed, old segment readers still open
        write(conn, dd, ISSUES[2])
        drain(conn, dd)
        assert s.search(SearchSpec("党史")).total == 2 and s.search(SearchSpec("安全")).total == 2


def test_more_matches_than_the_page_holds(tmp_path):
    """Regression: once a collector had a full page of hits it asked a word's matcher whether it
    could still beat them (max_quality, under an exclusion), which ours could not answer
    (NoQualityAvailable): a word with more than a page of matches and an exclusion failed."""
    dd = DataDir(tmp_path)
    conn = dd.records()
    items = [Item(f"第{k}项：推进降本增效{'，中州铝业参加' if k % 3 == 0 else ''}。" + "降本增效" * (k % 4), 1, 1)
             for k in range(40)]
    write(conn, dd, issue(2020, 1, "2020-01-08", [("践·铝之行", items)]))
    index.rebuild(conn, dd)
    with Searcher(dd, conn) as s:
        for q in ("降本增效 -中州", "降本增效", '"推进降本增效"'):
            full = s.search(SearchSpec(q), limit=100)
            one = s.search(SearchSpec(q), limit=1)
            assert full.total >= 26 and one.total == full.total, q
            assert one.hits[0]["id"] == full.hits[0]["id"], q


def test_a_data_folder_of_schema_1_is_migrated(tmp_path):
    """A data folder written before number_end, special and kind existed opens, gains the columns
    (the old issue reads them as null / paragraph) and takes new issues."""
    import sqlite3
    db = sqlite3.connect(tmp_path / "archive.sqlite3")
    db.executescript("""
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('schema_version', '1');
    CREATE TABLE issues (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, original_name TEXT, publication TEXT,
        year INTEGER, number INTEGER, total_number INTEGER, date TEXT, publisher TEXT, collection_period TEXT,
        distribution TEXT, cc TEXT, email TEXT, pages INTEGER NOT NULL, needs_review INTEGER NOT NULL DEFAULT 0,
        review_reasons TEXT NOT NULL DEFAULT '[]');
    CREATE TABLE items (id TEXT PRIMARY KEY, issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
        section_seq INTEGER NOT NULL, seq INTEGER NOT NULL, heading TEXT, text TEXT NOT NULL, source TEXT,
        author TEXT, page_start INTEGER NOT NULL, page_end INTEGER NOT NULL, boxes TEXT NOT NULL DEFAULT '[]',
        confidence REAL NOT NULL DEFAULT 1.0);
    INSERT INTO issues (id, sha256, year, number, pages, review_reasons)
        VALUES ('2016-001', 'ab', 2016, 1, 2, '["no section titles found"]');
    CREATE TABLE sections (issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
        title TEXT, PRIMARY KEY (issue_id, seq));
    INSERT INTO sections VALUES ('2016-001', 1, '学·习之路');
    INSERT INTO items (id, issue_id, section_seq, seq, text, page_start, page_end)
        VALUES ('2016-001-001', '2016-001', 1, 1, '旧的条目。', 1, 1);
    """)
    db.close()
    dd = DataDir(tmp_path)
    with dd.records() as records:
        record = records.issue_record("2016-001")
        assert record["number_end"] is None and record["special"] is None
        assert records.item("2016-001-001")["kind"] == "paragraph"
        assert [r.text for r in records.reviews("2016-001")] == ["no section titles found"]  # kept as a note
        write(records, dd, ISSUES[0])
        assert records.counts() == (2, 5)
        assert records.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
